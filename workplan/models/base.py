"""Shared columns and rule helpers for the forum's records."""

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, Integer, false, func
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from workplan.models.types import UTCDateTime, utcnow


def one_of(column: str, values: tuple[str, ...], name: str) -> CheckConstraint:
    """A CHECK that the column holds one of the known values."""
    listed = ", ".join(f"'{value}'" for value in values)
    return CheckConstraint(f"{column} IN ({listed})", name=name)


def exactly_one(*columns: str, name: str) -> CheckConstraint:
    """A CHECK that exactly one of the columns is set (portable to SQLite and PostgreSQL)."""
    terms = " + ".join(f"(CASE WHEN {c} IS NULL THEN 0 ELSE 1 END)" for c in columns)
    return CheckConstraint(f"{terms} = 1", name=name)


def currency_code(column: str, name: str) -> CheckConstraint:
    """A CHECK that the column is a three-letter upper-case code, as ISO 4217 writes them."""
    return CheckConstraint(
        f"length({column}) = 3 AND upper({column}) = {column} AND lower({column}) != {column}",
        name=name,
    )


class Timestamped:
    """When the record was made and last changed; feeds use the latter as LAST-MODIFIED."""

    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, onupdate=utcnow, nullable=False
    )


class Archivable:
    """Archived records are hidden, never destroyed, and can be restored."""

    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def is_archived(self) -> bool:
        """Whether the record has been archived."""
        return self.archived_at is not None


class Demo:
    """Invented records say so, so nobody mistakes demo data for the forum's facts."""

    is_demo: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class Versioned:
    """A counter raised on every update, so an edit made from a stale copy is refused."""

    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    @declared_attr.directive
    def __mapper_args__(cls):
        return {"version_id_col": cls.version}


class Translated:
    """Texts that may also be entered in French and Spanish, beside the original.

    A `<name>_fr` or `<name>_es` column holds the translation; where it is empty, the original
    is shown, so a record never reads blank in another language.
    """

    def in_language(self, name: str, language: str) -> str | None:
        """The text in a language, else as entered."""
        return getattr(self, f"{name}_{language}", None) or getattr(self, name)

    @classmethod
    def column_in(cls, name: str, language: str):
        """The text in a language, for a query: the translation where there is one, else the
        original."""
        translated = getattr(cls, f"{name}_{language}", None)
        original = getattr(cls, name)
        return original if translated is None else func.coalesce(translated, original)
