"""The government teams pages: states gathered around a policy priority over several years, and
the secretariat's screens to gather, correct, archive and restore teams and follow their members."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from workplan import permissions
from workplan.editing import commit_or_refuse
from workplan.extensions import db
from workplan.formatting import lazy_gettext as _l
from workplan.forms import archived_filter, listed
from workplan.models import (
    Deliverable,
    Government,
    GovernmentTeam,
    Meeting,
    TeamMembership,
    utcnow,
)
from workplan.models.meeting import VISIBLE_STATES
from workplan.services import DomainError, records, structure
from workplan.teams.forms import LeaveForm, TeamForm, TeamMemberForm
from workplan.web import get_or_404, paginate, query_choice, query_int, query_text

bp = Blueprint("teams", __name__, url_prefix="/teams")

SORTS = {
    "name": (_l("Name"), (GovernmentTeam.name,)),
    "-first_year": (_l("Newest first"), (GovernmentTeam.first_year.desc(), GovernmentTeam.name)),
    "first_year": (_l("Oldest first"), (GovernmentTeam.first_year, GovernmentTeam.name)),
}


def _may_manage() -> None:
    """Only the secretariat gathers teams and records their members."""
    if not permissions.can_manage_programme(current_user):
        abort(403)


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
    archived = archived_filter()
    text = query_text("q", 100)
    year = query_int("year", minimum=1)
    governments = db.session.scalars(
        select(Government).where(Government.archived_at.is_(None)).order_by(Government.name)
    ).all()
    government = query_choice("government", [g.iso3 for g in governments])
    sort = query_choice("sort", SORTS, "name")
    query = (
        select(GovernmentTeam)
        .where(listed(GovernmentTeam, archived))
        .options(selectinload(GovernmentTeam.lead_government))
        .order_by(*SORTS[sort][1])
    )
    if text:
        query = query.where(
            GovernmentTeam.name.ilike(f"%{text}%")
            | GovernmentTeam.policy_priority.ilike(f"%{text}%")
        )
    if year:
        query = query.where(
            GovernmentTeam.first_year <= year,
            or_(GovernmentTeam.last_year.is_(None), GovernmentTeam.last_year >= year),
        )
    if government:
        # The government leads the team or has been one of its members.
        query = query.where(
            or_(
                GovernmentTeam.lead_government.has(Government.iso3 == government),
                GovernmentTeam.memberships.any(
                    TeamMembership.government.has(Government.iso3 == government)
                ),
            )
        )
    return render_template(
        "teams/index.html",
        page=paginate(query, per_page=50),
        q=text,
        year=year,
        governments=governments,
        government=government,
        sort=sort,
        sorts=SORTS,
        archived=archived,
    )


def _detail_page(
    team: GovernmentTeam,
    member_form: TeamMemberForm | None = None,
    refused_leave: tuple[int, LeaveForm] | None = None,
    refusal: str | None = None,
    status: int = 200,
):
    """A team's page with its forms (one as typed when it was refused) and a refusal's reason."""
    secretariat = permissions.is_secretariat(current_user)
    memberships = db.session.scalars(
        select(TeamMembership)
        .where(TeamMembership.team_id == team.id)
        .options(selectinload(TeamMembership.government), selectinload(TeamMembership.organisation))
        .order_by(TeamMembership.joined_year, TeamMembership.id)
    ).all()
    # An archived party stays on the record but is shown only to the secretariat.
    memberships = [m for m in memberships if secretariat or m.party.archived_at is None]
    meetings_query = (
        select(Meeting)
        .where(Meeting.team_id == team.id, Meeting.archived_at.is_(None))
        .options(selectinload(Meeting.roundtable), selectinload(Meeting.chairmanship))
        .order_by(Meeting.starts_at)
    )
    if not secretariat:
        meetings_query = meetings_query.where(Meeting.state.in_(VISIBLE_STATES))
    deliverables = []
    if permissions.can_read_private(current_user):
        deliverables = db.session.scalars(
            select(Deliverable)
            .where(Deliverable.team_id == team.id, Deliverable.archived_at.is_(None))
            .options(selectinload(Deliverable.responsible_governments))
            .order_by(Deliverable.due_on, Deliverable.id)
        ).all()
    leave_forms = {}
    if permissions.can_manage_programme(current_user) and team.archived_at is None:
        if member_form is None:
            member_form = TeamMemberForm(formdata=None, joined_year=utcnow().year)
        for membership in memberships:
            if membership.left_year is None:
                leave_forms[membership.id] = _leave_form(membership)
        if refused_leave is not None:
            leave_forms[refused_leave[0]] = refused_leave[1]
    page = render_template(
        "teams/detail.html",
        team=team,
        memberships=memberships,
        meetings=db.session.scalars(meetings_query).all(),
        deliverables=deliverables,
        member_form=member_form,
        leave_forms=leave_forms,
        refusal=refusal,
        today=utcnow().date(),
    )
    return page, status


@bp.get("/<int:team_id>")
def detail(team_id: int):
    """A team: its lead, priority, members over the years, meetings and deliverables."""
    team = get_or_404(
        GovernmentTeam, team_id, include_archived=permissions.is_secretariat(current_user)
    )
    return _detail_page(team)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def create():
    """Gather a government team around a policy priority."""
    _may_manage()
    form = TeamForm()
    if request.method == "GET":
        form.first_year.data = utcnow().year
    if form.validate_on_submit():
        try:
            team = structure.create_team(form.details())
        except DomainError as error:
            db.session.rollback()
            form.refuse(error)
        else:
            db.session.commit()
            flash(_("%(name)s is recorded. Add its members below.", name=team.name), "success")
            return redirect(url_for(".detail", team_id=team.id))
    status = 400 if form.is_submitted() else 200
    return render_template("teams/form.html", form=form, team=None), status


@bp.route("/<int:team_id>/edit", methods=["GET", "POST"])
@login_required
def edit(team_id: int):
    """Change a team's name, priority, lead government or active years."""
    _may_manage()
    team = get_or_404(GovernmentTeam, team_id)
    if request.method == "GET":
        form = TeamForm(obj=team)
        form.load(team)
    else:
        form = TeamForm()
    if form.validate_on_submit():
        try:
            structure.update_team(team, form.details())
        except DomainError as error:
            db.session.rollback()
            form.refuse(error)
        else:
            db.session.commit()
            flash(_("%(name)s is saved.", name=team.name), "success")
            return redirect(url_for(".detail", team_id=team.id))
    status = 400 if form.is_submitted() else 200
    return render_template("teams/form.html", form=form, team=team), status


