"""The secretariat plans meetings in the browser: create, edit, publish, cancel, reschedule,
archive and restore, with times typed in the venue's clock and stale edits refused."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event, func, select, text, update
from sqlalchemy.orm import Session

from workplan.extensions import db
from workplan.models import AgendaItem, AuditEvent, Meeting, utcnow
from workplan.services import DomainError, meeting_editing


@pytest.fixture
def forum(make):
    """A chairmanship with a roundtable, a team, and the three kinds of user."""
    chairmanship = make.chairmanship(
        "GFMD 2030", starts_on=datetime(2030, 1, 1).date(), ends_on=datetime(2030, 12, 31).date()
    )
    other = make.chairmanship(
        "GFMD 2031", starts_on=datetime(2031, 1, 1).date(), ends_on=datetime(2031, 12, 31).date()
    )
    return type(
        "Forum",
        (),
        {
            "chairmanship": chairmanship,
            "other": other,
            "roundtable": make.roundtable(chairmanship, number="1.1", title="Diaspora bonds"),
            "foreign_roundtable": make.roundtable(other, number="2.1"),
            "team": make.team(name="Team on labour mobility"),
            "secretariat": make.user("secretariat", name="Sam Secretariat"),
            "member": make.user("member"),
            "focal": make.user("focal_point"),
        },
    )


def form_data(forum, **changes) -> dict:
    """A complete, valid meeting form as a browser would send it."""
    data = {
        "kind": "roundtable_session",
        "title": "RT 1.1 preparatory session",
        "chairmanship": str(forum.chairmanship.id),
        "roundtable": str(forum.roundtable.id),
        "team": "",
        "starts_at": "2030-10-21T10:00",
        "ends_at": "2030-10-21T13:00",
        "timezone": "Europe/Zurich",
        "venue": "Palais des Nations",
        "city": "Geneva",
        "online_url": "https://meet.example.org/rt11",
        "description": "Second reading of the background paper.",
    }
    data.update(changes)
    return data


def count_meetings(make) -> int:
    make.session.expire_all()
    return make.session.scalar(select(func.count(Meeting.id)))


def error_at(page: str, field: str) -> str:
    """The error message shown next to a field (the `field` macro's markup)."""
    found = re.search(rf'id="{field}-error">([^<]*)<', page)
    assert found, f"no error next to {field}"
    return found.group(1)


def test_secretariat_creates_a_meeting_in_venue_local_time(client, auth, make, forum):
    """10:00 in Geneva in October is 08:00 UTC; the meeting starts as a draft at SEQUENCE 0."""
    auth.login(forum.secretariat)
    form_page = client.get("/meetings/new")
    assert form_page.status_code == 200
    assert 'for="starts_at"' in form_page.text and "Venue&#39;s time zone" in form_page.text
    response = client.post("/meetings/new", data=form_data(forum))
    assert response.status_code == 302
    meeting = make.session.scalars(select(Meeting)).one()
    assert response.location.endswith(f"/meetings/{meeting.id}")
    assert meeting.starts_at == datetime(2030, 10, 21, 8, 0, tzinfo=UTC)
    assert meeting.ends_at == datetime(2030, 10, 21, 11, 0, tzinfo=UTC)
    assert (meeting.timezone, meeting.state, meeting.sequence) == ("Europe/Zurich", "draft", 0)
    assert meeting.roundtable_id == forum.roundtable.id
    assert (meeting.venue, meeting.city) == ("Palais des Nations", "Geneva")
    assert meeting.online_url == "https://meet.example.org/rt11"
    page = client.get(response.location).text
    assert "is saved as a draft" in page
    assert "21 Oct 2030, 10:00 CEST" in page
    created = make.session.scalars(
        select(AuditEvent).where(AuditEvent.record_type == "Meeting")
    ).all()
    assert [e.action for e in created] == ["create"]
    assert created[0].actor == forum.secretariat.email


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"timezone": "Europe/Geneva"}, "timezone", "is not a time zone name"),
        ({"timezone": "Mars/Olympus_Mons"}, "timezone", "is not a time zone name"),
        ({"ends_at": "2030-10-21T09:00"}, "ends_at", "must end after it starts"),
        ({"ends_at": "2030-10-21T10:00"}, "ends_at", "must end after it starts"),
        ({"starts_at": "21/10/2030"}, "starts_at", "Give a date and time"),
        ({"title": "   "}, "title", "Give the meeting a title"),
        ({"online_url": "javascript:alert(1)"}, "online_url", "http:// or https://"),
        ({"online_url": "ftp://files.example.org/"}, "online_url", "http:// or https://"),
        ({"roundtable": ""}, "roundtable", "Say which roundtable"),
        ({"kind": "party"}, "kind", "Not a valid choice"),
        # 02:30 on 29 March 2026 does not exist in Zurich: the clocks jump from 02:00 to 03:00.
        (
            {"starts_at": "2026-03-29T02:30", "ends_at": "2026-03-29T05:00"},
            "starts_at",
            "does not exist in Europe/Zurich",
        ),
        (
            {"starts_at": "2030-10-21T10:00", "ends_at": "2030-12-21T10:00"},
            "ends_at",
            "at most 31 days",
        ),
    ],
)
def test_bad_meeting_input_is_refused_at_its_field(
    client, auth, make, forum, changes, field, words
):
    """Each refusal answers 400 with the form again, the message next to the field, and no row."""
    auth.login(forum.secretariat)
    response = client.post("/meetings/new", data=form_data(forum, **changes))
    assert response.status_code == 400
    assert words in error_at(response.text, field)
    # What the person typed is kept.
    assert "Palais des Nations" in response.text
    assert count_meetings(make) == 0


