"""Gunicorn's settings for the work plan: `gunicorn -c python:workplan.gunicorn_conf`, or, from
a checkout, plain `gunicorn` (its gunicorn.conf.py takes these).

Command-line options override these (`gunicorn --bind 0.0.0.0:8000`). Private calendar feed
tokens are redacted from the access and error logs, since calendar servers put them in the path.
"""

import faulthandler
import gc
import os

from workplan.calendar.redaction import install as _install_redaction

wsgi_app = "workplan.wsgi:app"
bind = "127.0.0.1:8000"
workers = 2
accesslog = "-"
errorlog = "-"
# Calendar servers poll with keep-alive; a short timeout frees workers from idle connections.
keepalive = 5
timeout = 30
forwarded_allow_ips = "127.0.0.1"
# A worker's stderr goes to the error log, so a crash's Python traceback lands beside the
# master's "Worker (pid:…) was sent SIGSEGV!" line.
capture_output = True
# gunicorn 27's control socket runs a thread in the master and shares one path
# (~/.gunicorn/gunicorn.ctl) between every gunicorn of the account; nothing here uses it.
control_socket_disable = True

if os.environ.get("WORKPLAN_LOG_FORMAT", "").strip().lower() == "json":
    # gunicorn's own lines (workers booting, dying, access) as JSON too, like the app's.
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "json": {
                "()": "pythonjsonlogger.json.JsonFormatter",
                "fmt": "{levelname}{name}{message}",
                "style": "{",
                "timestamp": "time",
                "rename_fields": {"levelname": "level", "name": "logger"},
            }
        },
        "handlers": {
            "error": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "stream": "ext://sys.stderr",
            },
            "access": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "stream": "ext://sys.stdout",
            },
        },
        "loggers": {
            "gunicorn.error": {"handlers": ["error"], "level": "INFO", "propagate": False},
            "gunicorn.access": {"handlers": ["access"], "level": "INFO", "propagate": False},
        },
    }


def on_starting(server):
    """Redact tokens in the master's log lines."""
    _install_redaction()


def post_fork(server, worker):
    """Redact tokens in each worker, and let a crash leave its Python traceback in the log."""
    _install_redaction()
    # On SIGSEGV, SIGFPE, SIGABRT, SIGBUS or SIGILL, every thread's Python stack is written to
    # stderr before the worker dies: the evidence a native crash otherwise leaves nowhere.
    faulthandler.enable(all_threads=True)
    threshold = os.environ.get("WORKPLAN_GC_THRESHOLD")
    if threshold:
        # Hunting a memory bug: a collection every few allocations finds a bad reference count
        # within moments (benchmarks/load.py --provoke).
        gc.set_threshold(int(threshold), 1, 1)


def worker_abort(worker):
    """A worker that timed out writes where it was stuck before the master replaces it."""
    faulthandler.dump_traceback(all_threads=True)


def child_exit(server, worker):
    """With PROMETHEUS_MULTIPROC_DIR, forget a dead worker's live gauges (its counts stay)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
