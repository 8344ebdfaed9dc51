"""The start page and the health check."""

from datetime import timedelta

from flask import Blueprint, render_template
from flask_login import current_user
from sqlalchemy import select, text
from sqlalchemy.orm import selectinload

from workplan import permissions
from workplan.extensions import db
from workplan.models import Deliverable, Meeting, utcnow
from workplan.models.deliverable import CLOSED_STATUSES

bp = Blueprint("main", __name__)


@bp.get("/healthz")
def healthz():
    """Answer 200 when the app and its database respond, 503 otherwise."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001  (any failure here means the database is not usable)
        db.session.rollback()
        return {"status": "degraded", "database": "unavailable"}, 503
    return {"status": "ok", "database": "ok"}


@bp.get("/")
def home():
    """Upcoming meetings for everyone; the deliverables to watch for those signed in."""
    now = utcnow()
    meetings_query = (
        select(Meeting)
        .where(Meeting.ends_at >= now, Meeting.archived_at.is_(None))
        .options(selectinload(Meeting.roundtable), selectinload(Meeting.chairmanship))
        .order_by(Meeting.starts_at)
        .limit(10)
    )
    if not permissions.is_secretariat(current_user):
        meetings_query = meetings_query.where(Meeting.state.in_(("published", "cancelled")))
    meetings = db.session.scalars(meetings_query).all()
    due = []
    if permissions.can_read_private(current_user):
        today = now.date()
        due = db.session.scalars(
            select(Deliverable)
            .where(
                Deliverable.archived_at.is_(None),
                Deliverable.status.not_in(CLOSED_STATUSES),
                Deliverable.due_on <= today + timedelta(days=30),
            )
            .options(
                selectinload(Deliverable.responsible_governments),
                selectinload(Deliverable.roundtable),
                selectinload(Deliverable.team),
            )
            .order_by(Deliverable.due_on)
            .limit(15)
        ).all()
    return render_template("main/home.html", meetings=meetings, due=due, today=now.date())
