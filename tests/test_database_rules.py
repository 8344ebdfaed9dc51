"""The database itself refuses what must never be true, on SQLite and PostgreSQL alike.

Each case first inserts a valid row (so the test can fail), rolls it back, then inserts the same
row with one value broken and expects the database to refuse it.
"""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError

from workplan.models import (
    AccountLink,
    AgendaItem,
    AuditEvent,
    CalendarFollow,
    CalendarToken,
    Chairmanship,
    Deliverable,
    Government,
    GovernmentTeam,
    Meeting,
    Objective,
    Organisation,
    Payment,
    Pledge,
    ProgressUpdate,
    ReminderLog,
    Roundtable,
    RoundtableMember,
    TeamMembership,
    User,
    WorkPlan,
    chairmanship_chairs,
    deliverable_governments,
    roundtable_co_chairs,
)

NOW = datetime(2030, 5, 1, 9, 0, tzinfo=UTC)
MISSING = 987654


@pytest.fixture
def world(make):
    """Parent records the cases point at."""
    government = make.government(iso3="SWE", name="Sweden")
    chairmanship = make.chairmanship(label="GFMD 2013-2014")
    roundtable = make.roundtable(chairmanship=chairmanship, number="1.1")
    team = make.team(lead=government)
    meeting = make.meeting(chairmanship=chairmanship)
    deliverable = make.deliverable(owner=roundtable, chairmanship=chairmanship)
    pledge = make.pledge(donor=government, chairmanship=chairmanship)
    user = make.user(role="member", email="member@example.org")
    work_plan = make.work_plan(title="Multiannual work plan 2013-2015")
    organisation = make.organisation(name="IOM")
    return {
        "government": government.id,
        "chairmanship": chairmanship.id,
        "roundtable": roundtable.id,
        "team": team.id,
        "meeting": meeting.id,
        "deliverable": deliverable.id,
        "pledge": pledge.id,
        "user": user.id,
        "work_plan": work_plan.id,
        "organisation": organisation.id,
    }


def stamps(**row):
    return {"created_at": NOW, "updated_at": NOW, **row}


