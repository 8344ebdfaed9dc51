"""Deliver one-time set-password links: by e-mail when SMTP is configured, to the log otherwise."""

from flask import current_app, url_for

from workplan.models import User
from workplan.services import accounts
from workplan.services.mail import send_mail

SUBJECTS = {
    "invite": "Your account for the GFMD work plan",
    "reset": "Reset your password for the GFMD work plan",
}


def link_url(token: str) -> str:
    """The absolute address of a set-password link."""
    return url_for("auth.set_password", token=token, _external=True)


def send_link(user: User, purpose: str) -> str:
    """Issue a link and send it; return the address so the secretariat can pass it on."""
    url = link_url(accounts.issue_link(user, purpose))
    hours = current_app.config["SET_PASSWORD_LINK_HOURS"]
    intro = (
        "The secretariat of the Global Forum on Migration and Development has created an account "
        "for you."
        if purpose == "invite"
        else "Someone asked to reset the password of your account."
    )
    body = (
        f"Hello {user.name},\n\n{intro}\n\nChoose your password here (the link works once, "
        f"for {hours} hours):\n{url}\n\nIf you did not expect this message, ignore it.\n"
    )
    send_mail(user.email, SUBJECTS[purpose], body)
    return url
