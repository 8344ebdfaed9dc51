"""The GFMD work plan and meeting manager: create_app() builds the Flask application."""

import logging
import os
from pathlib import Path

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine
from werkzeug.middleware.proxy_fix import ProxyFix

from workplan.config import CONFIGS, INSTANCE_DIR
from workplan.formatting import lazy_gettext as _l

# Templates, static files, catalogues and migrations ship inside the package, so an installed
# copy (pip install .) serves exactly what a checkout serves.
PACKAGE_DIR = Path(__file__).resolve().parent
TRANSLATIONS_DIR = PACKAGE_DIR / "translations"
# 32 hexadecimal characters are 128 bits: out of reach of guessing.
MIN_SECRET_KEY_LENGTH = 32


def create_app(config_name: str | None = None, **overrides) -> Flask:
    """Build the app from a named configuration plus any overrides (tests pass them)."""
    config_name = config_name or os.environ.get("WORKPLAN_CONFIG", "development")
    if config_name not in CONFIGS:
        raise RuntimeError(
            f"WORKPLAN_CONFIG is “{config_name}”; use one of: {', '.join(sorted(CONFIGS))}."
        )
    app = Flask(
        __name__,
        instance_path=str(INSTANCE_DIR),
        instance_relative_config=True,
    )
    app.config.from_object(CONFIGS[config_name])
    app.config.update(overrides)
    app.config["WORKPLAN_CONFIG"] = config_name
    if not app.config.get("SECRET_KEY"):
        raise RuntimeError(
            "SECRET_KEY is not set. Outside development the app refuses to start without it, "
            "because sessions and CSRF tokens would be forgeable. Set SECRET_KEY to a long "
            'random value, for example: export SECRET_KEY="$(python3 -c '
            "'import secrets; print(secrets.token_hex(32))')\""
        )
    if config_name == "production" and len(app.config["SECRET_KEY"]) < MIN_SECRET_KEY_LENGTH:
        raise RuntimeError(
            f"SECRET_KEY is shorter than {MIN_SECRET_KEY_LENGTH} characters: a short key can be "
            "guessed, and with it sessions forged. Use 64 random hexadecimal characters."
        )
    if config_name == "production":
        _refuse_to_start_without_resources(app)
    if config_name == "production" and not app.config["PUBLIC_BASE_URL"]:
        raise RuntimeError(
            "WORKPLAN_BASE_URL is not set. In production the feeds, subscription buttons and "
            "e-mailed links are built from it, never from the address a request names. Set it "
            "to the site's public address, for example: export "
            "WORKPLAN_BASE_URL=https://workplan.example.org"
        )
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///"):
        INSTANCE_DIR.mkdir(exist_ok=True)
    proxies = app.config.get("TRUSTED_PROXIES", 0)
    if proxies:
        # Behind a reverse proxy every request comes from the proxy; the client's address
        # (which login throttling counts by) is the one the trusted proxies put in
        # X-Forwarded-For. X-Forwarded-Host is not trusted: proxies often pass on whatever
        # the client sent, and links must not follow it.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)

    if app.config["LOG_FORMAT"] == "json":
        _log_as_json(app)
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_request_hooks(app)
    register_template_helpers(app)
    register_commands(app)
    return app


def _refuse_to_start_without_resources(app: Flask) -> None:
    """An installed copy missing its templates, static files or a compiled catalogue would
    serve errors or English to everyone: production says so before it serves anything."""
    from workplan.i18n import LANGUAGES

    needed = [PACKAGE_DIR / "templates" / "base.html", PACKAGE_DIR / "static" / "app.css"]
    needed += [
        TRANSLATIONS_DIR / language / "LC_MESSAGES" / "messages.mo"
        for language in LANGUAGES
        if language != "en"
    ]
    missing = [str(path) for path in needed if not path.exists()]
    if missing:
        raise RuntimeError(
            "This installation is incomplete, so it will not serve: missing "
            + ", ".join(missing)
            + ". Reinstall the package (pip install .), which ships the templates, the static "
            "files and the compiled catalogues."
        )


def _log_as_json(app: Flask) -> None:
    """One JSON object per line from the app's logger (time, level, logger, message), for
    log collectors that read fields rather than text."""
    from flask.logging import default_handler, wsgi_errors_stream
    from pythonjsonlogger.json import JsonFormatter

    handler = logging.StreamHandler(wsgi_errors_stream)
    handler.setFormatter(
        JsonFormatter(
            "{levelname}{name}{message}",
            style="{",
            # An ISO 8601 instant in UTC, which a collector on another machine reads unambiguously.
            timestamp="time",
            rename_fields={"levelname": "level", "name": "logger"},
        )
    )
    app.logger.removeHandler(default_handler)
    for old in [h for h in app.logger.handlers if getattr(h, "workplan_json", False)]:
        app.logger.removeHandler(old)
    handler.workplan_json = True
    app.logger.addHandler(handler)