def valid_rows(w):
    """A valid row for each table, built from the parent records."""
    return {
        "government": (Government, stamps(iso3="NOR", name="Norway")),
        "organisation": (Organisation, stamps(name="ILO", kind="un_agency")),
        "chairmanship": (
            Chairmanship,
            stamps(
                label="GFMD 2016",
                starts_on=date(2016, 1, 1),
                ends_on=date(2016, 12, 31),
                summit_starts_on=date(2016, 12, 10),
                summit_ends_on=date(2016, 12, 12),
                opening_balance=Decimal("0"),
            ),
        ),
        "chair": (
            chairmanship_chairs,
            {"chairmanship_id": w["chairmanship"], "government_id": w["government"]},
        ),
        "work_plan": (WorkPlan, stamps(title="Plan 2016-2018", first_year=2016, last_year=2018)),
        "objective": (Objective, stamps(work_plan_id=w["work_plan"], code="A", title="Knowledge")),
        "roundtable": (
            Roundtable,
            stamps(chairmanship_id=w["chairmanship"], number="2.1", title="Labour mobility"),
        ),
        "co_chair": (
            roundtable_co_chairs,
            {"roundtable_id": w["roundtable"], "government_id": w["government"]},
        ),
        "rt_member": (
            RoundtableMember,
            stamps(roundtable_id=w["roundtable"], government_id=w["government"]),
        ),
        "team": (
            GovernmentTeam,
            stamps(
                name="Diaspora",
                policy_priority="Diaspora engagement",
                lead_government_id=w["government"],
                first_year=2014,
                last_year=2016,
            ),
        ),
        "team_member": (
            TeamMembership,
            stamps(team_id=w["team"], government_id=w["government"], joined_year=2014),
        ),
        "meeting": (
            Meeting,
            stamps(
                chairmanship_id=w["chairmanship"],
                kind="troika",
                title="Troika",
                starts_at=NOW,
                ends_at=datetime(2030, 5, 1, 11, 0, tzinfo=UTC),
                timezone="Europe/Zurich",
                state="draft",
                sequence=0,
                version=1,
            ),
        ),
        "agenda_item": (
            AgendaItem,
            stamps(
                meeting_id=w["meeting"], position=0, title="Welcome", duration_minutes=15, version=1
            ),
        ),
        "deliverable": (
            Deliverable,
            stamps(
                chairmanship_id=w["chairmanship"],
                roundtable_id=w["roundtable"],
                title="Report",
                due_on=date(2030, 1, 1),
                status="in_progress",
                percent_complete=50,
                version=1,
            ),
        ),
        "responsible": (
            deliverable_governments,
            {"deliverable_id": w["deliverable"], "government_id": w["government"]},
        ),
        "progress": (
            ProgressUpdate,
            {
                "deliverable_id": w["deliverable"],
                "created_at": NOW,
                "new_status": "at_risk",
                "new_percent": 20,
                "old_status": "planned",
                "old_percent": 0,
            },
        ),
        "pledge": (
            Pledge,
            stamps(
                chairmanship_id=w["chairmanship"],
                donor_government_id=w["government"],
                amount=Decimal("1000"),
                currency="EUR",
                kind="cash",
                earmark="general",
                pledged_on=date(2014, 1, 1),
                status="pledged",
                version=1,
            ),
        ),
        "payment": (
            Payment,
            stamps(
                pledge_id=w["pledge"],
                amount=Decimal("10"),
                received_on=date(2014, 2, 1),
                recorded_at=NOW,
            ),
        ),
        "user": (User, stamps(email="new@example.org", name="New", role="member", active=True)),
        "calendar_token": (
            CalendarToken,
            {"user_id": w["user"], "label": "Phone", "token_hash": "a" * 64, "created_at": NOW},
        ),
        "follow": (CalendarFollow, {"user_id": w["user"], "meeting_kind": "summit"}),
        "reminder": (
            ReminderLog,
            {"user_id": w["user"], "sent_on": date(2030, 1, 1), "sent_at": NOW},
        ),
        "link": (
            AccountLink,
            {
                "user_id": w["user"],
                "purpose": "invite",
                "token_hash": "b" * 64,
                "created_at": NOW,
                "expires_at": NOW,
            },
        ),
        "audit": (
            AuditEvent,
            {
                "at": NOW,
                "actor": "test",
                "action": "update",
                "record_type": "Meeting",
                "record_id": 1,
            },
        ),
    }


