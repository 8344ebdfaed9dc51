"""Roundtables: each chairmanship's thematic sessions, their co-chairs and their teams."""

from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import Select, or_, select
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from workplan.extensions import db
from workplan.models import (
    Chairmanship,
    Deliverable,
    Government,
    Meeting,
    Pledge,
    Roundtable,
    RoundtableMember,
)
from workplan.services import DomainError, deliverables, meetings, records, themes
from workplan.services.checks import (
    is_http_url,
    limited,
    refuse_archive_while_used,
    required,
)
from workplan.services.parties import find_governments, find_party


@dataclass
class RoundtableDetails:
    """What the secretariat types about a roundtable."""

    chairmanship_id: int | None
    number: str
    title: str
    cluster_title: str | None = None
    title_fr: str | None = None
    title_es: str | None = None
    background_paper_url: str | None = None
    description: str | None = None
    co_chairs: list[str] = field(default_factory=list)
    themes: list[int | None] = field(default_factory=list)
    co_chairs_publish: bool = False


def roundtable_number(value: str | None) -> str:
    """A roundtable number as stored: "RT 1.1" and "1.1" are the same roundtable."""
    value = (value or "").strip()
    if value[:2].upper() == "RT":
        value = value[2:].strip()
    return value


def checked(details: RoundtableDetails, current: Roundtable | None) -> dict:
    """Check a roundtable's details; the values to store, co-chairs resolved."""
    chairmanship = (
        db.session.get(Chairmanship, details.chairmanship_id) if details.chairmanship_id else None
    )
    if chairmanship is None or chairmanship.archived_at is not None:
        raise DomainError(_("Choose the chairmanship the roundtable belongs to."), "chairmanship")
    number = roundtable_number(details.number)
    if not number:
        raise DomainError(_("Give the roundtable's number, such as 1.1 or 2a."), "number")
    if len(number) > 10:
        raise DomainError(_("Keep the number under 10 characters, such as 1.1 or 2a."), "number")
    if any(c.isspace() for c in number):
        raise DomainError(_("Write the number without spaces, such as 1.1 or 2a."), "number")
    same = db.session.scalar(
        select(Roundtable).where(
            Roundtable.chairmanship_id == chairmanship.id, Roundtable.number == number
        )
    )
    if same is not None and same is not current:
        raise DomainError(
            _(
                "RT %(number)s already exists in %(chairmanship)s (archived: restore it instead).",
                number=number,
                chairmanship=chairmanship.label,
            )
            if same.archived_at
            else _(
                "RT %(number)s already exists in %(chairmanship)s.",
                number=number,
                chairmanship=chairmanship.label,
            ),
            "number",
        )
    url = limited(details.background_paper_url, "background_paper_url", 500)
    if url is not None and not is_http_url(url):
        raise DomainError(
            _("Give a web address starting with http:// or https://."), "background_paper_url"
        )
    return {
        "chairmanship": chairmanship,
        "number": number,
        "title": required(details.title, _("Give the roundtable's title."), "title", 400),
        "title_fr": limited(details.title_fr, "title_fr", 400),
        "title_es": limited(details.title_es, "title_es", 400),
        "cluster_title": limited(details.cluster_title, "cluster_title", 400),
        "background_paper_url": url,
        "description": limited(details.description, "description", 5000),
        "co_chairs": find_governments(
            details.co_chairs, "co_chairs", _("Only governments co-chair roundtables.")
        ),
        "themes": themes.chosen(details.themes, current.themes if current else ()),
        "co_chairs_publish": details.co_chairs_publish,
    }


def describe(roundtable: Roundtable, description: str | None, version: int | None) -> None:
    """Change a roundtable's description alone, from the version the editor saw."""
    records.apply(roundtable, {"description": limited(description, "description", 5000)}, version)


def archive(roundtable: Roundtable) -> None:
    """Hide a roundtable that owns no live meeting, deliverable or earmarked pledge."""
    refuse_archive_while_used(
        roundtable.code,
        roundtable.id,
        [
            (Meeting.roundtable_id, "meeting"),
            (Deliverable.roundtable_id, "deliverable"),
            (Pledge.earmark_roundtable_id, "earmarked pledge"),
        ],
    )
    records.archive(roundtable)


restore = records.restore


def add_roundtable_member(roundtable: Roundtable, key: str) -> RoundtableMember:
    """Add a government or a non-state partner to a roundtable's team."""
    party = find_party(key, "party")
    column = (
        RoundtableMember.government_id
        if isinstance(party, Government)
        else RoundtableMember.organisation_id
    )
    already = db.session.scalar(
        select(RoundtableMember).where(
            RoundtableMember.roundtable_id == roundtable.id, column == party.id
        )
    )
    if already is not None:
        raise DomainError(
            _(
                "%(name)s is already on the team of %(code)s.",
                name=party.name,
                code=roundtable.code,
            ),
            "party",
        )
    which = "government" if isinstance(party, Government) else "organisation"
    member = RoundtableMember(roundtable=roundtable, **{which: party})
    db.session.add(member)
    db.session.flush()
    return member


