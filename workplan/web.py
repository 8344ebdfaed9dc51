"""Small helpers the views share: reading query parameters and loading records."""

from datetime import date

from flask import abort, request
from flask_babel import gettext as _

from workplan.extensions import db
from workplan.numbers import MAX_INTEGER, whole_number


def query_int(name: str, default: int | None = None, minimum: int = 1) -> int | None:
    """An integer query parameter, or a 400 that says which one was wrong."""
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    value = whole_number(raw)
    if value is None:
        abort(
            400,
            _(
                "The “%(name)s” parameter must be a whole number, not “%(value)s”.",
                name=name,
                value=raw[:40],
            ),
        )
    if value < minimum:
        abort(
            400,
            _("The “%(name)s” parameter must be at least %(minimum)s.", name=name, minimum=minimum),
        )
    if value > MAX_INTEGER:
        abort(400, _("The “%(name)s” parameter is too large.", name=name))
    return value


def query_choice(name: str, choices, default: str | None = None) -> str | None:
    """A query parameter that must be one of a known set of values."""
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    if raw not in choices:
        abort(
            400,
            _(
                "The “%(name)s” parameter must be one of: %(choices)s.",
                name=name,
                choices=", ".join(choices),
            ),
        )
    return raw


def query_date(name: str) -> date | None:
    """A date query parameter written as YYYY-MM-DD."""
    raw = request.args.get(name)
    if raw is None or raw == "":
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        abort(400, _("The “%(name)s” parameter must be a date written as YYYY-MM-DD.", name=name))


def query_text(name: str, max_length: int = 200) -> str:
    """A free-text query parameter, trimmed and bounded."""
    raw = (request.args.get(name) or "").strip()
    if len(raw) > max_length:
        abort(
            400,
            _(
                "The “%(name)s” parameter is longer than %(count)s characters.",
                name=name,
                count=max_length,
            ),
        )
    return raw


def get_or_404(model, record_id: int, *, include_archived: bool = False):
    """A record by id; archived records answer 404 unless asked for."""
    record = db.session.get(model, record_id)
    if record is None or (
        not include_archived and getattr(record, "archived_at", None) is not None
    ):
        abort(404)
    return record


def paginate(select_stmt, per_page: int = 25):
    """One page of a query, with the page number checked."""
    page = query_int("page", 1)
    return db.paginate(select_stmt, page=page, per_page=per_page, error_out=False, count=True)
