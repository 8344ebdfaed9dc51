"""A meeting's programme over several days: plenaries, parallel sessions in named rooms, and
breaks, laid out as a timetable; calendars may carry one event per session."""

from dataclasses import dataclass, field
from datetime import date, datetime, time

from flask_babel import gettext as _

from workplan.extensions import db
from workplan.models import SESSION_KINDS, Meeting, MeetingSession, utcnow
from workplan.services import DomainError, check_version, flush_or_stale
from workplan.services.checks import limited, required, translations
from workplan.services.meetings import venue_instant

TITLE_MAX = 300
ROOM_MAX = 120


@dataclass
class SessionDetails:
    """A session as the secretariat types it, its times on the venue's clock."""

    kind: str
    title: str
    day: date | None
    starts: time | None
    ends: time | None
    room: str | None = None
    translations: dict[str, str | None] = field(default_factory=dict)


def _checked(meeting: Meeting, details: SessionDetails, current: MeetingSession | None) -> dict:
    if meeting.archived_at is not None:
        raise DomainError(_("Restore this meeting from the archive before changing its programme."))
    if details.kind not in SESSION_KINDS:
        raise DomainError(_("Choose a plenary, a parallel session or a break."), "kind")
    title = required(details.title, _("Give the session a title."), "title", TITLE_MAX)
    room = limited(details.room, "room", ROOM_MAX)
    if details.kind == "parallel" and room is None:
        raise DomainError(_("Name the room of a parallel session."), "room")
    if details.day is None or details.starts is None or details.ends is None:
        raise DomainError(_("Give the day, and when the session starts and ends."), "day")
    starts_at = venue_instant(datetime.combine(details.day, details.starts), meeting.timezone)
    ends_at = venue_instant(datetime.combine(details.day, details.ends), meeting.timezone)
    if ends_at <= starts_at:
        raise DomainError(_("A session ends after it starts."), "ends")
    if starts_at < meeting.starts_at or ends_at > meeting.ends_at:
        raise DomainError(
            _(
                "A session falls within its meeting: from %(start)s to %(end)s, venue time.",
                start=f"{meeting.local_starts_at:%Y-%m-%d %H:%M}",
                end=f"{meeting.local_ends_at:%Y-%m-%d %H:%M}",
            ),
            "day",
        )
    if room is not None:
        for other in meeting.sessions:
            if (
                other is not current
                and other.room is not None
                and other.room.casefold() == room.casefold()
                and other.starts_at < ends_at
                and starts_at < other.ends_at
            ):
                raise DomainError(
                    _(
                        "%(room)s is taken then by “%(title)s”. Choose another room or time.",
                        room=room,
                        title=other.title,
                    ),
                    "room",
                )
    return {
        "kind": details.kind,
        "title": title,
        **translations(details.translations, {"title": TITLE_MAX}),
        "room": room,
        "starts_at": starts_at,
        "ends_at": ends_at,
    }


def _touch(meeting: Meeting) -> None:
    """The meeting changes with its programme: feeds and pages built from it are rebuilt."""
    meeting.updated_at = utcnow()
    flush_or_stale(meeting)


def add_session(meeting: Meeting, details: SessionDetails) -> MeetingSession:
    """Put a session on a meeting's programme."""
    session = MeetingSession(meeting=meeting, **_checked(meeting, details, None))
    db.session.add(session)
    _touch(meeting)
    return session


def update_session(session: MeetingSession, details: SessionDetails, version: int | None) -> None:
    """Change a session, from the copy the form carried."""
    check_version(session, version)
    for key, value in _checked(session.meeting, details, session).items():
        setattr(session, key, value)
    flush_or_stale(session)
    _touch(session.meeting)


def remove_session(session: MeetingSession) -> None:
    """Take a session off the programme."""
    meeting = session.meeting
    if meeting.archived_at is not None:
        raise DomainError(_("Restore this meeting from the archive before changing its programme."))
    db.session.delete(session)
    _touch(meeting)


def set_sessions_in_feed(meeting: Meeting, on: bool) -> None:
    """Whether calendars get one event per session rather than one for the whole meeting."""
    if on and not meeting.sessions:
        raise DomainError(_("Add the programme's sessions before sending them to calendars."))
    if meeting.sessions_in_feed == on:
        raise DomainError(
            _("Calendars already get one event per session.")
            if on
            else _("Calendars already get one event for the whole meeting.")
        )
    meeting.sessions_in_feed = on
    _touch(meeting)


@dataclass
class Row:
    """Sessions that start together: one plenary or break across the page, or parallel
    sessions side by side."""

    starts_at: datetime
    sessions: list[MeetingSession]

    @property
    def is_parallel(self) -> bool:
        return any(s.kind == "parallel" for s in self.sessions)


@dataclass
class Day:
    """One day of the programme, in the venue's calendar."""

    day: date
    rows: list[Row]


def timetable(meeting: Meeting) -> list[Day]:
    """The programme by day, sessions that start together side by side."""
    days: dict[date, dict[datetime, list[MeetingSession]]] = {}
    for session in meeting.sessions:
        local = session.local_starts_at
        days.setdefault(local.date(), {}).setdefault(session.starts_at, []).append(session)
    return [
        Day(day, [Row(start, rows[start]) for start in sorted(rows)])
        for day, rows in sorted(days.items())
    ]
