"""Calendar feeds, parsed back by three independent parsers: what they hold, how they are written,
how cheaply they revalidate, and the meeting lifecycle services that feed them."""

import gzip
import logging
import random
import re
from datetime import UTC, date, datetime, timedelta

import icalendar
import pytest
import recurring_ical_events
import vobject
from flask_babel import force_locale, gettext
from sqlalchemy import insert, update

from tests import samples
from tests.helpers import counting_queries
from workplan import create_app, feeds
from workplan.calendar.redaction import RedactSecretLinks, redact
from workplan.extensions import db
from workplan.feeds import writer
from workplan.models import (
    CalendarToken,
    Document,
    DocumentFile,
    Meeting,
    Roundtable,
    User,
    utcnow,
)
from workplan.services import DomainError
from workplan.services import meetings as meeting_service
from workplan.services.accounts import token_digest

EVERYTHING = (date(1990, 1, 1), date(2100, 1, 1))
TEST_LINKS = feeds.Links(
    base="https://gfmd.example",
    meeting="https://gfmd.example/meetings/{}",
    deliverable="https://gfmd.example/deliverables/{}",
)


def parse(body: bytes) -> icalendar.Calendar:
    """Parse a feed with icalendar, vobject (validating) and recurring-ical-events.

    All three must see the same events; every line is CRLF-terminated and at most 75 octets;
    no timed event is floating.
    """
    assert body.endswith(b"\r\n")
    lines = body.split(b"\r\n")[:-1]
    assert all(b"\n" not in line and b"\r" not in line for line in lines)
    assert all(len(line) <= 75 for line in lines), "a content line is not folded"
    calendar = icalendar.Calendar.from_ical(body)
    uids = sorted(str(e["UID"]) for e in calendar.events)
    assert len(set(uids)) == len(uids), "a UID appears twice"
    assert sum(1 for line in lines if line == b"BEGIN:VEVENT") == len(uids)
    parsed = vobject.readOne(body.decode(), validate=True)
    assert sorted(e.uid.value for e in getattr(parsed, "vevent_list", [])) == uids
    expanded = recurring_ical_events.of(calendar).between(*EVERYTHING)
    assert sorted(str(e["UID"]) for e in expanded) == uids
    for component in calendar.events:
        if isinstance(component.start, datetime):
            assert component.start.utcoffset() == timedelta(0)
            assert component.end.utcoffset() == timedelta(0)
    return calendar


def by_uid(calendar: icalendar.Calendar) -> dict[str, icalendar.Event]:
    """The calendar's events keyed by UID."""
    return {str(e["UID"]): e for e in calendar.events}


def fetch(client, url: str, status: int = 200, **headers):
    """GET a feed and check its status (and, for a 200, its type)."""
    response = client.get(url, headers=headers)
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    if status == 200:
        assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    return response


def feed(client, url: str = "/calendar/meetings.ics") -> icalendar.Calendar:
    """A feed, fetched and parsed."""
    return parse(fetch(client, url).data)


def uid(meeting) -> str:
    """The UID a meeting's event carries."""
    return f"meeting-{meeting.id}@gfmd-workplan"


def issue_token(app, user) -> str:
    """A private feed token for the user, committed."""
    with app.app_context():
        _, raw = feeds.issue_token(db.session.get(User, user.id), "Tests")
        db.session.commit()
    return raw


def in_app(app, meeting_id: int, change, *args) -> None:
    """Run a meeting service on a meeting and commit, as a view would."""
    with app.app_context():
        change(db.session.get(Meeting, meeting_id), *args)
        db.session.commit()


# The calendar and its events.


def test_public_feed_has_the_calendar_properties_clients_read(client, make):
    """PRODID, VERSION, names, description, refresh interval with its value type, and TTL."""
    make.meeting()
    response = fetch(client, "/calendar/meetings.ics")
    calendar = parse(response.data)
    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"] == feeds.PRODID
    assert calendar["NAME"] == calendar["X-WR-CALNAME"] == "GFMD meetings"
    assert "published meetings" in calendar["DESCRIPTION"]
    assert "published meetings" in calendar["X-WR-CALDESC"]
    assert b"\r\nREFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in response.data
    assert b"\r\nX-PUBLISHED-TTL:PT1H\r\n" in response.data
    # A calendar-wide zone would make some clients re-read UTC times as local ones.
    assert b"X-WR-TIMEZONE" not in response.data
    # Nor a calendar-level UID: vdirsyncer would take it for every event's UID.
    assert "UID" not in calendar
    assert response.headers["ETag"].startswith('"') and not response.headers["ETag"].startswith(
        "W/"
    )
    assert response.headers["Last-Modified"]
    assert response.headers["Cache-Control"] == "public, max-age=300"
    assert response.headers["Content-Disposition"] == 'inline; filename="gfmd-meetings.ics"'


def test_meeting_event_carries_every_field(client, make):
    """UID, SEQUENCE, SUMMARY with the RT number, LOCATION, DESCRIPTION, URL, CATEGORIES, stamps."""
    roundtable = make.roundtable(number="1.1", title="Labour mobility and skills")
    meeting = make.meeting(
        roundtable=roundtable,
        kind="roundtable_session",
        title="Skills partnerships",
        venue="Palais des Nations",
        city="Geneva",
        online_url="https://meet.example/rt11",
        description="Bring the background paper.",
        sequence=2,
    )
    make.agenda_item(meeting, minutes=30, title="Welcome")
    last = make.agenda_item(meeting, minutes=90, title="Panel: employers and unions")

    events = by_uid(feed(client))
    assert list(events) == [uid(meeting)]
    component = events[uid(meeting)]
    assert component["SUMMARY"] == "RT 1.1: Skills partnerships"
    assert component["LOCATION"] == "Palais des Nations, Geneva (and online)"
    assert component["URL"] == f"http://localhost/meetings/{meeting.id}"
    assert [str(c) for c in component["CATEGORIES"].cats] == ["Roundtable session", "RT 1.1"]
    assert component["SEQUENCE"] == 2
    assert component["STATUS"] == "CONFIRMED"
    assert component.start == meeting.starts_at
    assert component.end == meeting.ends_at
    changed = max(make.fresh(Meeting, meeting.id).updated_at, last.updated_at)
    assert component["DTSTAMP"].dt == changed.replace(microsecond=0)
    assert component["LAST-MODIFIED"].dt == changed.replace(microsecond=0)
    description = str(component["DESCRIPTION"])
    assert "Roundtable session · RT 1.1 Labour mobility and skills" in description
    assert (
        "Local time at the venue: Monday 21 October 2030, 10:00–13:00 CEST "
        "(Europe/Zurich time)" in description
    )
    assert "Online: https://meet.example/rt11" in description
    assert "Agenda:\n10:00 Welcome (30 min)\n10:30 Panel: employers and unions (1 h 30 min)" in (
        description
    )
    assert "Bring the background paper." in description
    assert description.endswith(f"Details: http://localhost/meetings/{meeting.id}")


