"""Fixtures: a real database built by the migrations, a client, factories and an auth helper.

The suite runs on SQLite by default and on PostgreSQL when TEST_DATABASE_URL names one
(`.ci/run` does both). The schema comes from `flask db upgrade`, never from create_all, so every
test also exercises the migration history.
"""

import os

import pytest
from flask_migrate import upgrade
from flask_sqlalchemy import SQLAlchemy
from hypothesis import settings
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from tests.factories import PASSWORD, Factory
from workplan import create_app
from workplan.extensions import db

# Random searches run the same examples on every run (the seed comes from each test's own
# code), so a green CI run means the same cases passed each time; `make explore` searches anew.
settings.register_profile("fixed", derandomize=True, database=None)
settings.register_profile("explore", derandomize=False, database=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "fixed"))

# Every app a test builds has its own engine; each is disposed after the test, so no pooled
# connection is left for the garbage collector to find (psycopg warns when it does).
_engines = []
_make_engine = SQLAlchemy._make_engine


def _tracked_make_engine(self, bind_key, options, app):
    engine = _make_engine(self, bind_key, options, app)
    _engines.append(engine)
    return engine


SQLAlchemy._make_engine = _tracked_make_engine


@pytest.fixture(autouse=True)
def _dispose_engines():
    """Close the connections of every engine the test created."""
    yield
    while _engines:
        _engines.pop().dispose()


def _server_database(url: str, action: str) -> None:
    """Create or drop a PostgreSQL database, from the server's maintenance database."""
    target = make_url(url)
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
        if action == "create":
            connection.execute(text(f'CREATE DATABASE "{target.database}"'))
    admin.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    """A database with the schema built by the migration history, once per run (per worker).

    Under pytest-xdist each worker process has a database of its own: an SQLite file in its
    own temporary folder, or on PostgreSQL the named database with the worker's name appended.
    """
    url = os.environ.get("TEST_DATABASE_URL")
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    own_server_database = bool(url and worker)
    if own_server_database:
        url = make_url(url)
        url = url.set(database=f"{url.database}_{worker}").render_as_string(hide_password=False)
        _server_database(url, "create")
    url = url or f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        upgrade()
        db.engine.dispose()
    yield url
    if own_server_database:
        _server_database(url, "drop")


def empty_database() -> None:
    """Remove every row, keeping the schema (and Alembic's version) in place."""
    # DELETE, child tables first: on tables this small it is far quicker than TRUNCATE.
    with db.engine.begin() as connection:
        for table in reversed(db.metadata.sorted_tables):
            connection.execute(table.delete())


@pytest.fixture
def app(database_url, tmp_path):
    """A fresh app on the shared test database, emptied after the test; its documents' files
    go to a folder of the test's own."""
    app = create_app(
        "testing", SQLALCHEMY_DATABASE_URI=database_url, STORAGE_URL=str(tmp_path / "documents")
    )
    yield app
    with app.app_context():
        db.session.remove()
        empty_database()
        db.engine.dispose()


@pytest.fixture
def client(app):
    """A test client that keeps cookies between requests."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """Runs the app's CLI commands."""
    return app.test_cli_runner()


@pytest.fixture
def db_session(app):
    """A session of the test's own, separate from the app's request sessions."""
    with app.app_context():
        session = Session(db.engine, expire_on_commit=False)
    yield session
    session.close()


@pytest.fixture
def make(app, db_session) -> Factory:
    """Factories for the forum's records."""
    return Factory(app, db_session)


class AuthActions:
    """Log a test client in and out through the real login form."""

    def __init__(self, client):
        self.client = client

    def login(self, user_or_email, password: str = PASSWORD, follow: bool = False):
        email = getattr(user_or_email, "email", user_or_email)
        return self.client.post(
            "/auth/login",
            data={"email": email, "password": password},
            follow_redirects=follow,
        )

    def logout(self):
        return self.client.post("/auth/logout")


@pytest.fixture
def auth(client) -> AuthActions:
    """Log in as a given user."""
    return AuthActions(client)
