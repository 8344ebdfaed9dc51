"""The agenda editor on a meeting's page: items added, edited, removed and reordered (by the
no-script buttons and by the drag-and-drop endpoint), start times derived in the venue's clock."""

import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import event, select, text, update
from sqlalchemy.orm import Session

from workplan import create_app
from workplan.extensions import db
from workplan.models import AgendaItem, Meeting

GENEVA_OCTOBER = datetime(2030, 10, 21, 8, 0, tzinfo=UTC)  # 10:00 CEST


@pytest.fixture
def secretariat(make):
    return make.user("secretariat", name="Sam Secretariat")


@pytest.fixture
def meeting(make):
    """A three-hour Steering Group in Geneva with three items: 45, 30 and 60 minutes."""
    record = make.meeting(starts_at=GENEVA_OCTOBER, hours=3, title="Steering Group")
    for title, minutes in (("Opening", 45), ("Background paper", 30), ("Next steps", 60)):
        make.agenda_item(record, minutes=minutes, title=title)
    return record


def titles_in_order(make, meeting_id: int) -> list[str]:
    make.session.expire_all()
    return list(
        make.session.scalars(
            select(AgendaItem.title)
            .where(AgendaItem.meeting_id == meeting_id)
            .order_by(AgendaItem.position, AgendaItem.id)
        )
    )


def ids_in_order(make, meeting_id: int) -> list[int]:
    make.session.expire_all()
    return list(
        make.session.scalars(
            select(AgendaItem.id)
            .where(AgendaItem.meeting_id == meeting_id)
            .order_by(AgendaItem.position, AgendaItem.id)
        )
    )


def agenda_rows(make) -> list:
    make.session.expire_all()
    return [
        tuple(row)
        for row in make.session.execute(
            text(
                "SELECT id, meeting_id, position, title, duration_minutes, speakers, notes, links,"
                " version FROM agenda_items ORDER BY id"
            )
        )
    ]


def starts(page: str) -> list[tuple[str, str]]:
    """Each agenda row's start time and title, as the page shows them."""
    table = page[page.index('<table class="table table-cards align-top agenda"') :]
    return re.findall(
        r'<time datetime="[^"]+" data-start>([0-9:]+)</time></td>\s*'
        r'<th scope="row"[^>]*>([^<]+)</th>',
        table,
    )


def item_id(make, meeting_id: int, title: str) -> int:
    make.session.expire_all()
    return make.session.scalar(
        select(AgendaItem.id).where(AgendaItem.meeting_id == meeting_id, AgendaItem.title == title)
    )


def test_editor_shows_derived_starts_and_controls(client, auth, secretariat, meeting):
    """The secretariat sees the times, the move buttons (edges disabled), a drag handle, and
    the CSRF token the drag-and-drop script sends."""
    auth.login(secretariat)
    page = client.get(f"/meetings/{meeting.id}").text
    assert starts(page) == [
        ("10:00", "Opening"),
        ("10:45", "Background paper"),
        ("11:15", "Next steps"),
    ]
    assert '<meta name="csrf-token"' in page
    assert f'data-order-url="/meetings/{meeting.id}/agenda/order"' in page
    assert page.count('data-agenda-move="up"') == 3 and page.count("data-drag-handle") == 3
    assert re.search(r'aria-label="Move up: Opening" disabled', page)
    assert re.search(r'aria-label="Move down: Next steps" disabled', page)
    assert '<script src="/static/agenda.js"></script>' in page
    assert "The agenda runs 2 h 15 min of a 3 h meeting, leaving 45 min unplanned." in page
    assert 'for="title"' in page and 'for="duration_minutes"' in page


def test_others_see_the_agenda_without_the_editor(client, auth, make, meeting):
    """A member and a visitor read the agenda; no editing control or script is sent to them."""
    for user in (make.user("member"), None):
        if user:
            auth.login(user)
        page = client.get(f"/meetings/{meeting.id}").text
        assert starts(page)[0] == ("10:00", "Opening")
        assert "data-agenda-move" not in page and "csrf-token" not in page
        assert "agenda.js" not in page and "Add an agenda item" not in page
        auth.logout()


