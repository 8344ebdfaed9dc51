"""A report laid out as a document: facts, rules, sections of charts and tables.

The page, the PDF, the CSV and the workbook are all drawn from one Document, and the Document
from one report of `workplan.services.reports`, so every format shows the same numbers.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from workplan import formatting
from workplan.reports import labels
from workplan.services import charts, reports
from workplan.services.charts import Chart, Series

LARGEST_DONORS = 12


@dataclass
class Column:
    """A column: its stable key, its heading, and how its values are written.

    Kinds: text, int, year, money (in the currency named by the row's `currency_key`), base (in the
    reporting currency), percent, rate, date, status, kind, role, donor_type, list, auto (the
    row's `unit` decides).
    """

    key: str
    label: str
    kind: str = "text"
    currency_key: str = "currency"
    link: tuple[str, str, str] | None = None
    screen: bool = True


@dataclass
class Table:
    """Rows of one kind: one sheet of the workbook, one section of the CSV."""

    key: str
    title: str
    sheet: str
    columns: list[Column]
    rows: list[dict]
    empty: str = ""  # what the table says when it has no rows; _table() always gives one

    @property
    def screen_columns(self) -> list[Column]:
        """The columns shown on the page and in the PDF."""
        return [column for column in self.columns if column.screen]


@dataclass
class Section:
    """A part of a report with its own heading."""

    key: str
    title: str
    notes: list[str] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)


@dataclass
class Document:
    """A whole report, ready to be drawn in any format."""

    report: str
    title: str
    subject: str
    generated_on: date
    base_currency: str
    facts: list[tuple[str, str]]
    rules: list[str]
    sections: list[Section]
    filename: str

    @property
    def tables(self) -> list[Table]:
        """Every table, in reading order."""
        return [table for section in self.sections for table in section.tables]


def slug(text: str) -> str:
    """Plain ASCII for a file name: “GFMD 2024 (France)” becomes gfmd-2024-france."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def _filename(report: str, subject: str | None, day: date) -> str:
    """gfmd-<report>-report[-<subject>]-<date>, without the extension."""
    parts = ["gfmd", report, "report"]
    if subject:
        parts.append(subject)
    parts.append(day.isoformat())
    return "-".join(parts)


def display(row: dict, column: Column, base_currency: str) -> str:
    """A cell as a person reads it on the page or in the PDF."""
    value = row.get(column.key)
    kind = column.kind
    if kind == "auto":
        kind = {"percent": "percent", "count": "int", "date": "date"}.get(row.get("unit"), "base")
    if value is None or value == "":
        if kind in ("base", "money") and row.get("unconverted"):
            return str(labels.NOT_CONVERTED)
        return "—"
    if kind == "money":
        return formatting.money(value, row.get(column.currency_key) or "")
    if kind == "base":
        return formatting.money(value, base_currency)
    if kind == "percent":
        return f"{value}%"
    if kind == "rate":
        return f"{value.normalize():f}"
    if kind == "number":
        return formatting.number(value)
    if kind == "direction":
        return labels.DIRECTIONS.get(value, value)
    if kind == "date":
        return formatting.day(value)
    if kind == "int":
        return f"{value:,}"
    if kind == "year":
        return str(value)
    if kind == "status":
        return labels.status(value)
    if kind == "kind":
        return labels.kind(value)
    if kind == "role":
        return labels.ROLES.get(value, value)
    if kind == "donor_type":
        return labels.DONOR_TYPES.get(value, value)
    if kind == "list":
        return ", ".join(value) or "—"
    if isinstance(value, bool):
        return "✓" if value else ""
    return str(value)


def _col(key: str, kind: str = "text", base: str = "", **options) -> Column:
    """A column with its heading from the labels."""
    return Column(key=key, label=labels.COLUMNS[key].format(base=base), kind=kind, **options)


def _table(key: str, columns: list[Column], rows: list[dict], empty: str | None = None) -> Table:
    """A table with its title and sheet name from the labels."""
    title, sheet = labels.TABLES[key]
    return Table(key, title, sheet, columns, rows, empty or labels.EMPTY["table"])


def _status_columns(first: list[Column]) -> list[Column]:
    """A status table's columns: who, then one count per status, then the roll-up."""
    return [
        *first,
        _col("total", "int"),
        *(_col(f"n_{status}", "int") for status in reports.DELIVERABLE_STATUSES),
        _col("overdue", "int"),
        _col("percent_complete", "percent"),
    ]


def _status_values(row: reports.StatusRow) -> dict:
    """A StatusRow's numbers as table cells."""
    return {
        "total": row.total,
        **{f"n_{status}": count for status, count in row.counts.items()},
        "overdue": row.overdue,
        "percent_complete": row.percent_complete,
    }


def _summary(rows: list[tuple[str, object, str]]) -> Table:
    """The headline numbers: one measure per row."""
    return _table(
        "summary",
        [
            Column("measure", labels.COLUMNS["measure"], screen=False),
            Column("label", labels.COLUMNS["measure"]),
            Column("value", labels.COLUMNS["value"], "auto"),
            Column("unit", labels.COLUMNS["unit"], screen=False),
        ],
        [
            {"measure": key, "label": labels.MEASURES[key], "value": value, "unit": unit}
            for key, value, unit in rows
        ],
    )


def _deliverable_table(key: str, items: list[reports.DeliverableItem], chairmanship=False):
    """A list of deliverables, each linked to its page."""
    columns = [
        _col("id", "int", screen=False),
        _col("deliverable", link=("deliverables.detail", "deliverable_id", "id")),
        *([_col("chairmanship")] if chairmanship else []),
        _col("owner"),
        _col("responsible", "list"),
        _col("status", "status"),
        _col("percent_complete", "percent"),
        _col("due_on", "date"),
        _col("days_overdue", "int"),
    ]
    rows = [
        {
            "id": item.id,
            "deliverable": item.title,
            "chairmanship": item.chairmanship,
            "owner": item.owner,
            "responsible": item.responsible,
            "status": item.status,
            "percent_complete": item.percent_complete,
            "due_on": item.due_on,
            "days_overdue": item.days_overdue,
        }
        for item in items
    ]
    return _table(key, columns, rows, labels.EMPTY.get(key))


_BASE_KEYS = ("pledged_base", "committed_base", "received_base", "outstanding_base")


def _funding_table(key: str, first: list[Column], rows: list[reports.FundingRow], base, name):
    """Money of each donor, earmark, kind or currency: original amounts beside converted ones."""
    columns = [
        *first,
        _col("currency"),
        _col("pledges", "int"),
        _col("pledged", "money"),
        _col("committed", "money", screen=False),
        _col("received", "money"),
        _col("outstanding", "money", screen=False),
        _col("overpaid", "money", screen=False),
        _col("received_unconverted", "money", screen=False),
        *(_col(k, "base", base) for k in _BASE_KEYS),
        _col("overpaid_base", "base", base),
        _col("pledged_before_start_base", "base", base, screen=False),
        _col("unconverted", "int"),
    ]
    body = []
    for row in rows:
        cells = {
            column.key: getattr(row, column.key)
            for column in columns
            if hasattr(row, column.key) and column not in first
        }
        body.append({**name(row), **cells})
    return _table(key, columns, body)


def _pledge_columns(base: str, chairmanship=False) -> list[Column]:
    """The columns of a pledge ledger."""
    return [
        Column("id", labels.COLUMNS["pledge"], "int", link=("pledges.detail", "pledge_id", "id")),
        *([_col("chairmanship")] if chairmanship else []),
        _col("donor"),
        _col("donor_type", "donor_type", screen=False),
        _col("kind", "kind"),
        _col("in_kind_description", screen=False),
        _col("earmark", "kind"),
        _col("earmark_name"),
        _col("stage", "status"),
        _col("pledged_on", "date"),
        _col("committed_on", "date", screen=False),
        _col("currency"),
        _col("amount", "money"),
        _col("rate_to_base", "rate", base),
        _col("received", "money"),
        _col("outstanding", "money"),
        _col("overpaid", "money"),
        _col("amount_base", "base", base),
        _col("received_base", "base", base),
        _col("outstanding_base", "base", base),
        _col("overpaid_base", "base", base, screen=False),
    ]


def _pledge_rows(lines: list[reports.PledgeLine]) -> list[dict]:
    """Pledge lines as table rows."""
    return [
        {
            "id": line.id,
            "chairmanship": line.chairmanship,
            "donor": line.donor,
            "donor_type": line.donor_type,
            "kind": line.kind,
            "in_kind_description": line.in_kind_description,
            "earmark": line.earmark,
            "earmark_name": line.earmark_name,
            "stage": line.stage,
            "pledged_on": line.pledged_on,
            "committed_on": line.committed_on,
            "currency": line.currency,
            "amount": line.amount,
            "rate_to_base": line.rate_to_base,
            "received": line.received,
            "outstanding": line.outstanding,
            "overpaid": line.overpaid,
            "amount_base": line.amount_base,
            "received_base": line.received_base,
            "outstanding_base": line.outstanding_base,
            "overpaid_base": line.overpaid_base,
            "unconverted": not line.converted,
            "missing_rates": [str(missing) for missing in line.missing_rates],
        }
        for line in lines
    ]


def _unconverted_table(lines: list[reports.PledgeLine], base: str) -> Table:
    """The pledges not converted, each with the rates it lacks."""
    return _table(
        "unconverted",
        [*_pledge_columns(base), _col("missing_rates", "list")],
        _pledge_rows(lines),
        labels.EMPTY["unconverted"],
    )


def _budget_table(budget: reports.Budget, base: str) -> Table:
    """Requirements by line against what covers them, then pledges set against no line, then
    the whole budget."""

    def cells(row: reports.BudgetRow, label: str) -> dict:
        return {
            "budget_line": label,
            "requirements": row.requirements,
            "pledged_base": row.pledged_base,
            "committed_base": row.committed_base,
            "received_base": row.received_base,
            "coverage": row.coverage,
            "gap": row.gap,
        }

    rows = [cells(row, row.label) for row in budget.lines]
    if budget.lines:
        rows.append(cells(budget.not_set_against_a_line, str(labels.NOT_SET_AGAINST_A_LINE)))
        rows.append(cells(budget.totals, str(labels.WHOLE_BUDGET)))
    return _table(
        "budget",
        [
            _col("budget_line"),
            _col("requirements", "base", base),
            _col("pledged_base", "base", base),
            _col("committed_base", "base", base),
            _col("received_base", "base", base),
            _col("coverage", "percent"),
            _col("gap", "base", base),
        ],
        rows,
        labels.EMPTY["budget"],
    )


def _chart(key: str, categories, series, *, unit="", base="", description="") -> Chart:
    """A chart titled from the labels."""
    title, axis = labels.CHARTS[key]
    return charts.bar_chart(
        key,
        title.format(base=base),
        categories,
        series,
        unit=unit,
        axis_label=axis.format(base=base),
        description=description,
    )


def chairmanship_document(report: reports.ChairmanshipReport, with_charts: bool) -> Document:
    """The chairmanship report as a document."""
    base = report.base_currency
    info = report.chairmanship
    delivered, meetings, funding = report.deliverables, report.meetings, report.funding
    totals = funding.totals
    summary = _summary(
        [
            ("deliverables", delivered.totals.total, "count"),
            ("percent_complete", delivered.totals.percent_complete, "percent"),
            ("overdue", delivered.totals.overdue, "count"),
            ("at_risk", delivered.totals.counts["at_risk"], "count"),
            ("meetings_planned", meetings.totals.planned, "count"),
            ("meetings_held", meetings.totals.held, "count"),
            ("meetings_cancelled", meetings.totals.cancelled, "count"),
            ("opening_balance", funding.opening_balance, base),
            ("requirements", funding.budget.totals.requirements, base),
            ("coverage", funding.budget.totals.coverage, "percent"),
            ("gap", funding.budget.totals.gap, base),
            ("pledged_base", totals.pledged_base, base),
            ("committed_base", totals.committed_base, base),
            ("received_base", totals.received_base, base),
            ("outstanding_base", totals.outstanding_base, base),
            ("overpaid_base", totals.overpaid_base, base),
            ("pledged_before_start_share", totals.pledged_before_start_share, "percent"),
            ("pledges", totals.pledges, "count"),
            ("unconverted", totals.unconverted, "count"),
        ]
    )
    status_rows = [
        {"status": status, "total": count} for status, count in delivered.totals.counts.items()
    ]
    deliverable_tables = [
        _table(
            "deliverables_totals",
            [_col("status", "status"), _col("total", "int")],
            status_rows,
        ),
        _table(
            "deliverables_by_roundtable",
            _status_columns([_col("roundtable"), _col("title")]),
            [
                {"roundtable": r.label, "title": r.title, **_status_values(r)}
                for r in delivered.by_roundtable
            ],
        ),
        _table(
            "deliverables_by_team",
            _status_columns([_col("team")]),
            [{"team": r.label, **_status_values(r)} for r in delivered.by_team],
        ),
        _table(
            "deliverables_by_objective",
            _status_columns([_col("objective"), _col("title")]),
            [
                {
                    "objective": r.label if r.key else str(labels.NO_OBJECTIVE),
                    "title": r.title,
                    **_status_values(r),
                }
                for r in delivered.by_objective
            ],
        ),
    ]
    meeting_table = _table(
        "meetings_by_kind",
        [
            _col("kind", "kind"),
            _col("planned", "int"),
            _col("held", "int"),
            _col("upcoming", "int"),
            _col("cancelled", "int"),
        ],
        [
            {
                "kind": m.kind,
                "planned": m.planned,
                "held": m.held,
                "upcoming": m.upcoming,
                "cancelled": m.cancelled,
            }
            for m in meetings.by_kind
        ],
    )
    funding_tables = [
        _budget_table(funding.budget, base),
        _funding_table(
            "funding_by_donor",
            [_col("donor"), _col("donor_type", "donor_type")],
            funding.by_donor,
            base,
            lambda r: {"donor": r.label, "donor_type": r.detail},
        ),
        _funding_table(
            "funding_by_earmark",
            [_col("earmark", "kind"), _col("earmark_name")],
            funding.by_earmark,
            base,
            lambda r: {"earmark": r.label, "earmark_name": r.detail},
        ),
        _funding_table(
            "funding_by_kind",
            [_col("kind", "kind")],
            funding.by_kind,
            base,
            lambda r: {"kind": r.label},
        ),
        _funding_table(
            "funding_by_currency",
            [],
            funding.by_currency,
            base,
            lambda r: {},
        ),
        _unconverted_table(funding.unconverted, base),
        _table(
            "overpaid",
            _pledge_columns(base),
            _pledge_rows(funding.overpaid),
            labels.EMPTY["overpaid"],
        ),
    ]
    ledger = _table("pledges", _pledge_columns(base), _pledge_rows(funding.pledges))
    section_charts: dict[str, list[Chart]] = {"deliverables": [], "funding": []}
    if with_charts:
        section_charts = _chairmanship_charts(report)
    term = f"{formatting.day(info.starts_on)} – {formatting.day(info.ends_on)}"
    facts = [
        (labels.FACTS["chair"], ", ".join(info.chairs) or "—"),
        (labels.FACTS["term"], term),
        (labels.FACTS["theme"], info.theme or "—"),
        (labels.FACTS["summit_city"], info.summit_city or "—"),
        (labels.FACTS["base_currency"], base),
        (labels.FACTS["generated_on"], formatting.day(report.generated_on)),
    ]
    rules = [
        labels.RULES[key].format(base=base)
        for key in (
            "rollup",
            "overdue",
            "meetings",
            "money",
            "stages",
            "unconverted",
            "budget",
            "predictability",
        )
    ]
    return Document(
        report="chairmanship",
        title=f"{labels.REPORT_TITLES['chairmanship']}: {info.label}",
        subject=info.label,
        generated_on=report.generated_on,
        base_currency=base,
        facts=facts,
        rules=rules,
        sections=[
            Section("summary", labels.SECTIONS["summary"], tables=[summary]),
            Section(
                "deliverables",
                labels.SECTIONS["deliverables"],
                notes=[rules[0]],
                charts=section_charts["deliverables"],
                tables=deliverable_tables,
            ),
            Section(
                "watch",
                labels.SECTIONS["watch"],
                notes=[rules[1]],
                tables=[
                    _deliverable_table("overdue", delivered.overdue),
                    _deliverable_table("at_risk", delivered.at_risk),
                ],
            ),
            _indicator_section(report.indicators, with_charts),
            Section(
                "meetings", labels.SECTIONS["meetings"], notes=[rules[2]], tables=[meeting_table]
            ),
            Section(
                "funding",
                labels.SECTIONS["funding"],
                notes=rules[3:],
                charts=section_charts["funding"],
                tables=funding_tables,
            ),
            Section("ledger", labels.SECTIONS["ledger"], tables=[ledger]),
        ],
        filename=_filename("chairmanship", slug(info.label) or str(info.id), report.generated_on),
    )


def _chairmanship_charts(report: reports.ChairmanshipReport) -> dict[str, list[Chart]]:
    """The chairmanship report's charts, where there is something to draw."""
    base = report.base_currency
    delivered, funding = report.deliverables, report.funding
    drawn: dict[str, list[Chart]] = {"deliverables": [], "funding": []}
    if delivered.totals.total:
        statuses = list(delivered.totals.counts)
        drawn["deliverables"].append(
            _chart(
                "status",
                [labels.status(s) for s in statuses],
                [Series(labels.SERIES["deliverables"], list(delivered.totals.counts.values()))],
            )
        )
        owners = [r for r in delivered.by_roundtable + delivered.by_team]
        if owners:
            drawn["deliverables"].append(
                _chart(
                    "owners",
                    [r.label for r in owners],
                    [
                        Series(
                            labels.SERIES["percent_complete"],
                            [r.percent_complete for r in owners],
                        )
                    ],
                    unit="%",
                )
            )
    totals = funding.totals
    if totals.pledges:
        stages = ["pledged_base", "committed_base", "received_base", "outstanding_base"]
        stages.append("overpaid_base")
        drawn["funding"].append(
            _chart(
                "funding",
                [labels.SERIES[s] for s in stages],
                [Series(labels.SERIES["amount"], [getattr(totals, s) for s in stages])],
                base=base,
                unit=base,
            )
        )
    if funding.budget.lines:
        lines = funding.budget.lines
        drawn["funding"].append(
            _chart(
                "budget",
                [row.label for row in lines],
                [
                    Series(labels.SERIES["requirements"], [row.requirements for row in lines]),
                    Series(labels.SERIES["committed_base"], [row.committed_base for row in lines]),
                ],
                base=base,
                unit=base,
                description=labels.RULES["budget"],
            )
        )
    if totals.pledges:
        donors = _donor_totals(funding.by_donor)[:LARGEST_DONORS]
        drawn["funding"].append(
            _chart(
                "donors",
                [name for name, _pledged, _received in donors],
                [
                    Series(labels.SERIES["pledged_base"], [p for _n, p, _r in donors]),
                    Series(labels.SERIES["received_base"], [r for _n, _p, r in donors]),
                ],
                base=base,
                unit=base,
                description=labels.RULES["largest_donors"].format(count=LARGEST_DONORS),
            )
        )
    return drawn


def _donor_totals(rows: list[reports.FundingRow]) -> list[tuple[str, Decimal, Decimal]]:
    """Each donor's converted pledges and receipts across its currencies, largest first.

    Only a chart needs this: a donor who pledged in two currencies has two rows in the table.
    """
    donors: dict[str, list] = {}
    for row in rows:
        entry = donors.setdefault(row.key, [row.label, Decimal(0), Decimal(0)])
        entry[1] += row.pledged_base or 0
        entry[2] += row.received_base or 0
    return sorted((tuple(v) for v in donors.values()), key=lambda d: (-d[1], d[0]))


def _indicator_table(rows: list[reports.IndicatorProgress]) -> Table:
    """Each indicator from its baseline toward its target, and how far it has come."""
    columns = [
        _col("work_plan"),
        _col("objective"),
        _col("indicator"),
        _col("unit"),
        _col("direction", "direction"),
        _col("sdg_indicator"),
        _col("baseline_value", "number"),
        _col("baseline_year", "year"),
        _col("target_value", "number"),
        _col("target_year", "year"),
        _col("latest_value", "number"),
        _col("latest_year", "year"),
        _col("percent_of_way", "percent"),
    ]
    fields = {"indicator": "name"}
    return _table(
        "indicators",
        columns,
        [{c.key: getattr(row, fields.get(c.key, c.key)) for c in columns} for row in rows],
        labels.EMPTY["indicators"],
    )


def _indicator_charts(rows: list[reports.IndicatorProgress]) -> list[Chart]:
    """How far each measured indicator has come, as bars; none when nothing is measured."""
    measured = [row for row in rows if row.percent_of_way is not None]
    if not measured:
        return []
    return [
        _chart(
            "indicators",
            [f"{row.objective} · {row.name}" for row in measured],
            [Series(labels.SERIES["percent_of_way"], [row.percent_of_way for row in measured])],
            unit="%",
        )
    ]


def _indicator_section(rows: list[reports.IndicatorProgress], with_charts: bool) -> Section:
    return Section(
        "indicators",
        labels.SECTIONS["indicators"],
        notes=[labels.RULES["indicators"]],
        charts=_indicator_charts(rows) if with_charts else [],
        tables=[_indicator_table(rows)],
    )


def multiannual_document(report: reports.MultiannualReport, with_charts: bool) -> Document:
    """The multiannual report as a document."""
    base = report.base_currency
    years = _table(
        "years",
        _status_columns([_col("chairmanship")]),
        [{"chairmanship": r.label, **_status_values(r)} for r in report.years],
    )
    objective_rows = []
    for objective in report.objectives:
        name = {
            "work_plan": objective.work_plan,
            "objective": objective.code or str(labels.NO_OBJECTIVE),
            "title": objective.title,
        }
        for year in objective.years:
            objective_rows.append(
                {
                    **name,
                    "chairmanship": year.chairmanship,
                    "planned": year.planned,
                    "completed": year.completed,
                    "carried_over": year.carried_over,
                    "dropped": year.dropped,
                    "open": year.open,
                    "percent_complete": year.percent_complete,
                }
            )
        if not objective.years:
            objective_rows.append({**name, "planned": 0})
    objectives = _table(
        "objectives",
        [
            _col("work_plan"),
            _col("objective"),
            _col("title"),
            _col("chairmanship"),
            _col("planned", "int"),
            _col("completed", "int"),
            _col("carried_over", "int"),
            _col("dropped", "int"),
            _col("open", "int"),
            _col("percent_complete", "percent"),
        ],
        objective_rows,
    )
    trail_rows = [
        {
            "trail": number,
            "step": step_number,
            "objective": trail.objective or str(labels.NO_OBJECTIVE),
            "id": step.deliverable_id,
            "deliverable": step.title,
            "chairmanship": step.chairmanship,
            "status": step.status,
            "percent_complete": step.percent_complete,
        }
        for number, trail in enumerate(report.trails, start=1)
        for step_number, step in enumerate(trail.steps, start=1)
    ]
    trails = _table(
        "trails",
        [
            _col("trail", "int"),
            _col("step", "int"),
            _col("objective"),
            _col("id", "int", screen=False),
            _col("deliverable", link=("deliverables.detail", "deliverable_id", "id")),
            _col("chairmanship"),
            _col("status", "status"),
            _col("percent_complete", "percent"),
        ],
        trail_rows,
        labels.EMPTY["trails"],
    )
    money_columns = [
        _col("chairmanship"),
        _col("starts_on", "date"),
        _col("ends_on", "date"),
        _col("opening_balance", "base", base),
        _col("opened_from"),
        _col("pledges", "int"),
        _col("unconverted", "int"),
        *(_col(k, "base", base) for k in _BASE_KEYS),
        _col("overpaid_base", "base", base),
        _col("in_hand_base", "base", base),
        _col("pledged_before_start_share", "percent"),
        _col("requirements", "base", base),
        _col("pledged_for_term_base", "base", base),
        _col("requirements_pledged_before_term_share", "percent"),
    ]
    money = _table(
        "funding_by_chairmanship",
        money_columns,
        [{c.key: getattr(row, c.key) for c in money_columns} for row in report.funding],
    )
    drawn: dict[str, list[Chart]] = {"years": [], "money": []}
    if with_charts and report.years:
        drawn["years"].append(
            _chart(
                "years",
                [r.label for r in report.years],
                [
                    Series(labels.SERIES["planned"], [r.total for r in report.years]),
                    Series(
                        labels.SERIES["completed"], [r.counts["completed"] for r in report.years]
                    ),
                    Series(
                        labels.SERIES["carried_over"],
                        [r.counts["carried_over"] for r in report.years],
                    ),
                ],
            )
        )
        drawn["money"].append(
            _chart(
                "money",
                [row.chairmanship for row in report.funding],
                [
                    Series(labels.SERIES[key], [getattr(row, key) for row in report.funding])
                    for key in ("opening_balance", "pledged_base", "received_base")
                ],
                base=base,
                unit=base,
            )
        )
    rules = {
        key: text.format(base=base, count=LARGEST_DONORS) for key, text in labels.RULES.items()
    }
    summary = _summary(
        [
            ("chairmanships", len(report.funding), "count"),
            ("objectives", sum(1 for o in report.objectives if o.objective_id), "count"),
            ("indicators", len(report.indicators), "count"),
            ("trails", len(report.trails), "count"),
            ("ahead_requirements", report.ahead.requirements, base),
            ("ahead_pledged_base", report.ahead.pledged_base, base),
            ("ahead_share", report.ahead.share, "percent"),
        ]
    )
    return Document(
        report="multiannual",
        title=labels.REPORT_TITLES["multiannual"],
        subject=labels.REPORT_TITLES["multiannual"],
        generated_on=report.generated_on,
        base_currency=base,
        facts=[
            (labels.FACTS["chairmanships"], str(len(report.funding))),
            (labels.FACTS["base_currency"], base),
            (labels.FACTS["generated_on"], formatting.day(report.generated_on)),
        ],
        rules=[
            rules[k]
            for k in (
                "years",
                "rollup",
                "trails",
                "money",
                "stages",
                "unconverted",
                "opening",
                "predictability",
                "ahead",
                "indicators",
            )
        ],
        sections=[
            Section("summary", labels.SECTIONS["summary"], tables=[summary]),
            Section(
                "years",
                labels.SECTIONS["years"],
                notes=[rules["years"], rules["rollup"]],
                charts=drawn["years"],
                tables=[years],
            ),
            Section("objectives", labels.SECTIONS["objectives"], tables=[objectives]),
            _indicator_section(report.indicators, with_charts),
            Section("trails", labels.SECTIONS["trails"], notes=[rules["trails"]], tables=[trails]),
            Section(
                "money",
                labels.SECTIONS["money"],
                notes=[rules["opening"], rules["money"], rules["unconverted"]],
                charts=drawn["money"],
                tables=[money],
            ),
        ],
        filename=_filename("multiannual", None, report.generated_on),
    )


def government_document(report: reports.GovernmentReport, with_charts: bool) -> Document:
    """The government report as a document."""
    base = report.base_currency
    government = report.government
    totals = report.funding_totals
    summary = _summary(
        [
            ("chairmanships", len(report.chairmanships), "count"),
            ("deliverables", len(report.deliverables), "count"),
            ("pledged_base", totals.pledged_base, base),
            ("committed_base", totals.committed_base, base),
            ("received_base", totals.received_base, base),
            ("outstanding_base", totals.outstanding_base, base),
            ("overpaid_base", totals.overpaid_base, base),
            ("pledges", totals.pledges, "count"),
            ("unconverted", totals.unconverted, "count"),
            ("payments", len(report.payments), "count"),
        ]
    )
    chaired = _table(
        "chairmanships",
        [
            _col("chairmanship"),
            _col("starts_on", "date"),
            _col("ends_on", "date"),
            _col("chairs", "list"),
        ],
        [
            {
                "chairmanship": c.label,
                "starts_on": c.starts_on,
                "ends_on": c.ends_on,
                "chairs": c.chairs,
            }
            for c in report.chairmanships
        ],
    )
    roundtables = _table(
        "roundtables",
        [_col("chairmanship"), _col("roundtable"), _col("title"), _col("role", "role")],
        [
            {"chairmanship": r.chairmanship, "roundtable": r.name, "title": r.title, "role": r.role}
            for r in report.roundtables
        ],
    )
    teams = _table(
        "teams",
        [
            _col("team"),
            _col("title"),
            _col("role", "role"),
            _col("first_year", "year"),
            _col("last_year", "year"),
        ],
        [
            {
                "team": t.name,
                "title": t.title,
                "role": t.role,
                "first_year": t.first_year,
                "last_year": t.last_year,
            }
            for t in report.teams
        ],
    )
    by_chairmanship = _table(
        "deliverables_by_chairmanship",
        _status_columns([_col("chairmanship")]),
        [
            {"chairmanship": r.label, **_status_values(r)}
            for r in report.deliverables_by_chairmanship
        ],
    )
    money = _funding_table(
        "funding_by_chairmanship",
        [_col("chairmanship")],
        report.funding_by_chairmanship,
        base,
        lambda r: {"chairmanship": r.label},
    )
    # One government's money spans currencies per chairmanship; only converted sums are shown.
    money.columns = [c for c in money.columns if c.kind != "money" and c.key != "currency"]
    ledger = _table(
        "pledges", _pledge_columns(base, chairmanship=True), _pledge_rows(report.pledges)
    )
    payments = _table(
        "payments",
        [
            _col("id", "int", screen=False),
            _col("pledge", "int", link=("pledges.detail", "pledge_id", "pledge")),
            _col("chairmanship"),
            _col("received_on", "date"),
            _col("currency"),
            _col("amount", "money"),
            _col("rate_to_base", "rate", base),
            _col("amount_base", "base", base),
            _col("reference"),
        ],
        [
            {
                "id": p.id,
                "pledge": p.pledge_id,
                "chairmanship": p.chairmanship,
                "received_on": p.received_on,
                "currency": p.currency,
                "amount": p.amount,
                "rate_to_base": p.rate_to_base,
                "amount_base": p.amount_base,
                "reference": p.reference,
                "unconverted": p.rate_to_base is None,
            }
            for p in report.payments
        ],
    )
    drawn = []
    if with_charts and report.funding_by_chairmanship:
        rows = report.funding_by_chairmanship
        drawn.append(
            _chart(
                "government_money",
                [r.label for r in rows],
                [
                    Series(labels.SERIES[key], [getattr(r, key) for r in rows])
                    for key in ("pledged_base", "received_base")
                ],
                base=base,
                unit=base,
            )
        )
    rules = {
        key: text.format(base=base, count=LARGEST_DONORS) for key, text in labels.RULES.items()
    }
    return Document(
        report="government",
        title=f"{labels.REPORT_TITLES['government']}: {government.name}",
        subject=government.name,
        generated_on=report.generated_on,
        base_currency=base,
        facts=[
            (labels.FACTS["government"], government.name),
            (labels.FACTS["iso3"], government.iso3),
            (labels.FACTS["base_currency"], base),
            (labels.FACTS["generated_on"], formatting.day(report.generated_on)),
        ],
        rules=[rules[k] for k in ("rollup", "overdue", "money", "stages", "unconverted")],
        sections=[
            Section("summary", labels.SECTIONS["summary"], tables=[summary]),
            Section("roles", labels.SECTIONS["roles"], tables=[chaired, roundtables, teams]),
            Section(
                "deliverables",
                labels.SECTIONS["deliverables"],
                notes=[rules["rollup"], rules["overdue"]],
                tables=[
                    by_chairmanship,
                    _deliverable_table("deliverables", report.deliverables, True),
                ],
            ),
            Section(
                "funding",
                labels.SECTIONS["funding"],
                notes=[rules["money"], rules["stages"], rules["unconverted"]],
                charts=drawn,
                tables=[money, ledger, payments],
            ),
        ],
        filename=_filename("government", government.iso3.lower(), report.generated_on),
    )


def handover_document(report: reports.HandoverReport, with_charts: bool) -> Document:
    """The handover pack as a document: one page, or a PDF and a workbook to hand over."""
    base = report.base_currency
    info = report.chairmanship
    balances, budget = report.balances, report.budget
    summary = _summary(
        [
            ("opening_balance", balances.opening_balance, base),
            ("received_base", balances.received_base, base),
            ("in_hand_base", balances.in_hand_base, base),
            ("outstanding_base", balances.outstanding_base, base),
            ("requirements", budget.totals.requirements, base),
            ("coverage", budget.totals.coverage, "percent"),
            ("gap", budget.totals.gap, base),
            ("open_pledges", len(report.open_pledges), "count"),
            ("open_instalments", len(report.instalments), "count"),
            ("open_deliverables", len(report.open_deliverables), "count"),
            ("unconverted", len(report.unconverted), "count"),
        ]
    )
    instalments = _table(
        "instalments",
        [
            Column(
                "pledge_id",
                labels.COLUMNS["pledge"],
                "int",
                link=("pledges.detail", "pledge_id", "pledge_id"),
            ),
            _col("donor"),
            _col("due_on", "date"),
            _col("state"),
            _col("currency"),
            _col("amount", "money"),
            _col("amount_base", "base", base),
        ],
        [
            {
                "pledge_id": line.pledge_id,
                "donor": line.donor,
                "due_on": line.due_on,
                "state": labels.INSTALMENT_STATES[line.state],
                "currency": line.currency,
                "amount": line.amount,
                "amount_base": line.amount_base,
            }
            for line in report.instalments
        ],
        labels.EMPTY["instalments"],
    )
    rules = [
        labels.RULES[key].format(base=base)
        for key in ("handover", "money", "unconverted", "budget")
    ]
    facts = [
        (labels.FACTS["chair"], ", ".join(info.chairs) or "—"),
        (
            labels.FACTS["term"],
            f"{formatting.day(info.starts_on)} – {formatting.day(info.ends_on)}",
        ),
        (labels.FACTS["next_chairmanship"], report.next_chairmanship or "—"),
        (labels.FACTS["base_currency"], base),
        (labels.FACTS["generated_on"], formatting.day(report.generated_on)),
    ]
    return Document(
        report="handover",
        title=f"{labels.REPORT_TITLES['handover']}: {info.label}",
        subject=info.label,
        generated_on=report.generated_on,
        base_currency=base,
        facts=facts,
        rules=rules,
        sections=[
            Section("summary", labels.SECTIONS["balances"], notes=[rules[0]], tables=[summary]),
            Section(
                "budget",
                labels.SECTIONS["budget"],
                notes=[rules[3]],
                tables=[_budget_table(budget, base)],
            ),
            Section(
                "open_money",
                labels.SECTIONS["open_money"],
                notes=[rules[1]],
                tables=[
                    _table(
                        "open_pledges",
                        _pledge_columns(base),
                        _pledge_rows(report.open_pledges),
                        labels.EMPTY["open_pledges"],
                    ),
                    instalments,
                ],
            ),
            Section(
                "open_work",
                labels.SECTIONS["open_work"],
                tables=[_deliverable_table("open_deliverables", report.open_deliverables)],
            ),
            Section(
                "unconverted",
                labels.SECTIONS["unconverted"],
                notes=[rules[2]],
                tables=[_unconverted_table(report.unconverted, base)],
            ),
        ],
        filename=_filename("handover", slug(info.label) or str(info.id), report.generated_on),
    )