def test_roundtable_of_another_chairmanship_is_refused(client, auth, make, forum):
    """A meeting of GFMD 2030 cannot be the session of a 2031 roundtable."""
    auth.login(forum.secretariat)
    response = client.post(
        "/meetings/new", data=form_data(forum, roundtable=str(forum.foreign_roundtable.id))
    )
    assert response.status_code == 400
    assert "belongs to another chairmanship" in error_at(response.text, "roundtable")
    assert count_meetings(make) == 0


def test_online_only_meeting_needs_no_venue(client, auth, make, forum):
    """An online link alone is a place; nothing at all is refused above the form."""
    auth.login(forum.secretariat)
    online = form_data(forum, venue="", city="", kind="steering_group", roundtable="")
    assert client.post("/meetings/new", data=online).status_code == 302
    nowhere = form_data(forum, venue="", city="", online_url="", title="Nowhere")
    response = client.post("/meetings/new", data=nowhere)
    assert response.status_code == 400
    assert "Say where the meeting is held" in response.text
    assert count_meetings(make) == 1


def test_edit_changes_details_and_counts_a_new_time_as_a_change(client, auth, make, forum):
    """A new title leaves SEQUENCE alone; a new start raises it; the version moves on."""
    meeting = make.meeting(
        forum.chairmanship,
        title="Steering Group",
        starts_at=datetime(2030, 10, 21, 8, 0, tzinfo=UTC),
        state="published",
    )
    auth.login(forum.secretariat)
    page = client.get(f"/meetings/{meeting.id}/edit").text
    assert 'value="2030-10-21T10:00"' in page and 'name="version" type="hidden" value="1"' in page
    data = form_data(
        forum, kind="steering_group", roundtable="", title="Steering Group (first meeting)"
    )
    data.update(version="1")
    assert client.post(f"/meetings/{meeting.id}/edit", data=data).status_code == 302
    saved = make.fresh(Meeting, meeting.id)
    assert saved.title == "Steering Group (first meeting)"
    assert saved.venue == "Palais des Nations"
    # The place changed (venue and link were new), the time did not.
    assert saved.sequence == 1
    data.update(
        version=str(saved.version), starts_at="2030-10-21T14:00", ends_at="2030-10-21T17:00"
    )
    assert client.post(f"/meetings/{meeting.id}/edit", data=data).status_code == 302
    moved = make.fresh(Meeting, meeting.id)
    assert moved.starts_at == datetime(2030, 10, 21, 12, 0, tzinfo=UTC)
    assert moved.sequence == 2
    data.update(version=str(moved.version), title="Steering Group, first meeting")
    assert client.post(f"/meetings/{meeting.id}/edit", data=data).status_code == 302
    assert make.fresh(Meeting, meeting.id).sequence == 2


