"""Calendar feeds: what each feed holds, its cheap validator, its bytes, and private feed tokens.

A feed is answered in three steps. `validator()` gives a strong ETag and a Last-Modified without
building anything: `compute_validator()` runs one aggregate query over exactly the rows the feed
shows, and its answer is reused while the audit log's clock (its highest id, one index lookup)
stands still, so a conditional request usually costs that one lookup. `feed_body()` returns the
bytes for the validator from an in-process cache, or builds them. `build_calendar()` loads the rows
in a fixed number of queries and writes them out. Every process computes the same validator from
the same rows, so every worker gives the same answer.

The bytes are the ones the icalendar package writes for the same events: the calendar envelope
comes from `icalendar.Calendar`, and `tests/test_feeds.py` holds every event byte for byte against
`icalendar.Event.new(...).to_ical()`. Events are written here directly because building 4,000
icalendar objects costs about a second, and this writer a tenth of that.

Timed events are written in UTC (`DTSTART:20301021T080000Z`), never floating and never with a
TZID: every client converts UTC correctly, while Outlook misreads the RDATE-based VTIMEZONEs that
tzdata yields. The venue's wall-clock time and zone are written in the DESCRIPTION instead.
"""

import gzip
import hashlib
import json
import re
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from itertools import groupby
from operator import itemgetter
from typing import NamedTuple
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale as BabelLocale
from flask import current_app, has_request_context, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from icalendar import Calendar
from icalendar.prop import vDuration
from sqlalchemy import ColumnElement, delete, exists, extract, func, or_, select, true, update

from workplan import formatting
from workplan.extensions import db
from workplan.models import (
    MEETING_KINDS,
    AgendaItem,
    AuditEvent,
    CalendarFollow,
    CalendarToken,
    Chairmanship,
    Deliverable,
    GovernmentTeam,
    Meeting,
    Roundtable,
    RoundtableMember,
    TeamMembership,
    User,
    deliverable_governments,
    roundtable_co_chairs,
    utcnow,
)
from workplan.models.meeting import VISIBLE_STATES
from workplan.services import DomainError
from workplan.services.accounts import token_digest

UID_DOMAIN = "gfmd-workplan"
PRODID = "-//GFMD//Work plan and meeting manager//EN"
# Part of every ETag: raise it whenever the same data starts being written differently.
FEED_FORMAT = 1
REFRESH = timedelta(hours=1)
# A poll is recorded at most this often, so a thousand calendars polling cost no writes.
TOKEN_USE_GRANULARITY = timedelta(hours=1)
MAX_TOKENS_PER_USER = 20
TOKEN_LABEL_MAX = 100
# Deliverables no longer owed are taken out of calendars rather than left as a false due date.
DELIVERABLE_STATUSES_LEFT_OUT = ("dropped", "carried_over")
AGENDA_LINES_MAX = 40
DESCRIPTION_TEXT_MAX = 1000
CACHE_MAX_BYTES = 64 * 1024 * 1024
# How long a validator is trusted while the audit clock stands still. Every domain write goes
# through the audit log; this bounds how long a write that skipped it (bulk SQL), or an audit id
# committed after a higher one, can go unseen.
VALIDATOR_TRUST_SECONDS = 60.0
VALIDATORS_MAX = 10_000
# A Last-Modified for a feed that holds nothing yet.
EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


class FeedWords(NamedTuple):
    """What a feed says around the data, in one language, looked up once per language.

    A feed of 4,000 events would otherwise ask the catalogue tens of thousands of times.
    """

    days: tuple[str, ...]
    months: tuple[str, ...]
    long_day: str
    span: str
    venue_zone: str
    cancelled_title: str
    cancelled_note: str
    local_time: str
    where: str
    online: str
    with_online: str
    agenda: str
    details: str
    due_title: str
    deliverable_of: str
    deliverable: str
    due_on: str
    status_line: str
    kinds: dict
    statuses: dict


@lru_cache(maxsize=8)
def _words_in(language: str) -> FeedWords:
    names = BabelLocale.parse(language)
    return FeedWords(
        days=tuple(names.days["format"]["wide"][i] for i in range(7)),
        months=tuple(names.months["format"]["wide"][i] for i in range(1, 13)),
        long_day=_("%(weekday)s %(day)s %(month)s %(year)s"),
        span=_("%(start)s to %(end)s"),
        venue_zone=_("%(when)s (%(zone)s time)"),
        cancelled_title=_("Cancelled: %(title)s"),
        cancelled_note=_("CANCELLED: this meeting will not take place."),
        local_time=_("Local time at the venue: %(when)s"),
        where=_("Where: %(place)s"),
        online=_("Online: %(url)s"),
        with_online=_("%(place)s (and online)"),
        agenda=_("Agenda:"),
        details=_("Details: %(url)s"),
        due_title=_("Due: %(title)s"),
        deliverable_of=_("Deliverable of %(owner)s"),
        deliverable=_("Deliverable"),
        due_on=_("Due on %(day)s"),
        status_line=_("Status: %(status)s, %(percent)s%% complete"),
        kinds={key: str(label) for key, label in formatting.KIND_LABELS.items()},
        statuses={key: str(label) for key, label in formatting.STATUS_LABELS.items()},
    )


def words() -> FeedWords:
    """The feed's words in the language of this request (set by the feed's view)."""
    return _words_in(formatting.locale())


# Writing iCalendar text.

