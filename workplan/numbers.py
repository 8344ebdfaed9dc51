"""Whole numbers that people and browsers send: read once, the same way, for every view.

Python's int() also takes " 7", "1_000" and "٣", and raises ValueError beyond 4,300 digits; a
browser never sends those, so a view that calls int() on a form or query value either accepts
what it should not or answers 500. Every view reads such values through these functions.
"""

import re

# The largest value of an INTEGER column (ids, versions, years) on PostgreSQL; SQLite's
# ids stay far below it too.
MAX_INTEGER = 2**31 - 1
# Plain ASCII digits with an optional minus sign. Thirty digits are more than any bound here
# needs, and few enough that int() is instant.
_WHOLE = re.compile(r"-?[0-9]{1,30}")


def whole_number(raw: object) -> int | None:
    """An integer written in plain ASCII digits (or already an int, as JSON gives), else None."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw
    if isinstance(raw, str) and _WHOLE.fullmatch(raw):
        return int(raw)
    return None


def bounded(raw: object, minimum: int = 0, maximum: int = MAX_INTEGER) -> int | None:
    """A whole number from `minimum` to `maximum`, else None."""
    value = whole_number(raw)
    if value is None or not minimum <= value <= maximum:
        return None
    return value


def record_id(raw: object) -> int | None:
    """A record's id as a form or query sends it (surrounding spaces allowed), else None."""
    if isinstance(raw, str):
        raw = raw.strip()
    return bounded(raw, minimum=1)
