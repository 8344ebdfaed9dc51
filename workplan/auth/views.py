"""Log in, log out, and set a password from a one-time link."""

from urllib.parse import urlsplit

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select

from workplan.auth.forms import ForgotPasswordForm, LoginForm, SetPasswordForm
from workplan.auth.links import send_link
from workplan.extensions import db, limiter
from workplan.models import User
from workplan.services import DomainError, accounts

bp = Blueprint("auth", __name__, url_prefix="/auth")


def _login_limit() -> str:
    from flask import current_app

    return current_app.config["LOGIN_RATE_LIMIT"]


def _account_key() -> str:
    """Throttle per account as well as per address, so one address cannot spread guesses."""
    return "account:" + (request.form.get("email") or "").strip().lower()[:254]


def is_safe_next(target: str | None) -> bool:
    """Only a path on this site: never another host, scheme, or protocol-relative address."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return False
    if "\\" in target or any(ord(c) < 32 for c in target):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


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
            form.password.errors.append("The email or password is not right.")
            return render_template("auth/login.html", form=form, next_url=next_url), 401
        # A fresh cookie for a fresh session: nothing from before the login survives it.
        session.clear()
        accounts.start_session(user)
        db.session.commit()
        login_user(user)
        session.permanent = True
        flash(f"Welcome, {user.name}.", "success")
        return redirect(next_url if is_safe_next(next_url) else landing_page(user))
    status = 400 if form.is_submitted() else 200
    return render_template("auth/login.html", form=form, next_url=next_url), status


@bp.post("/logout")
@login_required
def logout():
    """End this login session for good: a copy of its cookie no longer works."""
    accounts.end_session(current_user.session_token)
    db.session.commit()
    logout_user()
    session.clear()
    flash("You have logged out.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/set-password/<token>", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def set_password(token: str):
    """Choose a password from an invitation or reset link."""
    if len(token) > 100:
        abort(404)
    try:
        link = accounts.find_link(token)
    except DomainError as error:
        return render_template("auth/link_unusable.html", message=error.message), 410
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            user = accounts.redeem_link(token, form.password.data)
        except DomainError as error:
            db.session.rollback()
            form.password.errors.append(error.message)
        else:
            db.session.commit()
            if current_user.is_authenticated:
                logout_user()
            session.clear()
            flash("Your password is set. Log in with it now.", "success")
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
        user = db.session.scalar(select(User).where(User.email == email)) if email else None
        if user is not None and user.active:
            send_link(user, "reset")
            db.session.commit()
        flash(
            "If an account exists for that address, a link to reset its password is on its way.",
            "info",
        )
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot_password.html", form=form)