# Characters RFC 5545 forbids in TEXT, and the Unicode line breaks that some parsers split
# lines on (str.splitlines does): left in, either could end a content line early.
_LINE_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f]")
_WHITESPACE = re.compile(r"\s+")


def clean_text(text: str | None) -> str:
    """Text as iCalendar may carry it: line breaks as \\n, control characters gone."""
    if not text:
        return ""
    if text.isprintable():
        # Most text has no break or control character at all; the regexes cost a third of a build.
        return text
    return _CONTROLS.sub("", _LINE_BREAKS.sub("\n", text))


def one_line(text: str | None) -> str:
    """Text for SUMMARY, LOCATION and CATEGORIES: a single line, spaces collapsed."""
    if not text:
        return ""
    if text.isprintable() and "  " not in text and text[0] != " " and text[-1] != " ":
        return text
    return _WHITESPACE.sub(" ", clean_text(text)).strip()


def _escape(text: str) -> str:
    """RFC 5545 TEXT escaping of already cleaned text."""
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> bytes:
    """One content line as UTF-8, folded exactly as icalendar folds it."""
    # Segments hold at most 74 octets, never split a character, and do not end on a backslash or
    # a caret: some clients misread an escape cut by a fold.
    data = line.encode()
    if len(data) < 75:
        return data
    parts = []
    start = 0
    while len(data) - start >= 75:
        end = start + 74
        while data[end] & 0xC0 == 0x80:
            end -= 1
        if data[end - 1] in (0x5C, 0x5E):
            end -= 1
        parts.append(data[start:end])
        start = end
    parts.append(data[start:])
    return b"\r\n ".join(parts)


def _text(name: str, value: str) -> bytes:
    return _fold(f"{name}:{_escape(value)}")


def _stamp(value: datetime) -> str:
    v = value.astimezone(UTC)
    return f"{v.year:04d}{v.month:02d}{v.day:02d}T{v.hour:02d}{v.minute:02d}{v.second:02d}Z"


def _day(value: date) -> str:
    return f"{value.year:04d}{value.month:02d}{value.day:02d}"


def _event(lines: list[bytes]) -> bytes:
    return b"BEGIN:VEVENT\r\n" + b"\r\n".join(lines) + b"\r\nEND:VEVENT\r\n"


# What events are made of.


@dataclass(slots=True)
class MeetingEntry:
    """One meeting as a feed needs it: the columns of the feed query, in order."""

    id: int
    kind: str
    title: str
    description: str | None
    starts_at: datetime
    ends_at: datetime
    timezone: str
    venue: str | None
    city: str | None
    online_url: str | None
    state: str
    sequence: int
    updated_at: datetime
    roundtable_number: str | None = None
    roundtable_title: str | None = None
    roundtable_updated_at: datetime | None = None
    team_name: str | None = None
    team_updated_at: datetime | None = None
    agenda_updated_at: datetime | None = None


# ROUNDTABLE_TITLE stands for the roundtable's title in the feed's language.
ROUNDTABLE_TITLE = Roundtable.title
MEETING_COLUMNS = (
    Meeting.id,
    Meeting.kind,
    Meeting.title,
    Meeting.description,
    Meeting.starts_at,
    Meeting.ends_at,
    Meeting.timezone,
    Meeting.venue,
    Meeting.city,
    Meeting.online_url,
    Meeting.state,
    Meeting.sequence,
    Meeting.updated_at,
    Roundtable.number,
    ROUNDTABLE_TITLE,
    Roundtable.updated_at,
    GovernmentTeam.name,
    GovernmentTeam.updated_at,
)


class AgendaEntry(NamedTuple):
    """One agenda item as a feed needs it (the feed query's rows have the same shape)."""

    title: str
    duration_minutes: int


@dataclass(slots=True)
class DeliverableEntry:
    """One deliverable due date as a feed needs it: the columns of the feed query, in order."""

    id: int
    title: str
    description: str | None
    due_on: date
    status: str
    percent_complete: int
    version: int
    updated_at: datetime
    roundtable_number: str | None = None
    roundtable_title: str | None = None
    roundtable_updated_at: datetime | None = None
    team_name: str | None = None
    team_updated_at: datetime | None = None


DELIVERABLE_COLUMNS = (
    Deliverable.id,
    Deliverable.title,
    Deliverable.description,
    Deliverable.due_on,
    Deliverable.status,
    Deliverable.percent_complete,
    Deliverable.version,
    Deliverable.updated_at,
    Roundtable.number,
    ROUNDTABLE_TITLE,
    Roundtable.updated_at,
    GovernmentTeam.name,
    GovernmentTeam.updated_at,
)


@dataclass(frozen=True)
class Links:
    """Absolute addresses of the pages events link to, as templates taking the record id."""

    base: str
    meeting: str
    deliverable: str

    def meeting_url(self, meeting_id: int) -> str:
        """The meeting's page."""
        return self.meeting.format(meeting_id)

    def deliverable_url(self, deliverable_id: int) -> str:
        """The deliverable's page."""
        return self.deliverable.format(deliverable_id)


_SENTINEL = 918273645546372


