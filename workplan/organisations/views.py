"""The organisations pages: observers, agencies and other donors, the roundtables and teams they
partner and what they pledged, and the secretariat's screens to record, correct, archive and
restore them."""

from flask import Blueprint, render_template
from flask_login import current_user

from workplan import permissions
from workplan.editing import ARCHIVED, CREATED, RESTORED, SAVED, add_record_routes
from workplan.formatting import lazy_gettext as _l
from workplan.models import ORGANISATION_KINDS, Organisation
from workplan.organisations.forms import OrganisationForm
from workplan.services import organisations
from workplan.web import list_filters, list_page, query_choice, shown_or_404

bp = Blueprint("organisations", __name__, url_prefix="/organisations")

SORTS = {"name": _l("Name"), "acronym": _l("Acronym"), "kind": _l("Kind")}


@bp.get("/")
def index():
    """The observers and other organisations, searchable by name or acronym."""
    kind = query_choice("kind", ORGANISATION_KINDS)
    filters = list_filters(organisations.OrganisationFilters, SORTS, kind=kind)
    return list_page(
        "organisations/index.html",
        organisations.listing(filters),
        filters,
        sorts=SORTS,
        kinds=ORGANISATION_KINDS,
        per_page=50,
    )


def _detail_page(organisation: Organisation, refusal: str | None = None, status: int = 200):
    """An organisation's page, with a refused action's reason when there is one."""
    sections = organisations.page(organisation, private=permissions.can_read_private(current_user))
    page = render_template(
        "organisations/detail.html", organisation=organisation, sections=sections, refusal=refusal
    )
    return page, status


@bp.get("/<int:organisation_id>")
def detail(organisation_id: int):
    """An organisation's page: the roundtables and teams it partners, and what it pledged."""
    return _detail_page(shown_or_404(Organisation, organisation_id))


SAID = {
    CREATED: _l("%(name)s is recorded."),
    SAVED: _l("%(name)s is saved."),
    ARCHIVED: _l("%(name)s is archived. Find it under “Archived” to restore it."),
    RESTORED: _l("%(name)s is restored."),
}
add_record_routes(
    bp, "organisation", Organisation, OrganisationForm, organisations, page=_detail_page, said=SAID
)
