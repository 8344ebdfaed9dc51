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
            context = MigrationContext.configure(connection, opts={"compare_type": True})
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