# (case, table, broken values); a string naming a world record stands for its id.
CASES = [
    ("government iso3 unique", "government", {"iso3": "SWE"}),
    ("government iso3 three letters", "government", {"iso3": "NO"}),
    ("government iso3 upper case", "government", {"iso3": "nor"}),
    ("government iso3 letters", "government", {"iso3": "123"}),
    ("government name required", "government", {"name": None}),
    ("organisation name unique", "organisation", {"name": "IOM"}),
    ("organisation kind known", "organisation", {"kind": "club"}),
    ("chairmanship ends after start", "chairmanship", {"ends_on": date(2015, 12, 31)}),
    ("chairmanship ends not on start", "chairmanship", {"ends_on": date(2016, 1, 1)}),
    ("chairmanship label unique", "chairmanship", {"label": "GFMD 2013-2014"}),
    ("summit ends after start", "chairmanship", {"summit_ends_on": date(2016, 12, 1)}),
    ("opening balance not negative", "chairmanship", {"opening_balance": Decimal("-1")}),
    ("chair is a government", "chair", {"government_id": MISSING}),
    ("work plan years in order", "work_plan", {"last_year": 2015}),
    ("work plan year plausible", "work_plan", {"first_year": 1900, "last_year": 1901}),
    ("objective code unique per plan", "objective", {}),
    ("objective work plan exists", "objective", {"work_plan_id": MISSING}),
    ("roundtable number unique per chairmanship", "roundtable", {"number": "1.1"}),
    ("roundtable chairmanship exists", "roundtable", {"chairmanship_id": MISSING}),
    ("co-chair is a government", "co_chair", {"government_id": MISSING}),
    ("roundtable member is someone", "rt_member", {"government_id": None}),
    ("roundtable member is one party", "rt_member", {"organisation_id": "organisation"}),
    ("team years in order", "team", {"last_year": 2013}),
    ("team lead is a government", "team", {"lead_government_id": MISSING}),
    ("team name unique", "team", {}),
    ("team member years in order", "team_member", {"left_year": 2013}),
    ("team member is one party", "team_member", {"government_id": None}),
    ("meeting kind known", "meeting", {"kind": "party"}),
    ("meeting state known", "meeting", {"state": "postponed"}),
    ("meeting ends after start", "meeting", {"ends_at": datetime(2030, 5, 1, 8, tzinfo=UTC)}),
    ("meeting zone named", "meeting", {"timezone": ""}),
    ("meeting sequence not negative", "meeting", {"sequence": -1}),
    ("meeting chairmanship exists", "meeting", {"chairmanship_id": MISSING}),
    ("agenda duration positive", "agenda_item", {"duration_minutes": 0}),
    ("agenda duration not negative", "agenda_item", {"duration_minutes": -15}),
    ("agenda position not negative", "agenda_item", {"position": -1}),
    ("agenda meeting exists", "agenda_item", {"meeting_id": MISSING}),
    ("deliverable status known", "deliverable", {"status": "done"}),
    ("deliverable percent at most 100", "deliverable", {"percent_complete": 101}),
    ("deliverable percent at least 0", "deliverable", {"percent_complete": -1}),
    ("completed means 100", "deliverable", {"status": "completed", "percent_complete": 90}),
    ("deliverable has an owner", "deliverable", {"roundtable_id": None}),
    ("deliverable has one owner", "deliverable", {"team_id": "team"}),
    ("deliverable successor unique", "deliverable", {}),
    ("responsible is a government", "responsible", {"government_id": MISSING}),
    ("progress status known", "progress", {"new_status": "finished"}),
    ("progress percent in range", "progress", {"new_percent": 150}),
    ("progress old percent in range", "progress", {"old_percent": -5}),
    ("pledge amount positive", "pledge", {"amount": Decimal("0")}),
    ("pledge amount not negative", "pledge", {"amount": Decimal("-5")}),
    ("pledge currency three letters", "pledge", {"currency": "EU"}),
    ("pledge currency upper case", "pledge", {"currency": "eur"}),
    ("pledge currency letters", "pledge", {"currency": "123"}),
    ("pledge kind known", "pledge", {"kind": "loan"}),
    ("in-kind pledge described", "pledge", {"kind": "in_kind"}),
    ("pledge status known", "pledge", {"status": "promised"}),
    ("pledge earmark known", "pledge", {"earmark": "other"}),
    ("roundtable earmark names one", "pledge", {"earmark": "roundtable"}),
    ("general earmark names no roundtable", "pledge", {"earmark_roundtable_id": "roundtable"}),
    ("activity earmark named", "pledge", {"earmark": "activity"}),
    ("commitment dated", "pledge", {"status": "committed"}),
    ("pledge rate positive", "pledge", {"rate_to_base": Decimal("0")}),
    ("pledge has a donor", "pledge", {"donor_government_id": None}),
    ("pledge has one donor", "pledge", {"donor_organisation_id": "organisation"}),
    ("payment amount positive", "payment", {"amount": Decimal("0")}),
    ("payment pledge exists", "payment", {"pledge_id": MISSING}),
    ("user email unique", "user", {"email": "member@example.org"}),
    ("user email lower case", "user", {"email": "New@Example.org"}),
    ("user role known", "user", {"role": "admin"}),
    ("focal point has a government", "user", {"role": "focal_point"}),
    ("only focal points have a government", "user", {"government_id": "government"}),
    ("calendar token label present", "calendar_token", {"label": ""}),
    ("calendar follow has a target", "follow", {"meeting_kind": None}),
    ("calendar follow one target", "follow", {"team_id": "team"}),
    ("calendar follow kind known", "follow", {"meeting_kind": "party"}),
    ("reminder once a day", "reminder", {}),
    ("link purpose known", "link", {"purpose": "login"}),
    ("audit action known", "audit", {"action": "read"}),
]


