"""The deliverables pages."""

from flask import Blueprint

bp = Blueprint("deliverables", __name__, url_prefix="/deliverables")


@bp.get("/")
def index():
    """List."""
    return "todo"


@bp.get("/<int:deliverable_id>")
def detail(deliverable_id: int):
    """Detail."""
    return "todo"
