"""The second factor: time-based one-time codes (TOTP) from an authenticator app, and the
one-use recovery codes that stand in for the app when a phone is lost."""

import io
import secrets
from datetime import datetime

import pyotp
import segno
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, select

from workplan.extensions import db
from workplan.models import RecoveryCode, User, utcnow
from workplan.services import DomainError, accounts

ISSUER = "GFMD work plan"
RECOVERY_CODES = 10
# 32 letters and digits without l, o, 0 or 1, which read alike: ten of them are 50 bits.
_RECOVERY_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"
_RECOVERY_LENGTH = 10


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


def verify(user: User, typed: str) -> int | None:
    """Accept a code from the app, or one of the recovery codes; for a recovery code, return
    how many are left."""
    if len(_recovery_shape(typed)) == _RECOVERY_LENGTH:
        return use_recovery_code(user, typed)
    verify_code(user, typed)
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
    user.second_factor_since = utcnow()


def disable(user: User, code: str) -> None:
    """Switch the second factor off, with a current code as proof."""
    verify_code(user, code)
    _switch_off(user)


def reset(user: User) -> None:
    """The secretariat switches a person's second factor off, for a lost phone without its
    recovery codes: their sessions end, and they enrol again at their next login if they must."""
    if not user.totp_secret:
        raise DomainError(_("%(name)s has no second factor to reset.", name=user.name))
    _switch_off(user)
    accounts.end_all_sessions(user)


def _switch_off(user: User) -> None:
    user.totp_secret = None
    user.totp_last_step = None
    user.second_factor_since = None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))


def new_recovery_codes(user: User) -> list[str]:
    """Ten fresh one-use recovery codes, to show once; any earlier ones stop working."""
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [
        "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(_RECOVERY_LENGTH))
        for _ in range(RECOVERY_CODES)
    ]
    hasher = accounts.hasher()
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=hasher.hash(c)) for c in codes)
    db.session.flush()
    half = _RECOVERY_LENGTH // 2
    return [f"{code[:half]}-{code[half:]}" for code in codes]


def recovery_codes_left(user: User) -> int:
    """How many of the person's recovery codes are still unused."""
    return len(_unused_recovery_codes(user))


def use_recovery_code(user: User, typed: str) -> int:
    """Accept a recovery code once, and return how many are left."""
    code = _recovery_shape(typed)
    unused = _unused_recovery_codes(user)
    hasher = accounts.hasher()
    for stored in unused:
        try:
            hasher.verify(stored.code_hash, code)
        except (VerificationError, InvalidHashError):
            continue
        stored.used_at = utcnow()
        db.session.flush()
        return len(unused) - 1
    raise DomainError(_("That recovery code is not right, or it has been used already."), "code")


def _unused_recovery_codes(user: User) -> list[RecoveryCode]:
    return db.session.scalars(
        select(RecoveryCode).where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
    ).all()


def _recovery_shape(typed: str) -> str:
    """A typed recovery code without its hyphen, spaces or capitals."""
    return "".join(ch for ch in (typed or "").lower() if ch.isalnum())


def required_for(user: User) -> bool:
    """Whether this deployment makes the second factor compulsory for the user."""
    return user.role in current_app.config.get("REQUIRE_TOTP_FOR", ())
