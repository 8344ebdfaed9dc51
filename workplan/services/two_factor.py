"""The optional second factor: time-based one-time codes (TOTP) from an authenticator app."""

import io
from datetime import datetime

import pyotp
import segno
from flask import current_app
from flask_babel import gettext as _

from workplan.models import User
from workplan.services import DomainError

ISSUER = "GFMD work plan"


def new_secret() -> str:
    """A fresh random secret to enrol an authenticator app with."""
    return pyotp.random_base32()


def provisioning_uri(user: User, secret: str) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def qr_svg(uri: str) -> str:
    """The QR code of an address, as an SVG element to put in the page."""
    buffer = io.BytesIO()
    segno.make(uri, error="m").save(
        buffer, kind="svg", scale=5, xmldecl=False, svgns=True, title=_("QR code to scan")
    )
    return buffer.getvalue().decode()


def _matching_step(secret: str, code: str) -> int | None:
    """The time step a code belongs to, within one step of clock drift, or None."""
    code = "".join(ch for ch in (code or "") if ch.isdigit())
    if len(code) != 6:
        return None
    totp = pyotp.TOTP(secret)
    now = totp.timecode(datetime.now())
    for step in (now, now - 1, now + 1):
        if pyotp.utils.strings_equal(totp.generate_otp(step), code):
            return step
    return None


def verify_code(user: User, code: str) -> None:
    """Accept a code once: a code already used (or an older one) is refused."""
    if not user.totp_secret:
        raise DomainError(_("This account has no second factor."))
    step = _matching_step(user.totp_secret, code)
    if step is None:
        raise DomainError(
            _("That code is not right. Type the 6 digits your app shows now."), "code"
        )
    if user.totp_last_step is not None and step <= user.totp_last_step:
        raise DomainError(_("That code has already been used. Wait for the next one."), "code")
    user.totp_last_step = step


def enrol(user: User, secret: str, code: str) -> None:
    """Switch the second factor on, once the person proves their app shows the right codes."""
    step = _matching_step(secret, code)
    if step is None:
        raise DomainError(
            _("That code does not match. Check your phone's clock and type the current code."),
            "code",
        )
    user.totp_secret = secret
    user.totp_last_step = step


def disable(user: User, code: str) -> None:
    """Switch the second factor off, with a current code as proof."""
    verify_code(user, code)
    user.totp_secret = None
    user.totp_last_step = None


def required_for(user: User) -> bool:
    """Whether this deployment makes the second factor compulsory for the user."""
    return user.role in current_app.config.get("REQUIRE_TOTP_FOR", ())
