"""Organisations: observers, agencies, civil society and other donors; non-state partners."""

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import Select, or_, select
from sqlalchemy.orm import selectinload

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
from workplan.services import DomainError, records
from workplan.services.checks import limited, required, text


@dataclass
class OrganisationDetails:
    """What the secretariat types about an observer or donor organisation."""

    name: str
    acronym: str | None = None
    kind: str = "observer"
    description: str | None = None


def checked(details: OrganisationDetails, current: Organisation | None) -> dict:
    """Check an organisation's details; the values to store."""
    name = required(details.name, _("Give the organisation's name."), "name", 200)
    records.refuse_taken_name(
        Organisation.name,
        name,
        current,
        "name",
        lambda same: _("%(name)s is already on record.", name=same.name),
        lambda same: _(
            "%(name)s is already on record (archived: restore it instead).", name=same.name
        ),
    )
    if details.kind not in ORGANISATION_KINDS:
        raise DomainError(_("Choose what kind of organisation this is."), "kind")
    return {
        "name": name,
        "acronym": limited(details.acronym, "acronym", 40),
        "kind": details.kind,
        "description": text(details.description),
    }


# An organisation is never refused an archive: its pledges and memberships keep their history.
archive, restore = records.archive, records.restore


# What the pages read

SORTS = {
    "name": (Organisation.name,),
    "acronym": (Organisation.acronym.is_(None), Organisation.acronym, Organisation.name),
    "kind": (Organisation.kind, Organisation.name),
}


@dataclass(frozen=True)
class OrganisationFilters:
    """What the list of organisations is narrowed to, and in which order."""

    text: str = ""
    kind: str | None = None
    sort: str = "name"
    archived: bool = False


def listing(filters: OrganisationFilters) -> Select:
    """The organisations that match, as a query to page through."""
    query = (
        select(Organisation)
        .where(records.listed(Organisation, filters.archived))
        .order_by(*SORTS[filters.sort])
    )
    if filters.text:
        query = query.where(
            or_(
                Organisation.name.ilike(f"%{filters.text}%"),
                Organisation.acronym.ilike(f"%{filters.text}%"),
            )
        )
    if filters.kind:
        query = query.where(Organisation.kind == filters.kind)
    return query


@dataclass(frozen=True)
class OrganisationPage:
    """What an organisation's page shows beside the organisation itself."""

    partnerships: list[Roundtable]
    memberships: list[TeamMembership]
    pledges: list[Pledge]


def page(organisation: Organisation, *, private: bool) -> OrganisationPage:
    """The roundtables and teams an organisation partners, and (for signed-in readers) what it
    pledged."""
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
    if private:
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
    return OrganisationPage(partnerships, memberships, pledges)
