"""Cells of CSV files and spreadsheets: text a spreadsheet shows, never runs as a formula."""

from datetime import date
from decimal import Decimal

# A spreadsheet reads a cell starting with one of these as a formula (or, for tab and carriage
# return, strips them and then does): OWASP's CSV injection advice.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_text(text: str) -> str:
    """Text a spreadsheet will never run: a leading quote before a formula sign."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_value(value) -> str:
    """One CSV field: numbers as they are, text made safe, dates in ISO 8601."""
    # The type decides, not the first character: a negative amount is a number, never a formula.
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        value = "; ".join(str(item) for item in value)
    return safe_text(str(value))
