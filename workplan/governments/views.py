"""The governments pages: every state, and what one state co-chairs, joins, owes and pledged."""

from flask import Blueprint, render_template
from flask_login import current_user

from workplan import permissions
from workplan.editing import ARCHIVED, CREATED, RESTORED, SAVED, add_record_routes
from workplan.formatting import lazy_gettext as _l
from workplan.governments.forms import GovernmentForm
from workplan.models import Government, utcnow
from workplan.services import governments
from workplan.web import archived_filter, paginate, query_text, shown_or_404

bp = Blueprint("governments", __name__, url_prefix="/governments")


@bp.get("/")
def index():
    """The states of the forum, searchable by name or ISO code."""
    archived = archived_filter()
    text = query_text("q", 100)
    return render_template(
        "governments/index.html",
        page=paginate(governments.listing(text, archived), per_page=50),
        q=text,
        archived=archived,
    )


def _detail_page(government: Government, refusal: str | None = None, status: int = 200):
    """A government's page, with a refused action's reason when there is one."""
    today = utcnow().date()
    sections = governments.page_sections(
        government, today, include_private=permissions.can_read_private(current_user)
    )
    page = render_template(
        "governments/detail.html",
        sections=sections,
        government=government,
        may_report=permissions.can_report_for(current_user, government),
        today=today,
        refusal=refusal,
    )
    return page, status


@bp.get("/<int:government_id>")
def detail(government_id: int):
    """A government's page: its roundtables, teams and meetings; for members, what it owes."""
    return _detail_page(shown_or_404(Government, government_id))


SAID = {
    CREATED: _l("%(name)s (%(iso3)s) is added."),
    SAVED: _l("%(name)s (%(iso3)s) is saved."),
    ARCHIVED: _l("%(name)s is archived. It can be restored from the archived list."),
    RESTORED: _l("%(name)s is restored."),
}
add_record_routes(
    bp, "government", Government, GovernmentForm, governments, page=_detail_page, said=SAID
)
