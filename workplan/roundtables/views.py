"""The roundtables pages."""

from flask import Blueprint

bp = Blueprint("roundtables", __name__, url_prefix="/roundtables")


@bp.get("/")
def index():
    """List."""
    return "todo"


@bp.get("/<int:roundtable_id>")
def detail(roundtable_id: int):
    """Detail."""
    return "todo"
