"""Chairmanships: who holds office on a day, the Troika derived from their order, and the
secretariat's changes to them (at most one chairmanship in office on any day)."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import Select, and_, case, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from workplan.extensions import db
from workplan.formatting import day
from workplan.models import (
    Chairmanship,
    Deliverable,
    Government,
    Meeting,
    Pledge,
    Roundtable,
    chairmanship_chairs,
)
from workplan.models.deliverable import CLOSED_STATUSES, DELIVERABLE_STATUSES
from workplan.services import DomainError, meetings, records
from workplan.services.checks import refuse_archive_while_used
from workplan.services.parties import find_governments


@dataclass(frozen=True)
class Troika:
    """The previous, present and next chair; any of them may be missing at the ends."""

    previous: Chairmanship | None
    current: Chairmanship | None
    next: Chairmanship | None

    def seats(self) -> list[tuple[str, Chairmanship | None]]:
        """The three seats in order, each with its name."""
        return [("Previous", self.previous), ("Current", self.current), ("Next", self.next)]


def _listed():
    """Archived chairmanships take no seat in the Troika."""
    return Chairmanship.archived_at.is_(None)


def _one_seat(query) -> Chairmanship | None:
    """The first chairmanship a Troika query finds, with its chairs loaded in the same query
    (the Troika cards name them; loading them one by one would cost a query per seat)."""
    return (
        db.session.scalars(query.options(joinedload(Chairmanship.chairs)).limit(1)).unique().first()
    )


def _holding_office(on_date: date) -> Chairmanship | None:
    """The chairmanship in office on a day, if any."""
    return _one_seat(
        select(Chairmanship)
        .where(_listed(), Chairmanship.starts_on <= on_date, Chairmanship.ends_on >= on_date)
        .order_by(Chairmanship.starts_on.desc(), Chairmanship.id.desc())
    )


def neighbours(chairmanship: Chairmanship) -> tuple[Chairmanship | None, Chairmanship | None]:
    """The chairmanships just before and just after this one, by start date."""
    # Start dates are not unique, so the id breaks ties and the order stays total.
    start, ident = chairmanship.starts_on, chairmanship.id
    before = or_(
        Chairmanship.starts_on < start,
        and_(Chairmanship.starts_on == start, Chairmanship.id < ident),
    )
    after = or_(
        Chairmanship.starts_on > start,
        and_(Chairmanship.starts_on == start, Chairmanship.id > ident),
    )
    previous = _one_seat(
        select(Chairmanship)
        .where(_listed(), before)
        .order_by(Chairmanship.starts_on.desc(), Chairmanship.id.desc())
    )
    following = _one_seat(
        select(Chairmanship)
        .where(_listed(), after)
        .order_by(Chairmanship.starts_on, Chairmanship.id)
    )
    return previous, following


def troika(on_date: date) -> Troika:
    """The Troika on a day: the chair in office with the one before and the one after."""
    current = _holding_office(on_date)
    if current is not None:
        return Troika(*_around(current))
    # Between two terms nobody is in office; the last and the coming chair still advise.
    previous = _one_seat(
        select(Chairmanship)
        .where(_listed(), Chairmanship.ends_on < on_date)
        .order_by(Chairmanship.starts_on.desc(), Chairmanship.id.desc())
    )
    following = _one_seat(
        select(Chairmanship)
        .where(_listed(), Chairmanship.starts_on > on_date)
        .order_by(Chairmanship.starts_on, Chairmanship.id)
    )
    return Troika(previous, None, following)


def troika_of(chairmanship: Chairmanship) -> Troika:
    """The Troika during a chairmanship's own term: its predecessor, itself, its successor."""
    return Troika(*_around(chairmanship))


def _around(chairmanship: Chairmanship) -> tuple:
    """A chairmanship between its neighbours."""
    previous, following = neighbours(chairmanship)
    return previous, chairmanship, following


