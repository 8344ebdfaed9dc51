"""How a view saves: validate, ask the rules, commit, confirm; or show why not, changing nothing.

Every create and edit view goes through `save`, and every one-button change (archive, restore,
remove, publish...) through `commit_or_refuse`, so a refusal always lands next to its field, a
stale copy always answers 409 with the other person's change, and nothing is half written.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from types import ModuleType

from flask import Blueprint, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue

from workplan import permissions
from workplan.extensions import db
from workplan.models import AuditEvent
from workplan.services import DomainError, StaleEdit, records
from workplan.web import authorize, get_or_404, require, shown_or_404

# page(form, status, newer=None): the form's page, with the newer record after a conflict.
Page = Callable[..., ResponseReturnValue]


@dataclass(frozen=True)
class Newer:
    """What someone else saved while the form was open: the record, where its values differ
    from what was typed (label, saved, typed), and who saved it when (from the audit log)."""

    record: object
    differences: list[tuple[str, str, str]]
    change: AuditEvent | None


def save(
    form,
    change: Callable[[], object],
    *,
    page: Page,
    done: Callable[[object], str],
    then: Callable[[object], str],
) -> ResponseReturnValue:
    """Save a submitted form through a service, or show the form again saying why not.

    ``change`` calls the service and returns the record; ``done`` words the confirmation and
    ``then`` is where to go next, both given the record. A refusal is shown at its field with a
    400; an edit made from a stale copy gets a 409 with the newer record beside what was typed,
    and the form now carries the newer version, so saving again puts the typed values on top.
    A page that is only shown (GET) gets a 200.
    """
    if form.validate_on_submit():
        try:
            record = change()
        except StaleEdit as stale:
            db.session.rollback()
            newer = stale.current()
            if newer is None:
                raise
            form.version.set(newer.version)
            form.form_errors.append(stale.message)
            differences = form.differences(newer)
            return page(form, 409, newer=Newer(newer, differences, records.last_change(newer)))
        except DomainError as error:
            db.session.rollback()
            form.refuse(error)
        else:
            db.session.commit()
            flash(done(record), "success")
            return redirect(then(record))
    return page(form, 400 if form.is_submitted() else 200)


def save_edit(
    form,
    record,
    update: Callable[[object, object, int | None], None],
    *,
    page: Page,
    done: Callable[[object], str],
    then: Callable[[object], str],
) -> ResponseReturnValue:
    """`save` for an edit: ``update(record, details, version)`` is the service's rule, given
    what was typed and the version the form was opened from."""

    def change():
        update(record, form.details(), form.version.data)
        return record

    return save(form, change, page=page, done=done, then=then)


def submitted(form, field, change: Callable[[], object]) -> tuple[bool, object]:
    """For a form that edits no record (a sign-in step, one's own password): whether a valid
    submission went through `change`, and what it returned. A refusal is rolled back and shown
    at the field it names, else at `field`; the view decides what follows."""
    if not form.validate_on_submit():
        return False, None
    try:
        return True, change()
    except DomainError as error:
        db.session.rollback()
        target = form._fields.get(error.field) if error.field else None
        target = target or field
        target.errors = [*target.errors, error.message]
        return False, None


def commit_or_refuse(
    change: Callable[[], object],
    *,
    refused: Callable[[str], ResponseReturnValue],
    done: str,
    then: str,
    stale: Callable[[str], ResponseReturnValue] | None = None,
) -> ResponseReturnValue:
    """Commit the change, say ``done`` and go to ``then``; or roll back and show the refusal.

    ``refused`` receives the rule's sentence and returns the page to show (usually the record's
    page with a 409) or aborts; ``stale``, when given, answers a change that met someone
    else's save instead. After the rollback the records read as the database holds them.
    """
    try:
        change()
    except StaleEdit as error:
        db.session.rollback()
        return (stale or refused)(error.message)
    except DomainError as error:
        db.session.rollback()
        return refused(error.message)
    db.session.commit()
    flash(done, "success")
    return redirect(then)


def form_page(template: str, **context) -> Page:
    """The page `save` shows a form on: the template with the form, the context given, and the
    newer version after a conflict."""

    def page(form, status, newer=None):
        return render_template(template, form=form, newer=newer, **context), status

    return page


class RecordWords(dict):
    """A record's attributes by name, to fill in a sentence such as "%(title)s is saved."."""

    def __init__(self, record):
        super().__init__()
        self.record = record

    def __missing__(self, name: str):
        return getattr(self.record, name)


