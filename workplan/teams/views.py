"""The government teams pages: states gathered around a policy priority over several years."""

from flask import Blueprint, render_template
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from workplan import permissions
from workplan.extensions import db
from workplan.models import Deliverable, GovernmentTeam, Meeting, TeamMembership, utcnow
from workplan.models.meeting import VISIBLE_STATES
from workplan.web import get_or_404, paginate, query_text

bp = Blueprint("teams", __name__, url_prefix="/teams")


@bp.get("/")
def index():
    """The government teams, with their lead, priority and years."""
    query = (
        select(GovernmentTeam)
        .where(GovernmentTeam.archived_at.is_(None))
        .options(selectinload(GovernmentTeam.lead_government))
        .order_by(GovernmentTeam.name)
    )
    text = query_text("q", 100)
    if text:
        query = query.where(
            GovernmentTeam.name.ilike(f"%{text}%")
            | GovernmentTeam.policy_priority.ilike(f"%{text}%")
        )
    return render_template("teams/index.html", page=paginate(query, per_page=50), q=text)


@bp.get("/<int:team_id>")
def detail(team_id: int):
    """A team: its lead, priority, members over the years, meetings and deliverables."""
    team = get_or_404(GovernmentTeam, team_id)
    memberships = db.session.scalars(
        select(TeamMembership)
        .where(TeamMembership.team_id == team.id)
        .options(selectinload(TeamMembership.government), selectinload(TeamMembership.organisation))
        .order_by(TeamMembership.joined_year, TeamMembership.id)
    ).all()
    meetings_query = (
        select(Meeting)
        .where(Meeting.team_id == team.id, Meeting.archived_at.is_(None))
        .options(selectinload(Meeting.roundtable), selectinload(Meeting.chairmanship))
        .order_by(Meeting.starts_at)
    )
    if not permissions.is_secretariat(current_user):
        meetings_query = meetings_query.where(Meeting.state.in_(VISIBLE_STATES))
    deliverables = []
    if permissions.can_read_private(current_user):
        deliverables = db.session.scalars(
            select(Deliverable)
            .where(Deliverable.team_id == team.id, Deliverable.archived_at.is_(None))
            .options(selectinload(Deliverable.responsible_governments))
            .order_by(Deliverable.due_on, Deliverable.id)
        ).all()
    today = utcnow().date()
    return render_template(
        "teams/detail.html",
        team=team,
        memberships=memberships,
        meetings=db.session.scalars(meetings_query).all(),
        deliverables=deliverables,
        today=today,
    )
