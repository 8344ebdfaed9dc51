"""A meeting's programme over several days: plenaries, parallel sessions in named rooms and
breaks, checked against the meeting and each other, laid out by day, and sent to calendars as
one event per session when the secretariat asks."""

from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import func, select

from workplan.extensions import db
from workplan.models import Meeting, MeetingSession
from workplan.services import meetings

START = datetime(2030, 10, 21, 7, 0, tzinfo=UTC)  # 09:00 in Geneva


@pytest.fixture
def summit(make):
    return make.meeting(
        title="Summit",
        kind="summit",
        starts_at=START,
        ends_at=START + timedelta(days=2, hours=9),
        timezone="Europe/Zurich",
    )


@pytest.fixture
def secretariat(make, auth):
    user = make.user("secretariat")
    auth.login(user)
    return user


def _session(**changes) -> dict:
    data = {
        "kind": "plenary",
        "title": "Opening plenary",
        "day": "2030-10-21",
        "starts": "09:00",
        "ends": "10:00",
        "room": "Main hall",
    }
    data.update(changes)
    return data


def _parallel(title: str, room: str, starts: str = "10:30", ends: str = "12:00") -> dict:
    return _session(kind="parallel", title=title, starts=starts, ends=ends, room=room)


def _count(db_session) -> int:
    db_session.expire_all()
    return db_session.scalar(select(func.count()).select_from(MeetingSession))


def test_the_programme_lays_parallel_sessions_side_by_side(client, summit, secretariat, db_session):
    url = f"/meetings/{summit.id}/programme"
    for data in (
        _session(),
        _session(
            kind="parallel", title="RT 1.1 session", starts="10:30", ends="12:00", room="Room A"
        ),
        _session(
            kind="parallel", title="RT 1.2 session", starts="10:30", ends="12:00", room="Room B"
        ),
        _session(kind="break", title="Lunch", starts="12:00", ends="13:30", room=""),
        _session(title="Closing plenary", day="2030-10-23", starts="14:00", ends="15:00"),
    ):
        assert client.post(url, data=data).status_code == 302, data
    assert _count(db_session) == 5
    page = client.get(url).get_data(as_text=True)
    assert page.count('class="timetable-day') == 2
    parallel = page.split('class="timetable-row parallel"')[1].split("timetable-row")[0]
    assert "RT 1.1 session" in parallel and "RT 1.2 session" in parallel
    assert page.index("Opening plenary") < page.index("RT 1.1 session") < page.index("Lunch")
    first = db_session.scalars(select(MeetingSession).order_by(MeetingSession.starts_at)).first()
    assert first.starts_at == START  # typed on the venue's clock, kept as an instant


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"day": "2030-10-25"}, "A session falls within its meeting"),
        ({"starts": "08:00"}, "A session falls within its meeting"),
        ({"ends": "08:30"}, "A session ends after it starts"),
        ({"kind": "parallel", "room": ""}, "Name the room of a parallel session"),
        ({"kind": "coffee"}, "Not a valid choice"),
        ({"title": "  "}, "Give the session a title"),
    ],
)
def test_a_session_that_does_not_fit_is_refused(
    client, summit, secretariat, db_session, changes, message
):
    response = client.post(f"/meetings/{summit.id}/programme", data=_session(**changes))
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert _count(db_session) == 0


def test_two_sessions_never_share_a_room_at_once(client, summit, secretariat, db_session):
    url = f"/meetings/{summit.id}/programme"
    assert client.post(url, data=_session()).status_code == 302
    clash = client.post(url, data=_session(title="Side event", starts="09:30", ends="10:30"))
    assert clash.status_code == 400
    assert "Main hall is taken then by" in clash.get_data(as_text=True)
    elsewhere = _session(title="Side event", starts="09:30", ends="10:30", room="Room C")
    assert client.post(url, data=elsewhere).status_code == 302
    assert _count(db_session) == 2


def test_a_stale_edit_of_a_session_is_refused(client, summit, secretariat, db_session):
    client.post(f"/meetings/{summit.id}/programme", data=_session())
    session = db_session.scalars(select(MeetingSession)).one()
    url = f"/meetings/{summit.id}/programme/{session.id}/edit"
    version = session.version
    assert client.post(url, data=_session(title="Mine", version=version)).status_code == 302
    stale = client.post(url, data=_session(title="Theirs", version=version))
    assert stale.status_code == 409
    db_session.expire_all()
    assert db_session.get(MeetingSession, session.id).title == "Mine"


