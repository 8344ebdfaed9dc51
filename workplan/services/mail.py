"""Send e-mail through the configured SMTP server, or write it to the log when there is none."""

import logging
import smtplib
import ssl
from collections.abc import Sequence
from dataclasses import dataclass, field
from email.message import EmailMessage

from flask import current_app


@dataclass(frozen=True)
class Attachment:
    """A file sent with a message: its name, MIME type, bytes and Content-Type parameters
    (a calendar invitation says its method there)."""

    filename: str
    content_type: str
    data: bytes
    params: dict = field(default_factory=dict)


def send_mail(
    to: str,
    subject: str,
    body: str,
    attachments: Sequence[Attachment] = (),
    alternative: Attachment | None = None,
) -> bool:
    """Send one plain-text message, with any files; True when it went to an SMTP server.

    An ``alternative`` is another form of the text itself (a calendar invitation a mail
    program shows as one), sent beside the text rather than as a file.
    """
    config = current_app.config
    if not config.get("MAIL_SERVER"):
        # Without SMTP the log is the way the message reaches its reader (in development), so
        # it goes through a logger of its own: the filter that hides secret links from request
        # logs is set on the app's logger, and a child's records do not pass through it.
        logging.getLogger(f"{current_app.logger.name}.mail").info(
            "E-mail (no SMTP configured) to %s: %s\n%s%s",
            to,
            subject,
            body,
            "".join(f"\n[attached: {a.filename}]" for a in attachments),
        )
        return False
    message = EmailMessage()
    message["From"] = config["MAIL_SENDER"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    if alternative is not None:
        subtype = alternative.content_type.removeprefix("text/")
        message.add_alternative(
            alternative.data.decode(), subtype=subtype, params=alternative.params
        )
    for attachment in attachments:
        maintype, subtype = attachment.content_type.split("/")
        message.add_attachment(
            attachment.data,
            maintype=maintype,
            subtype=subtype,
            filename=attachment.filename,
            params=attachment.params,
        )
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=30) as smtp:
        if config.get("MAIL_USE_TLS"):
            # The server's certificate is checked: without a context any certificate passes.
            smtp.starttls(context=ssl.create_default_context())
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(message)
    return True
