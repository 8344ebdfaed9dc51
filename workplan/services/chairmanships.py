"""Chairmanships: who holds office on a day, and the Troika derived from their order."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import and_, func, or_, select

from workplan.extensions import db
from workplan.models import Chairmanship, Deliverable, Pledge
from workplan.models.deliverable import CLOSED_STATUSES, DELIVERABLE_STATUSES


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


def holding_office(on_date: date) -> Chairmanship | None:
    """The chairmanship in office on a day, if any."""
    return db.session.scalars(
        select(Chairmanship)
        .where(_listed(), Chairmanship.starts_on <= on_date, Chairmanship.ends_on >= on_date)
        .order_by(Chairmanship.starts_on.desc(), Chairmanship.id.desc())
        .limit(1)
    ).first()


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
    previous = db.session.scalars(
        select(Chairmanship)
        .where(_listed(), before)
        .order_by(Chairmanship.starts_on.desc(), Chairmanship.id.desc())
        .limit(1)
    ).first()
    following = db.session.scalars(
        select(Chairmanship)
        .where(_listed(), after)
        .order_by(Chairmanship.starts_on, Chairmanship.id)
        .limit(1)
    ).first()
    return previous, following


def troika(on_date: date) -> Troika:
    """The Troika on a day: the chair in office with the one before and the one after."""
    current = holding_office(on_date)
    if current is not None:
        return Troika(*_around(current))
    # Between two terms nobody is in office; the last and the coming chair still advise.
    previous = db.session.scalars(
        select(Chairmanship)
        .where(_listed(), Chairmanship.ends_on < on_date)
        .order_by(Chairmanship.starts_on.desc(), Chairmanship.id.desc())
        .limit(1)
    ).first()
    following = db.session.scalars(
        select(Chairmanship)
        .where(_listed(), Chairmanship.starts_on > on_date)
        .order_by(Chairmanship.starts_on, Chairmanship.id)
        .limit(1)
    ).first()
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
