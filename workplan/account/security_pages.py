"""Account security, signed in: change one's password, see where one is signed in, end any
of those sessions. The second factor has its pages in auth."""

import logging
from functools import lru_cache, partial

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from workplan.account.forms import ChangePasswordForm
from workplan.account.views import bp
from workplan.editing import submitted
from workplan.extensions import db, limiter
from workplan.security import security_event
from workplan.services import accounts, two_factor


@lru_cache(maxsize=256)
def _browser_and_system(user_agent: str) -> tuple[str | None, str | None]:
    # Imported here: its patterns are needed on this page only.
    from ua_parser import parse

    found = parse(user_agent)
    browser, system = found.user_agent, found.os
    name = None
    if browser is not None and browser.family != "Other":
        name = f"{browser.family} {browser.major}" if browser.major else browser.family
    return name, (system.family if system is not None and system.family != "Other" else None)


def device(user_agent: str | None) -> str:
    """A browser's User-Agent as a person reads it: "Firefox 128 on Windows"."""
    browser, system = _browser_and_system(user_agent or "")
    if browser is None:
        return _("Unknown browser")
    if system is None:
        return browser
    return _("%(browser)s on %(system)s", browser=browser, system=system)


def _page(password_form=None, status=200):
    sessions = accounts.live_sessions(current_user)
    return (
        render_template(
            "account/security.html",
            password_form=password_form or ChangePasswordForm(formdata=None),
            sessions=[
                (s, device(s.user_agent), accounts.is_current(s, current_user.session_token))
                for s in sessions
            ],
            second_factor_required=two_factor.required_for(current_user),
        ),
        status,
    )


@bp.get("/security")
def security():
    """Password, second factor and the sessions signed in as this person."""
    return _page()


@bp.post("/password")
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"])
def change_password():
    """A new password, with the current one as proof; every other session ends."""
    form = ChangePasswordForm()
    change = partial(
        accounts.change_password, current_user, form.current_password.data, form.password.data
    )
    if submitted(form, form.password, change)[0]:
        db.session.commit()
        security_event("password changed", account=current_user.id, level=logging.INFO)
        flash(
            _("Your password is changed. Any other session signed in as you has ended."),
            "success",
        )
        return redirect(url_for("account.security"))
    return _page(password_form=form, status=400)


@bp.post("/sessions/<int:session_id>/end")
def end_session(session_id: int):
    """End one of one's own sessions, on a lost laptop say."""
    if not accounts.end_own_session(current_user, session_id):
        abort(404)
    db.session.commit()
    security_event("session ended by its owner", account=current_user.id, session=session_id)
    flash(_("That session has ended: whoever uses it must sign in again."), "success")
    return redirect(url_for("account.security"))


@bp.post("/sessions/end-others")
def end_other_sessions():
    """End every session signed in as this person, but this one."""
    accounts.end_all_sessions(current_user, keep=current_user.session_token)
    db.session.commit()
    security_event("other sessions ended by their owner", account=current_user.id)
    flash(_("Every other session signed in as you has ended."), "success")
    return redirect(url_for("account.security"))
