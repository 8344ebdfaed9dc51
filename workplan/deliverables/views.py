"""The deliverables pages: what the forum owes, by whom and by when, with its progress history.

Bulk progress (bulk_pages.py) and carry-over (carry_over.py) add their pages to this blueprint.
"""

import io

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from workplan import editing, formatting, permissions, web
from workplan.cells import csv_value, csv_writer
from workplan.deliverables.forms import (
    PROGRESS_FIELDS,
    DeliverableForm,
    ProgressForm,
    unexpected_fields,
)
from workplan.extensions import db
from workplan.formatting import lazy_gettext as _l
from workplan.formatting import status as status_label
from workplan.models import DELIVERABLE_STATUSES, Deliverable, utcnow
from workplan.services import (
    StaleEdit,
    chairmanships,
    deliverables,
    minutes,
    parties,
    progress,
    roundtables,
    teams,
)

bp = Blueprint("deliverables", __name__, url_prefix="/deliverables")
# Deliverables and their progress are for signed-in members of the forum.
web.guard(bp, permissions.can_read_private)
manages = web.require(permissions.can_manage_deliverables)

OWNER_KINDS = ("roundtable", "team")
EARLIER_ON_PAGE = 3
HISTORY_PER_PAGE = 50
# Stable names for scripts and spreadsheets, whatever the reader's language.
HISTORY_COLUMNS = (
    "reported_at",
    "reported_by",
    "old_status",
    "new_status",
    "old_percent",
    "new_percent",
    "comment",
)
SORTS = {
    "due": _l("Due date (soonest first)"),
    "title": _l("Title (A to Z)"),
    "status": _l("Status"),
    "percent": _l("Percent complete (least first)"),
}
# The confirmations, a whole sentence each so every language can make it agree.
SAID = {
    editing.CREATED: _l("“%(title)s” is assigned."),
    editing.SAVED: _l("“%(title)s” is saved."),
    editing.ARCHIVED: _l("“%(title)s” is archived. It can be restored from the archived list."),
    editing.RESTORED: _l("“%(title)s” is restored."),
}


def _user():
    """The signed-in user as a record, for services that store who acted."""
    return current_user._get_current_object()


@bp.get("/")
def index():
    """Deliverables filtered by chairmanship, status, government, owner, due window or text."""
    today = utcnow().date()
    filters = web.list_filters(
        deliverables.DeliverableFilters,
        SORTS,
        chairmanship_id=web.query_int("chairmanship"),
        status=web.query_choice("status", DELIVERABLE_STATUSES),
        government_id=web.query_int("government"),
        owner=web.query_choice("owner", OWNER_KINDS),
        roundtable_id=web.query_int("roundtable"),
        team_id=web.query_int("team"),
        due=web.query_choice("due", deliverables.DUE_WINDOWS),
    )
    return web.list_page(
        "deliverables/index.html",
        deliverables.listing(filters, today),
        filters,
        statuses=DELIVERABLE_STATUSES,
        sorts=SORTS,
        chairmanships=chairmanships.listed(),
        governments=parties.governments(formatting.locale()),
        roundtables=roundtables.chosen_or_in(filters.chairmanship_id, filters.roundtable_id),
        teams=teams.listed(),
        bulk_url=url_for(".bulk_form") if permissions.can_bulk_report(current_user) else None,
        today=today,
    )


# A deliverable's page and its progress form


def _load(deliverable_id: int) -> Deliverable:
    """A deliverable and what its page shows; its editors also reach archived ones."""
    deliverable = deliverables.for_page(deliverable_id)
    if deliverable is None or (
        deliverable.is_archived and not permissions.can_see_archived(current_user, Deliverable)
    ):
        abort(404)
    return deliverable


def _progress_form(deliverable: Deliverable) -> ProgressForm:
    """The progress form as the deliverable stands now."""
    status = deliverable.status if deliverable.status in progress.REPORTABLE_STATUSES else None
    return ProgressForm(
        formdata=None,
        data={
            "status": status,
            "percent_complete": deliverable.percent_complete,
            "version": deliverable.version,
        },
    )