def links() -> Links:
    """Page addresses for events: the request's host, or PUBLIC_BASE_URL outside a request."""
    if has_request_context():

        def build(endpoint: str, arg: str) -> str:
            return url_for(endpoint, **{arg: _SENTINEL}, _external=True)

        base = request.url_root.rstrip("/")
    else:
        parts = urlsplit(current_app.config["PUBLIC_BASE_URL"])
        adapter = current_app.url_map.bind(
            parts.netloc, url_scheme=parts.scheme or "http", script_name=parts.path or "/"
        )

        def build(endpoint: str, arg: str) -> str:
            return adapter.build(endpoint, {arg: _SENTINEL}, force_external=True)

        base = f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}"

    # url_for once per feed, not once per event: the id is swapped into a template.
    def template(endpoint: str, arg: str) -> str:
        head, _, tail = build(endpoint, arg).rpartition(str(_SENTINEL))
        return "{}".join(part.replace("{", "{{").replace("}", "}}") for part in (head, tail))

    return Links(
        base=base,
        meeting=template("meetings.detail", "meeting_id"),
        deliverable=template("deliverables.detail", "deliverable_id"),
    )


@lru_cache(maxsize=512)
def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        # A bad zone in one row must not take the whole feed down; UTC is then named as such.
        return ZoneInfo("UTC")


def _long_day(moment: datetime | date, said: FeedWords) -> str:
    return said.long_day % {
        "weekday": said.days[moment.weekday()],
        "day": moment.day,
        "month": said.months[moment.month - 1],
        "year": moment.year,
    }


def venue_time(starts_at: datetime, ends_at: datetime, timezone: str) -> str:
    """When a meeting happens in its venue's own time, with the zone named."""
    said = words()
    zone = _zone(timezone)
    start, end = starts_at.astimezone(zone), ends_at.astimezone(zone)
    if start.date() == end.date():
        day = _long_day(start, said)
        if start.tzname() == end.tzname():
            when = f"{day}, {start:%H:%M}–{end:%H:%M} {end.tzname()}"
        else:
            when = f"{day}, {start:%H:%M} {start.tzname()}–{end:%H:%M} {end.tzname()}"
    else:
        when = said.span % {
            "start": f"{_long_day(start, said)} {start:%H:%M} {start.tzname()}",
            "end": f"{_long_day(end, said)} {end:%H:%M} {end.tzname()}",
        }
    return said.venue_zone % {"when": when, "zone": zone.key}


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def meeting_summary(entry: MeetingEntry) -> str:
    """The event title: roundtable number first, and cancellations said in words."""
    title = one_line(entry.title)
    if entry.roundtable_number:
        title = f"RT {one_line(entry.roundtable_number)}: {title}"
    return words().cancelled_title % {"title": title} if entry.state == "cancelled" else title


def meeting_location(entry: MeetingEntry) -> str:
    """Where to go: venue and city, or the online link when there is no place."""
    place = ", ".join(part for part in (one_line(entry.venue), one_line(entry.city)) if part)
    if place:
        return words().with_online % {"place": place} if entry.online_url else place
    return one_line(entry.online_url)


def meeting_description(entry: MeetingEntry, agenda: Sequence[AgendaEntry], url: str) -> str:
    """What a delegate reads on opening the event: venue time, place, agenda, and the link."""
    said = words()
    heading = said.kinds.get(entry.kind, entry.kind)
    if entry.roundtable_number:
        heading += f" · RT {one_line(entry.roundtable_number)} {one_line(entry.roundtable_title)}"
    if entry.team_name:
        heading += f" · {one_line(entry.team_name)}"
    lines = [heading.strip()]
    if entry.state == "cancelled":
        lines.append(said.cancelled_note)
    when = venue_time(entry.starts_at, entry.ends_at, entry.timezone)
    lines.append(said.local_time % {"when": when})
    place = ", ".join(part for part in (one_line(entry.venue), one_line(entry.city)) if part)
    if place:
        lines.append(said.where % {"place": place})
    if entry.online_url:
        lines.append(said.online % {"url": one_line(entry.online_url)})
    if agenda:
        lines += ["", said.agenda]
        zone = _zone(entry.timezone)
        start = entry.starts_at
        for item in agenda[:AGENDA_LINES_MAX]:
            local = start.astimezone(zone)
            lines.append(
                f"{local.hour:02d}:{local.minute:02d} {one_line(item.title)} "
                f"({formatting.duration(item.duration_minutes)})"
            )
            start += timedelta(minutes=item.duration_minutes)
        if len(agenda) > AGENDA_LINES_MAX:
            more = len(agenda) - AGENDA_LINES_MAX
            lines.append(ngettext("… and %(num)d more item", "… and %(num)d more items", more))
    text = clean_text(entry.description).strip()
    if text:
        lines += ["", _shorten(text, DESCRIPTION_TEXT_MAX)]
    lines += ["", said.details % {"url": url}]
    return "\n".join(lines)


def meeting_categories(entry: MeetingEntry) -> list[str]:
    """The kind of meeting, its roundtable and its team."""
    categories = [words().kinds.get(entry.kind, entry.kind)]
    if entry.roundtable_number:
        categories.append(f"RT {one_line(entry.roundtable_number)}")
    if entry.team_name:
        categories.append(one_line(entry.team_name))
    return categories


def meeting_changed(entry: MeetingEntry) -> datetime:
    """The last change of anything the event shows: meeting, agenda, roundtable or team."""
    stamps = (
        entry.updated_at,
        entry.roundtable_updated_at,
        entry.team_updated_at,
        entry.agenda_updated_at,
    )
    return max(stamp for stamp in stamps if stamp is not None)


def meeting_uid(meeting_id: int) -> str:
    """The event's UID: fixed for the meeting's life, never reused."""
    return f"meeting-{meeting_id}@{UID_DOMAIN}"


def deliverable_uid(deliverable_id: int) -> str:
    """The due-date event's UID."""
    return f"deliverable-{deliverable_id}-due@{UID_DOMAIN}"