def test_add_item_at_the_end(client, auth, make, secretariat, meeting):
    """A new item goes last and starts when the items before it end."""
    auth.login(secretariat)
    response = client.post(
        f"/meetings/{meeting.id}/agenda",
        data={
            "title": "Any other business",
            "duration_minutes": "45",
            "speakers": "The chair",
            "links": "Minutes https://example.org/minutes.pdf",
        },
    )
    assert response.status_code == 302
    new_id = item_id(make, meeting.id, "Any other business")
    assert response.location.endswith(f"/meetings/{meeting.id}#agenda-item-{new_id}")
    assert titles_in_order(make, meeting.id)[-1] == "Any other business"
    page = client.get(response.location).text
    assert "“Any other business” is added to the agenda; it starts at 12:15" in page
    assert starts(page)[-1] == ("12:15", "Any other business")
    assert 'href="https://example.org/minutes.pdf"' in page
    assert "exactly filling it" in page


@pytest.mark.parametrize(
    ("duration", "words"),
    [
        ("0", "more than zero"),
        ("-15", "more than zero"),
        ("", "more than zero"),
        ("ten", "Write a whole number with the digits 0 to 9"),
        ("1441", "at most 24 hours"),
    ],
)
def test_bad_durations_are_refused_at_the_field(
    client, auth, make, secretariat, meeting, duration, words
):
    """Zero, negative, missing or absurd durations: 400, message at the field, nothing saved."""
    auth.login(secretariat)
    before = agenda_rows(make)
    response = client.post(
        f"/meetings/{meeting.id}/agenda",
        data={"title": "Coffee break", "duration_minutes": duration},
    )
    assert response.status_code == 400
    error = re.search(r'id="duration_minutes-error">([^<]*)<', response.text)
    assert error and words in error.group(1)
    assert "The item was not added" in response.text
    assert 'value="Coffee break"' in response.text
    assert agenda_rows(make) == before


def test_links_must_be_web_addresses(client, auth, make, secretariat, meeting):
    """A link line that is not http or https is refused at the Links field."""
    auth.login(secretariat)
    before = agenda_rows(make)
    response = client.post(
        f"/meetings/{meeting.id}/agenda",
        data={"title": "Papers", "duration_minutes": "10", "links": "Paper javascript:alert(1)"},
    )
    assert response.status_code == 400
    assert "does not end with a web address" in response.text
    assert re.search(r'id="links-error">', response.text)
    assert agenda_rows(make) == before


