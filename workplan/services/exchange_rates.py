"""The exchange-rate table, and the one rule that turns every amount into the reporting currency.

The rule, used by every total, page and export:

1. A rate recorded on the amount itself wins: a payment's own rate, else the rate recorded on its
   pledge (the secretariat's word overrides the table).
2. An amount already in the reporting currency converts at 1.
3. Otherwise the table's rate for the currency and the month of the amount's date: the day of
   the pledge for the pledge, the day it arrived for a payment.

A pledge converts only when its amount and every one of its payments do; otherwise it is left
out of every converted total and listed apart with the months whose rates are missing, so no
total ever mixes converted and unconverted parts.
"""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import Date, case, func, literal, null, select, type_coerce, union_all
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from workplan.extensions import db
from workplan.formatting import month as month_name
from workplan.models import ExchangeRate, Payment, Pledge
from workplan.models.pledge import RATE
from workplan.services import DomainError, csv_files
from workplan.services.checks import currency_codes

MAX_RATE = Decimal("999999999999.99999999")
EIGHT_DECIMALS = Decimal("0.00000001")
MAX_IMPORT_ROWS = 10_000


class month_start(FunctionElement):  # lower case, like sqlalchemy.sql.functions.sum
    """The first day of a date's month."""

    type = Date()
    name = "month_start"
    inherit_cache = True


@compiles(month_start)
def _month_start_postgresql(element, compiler, **kw):
    return f"CAST(date_trunc('month', {compiler.process(element.clauses, **kw)}) AS DATE)"


@compiles(month_start, "sqlite")
def _month_start_sqlite(element, compiler, **kw):
    return f"date({compiler.process(element.clauses, **kw)}, 'start of month')"


def _table_rate(currency, day):
    """The table's rate for a currency in the month of a day, as a correlated subquery."""
    return (
        select(ExchangeRate.rate)
        .where(ExchangeRate.currency == currency, ExchangeRate.month == month_start(day))
        .scalar_subquery()
    )


def _one_if_base(currency, base_currency: str):
    """1 for an amount already in the reporting currency, else NULL."""
    return case((currency == base_currency, literal(Decimal(1), RATE)))


def pledge_rate(base_currency: str):
    """The rate a pledge's amount converts at (NULL when there is none), as SQL."""
    return type_coerce(
        func.coalesce(
            Pledge.rate_to_base,
            _one_if_base(Pledge.currency, base_currency),
            _table_rate(Pledge.currency, Pledge.pledged_on),
        ),
        RATE,
    )


def payment_rate(base_currency: str):
    """The rate a payment converts at (NULL when there is none), as SQL; its pledge joined."""
    return type_coerce(
        func.coalesce(
            Payment.rate_to_base,
            Pledge.rate_to_base,
            _one_if_base(Pledge.currency, base_currency),
            _table_rate(Pledge.currency, Payment.received_on),
        ),
        RATE,
    )


def _source(recorded, inherited, currency, base_currency: str, table_rate):
    """Where a rate comes from, in the rule's order, as SQL."""
    return case(
        (recorded.is_not(None), "recorded"),
        (inherited.is_not(None), "pledge"),
        (currency == base_currency, "reporting"),
        (table_rate.is_not(None), "table"),
        else_="missing",
    )


@dataclass(frozen=True)
class MissingRate:
    """A month for which a currency has no rate, and what needs it."""

    currency: str
    month: date

    def __str__(self) -> str:
        return f"{self.currency} {self.month:%Y-%m}"


def missing_rates(pledge_ids: list[int], base_currency: str) -> dict[int, list[MissingRate]]:
    """For each pledge that cannot be converted, the months whose rates are missing, oldest
    first, in one query."""
    if not pledge_ids:
        return {}
    of_pledges = select(
        Pledge.id.label("pledge_id"),
        Pledge.currency.label("currency"),
        month_start(Pledge.pledged_on).label("month"),
    ).where(Pledge.id.in_(pledge_ids), pledge_rate(base_currency).is_(None))
    of_payments = (
        select(
            Pledge.id.label("pledge_id"),
            Pledge.currency.label("currency"),
            month_start(Payment.received_on).label("month"),
        )
        .join(Pledge, Pledge.id == Payment.pledge_id)
        .where(Pledge.id.in_(pledge_ids), payment_rate(base_currency).is_(None))
    )
    united = union_all(of_pledges, of_payments).subquery("missing")
    rows = db.session.execute(
        select(united.c.pledge_id, united.c.currency, united.c.month)
        .distinct()
        .order_by(united.c.pledge_id, united.c.month)
    ).all()
    missing: dict[int, list[MissingRate]] = {}
    for row in rows:
        month = row.month if isinstance(row.month, date) else date.fromisoformat(row.month)
        missing.setdefault(row.pledge_id, []).append(MissingRate(row.currency, month))
    return missing


