"""The secretariat's administration: accounts and the audit log."""

from functools import partial

from flask import Blueprint, abort, current_app, flash, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from workplan import editing, formatting, permissions, web
from workplan.admin.forms import InviteForm
from workplan.extensions import db
from workplan.models import User
from workplan.security import security_event
from workplan.services import DomainError, accounts, audit_log, audit_words, parties, two_factor
from workplan.services.links import send_link

bp = Blueprint("admin", __name__, url_prefix="/admin")
# Every page here belongs to the secretariat.
web.guard(bp, permissions.can_manage_users)
# Short enough to read and to load; the pager reaches the rest.
AUDIT_PER_PAGE = 50


def _government_choices() -> list[SelectChoice]:
    governments = parties.governments(formatting.locale())
    return [SelectChoice("", "—")] + [
        SelectChoice(g.iso3, f"{formatting.party_name(g)} ({g.iso3})") for g in governments
    ]


@bp.get("/users")
def users():
    """Every account, with its role, government and state."""
    text = web.query_text("q")
    page = web.paginate(accounts.listing(text), per_page=50)
    return render_template("admin/users.html", page=page, q=text)


@bp.route("/users/new", methods=["GET", "POST"])
def invite():
    """Create an account and hand its owner a one-time link to choose a password."""
    form = InviteForm()
    form.government.choices = _government_choices()
    if form.validate_on_submit():
        try:
            user = accounts.create_user(
                form.email.data, form.name.data, form.role.data, form.government.data or None
            )
            url = send_link(user, "invite", current_app.config["PUBLIC_BASE_URL"])
        except DomainError as error:
            db.session.rollback()
            getattr(form, error.field or "email").errors.append(error.message)
        else:
            db.session.commit()
            flash(
                _("%(name)s is invited. The link has been sent (or logged).", name=user.name),
                "success",
            )
            return render_template("admin/link_issued.html", user=user, url=url)
    status = 400 if form.is_submitted() else 200
    return render_template("admin/invite.html", form=form), status


@bp.get("/users/<int:user_id>")
def user(user_id: int):
    """One account: who, role, state, last login."""
    return render_template("admin/user.html", user=web.get_or_404(User, user_id))


def _act_on_account(user_id: int, change, done, not_yourself: str | None = None):
    """One button on a person's page: the rule's change, committed and confirmed (`done(user)`
    words it), or a 400 with the rule's sentence. `not_yourself` refuses it on one's own
    account."""
    user = web.get_or_404(User, user_id)
    if not_yourself and user.id == current_user.id:
        abort(400, not_yourself)

    def refused(message: str):
        abort(400, message)

    return editing.commit_or_refuse(
        partial(change, user),
        refused=refused,
        done=done(user),
        then=url_for("admin.user", user_id=user.id),
    )


@bp.post("/users/<int:user_id>/deactivate")
def deactivate(user_id: int):
    """Stop an account from logging in and end its sessions."""
    return _act_on_account(
        user_id,
        accounts.deactivate,
        lambda user: _("%(name)s can no longer log in.", name=user.name),
        not_yourself=_("You cannot deactivate your own account."),
    )


@bp.post("/users/<int:user_id>/reactivate")
def reactivate(user_id: int):
    """Let a deactivated account log in again."""
    return _act_on_account(
        user_id, accounts.reactivate, lambda user: _("%(name)s can log in again.", name=user.name)
    )


@bp.post("/users/<int:user_id>/end-sessions")
def end_sessions(user_id: int):
    """Sign someone out everywhere: a lost laptop, a shared computer, a departure."""

    def sign_out(user: User) -> None:
        accounts.end_all_sessions(user)
        security_event("sessions ended by the secretariat", account=user.id)

    return _act_on_account(
        user_id,
        sign_out,
        lambda user: _("%(name)s is signed out everywhere.", name=user.name),
        not_yourself=_("To sign yourself out elsewhere, use Account security."),
    )


@bp.post("/users/<int:user_id>/reset-second-factor")
def reset_second_factor(user_id: int):
    """Switch off the second factor of someone who lost their phone and their recovery codes."""

    def reset(user: User) -> None:
        two_factor.reset(user)
        security_event("second factor reset", account=user.id)

    return _act_on_account(
        user_id,
        reset,
        lambda user: _(
            "The second factor of %(name)s is off and their sessions have ended. Make sure it "
            "is really them who asked.",
            name=user.name,
        ),
        not_yourself=_("Ask another member of the secretariat to reset your own second factor."),
    )


@bp.post("/users/<int:user_id>/reset-link")
def reset_link(user_id: int):
    """Issue a new one-time link so the person can choose a new password."""
    user = web.get_or_404(User, user_id)
    if not user.active:
        abort(400, _("Reactivate the account before sending it a link."))
    url = send_link(user, "reset", current_app.config["PUBLIC_BASE_URL"])
    db.session.commit()
    return render_template("admin/link_issued.html", user=user, url=url)


def _audit_filters() -> audit_log.AuditFilters:
    """The audit log's filters from the query string."""
    return audit_log.AuditFilters(
        user_id=web.query_int("user"),
        record_type=web.query_text("type", 40),
        record_id=web.query_int("record"),
        since=web.query_date("from"),
        until=web.query_date("to"),
    )


@bp.get("/audit")
def audit():
    """Who changed what: filter by person, kind of record and date."""
    filters = _audit_filters()
    page = web.paginate(audit_log.listing(filters), per_page=AUDIT_PER_PAGE)
    return render_template(
        "admin/audit.html",
        page=page,
        entries=audit_words.describe(page.items),
        kinds=audit_words.kind_choices(audit_log.record_types()),
        people=audit_log.people(),
    )


@bp.get("/security")
def security():
    """Sign-ins and changes of language or time zone, apart from the changes to records."""
    filters = _audit_filters()
    page = web.paginate(audit_log.account_activity(filters), per_page=AUDIT_PER_PAGE)
    return render_template(
        "admin/security.html",
        page=page,
        entries=audit_words.describe(page.items),
        people=audit_log.people(activity=True),
    )
