"""Writing calendar feeds: the words, iCalendar text, and one event per meeting or deliverable.

The bytes are the ones the icalendar package writes for the same events: the calendar envelope
comes from `icalendar.Calendar`, and `tests/test_feeds.py` holds every event byte for byte against
`icalendar.Event.new(...).to_ical()`. Events are written here directly because building 4,000
icalendar objects costs about a second, and this writer a tenth of that.

Timed events are written in UTC (`DTSTART:20301021T080000Z`), never floating and never with a
TZID: every client converts UTC correctly, while Outlook misreads the RDATE-based VTIMEZONEs that
tzdata yields. The venue's wall-clock time and zone are written in the DESCRIPTION instead.
"""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale as BabelLocale
from flask_babel import gettext as _
from flask_babel import ngettext
from icalendar import Calendar
from icalendar.prop import vDuration

from workplan import formatting
from workplan.models import (
    Deliverable,
    GovernmentTeam,
    Meeting,
    Roundtable,
)
from workplan.models.meeting import derived_starts, display_title

UID_DOMAIN = "gfmd-workplan"
PRODID = "-//GFMD//Work plan and meeting manager//EN"
REFRESH = timedelta(hours=1)
AGENDA_LINES_MAX = 40
DESCRIPTION_TEXT_MAX = 1000


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
    papers: str
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
        papers=_("Papers:"),
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
    sessions_in_feed: bool = False
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
    Meeting.sessions_in_feed,
)


class PaperEntry(NamedTuple):
    """A document on a meeting's shelf that the feed's reader may open, in the language its
    link gives (the feed's own when the document has it)."""

    meeting_id: int
    document_id: int
    title: str
    language: str
    content_type: str


class AgendaEntry(NamedTuple):
    """One agenda item as a feed needs it (the feed query's rows have the same shape)."""

    title: str
    duration_minutes: int
    # The session of the programme the item belongs to, and when that session starts.
    session_id: int | None = None
    session_starts_at: datetime | None = None


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
    # The latest file of a document in a language, by language code.
    document: dict[str, str] = field(default_factory=dict)

    def document_url(self, document_id: int, language: str) -> str:
        """The latest file of a document in a language: a link that stays right as versions
        are added."""
        return self.document[language].format(document_id)

    def meeting_url(self, meeting_id: int) -> str:
        """The meeting's page."""
        return self.meeting.format(meeting_id)

    def deliverable_url(self, deliverable_id: int) -> str:
        """The deliverable's page."""
        return self.deliverable.format(deliverable_id)


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
    """The event title: roundtable code first (once), and cancellations said in words."""
    title = display_title(one_line(entry.title), one_line(entry.roundtable_number) or None)
    return words().cancelled_title % {"title": title} if entry.state == "cancelled" else title


def meeting_location(entry: MeetingEntry) -> str:
    """Where to go: venue and city, or the online link when there is no place."""
    place = ", ".join(part for part in (one_line(entry.venue), one_line(entry.city)) if part)
    if place:
        return words().with_online % {"place": place} if entry.online_url else place
    return one_line(entry.online_url)


def agenda_lines(entry: MeetingEntry, agenda: Sequence[AgendaEntry]) -> list[str]:
    """The agenda in time order, each item at its venue time; the day first when the meeting
    spans several days."""
    zone = _zone(entry.timezone)
    timed = sorted(
        derived_starts(agenda, lambda item: item.session_starts_at or entry.starts_at),
        key=lambda pair: pair[1],
    )
    several_days = entry.starts_at.astimezone(zone).date() != entry.ends_at.astimezone(zone).date()
    lines = []
    for item, start in timed[:AGENDA_LINES_MAX]:
        local = start.astimezone(zone)
        day = f"{local.day:02d}/{local.month:02d} " if several_days else ""
        lines.append(
            f"{day}{local.hour:02d}:{local.minute:02d} {one_line(item.title)} "
            f"({formatting.duration(item.duration_minutes)})"
        )
    if len(timed) > AGENDA_LINES_MAX:
        more = len(timed) - AGENDA_LINES_MAX
        lines.append(ngettext("… and %(num)d more item", "… and %(num)d more items", more))
    return lines


def paper_attachments(papers: Sequence[PaperEntry], links: Links) -> list[bytes]:
    """Each paper as an ATTACH by address (RFC 5545 3.8.1.1): calendars that show attachments
    open it from there."""
    return [
        _fold(
            f"ATTACH;FMTTYPE={paper.content_type}:"
            f"{links.document_url(paper.document_id, paper.language)}"
        )
        for paper in papers
    ]


def papers_lines(papers: Sequence[PaperEntry], links: Links) -> list[str]:
    """The papers, each with its address, for calendars that show no attachments."""
    return [
        f"{one_line(paper.title)}: {links.document_url(paper.document_id, paper.language)}"
        for paper in papers
    ]


def meeting_description(
    entry: MeetingEntry,
    agenda: Sequence[AgendaEntry],
    url: str,
    papers: Sequence[PaperEntry] = (),
    links: Links | None = None,
) -> str:
    """What a delegate reads on opening the event: venue time, place, agenda, papers, and the
    link."""
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
        lines += ["", said.agenda, *agenda_lines(entry, agenda)]
    if papers and links is not None:
        lines += ["", said.papers, *papers_lines(papers, links)]
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


