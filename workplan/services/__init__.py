"""The forum's rules: take typed arguments, raise a DomainError, flush but never commit."""

from flask_babel import gettext as _


class DomainError(Exception):
    """A rule of the forum refused the change; the message is meant for the person."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class StaleEdit(DomainError):
    """Someone else saved the record after this edit's copy was loaded."""

    def __init__(self, record, message: str | None = None):
        super().__init__(
            message or _("Someone else saved this record after you opened it. Review their change.")
        )
        self.record = record
