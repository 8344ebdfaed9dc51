"""The work plans pages: multiannual plans, their objectives and the deliverables under each,
and the secretariat's screens to write, archive and restore plans and objectives."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from workplan import permissions
from workplan.editing import commit_or_refuse
from workplan.extensions import db
from workplan.formatting import lazy_gettext as _l
from workplan.forms import archived_filter, listed
from workplan.models import Deliverable, Objective, WorkPlan, utcnow
from workplan.services import DomainError, records, structure
from workplan.web import get_or_404, paginate, query_choice, query_int, query_text
from workplan.workplans.forms import ObjectiveForm, WorkPlanForm

bp = Blueprint("workplans", __name__, url_prefix="/workplans")

SORTS = {
    "-first_year": (_l("Newest first"), (WorkPlan.first_year.desc(), WorkPlan.title)),
    "first_year": (_l("Oldest first"), (WorkPlan.first_year, WorkPlan.title)),
    "title": (_l("Title"), (WorkPlan.title,)),
}


@bp.before_request
@login_required
def _members_only():
    """Work plans and their progress are for signed-in members of the forum."""
    if not permissions.can_read_private(current_user):
        abort(403)


def _may_manage() -> None:
    """Only the secretariat writes work plans and objectives."""
    if not permissions.can_manage_programme(current_user):
        abort(403)


@bp.get("/")
def index():
    """The multiannual work plans, newest first; search by title, filter by a year they cover."""
    archived = archived_filter()
    text = query_text("q", 100)
    year = query_int("year", minimum=1)
    sort = query_choice("sort", SORTS, "-first_year")
    query = (
        select(WorkPlan)
        .where(listed(WorkPlan, archived))
        .options(selectinload(WorkPlan.objectives))
        .order_by(*SORTS[sort][1])
    )
    if text:
        query = query.where(
            or_(WorkPlan.title.ilike(f"%{text}%"), WorkPlan.description.ilike(f"%{text}%"))
        )
    if year:
        query = query.where(WorkPlan.first_year <= year, WorkPlan.last_year >= year)
    return render_template(
        "workplans/index.html",
        page=paginate(query),
        q=text,
        year=year,
        sort=sort,
        sorts=SORTS,
        archived=archived,
    )


def _detail_page(
    work_plan: WorkPlan,
    objective_form: ObjectiveForm | None = None,
    refusal: str | None = None,
    status: int = 200,
):
    """A work plan's page, with the objective form as typed and a refusal's reason if any."""
    objectives = db.session.scalars(
        select(Objective)
        .where(Objective.work_plan_id == work_plan.id, Objective.archived_at.is_(None))
        .order_by(Objective.code)
    ).all()
    archived_objectives = []
    if permissions.is_secretariat(current_user):
        archived_objectives = db.session.scalars(
            select(Objective)
            .where(Objective.work_plan_id == work_plan.id, Objective.archived_at.is_not(None))
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
    if objective_form is None and permissions.can_manage_programme(current_user):
        objective_form = ObjectiveForm(formdata=None)
    page = render_template(
        "workplans/detail.html",
        work_plan=work_plan,
        objectives=objectives,
        archived_objectives=archived_objectives,
        by_objective=by_objective,
        objective_form=objective_form,
        refusal=refusal,
        today=utcnow().date(),
    )
    return page, status


@bp.get("/<int:work_plan_id>")
def detail(work_plan_id: int):
    """A work plan: its objectives and, under each, the deliverables that serve it."""
    work_plan = get_or_404(
        WorkPlan, work_plan_id, include_archived=permissions.is_secretariat(current_user)
    )
    return _detail_page(work_plan)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def create():
    """Start a multiannual work plan."""
    _may_manage()
    form = WorkPlanForm()
    if form.validate_on_submit():
        try:
            work_plan = structure.create_work_plan(form.details())
        except DomainError as error:
            db.session.rollback()
            form.refuse(error)
        else:
            db.session.commit()
            flash(
                _("%(title)s is recorded. Add its objectives below.", title=work_plan.title),
                "success",
            )
            return redirect(url_for(".detail", work_plan_id=work_plan.id))
    status = 400 if form.is_submitted() else 200
    return render_template("workplans/form.html", form=form, work_plan=None), status


@bp.route("/<int:work_plan_id>/edit", methods=["GET", "POST"])
@login_required
def edit(work_plan_id: int):
    """Change a work plan's title, years or description."""
    _may_manage()
    work_plan = get_or_404(WorkPlan, work_plan_id)
    form = WorkPlanForm(obj=work_plan) if request.method == "GET" else WorkPlanForm()
    if form.validate_on_submit():
        try:
            structure.update_work_plan(work_plan, form.details())
        except DomainError as error:
            db.session.rollback()
            form.refuse(error)
        else:
            db.session.commit()
            flash(_("%(title)s is saved.", title=work_plan.title), "success")
            return redirect(url_for(".detail", work_plan_id=work_plan.id))
    status = 400 if form.is_submitted() else 200
    return render_template("workplans/form.html", form=form, work_plan=work_plan), status


