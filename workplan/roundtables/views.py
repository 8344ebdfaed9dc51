"""The roundtables pages: each chairmanship's thematic sessions, their co-chairs and teams."""

from flask import Blueprint, render_template
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from workplan import permissions
from workplan.extensions import db
from workplan.models import Chairmanship, Deliverable, Meeting, Roundtable, RoundtableMember, utcnow
from workplan.models.meeting import VISIBLE_STATES
from workplan.web import get_or_404, paginate, query_int

bp = Blueprint("roundtables", __name__, url_prefix="/roundtables")


@bp.get("/")
def index():
    """The roundtables, latest chairmanship first; one chairmanship's with ?chairmanship=ID."""
    chairmanship_id = query_int("chairmanship")
    query = (
        select(Roundtable)
        .join(Roundtable.chairmanship)
        .where(Roundtable.archived_at.is_(None))
        .options(selectinload(Roundtable.chairmanship), selectinload(Roundtable.co_chairs))
        .order_by(Chairmanship.starts_on.desc(), Roundtable.number)
    )
    if chairmanship_id:
        query = query.where(Roundtable.chairmanship_id == chairmanship_id)
    chairmanships = db.session.scalars(
        select(Chairmanship)
        .where(Chairmanship.archived_at.is_(None))
        .order_by(Chairmanship.starts_on.desc())
    ).all()
    return render_template(
        "roundtables/index.html",
        page=paginate(query, per_page=50),
        chairmanships=chairmanships,
        chairmanship_id=chairmanship_id,
    )


@bp.get("/<int:roundtable_id>")
def detail(roundtable_id: int):
    """A roundtable: co-chairs, team members and partners, its session and deliverables."""
    roundtable = get_or_404(Roundtable, roundtable_id)
    members = db.session.scalars(
        select(RoundtableMember)
        .where(RoundtableMember.roundtable_id == roundtable.id)
        .options(
            selectinload(RoundtableMember.government),
            selectinload(RoundtableMember.organisation),
        )
    ).all()
    governments = sorted((m.government for m in members if m.government), key=lambda g: g.name)
    partners = sorted((m.organisation for m in members if m.organisation), key=lambda o: o.name)
    meetings_query = (
        select(Meeting)
        .where(Meeting.roundtable_id == roundtable.id, Meeting.archived_at.is_(None))
        .order_by(Meeting.starts_at)
    )
    if not permissions.is_secretariat(current_user):
        meetings_query = meetings_query.where(Meeting.state.in_(VISIBLE_STATES))
    deliverables = []
    if permissions.can_read_private(current_user):
        deliverables = db.session.scalars(
            select(Deliverable)
            .where(Deliverable.roundtable_id == roundtable.id, Deliverable.archived_at.is_(None))
            .options(selectinload(Deliverable.responsible_governments))
            .order_by(Deliverable.due_on, Deliverable.id)
        ).all()
    return render_template(
        "roundtables/detail.html",
        roundtable=roundtable,
        governments=governments,
        partners=partners,
        meetings=db.session.scalars(meetings_query).all(),
        deliverables=deliverables,
        today=utcnow().date(),
    )
