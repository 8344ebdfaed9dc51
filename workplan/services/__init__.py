"""The forum's rules: take typed arguments, raise a DomainError, flush but never commit."""

from sqlalchemy import inspect
from sqlalchemy.orm.exc import StaleDataError

from workplan.extensions import db
from workplan.formatting import lazy_gettext as _l


class DomainError(Exception):
    """A rule of the forum refused the change; the message is meant for the person."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class StaleEdit(DomainError):
    """Someone else saved the record after this edit's copy was loaded.

    The session may be unusable when this is raised (a refused flush), so the record is named,
    not kept: the view rolls back, then `current()` reads the record as the other person left it.
    """

    def __init__(self, record, message: str | None = None):
        # Worded when shown: the session cannot read the user's language until rolled back.
        super().__init__(
            message
            or _l("Someone else saved this record after you opened it. Review their change.")
        )
        self.model = type(record)
        # From the identity map, never from the row: the session may not read any more.
        self.record_id = inspect(record).identity[0]

    def current(self):
        """The record as it stands now, fresh from the database (after the rollback)."""
        return db.session.get(self.model, self.record_id, populate_existing=True)


def check_version(record, version: int | None) -> None:
    """Refuse an edit made from a copy older than the record (the version the form carried)."""
    if version is not None and getattr(record, "version", version) != version:
        raise StaleEdit(record)


def flush_or_stale(record) -> None:
    """Write the pending change; a save of the same record in between turns into a StaleEdit."""
    try:
        db.session.flush()
    except StaleDataError as error:
        raise StaleEdit(record) from error