@bp.post("/<int:work_plan_id>/archive")
@login_required
def archive(work_plan_id: int):
    """Hide a work plan whose objectives are all archived."""
    _may_manage()
    work_plan = get_or_404(WorkPlan, work_plan_id)
    return commit_or_refuse(
        lambda: structure.archive_work_plan(work_plan),
        refused=lambda message: _detail_page(work_plan, refusal=message, status=409),
        done=_(
            "%(title)s is archived. Find it under “Archived” to restore it.", title=work_plan.title
        ),
        then=url_for(".index"),
    )


@bp.post("/<int:work_plan_id>/restore")
@login_required
def restore(work_plan_id: int):
    """Bring an archived work plan back."""
    _may_manage()
    work_plan = get_or_404(WorkPlan, work_plan_id, include_archived=True)
    return commit_or_refuse(
        lambda: records.restore(work_plan),
        refused=lambda message: _detail_page(work_plan, refusal=message, status=409),
        done=_("%(title)s is restored.", title=work_plan.title),
        then=url_for(".detail", work_plan_id=work_plan.id),
    )


def _objective(work_plan_id: int, objective_id: int, *, include_archived: bool = False):
    """An objective of the work plan named in the address, or 404."""
    work_plan = get_or_404(WorkPlan, work_plan_id)
    objective = get_or_404(Objective, objective_id, include_archived=include_archived)
    if objective.work_plan_id != work_plan.id:
        abort(404)
    return work_plan, objective


@bp.post("/<int:work_plan_id>/objectives")
@login_required
def add_objective(work_plan_id: int):
    """Add an objective to a work plan, from the form on its page."""
    _may_manage()
    work_plan = get_or_404(WorkPlan, work_plan_id)
    form = ObjectiveForm()
    if form.validate_on_submit():
        try:
            objective = structure.add_objective(work_plan, form.details())
        except DomainError as error:
            db.session.rollback()
            form.refuse(error)
        else:
            db.session.commit()
            flash(_("Objective %(code)s is added.", code=objective.code), "success")
            return redirect(
                url_for(".detail", work_plan_id=work_plan.id, _anchor=f"objective-{objective.id}")
            )
    return _detail_page(work_plan, objective_form=form, status=400)


@bp.route("/<int:work_plan_id>/objectives/<int:objective_id>/edit", methods=["GET", "POST"])
@login_required
def edit_objective(work_plan_id: int, objective_id: int):
    """Change an objective's code, title or description."""
    _may_manage()
    work_plan, objective = _objective(work_plan_id, objective_id)
    form = ObjectiveForm(obj=objective) if request.method == "GET" else ObjectiveForm()
    if form.validate_on_submit():
        try:
            structure.update_objective(objective, form.details())
        except DomainError as error:
            db.session.rollback()
            form.refuse(error)
        else:
            db.session.commit()
            flash(_("Objective %(code)s is saved.", code=objective.code), "success")
            return redirect(
                url_for(".detail", work_plan_id=work_plan.id, _anchor=f"objective-{objective.id}")
            )
    status = 400 if form.is_submitted() else 200
    return render_template(
        "workplans/objective_form.html", form=form, work_plan=work_plan, objective=objective
    ), status


@bp.post("/<int:work_plan_id>/objectives/<int:objective_id>/archive")
@login_required
def archive_objective(work_plan_id: int, objective_id: int):
    """Hide an objective that no live deliverable serves."""
    _may_manage()
    work_plan, objective = _objective(work_plan_id, objective_id)
    return commit_or_refuse(
        lambda: structure.archive_objective(objective),
        refused=lambda message: _detail_page(work_plan, refusal=message, status=409),
        done=_("Objective %(code)s is archived.", code=objective.code),
        then=url_for(".detail", work_plan_id=work_plan.id),
    )


@bp.post("/<int:work_plan_id>/objectives/<int:objective_id>/restore")
@login_required
def restore_objective(work_plan_id: int, objective_id: int):
    """Bring an archived objective back into its work plan."""
    _may_manage()
    work_plan, objective = _objective(work_plan_id, objective_id, include_archived=True)
    return commit_or_refuse(
        lambda: records.restore(objective),
        refused=lambda message: _detail_page(work_plan, refusal=message, status=409),
        done=_("Objective %(code)s is restored.", code=objective.code),
        then=url_for(
            ".detail",
            work_plan_id=work_plan.id,
            _anchor=f"objective-{objective.id}",
        ),
    )
