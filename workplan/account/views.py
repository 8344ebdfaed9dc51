"""A person's private calendar addresses and what their private feed follows.

Account security (password, sessions) adds its pages to this blueprint (security_pages.py).
"""

import base64
import hashlib
import hmac
from datetime import timedelta
from functools import partial

from cryptography.fernet import Fernet, InvalidToken
from flask import Blueprint, abort, current_app, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from workplan import feeds, permissions, web
from workplan.account.forms import FollowForm, TokenForm
from workplan.addresses import external_url
from workplan.editing import submitted
from workplan.extensions import db
from workplan.models import CalendarToken, utcnow
from workplan.services import DomainError
from workplan.services.accounts import token_digest

bp = Blueprint("account", __name__, url_prefix="/account")
# Every page here is a signed-in person's own.
web.guard(bp, permissions.can_manage_own_account)


def _follow_form(followed: tuple[set[int], set[int], set[str]], submitted: bool = False):
    """The follow form, offering what is current and whatever is already followed."""
    roundtable_ids, team_ids, kinds = followed
    roundtables, teams = feeds.follow_options(followed, utcnow().date())
    if submitted:
        form = FollowForm()
    else:
        chosen = {"roundtables": sorted(roundtable_ids), "teams": sorted(team_ids)}
        form = FollowForm(formdata=None, data={**chosen, "kinds": sorted(kinds)})
    form.roundtables.choices = [
        SelectChoice(rt.id, f"{rt.code} {rt.title} ({rt.chairmanship.label})") for rt in roundtables
    ]
    form.teams.choices = [SelectChoice(team.id, team.name) for team in teams]
    return form


# The session key under which a new address waits, sealed, for the one page that shows it.
NEW_ADDRESS = "new_calendar_address"
NEW_ADDRESS_SHOWN_FOR = timedelta(minutes=15)


def _seal() -> Fernet:
    """Authenticated encryption under a key of its own, derived from SECRET_KEY."""
    key = hmac.new(
        current_app.config["SECRET_KEY"].encode(), b"calendar-address-seal", hashlib.sha256
    ).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def _hold_new_address(token: CalendarToken, raw: str) -> None:
    """Keep a new address for the next page only. The session cookie is readable by whoever
    holds it, so the secret goes in sealed, never in clear, and never in a URL."""
    session[NEW_ADDRESS] = {"id": token.id, "sealed": _seal().encrypt(raw.encode()).decode()}


def _take_new_address() -> tuple[str, str] | None:
    """The address just made and its name, once: taken out of the session as it is read. Only a
    live address of this person, sealed here in the last minutes, whose secret matches the
    stored digest is shown."""
    held = session.pop(NEW_ADDRESS, None)
    try:
        raw = (
            _seal()
            .decrypt(held["sealed"].encode(), ttl=int(NEW_ADDRESS_SHOWN_FOR.total_seconds()))
            .decode("ascii")
        )
        token = db.session.get(CalendarToken, int(held["id"]))
    except (TypeError, KeyError, ValueError, AttributeError, InvalidToken):
        # Nothing held, tampered with, or left unread too long: better made again than shown.
        return None
    if token is None or token.user_id != current_user.id or token.revoked_at is not None:
        return None
    if not hmac.compare_digest(token_digest(raw), token.token_hash):
        return None
    return external_url("calendar.private_feed", token=raw), token.label


def _page(token_form=None, follow_form=None, new_address=None, new_label=None, status=200):
    """The calendar settings page, with whatever the request just made."""
    tokens = feeds.tokens_of(current_user)
    return (
        render_template(
            "account/calendar.html",
            tokens=tokens,
            token_form=token_form or TokenForm(formdata=None),
            follow_form=follow_form or _follow_form(feeds.follows_of(current_user)),
            new_address=new_address,
            new_label=new_label,
        ),
        status,
    )


@bp.get("/calendar")
def calendar():
    """Private calendar addresses, when each was last fetched, and what the feed follows; a
    new address in full on the one visit that follows its creation."""
    new = _take_new_address()
    if new is None:
        return _page()
    return _page(new_address=new[0], new_label=new[1])


@bp.post("/calendar/tokens")
def create_token():
    """Make a private address, then show it in full on the page this redirects to, this once;
    reloading that page neither makes another address nor shows this one again."""
    form = TokenForm()
    issued, made = submitted(
        form, form.label, partial(feeds.issue_token, current_user, form.label.data)
    )
    if issued:
        db.session.commit()
        _hold_new_address(*made)
        return redirect(url_for("account.calendar", _anchor="new-heading"), 303)
    return _page(token_form=form, status=400)


@bp.post("/calendar/tokens/<int:token_id>/revoke")
def revoke_token(token_id: int):
    """Stop one private address from working."""
    token = db.session.get(CalendarToken, token_id)
    if token is None or token.user_id != current_user.id:
        abort(404)
    if token.revoked_at is None:
        feeds.revoke_token(token)
        db.session.commit()
        flash(_("The address “%(label)s” no longer works.", label=token.label), "success")
    return redirect(url_for("account.calendar"))


@bp.post("/calendar/follows")
def follows():
    """Choose the roundtables, teams and kinds of meeting the private feed adds."""
    form = _follow_form(feeds.follows_of(current_user), submitted=True)
    if form.validate_on_submit():
        try:
            # An empty multiple choice arrives as None: it means "follow none of these".
            feeds.set_follows(
                current_user,
                form.roundtables.data or [],
                form.teams.data or [],
                form.kinds.data or [],
            )
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "danger")
        else:
            db.session.commit()
            flash(_("Your private calendar now follows your choices."), "success")
            return redirect(url_for("account.calendar"))
    return _page(follow_form=form, status=400)


# The other pages of the blueprint register their routes on import.
from workplan.account import security_pages  # noqa: E402, F401
