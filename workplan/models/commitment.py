"""Commitments: what a government or an organisation promised the forum it would do, by when,
with whom and with what means, and its reports on how far it has come."""

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workplan.extensions import db
from workplan.models.base import (
    Archivable,
    Demo,
    Timestamped,
    Translated,
    Versioned,
    exactly_one,
    one_of,
)
from workplan.models.parties import Government, Organisation
from workplan.models.theme import Theme
from workplan.models.types import UTCDateTime, utcnow
from workplan.models.user import User

# Where a commitment stands, as its last report says; achieved and withdrawn ones are closed.
COMMITMENT_STATUSES = ("on_track", "delayed", "achieved", "withdrawn")
CLOSED_COMMITMENT_STATUSES = ("achieved", "withdrawn")
# How often its owner reports, in months: yearly unless agreed otherwise.
REPORTING_MONTHS = (3, 6, 12)

commitment_partner_governments = Table(
    "commitment_partner_governments",
    db.metadata,
    Column("commitment_id", ForeignKey("commitments.id", ondelete="CASCADE"), primary_key=True),
    Column("government_id", ForeignKey("governments.id"), primary_key=True, index=True),
)
commitment_partner_organisations = Table(
    "commitment_partner_organisations",
    db.metadata,
    Column("commitment_id", ForeignKey("commitments.id", ondelete="CASCADE"), primary_key=True),
    Column("organisation_id", ForeignKey("organisations.id"), primary_key=True, index=True),
)
commitment_themes = Table(
    "commitment_themes",
    db.metadata,
    Column("commitment_id", ForeignKey("commitments.id", ondelete="CASCADE"), primary_key=True),
    Column("theme_id", ForeignKey("themes.id"), primary_key=True, index=True),
)


class Commitment(Timestamped, Archivable, Demo, Translated, Versioned, db.Model):
    """A commitment of one government or organisation, reported on every few months."""

    __tablename__ = "commitments"
    __audited__ = True
    __audit_relations__ = ("partner_governments", "partner_organisations", "themes")
    __table_args__ = (
        exactly_one("government_id", "organisation_id", name="one_owner"),
        one_of("status", COMMITMENT_STATUSES, "status_known"),
        CheckConstraint("length(title) > 0", name="title_given"),
        CheckConstraint("length(description) > 0", name="description_given"),
        CheckConstraint("percent_complete BETWEEN 0 AND 100", name="percent_in_range"),
        CheckConstraint("report_every_months IN (3, 6, 12)", name="reporting_period_known"),
        CheckConstraint("due_on >= registered_on", name="due_after_registered"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    title_fr: Mapped[str | None] = mapped_column(String(300))
    title_es: Mapped[str | None] = mapped_column(String(300))
    # What will be done.
    description: Mapped[str] = mapped_column(Text)
    government_id: Mapped[int | None] = mapped_column(ForeignKey("governments.id"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    registered_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date)
    # The people, money and means it relies on.
    resources: Mapped[str | None] = mapped_column(Text)
    report_every_months: Mapped[int] = mapped_column(Integer, default=12)
    status: Mapped[str] = mapped_column(String(10), default="on_track")
    percent_complete: Mapped[int] = mapped_column(Integer, default=0)

    government: Mapped[Government | None] = relationship()
    organisation: Mapped[Organisation | None] = relationship()
    partner_governments: Mapped[list[Government]] = relationship(
        secondary=commitment_partner_governments, order_by=Government.name
    )
    partner_organisations: Mapped[list[Organisation]] = relationship(
        secondary=commitment_partner_organisations, order_by=Organisation.name
    )
    themes: Mapped[list[Theme]] = relationship(secondary=commitment_themes, order_by=Theme.name)
    reports: Mapped[list["CommitmentReport"]] = relationship(
        back_populates="commitment",
        order_by="CommitmentReport.id.desc()",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    def __str__(self) -> str:
        return self.title

    @property
    def owner(self) -> Government | Organisation:
        return self.government or self.organisation

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_COMMITMENT_STATUSES


class CommitmentReport(db.Model):
    """One periodic report on a commitment: kept forever, never edited."""

    __tablename__ = "commitment_reports"
    __table_args__ = (
        one_of("status", COMMITMENT_STATUSES, "status_known"),
        CheckConstraint("percent_complete BETWEEN 0 AND 100", name="percent_in_range"),
        CheckConstraint("length(text) > 0", name="text_given"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    commitment_id: Mapped[int] = mapped_column(
        ForeignKey("commitments.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    status: Mapped[str] = mapped_column(String(10))
    percent_complete: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)

    commitment: Mapped[Commitment] = relationship(back_populates="reports")
    user: Mapped[User | None] = relationship()
