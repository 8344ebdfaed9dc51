"""Government teams: states gathered around a policy priority, over several years."""

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import Select, or_, select
from sqlalchemy.orm import selectinload

from workplan.extensions import db
from workplan.models import Deliverable, Government, GovernmentTeam, Meeting, TeamMembership
from workplan.services import DomainError, deliverables, meetings, records
from workplan.services.checks import (
    plausible_year,
    refuse_archive_while_used,
    required,
)
from workplan.services.parties import find_government, find_party


@dataclass
class TeamDetails:
    """What the secretariat types about a government team."""

    name: str
    policy_priority: str
    lead_government: str
    first_year: int
    last_year: int | None = None


def checked(details: TeamDetails, current: GovernmentTeam | None) -> dict:
    """Check a team's details against its members' years; the values to store."""
    name = required(details.name, _("Give the team a name."), "name", 200)
    records.refuse_taken_name(
        GovernmentTeam.name,
        name,
        current,
        "name",
        lambda same: _("A team called “%(name)s” exists already.", name=same.name),
        lambda same: _(
            "A team called “%(name)s” exists already (archived: restore it instead).",
            name=same.name,
        ),
    )
    priority = required(
        details.policy_priority,
        _("Say which policy priority gathers the team."),
        "policy_priority",
        5000,
    )
    lead = find_government(
        details.lead_government, "lead_government", _("Only governments lead a government team.")
    )
    first = plausible_year(details.first_year, "first_year")
    last = None
    if details.last_year is not None:
        last = plausible_year(details.last_year, "last_year")
        if last < first:
            raise DomainError(
                _("The last year cannot come before the first (%(first)s).", first=first),
                "last_year",
            )
    if current is not None:
        for membership in current.memberships:
            if membership.joined_year < first:
                raise DomainError(
                    _(
                        "%(name)s joined in %(year)s; the first year cannot be later than that.",
                        name=membership.party.name,
                        year=membership.joined_year,
                    ),
                    "first_year",
                )
            if last is not None and membership.joined_year > last:
                raise DomainError(
                    _(
                        "%(name)s joined in %(year)s; the last year cannot be earlier than that.",
                        name=membership.party.name,
                        year=membership.joined_year,
                    ),
                    "last_year",
                )
    return {
        "name": name,
        "policy_priority": priority,
        "lead_government": lead,
        "first_year": first,
        "last_year": last,
    }


def archive(team: GovernmentTeam) -> None:
    """Hide a team that owns no live meeting or deliverable."""
    refuse_archive_while_used(
        team.name, team.id, [(Meeting.team_id, "meeting"), (Deliverable.team_id, "deliverable")]
    )
    records.archive(team)


restore = records.restore


def add_team_member(team: GovernmentTeam, key: str, joined_year: int | None) -> TeamMembership:
    """Record that a government or organisation joined a team in a year."""
    party = find_party(key, "party")
    joined = plausible_year(joined_year, "joined_year")
    if joined < team.first_year or (team.last_year is not None and joined > team.last_year):
        raise DomainError(
            _(
                "The team was active from %(first)s to %(last)s; choose a year in that span.",
                first=team.first_year,
                last=team.last_year,
            )
            if team.last_year
            else _(
                "The team was active from %(first)s on; choose a year in that span.",
                first=team.first_year,
            ),
            "joined_year",
        )
    for membership in team.memberships:
        if membership.party is party and (
            membership.left_year is None or membership.left_year >= joined
        ):
            raise DomainError(
                _(
                    "%(name)s is a member since %(joined)s until %(left)s.",
                    name=party.name,
                    joined=membership.joined_year,
                    left=membership.left_year,
                )
                if membership.left_year
                else _(
                    "%(name)s is a member since %(joined)s.",
                    name=party.name,
                    joined=membership.joined_year,
                ),
                "party",
            )
    which = "government" if isinstance(party, Government) else "organisation"
    membership = TeamMembership(team=team, joined_year=joined, **{which: party})
    db.session.add(membership)
    db.session.flush()
    return membership


