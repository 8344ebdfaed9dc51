"""Accounts: passwords, login sessions, and the one-time links that set a password."""

import hashlib
import hmac
import re
import secrets
from datetime import timedelta
from functools import lru_cache

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError
from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import Select, select, update
from sqlalchemy.orm import joinedload, selectinload

from workplan.extensions import db
from workplan.models import (
    ROLES,
    AccountLink,
    CalendarToken,
    Government,
    LoginSession,
    User,
    utcnow,
)
from workplan.services import DomainError

MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 256
# zxcvbn's score: 3 means more than 10^8 guesses, out of reach of an attack on argon2id
# hashes; below it a password is common (zxcvbn ships lists of the most used ones, checked
# offline), a keyboard walk, a date, or built on the person's name, address or the forum's words.
MIN_PASSWORD_SCORE = 3
FORUM_WORDS = ("gfmd", "migration", "development", "global", "forum", "workplan", "geneva")
# zxcvbn's time grows with the length; beyond this many characters a password is strong anyway.
_SCORED_LENGTH = 100
SESSION_LIFETIME = timedelta(hours=12)


@lru_cache(maxsize=4)
def _hasher(time_cost: int, memory_cost: int, parallelism: int) -> PasswordHasher:
    return PasswordHasher(
        time_cost=time_cost, memory_cost=memory_cost, parallelism=parallelism, type=Type.ID
    )


def hasher() -> PasswordHasher:
    """The argon2id hasher with this deployment's cost parameters."""
    config = current_app.config
    return _hasher(
        config["ARGON2_TIME_COST"], config["ARGON2_MEMORY_COST"], config["ARGON2_PARALLELISM"]
    )


def token_digest(token: str) -> str:
    """The stored form of a random token: its SHA-256, so a database leak reveals no link."""
    return hashlib.sha256(token.encode()).hexdigest()


def normalise_email(email: str) -> str:
    """Check an address's shape and return it in lower case."""
    try:
        checked = validate_email(email.strip(), check_deliverability=False)
    except EmailNotValidError as error:
        raise DomainError(
            _("“%(email)s” is not a valid e-mail address.", email=email), field="email"
        ) from error
    return checked.normalized.lower()


