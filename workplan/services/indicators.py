"""Indicators of the work plan's objectives: a baseline, a target, and the values observed year
by year, so the forum can say whether anything moved, not only whether its deliverables were
done.

Progress toward a target is the share of the way from the baseline to the target that the
latest value has covered: 0 at the baseline, 1 at the target, above 1 past it, below 0 when
things went the wrong way. Nothing here commits.
"""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _

from workplan.extensions import db
from workplan.formatting import lazy_gettext as _l
from workplan.models import (
    DIRECTIONS,
    SDG_INDICATORS,
    Indicator,
    IndicatorValue,
    Objective,
    utcnow,
)
from workplan.numbers import whole_number
from workplan.services import DomainError, csv_files, records
from workplan.services.checks import (
    plausible_year,
    required,
    translations,
)

NAME_MAX = 300
UNIT_MAX = 40
SOURCE_MAX = 300
# Fits the column: 16 digits before the point, 4 after.
LARGEST = Decimal("9999999999999999")
CSV_ROWS_MAX = 500
# The first year a value may be for: the SDGs' own baseline era.
FIRST_YEAR = 1990


SDG_INDICATOR_NAMES = {
    "10.c.1": _l("SDG 10.c.1: remittance costs as a share of the amount sent"),
    "10.7.1": _l("SDG 10.7.1: recruitment cost borne by the employee, as a share of income"),
    "10.7.2": _l("SDG 10.7.2: countries with well-managed migration policies"),
}


def sdg_indicator_name(code: str):
    """An SDG indicator's code and what it measures, in the reader's language."""
    return SDG_INDICATOR_NAMES[code]


@dataclass
class IndicatorDetails:
    """An indicator as the secretariat types it."""

    name: str | None
    unit: str | None
    direction: str | None
    baseline_value: Decimal | None = None
    baseline_year: int | None = None
    target_value: Decimal | None = None
    target_year: int | None = None
    sdg_indicator: str | None = None
    translations: dict[str, str | None] = field(default_factory=dict)


def _measure(value: Decimal | None, field_name: str) -> Decimal | None:
    """A value the column keeps exactly: at most 16 digits before the point and 4 after."""
    if value is None:
        return None
    if not value.is_finite() or abs(value) > LARGEST:
        raise DomainError(_("Give a number of at most 16 digits."), field_name)
    if value != value.quantize(Decimal("0.0001")):
        raise DomainError(_("Give at most four decimals."), field_name)
    return value


def _year(year: int | None, field_name: str) -> int | None:
    """An optional year, from the SDGs' baseline era to their horizon."""
    return None if year is None else plausible_year(year, field_name, first=FIRST_YEAR)


def _checked(details: IndicatorDetails) -> dict:
    name = required(details.name, _("Name the indicator."), "name", NAME_MAX)
    unit = required(details.unit, _("Give its unit, such as “percent” or “USD”."), "unit", UNIT_MAX)
    if details.direction not in DIRECTIONS:
        raise DomainError(_("Say whether a rising or a falling value is progress."), "direction")
    if details.sdg_indicator is not None and details.sdg_indicator not in SDG_INDICATORS:
        raise DomainError(_("Choose one of the SDG indicators listed, or none."), "sdg_indicator")
    baseline = _measure(details.baseline_value, "baseline_value")
    baseline_year = _year(details.baseline_year, "baseline_year")
    target = _measure(details.target_value, "target_value")
    target_year = _year(details.target_year, "target_year")
    if (baseline is None) != (baseline_year is None):
        raise DomainError(_("Give the baseline's value and its year, or neither."), "baseline_year")
    if (target is None) != (target_year is None):
        raise DomainError(_("Give the target's value and its year, or neither."), "target_year")
    if baseline is not None and target is not None:
        if target_year <= baseline_year:
            raise DomainError(_("The target's year comes after the baseline's."), "target_year")
        better = target > baseline if details.direction == "up" else target < baseline
        if not better:
            raise DomainError(
                _("A target is higher than the baseline when a rising value is progress.")
                if details.direction == "up"
                else _("A target is lower than the baseline when a falling value is progress."),
                "target_value",
            )
    return {
        "name": name,
        **translations(details.translations, {"name": NAME_MAX}),
        "unit": unit,
        "direction": details.direction,
        "baseline_value": baseline,
        "baseline_year": baseline_year,
        "target_value": target,
        "target_year": target_year,
        "sdg_indicator": details.sdg_indicator,
    }


def add_indicator(objective: Objective, details: IndicatorDetails) -> Indicator:
    """Give an objective a new indicator."""
    if objective.archived_at is not None:
        raise DomainError(_("Restore this objective before giving it indicators."))
    return records.add(Indicator, {"objective_id": objective.id, **_checked(details)})


