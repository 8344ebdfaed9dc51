"""Governments' offers: a focal point offers to co-chair a roundtable, to join a government
team, or proposes a theme for a chairmanship; the secretariat accepts (and the records change
with it) or declines with a word of why; a government may withdraw an offer still waiting."""

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload, selectinload

from workplan import countries
from workplan.extensions import db
from workplan.models import (
    OFFER_KINDS,
    Chairmanship,
    Government,
    GovernmentTeam,
    Offer,
    Roundtable,
    Theme,
    User,
)
from workplan.services import DomainError, check_version, flush_or_stale, records, teams
from workplan.services.checks import limited, required
from workplan.services.parties import party_key

REASON_MAX = 1000
THEME_MAX = 120  # a theme accepted becomes a theme of the taxonomy, whose names are this long


@dataclass
class OfferDetails:
    """What a focal point types when making an offer."""

    kind: str
    roundtable_id: int | None = None
    team_id: int | None = None
    theme: str | None = None
    chairmanship_id: int | None = None
    reason: str | None = None


@dataclass(frozen=True)
class OfferChoices:
    """What a government may offer on a day: roundtables of chairmanships not yet over that it
    does not co-chair, teams still at work that it is not on, chairmanships to propose for."""

    roundtables: list[Roundtable]
    teams: list[GovernmentTeam]
    chairmanships: list[Chairmanship]


def choices(government: Government, today: date) -> OfferChoices:
    """The roundtables, teams and chairmanships a government may make an offer for today."""
    open_chairmanships = db.session.scalars(
        select(Chairmanship)
        .where(Chairmanship.archived_at.is_(None), Chairmanship.ends_on >= today)
        .order_by(Chairmanship.starts_on)
    ).all()
    roundtables = db.session.scalars(
        select(Roundtable)
        .join(Roundtable.chairmanship)
        .where(
            Roundtable.archived_at.is_(None),
            Chairmanship.archived_at.is_(None),
            Chairmanship.ends_on >= today,
            ~Roundtable.co_chairs.any(Government.id == government.id),
        )
        .options(joinedload(Roundtable.chairmanship))
        .order_by(Chairmanship.starts_on, Roundtable.number)
    ).all()
    live_teams = db.session.scalars(
        select(GovernmentTeam)
        .where(
            GovernmentTeam.archived_at.is_(None),
            (GovernmentTeam.last_year.is_(None)) | (GovernmentTeam.last_year >= today.year),
        )
        .options(selectinload(GovernmentTeam.memberships))
        .order_by(GovernmentTeam.name)
    ).all()
    return OfferChoices(
        roundtables=list(roundtables),
        teams=[t for t in live_teams if not _on_team(government, t)],
        chairmanships=list(open_chairmanships),
    )


def _on_team(government: Government, team: GovernmentTeam) -> bool:
    return any(m.government_id == government.id and m.left_year is None for m in team.memberships)


def _pending_same(government: Government, column, value) -> bool:
    return (
        db.session.scalar(
            select(Offer.id).where(
                Offer.government_id == government.id, Offer.state == "pending", column == value
            )
        )
        is not None
    )


def make_offer(
    government: Government, details: OfferDetails, offered_by: User | None, today: date
) -> Offer:
    """Record a government's offer, once it names something the government may offer."""
    if details.kind not in OFFER_KINDS:
        raise DomainError(_("Choose what your government offers."), "kind")
    reason = required(
        details.reason,
        _("Say in a few words why your government offers this."),
        "reason",
        REASON_MAX,
    )
    open_to = choices(government, today)
    values = {"government": government, "kind": details.kind, "reason": reason}
    if details.kind == "co_chair":
        roundtable = next((r for r in open_to.roundtables if r.id == details.roundtable_id), None)
        if roundtable is None:
            raise DomainError(
                _("Choose a roundtable of a chairmanship still to come that you do not co-chair."),
                "roundtable",
            )
        if _pending_same(government, Offer.roundtable_id, roundtable.id):
            raise DomainError(
                _(
                    "Your offer to co-chair %(code)s is already waiting for an answer.",
                    code=roundtable.code,
                ),
                "roundtable",
            )
        values["roundtable"] = roundtable
    elif details.kind == "team":
        team = next((t for t in open_to.teams if t.id == details.team_id), None)
        if team is None:
            raise DomainError(
                _("Choose a team still at work that your government is not on."), "team"
            )
        if _pending_same(government, Offer.team_id, team.id):
            raise DomainError(
                _("Your offer to join %(name)s is already waiting for an answer.", name=team.name),
                "team",
            )
        values["team"] = team
    else:
        values["theme"] = required(
            details.theme, _("Name the theme you propose."), "theme", THEME_MAX
        )
        if details.chairmanship_id is not None:
            chairmanship = next(
                (c for c in open_to.chairmanships if c.id == details.chairmanship_id), None
            )
            if chairmanship is None:
                raise DomainError(_("Choose a chairmanship still to come."), "chairmanship")
            values["chairmanship"] = chairmanship
    return records.add(Offer, {**values, "offered_by": offered_by})


