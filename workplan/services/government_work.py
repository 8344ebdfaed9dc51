"""What a government owes, arranged for its focal point: what needs them now, the rest of the
current work, and earlier chairmanships' finished work folded away."""

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from workplan.extensions import db
from workplan.models import Chairmanship, Deliverable, Government

# How far ahead a due date starts to need the focal point's attention.
SOON_DAYS = 90


@dataclass(frozen=True)
class Attention:
    """One deliverable that needs its government now, and why: overdue by some days, due within
    SOON_DAYS, at risk, or more than one of these."""

    deliverable: Deliverable
    overdue_days: int | None = None
    due_in_days: int | None = None
    at_risk: bool = False


@dataclass
class GovernmentWork:
    """A government's deliverables in the three groups its page shows, and the filter's choices."""

    needs_now: list[Attention] = field(default_factory=list)
    current: list[Deliverable] = field(default_factory=list)
    earlier: list[Deliverable] = field(default_factory=list)
    # The chairmanships it has work in, newest first: what the filter offers.
    chairmanships: list[Chairmanship] = field(default_factory=list)
    chosen: Chairmanship | None = None
    in_office: Chairmanship | None = None

    @property
    def total(self) -> int:
        """How many deliverables the three groups hold together."""
        return len(self.needs_now) + len(self.current) + len(self.earlier)


def attention(deliverable: Deliverable, today: date) -> Attention | None:
    """Why an open deliverable needs its government now, or None when nothing presses."""
    if not deliverable.is_open:
        return None
    days = (deliverable.due_on - today).days
    overdue = -days if days < 0 else None
    due_in = days if 0 <= days <= SOON_DAYS else None
    at_risk = deliverable.status == "at_risk"
    if overdue is None and due_in is None and not at_risk:
        return None
    return Attention(deliverable, overdue_days=overdue, due_in_days=due_in, at_risk=at_risk)


def is_earlier(deliverable: Deliverable, in_office: Chairmanship | None) -> bool:
    """Finished work of a chairmanship that began before the one in office: kept, but folded."""
    return (
        in_office is not None
        and not deliverable.is_open
        and deliverable.chairmanship.starts_on < in_office.starts_on
    )


def arrange(
    deliverables: list[Deliverable], today: date, in_office: Chairmanship | None
) -> GovernmentWork:
    """Each deliverable in exactly one group: needing attention now (by due date, so the most
    overdue come first), earlier chairmanships' finished work (newest chairmanship first), or
    the rest of the current work (by due date)."""
    work = GovernmentWork(in_office=in_office)
    for deliverable in sorted(deliverables, key=lambda d: (d.due_on, d.id)):
        pressing = attention(deliverable, today)
        if pressing is not None:
            work.needs_now.append(pressing)
        elif is_earlier(deliverable, in_office):
            work.earlier.append(deliverable)
        else:
            work.current.append(deliverable)
    work.earlier.sort(key=lambda d: (-d.chairmanship.starts_on.toordinal(), d.due_on, d.id))
    return work


def work_of(
    government: Government,
    today: date,
    in_office: Chairmanship | None,
    chairmanship_id: int | None = None,
) -> GovernmentWork:
    """A government's live deliverables arranged for its page, in two queries; with
    chairmanship_id, only that chairmanship's (when it has work there; else all, and `chosen`
    stays None so the page can say the choice was set aside).

    in_office: the chairmanship in office (chairmanships.current_chairmanship), which the page
    has already asked for its header.
    """
    found = list(
        db.session.scalars(
            select(Deliverable)
            .where(
                Deliverable.responsible_governments.any(Government.id == government.id),
                Deliverable.archived_at.is_(None),
            )
            .options(
                joinedload(Deliverable.chairmanship),
                joinedload(Deliverable.roundtable),
                joinedload(Deliverable.team),
                selectinload(Deliverable.responsible_governments),
            )
        ).unique()
    )
    # The filter offers the chairmanships it has work in, newest first.
    choices = sorted(
        {d.chairmanship for d in found}, key=lambda c: (c.starts_on, c.id), reverse=True
    )
    chosen = next((c for c in choices if c.id == chairmanship_id), None)
    if chosen is not None:
        found = [d for d in found if d.chairmanship_id == chosen.id]
    work = arrange(found, today, in_office)
    work.chairmanships = choices
    work.chosen = chosen
    return work