def test_meeting_across_a_daylight_saving_change(client, make):
    """Saturday 10:00 CEST to Monday 17:00 CET in Zurich: 56 real hours, both offsets named."""
    meeting = make.meeting(
        starts_at=datetime(2030, 10, 26, 8, 0, tzinfo=UTC),
        ends_at=datetime(2030, 10, 28, 16, 0, tzinfo=UTC),
        timezone="Europe/Zurich",
    )
    calendar = feed(client)
    component = by_uid(calendar)[uid(meeting)]
    assert component.end - component.start == timedelta(hours=56)
    assert (
        "Saturday 26 October 2030 10:00 CEST to Monday 28 October 2030 17:00 CET "
        "(Europe/Zurich time)" in str(component["DESCRIPTION"])
    )
    # The day the clocks go back lies inside the meeting for every parser.
    on_the_day = recurring_ical_events.of(calendar).at(date(2030, 10, 27))
    assert [str(e["UID"]) for e in on_the_day] == [uid(meeting)]


def test_meeting_in_a_zone_without_daylight_saving(client, make):
    """Dhaka keeps +06 all year: the venue time reads the same in March and in July."""
    march = make.meeting(
        starts_at=datetime(2030, 3, 31, 3, 0, tzinfo=UTC), timezone="Asia/Dhaka", city="Dhaka"
    )
    july = make.meeting(
        starts_at=datetime(2030, 7, 1, 3, 0, tzinfo=UTC), timezone="Asia/Dhaka", city="Dhaka"
    )
    events = by_uid(feed(client))
    assert "Sunday 31 March 2030, 09:00–12:00 +06 (Asia/Dhaka time)" in str(
        events[uid(march)]["DESCRIPTION"]
    )
    assert "Monday 1 July 2030, 09:00–12:00 +06 (Asia/Dhaka time)" in str(
        events[uid(july)]["DESCRIPTION"]
    )
    assert events[uid(july)].start == datetime(2030, 7, 1, 3, 0, tzinfo=UTC)


def test_reschedule_and_move_raise_sequence_and_keep_the_uid(app, client, make):
    """A new time, then a new place: the same UID each time, SEQUENCE one higher each time."""
    meeting = make.meeting(city="Geneva")
    before = fetch(client, "/calendar/meetings.ics")
    first = by_uid(parse(before.data))[uid(meeting)]

    new_start = datetime(2030, 11, 4, 13, 0, tzinfo=UTC)
    in_app(
        app,
        meeting.id,
        meeting_service.reschedule,
        new_start,
        new_start + timedelta(hours=2),
        "Europe/Zurich",
    )
    after = fetch(client, "/calendar/meetings.ics")
    assert after.headers["ETag"] != before.headers["ETag"]
    second = by_uid(parse(after.data))[uid(meeting)]
    assert second["SEQUENCE"] == first["SEQUENCE"] + 1
    assert second.start == new_start
    assert "Monday 4 November 2030, 14:00–16:00 CET" in str(second["DESCRIPTION"])

    in_app(app, meeting.id, meeting_service.move, "Hotel Ibis", "Istanbul", None)
    third = by_uid(feed(client))[uid(meeting)]
    assert third["SEQUENCE"] == first["SEQUENCE"] + 2
    assert third["LOCATION"] == "Hotel Ibis, Istanbul"


def test_cancelled_meeting_stays_in_the_feed_marked_cancelled(app, client, make):
    """Calendars that hold the meeting learn it is off instead of silently losing it."""
    meeting = make.meeting(title="Friends of the Forum")
    sequence = by_uid(feed(client))[uid(meeting)]["SEQUENCE"]
    in_app(app, meeting.id, meeting_service.cancel)
    component = by_uid(feed(client))[uid(meeting)]
    assert component["STATUS"] == "CANCELLED"
    assert component["SUMMARY"] == "Cancelled: Friends of the Forum"
    assert component["SEQUENCE"] == sequence + 1
    assert "CANCELLED: this meeting will not take place." in str(component["DESCRIPTION"])


def test_drafts_and_archived_meetings_are_in_no_feed(app, client, make, auth):
    """Not public, not per chairmanship, roundtable or team, not private, not as a download."""
    government = make.government()
    team = make.team(lead=government)
    roundtable = make.roundtable(co_chairs=[government])
    chairmanship = roundtable.chairmanship
    common = {"chairmanship": chairmanship, "roundtable": roundtable, "team": team}
    shown = make.meeting(**common)
    draft = make.meeting(state="draft", **common)
    archived = make.meeting(archived_at=utcnow(), **common)
    focal_point = make.user(role="focal_point", government=government)
    token = issue_token(app, focal_point)
    for url in (
        "/calendar/meetings.ics",
        f"/calendar/chairmanships/{chairmanship.id}.ics",
        f"/calendar/roundtables/{roundtable.id}.ics",
        f"/calendar/teams/{team.id}.ics",
        f"/calendar/private/{token}.ics",
    ):
        body = fetch(client, url).data
        assert list(by_uid(parse(body))) == [uid(shown)], url
        assert b"-draft" not in body
    auth.login(make.user(role="secretariat"))
    for hidden in (draft, archived):
        fetch(client, f"/calendar/meetings/{hidden.id}.ics", status=404)


def test_feeds_of_a_chairmanship_a_roundtable_and_a_team_hold_only_theirs(client, make):
    """Each scope picks its own meetings; an unknown or archived owner is a 404."""
    roundtable = make.roundtable()
    team = make.team()
    in_roundtable = make.meeting(chairmanship=roundtable.chairmanship, roundtable=roundtable)
    in_team = make.meeting(team=team)
    elsewhere = make.meeting()
    chairmanship = roundtable.chairmanship
    assert list(by_uid(feed(client, f"/calendar/roundtables/{roundtable.id}.ics"))) == [
        uid(in_roundtable)
    ]
    assert list(by_uid(feed(client, f"/calendar/teams/{team.id}.ics"))) == [uid(in_team)]
    assert list(by_uid(feed(client, f"/calendar/chairmanships/{chairmanship.id}.ics"))) == [
        uid(in_roundtable)
    ]
    everything = by_uid(feed(client))
    assert set(everything) == {uid(in_roundtable), uid(in_team), uid(elsewhere)}
    calendar = feed(client, f"/calendar/roundtables/{roundtable.id}.ics")
    assert calendar["X-WR-CALNAME"] == f"GFMD RT {roundtable.number} {roundtable.title}"
    fetch(client, "/calendar/roundtables/999999.ics", status=404)
    fetch(client, "/calendar/chairmanships/999999.ics", status=404)
    archived_team = make.team(archived_at=utcnow())
    fetch(client, f"/calendar/teams/{archived_team.id}.ics", status=404)


