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
