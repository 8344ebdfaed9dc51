"""What the start page shows: the secretariat's month ahead, or the programme for everyone else.

Every list is one query, with its total counted by a window function in the same statement and
its one-to-one relations joined in; SQL does the counting and the sums. The page costs the same
few queries however large the forum is.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import Select, and_, case, func, or_, select, type_coerce
from sqlalchemy.orm import joinedload

from workplan.audit import ACCOUNT_ACTIVITY
from workplan.extensions import db
from workplan.models import (
    AgendaItem,
    AuditEvent,
    Chairmanship,
    Deliverable,
    Instalment,
    Meeting,
    Payment,
    Pledge,
)
from workplan.models.deliverable import CLOSED_STATUSES
from workplan.models.meeting import VISIBLE_STATES
from workplan.models.pledge import MONEY
from workplan.services import audit_words, reports
from workplan.services.chairmanships import current_chairmanship

HORIZON = timedelta(days=30)
# Enough to act on at a glance; the full lists are one link away.
LIST_LIMIT = 15
CHANGES_LIMIT = 10


@dataclass(frozen=True)
class UpcomingMeeting:
    """A meeting in the coming weeks, with the length of its agenda."""

    meeting: Meeting
    agenda_items: int
    agenda_minutes: int

    @property
    def overruns(self) -> bool:
        """Whether the agenda is longer than the meeting."""
        return self.agenda_minutes > self.meeting.length_minutes


@dataclass(frozen=True)
class OutstandingPledge:
    """A committed pledge with money still to come, as the database computed it; `overdue` is
    what its instalments due before today ask beyond what was received."""

    pledge: Pledge
    received: Decimal
    outstanding: Decimal
    overdue: Decimal


@dataclass
class Listing:
    """The first rows of a list and how many there are in all."""

    rows: list
    total: int

    @property
    def more(self) -> int:
        """How many rows are not shown."""
        return max(self.total - len(self.rows), 0)


@dataclass
class SecretariatDashboard:
    """The secretariat's next 30 days: meetings, due and troubled work, money, changes."""

    today: date
    horizon_end: date
    meetings: Listing
    due_soon: Listing
    needs_attention: Listing
    pledges: Listing
    outstanding_by_currency: list[tuple[str, Decimal]] = field(default_factory=list)
    changes: list[audit_words.Entry] = field(default_factory=list)
    # The chairmanship in office and its report's headline numbers.
    current: Chairmanship | None = None
    headline: reports.Headline | None = None
    base_currency: str = ""


def _listing(query: Select, limit: int = LIST_LIMIT) -> Listing:
    """The first rows of a query and how many rows it has in all, in one statement."""
    # unique(): a joined collection repeats each row once per related record.
    rows = db.session.execute(query.add_columns(func.count().over()).limit(limit)).unique().all()
    total = rows[0][-1] if rows else 0
    return Listing(rows=[row[0] if len(row) == 2 else tuple(row[:-1]) for row in rows], total=total)


def _deliverable_options():
    """What a deliverable row shows: its responsible governments and its owner."""
    # Joined rather than loaded separately: the same single query whether the list is empty.
    return (
        joinedload(Deliverable.responsible_governments),
        joinedload(Deliverable.roundtable),
        joinedload(Deliverable.team),
    )


def upcoming_meetings(now: datetime, *, include_drafts: bool) -> Listing:
    """Meetings under way or starting within 30 days, each with its agenda's length."""
    in_window = (
        Meeting.archived_at.is_(None),
        Meeting.ends_at >= now,
        Meeting.starts_at < now + HORIZON,
    )
    # Only the window's agendas are summed: years of history would otherwise be grouped on
    # every visit to the dashboard.
    agenda = (
        select(
            AgendaItem.meeting_id,
            func.count(AgendaItem.id).label("item_count"),
            func.sum(AgendaItem.duration_minutes).label("minutes"),
        )
        .where(AgendaItem.meeting_id.in_(select(Meeting.id).where(*in_window)))
        .group_by(AgendaItem.meeting_id)
        .subquery()
    )
    query = (
        select(
            Meeting,
            func.coalesce(agenda.c.item_count, 0),
            func.coalesce(agenda.c.minutes, 0),
        )
        .outerjoin(agenda, agenda.c.meeting_id == Meeting.id)
        .where(*in_window)
        .options(
            joinedload(Meeting.chairmanship),
            joinedload(Meeting.roundtable),
            joinedload(Meeting.team),
        )
        .order_by(Meeting.starts_at, Meeting.id)
    )
    if not include_drafts:
        query = query.where(Meeting.state.in_(VISIBLE_STATES))
    listing = _listing(query)
    listing.rows = [
        UpcomingMeeting(m, int(items), int(minutes)) for m, items, minutes in listing.rows
    ]
    return listing


def deliverables_due_soon(today: date) -> Listing:
    """Open deliverables due today or within 30 days."""
    return _listing(
        select(Deliverable)
        .where(
            Deliverable.archived_at.is_(None),
            Deliverable.status.not_in(CLOSED_STATUSES),
            Deliverable.due_on >= today,
            Deliverable.due_on <= today + HORIZON,
        )
        .options(*_deliverable_options())
        .order_by(Deliverable.due_on, Deliverable.id)
    )


