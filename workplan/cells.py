"""Cells of CSV files and spreadsheets: text a spreadsheet shows, never runs as a formula."""

import csv
import re
from datetime import date
from decimal import Decimal

# A spreadsheet reads a cell starting with one of these as a formula (or, for tab and carriage
# return, strips them and then does): OWASP's CSV injection advice.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


# A ";" then a formula sign: where a spreadsheet splits on ";" (French and Spanish settings),
# quotes no longer line up with cells, and the text after the ";" would start a cell of its own.
_SEMICOLON_FORMULA = re.compile(r";(\s*)(?=[=+\-@])")


def safe_text(text: str) -> str:
    """Text a spreadsheet will never run: a leading quote before a formula sign."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_writer(out):
    """A CSV writer that quotes every text cell and no number (RFC 4180, CRLF).

    Quoted, "Plan;=1+2" is one cell for any reader that splits on ","; `csv_value` also puts a
    quote after any ";" that a formula sign follows ("Plan;'=1+2"), for the readers that split
    on ";" (French and Spanish Excel and LibreOffice), where quotes no longer line up with cells.
    """
    return csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_NONNUMERIC)


def csv_value(value) -> int | Decimal | str:
    """One CSV field: numbers as they are (left bare by `csv_writer`), text made safe, dates in
    ISO 8601."""
    # The type decides, not the first character: a negative amount is a number, never a formula.
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | Decimal):
        return value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        value = "; ".join(str(item) for item in value)
    return _SEMICOLON_FORMULA.sub(r";\1'", safe_text(str(value)))
