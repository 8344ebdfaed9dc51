"""Synthetic data for benchmarks: N chairmanships' worth of records, written by bulk inserts.

One unit of scale is about one real chairmanship: 12 roundtables, 40 meetings with agendas,
60 deliverables with their histories, 50 pledges with payments and 300 accounts. The
governments (every ISO country) are shared by all units. Rows go in through Core inserts,
which skip the ORM's audit hook on purpose: nobody did these things, a generator did.
"""

import random
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import insert, select

from workplan.extensions import db
from workplan.models import (
    PRACTICE_STATES,
    AgendaItem,
    Chairmanship,
    Deliverable,
    Government,
    GovernmentTeam,
    Meeting,
    Objective,
    Organisation,
    Payment,
    Pledge,
    Practice,
    ProgressUpdate,
    Roundtable,
    RoundtableMember,
    TeamMembership,
    Theme,
    User,
    WorkPlan,
    chairmanship_chairs,
    deliverable_governments,
    roundtable_co_chairs,
    utcnow,
)
from workplan.models.practice import practice_countries, practice_themes
from workplan.seed.demo import DEMO, countries, rate_to_base
from workplan.services import accounts
from workplan.services.practice_search import fold

EMAIL_DOMAIN = "synthetic.gfmd.example"
ROUNDTABLES = 12
MEETINGS = 40
AGENDA_ITEMS = 4
DELIVERABLES = 60
UPDATES = 3
PLEDGES = 50
USERS = {"secretariat": 10, "focal_point": 190, "member": 100}
ORGANISATIONS = 5
PRACTICES = 30
THEMES = 12
# Words practices are written with, in the forum's three languages, so that searches at scale
# meet texts like the real ones.
PRACTICE_WORDS = (
    ("remittances", "envois de fonds", "remesas"),
    ("migrant workers", "travailleurs migrants", "trabajadores migrantes"),
    ("recruitment", "recrutement", "contratación"),
    ("diaspora", "diaspora", "diáspora"),
    ("skills", "compétences", "competencias"),
    ("integration", "intégration", "integración"),
    ("climate", "climat", "clima"),
    ("return", "retour", "retorno"),
    ("labour mobility", "mobilité de la main-d’œuvre", "movilidad laboral"),
    ("children", "enfants", "niños"),
)
TEAMS = 3
TEAM_MEMBERS = 6

VENUES = (
    ("Geneva", "Europe/Zurich"),
    ("Istanbul", "Europe/Istanbul"),
    ("Dhaka", "Asia/Dhaka"),
    ("New York", "America/New_York"),
    ("Rabat", "Africa/Casablanca"),
    ("Stockholm", "Europe/Stockholm"),
    ("Manila", "Asia/Manila"),
    ("Nairobi", "Africa/Nairobi"),
    ("Mexico City", "America/Mexico_City"),
    ("Quito", "America/Guayaquil"),
)
# Kinds of a chairmanship's 40 meetings: sessions and preparatory meetings of each roundtable,
# the governing bodies, and the summit with its civil society days.
MEETING_KINDS = (
    ["roundtable_session"] * 12
    + ["preparatory"] * 12
    + ["steering_group"] * 5
    + ["friends_of_the_forum"] * 4
    + ["troika"] * 3
    + ["other"] * 2
    + ["summit", "civil_society_days"]
)
AGENDA = (
    "Opening and adoption of the agenda",
    "Report of the co-chairs",
    "Discussion",
    "Conclusions and next steps",
)
CURRENCIES = ("USD", "USD", "EUR", "EUR", "CHF", "SEK", "TRY", "KES")
ORGANISATION_KINDS = ("observer", "un_agency", "regional_body", "foundation", "civil_society")


@dataclass
class SyntheticResult:
    """What generate-data wrote: rows per table, the shared password, an account per role."""

    password: str
    counts: dict[str, int] = field(default_factory=dict)
    sample_accounts: dict[str, str] = field(default_factory=dict)


