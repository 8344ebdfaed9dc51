"""Short helpers that build the forum's records for tests: `make.meeting(starts_at=...)`."""

import itertools
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy.orm import Session

from workplan.models import (
    AgendaItem,
    BudgetLine,
    Chairmanship,
    Commitment,
    Deliverable,
    Document,
    DocumentFile,
    ExchangeRate,
    Government,
    GovernmentTeam,
    Indicator,
    IndicatorValue,
    Instalment,
    Meeting,
    MeetingSession,
    Objective,
    Offer,
    Organisation,
    Payment,
    Pledge,
    Practice,
    PracticeTarget,
    ProgressUpdate,
    Roundtable,
    RoundtableMember,
    TeamMembership,
    Theme,
    User,
    WorkPlan,
)
from workplan.services import accounts
from workplan.services.file_types import identify
from workplan.services.practices import search_text
from workplan.storage import content_key, storage

PASSWORD = "correct horse battery"
_counter = itertools.count(1)


def _n() -> int:
    return next(_counter)


class Factory:
    """Builds committed records in its own session; attributes stay readable after commit."""

    def __init__(self, app, session: Session):
        self.app = app
        self.session = session

    def _save(self, obj):
        with self.app.app_context():
            self.session.add(obj)
            self.session.commit()
        return obj

    def fresh(self, model, record_id):
        """The record as the database holds it now."""
        self.session.expire_all()
        return self.session.get(model, record_id)

    def government(self, iso3: str | None = None, name: str | None = None, **kw) -> Government:
        n = _n()
        iso3 = iso3 or "Q" + chr(65 + n // 26 % 26) + chr(65 + n % 26)
        return self._save(Government(iso3=iso3, name=name or f"Government {iso3}", **kw))

    def organisation(self, name: str | None = None, **kw) -> Organisation:
        return self._save(Organisation(name=name or f"Organisation {_n()}", **kw))

    def chairmanship(self, label: str | None = None, chairs=(), **kw) -> Chairmanship:
        n = _n()
        # The counter runs across the whole suite; wrap it so dates stay within the calendar.
        kw.setdefault("starts_on", date(2013, 1, 1) + timedelta(days=400 * (n % 5000)))
        kw.setdefault("ends_on", kw["starts_on"] + timedelta(days=364))
        record = Chairmanship(label=label or f"GFMD test {n}", **kw)
        record.chairs = list(chairs)
        return self._save(record)

    def roundtable(self, chairmanship=None, number: str | None = None, co_chairs=(), **kw):
        record = Roundtable(
            chairmanship=chairmanship or self.chairmanship(),
            number=number or f"{_n()}.1",
            title=kw.pop("title", "Partnerships for migration and development"),
            **kw,
        )
        record.co_chairs = list(co_chairs)
        return self._save(record)

    def roundtable_member(self, roundtable, party) -> RoundtableMember:
        key = "government" if isinstance(party, Government) else "organisation"
        return self._save(RoundtableMember(roundtable=roundtable, **{key: party}))

    def team(self, lead=None, **kw) -> GovernmentTeam:
        kw.setdefault("name", f"Team {_n()}")
        kw.setdefault("policy_priority", "Labour mobility")
        kw.setdefault("first_year", 2014)
        return self._save(GovernmentTeam(lead_government=lead or self.government(), **kw))

    def team_membership(self, team, party, joined_year=2014, **kw) -> TeamMembership:
        key = "government" if isinstance(party, Government) else "organisation"
        return self._save(TeamMembership(team=team, joined_year=joined_year, **{key: party}, **kw))

    def work_plan(self, **kw) -> WorkPlan:
        kw.setdefault("title", f"Work plan {_n()}")
        kw.setdefault("first_year", 2013)
        kw.setdefault("last_year", 2015)
        return self._save(WorkPlan(**kw))

    def objective(self, work_plan=None, **kw) -> Objective:
        kw.setdefault("code", str(_n()))
        kw.setdefault("title", "Shared knowledge")
        return self._save(Objective(work_plan=work_plan or self.work_plan(), **kw))

    def indicator(self, objective=None, values: dict | None = None, **kw) -> Indicator:
        """An indicator of an objective, the cost of sending money home by default, with
        values by year."""
        kw.setdefault("name", "Average cost of sending USD 200")
        kw.setdefault("unit", "percent")
        kw.setdefault("direction", "down")
        kw.setdefault("baseline_value", Decimal("7.9"))
        kw.setdefault("baseline_year", 2014)
        kw.setdefault("target_value", Decimal("3"))
        kw.setdefault("target_year", 2030)
        indicator = Indicator(objective=objective or self.objective(), **kw)
        for year, value in (values or {}).items():
            indicator.values.append(
                IndicatorValue(year=year, value=Decimal(str(value)), source="World Bank")
            )
        return self._save(indicator)

    def commitment(self, owner, **kw) -> Commitment:
        """A commitment of a government (or an organisation), registered in 2029."""
        kw.setdefault("title", f"Commitment {_n()}")
        kw.setdefault("description", "What will be done.")
        kw.setdefault("registered_on", date(2029, 1, 15))
        kw.setdefault("due_on", date(2032, 1, 1))
        side = "government" if isinstance(owner, Government) else "organisation"
        return self._save(Commitment(**{side: owner}, **kw))

    def offer(self, government, **kw) -> Offer:
        """A government's pending offer: to co-chair `roundtable=`, join `team=`, or of a
        `theme=`."""
        kw.setdefault("reason", "We bring a ministry ready to lead.")
        if "roundtable" in kw:
            kw.setdefault("kind", "co_chair")
        elif "team" in kw:
            kw.setdefault("kind", "team")
        else:
            kw.setdefault("kind", "theme")
            kw.setdefault("theme", f"Theme proposed {_n()}")
        return self._save(Offer(government=government, **kw))

    def theme(self, name: str | None = None, **kw) -> Theme:
        return self._save(Theme(name=name or f"Theme {_n()}", **kw))

    def practice(
        self, state: str = "published", countries=(), themes=(), targets=(), **kw
    ) -> Practice:
        """A good practice, published by default, its search text written as the rules do."""
        kw.setdefault("title", f"Practice {_n()}")
        kw.setdefault("summary", "What was done, and what came of it.")
        kw.setdefault("year", 2015)
        if state == "published":
            kw.setdefault("published_at", datetime(2025, 1, 1, tzinfo=UTC))
        if state == "returned":
            kw.setdefault("review_comment", "Say what it cost.")
        practice = Practice(state=state, **kw)
        practice.countries = list(countries)
        practice.themes = list(themes)
        practice.sdg_targets = [PracticeTarget(target=code) for code in targets]
        practice.search_text = search_text(practice)
        return self._save(practice)

    def meeting(self, chairmanship=None, starts_at=None, hours: float = 3, **kw) -> Meeting:
        starts_at = starts_at or datetime(2030, 10, 21, 8, 0, tzinfo=UTC)
        kw.setdefault("kind", "steering_group")
        kw.setdefault("title", f"Steering Group meeting {_n()}")
        kw.setdefault("timezone", "Europe/Zurich")
        kw.setdefault("state", "published")
        kw.setdefault("city", "Geneva")
        return self._save(
            Meeting(
                chairmanship=chairmanship or self.chairmanship(),
                starts_at=starts_at,
                ends_at=kw.pop("ends_at", starts_at + timedelta(hours=hours)),
                **kw,
            )
        )

    def meeting_session(self, meeting, minutes: int = 60, **kw) -> MeetingSession:
        """A plenary at the start of the meeting."""
        kw.setdefault("kind", "plenary")
        kw.setdefault("title", f"Plenary {_n()}")
        kw.setdefault("room", "Main hall")
        starts_at = kw.pop("starts_at", meeting.starts_at)
        return self._save(
            MeetingSession(
                meeting=meeting,
                starts_at=starts_at,
                ends_at=starts_at + timedelta(minutes=minutes),
                **kw,
            )
        )

    def agenda_item(self, meeting, minutes: int = 30, **kw) -> AgendaItem:
        kw.setdefault("title", f"Item {_n()}")
        kw.setdefault("position", len(meeting.agenda_items))
        return self._save(AgendaItem(meeting=meeting, duration_minutes=minutes, **kw))

    def deliverable(self, responsible=(), owner=None, chairmanship=None, **kw) -> Deliverable:
        owner = owner or self.roundtable(chairmanship=chairmanship)
        chairmanship = (
            chairmanship or owner.chairmanship
            if isinstance(owner, Roundtable)
            else (chairmanship or self.chairmanship())
        )
        key = "roundtable" if isinstance(owner, Roundtable) else "team"
        kw.setdefault("title", f"Background paper {_n()}")
        kw.setdefault("due_on", date(2030, 6, 30))
        record = Deliverable(chairmanship=chairmanship, **{key: owner}, **kw)
        record.responsible_governments = list(responsible)
        return self._save(record)

    def progress_update(self, deliverable, user=None, **kw) -> ProgressUpdate:
        kw.setdefault("new_status", "in_progress")
        kw.setdefault("new_percent", 10)
        return self._save(ProgressUpdate(deliverable=deliverable, user=user, **kw))

    def pledge(self, donor=None, chairmanship=None, amount="100000.00", **kw) -> Pledge:
        donor = donor or self.government()
        key = "donor_government" if isinstance(donor, Government) else "donor_organisation"
        kw.setdefault("currency", "USD")
        kw.setdefault("pledged_on", date(2014, 10, 22))
        return self._save(
            Pledge(
                chairmanship=chairmanship or self.chairmanship(),
                amount=Decimal(amount),
                **{key: donor},
                **kw,
            )
        )

    def payment(self, pledge, amount="1000.00", **kw) -> Payment:
        kw.setdefault("received_on", date(2015, 1, 15))
        return self._save(Payment(pledge=pledge, amount=Decimal(amount), **kw))

    def exchange_rate(self, currency="EUR", month=date(2024, 1, 1), rate="1.10", **kw):
        kw.setdefault("source", "Test rate")
        return self._save(ExchangeRate(currency=currency, month=month, rate=Decimal(rate), **kw))

    def instalment(self, pledge, due_on, amount="1000.00") -> Instalment:
        return self._save(Instalment(pledge=pledge, due_on=due_on, amount=Decimal(amount)))

    def budget_line(self, chairmanship, name=None, amount="100000.00", **kw) -> BudgetLine:
        return self._save(
            BudgetLine(
                chairmanship=chairmanship,
                name=name or f"Line {_n()}",
                amount=Decimal(amount),
                **kw,
            )
        )

    def document(self, shelf, data: bytes, access: str = "public", language: str = "en", **kw):
        """A document on a shelf with one file, whose bytes are in the app's storage."""
        kw.setdefault("kind", "concept_note")
        kw.setdefault("title", f"Concept note {_n()}")
        column = {"Meeting": "meeting", "Roundtable": "roundtable", "GovernmentTeam": "team"}
        file_type = identify(data)
        with self.app.app_context():
            storage().put(content_key(data), data, file_type.mime)
        document = Document(access=access, **{column[type(shelf).__name__]: shelf}, **kw)
        document.files.append(
            DocumentFile(
                language=language,
                number=1,
                filename=f"{kw['title']}.{file_type.extension}",
                content_type=file_type.mime,
                size_bytes=len(data),
                sha256=content_key(data).split("/")[1],
            )
        )
        return self._save(document)

    def user(self, role: str = "member", government=None, password: str | None = PASSWORD, **kw):
        kw.setdefault("email", f"person{_n()}@example.org")
        kw.setdefault("name", f"Person {_n()}")
        if role == "focal_point" and government is None:
            government = self.government()
        with self.app.app_context():
            password_hash = accounts.hasher().hash(password) if password else None
        return self._save(User(role=role, government=government, password_hash=password_hash, **kw))
