"""The calendar pages: private addresses at /account/calendar, follows, and the public subscribe
page at /calendar/."""

import hashlib
import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

from workplan import create_app, feeds
from workplan.extensions import db
from workplan.models import CalendarFollow, CalendarToken, utcnow

TOKEN_IN_PAGE = re.compile(r"http://localhost/calendar/private/([A-Za-z0-9_-]+)\.ics")


def create_token(client, label: str = "Work phone"):
    """POST the new-address form and follow its redirect; return the page and the token shown."""
    response = client.post("/account/calendar/tokens", data={"label": label}, follow_redirects=True)
    match = TOKEN_IN_PAGE.search(response.get_data(as_text=True))
    return response, match.group(1) if match else None


def assert_strict_csp_markup(html: str) -> None:
    """No inline script or style: the Content-Security-Policy would block them."""
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline script"
    assert not re.search(r"\sstyle=", html), "style attribute"
    assert not re.search(r"\son[a-z]+=", html), "inline event handler"


def test_calendar_settings_need_a_login(client):
    """Anonymous visitors are sent to the login page, for the page and every action."""
    for method, url in (
        ("get", "/account/calendar"),
        ("post", "/account/calendar/tokens"),
        ("post", "/account/calendar/tokens/1/revoke"),
        ("post", "/account/calendar/follows"),
    ):
        response = getattr(client, method)(url)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/auth/login")


def test_nav_offers_my_calendar_to_signed_in_users_and_subscribe_to_all(client, make, auth):
    """ "Subscribe" for everyone, "My calendar" once signed in."""
    page = client.get("/calendar/").get_data(as_text=True)
    assert 'href="/calendar/"' in page and ">Subscribe<" in page
    assert ">My calendar<" not in page
    auth.login(make.user())
    page = client.get("/calendar/").get_data(as_text=True)
    assert 'href="/account/calendar"' in page and ">My calendar<" in page


def test_a_new_address_is_shown_once_and_stored_only_as_a_hash(client, make, auth, db_session):
    """Shown in full with one-click links after creation, never again; the row holds a SHA-256."""
    auth.login(make.user(role="focal_point"))
    response, token = create_token(client, "Work phone")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    page = response.get_data(as_text=True)
    assert token and "This is the only time the full address is shown" in page
    address = f"http://localhost/calendar/private/{token}.ics"
    assert f'href="webcal://localhost/calendar/private/{token}.ics"' in page
    google = re.search(r'href="(https://calendar\.google\.com/[^"]+)"', page).group(1)
    query = parse_qs(urlsplit(google.replace("&amp;", "&")).query)
    assert query["cid"] == [f"webcal://localhost/calendar/private/{token}.ics"]
    outlook = re.search(r'href="(https://outlook\.live\.com/[^"]+)"', page).group(1)
    assert parse_qs(urlsplit(outlook.replace("&amp;", "&")).query)["url"] == [address]
    assert f'value="{address}"' in page
    assert_strict_csp_markup(page)

    row = db_session.scalar(db.select(CalendarToken))
    assert row.label == "Work phone"
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in repr(db_session.execute(db.select(CalendarToken.__table__)).all())

    again = client.get("/account/calendar").get_data(as_text=True)
    assert token not in again
    assert "Work phone" in again and "Never" in again
    assert client.get(f"/calendar/private/{token}.ics").status_code == 200
    listed = client.get("/account/calendar").get_data(as_text=True)
    assert "Never" not in listed


def test_a_new_address_needs_a_sensible_name(client, make, auth, app):
    """Empty or over-long names are refused with the reason; at most 20 live addresses."""
    auth.login(make.user())
    response, token = create_token(client, "   ")
    assert response.status_code == 400 and token is None
    response, token = create_token(client, "x" * 101)
    assert response.status_code == 400 and token is None
    for n in range(feeds.MAX_TOKENS_PER_USER):
        assert create_token(client, f"Device {n}")[1]
    response, token = create_token(client, "One too many")
    assert response.status_code == 400 and token is None
    assert "Revoke one you no longer" in response.get_data(as_text=True)


def test_revoking_an_address_stops_it_at_once(client, make, auth, db_session):
    """The revoked address answers 404; the other keeps working; the list says revoked."""
    auth.login(make.user())
    _, phone = create_token(client, "Phone")
    _, laptop = create_token(client, "Laptop")
    phone_id = db_session.scalar(db.select(CalendarToken.id).filter_by(label="Phone"))
    response = client.post(f"/account/calendar/tokens/{phone_id}/revoke")
    assert response.status_code == 302
    assert client.get(f"/calendar/private/{phone}.ics").status_code == 404
    assert client.get(f"/calendar/private/{laptop}.ics").status_code == 200
    page = client.get("/account/calendar").get_data(as_text=True)
    assert "Revoked" in page and "no longer works" in page
    assert client.get(f"/account/calendar/tokens/{phone_id}/revoke").status_code == 405


def test_nobody_revokes_another_persons_address(client, make, auth, app):
    """Someone else's token id is a 404, and their address keeps working."""
    owner = make.user()
    with app.app_context():
        record, raw = feeds.issue_token(db.session.get(type(owner), owner.id), "Theirs")
        db.session.commit()
        token_id = record.id
    auth.login(make.user())
    assert client.post(f"/account/calendar/tokens/{token_id}/revoke").status_code == 404
    assert client.get(f"/calendar/private/{raw}.ics").status_code == 200


