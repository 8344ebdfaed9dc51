"""The organisations pages: observers, agencies and other donors, the roundtables and teams they
partner and what they pledged, and the secretariat's screens to record, correct, archive and
restore them."""

from flask import Blueprint, render_template
from flask_login import current_user

from workplan import editing, permissions, web
from workplan.formatting import lazy_gettext as _l
from workplan.models import ORGANISATION_KINDS, Organisation
from workplan.organisations.forms import OrganisationForm
from workplan.services import organisations

bp = Blueprint("organisations", __name__, url_prefix="/organisations")

SORTS = {"name": _l("Name"), "acronym": _l("Acronym"), "kind": _l("Kind")}
# The confirmations, a whole sentence each so every language can make it agree.
SAID = {
    editing.CREATED: _l("%(name)s is recorded."),
    editing.SAVED: _l("%(name)s is saved."),
    editing.ARCHIVED: _l("%(name)s is archived. Find it under “Archived” to restore it."),
    editing.RESTORED: _l("%(name)s is restored."),
}


@bp.get("/")
def index():
    """The observers and other organisations, searchable by name or acronym."""
    kind = web.query_choice("kind", ORGANISATION_KINDS)
    filters = web.list_filters(organisations.OrganisationFilters, SORTS, kind=kind)
    return web.list_page(
        "organisations/index.html",
        organisations.listing(filters),
        filters,
        sorts=SORTS,
        kinds=ORGANISATION_KINDS,
        per_page=50,
    )


def _detail_page(organisation: Organisation, refusal: str | None = None, status: int = 200):
    """An organisation's page: the roundtables and teams it partners, and what it pledged.

    Shown with a refused action's reason when there is one.
    """
    sections = organisations.page(organisation, private=permissions.can_read_private(current_user))
    page = render_template(
        "organisations/detail.html", organisation=organisation, sections=sections, refusal=refusal
    )
    return page, status


editing.add_record_routes(
    bp, "organisation", Organisation, OrganisationForm, organisations, page=_detail_page, said=SAID
)