@dataclass(frozen=True)
class DeliverableSummary:
    """How a chairmanship's deliverables stand: a count per status and the overdue ones."""

    by_status: list[tuple[str, int]]
    total: int
    overdue: int


def deliverable_summary(chairmanship: Chairmanship, today: date) -> DeliverableSummary:
    """Count a chairmanship's deliverables per status, and those overdue."""
    live = and_(Deliverable.chairmanship_id == chairmanship.id, Deliverable.archived_at.is_(None))
    late = and_(Deliverable.status.not_in(CLOSED_STATUSES), Deliverable.due_on < today)
    # One query: the overdue ones are counted within each status's group.
    rows = db.session.execute(
        select(Deliverable.status, func.count(), func.sum(case((late, 1), else_=0)))
        .where(live)
        .group_by(Deliverable.status)
    ).all()
    counts = {status: count for status, count, _late in rows}
    overdue = sum(late_count or 0 for _status, _count, late_count in rows)
    by_status = [(status, counts[status]) for status in DELIVERABLE_STATUSES if counts.get(status)]
    return DeliverableSummary(by_status, sum(counts.values()), overdue or 0)


@dataclass(frozen=True)
class CurrencyTotals:
    """Pledged, committed and received amounts in one currency; never converted."""

    currency: str
    pledged: Decimal
    committed: Decimal
    received: Decimal


def pledge_totals(pledges: list[Pledge]) -> list[CurrencyTotals]:
    """Add up pledges per currency: what was promised, what is signed, what has arrived."""
    sums: dict[str, list[Decimal]] = {}
    for pledge in pledges:
        row = sums.setdefault(pledge.currency, [Decimal("0.00")] * 3)
        row[0] += pledge.amount
        if pledge.status == "committed":
            row[1] += pledge.amount
        row[2] += pledge.received
    return [CurrencyTotals(currency, *row) for currency, row in sorted(sums.items())]


@dataclass
class ChairmanshipDetails:
    """What the secretariat types about a chairmanship: chairs are government keys (gov:SWE)."""

    label: str
    chairs: list[str]
    starts_on: date | None
    ends_on: date | None
    theme: str | None = None
    theme_fr: str | None = None
    theme_es: str | None = None
    summit_city: str | None = None
    summit_starts_on: date | None = None
    summit_ends_on: date | None = None
    opening_balance: Decimal | None = None


def overlapping(starts_on: date, ends_on: date, other_than: Chairmanship | None = None):
    """The first live chairmanship whose term shares a day with the given dates."""
    query = select(Chairmanship).where(
        _listed(), Chairmanship.starts_on <= ends_on, Chairmanship.ends_on >= starts_on
    )
    if other_than is not None and other_than.id is not None:
        query = query.where(Chairmanship.id != other_than.id)
    return db.session.scalars(query.order_by(Chairmanship.starts_on).limit(1)).first()


def _refuse_overlap(starts_on: date, ends_on: date, current: Chairmanship | None) -> None:
    """Refuse dates that share a day with another live chairmanship."""
    other = overlapping(starts_on, ends_on, current)
    if other is not None:
        raise DomainError(
            _(
                "These dates overlap %(chairmanship)s (%(first)s – %(last)s). At most one "
                "chairmanship is in office on a given day.",
                chairmanship=other.label,
                first=day(other.starts_on),
                last=day(other.ends_on),
            ),
            "starts_on",
        )