@bp.post("/<int:team_id>/archive")
@login_required
def archive(team_id: int):
    """Hide a team from lists and pages; the secretariat can restore it."""
    _may_manage()
    team = get_or_404(GovernmentTeam, team_id)
    return commit_or_refuse(
        lambda: structure.archive_team(team),
        refused=lambda message: _detail_page(team, refusal=message, status=409),
        done=_("%(name)s is archived. Find it under “Archived” to restore it.", name=team.name),
        then=url_for(".index"),
    )


@bp.post("/<int:team_id>/restore")
@login_required
def restore(team_id: int):
    """Bring an archived team back."""
    _may_manage()
    team = get_or_404(GovernmentTeam, team_id, include_archived=True)
    return commit_or_refuse(
        lambda: records.restore(team),
        refused=lambda message: _detail_page(team, refusal=message, status=409),
        done=_("%(name)s is restored.", name=team.name),
        then=url_for(".detail", team_id=team.id),
    )


@bp.post("/<int:team_id>/members")
@login_required
def add_member(team_id: int):
    """Record that a government or organisation joined the team in a year."""
    _may_manage()
    team = get_or_404(GovernmentTeam, team_id)
    form = TeamMemberForm()
    if form.validate_on_submit():
        try:
            membership = structure.add_team_member(team, form.party.data, form.joined_year.data)
        except DomainError as error:
            db.session.rollback()
            form.refuse(error)
        else:
            db.session.commit()
            flash(
                _(
                    "%(member)s joined %(team)s in %(year)s.",
                    member=membership.party.name,
                    team=team.name,
                    year=membership.joined_year,
                ),
                "success",
            )
            return redirect(url_for(".detail", team_id=team.id, _anchor="members"))
    return _detail_page(team, member_form=form, status=400)


@bp.post("/<int:team_id>/members/<int:membership_id>/leave")
@login_required
def mark_left(team_id: int, membership_id: int):
    """Record the year a member left the team."""
    _may_manage()
    team = get_or_404(GovernmentTeam, team_id)
    membership = db.session.get(TeamMembership, membership_id)
    if membership is None or membership.team_id != team.id:
        abort(404)
    form = _leave_form(membership, formdata=request.form)
    if form.validate():
        try:
            structure.mark_member_left(membership, form.left_year.data)
        except DomainError as error:
            db.session.rollback()
            form.refuse(error)
        else:
            db.session.commit()
            flash(
                _(
                    "%(member)s left %(team)s in %(year)s.",
                    member=membership.party.name,
                    team=team.name,
                    year=membership.left_year,
                ),
                "success",
            )
            return redirect(url_for(".detail", team_id=team.id, _anchor="members"))
    return _detail_page(team, refused_leave=(membership.id, form), status=400)
