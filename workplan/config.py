"""Configuration read from the environment, with an embedded SQLite default."""

import os
from datetime import timedelta
from pathlib import Path

CHECKOUT_DIR = Path(__file__).resolve().parent.parent
# Where the SQLite default and other local state live: WORKPLAN_INSTANCE_DIR; else a checkout's
# own instance/ folder; else, for an installed copy, instance/ in the working directory (never
# inside site-packages).
INSTANCE_DIR = Path(
    os.environ.get("WORKPLAN_INSTANCE_DIR")
    or (
        CHECKOUT_DIR / "instance"
        if (CHECKOUT_DIR / "pyproject.toml").exists()
        else Path.cwd() / "instance"
    )
)


def _second_factor_roles(value: str) -> frozenset[str]:
    """WORKPLAN_REQUIRE_TOTP as the roles it covers."""
    value = value.strip().lower()
    if value in ("everyone", "all"):
        return frozenset({"secretariat", "focal_point", "member"})
    if value in ("1", "true", "secretariat"):
        return frozenset({"secretariat"})
    if value in ("", "0", "false", "none"):
        return frozenset()
    raise RuntimeError(
        f"WORKPLAN_REQUIRE_TOTP is “{value}”; use 0, 1 (the secretariat) or everyone."
    )


def _database_url() -> str:
    """DATABASE_URL, or an SQLite file in instance/ that needs no server."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        return f"sqlite:///{INSTANCE_DIR / 'workplan.db'}"
    # Hosting platforms hand out postgres:// URLs; SQLAlchemy wants the driver named.
    if url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url[len("postgres://") :]
    elif url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


class Config:
    """Settings shared by every configuration."""

    SECRET_KEY = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = _database_url()
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    BASE_CURRENCY = os.environ.get("WORKPLAN_BASE_CURRENCY", "USD").strip().upper() or "USD"
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    # How many reverse proxies stand in front of the app (nginx: 1). Their X-Forwarded-For
    # names the client; with 0 the headers are ignored, since anyone could send them.
    TRUSTED_PROXIES = int(os.environ.get("WORKPLAN_TRUSTED_PROXIES", "0") or 0)
    RATELIMIT_HEADERS_ENABLED = True
    # A moving window counts the last minute (or hour) at every attempt: a fixed one would let
    # a guesser spend two allowances in the seconds around the turn of the minute.
    RATELIMIT_STRATEGY = "moving-window"
    LOGIN_RATE_LIMIT = os.environ.get("WORKPLAN_LOGIN_RATE_LIMIT", "10 per minute")
    # Wrong second-factor codes, per pending sign-in and per account, whatever the address: a
    # thief who has the password guesses at that pace from any number of addresses.
    TWO_FACTOR_RATE_LIMIT = os.environ.get("WORKPLAN_TWO_FACTOR_RATE_LIMIT", "5 per 5 minutes")
    BOOTSTRAP_SERVE_LOCAL = True
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024
    # The document shelf's uploads may be larger; only its upload forms accept them.
    MAX_DOCUMENT_BYTES = int(os.environ.get("WORKPLAN_MAX_UPLOAD_MB", "25") or 25) * 1024 * 1024
    # Documents' files: a folder under instance/ (empty), a folder's path, or s3://bucket/prefix.
    STORAGE_URL = os.environ.get("WORKPLAN_STORAGE_URL", "")
    PERMANENT_SESSION_LIFETIME = timedelta(hours=12)
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    WTF_CSRF_TIME_LIMIT = 12 * 3600
    PUBLIC_BASE_URL = os.environ.get("WORKPLAN_BASE_URL", "http://127.0.0.1:5000")
    # Besides this machine, who may read /metrics: whoever sends "Authorization: Bearer <it>".
    METRICS_TOKEN = os.environ.get("WORKPLAN_METRICS_TOKEN", "")
    # Former keys, comma-separated: sessions signed with them stay valid while SECRET_KEY
    # changes, so rotating the key signs nobody out (Flask re-signs with the new one).
    SECRET_KEY_FALLBACKS = [
        key.strip() for key in os.environ.get("SECRET_KEY_FALLBACKS", "").split(",") if key.strip()
    ]
    # "json": one JSON object per log line, for log collectors; else Flask's plain lines.
    LOG_FORMAT = os.environ.get("WORKPLAN_LOG_FORMAT", "text").strip().lower()
    # Absolute links (feeds, subscription buttons) from PUBLIC_BASE_URL rather than from the
    # request's Host header, which the client writes; on in production.
    LINKS_FROM_BASE_URL = False
    SET_PASSWORD_LINK_HOURS = 72
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "587") or 587)
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME", "")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD", "")
    MAIL_USE_TLS = os.environ.get("MAIL_USE_TLS", "1") not in ("0", "false", "no")
    MAIL_SENDER = os.environ.get("MAIL_SENDER", "gfmd-workplan@localhost")
    # argon2id at the OWASP Password Storage Cheat Sheet's setting (19 MiB, 2 passes, 1 lane):
    # strong enough for ASVS level 2, and a login no longer adds 64 MiB to a web worker's peak.
    ARGON2_TIME_COST = 2
    ARGON2_MEMORY_COST = 19 * 1024
    ARGON2_PARALLELISM = 1
    PER_PAGE = 25
    # The roles that must use a second factor: none, the secretariat (1), or everyone
    # (ASVS level 2 asks it of every account).
    REQUIRE_TOTP_FOR = _second_factor_roles(os.environ.get("WORKPLAN_REQUIRE_TOTP", "0"))
    # A signed-in session ends after this long without a request.
    IDLE_TIMEOUT = timedelta(hours=2)
    DEBUG = False
    TESTING = False


class DevelopmentConfig(Config):
    """Local work: a fixed key is acceptable because nothing is exposed."""

    SECRET_KEY = Config.SECRET_KEY or "development-only-not-secret"
    DEBUG = True


class TestingConfig(Config):
    """The test suite: cheap hashes, no CSRF tokens to thread through every request."""

    TESTING = True
    SECRET_KEY = "testing-only-not-secret"  # noqa: S105  (tests only)
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL") or "sqlite://"
    WTF_CSRF_ENABLED = False
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_ENABLED = False
    ARGON2_TIME_COST = 1
    ARGON2_MEMORY_COST = 8
    ARGON2_PARALLELISM = 1


class ProductionConfig(Config):
    """Served to the world: secure cookies, and no start without a secret key."""

    SESSION_COOKIE_SECURE = True
    # __Host-: the browser keeps it only if it came over HTTPS for this host and path /, so a
    # sibling subdomain cannot plant or overwrite it.
    SESSION_COOKIE_NAME = "__Host-session"
    REMEMBER_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"
    LINKS_FROM_BASE_URL = True
    # No stand-in: feeds would otherwise send every subscriber to 127.0.0.1.
    PUBLIC_BASE_URL = os.environ.get("WORKPLAN_BASE_URL", "")
    # The secretariat can change everything, so in production it signs in with a second factor
    # unless the deployment says otherwise; recovery codes make a lost phone recoverable.
    REQUIRE_TOTP_FOR = _second_factor_roles(os.environ.get("WORKPLAN_REQUIRE_TOTP", "1"))


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}
