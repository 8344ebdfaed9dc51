"""The chairmanships pages: every term in order, and one term with its Troika and programme."""

from flask import Blueprint, render_template
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from workplan import permissions
from workplan.extensions import db
from workplan.models import Chairmanship, Meeting, Pledge, Roundtable, utcnow
from workplan.models.meeting import VISIBLE_STATES
from workplan.services import chairmanships
from workplan.web import get_or_404, paginate

bp = Blueprint("chairmanships", __name__, url_prefix="/chairmanships")


@bp.get("/")
def index():
    """Every chairmanship in order of its start, with today's Troika."""
    today = utcnow().date()
    page = paginate(
        select(Chairmanship)
        .where(Chairmanship.archived_at.is_(None))
        .options(selectinload(Chairmanship.chairs))
        .order_by(Chairmanship.starts_on, Chairmanship.id),
        per_page=50,
    )
    return render_template(
        "chairmanships/index.html",
        page=page,
        troika=chairmanships.troika(today),
        today=today,
    )


@bp.get("/<int:chairmanship_id>")
def detail(chairmanship_id: int):
    """One chairmanship: chairs, theme, summit, Troika, roundtables, meetings and funding."""
    chairmanship = get_or_404(Chairmanship, chairmanship_id)
    today = utcnow().date()
    roundtables = db.session.scalars(
        select(Roundtable)
        .where(Roundtable.chairmanship_id == chairmanship.id, Roundtable.archived_at.is_(None))
        .options(selectinload(Roundtable.co_chairs))
        .order_by(Roundtable.number)
    ).all()
    meetings_query = (
        select(Meeting)
        .where(Meeting.chairmanship_id == chairmanship.id, Meeting.archived_at.is_(None))
        .options(selectinload(Meeting.roundtable))
        .order_by(Meeting.starts_at)
    )
    if not permissions.is_secretariat(current_user):
        meetings_query = meetings_query.where(Meeting.state.in_(VISIBLE_STATES))
    summary, pledges, totals = None, [], []
    if permissions.can_read_private(current_user):
        summary = chairmanships.deliverable_summary(chairmanship, today)
        pledges = db.session.scalars(
            select(Pledge)
            .where(Pledge.chairmanship_id == chairmanship.id, Pledge.archived_at.is_(None))
            .options(
                selectinload(Pledge.donor_government),
                selectinload(Pledge.donor_organisation),
                selectinload(Pledge.payments),
                selectinload(Pledge.earmark_roundtable),
            )
            .order_by(Pledge.pledged_on, Pledge.id)
        ).all()
        totals = chairmanships.pledge_totals(pledges)
    return render_template(
        "chairmanships/detail.html",
        chairmanship=chairmanship,
        troika=chairmanships.troika_of(chairmanship),
        roundtables=roundtables,
        meetings=db.session.scalars(meetings_query).all(),
        summary=summary,
        pledges=pledges,
        totals=totals,
        today=today,
    )
