"""A report written as CSV, an Excel workbook, a PDF or JSON.

CSV and the workbook are drawn from the Document's tables, the PDF from the Document as a
whole, JSON from the report itself: each is a different view of the same numbers.
"""

import dataclasses
import io
import json
from datetime import date, datetime
from decimal import Decimal

from flask import render_template
from markupsafe import Markup
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from workplan.cells import FORMULA_STARTS, csv_value, csv_writer
from workplan.reports import labels, pdf
from workplan.reports.documents import Column, Document, display

MIMETYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
    "json": "application/json",
}
JSON_FORMAT_VERSION = 1
SHEET_NAME_LENGTH = 31


def to_csv(document: Document) -> bytes:
    """One RFC 4180 file: a `section` column names the table each row belongs to.

    The header is the union of every table's column keys, in order of first appearance; a
    row fills the columns of its own table and leaves the others empty.
    """
    header: list[str] = ["section"]
    for table in document.tables:
        header.extend(c.key for c in table.columns if c.key not in header)
    buffer = io.StringIO(newline="")
    writer = csv_writer(buffer)
    writer.writerow(header)
    for table in document.tables:
        keys = {column.key for column in table.columns}
        for row in table.rows:
            writer.writerow(
                [table.key] + [csv_value(row.get(key)) if key in keys else "" for key in header[1:]]
            )
    return buffer.getvalue().encode("utf-8")


def _money_format(currency: str | None) -> str:
    """An Excel number format with the currency code beside the amount."""
    if not currency:
        return "#,##0.00"
    return f'#,##0.00 "{currency}"'


def _write_cell(sheet, row: int, col: int, column: Column, values: dict, base: str):
    """Write one value with the type and number format its column calls for."""
    value = values.get(column.key)
    kind = column.kind
    if kind == "auto":
        kind = {"percent": "percent", "count": "int", "date": "date"}.get(
            values.get("unit"), "base"
        )
    cell = sheet.cell(row=row, column=col)
    if value is None or value == "":
        return cell
    if kind in ("money", "base"):
        cell.value = value
        currency = base if kind == "base" else values.get(column.currency_key)
        cell.number_format = _money_format(currency)
    elif kind == "percent":
        # Excel's percent format multiplies by 100: store the fraction.
        cell.value = value / 100
        cell.number_format = "0.0%"
    elif kind == "rate":
        cell.value = value
        cell.number_format = "0.00000000"
    elif kind == "date":
        cell.value = value
        cell.number_format = "yyyy-mm-dd"
    elif (
        kind in ("int", "year") or isinstance(value, int | Decimal) and not isinstance(value, bool)
    ):
        cell.value = value
    else:
        text = display(values, column, base) if kind != "text" else str(value)
        text = ILLEGAL_CHARACTERS_RE.sub("", text)
        cell.value = text
        # openpyxl would store text that starts with "=" as a formula: force a text cell, and
        # mark a risky start with Excel's own quote prefix so an edit keeps it text.
        cell.data_type = "s"
        if text.startswith(FORMULA_STARTS):
            cell.quotePrefix = True
    return cell


def _sheet_name(name: str, taken: set[str]) -> str:
    """A unique sheet name within Excel's 31 characters and without its forbidden signs."""
    clean = "".join("-" if char in "[]:*?/\\" else char for char in name)[:SHEET_NAME_LENGTH]
    candidate, number = clean, 2
    while candidate.lower() in taken:
        suffix = f" ({number})"
        candidate = clean[: SHEET_NAME_LENGTH - len(suffix)] + suffix
        number += 1
    taken.add(candidate.lower())
    return candidate


def to_xlsx(document: Document) -> bytes:
    """A workbook: a first sheet about the report, then one sheet per table."""
    workbook = Workbook()
    about = workbook.active
    about.title = _sheet_name(labels.PAGE["about_sheet"], set())
    bold = Font(bold=True)
    about.cell(row=1, column=1, value=ILLEGAL_CHARACTERS_RE.sub("", document.title)).font = Font(
        bold=True, size=14
    )
    about.cell(row=1, column=1).data_type = "s"
    line = 3
    for label, value in document.facts:
        about.cell(row=line, column=1, value=label).font = bold
        cell = about.cell(row=line, column=2, value=ILLEGAL_CHARACTERS_RE.sub("", value))
        cell.data_type = "s"
        if value.startswith(FORMULA_STARTS):
            cell.quotePrefix = True
        line += 1
    line += 1
    about.cell(row=line, column=1, value=labels.PAGE["rules"]).font = bold
    for rule in document.rules:
        line += 1
        about.cell(row=line, column=1, value=rule).alignment = Alignment(wrap_text=True)
        about.merge_cells(start_row=line, start_column=1, end_row=line, end_column=6)
        about.row_dimensions[line].height = 45
    about.column_dimensions["A"].width = 28
    about.column_dimensions["B"].width = 40
    taken = {about.title.lower()}
    for table in document.tables:
        sheet = workbook.create_sheet(_sheet_name(table.sheet, taken))
        for col, column in enumerate(table.columns, start=1):
            cell = sheet.cell(row=1, column=col, value=column.label)
            cell.font = bold
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            width = max(len(column.label), 10)
            for values in table.rows[:200]:
                width = max(width, len(display(values, column, document.base_currency)))
            sheet.column_dimensions[get_column_letter(col)].width = min(width + 2, 60)
        for line, values in enumerate(table.rows, start=2):
            for col, column in enumerate(table.columns, start=1):
                _write_cell(sheet, line, col, column, values, document.base_currency)
        sheet.freeze_panes = "A2"
        if table.rows:
            sheet.auto_filter.ref = sheet.dimensions
    workbook.properties.title = document.title
    workbook.properties.creator = "GFMD work plan"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def css_text(text: str) -> Markup:
    """Text safe inside a CSS string in the PDF's style block."""
    escaped = "".join(
        char if char.isalnum() or char in " .,;:!?()%/-" else f"\\{ord(char):x} " for char in text
    )
    return Markup(escaped)  # noqa: S704  (every other character is a CSS escape)


def to_pdf(document: Document) -> bytes:
    """An A4 PDF with page numbers, a running header and the charts."""
    html = render_template(
        "reports/pdf/report.html",
        document=document,
        cell=display,
        labels=labels,
        css_text=css_text,
    )
    return pdf.draw_pdf(html)


def _jsonable(value):
    """Decimals as strings (exact), dates as ISO 8601, the rest as JSON has it."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    return value


def to_json(report) -> bytes:
    """The report's own fields, documented in docs/reports.md."""
    payload = {
        "format_version": JSON_FORMAT_VERSION,
        "report": report.report,
        **dataclasses.asdict(report),
    }
    return json.dumps(_jsonable(payload), ensure_ascii=False, indent=2).encode("utf-8")
