"""The roundtables pages: each chairmanship's thematic sessions, their co-chairs and teams, and
the secretariat's screens to plan, correct, archive and restore them and to manage their teams."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from workplan import editing, formatting, permissions, web
from workplan.extensions import db
from workplan.formatting import lazy_gettext as _l
from workplan.models import Roundtable, RoundtableMember, utcnow
from workplan.roundtables.forms import DescriptionForm, MemberForm, RoundtableForm
from workplan.services import chairmanships, documents, parties, roundtables

bp = Blueprint("roundtables", __name__, url_prefix="/roundtables")

SORTS = {
    "chairmanship": _l("Latest chairmanship first"),
    "number": _l("Number"),
    "title": _l("Title"),
}
# The confirmations, a whole sentence each so every language can make it agree.
SAID = {
    editing.CREATED: _l("%(code)s is planned in %(chairmanship)s."),
    editing.SAVED: _l("%(code)s is saved."),
    editing.ARCHIVED: _l("%(code)s is archived. Find it under “Archived” to restore it."),
    editing.RESTORED: _l("%(code)s is restored."),
}
manages = web.require(permissions.can_manage_programme)


@bp.get("/")
def index():
    """The roundtables, latest chairmanship first; filter by chairmanship and government,
    search by number or title, sort."""
    governments = parties.governments(formatting.locale())
    filters = web.list_filters(
        roundtables.RoundtableFilters,
        SORTS,
        chairmanship_id=web.query_int("chairmanship"),
        government=web.query_choice("government", [g.iso3 for g in governments]),
    )
    return web.list_page(
        "roundtables/index.html",
        roundtables.listing(filters),
        filters,
        sorts=SORTS,
        chairmanships=chairmanships.listed(),
        governments=governments,
        per_page=50,
    )


def _detail_page(roundtable: Roundtable, member_form=None, refusal=None, status: int = 200):
    """A roundtable: co-chairs, team members and partners, its session and deliverables.

    Shown with the member form as typed and a refusal's reason if any.
    """
    if member_form is None and permissions.can_manage_programme(current_user):
        member_form = MemberForm(formdata=None)
    sections = roundtables.page(
        roundtable,
        secretariat=permissions.is_secretariat(current_user),
        private=permissions.can_read_private(current_user),
        drafts=permissions.co_chairs(current_user, roundtable),
    )
    page = render_template(
        "roundtables/detail.html",
        roundtable=roundtable,
        sections=sections,
        member_form=member_form,
        refusal=refusal,
        today=utcnow().date(),
        documents=documents.shelf_of(roundtable, current_user),
    )
    return page, status


def _load(roundtable_id: int) -> Roundtable:
    return web.loaded_or_404(Roundtable, roundtable_id, roundtables.for_page)


editing.add_record_routes(
    bp,
    "roundtable",
    Roundtable,
    RoundtableForm,
    roundtables,
    page=_detail_page,
    said=SAID,
    load=_load,
)


@bp.route("/<int:roundtable_id>/description", methods=["GET", "POST"])
def describe(roundtable_id: int):
    """Change a roundtable's description: the secretariat, and the roundtable's co-chairs."""
    roundtable = web.get_or_404(Roundtable, roundtable_id)
    web.authorize(permissions.can_describe_roundtable, roundtable)
    form = DescriptionForm.for_record(roundtable)
    return editing.save_edit(
        form,
        roundtable,
        roundtables.describe,
        page=editing.form_page("roundtables/description.html", roundtable=roundtable),
        done=lambda saved: _("The description of %(code)s is saved.", code=saved.code),
        then=lambda saved: url_for(".detail", roundtable_id=saved.id),
    )


@bp.post("/<int:roundtable_id>/members")
@manages
def add_member(roundtable_id: int):
    """Add a government or a non-state partner to a roundtable's team."""
    roundtable = web.get_or_404(Roundtable, roundtable_id)
    form = MemberForm()
    return editing.save(
        form,
        lambda: roundtables.add_roundtable_member(roundtable, form.party.data),
        page=lambda form, status, newer=None: _detail_page(
            roundtable, member_form=form, status=status
        ),
        done=lambda member: _(
            "%(name)s joined the team of %(code)s.", name=member.party.name, code=roundtable.code
        ),
        then=lambda member: url_for(".detail", roundtable_id=roundtable.id, _anchor="team"),
    )


@bp.post("/<int:roundtable_id>/members/<int:member_id>/remove")
@manages
def remove_member(roundtable_id: int, member_id: int):
    """Take a government or partner off a roundtable's team."""
    roundtable = web.get_or_404(Roundtable, roundtable_id)
    member = db.session.get(RoundtableMember, member_id)
    if member is None or member.roundtable_id != roundtable.id:
        abort(404)
    name = member.party.name
    roundtables.remove_roundtable_member(member)
    db.session.commit()
    flash(
        _("%(name)s is no longer on the team of %(code)s.", name=name, code=roundtable.code),
        "success",
    )
    return redirect(url_for(".detail", roundtable_id=roundtable.id, _anchor="team"))