def test_add_to_calendar_downloads_one_meeting(client, make):
    """An attachment holding exactly that meeting; cancelled ones too, marked."""
    meeting = make.meeting(title="Steering Group, March")
    make.meeting()
    response = fetch(client, f"/calendar/meetings/{meeting.id}.ics")
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="gfmd-meeting-{meeting.id}.ics"'
    )
    assert list(by_uid(parse(response.data))) == [uid(meeting)]
    cancelled = make.meeting(state="cancelled")
    component = by_uid(feed(client, f"/calendar/meetings/{cancelled.id}.ics"))[uid(cancelled)]
    assert component["STATUS"] == "CANCELLED"
    fetch(client, "/calendar/meetings/999999.ics", status=404)


def test_links_outside_a_request_use_the_public_base_url(app):
    """A feed built by a command (no request) links to PUBLIC_BASE_URL."""
    app.config["PUBLIC_BASE_URL"] = "https://workplan.gfmd.example/app"
    with app.app_context():
        built = feeds.links()
    assert built.meeting_url(12) == "https://workplan.gfmd.example/app/meetings/12"
    assert built.deliverable_url(3) == "https://workplan.gfmd.example/app/deliverables/3"
    with app.test_request_context(base_url="http://calendar.example:8000"):
        assert feeds.links().meeting_url(12) == "http://calendar.example:8000/meetings/12"


def test_head_requests_answer_headers_only(client, make):
    """HEAD gives the same validators as GET, and no body."""
    make.meeting()
    got = fetch(client, "/calendar/meetings.ics")
    head = client.head("/calendar/meetings.ics")
    assert head.status_code == 200 and head.data == b""
    assert head.headers["ETag"] == got.headers["ETag"]


# Hostile text.

HOSTILE_TITLES = [
    "Line one\nBEGIN:VEVENT\nUID:evil@attacker",
    "Colombo, Dhaka, Abu Dhabi",
    "Agenda; part two; part three",
    "Carriage\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:injected",
    "Unicode\u2028END:VCALENDAR\u2029and\x85next line",
    # PostgreSQL refuses NUL in text, so NUL is tried on the builder below instead.
    "Tab\tescape\x1b[31mbell\x07",
    "Back\\slash and \\N that is not a line break",
    "Côte d’Ivoire · Türkiye · 日本 · 😀 " * 8,
    "x" * 300,
]


def test_hostile_titles_neither_break_nor_inject(client, make):
    """Newlines, commas, semicolons, control characters and long titles stay inside SUMMARY."""
    meetings = [make.meeting(title=title) for title in HOSTILE_TITLES]
    response = fetch(client, "/calendar/meetings.ics")
    calendar = parse(response.data)
    events = by_uid(calendar)
    assert set(events) == {uid(m) for m in meetings}
    for meeting, title in zip(meetings, HOSTILE_TITLES, strict=True):
        assert events[uid(meeting)]["SUMMARY"] == feeds.one_line(title)
        assert "\n" not in events[uid(meeting)]["SUMMARY"]
    body = response.data.decode()
    assert "evil@attacker" not in [str(e["UID"]) for e in calendar.events]
    assert not re.search(r"^(UID:evil|SUMMARY:injected|END:VCALENDAR\r\n.)", body, re.M)
    structure = [line for line in body.split("\r\n") if re.match("(BEGIN|END):", line)]
    assert structure == ["BEGIN:VCALENDAR"] + ["BEGIN:VEVENT", "END:VEVENT"] * len(meetings) + [
        "END:VCALENDAR"
    ]
    assert "\x07" not in body and "\x1b" not in body and "\u2028" not in body
    assert events[uid(meetings[6])]["SUMMARY"] == "Back\\slash and \\N that is not a line break"


def test_a_1000_character_title_is_folded_and_read_back_whole():
    """Longer than the column allows, so built directly: folded lines, the same text read back."""
    title = ("Migration, development; and “partnerships”\x00 across borders 日本 😀 \\ ^ " * 20)[
        :1000
    ]
    entry = feeds.MeetingEntry(
        id=7,
        kind="summit",
        title=title,
        description=title,
        starts_at=datetime(2030, 1, 20, 8, 0, tzinfo=UTC),
        ends_at=datetime(2030, 1, 22, 16, 0, tzinfo=UTC),
        timezone="Asia/Dhaka",
        venue=title,
        city="Dhaka",
        online_url=None,
        state="published",
        sequence=0,
        updated_at=datetime(2029, 12, 1, tzinfo=UTC),
    )
    body = feeds.calendar_bytes("Long", "Long titles", [feeds.meeting_event(entry, [], TEST_LINKS)])
    assert b"\x00" not in body
    component = by_uid(parse(body))["meeting-7@gfmd-workplan"]
    assert component["SUMMARY"] == feeds.one_line(title)
    assert len(component["SUMMARY"]) == len(feeds.one_line(title))
    assert component["LOCATION"] == f"{feeds.one_line(title)}, Dhaka"


def _random_text(rng: random.Random, length: int) -> str:
    alphabet = "abc XYZ,;:\\^\n\té日😀\"'-_"
    # icalendar reads a literal \N in its input as a line break; we keep it as written.
    return "".join(rng.choice(alphabet) for _ in range(length)).replace("\\N", "\\n")