def meeting_event(entry: MeetingEntry, agenda: Sequence[AgendaEntry], links: Links) -> bytes:
    """One meeting as a VEVENT, properties in icalendar's order."""
    changed = _stamp(meeting_changed(entry))
    url = links.meeting_url(entry.id)
    categories = ",".join(_escape(c) for c in meeting_categories(entry))
    lines = [
        _text("SUMMARY", meeting_summary(entry)),
        f"DTSTART:{_stamp(entry.starts_at)}".encode(),
        f"DTEND:{_stamp(entry.ends_at)}".encode(),
        f"DTSTAMP:{changed}".encode(),
        f"UID:{meeting_uid(entry.id)}".encode(),
        f"SEQUENCE:{entry.sequence}".encode(),
        _fold(f"CATEGORIES:{categories}"),
        _text("DESCRIPTION", meeting_description(entry, agenda, url)),
        f"LAST-MODIFIED:{changed}".encode(),
    ]
    location = meeting_location(entry)
    if location:
        lines.append(_text("LOCATION", location))
    lines.append(b"STATUS:CANCELLED" if entry.state == "cancelled" else b"STATUS:CONFIRMED")
    lines.append(_fold(f"URL:{url}"))
    return _event(lines)


def _owner(entry: DeliverableEntry) -> tuple[str, str]:
    if entry.roundtable_number:
        code = f"RT {one_line(entry.roundtable_number)}"
        return code, f"{code} {one_line(entry.roundtable_title)}".strip()
    name = one_line(entry.team_name)
    return name, name


def deliverable_summary(entry: DeliverableEntry) -> str:
    """The all-day event's title: what is due, and for which roundtable or team."""
    code, _owned = _owner(entry)
    title = words().due_title % {"title": one_line(entry.title)}
    return f"{title} ({code})" if code else title


def deliverable_description(entry: DeliverableEntry, url: str) -> str:
    """Owner, status and progress, the description, and the link."""
    _code, owner = _owner(entry)
    said = words()
    status = said.statuses.get(entry.status, entry.status)
    lines = [
        said.deliverable_of % {"owner": owner} if owner else said.deliverable,
        said.due_on % {"day": _long_day(entry.due_on, said)},
        said.status_line % {"status": status, "percent": entry.percent_complete},
    ]
    text = clean_text(entry.description).strip()
    if text:
        lines += ["", _shorten(text, DESCRIPTION_TEXT_MAX)]
    lines += ["", said.details % {"url": url}]
    return "\n".join(lines)


def deliverable_changed(entry: DeliverableEntry) -> datetime:
    """The last change of anything the due-date event shows."""
    stamps = (entry.updated_at, entry.roundtable_updated_at, entry.team_updated_at)
    return max(stamp for stamp in stamps if stamp is not None)


def deliverable_event(entry: DeliverableEntry, links: Links) -> bytes:
    """A due date as an all-day, transparent event: DATE start, exclusive end the next day."""
    changed = _stamp(deliverable_changed(entry))
    url = links.deliverable_url(entry.id)
    code, _owned = _owner(entry)
    categories = ",".join(_escape(c) for c in (words().deliverable, code) if c)
    lines = [
        _text("SUMMARY", deliverable_summary(entry)),
        f"DTSTART;VALUE=DATE:{_day(entry.due_on)}".encode(),
        f"DTEND;VALUE=DATE:{_day(entry.due_on + timedelta(days=1))}".encode(),
        f"DTSTAMP:{changed}".encode(),
        f"UID:{deliverable_uid(entry.id)}".encode(),
        # The row's version rises on every edit, so SEQUENCE never goes back.
        f"SEQUENCE:{max(entry.version - 1, 0)}".encode(),
        _fold(f"CATEGORIES:{categories}"),
        _text("DESCRIPTION", deliverable_description(entry, url)),
        f"LAST-MODIFIED:{changed}".encode(),
        b"TRANSP:TRANSPARENT",
        _fold(f"URL:{url}"),
    ]
    return _event(lines)


def calendar_bytes(name: str, description: str, events: Iterable[bytes]) -> bytes:
    """A VCALENDAR around the events: icalendar writes the envelope, the events go inside."""
    calendar = Calendar.new(
        prodid=PRODID, name=one_line(name), description=one_line(description), calscale="GREGORIAN"
    )
    # Calendar.new adds RFC 7986's calendar UID, a random one; sync clients such as vdirsyncer
    # read it as every event's UID and merge the whole feed into one item.
    del calendar["UID"]
    # RFC 7986 gives REFRESH-INTERVAL no default value type, so VALUE=DURATION must be written.
    calendar["REFRESH-INTERVAL"] = vDuration(REFRESH, params={"VALUE": "DURATION"})
    calendar["X-PUBLISHED-TTL"] = vDuration(REFRESH)
    envelope = calendar.to_ical()
    end = b"END:VCALENDAR\r\n"
    return envelope[: -len(end)] + b"".join(events) + end


# Which rows a feed holds.


def _visible() -> list[ColumnElement[bool]]:
    return [Meeting.state.in_(VISIBLE_STATES), Meeting.archived_at.is_(None)]


