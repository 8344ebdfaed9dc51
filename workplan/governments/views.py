"""The governments pages: every state, and what one state co-chairs, joins, owes and pledged."""

from flask import Blueprint, render_template
from flask_login import current_user

from workplan import editing, permissions, web
from workplan.formatting import lazy_gettext as _l
from workplan.governments.forms import GovernmentForm
from workplan.models import Government, utcnow
from workplan.services import commitments, government_work, governments, offers

bp = Blueprint("governments", __name__, url_prefix="/governments")
# The confirmations, a whole sentence each so every language can make it agree.
SAID = {
    editing.CREATED: _l("%(name)s (%(iso3)s) is added."),
    editing.SAVED: _l("%(name)s (%(iso3)s) is saved."),
    editing.ARCHIVED: _l("%(name)s is archived. It can be restored from the archived list."),
    editing.RESTORED: _l("%(name)s is restored."),
}


@bp.get("/")
def index():
    """The states of the forum, searchable by name or ISO code."""
    archived = web.archived_filter()
    text = web.query_text("q", 100)
    return render_template(
        "governments/index.html",
        page=web.paginate(governments.listing(text, archived), per_page=50),
        q=text,
        archived=archived,
    )


def _detail_page(government: Government, refusal: str | None = None, status: int = 200):
    """A government's page: its roundtables, teams and meetings; for members, what it owes.

    Shown with a refused action's reason when there is one.
    """
    today = utcnow().date()
    private = permissions.can_read_private(current_user)
    # Read before any query, so a malformed filter is a 400 that changes nothing.
    asked = web.query_int("chairmanship")
    sections = governments.page_sections(
        government, today, include_private=private, with_deliverables=False
    )
    work = (
        government_work.work_of(government, today, web.chairmanship_in_office(today), asked)
        if private
        else None
    )
    may_report = permissions.can_report_for(current_user, government)
    page = render_template(
        "governments/detail.html",
        parts=sections,
        work=work,
        soon_days=government_work.SOON_DAYS,
        set_aside=asked is not None and work is not None and work.chosen is None,
        government=government,
        may_report=may_report,
        commitments=commitments.open_of_government(government.id, today),
        # Offers are between a government and the secretariat.
        offers=offers.of_government(government.id) if may_report else None,
        today=today,
        refusal=refusal,
    )
    return page, status


def _load(government_id: int) -> Government:
    return web.loaded_or_404(Government, government_id, governments.for_page)


editing.add_record_routes(
    bp,
    "government",
    Government,
    GovernmentForm,
    governments,
    page=_detail_page,
    said=SAID,
    load=_load,
)
