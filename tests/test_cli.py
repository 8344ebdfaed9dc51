"""The command line: seed-demo, create-user, generate-data and backup, run as an operator would."""

import re
import shutil
import sqlite3
import subprocess
import tarfile
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from workplan.countries import un_states
from workplan.extensions import db
from workplan.models import (
    DELIVERABLE_STATUSES,
    AccountLink,
    AgendaItem,
    AuditEvent,
    BudgetLine,
    Chairmanship,
    Deliverable,
    ExchangeRate,
    Government,
    GovernmentTeam,
    Meeting,
    Objective,
    Organisation,
    Payment,
    Pledge,
    ProgressUpdate,
    Roundtable,
    User,
)
from workplan.seed import demo
from workplan.services import DomainError
from workplan.services import backup as backup_service

DEMO_PASSWORD = "demo password 2014"
OPEN = ("planned", "in_progress", "at_risk")


def count(session, model) -> int:
    """Rows of a model in the database."""
    return session.scalar(select(func.count()).select_from(model))


def table_counts(app) -> dict[str, int]:
    """Rows in every table of the schema."""
    with app.app_context():
        counts = demo.row_counts()
        db.session.remove()
    return counts


def seed(runner, *args):
    """Run seed-demo with the test password and any extra arguments."""
    return runner.invoke(args=["seed-demo", "--password", DEMO_PASSWORD, *args])


def test_seed_demo_loads_every_promised_minimum(runner, db_session):
    """Enough of everything for every page: chairmanships to pledges, in every state."""
    result = seed(runner)
    assert result.exit_code == 0, result.output

    assert count(db_session, Chairmanship) >= 3
    assert count(db_session, Roundtable) >= 8
    meetings = db_session.scalars(select(Meeting)).all()
    assert len(meetings) >= 20
    assert all(3 <= len(m.agenda_items) <= 6 for m in meetings)
    assert len({m.timezone for m in meetings}) >= 3
    assert {m.state for m in meetings} == {"draft", "published", "cancelled"}
    assert all(m.agenda_minutes <= m.length_minutes for m in meetings)

    deliverables = db_session.scalars(select(Deliverable)).all()
    assert len(deliverables) >= 40
    assert {d.status for d in deliverables} == set(DELIVERABLE_STATUSES)
    assert all(d.progress_updates for d in deliverables)
    for d in deliverables:
        latest = d.progress_updates[0]
        assert (latest.new_status, latest.new_percent) == (d.status, d.percent_complete)
    assert all(d.percent_complete == 100 for d in deliverables if d.status == "completed")
    for d in (d for d in deliverables if d.status == "carried_over"):
        assert d.successor is not None
        assert d.successor.chairmanship.starts_on > d.chairmanship.ends_on
    today = date.today()
    open_items = [d for d in deliverables if d.status in OPEN]
    assert any(d.due_on < today for d in open_items), "some work is overdue"
    assert any(today <= d.due_on <= today + timedelta(days=30) for d in open_items)

    pledges = db_session.scalars(select(Pledge)).all()
    assert len(pledges) >= 25
    assert len({p.currency for p in pledges}) >= 3
    assert {p.kind for p in pledges} == {"cash", "in_kind"}
    assert {p.earmark for p in pledges} == {"general", "roundtable", "activity"}
    assert {p.status for p in pledges} == {"pledged", "committed"}
    # Every demo amount converts: a rate typed on it (older terms) or the rate table's month.
    table = {(r.currency, r.month) for r in db_session.scalars(select(ExchangeRate))}

    def converts(currency, day, recorded):
        return recorded is not None or currency == "USD" or (currency, day.replace(day=1)) in table

    for p in pledges:
        assert converts(p.currency, p.pledged_on, p.rate_to_base), p
        for payment in p.payments:
            assert converts(p.currency, payment.received_on, payment.rate_to_base or p.rate_to_base)
    assert any(p.rate_to_base is None for p in pledges), "the table converts this year's pledges"
    assert any(p.instalments for p in pledges), "a multi-year pledge"
    assert count(db_session, BudgetLine) >= 4
    assert count(db_session, Payment) > 0
    assert any(0 < p.received < p.amount for p in pledges), "a partial payment"
    assert any(p.received == p.amount for p in pledges), "a full payment"
    assert any(p.outstanding < 0 for p in pledges), "an overpayment"

    # Every UN member and observer state; no territory until the secretariat makes it a party.
    assert count(db_session, Government) == len(un_states()) == 195
    for acronym in ("IOM", "UNHCR", "ILO"):
        assert db_session.scalar(select(Organisation).where(Organisation.acronym == acronym))