def test_events_are_written_byte_for_byte_as_icalendar_writes_them():
    """The fast writer is the icalendar package's output: same order, escaping and folding."""
    rng = random.Random(20140514)
    for n in range(300):
        title, venue, description = (_random_text(rng, rng.randint(0, 400)) for _ in range(3))
        meeting = feeds.MeetingEntry(
            id=n,
            kind=rng.choice(["summit", "troika", "roundtable_session"]),
            title=title,
            description=description,
            starts_at=datetime(2030, 5, 1, 7, 30, tzinfo=UTC) + timedelta(hours=n),
            ends_at=datetime(2030, 5, 1, 9, 0, tzinfo=UTC) + timedelta(hours=n),
            timezone=rng.choice(["Europe/Zurich", "Asia/Dhaka", "America/Mexico_City"]),
            venue=venue or None,
            city=rng.choice([None, "Geneva", "Quito, Ecuador"]),
            online_url=rng.choice([None, "https://meet.example/a,b;c"]),
            state=rng.choice(["published", "cancelled"]),
            sequence=n % 5,
            updated_at=datetime(2030, 1, 1, 12, 0, 0, 123456, tzinfo=UTC),
            roundtable_number=rng.choice([None, "1.1", "2a"]),
            roundtable_title=title[:50],
            roundtable_updated_at=datetime(2030, 2, 1, tzinfo=UTC),
            agenda_updated_at=rng.choice([None, datetime(2030, 3, 1, 9, 30, tzinfo=UTC)]),
        )
        agenda = [
            feeds.AgendaEntry(_random_text(rng, 40), rng.choice([15, 30, 95]))
            for _ in range(rng.randint(0, 3))
        ]
        url = TEST_LINKS.meeting_url(n)
        changed = feeds.meeting_changed(meeting)
        reference = icalendar.Event.new(
            summary=feeds.meeting_summary(meeting),
            start=meeting.starts_at,
            end=meeting.ends_at,
            stamp=changed,
            last_modified=changed,
            uid=feeds.meeting_uid(n),
            sequence=meeting.sequence,
            categories=feeds.meeting_categories(meeting),
            description=feeds.meeting_description(meeting, agenda, url),
            location=feeds.meeting_location(meeting) or None,
            status="CANCELLED" if meeting.state == "cancelled" else "CONFIRMED",
            url=url,
        )
        assert feeds.meeting_event(meeting, agenda, TEST_LINKS) == reference.to_ical(), n

        deliverable = feeds.DeliverableEntry(
            id=n,
            title=title,
            description=description,
            due_on=date(2030, 6, 30) + timedelta(days=n),
            status="in_progress",
            percent_complete=n % 101,
            version=1 + n % 4,
            updated_at=datetime(2030, 1, 1, tzinfo=UTC),
            team_name=None if n % 2 else venue or "Team",
        )
        url = TEST_LINKS.deliverable_url(n)
        code, _ = writer._owner(deliverable)
        changed = feeds.deliverable_changed(deliverable)
        reference = icalendar.Event.new(
            summary=feeds.deliverable_summary(deliverable),
            start=deliverable.due_on,
            end=deliverable.due_on + timedelta(days=1),
            stamp=changed,
            last_modified=changed,
            uid=feeds.deliverable_uid(n),
            sequence=deliverable.version - 1,
            categories=[c for c in ("Deliverable", code) if c],
            description=feeds.deliverable_description(deliverable, url),
            transparency="TRANSPARENT",
            url=url,
        )
        assert feeds.deliverable_event(deliverable, TEST_LINKS) == reference.to_ical(), n


# HTTP: identical bytes, conditional requests, caching, constant queries.


def test_unchanged_feed_is_byte_identical_across_requests_and_workers(database_url, client, make):
    """Two polls, and a second app standing in for another worker, get the same bytes and ETag."""
    make.meeting()
    make.meeting(timezone="Asia/Dhaka")
    first = fetch(client, "/calendar/meetings.ics")
    second = fetch(client, "/calendar/meetings.ics")
    other_worker = create_app("testing", SQLALCHEMY_DATABASE_URI=database_url)
    try:
        third = fetch(other_worker.test_client(), "/calendar/meetings.ics")
    finally:
        with other_worker.app_context():
            db.session.remove()
            db.engine.dispose()
    assert first.data == second.data == third.data
    assert first.headers["ETag"] == second.headers["ETag"] == third.headers["ETag"]
    assert first.headers["Last-Modified"] == third.headers["Last-Modified"]


def test_conditional_requests_answer_304_only_on_a_real_match(client, make):
    """If-None-Match (strong, weak or *) and the exact If-Modified-Since give 304; others 200."""
    make.meeting()
    url = "/calendar/meetings.ics"
    first = fetch(client, url)
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]

    not_modified = fetch(client, url, 304, **{"If-None-Match": etag})
    assert not_modified.data == b""
    assert not_modified.headers["ETag"] == etag
    assert not_modified.headers["Cache-Control"] == "public, max-age=300"
    fetch(client, url, 304, **{"If-None-Match": f'"other", {etag}'})
    fetch(client, url, 304, **{"If-None-Match": f"W/{etag}"})
    fetch(client, url, 304, **{"If-None-Match": "*"})
    fetch(client, url, 200, **{"If-None-Match": '"other"'})
    fetch(client, url, 200, **{"If-None-Match": etag[:-2] + '"'})

    fetch(client, url, 304, **{"If-Modified-Since": modified})
    earlier = datetime.strptime(modified, "%a, %d %b %Y %H:%M:%S GMT") - timedelta(seconds=1)
    fetch(client, url, 200, **{"If-Modified-Since": earlier.strftime("%a, %d %b %Y %H:%M:%S GMT")})
    fetch(client, url, 200, **{"If-Modified-Since": "not a date"})
    # If-None-Match decides when both are sent.
    fetch(client, url, 200, **{"If-None-Match": '"other"', "If-Modified-Since": modified})


def test_304_is_answered_from_one_query_without_building(app, client, make, monkeypatch):
    """The validator is one aggregate query; nothing is built for a 304, nor when cached."""
    make.meeting()
    etag = fetch(client, "/calendar/meetings.ics").headers["ETag"]

    def refuse(*args, **kwargs):
        raise AssertionError("the calendar was built")

    monkeypatch.setattr(feeds, "build_calendar", refuse)
    with counting_queries(app) as statements:
        fetch(client, "/calendar/meetings.ics", 304, **{"If-None-Match": etag})
    assert len(statements) == 1
    with counting_queries(app) as statements:
        fetch(client, "/calendar/meetings.ics")
    assert len(statements) == 1


def test_a_change_anywhere_in_the_feed_changes_the_etag_and_the_body(client, make, db_session):
    """Roundtable renamed, agenda item added, meeting archived: each invalidates the cache."""
    roundtable = make.roundtable(number="2.1")
    meeting = make.meeting(roundtable=roundtable, chairmanship=roundtable.chairmanship)
    seen = {fetch(client, "/calendar/meetings.ics").headers["ETag"]}

    db_session.get(Roundtable, roundtable.id).number = "2.2"
    db_session.commit()
    response = fetch(client, "/calendar/meetings.ics")
    assert response.headers["ETag"] not in seen
    seen.add(response.headers["ETag"])
    assert by_uid(parse(response.data))[uid(meeting)]["SUMMARY"].startswith("RT 2.2:")

    make.agenda_item(make.fresh(Meeting, meeting.id), title="Closing remarks")
    response = fetch(client, "/calendar/meetings.ics")
    assert response.headers["ETag"] not in seen
    seen.add(response.headers["ETag"])
    assert "Closing remarks" in str(by_uid(parse(response.data))[uid(meeting)]["DESCRIPTION"])

    db_session.get(Meeting, meeting.id).archived_at = utcnow()
    db_session.commit()
    response = fetch(client, "/calendar/meetings.ics")
    assert response.headers["ETag"] not in seen
    assert by_uid(parse(response.data)) == {}


