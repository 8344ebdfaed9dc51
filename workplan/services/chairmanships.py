"""Chairmanships: who holds office on a day, the Troika derived from their order, and the
secretariat's changes to them (at most one chairmanship in office on any day)."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import joinedload

from workplan.extensions import db
from workplan.formatting import day
from workplan.models import Chairmanship, Deliverable, Meeting, Pledge, Roundtable
from workplan.models.deliverable import CLOSED_STATUSES, DELIVERABLE_STATUSES
from workplan.services import DomainError, records
from workplan.services.records import same_name
from workplan.services.structure import count_where, find_governments, refuse_archive_while_used


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


def holding_office(on_date: date) -> Chairmanship | None:
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
    current = holding_office(on_date)
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
    counts = dict(
        db.session.execute(
            select(Deliverable.status, func.count()).where(live).group_by(Deliverable.status)
        ).all()
    )
    overdue = db.session.scalar(
        select(func.count())
        .select_from(Deliverable)
        .where(live, Deliverable.status.not_in(CLOSED_STATUSES), Deliverable.due_on < today)
    )
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


def _check_chairmanship(details: ChairmanshipDetails, current: Chairmanship | None) -> dict:
    """Check a chairmanship's details; the values to store, chairs resolved."""
    label = (details.label or "").strip()
    if not label:
        raise DomainError(_("Give the chairmanship a name, such as GFMD 2014-2015."), "label")
    if len(label) > 80:
        raise DomainError(_("Keep the name under 80 characters."), "label")
    same = db.session.scalar(select(Chairmanship).where(same_name(Chairmanship.label, label)))
    if same is not None and same is not current:
        raise DomainError(
            _("%(label)s is already on record (archived: restore it instead).", label=same.label)
            if same.archived_at
            else _("%(label)s is already on record.", label=same.label),
            "label",
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


def create_chairmanship(details: ChairmanshipDetails) -> Chairmanship:
    """Record a chair's term, its chair governments, theme and summit."""
    chairmanship = Chairmanship(**_check_chairmanship(details, None))
    db.session.add(chairmanship)
    db.session.flush()
    return chairmanship


def update_chairmanship(chairmanship: Chairmanship, details: ChairmanshipDetails) -> None:
    """Change a chairmanship's chairs, dates, theme, summit or opening balance."""
    for key, value in _check_chairmanship(details, chairmanship).items():
        setattr(chairmanship, key, value)
    db.session.flush()


def archive_chairmanship(chairmanship: Chairmanship) -> None:
    """Hide a chairmanship that nothing live belongs to any more."""
    refuse_archive_while_used(
        chairmanship.label,
        [
            (count_where(model, column == chairmanship.id, model.archived_at.is_(None)), noun)
            for model, column, noun in (
                (Roundtable, Roundtable.chairmanship_id, "roundtable"),
                (Meeting, Meeting.chairmanship_id, "meeting"),
                (Deliverable, Deliverable.chairmanship_id, "deliverable"),
                (Pledge, Pledge.chairmanship_id, "pledge"),
            )
        ],
    )
    records.archive(chairmanship)


def restore_chairmanship(chairmanship: Chairmanship) -> None:
    """Bring an archived chairmanship back, unless another now holds office on its dates."""
    if chairmanship.archived_at is not None:
        _refuse_overlap(chairmanship.starts_on, chairmanship.ends_on, chairmanship)
    records.restore(chairmanship)


def current_chairmanship(today: date) -> Chairmanship | None:
    """The chairmanship in office today, else the last one that began (chairmanships never
    overlap, so the latest to have started is the one in office when any is)."""
    return db.session.scalar(
        select(Chairmanship)
        .where(Chairmanship.archived_at.is_(None), Chairmanship.starts_on <= today)
        .order_by(Chairmanship.starts_on.desc())
        .limit(1)
    )
