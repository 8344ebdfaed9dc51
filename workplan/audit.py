"""Write an audit event for every create, update and delete, inside the same transaction."""

from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from decimal import Decimal

from flask import has_request_context
from flask_login import current_user
from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session

from workplan.models.audit import AuditEvent
from workplan.models.types import utcnow

# Columns that change on every write and say nothing about what a person did.
_NOISE = frozenset({"created_at", "updated_at", "version"})
_PENDING = "workplan.audit.pending"
_SUMMARIES = "workplan.audit.summaries"
_SUMMARISED = "workplan.audit.summarised"

# Signing in and choosing a language or time zone are a person's own account activity, not a
# change to the forum's records: they are written under this record type, which the security
# page lists and the audit log of changes leaves out.
ACCOUNT_ACTIVITY = "AccountActivity"
_ACTIVITY_COLUMNS = {
    "User": frozenset({"last_login_at", "locale", "timezone", "second_factor_since"})
}
# Written on every two-step sign-in to refuse a replayed code: it says nothing to a reader.
_ACTIVITY_NOISE = {"User": frozenset({"totp_last_step"})}

_system_actor: ContextVar[str] = ContextVar("system_actor", default="system")


@contextmanager
def acting_as(name: str):
    """Name the actor for changes made outside a request, such as a CLI command."""
    token = _system_actor.set(name)
    try:
        yield
    finally:
        _system_actor.reset(token)


def _actor() -> tuple[int | None, str]:
    """The logged-in user, or the named system actor."""
    if has_request_context() and current_user and current_user.is_authenticated:
        return current_user.id, current_user.email
    return None, _system_actor.get()


def _plain(value):
    """A JSON-safe copy of a column value."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _audited(obj) -> bool:
    return getattr(type(obj), "__audited__", False)


def _columns(obj):
    """The audited column attributes of a record."""
    excluded = _NOISE | set(getattr(type(obj), "__audit_exclude__", ()))
    return [a for a in inspect(obj).mapper.column_attrs if a.key not in excluded]


def _ids(items) -> list:
    return sorted(getattr(item, "id", None) or 0 for item in items)


def _snapshot(obj) -> dict:
    """Every audited value of a record as it stands."""
    values = {attr.key: _plain(getattr(obj, attr.key)) for attr in _columns(obj)}
    for name in getattr(type(obj), "__audit_relations__", ()):
        values[name] = _ids(getattr(obj, name))
    return values


def _diff(session: Session, obj) -> tuple[dict, dict]:
    """The values that changed in this flush: before and after."""
    state = inspect(obj)
    old, new, unknown = {}, {}, []
    for attr in _columns(obj):
        history = state.attrs[attr.key].history
        if not history.has_changes():
            continue
        new[attr.key] = _plain(history.added[0] if history.added else None)
        if history.deleted:
            old[attr.key] = _plain(history.deleted[0])
        else:
            unknown.append(attr)
    if unknown:
        # The old value was never loaded; the database still holds it until this flush.
        mapper = state.mapper
        row = session.execute(
            select(*[attr.columns[0] for attr in unknown]).where(
                *[
                    col == value
                    for col, value in zip(mapper.primary_key, state.identity, strict=True)
                ]
            )
        ).first()
        for attr, value in zip(unknown, row or [None] * len(unknown), strict=True):
            old[attr.key] = _plain(value)
    for name in getattr(type(obj), "__audit_relations__", ()):
        history = state.attrs[name].history
        if history.added or history.deleted:
            old[name] = _ids(list(history.unchanged) + list(history.deleted))
            new[name] = _ids(list(history.unchanged) + list(history.added))
    for key in [k for k in new if old.get(k) == new[k]]:
        del new[key]
        old.pop(key, None)
    return old, new


def summarise(session: Session, record, old: dict, new: dict, covering=()) -> None:
    """Write one update event on `record` for a change made across several rows (reordering an
    agenda moves many items): the rows in `covering` write no event of their own in the next
    flush."""
    session.info.setdefault(_SUMMARIES, []).append(("update", record, old, new))
    session.info.setdefault(_SUMMARISED, set()).update(id(row) for row in covering)


def _split_activity(obj, old: dict, new: dict) -> tuple[tuple[dict, dict], tuple[dict, dict]]:
    """A record's changes parted into (changes, account activity)."""
    name = type(obj).__name__
    activity = _ACTIVITY_COLUMNS.get(name, frozenset())
    noise = _ACTIVITY_NOISE.get(name, frozenset())
    changes = (
        {k: v for k, v in old.items() if k not in activity | noise},
        {k: v for k, v in new.items() if k not in activity | noise},
    )
    mine = (
        {k: v for k, v in old.items() if k in activity},
        {k: v for k, v in new.items() if k in activity},
    )
    return changes, mine


def _before_flush(session: Session, flush_context, instances) -> None:
    pending = session.info.setdefault(_PENDING, [])
    summarised = session.info.pop(_SUMMARISED, set())
    pending.extend(session.info.pop(_SUMMARIES, []))
    for obj in session.new:
        if _audited(obj):
            pending.append(("create", obj, None, None))
    for obj in session.dirty:
        if _audited(obj) and id(obj) not in summarised and session.is_modified(obj):
            old, new = _diff(session, obj)
            (old, new), (was, now) = _split_activity(obj, old, new)
            if new:
                pending.append(("update", obj, old, new))
            if now:
                pending.append(("activity", obj, was, now))
    for obj in session.deleted:
        if _audited(obj):
            pending.append(("delete", obj, _snapshot(obj), None))


def _after_flush(session: Session, flush_context) -> None:
    pending = session.info.pop(_PENDING, [])
    if not pending:
        return
    user_id, actor = _actor()
    now = utcnow()
    rows = []
    for action, obj, old, new in pending:
        if action == "create":
            new = _snapshot(obj)
        record_type = type(obj).__name__
        if action == "activity":
            action, record_type = "update", ACCOUNT_ACTIVITY
        rows.append(
            {
                "at": now,
                "user_id": user_id,
                "actor": actor,
                "action": action,
                "record_type": record_type,
                "record_id": inspect(obj).mapper.primary_key_from_instance(obj)[0],
                "old_values": old,
                "new_values": new,
            }
        )
    session.connection().execute(AuditEvent.__table__.insert(), rows)


def _after_rollback(session: Session, previous_transaction) -> None:
    for key in (_PENDING, _SUMMARIES, _SUMMARISED):
        session.info.pop(key, None)


def register_audit_listeners() -> None:
    """Attach the audit hooks to every session, once."""
    if not event.contains(Session, "before_flush", _before_flush):
        event.listen(Session, "before_flush", _before_flush)
        event.listen(Session, "after_flush", _after_flush)
        event.listen(Session, "after_soft_rollback", _after_rollback)
