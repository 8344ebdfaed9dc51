"""The roundtables pages: each chairmanship's thematic sessions, their co-chairs and teams, and
the secretariat's screens to plan, correct, archive and restore them and to manage their teams."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from workplan import permissions
from workplan.editing import ARCHIVED, CREATED, RESTORED, SAVED, add_record_routes, save
from workplan.extensions import db
from workplan.formatting import lazy_gettext as _l
from workplan.models import Roundtable, RoundtableMember, utcnow
from workplan.roundtables.forms import MemberForm, RoundtableForm
from workplan.services import chairmanships, parties, roundtables
from workplan.web import (
    get_or_404,
    list_filters,
    list_page,
    query_choice,
    query_int,
    require,
    shown_or_404,
)

bp = Blueprint("roundtables", __name__, url_prefix="/roundtables")

SORTS = {
    "chairmanship": _l("Latest chairmanship first"),
    "number": _l("Number"),
    "title": _l("Title"),
}
manages = require(permissions.can_manage_programme)


@bp.get("/")
def index():
    """The roundtables, latest chairmanship first; filter by chairmanship and government,
    search by number or title, sort."""
    governments = parties.governments()
    filters = list_filters(
        roundtables.RoundtableFilters,
        SORTS,
        chairmanship_id=query_int("chairmanship"),
        government=query_choice("government", [g.iso3 for g in governments]),
    )
    return list_page(
        "roundtables/index.html",
        roundtables.listing(filters),
        filters,
        sorts=SORTS,
        chairmanships=chairmanships.listed(),
        governments=governments,
        per_page=50,
    )


def _detail_page(roundtable: Roundtable, member_form=None, refusal=None, status: int = 200):
    """A roundtable's page, with the member form as typed and a refusal's reason if any."""
    if member_form is None and permissions.can_manage_programme(current_user):
        member_form = MemberForm(formdata=None)
    sections = roundtables.page(
        roundtable,
        secretariat=permissions.is_secretariat(current_user),
        private=permissions.can_read_private(current_user),
    )
    page = render_template(
        "roundtables/detail.html",
        roundtable=roundtable,
        sections=sections,
        member_form=member_form,
        refusal=refusal,
        today=utcnow().date(),
    )
    return page, status


@bp.get("/<int:roundtable_id>")
def detail(roundtable_id: int):
    """A roundtable: co-chairs, team members and partners, its session and deliverables."""
    return _detail_page(shown_or_404(Roundtable, roundtable_id))


SAID = {
    CREATED: _l("%(code)s is planned in %(chairmanship)s."),
    SAVED: _l("%(code)s is saved."),
    ARCHIVED: _l("%(code)s is archived. Find it under “Archived” to restore it."),
    RESTORED: _l("%(code)s is restored."),
}
add_record_routes(
    bp, "roundtable", Roundtable, RoundtableForm, roundtables, page=_detail_page, said=SAID
)


@bp.post("/<int:roundtable_id>/members")
@manages
def add_member(roundtable_id: int):
    """Add a government or a non-state partner to a roundtable's team."""
    roundtable = get_or_404(Roundtable, roundtable_id)
    form = MemberForm()
    return save(
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
    roundtable = get_or_404(Roundtable, roundtable_id)
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
