"""What every kind of record shares: saving checked values, archiving instead of deleting, and
finding a name already taken."""

from flask_babel import gettext as _
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from workplan.extensions import db
from workplan.models import AuditEvent, utcnow
from workplan.services import DomainError, check_version, flush_or_stale


def add(model, values: dict):
    """Make a record from checked values and write it, so it has its id."""
    record = model(**values)
    db.session.add(record)
    db.session.flush()
    return record


def apply(record, values: dict, version: int | None) -> None:
    """Set a record's checked values, from the version the editor saw.

    An edit made from an older copy is refused (StaleEdit), and so is a save that meets another
    one in the database, and a change to an archived record. The row is always written, so a
    change to its lists alone (co-chairs, responsible governments) also raises its version.
    """
    check_version(record, version)
    if record.archived_at is not None:
        raise DomainError(_("Restore this record before changing it."))
    for key, value in values.items():
        setattr(record, key, value)
    record.updated_at = utcnow()
    flush_or_stale(record)


# A kind of record's rules live in its service module as plain functions:
# checked(details, current) -> the values to store, or a DomainError at a field;
# archive(record) and restore(record), refusing where the kind has a reason to.


def create(kind, model, details):
    """Record a new one of a kind from what was typed, once its rules accept it."""
    return add(model, kind.checked(details, None))


def update(kind, record, details, version: int | None) -> None:
    """Change a record from what was typed on the version the editor saw."""
    # The version first: a stale copy is answered with the newer record, not with a refusal
    # of values the editor has not seen yet.
    check_version(record, version)
    apply(record, kind.checked(details, record), version)


def archive(record) -> None:
    """Hide a record from lists and pages; its history stays."""
    if record.archived_at is not None:
        raise DomainError(_("This record is already archived."))
    record.archived_at = utcnow()


def restore(record) -> None:
    """Bring an archived record back."""
    if record.archived_at is None:
        raise DomainError(_("This record is not archived."))
    record.archived_at = None


def listed(model, archived: bool = False):
    """The condition for a list: the live records, or the archived ones only."""
    return model.archived_at.is_not(None) if archived else model.archived_at.is_(None)


def same_name(column, name: str):
    """A condition finding a record already named `name`, whatever its case.

    SQLite's lower() folds ASCII letters only, so the exact comparison is kept beside it: a
    second 'École' is then found before the unique constraint refuses it.
    """
    return or_(column == name, func.lower(column) == name.lower())


def refuse_taken_name(column, name: str, current, field: str, taken, taken_archived) -> None:
    """Refuse a name another record of the same kind has, whatever its case.

    ``taken`` and ``taken_archived`` word the refusal from the other record, for one in use and
    for an archived one to restore instead: whole sentences, so each language can make them
    agree with the kind of record.
    """
    same = db.session.scalar(select(column.class_).where(same_name(column, name)))
    if same is not None and same is not current:
        raise DomainError(taken_archived(same) if same.archived_at else taken(same), field)


def last_change(record) -> AuditEvent | None:
    """The latest recorded change of a record itself: who saved it, and when."""
    return db.session.scalar(
        select(AuditEvent)
        .where(
            AuditEvent.record_type == type(record).__name__,
            AuditEvent.record_id == record.id,
        )
        .options(selectinload(AuditEvent.user))
        .order_by(AuditEvent.id.desc())
        .limit(1)
    )
