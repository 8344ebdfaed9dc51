"""Gunicorn's settings for the work plan: `gunicorn` run from the repository root reads this file.

Command-line options override these (`gunicorn --bind 0.0.0.0:8000`). Private calendar feed
tokens are redacted from the access and error logs, since calendar servers put them in the path.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from workplan.calendar.redaction import install as _install_redaction  # noqa: E402

wsgi_app = "wsgi:app"
bind = "127.0.0.1:8000"
workers = 2
accesslog = "-"
errorlog = "-"
# Calendar servers poll with keep-alive; a short timeout frees workers from idle connections.
keepalive = 5
timeout = 30
forwarded_allow_ips = "127.0.0.1"


def on_starting(server):
    """Redact tokens in the master's log lines."""
    _install_redaction()


def post_fork(server, worker):
    """Redact tokens in each worker, where the access log is written."""
    _install_redaction()
