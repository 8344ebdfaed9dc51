"""Log in, log out, and set a password from a one-time link."""

import logging
import secrets
import time
from functools import partial

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required, login_user, logout_user

from workplan import web
from workplan.auth.forms import (
    ForgotPasswordForm,
    LoginForm,
    SetPasswordForm,
    SignInCodeForm,
    TwoFactorForm,
)
from workplan.editing import submitted
from workplan.extensions import db, limiter
from workplan.models import User
from workplan.security import security_event
from workplan.services import DomainError, accounts, two_factor
from workplan.services.links import send_link

# How long the password step stays valid while the person finds their authenticator app.
PENDING_SECONDS = 300

bp = Blueprint("auth", __name__, url_prefix="/auth")


def _login_limit() -> str:
    from flask import current_app

    return current_app.config["LOGIN_RATE_LIMIT"]


def _account_key() -> str:
    """Throttle per account as well as per address, so one address cannot spread guesses.

    The address is read as sign-in reads it: another spelling of the same account (capitals,
    full-width letters, an ideographic full stop) counts against the same account.
    """
    email = (request.form.get("email") or "")[:254]
    try:
        return "account:" + accounts.normalise_email(email)
    except DomainError:
        return "account:" + email.strip().lower()


def _two_factor_limit() -> str:
    return current_app.config["TWO_FACTOR_RATE_LIMIT"]


def _pending_sign_in_key() -> str:
    return f"second-factor-sign-in:{session.get('pending_id')}"


def _pending_account_key() -> str:
    return f"second-factor-account:{session.get('pending_user')}"


def _nothing_pending() -> bool:
    return not session.get("pending_user")


def _wrong_code(response) -> bool:
    return response.status_code == 400


# Wrong codes are counted per pending sign-in and per account as well as per address, so
# carrying the pending sign-in's cookie to another address buys no more guesses.
_second_factor_limits = [
    limiter.limit(
        _two_factor_limit,
        methods=["POST"],
        key_func=key,
        exempt_when=_nothing_pending,
        deduct_when=_wrong_code,
    )
    for key in (_pending_sign_in_key, _pending_account_key)
]


def _forget_pending_sign_in() -> None:
    for key in ("pending_user", "pending_at", "pending_next", "pending_id"):
        session.pop(key, None)


def landing_page(user: User) -> str:
    """Where a user lands after logging in: a focal point on their government's page."""
    if user.role == "focal_point" and user.government_id:
        return url_for("governments.detail", government_id=user.government_id)
    return url_for("main.home")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
@limiter.limit(_login_limit, methods=["POST"], key_func=_account_key)
def login():
    """Check the email and password and open a new login session."""
    form = LoginForm()
    next_url = request.values.get("next")
    if form.validate_on_submit():
        user = accounts.authenticate(form.email.data, form.password.data)
        if user is None:
            db.session.commit()
            security_event("failed login", email=form.email.data)
            form.password.errors.append(_("The email or password is not right."))
            return render_template("auth/login.html", form=form, next_url=next_url), 401
        if user.totp_secret:
            db.session.commit()
            session.clear()
            session.update(
                pending_user=user.id,
                pending_at=time.time(),
                pending_next=next_url,
                pending_id=secrets.token_urlsafe(16),
            )
            return redirect(url_for("auth.two_factor_check"))
        return _open_session(user, next_url)
    status = 400 if form.is_submitted() else 200
    return render_template("auth/login.html", form=form, next_url=next_url), status


def _open_session(user: User, next_url: str | None, recovery_codes_left: int | None = None):
    """Start a new login session for a user who has proved who they are."""
    # A fresh cookie for a fresh session: nothing from before the login survives it.
    session.clear()
    accounts.start_session(user, request.headers.get("User-Agent", ""))
    db.session.commit()
    security_event("login succeeded", account=user.id, level=logging.INFO)
    login_user(user)
    session.permanent = True
    session["seen"] = time.time()
    flash(_("Welcome, %(name)s.", name=user.name), "success")
    if recovery_codes_left is not None:
        flash(
            ngettext(
                "You signed in with a recovery code; %(num)d is left. Under Account security "
                "you can make new ones.",
                "You signed in with a recovery code; %(num)d are left. Under Account security "
                "you can make new ones.",
                recovery_codes_left,
            ),
            "warning",
        )
    if two_factor.required_for(user) and not user.totp_secret:
        flash(
            _("This deployment asks you to use a second factor: set it up now."),
            "info",
        )
        return redirect(url_for("auth.two_factor_setup"))
    if not user.totp_secret:
        flash(
            _(
                "Protect your account with a second factor: a code from an app on your phone "
                "at each login. Set it up under Account security."
            ),
            "info",
        )
    return redirect(next_url if web.is_safe_next(next_url) else landing_page(user))


