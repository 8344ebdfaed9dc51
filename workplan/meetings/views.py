"""The meetings pages."""

from flask import Blueprint

bp = Blueprint("meetings", __name__, url_prefix="/meetings")


@bp.get("/")
def index():
    """List."""
    return "todo"


@bp.get("/<int:meeting_id>")
def detail(meeting_id: int):
    """Detail."""
    return "todo"