def update_indicator(indicator: Indicator, details: IndicatorDetails, version: int | None) -> None:
    """Change an indicator, from the copy the form carried."""
    records.apply(indicator, _checked(details), version)


def record_value(
    indicator: Indicator, year: int | None, value: Decimal | None, source: str | None, user
) -> tuple[IndicatorValue, bool]:
    """The value observed in a year, and whether it replaced one already recorded for it."""
    if indicator.archived_at is not None:
        raise DomainError(_("Restore this indicator before recording its values."))
    if year is None:
        raise DomainError(_("Give the year the value is for."), "year")
    plausible_year(year, "year", first=FIRST_YEAR)
    if value is None:
        raise DomainError(_("Give the value."), "value")
    value = _measure(value, "value")
    source = required(
        source, _("Say where the figure comes from, so others can check it."), "source", SOURCE_MAX
    )
    recorded = next((v for v in indicator.values if v.year == year), None)
    replaced = recorded is not None
    if replaced:
        recorded.value, recorded.source = value, source
        recorded.entered_by_id, recorded.entered_at = getattr(user, "id", None), utcnow()
    else:
        recorded = IndicatorValue(
            indicator=indicator,
            year=year,
            value=value,
            source=source,
            entered_by_id=getattr(user, "id", None),
        )
        db.session.add(recorded)
    _touch(indicator)
    return recorded, replaced


def remove_value(value: IndicatorValue) -> None:
    """Take a value off an indicator's record."""
    indicator = value.indicator
    indicator.values.remove(value)
    _touch(indicator)


def _touch(indicator: Indicator) -> None:
    """An indicator changes with its values: pages and reports built from it are rebuilt."""
    indicator.updated_at = utcnow()
    db.session.flush()


def import_values(indicator: Indicator, content: bytes, user) -> csv_files.Imported:
    """Record the values of a CSV file with the columns year, value and source: every row, or
    none when a row is refused, the refusal naming its line."""
    added = replaced = 0
    for line, row in csv_files.rows(
        content,
        names_columns=lambda columns: {"year", "value", "source"} <= columns,
        header_message=_("The first line must name the columns: year, value, source."),
        limit=CSV_ROWS_MAX,
        too_many=_("Send at most %(count)s values in one file.", count=CSV_ROWS_MAX),
    ):
        try:
            year = whole_number(row["year"])
            if year is None:
                raise DomainError(_("the year is not a year such as 2024."))
            try:
                value = Decimal(row["value"])
            except InvalidOperation:
                raise DomainError(_("the value is not a number such as 6.2.")) from None
            _value, was_there = record_value(indicator, year, value, row["source"], user)
        except DomainError as error:
            raise csv_files.at_line(line, error) from None
        added, replaced = added + (not was_there), replaced + was_there
    if not added and not replaced:
        raise DomainError(_("The file holds no values under its first line."), "file")
    return csv_files.Imported(added, replaced)


@dataclass(frozen=True)
class Progress:
    """How far an indicator has come: the latest value, and the share of the way from the
    baseline to the target it covers (None without a baseline, a target or a value)."""

    latest: IndicatorValue | None
    share: Decimal | None

    @property
    def reached(self) -> bool:
        return self.share is not None and self.share >= 1

    @property
    def percent(self) -> Decimal | None:
        """The share in percent, to a tenth, as reports give it (above 100 past the target,
        below 0 the wrong way)."""
        return None if self.share is None else (self.share * 100).quantize(Decimal("0.1"))

    @property
    def bar(self) -> Decimal | None:
        """The percentage a progress bar can show: 0 to 100."""
        percent = self.percent
        return None if percent is None else max(Decimal(0), min(Decimal(100), percent))


def progress_between(
    baseline: Decimal | None, target: Decimal | None, latest: Decimal | None
) -> Decimal | None:
    """The share of the way from baseline to target a value covers; the direction is in the
    sign of the distance, so a falling target works as a rising one."""
    if baseline is None or target is None or latest is None or target == baseline:
        return None
    return ((latest - baseline) / (target - baseline)).quantize(Decimal("0.0001"))


def progress(indicator: Indicator) -> Progress:
    """How far the indicator has come, by its latest value."""
    latest = max(indicator.values, key=lambda v: v.year, default=None)
    share = progress_between(
        indicator.baseline_value, indicator.target_value, latest.value if latest else None
    )
    return Progress(latest, share)


def indicators_of(objective: Objective, *, include_archived: bool = False) -> list[Indicator]:
    """An objective's indicators, in the order they were given."""
    query = db.select(Indicator).where(Indicator.objective_id == objective.id)
    if not include_archived:
        query = query.where(Indicator.archived_at.is_(None))
    return list(db.session.scalars(query.order_by(Indicator.id)))
