"""A person's private calendar addresses and what their private feed follows."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from workplan import feeds, permissions, web
from workplan.account.forms import FollowForm, TokenForm
from workplan.extensions import db
from workplan.models import CalendarToken, utcnow
from workplan.services import DomainError

bp = Blueprint("account", __name__, url_prefix="/account")
# Every page here belongs to someone who may hold calendar tokens.
web.guard(bp, permissions.can_own_calendar_tokens)


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
    """Private calendar addresses, when each was last fetched, and what the feed follows."""
    return _page()


@bp.post("/calendar/tokens")
def create_token():
    """Make a private address and show it in full, this once."""
    form = TokenForm()
    if form.validate_on_submit():
        try:
            token, raw = feeds.issue_token(current_user, form.label.data)
        except DomainError as error:
            db.session.rollback()
            form.label.errors.append(error.message)
        else:
            db.session.commit()
            # Rendered, not redirected: the token must not travel through a URL or the session
            # cookie, and nothing else keeps it.
            address = url_for("calendar.private_feed", token=raw, _external=True)
            return _page(new_address=address, new_label=token.label)
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
