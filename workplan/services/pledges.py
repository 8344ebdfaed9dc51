"""Pledges and payments: what donors promise, sign and pay, recorded by the secretariat.

Amounts are Decimals in the pledge's own currency and never converted here; the rate to the
reporting currency is whatever the secretariat recorded (no live rates: the machine may be
offline).
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import selectinload

from workplan.extensions import db
from workplan.formatting import day
from workplan.models import (
    EARMARKS,
    PLEDGE_KINDS,
    BudgetLine,
    Chairmanship,
    Government,
    Instalment,
    Organisation,
    Payment,
    Pledge,
    Roundtable,
)
from workplan.services import DomainError, check_version, exchange_rates, flush_or_stale, records
from workplan.services.checks import text
from workplan.services.parties import find_party

# NUMERIC(18, 2) and NUMERIC(20, 8): larger values would not fit the columns.
MAX_AMOUNT = Decimal("9999999999999999.99")
CENT = Decimal("0.01")


def check_amount(
    amount: Decimal | None, field: str = "amount", below_zero: str | None = None
) -> Decimal:
    """A positive amount of money to the cent; where the caller words a refusal of amounts
    below zero (`below_zero`), nothing at all is an amount too."""
    if amount is None or not amount.is_finite():
        raise DomainError(_("Give the amount as a number, such as 250000 or 250000.50."), field)
    if amount < 0 and below_zero:
        raise DomainError(below_zero, field)
    if amount <= 0 and not below_zero:
        raise DomainError(_("The amount must be more than zero."), field)
    if amount.as_tuple().exponent < -2:
        raise DomainError(_("Give the amount to the cent: at most two decimals."), field)
    if amount > MAX_AMOUNT:
        raise DomainError(_("That amount is too large to record."), field)
    return amount.quantize(CENT)


def check_rate(rate: Decimal | None, currency: str, field: str = "rate_to_base") -> Decimal | None:
    """An optional positive rate from the pledge's currency to the reporting currency."""
    if rate is None:
        return None
    base = current_app.config["BASE_CURRENCY"]
    exchange_rates.check_rate(rate, field)
    if currency == base and rate != 1:
        raise DomainError(_("%(base)s is the reporting currency: its rate is 1.", base=base), field)
    return rate


@dataclass
class PledgeDetails:
    """What the secretariat types about a pledge: the donor is a party key (gov:SWE, org:12)."""

    donor: str
    chairmanship_id: int | None
    amount: Decimal | None
    currency: str
    pledged_on: date | None
    kind: str = "cash"
    in_kind_description: str | None = None
    earmark: str = "general"
    earmark_roundtable_id: int | None = None
    earmark_activity: str | None = None
    rate_to_base: Decimal | None = None
    notes: str | None = None
    budget_line_id: int | None = None