def checked(details: ChairmanshipDetails, current: Chairmanship | None) -> dict:
    """Check a chairmanship's details; the values to store, chairs resolved."""
    label = (details.label or "").strip()
    if not label:
        raise DomainError(_("Give the chairmanship a name, such as GFMD 2014-2015."), "label")
    if len(label) > 80:
        raise DomainError(_("Keep the name under 80 characters."), "label")
    records.refuse_taken_name(
        Chairmanship.label,
        label,
        current,
        "label",
        lambda same: _("%(label)s is already on record.", label=same.label),
        lambda same: _(
            "%(label)s is already on record (archived: restore it instead).", label=same.label
        ),
    )
    chairs = find_governments(
        details.chairs, "chairs", _("Only governments hold the chairmanship.")
    )
    if not 1 <= len(chairs) <= 2:
        raise DomainError(
            _("Choose the chair government, or two governments for a shared chairmanship."),
            "chairs",
        )
    starts, ends = details.starts_on, details.ends_on
    if starts is None:
        raise DomainError(_("Give the first day of the term."), "starts_on")
    if ends is None:
        raise DomainError(_("Give the last day of the term."), "ends_on")
    if ends <= starts:
        raise DomainError(
            _(
                "The term must end after it starts (%(first)s); check the last day.",
                first=day(starts),
            ),
            "ends_on",
        )
    summit_starts, summit_ends = details.summit_starts_on, details.summit_ends_on
    if summit_ends is not None and summit_starts is None:
        raise DomainError(_("Give the summit's first day too."), "summit_starts_on")
    if summit_starts is not None:
        if not starts <= summit_starts <= ends:
            raise DomainError(
                _(
                    "The summit takes place during the term (%(first)s – %(last)s).",
                    first=day(starts),
                    last=day(ends),
                ),
                "summit_starts_on",
            )
        if summit_ends is not None and summit_ends < summit_starts:
            raise DomainError(_("The summit cannot end before it starts."), "summit_ends_on")
        if summit_ends is not None and summit_ends > ends:
            raise DomainError(
                _(
                    "The summit takes place during the term, which ends on %(last)s.",
                    last=day(ends),
                ),
                "summit_ends_on",
            )
    balance = details.opening_balance if details.opening_balance is not None else Decimal("0")
    if balance < 0:
        raise DomainError(_("The opening balance cannot be negative."), "opening_balance")
    if balance.as_tuple().exponent < -2:
        raise DomainError(
            _("Give the balance to the cent: at most two decimals."), "opening_balance"
        )
    _refuse_overlap(starts, ends, current)
    city = (details.summit_city or "").strip() or None
    if city is not None and len(city) > 120:
        raise DomainError(_("Keep the city under 120 characters."), "summit_city")
    return {
        "label": label,
        "chairs": chairs,
        "starts_on": starts,
        "ends_on": ends,
        "theme": (details.theme or "").strip() or None,
        "theme_fr": (details.theme_fr or "").strip() or None,
        "theme_es": (details.theme_es or "").strip() or None,
        "summit_city": city,
        "summit_starts_on": summit_starts,
        "summit_ends_on": summit_ends,
        "opening_balance": balance.quantize(Decimal("0.01")),
    }


def archive(chairmanship: Chairmanship) -> None:
    """Hide a chairmanship that nothing live belongs to any more."""
    refuse_archive_while_used(
        chairmanship.label,
        chairmanship.id,
        [
            (Roundtable.chairmanship_id, "roundtable"),
            (Meeting.chairmanship_id, "meeting"),
            (Deliverable.chairmanship_id, "deliverable"),
            (Pledge.chairmanship_id, "pledge"),
        ],
    )
    records.archive(chairmanship)


def restore(chairmanship: Chairmanship) -> None:
    """Bring an archived chairmanship back, unless another now holds office on its dates."""
    if chairmanship.archived_at is not None:
        _refuse_overlap(chairmanship.starts_on, chairmanship.ends_on, chairmanship)
    records.restore(chairmanship)


def newest_first() -> Select:
    """The chairmanships on record with their chairs, latest first, as a query to page through."""
    return (
        select(Chairmanship)
        .where(_listed())
        .options(selectinload(Chairmanship.chairs))
        .order_by(Chairmanship.starts_on.desc())
    )


def listed() -> list[Chairmanship]:
    """The chairmanships on record, latest first: what lists and choices offer."""
    return db.session.scalars(
        select(Chairmanship).where(_listed()).order_by(Chairmanship.starts_on.desc())
    ).all()


