"""The WSGI entry point in a checkout: gunicorn and `flask` both load `app` from here."""

from workplan.wsgi import app  # noqa: F401
