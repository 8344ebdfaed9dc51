"""The organisations pages: observers and donors, their partnerships, teams and pledges."""

from flask import Blueprint, render_template
from flask_login import current_user
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from workplan import permissions
from workplan.extensions import db
from workplan.models import (
    ORGANISATION_KINDS,
    Chairmanship,
    GovernmentTeam,
    Organisation,
    Pledge,
    Roundtable,
    RoundtableMember,
    TeamMembership,
)
from workplan.web import get_or_404, paginate, query_choice, query_text

bp = Blueprint("organisations", __name__, url_prefix="/organisations")


@bp.get("/")
def index():
    """The observers and other organisations, searchable by name or acronym."""
    query = (
        select(Organisation).where(Organisation.archived_at.is_(None)).order_by(Organisation.name)
    )
    text = query_text("q", 100)
    kind = query_choice("kind", ORGANISATION_KINDS)
    if text:
        query = query.where(
            or_(Organisation.name.ilike(f"%{text}%"), Organisation.acronym.ilike(f"%{text}%"))
        )
    if kind:
        query = query.where(Organisation.kind == kind)
    return render_template(
        "organisations/index.html",
        page=paginate(query, per_page=50),
        q=text,
        kind=kind,
        kinds=ORGANISATION_KINDS,
    )


@bp.get("/<int:organisation_id>")
def detail(organisation_id: int):
    """An organisation's page: the roundtables and teams it partners, and what it pledged."""
    organisation = get_or_404(Organisation, organisation_id)
    partnerships = db.session.scalars(
        select(Roundtable)
        .join(RoundtableMember)
        .join(Roundtable.chairmanship)
        .where(
            RoundtableMember.organisation_id == organisation.id,
            Roundtable.archived_at.is_(None),
        )
        .options(selectinload(Roundtable.chairmanship), selectinload(Roundtable.co_chairs))
        .order_by(Chairmanship.starts_on.desc(), Roundtable.number)
    ).all()
    memberships = db.session.scalars(
        select(TeamMembership)
        .join(TeamMembership.team)
        .where(
            TeamMembership.organisation_id == organisation.id,
            GovernmentTeam.archived_at.is_(None),
        )
        .options(selectinload(TeamMembership.team))
        .order_by(TeamMembership.joined_year.desc(), GovernmentTeam.name)
    ).all()
    pledges = []
    if permissions.can_read_private(current_user):
        pledges = db.session.scalars(
            select(Pledge)
            .join(Pledge.chairmanship)
            .where(Pledge.donor_organisation_id == organisation.id, Pledge.archived_at.is_(None))
            .options(
                selectinload(Pledge.chairmanship),
                selectinload(Pledge.payments),
                selectinload(Pledge.earmark_roundtable),
            )
            .order_by(Chairmanship.starts_on.desc(), Pledge.pledged_on)
        ).all()
    return render_template(
        "organisations/detail.html",
        organisation=organisation,
        partnerships=partnerships,
        memberships=memberships,
        pledges=pledges,
    )
