"""Security by default: headers, CSRF, throttling, idle sessions, size limits, second factor."""

import hashlib
import importlib.util
import logging
import re
import time
from datetime import timedelta
from pathlib import Path

import pyotp
import pytest
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import select

from tests.factories import PASSWORD
from workplan import create_app
from workplan.audit import ACCOUNT_ACTIVITY
from workplan.config import _second_factor_roles
from workplan.models import AuditEvent, LoginSession, RecoveryCode, User
from workplan.services import accounts

CONFIG_FILE = Path(__file__).resolve().parent.parent / "workplan" / "config.py"


@pytest.fixture
def make_app(app, database_url):
    """An app on the suite's database with some settings changed (the `app` fixture cleans up)."""

    def build(**overrides):
        return create_app("testing", SQLALCHEMY_DATABASE_URI=database_url, **overrides)

    return build


def test_security_headers_on_pages_and_errors(client):
    """Every answer, an error page included, carries the security headers."""
    for path, status in (("/auth/login", 200), ("/nowhere", 404), ("/healthz", 200)):
        response = client.get(path)
        assert response.status_code == status
        csp = response.headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert "object-src 'none'" in csp and "base-uri 'none'" in csp
        assert "unsafe-inline" not in csp
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_authenticated_pages_are_not_cached(client, make, auth):
    """A page shown to a signed-in person is never stored by a shared cache or the browser."""
    assert "no-store" not in client.get("/auth/login").headers.get("Cache-Control", "")
    auth.login(make.user())
    assert client.get("/").headers["Cache-Control"] == "no-store"


def test_pages_have_no_inline_scripts_or_styles(client, make, auth):
    """The strict policy holds only if templates carry no inline script or style attribute."""
    auth.login(make.user(role="secretariat"))
    for path in ("/", "/admin/users", "/admin/users/new", "/admin/audit", "/auth/login"):
        page = client.get(path).get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page), path
        assert " style=" not in page, path
        assert " onclick=" not in page.lower() and " onsubmit=" not in page.lower(), path


