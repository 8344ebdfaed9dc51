"""The chairmanships pages: every term in order, one term with its Troika and programme, and the
secretariat's screens to record, correct, archive and restore a term."""

from flask import Blueprint, abort, current_app, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from workplan import editing, permissions, web
from workplan.chairmanships.forms import BudgetLineForm, ChairmanshipForm
from workplan.extensions import db
from workplan.formatting import lazy_gettext as _l
from workplan.formatting import locale
from workplan.models import BudgetLine, Chairmanship, utcnow
from workplan.services import budgets, chairmanships, reports

bp = Blueprint("chairmanships", __name__, url_prefix="/chairmanships")

SORTS = {
    "start": _l("First term first"),
    "-start": _l("Latest term first"),
    "name": _l("Name"),
}
# The confirmations, a whole sentence each so every language can make it agree.
SAID = {
    editing.CREATED: _l("%(label)s is recorded."),
    editing.SAVED: _l("%(label)s is saved."),
    editing.ARCHIVED: _l("%(label)s is archived. Find it under “Archived” to restore it."),
    editing.RESTORED: _l("%(label)s is restored."),
}


@bp.get("/")
def index():
    """Every chairmanship in order of its start, with today's Troika; search, filter and sort."""
    today = utcnow().date()
    governments = chairmanships.chair_governments()
    filters = web.list_filters(
        chairmanships.ChairmanshipFilters,
        SORTS,
        government=web.query_choice("government", [g.iso3 for g in governments]),
    )
    troika = chairmanships.troika(today)
    return web.list_page(
        "chairmanships/index.html",
        chairmanships.listing(filters),
        filters,
        sorts=SORTS,
        governments=governments,
        troika=troika,
        today=today,
        per_page=50,
    )


def _detail_page(
    chairmanship: Chairmanship,
    refusal: str | None = None,
    status: int = 200,
    budget_form: BudgetLineForm | None = None,
):
    """One chairmanship: chairs, theme, summit, Troika, roundtables, meetings, budget and
    funding.

    Shown with a refused action's reason, or the budget line form as typed, when there is one.
    """
    today = utcnow().date()
    private = permissions.can_read_private(current_user)
    sections = chairmanships.page(
        chairmanship,
        today,
        secretariat=permissions.is_secretariat(current_user),
        private=private,
    )
    budget = None
    if private:
        budget = reports.chairmanship_budget(
            chairmanship, base_currency=current_app.config["BASE_CURRENCY"], language=locale()
        )
    if (
        budget_form is None
        and permissions.can_record_pledges(current_user)
        and chairmanship.archived_at is None
    ):
        budget_form = BudgetLineForm(formdata=None)
    page = render_template(
        "chairmanships/detail.html",
        chairmanship=chairmanship,
        sections=sections,
        budget=budget,
        budget_form=budget_form,
        today=today,
        refusal=refusal,
    )
    return page, status


editing.add_record_routes(
    bp, "chairmanship", Chairmanship, ChairmanshipForm, chairmanships, page=_detail_page, said=SAID
)


records_money = web.require(permissions.can_record_pledges)


def _budget_line(chairmanship_id: int, line_id: int) -> tuple[Chairmanship, BudgetLine]:
    """A chairmanship and one of its budget lines, or 404."""
    chairmanship = web.get_or_404(Chairmanship, chairmanship_id, include_archived=True)
    line = db.session.get(BudgetLine, line_id)
    if line is None or line.chairmanship_id != chairmanship.id:
        abort(404)
    return chairmanship, line


@bp.post("/<int:chairmanship_id>/budget")
@records_money
def add_budget_line(chairmanship_id: int):
    """Add a line to the chairmanship's budget."""
    chairmanship = web.get_or_404(Chairmanship, chairmanship_id, include_archived=True)
    form = BudgetLineForm()
    return editing.save(
        form,
        lambda: budgets.add_line(chairmanship, form.details()),
        page=lambda form, status, newer=None: _detail_page(
            chairmanship, budget_form=form, status=status
        ),
        done=lambda line: _("“%(name)s” is added to the budget.", name=line.name),
        then=lambda line: url_for(".detail", chairmanship_id=chairmanship.id, _anchor="budget"),
    )


@bp.route("/<int:chairmanship_id>/budget/<int:line_id>/edit", methods=["GET", "POST"])
@records_money
def edit_budget_line(chairmanship_id: int, line_id: int):
    """Change a budget line's name or requirement."""
    chairmanship, line = _budget_line(chairmanship_id, line_id)
    form = BudgetLineForm.for_record(line)

    return editing.save_edit(
        form,
        line,
        budgets.update_line,
        page=editing.form_page(
            "chairmanships/budget_line_form.html", chairmanship=chairmanship, line=line
        ),
        done=lambda line: _("“%(name)s” is saved.", name=line.name),
        then=lambda line: url_for(".detail", chairmanship_id=chairmanship.id, _anchor="budget"),
    )


@bp.post("/<int:chairmanship_id>/budget/<int:line_id>/remove")
@records_money
def remove_budget_line(chairmanship_id: int, line_id: int):
    """Remove a line no pledge is set against."""
    chairmanship, line = _budget_line(chairmanship_id, line_id)
    name = line.name
    return editing.commit_or_refuse(
        lambda: budgets.remove_line(line),
        refused=lambda message: _detail_page(chairmanship, refusal=message, status=409),
        done=_("“%(name)s” is removed from the budget.", name=name),
        then=url_for(".detail", chairmanship_id=chairmanship.id, _anchor="budget"),
    )
