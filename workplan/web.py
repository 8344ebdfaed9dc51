"""What every view shares: who may come in, reading query parameters, loading records."""

from collections.abc import Callable
from datetime import date
from functools import wraps
from urllib.parse import urlsplit

from flask import Blueprint, abort, after_this_request, current_app, g, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from workplan import permissions
from workplan.extensions import db, login_manager
from workplan.models import utcnow
from workplan.numbers import MAX_INTEGER, whole_number
from workplan.services import chairmanships

Rule = Callable[..., bool]


def after_response(task: Callable[[], None]) -> None:
    """Run `task` once this request's answer has gone, when the answer says it succeeded: work
    the person need not wait for, such as e-mail. It runs in an app context of its own, and a
    failure is logged, since nobody is left to show it to."""
    app = current_app._get_current_object()

    def run() -> None:
        with app.app_context():
            try:
                task()
            except Exception:  # noqa: BLE001  (logged: the answer is gone, the worker lives on)
                app.logger.exception("work after the response failed")

    @after_this_request
    def schedule(response):
        if response.status_code < 400:
            response.call_on_close(run)
        return response


def authorize(rule: Rule, *records, login: bool = True) -> None:
    """Go on if a rule of `permissions` allows the current user (with these records); else
    send a visitor who is not signed in to the login page, and refuse anyone else with a 403.

    A script's endpoint passes login=False: a redirect to a form means nothing to it.
    """
    if rule(current_user, *records):
        return
    if login and not current_user.is_authenticated:
        abort(login_manager.unauthorized())
    abort(403)


def require(rule: Rule, *, login: bool = True):
    """A view decorator: the user must be allowed by `rule` (see authorize)."""

    def decorate(view):
        @wraps(view)
        def guarded(*args, **kwargs):
            authorize(rule, login=login)
            return view(*args, **kwargs)

        guarded.required_rule = rule
        return guarded

    return decorate


def guard(blueprint: Blueprint, rule: Rule) -> None:
    """Every page of a blueprint requires `rule`, checked before the view runs."""

    @blueprint.before_request
    def _guarded():
        authorize(rule)


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


def is_safe_next(target: str | None) -> bool:
    """Only a path on this site: never another host, scheme, or protocol-relative address."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return False
    if "\\" in target or any(ord(c) < 32 for c in target):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


def archived_filter() -> bool:
    """Whether a list shows archived records (?archived=1), a filter for the secretariat only."""
    archived = query_choice("archived", ("0", "1"), "0") == "1"
    if archived and not permissions.is_secretariat(current_user):
        abort(403, _("Only the secretariat sees archived records."))
    return archived


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


def shown_or_404(model, record_id: int):
    """A record for its page: archived ones are shown to those who may restore them."""
    archived = permissions.can_see_archived(current_user, model)
    return get_or_404(model, record_id, include_archived=archived)


def loaded_or_404(model, record_id: int, for_page: Callable[..., object | None]):
    """A record loaded for its page by a service's `for_page(id, include_archived=...)` (with
    what the page shows joined in); archived ones only for those who may restore them."""
    archived = permissions.can_see_archived(current_user, model)
    record = for_page(record_id, include_archived=archived)
    if record is None:
        abort(404)
    return record


def paginate(select_stmt, per_page: int = 25):
    """One page of a query, with the page number checked."""
    page = query_int("page", 1)
    return db.paginate(select_stmt, page=page, per_page=per_page, error_out=False, count=True)


def list_filters(filters_type, sorts: dict, **chosen):
    """A list page's filters from the query string: the list's own choices, the search text
    (?q=), the order (?sort=, one of `sorts`, the first by default) and, for the secretariat,
    whether the archived records are listed instead (?archived=1)."""
    return filters_type(
        text=query_text("q", 100),
        sort=query_choice("sort", sorts, next(iter(sorts))),
        archived=archived_filter(),
        **chosen,
    )


def list_page(template: str, query, filters, *, per_page: int = 25, **context) -> str:
    """A list page: one page of the query's records, the filters as chosen (the template reads
    them from `filters`), and whatever else the template offers to choose from."""
    page = paginate(query, per_page=per_page)
    return render_template(template, page=page, filters=filters, **context)


def chairmanship_in_office(today: date | None = None):
    """The chairmanship every page's header names, asked once a request.

    A view that has its own `today` asks first with it, and the header reuses the answer."""
    if "chairmanship_in_office" not in g:
        g.chairmanship_in_office = chairmanships.current_chairmanship(today or utcnow().date())
    return g.chairmanship_in_office