def test_seed_demo_loads_the_facts_as_facts(runner, db_session):
    """The real chairmanships, roundtable and meetings carry the facts and no demo flag."""
    assert seed(runner).exit_code == 0
    turkey = db_session.scalar(select(Chairmanship).where(Chairmanship.label == "GFMD 2014-2015"))
    assert not turkey.is_demo
    assert [g.iso3 for g in turkey.chairs] == ["TUR"]
    assert (turkey.starts_on, turkey.ends_on) == (date(2014, 7, 1), date(2015, 12, 31))
    assert turkey.summit_city == "Istanbul"
    assert turkey.theme.startswith("Strengthening Partnerships")
    sweden = db_session.scalar(select(Chairmanship).where(Chairmanship.label == "GFMD 2013-2014"))
    assert (sweden.summit_starts_on, sweden.summit_ends_on) == (
        date(2014, 5, 14),
        date(2014, 5, 16),
    )

    rt = db_session.scalar(
        select(Roundtable).where(
            Roundtable.chairmanship_id == turkey.id, Roundtable.number == "1.1"
        )
    )
    assert not rt.is_demo
    assert {g.iso3 for g in rt.co_chairs} == {"SLV", "PHL"}
    assert len([m for m in rt.members if m.government]) == 20
    partners = {m.organisation.acronym or m.organisation.name for m in rt.members if m.organisation}
    assert {"IOM", "UNHCR", "World Bank", "KNOMAD"} <= partners

    # 10:00 in Geneva on 21 October 2014 was 08:00 UTC (summer time).
    meeting = db_session.scalar(
        select(Meeting).where(Meeting.title == "1st Steering Group meeting")
    )
    assert not meeting.is_demo
    assert meeting.timezone == "Europe/Zurich"
    assert meeting.starts_at == datetime(2014, 10, 21, 8, 0, tzinfo=UTC)
    government_days = db_session.scalar(select(Meeting).where(Meeting.title == "Government Days"))
    assert government_days.local_starts_at.date() == date(2015, 10, 15)
    assert government_days.local_ends_at.date() == date(2015, 10, 16)

    plan = db_session.scalar(select(Objective)).work_plan
    assert "Swedish chairmanship" in (plan.description or "")


def test_seed_demo_flags_every_invented_record(runner, db_session):
    """Invented records say so: the demo flag, and titles that end with “(demo)”."""
    assert seed(runner).exit_code == 0
    for model, title in (
        (Chairmanship, "label"),
        (Roundtable, "title"),
        (Meeting, "title"),
        (Objective, "title"),
        (Organisation, "name"),
    ):
        for record in db_session.scalars(select(model).where(model.is_demo.is_(True))):
            assert getattr(record, title).endswith(" (demo)"), record
    assert db_session.scalar(
        select(func.count()).select_from(Chairmanship).where(Chairmanship.is_demo.is_(True))
    )
    for model in (Deliverable, Pledge, GovernmentTeam, User):
        records = db_session.scalars(select(model)).all()
        assert records and all(r.is_demo for r in records), model
    assert all(d.title.endswith(" (demo)") for d in db_session.scalars(select(Deliverable)))
    assert all(t.name.endswith(" (demo)") for t in db_session.scalars(select(GovernmentTeam)))
    assert all(a.title.endswith(" (demo)") for a in db_session.scalars(select(AgendaItem)))
    # Every change went through the audit log, named after the command.
    actors = set(db_session.scalars(select(AuditEvent.actor).distinct()))
    assert actors == {"flask seed-demo"}


