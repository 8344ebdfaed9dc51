"""Meetings and their agendas."""

import re
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime, timedelta
from typing import Protocol, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workplan.extensions import db
from workplan.models.base import Archivable, Demo, Timestamped, Translated, Versioned, one_of
from workplan.models.chairmanship import Chairmanship
from workplan.models.roundtable import Roundtable
from workplan.models.team import GovernmentTeam
from workplan.models.types import UTCDateTime, utcnow

MEETING_KINDS = (
    "roundtable_session",
    "preparatory",
    "steering_group",
    "friends_of_the_forum",
    "troika",
    "summit",
    "civil_society_days",
    "thematic",
    "pledging",
    "platform_for_partnerships",
    "common_space",
    "other",
)
MEETING_STATES = ("draft", "published", "cancelled")
# Outside the secretariat only these are visible.
VISIBLE_STATES = ("published", "cancelled")


def roundtable_code(number: str) -> str:
    """How a roundtable is named in short: "RT 3.1"."""
    return f"RT {number}"


def title_names_code(title: str, code: str) -> bool:
    """Whether a title already opens with a code, whatever its case, spacing or punctuation:
    "RT 3.1 preparatory meeting", "rt3.1 - preparatory" and "RT-3.1: ..." all name "RT 3.1",
    "RT 3.10 preparatory" and "RT 3.1.2 ..." do not."""
    characters = [c for c in code if c.isalnum()]
    if not characters:
        return False
    pattern = r"[\W_]*".join(re.escape(c) for c in characters)
    # The code must end where the title's word ends: not inside "3.10" or "3.1.2".
    return re.match(rf"[\W_]*{pattern}(?!\w)(?![.,/-]\d)", title, re.IGNORECASE) is not None


def display_title(title: str, roundtable_number: str | None) -> str:
    """A meeting's title as pages and feeds show it: its roundtable's code first, once."""
    if not roundtable_number:
        return title
    code = roundtable_code(roundtable_number)
    return title if title_names_code(title, code) else f"{code}: {title}"


class _Timed(Protocol):
    session_id: int | None
    duration_minutes: int


Timed = TypeVar("Timed", bound=_Timed)


def derived_starts(
    items: Iterable[Timed], first_start: Callable[[Timed], datetime]
) -> Iterator[tuple[Timed, datetime]]:
    """Each item, in agenda order, with its start: the first item of a session starts with the
    session (`first_start`), each later one when the one before it in that session ends. Items
    of no session run from the meeting's start the same way."""
    following: dict[int | None, datetime] = {}
    for item in items:
        key = item.session_id
        start = following[key] if key in following else first_start(item)
        yield item, start
        following[key] = start + timedelta(minutes=item.duration_minutes)


