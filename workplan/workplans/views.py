"""The work plans pages: multiannual plans, their objectives and the deliverables under each."""

from flask import Blueprint, abort, render_template
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from workplan import permissions
from workplan.extensions import db
from workplan.models import Deliverable, Objective, WorkPlan, utcnow
from workplan.web import get_or_404, paginate

bp = Blueprint("workplans", __name__, url_prefix="/workplans")


@bp.before_request
@login_required
def _members_only():
    """Work plans and their progress are for signed-in members of the forum."""
    if not permissions.can_read_private(current_user):
        abort(403)


@bp.get("/")
def index():
    """The multiannual work plans, newest first."""
    page = paginate(
        select(WorkPlan)
        .where(WorkPlan.archived_at.is_(None))
        .options(selectinload(WorkPlan.objectives))
        .order_by(WorkPlan.first_year.desc(), WorkPlan.title)
    )
    return render_template("workplans/index.html", page=page)


@bp.get("/<int:work_plan_id>")
def detail(work_plan_id: int):
    """A work plan: its objectives and, under each, the deliverables that serve it."""
    work_plan = get_or_404(WorkPlan, work_plan_id)
    objectives = db.session.scalars(
        select(Objective)
        .where(Objective.work_plan_id == work_plan.id, Objective.archived_at.is_(None))
        .order_by(Objective.code)
    ).all()
    deliverables = db.session.scalars(
        select(Deliverable)
        .where(
            Deliverable.objective_id.in_([o.id for o in objectives]),
            Deliverable.archived_at.is_(None),
        )
        .options(
            selectinload(Deliverable.roundtable),
            selectinload(Deliverable.team),
            selectinload(Deliverable.responsible_governments),
        )
        .order_by(Deliverable.due_on, Deliverable.id)
    ).all()
    by_objective = {o.id: [] for o in objectives}
    for deliverable in deliverables:
        by_objective[deliverable.objective_id].append(deliverable)
    return render_template(
        "workplans/detail.html",
        work_plan=work_plan,
        objectives=objectives,
        by_objective=by_objective,
        today=utcnow().date(),
    )
