"""The government teams pages: states gathered around a policy priority over several years, and
the secretariat's screens to gather, correct, archive and restore teams and follow their members."""

from flask import Blueprint, abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from workplan import editing, formatting, permissions, web
from workplan.extensions import db
from workplan.formatting import lazy_gettext as _l
from workplan.models import GovernmentTeam, TeamMembership, utcnow
from workplan.services import documents, parties, teams
from workplan.teams.forms import LeaveForm, TeamForm, TeamMemberForm

bp = Blueprint("teams", __name__, url_prefix="/teams")

SORTS = {
    "name": _l("Name"),
    "-first_year": _l("Newest first"),
    "first_year": _l("Oldest first"),
}
# The confirmations, a whole sentence each so every language can make it agree.
SAID = {
    editing.CREATED: _l("%(name)s is recorded. Add its members below."),
    editing.SAVED: _l("%(name)s is saved."),
    editing.ARCHIVED: _l("%(name)s is archived. Find it under “Archived” to restore it."),
    editing.RESTORED: _l("%(name)s is restored."),
}
manages = web.require(permissions.can_manage_programme)


def _leave_form(membership: TeamMembership, formdata=None) -> LeaveForm:
    """The "left in" form of one member, named after it so each label is distinct."""
    form = LeaveForm(formdata=formdata, prefix=f"member-{membership.id}")
    form.left_year.label.text = _("Year %(name)s left", name=membership.party.name)
    form.submit.label.text = _("Mark %(name)s as left", name=membership.party.name)
    if formdata is None:
        form.left_year.data = utcnow().year
    return form


@bp.get("/")
def index():
    """The government teams, with their lead, priority and years; search, filter and sort."""
    governments = parties.governments(formatting.locale())
    filters = web.list_filters(
        teams.TeamFilters,
        SORTS,
        year=web.query_int("year", minimum=1),
        government=web.query_choice("government", [g.iso3 for g in governments]),
    )
    return web.list_page(
        "teams/index.html",
        teams.listing(filters),
        filters,
        sorts=SORTS,
        governments=governments,
        per_page=50,
    )


def _detail_page(
    team: GovernmentTeam,
    member_form: TeamMemberForm | None = None,
    refused_leave: tuple[int, LeaveForm] | None = None,
    refusal: str | None = None,
    status: int = 200,
):
    """A team: its lead, priority, members over the years, meetings and deliverables.

    Shown with its forms (one as typed when it was refused) and a refusal's reason.
    """
    sections = teams.page(
        team,
        secretariat=permissions.is_secretariat(current_user),
        private=permissions.can_read_private(current_user),
    )
    leave_forms = {}
    if permissions.can_manage_programme(current_user) and team.archived_at is None:
        if member_form is None:
            member_form = TeamMemberForm(formdata=None, joined_year=utcnow().year)
        for membership in sections.memberships:
            if membership.left_year is None:
                leave_forms[membership.id] = _leave_form(membership)
        if refused_leave is not None:
            leave_forms[refused_leave[0]] = refused_leave[1]
    page = render_template(
        "teams/detail.html",
        team=team,
        sections=sections,
        member_form=member_form,
        leave_forms=leave_forms,
        refusal=refusal,
        today=utcnow().date(),
        documents=documents.shelf_of(team, current_user),
    )
    return page, status


editing.add_record_routes(bp, "team", GovernmentTeam, TeamForm, teams, page=_detail_page, said=SAID)


@bp.post("/<int:team_id>/members")
@manages
def add_member(team_id: int):
    """Record that a government or organisation joined the team in a year."""
    team = web.get_or_404(GovernmentTeam, team_id)
    form = TeamMemberForm()
    return editing.save(
        form,
        lambda: teams.add_team_member(team, form.party.data, form.joined_year.data),
        page=lambda form, status, newer=None: _detail_page(team, member_form=form, status=status),
        done=lambda membership: _(
            "%(member)s joined %(team)s in %(year)s.",
            member=membership.party.name,
            team=team.name,
            year=membership.joined_year,
        ),
        then=lambda membership: url_for(".detail", team_id=team.id, _anchor="members"),
    )


@bp.post("/<int:team_id>/members/<int:membership_id>/leave")
@manages
def mark_left(team_id: int, membership_id: int):
    """Record the year a member left the team."""
    team = web.get_or_404(GovernmentTeam, team_id)
    membership = db.session.get(TeamMembership, membership_id)
    if membership is None or membership.team_id != team.id:
        abort(404)
    form = _leave_form(membership, formdata=request.form)

    def change():
        teams.mark_member_left(membership, form.left_year.data)
        return membership

    return editing.save(
        form,
        change,
        page=lambda form, status, newer=None: _detail_page(
            team, refused_leave=(membership.id, form), status=status
        ),
        done=lambda left: _(
            "%(member)s left %(team)s in %(year)s.",
            member=left.party.name,
            team=team.name,
            year=left.left_year,
        ),
        then=lambda left: url_for(".detail", team_id=team.id, _anchor="members"),
    )