def current_chairmanship(today: date) -> Chairmanship | None:
    """The chairmanship people mean by "the current one": in office today; between two terms,
    the last one that began; before any began, the first one planned.

    Chairmanships never overlap, so the latest to have started is the one in office when any is.
    Every page and form that starts on "the chairmanship in office" asks this, and only this.
    """
    begun = db.session.scalar(
        select(Chairmanship)
        .where(_listed(), Chairmanship.starts_on <= today)
        .order_by(Chairmanship.starts_on.desc(), Chairmanship.id.desc())
        .limit(1)
    )
    if begun is not None:
        return begun
    return db.session.scalar(
        select(Chairmanship).where(_listed()).order_by(Chairmanship.starts_on).limit(1)
    )


# What the pages read

SORTS = {
    "start": (Chairmanship.starts_on, Chairmanship.id),
    "-start": (Chairmanship.starts_on.desc(), Chairmanship.id.desc()),
    "name": (Chairmanship.label,),
}


@dataclass(frozen=True)
class ChairmanshipFilters:
    """What the list of chairmanships is narrowed to, and in which order."""

    text: str = ""
    government: str | None = None  # an ISO3 code of a chair government
    sort: str = "start"
    archived: bool = False


def listing(filters: ChairmanshipFilters) -> Select:
    """The chairmanships that match, as a query to page through."""
    query = (
        select(Chairmanship)
        .where(records.listed(Chairmanship, filters.archived))
        .options(selectinload(Chairmanship.chairs))
        .order_by(*SORTS[filters.sort])
    )
    if filters.text:
        query = query.where(
            or_(
                Chairmanship.label.ilike(f"%{filters.text}%"),
                Chairmanship.theme.ilike(f"%{filters.text}%"),
                Chairmanship.summit_city.ilike(f"%{filters.text}%"),
            )
        )
    if filters.government:
        query = query.where(Chairmanship.chairs.any(Government.iso3 == filters.government))
    return query


def chair_governments() -> list[Government]:
    """The governments that have held a chairmanship, by name."""
    return db.session.scalars(
        select(Government)
        .where(Government.id.in_(select(chairmanship_chairs.c.government_id)))
        .order_by(Government.name)
    ).all()


@dataclass(frozen=True)
class ChairmanshipPage:
    """What a chairmanship's page shows beside the chairmanship itself."""

    troika: Troika
    roundtables: list[Roundtable]
    meetings: list[Meeting]
    summary: DeliverableSummary | None
    pledges: list[Pledge]
    totals: list[CurrencyTotals]


def page(
    chairmanship: Chairmanship, today: date, *, secretariat: bool, private: bool
) -> ChairmanshipPage:
    """A chairmanship's Troika, roundtables and meetings, and for signed-in readers its
    deliverables' state and its pledges. The secretariat also sees draft meetings."""
    roundtables = db.session.scalars(
        select(Roundtable)
        .where(Roundtable.chairmanship_id == chairmanship.id, Roundtable.archived_at.is_(None))
        .options(selectinload(Roundtable.co_chairs))
        .order_by(Roundtable.number)
    ).all()
    summary, pledges = None, []
    if private:
        summary = deliverable_summary(chairmanship, today)
        pledges = db.session.scalars(
            select(Pledge)
            .where(Pledge.chairmanship_id == chairmanship.id, Pledge.archived_at.is_(None))
            .options(
                # Each pledge has one donor and at most one earmark: join them in.
                joinedload(Pledge.donor_government),
                joinedload(Pledge.donor_organisation),
                joinedload(Pledge.earmark_roundtable),
                selectinload(Pledge.payments),
            )
            .order_by(Pledge.pledged_on, Pledge.id)
        ).all()
    return ChairmanshipPage(
        troika=troika_of(chairmanship),
        roundtables=roundtables,
        meetings=meetings.shown_where(
            Meeting.chairmanship_id == chairmanship.id, secretariat=secretariat
        ),
        summary=summary,
        pledges=pledges,
        totals=pledge_totals(pledges),
    )