def test_revoking_needs_the_csrf_token(database_url, make):
    """With CSRF protection on (as in production), a forged POST is refused."""
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=database_url, WTF_CSRF_ENABLED=True)
    try:
        client = app.test_client()
        user = make.user()
        with app.app_context():
            record, raw = feeds.issue_token(db.session.get(type(user), user.id), "Phone")
            db.session.commit()
            token_id = record.id
        login_page = client.get("/auth/login").get_data(as_text=True)
        csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', login_page).group(1)
        client.post(
            "/auth/login",
            data={"email": user.email, "password": "correct horse battery", "csrf_token": csrf},
        )
        forged = client.post(f"/account/calendar/tokens/{token_id}/revoke")
        assert forged.status_code == 400
        assert client.get(f"/calendar/private/{raw}.ics").status_code == 200
        page = client.get("/account/calendar").get_data(as_text=True)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        done = client.post(f"/account/calendar/tokens/{token_id}/revoke", data={"csrf_token": csrf})
        assert done.status_code == 302
        assert client.get(f"/calendar/private/{raw}.ics").status_code == 404
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def test_follows_are_saved_and_feed_the_private_calendar(client, make, auth, db_session):
    """Ticking a roundtable, a team and a kind adds their meetings to every private address."""
    chairmanship = make.chairmanship(
        starts_on=utcnow().date(), ends_on=utcnow().date() + timedelta(days=365)
    )
    roundtable = make.roundtable(chairmanship=chairmanship, number="3.2", title="Diasporas")
    team = make.team(name="Labour mobility partners")
    followed = [
        make.meeting(chairmanship=chairmanship, roundtable=roundtable),
        make.meeting(team=team),
        make.meeting(kind="summit"),
    ]
    make.meeting(kind="troika")
    auth.login(make.user())
    _, token = create_token(client)
    page = client.get("/account/calendar").get_data(as_text=True)
    assert "RT 3.2 Diasporas" in page and "Labour mobility partners" in page
    assert_strict_csp_markup(page)

    response = client.post(
        "/account/calendar/follows",
        data={"roundtables": [str(roundtable.id)], "teams": [str(team.id)], "kinds": ["summit"]},
    )
    assert response.status_code == 302
    stored = db_session.scalars(db.select(CalendarFollow)).all()
    assert {(f.roundtable_id, f.team_id, f.meeting_kind) for f in stored} == {
        (roundtable.id, None, None),
        (None, team.id, None),
        (None, None, "summit"),
    }
    page = client.get("/account/calendar").get_data(as_text=True)
    assert re.search(rf'value="{roundtable.id}" id="roundtables-{roundtable.id}" checked', page)
    assert re.search(r'value="summit" id="kinds-summit" checked', page)

    body = client.get(f"/calendar/private/{token}.ics").data
    uids = set(re.findall(rb"UID:(meeting-\d+)@", body))
    assert uids == {f"meeting-{m.id}".encode() for m in followed}


def test_follows_refuse_what_is_not_offered(client, make, auth):
    """An unknown kind or roundtable is a 400, and nothing is stored."""
    auth.login(make.user())
    assert client.post("/account/calendar/follows", data={"kinds": ["picnic"]}).status_code == 400
    response = client.post("/account/calendar/follows", data={"roundtables": ["999999"]})
    assert response.status_code == 400


def test_subscribe_page_lists_every_public_feed_with_one_click_links(client, make):
    """All meetings, each chairmanship, the chosen chairmanship's roundtables, the active teams."""
    older = make.chairmanship(label="GFMD 2013-2014")
    current = make.chairmanship(
        label="GFMD now",
        starts_on=utcnow().date(),
        ends_on=utcnow().date() + timedelta(days=365),
    )
    old_roundtable = make.roundtable(chairmanship=older, number="1.1", title="Old roundtable")
    new_roundtable = make.roundtable(chairmanship=current, number="2.1", title="New roundtable")
    team = make.team(name="Climate and mobility")
    make.team(name="Disbanded team", first_year=2010, last_year=2012)
    response = client.get("/calendar/")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert_strict_csp_markup(page)
    assert 'href="webcal://localhost/calendar/meetings.ics"' in page
    assert 'value="http://localhost/calendar/meetings.ics"' in page
    assert "https://calendar.google.com/calendar/render?cid=webcal" in page
    for chairmanship in (older, current):
        assert f"webcal://localhost/calendar/chairmanships/{chairmanship.id}.ics" in page
    assert f"webcal://localhost/calendar/roundtables/{new_roundtable.id}.ics" in page
    assert f"/calendar/roundtables/{old_roundtable.id}.ics" not in page
    assert f"webcal://localhost/calendar/teams/{team.id}.ics" in page
    assert "Disbanded team" not in page
    assert "Google Calendar" in page and "Outlook on the web" in page
    assert 'src="/static/calendar.js"' in page

    older_page = client.get(f"/calendar/?chairmanship={older.id}").get_data(as_text=True)
    assert f"/calendar/roundtables/{old_roundtable.id}.ics" in older_page
    assert client.get("/calendar/?chairmanship=999999").status_code == 404


def test_copy_script_is_served(client):
    """The small static module behind the copy buttons."""
    with client.get("/static/calendar.js") as response:
        assert response.status_code == 200
        assert b"navigator.clipboard" in response.data
