"""The one reader of whole numbers that every view uses (workplan.numbers)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workplan.numbers import MAX_INTEGER, bounded, record_id, whole_number


@given(st.integers(min_value=-(10**29), max_value=10**29))
def test_every_integer_written_in_digits_reads_back(number):
    """What str() writes, whole_number reads, sign included."""
    assert whole_number(str(number)) == number


@pytest.mark.parametrize(
    "text",
    ["", " 7", "7 ", "+7", "1_000", "٣", "²", "7.0", "1e3", "0x1f", "9" * 31, "9" * 5000, "--1"],
)
def test_what_a_browser_never_sends_is_not_a_number(text):
    """int() would read several of these, or raise on the longest; none is a whole number here."""
    assert whole_number(text) is None


def test_json_integers_pass_and_booleans_do_not():
    """JSON gives ints already; True is an int to Python but never an id."""
    assert whole_number(12) == 12
    assert whole_number(True) is None
    assert whole_number(None) is None
    assert whole_number(1.0) is None


def test_bounds():
    """Out of range is None, so a view answers 400 instead of overflowing the database."""
    assert bounded("0") == 0
    assert bounded("-1") is None
    assert bounded(str(MAX_INTEGER)) == MAX_INTEGER
    assert bounded(str(MAX_INTEGER + 1)) is None
    assert bounded("5", minimum=6) is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("12", 12), (" 12 ", 12), ("0", None), ("-3", None), (str(2**31), None), ("None", None)],
)
def test_record_ids(raw, expected):
    """Ids start at 1 and stay within an INTEGER column; a form's blank "None" is no id."""
    assert record_id(raw) == expected