# Actions whose confirmation a kind of record words itself, in whole sentences.
CREATED, SAVED, ARCHIVED, RESTORED = "created", "saved", "archived", "restored"


def add_record_routes(
    bp: Blueprint,
    name: str,
    model: type,
    form: type,
    kind: ModuleType,
    *,
    page: Callable[..., ResponseReturnValue],
    said: Mapping[str, str],
    load: Callable[[int], object] | None = None,
    may_create: Callable[..., bool] | None = None,
    may_change: Callable[..., bool] | None = None,
) -> None:
    """Register the record's page and /new, /<id>/edit, /<id>/archive and /<id>/restore for
    one kind of record.

    `name` is the record's name in its templates and the stem of its URL parameter
    ("roundtable": /roundtables/<int:roundtable_id>/edit) and its form's template is
    <blueprint>/form.html. `kind` is the service module holding the kind's rules (see
    `records`). `page(record, refusal=..., status=...)` is the record's page, which shows why an
    archive or restore was refused; `said` words the confirmation of each action as a whole
    sentence (so every language can make it agree with the kind of record), whose placeholders
    name the record's attributes ("%(code)s is saved."). Those whom
    `permissions.editors_of(model)` allows may use the pages that change it. The record's page
    finds it with `load(id)`, by default `shown_or_404`, which shows archived records to their
    editors only; its description is the first line of `page`'s docstring.

    A kind that others than its editors may change in part says who: `may_create(user)` opens
    /new, `may_change(user, record)` the edit of one record (the form then offers them only the
    choices that are theirs). Archiving and restoring stay with the editors, who alone see
    what is archived.
    """
    param = f"{name}_id"
    template = f"{bp.name}/form.html"
    editors = permissions.editors_of(model)
    allowed = require(may_create or editors)

    def changeable(record):
        if may_change is None:
            authorize(editors)
        else:
            authorize(may_change, record)
        return record

    def archivable(record):
        authorize(editors)
        return record

    def detail(record) -> str:
        return url_for(".detail", **{param: record.id})

    def confirm(action: str) -> Callable[[object], str]:
        return lambda record: said[action] % RecordWords(record)

    @allowed
    def create():
        form_ = form.for_new()
        return save(
            form_,
            lambda: records.create(kind, model, form_.details()),
            page=form_page(template, **{name: None}),
            done=confirm(CREATED),
            then=detail,
        )

    def edit(**ids):
        record = changeable(get_or_404(model, ids[param]))
        form_ = form.for_record(record)

        return save_edit(
            form_,
            record,
            partial(records.update, kind),
            page=form_page(template, **{name: record}),
            done=confirm(SAVED),
            then=detail,
        )

    def show(**ids):
        return page((load or partial(shown_or_404, model))(ids[param]))

    def changes_state(action: str, change: Callable, then: Callable):
        def view(**ids):
            # An archived record is found too: archiving it twice is refused with a sentence.
            record = archivable(get_or_404(model, ids[param], include_archived=True))
            return commit_or_refuse(
                lambda: change(record),
                refused=lambda message: page(record, refusal=message, status=409),
                done=confirm(action)(record),
                then=then(record),
            )

        return view

    noun = name.replace("_", " ")
    for rule, endpoint, view, methods, doc in (
        (f"/<int:{param}>", "detail", show, ["GET"], page.__doc__.splitlines()[0]),
        ("/new", "create", create, ["GET", "POST"], f"Record a new {noun}."),
        (f"/<int:{param}>/edit", "edit", edit, ["GET", "POST"], f"Change a {noun}."),
        (
            f"/<int:{param}>/archive",
            "archive",
            changes_state(ARCHIVED, kind.archive, lambda record: url_for(".index")),
            ["POST"],
            f"Hide a {noun} from lists and pages; the secretariat can restore it.",
        ),
        (
            f"/<int:{param}>/restore",
            "restore",
            changes_state(RESTORED, kind.restore, detail),
            ["POST"],
            f"Bring an archived {noun} back.",
        ),
    ):
        view.__doc__ = doc
        bp.add_url_rule(rule, endpoint, view, methods=methods)