class Meeting(Timestamped, Archivable, Demo, Translated, Versioned, db.Model):
    """A meeting of the forum, held at a venue in its own time zone, online, or both."""

    __tablename__ = "meetings"
    __audited__ = True
    __table_args__ = (
        one_of("kind", MEETING_KINDS, "kind_known"),
        one_of("state", MEETING_STATES, "state_known"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint("length(timezone) > 0", name="timezone_named"),
        CheckConstraint("sequence >= 0", name="sequence_not_negative"),
        Index("ix_meetings_state_starts_at", "state", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    chairmanship_id: Mapped[int] = mapped_column(ForeignKey("chairmanships.id"), index=True)
    roundtable_id: Mapped[int | None] = mapped_column(ForeignKey("roundtables.id"), index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("government_teams.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    title: Mapped[str] = mapped_column(String(300))
    title_fr: Mapped[str | None] = mapped_column(String(300))
    title_es: Mapped[str | None] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    description_fr: Mapped[str | None] = mapped_column(Text)
    description_es: Mapped[str | None] = mapped_column(Text)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    timezone: Mapped[str] = mapped_column(String(64))
    venue: Mapped[str | None] = mapped_column(String(300))
    city: Mapped[str | None] = mapped_column(String(120))
    online_url: Mapped[str | None] = mapped_column(String(500))
    state: Mapped[str] = mapped_column(String(20), default="draft")
    # iCalendar SEQUENCE: raised whenever time, place or state changes.
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    # Calendars get one event per session of the programme instead of one for the meeting.
    sessions_in_feed: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    chairmanship: Mapped[Chairmanship] = relationship()
    roundtable: Mapped[Roundtable | None] = relationship()
    team: Mapped[GovernmentTeam | None] = relationship()
    agenda_items: Mapped[list["AgendaItem"]] = relationship(
        back_populates="meeting",
        order_by="(AgendaItem.position, AgendaItem.id)",
        cascade="all, delete-orphan",
    )
    sessions: Mapped[list["MeetingSession"]] = relationship(
        back_populates="meeting",
        order_by="(MeetingSession.starts_at, MeetingSession.room, MeetingSession.id)",
        cascade="all, delete-orphan",
    )

    def __str__(self) -> str:
        return self.title

    @property
    def display_title(self) -> str:
        """The title with its roundtable's code first, unless the title already starts with it."""
        return display_title(self.title, self.roundtable.number if self.roundtable else None)

    def display_title_in(self, language: str) -> str:
        """The title as pages and feeds show it, in a language where it was given one."""
        return display_title(
            self.in_language("title", language), self.roundtable.number if self.roundtable else None
        )

    @property
    def title_names_roundtable(self) -> bool:
        """Whether the title itself already opens with its roundtable's code."""
        return self.roundtable is not None and title_names_code(self.title, self.roundtable.code)

    @property
    def zone(self) -> ZoneInfo:
        """The venue's time zone."""
        return ZoneInfo(self.timezone)

    @property
    def local_starts_at(self) -> datetime:
        """The start in the venue's local time."""
        return self.starts_at.astimezone(self.zone)

    @property
    def local_ends_at(self) -> datetime:
        """The end in the venue's local time."""
        return self.ends_at.astimezone(self.zone)

    @property
    def length_minutes(self) -> int:
        """How long the meeting lasts, in minutes."""
        return int((self.ends_at - self.starts_at).total_seconds() // 60)

    @property
    def is_public(self) -> bool:
        """Whether people outside the secretariat may see the meeting."""
        return self.state in VISIBLE_STATES and self.archived_at is None

    def agenda_schedule(self) -> Iterator[tuple["AgendaItem", datetime]]:
        """Each agenda item with its start, derived from the start of its session (or of the
        meeting) and the earlier items of the same session."""
        return derived_starts(
            self.agenda_items,
            lambda item: self.starts_at if item.session_id is None else item.session.starts_at,
        )

    @property
    def agenda_minutes(self) -> int:
        """The total length of the agenda, in minutes."""
        return sum(item.duration_minutes for item in self.agenda_items)


class AgendaItem(Timestamped, Translated, Versioned, db.Model):
    """One item of a meeting's agenda; its start time is derived, never stored."""

    __tablename__ = "agenda_items"
    __audited__ = True
    __table_args__ = (
        CheckConstraint("duration_minutes > 0", name="duration_positive"),
        CheckConstraint("position >= 0", name="position_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(String(300))
    title_fr: Mapped[str | None] = mapped_column(String(300))
    title_es: Mapped[str | None] = mapped_column(String(300))
    duration_minutes: Mapped[int] = mapped_column(Integer)
    speakers: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)
    links: Mapped[str | None] = mapped_column(Text)
    # The programme's session the item belongs to; its start then runs from the session's.
    session_id: Mapped[int | None] = mapped_column(
        ForeignKey("meeting_sessions.id", ondelete="SET NULL"), index=True
    )

    meeting: Mapped[Meeting] = relationship(back_populates="agenda_items")
    session: Mapped["MeetingSession | None"] = relationship(back_populates="agenda_items")

    def __str__(self) -> str:
        return self.title


# What a notice asks of the recipient's calendar (iTIP, RFC 5546): add or update the meeting,
# or take it out.
NOTICE_METHODS = ("REQUEST", "CANCEL")


class MeetingNotice(db.Model):
    """A focal point told of one change of a meeting (its SEQUENCE), by e-mail with the
    meeting's .ics: claimed before it is sent, so a retry or a second sender sends nothing
    twice."""

    __tablename__ = "meeting_notices"
    __table_args__ = (
        UniqueConstraint("meeting_id", "sequence", "user_id"),
        one_of("method", NOTICE_METHODS, "method_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    sequence: Mapped[int] = mapped_column(Integer)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    method: Mapped[str] = mapped_column(String(10))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


# What a session of a multi-day meeting is: the whole meeting together, one of several held at
# once in their own rooms, or a pause.
SESSION_KINDS = ("plenary", "parallel", "break")


class MeetingSession(Timestamped, Translated, Versioned, db.Model):
    """One session of a meeting's programme: a plenary, a parallel session in a named room, or
    a break, on one of the meeting's days."""

    __tablename__ = "meeting_sessions"
    __audited__ = True
    __table_args__ = (
        one_of("kind", SESSION_KINDS, "kind_known"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint("length(title) > 0", name="title_given"),
        Index("ix_meeting_sessions_meeting_starts_at", "meeting_id", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(300))
    title_fr: Mapped[str | None] = mapped_column(String(300))
    title_es: Mapped[str | None] = mapped_column(String(300))
    room: Mapped[str | None] = mapped_column(String(120))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)

    meeting: Mapped[Meeting] = relationship(back_populates="sessions")
    agenda_items: Mapped[list[AgendaItem]] = relationship(
        back_populates="session", order_by="(AgendaItem.position, AgendaItem.id)"
    )

    def __str__(self) -> str:
        return self.title

    @property
    def local_starts_at(self) -> datetime:
        return self.starts_at.astimezone(self.meeting.zone)

    @property
    def local_ends_at(self) -> datetime:
        return self.ends_at.astimezone(self.meeting.zone)
