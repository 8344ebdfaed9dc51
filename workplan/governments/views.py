"""The governments pages: every state, and what one state co-chairs, joins, owes and pledged."""

from flask import Blueprint, render_template
from flask_login import current_user
from sqlalchemy import and_, case, or_, select
from sqlalchemy.orm import selectinload

from workplan import permissions
from workplan.extensions import db
from workplan.models import (
    Chairmanship,
    Deliverable,
    Government,
    GovernmentTeam,
    Meeting,
    Pledge,
    Roundtable,
    RoundtableMember,
    TeamMembership,
    chairmanship_chairs,
    deliverable_governments,
    roundtable_co_chairs,
    utcnow,
)
from workplan.models.deliverable import CLOSED_STATUSES
from workplan.models.meeting import VISIBLE_STATES
from workplan.web import get_or_404, paginate, query_text

bp = Blueprint("governments", __name__, url_prefix="/governments")


@bp.get("/")
def index():
    """The states of the forum, searchable by name or ISO code."""
    query = select(Government).where(Government.archived_at.is_(None)).order_by(Government.name)
    text = query_text("q", 100)
    if text:
        query = query.where(
            or_(Government.name.ilike(f"%{text}%"), Government.iso3 == text.upper())
        )
    return render_template("governments/index.html", page=paginate(query, per_page=50), q=text)


@bp.get("/<int:government_id>")
def detail(government_id: int):
    """A government's page: its roundtables, teams and meetings; for members, what it owes."""
    government = get_or_404(Government, government_id)
    today = utcnow().date()
    chaired = db.session.scalars(
        select(Chairmanship)
        .join(chairmanship_chairs)
        .where(
            chairmanship_chairs.c.government_id == government.id,
            Chairmanship.archived_at.is_(None),
        )
        .order_by(Chairmanship.starts_on)
    ).all()
    roundtable_load = (
        selectinload(Roundtable.chairmanship),
        selectinload(Roundtable.co_chairs),
    )
    co_chaired = db.session.scalars(
        select(Roundtable)
        .join(roundtable_co_chairs)
        .join(Roundtable.chairmanship)
        .where(
            roundtable_co_chairs.c.government_id == government.id,
            Roundtable.archived_at.is_(None),
        )
        .options(*roundtable_load)
        .order_by(Chairmanship.starts_on.desc(), Roundtable.number)
    ).all()
    joined = db.session.scalars(
        select(Roundtable)
        .join(RoundtableMember)
        .join(Roundtable.chairmanship)
        .where(RoundtableMember.government_id == government.id, Roundtable.archived_at.is_(None))
        .options(*roundtable_load)
        .order_by(Chairmanship.starts_on.desc(), Roundtable.number)
    ).all()
    memberships = db.session.scalars(
        select(TeamMembership)
        .join(TeamMembership.team)
        .where(TeamMembership.government_id == government.id, GovernmentTeam.archived_at.is_(None))
        .options(selectinload(TeamMembership.team).selectinload(GovernmentTeam.lead_government))
        .order_by(TeamMembership.joined_year.desc(), GovernmentTeam.name)
    ).all()
    led = db.session.scalars(
        select(GovernmentTeam)
        .where(
            GovernmentTeam.lead_government_id == government.id,
            GovernmentTeam.archived_at.is_(None),
        )
        .order_by(GovernmentTeam.name)
    ).all()
    roundtable_ids = sorted({rt.id for rt in co_chaired} | {rt.id for rt in joined})
    team_ids = sorted({m.team_id for m in memberships} | {t.id for t in led})
    meetings = db.session.scalars(
        select(Meeting)
        .where(
            or_(Meeting.roundtable_id.in_(roundtable_ids), Meeting.team_id.in_(team_ids)),
            Meeting.state.in_(VISIBLE_STATES),
            Meeting.archived_at.is_(None),
            Meeting.ends_at >= utcnow(),
        )
        .options(selectinload(Meeting.roundtable), selectinload(Meeting.team))
        .order_by(Meeting.starts_at)
        .limit(20)
    ).all()
    deliverables, pledges = [], []
    if permissions.can_read_private(current_user):
        overdue_first = case(
            (and_(Deliverable.status.not_in(CLOSED_STATUSES), Deliverable.due_on < today), 0),
            else_=1,
        )
        deliverables = db.session.scalars(
            select(Deliverable)
            .join(deliverable_governments)
            .where(
                deliverable_governments.c.government_id == government.id,
                Deliverable.archived_at.is_(None),
            )
            .options(
                selectinload(Deliverable.roundtable),
                selectinload(Deliverable.team),
                selectinload(Deliverable.responsible_governments),
            )
            .order_by(overdue_first, Deliverable.due_on, Deliverable.id)
        ).all()
        pledges = db.session.scalars(
            select(Pledge)
            .join(Pledge.chairmanship)
            .where(Pledge.donor_government_id == government.id, Pledge.archived_at.is_(None))
            .options(
                selectinload(Pledge.chairmanship),
                selectinload(Pledge.payments),
                selectinload(Pledge.earmark_roundtable),
            )
            .order_by(Chairmanship.starts_on.desc(), Pledge.pledged_on)
        ).all()
    return render_template(
        "governments/detail.html",
        government=government,
        chaired=chaired,
        co_chaired=co_chaired,
        joined=joined,
        memberships=memberships,
        led=led,
        meetings=meetings,
        deliverables=deliverables,
        pledges=pledges,
        today=today,
    )
