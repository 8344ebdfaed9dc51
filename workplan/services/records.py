"""Archiving: records are hidden, never destroyed, and can be restored."""

from flask_babel import gettext as _
from sqlalchemy import func, or_

from workplan.models import utcnow
from workplan.services import DomainError, StaleEdit


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


def check_version(record, version: int | None) -> None:
    """Refuse an edit made from a copy older than the record (the version the form carried)."""
    if version is not None and getattr(record, "version", version) != version:
        raise StaleEdit(record)


def same_name(column, name: str):
    """A condition finding a record already named `name`, whatever its case.

    SQLite's lower() folds ASCII letters only, so the exact comparison is kept beside it: a
    second 'École' is then found before the unique constraint refuses it.
    """
    return or_(column == name, func.lower(column) == name.lower())
