"""The handover pack: what a chair hands the next one, on one page.

Balances, the budget's state, the pledges and instalments still open, the work still open or
carried over, and the amounts that cannot be converted. Every number comes from the same rules
as the chairmanship report (and most from the report itself).
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from workplan.extensions import db
from workplan.models import Chairmanship, Deliverable, Pledge
from workplan.services.pledges import schedule
from workplan.services.reports.chairmanship import chairmanship_report
from workplan.services.reports.common import (
    Budget,
    ChairmanshipInfo,
    DeliverableItem,
    PledgeLine,
    _deliverable_item,
)

# Completed and dropped work is finished; everything else (carried over included) is handed on.
HANDED_ON = ("planned", "in_progress", "at_risk", "carried_over")
CENT = Decimal("0.01")


@dataclass
class Balances:
    """The money in the books, in the reporting currency. No spending is recorded here, so what
    came in is also what is unspent."""

    opening_balance: Decimal
    received_base: Decimal | None
    in_hand_base: Decimal | None
    outstanding_base: Decimal | None


@dataclass
class InstalmentLine:
    """An instalment not yet covered by payments."""

    pledge_id: int
    donor: str
    due_on: date
    state: str
    currency: str
    amount: Decimal
    amount_base: Decimal | None


@dataclass
class HandoverReport:
    """What the chair of one term hands the next."""

    generated_on: date
    base_currency: str
    chairmanship: ChairmanshipInfo
    next_chairmanship: str | None
    balances: Balances
    budget: Budget
    open_pledges: list[PledgeLine]
    instalments: list[InstalmentLine]
    open_deliverables: list[DeliverableItem]
    unconverted: list[PledgeLine]
    report: str = "handover"


def handover_report(
    chairmanship: Chairmanship, *, base_currency: str, now: datetime, language: str = "en"
) -> HandoverReport:
    """The handover pack of a chairmanship, as of now."""
    today = now.date()
    full = chairmanship_report(
        chairmanship, base_currency=base_currency, now=now, language=language
    )
    funding = full.funding
    lines = {line.id: line for line in funding.pledges}
    pledges = db.session.scalars(
        select(Pledge)
        .where(Pledge.chairmanship_id == chairmanship.id, Pledge.archived_at.is_(None))
        .options(selectinload(Pledge.instalments), selectinload(Pledge.payments))
        .order_by(Pledge.pledged_on, Pledge.id)
    ).all()
    instalments = []
    for pledge in pledges:
        line = lines[pledge.id]
        for row in schedule(pledge, today):
            if row.state == "covered":
                continue
            rate = line.rate_to_base if line.converted else None
            instalments.append(
                InstalmentLine(
                    pledge_id=pledge.id,
                    donor=line.donor,
                    due_on=row.instalment.due_on,
                    state=row.state,
                    currency=pledge.currency,
                    amount=row.instalment.amount,
                    amount_base=(
                        (row.instalment.amount * rate).quantize(CENT, rounding=ROUND_HALF_UP)
                        if rate
                        else None
                    ),
                )
            )
    instalments.sort(key=lambda line: (line.due_on, line.pledge_id))
    deliverables = db.session.scalars(
        select(Deliverable)
        .where(
            Deliverable.chairmanship_id == chairmanship.id,
            Deliverable.archived_at.is_(None),
            Deliverable.status.in_(HANDED_ON),
        )
        .options(
            selectinload(Deliverable.roundtable),
            selectinload(Deliverable.team),
            selectinload(Deliverable.chairmanship),
            selectinload(Deliverable.responsible_governments),
        )
        .order_by(Deliverable.due_on, Deliverable.id)
    ).all()
    successor = db.session.scalar(
        select(Chairmanship.label)
        .where(Chairmanship.starts_on > chairmanship.starts_on, Chairmanship.archived_at.is_(None))
        .order_by(Chairmanship.starts_on)
        .limit(1)
    )
    totals = funding.totals
    opening = funding.opening_balance
    return HandoverReport(
        generated_on=today,
        base_currency=base_currency,
        chairmanship=full.chairmanship,
        next_chairmanship=successor,
        balances=Balances(
            opening_balance=opening,
            received_base=totals.received_base,
            in_hand_base=opening + (totals.received_base or 0),
            outstanding_base=totals.outstanding_base,
        ),
        budget=funding.budget,
        open_pledges=[line for line in funding.pledges if line.stage != "paid"],
        instalments=instalments,
        open_deliverables=[_deliverable_item(d, today, language) for d in deliverables],
        unconverted=funding.unconverted,
    )
