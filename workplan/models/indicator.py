"""Indicators: what the forum measures to know whether its work moved anything, each with a
baseline, a target and the values actually observed, year by year."""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workplan.extensions import db
from workplan.models.base import Archivable, Demo, Timestamped, Translated, Versioned, one_of
from workplan.models.types import ExactDecimal, UTCDateTime, utcnow
from workplan.models.user import User
from workplan.models.workplan import Objective

# Whether a rising value is progress (policies in place) or a falling one (the cost of sending
# money home).
DIRECTIONS = ("up", "down")
# The SDG indicators the forum's work speaks to, by their official code.
SDG_INDICATORS = ("10.c.1", "10.7.1", "10.7.2")
# Four decimals: a share such as 6.2 percent, a cost in dollars, or a count, kept exactly.
MEASURE = ExactDecimal(20, 4)


class Indicator(Timestamped, Archivable, Demo, Translated, Versioned, db.Model):
    """A measure of an objective of the work plan: from a baseline, toward a target."""

    __tablename__ = "indicators"
    __audited__ = True
    __table_args__ = (
        one_of("direction", DIRECTIONS, "direction_known"),
        CheckConstraint("length(name) > 0", name="name_given"),
        CheckConstraint(
            "(baseline_value IS NULL) = (baseline_year IS NULL)", name="baseline_has_its_year"
        ),
        CheckConstraint(
            "(target_value IS NULL) = (target_year IS NULL)", name="target_has_its_year"
        ),
        CheckConstraint(
            "target_year IS NULL OR baseline_year IS NULL OR target_year > baseline_year",
            name="target_after_baseline",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    objective_id: Mapped[int] = mapped_column(ForeignKey("objectives.id"), index=True)
    name: Mapped[str] = mapped_column(String(300))
    name_fr: Mapped[str | None] = mapped_column(String(300))
    name_es: Mapped[str | None] = mapped_column(String(300))
    unit: Mapped[str] = mapped_column(String(40))
    direction: Mapped[str] = mapped_column(String(4))
    baseline_value: Mapped[Decimal | None] = mapped_column(MEASURE)
    baseline_year: Mapped[int | None] = mapped_column(Integer)
    target_value: Mapped[Decimal | None] = mapped_column(MEASURE)
    target_year: Mapped[int | None] = mapped_column(Integer)
    sdg_indicator: Mapped[str | None] = mapped_column(String(10))

    objective: Mapped[Objective] = relationship()
    values: Mapped[list["IndicatorValue"]] = relationship(
        back_populates="indicator",
        order_by="IndicatorValue.year",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    def __str__(self) -> str:
        return self.name


class IndicatorValue(db.Model):
    """The value an indicator was observed at in one year, where that figure came from, and
    who entered it."""

    __tablename__ = "indicator_values"
    __audited__ = True
    __table_args__ = (
        UniqueConstraint("indicator_id", "year"),
        CheckConstraint("year BETWEEN 1990 AND 2100", name="year_plausible"),
        CheckConstraint("length(source) > 0", name="source_given"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(
        ForeignKey("indicators.id", ondelete="CASCADE"), index=True
    )
    year: Mapped[int] = mapped_column(Integer)
    value: Mapped[Decimal] = mapped_column(MEASURE)
    source: Mapped[str] = mapped_column(String(300))
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    entered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    indicator: Mapped[Indicator] = relationship(back_populates="values")
    entered_by: Mapped[User | None] = relationship()
