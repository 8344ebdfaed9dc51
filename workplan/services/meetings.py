"""A meeting's life after it is created: publish, cancel, reschedule and move.

Every change of time, place or state raises the meeting's SEQUENCE, so calendar clients that
already hold the event replace it instead of keeping the old copy. Nothing here commits.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload, selectinload

from workplan.extensions import db
from workplan.models import Meeting
from workplan.models.meeting import VISIBLE_STATES
from workplan.services import DomainError, flush_or_stale
from workplan.services.checks import time_zones

# Longer than any summit; a longer span is almost always a mistyped date.
MAX_MEETING_LENGTH = timedelta(days=31)
VENUE_MAX, CITY_MAX, ONLINE_URL_MAX = 300, 120, 500


def check_timezone(name: str) -> str:
    """The zone name, or a DomainError when it is not an IANA zone."""
    name = (name or "").strip()
    if name not in time_zones():
        raise DomainError(
            _(
                "“%(name)s” is not a time zone name; use one such as Europe/Zurich.",
                name=name[:64],
            ),
            field="timezone",
        )
    return name


def venue_instant(local: datetime, timezone: str) -> datetime:
    """The instant a wall-clock time at the venue names; refused if the clocks skip or repeat it."""
    zone = ZoneInfo(check_timezone(timezone))
    if local.tzinfo is not None:
        return local.astimezone(UTC)
    first, second = local.replace(tzinfo=zone, fold=0), local.replace(tzinfo=zone, fold=1)
    when = f"{local:%d %b %Y %H:%M}"
    if first.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != local:
        raise DomainError(
            _(
                "%(when)s does not exist in %(zone)s: the clocks go forward then.",
                when=when,
                zone=timezone,
            ),
            field="starts_at",
        )
    if first.utcoffset() != second.utcoffset():
        raise DomainError(
            _(
                "%(when)s happens twice in %(zone)s: the clocks go back then. Choose another time.",
                when=when,
                zone=timezone,
            ),
            field="starts_at",
        )
    return first.astimezone(UTC)


def _revise(meeting: Meeting) -> None:
    """Raise the SEQUENCE calendars compare, and write the change (or refuse it if stale)."""
    meeting.sequence = (meeting.sequence or 0) + 1
    flush_or_stale(meeting)


def publish(meeting: Meeting) -> None:
    """Make a draft, or a cancelled meeting that will happen after all, visible to everyone."""
    if meeting.archived_at is not None:
        raise DomainError(_("Restore this meeting from the archive before publishing it."))
    if meeting.state == "published":
        raise DomainError(_("This meeting is already published."))
    meeting.state = "published"
    _revise(meeting)


def cancel(meeting: Meeting) -> None:
    """Call off a published meeting; it stays in every feed, marked cancelled."""
    if meeting.state == "draft":
        # Nobody outside the secretariat has seen a draft: there is nothing to call off.
        raise DomainError(
            _("A draft was never announced, so there is nothing to cancel. Edit or archive it.")
        )
    if meeting.state == "cancelled":
        raise DomainError(_("This meeting is already cancelled."))
    meeting.state = "cancelled"
    _revise(meeting)


def reschedule(meeting: Meeting, starts_at: datetime, ends_at: datetime, timezone: str) -> None:
    """Move a meeting in time; the instants are aware, the zone is the venue's."""
    timezone = check_timezone(timezone)
    for value, field in ((starts_at, "starts_at"), (ends_at, "ends_at")):
        if not isinstance(value, datetime) or value.tzinfo is None:
            raise DomainError(_("Give the time with its time zone."), field=field)
    starts_at, ends_at = starts_at.astimezone(UTC), ends_at.astimezone(UTC)
    if ends_at <= starts_at:
        raise DomainError(_("The meeting must end after it starts."), field="ends_at")
    if ends_at - starts_at > MAX_MEETING_LENGTH:
        raise DomainError(
            _(
                "A meeting lasts at most %(days)s days; check the dates.",
                days=MAX_MEETING_LENGTH.days,
            ),
            field="ends_at",
        )
    if (meeting.starts_at, meeting.ends_at, meeting.timezone) == (starts_at, ends_at, timezone):
        return
    meeting.starts_at, meeting.ends_at, meeting.timezone = starts_at, ends_at, timezone
    _revise(meeting)