def meeting_event(
    entry: MeetingEntry,
    agenda: Sequence[AgendaEntry],
    links: Links,
    stamp: datetime | None = None,
    papers: Sequence[PaperEntry] = (),
) -> bytes:
    """One meeting as a VEVENT, properties in icalendar's order; DTSTAMP is the last change,
    or `stamp` for an invitation sent by e-mail."""
    changed = _stamp(meeting_changed(entry))
    url = links.meeting_url(entry.id)
    categories = ",".join(_escape(c) for c in meeting_categories(entry))
    lines = [
        _text("SUMMARY", meeting_summary(entry)),
        f"DTSTART:{_stamp(entry.starts_at)}".encode(),
        f"DTEND:{_stamp(entry.ends_at)}".encode(),
        f"DTSTAMP:{_stamp(stamp) if stamp else changed}".encode(),
        f"UID:{meeting_uid(entry.id)}".encode(),
        f"SEQUENCE:{entry.sequence}".encode(),
        _fold(f"CATEGORIES:{categories}"),
        _text("DESCRIPTION", meeting_description(entry, agenda, url, papers, links)),
        f"LAST-MODIFIED:{changed}".encode(),
        *paper_attachments(papers, links),
    ]
    location = meeting_location(entry)
    if location:
        lines.append(_text("LOCATION", location))
    lines.append(b"STATUS:CANCELLED" if entry.state == "cancelled" else b"STATUS:CONFIRMED")
    lines.append(_fold(f"URL:{url}"))
    return _event(lines)


class SessionEntry(NamedTuple):
    """One session of a meeting's programme, for a meeting whose calendar events are its
    sessions (the feed query's rows have the same shape)."""

    id: int
    meeting_id: int
    title: str
    room: str | None
    starts_at: datetime
    ends_at: datetime
    version: int
    updated_at: datetime


def session_uid(session_id: int) -> str:
    """A session's event UID: fixed for the session's life, never the meeting's."""
    return f"session-{session_id}@{UID_DOMAIN}"


def session_event(
    entry: MeetingEntry, session: SessionEntry, links: Links, agenda: Sequence[AgendaEntry] = ()
) -> bytes:
    """One session of a meeting as an event of its own, in its room, cancelled with it, its
    own agenda items in the description."""
    changed = _stamp(max(meeting_changed(entry), session.updated_at))
    url = links.meeting_url(entry.id)
    own = [item for item in agenda if item.session_id == session.id]
    description = [words().agenda, *agenda_lines(entry, own), ""] if own else []
    description.append(words().details % {"url": url})
    place = meeting_location(entry)
    location = ", ".join(part for part in (one_line(session.room), place) if part)
    lines = [
        _text("SUMMARY", f"{meeting_summary(entry)}: {one_line(session.title)}"),
        f"DTSTART:{_stamp(session.starts_at)}".encode(),
        f"DTEND:{_stamp(session.ends_at)}".encode(),
        f"DTSTAMP:{changed}".encode(),
        f"UID:{session_uid(session.id)}".encode(),
        # Rises when the session changes and when the meeting is moved or cancelled.
        f"SEQUENCE:{entry.sequence + session.version - 1}".encode(),
        _text("DESCRIPTION", "\n".join(description)),
        f"LAST-MODIFIED:{changed}".encode(),
    ]
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


def with_people(event: bytes, organizer: tuple[str, str], attendee: tuple[str, str]) -> bytes:
    """An event with its ORGANIZER and one ATTENDEE (name, address each), which a calendar
    needs to take it as an invitation (iTIP, RFC 5546); the attendee need not reply."""

    def name(value: str) -> str:
        # A quoted parameter value may hold neither a double quote nor a control character.
        return one_line(value).replace('"', "'")

    people = [
        _fold(f'ORGANIZER;CN="{name(organizer[0])}":mailto:{organizer[1]}'),
        _fold(
            f'ATTENDEE;CN="{name(attendee[0])}";ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;'
            f"RSVP=FALSE:mailto:{attendee[1]}"
        ),
    ]
    # Before the event's own end: text inside a folded value could read "END:VEVENT" too.
    body, end, after = event.rpartition(b"\r\nEND:VEVENT\r\n")
    return body + b"\r\n" + b"\r\n".join(people) + end + after


def calendar_bytes(
    name: str, description: str, events: Iterable[bytes], method: str | None = None
) -> bytes:
    """A VCALENDAR around the events: icalendar writes the envelope, the events go inside.
    `method` makes it an invitation (REQUEST) or a cancellation (CANCEL) sent by e-mail."""
    calendar = Calendar.new(
        prodid=PRODID, name=one_line(name), description=one_line(description), calscale="GREGORIAN"
    )
    if method:
        calendar["METHOD"] = method
    # Calendar.new adds RFC 7986's calendar UID, a random one; sync clients such as vdirsyncer
    # read it as every event's UID and merge the whole feed into one item.
    del calendar["UID"]
    # RFC 7986 gives REFRESH-INTERVAL no default value type, so VALUE=DURATION must be written.
    calendar["REFRESH-INTERVAL"] = vDuration(REFRESH, params={"VALUE": "DURATION"})
    calendar["X-PUBLISHED-TTL"] = vDuration(REFRESH)
    envelope = calendar.to_ical()
    end = b"END:VCALENDAR\r\n"
    return envelope[: -len(end)] + b"".join(events) + end