def generate(
    scale: int,
    seed: int = 1,
    password: str | None = None,
    today: date | None = None,
    progress: Callable[[int], None] | None = None,
) -> SyntheticResult:
    """Insert `scale` synthetic chairmanships with everything that hangs from them; no commit."""
    password = password if password is not None else secrets.token_urlsafe(12)
    accounts.check_password_strength(password)
    generator = _Generator(seed, password, today or utcnow().date())
    generator.governments()
    # Consecutive calendar years ending with the current one (never before 2001, so the work
    # plans stay in the years the schema accepts); longer runs reach into the future.
    first_year = max(2001, generator.today.year - scale + 1)
    for unit in range(scale):
        generator.chairmanship(first_year + unit, last=unit == scale - 1)
        if progress:
            progress(1)
    return SyntheticResult(
        password=password, counts=generator.counts, sample_accounts=generator.samples
    )


def _insert(model, rows: list[dict]) -> list[int]:
    """Bulk-insert rows of a model and return their new ids, in the order given."""
    if not rows:
        return []
    statement = insert(model).returning(model.id, sort_by_parameter_order=True)
    return list(db.session.scalars(statement, rows))


class _Generator:
    """Makes one chairmanship's worth of rows at a time, from one seeded random source."""

    def __init__(self, seed: int, password: str, today: date):
        self.rng = random.Random(seed)
        self.practice_rng = random.Random(f"practices-{seed}")
        self.today = today
        self.now = utcnow()
        self.password_hash = accounts.hasher().hash(password)
        self.counts: dict[str, int] = {}
        self.samples: dict[str, str] = {}
        self.government_ids: list[int] = []
        self.organisation_ids: list[int] = []
        self.user_number = 0
        self.organisation_number = 0
        self.theme_ids: list[int] = []
        # Deliverables carried over from the previous chairmanship, waiting for a successor.
        self.carried: list[dict] = []

    def add(self, model, rows: list[dict]) -> list[int]:
        """Insert rows of a model, count them, and return their ids."""
        self.counts[model.__tablename__] = self.counts.get(model.__tablename__, 0) + len(rows)
        return _insert(model, rows)

    def link(self, table, rows: list[dict]) -> None:
        """Insert rows of an association table and count them."""
        if rows:
            self.counts[table.name] = self.counts.get(table.name, 0) + len(rows)
            db.session.execute(insert(table), rows)

    def stamped(self, **values) -> dict:
        """A row with its creation and change times."""
        return {"created_at": self.now, "updated_at": self.now, **values}

    def governments(self) -> None:
        """Every ISO country once, shared by all chairmanships; existing ones are kept."""
        existing = dict(db.session.execute(select(Government.iso3, Government.id)).all())
        missing = [
            self.stamped(iso3=iso3, name=name) for iso3, name in countries() if iso3 not in existing
        ]
        self.add(Government, missing)
        self.government_ids = [
            row.id for row in db.session.execute(select(Government.id).order_by(Government.iso3))
        ]

    def some_governments(self, count: int) -> list[int]:
        """Distinct governments, drawn at random."""
        return self.rng.sample(self.government_ids, count)

    def instant(self, day: date, hour: int, minute: int, zone: str) -> datetime:
        """A venue's local time as a UTC instant."""
        return datetime.combine(day, time(hour, minute), tzinfo=ZoneInfo(zone)).astimezone(UTC)

    def chairmanship(self, year: int, last: bool) -> None:
        """One chairmanship-year with its roundtables, meetings, work, money and people."""
        rng = self.rng
        starts, ends = date(year, 1, 1), date(year, 12, 31)
        summit = date(year, 10, 1) + timedelta(days=rng.randrange(50))
        city = rng.choice(VENUES)[0]
        [chairmanship_id] = self.add(
            Chairmanship,
            [
                self.stamped(
                    label=f"Synthetic {year}{DEMO}",
                    theme=f"Synthetic theme {year}{DEMO}",
                    starts_on=starts,
                    ends_on=ends,
                    summit_city=city,
                    summit_starts_on=summit,
                    summit_ends_on=summit + timedelta(days=2),
                    opening_balance=Decimal(rng.randrange(0, 200) * 1000),
                    is_demo=True,
                )
            ],
        )
        self.link(
            chairmanship_chairs,
            [
                {"chairmanship_id": chairmanship_id, "government_id": g}
                for g in self.some_governments(rng.choice((1, 1, 2)))
            ],
        )
        objective_ids = self.work_plan(year)
        self.organisations()
        team_ids = self.teams(year)
        roundtable_ids = self.roundtables(chairmanship_id, year)
        self.meetings(chairmanship_id, year, summit, roundtable_ids, team_ids)
        self.deliverables(
            chairmanship_id, starts, ends, last, roundtable_ids, team_ids, objective_ids
        )
        self.pledges(chairmanship_id, starts, roundtable_ids)
        self.practices(year)
        self.users()

    def work_plan(self, year: int) -> list[int]:
        """A three-year work plan starting this year, with four objectives."""
        first = min(year, 2100)
        [plan_id] = self.add(
            WorkPlan,
            [
                self.stamped(
                    title=f"Synthetic work plan {year}{DEMO}",
                    first_year=first,
                    last_year=first + 2,
                    description="Synthetic.",
                    is_demo=True,
                )
            ],
        )
        return self.add(
            Objective,
            [
                self.stamped(
                    work_plan_id=plan_id,
                    code=str(n),
                    title=f"Synthetic objective {n}{DEMO}",
                    description=None,
                    is_demo=True,
                )
                for n in range(1, 5)
            ],
        )

    def practices(self, year: int) -> None:
        """Good practices: most published, in three languages, with countries and themes.

        Drawn from a random source of their own, so that adding them left every other record
        of a seed's data set as it was."""
        rng = self.practice_rng
        if not self.theme_ids:
            self.theme_ids = self.add(
                Theme,
                [
                    self.stamped(name=f"Synthetic theme {n}{DEMO}", is_demo=True)
                    for n in range(1, THEMES + 1)
                ],
            )
        rows = []
        for n in range(PRACTICES):
            subject, other = rng.sample(PRACTICE_WORDS, 2)
            title = f"Practice {year}-{n} on {subject[0]} and {other[0]}{DEMO}"
            title_fr = f"Pratique {year}-{n} : {subject[1]} et {other[1]}{DEMO}"
            title_es = f"Práctica {year}-{n}: {subject[2]} y {other[2]}{DEMO}"
            summary = f"What was done on {subject[0]}, with whom, and what came of it."
            state = "published" if rng.random() < 0.8 else rng.choice(PRACTICE_STATES)
            rows.append(
                self.stamped(
                    title=title,
                    title_fr=title_fr,
                    title_es=title_es,
                    summary=summary,
                    year=min(year, 2100),
                    state=state,
                    review_comment="Say what it cost." if state == "returned" else None,
                    government_id=rng.choice(self.government_ids),
                    published_at=self.now if state == "published" else None,
                    search_text=fold(" ".join((title, title_fr, title_es, summary))),
                    is_demo=True,
                )
            )
        ids = self.add(Practice, rows)
        self.link(
            practice_countries,
            [
                {"practice_id": p, "government_id": g}
                for p in ids
                for g in rng.sample(self.government_ids, rng.choice((1, 1, 2, 3)))
            ],
        )
        self.link(
            practice_themes,
            [{"practice_id": p, "theme_id": rng.choice(self.theme_ids)} for p in ids],
        )

    def organisations(self) -> None:
        """A few observer organisations and donors per chairmanship."""
        rows = []
        for _ in range(ORGANISATIONS):
            self.organisation_number += 1
            rows.append(
                self.stamped(
                    name=f"Synthetic organisation {self.organisation_number}{DEMO}",
                    acronym=f"SO{self.organisation_number}",
                    kind=self.rng.choice(ORGANISATION_KINDS),
                    description=None,
                    is_demo=True,
                )
            )
        self.organisation_ids += self.add(Organisation, rows)

    def teams(self, year: int) -> list[int]:
        """Government teams founded this year, with members joining and leaving."""
        rng = self.rng
        leads = self.some_governments(TEAMS)
        team_ids = self.add(
            GovernmentTeam,
            [
                self.stamped(
                    name=f"Synthetic team {year}-{n}{DEMO}",
                    policy_priority=f"Synthetic policy priority {n}{DEMO}",
                    lead_government_id=lead,
                    first_year=year,
                    last_year=rng.choice((None, year + 2)),
                    is_demo=True,
                )
                for n, lead in enumerate(leads, start=1)
            ],
        )
        rows = []
        for team_id in team_ids:
            for government_id in self.some_governments(TEAM_MEMBERS):
                rows.append(
                    self.stamped(
                        team_id=team_id,
                        government_id=government_id,
                        organisation_id=None,
                        joined_year=year,
                        left_year=rng.choice((None, None, year + 1)),
                    )
                )
        self.add(TeamMembership, rows)
        return team_ids

    def roundtables(self, chairmanship_id: int, year: int) -> list[int]:
        """Twelve roundtables in four clusters, each with co-chairs, members and partners."""
        rng = self.rng
        numbers = [f"{cluster}.{session}" for cluster in range(1, 5) for session in range(1, 4)]
        ids = self.add(
            Roundtable,
            [
                self.stamped(
                    chairmanship_id=chairmanship_id,
                    number=number,
                    title=f"Synthetic roundtable {number} of {year}{DEMO}",
                    cluster_title=f"Synthetic cluster {number[0]}{DEMO}",
                    background_paper_url=None,
                    description=None,
                    is_demo=True,
                )
                for number in numbers[:ROUNDTABLES]
            ],
        )
        co_chairs, members = [], []
        for roundtable_id in ids:
            governments = self.some_governments(9)
            count = rng.choice((2, 2, 3))
            co_chairs += [
                {"roundtable_id": roundtable_id, "government_id": g} for g in governments[:count]
            ]
            members += [
                self.stamped(roundtable_id=roundtable_id, government_id=g, organisation_id=None)
                for g in governments[count : count + 6]
            ]
            members += [
                self.stamped(roundtable_id=roundtable_id, government_id=None, organisation_id=o)
                for o in rng.sample(self.organisation_ids, 2)
            ]
        self.link(roundtable_co_chairs, co_chairs)
        self.add(RoundtableMember, members)
        return ids

    def meetings(self, chairmanship_id, year, summit, roundtable_ids, team_ids) -> None:
        """Forty meetings through the year in many time zones, each with a four-item agenda."""
        rng = self.rng
        rows = []
        for n, kind in enumerate(MEETING_KINDS[:MEETINGS]):
            city, zone = rng.choice(VENUES)
            day = date(year, 1, 10) + timedelta(days=rng.randrange(340))
            roundtable_id = team_id = None
            if kind in ("roundtable_session", "preparatory"):
                roundtable_id = roundtable_ids[n % len(roundtable_ids)]
            elif kind == "other":
                team_id = rng.choice(team_ids)
            if kind in ("summit", "civil_society_days", "roundtable_session"):
                day = summit
            starts_at = self.instant(day, rng.choice((9, 10, 14)), rng.choice((0, 30)), zone)
            state = rng.choices(("published", "draft", "cancelled"), (85, 10, 5))[0]
            rows.append(
                self.stamped(
                    chairmanship_id=chairmanship_id,
                    roundtable_id=roundtable_id,
                    team_id=team_id,
                    kind=kind,
                    title=f"Synthetic {kind.replace('_', ' ')} {year}-{n + 1}{DEMO}",
                    description=None,
                    starts_at=starts_at,
                    ends_at=starts_at + timedelta(hours=3),
                    timezone=zone,
                    venue=None,
                    city=city,
                    online_url=None,
                    state=state,
                    sequence=0,
                    version=1,
                    is_demo=True,
                )
            )
        meeting_ids = self.add(Meeting, rows)
        self.add(
            AgendaItem,
            [
                self.stamped(
                    meeting_id=meeting_id,
                    position=position,
                    title=f"{title}{DEMO}",
                    duration_minutes=(15, 60, 75, 30)[position],
                    speakers=None,
                    notes=None,
                    links=None,
                    version=1,
                )
                for meeting_id in meeting_ids
                for position, title in enumerate(AGENDA[:AGENDA_ITEMS])
            ],
        )

    def status(self, starts: date, ends: date, last: bool) -> tuple[str, int]:
        """A plausible status and percent for a deliverable of a past, current or coming term."""
        rng = self.rng
        if ends < self.today:
            weights = {"completed": 70, "dropped": 10, "carried_over": 0 if last else 20}
        elif starts > self.today:
            weights = {"planned": 85, "in_progress": 15}
        else:
            weights = {"planned": 20, "in_progress": 35, "at_risk": 15, "completed": 20}
            weights |= {"dropped": 5, "carried_over": 0 if last else 5}
        status = rng.choices(list(weights), list(weights.values()))[0]
        percent = {"planned": 0, "completed": 100}.get(status, rng.randrange(5, 95, 5))
        return status, percent

    def deliverables(
        self, chairmanship_id, starts, ends, last, roundtable_ids, team_ids, objective_ids
    ) -> None:
        """Sixty deliverables, successors of last term's carried-over work first, with history."""
        rng = self.rng
        rows, responsible, plans = [], [], []
        carried, self.carried = self.carried, []
        for n in range(DELIVERABLES):
            predecessor = carried[n] if n < len(carried) else None
            status, percent = self.status(starts, ends, last)
            on_team = n % 5 == 4
            rows.append(
                self.stamped(
                    chairmanship_id=chairmanship_id,
                    objective_id=rng.choice(objective_ids),
                    roundtable_id=None if on_team else rng.choice(roundtable_ids),
                    team_id=rng.choice(team_ids) if on_team else None,
                    predecessor_id=predecessor["id"] if predecessor else None,
                    title=(
                        predecessor["title"]
                        if predecessor
                        else f"Synthetic deliverable {starts.year}-{n + 1}{DEMO}"
                    ),
                    description=None,
                    due_on=starts + timedelta(days=rng.randrange(30, 360)),
                    status=status,
                    percent_complete=percent,
                    version=1,
                    is_demo=True,
                )
            )
            governments = (
                predecessor["governments"]
                if predecessor
                else self.some_governments(rng.choice((1, 1, 2)))
            )
            responsible.append(governments)
            plans.append((status, percent))
        ids = self.add(Deliverable, rows)
        self.link(
            deliverable_governments,
            [
                {"deliverable_id": d, "government_id": g}
                for d, governments in zip(ids, responsible, strict=True)
                for g in governments
            ],
        )
        updates = []
        for deliverable_id, row, (status, percent), governments in zip(
            ids, rows, plans, responsible, strict=True
        ):
            if status == "carried_over":
                self.carried.append(
                    {"id": deliverable_id, "title": row["title"], "governments": governments}
                )
            steps = [("planned", 0), ("in_progress", max(0, percent - 20)), (status, percent)]
            if status == "planned":
                steps = [("planned", 0)] * UPDATES
            first = datetime.combine(starts, time(9), tzinfo=UTC) + timedelta(days=7)
            previous = (None, None)
            for step, (new_status, new_percent) in enumerate(steps[:UPDATES]):
                updates.append(
                    {
                        "deliverable_id": deliverable_id,
                        "user_id": None,
                        "created_at": min(first + timedelta(days=60 * step), self.now),
                        "old_status": previous[0],
                        "new_status": new_status,
                        "old_percent": previous[1],
                        "new_percent": new_percent,
                        "comment": f"Synthetic update {step + 1}.",
                    }
                )
                previous = (new_status, new_percent)
        self.add(ProgressUpdate, updates)

    def pledges(self, chairmanship_id, starts, roundtable_ids) -> None:
        """Fifty pledges from governments and organisations, most committed, many paid."""
        rng = self.rng
        rows, paid = [], []
        for n in range(PLEDGES):
            currency = rng.choice(CURRENCIES)
            amount = Decimal(rng.randrange(5, 500) * 1000)
            on_organisation = rng.random() < 0.2
            in_kind = rng.random() < 0.15
            earmark = rng.choices(("general", "roundtable", "activity"), (50, 30, 20))[0]
            pledged_on = starts + timedelta(days=rng.randrange(200))
            committed = rng.random() < 0.7
            rows.append(
                self.stamped(
                    chairmanship_id=chairmanship_id,
                    donor_government_id=(
                        None if on_organisation else rng.choice(self.government_ids)
                    ),
                    donor_organisation_id=(
                        rng.choice(self.organisation_ids) if on_organisation else None
                    ),
                    amount=amount,
                    currency=currency,
                    kind="in_kind" if in_kind else "cash",
                    in_kind_description=f"Synthetic service {n + 1}{DEMO}" if in_kind else None,
                    earmark=earmark,
                    earmark_roundtable_id=(
                        rng.choice(roundtable_ids) if earmark == "roundtable" else None
                    ),
                    earmark_activity=f"Synthetic activity{DEMO}" if earmark == "activity" else None,
                    pledged_on=pledged_on,
                    status="committed" if committed else "pledged",
                    committed_on=pledged_on + timedelta(days=30) if committed else None,
                    rate_to_base=rate_to_base(currency, "now"),
                    notes=None,
                    version=1,
                    is_demo=True,
                )
            )
            # Shares of the amount received: nothing yet, part, all in one or two, or too much.
            shares = rng.choice(((), ("0.5",), ("1",), ("0.5", "0.5"), ("0.6", "0.5")))
            paid.append(shares if committed else ())
        ids = self.add(Pledge, rows)
        payments = []
        for pledge_id, row, shares in zip(ids, rows, paid, strict=True):
            for k, share in enumerate(shares, start=1):
                payments.append(
                    self.stamped(
                        pledge_id=pledge_id,
                        amount=(row["amount"] * Decimal(share)).quantize(Decimal("0.01")),
                        received_on=row["committed_on"] + timedelta(days=30 * k),
                        rate_to_base=row["rate_to_base"],
                        reference=f"Synthetic transfer {k}",
                        recorded_at=self.now,
                    )
                )
        self.add(Payment, payments)

    def users(self) -> None:
        """Three hundred accounts sharing one password hash: hashing each would take minutes."""
        rows = []
        for role, count in USERS.items():
            for _ in range(count):
                self.user_number += 1
                email = f"{role.replace('_', '.')}.{self.user_number}@{EMAIL_DOMAIN}"
                self.samples.setdefault(role, email)
                rows.append(
                    self.stamped(
                        email=email,
                        name=f"Synthetic person {self.user_number}{DEMO}",
                        role=role,
                        government_id=(
                            self.rng.choice(self.government_ids) if role == "focal_point" else None
                        ),
                        password_hash=self.password_hash,
                        active=True,
                        locale=None,
                        timezone=None,
                        totp_secret=None,
                        last_login_at=None,
                        is_demo=True,
                    )
                )
        self.add(User, rows)
