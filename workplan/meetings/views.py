"""The meetings pages: the programme, and each meeting with its agenda in the venue's time."""

from flask import Blueprint, abort, render_template
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from workplan import permissions
from workplan.extensions import db
from workplan.models import MEETING_KINDS, MEETING_STATES, Chairmanship, Meeting, Roundtable, utcnow
from workplan.models.meeting import VISIBLE_STATES
from workplan.web import get_or_404, paginate, query_choice, query_int

bp = Blueprint("meetings", __name__, url_prefix="/meetings")

WHEN = ("upcoming", "past", "all")


@bp.get("/")
def index():
    """The programme: upcoming, past or all meetings, by chairmanship, kind or roundtable."""
    secretariat = permissions.is_secretariat(current_user)
    chairmanship_id = query_int("chairmanship")
    roundtable_id = query_int("roundtable")
    kind = query_choice("kind", MEETING_KINDS)
    # Drafts are the secretariat's working copies; nobody else may even ask for them.
    state = query_choice("state", MEETING_STATES if secretariat else VISIBLE_STATES)
    when = query_choice("when", WHEN, "upcoming")
    now = utcnow()
    query = (
        select(Meeting)
        .where(Meeting.archived_at.is_(None))
        .options(
            selectinload(Meeting.chairmanship),
            selectinload(Meeting.roundtable),
            selectinload(Meeting.team),
        )
    )
    if not secretariat:
        query = query.where(Meeting.state.in_(VISIBLE_STATES))
    if state:
        query = query.where(Meeting.state == state)
    if chairmanship_id:
        query = query.where(Meeting.chairmanship_id == chairmanship_id)
    if roundtable_id:
        query = query.where(Meeting.roundtable_id == roundtable_id)
    if kind:
        query = query.where(Meeting.kind == kind)
    if when == "upcoming":
        query = query.where(Meeting.ends_at >= now).order_by(Meeting.starts_at, Meeting.id)
    elif when == "past":
        query = query.where(Meeting.ends_at < now).order_by(
            Meeting.starts_at.desc(), Meeting.id.desc()
        )
    else:
        query = query.order_by(Meeting.starts_at, Meeting.id)
    chairmanships = db.session.scalars(
        select(Chairmanship)
        .where(Chairmanship.archived_at.is_(None))
        .order_by(Chairmanship.starts_on.desc())
    ).all()
    roundtables = []
    if chairmanship_id or roundtable_id:
        roundtables = db.session.scalars(
            select(Roundtable)
            .where(
                Roundtable.archived_at.is_(None),
                (Roundtable.chairmanship_id == chairmanship_id) | (Roundtable.id == roundtable_id),
            )
            .order_by(Roundtable.number)
        ).all()
    return render_template(
        "meetings/index.html",
        page=paginate(query),
        filters={
            "chairmanship": chairmanship_id,
            "roundtable": roundtable_id,
            "kind": kind,
            "state": state,
            "when": when,
        },
        chairmanships=chairmanships,
        roundtables=roundtables,
        kinds=MEETING_KINDS,
        states=MEETING_STATES if secretariat else VISIBLE_STATES,
        whens=WHEN,
    )


@bp.get("/<int:meeting_id>")
def detail(meeting_id: int):
    """A meeting and its agenda, each item's start derived and shown in the venue's time."""
    meeting = get_or_404(Meeting, meeting_id, include_archived=True)
    # A 404 rather than a 403, so a draft's existence is not given away.
    if not permissions.can_see_meeting(current_user, meeting):
        abort(404)
    return render_template(
        "meetings/detail.html",
        meeting=meeting,
        schedule=list(meeting.agenda_schedule()),
    )