def answer(
    offer: Offer,
    *,
    accept: bool,
    words: str | None,
    version: int | None,
    answered_by: User | None,
    now: datetime,
) -> None:
    """Accept an offer, which changes the records it names, or decline it with a reason."""
    check_version(offer, version)
    if not offer.is_pending:
        raise DomainError(_("This offer has already been answered or withdrawn."))
    words = limited(words, "answer", REASON_MAX)
    if accept:
        _take_up(offer, now.date())
    elif words is None:
        raise DomainError(_("Say why, so the government knows."), "answer")
    offer.state = "accepted" if accept else "declined"
    offer.answer = words
    offer.answered_at = now
    offer.answered_by = answered_by
    flush_or_stale(offer)


def _take_up(offer: Offer, today: date) -> None:
    """Make the records say what the accepted offer says."""
    government = offer.government
    if government.archived_at is not None:
        raise DomainError(_("%(name)s is archived.", name=government.name))
    if offer.kind == "co_chair":
        roundtable = offer.roundtable
        chairmanship = roundtable.chairmanship
        if roundtable.archived_at is not None or chairmanship.archived_at is not None:
            raise DomainError(_("%(code)s is archived.", code=roundtable.code))
        if chairmanship.ends_on < today:
            raise DomainError(
                _(
                    "%(chairmanship)s is over: nobody can co-chair its roundtables any more.",
                    chairmanship=chairmanship.label,
                )
            )
        if government not in roundtable.co_chairs:
            roundtable.co_chairs.append(government)
            # A change to the co-chairs alone still raises the roundtable's version.
            records.apply(roundtable, {}, None)
    elif offer.kind == "team":
        team = offer.team
        if team.archived_at is not None:
            raise DomainError(_("%(name)s is archived.", name=team.name))
        if team.last_year is not None and team.last_year < today.year:
            raise DomainError(
                _(
                    "%(name)s ended in %(year)s: nobody can join it any more.",
                    name=team.name,
                    year=team.last_year,
                )
            )
        teams.add_team_member(team, party_key(government), max(today.year, team.first_year))
    else:
        same = db.session.scalar(select(Theme).where(records.same_name(Theme.name, offer.theme)))
        if same is None:
            records.add(Theme, {"name": offer.theme})
        elif same.archived_at is not None:
            raise DomainError(
                _("%(name)s is an archived theme: restore it, then accept.", name=same.name)
            )


def withdraw(offer: Offer, version: int | None, now: datetime) -> None:
    """Take back an offer still waiting for its answer; it is closed from then on."""
    check_version(offer, version)
    if not offer.is_pending:
        raise DomainError(_("This offer has already been answered or withdrawn."))
    offer.state = "withdrawn"
    offer.answered_at = now
    flush_or_stale(offer)


@dataclass(frozen=True)
class OfferFilters:
    """The list's filters: a state and a kind, either may be None (all)."""

    state: str | None = None
    kind: str | None = None
    government_id: int | None = None


def listing(filters: OfferFilters) -> Select:
    """Offers newest first, with what they name."""
    query = select(Offer).options(
        joinedload(Offer.government),
        joinedload(Offer.roundtable).joinedload(Roundtable.chairmanship),
        joinedload(Offer.team),
        joinedload(Offer.chairmanship),
    )
    if filters.state:
        query = query.where(Offer.state == filters.state)
    if filters.kind:
        query = query.where(Offer.kind == filters.kind)
    if filters.government_id:
        query = query.where(Offer.government_id == filters.government_id)
    return query.order_by(Offer.created_at.desc(), Offer.id.desc())


def of_government(government_id: int) -> list[Offer]:
    """A government's offers, newest first."""
    return db.session.scalars(listing(OfferFilters(government_id=government_id))).all()


@dataclass(frozen=True)
class RegionRow:
    """How many offers of each kind came from one region."""

    code: str
    counts: dict[str, int]
    total: int


def regional_balance(offers: list[Offer]) -> list[RegionRow]:
    """Offers by UN M49 region and kind, every region listed, so a gap shows as a zero."""
    region_of = {iso3: code for code in countries.REGIONS for iso3 in countries.in_region(code)}
    counted: dict[str, Counter] = {code: Counter() for code in countries.REGIONS}
    for offer in offers:
        code = region_of.get(offer.government.iso3)
        if code is not None:
            counted[code][offer.kind] += 1
    return [
        RegionRow(code, {kind: counted[code][kind] for kind in OFFER_KINDS}, counted[code].total())
        for code in countries.REGIONS
    ]