@dataclass(frozen=True)
class Scope:
    """One feed: its cache key, its name, and the SQL conditions that pick its rows."""

    scope_key: str
    name: str
    description: str
    filename: str
    meetings: tuple
    # None when the feed holds no deliverables; a tuple of conditions when it does.
    deliverables: tuple | None = None
    # What the feed's own name depends on, so renaming the owner changes the ETag.
    stamp: str = ""
    # The owner's last change, a floor for Last-Modified.
    changed: datetime | None = None
    private: bool = False
    # Whose follows pick meetings: they are not audited, so they join the audit clock.
    follower_id: int | None = None
    # The language the feed speaks around the data, fixed when the scope is made.
    language: str = field(default_factory=formatting.locale)

    @property
    def key(self) -> str:
        """The feed's cache key: each language has its own body and ETag."""
        return f"{self.scope_key}.{self.language}"


def public_scope() -> Scope:
    """Every published meeting, cancelled ones included and marked."""
    return Scope(
        scope_key="meetings",
        name=_("GFMD meetings"),
        description=_("All published meetings of the Global Forum on Migration and Development."),
        filename="gfmd-meetings.ics",
        meetings=tuple(_visible()),
    )


def chairmanship_scope(chairmanship: Chairmanship) -> Scope:
    """The published meetings of one chairmanship."""
    label = one_line(chairmanship.label)
    return Scope(
        scope_key=f"chairmanship-{chairmanship.id}",
        # Labels are written "GFMD 2014"; the forum's name is not repeated.
        name=label if label.upper().startswith("GFMD") else f"GFMD {label}",
        description=_(
            "Published meetings of the GFMD chairmanship %(label)s.", label=chairmanship.label
        ),
        filename=f"gfmd-chairmanship-{chairmanship.id}.ics",
        meetings=(*_visible(), Meeting.chairmanship_id == chairmanship.id),
        stamp=chairmanship.label,
        changed=chairmanship.updated_at,
    )


def roundtable_scope(roundtable: Roundtable) -> Scope:
    """The published meetings of one roundtable."""
    label = f"{roundtable.code} {one_line(roundtable.shown_title)}"
    return Scope(
        scope_key=f"roundtable-{roundtable.id}",
        name=f"GFMD {label}",
        description=_("Published meetings of GFMD roundtable %(label)s.", label=label),
        filename=f"gfmd-roundtable-{roundtable.id}.ics",
        meetings=(*_visible(), Meeting.roundtable_id == roundtable.id),
        stamp=label,
        changed=roundtable.updated_at,
    )


def team_scope(team: GovernmentTeam) -> Scope:
    """The published meetings of one government team."""
    return Scope(
        scope_key=f"team-{team.id}",
        name=f"GFMD {team.name}",
        description=_("Published meetings of the GFMD government team %(name)s.", name=team.name),
        filename=f"gfmd-team-{team.id}.ics",
        meetings=(*_visible(), Meeting.team_id == team.id),
        stamp=team.name,
        changed=team.updated_at,
    )


def meeting_scope(meeting: Meeting) -> Scope:
    """One meeting, for "Add to calendar"."""
    return Scope(
        scope_key=f"meeting-{meeting.id}",
        name=f"GFMD: {one_line(meeting.title)}",
        description=_("One meeting of the Global Forum on Migration and Development."),
        filename=f"gfmd-meeting-{meeting.id}.ics",
        meetings=(*_visible(), Meeting.id == meeting.id),
    )


def private_meeting_conditions(user: User) -> list[ColumnElement[bool]]:
    """Meetings of the user's government's roundtables and teams, and of what the user follows."""
    follows = select(CalendarFollow).where(CalendarFollow.user_id == user.id).subquery()
    reasons = [
        Meeting.roundtable_id.in_(
            select(follows.c.roundtable_id).where(follows.c.roundtable_id.is_not(None))
        ),
        Meeting.team_id.in_(select(follows.c.team_id).where(follows.c.team_id.is_not(None))),
        Meeting.kind.in_(select(follows.c.meeting_kind).where(follows.c.meeting_kind.is_not(None))),
    ]
    government_id = user.government_id
    if government_id is not None:
        year = extract("year", Meeting.starts_at)
        reasons += [
            Meeting.roundtable_id.in_(
                select(roundtable_co_chairs.c.roundtable_id).where(
                    roundtable_co_chairs.c.government_id == government_id
                )
            ),
            Meeting.roundtable_id.in_(
                select(RoundtableMember.roundtable_id).where(
                    RoundtableMember.government_id == government_id
                )
            ),
            Meeting.team_id.in_(
                select(GovernmentTeam.id).where(GovernmentTeam.lead_government_id == government_id)
            ),
            # A team's meetings count only for the years the government belonged to it.
            exists().where(
                TeamMembership.team_id == Meeting.team_id,
                TeamMembership.government_id == government_id,
                TeamMembership.joined_year <= year,
                or_(TeamMembership.left_year.is_(None), TeamMembership.left_year >= year),
            ),
        ]
    return [*_visible(), or_(*reasons)]


def private_deliverable_conditions(user: User) -> tuple | None:
    """A focal point's government's deliverables, and nobody else's."""
    if user.role != "focal_point" or user.government_id is None:
        return None
    return (
        Deliverable.archived_at.is_(None),
        Deliverable.status.not_in(DELIVERABLE_STATUSES_LEFT_OUT),
        Deliverable.id.in_(
            select(deliverable_governments.c.deliverable_id).where(
                deliverable_governments.c.government_id == user.government_id
            )
        ),
    )


