"""Pledges of money or services, and the payments that honour them."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workplan.extensions import db
from workplan.models.base import (
    Archivable,
    Demo,
    Timestamped,
    Translated,
    Versioned,
    currency_code,
    exactly_one,
    one_of,
)
from workplan.models.chairmanship import Chairmanship
from workplan.models.parties import Government, Organisation
from workplan.models.roundtable import Roundtable
from workplan.models.types import ExactDecimal, UTCDateTime, utcnow

PLEDGE_KINDS = ("cash", "in_kind")
PLEDGE_STATUSES = ("pledged", "committed")
EARMARKS = ("general", "roundtable", "activity")

MONEY = ExactDecimal(18, 2)
RATE = ExactDecimal(20, 8)


class ExchangeRate(Timestamped, db.Model):
    """What one unit of a currency was worth in the reporting currency during a month, as the
    secretariat recorded it (the UN operational rates of exchange are monthly)."""

    __tablename__ = "exchange_rates"
    __audited__ = True
    __table_args__ = (
        UniqueConstraint("currency", "month"),
        currency_code("currency", name="currency_code"),
        CheckConstraint("rate > 0", name="rate_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    currency: Mapped[str] = mapped_column(String(3))
    # The first day of the month the rate holds for.
    month: Mapped[date] = mapped_column(Date)
    rate: Mapped[Decimal] = mapped_column(RATE)
    source: Mapped[str] = mapped_column(String(200))

    def __str__(self) -> str:
        return f"{self.currency} {self.month:%Y-%m}"


class BudgetLine(Timestamped, Translated, Versioned, db.Model):
    """One line of a chairmanship's requirements (the summit, civil society days...), in the
    reporting currency, which pledges may be set against."""

    __tablename__ = "budget_lines"
    __audited__ = True
    __table_args__ = (
        UniqueConstraint("chairmanship_id", "name"),
        CheckConstraint("amount >= 0", name="amount_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    chairmanship_id: Mapped[int] = mapped_column(ForeignKey("chairmanships.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    name_fr: Mapped[str | None] = mapped_column(String(200))
    name_es: Mapped[str | None] = mapped_column(String(200))
    amount: Mapped[Decimal] = mapped_column(MONEY)
    position: Mapped[int] = mapped_column(Integer, default=0)

    chairmanship: Mapped[Chairmanship] = relationship()

    def __str__(self) -> str:
        return self.name


class Pledge(Timestamped, Archivable, Demo, Versioned, db.Model):
    """A donor's promise to a chairmanship: reported, never counted as money in hand."""

    __tablename__ = "pledges"
    __audited__ = True
    __table_args__ = (
        exactly_one("donor_government_id", "donor_organisation_id", name="one_donor"),
        CheckConstraint("amount > 0", name="amount_positive"),
        currency_code("currency", name="currency_code"),
        one_of("kind", PLEDGE_KINDS, "kind_known"),
        one_of("status", PLEDGE_STATUSES, "status_known"),
        one_of("earmark", EARMARKS, "earmark_known"),
        CheckConstraint(
            "kind != 'in_kind' OR in_kind_description IS NOT NULL", name="in_kind_described"
        ),
        CheckConstraint(
            "(earmark = 'roundtable') = (earmark_roundtable_id IS NOT NULL)",
            name="roundtable_earmark_names_roundtable",
        ),
        CheckConstraint(
            "earmark != 'activity' OR earmark_activity IS NOT NULL",
            name="activity_earmark_names_activity",
        ),
        CheckConstraint(
            "status != 'committed' OR committed_on IS NOT NULL", name="committed_dated"
        ),
        CheckConstraint("rate_to_base IS NULL OR rate_to_base > 0", name="rate_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    chairmanship_id: Mapped[int] = mapped_column(ForeignKey("chairmanships.id"), index=True)
    donor_government_id: Mapped[int | None] = mapped_column(
        ForeignKey("governments.id"), index=True
    )
    donor_organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id"), index=True
    )
    amount: Mapped[Decimal] = mapped_column(MONEY)
    currency: Mapped[str] = mapped_column(String(3))
    kind: Mapped[str] = mapped_column(String(10), default="cash")
    in_kind_description: Mapped[str | None] = mapped_column(Text)
    earmark: Mapped[str] = mapped_column(String(12), default="general")
    earmark_roundtable_id: Mapped[int | None] = mapped_column(
        ForeignKey("roundtables.id"), index=True
    )
    earmark_activity: Mapped[str | None] = mapped_column(String(300))
    # The line of the chairmanship's budget the money covers, when the secretariat says.
    budget_line_id: Mapped[int | None] = mapped_column(ForeignKey("budget_lines.id"), index=True)
    pledged_on: Mapped[date] = mapped_column(Date, index=True)
    status: Mapped[str] = mapped_column(String(12), default="pledged")
    committed_on: Mapped[date | None] = mapped_column(Date)
    # Recorded by the secretariat: no live rates, the machine may be offline.
    rate_to_base: Mapped[Decimal | None] = mapped_column(RATE)
    notes: Mapped[str | None] = mapped_column(Text)

    chairmanship: Mapped[Chairmanship] = relationship()
    donor_government: Mapped[Government | None] = relationship()
    donor_organisation: Mapped[Organisation | None] = relationship()
    earmark_roundtable: Mapped[Roundtable | None] = relationship()
    budget_line: Mapped[BudgetLine | None] = relationship()
    payments: Mapped[list["Payment"]] = relationship(
        back_populates="pledge", order_by="Payment.received_on"
    )
    instalments: Mapped[list["Instalment"]] = relationship(
        back_populates="pledge", order_by="Instalment.due_on"
    )

    def __str__(self) -> str:
        return f"{self.donor}: {self.amount:,} {self.currency}"

    @property
    def donor(self) -> Government | Organisation:
        """The government or organisation that pledged."""
        return self.donor_government or self.donor_organisation

    @property
    def received(self) -> Decimal:
        """What has arrived so far, in the pledge's currency."""
        return sum((p.amount for p in self.payments), Decimal("0.00"))

    @property
    def outstanding(self) -> Decimal:
        """Committed minus received; negative when the donor overpaid."""
        if self.status != "committed":
            return Decimal("0.00")
        return self.amount - self.received

    @property
    def stage(self) -> str:
        """Pledged, committed, or paid once payments cover the amount."""
        if self.payments and self.received >= self.amount:
            return "paid"
        return self.status

    @property
    def earmark_label(self) -> str:
        """What the money is for, in words."""
        if self.earmark == "roundtable" and self.earmark_roundtable is not None:
            return self.earmark_roundtable.code
        if self.earmark == "activity":
            return self.earmark_activity or ""
        return "General budget"


class Payment(Timestamped, db.Model):
    """Money (or the value of a service) received against a pledge, in the pledge's currency."""

    __tablename__ = "payments"
    __audited__ = True
    __table_args__ = (
        CheckConstraint("amount > 0", name="amount_positive"),
        CheckConstraint("rate_to_base IS NULL OR rate_to_base > 0", name="rate_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pledge_id: Mapped[int] = mapped_column(ForeignKey("pledges.id"), index=True)
    amount: Mapped[Decimal] = mapped_column(MONEY)
    received_on: Mapped[date] = mapped_column(Date)
    rate_to_base: Mapped[Decimal | None] = mapped_column(RATE)
    reference: Mapped[str | None] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    pledge: Mapped[Pledge] = relationship(back_populates="payments")


class Instalment(Timestamped, db.Model):
    """A part of a pledge due on a day: a multi-year pledge is paid in instalments, each
    counted for the chairmanship in office on its due date."""

    __tablename__ = "instalments"
    __audited__ = True
    __table_args__ = (
        UniqueConstraint("pledge_id", "due_on"),
        CheckConstraint("amount > 0", name="amount_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pledge_id: Mapped[int] = mapped_column(ForeignKey("pledges.id"), index=True)
    due_on: Mapped[date] = mapped_column(Date, index=True)
    amount: Mapped[Decimal] = mapped_column(MONEY)

    pledge: Mapped[Pledge] = relationship(back_populates="instalments")
