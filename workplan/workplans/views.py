"""The work plans pages: multiannual plans, their objectives and the deliverables under each,
and the secretariat's screens to write, archive and restore plans and objectives."""

from flask import Blueprint, abort, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from workplan import editing, permissions, web
from workplan.formatting import lazy_gettext as _l
from workplan.models import Objective, WorkPlan, utcnow
from workplan.services import records, workplans
from workplan.workplans.forms import ObjectiveForm, WorkPlanForm

bp = Blueprint("workplans", __name__, url_prefix="/workplans")
# Work plans and their progress are for signed-in members of the forum.
web.guard(bp, permissions.can_read_private)

SORTS = {"-first_year": _l("Newest first"), "first_year": _l("Oldest first"), "title": _l("Title")}
# The confirmations, a whole sentence each so every language can make it agree.
SAID = {
    editing.CREATED: _l("%(title)s is recorded. Add its objectives below."),
    editing.SAVED: _l("%(title)s is saved."),
    editing.ARCHIVED: _l("%(title)s is archived. Find it under “Archived” to restore it."),
    editing.RESTORED: _l("%(title)s is restored."),
}
manages = web.require(permissions.can_manage_programme)


@bp.get("/")
def index():
    """The multiannual work plans, newest first; search by title, filter by a year they cover."""
    year = web.query_int("year", minimum=1)
    filters = web.list_filters(workplans.WorkPlanFilters, SORTS, year=year)
    return web.list_page("workplans/index.html", workplans.listing(filters), filters, sorts=SORTS)


def _detail_page(
    work_plan: WorkPlan,
    objective_form: ObjectiveForm | None = None,
    refusal: str | None = None,
    status: int = 200,
):
    """A work plan: its objectives and, under each, the deliverables that serve it.

    Shown with the objective form as typed and a refusal's reason if any.
    """
    sections = workplans.page(work_plan, secretariat=permissions.is_secretariat(current_user))
    if objective_form is None and permissions.can_manage_programme(current_user):
        objective_form = ObjectiveForm(formdata=None)
    page = render_template(
        "workplans/detail.html",
        work_plan=work_plan,
        sections=sections,
        objective_form=objective_form,
        refusal=refusal,
        today=utcnow().date(),
    )
    return page, status


editing.add_record_routes(
    bp, "work_plan", WorkPlan, WorkPlanForm, workplans, page=_detail_page, said=SAID
)


def _objective(work_plan_id: int, objective_id: int, *, include_archived: bool = False):
    """An objective of the work plan named in the address, or 404."""
    work_plan = web.get_or_404(WorkPlan, work_plan_id)
    objective = web.get_or_404(Objective, objective_id, include_archived=include_archived)
    if objective.work_plan_id != work_plan.id:
        abort(404)
    return work_plan, objective


def _at_objective(objective: Objective) -> str:
    """The work plan's page, scrolled to the objective."""
    return url_for(
        ".detail", work_plan_id=objective.work_plan_id, _anchor=f"objective-{objective.id}"
    )


@bp.post("/<int:work_plan_id>/objectives")
@manages
def add_objective(work_plan_id: int):
    """Add an objective to a work plan, from the form on its page."""
    work_plan = web.get_or_404(WorkPlan, work_plan_id)
    form = ObjectiveForm()
    return editing.save(
        form,
        lambda: workplans.add_objective(work_plan, form.details()),
        page=lambda form, status, newer=None: _detail_page(
            work_plan, objective_form=form, status=status
        ),
        done=lambda objective: _("Objective %(code)s is added.", code=objective.code),
        then=_at_objective,
    )


@bp.route("/<int:work_plan_id>/objectives/<int:objective_id>/edit", methods=["GET", "POST"])
@manages
def edit_objective(work_plan_id: int, objective_id: int):
    """Change an objective's code, title or description."""
    work_plan, objective = _objective(work_plan_id, objective_id)
    form = ObjectiveForm.for_record(objective)

    def change():
        workplans.update_objective(objective, form.details(), form.version.data)
        return objective

    def page(form, status, newer=None):
        template = render_template(
            "workplans/objective_form.html",
            form=form,
            work_plan=work_plan,
            objective=objective,
            newer=newer,
        )
        return template, status

    return editing.save(
        form,
        change,
        page=page,
        done=lambda saved: _("Objective %(code)s is saved.", code=saved.code),
        then=_at_objective,
    )


@bp.post("/<int:work_plan_id>/objectives/<int:objective_id>/archive")
@manages
def archive_objective(work_plan_id: int, objective_id: int):
    """Hide an objective that no live deliverable serves."""
    work_plan, objective = _objective(work_plan_id, objective_id)
    return editing.commit_or_refuse(
        lambda: workplans.archive_objective(objective),
        refused=lambda message: _detail_page(work_plan, refusal=message, status=409),
        done=_("Objective %(code)s is archived.", code=objective.code),
        then=url_for(".detail", work_plan_id=work_plan.id),
    )


@bp.post("/<int:work_plan_id>/objectives/<int:objective_id>/restore")
@manages
def restore_objective(work_plan_id: int, objective_id: int):
    """Bring an archived objective back into its work plan."""
    work_plan, objective = _objective(work_plan_id, objective_id, include_archived=True)
    return editing.commit_or_refuse(
        lambda: records.restore(objective),
        refused=lambda message: _detail_page(work_plan, refusal=message, status=409),
        done=_("Objective %(code)s is restored.", code=objective.code),
        then=_at_objective(objective),
    )


# The objective's page and its indicators register their routes on import.
from workplan.workplans import indicator_pages  # noqa: E402, F401
