"""The deliverables pages: what the forum owes, by whom and by when, with its progress history."""

from flask import Blueprint, abort, render_template
from flask_login import current_user, login_required
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from workplan import permissions
from workplan.extensions import db
from workplan.models import (
    DELIVERABLE_STATUSES,
    Chairmanship,
    Deliverable,
    Government,
    GovernmentTeam,
    ProgressUpdate,
    Roundtable,
    deliverable_governments,
    utcnow,
)
from workplan.web import get_or_404, paginate, query_choice, query_int, query_text

bp = Blueprint("deliverables", __name__, url_prefix="/deliverables")


@bp.before_request
@login_required
def _members_only():
    """Deliverables and their progress are for signed-in members of the forum."""
    if not permissions.can_read_private(current_user):
        abort(403)


@bp.get("/")
def index():
    """Deliverables by due date, filtered by chairmanship, status, government, owner or text."""
    filters = {
        "chairmanship": query_int("chairmanship"),
        "status": query_choice("status", DELIVERABLE_STATUSES),
        "government": query_int("government"),
        "roundtable": query_int("roundtable"),
        "team": query_int("team"),
        "q": query_text("q"),
    }
    query = (
        select(Deliverable)
        .where(Deliverable.archived_at.is_(None))
        .options(
            selectinload(Deliverable.roundtable),
            selectinload(Deliverable.team),
            selectinload(Deliverable.responsible_governments),
        )
        .order_by(Deliverable.due_on, Deliverable.id)
    )
    if filters["chairmanship"]:
        query = query.where(Deliverable.chairmanship_id == filters["chairmanship"])
    if filters["status"]:
        query = query.where(Deliverable.status == filters["status"])
    if filters["government"]:
        query = query.where(
            Deliverable.id.in_(
                select(deliverable_governments.c.deliverable_id).where(
                    deliverable_governments.c.government_id == filters["government"]
                )
            )
        )
    if filters["roundtable"]:
        query = query.where(Deliverable.roundtable_id == filters["roundtable"])
    if filters["team"]:
        query = query.where(Deliverable.team_id == filters["team"])
    if filters["q"]:
        pattern = f"%{filters['q']}%"
        query = query.where(
            or_(Deliverable.title.ilike(pattern), Deliverable.description.ilike(pattern))
        )
    return render_template(
        "deliverables/index.html",
        page=paginate(query),
        filters=filters,
        statuses=DELIVERABLE_STATUSES,
        **_filter_choices(filters),
        today=utcnow().date(),
    )


def _filter_choices(filters: dict) -> dict:
    """The chairmanships, governments, roundtables and teams offered in the filter form."""
    roundtables = []
    if filters["chairmanship"] or filters["roundtable"]:
        roundtables = db.session.scalars(
            select(Roundtable)
            .where(
                Roundtable.archived_at.is_(None),
                (Roundtable.chairmanship_id == filters["chairmanship"])
                | (Roundtable.id == filters["roundtable"]),
            )
            .order_by(Roundtable.number)
        ).all()
    return {
        "chairmanships": db.session.scalars(
            select(Chairmanship)
            .where(Chairmanship.archived_at.is_(None))
            .order_by(Chairmanship.starts_on.desc())
        ).all(),
        "governments": db.session.scalars(
            select(Government).where(Government.archived_at.is_(None)).order_by(Government.name)
        ).all(),
        "roundtables": roundtables,
        "teams": db.session.scalars(
            select(GovernmentTeam)
            .where(GovernmentTeam.archived_at.is_(None))
            .order_by(GovernmentTeam.name)
        ).all(),
    }


@bp.get("/<int:deliverable_id>")
def detail(deliverable_id: int):
    """A deliverable: owner, objective, responsible governments, status and progress history."""
    deliverable = get_or_404(Deliverable, deliverable_id)
    history = db.session.scalars(
        select(ProgressUpdate)
        .where(ProgressUpdate.deliverable_id == deliverable.id)
        .options(selectinload(ProgressUpdate.user))
        .order_by(ProgressUpdate.created_at.desc(), ProgressUpdate.id.desc())
    ).all()
    return render_template(
        "deliverables/detail.html",
        deliverable=deliverable,
        history=history,
        today=utcnow().date(),
    )