def test_stale_edit_is_refused_with_both_versions_shown(client, auth, make, forum):
    """Someone saved in between: 409, their title shown, the typed title kept, nothing written."""
    meeting = make.meeting(forum.chairmanship, title="Friends of the Forum", kind="other")
    auth.login(forum.secretariat)
    client.get(f"/meetings/{meeting.id}/edit")
    # A colleague saves first.
    make.session.get(Meeting, meeting.id).title = "Friends of the Forum (moved to Room XVII)"
    make.session.commit()
    data = form_data(forum, kind="other", roundtable="", title="Friends of the Forum, my title")
    data.update(version="1")
    response = client.post(f"/meetings/{meeting.id}/edit", data=data)
    assert response.status_code == 409
    assert "Someone else saved this record after you opened it" in response.text
    conflict = response.text[response.text.index('id="stale-heading"') :]
    assert "Friends of the Forum (moved to Room XVII)" in conflict
    assert 'value="Friends of the Forum, my title"' in response.text
    # The form now carries the newer version, so saving again is a deliberate choice.
    assert 'name="version" type="hidden" value="2"' in response.text
    assert make.fresh(Meeting, meeting.id).title == "Friends of the Forum (moved to Room XVII)"
    again = client.post(f"/meetings/{meeting.id}/edit", data={**data, "version": "2"})
    assert again.status_code == 302
    assert make.fresh(Meeting, meeting.id).title == "Friends of the Forum, my title"


def test_concurrent_save_caught_at_flush_is_a_409(app, client, auth, make, forum):
    """A save that lands between our version check and our UPDATE still cannot be overwritten."""
    meeting = make.meeting(forum.chairmanship, title="Troika call", kind="troika")
    auth.login(forum.secretariat)
    with app.app_context():
        engine = db.engine
    fired = []

    def colleague_saves_first(session, flush_context, instances):
        if fired or session is make.session:
            return
        fired.append(True)
        with engine.begin() as connection:
            connection.execute(
                update(Meeting.__table__)
                .where(Meeting.__table__.c.id == meeting.id)
                .values(title="Troika call (colleague)", version=Meeting.__table__.c.version + 1)
            )

    event.listen(Session, "before_flush", colleague_saves_first)
    try:
        data = form_data(forum, kind="troika", roundtable="", title="Troika call (mine)")
        response = client.post(f"/meetings/{meeting.id}/edit", data={**data, "version": "1"})
    finally:
        event.remove(Session, "before_flush", colleague_saves_first)
    assert fired
    assert response.status_code == 409
    assert "Troika call (colleague)" in response.text
    assert 'value="Troika call (mine)"' in response.text
    assert make.fresh(Meeting, meeting.id).title == "Troika call (colleague)"


def test_publish_cancel_and_their_confirmations(client, auth, make, forum):
    """Publishing and cancelling raise SEQUENCE; a cancelled meeting stays public, marked so."""
    meeting = make.meeting(forum.chairmanship, title="Summit side event", state="draft")
    auth.login(forum.secretariat)
    page = client.get(f"/meetings/{meeting.id}").text
    assert f'action="/meetings/{meeting.id}/publish"' in page
    assert f'action="/meetings/{meeting.id}/cancel"' not in page
    response = client.post(f"/meetings/{meeting.id}/publish", follow_redirects=True)
    assert "is published" in response.text
    published = make.fresh(Meeting, meeting.id)
    assert (published.state, published.sequence) == ("published", 1)
    page = client.get(f"/meetings/{meeting.id}").text
    cancel_form = re.search(rf'<form[^>]*action="/meetings/{meeting.id}/cancel"[^>]*>', page)
    assert cancel_form and "data-confirm=" in cancel_form.group(0)
    archive_form = re.search(rf'<form[^>]*action="/meetings/{meeting.id}/archive"[^>]*>', page)
    assert archive_form and "data-confirm=" in archive_form.group(0)
    response = client.post(f"/meetings/{meeting.id}/cancel", follow_redirects=True)
    assert "is cancelled" in response.text
    cancelled = make.fresh(Meeting, meeting.id)
    assert (cancelled.state, cancelled.sequence) == ("cancelled", 2)
    auth.logout()
    public = client.get(f"/meetings/{meeting.id}")
    assert public.status_code == 200 and "This meeting has been cancelled." in public.text


@pytest.mark.parametrize(
    ("state", "action", "words"),
    [
        ("draft", "cancel", "nothing to cancel"),
        ("published", "publish", "already published"),
        ("cancelled", "cancel", "already cancelled"),
    ],
)
def test_impossible_state_changes_are_refused(client, auth, make, forum, state, action, words):
    """A refused change answers 400 with the reason, and the meeting is untouched."""
    meeting = make.meeting(forum.chairmanship, state=state)
    auth.login(forum.secretariat)
    response = client.post(f"/meetings/{meeting.id}/{action}")
    assert response.status_code == 400 and words in response.text
    after = make.fresh(Meeting, meeting.id)
    assert (after.state, after.sequence, after.version) == (state, 0, 1)


