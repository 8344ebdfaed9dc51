"""Deliverables and the progress updates that record every change of their status."""

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workplan.extensions import db
from workplan.models.base import Archivable, Demo, Timestamped, Versioned, exactly_one, one_of
from workplan.models.chairmanship import Chairmanship
from workplan.models.parties import Government
from workplan.models.roundtable import Roundtable
from workplan.models.team import GovernmentTeam
from workplan.models.theme import Theme, deliverable_themes
from workplan.models.types import UTCDateTime, utcnow
from workplan.models.workplan import Objective

DELIVERABLE_STATUSES = ("planned", "in_progress", "at_risk", "completed", "dropped", "carried_over")
# Statuses from which nothing more is expected.
CLOSED_STATUSES = ("completed", "dropped", "carried_over")

deliverable_governments = Table(
    "deliverable_governments",
    db.metadata,
    Column("deliverable_id", ForeignKey("deliverables.id", ondelete="CASCADE"), primary_key=True),
    Column("government_id", ForeignKey("governments.id"), primary_key=True, index=True),
)


class Deliverable(Timestamped, Archivable, Demo, Versioned, db.Model):
    """Something the forum owes: owned by a roundtable or a team, due on a date."""

    __tablename__ = "deliverables"
    __audited__ = True
    __audit_relations__ = ("responsible_governments", "themes")
    __table_args__ = (
        one_of("status", DELIVERABLE_STATUSES, "status_known"),
        CheckConstraint("percent_complete BETWEEN 0 AND 100", name="percent_in_range"),
        CheckConstraint("status != 'completed' OR percent_complete = 100", name="completed_is_100"),
        exactly_one("roundtable_id", "team_id", name="one_owner"),
        Index("ix_deliverables_status_due_on", "status", "due_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    chairmanship_id: Mapped[int] = mapped_column(ForeignKey("chairmanships.id"), index=True)
    objective_id: Mapped[int | None] = mapped_column(ForeignKey("objectives.id"), index=True)
    roundtable_id: Mapped[int | None] = mapped_column(ForeignKey("roundtables.id"), index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("government_teams.id"), index=True)
    predecessor_id: Mapped[int | None] = mapped_column(
        ForeignKey("deliverables.id"), unique=True, index=True
    )
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    due_on: Mapped[date] = mapped_column(Date, index=True)
    status: Mapped[str] = mapped_column(String(20), default="planned")
    percent_complete: Mapped[int] = mapped_column(Integer, default=0)

    chairmanship: Mapped[Chairmanship] = relationship()
    objective: Mapped[Objective | None] = relationship()
    roundtable: Mapped[Roundtable | None] = relationship()
    team: Mapped[GovernmentTeam | None] = relationship()
    responsible_governments: Mapped[list[Government]] = relationship(
        secondary=deliverable_governments, order_by=Government.name
    )
    themes: Mapped[list[Theme]] = relationship(secondary=deliverable_themes, order_by=Theme.name)
    predecessor: Mapped["Deliverable | None"] = relationship(
        remote_side=[id], back_populates="successor"
    )
    successor: Mapped["Deliverable | None"] = relationship(back_populates="predecessor")
    progress_updates: Mapped[list["ProgressUpdate"]] = relationship(
        back_populates="deliverable", order_by="ProgressUpdate.id.desc()"
    )

    def __str__(self) -> str:
        return self.title

    @property
    def owner(self) -> Roundtable | GovernmentTeam:
        """The roundtable or team that owns the deliverable."""
        return self.roundtable or self.team

    @property
    def is_open(self) -> bool:
        """Whether work on the deliverable is still expected."""
        return self.status not in CLOSED_STATUSES

    def is_overdue(self, today: date) -> bool:
        """Whether the due date has passed with the work still open."""
        return self.is_open and self.due_on < today


class ProgressUpdate(db.Model):
    """One change of a deliverable's status or percent: kept forever, never edited."""

    __tablename__ = "progress_updates"
    __table_args__ = (
        one_of("new_status", DELIVERABLE_STATUSES, "new_status_known"),
        one_of("old_status", DELIVERABLE_STATUSES, "old_status_known"),
        CheckConstraint("new_percent BETWEEN 0 AND 100", name="new_percent_in_range"),
        CheckConstraint(
            "old_percent IS NULL OR old_percent BETWEEN 0 AND 100", name="old_percent_in_range"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    deliverable_id: Mapped[int] = mapped_column(ForeignKey("deliverables.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    old_status: Mapped[str | None] = mapped_column(String(20))
    new_status: Mapped[str] = mapped_column(String(20))
    old_percent: Mapped[int | None] = mapped_column(Integer)
    new_percent: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str | None] = mapped_column(Text)

    deliverable: Mapped[Deliverable] = relationship(back_populates="progress_updates")
    user: Mapped["User | None"] = relationship()  # noqa: F821