def private_scope(user: User) -> Scope:
    """A user's own feed: their government's meetings and due dates, and what they follow."""
    return Scope(
        scope_key=f"private-{user.id}",
        name=f"GFMD: {user.name}",
        description=_(
            "Meetings of your government's roundtables and teams, what you follow, "
            "and your government's deliverable due dates."
        ),
        filename="gfmd-my-calendar.ics",
        meetings=tuple(private_meeting_conditions(user)),
        deliverables=private_deliverable_conditions(user),
        stamp=json.dumps([user.name, user.role, user.government_id]),
        changed=user.updated_at,
        private=True,
        follower_id=user.id,
    )


# The validator: one aggregate query, no building.


@dataclass(frozen=True)
class Validator:
    """A feed's strong ETag and Last-Modified."""

    etag: str
    last_modified: datetime


def _aggregate(name: str, *columns) -> list:
    return [column.label(f"{name}_{i}") for i, column in enumerate(columns)]


def _validator_query(scope: Scope):
    in_scope = select(Meeting.id).where(*scope.meetings)
    parts = [
        select(
            *_aggregate(
                "m",
                func.count(Meeting.id),
                func.coalesce(func.sum(Meeting.id), 0),
                func.coalesce(func.sum(Meeting.sequence), 0),
                func.max(Meeting.updated_at),
            )
        ).where(*scope.meetings),
        select(
            *_aggregate(
                "a",
                func.count(AgendaItem.id),
                func.coalesce(func.sum(AgendaItem.id), 0),
                func.coalesce(func.sum(AgendaItem.position), 0),
                func.max(AgendaItem.updated_at),
            )
        ).where(AgendaItem.meeting_id.in_(in_scope)),
        select(*_aggregate("r", func.max(Roundtable.updated_at))).where(
            Roundtable.id.in_(select(Meeting.roundtable_id).where(*scope.meetings))
        ),
        select(*_aggregate("t", func.max(GovernmentTeam.updated_at))).where(
            GovernmentTeam.id.in_(select(Meeting.team_id).where(*scope.meetings))
        ),
        # Every meeting, in the feed or not: a meeting leaving the feed moves this forward.
        select(*_aggregate("g", func.max(Meeting.updated_at))),
    ]
    if scope.deliverables is not None:
        owned = select(Deliverable.roundtable_id).where(*scope.deliverables)
        teams = select(Deliverable.team_id).where(*scope.deliverables)
        parts += [
            select(
                *_aggregate(
                    "d",
                    func.count(Deliverable.id),
                    func.coalesce(func.sum(Deliverable.id), 0),
                    func.coalesce(func.sum(Deliverable.version), 0),
                    func.max(Deliverable.updated_at),
                )
            ).where(*scope.deliverables),
            select(*_aggregate("dr", func.max(Roundtable.updated_at))).where(
                Roundtable.id.in_(owned)
            ),
            select(*_aggregate("dt", func.max(GovernmentTeam.updated_at))).where(
                GovernmentTeam.id.in_(teams)
            ),
            select(*_aggregate("dg", func.max(Deliverable.updated_at))),
        ]
    subqueries = [part.subquery() for part in parts]
    joined = subqueries[0]
    for subquery in subqueries[1:]:
        joined = joined.join(subquery, true())
    return select(*[column for subquery in subqueries for column in subquery.c]).select_from(joined)


def _plain(value):
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if value is None:
        return None
    return int(value)


def compute_validator(scope: Scope, links: Links) -> Validator:
    """The feed's ETag and Last-Modified, from one aggregate query over the rows it shows."""
    row = db.session.execute(_validator_query(scope)).one()
    values = [_plain(value) for value in row]
    material = json.dumps(
        [FEED_FORMAT, scope.key, scope.stamp, links.base, links.meeting, values],
        separators=(",", ":"),
    )
    etag = hashlib.sha256(material.encode()).hexdigest()[:40]
    stamps = [value for value in row if isinstance(value, datetime)]
    if scope.changed is not None:
        stamps.append(scope.changed)
    last_modified = max(stamps, default=EPOCH).astimezone(UTC).replace(microsecond=0)
    return Validator(etag=etag, last_modified=last_modified)


def audit_clock(scope: Scope) -> tuple:
    """What moves whenever anything a feed shows may have changed: the audit log's last id."""
    # A private feed adds its owner's follows, which are not audited.
    columns = [select(func.max(AuditEvent.id)).scalar_subquery()]
    if scope.follower_id is not None:
        mine = CalendarFollow.user_id == scope.follower_id
        columns += [
            select(func.count(CalendarFollow.id)).where(mine).scalar_subquery(),
            select(func.coalesce(func.sum(CalendarFollow.id), 0)).where(mine).scalar_subquery(),
        ]
    return tuple(_plain(value) for value in db.session.execute(select(*columns)).one())


def validator(scope: Scope, links: Links) -> Validator:
    """The feed's validator: reused while the audit clock stands still, computed otherwise."""
    # The clock is read before the aggregate, so a write landing in between moves the clock
    # past the remembered value and is never hidden behind it.
    cache = body_cache()
    key = (scope.key, scope.stamp, links.meeting, links.deliverable)
    clock = audit_clock(scope)
    known = cache.known_validator(key, clock)
    if known is not None:
        return known
    checked = compute_validator(scope, links)
    cache.remember_validator(key, clock, checked)
    return checked


# Building, and the cache of built bodies.


def _in_language(columns: tuple, language: str) -> list:
    title = Roundtable.shown_title_column(language)
    return [title if column is ROUNDTABLE_TITLE else column for column in columns]