# Uniqueness cases whose first copy is inserted by the test itself.
TWICE = {
    "team name unique",
    "objective code unique per plan",
    "deliverable successor unique",
    "reminder once a day",
}


def _resolve(values: dict, world: dict) -> dict:
    return {
        key: (world[value] if isinstance(value, str) and value in world else value)
        for key, value in values.items()
    }


@pytest.mark.parametrize(("case", "table", "broken"), CASES, ids=[c[0] for c in CASES])
def test_database_refuses(case, table, broken, world, db_session):
    """A valid row goes in; the same row with one broken value is refused by the database."""
    model, row = valid_rows(world)[table]
    target = getattr(model, "__table__", model)
    if case == "deliverable successor unique":
        row = {**row, "predecessor_id": world["deliverable"]}
    db_session.execute(insert(target).values(**row))
    if case in TWICE:
        # The first copy stays; the second must be refused.
        with pytest.raises(IntegrityError):
            db_session.execute(insert(target).values(**row))
        db_session.rollback()
        return
    db_session.rollback()
    with pytest.raises(IntegrityError):
        db_session.execute(insert(target).values(**{**row, **_resolve(broken, world)}))
    db_session.rollback()


def test_money_stays_exact(make, db_session):
    """1234567.89 comes back as exactly that Decimal, alone and summed in SQL."""
    pledge = make.pledge(amount="1234567.89")
    make.pledge(amount="0.01", chairmanship=pledge.chairmanship)
    db_session.expire_all()
    stored = db_session.get(Pledge, pledge.id).amount
    assert stored == Decimal("1234567.89") and isinstance(stored, Decimal)
    total = db_session.scalar(
        select(func.sum(Pledge.amount)).where(Pledge.chairmanship_id == pledge.chairmanship_id)
    )
    assert total == Decimal("1234567.90")


def test_rates_keep_eight_decimals(make, db_session):
    """A rate to the reporting currency keeps its eight decimals."""
    pledge = make.pledge(rate_to_base=Decimal("0.00672345"), currency="JPY")
    db_session.expire_all()
    assert db_session.get(Pledge, pledge.id).rate_to_base == Decimal("0.00672345")


def test_instants_come_back_in_utc(make, db_session):
    """A meeting's start comes back as the same instant, marked UTC."""
    from zoneinfo import ZoneInfo

    starts = datetime(2014, 10, 21, 10, 0, tzinfo=ZoneInfo("Europe/Zurich"))
    meeting = make.meeting(starts_at=starts)
    db_session.expire_all()
    stored = db_session.get(Meeting, meeting.id).starts_at
    assert stored == starts and stored.tzinfo == UTC and stored.hour == 8


def test_naive_instants_are_refused(make, db_session):
    """A time without a zone is a bug: it is refused before it reaches the database."""
    with pytest.raises(Exception, match="naive datetime"):
        make.meeting(starts_at=datetime(2014, 10, 21, 10, 0))
    db_session.rollback()


def test_sqlite_enforces_foreign_keys(app):
    """PRAGMA foreign_keys is on for every SQLite connection."""
    from workplan.extensions import db

    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("SQLite only")
        with db.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