def test_an_unrelated_change_keeps_the_etag_and_the_cached_body(app, client, auth, make):
    """A login moves the audit clock: the validator is recomputed, found equal, nothing rebuilt."""
    make.meeting()
    first = fetch(client, "/calendar/meetings.ics")
    builds = app.extensions["workplan.feed_cache"].builds
    auth.login(make.user())
    auth.logout()
    with counting_queries(app) as statements:
        again = fetch(
            client, "/calendar/meetings.ics", 304, **{"If-None-Match": first.headers["ETag"]}
        )
    assert len(statements) == 2  # the audit clock moved, so the aggregate ran again
    assert again.headers["ETag"] == first.headers["ETag"]
    assert fetch(client, "/calendar/meetings.ics").data == first.data
    assert app.extensions["workplan.feed_cache"].builds == builds


def test_a_write_that_skips_the_audit_log_is_seen_once_trust_runs_out(
    client, make, db_session, monkeypatch
):
    """Bulk SQL leaves no audit event; the validator is recomputed when its trust expires."""
    meeting = make.meeting(title="Before")
    etag = fetch(client, "/calendar/meetings.ics").headers["ETag"]
    db_session.execute(update(Meeting).values(title="After"))
    db_session.commit()
    assert fetch(client, "/calendar/meetings.ics").headers["ETag"] == etag
    cache = client.application.extensions["workplan.feed_cache"]
    monkeypatch.setattr(cache, "trust_seconds", 0.0)
    response = fetch(client, "/calendar/meetings.ics")
    assert response.headers["ETag"] != etag
    assert by_uid(parse(response.data))[uid(meeting)]["SUMMARY"] == "After"


def _populate(make, government, n: int) -> None:
    for i in range(n):
        roundtable = make.roundtable(co_chairs=[government])
        team = make.team(lead=government)
        meeting = make.meeting(
            chairmanship=roundtable.chairmanship,
            roundtable=roundtable,
            team=team,
            timezone=["Europe/Zurich", "Asia/Dhaka"][i % 2],
        )
        make.agenda_item(meeting)
        make.agenda_item(meeting)
        make.deliverable(responsible=[government], owner=roundtable)
        make.deliverable(responsible=[government], owner=team)


def test_feeds_run_a_constant_number_of_queries_whatever_the_data(app, client, make):
    """Cold builds of the public and a private feed cost the same queries for 2 or 12 meetings."""
    government = make.government()
    user = make.user(role="focal_point", government=government)
    token = issue_token(app, user)
    # The first poll records the token's use; later polls within the hour write nothing.
    fetch(client, f"/calendar/private/{token}.ics")
    counts = []
    for n in (2, 10):
        _populate(make, government, n)
        app.extensions["workplan.feed_cache"].clear()
        row = []
        for url in ("/calendar/meetings.ics", f"/calendar/private/{token}.ics"):
            with counting_queries(app) as statements:
                response = fetch(client, url)
            assert len(parse(response.data).events) >= n
            row.append(len(statements))
        counts.append(row)
    assert counts[0] == counts[1]
    # Cold public feed: audit clock, aggregate, meetings, agendas, papers, audit clock again
    # before caching; the private one adds the token and the deliverables.
    assert counts[0] == [6, 8]


def test_a_4000_event_feed_builds(app, make, db_session):
    """The yardstick of the performance issue, built once and counted."""
    chairmanship = make.chairmanship()
    roundtable = make.roundtable(chairmanship=chairmanship)
    start = datetime(2030, 1, 6, 8, 0, tzinfo=UTC)
    now = utcnow()
    db_session.execute(
        insert(Meeting),
        [
            {
                "chairmanship_id": chairmanship.id,
                "roundtable_id": roundtable.id if i % 3 == 0 else None,
                "kind": "preparatory",
                "title": f"Preparatory meeting {i}, session; {i % 7}",
                "starts_at": start + timedelta(hours=5 * i),
                "ends_at": start + timedelta(hours=5 * i + 2),
                "timezone": ["Europe/Zurich", "Asia/Dhaka", "America/New_York"][i % 3],
                "city": "Geneva",
                "state": "published",
                "sequence": 0,
                "created_at": now,
                "updated_at": now,
            }
            for i in range(4000)
        ],
    )
    db_session.commit()
    with app.test_request_context():
        body = feeds.build_calendar(feeds.public_scope(), feeds.links())
    assert body.count(b"\r\nBEGIN:VEVENT\r\n") == 4000
    assert len(icalendar.Calendar.from_ical(body).events) == 4000


# Private feeds.


def test_focal_point_feed_holds_their_governments_meetings_and_deliverables_only(app, client, make):
    """Co-chaired and member roundtables, led teams, teams in the years of membership; their own
    government's open deliverables as all-day transparent events, and no other government's."""
    mine, other = make.government(), make.government()
    co_chaired = make.roundtable(co_chairs=[mine, other])
    member_of = make.roundtable()
    make.roundtable_member(member_of, mine)
    unrelated = make.roundtable(co_chairs=[other])
    led = make.team(lead=mine)
    joined = make.team(lead=other)
    make.team_membership(joined, mine, joined_year=2029, left_year=2030)

    shown = [
        make.meeting(roundtable=co_chaired, chairmanship=co_chaired.chairmanship),
        make.meeting(roundtable=member_of, chairmanship=member_of.chairmanship),
        make.meeting(team=led),
        make.meeting(team=joined, starts_at=datetime(2030, 5, 4, 8, tzinfo=UTC)),
    ]
    hidden = [
        make.meeting(roundtable=unrelated, chairmanship=unrelated.chairmanship),
        make.meeting(team=joined, starts_at=datetime(2032, 5, 4, 8, tzinfo=UTC)),
        make.meeting(),
    ]
    own = make.deliverable(responsible=[mine], owner=co_chaired, due_on=date(2030, 12, 31))
    shared = make.deliverable(responsible=[mine, other], owner=led)
    theirs = make.deliverable(responsible=[other], owner=co_chaired)
    dropped = make.deliverable(responsible=[mine], status="dropped")
    archived = make.deliverable(responsible=[mine], archived_at=utcnow())

    token = issue_token(app, make.user(role="focal_point", government=mine))
    response = fetch(client, f"/calendar/private/{token}.ics")
    assert response.headers["Cache-Control"] == "private, max-age=300"
    events = by_uid(parse(response.data))
    due = {f"deliverable-{d.id}-due@gfmd-workplan" for d in (own, shared)}
    assert set(events) == {uid(m) for m in shown} | due
    for record in (theirs, dropped, archived):
        assert f"deliverable-{record.id}-due@gfmd-workplan" not in events
    assert not {uid(m) for m in hidden} & set(events)

    component = events[f"deliverable-{own.id}-due@gfmd-workplan"]
    assert component.start == date(2030, 12, 31)
    assert component.end == date(2031, 1, 1)
    assert component["DTSTART"].params["VALUE"] == "DATE"
    assert component["TRANSP"] == "TRANSPARENT"
    assert component["SUMMARY"] == f"Due: {own.title} (RT {co_chaired.number})"
    assert component["URL"] == f"http://localhost/deliverables/{own.id}"
    assert "Status: Planned, 0% complete" in str(component["DESCRIPTION"])