def test_seed_demo_prints_accounts_that_log_in(app, runner, db_session):
    """Without --password the accounts get a random one, printed with them, and it works."""
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    password = re.search(r"Password for every demo account: (\S+)", result.output).group(1)
    assert len(password) >= 12
    emails = re.findall(r"^\s+\w+\s+(\S+@demo\.gfmd\.example)", result.output, re.M)
    assert len(emails) == 4
    users = {u.email: u for u in db_session.scalars(select(User))}
    assert set(users) == set(emails)
    roles = sorted(u.role for u in users.values())
    assert roles == ["focal_point", "focal_point", "member", "secretariat"]
    focal_governments = {u.government.iso3 for u in users.values() if u.government}
    assert focal_governments == {"PHL", "SWE"}
    assert "Philippines (PHL)" in result.output and "Sweden (SWE)" in result.output
    for email in emails:
        client = app.test_client()
        response = client.post("/auth/login", data={"email": email, "password": password})
        assert response.status_code == 302, email
        wrong = app.test_client().post("/auth/login", data={"email": email, "password": "nope"})
        assert wrong.status_code != 302

    # The focal points' governments co-chair roundtables and owe several deliverables.
    for iso3 in ("PHL", "SWE"):
        government = db_session.scalar(select(Government).where(Government.iso3 == iso3))
        owed = [
            d
            for d in db_session.scalars(select(Deliverable))
            if government in d.responsible_governments
        ]
        assert len(owed) >= 5
        co_chaired = [
            r for r in db_session.scalars(select(Roundtable)) if government in r.co_chairs
        ]
        assert len(co_chaired) >= 2


def test_seed_demo_refuses_a_database_with_data(app, runner):
    """A second run stops with a clear message and changes nothing."""
    assert seed(runner).exit_code == 0
    before = table_counts(app)
    result = seed(runner)
    assert result.exit_code != 0
    assert "already has data" in result.output and "--force" in result.output
    assert table_counts(app) == before


def test_seed_demo_refuses_when_only_accounts_exist(app, runner, make):
    """An account someone created is data too: the demo does not mix with it."""
    make.user(role="secretariat", email="chief@example.org")
    result = seed(runner)
    assert result.exit_code != 0
    assert table_counts(app)["chairmanships"] == 0


def test_seed_demo_if_empty(app, runner):
    """--if-empty loads an empty database, and leaves one with data alone, successfully."""
    first = seed(runner, "--if-empty")
    assert first.exit_code == 0, first.output
    assert "Demo accounts" in first.output
    before = table_counts(app)
    again = seed(runner, "--if-empty")
    assert again.exit_code == 0
    assert "The database already has data; nothing loaded." in again.output
    assert table_counts(app) == before


def test_seed_demo_force_reloads_without_duplicates(app, runner, make):
    """--force clears everything first, so the reload adds nothing twice."""
    assert seed(runner).exit_code == 0
    before = table_counts(app)
    make.user(role="member", email="someone@example.org")
    result = seed(runner, "--force")
    assert result.exit_code == 0, result.output
    after = table_counts(app)
    for table in ("chairmanships", "meetings", "deliverables", "pledges", "users", "governments"):
        assert after[table] == before[table], table


def test_seed_demo_force_and_if_empty_conflict(runner):
    """Asking for both is a mistake, refused before anything happens."""
    result = seed(runner, "--force", "--if-empty")
    assert result.exit_code == 2
    assert "not both" in result.output


def test_seed_demo_is_one_transaction(app, runner, monkeypatch):
    """A failure in the last step leaves nothing half-written."""

    def broken(self):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(demo._Loader, "pledges", broken)
    result = seed(runner)
    assert result.exit_code != 0
    assert isinstance(result.exception, RuntimeError)
    assert not any(table_counts(app).values())