def test_edit_item_moves_the_later_starts(client, auth, make, secretariat, meeting):
    """A longer first item pushes the others later; the page derives the new starts."""
    auth.login(secretariat)
    opening = item_id(make, meeting.id, "Opening")
    form = client.get(f"/meetings/{meeting.id}/agenda/{opening}/edit").text
    assert 'value="Opening"' in form and 'name="version" type="hidden" value="1"' in form
    response = client.post(
        f"/meetings/{meeting.id}/agenda/{opening}/edit",
        data={"title": "Opening and welcome", "duration_minutes": "60", "version": "1"},
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert starts(response.text) == [
        ("10:00", "Opening and welcome"),
        ("11:00", "Background paper"),
        ("11:30", "Next steps"),
    ]
    saved = make.fresh(AgendaItem, opening)
    assert (saved.title, saved.duration_minutes, saved.version) == ("Opening and welcome", 60, 2)


def test_edit_item_refuses_zero_duration_and_stale_copies(client, auth, make, secretariat, meeting):
    """Zero minutes: 400 at the field. A copy older than the item: 409 with both versions."""
    auth.login(secretariat)
    opening = item_id(make, meeting.id, "Opening")
    url = f"/meetings/{meeting.id}/agenda/{opening}/edit"
    response = client.post(url, data={"title": "Opening", "duration_minutes": "0", "version": "1"})
    assert response.status_code == 400
    assert re.search(r'id="duration_minutes-error">[^<]*more than zero', response.text)
    make.session.get(AgendaItem, opening).speakers = "Ambassador of Sweden"
    make.session.commit()
    response = client.post(
        url, data={"title": "Opening (my words)", "duration_minutes": "50", "version": "1"}
    )
    assert response.status_code == 409
    assert "Ambassador of Sweden" in response.text
    assert 'value="Opening (my words)"' in response.text and 'value="50"' in response.text
    saved = make.fresh(AgendaItem, opening)
    assert (saved.title, saved.duration_minutes, saved.speakers) == (
        "Opening",
        45,
        "Ambassador of Sweden",
    )


def test_remove_item(client, auth, make, secretariat, meeting):
    """A removed item is gone and the items after it start earlier; removal asks first."""
    auth.login(secretariat)
    paper = item_id(make, meeting.id, "Background paper")
    page = client.get(f"/meetings/{meeting.id}").text
    remove_form = re.search(
        rf'<form[^>]*action="/meetings/{meeting.id}/agenda/{paper}/remove"[^>]*>', page
    )
    assert remove_form and "data-confirm=" in remove_form.group(0)
    response = client.post(f"/meetings/{meeting.id}/agenda/{paper}/remove", follow_redirects=True)
    assert "“Background paper” is removed from the agenda." in response.text
    assert titles_in_order(make, meeting.id) == ["Opening", "Next steps"]
    assert starts(response.text) == [("10:00", "Opening"), ("10:45", "Next steps")]


def test_move_buttons_reorder_without_javascript(client, auth, make, secretariat, meeting):
    """The plain forms behind Move up and Move down save the new order."""
    auth.login(secretariat)
    steps = item_id(make, meeting.id, "Next steps")
    response = client.post(f"/meetings/{meeting.id}/agenda/{steps}/move", data={"direction": "up"})
    assert response.status_code == 302
    assert response.location.endswith(f"#agenda-item-{steps}")
    assert titles_in_order(make, meeting.id) == ["Opening", "Next steps", "Background paper"]
    page = client.get(response.location).text
    assert "“Next steps” moved up; it now starts at 10:45." in page
    assert starts(page)[1] == ("10:45", "Next steps")
    opening = item_id(make, meeting.id, "Opening")
    client.post(f"/meetings/{meeting.id}/agenda/{opening}/move", data={"direction": "down"})
    assert titles_in_order(make, meeting.id) == ["Next steps", "Opening", "Background paper"]


@pytest.mark.parametrize(("title", "direction"), [("Opening", "up"), ("Next steps", "down")])
def test_moving_past_an_edge_is_refused(client, auth, make, secretariat, meeting, title, direction):
    """The first item cannot go up nor the last down: 400 and the order is unchanged."""
    auth.login(secretariat)
    before = agenda_rows(make)
    target = item_id(make, meeting.id, title)
    response = client.post(
        f"/meetings/{meeting.id}/agenda/{target}/move", data={"direction": direction}
    )
    assert response.status_code == 400
    assert "is already" in response.text
    assert agenda_rows(make) == before


def test_drag_and_drop_order_is_saved_and_starts_recomputed(
    client, auth, make, secretariat, meeting
):
    """The JSON endpoint takes the full list of ids and answers with the derived starts."""
    auth.login(secretariat)
    opening, paper, steps = ids_in_order(make, meeting.id)
    response = client.post(
        f"/meetings/{meeting.id}/agenda/order", json={"order": [steps, opening, paper]}
    )
    assert response.status_code == 200
    assert response.json["items"] == [
        {"id": steps, "position": 0, "start": "10:00", "start_iso": "2030-10-21T08:00:00+00:00"},
        {"id": opening, "position": 1, "start": "11:00", "start_iso": "2030-10-21T09:00:00+00:00"},
        {"id": paper, "position": 2, "start": "11:45", "start_iso": "2030-10-21T09:45:00+00:00"},
    ]
    assert ids_in_order(make, meeting.id) == [steps, opening, paper]
    page = client.get(f"/meetings/{meeting.id}").text
    assert [title for _, title in starts(page)] == ["Next steps", "Opening", "Background paper"]


def test_order_endpoint_accepts_form_fields_too(client, auth, make, secretariat, meeting):
    """Repeated `order` fields work as well as JSON."""
    auth.login(secretariat)
    opening, paper, steps = ids_in_order(make, meeting.id)
    response = client.post(
        f"/meetings/{meeting.id}/agenda/order",
        data={"order": [str(paper), str(steps), str(opening)]},
    )
    assert response.status_code == 200
    assert ids_in_order(make, meeting.id) == [paper, steps, opening]


def test_order_must_name_exactly_the_meetings_items(client, auth, make, secretariat, meeting):
    """Missing, repeated, foreign or malformed ids are refused and nothing moves."""
    other = make.meeting(title="Other meeting")
    foreign = make.agenda_item(other, title="Elsewhere")
    auth.login(secretariat)
    opening, paper, steps = ids_in_order(make, meeting.id)
    before = agenda_rows(make)
    url = f"/meetings/{meeting.id}/agenda/order"
    for payload in (
        {"order": [steps, opening]},
        {"order": [steps, opening, paper, paper]},
        {"order": [steps, opening, foreign.id]},
        {"order": [steps, opening, paper, foreign.id]},
        {"order": [str(steps), "one", str(paper)]},
        {"order": [steps, True, paper]},
        {"order": "1,2,3"},
        {"items": [steps, opening, paper]},
        [steps, opening, paper],
    ):
        response = client.post(url, json=payload)
        assert response.status_code == 400, payload
        assert response.json["error"], payload
    assert "exactly once" in client.post(url, json={"order": [steps, opening]}).json["error"]
    assert agenda_rows(make) == before


def test_concurrent_change_during_a_reorder_is_a_409(app, client, auth, make, secretariat, meeting):
    """A colleague's save landing just before ours makes the reorder fail whole, with a 409."""
    auth.login(secretariat)
    opening, paper, steps = ids_in_order(make, meeting.id)
    with app.app_context():
        engine = db.engine
    fired = []

    def colleague_saves_first(session, flush_context, instances):
        if fired or session is make.session:
            return
        fired.append(True)
        table = AgendaItem.__table__
        with engine.begin() as connection:
            connection.execute(
                update(table)
                .where(table.c.id == steps)
                .values(title="Next steps (colleague)", version=table.c.version + 1)
            )

    event.listen(Session, "before_flush", colleague_saves_first)
    try:
        response = client.post(
            f"/meetings/{meeting.id}/agenda/order", json={"order": [steps, paper, opening]}
        )
    finally:
        event.remove(Session, "before_flush", colleague_saves_first)
    assert fired and response.status_code == 409
    assert "nothing was saved" in response.json["error"]
    assert ids_in_order(make, meeting.id) == [opening, paper, steps]
    assert titles_in_order(make, meeting.id)[-1] == "Next steps (colleague)"


def test_agenda_editing_is_for_the_secretariat(client, auth, make, meeting):
    """Members get 403 on every agenda action, and the agenda is untouched."""
    auth.login(make.user("member"))
    before = agenda_rows(make)
    opening, paper, steps = ids_in_order(make, meeting.id)
    base = f"/meetings/{meeting.id}/agenda"
    assert client.post(base, data={"title": "X", "duration_minutes": "5"}).status_code == 403
    assert client.get(f"{base}/{opening}/edit").status_code == 403
    assert (
        client.post(
            f"{base}/{opening}/edit", data={"title": "X", "duration_minutes": "5", "version": "1"}
        ).status_code
        == 403
    )
    assert client.post(f"{base}/{opening}/remove").status_code == 403
    assert client.post(f"{base}/{opening}/move", data={"direction": "down"}).status_code == 403
    response = client.post(
        f"{base}/order",
        json={"order": [steps, paper, opening]},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 403 and response.is_json
    assert agenda_rows(make) == before


def test_items_of_another_meeting_are_404(client, auth, make, secretariat, meeting):
    """An item id must belong to the meeting in the address."""
    other = make.meeting(title="Other meeting")
    foreign = make.agenda_item(other, title="Elsewhere")
    auth.login(secretariat)
    assert client.get(f"/meetings/{meeting.id}/agenda/{foreign.id}/edit").status_code == 404
    assert client.post(f"/meetings/{meeting.id}/agenda/{foreign.id}/remove").status_code == 404
    assert make.fresh(AgendaItem, foreign.id) is not None


def test_overrunning_agenda_is_flagged(client, auth, make, secretariat):
    """An agenda longer than the meeting shows a visible warning with the overrun."""
    meeting = make.meeting(starts_at=GENEVA_OCTOBER, hours=1)
    make.agenda_item(meeting, minutes=50, title="Opening")
    make.agenda_item(meeting, minutes=25, title="Discussion")
    auth.login(secretariat)
    page = client.get(f"/meetings/{meeting.id}").text
    warning = re.search(
        r'<div class="alert alert-warning agenda-length" role="alert">(.*?)</div>', page, re.S
    )
    assert warning
    assert "The agenda overruns the meeting." in warning.group(1)
    assert "15 min longer than the meeting" in warning.group(1)


def test_print_page(client, auth, make, meeting):
    """The print page lists each item with its start and end in the venue's clock."""
    page = client.get(f"/meetings/{meeting.id}/agenda/print")
    assert page.status_code == 200
    assert re.search(r">10:00</time>–<time[^>]*>10:45</time>.*Opening", page.text, re.S)
    assert re.search(r">11:15</time>–<time[^>]*>12:15</time>.*Next steps", page.text, re.S)
    assert "Steering Group" in page.text and "Europe/Zurich" in page.text
    assert "style=" not in page.text and "<nav" not in page.text
    draft = make.meeting(state="draft")
    assert client.get(f"/meetings/{draft.id}/agenda/print").status_code == 404
    auth.login(make.user("secretariat"))
    assert client.get(f"/meetings/{draft.id}/agenda/print").status_code == 200


def test_archived_meetings_agenda_is_read_only(client, auth, make, secretariat, meeting):
    """Once archived, the agenda cannot change until the meeting is restored."""
    make.session.get(Meeting, meeting.id).archived_at = datetime.now(UTC)
    make.session.get(Meeting, meeting.id).state = "cancelled"
    make.session.commit()
    auth.login(secretariat)
    before = agenda_rows(make)
    opening, paper, steps = ids_in_order(make, meeting.id)
    page = client.get(f"/meetings/{meeting.id}").text
    assert "data-agenda-move" not in page
    assert (
        client.post(
            f"/meetings/{meeting.id}/agenda/order", json={"order": [steps, paper, opening]}
        ).status_code
        == 404
    )
    assert client.post(f"/meetings/{meeting.id}/agenda/{opening}/remove").status_code == 404
    assert agenda_rows(make) == before


@pytest.fixture
def csrf_client(app, database_url):
    """A client of an app with CSRF protection on, as in production."""
    protected = create_app("testing", SQLALCHEMY_DATABASE_URI=database_url, WTF_CSRF_ENABLED=True)
    return protected.test_client()


def test_order_endpoint_needs_the_pages_csrf_token(csrf_client, make, secretariat, meeting):
    """Without the token the order is refused; with the token from the page's meta tag it saves."""
    from tests.factories import PASSWORD

    login_page = csrf_client.get("/auth/login").text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login_page).group(1)
    csrf_client.post(
        "/auth/login",
        data={"email": secretariat.email, "password": PASSWORD, "csrf_token": token},
    )
    page = csrf_client.get(f"/meetings/{meeting.id}").text
    meta = re.search(r'<meta name="csrf-token" content="([^"]+)">', page).group(1)
    opening, paper, steps = ids_in_order(make, meeting.id)
    url = f"/meetings/{meeting.id}/agenda/order"
    refused = csrf_client.post(
        url, json={"order": [steps, paper, opening]}, headers={"Accept": "application/json"}
    )
    assert refused.status_code == 400
    assert ids_in_order(make, meeting.id) == [opening, paper, steps]
    saved = csrf_client.post(
        url,
        json={"order": [steps, paper, opening]},
        headers={"Accept": "application/json", "X-CSRFToken": meta},
    )
    assert saved.status_code == 200
    assert ids_in_order(make, meeting.id) == [steps, paper, opening]