def _events(client) -> dict[str, object]:
    calendar = Calendar.from_ical(client.get("/calendar/meetings.ics").data)
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def test_calendars_get_one_event_per_session_when_asked(
    app, client, summit, secretariat, db_session
):
    url = f"/meetings/{summit.id}/programme"
    refused = client.post(f"{url}/calendar", data={"sessions": "1"})
    assert refused.status_code == 409  # nothing to send yet
    client.post(url, data=_session())
    client.post(
        url,
        data=_session(kind="parallel", title="RT 1.1", starts="10:30", ends="12:00", room="Room A"),
    )
    assert list(_events(client)) == [f"meeting-{summit.id}@gfmd-workplan"]

    assert client.post(f"{url}/calendar", data={"sessions": "1"}).status_code == 302
    events = _events(client)
    sessions = db_session.scalars(select(MeetingSession).order_by(MeetingSession.starts_at)).all()
    assert sorted(events) == sorted(f"session-{s.id}@gfmd-workplan" for s in sessions)
    parallel = events[f"session-{sessions[1].id}@gfmd-workplan"]
    assert str(parallel["SUMMARY"]) == "Summit: RT 1.1"
    assert str(parallel["LOCATION"]).startswith("Room A")
    assert parallel.decoded("DTSTART") == START + timedelta(hours=1, minutes=30)
    before = parallel["SEQUENCE"]

    edit = f"{url}/{sessions[1].id}/edit"
    moved = _parallel("RT 1.1", "Room A", starts="11:00")
    assert client.post(edit, data={**moved, "version": sessions[1].version}).status_code == 302
    assert _events(client)[f"session-{sessions[1].id}@gfmd-workplan"]["SEQUENCE"] > before

    with app.app_context():
        meetings.cancel(db.session.get(Meeting, summit.id))
        db.session.commit()
    assert {str(e["STATUS"]) for e in _events(client).values()} == {"CANCELLED"}


def _agenda_item(**changes) -> dict:
    data = {"title": "Opening remarks", "duration_minutes": "20"}
    data.update(changes)
    return data


def test_agenda_items_start_with_their_session(app, client, make, summit, secretariat, db_session):
    """An item given to a session runs from the session's start, after that session's earlier
    items; an item of no session still follows the meeting's start. The meeting page, the
    timetable, the printed agenda and the calendar all say the same."""
    plenary = make.meeting_session(summit, minutes=60, title="Opening plenary")
    workshop = make.meeting_session(
        summit,
        minutes=90,
        kind="parallel",
        title="RT 1.1 session",
        room="Room A",
        starts_at=START + timedelta(days=1, hours=1),
    )
    url = f"/meetings/{summit.id}/agenda"
    for data in (
        _agenda_item(title="Welcome", session_id=str(plenary.id)),
        _agenda_item(title="Framing the day", session_id=""),
        _agenda_item(title="Case studies", duration_minutes="45", session_id=str(workshop.id)),
        _agenda_item(title="Keynote", duration_minutes="30", session_id=str(plenary.id)),
        _agenda_item(title="Discussion", duration_minutes="30", session_id=str(workshop.id)),
    ):
        assert client.post(url, data=data).status_code == 302, data
    db_session.expire_all()
    starts = {
        item.title: start for item, start in db_session.get(Meeting, summit.id).agenda_schedule()
    }
    assert starts == {
        "Welcome": START,
        "Framing the day": START,
        "Case studies": START + timedelta(days=1, hours=1),
        "Keynote": START + timedelta(minutes=20),
        "Discussion": START + timedelta(days=1, hours=1, minutes=45),
    }

    page = client.get(f"/meetings/{summit.id}").get_data(as_text=True)
    assert "Items of a session start with it" in page
    assert 'class="small text-body-secondary text-wrap agenda-session"' in page
    timetable = client.get(f"/meetings/{summit.id}/programme").get_data(as_text=True)
    workshop_card = timetable.split(f'id="session-{workshop.id}"')[1].split("</article>")[0]
    assert "Case studies" in workshop_card and "Discussion" in workshop_card
    assert "Keynote" not in workshop_card
    assert "10:45" in workshop_card  # 08:45 UTC on the Zurich clock

    client.post(f"/meetings/{summit.id}/programme/calendar", data={"sessions": "1"})
    events = _events(client)
    description = str(events[f"session-{workshop.id}@gfmd-workplan"]["DESCRIPTION"])
    assert "22/10 10:00 Case studies" in description
    assert "22/10 10:45 Discussion" in description
    assert "Keynote" not in description


def test_an_item_that_outruns_its_session_is_flagged(client, make, summit, secretariat):
    session = make.meeting_session(summit, minutes=30, title="Short plenary")
    client.post(
        f"/meetings/{summit.id}/agenda",
        data=_agenda_item(title="Long speech", duration_minutes="45", session_id=str(session.id)),
    )
    page = client.get(f"/meetings/{summit.id}").get_data(as_text=True)
    assert "“Long speech” ends 15 min after its session ends." in page
    printed = client.get(f"/meetings/{summit.id}/agenda/print").get_data(as_text=True)
    assert "Overrun: ends 15 min after its session ends." in printed


def test_an_item_is_given_only_a_session_of_its_own_meeting(
    client, make, summit, secretariat, db_session
):
    other = make.meeting_session(make.meeting(title="Elsewhere"), title="Not ours")
    lunch = make.meeting_session(summit, kind="break", title="Lunch", room=None)
    for session in (other, lunch):
        response = client.post(
            f"/meetings/{summit.id}/agenda", data=_agenda_item(session_id=str(session.id))
        )
        assert response.status_code == 400
        assert "Choose one of this meeting&#39;s sessions" in response.get_data(as_text=True)
    db_session.expire_all()
    assert db_session.get(Meeting, summit.id).agenda_items == []


def test_removing_a_session_leaves_its_items_on_the_agenda(
    client, make, summit, secretariat, db_session
):
    session = make.meeting_session(summit, starts_at=START + timedelta(hours=3))
    item = make.agenda_item(summit, session=session)
    response = client.post(f"/meetings/{summit.id}/programme/{session.id}/remove")
    assert response.status_code == 302
    db_session.expire_all()
    kept = db_session.get(type(item), item.id)
    assert kept.session_id is None
    assert dict(db_session.get(Meeting, summit.id).agenda_schedule())[kept] == START