@event.listens_for(Engine, "connect")
def _sqlite_enforces_foreign_keys(dbapi_connection, connection_record):
    """SQLite ignores foreign keys unless asked, per connection."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()


def register_extensions(app: Flask) -> None:
    """Bind the database, migrations, logins, CSRF, rate limits and the CSS framework."""
    from workplan import (
        models,  # noqa: F401  (registers the tables)
        storage,
    )
    from workplan.audit import register_audit_listeners
    from workplan.extensions import babel, bootstrap, csrf, db, limiter, login_manager, migrate
    from workplan.i18n import select_locale
    from workplan.services import accounts

    db.init_app(app)
    migrate.init_app(app, db, directory=str(PACKAGE_DIR / "migrations"), render_as_batch=True)
    # Before CSRF: its check reads the form, and an upload's larger limit must be set by then.
    storage.init_app(app)
    csrf.init_app(app)
    bootstrap.init_app(app)
    babel.init_app(
        app,
        locale_selector=select_locale,
        default_translation_directories=str(TRANSLATIONS_DIR),
    )
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    # Worded when it is flashed, in the language of the request that needed a login.
    login_manager.login_message = _l("Log in to see this page.")
    login_manager.localize_callback = str
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    login_manager.user_loader(accounts.load_session)
    register_audit_listeners()


def register_blueprints(app: Flask) -> None:
    """Mount each feature under its own URL prefix."""
    from workplan.account.views import bp as account_bp
    from workplan.admin.views import bp as admin_bp
    from workplan.auth.views import bp as auth_bp
    from workplan.calendar.redaction import register_log_redaction
    from workplan.calendar.views import bp as calendar_bp
    from workplan.chairmanships.views import bp as chairmanships_bp
    from workplan.commitments.views import bp as commitments_bp
    from workplan.deliverables.views import bp as deliverables_bp
    from workplan.documents.views import bp as documents_bp
    from workplan.governments.views import bp as governments_bp
    from workplan.i18n import bp as language_bp
    from workplan.main.views import bp as main_bp
    from workplan.meetings.views import bp as meetings_bp
    from workplan.minutes.views import bp as minutes_bp
    from workplan.offers.views import bp as offers_bp
    from workplan.organisations.views import bp as organisations_bp
    from workplan.outcomes.views import bp as outcomes_bp
    from workplan.pledges.views import bp as pledges_bp
    from workplan.practices.views import bp as practices_bp
    from workplan.practices.views import themes_bp
    from workplan.reports.views import bp as reports_bp
    from workplan.roundtables.views import bp as roundtables_bp
    from workplan.teams.views import bp as teams_bp
    from workplan.workplans.views import bp as workplans_bp

    for blueprint in (
        main_bp,
        auth_bp,
        admin_bp,
        chairmanships_bp,
        governments_bp,
        organisations_bp,
        workplans_bp,
        roundtables_bp,
        teams_bp,
        meetings_bp,
        minutes_bp,
        outcomes_bp,
        documents_bp,
        deliverables_bp,
        pledges_bp,
        practices_bp,
        commitments_bp,
        offers_bp,
        themes_bp,
        reports_bp,
        calendar_bp,
        account_bp,
        language_bp,
    ):
        app.register_blueprint(blueprint)
    register_log_redaction(app)


def register_errorhandlers(app: Flask) -> None:
    """Answer every error with a page a person understands, never a traceback."""
    from workplan.errors import register

    register(app)


def register_request_hooks(app: Flask) -> None:
    """Security headers on every response, error pages included; metrics of every request."""
    from workplan import metrics
    from workplan.security import register

    register(app)
    metrics.register(app)


def register_template_helpers(app: Flask) -> None:
    """Permissions and formatting helpers, available in every template."""
    from workplan import addresses, formatting, permissions, web
    from workplan.i18n import LANGUAGES

    app.jinja_env.globals["can"] = permissions
    app.jinja_env.globals["fmt"] = formatting
    app.jinja_env.globals["LANGUAGES"] = LANGUAGES
    app.jinja_env.globals["chairmanship_in_office"] = web.chairmanship_in_office
    app.jinja_env.globals["external_url"] = addresses.external_url
    app.jinja_env.filters.update(formatting.FILTERS)


def register_commands(app: Flask) -> None:
    """The command line: seed-demo, create-user, generate-data, backup."""
    from workplan.cli import register

    register(app)
