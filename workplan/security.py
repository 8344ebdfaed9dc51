"""Security on every request: idle sessions end, compulsory second factors are enforced,
and every response, error pages included, carries the security headers."""

import hashlib
import logging
import time

from flask import Flask, current_app, flash, g, redirect, request, session, url_for
from flask.sessions import SecureCookieSessionInterface
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from workplan import metrics
from workplan.extensions import db

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
# Pages a secretariat user without a required second factor may still reach.
_ENROLMENT_ENDPOINTS = {"auth.two_factor_setup", "auth.logout", "static", "bootstrap.static"}
# Writing the cookie on every request would be noise; a minute's precision is enough.
_SEEN_PRECISION = 60


def security_event(what: str, level: int = logging.WARNING, **details) -> None:
    """One log line for an event a security review would look for, with who and from where.

    Through the app's logger, so the redaction filter keeps secret links out; values are
    written with repr(), so a line break sent in a request cannot forge a second log line.
    """
    # The user already loaded for this request, if any: loading one here could fail again
    # in the same way the request did.
    metrics.security_event(what)
    user = getattr(g.get("_login_user"), "id", None)
    facts = " ".join(f"{name}={value!r}" for name, value in details.items())
    current_app.logger.log(
        level,
        "Security: %s on %s %r from %s user=%s %s",
        what,
        request.method,
        request.path,
        request.remote_addr,
        user,
        facts,
    )


class SessionCookie(SecureCookieSessionInterface):
    """Flask's signed session cookie, signed with HMAC-SHA256 rather than its default SHA-1."""

    digest_method = staticmethod(hashlib.sha256)


def register(app: Flask) -> None:
    """Add the hooks."""
    production = app.config["WORKPLAN_CONFIG"] == "production"
    app.session_interface = SessionCookie()
    idle_seconds = app.config["IDLE_TIMEOUT"].total_seconds()

    @app.before_request
    def end_idle_sessions():
        """Log out a session left without a request for longer than the idle timeout."""
        if not current_user.is_authenticated:
            return None
        from workplan.services import accounts, two_factor

        now = time.time()
        seen = session.get("seen")
        if seen is not None and now - seen > idle_seconds:
            # Worded before logging out, while the person's own language is still known.
            message = _("You were logged out after a while without activity. Log in again.")
            accounts.end_session(current_user.session_token)
            db.session.commit()
            logout_user()
            session.clear()
            flash(message, "info")
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        if seen is None or now - seen > _SEEN_PRECISION:
            session["seen"] = now
            # The person's list of sessions says when each was last used, to the minute.
            accounts.note_seen(current_user.session_token)
            db.session.commit()
        if (
            two_factor.required_for(current_user)
            and not current_user.totp_secret
            and request.endpoint not in _ENROLMENT_ENDPOINTS
        ):
            return redirect(url_for("auth.two_factor_setup"))
        return None

    @app.after_request
    def add_security_headers(response):
        """Lock the page down: no framing, no sniffing, no inline scripts, no leaking referrers."""
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if production:
            headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        if current_user and current_user.is_authenticated:
            headers["Cache-Control"] = "no-store"
            headers.add("Vary", "Cookie")
        return response