def test_reschedule_keeps_the_agenda_and_raises_sequence(client, auth, make, forum):
    """A new day moves every item's start with it; calendars see a change to the same event."""
    meeting = make.meeting(forum.chairmanship, starts_at=datetime(2030, 10, 21, 8, 0, tzinfo=UTC))
    first = make.agenda_item(meeting, minutes=45, title="Opening")
    second = make.agenda_item(meeting, minutes=30, title="Background paper")
    auth.login(forum.secretariat)
    page = client.get(f"/meetings/{meeting.id}/reschedule").text
    assert 'value="2030-10-21T10:00"' in page
    response = client.post(
        f"/meetings/{meeting.id}/reschedule",
        data={
            "starts_at": "2030-11-04T09:30",
            "ends_at": "2030-11-04T12:30",
            "timezone": "Europe/Zurich",
            "version": "1",
        },
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert "calendar subscribers will get the new time" in response.text
    # November is winter time in Geneva: 09:30 CET is 08:30 UTC.
    moved = make.fresh(Meeting, meeting.id)
    assert moved.starts_at == datetime(2030, 11, 4, 8, 30, tzinfo=UTC)
    assert moved.sequence == 1
    items = make.session.scalars(select(AgendaItem).order_by(AgendaItem.position)).all()
    assert [i.id for i in items] == [first.id, second.id]
    assert re.search(
        r">09:30</time>.*Opening.*>10:15</time>.*Background paper", response.text, re.S
    )


def test_reschedule_refuses_end_before_start_and_stale_copies(client, auth, make, forum):
    """Bad times are refused at the field; a copy older than the meeting gets a 409."""
    meeting = make.meeting(forum.chairmanship)
    auth.login(forum.secretariat)
    url = f"/meetings/{meeting.id}/reschedule"
    times = {"starts_at": "2030-11-04T09:30", "timezone": "Europe/Zurich", "version": "1"}
    response = client.post(url, data={**times, "ends_at": "2030-11-04T08:00"})
    assert response.status_code == 400
    assert "must end after it starts" in error_at(response.text, "ends_at")
    response = client.post(url, data={**times, "ends_at": "2030-11-04T12:00", "timezone": "CEST"})
    assert response.status_code == 400
    assert "is not a time zone name" in error_at(response.text, "timezone")
    assert make.fresh(Meeting, meeting.id).version == 1
    make.session.get(Meeting, meeting.id).venue = "Room XIX"
    make.session.commit()
    response = client.post(url, data={**times, "ends_at": "2030-11-04T12:00"})
    assert response.status_code == 409
    conflict = response.text[response.text.index('id="stale-heading"') :]
    assert "Saved meanwhile" in conflict and "4 November 2030 09:30" in conflict
    assert 'value="2030-11-04T09:30"' in response.text
    assert make.fresh(Meeting, meeting.id).starts_at == datetime(2030, 10, 21, 8, 0, tzinfo=UTC)


def test_archive_and_restore(client, auth, make, forum):
    """A coming published meeting must be cancelled before it is archived; then it can be."""
    meeting = make.meeting(forum.chairmanship, title="Civil society day", state="published")
    auth.login(forum.secretariat)
    response = client.post(f"/meetings/{meeting.id}/archive")
    assert response.status_code == 400 and "cancel it first" in response.text
    assert make.fresh(Meeting, meeting.id).archived_at is None
    client.post(f"/meetings/{meeting.id}/cancel")
    response = client.post(f"/meetings/{meeting.id}/archive", follow_redirects=True)
    assert "is archived" in response.text and "Restore" in response.text
    assert make.fresh(Meeting, meeting.id).archived_at is not None
    assert "Civil society day" not in client.get("/meetings/").text
    response = client.post(f"/meetings/{meeting.id}/restore", follow_redirects=True)
    assert "is restored" in response.text
    restored = make.fresh(Meeting, meeting.id)
    assert restored.archived_at is None and restored.state == "cancelled"


def test_archived_meeting_cannot_be_edited(client, auth, make, forum):
    """Archived meetings are hidden from the editing screens until restored."""
    meeting = make.meeting(forum.chairmanship, state="draft", archived_at=utcnow())
    auth.login(forum.secretariat)
    assert client.get(f"/meetings/{meeting.id}/edit").status_code == 404
    assert client.post(f"/meetings/{meeting.id}/publish").status_code == 404
    page = client.get(f"/meetings/{meeting.id}").text
    assert f'action="/meetings/{meeting.id}/restore"' in page
    assert f'href="/meetings/{meeting.id}/edit"' not in page


def _management_requests(meeting_id: int) -> list[tuple[str, str]]:
    return [
        ("get", "/meetings/new"),
        ("post", "/meetings/new"),
        ("get", f"/meetings/{meeting_id}/edit"),
        ("post", f"/meetings/{meeting_id}/edit"),
        ("get", f"/meetings/{meeting_id}/reschedule"),
        ("post", f"/meetings/{meeting_id}/reschedule"),
        ("post", f"/meetings/{meeting_id}/publish"),
        ("post", f"/meetings/{meeting_id}/cancel"),
        ("post", f"/meetings/{meeting_id}/archive"),
        ("post", f"/meetings/{meeting_id}/restore"),
    ]


def _snapshot(make) -> list:
    make.session.expire_all()
    return [
        tuple(row)
        for row in make.session.execute(
            text(
                "SELECT id, title, state, sequence, version, archived_at FROM meetings ORDER BY id"
            )
        )
    ]


@pytest.mark.parametrize("role", ["member", "focal_point"])
def test_only_the_secretariat_manages_meetings(client, auth, make, forum, role):
    """Members and focal points are refused with 403, see no buttons, and change nothing."""
    meeting = make.meeting(forum.chairmanship, state="published")
    before = _snapshot(make)
    auth.login(forum.member if role == "member" else forum.focal)
    for method, url in _management_requests(meeting.id):
        data = form_data(forum, version="1") if method == "post" else None
        assert getattr(client, method)(url, data=data).status_code == 403, url
    page = client.get(f"/meetings/{meeting.id}").text
    for action in ("edit", "reschedule", "publish", "cancel", "archive"):
        assert f"/meetings/{meeting.id}/{action}" not in page
    assert "New meeting" not in client.get("/meetings/").text
    assert _snapshot(make) == before


def test_visitors_are_sent_to_log_in_and_change_nothing(client, make, forum):
    """Anonymous requests to the editing screens go to the login page."""
    meeting = make.meeting(forum.chairmanship, state="draft")
    before = _snapshot(make)
    for method, url in _management_requests(meeting.id):
        response = getattr(client, method)(url, data=form_data(forum, version="1"))
        assert response.status_code == 302, url
        assert "/auth/login" in response.location, url
    assert _snapshot(make) == before


def test_editing_pages_obey_the_content_security_policy(client, auth, make, forum):
    """No inline script or style on the editing pages; every field has a visible label."""
    meeting = make.meeting(forum.chairmanship)
    auth.login(forum.secretariat)
    for url in (
        "/meetings/new",
        f"/meetings/{meeting.id}/edit",
        f"/meetings/{meeting.id}/reschedule",
        f"/meetings/{meeting.id}",
    ):
        page = client.get(url).text
        assert "style=" not in page, url
        assert not re.search(r"<script(?![^>]*\bsrc=)", page), url
        assert not re.search(r"\son[a-z]+=", page), url
        for tag in re.findall(r"<(?:input|select|textarea)[^>]*>", page):
            if re.search(r'type="(hidden|submit)"', tag):
                continue
            field_id = re.search(r'\bid="([^"]+)"', tag).group(1)
            assert f'for="{field_id}"' in page, (url, field_id)


def test_services_refuse_without_touching_the_meeting(app, make, forum):
    """The service checks the rules itself, whatever the form let through."""
    meeting = make.meeting(forum.chairmanship, title="Original")
    with app.app_context():
        record = db.session.get(Meeting, meeting.id)
        chairmanship = db.session.get(type(forum.chairmanship), forum.chairmanship.id)
        with pytest.raises(DomainError) as refused:
            meeting_editing.update_meeting(
                record,
                meeting_editing.MeetingDetails(
                    chairmanship_id=chairmanship.id,
                    kind="other",
                    title="Changed",
                    starts_local=datetime(2030, 10, 21, 10, 0),
                    ends_local=datetime(2030, 10, 21, 10, 0) - timedelta(hours=1),
                    timezone="Europe/Zurich",
                    city="Geneva",
                ),
                record.version,
            )
        assert refused.value.field == "ends_at"
        db.session.rollback()
    assert make.fresh(Meeting, meeting.id).title == "Original"
