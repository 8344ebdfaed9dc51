"""The multiannual report: the work plan's objectives across chairmanships, their indicators,
carry-over trails and funding by term."""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    or_,
    select,
)

from workplan.extensions import db
from workplan.models import (
    Chairmanship,
    Deliverable,
    Objective,
    WorkPlan,
)
from workplan.services.reports.common import (
    ZERO,
    IndicatorProgress,
    StatusRow,
    _deliverable_facts,
    _empty_funding,
    _empty_status,
    _funding_by_chairmanship,
    _status_branch,
    _status_row,
    _union,
    indicator_progress,
)
from workplan.services.reports.predictability import predictability


@dataclass
class ObjectiveYear:
    """One objective's deliverables in one chairmanship (the forum plans by chair, not by year)."""

    objective_id: int | None
    chairmanship_id: int
    chairmanship: str
    planned: int
    completed: int
    carried_over: int
    dropped: int
    open: int
    percent_complete: Decimal | None


@dataclass
class ObjectiveProgress:
    """An objective of a work plan and its deliverables chairmanship by chairmanship."""

    objective_id: int | None
    work_plan: str | None
    code: str | None
    title: str | None
    years: list[ObjectiveYear]


@dataclass
class TrailStep:
    """One link of a carry-over chain."""

    deliverable_id: int
    title: str
    chairmanship: str
    status: str
    percent_complete: int


@dataclass
class CarryOverTrail:
    """A deliverable carried from chair to chair, first to last."""

    objective: str | None
    steps: list[TrailStep]


@dataclass
class ChairmanshipFunding:
    """One chairmanship's money in the reporting currency, with the balance it opened with."""

    chairmanship_id: int
    chairmanship: str
    starts_on: date
    ends_on: date
    opening_balance: Decimal
    opened_from: str | None
    pledges: int
    unconverted: int
    pledged_base: Decimal | None
    committed_base: Decimal | None
    received_base: Decimal | None
    outstanding_base: Decimal | None
    overpaid_base: Decimal | None
    in_hand_base: Decimal | None
    pledged_before_start_share: Decimal | None
    requirements: Decimal | None = None
    pledged_for_term_base: Decimal | None = None
    requirements_pledged_before_term_share: Decimal | None = None


@dataclass
class AheadFunding:
    """The next two years: the chairmanships that begin within two years, their requirements,
    and the converted money already promised for their terms."""

    chairmanships: list[str]
    requirements: Decimal | None
    pledged_base: Decimal
    share: Decimal | None


@dataclass
class MultiannualReport:
    """Objectives and money across chairmanships."""

    generated_on: date
    base_currency: str
    years: list[StatusRow]
    objectives: list[ObjectiveProgress]
    trails: list[CarryOverTrail]
    funding: list[ChairmanshipFunding]
    ahead: AheadFunding
    indicators: list[IndicatorProgress] = field(default_factory=list)
    report: str = "multiannual"


def _trails() -> list[CarryOverTrail]:
    """Chains of deliverables carried from one chairmanship to the next."""
    linked = select(Deliverable.predecessor_id).where(Deliverable.predecessor_id.is_not(None))
    rows = db.session.execute(
        select(
            Deliverable.id,
            Deliverable.predecessor_id,
            Deliverable.title,
            Deliverable.status,
            Deliverable.percent_complete,
            Deliverable.chairmanship_id,
            Chairmanship.label,
            Objective.code,
            Objective.title.label("objective_title"),
        )
        .join(Chairmanship, Chairmanship.id == Deliverable.chairmanship_id)
        .outerjoin(Objective, Objective.id == Deliverable.objective_id)
        .where(
            Deliverable.archived_at.is_(None),
            Chairmanship.archived_at.is_(None),
            or_(Deliverable.predecessor_id.is_not(None), Deliverable.id.in_(linked)),
        )
        .order_by(Chairmanship.starts_on, Deliverable.id)
    ).all()
    by_id = {row.id: row for row in rows}
    successor = {row.predecessor_id: row.id for row in rows if row.predecessor_id in by_id}
    trails = []
    # A chain starts where its predecessor is missing (none, or archived out of the report).
    for row in rows:
        if row.predecessor_id in by_id:
            continue
        steps, current = [], row
        while current is not None:
            steps.append(
                TrailStep(
                    deliverable_id=current.id,
                    title=current.title,
                    chairmanship=current.label,
                    status=current.status,
                    percent_complete=current.percent_complete,
                )
            )
            current = by_id.get(successor.get(current.id))
        if len(steps) > 1:
            objective = f"{row.code}. {row.objective_title}" if row.code else None
            trails.append(CarryOverTrail(objective=objective, steps=steps))
    return trails


