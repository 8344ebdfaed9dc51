"""Reading the audit log: who changed what, when, filtered for the secretariat's page."""

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload

from workplan.audit import ACCOUNT_ACTIVITY
from workplan.extensions import db
from workplan.models import AuditEvent, User


@dataclass(frozen=True)
class AuditFilters:
    """Who acted, on which kind of record (and which one), between which days."""

    user_id: int | None = None
    record_type: str = ""
    record_id: int | None = None
    since: date | None = None
    until: date | None = None


def listing(filters: AuditFilters) -> Select:
    """The changes that match, newest first, as a query to page through (sign-ins and a
    person's own settings are on the security page instead)."""
    query = (
        select(AuditEvent)
        .options(selectinload(AuditEvent.user))
        .where(AuditEvent.record_type != ACCOUNT_ACTIVITY)
    )
    return _filtered(query, filters)


def account_activity(filters: AuditFilters) -> Select:
    """Sign-ins and changes of language or time zone that match, newest first; the person is
    the account's owner (a sign-in is written before its session knows who signed in)."""
    query = (
        select(AuditEvent)
        .options(selectinload(AuditEvent.user))
        .where(AuditEvent.record_type == ACCOUNT_ACTIVITY)
    )
    account = replace(filters, user_id=None, record_type="", record_id=filters.user_id)
    return _filtered(query, account)


def _filtered(query: Select, filters: AuditFilters) -> Select:
    """A query of events narrowed to the filters, newest first."""
    if filters.user_id:
        query = query.where(AuditEvent.user_id == filters.user_id)
    if filters.record_type:
        query = query.where(AuditEvent.record_type == filters.record_type)
    if filters.record_id:
        query = query.where(AuditEvent.record_id == filters.record_id)
    if filters.since:
        query = query.where(AuditEvent.at >= datetime.combine(filters.since, time(), UTC))
    if filters.until:
        end = datetime.combine(filters.until + timedelta(days=1), time(), UTC)
        query = query.where(AuditEvent.at < end)
    return query.order_by(AuditEvent.id.desc())


def record_types() -> list[str]:
    """The kinds of record the log has changes for."""
    return db.session.scalars(
        select(AuditEvent.record_type)
        .where(AuditEvent.record_type != ACCOUNT_ACTIVITY)
        .distinct()
        .order_by(AuditEvent.record_type)
    ).all()


def people(*, activity: bool = False) -> list[User]:
    """The people the log has changes by (or, with `activity`, whose accounts have activity)."""
    if activity:
        ids = select(AuditEvent.record_id).where(AuditEvent.record_type == ACCOUNT_ACTIVITY)
    else:
        ids = select(AuditEvent.user_id).where(AuditEvent.record_type != ACCOUNT_ACTIVITY)
    return db.session.scalars(
        select(User).where(User.id.in_(ids.distinct())).order_by(User.name)
    ).all()


def position():
    """The log's highest id: it moves whenever anything is changed, so caches key on it."""
    return db.session.scalar(select(func.max(AuditEvent.id)))


def state(now: datetime) -> str:
    """The state of the data as a cache knows it: the log's position and the minute, since
    what is overdue, held or in the next 30 days moves with the clock."""
    return f"{position()}@{now:%Y-%m-%dT%H:%M}"
