"""The teams pages."""

from flask import Blueprint

bp = Blueprint("teams", __name__, url_prefix="/teams")


@bp.get("/")
def index():
    """List."""
    return "todo"


@bp.get("/<int:team_id>")
def detail(team_id: int):
    """Detail."""
    return "todo"
