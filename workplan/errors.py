"""Error pages: a sentence a person understands and the right status, never a traceback."""

from decimal import InvalidOperation

from flask import Flask, render_template, request
from flask_babel import force_locale
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DataError, DBAPIError, OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError

from workplan.extensions import db
from workplan.formatting import lazy_gettext as _l
from workplan.security import security_event

TITLES = {
    400: _l("That request could not be understood"),
    401: _l("Please log in"),
    403: _l("You may not do this"),
    404: _l("Page not found"),
    405: _l("Not allowed here"),
    409: _l("Someone else changed this first"),
    413: _l("That upload is too large"),
    429: _l("Too many attempts"),
    500: _l("Something went wrong on our side"),
    503: _l("The service is briefly unavailable"),
}
DEFAULT_MESSAGES = {
    403: _l(
        "Your account does not have permission for this. If you think it should, ask the "
        "secretariat."
    ),
    404: _l(
        "There is nothing at this address. It may have been archived, or the link is mistyped."
    ),
    405: _l("This address does not accept that kind of request."),
    413: _l("The file or form you sent is larger than this service accepts."),
    429: _l("Too many attempts in a short time. Wait a minute and try again."),
    500: _l("The error has been logged. Try again; if it keeps happening, tell the secretariat."),
    503: _l(
        "The database cannot be reached right now. The page will work again as soon as it is "
        "back; try again in a minute."
    ),
}


def _wants_json() -> bool:
    return (
        request.path.startswith("/healthz") or request.accept_mimetypes.best == "application/json"
    )


_ERROR = _l("Error")


def _worded(text) -> str:
    """A title or message in the reader's language; in English when the language cannot be
    chosen, for the profile that holds it may be in the database that just failed."""
    try:
        return str(text)
    except Exception:  # noqa: BLE001  (the error page must still be shown)
        with force_locale("en"):
            return str(text)


def render_error(code: int, message: str | None = None):
    """The error page for a status code."""
    title = _worded(TITLES.get(code, _ERROR))
    message = _worded(message or DEFAULT_MESSAGES.get(code) or title)
    if _wants_json():
        return {"error": title, "message": message}, code
    try:
        body = render_template("errors/error.html", code=code, title=title, message=message)
    except Exception:  # noqa: BLE001  (a failing template must not hide the original error)
        body = f"<!doctype html><title>{code}</title><h1>{title}</h1>"
    return body, code


# Refusals worth a line in the log: someone not allowed, or trying too often.
SECURITY_STATUSES = (401, 403, 429)


def register(app: Flask) -> None:
    """Attach the handlers."""

    @app.errorhandler(CSRFError)
    def csrf_failed(error: CSRFError):
        """A form without a valid token: expired, or sent from another site."""
        security_event("CSRF token refused")
        return render_error(
            400,
            _l(
                "This form has expired or did not come from this site. Go back, reload the page "
                "and send it again."
            ),
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        """Render a Werkzeug HTTP error with our page."""
        if isinstance(error, InternalServerError):
            return render_error(500)
        # abort(400, "sentence") carries our own words; Werkzeug's stock text is replaced.
        custom = error.description if error.description != type(error).description else None
        if error.code in SECURITY_STATUSES:
            security_event(f"answered {error.code}")
        return render_error(error.code or 500, custom)

    @app.errorhandler(OverflowError)
    @app.errorhandler(InvalidOperation)
    @app.errorhandler(DataError)
    def out_of_range(error):
        """A number, id or date beyond what can be stored or computed: the input's fault."""
        db.session.rollback()
        app.logger.info("Refused an out-of-range value on %r: %r", request.path, error)
        return render_error(
            400,
            _l(
                "A number, date or identifier you sent is outside the range this service accepts. "
                "Check the values and try again."
            ),
        )

    @app.errorhandler(OperationalError)
    @app.errorhandler(DBAPIError)
    def database_unavailable(error):
        """The database went away: say so with a 503, and let the pool reconnect later."""
        app.logger.warning("Database error: %s", error.__class__.__name__)
        db.session.rollback()
        if isinstance(error, OperationalError) or error.connection_invalidated:
            return render_error(503)
        app.logger.exception("Unexpected database error")
        return render_error(500)

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        """Log the traceback for us; show the person a calm page."""
        # repr(): a line break sent in the path cannot start a forged log line.
        app.logger.exception("Unhandled error on %s %r", request.method, request.path)
        db.session.rollback()
        return render_error(500)
