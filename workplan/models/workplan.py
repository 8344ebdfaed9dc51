"""The multiannual work plan: objectives that outlive one chair."""

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workplan.extensions import db
from workplan.models.base import Archivable, Demo, Timestamped, Versioned


class WorkPlan(Timestamped, Archivable, Demo, Versioned, db.Model):
    """A multiannual plan, from its first year to its last."""

    __tablename__ = "work_plans"
    __audited__ = True
    __table_args__ = (
        CheckConstraint("last_year >= first_year", name="last_year_not_before_first"),
        CheckConstraint("first_year BETWEEN 2000 AND 2100", name="first_year_plausible"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200), unique=True)
    first_year: Mapped[int] = mapped_column(Integer)
    last_year: Mapped[int] = mapped_column(Integer)
    description: Mapped[str | None] = mapped_column(Text)

    objectives: Mapped[list["Objective"]] = relationship(
        back_populates="work_plan", order_by="Objective.code"
    )

    def __str__(self) -> str:
        return self.title


class Objective(Timestamped, Archivable, Demo, Versioned, db.Model):
    """An objective of a work plan; deliverables hang from it."""

    __tablename__ = "objectives"
    __audited__ = True
    __table_args__ = (UniqueConstraint("work_plan_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    work_plan_id: Mapped[int] = mapped_column(ForeignKey("work_plans.id"), index=True)
    code: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)

    work_plan: Mapped[WorkPlan] = relationship(back_populates="objectives")

    def __str__(self) -> str:
        return f"{self.code}. {self.title}"