def remove_roundtable_member(member: RoundtableMember) -> None:
    """Take a government or partner off a roundtable's team; the audit log keeps the record."""
    db.session.delete(member)
    db.session.flush()


# What the pages read

SORTS = {
    "chairmanship": (Chairmanship.starts_on.desc(), Roundtable.number),
    "number": (Roundtable.number, Chairmanship.starts_on.desc()),
    "title": (Roundtable.title, Roundtable.id),
}


@dataclass(frozen=True)
class RoundtableFilters:
    """What a list of roundtables is narrowed to, and in which order."""

    chairmanship_id: int | None = None
    text: str = ""
    government: str | None = None  # an ISO3 code: co-chairs, or sits on the team
    sort: str = "chairmanship"
    archived: bool = False


def listing(filters: RoundtableFilters) -> Select:
    """The roundtables that match, as a query to page through."""
    query = (
        select(Roundtable)
        .join(Roundtable.chairmanship)
        .where(records.listed(Roundtable, filters.archived))
        .options(selectinload(Roundtable.chairmanship), selectinload(Roundtable.co_chairs))
        .order_by(*SORTS[filters.sort])
    )
    if filters.chairmanship_id:
        query = query.where(Roundtable.chairmanship_id == filters.chairmanship_id)
    if filters.text:
        query = query.where(
            or_(
                Roundtable.number.ilike(f"%{roundtable_number(filters.text)}%"),
                Roundtable.title.ilike(f"%{filters.text}%"),
                Roundtable.cluster_title.ilike(f"%{filters.text}%"),
            )
        )
    if filters.government:
        query = query.where(
            or_(
                Roundtable.co_chairs.any(Government.iso3 == filters.government),
                Roundtable.members.any(
                    RoundtableMember.government.has(Government.iso3 == filters.government)
                ),
            )
        )
    return query


@dataclass(frozen=True)
class RoundtablePage:
    """What a roundtable's page shows beside the roundtable itself."""

    government_members: list[RoundtableMember]
    partner_members: list[RoundtableMember]
    meetings: list[Meeting]
    deliverables: list[Deliverable]


def for_page(roundtable_id: int, *, include_archived: bool) -> Roundtable | None:
    """A roundtable with its chairmanship, co-chairs and themes, in one query."""
    query = (
        select(Roundtable)
        .where(Roundtable.id == roundtable_id)
        .options(
            joinedload(Roundtable.chairmanship),
            joinedload(Roundtable.co_chairs),
            joinedload(Roundtable.themes),
        )
    )
    if not include_archived:
        query = query.where(Roundtable.archived_at.is_(None))
    return db.session.execute(query).unique().scalar_one_or_none()


def page(
    roundtable: Roundtable, *, secretariat: bool, private: bool, drafts: bool = False
) -> RoundtablePage:
    """A roundtable's team, meetings and (for signed-in readers) deliverables.

    The secretariat also sees draft meetings and archived members; `drafts` shows the draft
    meetings to others who write them (the co-chairs); `private` adds the deliverables, which
    only signed-in members of the forum read.
    """
    members = db.session.scalars(
        select(RoundtableMember)
        .where(RoundtableMember.roundtable_id == roundtable.id)
        .options(
            selectinload(RoundtableMember.government),
            selectinload(RoundtableMember.organisation),
        )
    ).all()
    # An archived party stays on the record but is shown only to the secretariat.
    members = [m for m in members if secretariat or m.party.archived_at is None]
    return RoundtablePage(
        government_members=sorted((m for m in members if m.government), key=_by_name),
        partner_members=sorted((m for m in members if m.organisation), key=_by_name),
        meetings=meetings.shown_where(
            Meeting.roundtable_id == roundtable.id, secretariat=secretariat or drafts
        ),
        deliverables=(
            deliverables.live_where(Deliverable.roundtable_id == roundtable.id) if private else []
        ),
    )


def _by_name(member: RoundtableMember) -> str:
    return member.party.name


def chosen_or_in(chairmanship_id: int | None, roundtable_id: int | None) -> list[Roundtable]:
    """What a list's roundtable filter offers once a chairmanship or a roundtable is chosen:
    that chairmanship's roundtables, and the chosen one, by number; nothing before."""
    if not (chairmanship_id or roundtable_id):
        return []
    return db.session.scalars(
        select(Roundtable)
        .where(
            Roundtable.archived_at.is_(None),
            (Roundtable.chairmanship_id == chairmanship_id) | (Roundtable.id == roundtable_id),
        )
        .order_by(Roundtable.number)
    ).all()


def listed() -> list[Roundtable]:
    """The roundtables on record, latest chairmanship first, each with its chairmanship."""
    return db.session.scalars(
        select(Roundtable)
        .join(Roundtable.chairmanship)
        .where(Roundtable.archived_at.is_(None))
        .options(contains_eager(Roundtable.chairmanship))
        .order_by(Chairmanship.starts_on.desc(), Roundtable.number)
    ).all()
