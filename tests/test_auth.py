"""Logging in and out, one-time links, deactivation, and the safe redirect after login."""

import logging
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.factories import PASSWORD
from workplan import create_app, feeds
from workplan.extensions import db
from workplan.models import AccountLink, CalendarToken, User, utcnow
from workplan.services import accounts
from workplan.web import is_safe_next

PRIVATE_PAGE = "/admin/users"


def session_cookie(client) -> str:
    return client.get_cookie("session").value


def test_login_opens_a_session(client, make, auth):
    """The right password logs in; the secretariat can then open its pages."""
    user = make.user(role="secretariat")
    assert auth.login(user).status_code == 302
    assert client.get(PRIVATE_PAGE).status_code == 200


@pytest.mark.parametrize("case", ["wrong password", "unknown email", "deactivated", "no password"])
def test_failed_login_says_the_same_thing(client, make, auth, case):
    """No message tells whether an account exists: every failure reads alike."""
    user = make.user(
        email="known@example.org", password=None if case == "no password" else PASSWORD
    )
    if case == "deactivated":
        make.session.get(User, user.id).active = False
        make.session.commit()
    email = "nobody@example.org" if case == "unknown email" else user.email
    password = "wrong password" if case == "wrong password" else PASSWORD
    response = auth.login(email, password)
    assert response.status_code == 401
    assert "The email or password is not right." in response.get_data(as_text=True)
    assert client.get("/admin/users").status_code == 302


def test_login_rotates_the_session_cookie(client, make, auth):
    """A cookie held before login is not the cookie used after it."""
    client.get("/auth/login")
    client.set_cookie("session", "planted-by-someone-else")
    auth.login(make.user())
    assert session_cookie(client) != "planted-by-someone-else"


def test_logout_is_post_only(client, make, auth):
    """A link cannot log anyone out: GET is not accepted."""
    auth.login(make.user())
    assert client.get("/auth/logout").status_code == 405


def test_replayed_cookie_after_logout_is_refused(app, client, make, auth):
    """A copy of the session cookie taken before logout is worthless after it."""
    user = make.user(role="secretariat")
    auth.login(user)
    stolen = session_cookie(client)
    assert auth.logout().status_code == 302
    thief = app.test_client()
    thief.set_cookie("session", stolen)
    response = thief.get(PRIVATE_PAGE)
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_deactivation_ends_existing_sessions(app, client, make, auth):
    """A deactivated user's open session stops working and they cannot log in again."""
    admin = make.user(role="secretariat")
    victim = make.user(role="secretariat")
    auth.login(victim)
    assert client.get(PRIVATE_PAGE).status_code == 200
    other = app.test_client()
    other.post("/auth/login", data={"email": admin.email, "password": PASSWORD})
    assert other.post(f"/admin/users/{victim.id}/deactivate").status_code == 302
    assert client.get(PRIVATE_PAGE).status_code == 302
    assert auth.login(victim).status_code == 401


