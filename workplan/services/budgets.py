"""A chairmanship's budget: its requirements by line, in the reporting currency, which pledges
may be set against to show coverage and the funding gap."""

from dataclasses import dataclass
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select
from sqlalchemy.orm import contains_eager

from workplan.extensions import db
from workplan.models import BudgetLine, Chairmanship, Pledge
from workplan.services import DomainError, check_version, flush_or_stale, records
from workplan.services.checks import text
from workplan.services.pledges import check_amount


@dataclass
class BudgetLineDetails:
    """What the secretariat types about a line of the budget."""

    name: str | None
    amount: Decimal | None
    name_fr: str | None = None
    name_es: str | None = None


def _checked(chairmanship: Chairmanship, details: BudgetLineDetails, current) -> dict:
    """The values to store, or a refusal at its field."""
    if chairmanship.archived_at is not None:
        raise DomainError(_("Restore this chairmanship before changing its budget."))
    names = {}
    for field in ("name", "name_fr", "name_es"):
        value = text(getattr(details, field))
        if value is not None and len(value) > 200:
            raise DomainError(_("Keep the line's name under 200 characters."), field)
        names[field] = value
    if names["name"] is None:
        raise DomainError(_("Name the line, such as “Summit” or “Support Unit”."), "name")
    same = db.session.scalar(
        select(BudgetLine).where(
            BudgetLine.chairmanship_id == chairmanship.id,
            records.same_name(BudgetLine.name, names["name"]),
        )
    )
    if same is not None and same is not current:
        raise DomainError(
            _("The budget already has a line named “%(name)s”.", name=same.name), "name"
        )
    below_zero = _("The requirement cannot be below zero.")
    return {**names, "amount": check_amount(details.amount, below_zero=below_zero)}


def add_line(chairmanship: Chairmanship, details: BudgetLineDetails) -> BudgetLine:
    """Add a line at the end of a chairmanship's budget."""
    values = _checked(chairmanship, details, None)
    last = db.session.scalar(
        select(func.max(BudgetLine.position)).where(BudgetLine.chairmanship_id == chairmanship.id)
    )
    return records.add(
        BudgetLine, {**values, "chairmanship": chairmanship, "position": (last or 0) + 1}
    )


def update_line(line: BudgetLine, details: BudgetLineDetails, version: int | None) -> None:
    """Change a line's name or requirement, from the version the editor saw."""
    check_version(line, version)
    for key, value in _checked(line.chairmanship, details, line).items():
        setattr(line, key, value)
    flush_or_stale(line)


def remove_line(line: BudgetLine) -> None:
    """Remove a line no pledge is set against; the audit log keeps what it was."""
    if line.chairmanship.archived_at is not None:
        raise DomainError(_("Restore this chairmanship before changing its budget."))
    held = db.session.scalar(
        select(func.count(Pledge.id)).where(
            Pledge.budget_line_id == line.id, Pledge.archived_at.is_(None)
        )
    )
    if held:
        raise DomainError(
            ngettext(
                "%(num)d pledge is set against “%(name)s”: set it against another line first.",
                "%(num)d pledges are set against “%(name)s”: set them against another line first.",
                held,
                name=line.name,
            )
        )
    # An archived pledge set against the line lets go of it; the audit log keeps both.
    for pledge in db.session.scalars(select(Pledge).where(Pledge.budget_line_id == line.id)):
        pledge.budget_line_id = None
    db.session.delete(line)
    db.session.flush()


def choices() -> list[BudgetLine]:
    """Every budget line of a live chairmanship, for a pledge's form."""
    return list(
        db.session.scalars(
            select(BudgetLine)
            .join(Chairmanship, Chairmanship.id == BudgetLine.chairmanship_id)
            .where(Chairmanship.archived_at.is_(None))
            .options(contains_eager(BudgetLine.chairmanship))
            .order_by(Chairmanship.starts_on.desc(), BudgetLine.position, BudgetLine.id)
        )
    )
