"""The pledges pages: what donors promised, what they signed, and what has arrived."""

from flask import Blueprint, abort, render_template
from flask_login import current_user, login_required
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from workplan import permissions
from workplan.extensions import db
from workplan.models import Chairmanship, Payment, Pledge
from workplan.web import get_or_404, paginate, query_choice, query_int

bp = Blueprint("pledges", __name__, url_prefix="/pledges")

DONOR_TYPES = ("government", "organisation")
# Paid is not stored: a pledge is paid once its payments cover the amount.
STAGES = ("pledged", "committed", "paid")


@bp.before_request
@login_required
def _members_only():
    """Pledges and payments are for signed-in members of the forum."""
    if not permissions.can_read_private(current_user):
        abort(403)


@bp.get("/")
def index():
    """Pledges, newest first, filtered by chairmanship, donor type and stage."""
    filters = {
        "chairmanship": query_int("chairmanship"),
        "donor": query_choice("donor", DONOR_TYPES),
        "status": query_choice("status", STAGES),
    }
    query = (
        select(Pledge)
        .where(Pledge.archived_at.is_(None))
        .options(
            selectinload(Pledge.chairmanship),
            selectinload(Pledge.donor_government),
            selectinload(Pledge.donor_organisation),
            selectinload(Pledge.payments),
            selectinload(Pledge.earmark_roundtable),
        )
        .order_by(Pledge.pledged_on.desc(), Pledge.id.desc())
    )
    if filters["chairmanship"]:
        query = query.where(Pledge.chairmanship_id == filters["chairmanship"])
    if filters["donor"] == "government":
        query = query.where(Pledge.donor_government_id.is_not(None))
    elif filters["donor"] == "organisation":
        query = query.where(Pledge.donor_organisation_id.is_not(None))
    if filters["status"]:
        received = (
            select(func.coalesce(func.sum(Payment.amount), 0))
            .where(Payment.pledge_id == Pledge.id)
            .scalar_subquery()
        )
        paid = received >= Pledge.amount
        if filters["status"] == "paid":
            query = query.where(paid)
        else:
            query = query.where(Pledge.status == filters["status"], ~paid)
    chairmanships = db.session.scalars(
        select(Chairmanship)
        .where(Chairmanship.archived_at.is_(None))
        .order_by(Chairmanship.starts_on.desc())
    ).all()
    return render_template(
        "pledges/index.html",
        page=paginate(query),
        filters=filters,
        chairmanships=chairmanships,
        donor_types=DONOR_TYPES,
        stages=STAGES,
    )


@bp.get("/<int:pledge_id>")
def detail(pledge_id: int):
    """A pledge with its payments: received so far, and what is still outstanding."""
    pledge = get_or_404(Pledge, pledge_id)
    return render_template("pledges/detail.html", pledge=pledge)