def test_csrf_refuses_a_form_without_token(make_app, make):
    """With CSRF on (as in production), a POST without the token changes nothing."""
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    user = make.user()
    response = client.post("/auth/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 400
    assert "did not come from this site" in response.get_data(as_text=True)
    page = client.get("/auth/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)[1]
    response = client.post(
        "/auth/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302


def test_logout_needs_csrf_too(make_app, make):
    """A forged cross-site POST cannot log someone out."""
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    user = make.user()
    page = client.get("/auth/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)[1]
    client.post(
        "/auth/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token}
    )
    assert client.post("/auth/logout").status_code == 400


def test_login_throttled_per_account_before_hashing(make_app, make, monkeypatch):
    """Guesses against one account from many addresses are throttled before any hash is computed."""
    app = make_app(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per minute")
    user = make.user()
    calls = []
    real = accounts.authenticate
    monkeypatch.setattr(accounts, "authenticate", lambda *a, **k: calls.append(1) or real(*a, **k))
    statuses = []
    for n in range(5):
        client = app.test_client()
        response = client.post(
            "/auth/login",
            data={"email": user.email, "password": "wrong guess"},
            environ_base={"REMOTE_ADDR": f"10.0.0.{n}"},
        )
        statuses.append(response.status_code)
    assert statuses == [401, 401, 401, 429, 429]
    assert len(calls) == 3
    assert "Too many attempts" in response.get_data(as_text=True)


def test_login_throttled_per_address(make_app, make):
    """One address spraying many accounts is throttled too."""
    app = make_app(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per minute")
    client = app.test_client()
    statuses = [
        client.post(
            "/auth/login", data={"email": f"guess{n}@example.org", "password": "x"}
        ).status_code
        for n in range(4)
    ]
    assert statuses == [401, 401, 401, 429]


def test_behind_a_trusted_proxy_each_client_is_throttled_on_its_own(make_app, make):
    """With WORKPLAN_TRUSTED_PROXIES=1 the proxy's X-Forwarded-For names the client, so one
    client's guesses do not lock everyone else out; without it the header is ignored."""

    def statuses(app, addresses):
        client = app.test_client()
        return [
            client.post(
                "/auth/login",
                data={"email": f"guess{n}@example.org", "password": "x"},
                headers={"X-Forwarded-For": address},
            ).status_code
            for n, address in enumerate(addresses)
        ]

    limits = {"RATELIMIT_ENABLED": True, "LOGIN_RATE_LIMIT": "2 per minute"}
    two_clients = ["203.0.113.1", "203.0.113.1", "203.0.113.1", "198.51.100.7"]
    assert statuses(make_app(TRUSTED_PROXIES=1, **limits), two_clients) == [401, 401, 429, 401]
    # Untrusted, the header could be forged to dodge the limit: it counts for nothing.
    assert statuses(make_app(**limits), two_clients) == [401, 401, 429, 429]


def test_production_refuses_a_short_secret_key():
    with pytest.raises(RuntimeError, match="shorter than 32 characters"):
        create_app("production", SECRET_KEY="short")


def test_request_size_is_limited(client):
    """A body larger than the limit is refused before anything reads it."""
    response = client.post("/auth/login", data={"email": "x" * (3 * 1024 * 1024)})
    assert response.status_code == 413


def test_idle_session_ends(client, make, auth, db_session):
    """After the idle timeout the session ends for good, cookie and all."""
    user = make.user(role="secretariat")
    auth.login(user)
    assert client.get("/admin/users").status_code == 200
    with client.session_transaction() as session:
        session["seen"] = time.time() - 3 * 3600
    response = client.get("/admin/users")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    assert client.get("/admin/users").status_code == 302
    db_session.expire_all()
    assert db_session.scalars(select(LoginSession.ended_at)).one() is not None


def test_session_has_bounded_lifetime(app):
    """Sessions and their cookies expire; production cookies are Secure and HttpOnly."""
    assert app.config["PERMANENT_SESSION_LIFETIME"] <= timedelta(hours=12)
    assert timedelta(hours=12) >= accounts.SESSION_LIFETIME
    production = create_app(
        "production", SECRET_KEY="k" * 32, PUBLIC_BASE_URL="https://workplan.example.org"
    )
    assert production.config["SESSION_COOKIE_SECURE"] is True
    assert production.config["SESSION_COOKIE_HTTPONLY"] is True


def _enrol_keeping_codes(client) -> tuple[str, list[str]]:
    """Switch the second factor on; the app's secret and the recovery codes shown once."""
    page = client.get("/auth/two-factor/setup").get_data(as_text=True)
    secret = re.search(r"<code[^>]*>([A-Z2-7]+)</code>", page)[1]
    assert "<svg" in page
    response = client.post("/auth/two-factor/setup", data={"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 200
    codes = re.findall(
        r'<span class="user-select-all">([a-z2-9]{5}-[a-z2-9]{5})</span>', response.text
    )
    assert len(codes) == 10 and len(set(codes)) == 10
    return secret, codes


def _enrol(client) -> str:
    return _enrol_keeping_codes(client)[0]


def test_second_factor_login_and_replay(app, client, make, auth, db_session):
    """With a second factor on, the password alone does not log in, and a code works once."""
    user = make.user(role="secretariat")
    auth.login(user)
    secret = _enrol(client)
    auth.logout()
    response = auth.login(user)
    assert response.headers["Location"] == "/auth/two-factor"
    assert client.get("/admin/users").status_code == 302
    wrong = client.post("/auth/two-factor", data={"code": "000000"})
    assert wrong.status_code == 400 and "not right" in wrong.get_data(as_text=True)
    # The enrolment used the current step's code; the next step's is accepted (clock drift).
    code = pyotp.TOTP(secret).at(time.time() + 30)
    assert client.post("/auth/two-factor", data={"code": code}).status_code == 302
    assert client.get("/admin/users").status_code == 200
    other = app.test_client()
    other.post("/auth/login", data={"email": user.email, "password": PASSWORD})
    replay = other.post("/auth/two-factor", data={"code": code})
    assert replay.status_code == 400 and "already been used" in replay.get_data(as_text=True)


def test_second_factor_enrolment_needs_a_right_code(client, make, auth, db_session):
    """A wrong first code leaves the second factor off."""
    user = make.user(role="secretariat")
    auth.login(user)
    client.get("/auth/two-factor/setup")
    response = client.post("/auth/two-factor/setup", data={"code": "123456"})
    assert response.status_code == 400
    db_session.expire_all()
    assert db_session.get(User, user.id).totp_secret is None


def test_compulsory_second_factor(make_app, make):
    """Where the deployment requires it, the secretariat must enrol before anything else."""
    app = make_app(REQUIRE_TOTP_FOR=frozenset({"secretariat"}))
    client = app.test_client()
    user = make.user(role="secretariat")
    response = client.post("/auth/login", data={"email": user.email, "password": PASSWORD})
    assert response.headers["Location"] == "/auth/two-factor/setup"
    assert client.get("/admin/users").headers["Location"] == "/auth/two-factor/setup"
    _enrol(client)
    assert client.get("/admin/users").status_code == 200
    member = app.test_client()
    member.post("/auth/login", data={"email": make.user().email, "password": PASSWORD})
    assert member.get("/").status_code == 200


def test_a_deployment_can_require_a_second_factor_of_everyone(make_app, make):
    """WORKPLAN_REQUIRE_TOTP=everyone: focal points and members enrol too, and cannot turn the
    second factor off; a value the app does not know stops it from starting."""
    app = make_app(REQUIRE_TOTP_FOR=_second_factor_roles("everyone"))
    for role in ("member", "focal_point"):
        client = app.test_client()
        user = make.user(role=role)
        response = client.post("/auth/login", data={"email": user.email, "password": PASSWORD})
        assert response.headers["Location"] == "/auth/two-factor/setup"
        assert client.get("/").headers["Location"] == "/auth/two-factor/setup"
        secret = _enrol(client)
        assert client.get("/").status_code == 200
        code = pyotp.TOTP(secret).now()
        refused = client.post("/auth/two-factor/disable", data={"code": code})
        assert refused.status_code == 403
        assert "requires a second factor for your account" in refused.get_data(as_text=True)
    assert _second_factor_roles("1") == {"secretariat"} and _second_factor_roles("0") == set()
    with pytest.raises(RuntimeError, match="use 0, 1"):
        _second_factor_roles("maybe")


def test_security_events_are_logged_with_who_and_from_where(make_app, make, caplog):
    """Failed logins, refusals and forged forms leave a line each, naming the account and the
    address; a line break sent in the request stays inside its line."""
    member = make.user(role="member")

    def security_lines(app, *requests) -> list[str]:
        caplog.clear()
        client = app.test_client()
        with caplog.at_level(logging.WARNING, logger="workplan"):
            for method, path, data in requests:
                client.open(path, method=method, data=data)
        lines = [r.getMessage() for r in caplog.records]
        return [line for line in lines if line.startswith("Security:")]

    lines = security_lines(
        make_app(),
        ("POST", "/auth/login", {"email": "nobody\n@example.org", "password": "x"}),
        ("POST", "/auth/login", {"email": member.email, "password": PASSWORD}),
        ("GET", "/admin/users", None),
    )
    assert len(lines) == 2 and all("\n" not in line for line in lines)
    assert "failed login" in lines[0] and "email='nobody\\n@example.org'" in lines[0]
    assert "answered 403 on GET '/admin/users' from 127.0.0.1" in lines[1]
    assert f"user={member.id}" in lines[1]

    [forged] = security_lines(
        make_app(WTF_CSRF_ENABLED=True), ("POST", "/auth/login", {"email": "a@b.org"})
    )
    assert "CSRF token refused on POST '/auth/login'" in forged


def test_logins_and_password_resets_are_logged_as_information(make_app, make, caplog):
    """Who logged in, from where, and who asked for or used a reset link (ASVS V16.3.1)."""
    member = make.user(role="member")
    client = make_app().test_client()
    with caplog.at_level(logging.INFO, logger="workplan"):
        client.post("/auth/login", data={"email": member.email, "password": PASSWORD})
        client.post("/auth/forgot-password", data={"email": member.email})
    lines = [r.getMessage() for r in caplog.records if r.getMessage().startswith("Security:")]
    assert any(
        f"login succeeded on POST '/auth/login' from 127.0.0.1 user=None account={member.id}"
        in line
        for line in lines
    )
    assert any("password reset asked" in line and repr(member.email) in line for line in lines)


def test_turning_the_second_factor_on_and_off_is_logged(client, make, auth, caplog):
    """Turning it off, the more dangerous change, is a warning."""
    user = make.user(role="member")
    auth.login(user)
    with caplog.at_level(logging.INFO, logger="workplan"):
        secret = _enrol(client)
        next_code = pyotp.TOTP(secret).at(time.time() + 30)
        assert client.post("/auth/two-factor/disable", data={"code": next_code}).status_code == 302
    events = {
        r.getMessage().split(" on POST")[0]: r.levelno
        for r in caplog.records
        if r.getMessage().startswith("Security: second factor")
    }
    assert events == {
        "Security: second factor turned on": logging.INFO,
        "Security: second factor turned off": logging.WARNING,
    }


@pytest.mark.parametrize(
    "spelling",
    [
        "member@ｄemo.gfmd.example",  # a full-width ｄ
        "member@demo。gfmd。example",  # ideographic full stops
        "MEMBER@Demo.GFMD.example",
    ],
)
def test_every_spelling_of_an_account_counts_against_it(make_app, make, spelling):
    """Guesses under one spelling lock the account for every spelling sign-in accepts."""
    app = make_app(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per minute")
    user = make.user(email="member@demo.gfmd.example")
    for n in range(3):
        guess = app.test_client().post(
            "/auth/login",
            data={"email": "member@demo.gfmd.example", "password": "wrong guess"},
            environ_base={"REMOTE_ADDR": f"10.0.1.{n}"},
        )
        assert guess.status_code == 401
    right = app.test_client().post(
        "/auth/login",
        data={"email": spelling, "password": PASSWORD},
        environ_base={"REMOTE_ADDR": "10.0.2.1"},
    )
    assert right.status_code == 429
    # The spelling itself signs in once the lock has passed: the throttle, not the address,
    # refused it.
    with app.app_context():
        assert accounts.authenticate(spelling, PASSWORD).id == user.id


def test_wrong_codes_are_counted_per_sign_in_and_per_account(make_app, make):
    """Carrying a pending sign-in to new addresses, or signing in again, buys no more guesses."""
    app = make_app(
        RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="100 per minute", TWO_FACTOR_RATE_LIMIT="2/hour"
    )
    user = make.user(role="secretariat")
    client = app.test_client()
    client.post("/auth/login", data={"email": user.email, "password": PASSWORD})
    secret = _enrol(client)
    client.post("/auth/logout")

    def code_from(client, address, code="000000"):
        return client.post(
            "/auth/two-factor", data={"code": code}, environ_base={"REMOTE_ADDR": address}
        ).status_code

    def sign_in(address):
        client = app.test_client()
        response = client.post(
            "/auth/login",
            data={"email": user.email, "password": PASSWORD},
            environ_base={"REMOTE_ADDR": address},
        )
        assert response.headers["Location"] == "/auth/two-factor"
        return client

    pending = sign_in("10.0.3.1")
    assert [code_from(pending, "10.0.3.1"), code_from(pending, "10.0.3.2")] == [400, 400]
    # The same pending sign-in from a third address, with the right code even: refused.
    assert code_from(pending, "10.0.3.3", pyotp.TOTP(secret).now()) == 429
    # A new sign-in from yet another address: the account's count holds.
    assert code_from(sign_in("10.0.3.4"), "10.0.3.4") == 429


def test_a_right_code_is_not_counted_as_a_guess(make_app, make):
    """Only wrong codes use up the allowance: people who type their code right are never held."""
    app = make_app(RATELIMIT_ENABLED=True, TWO_FACTOR_RATE_LIMIT="1/hour")
    user = make.user(role="secretariat")
    client = app.test_client()
    client.post("/auth/login", data={"email": user.email, "password": PASSWORD})
    secret = _enrol(client)
    client.post("/auth/logout")
    client.post("/auth/login", data={"email": user.email, "password": PASSWORD})
    code = pyotp.TOTP(secret).at(time.time() + 30)
    assert client.post("/auth/two-factor", data={"code": code}).status_code == 302
    client.post("/auth/logout")
    client.post("/auth/login", data={"email": user.email, "password": PASSWORD})
    statuses = [client.post("/auth/two-factor", data={"code": "000000"}).status_code]
    statuses.append(client.post("/auth/two-factor", data={"code": "000000"}).status_code)
    assert statuses == [400, 429]


def test_the_code_page_without_a_pending_sign_in_changes_nothing(client, make, auth):
    """A link to /auth/two-factor from another site does not log anyone out."""
    auth.login(make.user(role="secretariat"))
    response = client.get("/auth/two-factor")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert client.get("/admin/users").status_code == 200


def test_a_referer_with_a_malformed_port_is_refused_as_a_forgery(make_app, make):
    """Over HTTPS a Referer such as https://host:x/ answers the CSRF sentence, not a 500."""
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    user = make.user()
    page = client.get("/auth/login", base_url="https://localhost").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)[1]
    form = {"email": user.email, "password": PASSWORD, "csrf_token": token}
    response = client.post(
        "/auth/login", data=form, base_url="https://localhost", headers={"Referer": "https://h:x/"}
    )
    assert response.status_code == 400
    assert "did not come from this site" in response.get_data(as_text=True)
    right = client.post(
        "/auth/login",
        data=form,
        base_url="https://localhost",
        headers={"Referer": "https://localhost/auth/login"},
    )
    assert right.status_code == 302


def test_production_links_come_from_the_public_address_not_the_host_header(
    make, database_url, db_session
):
    """A forged Host cannot put another site into a feed or a subscription button."""
    app = create_app(
        "production",
        SECRET_KEY="k" * 32,
        SQLALCHEMY_DATABASE_URI=database_url,
        PUBLIC_BASE_URL="https://workplan.example.org",
    )
    meeting = make.meeting()
    client = app.test_client()
    forged = {"Host": "evil.example"}
    feed = client.get("/calendar/meetings.ics", headers=forged, base_url="https://evil.example")
    body = feed.get_data(as_text=True)
    assert feed.status_code == 200
    assert f"https://workplan.example.org/meetings/{meeting.id}" in body
    assert "evil.example" not in body
    page = client.get("/calendar/", headers=forged, base_url="https://evil.example")
    text = page.get_data(as_text=True)
    assert "webcal://workplan.example.org/calendar/meetings.ics" in text
    assert "evil.example" not in text


def test_production_refuses_to_start_without_its_public_address():
    with pytest.raises(RuntimeError, match="WORKPLAN_BASE_URL is not set"):
        create_app("production", SECRET_KEY="k" * 32, PUBLIC_BASE_URL="")


def test_a_recovery_code_signs_in_once(app, client, make, auth, db_session):
    """A lost phone: one recovery code stands in for the app's code, once, however it is typed."""
    user = make.user(role="secretariat")
    auth.login(user)
    _, codes = _enrol_keeping_codes(client)
    stored = db_session.scalars(select(RecoveryCode.code_hash)).all()
    assert len(stored) == 10 and all(h.startswith("$argon2id$") for h in stored)
    assert not any(code.replace("-", "") in h for code in codes for h in stored)
    auth.logout()
    auth.login(user)
    typed = " " + codes[3].upper().replace("-", " ") + " "
    response = client.post("/auth/two-factor", data={"code": typed}, follow_redirects=True)
    assert "recovery code; 9 are left" in response.text
    assert client.get("/admin/users").status_code == 200
    assert "9 unused recovery codes" in client.get("/auth/two-factor/setup").text
    auth.logout()
    auth.login(user)
    again = client.post("/auth/two-factor", data={"code": codes[3]})
    assert again.status_code == 400 and "used already" in again.text


def test_new_recovery_codes_need_a_current_code_and_replace_the_old(app, client, make, auth):
    """Making new codes asks for the app's code; afterwards the old ones no longer work."""
    user = make.user(role="secretariat")
    auth.login(user)
    secret, old_codes = _enrol_keeping_codes(client)
    refused = client.post("/auth/two-factor/recovery-codes", data={"recovery-code": "000000"})
    assert refused.status_code == 400 and "not right" in refused.text
    code = pyotp.TOTP(secret).at(time.time() + 30)
    made = client.post("/auth/two-factor/recovery-codes", data={"recovery-code": code})
    new_codes = re.findall(r'user-select-all">([a-z2-9]{5}-[a-z2-9]{5})<', made.text)
    assert made.status_code == 200 and len(new_codes) == 10
    assert not set(new_codes) & set(old_codes)
    auth.logout()
    auth.login(user)
    assert client.post("/auth/two-factor", data={"code": old_codes[0]}).status_code == 400
    assert client.post("/auth/two-factor", data={"code": new_codes[0]}).status_code == 302


def test_the_secretariat_resets_a_lost_second_factor_with_an_audit_entry(app, make, db_session):
    """The secretariat switches off a member's second factor: their sessions end, their codes
    go, and the account's activity says who did it."""
    member = make.user(role="focal_point")
    theirs = app.test_client()
    theirs.post("/auth/login", data={"email": member.email, "password": PASSWORD})
    _enrol(theirs)
    admin = make.user(role="secretariat", name="Ana Admin")
    ours = app.test_client()
    ours.post("/auth/login", data={"email": admin.email, "password": PASSWORD})
    page = ours.get(f"/admin/users/{member.id}").text
    assert "Reset the second factor" in page
    response = ours.post(f"/admin/users/{member.id}/reset-second-factor")
    assert response.status_code == 302
    db_session.expire_all()
    reset = db_session.get(User, member.id)
    assert reset.totp_secret is None and reset.second_factor_since is None
    assert db_session.scalars(select(RecoveryCode)).all() == []
    assert theirs.get("/account/calendar").status_code == 302
    # The latest by id: without an order PostgreSQL may return the rows in any order.
    event = db_session.scalars(
        select(AuditEvent)
        .where(AuditEvent.record_type == ACCOUNT_ACTIVITY, AuditEvent.record_id == member.id)
        .order_by(AuditEvent.id.desc())
        .limit(1)
    ).one()
    assert event.user_id == admin.id and event.new_values == {"second_factor_since": None}
    activity = ours.get(f"/admin/security?user={member.id}").text
    assert "Changed the second factor" in activity and "Ana Admin" in activity
    # Their password alone now signs them in.
    again = app.test_client().post(
        "/auth/login", data={"email": member.email, "password": PASSWORD}
    )
    assert again.status_code == 302 and again.headers["Location"] != "/auth/two-factor"
    assert ours.post(f"/admin/users/{member.id}/reset-second-factor").status_code == 400
    assert ours.post(f"/admin/users/{admin.id}/reset-second-factor").status_code == 400


def test_production_requires_the_second_factor_of_the_secretariat_by_default(monkeypatch):
    """Unless WORKPLAN_REQUIRE_TOTP says otherwise; other settings keep it optional."""
    monkeypatch.delenv("WORKPLAN_REQUIRE_TOTP", raising=False)
    spec = importlib.util.spec_from_file_location("fresh_config", CONFIG_FILE)
    fresh = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(fresh)
    assert frozenset({"secretariat"}) == fresh.ProductionConfig.REQUIRE_TOTP_FOR
    assert frozenset() == fresh.DevelopmentConfig.REQUIRE_TOTP_FOR
    monkeypatch.setenv("WORKPLAN_REQUIRE_TOTP", "everyone")
    spec.loader.exec_module(fresh)
    assert {"secretariat", "focal_point", "member"} == fresh.ProductionConfig.REQUIRE_TOTP_FOR


def test_people_without_a_second_factor_are_asked_to_set_one_up(client, make, auth):
    response = auth.login(make.user())
    assert response.status_code == 302
    assert "Protect your account with a second factor" in client.get("/").text


def test_production_session_cookie_is_host_bound_and_signed_with_sha256(make, database_url):
    """__Host- prefix (HTTPS, this host, path /) and an HMAC-SHA256 signature, not SHA-1."""
    app = create_app(
        "production",
        SECRET_KEY="k" * 32,
        SQLALCHEMY_DATABASE_URI=database_url,
        PUBLIC_BASE_URL="https://workplan.example.org",
        WTF_CSRF_ENABLED=False,
    )
    user = make.user()
    client = app.test_client()
    response = client.post(
        "/auth/login",
        data={"email": user.email, "password": PASSWORD},
        base_url="https://workplan.example.org",
    )
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("__Host-session=") and "Secure" in cookie and "Path=/" in cookie
    assert "Domain" not in cookie
    value = cookie.split(";", 1)[0].split("=", 1)[1]
    serializer = app.session_interface.get_signing_serializer(app)
    assert serializer.loads(value)["_user_id"]
    sha1 = URLSafeTimedSerializer(
        app.secret_key,
        salt="cookie-session",
        serializer=serializer.serializer,
        signer_kwargs={"key_derivation": "hmac", "digest_method": hashlib.sha1},
    )
    with pytest.raises(BadSignature):
        sha1.loads(value)
