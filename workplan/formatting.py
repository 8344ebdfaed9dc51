"""How dates, instants, money and statuses are written on pages."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

STATUS_LABELS = {
    "planned": "Planned",
    "in_progress": "In progress",
    "at_risk": "At risk",
    "completed": "Completed",
    "dropped": "Dropped",
    "carried_over": "Carried over",
    "draft": "Draft",
    "published": "Published",
    "cancelled": "Cancelled",
    "pledged": "Pledged",
    "committed": "Committed",
    "paid": "Paid",
}
KIND_LABELS = {
    "roundtable_session": "Roundtable session",
    "preparatory": "Preparatory meeting",
    "steering_group": "Steering Group",
    "friends_of_the_forum": "Friends of the Forum",
    "troika": "Troika",
    "summit": "Summit",
    "civil_society_days": "Civil Society Days",
    "other": "Other",
    "cash": "Cash",
    "in_kind": "In kind",
    "general": "General budget",
    "roundtable": "Roundtable",
    "activity": "Named activity",
    "secretariat": "Secretariat",
    "focal_point": "Focal point",
    "member": "Member",
}


def day(value: date | datetime | None) -> str:
    """A date as delegates write it: 9 July 2007."""
    if value is None:
        return "—"
    return f"{value.day} {value:%B %Y}"


def local_time(value: datetime | None, zone: str | None = None) -> str:
    """An instant in a time zone (UTC when none is given), with the zone's abbreviation."""
    if value is None:
        return "—"
    moment = value.astimezone(ZoneInfo(zone)) if zone else value
    return f"{moment.day} {moment:%b %Y, %H:%M} {moment.tzname()}"


def clock(value: datetime, zone: str | None = None) -> str:
    """Only the time of day, in a time zone."""
    moment = value.astimezone(ZoneInfo(zone)) if zone else value
    return f"{moment:%H:%M}"


def money(amount: Decimal | None, currency: str = "") -> str:
    """An amount with thousands separators and its currency code beside it."""
    if amount is None:
        return "—"
    return f"{amount:,.2f} {currency}".strip()


def status(value: str | None) -> str:
    """A status in words."""
    return STATUS_LABELS.get(value or "", value or "—")


def kind(value: str | None) -> str:
    """A kind or role in words."""
    return KIND_LABELS.get(value or "", (value or "—").replace("_", " ").capitalize())


def duration(minutes: int) -> str:
    """Minutes as hours and minutes: 1 h 30 min."""
    hours, rest = divmod(int(minutes), 60)
    if hours and rest:
        return f"{hours} h {rest} min"
    return f"{hours} h" if hours else f"{rest} min"


FILTERS = {
    "day": day,
    "local_time": local_time,
    "clock": clock,
    "money": money,
    "status": status,
    "kind": kind,
    "duration": duration,
}
