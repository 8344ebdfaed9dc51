"""Multiannual work plans and their objectives: the targets deliverables serve."""

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import Select, or_, select
from sqlalchemy.orm import selectinload

from workplan.extensions import db
from workplan.models import Deliverable, Objective, WorkPlan
from workplan.services import DomainError, deliverables, records
from workplan.services.checks import (
    plausible_year,
    refuse_archive_while_used,
    required,
    text,
)


@dataclass
class WorkPlanDetails:
    """What the secretariat types about a multiannual work plan."""

    title: str
    first_year: int
    last_year: int
    description: str | None = None


def checked(details: WorkPlanDetails, current: WorkPlan | None) -> dict:
    """Check a work plan's details; the values to store."""
    title = required(details.title, _("Give the work plan a title."), "title", 200)
    records.refuse_taken_name(
        WorkPlan.title,
        title,
        current,
        "title",
        lambda same: _("A work plan called “%(title)s” exists already.", title=same.title),
        lambda same: _(
            "A work plan called “%(title)s” exists already (archived: restore it instead).",
            title=same.title,
        ),
    )
    first = plausible_year(details.first_year, "first_year")
    last = plausible_year(details.last_year, "last_year")
    if last < first:
        raise DomainError(
            _("The last year cannot come before the first (%(first)s).", first=first), "last_year"
        )
    return {
        "title": title,
        "first_year": first,
        "last_year": last,
        "description": text(details.description),
    }


def archive(work_plan: WorkPlan) -> None:
    """Hide a work plan whose objectives have all been archived."""
    refuse_archive_while_used(
        work_plan.title, work_plan.id, [(Objective.work_plan_id, "objective")]
    )
    records.archive(work_plan)


restore = records.restore


@dataclass
class ObjectiveDetails:
    """What the secretariat types about an objective of a work plan."""

    code: str
    title: str
    description: str | None = None


def _check_objective(work_plan: WorkPlan, details: ObjectiveDetails, current: Objective | None):
    """Check an objective's details within its work plan; the values to store."""
    code = required(details.code, _("Give the objective a code, such as 1 or 2.3."), "code", 20)
    same = db.session.scalar(
        select(Objective).where(Objective.work_plan_id == work_plan.id, Objective.code == code)
    )
    if same is not None and same is not current:
        raise DomainError(
            _(
                "Objective %(code)s exists already in this work plan (archived: restore it "
                "instead).",
                code=code,
            )
            if same.archived_at
            else _("Objective %(code)s exists already in this work plan.", code=code),
            "code",
        )
    return {
        "work_plan": work_plan,
        "code": code,
        "title": required(details.title, _("Say what the objective is."), "title", 300),
        "description": text(details.description),
    }


def add_objective(work_plan: WorkPlan, details: ObjectiveDetails) -> Objective:
    """Add an objective to a work plan."""
    if work_plan.archived_at is not None:
        raise DomainError(_("Restore the work plan before adding objectives to it."))
    return records.add(Objective, _check_objective(work_plan, details, None))


def update_objective(objective: Objective, details: ObjectiveDetails, version: int | None) -> None:
    """Change an objective's code, title or description."""
    records.apply(objective, _check_objective(objective.work_plan, details, objective), version)


def archive_objective(objective: Objective) -> None:
    """Hide an objective no live deliverable serves."""
    refuse_archive_while_used(
        _("Objective %(code)s", code=objective.code),
        objective.id,
        [(Deliverable.objective_id, "deliverable")],
    )
    records.archive(objective)


# What the pages read

SORTS = {
    "-first_year": (WorkPlan.first_year.desc(), WorkPlan.title),
    "first_year": (WorkPlan.first_year, WorkPlan.title),
    "title": (WorkPlan.title,),
}


@dataclass(frozen=True)
class WorkPlanFilters:
    """What the list of work plans is narrowed to, and in which order."""

    text: str = ""
    year: int | None = None  # a year the plan covers
    sort: str = "-first_year"
    archived: bool = False


def listing(filters: WorkPlanFilters) -> Select:
    """The work plans that match, as a query to page through."""
    query = (
        select(WorkPlan)
        .where(records.listed(WorkPlan, filters.archived))
        .options(selectinload(WorkPlan.objectives))
        .order_by(*SORTS[filters.sort])
    )
    if filters.text:
        query = query.where(
            or_(
                WorkPlan.title.ilike(f"%{filters.text}%"),
                WorkPlan.description.ilike(f"%{filters.text}%"),
            )
        )
    if filters.year:
        query = query.where(WorkPlan.first_year <= filters.year, WorkPlan.last_year >= filters.year)
    return query


@dataclass(frozen=True)
class WorkPlanPage:
    """What a work plan's page shows: its objectives and the deliverables serving each."""

    objectives: list[Objective]
    archived_objectives: list[Objective]
    by_objective: dict[int, list[Deliverable]]


def page(work_plan: WorkPlan, *, secretariat: bool) -> WorkPlanPage:
    """A work plan's objectives with their deliverables; the secretariat also sees the
    archived objectives."""
    objectives = db.session.scalars(
        select(Objective)
        .where(Objective.work_plan_id == work_plan.id, Objective.archived_at.is_(None))
        .order_by(Objective.code)
    ).all()
    archived_objectives = []
    if secretariat:
        archived_objectives = db.session.scalars(
            select(Objective)
            .where(Objective.work_plan_id == work_plan.id, Objective.archived_at.is_not(None))
            .order_by(Objective.code)
        ).all()
    served = deliverables.live_where(Deliverable.objective_id.in_([o.id for o in objectives]))
    by_objective = {o.id: [] for o in objectives}
    for deliverable in served:
        by_objective[deliverable.objective_id].append(deliverable)
    return WorkPlanPage(objectives, archived_objectives, by_objective)