def checked(details: PledgeDetails, current: Pledge | None) -> dict:
    """Check a pledge's details; the values to store, donor and earmark resolved."""
    donor = find_party(details.donor, "donor")
    chairmanship = (
        db.session.get(Chairmanship, details.chairmanship_id) if details.chairmanship_id else None
    )
    if chairmanship is None or chairmanship.archived_at is not None:
        raise DomainError(_("Choose the chairmanship the pledge is made to."), "chairmanship")
    amount = check_amount(details.amount)
    currency = exchange_rates.iso_currency(details.currency)
    if details.kind not in PLEDGE_KINDS:
        raise DomainError(_("Say whether the pledge is cash or in kind."), "kind")
    description = text(details.in_kind_description)
    if details.kind == "in_kind" and description is None:
        raise DomainError(
            _("Describe the service given in kind, such as “venue and interpretation”."),
            "in_kind_description",
        )
    if details.earmark not in EARMARKS:
        raise DomainError(_("Say what the pledge is for."), "earmark")
    roundtable, activity = None, None
    if details.earmark == "roundtable":
        roundtable = (
            db.session.get(Roundtable, details.earmark_roundtable_id)
            if details.earmark_roundtable_id
            else None
        )
        if roundtable is None or roundtable.archived_at is not None:
            raise DomainError(
                _("Choose the roundtable the pledge is earmarked for."), "earmark_roundtable"
            )
        if roundtable.chairmanship_id != chairmanship.id:
            raise DomainError(
                _(
                    "%(code)s belongs to %(its_chairmanship)s, not to %(chairmanship)s.",
                    code=roundtable.code,
                    its_chairmanship=roundtable.chairmanship.label,
                    chairmanship=chairmanship.label,
                ),
                "earmark_roundtable",
            )
    elif details.earmark == "activity":
        activity = text(details.earmark_activity)
        if activity is None:
            raise DomainError(
                _("Name the activity the pledge is earmarked for."), "earmark_activity"
            )
        if len(activity) > 300:
            raise DomainError(
                _("Keep the activity's name under 300 characters."), "earmark_activity"
            )
    budget_line = (
        db.session.get(BudgetLine, details.budget_line_id) if details.budget_line_id else None
    )
    if details.budget_line_id and budget_line is None:
        raise DomainError(_("Choose a line of the chairmanship's budget."), "budget_line")
    if budget_line is not None and budget_line.chairmanship_id != chairmanship.id:
        raise DomainError(
            _(
                "“%(line)s” is a line of %(its_chairmanship)s's budget, not of %(chairmanship)s's.",
                line=budget_line.name,
                its_chairmanship=budget_line.chairmanship.label,
                chairmanship=chairmanship.label,
            ),
            "budget_line",
        )
    if details.pledged_on is None:
        raise DomainError(_("Give the day the pledge was made."), "pledged_on")
    scheduled = sum((i.amount for i in current.instalments), Decimal("0.00")) if current else 0
    if scheduled and currency != current.currency:
        raise DomainError(
            _(
                "Its instalments are in %(currency)s: remove them before changing the currency.",
                currency=current.currency,
            ),
            "currency",
        )
    if amount < scheduled:
        raise DomainError(
            _(
                "The instalments scheduled add up to %(total)s: the pledge cannot be less.",
                total=f"{scheduled:,.2f} {current.currency}",
            ),
            "amount",
        )
    earliest = min(
        [p.received_on for p in current.payments] + [i.due_on for i in current.instalments]
        if current
        else [],
        default=None,
    )
    if earliest is not None and details.pledged_on > earliest:
        raise DomainError(
            _(
                "Money or an instalment is already dated %(day)s; the pledge came before.",
                day=day(earliest),
            ),
            "pledged_on",
        )
    if current is not None and current.committed_on and details.pledged_on > current.committed_on:
        raise DomainError(
            _(
                "The agreement was signed on %(day)s; the pledge came before.",
                day=day(current.committed_on),
            ),
            "pledged_on",
        )
    return {
        "donor_government": donor if isinstance(donor, Government) else None,
        "donor_organisation": None if isinstance(donor, Government) else donor,
        "chairmanship": chairmanship,
        "amount": amount,
        "currency": currency,
        "kind": details.kind,
        # A cash pledge describes no service; keeping an old description would mislead.
        "in_kind_description": description if details.kind == "in_kind" else None,
        "earmark": details.earmark,
        "earmark_roundtable": roundtable,
        "earmark_activity": activity,
        "budget_line": budget_line,
        "pledged_on": details.pledged_on,
        "rate_to_base": check_rate(details.rate_to_base, currency),
        "notes": text(details.notes),
    }


archive, restore = records.archive, records.restore


def commit_pledge(pledge: Pledge, committed_on: date | None, version: int | None) -> None:
    """Mark a pledge as committed: the donor signed an agreement on that day."""
    check_version(pledge, version)
    if pledge.archived_at is not None:
        raise DomainError(_("Restore this pledge before changing it."))
    if pledge.status == "committed":
        raise DomainError(
            _("This pledge was already committed on %(day)s.", day=day(pledge.committed_on))
        )
    _dated_from_pledge(
        pledge,
        committed_on,
        "committed_on",
        missing=_("Give the day the agreement was signed."),
        earlier=_(
            "The pledge was made on %(day)s; the agreement cannot come before.",
            day=day(pledge.pledged_on),
        ),
    )
    pledge.status = "committed"
    pledge.committed_on = committed_on
    flush_or_stale(pledge)