def _detail_page(
    deliverable: Deliverable,
    form: ProgressForm | None = None,
    status: int = 200,
    refusal: str | None = None,
):
    """A deliverable: owner, objective, responsible governments, status and progress history.

    Shown with the timelines it was carried from, the progress form as typed, and a refusal's
    reason if any.
    """
    earlier = deliverables.lineage(deliverable)
    history = deliverables.timeline([deliverable, *earlier])
    # Earlier terms' timelines are context, so fewer of their updates show.
    for predecessor in earlier:
        history[predecessor.id] = history[predecessor.id].newest(EARLIER_ON_PAGE)
    return (
        render_template(
            "deliverables/detail.html",
            deliverable=deliverable,
            history=history[deliverable.id],
            earlier=[(d, history[d.id]) for d in earlier],
            earlier_on_page=EARLIER_ON_PAGE,
            form=form or _progress_form(deliverable),
            refusal=refusal,
            today=utcnow().date(),
            origins=minutes.origins_of(deliverable, current_user),
        ),
        status,
    )


@bp.get("/<int:deliverable_id>/history")
def history(deliverable_id: int):
    """A deliverable's whole progress history, newest first, a page at a time."""
    deliverable = _load(deliverable_id)
    return render_template(
        "deliverables/history.html",
        deliverable=deliverable,
        page=web.paginate(deliverables.history(deliverable), per_page=HISTORY_PER_PAGE),
    )


@bp.get("/<int:deliverable_id>/history.csv")
def history_csv(deliverable_id: int):
    """A deliverable's whole progress history as a CSV file, oldest first, for a spreadsheet."""
    deliverable = _load(deliverable_id)
    updates = db.session.scalars(deliverables.history(deliverable, newest_first=False))
    out = io.StringIO()
    writer = csv_writer(out)
    writer.writerow(HISTORY_COLUMNS)
    for u in updates:
        writer.writerow(
            [
                csv_value(value)
                for value in (
                    u.created_at.isoformat(),
                    u.user.name if u.user else None,
                    u.old_status,
                    u.new_status,
                    u.old_percent,
                    u.new_percent,
                    u.comment,
                )
            ]
        )
    filename = f"progress-history-{deliverable.id}.csv"
    return Response(
        "\ufeff" + out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.post("/<int:deliverable_id>/progress")
def update_progress(deliverable_id: int):
    """Report progress: a new status, percent complete and comment, added to the timeline."""
    deliverable = web.get_or_404(Deliverable, deliverable_id)
    web.authorize(permissions.can_update_progress, deliverable)
    extra = unexpected_fields(request.form, PROGRESS_FIELDS)
    if extra:
        abort(
            400,
            _(
                "A progress update changes only the status, the percent complete and the "
                "comment; this form also sent %(fields)s, so nothing was saved.",
                fields=", ".join(extra)[:200],
            ),
        )
    form = ProgressForm()
    if not form.validate_on_submit():
        return _detail_page(deliverable, form, 400)
    change = progress.ProgressChange(
        deliverable_id=deliverable.id,
        status=form.status.data,
        percent=form.percent_complete.data,
        comment=form.comment.data or "",
        version=form.version.data,
    )
    try:
        progress.update_progress(deliverable, _user(), change)
    except StaleEdit as stale:
        db.session.rollback()
        return _progress_conflict(stale.current(), change)
    except progress.ProgressRefused as refused:
        db.session.rollback()
        for field_name, message in refused.problems:
            target = getattr(form, field_name).errors if field_name else form.form_errors
            target.append(message)
        return _detail_page(deliverable, form, 400)
    db.session.commit()
    flash(
        _(
            "Progress saved: %(percent)s%% complete, %(status)s.",
            percent=deliverable.percent_complete,
            status=status_label(deliverable.status).lower(),
        ),
        "success",
    )
    return redirect(url_for(".detail", deliverable_id=deliverable.id, _anchor="history"))


def _progress_conflict(record: Deliverable, change: progress.ProgressChange):
    """The 409 page: their change, what you typed, and a form to apply yours on top."""
    latest = deliverables.timeline([record], latest=1)[record.id].updates
    form = ProgressForm(
        formdata=None,
        data={
            "status": change.status,
            "percent_complete": change.percent,
            "comment": change.comment,
            "version": record.version,
        },
    )
    return (
        render_template(
            "deliverables/progress_conflict.html",
            deliverable=record,
            theirs=latest[0] if latest else None,
            mine=change,
            form=form,
        ),
        409,
    )


# Create, edit, archive and restore: the secretariat's, and a roundtable's co-chairs' for it


editing.add_record_routes(
    bp,
    "deliverable",
    Deliverable,
    DeliverableForm,
    deliverables,
    page=_detail_page,
    said=SAID,
    load=_load,
    may_create=permissions.can_create_deliverables,
    may_change=permissions.can_manage_deliverable,
)


# The other pages of the blueprint register their routes on import.
from workplan.deliverables import bulk_pages, carry_over  # noqa: E402, F401
