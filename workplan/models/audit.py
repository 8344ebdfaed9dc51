"""The audit log: who changed which record, when, from which values to which."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workplan.extensions import db
from workplan.models.base import one_of
from workplan.models.types import UTCDateTime, utcnow

AUDIT_ACTIONS = ("create", "update", "delete")


class AuditEvent(db.Model):
    """One create, update or delete of a domain record, written in the same transaction."""

    __tablename__ = "audit_events"
    __table_args__ = (
        one_of("action", AUDIT_ACTIONS, "action_known"),
        Index("ix_audit_events_record", "record_type", "record_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    actor: Mapped[str] = mapped_column(String(254))
    action: Mapped[str] = mapped_column(String(10))
    record_type: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[int] = mapped_column(Integer)
    old_values: Mapped[dict | None] = mapped_column(JSON)
    new_values: Mapped[dict | None] = mapped_column(JSON)

    user: Mapped["User | None"] = relationship()  # noqa: F821

    @property
    def changes(self) -> list[tuple[str, object, object]]:
        """Each changed field with its old and new value."""
        old, new = self.old_values or {}, self.new_values or {}
        return [(key, old.get(key), new.get(key)) for key in sorted(set(old) | set(new))]
