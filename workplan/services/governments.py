"""Governments: the states of the forum, and what one state co-chairs, joins, owes and pledged."""

from dataclasses import dataclass, field
from datetime import date

import pycountry
from flask_babel import gettext as _
from sqlalchemy import Select, and_, case, func, or_, select
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from workplan.extensions import db
from workplan.models import (
    Chairmanship,
    Deliverable,
    Government,
    GovernmentTeam,
    Meeting,
    Pledge,
    Roundtable,
    RoundtableMember,
    TeamMembership,
    roundtable_co_chairs,
    utcnow,
)
from workplan.models.deliverable import CLOSED_STATUSES
from workplan.models.meeting import VISIBLE_STATES
from workplan.services import DomainError, deliverables, records

UPCOMING_MEETINGS = 20


@dataclass
class GovernmentPage:
    """Everything a government's page shows, loaded in a fixed number of queries."""

    government: Government
    chaired: list[Chairmanship]
    co_chaired: list[Roundtable]
    joined: list[Roundtable]
    memberships: list[TeamMembership]
    led: list[GovernmentTeam]
    meetings: list[Meeting]
    deliverables: list[Deliverable] = field(default_factory=list)
    pledges: list[Pledge] = field(default_factory=list)


def for_page(government_id: int, *, include_archived: bool) -> Government | None:
    """A government with the chairmanships it chaired, in one query."""
    query = (
        select(Government)
        .where(Government.id == government_id)
        .options(joinedload(Government.chaired_chairmanships))
    )
    if not include_archived:
        query = query.where(Government.archived_at.is_(None))
    return db.session.execute(query).unique().scalar_one_or_none()


def page_sections(
    government: Government, today: date, include_private: bool, with_deliverables: bool = True
) -> GovernmentPage:
    """A government's roundtables, teams and coming meetings; with include_private, what it
    owes (overdue first, then by due date; unless the page arranges them itself, without
    with_deliverables) and what it pledged and paid."""
    # Many-to-one relations are joined into their list's query and collections come in one
    # extra query each, so the page costs the same for a new member and for a founding state.
    chaired = [c for c in government.chaired_chairmanships if c.archived_at is None]
    co_chairs = (
        select(roundtable_co_chairs.c.roundtable_id)
        .where(
            roundtable_co_chairs.c.roundtable_id == Roundtable.id,
            roundtable_co_chairs.c.government_id == government.id,
        )
        .exists()
    )
    member = (
        select(RoundtableMember.id)
        .where(
            RoundtableMember.roundtable_id == Roundtable.id,
            RoundtableMember.government_id == government.id,
        )
        .exists()
    )
    roundtables = db.session.execute(
        select(Roundtable, co_chairs.label("co_chairs"), member.label("member"))
        .join(Roundtable.chairmanship)
        .where(or_(co_chairs, member), Roundtable.archived_at.is_(None))
        .options(contains_eager(Roundtable.chairmanship), selectinload(Roundtable.co_chairs))
        .order_by(Chairmanship.starts_on.desc(), Roundtable.number)
    ).all()
    co_chaired = [rt for rt, is_co_chair, _ in roundtables if is_co_chair]
    joined = [rt for rt, _, is_member in roundtables if is_member]
    # The teams it leads and those it belongs to, in one query: a led team it never joined
    # comes without a membership.
    teams = db.session.execute(
        select(GovernmentTeam, TeamMembership)
        .outerjoin(
            TeamMembership,
            and_(
                TeamMembership.team_id == GovernmentTeam.id,
                TeamMembership.government_id == government.id,
            ),
        )
        .where(
            or_(
                GovernmentTeam.lead_government_id == government.id,
                TeamMembership.id.is_not(None),
            ),
            GovernmentTeam.archived_at.is_(None),
        )
        .options(contains_eager(TeamMembership.team))
        .order_by(TeamMembership.joined_year.desc(), GovernmentTeam.name)
    ).all()
    memberships = [membership for _team, membership in teams if membership is not None]
    led = sorted(
        {team for team, _m in teams if team.lead_government_id == government.id},
        key=lambda team: team.name,
    )
    roundtable_ids = sorted({rt.id for rt, _, _ in roundtables})
    team_ids = sorted({m.team_id for m in memberships} | {t.id for t in led})
    meetings = db.session.scalars(
        select(Meeting)
        .where(
            or_(Meeting.roundtable_id.in_(roundtable_ids), Meeting.team_id.in_(team_ids)),
            Meeting.state.in_(VISIBLE_STATES),
            Meeting.archived_at.is_(None),
            Meeting.ends_at >= utcnow(),
        )
        .options(joinedload(Meeting.roundtable), joinedload(Meeting.team))
        .order_by(Meeting.starts_at)
        .limit(UPCOMING_MEETINGS)
    ).all()
    page = GovernmentPage(government, chaired, co_chaired, joined, memberships, led, meetings)
    if include_private:
        if with_deliverables:
            page.deliverables = owed_by(government, today)
        page.pledges = db.session.scalars(
            select(Pledge)
            .join(Pledge.chairmanship)
            .where(Pledge.donor_government_id == government.id, Pledge.archived_at.is_(None))
            .options(
                contains_eager(Pledge.chairmanship),
                joinedload(Pledge.earmark_roundtable),
                selectinload(Pledge.payments),
            )
            .order_by(Chairmanship.starts_on.desc(), Pledge.pledged_on)
        ).all()
    return page


