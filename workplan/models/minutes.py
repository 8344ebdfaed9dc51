"""What a meeting recorded: its minutes, every version of them, and its decisions and action
items, an action item growing into a deliverable of the work plan."""

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workplan.extensions import db
from workplan.models.base import Timestamped, Versioned, one_of
from workplan.models.deliverable import Deliverable
from workplan.models.meeting import AgendaItem, Meeting
from workplan.models.parties import Government
from workplan.models.types import UTCDateTime, utcnow
from workplan.models.user import User

# Draft (the secretariat writes), circulated (the delegations comment), approved (locked: it
# changes only by an amended version that says why).
MINUTES_STATES = ("draft", "circulated", "approved")
OUTCOME_KINDS = ("decision", "action")


class Minutes(Timestamped, Versioned, db.Model):
    """A meeting's minutes as they stand; every saved text is kept as a revision."""

    __tablename__ = "minutes"
    __audited__ = True
    __table_args__ = (one_of("state", MINUTES_STATES, "state_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), unique=True
    )
    state: Mapped[str] = mapped_column(String(20), default="draft")
    text: Mapped[str] = mapped_column(Text)
    circulated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    meeting: Mapped[Meeting] = relationship()
    revisions: Mapped[list["MinutesRevision"]] = relationship(
        back_populates="minutes",
        order_by="MinutesRevision.number.desc()",
        cascade="all, delete-orphan",
    )
    comments: Mapped[list["MinutesComment"]] = relationship(
        back_populates="minutes",
        order_by="(MinutesComment.created_at, MinutesComment.id)",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    @property
    def is_locked(self) -> bool:
        """Approved minutes change only by an amendment that says why."""
        return self.state == "approved"


class MinutesRevision(db.Model):
    """One saved text of a meeting's minutes, never changed afterwards."""

    __tablename__ = "minutes_revisions"
    __table_args__ = (
        UniqueConstraint("minutes_id", "number"),
        one_of("state", MINUTES_STATES, "state_known"),
        # An amendment of approved minutes always says why.
        CheckConstraint("state != 'approved' OR reason IS NOT NULL", name="amendment_says_why"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    minutes_id: Mapped[int] = mapped_column(
        ForeignKey("minutes.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)
    # The minutes' state when this text was saved.
    state: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    reason: Mapped[str | None] = mapped_column(String(500))
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    saved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    minutes: Mapped[Minutes] = relationship(back_populates="revisions")
    saved_by: Mapped[User | None] = relationship()


class MinutesComment(db.Model):
    """A delegation's comment on circulated minutes, on the version its author read; kept as
    written."""

    __tablename__ = "minutes_comments"
    __audited__ = True
    __table_args__ = (
        CheckConstraint("length(text) > 0", name="text_given"),
        CheckConstraint("revision_number > 0", name="revision_named"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    minutes_id: Mapped[int] = mapped_column(
        ForeignKey("minutes.id", ondelete="CASCADE"), index=True
    )
    # The version of the text the comment was written on.
    revision_number: Mapped[int] = mapped_column(Integer)
    government_id: Mapped[int] = mapped_column(ForeignKey("governments.id"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    minutes: Mapped[Minutes] = relationship(back_populates="comments")
    government: Mapped[Government] = relationship()
    author: Mapped[User | None] = relationship()


class MeetingOutcome(Timestamped, Versioned, db.Model):
    """A decision taken or an action agreed at a meeting, under one of its agenda items."""

    __tablename__ = "meeting_outcomes"
    __audited__ = True
    __table_args__ = (
        one_of("kind", OUTCOME_KINDS, "kind_known"),
        CheckConstraint("length(text) > 0", name="text_given"),
        # Only an action has a due date, a responsible government and a deliverable.
        CheckConstraint(
            "kind = 'action' OR (due_on IS NULL AND government_id IS NULL "
            "AND deliverable_id IS NULL)",
            name="only_actions_are_owed",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    # Under no item when the item was taken off the agenda: the outcome stays with the meeting.
    agenda_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("agenda_items.id", ondelete="SET NULL"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    due_on: Mapped[date | None] = mapped_column(Date)
    government_id: Mapped[int | None] = mapped_column(ForeignKey("governments.id"))
    deliverable_id: Mapped[int | None] = mapped_column(ForeignKey("deliverables.id"), index=True)

    meeting: Mapped[Meeting] = relationship()
    agenda_item: Mapped[AgendaItem | None] = relationship()
    government: Mapped[Government | None] = relationship()
    deliverable: Mapped[Deliverable | None] = relationship()