def check_password_strength(password: str, about: tuple[str, ...] = ()) -> None:
    """Refuse passwords that are too short, absurdly long, or easy to guess; `about` names the
    person (their address and name), whose parts a password must not lean on."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise DomainError(
            _(
                "Choose a password of at least %(count)s characters.",
                count=MIN_PASSWORD_LENGTH,
            ),
            field="password",
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise DomainError(
            _(
                "Choose a password of at most %(count)s characters.",
                count=MAX_PASSWORD_LENGTH,
            ),
            field="password",
        )
    # Imported here: its word lists weigh 14 MiB, which only a worker setting a password needs.
    from zxcvbn import zxcvbn

    words = [
        *FORUM_WORDS,
        *(part for text in about for part in re.findall(r"[^\W_]{3,}", text.lower())),
    ]
    if zxcvbn(password[:_SCORED_LENGTH], user_inputs=words)["score"] < MIN_PASSWORD_SCORE:
        raise DomainError(
            _(
                "This password is too easy to guess: it is a common one, or close to your name, "
                "your address or the forum's own words. A few unrelated words make a strong one."
            ),
            field="password",
        )


def set_password(user: User, password: str, keep_session: str | None = None) -> None:
    """Store a new password hash and end every session that used the old password (but the
    one whose token is `keep_session`: the person changing it, signed in)."""
    check_password_strength(password, about=(user.email, user.name))
    user.password_hash = hasher().hash(password)
    end_all_sessions(user, keep=keep_session)


def change_password(user: User, current: str, new: str) -> None:
    """A signed-in person's new password, once they prove they know the current one; their
    other sessions end, this one goes on."""
    try:
        hasher().verify(user.password_hash or "", current)
    except (VerificationError, InvalidHashError):
        raise DomainError(
            _("That is not your current password."), field="current_password"
        ) from None
    if new == current:
        raise DomainError(_("Choose a password other than the current one."), field="password")
    set_password(user, new, keep_session=user.session_token)


# The roles as an invitation offers them: the least powerful first, so that the most powerful
# is a deliberate choice.
INVITATION_ROLES = ("member", "focal_point", "secretariat")


def create_user(
    email: str,
    name: str,
    role: str,
    government_iso3: str | None = None,
    password: str | None = None,
    is_demo: bool = False,
) -> User:
    """Create an account; without a password it waits for its invitation link."""
    email = normalise_email(email)
    name = name.strip()
    if not name:
        raise DomainError(_("Give the person's name."), field="name")
    if role not in ROLES:
        raise DomainError(
            _(
                "Unknown role “%(role)s”: choose one of %(roles)s.",
                role=role,
                roles=", ".join(ROLES),
            ),
            field="role",
        )
    if db.session.scalar(select(User.id).where(User.email == email)) is not None:
        raise DomainError(_("An account for %(email)s already exists.", email=email), field="email")
    government = None
    if role == "focal_point":
        if not government_iso3:
            raise DomainError(_("A focal point speaks for one government: name it."), "government")
        government = db.session.scalar(
            select(Government).where(Government.iso3 == government_iso3.strip().upper())
        )
        if government is None:
            raise DomainError(
                _("No government has the code “%(code)s”.", code=government_iso3),
                "government",
            )
    elif government_iso3:
        raise DomainError(_("Only focal points are bound to a government."), field="government")
    user = User(email=email, name=name, role=role, government=government, is_demo=is_demo)
    if password is not None:
        check_password_strength(password, about=(email, name))
        user.password_hash = hasher().hash(password)
    db.session.add(user)
    db.session.flush()
    return user


@lru_cache(maxsize=4)
def _dummy_hash(time_cost: int, memory_cost: int, parallelism: int) -> str:
    return _hasher(time_cost, memory_cost, parallelism).hash(secrets.token_hex(16))


def authenticate(email: str, password: str) -> User | None:
    """The active user with this email and password, or None; equally slow either way."""
    try:
        email = normalise_email(email)
    except DomainError:
        email = ""
    user = db.session.scalar(select(User).where(User.email == email)) if email else None
    config = current_app.config
    stored = (user.password_hash if user else None) or _dummy_hash(
        config["ARGON2_TIME_COST"], config["ARGON2_MEMORY_COST"], config["ARGON2_PARALLELISM"]
    )
    try:
        hasher().verify(stored, password)
    except (VerificationError, InvalidHashError):
        return None
    if user is None or user.password_hash is None or not user.active:
        return None
    if hasher().check_needs_rehash(user.password_hash):
        user.password_hash = hasher().hash(password)
    return user


def start_session(user: User, user_agent: str = "") -> str:
    """Open a login session and return its token for the cookie."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    db.session.add(
        LoginSession(
            user=user,
            token_hash=token_digest(token),
            created_at=now,
            expires_at=now + SESSION_LIFETIME,
            user_agent=user_agent[:300] or None,
            last_seen_at=now,
        )
    )
    user.last_login_at = now
    user.session_token = token
    db.session.flush()
    return token


def load_session(token: str) -> User | None:
    """The user of a live login session, or None when it ended, expired or was never issued."""
    row = db.session.execute(
        select(User)
        .join(LoginSession, LoginSession.user_id == User.id)
        # Every page's user menu names the government a focal point speaks for.
        .options(joinedload(User.government))
        .where(
            LoginSession.token_hash == token_digest(token),
            LoginSession.ended_at.is_(None),
            LoginSession.expires_at > utcnow(),
            User.active.is_(True),
        )
    ).first()
    if row is None:
        return None
    user = row[0]
    user.session_token = token
    return user


def end_session(token: str) -> None:
    """End one login session: its cookie is worthless from now on."""
    db.session.execute(
        update(LoginSession)
        .where(LoginSession.token_hash == token_digest(token), LoginSession.ended_at.is_(None))
        .values(ended_at=utcnow())
    )


def end_all_sessions(user: User, keep: str | None = None) -> None:
    """End every login session of a user (but the one whose token is `keep`): after a password
    change or deactivation, or when the person asks."""
    if user.id is None:
        return
    query = update(LoginSession).where(
        LoginSession.user_id == user.id, LoginSession.ended_at.is_(None)
    )
    if keep:
        query = query.where(LoginSession.token_hash != token_digest(keep))
    db.session.execute(query.values(ended_at=utcnow()))