def test_password_change_ends_other_sessions(app, client, make, auth):
    """Setting a new password ends every session opened with the old one."""
    user = make.user(role="secretariat")
    auth.login(user)
    assert client.get(PRIVATE_PAGE).status_code == 200
    with app.app_context():
        accounts.set_password(db.session.get(User, user.id), "a brand new password")
        db.session.commit()
    assert client.get(PRIVATE_PAGE).status_code == 302


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example/",
        "https://evil.example/",
        "/\\evil.example",
        "javascript:alert(1)",
        "http:/evil.example",
        "",
    ],
)
def test_next_never_leaves_the_site(client, make, auth, target):
    """After login, `next` is followed only when it is a path on this site."""
    user = make.user()
    response = client.post(
        "/auth/login", data={"email": user.email, "password": PASSWORD, "next": target}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_next_on_site_is_followed(client, make):
    """A path on this site is where the person wanted to go."""
    user = make.user()
    response = client.post(
        "/auth/login",
        data={"email": user.email, "password": PASSWORD, "next": "/deliverables/?status=at_risk"},
    )
    assert response.headers["Location"] == "/deliverables/?status=at_risk"


def test_is_safe_next_rejects_control_characters():
    """A newline in the target could split headers: refused."""
    assert not is_safe_next("/ok\r\nLocation: https://evil.example")
    assert is_safe_next("/meetings/3")


def _invite(client, make, auth, email="new.person@example.org"):
    make.government(iso3="PHL", name="Philippines")
    auth.login(make.user(role="secretariat"))
    response = client.post(
        "/admin/users/new",
        data={"email": email, "name": "New Person", "role": "focal_point", "government": "PHL"},
    )
    assert response.status_code == 200
    return re.search(r'value="(http[^"]+/auth/set-password/[^"]+)"', response.get_data(True))[1]


def test_invitation_link_sets_password_once(app, client, make, auth):
    """The invitee sets a password from the link, logs in with it, and the link is then used up."""
    url = _invite(client, make, auth)
    path = url.split("localhost", 1)[-1]
    auth.logout()
    newcomer = app.test_client()
    assert "Choose your password" in newcomer.get(path).get_data(True)
    response = newcomer.post(
        path, data={"password": "my new password", "confirm": "my new password"}
    )
    assert response.status_code == 302
    login = newcomer.post(
        "/auth/login", data={"email": "new.person@example.org", "password": "my new password"}
    )
    assert login.status_code == 302 and login.headers["Location"].startswith("/governments/")
    again = app.test_client().get(path)
    assert again.status_code == 410
    assert "already been used" in again.get_data(True)


def test_expired_link_says_so(app, client, make, auth, db_session):
    """An expired link is refused in plain words and sets nothing."""
    url = _invite(client, make, auth)
    link = db_session.scalars(select(AccountLink)).one()
    link.expires_at = utcnow() - timedelta(minutes=1)
    db_session.commit()
    path = url.split("localhost", 1)[-1]
    response = app.test_client().post(
        path, data={"password": "whatever123", "confirm": "whatever123"}
    )
    assert response.status_code == 410
    assert "expired" in response.get_data(True)
    assert db_session.scalars(select(User).where(User.email == "new.person@example.org")).one()
    db_session.expire_all()
    assert db_session.scalar(select(User.password_hash).where(User.role == "focal_point")) is None


def test_forged_link_is_refused(client):
    """A made-up token is not a link."""
    response = client.get("/auth/set-password/not-a-real-token")
    assert response.status_code == 410
    assert "not valid" in response.get_data(True)


def test_mismatched_passwords_are_refused_at_the_field(client, make, auth):
    """The two passwords must agree; the link stays usable."""
    url = _invite(client, make, auth)
    path = url.split("localhost", 1)[-1]
    response = client.post(path, data={"password": "abcdefghij", "confirm": "abcdefghiX"})
    assert response.status_code == 400
    assert "The two passwords differ." in response.get_data(True)
    assert client.get(path).status_code == 200


def test_reset_link_by_email_logged_without_smtp(app, client, make, caplog):
    """Forgotten password: the link goes to the log when no SMTP server is configured."""
    user = make.user(email="forgetful@example.org")
    with caplog.at_level(logging.INFO):
        response = client.post("/auth/forgot-password", data={"email": "forgetful@example.org"})
    assert response.status_code == 302
    match = re.search(r"/auth/set-password/([\w-]+)", caplog.text)
    assert match, "the reset link should be in the log"
    remembered = "remembered it now, at last"
    client.post(
        f"/auth/set-password/{match[1]}", data={"password": remembered, "confirm": remembered}
    )
    login = client.post("/auth/login", data={"email": user.email, "password": remembered})
    assert login.status_code == 302


def test_reset_for_unknown_address_says_the_same(client, caplog):
    """Asking for a reset never reveals whether an account exists."""
    with caplog.at_level(logging.INFO):
        response = client.post(
            "/auth/forgot-password", data={"email": "nobody@example.org"}, follow_redirects=True
        )
    assert "If an account exists for that address" in response.get_data(True)
    assert "set-password" not in caplog.text


def test_invite_refuses_bad_input_and_writes_nothing(client, make, auth, db_session):
    """A duplicate email or a focal point without a government is refused at the field."""
    admin = make.user(role="secretariat", email="admin@example.org")
    auth.login(admin)
    duplicate = client.post(
        "/admin/users/new", data={"email": "ADMIN@example.org", "name": "X", "role": "member"}
    )
    assert duplicate.status_code == 400
    assert "already exists" in duplicate.get_data(True)
    no_government = client.post(
        "/admin/users/new", data={"email": "fp@example.org", "name": "X", "role": "focal_point"}
    )
    assert no_government.status_code == 400
    assert "name it" in no_government.get_data(True)
    assert db_session.scalar(select(User).where(User.email == "fp@example.org")) is None


def test_members_cannot_manage_users(client, make, auth):
    """Only the secretariat manages accounts."""
    auth.login(make.user(role="member"))
    assert client.get("/admin/users").status_code == 403
    assert client.get("/admin/audit").status_code == 403


def test_production_refuses_to_start_without_secret_key(monkeypatch):
    """Without SECRET_KEY, production stops and says why."""
    with pytest.raises(RuntimeError, match="SECRET_KEY is not set"):
        create_app("production", SECRET_KEY=None)


def test_production_error_page_has_no_traceback(database_url):
    """An unexpected error shows a calm page, never a traceback."""
    app = create_app(
        "production",
        SECRET_KEY="x" * 32,
        SQLALCHEMY_DATABASE_URI=database_url,
        PUBLIC_BASE_URL="https://workplan.example.org",
    )

    @app.get("/boom")
    def boom():
        raise RuntimeError("secret internals")

    response = app.test_client().get("/boom")
    body = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Something went wrong on our side" in body
    assert "Traceback" not in body and "secret internals" not in body
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_unknown_id_is_404_and_bad_parameter_is_400(client, make, auth):
    """An unknown record answers 404; a malformed parameter a 400 with a sentence."""
    auth.login(make.user(role="secretariat"))
    assert client.get("/admin/users/424242").status_code == 404
    response = client.get("/admin/audit?user=abc")
    assert response.status_code == 400
    assert "must be a whole number" in response.get_data(True)


def test_huge_page_number_is_400(client):
    """A page number past any integer the database holds is a 400, not an overflow."""
    response = client.get("/organisations/?page=" + "9" * 30)
    assert response.status_code == 400
    assert "too large" in response.get_data(as_text=True)


def test_values_at_the_edge_of_the_calendar_are_400(client, make, auth):
    """A date at the end of the calendar cannot be stepped past: a 400 with a sentence."""
    auth.login(make.user(role="secretariat"))
    for path in ("/admin/audit?to=9999-12-31", "/meetings/calendar?month=9999-12"):
        response = client.get(path)
        assert response.status_code == 400, path
        assert "outside the range this service accepts" in response.get_data(as_text=True)


def test_unparseable_links_are_refused_not_crashed():
    """A link urlsplit cannot even parse is simply not an http address."""
    from workplan.validators import is_http_url

    assert not is_http_url("http://[::1")
    assert is_http_url("https://gfmd.org/meetings")


def test_a_reset_link_ignores_the_host_the_request_names(app, client, make, caplog):
    """A forged Host (or X-Forwarded-Host) cannot send the owner a link to another site."""
    make.user(email="target@example.org")
    app.config["PUBLIC_BASE_URL"] = "https://workplan.example.org/"
    with caplog.at_level(logging.INFO):
        client.post(
            "/auth/forgot-password",
            data={"email": "target@example.org"},
            headers={"Host": "evil.example", "X-Forwarded-Host": "evil.example"},
        )
    assert "evil.example" not in caplog.text
    assert re.search(r"https://workplan\.example\.org/auth/set-password/[\w-]+", caplog.text)


def test_the_set_password_page_is_never_stored(app, client, make, auth):
    """Its address carries the link's secret: no browser or proxy keeps a copy of the page."""
    path = _invite(client, make, auth).split("localhost", 1)[-1]
    auth.logout()
    visitor = app.test_client()
    assert visitor.get(path).headers["Cache-Control"] == "no-store"
    refused = visitor.get("/auth/set-password/not-a-real-token")
    assert refused.status_code == 410 and refused.headers["Cache-Control"] == "no-store"


def test_deactivation_revokes_private_feed_addresses_for_good(app, client, make, auth):
    """A closed account's calendar addresses stop, and reopening it does not revive them."""
    victim = make.user()
    with app.app_context():
        token, raw = feeds.issue_token(db.session.get(User, victim.id), "Phone")
        db.session.commit()
        token_id = token.id
    assert client.get(f"/calendar/private/{raw}.ics").status_code == 200
    auth.login(make.user(role="secretariat"))
    assert client.post(f"/admin/users/{victim.id}/deactivate").status_code == 302
    assert client.post(f"/admin/users/{victim.id}/reactivate").status_code == 302
    assert client.get(f"/calendar/private/{raw}.ics").status_code == 404
    with app.app_context():
        assert db.session.get(CalendarToken, token_id).revoked_at is not None


@pytest.mark.parametrize(
    "password",
    [
        "password1234",  # among the most used passwords
        "qwertyuiop",  # a keyboard walk
        "Geneva2026!",  # the forum's city and a year
        "newperson",  # the person's own name
        "Person2026",  # their name and a year
    ],
)
def test_a_guessable_password_is_refused(app, client, make, auth, password):
    """Common passwords, keyboard walks and the person's own words are refused, offline."""
    path = _invite(client, make, auth).split("localhost", 1)[-1]
    auth.logout()
    response = app.test_client().post(path, data={"password": password, "confirm": password})
    assert response.status_code == 400
    assert "too easy to guess" in response.text
    # Nothing was used up: a strong password then works from the same link.
    strong = "tangerine kettle orbit"
    response = app.test_client().post(path, data={"password": strong, "confirm": strong})
    assert response.status_code == 302