def test_seed_demo_refuses_a_short_password(app, runner):
    """The demo accounts follow the same password rules as everyone."""
    result = runner.invoke(args=["seed-demo", "--password", "short"])
    assert result.exit_code != 0
    assert "at least 8 characters" in result.output
    assert not any(table_counts(app).values())


def test_create_user_with_password(app, runner, make, db_session):
    """A focal point with a password can log in at once; the audit log names the command."""
    make.government(iso3="PHL", name="Philippines")
    result = runner.invoke(
        args=[
            "create-user",
            "--email",
            "Ana.Cruz@Example.org",
            "--name",
            "Ana Cruz",
            "--role",
            "focal_point",
            "--government",
            "phl",
            "--password",
            "a long enough password",
        ]
    )
    assert result.exit_code == 0, result.output
    assert "ana.cruz@example.org" in result.output and "Philippines (PHL)" in result.output
    user = db_session.scalar(select(User).where(User.email == "ana.cruz@example.org"))
    assert (user.role, user.government.iso3, user.is_demo) == ("focal_point", "PHL", False)
    response = app.test_client().post(
        "/auth/login",
        data={"email": "ana.cruz@example.org", "password": "a long enough password"},
    )
    assert response.status_code == 302
    event = db_session.scalar(
        select(AuditEvent).where(AuditEvent.record_type == "User", AuditEvent.action == "create")
    )
    assert event.actor == "flask create-user"
    assert count(db_session, AccountLink) == 0


def test_create_user_without_password_prints_an_invitation(app, runner, db_session):
    """Without a password the command prints a one-time link on the public address."""
    result = runner.invoke(
        args=["create-user", "--email", "chief@example.org", "--name", "Chief", "--role", "member"]
    )
    assert result.exit_code == 0, result.output
    base = app.config["PUBLIC_BASE_URL"].rstrip("/")
    match = re.search(rf"{re.escape(base)}(/auth/\S+)", result.output)
    assert match, result.output
    user = db_session.scalar(select(User).where(User.email == "chief@example.org"))
    assert user.password_hash is None
    link = db_session.scalar(select(AccountLink).where(AccountLink.user_id == user.id))
    assert link.purpose == "invite" and link.used_at is None
    page = app.test_client().get(match.group(1))
    assert page.status_code == 200


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--role", "admin"], "Unknown role"),
        (["--role", "focal_point"], "government"),
        (["--role", "focal_point", "--government", "XYZ"], "No government has the code"),
        (["--role", "member", "--government", "PHL"], "Only focal points"),
        (["--role", "member", "--email", "not-an-address"], "not a valid e-mail"),
        (["--role", "member", "--password", "short"], "at least 8 characters"),
        (["--role", "member", "--email", "taken@example.org"], "already exists"),
    ],
)
def test_create_user_refuses_bad_input(app, runner, make, db_session, args, message):
    """Each mistake is named, the exit code is not zero, and nothing is written."""
    make.government(iso3="PHL", name="Philippines")
    make.user(email="taken@example.org")
    before = table_counts(app)
    defaults = {"--email": "new@example.org", "--name": "New Person"}
    for option, value in zip(args[::2], args[1::2], strict=True):
        defaults[option] = value
    flat = [part for pair in defaults.items() for part in pair]
    result = runner.invoke(args=["create-user", *flat])
    assert result.exit_code != 0
    assert message in result.output
    assert table_counts(app) == before


def test_create_user_requires_its_options(runner):
    """Email, name and role are required, and click says which is missing."""
    result = runner.invoke(args=["create-user", "--email", "x@example.org"])
    assert result.exit_code == 2
    assert "Missing option" in result.output


PER_UNIT = {
    Chairmanship: 1,
    Roundtable: 12,
    Meeting: 40,
    AgendaItem: 160,
    Deliverable: 60,
    ProgressUpdate: 180,
    Pledge: 50,
    User: 300,
}


