"""Deliver one-time set-password links: by e-mail when SMTP is configured, to the log otherwise."""

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from workplan.formatting import lazy_gettext as _l
from workplan.models import User
from workplan.services import accounts
from workplan.services.mail import send_mail

SUBJECTS = {
    "invite": _l("Your account for the GFMD work plan"),
    "reset": _l("Reset your password for the GFMD work plan"),
}


# The route of auth.set_password; tests follow the links this module writes.
SET_PASSWORD_PATH = "/auth/set-password/{token}"  # noqa: S105 (a route, not a secret)


def link_url(base_url: str, token: str) -> str:
    """The absolute address of a set-password link, on the public address given.

    Never the request's Host header: whoever asks for a reset could otherwise send the owner a
    link to a host of their choosing, and collect the token when it is clicked.
    """
    return base_url.rstrip("/") + SET_PASSWORD_PATH.format(token=token)


def send_link(user: User, purpose: str, base_url: str) -> str:
    """Issue a link and send it; return the address so the secretariat can pass it on."""
    url = link_url(base_url, accounts.issue_link(user, purpose))
    hours = current_app.config["SET_PASSWORD_LINK_HOURS"]
    # Written in the recipient's language, not the language of whoever asked for the link.
    with force_locale(user.locale or "en"):
        intro = (
            _(
                "The secretariat of the Global Forum on Migration and Development has created an "
                "account for you."
            )
            if purpose == "invite"
            else _("Someone asked to reset the password of your account.")
        )
        hello = _("Hello %(name)s,", name=user.name)
        choose = _(
            "Choose your password here (the link works once, for %(hours)s hours):", hours=hours
        )
        ignore = _("If you did not expect this message, ignore it.")
        subject = str(SUBJECTS[purpose])
    body = f"{hello}\n\n{intro}\n\n{choose}\n{url}\n\n{ignore}\n"
    send_mail(user.email, subject, body)
    return url