@dataclass(frozen=True)
class Conversion:
    """How one amount converts: the rate (None when missing) and where it comes from
    ("recorded", "pledge", "reporting", "table" or "missing")."""

    rate: Decimal | None
    source: str
    month: date


@dataclass(frozen=True)
class PledgeConversion:
    """How a pledge and each of its payments convert, as every report converts them."""

    currency: str
    pledge: Conversion
    payments: dict[int, Conversion]

    @property
    def converted(self) -> bool:
        """Whether the pledge counts in converted totals: all its amounts have a rate."""
        return self.pledge.rate is not None and all(
            c.rate is not None for c in self.payments.values()
        )

    @property
    def missing(self) -> list[MissingRate]:
        """The months whose rates are missing, oldest first."""
        needed = [self.pledge, *self.payments.values()]
        months = {c.month for c in needed if c.rate is None}
        return [MissingRate(self.currency, month) for month in sorted(months)]


def conversion(pledge: Pledge) -> PledgeConversion:
    """How a pledge and its payments convert, under the rule every total uses."""
    base = current_app.config["BASE_CURRENCY"]
    own = db.session.execute(
        select(
            pledge_rate(base).label("rate"),
            _source(
                Pledge.rate_to_base,
                null(),
                Pledge.currency,
                base,
                _table_rate(Pledge.currency, Pledge.pledged_on),
            ).label("source"),
        ).where(Pledge.id == pledge.id)
    ).one()
    payments = db.session.execute(
        select(
            Payment.id,
            Payment.received_on,
            payment_rate(base).label("rate"),
            _source(
                Payment.rate_to_base,
                Pledge.rate_to_base,
                Pledge.currency,
                base,
                _table_rate(Pledge.currency, Payment.received_on),
            ).label("source"),
        )
        .join(Pledge, Pledge.id == Payment.pledge_id)
        .where(Payment.pledge_id == pledge.id)
    ).all()
    return PledgeConversion(
        currency=pledge.currency,
        pledge=Conversion(own.rate, own.source, pledge.pledged_on.replace(day=1)),
        payments={
            row.id: Conversion(row.rate, row.source, row.received_on.replace(day=1))
            for row in payments
        },
    )


# The table


def iso_currency(code: str | None, field: str = "currency") -> str:
    """An ISO 4217 code, as typed in any case."""
    currency = (code or "").strip().upper()
    if currency not in currency_codes():
        raise DomainError(
            _(
                "“%(code)s” is not an ISO 4217 currency code (for example USD, EUR, CHF).",
                code=currency[:10],
            ),
            field,
        )
    return currency


def check_currency(code: str | None, field: str = "currency") -> str:
    """An ISO 4217 code other than the reporting currency's."""
    currency = iso_currency(code, field)
    base = current_app.config["BASE_CURRENCY"]
    if currency == base:
        raise DomainError(
            _("%(base)s is the reporting currency: its rate is always 1.", base=base), field
        )
    return currency


def check_rate(rate: Decimal | None, field: str = "rate") -> Decimal:
    """A positive rate with at most eight decimals."""
    base = current_app.config["BASE_CURRENCY"]
    if rate is None or not rate.is_finite() or rate <= 0:
        raise DomainError(_("The rate to %(base)s must be more than zero.", base=base), field)
    if rate.as_tuple().exponent < -8:
        raise DomainError(_("Give the rate with at most eight decimals."), field)
    if rate > MAX_RATE:
        raise DomainError(_("That rate is too large to record."), field)
    return rate