@bp.route("/two-factor", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
@_second_factor_limits[0]
@_second_factor_limits[1]
def two_factor_check():
    """The second step of logging in: the code from the authenticator app."""
    user_id, started = session.get("pending_user"), session.get("pending_at", 0)
    if not user_id:
        # Nothing to do here; a link from another site must not change the session.
        return redirect(url_for("main.home" if current_user.is_authenticated else "auth.login"))
    if time.time() - started > PENDING_SECONDS:
        if request.method == "POST":
            _forget_pending_sign_in()
        flash(_("Log in again: the code step waits five minutes at most."), "info")
        return redirect(url_for("auth.login"))
    user = db.session.get(User, user_id)
    if user is None or not user.active or not user.totp_secret:
        if request.method == "POST":
            _forget_pending_sign_in()
        return redirect(url_for("auth.login"))
    form = SignInCodeForm()
    signed_in, left = submitted(form, form.code, partial(two_factor.verify, user, form.code.data))
    if signed_in:
        if left is not None:
            security_event("recovery code used", account=user.id, left=left)
        return _open_session(user, session.get("pending_next"), recovery_codes_left=left)
    if form.is_submitted():
        security_event("wrong second-factor code", account=user.id)
    status = 400 if form.is_submitted() else 200
    return render_template("auth/two_factor.html", form=form), status


@bp.route("/two-factor/setup", methods=["GET", "POST"])
@login_required
def two_factor_setup():
    """Switch on the second factor: scan the code, then prove it with the first code."""
    form = TwoFactorForm()
    if current_user.totp_secret:
        return _second_factor_page()
    secret = session.get("totp_enrolment") or two_factor.new_secret()
    session["totp_enrolment"] = secret
    code = form.code.data
    if submitted(form, form.code, partial(two_factor.enrol, current_user, secret, code))[0]:
        codes = two_factor.new_recovery_codes(current_user)
        db.session.commit()
        session.pop("totp_enrolment", None)
        security_event("second factor turned on", account=current_user.id, level=logging.INFO)
        flash(_("The second factor is on. You will be asked for a code at each login."), "success")
        return render_template("auth/recovery_codes.html", codes=codes)
    uri = two_factor.provisioning_uri(current_user, secret)
    status = 400 if form.is_submitted() else 200
    return (
        render_template(
            "auth/two_factor_setup.html",
            form=form,
            secret=secret,
            qr=two_factor.qr_svg(uri),
        ),
        status,
    )


def _second_factor_page(off_form=None, codes_form=None, status=200):
    """The account's second factor: recovery codes left, new codes, switching it off."""
    return (
        render_template(
            "auth/two_factor_on.html",
            form=off_form or TwoFactorForm(),
            codes_form=codes_form or TwoFactorForm(prefix="recovery"),
            codes_left=two_factor.recovery_codes_left(current_user),
        ),
        status,
    )


@bp.post("/two-factor/recovery-codes")
@login_required
@limiter.limit(_login_limit)
def new_recovery_codes():
    """Make ten new recovery codes, with a current code as proof; the old ones stop working."""
    form = TwoFactorForm(prefix="recovery")
    if not current_user.totp_secret:
        return redirect(url_for("auth.two_factor_setup"))
    code = form.code.data
    if submitted(form, form.code, partial(two_factor.verify_code, current_user, code))[0]:
        codes = two_factor.new_recovery_codes(current_user)
        db.session.commit()
        security_event("recovery codes made again", account=current_user.id)
        return render_template("auth/recovery_codes.html", codes=codes)
    return _second_factor_page(codes_form=form, status=400)


@bp.post("/two-factor/disable")
@login_required
def two_factor_disable():
    """Switch the second factor off, with a current code as proof."""
    form = TwoFactorForm()
    if two_factor.required_for(current_user):
        abort(403, _("This deployment requires a second factor for your account."))
    code = form.code.data
    if submitted(form, form.code, partial(two_factor.disable, current_user, code))[0]:
        db.session.commit()
        security_event("second factor turned off", account=current_user.id)
        flash(_("The second factor is off."), "success")
        return redirect(url_for("main.home"))
    return _second_factor_page(off_form=form, status=400)


@bp.post("/logout")
@login_required
def logout():
    """End this login session for good: a copy of its cookie no longer works."""
    accounts.end_session(current_user.session_token)
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("You have logged out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/set-password/<token>", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def set_password(token: str):
    """Choose a password from an invitation or reset link."""
    response = make_response(_set_password(token))
    # The address carries the link's secret: no browser or proxy may keep a copy of the page.
    response.headers["Cache-Control"] = "no-store"
    return response


def _set_password(token: str):
    if len(token) > 100:
        abort(404)
    try:
        link = accounts.find_link(token)
    except DomainError as error:
        return render_template("auth/link_unusable.html", message=error.message), 410
    form = SetPasswordForm()
    redeemed, user = submitted(
        form, form.password, partial(accounts.redeem_link, token, form.password.data)
    )
    if redeemed:
        db.session.commit()
        security_event("password set by link", account=user.id, level=logging.INFO)
        if current_user.is_authenticated:
            logout_user()
        session.clear()
        flash(_("Your password is set. Log in with it now."), "success")
        return redirect(url_for("auth.login", email=user.email))
    status = 400 if form.is_submitted() else 200
    return render_template("auth/set_password.html", form=form, link=link), status


@bp.route("/forgot-password", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def forgot_password():
    """Send a reset link, saying the same thing whether or not the account exists."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        try:
            email = accounts.normalise_email(form.email.data)
        except DomainError:
            email = None
        user = accounts.with_email(email)
        security_event("password reset asked", email=form.email.data, level=logging.INFO)
        if user is not None and user.active:
            send_link(user, "reset", current_app.config["PUBLIC_BASE_URL"])
            db.session.commit()
        flash(
            _("If an account exists for that address, a link to reset its password is on its way."),
            "info",
        )
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot_password.html", form=form)
