"""My calendar (issue 13): making a private address ends in a redirect, so reloading the page
makes no second one; the new address is still shown in full exactly once, and its secret never
travels in a URL or in clear in the session cookie."""

import json
import re
from datetime import UTC, datetime, timedelta

import time_machine
from sqlalchemy import func, select, update

from tests.helpers import field_error
from workplan.models import CalendarToken
from workplan.services.accounts import token_digest

TOKEN_IN_PAGE = re.compile(r"http://localhost/calendar/private/([A-Za-z0-9_-]+)\.ics")


def token_count(make) -> int:
    make.session.expire_all()
    return make.session.scalar(select(func.count(CalendarToken.id)))


def shown_token(response) -> str | None:
    found = TOKEN_IN_PAGE.search(response.get_data(as_text=True))
    return found.group(1) if found else None


def test_creating_an_address_redirects_and_reloading_makes_no_second_one(client, make, auth):
    """POST, redirect, GET: the address shows once; reloads neither add a row nor show it."""
    auth.login(make.user(role="focal_point"))
    response = client.post("/account/calendar/tokens", data={"label": "Work phone"})
    assert response.status_code == 303
    assert response.headers["Location"] == "/account/calendar#new-heading"
    assert token_count(make) == 1

    shown = client.get("/account/calendar")
    assert shown.status_code == 200
    assert shown.headers["Cache-Control"] == "no-store"
    raw = shown_token(shown)
    assert raw is not None
    assert "This is the only time the full address is shown" in shown.get_data(as_text=True)
    row = make.session.scalar(select(CalendarToken))
    assert row.token_hash == token_digest(raw)

    for _reload in range(2):
        again = client.get("/account/calendar")
        page = again.get_data(as_text=True)
        assert again.status_code == 200
        assert raw not in page and shown_token(again) is None
        assert "This is the only time the full address is shown" not in page
        # Afterwards it is a row of the list: its name and when it was made.
        assert "Work phone" in page and "Created" in page
    assert token_count(make) == 1
    assert client.get(f"/calendar/private/{raw}.ics").status_code == 200


def test_the_secret_is_never_in_the_redirect_or_in_clear_in_the_session(client, make, auth):
    """Between the POST and the GET the session holds the address sealed, not the token."""
    auth.login(make.user())
    response = client.post("/account/calendar/tokens", data={"label": "Laptop"})
    with client.session_transaction() as session:
        held = json.dumps(dict(session))
    raw = shown_token(client.get("/account/calendar"))
    assert raw and raw not in held and raw not in response.headers["Location"]
    assert raw not in response.get_data(as_text=True)
    with client.session_transaction() as session:
        assert "new_calendar_address" not in session


def test_a_refused_name_is_a_400_with_the_reason_and_makes_nothing(client, make, auth):
    """An empty name: the form comes back with the reason; no row, nothing held for display."""
    auth.login(make.user())
    response = client.post("/account/calendar/tokens", data={"label": "   "})
    assert response.status_code == 400
    assert field_error(response, "label")
    assert token_count(make) == 0
    with client.session_transaction() as session:
        assert "new_calendar_address" not in session


def test_an_address_revoked_before_it_is_shown_is_never_shown(client, make, auth):
    """Revoked between the redirect and the page: the page shows no address."""
    auth.login(make.user())
    client.post("/account/calendar/tokens", data={"label": "Tablet"})
    make.session.execute(update(CalendarToken).values(revoked_at=func.now()))
    make.session.commit()
    assert shown_token(client.get("/account/calendar")) is None


def test_an_address_left_unread_is_not_shown_late(client, make, auth):
    """Held in the session but not read for a quarter of an hour: better made again."""
    start = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    with time_machine.travel(start, tick=False):
        auth.login(make.user())
        client.post("/account/calendar/tokens", data={"label": "Old phone"})
    with time_machine.travel(start + timedelta(minutes=16), tick=False):
        page = client.get("/account/calendar")
    assert shown_token(page) is None
    assert "Old phone" in page.get_data(as_text=True)


def test_someone_else_signing_in_on_the_same_browser_never_sees_it(client, make, auth):
    """Made by one person, left unread, then another signs in here: it is not theirs to see."""
    auth.login(make.user(name="First Person"))
    client.post("/account/calendar/tokens", data={"label": "Mine"})
    auth.logout()
    auth.login(make.user(name="Second Person"))
    page = client.get("/account/calendar")
    assert page.status_code == 200
    assert shown_token(page) is None and "Mine" not in page.get_data(as_text=True)
