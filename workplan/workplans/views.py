"""The workplans pages."""

from flask import Blueprint

bp = Blueprint("workplans", __name__, url_prefix="/workplans")


@bp.get("/")
def index():
    """List."""
    return "todo"


@bp.get("/<int:work_plan_id>")
def detail(work_plan_id: int):
    """Detail."""
    return "todo"