def load_meetings(scope: Scope) -> tuple[list[MeetingEntry], dict[int, list[AgendaEntry]]]:
    """The feed's meetings and their agendas, in two queries whatever their number."""
    in_scope = select(Meeting.id).where(*scope.meetings)
    # The agenda's last change, per meeting, by the database: one value per meeting instead of
    # one parsed timestamp per item. Correlated, so each is one index lookup whatever the
    # planner's statistics say (a grouped join was planned as a nested loop on fresh data).
    agenda_changed = (
        select(func.max(AgendaItem.updated_at))
        .where(AgendaItem.meeting_id == Meeting.id)
        .correlate(Meeting)
        .scalar_subquery()
    )
    # Core rather than ORM execution: plain rows, without the ORM's per-row bookkeeping.
    connection = db.session.connection()
    rows = connection.execute(
        select(*_in_language(MEETING_COLUMNS, scope.language), agenda_changed)
        .outerjoin(Roundtable, Meeting.roundtable_id == Roundtable.id)
        .outerjoin(GovernmentTeam, Meeting.team_id == GovernmentTeam.id)
        .where(*scope.meetings)
        .order_by(Meeting.starts_at, Meeting.id)
    ).all()
    meetings = [MeetingEntry(*row) for row in rows]
    agendas: dict[int, list[AgendaEntry]] = {}
    if meetings:
        items = connection.execute(
            select(AgendaItem.meeting_id, AgendaItem.title, AgendaItem.duration_minutes)
            .where(AgendaItem.meeting_id.in_(in_scope))
            .order_by(AgendaItem.meeting_id, AgendaItem.position, AgendaItem.id)
        ).all()  # one fetchall rather than a fetch per row while grouping
        for meeting_id, group in groupby(items, key=itemgetter(0)):
            agendas[meeting_id] = list(group)
    return meetings, agendas


def load_deliverables(scope: Scope) -> list[DeliverableEntry]:
    """The feed's deliverable due dates, in one query."""
    if scope.deliverables is None:
        return []
    rows = (
        db.session.connection()
        .execute(
            select(*_in_language(DELIVERABLE_COLUMNS, scope.language))
            .outerjoin(Roundtable, Deliverable.roundtable_id == Roundtable.id)
            .outerjoin(GovernmentTeam, Deliverable.team_id == GovernmentTeam.id)
            .where(*scope.deliverables)
            .order_by(Deliverable.due_on, Deliverable.id)
        )
        .all()
    )
    return [DeliverableEntry(*row) for row in rows]


def build_calendar(scope: Scope, links: Links) -> bytes:
    """The feed's bytes: meetings by start, then due dates by day."""
    meetings, agendas = load_meetings(scope)
    events = [meeting_event(m, agendas.get(m.id, ()), links) for m in meetings]
    events += [deliverable_event(d, links) for d in load_deliverables(scope)]
    return calendar_bytes(scope.name, scope.description, events)


class BodyCache:
    """Built feeds by scope, each with the ETag it was built for, bounded by total size.

    One entry per scope: a newer ETag replaces the older body. Builds of one scope are serialised
    in this process so that a burst of polls after a change builds once.
    """

    def __init__(self, max_bytes: int = CACHE_MAX_BYTES):
        self.max_bytes = max_bytes
        self._entries: OrderedDict[str, tuple[str, bytes]] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()
        self._building: dict[str, threading.Lock] = {}
        self._validators: dict[tuple, tuple[tuple, float, Validator]] = {}
        self.builds = 0

    def known_validator(self, key: tuple, clock: tuple) -> Validator | None:
        """The validator computed at this audit clock, while it is still trusted."""
        with self._lock:
            entry = self._validators.get(key)
        if entry is None or entry[0] != clock:
            return None
        if time.monotonic() - entry[1] >= VALIDATOR_TRUST_SECONDS:
            return None
        return entry[2]

    def remember_validator(self, key: tuple, clock: tuple, checked: Validator) -> None:
        """Keep a validator with the audit clock it was computed at."""
        with self._lock:
            if len(self._validators) >= VALIDATORS_MAX:
                self._validators.clear()
            self._validators[key] = (clock, time.monotonic(), checked)

    def get(self, key: str, etag: str) -> bytes | None:
        """The body built for this ETag, if it is still here."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or entry[0] != etag:
                return None
            self._entries.move_to_end(key)
            return entry[1]

    def put(self, key: str, etag: str, body: bytes) -> None:
        """Keep a body, dropping the least recently used ones beyond the size bound."""
        if len(body) > self.max_bytes:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._size -= len(old[1])
            self._entries[key] = (etag, body)
            self._size += len(body)
            while self._size > self.max_bytes:
                _, (_, dropped) = self._entries.popitem(last=False)
                self._size -= len(dropped)

    def building(self, key: str) -> threading.Lock:
        """The lock that one build of this scope holds."""
        with self._lock:
            return self._building.setdefault(key, threading.Lock())

    def clear(self) -> None:
        """Forget every body."""
        with self._lock:
            self._entries.clear()
            self._validators.clear()
            self._size = 0


def body_cache() -> BodyCache:
    """This app's cache of built feeds (each worker process has its own)."""
    return current_app.extensions.setdefault("workplan.feed_cache", BodyCache())


def feed_body(scope: Scope, checked: Validator, links: Links) -> tuple[Validator, bytes]:
    """The bytes for a validator: from the cache, or built, checked and kept."""
    # After a build the validator is asked again: if the data changed meanwhile, the body is
    # built once more rather than kept under an ETag that does not describe it.
    cache = body_cache()
    body = cache.get(scope.key, checked.etag)
    if body is not None:
        return checked, body
    with cache.building(scope.key):
        body = cache.get(scope.key, checked.etag)
        if body is not None:
            return checked, body
        for _ in range(3):
            body = build_calendar(scope, links)
            cache.builds += 1
            after = validator(scope, links)
            if after.etag == checked.etag:
                cache.put(scope.key, checked.etag, body)
                return checked, body
            checked = after
        return checked, body