def owed_by(government: Government, today: date) -> list[Deliverable]:
    """The deliverables a government is responsible for: overdue first, then by due date."""
    overdue_first = case(
        (and_(Deliverable.status.not_in(CLOSED_STATUSES), Deliverable.due_on < today), 0),
        else_=1,
    )
    return deliverables.live_where(
        Deliverable.responsible_governments.any(Government.id == government.id),
        order=(overdue_first,),
    )


def suggested_name(iso3: str) -> str | None:
    """The common English name of a country from its ISO code, to fill an empty name."""
    country = pycountry.countries.get(alpha_3=(iso3 or "").strip().upper())
    if country is None:
        return None
    return getattr(country, "common_name", None) or country.name


@dataclass
class GovernmentDetails:
    """What the secretariat types about a state: its ISO 3166-1 alpha-3 code and its name."""

    iso3: str
    name: str


def checked(details: GovernmentDetails, current: Government | None) -> dict:
    """A known ISO 3166-1 alpha-3 code not used by another government, and a name."""
    code = (details.iso3 or "").strip().upper()
    if len(code) != 3 or not code.isalpha():
        raise DomainError(_("Give the three-letter ISO 3166-1 alpha-3 code, such as SWE."), "iso3")
    if pycountry.countries.get(alpha_3=code) is None:
        raise DomainError(
            _(
                "“%(code)s” is not an ISO 3166-1 alpha-3 country code (for example SWE, TUR, PHL).",
                code=code,
            ),
            "iso3",
        )
    clash = db.session.scalar(select(Government).where(Government.iso3 == code))
    if clash is not None and clash is not current:
        raise DomainError(
            _(
                "%(code)s is already recorded as %(name)s (archived: restore it instead).",
                code=code,
                name=clash.name,
            )
            if clash.archived_at
            else _("%(code)s is already recorded as %(name)s.", code=code, name=clash.name),
            "iso3",
        )
    name = (details.name or "").strip()
    if not name:
        raise DomainError(_("Give the government's name."), "name")
    return {"iso3": code, "name": name}


# A government is never refused an archive: its history, pledges and deliverables stay.
archive, restore = records.archive, records.restore


def listing(text: str = "", archived: bool = False) -> Select:
    """The governments that match a name or an ISO code, by name, as a query to page through."""
    query = select(Government).where(records.listed(Government, archived))
    if text:
        query = query.where(
            or_(Government.name.ilike(f"%{text}%"), Government.iso3 == text.upper())
        )
    return query.order_by(Government.name)


def with_code(iso3: str) -> Government | None:
    """The government on record with this ISO 3166-1 alpha-3 code, whatever its case."""
    return db.session.scalar(
        select(Government).where(
            func.upper(Government.iso3) == iso3.upper(), Government.archived_at.is_(None)
        )
    )
