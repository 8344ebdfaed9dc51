"""Chairmanships: who chairs the forum, for which dates, with which theme and summit."""

from datetime import date
from decimal import Decimal

from sqlalchemy import CheckConstraint, Column, Date, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workplan.extensions import db
from workplan.models.base import Archivable, Demo, Timestamped, Translated, Versioned
from workplan.models.parties import Government
from workplan.models.types import ExactDecimal

chairmanship_chairs = Table(
    "chairmanship_chairs",
    db.metadata,
    Column("chairmanship_id", ForeignKey("chairmanships.id", ondelete="CASCADE"), primary_key=True),
    Column("government_id", ForeignKey("governments.id"), primary_key=True, index=True),
)


class Chairmanship(Timestamped, Archivable, Demo, Translated, Versioned, db.Model):
    """One chair's term: a date range, not a calendar year."""

    __tablename__ = "chairmanships"
    __audited__ = True
    __audit_relations__ = ("chairs",)
    __table_args__ = (
        CheckConstraint("ends_on > starts_on", name="ends_after_start"),
        CheckConstraint(
            "summit_ends_on IS NULL OR summit_starts_on IS NULL"
            " OR summit_ends_on >= summit_starts_on",
            name="summit_ends_after_start",
        ),
        CheckConstraint("opening_balance >= 0", name="opening_balance_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    label: Mapped[str] = mapped_column(String(80), unique=True)
    theme: Mapped[str | None] = mapped_column(Text)
    theme_fr: Mapped[str | None] = mapped_column(Text)
    theme_es: Mapped[str | None] = mapped_column(Text)
    starts_on: Mapped[date] = mapped_column(Date, index=True)
    ends_on: Mapped[date] = mapped_column(Date)
    summit_city: Mapped[str | None] = mapped_column(String(120))
    summit_starts_on: Mapped[date | None] = mapped_column(Date)
    summit_ends_on: Mapped[date | None] = mapped_column(Date)
    # In the reporting currency: what the previous chair's books handed over.
    opening_balance: Mapped[Decimal] = mapped_column(ExactDecimal(18, 2), default=Decimal("0.00"))

    chairs: Mapped[list[Government]] = relationship(
        secondary=chairmanship_chairs, order_by=Government.name
    )
    roundtables: Mapped[list["Roundtable"]] = relationship(  # noqa: F821
        back_populates="chairmanship", order_by="Roundtable.number"
    )

    def __str__(self) -> str:
        return self.label

    def is_current(self, on: date) -> bool:
        """Whether this chairmanship holds office on the given day."""
        return self.starts_on <= on <= self.ends_on


# What a government chaired: a government's page joins it into the query that loads it.
Government.chaired_chairmanships = relationship(
    Chairmanship, secondary=chairmanship_chairs, viewonly=True, order_by=Chairmanship.starts_on
)
