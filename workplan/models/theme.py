"""The themes the forum works on across the years: one taxonomy, named in three languages, under
which roundtables, deliverables, commitments and practices are filed."""

from sqlalchemy import CheckConstraint, Column, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column

from workplan.extensions import db
from workplan.models.base import Archivable, Demo, Timestamped, Translated, Versioned


class Theme(Timestamped, Archivable, Demo, Translated, Versioned, db.Model):
    """A subject the forum works on across the years (labour mobility, remittances...), named
    in its three languages, shared by everything that may be filed under it."""

    __tablename__ = "themes"
    __audited__ = True
    __table_args__ = (CheckConstraint("length(name) > 0", name="name_given"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    name_fr: Mapped[str | None] = mapped_column(String(120))
    name_es: Mapped[str | None] = mapped_column(String(120))
    description: Mapped[str | None] = mapped_column(Text)

    def __str__(self) -> str:
        return self.name


roundtable_themes = Table(
    "roundtable_themes",
    db.metadata,
    Column("roundtable_id", ForeignKey("roundtables.id", ondelete="CASCADE"), primary_key=True),
    Column("theme_id", ForeignKey("themes.id"), primary_key=True, index=True),
)
deliverable_themes = Table(
    "deliverable_themes",
    db.metadata,
    Column("deliverable_id", ForeignKey("deliverables.id", ondelete="CASCADE"), primary_key=True),
    Column("theme_id", ForeignKey("themes.id"), primary_key=True, index=True),
)