def test_follows_add_meetings_to_a_private_feed(app, client, make):
    """A member without a government sees exactly what they follow: roundtable, team, kind."""
    member = make.user(role="member")
    token = issue_token(app, member)
    url = f"/calendar/private/{token}.ics"
    roundtable, team = make.roundtable(), make.team()
    by_roundtable = make.meeting(roundtable=roundtable, chairmanship=roundtable.chairmanship)
    by_team = make.meeting(team=team)
    by_kind = make.meeting(kind="troika")
    make.meeting(kind="summit")
    assert by_uid(feed(client, url)) == {}

    with app.app_context():
        user = db.session.get(User, member.id)
        feeds.set_follows(user, [roundtable.id], [team.id], ["troika"])
        db.session.commit()
    assert set(by_uid(feed(client, url))) == {uid(by_roundtable), uid(by_team), uid(by_kind)}

    with app.app_context():
        feeds.set_follows(db.session.get(User, member.id), [], [], ["troika"])
        db.session.commit()
    assert set(by_uid(feed(client, url))) == {uid(by_kind)}


def test_set_follows_refuses_unknown_targets(app, make):
    """Unknown kinds, roundtables or teams are refused before anything is stored."""
    member = make.user()
    with app.app_context():
        user = db.session.get(User, member.id)
        with pytest.raises(DomainError):
            feeds.set_follows(user, [], [], ["picnic"])
        with pytest.raises(DomainError):
            feeds.set_follows(user, [999999], [], [])
        with pytest.raises(DomainError):
            feeds.set_follows(user, [], [999999], [])


def test_revoked_unknown_and_dead_tokens_get_a_bare_404(app, client, make, db_session):
    """The same empty 404 whether the token never existed, was revoked or its owner left."""
    user = make.user()
    token = issue_token(app, user)
    url = f"/calendar/private/{token}.ics"
    fetch(client, url)
    with app.app_context():
        record = db.session.scalar(db.select(CalendarToken).filter_by(user_id=user.id))
        feeds.revoke_token(record)
        db.session.commit()
    answers = [
        fetch(client, url, 404),
        fetch(client, "/calendar/private/" + "A" * 43 + ".ics", 404),
        fetch(client, "/calendar/private/short.ics", 404),
    ]
    other = make.user()
    live = issue_token(app, other)
    db_session.execute(update(User).where(User.id == other.id).values(active=False))
    db_session.commit()
    answers.append(fetch(client, f"/calendar/private/{live}.ics", 404))
    for answer in answers:
        assert answer.data == b""
        assert "ETag" not in answer.headers
        assert answer.headers["Cache-Control"] == "no-store"


def test_token_use_is_written_at_most_once_an_hour(app, client, make, db_session):
    """Polls within the hour cost no write; the first poll after it records the time."""
    user = make.user()
    token = issue_token(app, user)
    url = f"/calendar/private/{token}.ics"
    fetch(client, url)
    first = db_session.scalar(db.select(CalendarToken.last_used_at))
    assert first is not None
    with counting_queries(app) as statements:
        fetch(client, url)
    assert not [s for s in statements if s.lstrip().upper().startswith("UPDATE")]
    assert db_session.scalar(db.select(CalendarToken.last_used_at)) == first

    db_session.execute(update(CalendarToken).values(last_used_at=first - timedelta(hours=2)))
    db_session.commit()
    fetch(client, url)
    db_session.expire_all()
    assert db_session.scalar(db.select(CalendarToken.last_used_at)) > first - timedelta(hours=1)


def test_tokens_are_stored_only_as_hashes(app, make):
    """The raw token is returned once; the row holds its SHA-256 and nothing that reveals it."""
    user = make.user()
    with app.app_context():
        record, raw = feeds.issue_token(db.session.get(User, user.id), "  Phone \n ")
        db.session.commit()
        assert record.label == "Phone"
        assert record.token_hash == token_digest(raw) != raw
        assert raw not in repr(db.session.execute(db.select(CalendarToken.__table__)).all())
        assert len(raw) >= 40


# Log lines never carry a token.


def test_redaction_filter_hides_tokens_in_request_log_lines(app, caplog):
    """werkzeug's request line, with the token in an argument, is logged redacted."""
    secret = "s3cretTOKENs3cretTOKENs3cretTOKENs3cretTOK"
    logger = logging.getLogger("werkzeug")
    assert any(isinstance(f, RedactSecretLinks) for f in logger.filters)
    with caplog.at_level(logging.INFO, logger="werkzeug"):
        logger.info(
            '%s - - [%s] "%s" %s %s',
            "127.0.0.1",
            "29/Nov/2026 10:00:00",
            f"GET /calendar/private/{secret}.ics HTTP/1.1",
            "200",
            "-",
        )
        logging.getLogger(app.logger.name).error(
            "Unhandled error on GET /calendar/private/%s.ics", secret
        )
    assert secret not in caplog.text
    assert caplog.text.count("/calendar/private/[redacted].ics") == 2
    assert redact("/calendar/private/abc_DEF-123?x=1 and /calendar/meetings.ics") == (
        "/calendar/private/[redacted]?x=1 and /calendar/meetings.ics"
    )
    # A set-password link opens an account: it is kept out of the logs the same way.
    with caplog.at_level(logging.INFO, logger="werkzeug"):
        logger.info('"GET /auth/set-password/%s HTTP/1.1" 200 -', secret)
    assert secret not in caplog.text
    assert '"GET /auth/set-password/[redacted] HTTP/1.1" 200 -' in caplog.text


# The meeting services the secretariat's screens call.


