"""The chairmanships pages."""

from flask import Blueprint

bp = Blueprint("chairmanships", __name__, url_prefix="/chairmanships")


@bp.get("/")
def index():
    """List."""
    return "todo"


@bp.get("/<int:chairmanship_id>")
def detail(chairmanship_id: int):
    """Detail."""
    return "todo"
