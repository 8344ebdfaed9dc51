"""People who log in, their sessions, their one-time links and their calendar tokens."""

from datetime import date, datetime

from flask_login import UserMixin
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workplan.extensions import db
from workplan.models.base import Demo, Timestamped, exactly_one, one_of
from workplan.models.meeting import MEETING_KINDS
from workplan.models.parties import Government
from workplan.models.types import UTCDateTime, utcnow

ROLES = ("secretariat", "focal_point", "member")
LINK_PURPOSES = ("invite", "reset")


class User(UserMixin, Timestamped, Demo, db.Model):
    """A secretariat officer, a government's focal point, or a member of the forum."""

    __tablename__ = "users"
    __audited__ = True
    __audit_exclude__ = ("password_hash", "totp_secret")
    __table_args__ = (
        one_of("role", ROLES, "role_known"),
        CheckConstraint(
            "(role = 'focal_point') = (government_id IS NOT NULL)",
            name="focal_point_has_government",
        ),
        CheckConstraint("email = lower(email)", name="email_lower_case"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    government_id: Mapped[int | None] = mapped_column(ForeignKey("governments.id"), index=True)
    # None until the person sets a password from their invitation link.
    password_hash: Mapped[str | None] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    locale: Mapped[str | None] = mapped_column(String(10))
    timezone: Mapped[str | None] = mapped_column(String(64))
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    # The last time step a code was accepted for, so a code cannot be used twice.
    totp_last_step: Mapped[int | None] = mapped_column(Integer)
    # When the second factor was switched on: the secret itself is never logged, so this is
    # what the account's activity shows being switched on, off or reset, and by whom.
    second_factor_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    government: Mapped[Government | None] = relationship()

    # The login session this request runs under (set per request, never stored as a column);
    # Flask-Login keeps it in the cookie.
    session_token = None

    def __str__(self) -> str:
        return self.name

    def get_id(self) -> str | None:
        """Flask-Login's handle: the login session, not the user id, so logout can end it."""
        return self.session_token

    @property
    def is_active(self) -> bool:
        """Deactivated users cannot log in."""
        return self.active

    @property
    def is_secretariat(self) -> bool:
        """Whether the user works for the chair's secretariat."""
        return self.role == "secretariat"

    @property
    def is_focal_point(self) -> bool:
        """Whether the user speaks for one government."""
        return self.role == "focal_point"


class LoginSession(db.Model):
    """One login: ended on logout, password change or deactivation, so a copied cookie dies."""

    __tablename__ = "login_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # What the person sees in their list of sessions: the browser that signed in, and when it
    # was last used (to the minute).
    user_agent: Mapped[str | None] = mapped_column(String(300))
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


class AccountLink(db.Model):
    """A one-time, expiring link to set a password: for an invitation or a reset."""

    __tablename__ = "account_links"
    __table_args__ = (one_of("purpose", LINK_PURPOSES, "purpose_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(String(10))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


class RecoveryCode(db.Model):
    """A one-use code that stands in for the authenticator app when the phone is lost.

    Stored as an argon2 hash, since ten short codes have too little entropy for a plain digest.
    """

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class CalendarToken(db.Model):
    """A private feed address: shown once, stored as a hash, revocable one by one."""

    __tablename__ = "calendar_tokens"
    __table_args__ = (CheckConstraint("length(label) > 0", name="label_present"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


class CalendarFollow(db.Model):
    """Something a user follows in their private feed: a roundtable, a team or a meeting kind."""

    __tablename__ = "calendar_follows"
    __table_args__ = (
        exactly_one("roundtable_id", "team_id", "meeting_kind", name="one_target"),
        one_of("meeting_kind", MEETING_KINDS, "meeting_kind_known"),
        UniqueConstraint("user_id", "roundtable_id"),
        UniqueConstraint("user_id", "team_id"),
        UniqueConstraint("user_id", "meeting_kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    roundtable_id: Mapped[int | None] = mapped_column(ForeignKey("roundtables.id"), index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("government_teams.id"), index=True)
    meeting_kind: Mapped[str | None] = mapped_column(String(30))


class ReminderLog(db.Model):
    """A reminder digest sent: one per person per day, so a second run sends nothing twice."""

    __tablename__ = "reminder_logs"
    __table_args__ = (UniqueConstraint("user_id", "sent_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    sent_on: Mapped[date] = mapped_column(Date)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
