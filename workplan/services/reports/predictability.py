"""How predictable the forum's funding is: what each chairmanship's requirements had pledged
before its term began, and how much of the next two years' requirements is pledged today.

Money is counted for the chairmanship it will serve: a pledge without instalments for its own
chairmanship; each instalment of a multi-year pledge for the chairmanship in office on its due
date (or the pledge's own, when no term covers that day); what the schedule leaves unscheduled
for the pledge's own chairmanship. An instalment is part of its pledge and converts at the
pledge's rate; a pledge that does not convert (see `exchange_rates`) counts nowhere.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import func, select

from workplan.extensions import db
from workplan.models import BudgetLine, Chairmanship, Instalment
from workplan.services.reports.common import ZERO, _pledge_facts, _share

AHEAD = timedelta(days=730)
CENT = Decimal("0.01")


@dataclass
class TermFunding:
    """One chairmanship's requirements and the converted money promised for its term."""

    chairmanship_id: int
    chairmanship: str
    starts_on: date
    requirements: Decimal | None
    pledged_for_term_base: Decimal
    pledged_before_term_base: Decimal
    requirements_pledged_before_term_share: Decimal | None


@dataclass
class Predictability:
    """Every chairmanship's term funding, and the share of the next two years' requirements
    (the chairmanships that begin within two years) already pledged."""

    terms: list[TermFunding]
    ahead_chairmanships: list[str]
    ahead_requirements: Decimal | None
    ahead_pledged_base: Decimal
    ahead_share: Decimal | None


def _cents(amount: Decimal, rate: Decimal) -> Decimal:
    return (amount * rate).quantize(CENT, rounding=ROUND_HALF_UP)


def predictability(*, base_currency: str, today: date) -> Predictability:
    """Term funding for every live chairmanship, oldest first, in three queries."""
    requirements = func.sum(BudgetLine.amount)
    terms = db.session.execute(
        select(Chairmanship, requirements)
        .outerjoin(BudgetLine, BudgetLine.chairmanship_id == Chairmanship.id)
        .where(Chairmanship.archived_at.is_(None))
        .group_by(Chairmanship.id)
        .order_by(Chairmanship.starts_on, Chairmanship.id)
    ).all()
    facts = _pledge_facts(base_currency, Chairmanship.archived_at.is_(None))
    pledges = db.session.execute(
        select(
            facts.c.pledge_id,
            facts.c.chairmanship_id,
            facts.c.amount,
            facts.c.rate,
            facts.c.pledged_on,
        ).where(facts.c.unconverted == 0)
    ).all()
    instalments = defaultdict(list)
    for pledge_id, due_on, amount in db.session.execute(
        select(Instalment.pledge_id, Instalment.due_on, Instalment.amount)
    ):
        instalments[pledge_id].append((due_on, amount))

    def serving(day: date, own: int) -> int:
        """The chairmanship in office on a day, else the pledge's own."""
        for chairmanship, _requirements in terms:
            if chairmanship.starts_on <= day <= chairmanship.ends_on:
                return chairmanship.id
        return own

    starts = {chairmanship.id: chairmanship.starts_on for chairmanship, _r in terms}
    promised: dict[int, Decimal] = defaultdict(lambda: ZERO)
    early: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for pledge in pledges:
        parts = [
            (serving(due_on, pledge.chairmanship_id), amount)
            for due_on, amount in instalments.get(pledge.pledge_id, [])
        ]
        rest = pledge.amount - sum((amount for _c, amount in parts), ZERO)
        if rest > 0:
            parts.append((pledge.chairmanship_id, rest))
        for chairmanship_id, amount in parts:
            value = _cents(amount, pledge.rate)
            promised[chairmanship_id] += value
            if chairmanship_id in starts and pledge.pledged_on < starts[chairmanship_id]:
                early[chairmanship_id] += value
    rows = [
        TermFunding(
            chairmanship_id=chairmanship.id,
            chairmanship=chairmanship.label,
            starts_on=chairmanship.starts_on,
            requirements=needed,
            pledged_for_term_base=promised[chairmanship.id],
            pledged_before_term_base=early[chairmanship.id],
            requirements_pledged_before_term_share=_share(early[chairmanship.id], needed),
        )
        for chairmanship, needed in terms
    ]
    ahead = [row for row in rows if today < row.starts_on <= today + AHEAD]
    needed = [row.requirements for row in ahead if row.requirements is not None]
    ahead_requirements = sum(needed, ZERO) if needed else None
    # Only terms with a budget count on both sides of the share.
    ahead_pledged = sum(
        (row.pledged_for_term_base for row in ahead if row.requirements is not None), ZERO
    )
    return Predictability(
        terms=rows,
        ahead_chairmanships=[row.chairmanship for row in ahead],
        ahead_requirements=ahead_requirements,
        ahead_pledged_base=ahead_pledged,
        ahead_share=_share(ahead_pledged, ahead_requirements),
    )
