"""Account security, signed in: the sessions a person has open, ending them, and changing
one's password with the current one as proof."""

import time
from datetime import timedelta

from sqlalchemy import select

from tests.factories import PASSWORD
from workplan.models import LoginSession, utcnow

FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)


def _signed_in(app, user, user_agent, password=PASSWORD):
    client = app.test_client()
    client.environ_base["HTTP_USER_AGENT"] = user_agent
    response = client.post("/auth/login", data={"email": user.email, "password": password})
    assert response.status_code == 302
    return client


def test_a_person_sees_where_they_are_signed_in_and_ends_a_session(app, make, db_session):
    """Each session by browser and system; ending one stops its cookie at once."""
    user = make.user()
    laptop = _signed_in(app, user, FIREFOX)
    phone = _signed_in(app, user, IPHONE)
    page = phone.get("/account/security").text
    assert "Firefox 128 on Windows" in page and "Mobile Safari 17 on iOS" in page
    assert page.count("This session") == 1
    laptop_session = db_session.scalars(
        select(LoginSession).where(LoginSession.user_agent == FIREFOX)
    ).one()
    response = phone.post(f"/account/sessions/{laptop_session.id}/end", follow_redirects=True)
    assert "That session has ended" in response.text
    assert "Firefox 128 on Windows" not in response.text
    assert laptop.get("/account/security").status_code == 302
    assert phone.get("/account/security").status_code == 200


def test_nobody_ends_another_persons_session(app, make, db_session):
    owner, other = make.user(), make.user()
    theirs = _signed_in(app, owner, FIREFOX)
    mine = _signed_in(app, other, IPHONE)
    their_session = db_session.scalars(
        select(LoginSession).where(LoginSession.user_id == owner.id)
    ).one()
    assert mine.post(f"/account/sessions/{their_session.id}/end").status_code == 404
    assert theirs.get("/account/security").status_code == 200


def test_ending_every_other_session_keeps_this_one(app, make):
    user = make.user()
    others = [_signed_in(app, user, FIREFOX), _signed_in(app, user, FIREFOX)]
    this = _signed_in(app, user, IPHONE)
    response = this.post("/account/sessions/end-others", follow_redirects=True)
    assert "Every other session signed in as you has ended" in response.text
    assert [c.get("/account/security").status_code for c in others] == [302, 302]
    assert this.get("/account/security").status_code == 200


def test_last_used_is_recorded_to_the_minute(app, make, db_session):
    """A request more than a minute after the last one records when the session was used."""
    user = make.user()
    client = _signed_in(app, user, FIREFOX)
    login = db_session.scalars(select(LoginSession).where(LoginSession.user_id == user.id)).one()
    long_ago = utcnow() - timedelta(hours=1)
    login.last_seen_at = long_ago
    db_session.commit()
    client.get("/account/security")  # within the minute: nothing written
    db_session.expire_all()
    assert db_session.get(LoginSession, login.id).last_seen_at == long_ago
    with client.session_transaction() as cookie:
        cookie["seen"] = time.time() - 90
    client.get("/account/security")
    db_session.expire_all()
    assert db_session.get(LoginSession, login.id).last_seen_at > utcnow() - timedelta(minutes=1)


def test_changing_ones_password_needs_the_current_one(app, make, db_session):
    """Wrong current password or a guessable new one: refused, nothing changed; then the new
    password works, the old one does not, and only this session survives."""
    user = make.user()
    elsewhere = _signed_in(app, user, FIREFOX)
    here = _signed_in(app, user, IPHONE)
    new = "lantern meadow copper"
    wrong = here.post(
        "/account/password",
        data={"current_password": "not it at all", "password": new, "confirm": new},
    )
    assert wrong.status_code == 400 and "That is not your current password" in wrong.text
    weak = here.post(
        "/account/password",
        data={"current_password": PASSWORD, "password": "password1234", "confirm": "password1234"},
    )
    assert weak.status_code == 400 and "too easy to guess" in weak.text
    assert elsewhere.get("/account/security").status_code == 200
    done = here.post(
        "/account/password",
        data={"current_password": PASSWORD, "password": new, "confirm": new},
        follow_redirects=True,
    )
    assert "Your password is changed" in done.text
    assert here.get("/account/security").status_code == 200
    assert elsewhere.get("/account/security").status_code == 302
    old = app.test_client().post("/auth/login", data={"email": user.email, "password": PASSWORD})
    assert old.status_code == 401
    _signed_in(app, user, FIREFOX, password=new)


def test_the_menu_leads_to_account_security(client, make, auth):
    auth.login(make.user())
    home = client.get("/").text
    assert 'href="/account/security"' in home


def test_the_secretariat_signs_someone_out_everywhere(app, make):
    """A lost laptop or a departure: every session of theirs ends; they may sign in again."""
    member = make.user()
    theirs = [_signed_in(app, member, FIREFOX), _signed_in(app, member, IPHONE)]
    admin = _signed_in(app, make.user(role="secretariat"), FIREFOX)
    assert "Sign out everywhere" in admin.get(f"/admin/users/{member.id}").text
    response = admin.post(f"/admin/users/{member.id}/end-sessions", follow_redirects=True)
    assert "is signed out everywhere" in response.text
    assert [c.get("/account/security").status_code for c in theirs] == [302, 302]
    _signed_in(app, member, FIREFOX)
    assert admin.get("/account/security").status_code == 200
