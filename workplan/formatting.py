"""How dates, instants, money and statuses are written on pages, in the reader's language."""

from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time
from babel.numbers import format_decimal, format_percent
from babel.units import format_unit
from flask import has_request_context
from flask_babel import get_locale, gettext
from flask_babel.speaklater import LazyString
from markupsafe import Markup, escape

from workplan import countries


class LazyText(LazyString):
    """Words translated when they are shown, escaped in a page like any other text.

    Flask-Babel's LazyString gives itself to Markup as it is, so "Venue's time zone" would
    reach the page unescaped where the same str is written "Venue&#39;s time zone".
    """

    def __html__(self) -> Markup:
        return escape(str(self))


def lazy_gettext(string: str, **variables) -> LazyText:
    """gettext, worded when shown: for labels and messages fixed at import time."""
    return LazyText(gettext, string, **variables)


_l = lazy_gettext

STATUS_LABELS = {
    "planned": _l("Planned"),
    "in_progress": _l("In progress"),
    "at_risk": _l("At risk"),
    "completed": _l("Completed"),
    "dropped": _l("Dropped"),
    "carried_over": _l("Carried over"),
    "draft": _l("Draft"),
    "published": _l("Published"),
    "cancelled": _l("Cancelled"),
    "pledged": _l("Pledged"),
    "committed": _l("Committed"),
    "paid": _l("Paid"),
    # Minutes.
    "circulated": _l("Circulated for comment"),
    "approved": _l("Approved"),
    # Commitments.
    "on_track": _l("On track"),
    "delayed": _l("Delayed"),
    "achieved": _l("Achieved"),
    "withdrawn": _l("Withdrawn"),
    # Offers.
    "pending": _l("Awaiting an answer"),
    "accepted": _l("Accepted"),
    "declined": _l("Declined"),
    # Practices.
    "submitted": _l("Submitted for review"),
    "returned": _l("Returned to its authors"),
}
# The SDG targets practices serve, in short words (the official texts are long).
SDG_TARGET_LABELS = {
    "3.c": _l("3.c Health workforce"),
    "4.b": _l("4.b Scholarships"),
    "5.2": _l("5.2 Violence against women and girls, trafficking"),
    "8.7": _l("8.7 Forced labour and trafficking"),
    "8.8": _l("8.8 Labour rights of migrant workers"),
    "10.7": _l("10.7 Orderly, safe, regular migration"),
    "10.c": _l("10.c Cost of remittances"),
    "16.2": _l("16.2 Trafficking of children"),
    "16.9": _l("16.9 Legal identity for all"),
    "17.18": _l("17.18 Data by migratory status"),
}
KIND_LABELS = {
    "roundtable_session": _l("Roundtable session"),
    "preparatory": _l("Preparatory meeting"),
    "steering_group": _l("Steering Group"),
    "friends_of_the_forum": _l("Friends of the Forum"),
    "troika": _l("Troika"),
    "summit": _l("Summit"),
    "civil_society_days": _l("Civil Society Days"),
    "thematic": _l("Thematic meeting"),
    "pledging": _l("Pledging meeting"),
    "platform_for_partnerships": _l("Platform for Partnerships session"),
    "common_space": _l("Common Space"),
    "other": _l("Other"),
    # Kinds of offer.
    "co_chair": _l("To co-chair a roundtable"),
    "team": _l("To join a government team"),
    "theme": _l("A theme proposed"),
    "cash": _l("Cash"),
    "in_kind": _l("In kind"),
    "general": _l("General budget"),
    "roundtable": _l("Roundtable"),
    "activity": _l("Named activity"),
    "secretariat": _l("Secretariat"),
    "focal_point": _l("Focal point"),
    "member": _l("Member"),
    # Kinds of organisation.
    "observer": _l("Observer"),
    "un_agency": _l("UN agency"),
    "regional_body": _l("Regional body"),
    "foundation": _l("Foundation"),
    "civil_society": _l("Civil society"),
    # Kinds of document.
    "concept_note": _l("Concept note"),
    "background_paper": _l("Background paper"),
    "agenda": _l("Agenda"),
    "presentation": _l("Presentation"),
    "report": _l("Report"),
    "chairs_summary": _l("Chair's summary"),
    # Sessions of a meeting's programme.
    "plenary": _l("Plenary"),
    "parallel": _l("Parallel session"),
    "break": _l("Break"),
    # What a meeting recorded.
    "decision": _l("Decision"),
    "action": _l("Action item"),
    # Who may read a document.
    "public": _l("Public"),
    "members": _l("Members of the forum"),
}
# English keeps the forum's own style (9 July 2007); French and Spanish use their long form.
_DAY_PATTERNS = {"en": "d MMMM y"}


def locale() -> str:
    """The reader's language; English outside a request (commands, cached feeds)."""
    if has_request_context():
        chosen = get_locale()
        if chosen is not None:
            return str(chosen)
    return "en"


def day(value: date | datetime | None) -> str:
    """A date as delegates write it: 9 July 2007, 9 juillet 2007, 9 de julio de 2007."""
    if value is None:
        return "—"
    language = locale()
    return format_date(value, _DAY_PATTERNS.get(language, "long"), locale=language)


def month(value: date | datetime) -> str:
    """A month and its year, as a calendar's heading: November 2026, novembre 2026."""
    return format_date(value, "LLLL y", locale=locale())