def gzipped_body(scope: Scope, etag: str, body: bytes) -> bytes:
    """The body compressed, once per ETag: a large feed shrinks about tenfold on the wire."""
    cache = body_cache()
    key = f"{scope.key}+gzip"
    packed = cache.get(key, etag)
    if packed is None:
        # mtime=0: every worker sends the same bytes for the same ETag.
        packed = gzip.compress(body, compresslevel=6, mtime=0)
        cache.put(key, etag, packed)
    return packed


# Private feed tokens and follows.


def issue_token(user: User, label: str) -> tuple[CalendarToken, str]:
    """A new private feed address: the token is returned once and only its hash is kept."""
    label = one_line(label)
    if not label:
        raise DomainError(_("Name the address, for example “Work phone”."), field="label")
    if len(label) > TOKEN_LABEL_MAX:
        raise DomainError(
            _("Keep the name to %(num)d characters or fewer.", num=TOKEN_LABEL_MAX), field="label"
        )
    active = db.session.scalar(
        select(func.count(CalendarToken.id)).where(
            CalendarToken.user_id == user.id, CalendarToken.revoked_at.is_(None)
        )
    )
    if active >= MAX_TOKENS_PER_USER:
        raise DomainError(
            _(
                "You already have %(num)d calendar addresses. Revoke one you no longer use first.",
                num=MAX_TOKENS_PER_USER,
            ),
            field="label",
        )
    raw = secrets.token_urlsafe(32)
    token = CalendarToken(user_id=user.id, label=label, token_hash=token_digest(raw))
    db.session.add(token)
    db.session.flush()
    return token, raw


def revoke_token(token: CalendarToken) -> None:
    """Stop a private feed address from working, at once and for good."""
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        db.session.flush()


_TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{20,128}")


def token_owner(raw: str) -> tuple[CalendarToken, User] | None:
    """The live token and its active owner, or None for an unknown, revoked or dead one."""
    if not _TOKEN_SHAPE.fullmatch(raw):
        return None
    row = db.session.execute(
        select(CalendarToken, User)
        .join(User, CalendarToken.user_id == User.id)
        .where(
            CalendarToken.token_hash == token_digest(raw),
            CalendarToken.revoked_at.is_(None),
            User.active.is_(True),
        )
    ).first()
    return (row[0], row[1]) if row else None


def note_token_use(token: CalendarToken, now: datetime | None = None) -> bool:
    """Record a fetch, at most once per TOKEN_USE_GRANULARITY; whether a write was made."""
    now = now or utcnow()
    threshold = now - TOKEN_USE_GRANULARITY
    if token.last_used_at is not None and token.last_used_at > threshold:
        return False
    # Conditional, so two workers answering the same poll write once between them.
    result = db.session.execute(
        update(CalendarToken)
        .where(
            CalendarToken.id == token.id,
            or_(CalendarToken.last_used_at.is_(None), CalendarToken.last_used_at <= threshold),
        )
        .values(last_used_at=now)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def set_follows(
    user: User, roundtable_ids: Iterable[int], team_ids: Iterable[int], kinds: Iterable[str]
) -> None:
    """Replace what the user follows in their private feed."""
    roundtable_ids, team_ids, kinds = set(roundtable_ids), set(team_ids), set(kinds)
    unknown_kinds = kinds - set(MEETING_KINDS)
    if unknown_kinds:
        raise DomainError(
            _("Unknown meeting kind: %(kinds)s.", kinds=", ".join(sorted(unknown_kinds))), "kinds"
        )
    if roundtable_ids:
        found = db.session.scalars(select(Roundtable.id).where(Roundtable.id.in_(roundtable_ids)))
        if set(found) != roundtable_ids:
            raise DomainError(_("One of the roundtables no longer exists."), field="roundtables")
    if team_ids:
        found = db.session.scalars(select(GovernmentTeam.id).where(GovernmentTeam.id.in_(team_ids)))
        if set(found) != team_ids:
            raise DomainError(_("One of the teams no longer exists."), field="teams")
    db.session.execute(delete(CalendarFollow).where(CalendarFollow.user_id == user.id))
    db.session.add_all(
        [CalendarFollow(user_id=user.id, roundtable_id=i) for i in sorted(roundtable_ids)]
        + [CalendarFollow(user_id=user.id, team_id=i) for i in sorted(team_ids)]
        + [CalendarFollow(user_id=user.id, meeting_kind=k) for k in sorted(kinds)]
    )
    # Follows have no timestamp of their own; moving the user's lets Last-Modified move too.
    user.updated_at = utcnow()
    db.session.flush()


def follows_of(user: User) -> tuple[set[int], set[int], set[str]]:
    """What the user follows: roundtable ids, team ids and meeting kinds."""
    rows = db.session.execute(
        select(
            CalendarFollow.roundtable_id, CalendarFollow.team_id, CalendarFollow.meeting_kind
        ).where(CalendarFollow.user_id == user.id)
    ).all()
    return (
        {r for r, _, _ in rows if r is not None},
        {t for _, t, _ in rows if t is not None},
        {k for _, _, k in rows if k is not None},
    )