def _edit(app, meeting_id: int, change):
    """Run a service on a fresh copy of the meeting; return it (uncommitted) or the error."""
    with app.app_context():
        meeting = db.session.get(Meeting, meeting_id)
        try:
            change(meeting)
        except DomainError as error:
            db.session.rollback()
            return error
        result = (meeting.state, meeting.sequence, meeting.starts_at, meeting.venue)
        db.session.commit()
        return result


def test_publish_and_cancel_follow_the_meeting_lifecycle(app, make):
    """Draft → published → cancelled → published again, SEQUENCE rising; wrong moves refused."""
    meeting = make.meeting(state="draft")
    assert isinstance(_edit(app, meeting.id, meeting_service.cancel), DomainError)
    assert _edit(app, meeting.id, meeting_service.publish)[:2] == ("published", 1)
    assert isinstance(_edit(app, meeting.id, meeting_service.publish), DomainError)
    assert _edit(app, meeting.id, meeting_service.cancel)[:2] == ("cancelled", 2)
    assert isinstance(_edit(app, meeting.id, meeting_service.cancel), DomainError)
    assert _edit(app, meeting.id, meeting_service.publish)[:2] == ("published", 3)
    archived = make.meeting(state="draft", archived_at=utcnow())
    assert isinstance(_edit(app, archived.id, meeting_service.publish), DomainError)


def test_reschedule_validates_and_ignores_no_change(app, make):
    """End after start, aware times, a known IANA zone, a plausible length; no-op keeps SEQUENCE."""
    meeting = make.meeting()
    start = datetime(2031, 2, 3, 9, 0, tzinfo=UTC)

    def reschedule(starts_at, ends_at, zone="Europe/Zurich"):
        return _edit(
            app, meeting.id, lambda m: meeting_service.reschedule(m, starts_at, ends_at, zone)
        )

    for bad, field in (
        (reschedule(start, start), "ends_at"),
        (reschedule(start, start - timedelta(hours=1)), "ends_at"),
        (reschedule(start.replace(tzinfo=None), start + timedelta(hours=1)), "starts_at"),
        (reschedule(start, start + timedelta(hours=1), "Mars/Olympus_Mons"), "timezone"),
        (reschedule(start, start + timedelta(days=40)), "ends_at"),
    ):
        assert isinstance(bad, DomainError) and bad.field == field
    assert reschedule(start, start + timedelta(hours=2), "Asia/Dhaka")[1] == 1
    assert reschedule(start, start + timedelta(hours=2), "Asia/Dhaka")[1] == 1


def test_move_validates_the_place_and_ignores_no_change(app, make):
    """A venue, a city or a web link is needed; a javascript: link is not a web link."""
    meeting = make.meeting(venue=None, city="Geneva", online_url=None)
    assert isinstance(
        _edit(app, meeting.id, lambda m: meeting_service.move(m, " ", None, None)), DomainError
    )
    error = _edit(app, meeting.id, lambda m: meeting_service.move(m, None, None, "javascript:x()"))
    assert isinstance(error, DomainError) and error.field == "online_url"
    assert _edit(app, meeting.id, lambda m: meeting_service.move(m, None, "Geneva", None))[1] == 0
    moved = _edit(app, meeting.id, lambda m: meeting_service.move(m, " CICG ", "Geneva", None))
    assert moved[1:] == (1, meeting.starts_at, "CICG")


def test_services_flush_but_never_commit(app, make):
    """A rollback after a service call leaves the meeting as it was."""
    meeting = make.meeting()
    with app.app_context():
        record = db.session.get(Meeting, meeting.id)
        meeting_service.cancel(record)
        db.session.rollback()
    assert make.fresh(Meeting, meeting.id).state == "published"
    assert make.fresh(Meeting, meeting.id).sequence == 0


def test_venue_instant_refuses_times_a_clock_change_skips_or_repeats():
    """02:30 on the spring-forward night does not exist in Zurich; on the fall-back night, twice."""
    assert meeting_service.venue_instant(datetime(2030, 7, 1, 10, 0), "Europe/Zurich") == datetime(
        2030, 7, 1, 8, 0, tzinfo=UTC
    )
    assert meeting_service.venue_instant(datetime(2030, 7, 1, 10, 0), "Asia/Dhaka") == datetime(
        2030, 7, 1, 4, 0, tzinfo=UTC
    )
    with pytest.raises(DomainError, match="does not exist"):
        meeting_service.venue_instant(datetime(2030, 3, 31, 2, 30), "Europe/Zurich")
    with pytest.raises(DomainError, match="happens twice"):
        meeting_service.venue_instant(datetime(2030, 10, 27, 2, 30), "Europe/Zurich")
    with pytest.raises(DomainError):
        meeting_service.venue_instant(datetime(2030, 7, 1, 10, 0), "Nowhere/Atlantis")


def test_feed_queries_fill_every_entry_field():
    """The feed's column lists and the entries built from them stay the same length."""
    # The meetings query adds the agenda's last change after these columns.
    assert len(feeds.MEETING_COLUMNS) + 1 == len(feeds.MeetingEntry.__dataclass_fields__)
    assert len(feeds.DELIVERABLE_COLUMNS) == len(feeds.DeliverableEntry.__dataclass_fields__)


def _in(app, language: str, message: str, **values) -> str:
    """A message as the catalogue words it in a language; it must really be translated."""
    with app.test_request_context(), force_locale(language):
        worded = gettext(message, **values)
    assert language == "en" or worded != message % values, f"untranslated in {language}"
    return worded


@pytest.mark.parametrize("language", ["fr", "es"])
def test_feeds_speak_the_language_asked_for_and_keep_the_data(app, client, make, language):
    """?lang= words the labels, days and statuses; titles stay as entered; each language has its
    own ETag and cached body, so the English feed stays English."""
    meeting = make.meeting(
        kind="roundtable_session",
        title="Skills partnerships",
        city="Geneva",
        starts_at=datetime(2030, 10, 21, 8, tzinfo=UTC),
        ends_at=datetime(2030, 10, 21, 11, tzinfo=UTC),
        timezone="Europe/Zurich",
    )
    english = fetch(client, "/calendar/meetings.ics")
    translated = fetch(client, f"/calendar/meetings.ics?lang={language}")
    component = by_uid(parse(translated.data))[uid(meeting)]
    description = str(component["DESCRIPTION"])
    assert component["SUMMARY"] == "Skills partnerships"
    assert _in(app, language, "Where: %(place)s", place="Geneva") in description
    day = {"fr": "lundi 21 octobre 2030", "es": "lunes 21 de octubre de 2030"}[language]
    assert day in description
    kind = _in(app, language, "Roundtable session")
    assert [str(c) for c in component["CATEGORIES"].cats] == [kind]
    assert translated.headers["ETag"] != english.headers["ETag"]
    again = fetch(client, "/calendar/meetings.ics")
    assert again.data == english.data and b"Where: Geneva" in again.data
    # A client that asks in its own language, without ?lang=, gets it too.
    asked = fetch(client, "/calendar/meetings.ics", **{"Accept-Language": f"{language},en;q=0.5"})
    assert asked.data == translated.data