def _optional_text(value: str | None, limit: int, field: str, too_long: str) -> str | None:
    value = (value or "").strip() or None
    if value is not None and len(value) > limit:
        raise DomainError(too_long, field=field)
    return value


def move(meeting: Meeting, venue: str | None, city: str | None, online_url: str | None) -> None:
    """Change where a meeting is held: a venue and city, an online link, or both."""
    venue = _optional_text(
        venue,
        VENUE_MAX,
        "venue",
        _("Keep the venue to %(limit)s characters or fewer.", limit=VENUE_MAX),
    )
    city = _optional_text(
        city, CITY_MAX, "city", _("Keep the city to %(limit)s characters or fewer.", limit=CITY_MAX)
    )
    online_url = _optional_text(
        online_url,
        ONLINE_URL_MAX,
        "online_url",
        _("Keep the online link to %(limit)s characters or fewer.", limit=ONLINE_URL_MAX),
    )
    if online_url is not None:
        parts = urlsplit(online_url)
        if (
            parts.scheme not in ("https", "http")
            or not parts.netloc
            or any(c.isspace() for c in online_url)
        ):
            raise DomainError(
                _("The online link must be a web address starting with https://."),
                field="online_url",
            )
    if venue is None and city is None and online_url is None:
        raise DomainError(_("Say where the meeting is held: a venue, a city or an online link."))
    if (meeting.venue, meeting.city, meeting.online_url) == (venue, city, online_url):
        return
    meeting.venue, meeting.city, meeting.online_url = venue, city, online_url
    _revise(meeting)


# What the pages read

WHEN = ("upcoming", "past", "all")


@dataclass(frozen=True)
class MeetingFilters:
    """What the programme is narrowed to. Only the secretariat asks for drafts."""

    chairmanship_id: int | None = None
    roundtable_id: int | None = None
    team_id: int | None = None
    kind: str | None = None
    state: str | None = None
    when: str = "all"
    with_drafts: bool = False


def listing(filters: MeetingFilters, now: datetime) -> Select:
    """The meetings of the programme that match, in time order (latest first for the past)."""
    query = (
        select(Meeting)
        .where(Meeting.archived_at.is_(None))
        .options(
            selectinload(Meeting.chairmanship),
            selectinload(Meeting.roundtable),
            selectinload(Meeting.team),
        )
    )
    if not filters.with_drafts:
        query = query.where(Meeting.state.in_(VISIBLE_STATES))
    if filters.state:
        query = query.where(Meeting.state == filters.state)
    if filters.chairmanship_id:
        query = query.where(Meeting.chairmanship_id == filters.chairmanship_id)
    if filters.roundtable_id:
        query = query.where(Meeting.roundtable_id == filters.roundtable_id)
    if filters.team_id:
        query = query.where(Meeting.team_id == filters.team_id)
    if filters.kind:
        query = query.where(Meeting.kind == filters.kind)
    if filters.when == "upcoming":
        return query.where(Meeting.ends_at >= now).order_by(Meeting.starts_at, Meeting.id)
    if filters.when == "past":
        return query.where(Meeting.ends_at < now).order_by(
            Meeting.starts_at.desc(), Meeting.id.desc()
        )
    return query.order_by(Meeting.starts_at, Meeting.id)


def between(filters: MeetingFilters, start: datetime, end: datetime) -> list[Meeting]:
    """The meetings that take place, at least in part, between two instants."""
    query = listing(filters, start).where(Meeting.starts_at < end, Meeting.ends_at > start)
    return list(db.session.scalars(query))


def shown_where(condition, *, secretariat: bool) -> list[Meeting]:
    """The live meetings of a chairmanship, roundtable or team (`condition`) in time order, with
    their roundtable and chairmanship; drafts only for the secretariat."""
    query = (
        select(Meeting)
        .where(condition, Meeting.archived_at.is_(None))
        # Each meeting has one roundtable at most and one chairmanship: joined in.
        .options(joinedload(Meeting.roundtable), joinedload(Meeting.chairmanship))
        .order_by(Meeting.starts_at)
    )
    if not secretariat:
        query = query.where(Meeting.state.in_(VISIBLE_STATES))
    return db.session.scalars(query).all()