def _dated_from_pledge(pledge: Pledge, when: date | None, field: str, missing, earlier) -> None:
    """What happens to a pledge (its agreement, a payment, an instalment) has a day, and that
    day is not before the pledge was made; each says so in its own words."""
    if when is None:
        raise DomainError(missing, field)
    if when < pledge.pledged_on:
        raise DomainError(earlier, field)


@dataclass
class PaymentDetails:
    """What the secretariat types about money (or a service's value) received."""

    amount: Decimal | None
    received_on: date | None
    rate_to_base: Decimal | None = None
    reference: str | None = None


def record_payment(pledge: Pledge, details: PaymentDetails) -> Payment:
    """Record a payment received against a pledge, in the pledge's currency.

    Money arriving shows the donor is bound: a pledge still only "pledged" becomes committed
    on the day of its first payment (the pages say so), so a report never counts money
    received against nothing committed.
    """
    if pledge.archived_at is not None:
        raise DomainError(_("Restore this pledge before recording payments on it."))
    amount = check_amount(details.amount)
    _dated_from_pledge(
        pledge,
        details.received_on,
        "received_on",
        missing=_("Give the day the payment arrived."),
        earlier=_(
            "The pledge was made on %(day)s; a payment against it cannot arrive before.",
            day=day(pledge.pledged_on),
        ),
    )
    reference = text(details.reference)
    if reference is not None and len(reference) > 200:
        raise DomainError(_("Keep the reference under 200 characters."), "reference")
    payment = Payment(
        pledge=pledge,
        amount=amount,
        received_on=details.received_on,
        rate_to_base=check_rate(details.rate_to_base, pledge.currency),
        reference=reference,
    )
    db.session.add(payment)
    if pledge.status == "pledged":
        pledge.status, pledge.committed_on = "committed", details.received_on
    db.session.flush()
    return payment


@dataclass
class InstalmentDetails:
    """What the secretariat types about a part of a pledge falling due."""

    amount: Decimal | None
    due_on: date | None


def schedule_instalment(pledge: Pledge, details: InstalmentDetails) -> Instalment:
    """Add an instalment to a pledge's schedule; the instalments never add up to more than
    the pledge."""
    if pledge.archived_at is not None:
        raise DomainError(_("Restore this pledge before changing its instalments."))
    amount = check_amount(details.amount)
    _dated_from_pledge(
        pledge,
        details.due_on,
        "due_on",
        missing=_("Give the day the instalment is due."),
        earlier=_(
            "The pledge was made on %(day)s; an instalment cannot fall due before.",
            day=day(pledge.pledged_on),
        ),
    )
    if any(instalment.due_on == details.due_on for instalment in pledge.instalments):
        raise DomainError(
            _("An instalment already falls due on %(day)s.", day=day(details.due_on)), "due_on"
        )
    scheduled = sum((i.amount for i in pledge.instalments), Decimal("0.00")) + amount
    if scheduled > pledge.amount:
        raise DomainError(
            _(
                "The instalments would add up to %(total)s, more than the %(amount)s pledged.",
                total=f"{scheduled:,.2f} {pledge.currency}",
                amount=f"{pledge.amount:,.2f} {pledge.currency}",
            ),
            "amount",
        )
    instalment = Instalment(pledge=pledge, amount=amount, due_on=details.due_on)
    db.session.add(instalment)
    db.session.flush()
    return instalment


@dataclass(frozen=True)
class ScheduledInstalment:
    """An instalment and where it stands: "covered" by the payments (set against instalments
    in the order they fall due), "overdue", or "due" later."""

    instalment: Instalment
    state: str