def test_a_private_feed_speaks_its_owners_language(app, client, make):
    """A calendar server polls without a session: the owner's profile decides."""
    government = make.government()
    owner = make.user(role="focal_point", government=government, locale="fr")
    deliverable = make.deliverable(responsible=[government], due_on=date(2030, 12, 31))
    token = issue_token(app, owner)
    events = by_uid(parse(fetch(client, f"/calendar/private/{token}.ics").data))
    component = events[f"deliverable-{deliverable.id}-due@gfmd-workplan"]
    assert str(component["SUMMARY"]).startswith(_in(app, "fr", "Due: %(title)s", title=""))
    assert "mardi 31 décembre 2030" in str(component["DESCRIPTION"])


def test_the_subscribe_page_hands_out_addresses_in_the_readers_language(client, make):
    """A French page gives the French feed; an English page keeps plain addresses."""
    make.meeting()
    english = client.get("/calendar/").get_data(as_text=True)
    assert "/calendar/meetings.ics?lang=" not in english
    client.post("/language", data={"lang": "fr", "next": "/calendar/"})
    french = client.get("/calendar/").get_data(as_text=True)
    assert "http://localhost/calendar/meetings.ics?lang=fr" in french


def test_a_roundtable_title_entered_in_french_shows_in_the_french_feed(client, make):
    """Translated titles are used where they exist, and the original where they do not."""
    roundtable = make.roundtable(
        number="2.1", title="Labour mobility", title_fr="Mobilité de la main-d'œuvre"
    )
    make.meeting(roundtable=roundtable, kind="roundtable_session")
    said = {
        language: fetch(client, f"/calendar/roundtables/{roundtable.id}.ics?lang={language}")
        for language in ("en", "fr", "es")
    }
    french = parse(said["fr"].data)
    assert str(french["X-WR-CALNAME"]) == "GFMD RT 2.1 Mobilité de la main-d'œuvre"
    assert "RT 2.1 Mobilité de la main-d'œuvre" in str(french.events[0]["DESCRIPTION"])
    for language in ("en", "es"):
        assert "RT 2.1 Labour mobility" in str(parse(said[language].data).events[0]["DESCRIPTION"])


def test_a_client_that_accepts_gzip_gets_the_same_feed_compressed(client, make):
    """Calendar servers accept gzip: the body shrinks, its ETag is its own, and revalidation
    works with either ETag."""
    for _ in range(3):
        make.meeting(description="Bring the background paper. " * 20)
    plain = fetch(client, "/calendar/meetings.ics")
    packed = fetch(client, "/calendar/meetings.ics", **{"Accept-Encoding": "gzip, deflate"})
    assert packed.headers["Content-Encoding"] == "gzip"
    assert (
        "Accept-Encoding" in packed.headers["Vary"] and "Accept-Encoding" in plain.headers["Vary"]
    )
    assert gzip.decompress(packed.data) == plain.data
    assert len(packed.data) < len(plain.data) / 3
    assert packed.headers["ETag"] == plain.headers["ETag"][:-1] + '-gzip"'
    again = fetch(client, "/calendar/meetings.ics", **{"Accept-Encoding": "gzip"})
    assert again.data == packed.data  # compressed once, then served from the cache
    for etag in (plain.headers["ETag"], packed.headers["ETag"]):
        fetch(client, "/calendar/meetings.ics", 304, **{"If-None-Match": etag})
    # A 304 names the representation the client would have been sent.
    revalidated = fetch(
        client,
        "/calendar/meetings.ics",
        304,
        **{"If-None-Match": plain.headers["ETag"], "Accept-Encoding": "gzip"},
    )
    assert revalidated.headers["ETag"] == packed.headers["ETag"]
    assert "Accept-Language" in plain.headers["Vary"]


def test_a_meetings_papers_ride_in_its_event_at_the_readers_access_level(
    app, client, make, db_session
):
    """The public feed links the public papers, in its language where the paper has a file in
    it; a member's own feed adds the members' papers; the secretariat's papers, archived ones
    and a draft meeting's never leave the site; adding a paper changes the ETag."""
    government = make.government()
    roundtable = make.roundtable(co_chairs=[government])
    meeting = make.meeting(title="Skills partnerships", roundtable=roundtable)
    public = make.document(meeting, samples.pdf(), access="public", title="Concept note")
    make.document(meeting, samples.docx(), access="members", title="Members' brief")
    make.document(meeting, samples.pdf(), access="secretariat", title="Budget notes")
    archived = make.document(meeting, samples.pdf(), access="public", title="Old draft")
    archived.archived_at = utcnow()
    draft = make.meeting(title="Not yet", state="draft")
    make.document(draft, samples.pdf(), access="public", title="Draft's paper")
    db_session.commit()

    def event(url: str):
        [found] = [
            e for e in parse(fetch(client, url).data).events if e["UID"].startswith("meeting-")
        ]
        return found

    shown = event("/calendar/meetings.ics")
    attached = shown.get("ATTACH")
    assert str(attached) == f"http://localhost/documents/{public.id}/en"
    assert attached.params["FMTTYPE"] == "application/pdf"
    description = str(shown["DESCRIPTION"])
    assert f"Concept note: http://localhost/documents/{public.id}/en" in description
    assert "Members' brief" not in description and "Budget notes" not in description
    assert "Old draft" not in description

    # With a French file, the French feed links it; the English one still links English.
    before = fetch(client, "/calendar/meetings.ics").headers["ETag"]
    french_file = DocumentFile(
        document_id=public.id,
        language="fr",
        number=1,
        filename="note.pdf",
        content_type="application/pdf",
        size_bytes=1,
        sha256="0" * 64,
    )
    db_session.add(french_file)
    db_session.get(Document, public.id).updated_at = utcnow()
    db_session.commit()
    assert fetch(client, "/calendar/meetings.ics").headers["ETag"] != before
    french = event("/calendar/meetings.ics?lang=fr")
    assert str(french["ATTACH"]) == f"http://localhost/documents/{public.id}/fr"

    member = make.user(role="focal_point", government=government)
    token = issue_token(app, member)
    own = event(f"/calendar/private/{token}.ics")
    assert len(own["ATTACH"]) == 2
    assert "Members' brief" in str(own["DESCRIPTION"])
    assert "Budget notes" not in str(own["DESCRIPTION"])
