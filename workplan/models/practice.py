"""The good-practice library: what governments did that worked, documented so that others can
take it up, and who did take it up; and the themes that tie the forum's work together."""

from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workplan.extensions import db
from workplan.models.base import Archivable, Demo, Timestamped, Translated, Versioned, one_of
from workplan.models.deliverable import Deliverable
from workplan.models.meeting import Meeting
from workplan.models.parties import Government, Organisation
from workplan.models.roundtable import Roundtable
from workplan.models.theme import Theme
from workplan.models.types import UTCDateTime, utcnow
from workplan.models.user import User

# A practice is written (draft), sent for review (submitted), then either published or
# returned to its authors with the secretariat's comment.
PRACTICE_STATES = ("draft", "submitted", "published", "returned")
# The SDG targets the forum's work speaks to, by their official code.
SDG_TARGETS = ("3.c", "4.b", "5.2", "8.7", "8.8", "10.7", "10.c", "16.2", "16.9", "17.18")


practice_countries = Table(
    "practice_countries",
    db.metadata,
    Column("practice_id", ForeignKey("practices.id", ondelete="CASCADE"), primary_key=True),
    Column("government_id", ForeignKey("governments.id"), primary_key=True, index=True),
)
practice_partners = Table(
    "practice_partners",
    db.metadata,
    Column("practice_id", ForeignKey("practices.id", ondelete="CASCADE"), primary_key=True),
    Column("organisation_id", ForeignKey("organisations.id"), primary_key=True, index=True),
)
practice_themes = Table(
    "practice_themes",
    db.metadata,
    Column("practice_id", ForeignKey("practices.id", ondelete="CASCADE"), primary_key=True),
    Column("theme_id", ForeignKey("themes.id"), primary_key=True, index=True),
)


class PracticeTarget(db.Model):
    """One SDG target a practice serves."""

    __tablename__ = "practice_sdg_targets"
    __table_args__ = (one_of("target", SDG_TARGETS, "target_known"),)

    practice_id: Mapped[int] = mapped_column(
        ForeignKey("practices.id", ondelete="CASCADE"), primary_key=True
    )
    target: Mapped[str] = mapped_column(String(6), primary_key=True)


class Practice(Timestamped, Archivable, Demo, Translated, Versioned, db.Model):
    """A good practice: what was done, where, with whom, and where in the forum it was shared."""

    __tablename__ = "practices"
    __audited__ = True
    __audit_relations__ = ("countries", "partners", "themes")
    __table_args__ = (
        one_of("state", PRACTICE_STATES, "state_known"),
        CheckConstraint("length(title) > 0", name="title_given"),
        CheckConstraint("length(summary) > 0", name="summary_given"),
        CheckConstraint("year BETWEEN 1990 AND 2100", name="year_plausible"),
        # A practice comes from one place in the forum at most.
        CheckConstraint(
            " + ".join(
                f"(CASE WHEN {c} IS NULL THEN 0 ELSE 1 END)"
                for c in ("roundtable_id", "meeting_id", "deliverable_id")
            )
            + " <= 1",
            name="one_origin",
        ),
        CheckConstraint(
            "state != 'returned' OR review_comment IS NOT NULL", name="returned_says_why"
        ),
        CheckConstraint("state != 'published' OR published_at IS NOT NULL", name="published_when"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    title_fr: Mapped[str | None] = mapped_column(String(300))
    title_es: Mapped[str | None] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text)
    summary_fr: Mapped[str | None] = mapped_column(Text)
    summary_es: Mapped[str | None] = mapped_column(Text)
    # The year the practice began.
    year: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(10), default="draft")
    review_comment: Mapped[str | None] = mapped_column(Text)
    # The government that submitted it; none when the secretariat wrote it down itself.
    government_id: Mapped[int | None] = mapped_column(ForeignKey("governments.id"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    roundtable_id: Mapped[int | None] = mapped_column(ForeignKey("roundtables.id"), index=True)
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id"), index=True)
    deliverable_id: Mapped[int | None] = mapped_column(ForeignKey("deliverables.id"), index=True)
    # Web addresses, one a line: the practice's own pages, evaluations, papers.
    links: Mapped[str | None] = mapped_column(Text)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Every language's text folded to plain lower-case letters, for the search index (see
    # services/practice_search.py); written by the rules whenever the texts change.
    search_text: Mapped[str] = mapped_column(Text, default="")

    government: Mapped[Government | None] = relationship()
    author: Mapped[User | None] = relationship()
    roundtable: Mapped[Roundtable | None] = relationship()
    meeting: Mapped[Meeting | None] = relationship()
    deliverable: Mapped[Deliverable | None] = relationship()
    countries: Mapped[list[Government]] = relationship(
        secondary=practice_countries, order_by=Government.name
    )
    partners: Mapped[list[Organisation]] = relationship(
        secondary=practice_partners, order_by=Organisation.name
    )
    themes: Mapped[list[Theme]] = relationship(secondary=practice_themes, order_by=Theme.name)
    sdg_targets: Mapped[list[PracticeTarget]] = relationship(
        order_by=PracticeTarget.target, cascade="all, delete-orphan", passive_deletes=True
    )
    adoptions: Mapped[list["PracticeAdoption"]] = relationship(
        back_populates="practice",
        order_by="PracticeAdoption.year",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    def __str__(self) -> str:
        return self.title

    @property
    def origin(self) -> Roundtable | Meeting | Deliverable | None:
        """Where in the forum the practice was shared, if it says."""
        return self.roundtable or self.meeting or self.deliverable

    @property
    def link_list(self) -> list[str]:
        return [line for line in (self.links or "").splitlines() if line.strip()]


class PracticeAdoption(db.Model):
    """A government's word that it took a practice up: when, and with what result."""

    __tablename__ = "practice_adoptions"
    __audited__ = True
    __table_args__ = (
        UniqueConstraint("practice_id", "government_id"),
        CheckConstraint("year BETWEEN 1990 AND 2100", name="year_plausible"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(
        ForeignKey("practices.id", ondelete="CASCADE"), index=True
    )
    government_id: Mapped[int] = mapped_column(ForeignKey("governments.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    result: Mapped[str | None] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    practice: Mapped[Practice] = relationship(back_populates="adoptions")
    government: Mapped[Government] = relationship()
    recorded_by: Mapped[User | None] = relationship()
