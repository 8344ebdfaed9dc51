"""Checks every rule shares: typed text trimmed and bounded, plausible years, web addresses,
time zones and currencies, and the refusal to archive a record others still belong to."""

import re
from functools import lru_cache
from urllib.parse import urlsplit
from zoneinfo import available_timezones

import pycountry
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select

from workplan.extensions import db
from workplan.services import DomainError

FIRST_PLAUSIBLE_YEAR, LAST_PLAUSIBLE_YEAR = 2000, 2100


def text(value: str | None) -> str | None:
    """Trimmed text, or None when nothing was typed."""
    value = (value or "").strip()
    return value or None


# Characters no database, XML file (a Word export) or calendar keeps as typed: C0 controls
# other than tab and line breaks.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _storable(value: str | None, field: str, limit: int | None) -> str | None:
    """Trimmed text that fits its column and that every database stores as typed: a NUL
    character is refused by PostgreSQL and ends the text early for SQLite's own functions."""
    value = text(value)
    if value is None:
        return None
    if _CONTROL.search(value):
        raise DomainError(
            _(
                "This text holds an invisible control character, which cannot be kept. "
                "Type it again."
            ),
            field,
        )
    if limit is not None and len(value) > limit:
        raise DomainError(_("Keep this under %(limit)s characters.", limit=limit), field)
    return value


def required(value: str | None, message: str, field: str, limit: int) -> str:
    """Trimmed text that must be present, storable and fit its column."""
    value = _storable(value, field, limit)
    if value is None:
        raise DomainError(message, field)
    return value


def limited(value: str | None, field: str, limit: int) -> str | None:
    """Optional trimmed text that must be storable and fit its column."""
    return _storable(value, field, limit)


TRANSLATED_INTO = ("fr", "es")


def translations(typed: dict[str, str | None], limits: dict[str, int | None]) -> dict:
    """The French and Spanish versions of texts (title_fr, description_es...), trimmed, empty
    ones kept as None so the original shows, each within its column's limit (None: unbounded)."""
    values = {}
    for name, limit in limits.items():
        for language in TRANSLATED_INTO:
            key = f"{name}_{language}"
            values[key] = _storable(typed.get(key), key, limit)
    return values


def plausible_year(year: int | None, field: str, first: int = FIRST_PLAUSIBLE_YEAR) -> int:
    """A year the forum could plan for (or, with an earlier `first`, measure in), or a refusal
    at the field."""
    if year is None or not first <= year <= LAST_PLAUSIBLE_YEAR:
        raise DomainError(
            _(
                "Give a year between %(first)s and %(last)s.",
                first=first,
                last=LAST_PLAUSIBLE_YEAR,
            ),
            field,
        )
    return year


def count_where(model, *where) -> int:
    """How many records of a model match the conditions."""
    return db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0


_COUNTED = {
    "objective": lambda n: ngettext("%(num)d objective", "%(num)d objectives", n),
    "roundtable": lambda n: ngettext("%(num)d roundtable", "%(num)d roundtables", n),
    "meeting": lambda n: ngettext("%(num)d meeting", "%(num)d meetings", n),
    "deliverable": lambda n: ngettext("%(num)d deliverable", "%(num)d deliverables", n),
    "pledge": lambda n: ngettext("%(num)d pledge", "%(num)d pledges", n),
    "earmarked pledge": lambda n: ngettext(
        "%(num)d earmarked pledge", "%(num)d earmarked pledges", n
    ),
}


def _counted(count: int, noun: str) -> str:
    """A number of records in words, such as 1 meeting or 2 deliverables (each noun has its
    own translated plural, so a new kind of record needs its line in _COUNTED)."""
    return _COUNTED[noun](count)


def refuse_archive_while_used(name: str, record_id: int, uses: list[tuple]) -> None:
    """Refuse to hide a record that live records still belong to.

    ``uses`` pairs each column pointing at the record with the noun counting what it holds,
    such as (Meeting.team_id, "meeting").
    """
    counts = [
        (count_where(column.class_, column == record_id, column.class_.archived_at.is_(None)), noun)
        for column, noun in uses
    ]
    listed = [_counted(count, noun) for count, noun in counts if count]
    if listed:
        words = listed[0]
        if len(listed) > 1:
            words = _("%(items)s and %(last)s", items=", ".join(listed[:-1]), last=listed[-1])
        raise DomainError(
            _(
                "%(name)s still has %(words)s. Archive or move them first, so nothing "
                "is left pointing at a hidden record.",
                name=name,
                words=words,
            )
        )


def is_http_url(value: str) -> bool:
    """Whether a link is an http or https address with a host (never javascript:, data:...)."""
    try:
        parts = urlsplit(value.strip())
    except ValueError:  # for example an unclosed IPv6 bracket: not a usable address either
        return False
    return parts.scheme in ("http", "https") and bool(parts.netloc)


@lru_cache(maxsize=1)
def time_zones() -> frozenset[str]:
    """Every IANA time zone name this machine knows."""
    return frozenset(available_timezones())


@lru_cache(maxsize=1)
def currency_codes() -> frozenset[str]:
    """Every ISO 4217 currency code."""
    return frozenset(c.alpha_3 for c in pycountry.currencies)
