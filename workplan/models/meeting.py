"""Meetings and their agendas."""

from collections.abc import Iterator
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workplan.extensions import db
from workplan.models.base import Archivable, Demo, Timestamped, Versioned, one_of
from workplan.models.chairmanship import Chairmanship
from workplan.models.roundtable import Roundtable
from workplan.models.team import GovernmentTeam
from workplan.models.types import UTCDateTime

MEETING_KINDS = (
    "roundtable_session",
    "preparatory",
    "steering_group",
    "friends_of_the_forum",
    "troika",
    "summit",
    "civil_society_days",
    "other",
)
MEETING_STATES = ("draft", "published", "cancelled")
# Outside the secretariat only these are visible.
VISIBLE_STATES = ("published", "cancelled")


class Meeting(Timestamped, Archivable, Demo, Versioned, db.Model):
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
    description: Mapped[str | None] = mapped_column(Text)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    timezone: Mapped[str] = mapped_column(String(64))
    venue: Mapped[str | None] = mapped_column(String(300))
    city: Mapped[str | None] = mapped_column(String(120))
    online_url: Mapped[str | None] = mapped_column(String(500))
    state: Mapped[str] = mapped_column(String(20), default="draft")
    # iCalendar SEQUENCE: raised whenever time, place or state changes.
    sequence: Mapped[int] = mapped_column(Integer, default=0)

    chairmanship: Mapped[Chairmanship] = relationship()
    roundtable: Mapped[Roundtable | None] = relationship()
    team: Mapped[GovernmentTeam | None] = relationship()
    agenda_items: Mapped[list["AgendaItem"]] = relationship(
        back_populates="meeting",
        order_by="(AgendaItem.position, AgendaItem.id)",
        cascade="all, delete-orphan",
    )

    def __str__(self) -> str:
        return self.title

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
        """Each agenda item with its start, derived from the meeting start and earlier items."""
        start = self.starts_at
        for item in self.agenda_items:
            yield item, start
            start = start + timedelta(minutes=item.duration_minutes)

    @property
    def agenda_minutes(self) -> int:
        """The total length of the agenda, in minutes."""
        return sum(item.duration_minutes for item in self.agenda_items)


class AgendaItem(Timestamped, Versioned, db.Model):
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
    duration_minutes: Mapped[int] = mapped_column(Integer)
    speakers: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)
    links: Mapped[str | None] = mapped_column(Text)

    meeting: Mapped[Meeting] = relationship(back_populates="agenda_items")

    def __str__(self) -> str:
        return self.title
