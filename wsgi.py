"""The WSGI entry point: gunicorn and `flask` both load `app` from here."""

from workplan import create_app

app = create_app()