def synthetic_fingerprint(session) -> list:
    """What a data set looks like, independent of the ids it got."""
    return [
        session.scalars(select(Chairmanship.label).order_by(Chairmanship.starts_on)).all(),
        session.execute(
            select(Meeting.title, Meeting.starts_at, Meeting.timezone, Meeting.state).order_by(
                Meeting.title
            )
        ).all(),
        session.execute(
            select(Pledge.amount, Pledge.currency, Pledge.status).order_by(Pledge.id)
        ).all(),
        session.execute(
            select(Deliverable.title, Deliverable.status).order_by(Deliverable.id)
        ).all(),
        session.scalars(select(func.sum(Payment.amount))).one(),
    ]


@pytest.mark.parametrize("scale", [1, 2])
def test_generate_data_counts(runner, db_session, scale):
    """Each unit of scale is one chairmanship's worth; the governments are shared."""
    result = runner.invoke(args=["generate-data", "--scale", str(scale)])
    assert result.exit_code == 0, result.output
    for model, per_unit in PER_UNIT.items():
        assert count(db_session, model) == per_unit * scale, model
    assert count(db_session, Government) == len(un_states())
    assert count(db_session, Payment) > 0
    assert count(db_session, AuditEvent) == 0, "bulk inserts bypass the audit hook"
    for model in (Chairmanship, Roundtable, Meeting, Deliverable, Pledge, User):
        assert (
            db_session.scalar(
                select(func.count()).select_from(model).where(model.is_demo.is_(False))
            )
            == 0
        )
    terms = db_session.scalars(select(Chairmanship).order_by(Chairmanship.starts_on)).all()
    for earlier, later in zip(terms, terms[1:], strict=False):
        assert later.starts_on == earlier.ends_on + timedelta(days=1)
    assert all(len(d.progress_updates) == 3 for d in db_session.scalars(select(Deliverable)))
    assert "Generated in" in result.output


def test_generate_data_links_carried_over_work(runner, db_session):
    """Work carried over has its successor in the next chairmanship."""
    assert runner.invoke(args=["generate-data", "--scale", "3", "--seed", "5"]).exit_code == 0
    carried = db_session.scalars(
        select(Deliverable).where(Deliverable.status == "carried_over")
    ).all()
    assert carried
    for deliverable in carried:
        assert deliverable.successor is not None
        assert deliverable.successor.chairmanship.starts_on > deliverable.chairmanship.ends_on


def test_generate_data_is_deterministic(runner, db_session):
    """The same seed gives the same data; another seed gives other data."""
    assert runner.invoke(args=["generate-data", "--scale", "1", "--seed", "7"]).exit_code == 0
    first = synthetic_fingerprint(db_session)
    again = runner.invoke(args=["generate-data", "--scale", "1", "--seed", "7", "--force"])
    assert again.exit_code == 0, again.output
    db_session.expire_all()
    assert synthetic_fingerprint(db_session) == first
    other = runner.invoke(args=["generate-data", "--scale", "1", "--seed", "8", "--force"])
    assert other.exit_code == 0
    db_session.expire_all()
    assert synthetic_fingerprint(db_session) != first


def test_generate_data_accounts_log_in(app, runner):
    """The synthetic accounts share one password, printed, and it works."""
    result = runner.invoke(
        args=["generate-data", "--scale", "1", "--password", "synthetic password"]
    )
    assert result.exit_code == 0
    email = re.search(r"secretariat\s+(\S+@synthetic\.gfmd\.example)", result.output).group(1)
    response = app.test_client().post(
        "/auth/login", data={"email": email, "password": "synthetic password"}
    )
    assert response.status_code == 302


def test_generate_data_refuses_a_database_with_data(app, runner):
    """Like seed-demo, it will not mix with data someone uses unless told to."""
    assert seed(runner).exit_code == 0
    before = table_counts(app)
    result = runner.invoke(args=["generate-data", "--scale", "1"])
    assert result.exit_code != 0
    assert "already has data" in result.output
    assert table_counts(app) == before


