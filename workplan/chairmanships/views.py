"""The chairmanships pages: every term in order, one term with its Troika and programme, and the
secretariat's screens to record, correct, archive and restore a term."""

from flask import Blueprint, render_template
from flask_login import current_user

from workplan import editing, permissions, web
from workplan.chairmanships.forms import ChairmanshipForm
from workplan.formatting import lazy_gettext as _l
from workplan.models import Chairmanship, utcnow
from workplan.services import chairmanships

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


def _detail_page(chairmanship: Chairmanship, refusal: str | None = None, status: int = 200):
    """One chairmanship: chairs, theme, summit, Troika, roundtables, meetings and funding.

    Shown with a refused action's reason when there is one.
    """
    today = utcnow().date()
    sections = chairmanships.page(
        chairmanship,
        today,
        secretariat=permissions.is_secretariat(current_user),
        private=permissions.can_read_private(current_user),
    )
    page = render_template(
        "chairmanships/detail.html",
        chairmanship=chairmanship,
        sections=sections,
        today=today,
        refusal=refusal,
    )
    return page, status


editing.add_record_routes(
    bp, "chairmanship", Chairmanship, ChairmanshipForm, chairmanships, page=_detail_page, said=SAID
)