def deliverables_needing_attention(today: date) -> Listing:
    """Open deliverables that are at risk or past their due date, the oldest due first."""
    return _listing(
        select(Deliverable)
        .where(
            Deliverable.archived_at.is_(None),
            Deliverable.status.not_in(CLOSED_STATUSES),
            or_(Deliverable.status == "at_risk", Deliverable.due_on < today),
        )
        .options(*_deliverable_options())
        .order_by(Deliverable.due_on, Deliverable.id)
    )


def _received_per_pledge():
    """The sum of payments per pledge, as a subquery to join."""
    return (
        select(Payment.pledge_id, func.sum(Payment.amount).label("received"))
        .group_by(Payment.pledge_id)
        .subquery()
    )


def outstanding_pledges(today: date) -> tuple[Listing, list[tuple[str, Decimal]]]:
    """Committed pledges not yet fully received, those with instalments overdue first, and
    what is outstanding in each currency."""
    received = _received_per_pledge()
    # On SQLite money is stored in integer cents; the arithmetic stays exact either way, and
    # type_coerce turns the result back into a Decimal of the column's scale.
    received_amount = func.coalesce(received.c.received, 0)
    outstanding = Pledge.amount - received_amount
    # Payments are set against instalments in the order they fall due: what was due before
    # today beyond what arrived is overdue.
    due_before_today = (
        select(func.coalesce(func.sum(Instalment.amount), 0))
        .where(Instalment.pledge_id == Pledge.id, Instalment.due_on < today)
        .scalar_subquery()
    )
    overdue = case(
        (due_before_today > received_amount, due_before_today - received_amount), else_=0
    )
    owed = and_(
        Pledge.archived_at.is_(None),
        Pledge.status == "committed",
        outstanding > 0,
    )
    listing = _listing(
        select(
            Pledge,
            type_coerce(received_amount, MONEY),
            type_coerce(outstanding, MONEY),
            type_coerce(overdue, MONEY),
        )
        .outerjoin(received, received.c.pledge_id == Pledge.id)
        .where(owed)
        .options(
            joinedload(Pledge.donor_government),
            joinedload(Pledge.donor_organisation),
            joinedload(Pledge.chairmanship),
        )
        .order_by((overdue > 0).desc(), Pledge.pledged_on, Pledge.id)
    )
    listing.rows = [OutstandingPledge(*row) for row in listing.rows]
    totals = db.session.execute(
        select(Pledge.currency, type_coerce(func.sum(outstanding), MONEY))
        .outerjoin(received, received.c.pledge_id == Pledge.id)
        .where(owed)
        .group_by(Pledge.currency)
        .order_by(Pledge.currency)
    ).all()
    return listing, [(currency, total) for currency, total in totals]


def recent_changes(limit: int = CHANGES_LIMIT) -> list[audit_words.Entry]:
    """The latest changes in the audit log, in words, with who made them (sign-ins and a
    person's own settings are on the security page, not here)."""
    return audit_words.describe(
        db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.record_type != ACCOUNT_ACTIVITY)
            .options(joinedload(AuditEvent.user))
            .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
            .limit(limit)
        )
    )


def secretariat_dashboard(now: datetime, base_currency: str) -> SecretariatDashboard:
    """Everything the secretariat watches over the next 30 days, and where the chairmanship in
    office stands."""
    today = now.date()
    pledges, by_currency = outstanding_pledges(today)
    current = current_chairmanship(today)
    headline = None
    if current is not None:
        headlines = reports.chairmanship_headlines(
            [current.id], base_currency=base_currency, now=now
        )
        headline = headlines[current.id]
    return SecretariatDashboard(
        current=current,
        headline=headline,
        base_currency=base_currency,
        today=today,
        horizon_end=today + HORIZON,
        meetings=upcoming_meetings(now, include_drafts=True),
        due_soon=deliverables_due_soon(today),
        needs_attention=deliverables_needing_attention(today),
        pledges=pledges,
        outstanding_by_currency=by_currency,
        changes=recent_changes(),
    )


def public_programme(now: datetime, limit: int = 10) -> list[Meeting]:
    """The next published (or cancelled) meetings, for anyone."""
    return list(
        db.session.scalars(
            select(Meeting)
            .where(
                Meeting.ends_at >= now,
                Meeting.archived_at.is_(None),
                Meeting.state.in_(VISIBLE_STATES),
            )
            .options(joinedload(Meeting.roundtable), joinedload(Meeting.chairmanship))
            .order_by(Meeting.starts_at, Meeting.id)
            .limit(limit)
        )
    )


def due_for_members(today: date, limit: int = LIST_LIMIT) -> list[Deliverable]:
    """Open deliverables due within 30 days or overdue, for signed-in members of the forum."""
    return list(
        db.session.scalars(
            select(Deliverable)
            .where(
                Deliverable.archived_at.is_(None),
                Deliverable.status.not_in(CLOSED_STATUSES),
                Deliverable.due_on <= today + HORIZON,
            )
            .order_by(Deliverable.due_on, Deliverable.id)
            .limit(limit)
        )
    )