def weekday(value: date | datetime) -> str:
    """The short name of a day of the week: Mon, lun., lun."""
    return format_date(value, "EEE", locale=locale())


def local_time(value: datetime | None, zone: str | None = None) -> str:
    """An instant in a time zone (UTC when none is given), with the zone's abbreviation."""
    if value is None:
        return "—"
    moment = value.astimezone(ZoneInfo(zone)) if zone else value
    language = locale()
    when = format_date(moment, "d MMM y", locale=language)
    return f"{when}, {format_time(moment, 'HH:mm', locale=language)} {moment.tzname()}"


def clock(value: datetime, zone: str | None = None) -> str:
    """Only the time of day, in a time zone."""
    moment = value.astimezone(ZoneInfo(zone)) if zone else value
    return f"{moment:%H:%M}"


def money(amount: Decimal | None, currency: str = "") -> str:
    """An amount with the reader's separators and its currency code beside it."""
    if amount is None:
        return "—"
    number = _amount(amount, locale())
    return f"{number} {currency}".strip()


MONEY_PATTERN = "#,##0.00"


@lru_cache(maxsize=16)
def _separators(language: str) -> tuple[str, str, bool]:
    """The language's group and decimal separators, and whether 4-digit amounts are grouped,
    read once from Babel's own formatting (Spanish writes 1234,50 but 12.345,50)."""
    sample = format_decimal(Decimal("1234567.25"), MONEY_PATTERN, locale=language)
    four_digits = format_decimal(Decimal("1234.25"), MONEY_PATTERN, locale=language)
    return sample[1], sample[-3], len(four_digits) > len("1234.25")


def _amount(amount: Decimal, language: str) -> str:
    """format_decimal(amount, MONEY_PATTERN), without parsing the pattern every time: a report
    writes a thousand amounts, and Babel's general path costs 60 µs each."""
    group, decimal, groups_four = _separators(language)
    grouped = groups_four or abs(amount) >= 10_000
    text = f"{amount:,.2f}" if grouped else f"{amount:.2f}"
    return text.translate({ord(","): group, ord("."): decimal})


def status(value: str | None) -> str:
    """A status in words."""
    return str(STATUS_LABELS.get(value or "", value or "—"))


def sdg_target(code: str) -> str:
    """An SDG target, its code and its subject."""
    return str(SDG_TARGET_LABELS.get(code, code))


def kind(value: str | None) -> str:
    """A kind or role in words."""
    label = KIND_LABELS.get(value or "")
    return str(label) if label else (value or "—").replace("_", " ").capitalize()


def lazy_status(value: str | None) -> LazyText:
    """status(), worded when shown: for labels fixed at import time, such as form choices."""
    return LazyText(status, value)


def lazy_kind(value: str | None) -> LazyText:
    """kind(), worded when shown: for labels fixed at import time, such as form choices."""
    return LazyText(kind, value)


def filesize(size: int) -> str:
    """A file's size as its reader writes it: 1.2 MB, 1,2 Mo, 340 kB (never fewer than 0.1 kB,
    so no language needs a plural of "byte")."""
    if size >= 1000**2:
        return format_unit(
            round(size / 1000**2, 1), "digital-megabyte", length="short", locale=locale()
        )
    kilobytes = max(size / 1000, 0.1)
    kilobytes = round(kilobytes, 1) if kilobytes < 10 else round(kilobytes)
    return format_unit(kilobytes, "digital-kilobyte", length="short", locale=locale())


def percent(value: int | Decimal | None) -> str:
    """A percentage (0 to 100) the reader's way: 40.9%, 40,9 %, 40,9 %."""
    if value is None:
        return "—"
    return format_percent(Decimal(value) / 100, locale=locale(), decimal_quantization=False)


def number(value: int | Decimal) -> str:
    """A number with the reader's decimal sign: 40.9, 40,9."""
    return format_decimal(value, locale=locale())


def rate(value: Decimal) -> str:
    """An exchange rate with every decimal it has, the reader's way: 0.0077, 0,0077."""
    return format_decimal(value.normalize(), locale=locale(), decimal_quantization=False)


def duration(minutes: int) -> str:
    """Minutes as hours and minutes: 1 h 30 min."""
    hours, rest = divmod(int(minutes), 60)
    if hours and rest:
        return f"{hours} h {rest} min"
    return f"{hours} h" if hours else f"{rest} min"


def shown(record, name: str) -> str | None:
    """A text entered in several languages (a roundtable's title, a chairmanship's theme), in
    the reader's language where it was given, else as entered."""
    return record.in_language(name, locale())


def party_name(party) -> str:
    """A government's name in the reader's language (CLDR, workplan.countries); an
    organisation's own name."""
    iso3 = getattr(party, "iso3", None)
    return countries.local_name(iso3, party.name, locale()) if iso3 else party.name


FILTERS = {
    "party_name": party_name,
    "shown": shown,
    "meeting_title": lambda meeting: meeting.display_title_in(locale()),
    "day": day,
    "month": month,
    "weekday": weekday,
    "local_time": local_time,
    "clock": clock,
    "money": money,
    "status": status,
    "kind": kind,
    "sdg_target": sdg_target,
    "duration": duration,
    "percent": percent,
    "filesize": filesize,
    "number": number,
    "rate": rate,
}
