"""The WSGI entry point of an installed copy: gunicorn and `flask --app workplan.wsgi` load
`app` from here."""

from workplan import create_app

app = create_app()
