"""The organisations pages."""

from flask import Blueprint

bp = Blueprint("organisations", __name__, url_prefix="/organisations")


@bp.get("/")
def index():
    """List."""
    return "todo"


@bp.get("/<int:organisation_id>")
def detail(organisation_id: int):
    """Detail."""
    return "todo"
