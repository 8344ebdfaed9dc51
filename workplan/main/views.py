"""The start page and the health check."""

from flask import Blueprint, render_template
from flask_login import current_user
from sqlalchemy import text

from workplan import permissions
from workplan.extensions import db
from workplan.models import utcnow
from workplan.services import dashboard

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
    """The secretariat's next 30 days; for everyone else, the programme ahead."""
    now = utcnow()
    if permissions.is_secretariat(current_user):
        return render_template("main/dashboard.html", board=dashboard.secretariat_dashboard(now))
    due = []
    if permissions.can_read_private(current_user):
        due = dashboard.due_for_members(now.date())
    return render_template(
        "main/home.html",
        meetings=dashboard.public_programme(now),
        due=due,
        today=now.date(),
    )