def schedule(pledge: Pledge, today: date) -> list[ScheduledInstalment]:
    """A pledge's instalments in the order they fall due, each with where it stands."""
    received = pledge.received
    due = Decimal("0.00")
    rows = []
    for instalment in pledge.instalments:
        due += instalment.amount
        late = "overdue" if instalment.due_on < today else "due"
        rows.append(ScheduledInstalment(instalment, "covered" if due <= received else late))
    return rows


def remove_instalment(instalment: Instalment) -> None:
    """Take an instalment off the schedule; the audit log keeps what it was."""
    if instalment.pledge.archived_at is not None:
        raise DomainError(_("Restore this pledge before changing its instalments."))
    db.session.delete(instalment)
    db.session.flush()


def remove_payment(payment: Payment) -> None:
    """Remove a payment recorded in error; the audit log keeps what it was."""
    if payment.pledge.archived_at is not None:
        raise DomainError(_("Restore this pledge before changing its payments."))
    db.session.delete(payment)
    db.session.flush()


# What the pages read

DONOR_TYPES = ("government", "organisation")
# Paid is not stored: a pledge is paid once its payments cover the amount.
STAGES = ("pledged", "committed", "paid")
_DONOR_NAME = func.coalesce(Government.name, Organisation.name)
SORTS = {
    "-pledged_on": (Pledge.pledged_on.desc(), Pledge.id.desc()),
    "pledged_on": (Pledge.pledged_on, Pledge.id),
    "donor": (_DONOR_NAME, Pledge.pledged_on.desc(), Pledge.id),
    # Amounts in different currencies are never compared: sort within each currency.
    "amount": (Pledge.currency, Pledge.amount.desc(), Pledge.id),
}


@dataclass(frozen=True)
class PledgeFilters:
    """What the list of pledges is narrowed to, and in which order."""

    chairmanship_id: int | None = None
    donor: str | None = None  # "government" or "organisation"
    stage: str | None = None
    kind: str | None = None
    currency: str = ""
    text: str = ""
    sort: str = "-pledged_on"
    archived: bool = False


def listing(filters: PledgeFilters) -> Select:
    """The pledges that match, as a query to page through."""
    query = (
        select(Pledge)
        .outerjoin(Government, Pledge.donor_government_id == Government.id)
        .outerjoin(Organisation, Pledge.donor_organisation_id == Organisation.id)
        .where(records.listed(Pledge, filters.archived))
        .options(
            selectinload(Pledge.chairmanship),
            selectinload(Pledge.donor_government),
            selectinload(Pledge.donor_organisation),
            selectinload(Pledge.payments),
            selectinload(Pledge.earmark_roundtable),
        )
        .order_by(*SORTS[filters.sort])
    )
    if filters.chairmanship_id:
        query = query.where(Pledge.chairmanship_id == filters.chairmanship_id)
    if filters.donor == "government":
        query = query.where(Pledge.donor_government_id.is_not(None))
    elif filters.donor == "organisation":
        query = query.where(Pledge.donor_organisation_id.is_not(None))
    if filters.stage:
        received = (
            select(func.coalesce(func.sum(Payment.amount), 0))
            .where(Payment.pledge_id == Pledge.id)
            .scalar_subquery()
        )
        paid = received >= Pledge.amount
        if filters.stage == "paid":
            query = query.where(paid)
        else:
            query = query.where(Pledge.status == filters.stage, ~paid)
    if filters.kind:
        query = query.where(Pledge.kind == filters.kind)
    if filters.currency:
        query = query.where(Pledge.currency == filters.currency)
    if filters.text:
        like = f"%{filters.text}%"
        query = query.where(
            or_(
                Government.name.ilike(like),
                Government.iso3 == filters.text.upper(),
                Organisation.name.ilike(like),
                Organisation.acronym.ilike(like),
                Pledge.earmark_activity.ilike(like),
                Pledge.in_kind_description.ilike(like),
                Pledge.notes.ilike(like),
            )
        )
    return query


def currencies_pledged() -> list[str]:
    """The currencies pledges are recorded in."""
    return list(db.session.scalars(select(Pledge.currency).distinct().order_by(Pledge.currency)))