def multiannual_report(
    *, base_currency: str, now: datetime, language: str = "en"
) -> MultiannualReport:
    """Every work-plan objective and every chairmanship's money, across the years."""
    today = now.date()
    chairmanships = db.session.scalars(
        select(Chairmanship)
        .where(Chairmanship.archived_at.is_(None))
        .order_by(Chairmanship.starts_on)
    ).all()
    facts = _deliverable_facts(Chairmanship.archived_at.is_(None), language=language)
    rows = _union(
        [
            _status_branch(
                facts,
                "chairmanship",
                today,
                facts.c.chairmanship_id,
                facts.c.chairmanship_label,
            ),
            _status_branch(
                facts,
                "objective",
                today,
                facts.c.objective_id,
                sub=facts.c.chairmanship_id,
            ),
        ],
        "dimension",
        "key",
        "sub",
    )
    objectives = db.session.execute(
        select(Objective.id, Objective.code, Objective.title, WorkPlan.title.label("plan"))
        .join(WorkPlan, WorkPlan.id == Objective.work_plan_id)
        .where(Objective.archived_at.is_(None), WorkPlan.archived_at.is_(None))
        .order_by(WorkPlan.first_year, WorkPlan.title, Objective.code)
    ).all()
    order = {c.id: position for position, c in enumerate(chairmanships)}
    labels = {c.id: c.label for c in chairmanships}
    counted = {int(row.key): _status_row(row) for row in rows if row.dimension == "chairmanship"}
    years = [counted.get(c.id) or _empty_status(str(c.id), c.label) for c in chairmanships]
    cells: dict[int | None, list[ObjectiveYear]] = {}
    for row in rows:
        if row.dimension != "objective":
            continue
        status = _status_row(row)
        chairmanship_id = int(row.sub)
        objective_id = int(row.key) if row.key is not None else None
        cells.setdefault(objective_id, []).append(
            ObjectiveYear(
                objective_id=objective_id,
                chairmanship_id=chairmanship_id,
                chairmanship=labels.get(chairmanship_id, ""),
                planned=status.total,
                completed=status.counts["completed"],
                carried_over=status.counts["carried_over"],
                dropped=status.counts["dropped"],
                open=status.total
                - sum(status.counts[s] for s in ("completed", "carried_over", "dropped")),
                percent_complete=status.percent_complete,
            )
        )
    for years_of_objective in cells.values():
        years_of_objective.sort(key=lambda y: order.get(y.chairmanship_id, 0))
    progress = [
        ObjectiveProgress(
            objective_id=o.id,
            work_plan=o.plan,
            code=o.code,
            title=o.title,
            years=cells.get(o.id, []),
        )
        for o in objectives
    ]
    if None in cells:
        progress.append(ObjectiveProgress(None, None, None, None, cells[None]))
    funding_rows = _funding_by_chairmanship(base_currency, Chairmanship.archived_at.is_(None))
    foresight = predictability(base_currency=base_currency, today=today)
    terms = {term.chairmanship_id: term for term in foresight.terms}
    funding = []
    previous = None
    for chairmanship in chairmanships:
        row = funding_rows.get(chairmanship.id, _empty_funding())
        opening = chairmanship.opening_balance or ZERO
        funding.append(
            ChairmanshipFunding(
                chairmanship_id=chairmanship.id,
                chairmanship=chairmanship.label,
                starts_on=chairmanship.starts_on,
                ends_on=chairmanship.ends_on,
                opening_balance=opening,
                opened_from=previous.label if previous is not None and opening else None,
                pledges=row.pledges,
                unconverted=row.unconverted,
                pledged_base=row.pledged_base,
                committed_base=row.committed_base,
                received_base=row.received_base,
                outstanding_base=row.outstanding_base,
                overpaid_base=row.overpaid_base,
                in_hand_base=None if row.received_base is None else opening + row.received_base,
                pledged_before_start_share=row.pledged_before_start_share,
                requirements=terms[chairmanship.id].requirements,
                pledged_for_term_base=terms[chairmanship.id].pledged_for_term_base,
                requirements_pledged_before_term_share=terms[
                    chairmanship.id
                ].requirements_pledged_before_term_share,
            )
        )
        previous = chairmanship
    return MultiannualReport(
        generated_on=today,
        base_currency=base_currency,
        years=years,
        objectives=progress,
        trails=_trails(),
        funding=funding,
        ahead=AheadFunding(
            chairmanships=foresight.ahead_chairmanships,
            requirements=foresight.ahead_requirements,
            pledged_base=foresight.ahead_pledged_base,
            share=foresight.ahead_share,
        ),
        indicators=indicator_progress(language),
    )