def parse_month(text: str | None, field: str = "month") -> date:
    """A month written as 2026-03 (or a day in it, 2026-03-15): its first day."""
    value = (text or "").strip()
    try:
        if len(value) == 7:
            value += "-01"
        return date.fromisoformat(value).replace(day=1)
    except ValueError:
        raise DomainError(_("Give the month as year and month, such as 2026-03."), field) from None


@dataclass
class RateDetails:
    """What the secretariat types about a month's rate."""

    currency: str | None
    month: date | None
    rate: Decimal | None
    source: str | None


def record_rate(details: RateDetails) -> tuple[ExchangeRate, bool]:
    """Record a currency's rate for a month, replacing the one recorded before (the audit log
    keeps it); the rate and whether it is new."""
    currency = check_currency(details.currency)
    if details.month is None:
        raise DomainError(_("Give the month as year and month, such as 2026-03."), "month")
    month = details.month.replace(day=1)
    rate = check_rate(details.rate)
    source = (details.source or "").strip()
    if not source:
        raise DomainError(
            _("Say where the rate comes from, such as “UN operational rates of exchange”."),
            "source",
        )
    if len(source) > 200:
        raise DomainError(_("Keep the source under 200 characters."), "source")
    existing = db.session.scalar(
        select(ExchangeRate).where(ExchangeRate.currency == currency, ExchangeRate.month == month)
    )
    if existing is None:
        existing = ExchangeRate(currency=currency, month=month, rate=rate, source=source)
        db.session.add(existing)
        db.session.flush()
        return existing, True
    existing.rate, existing.source = rate, source
    db.session.flush()
    return existing, False


def remove_rate(rate: ExchangeRate) -> None:
    """Remove a rate recorded in error; amounts it converted are listed apart again."""
    db.session.delete(rate)
    db.session.flush()


def listing():
    """The recorded rates, newest month first, then by currency."""
    return select(ExchangeRate).order_by(ExchangeRate.month.desc(), ExchangeRate.currency)


def _decimal(text: str, field: str, line: int) -> Decimal:
    try:
        value = Decimal(text.strip().replace(",", ""))
    except InvalidOperation:
        raise DomainError(
            _("Line %(line)s: “%(value)s” is not a number.", line=line, value=text[:30]), field
        ) from None
    if not value.is_finite() or value <= 0:
        raise DomainError(_("Line %(line)s: the rate must be more than zero.", line=line), field)
    return value


def import_csv(content: bytes, default_source: str | None) -> csv_files.Imported:
    """Record the rates of a CSV file, all or none.

    Columns (a header line names them, in any order): `currency`, `month` (2026-03), and either
    `rate` (the reporting currency for one unit of the currency) or `units_per_base` (units of
    the currency for one unit of the reporting currency, as the UN operational rates of
    exchange are quoted); `source` is optional when the form gives one for the whole file.
    """
    added = replaced = 0
    for line, row in csv_files.rows(
        content,
        names_columns=lambda columns: (
            {"currency", "month"} <= columns and bool(columns & {"rate", "units_per_base"})
        ),
        header_message=_(
            "The first line must name the columns: currency, month, and rate or "
            "units_per_base (source is optional)."
        ),
        limit=MAX_IMPORT_ROWS,
        too_many=_("Import at most %(count)s rates at a time.", count=MAX_IMPORT_ROWS),
    ):
        if row.get("rate"):
            rate = _decimal(row["rate"], "file", line)
        elif row.get("units_per_base"):
            rate = (Decimal(1) / _decimal(row["units_per_base"], "file", line)).quantize(
                EIGHT_DECIMALS, rounding=ROUND_HALF_UP
            )
        else:
            raise DomainError(_("Line %(line)s: give the rate.", line=line), "file")
        try:
            _rate, new = record_rate(
                RateDetails(
                    currency=row.get("currency"),
                    month=parse_month(row.get("month")),
                    rate=rate,
                    source=row.get("source") or default_source,
                )
            )
        except DomainError as error:
            raise csv_files.at_line(line, error) from None
        added, replaced = added + new, replaced + (not new)
    if not added and not replaced:
        raise DomainError(_("The file holds no rate."), "file")
    return csv_files.Imported(added, replaced)


def month_label(missing: MissingRate) -> str:
    """A missing rate in words: "EUR, March 2026"."""
    return f"{missing.currency}, {month_name(missing.month)}"