def test_generate_data_refuses_a_bad_scale(runner):
    """The scale is a whole number of at least one."""
    result = runner.invoke(args=["generate-data", "--scale", "0"])
    assert result.exit_code == 2


def dialect(app) -> str:
    """The test database's dialect: sqlite or postgresql."""
    with app.app_context():
        return db.engine.dialect.name


def test_backup_sqlite_copies_every_row(app, runner, tmp_path):
    """The copy opens with sqlite3 and holds the same rows as the live database."""
    if dialect(app) != "sqlite":
        pytest.skip("SQLite backup: the test database is not SQLite")
    assert seed(runner).exit_code == 0
    expected = table_counts(app)
    target = tmp_path / "backup.db"
    result = runner.invoke(args=["backup", str(target)])
    assert result.exit_code == 0, result.output
    assert str(target) in result.output
    assert re.search(r"\(\d+(\.\d)? (bytes|kB|MB|GB)\)", result.output)
    with sqlite3.connect(target) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        copied = {
            table: copy.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
            for table in expected
        }
    copy.close()
    assert copied == expected
    assert expected["deliverables"] > 0
    # The demo's papers go beside it, one tar member per stored file.
    with tarfile.open(f"{target}.documents.tar") as papers:
        assert len(papers.getnames()) == len(list((tmp_path / "documents").glob("*/*"))) > 0
    # A second backup replaces the first, and leaves no temporary file behind (the app's
    # documents folder is in the same temporary folder here).
    assert runner.invoke(args=["backup", str(target)]).exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "backup.db",
        "backup.db.documents.tar",
        "documents",
    ]


def test_backup_postgresql_is_a_pg_restore_archive(app, runner, tmp_path):
    """pg_dump's custom format, which pg_restore lists."""
    if dialect(app) != "postgresql":
        pytest.skip("PostgreSQL backup: the test database is not PostgreSQL")
    assert seed(runner).exit_code == 0
    target = tmp_path / "backup.dump"
    result = runner.invoke(args=["backup", str(target)])
    assert result.exit_code == 0, result.output
    listing = subprocess.run(
        [shutil.which("pg_restore"), "--list", str(target)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert listing.returncode == 0, listing.stderr
    assert "TABLE DATA public deliverables" in listing.stdout


def test_backup_refuses_a_missing_folder(runner, tmp_path):
    """A path in a folder that does not exist is named, and nothing is written."""
    result = runner.invoke(args=["backup", str(tmp_path / "nowhere" / "backup.db")])
    assert result.exit_code != 0
    assert "does not exist" in result.output


def test_backup_says_when_pg_dump_is_missing(monkeypatch, tmp_path):
    """Without pg_dump on PATH the error says what to install."""
    monkeypatch.setattr(backup_service.shutil, "which", lambda name: None)
    url = make_url("postgresql+psycopg://postgres@127.0.0.1:5432/workplan")
    with pytest.raises(DomainError, match="pg_dump was not found"):
        backup_service.backup(url, tmp_path / "backup.dump")
    assert list(tmp_path.iterdir()) == []


def test_backup_refuses_an_in_memory_database(tmp_path):
    """An in-memory SQLite database has no file to copy."""
    with pytest.raises(DomainError, match="in memory"):
        backup_service.backup(make_url("sqlite://"), tmp_path / "backup.db")


def test_rate_to_base_follows_the_reporting_currency(app):
    """Demo rates are stated in the deployment's reporting currency."""
    with app.app_context():
        app.config["BASE_CURRENCY"] = "EUR"
        assert demo.rate_to_base("EUR", "now") == Decimal(1)
        assert demo.rate_to_base("USD", "now") == Decimal("0.92592593")
        app.config["BASE_CURRENCY"] = "XAF"
        assert demo.rate_to_base("USD", "now") is None
