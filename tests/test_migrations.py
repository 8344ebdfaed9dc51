"""The migration history builds the schema from empty, and the models have not drifted from it."""

import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from workplan import create_app
from workplan.extensions import db
from workplan.services.practice_search import not_in_models


@pytest.fixture
def empty_database_url(database_url, tmp_path):
    """A brand-new, empty database on the same kind of server as the suite's."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    name = f"wp_migrations_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield url.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_history_builds_schema_from_empty_and_matches_models(empty_database_url):
    """Upgrade from nothing, compare with the models, go down to nothing and up again."""
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=empty_database_url)
    with app.app_context():
        assert inspect(db.engine).get_table_names() == []
        upgrade()
        tables = set(inspect(db.engine).get_table_names())
        assert {t.name for t in db.metadata.sorted_tables} <= tables
        with db.engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "include_object": not_in_models}
            )
            drift = compare_metadata(context, db.metadata)
        assert drift == [], f"models and migrations differ: {drift}"
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        assert {t.name for t in db.metadata.sorted_tables} <= set(
            inspect(db.engine).get_table_names()
        )
        db.engine.dispose()


def test_check_constraints_exist_in_migrated_schema(app):
    """The CHECK constraints the models declare are in the database the migrations built."""
    with app.app_context():
        checks = {c["name"] for c in inspect(db.engine).get_check_constraints("pledges")}
    assert {"ck_pledges_amount_positive", "ck_pledges_currency_code"} <= checks


def test_money_migrations_carry_existing_pledges_over_unchanged(empty_database_url):
    """A pledge and its payment recorded before exchange rates, budgets and instalments existed
    read the same after the upgrade: same amounts and rates, no line, no instalment."""
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=empty_database_url)
    with app.app_context():
        upgrade(revision="9a26a236029f")
        stamp = "2024-01-01 00:00:00"
        with db.engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO chairmanships (id, label, starts_on, ends_on, opening_balance,"
                    " created_at, updated_at, is_demo, version) VALUES (1, 'GFMD 2024',"
                    " '2024-01-01', '2024-12-31', 0, :at, :at, false, 1)"
                ),
                {"at": stamp},
            )
            connection.execute(
                text(
                    "INSERT INTO organisations (id, name, kind, created_at, updated_at, is_demo,"
                    " version) VALUES (1, 'A Foundation', 'other', :at, :at, false, 1)"
                ),
                {"at": stamp},
            )
            connection.execute(
                text(
                    "INSERT INTO pledges (id, chairmanship_id, donor_organisation_id, amount,"
                    " currency, kind, earmark, pledged_on, status, committed_on, rate_to_base,"
                    " created_at, updated_at, is_demo, version) VALUES (1, 1, 1, :amount,"
                    " 'EUR', 'cash', 'general', '2024-02-01', 'committed', '2024-02-02', :rate,"
                    " :at, :at, false, 1)"
                ),
                {
                    "amount": 1000000 if db.engine.name == "sqlite" else 10000,
                    "at": stamp,
                    "rate": 108000000 if db.engine.name == "sqlite" else 1.08,
                },
            )
        before = _pledge_rows()
        upgrade()
        after = _pledge_rows()
        assert after["pledge"][: len(before["pledge"])] == before["pledge"]
        with db.engine.connect() as connection:
            assert connection.execute(text("SELECT budget_line_id FROM pledges")).scalar() is None
            assert connection.execute(text("SELECT count(*) FROM instalments")).scalar() == 0
            assert connection.execute(text("SELECT count(*) FROM exchange_rates")).scalar() == 0
        db.engine.dispose()


def _pledge_rows() -> dict:
    with db.engine.connect() as connection:
        row = connection.execute(
            text("SELECT id, amount, currency, status, committed_on, rate_to_base FROM pledges")
        ).one()
    return {"pledge": tuple(row)}


def test_agenda_sessions_migration_keeps_the_decisions_on_each_item(empty_database_url):
    """Giving agenda items a session rebuilds their table on SQLite; the decisions recorded
    against an item still point at it afterwards (a rebuild with foreign keys enforced would
    have set them to nothing)."""
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=empty_database_url)
    with app.app_context():
        upgrade(revision="0534142401c7")
        at = {"at": "2024-01-01 00:00:00"}
        statements = (
            "INSERT INTO chairmanships (id, label, starts_on, ends_on, opening_balance,"
            " created_at, updated_at, is_demo, version) VALUES (1, 'GFMD 2024',"
            " '2024-01-01', '2024-12-31', 0, :at, :at, false, 1)",
            "INSERT INTO meetings (id, chairmanship_id, kind, title, starts_at, ends_at, timezone,"
            " state, sequence, sessions_in_feed, created_at, updated_at, archived_at, is_demo,"
            " version) VALUES (1, 1, 'summit', 'Summit', '2024-05-01 09:00:00',"
            " '2024-05-01 17:00:00', 'UTC', 'published', 0, false, :at, :at, NULL, false, 1)",
            "INSERT INTO agenda_items (id, meeting_id, position, title, duration_minutes,"
            " created_at, updated_at, version) VALUES (7, 1, 0, 'Opening', 30, :at, :at, 1)",
            "INSERT INTO meeting_outcomes (id, meeting_id, agenda_item_id, kind, text,"
            " created_at, updated_at, version) VALUES (1, 1, 7, 'decision', 'Agreed', :at, :at,"
            " 1)",
        )
        with db.engine.begin() as connection:
            for statement in statements:
                connection.execute(text(statement), at)
        upgrade()
        with db.engine.connect() as connection:
            assert (
                connection.execute(text("SELECT agenda_item_id FROM meeting_outcomes")).scalar_one()
                == 7
            )
            item = connection.execute(text("SELECT id, title, session_id FROM agenda_items")).one()
            assert tuple(item) == (7, "Opening", None)
            if db.engine.name == "sqlite":
                assert connection.execute(text("PRAGMA foreign_keys")).scalar_one() == 1
        db.engine.dispose()
