"""The pledges pages."""

from flask import Blueprint

bp = Blueprint("pledges", __name__, url_prefix="/pledges")


@bp.get("/")
def index():
    """List."""
    return "todo"


@bp.get("/<int:pledge_id>")
def detail(pledge_id: int):
    """Detail."""
    return "todo"
