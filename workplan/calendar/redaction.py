"""Keep private feed tokens and set-password links out of log lines.

A private feed's token is its password, a set-password link's token opens an account, and
request logs print paths. This module needs only
the standard library, so `gunicorn.conf.py` can install it before the app is imported.
"""

import logging
import re

SECRET_PREFIXES = ("/calendar/private/", "/auth/set-password/")
SECRET_PATH = re.compile(
    "(" + "|".join(re.escape(p) for p in SECRET_PREFIXES) + r")[^\s\"'?#/\x1b]+"
)
REDACTED = "[redacted]"
# Every logger that prints request paths: the development server's, gunicorn's, and the app's
# own (its error handler names the path of a failing request).
REQUEST_LOGGERS = ("werkzeug", "gunicorn.access", "gunicorn.error", "workplan")


def redact(text: str) -> str:
    """The text with every private feed or set-password token replaced by [redacted]."""

    def replace(match: re.Match) -> str:
        suffix = ".ics" if match.group(0).endswith(".ics") else ""
        return f"{match.group(1)}{REDACTED}{suffix}"

    return SECRET_PATH.sub(replace, text)


class RedactSecretLinks(logging.Filter):
    """A logging filter that rewrites any record naming a private feed address."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Redact the formatted message; the record is always kept."""
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001  (a malformed record is logging's problem, not ours)
            return True
        if any(prefix in message for prefix in SECRET_PREFIXES):
            # Arguments are folded into the message, so none of them can carry the token on.
            record.msg, record.args = redact(message), None
        return True


def install(logger_names=REQUEST_LOGGERS) -> None:
    """Add the filter to each named logger, once."""
    for name in logger_names:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactSecretLinks) for f in logger.filters):
            logger.addFilter(RedactSecretLinks())


def register_log_redaction(app) -> None:
    """Install the filter on the request loggers and on the app's own logger."""
    install((*REQUEST_LOGGERS, app.logger.name))