def live_sessions(user: User) -> list[LoginSession]:
    """A person's sessions that still work, the most recently used first."""
    return db.session.scalars(
        select(LoginSession)
        .where(
            LoginSession.user_id == user.id,
            LoginSession.ended_at.is_(None),
            LoginSession.expires_at > utcnow(),
        )
        .order_by(LoginSession.last_seen_at.desc().nulls_last(), LoginSession.id.desc())
    ).all()


def end_own_session(user: User, session_id: int) -> bool:
    """End one of a person's own sessions; False when it is not theirs or already over."""
    ended = db.session.execute(
        update(LoginSession)
        .where(
            LoginSession.id == session_id,
            LoginSession.user_id == user.id,
            LoginSession.ended_at.is_(None),
        )
        .values(ended_at=utcnow())
    )
    return ended.rowcount == 1


def note_seen(token: str) -> None:
    """Record that a session was used just now."""
    db.session.execute(
        update(LoginSession)
        .where(LoginSession.token_hash == token_digest(token))
        .values(last_seen_at=utcnow())
    )


def is_current(login_session: LoginSession, token: str | None) -> bool:
    """Whether a session is the one this token opened."""
    return bool(token) and hmac.compare_digest(login_session.token_hash, token_digest(token))


def deactivate(user: User) -> None:
    """Stop a user from logging in, end their sessions and revoke their private feed addresses.

    Revoked for good: reactivating the account does not bring an address back, since it may
    have been handed on while the account was closed.
    """
    user.active = False
    end_all_sessions(user)
    db.session.execute(
        update(CalendarToken)
        .where(CalendarToken.user_id == user.id, CalendarToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


def reactivate(user: User) -> None:
    """Let a deactivated user log in again."""
    user.active = True


def issue_link(user: User, purpose: str) -> str:
    """A one-time set-password link token (invite or reset); earlier unused ones stop working."""
    now = utcnow()
    db.session.execute(
        update(AccountLink)
        .where(AccountLink.user_id == user.id, AccountLink.used_at.is_(None))
        .values(used_at=now)
    )
    token = secrets.token_urlsafe(32)
    hours = current_app.config["SET_PASSWORD_LINK_HOURS"]
    db.session.add(
        AccountLink(
            user=user,
            purpose=purpose,
            token_hash=token_digest(token),
            created_at=now,
            expires_at=now + timedelta(hours=hours),
        )
    )
    db.session.flush()
    return token


def find_link(token: str) -> AccountLink:
    """The link behind a token, refused in plain words when it cannot be used."""
    link = db.session.scalar(
        select(AccountLink).where(AccountLink.token_hash == token_digest(token))
    )
    if link is None:
        raise DomainError(
            _(
                "This link is not valid. Check that you copied the whole address, "
                "or ask the secretariat for a new one."
            )
        )
    if link.used_at is not None:
        raise DomainError(
            _(
                "This link has already been used. Log in with your password, "
                "or ask for a new link if you have forgotten it."
            )
        )
    if link.expires_at <= utcnow():
        raise DomainError(_("This link has expired. Ask for a new one."))
    if not link.user.active:
        raise DomainError(_("This account has been deactivated. Contact the secretariat."))
    return link


def redeem_link(token: str, password: str) -> User:
    """Set the password from a one-time link, and use the link up."""
    link = find_link(token)
    check_password_strength(password, about=(link.user.email, link.user.name))
    # Claim the link with a conditional update, so two simultaneous uses cannot both succeed.
    claimed = db.session.execute(
        update(AccountLink)
        .where(AccountLink.id == link.id, AccountLink.used_at.is_(None))
        .values(used_at=utcnow())
    )
    if claimed.rowcount != 1:
        raise DomainError(_("This link has already been used."))
    set_password(link.user, password)
    db.session.flush()
    return link.user


def listing(text: str = "") -> Select:
    """Every account, by name, narrowed to a name or address, as a query to page through."""
    query = select(User).order_by(User.name).options(selectinload(User.government))
    if text:
        query = query.where(User.name.ilike(f"%{text}%") | User.email.ilike(f"%{text}%"))
    return query


def with_email(email: str | None) -> User | None:
    """The account with this (normalised) address, if any."""
    return db.session.scalar(select(User).where(User.email == email)) if email else None
