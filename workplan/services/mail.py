"""Send e-mail through the configured SMTP server, or write it to the log when there is none."""

import smtplib
from email.message import EmailMessage

from flask import current_app


def send_mail(to: str, subject: str, body: str) -> bool:
    """Send one plain-text message; return True when it went to an SMTP server."""
    config = current_app.config
    if not config.get("MAIL_SERVER"):
        current_app.logger.info("E-mail (no SMTP configured) to %s: %s\n%s", to, subject, body)
        return False
    message = EmailMessage()
    message["From"] = config["MAIL_SENDER"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=30) as smtp:
        if config.get("MAIL_USE_TLS"):
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(message)
    return True