def mark_member_left(membership: TeamMembership, left_year: int | None) -> None:
    """Record the year a member left the team."""
    if membership.left_year is not None:
        raise DomainError(
            _(
                "%(name)s already left in %(year)s.",
                name=membership.party.name,
                year=membership.left_year,
            ),
            "left_year",
        )
    left = plausible_year(left_year, "left_year")
    if left < membership.joined_year:
        raise DomainError(
            _(
                "%(name)s joined in %(year)s; it cannot leave before that.",
                name=membership.party.name,
                year=membership.joined_year,
            ),
            "left_year",
        )
    team = membership.team
    if team.last_year is not None and left > team.last_year:
        raise DomainError(
            _(
                "The team ended in %(year)s; a member cannot leave after that.",
                year=team.last_year,
            ),
            "left_year",
        )
    membership.left_year = left
    db.session.flush()


# What the pages read

SORTS = {
    "name": (GovernmentTeam.name,),
    "-first_year": (GovernmentTeam.first_year.desc(), GovernmentTeam.name),
    "first_year": (GovernmentTeam.first_year, GovernmentTeam.name),
}


@dataclass(frozen=True)
class TeamFilters:
    """What the list of teams is narrowed to, and in which order."""

    text: str = ""
    year: int | None = None  # active in that year
    government: str | None = None  # an ISO3 code: leads the team, or has been a member
    sort: str = "name"
    archived: bool = False


def listing(filters: TeamFilters) -> Select:
    """The teams that match, as a query to page through."""
    query = (
        select(GovernmentTeam)
        .where(records.listed(GovernmentTeam, filters.archived))
        .options(selectinload(GovernmentTeam.lead_government))
        .order_by(*SORTS[filters.sort])
    )
    if filters.text:
        query = query.where(
            GovernmentTeam.name.ilike(f"%{filters.text}%")
            | GovernmentTeam.policy_priority.ilike(f"%{filters.text}%")
        )
    if filters.year:
        query = query.where(
            GovernmentTeam.first_year <= filters.year,
            or_(GovernmentTeam.last_year.is_(None), GovernmentTeam.last_year >= filters.year),
        )
    if filters.government:
        query = query.where(
            or_(
                GovernmentTeam.lead_government.has(Government.iso3 == filters.government),
                GovernmentTeam.memberships.any(
                    TeamMembership.government.has(Government.iso3 == filters.government)
                ),
            )
        )
    return query


@dataclass(frozen=True)
class TeamPage:
    """What a team's page shows beside the team itself."""

    memberships: list[TeamMembership]
    meetings: list[Meeting]
    deliverables: list[Deliverable]


def page(team: GovernmentTeam, *, secretariat: bool, private: bool) -> TeamPage:
    """A team's members over the years, its meetings and (for signed-in readers) deliverables.

    The secretariat also sees draft meetings and archived members.
    """
    memberships = db.session.scalars(
        select(TeamMembership)
        .where(TeamMembership.team_id == team.id)
        .options(selectinload(TeamMembership.government), selectinload(TeamMembership.organisation))
        .order_by(TeamMembership.joined_year, TeamMembership.id)
    ).all()
    # An archived party stays on the record but is shown only to the secretariat.
    memberships = [m for m in memberships if secretariat or m.party.archived_at is None]
    return TeamPage(
        memberships,
        meetings.shown_where(Meeting.team_id == team.id, secretariat=secretariat),
        deliverables.live_where(Deliverable.team_id == team.id) if private else [],
    )


def listed() -> list[GovernmentTeam]:
    """The teams on record, by name."""
    return db.session.scalars(
        select(GovernmentTeam)
        .where(GovernmentTeam.archived_at.is_(None))
        .order_by(GovernmentTeam.name)
    ).all()


def active_since(year: int) -> list[GovernmentTeam]:
    """The teams on record still active in a year or later, by name."""
    return db.session.scalars(
        select(GovernmentTeam)
        .where(
            GovernmentTeam.archived_at.is_(None),
            or_(GovernmentTeam.last_year.is_(None), GovernmentTeam.last_year >= year),
        )
        .order_by(GovernmentTeam.name)
    ).all()
