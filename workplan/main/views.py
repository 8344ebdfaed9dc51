"""The start page and the health check."""

from datetime import datetime

from flask import Blueprint, current_app, g, render_template
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import text

from workplan import formatting, permissions
from workplan.caching import BodyCache
from workplan.extensions import db
from workplan.models import utcnow
from workplan.services import audit_log, dashboard

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
        return render_template("main/dashboard.html", board_html=_secretariat_board(now))
    due = []
    if permissions.can_read_private(current_user):
        due = dashboard.due_for_members(now.date())
    return render_template(
        "main/home.html",
        meetings=dashboard.public_programme(now),
        due=due,
        today=now.date(),
    )


# The secretariat's board is the same for every secretariat user, and costs a dozen queries over
# years of records: it is kept rendered, per language, until the audit log moves or the minute
# turns (what is "overdue" or "in the next 30 days" moves with the clock).
BOARD_CACHE_BYTES = 4 * 1024 * 1024


@bp.record_once
def _create_board_cache(state) -> None:
    state.app.extensions.setdefault("workplan.board_cache", BodyCache(BOARD_CACHE_BYTES))


def _secretariat_board(now: datetime) -> Markup:
    cache = current_app.extensions["workplan.board_cache"]
    key = f"secretariat-board.{formatting.locale()}"
    version = audit_log.state(now)
    html = cache.get(key, version)
    if html is None:
        board = dashboard.secretariat_dashboard(now, current_app.config["BASE_CURRENCY"])
        # The board found the chairmanship in office; the header need not ask again.
        g.chairmanship_in_office = board.current
        html = render_template("main/_dashboard_board.html", board=board).encode()
        cache.put(key, version, html)
    return Markup(html.decode())  # noqa: S704  (rendered by our own autoescaped template)
