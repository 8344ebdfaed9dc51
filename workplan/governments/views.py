"""The governments pages."""

from flask import Blueprint

bp = Blueprint("governments", __name__, url_prefix="/governments")


@bp.get("/")
def index():
    """List."""
    return "todo"


@bp.get("/<int:government_id>")
def detail(government_id: int):
    """Detail."""
    return "todo"
