"""Column types that keep money exact and instants in UTC on every database."""

from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import BigInteger, DateTime, Numeric
from sqlalchemy.types import TypeDecorator


class ExactDecimal(TypeDecorator):
    """A Decimal that never passes through a float.

    PostgreSQL stores NUMERIC. SQLite has no decimal type and would round-trip NUMERIC through
    a float, so there the value is stored as an integer count of 10**-scale units; SQL sums and
    comparisons still work on it, and the result type turns them back into Decimals.
    """

    impl = Numeric
    cache_ok = True

    def __init__(self, precision: int = 18, scale: int = 2):
        super().__init__()
        self.precision = precision
        self.scale = scale
        self._quantum = Decimal(1).scaleb(-scale)

    def __repr__(self) -> str:
        # Alembic writes this into migrations; the scale must survive the trip.
        return f"{type(self).__name__}(precision={self.precision}, scale={self.scale})"

    def load_dialect_impl(self, dialect):
        """Choose the storage type per database."""
        if dialect.name == "sqlite":
            return dialect.type_descriptor(BigInteger())
        return dialect.type_descriptor(Numeric(self.precision, self.scale, asdecimal=True))

    def process_bind_param(self, value, dialect):
        """Quantise to the column's scale; on SQLite scale up to an integer."""
        if value is None:
            return None
        value = Decimal(value).quantize(self._quantum)
        if dialect.name == "sqlite":
            return int(value.scaleb(self.scale))
        return value

    def process_result_value(self, value, dialect):
        """Turn the stored value back into a Decimal of the column's scale."""
        if value is None:
            return None
        if dialect.name == "sqlite":
            return Decimal(int(value)).scaleb(-self.scale).quantize(self._quantum)
        return Decimal(value).quantize(self._quantum)

    @property
    def python_type(self):
        return Decimal


class UTCDateTime(TypeDecorator):
    """An instant: aware datetimes in, stored as naive UTC, aware UTC datetimes out."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        """Refuse naive datetimes: a time without a zone is a bug waiting to happen."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given for a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        """Mark the stored value as UTC."""
        if value is None:
            return None
        return value.replace(tzinfo=UTC)

    @property
    def python_type(self):
        return datetime


def utcnow() -> datetime:
    """The current instant, aware and in UTC."""
    return datetime.now(UTC)
