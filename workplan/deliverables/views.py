"""The deliverables pages: what the forum owes, by whom and by when, with its progress history."""

import csv
import io
from datetime import timedelta

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from sqlalchemy import case, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError
from wtforms.fields.choices import SelectChoice

from workplan import permissions
from workplan.cells import csv_value
from workplan.deliverables import bulk
from workplan.deliverables.forms import (
    PROGRESS_FIELDS,
    BulkForm,
    CsvUploadForm,
    DeliverableForm,
    EditDeliverableForm,
    ProgressForm,
    unexpected_bulk_fields,
    unexpected_fields,
)
from workplan.editing import commit_or_refuse
from workplan.extensions import db
from workplan.formatting import lazy_gettext as _l
from workplan.formatting import status as status_label
from workplan.models import (
    DELIVERABLE_STATUSES,
    Chairmanship,
    Deliverable,
    Government,
    GovernmentTeam,
    Objective,
    Roundtable,
    WorkPlan,
    deliverable_governments,
    utcnow,
)
from workplan.numbers import record_id
from workplan.services import DomainError, StaleEdit, progress
from workplan.services import deliverables as deliverable_service
from workplan.web import get_or_404, paginate, query_choice, query_int, query_text

bp = Blueprint("deliverables", __name__, url_prefix="/deliverables")

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
DUE_WINDOWS = ("overdue", "30d", "90d")
SORTS = {
    "due": _l("Due date (soonest first)"),
    "title": _l("Title (A to Z)"),
    "status": _l("Status"),
    "percent": _l("Percent complete (least first)"),
}


def _user():
    """The signed-in user as a record, for services that store who acted."""
    return current_user._get_current_object()


@bp.before_request
@login_required
def _members_only():
    """Deliverables and their progress are for signed-in members of the forum."""
    if not permissions.can_read_private(current_user):
        abort(403)


@bp.get("/")
def index():
    """Deliverables filtered by chairmanship, status, government, owner, due window or text."""
    today = utcnow().date()
    filters = {
        "chairmanship": query_int("chairmanship"),
        "status": query_choice("status", DELIVERABLE_STATUSES),
        "government": query_int("government"),
        "owner": query_choice("owner", OWNER_KINDS),
        "roundtable": query_int("roundtable"),
        "team": query_int("team"),
        "due": query_choice("due", DUE_WINDOWS),
        "q": query_text("q"),
        "sort": query_choice("sort", tuple(SORTS), "due"),
        "archived": query_choice("archived", ("yes",)),
    }
    if filters["archived"] and not permissions.can_manage_deliverables(current_user):
        abort(403)
    query = select(Deliverable).options(
        selectinload(Deliverable.roundtable),
        selectinload(Deliverable.team),
        selectinload(Deliverable.responsible_governments),
    )
    if filters["archived"]:
        query = query.where(Deliverable.archived_at.is_not(None))
    else:
        query = query.where(Deliverable.archived_at.is_(None))
    if filters["chairmanship"]:
        query = query.where(Deliverable.chairmanship_id == filters["chairmanship"])
    if filters["status"]:
        query = query.where(Deliverable.status == filters["status"])
    if filters["government"]:
        query = query.where(
            Deliverable.id.in_(
                select(deliverable_governments.c.deliverable_id).where(
                    deliverable_governments.c.government_id == filters["government"]
                )
            )
        )
    if filters["owner"] == "roundtable":
        query = query.where(Deliverable.roundtable_id.is_not(None))
    elif filters["owner"] == "team":
        query = query.where(Deliverable.team_id.is_not(None))
    if filters["roundtable"]:
        query = query.where(Deliverable.roundtable_id == filters["roundtable"])
    if filters["team"]:
        query = query.where(Deliverable.team_id == filters["team"])
    if filters["due"]:
        # A due window is about work still expected: finished work is never "due".
        query = query.where(Deliverable.status.in_(progress.OPEN_STATUSES))
        if filters["due"] == "overdue":
            query = query.where(Deliverable.due_on < today)
        else:
            days = 30 if filters["due"] == "30d" else 90
            query = query.where(
                Deliverable.due_on >= today, Deliverable.due_on <= today + timedelta(days=days)
            )
    if filters["q"]:
        pattern = f"%{filters['q']}%"
        query = query.where(
            or_(Deliverable.title.ilike(pattern), Deliverable.description.ilike(pattern))
        )
    query = query.order_by(*_ordering(filters["sort"]), Deliverable.id)
    return render_template(
        "deliverables/index.html",
        page=paginate(query),
        filters=filters,
        statuses=DELIVERABLE_STATUSES,
        sorts=SORTS,
        **_filter_choices(filters),
        bulk_url=url_for(".bulk_form") if _may_bulk() else None,
        today=today,
    )


def _may_bulk() -> bool:
    """Whether the bulk page has something for this user: their government's, or any."""
    government = current_user.government
    if government is not None:
        return bulk.may_report_for(current_user, government)
    return permissions.is_secretariat(current_user)


def _ordering(sort: str) -> list:
    """The ORDER BY of a sort choice; due date breaks ties so the order is stable."""
    if sort == "title":
        return [Deliverable.title, Deliverable.due_on]
    if sort == "status":
        workflow = case(
            {status: n for n, status in enumerate(DELIVERABLE_STATUSES)}, value=Deliverable.status
        )
        return [workflow, Deliverable.due_on]
    if sort == "percent":
        return [Deliverable.percent_complete, Deliverable.due_on]
    return [Deliverable.due_on]


def _filter_choices(filters: dict) -> dict:
    """The chairmanships, governments, roundtables and teams offered in the filter form."""
    roundtables = []
    if filters["chairmanship"] or filters["roundtable"]:
        roundtables = db.session.scalars(
            select(Roundtable)
            .where(
                Roundtable.archived_at.is_(None),
                (Roundtable.chairmanship_id == filters["chairmanship"])
                | (Roundtable.id == filters["roundtable"]),
            )
            .order_by(Roundtable.number)
        ).all()
    return {
        "chairmanships": _chairmanships(),
        "governments": _governments(),
        "roundtables": roundtables,
        "teams": db.session.scalars(
            select(GovernmentTeam)
            .where(GovernmentTeam.archived_at.is_(None))
            .order_by(GovernmentTeam.name)
        ).all(),
    }


def _chairmanships() -> list[Chairmanship]:
    """The chairmanships not archived, the latest first."""
    return db.session.scalars(
        select(Chairmanship)
        .where(Chairmanship.archived_at.is_(None))
        .order_by(Chairmanship.starts_on.desc())
    ).all()


def _governments() -> list[Government]:
    """The governments not archived, by name."""
    return db.session.scalars(
        select(Government).where(Government.archived_at.is_(None)).order_by(Government.name)
    ).all()


# A deliverable's page and its progress form


@bp.get("/<int:deliverable_id>")
def detail(deliverable_id: int):
    """A deliverable: owner, objective, responsible governments, status and progress history."""
    deliverable = _load(deliverable_id)
    return _detail_page(deliverable, _progress_form(deliverable))


def _load(deliverable_id: int) -> Deliverable:
    """A deliverable and what its page shows; the secretariat also reaches archived ones."""
    deliverable = deliverable_service.for_page(deliverable_id)
    if deliverable is None or (
        deliverable.is_archived and not permissions.can_manage_deliverables(current_user)
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


def _detail_page(deliverable: Deliverable, form: ProgressForm, status: int = 200):
    """Render a deliverable's page with its timeline and the timelines it was carried from."""
    earlier = deliverable_service.lineage(deliverable)
    history = deliverable_service.timeline([deliverable, *earlier])
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
            form=form,
            today=utcnow().date(),
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
        page=paginate(deliverable_service.history(deliverable), per_page=HISTORY_PER_PAGE),
    )


@bp.get("/<int:deliverable_id>/history.csv")
def history_csv(deliverable_id: int):
    """A deliverable's whole progress history as a CSV file, oldest first, for a spreadsheet."""
    deliverable = _load(deliverable_id)
    updates = db.session.scalars(deliverable_service.history(deliverable, newest_first=False))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
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
    deliverable = get_or_404(Deliverable, deliverable_id)
    if not permissions.can_update_progress(current_user, deliverable):
        abort(403)
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
        return _progress_conflict(stale.record, change)
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
    latest = deliverable_service.timeline([record], latest=1)[record.id].updates
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


# The secretariat's create, edit, archive and restore


def _fill_choices(form: DeliverableForm, deliverable: Deliverable | None = None) -> None:
    """Offer the live chairmanships, owners, objectives and governments."""
    chairmanships = _chairmanships()
    if deliverable is not None and deliverable.chairmanship not in chairmanships:
        chairmanships.append(deliverable.chairmanship)
    form.chairmanship.choices = [SelectChoice(str(c.id), c.label) for c in chairmanships]
    roundtables = db.session.scalars(
        select(Roundtable)
        .join(Roundtable.chairmanship)
        .where(Roundtable.archived_at.is_(None), Chairmanship.archived_at.is_(None))
        .options(selectinload(Roundtable.chairmanship))
        .order_by(Chairmanship.starts_on.desc(), Roundtable.number)
    ).all()
    teams = db.session.scalars(
        select(GovernmentTeam)
        .where(GovernmentTeam.archived_at.is_(None))
        .order_by(GovernmentTeam.name)
    ).all()
    form.owner.choices = (
        [SelectChoice("", _("Choose a roundtable or a team"))]
        + [
            SelectChoice(
                f"roundtable:{rt.id}",
                f"{rt.code}: {rt.title} ({rt.chairmanship.label})",
                render_kw={"data-chairmanship": str(rt.chairmanship_id)},
                optgroup=_("Roundtables"),
            )
            for rt in roundtables
        ]
        + [SelectChoice(f"team:{t.id}", t.name, optgroup=_("Government teams")) for t in teams]
    )
    objectives = db.session.execute(
        select(Objective, WorkPlan)
        .join(Objective.work_plan)
        .where(Objective.archived_at.is_(None), WorkPlan.archived_at.is_(None))
        .order_by(WorkPlan.first_year.desc(), WorkPlan.title, Objective.code)
    ).all()
    form.objective.choices = [SelectChoice("", _("None"))] + [
        SelectChoice(str(o.id), f"{o.code}. {o.title}", optgroup=wp.title) for o, wp in objectives
    ]
    governments = _governments()
    if deliverable is not None:
        # An archived government keeps its place on work it already had.
        governments += [g for g in deliverable.responsible_governments if g.is_archived]
    form.responsible_governments.choices = [
        SelectChoice(str(g.id), f"{g.name} ({g.iso3})") for g in governments
    ]


def _fields(form: DeliverableForm) -> deliverable_service.DeliverableFields:
    """The service's fields from a validated form."""
    kind, _colon, owner_id = (form.owner.data or "").partition(":")
    return deliverable_service.DeliverableFields(
        title=form.title.data,
        description=form.description.data,
        chairmanship_id=record_id(form.chairmanship.data) or 0,
        owner_kind=kind,
        owner_id=record_id(owner_id) or 0,
        objective_id=record_id(form.objective.data),
        government_ids=list(form.responsible_governments.data or []),
        due_on=form.due_on.data,
    )


@bp.route("/new", methods=["GET", "POST"])
def create():
    """Assign a new deliverable: owner, responsible governments, objective and due date."""
    if not permissions.can_manage_deliverables(current_user):
        abort(403)
    form = DeliverableForm()
    _fill_choices(form)
    if request.method == "GET":
        _prefill_from_query(form)
    if form.validate_on_submit():
        try:
            deliverable = deliverable_service.create_deliverable(_fields(form))
        except DomainError as error:
            db.session.rollback()
            form.refuse(error)
        else:
            db.session.commit()
            flash(_("“%(title)s” is assigned.", title=deliverable.title), "success")
            return redirect(url_for(".detail", deliverable_id=deliverable.id))
    status = 400 if form.is_submitted() else 200
    return render_template("deliverables/edit.html", form=form, deliverable=None), status


def _prefill_from_query(form: DeliverableForm) -> None:
    """Links from a government, roundtable or team page start the form with it chosen."""
    government = query_int("government")
    if government:
        form.responsible_governments.data = [government]
    chairmanship = query_int("chairmanship")
    if chairmanship:
        form.chairmanship.data = str(chairmanship)
    roundtable, team = query_int("roundtable"), query_int("team")
    if roundtable:
        form.owner.data = f"roundtable:{roundtable}"
    elif team:
        form.owner.data = f"team:{team}"


@bp.route("/<int:deliverable_id>/edit", methods=["GET", "POST"])
def edit(deliverable_id: int):
    """Change a deliverable's title, owner, responsible governments, objective or due date."""
    deliverable = get_or_404(Deliverable, deliverable_id)
    if not permissions.can_manage_deliverables(current_user):
        abort(403)
    if request.method == "GET":
        form = EditDeliverableForm(formdata=None, data=_form_data(deliverable))
    else:
        form = EditDeliverableForm()
    _fill_choices(form, deliverable)
    if form.validate_on_submit():
        try:
            deliverable_service.update_deliverable(deliverable, _fields(form), form.version.data)
        except StaleEdit as stale:
            db.session.rollback()
            return _edit_conflict(stale.record, form)
        except DomainError as error:
            db.session.rollback()
            form.refuse(error)
        else:
            db.session.commit()
            flash(_("“%(title)s” is saved.", title=deliverable.title), "success")
            return redirect(url_for(".detail", deliverable_id=deliverable.id))
    status = 400 if form.is_submitted() else 200
    return render_template("deliverables/edit.html", form=form, deliverable=deliverable), status


def _form_data(deliverable: Deliverable) -> dict:
    """The edit form's starting values."""
    owner = (
        f"roundtable:{deliverable.roundtable_id}"
        if deliverable.roundtable_id
        else f"team:{deliverable.team_id}"
    )
    return {
        "title": deliverable.title,
        "description": deliverable.description,
        "chairmanship": str(deliverable.chairmanship_id),
        "owner": owner,
        "objective": str(deliverable.objective_id or ""),
        "responsible_governments": [g.id for g in deliverable.responsible_governments],
        "due_on": deliverable.due_on,
        "version": deliverable.version,
    }


def _edit_conflict(record: Deliverable, form: DeliverableForm):
    """The 409 page: the newer values beside what was typed, which is kept to save again."""
    form.version.raw_data = None
    form.version.data = record.version
    form.form_errors.append(
        _(
            "Someone else saved this deliverable after you opened it. Their values are shown "
            "below; what you typed is kept. Save again to put yours on top of theirs."
        )
    )
    return (
        render_template(
            "deliverables/edit.html",
            form=form,
            deliverable=record,
            newer=record,
            changed_by=deliverable_service.last_change(record),
        ),
        409,
    )


@bp.post("/<int:deliverable_id>/archive")
def archive(deliverable_id: int):
    """Archive a deliverable: hidden from lists, its timeline kept, restorable."""
    deliverable = get_or_404(Deliverable, deliverable_id, include_archived=True)
    if not permissions.can_manage_deliverables(current_user):
        abort(403)
    return commit_or_refuse(
        lambda: deliverable_service.archive_deliverable(deliverable),
        refused=lambda message: abort(400, message),
        done=_(
            "“%(title)s” is archived. It can be restored from the archived list.",
            title=deliverable.title,
        ),
        then=url_for(".index"),
    )


@bp.post("/<int:deliverable_id>/restore")
def restore(deliverable_id: int):
    """Bring an archived deliverable back."""
    deliverable = get_or_404(Deliverable, deliverable_id, include_archived=True)
    if not permissions.can_manage_deliverables(current_user):
        abort(403)
    return commit_or_refuse(
        lambda: deliverable_service.restore_deliverable(deliverable),
        refused=lambda message: abort(400, message),
        done=_("“%(title)s” is restored.", title=deliverable.title),
        then=url_for(".detail", deliverable_id=deliverable.id),
    )


# Bulk progress: one form, or a CSV file, previewed and then applied all at once


def _bulk_government() -> Government | None:
    """The government whose deliverables the bulk pages show, or 403 when not allowed."""
    government_id = query_int("government")
    if government_id is None and current_user.government_id:
        government_id = current_user.government_id
    if government_id is None:
        if permissions.is_secretariat(current_user):
            return None
        abort(403)
    government = get_or_404(Government, government_id)
    if not bulk.may_report_for(current_user, government):
        abort(403)
    return government


def _bulk_page(government, form=None, upload=None, errors=None, status=200):
    """The bulk form for a government (or a choice of government for the secretariat)."""
    deliverables = bulk.reportable(government) if government else []
    if form is None:
        form = BulkForm(
            formdata=None,
            data={"rows": [{"deliverable_id": d.id, "version": d.version} for d in deliverables]},
        )
    known = {d.id: d for d in deliverables}
    missing = [
        e.deliverable_id.data
        for e in form.rows
        if isinstance(e.deliverable_id.data, int) and e.deliverable_id.data not in known
    ]
    if missing:
        known |= bulk.deliverables_by_id(_user(), missing)
    return (
        render_template(
            "deliverables/bulk.html",
            government=government,
            governments=_governments() if government is None else [],
            form=form,
            upload=upload or CsvUploadForm(formdata=None),
            known=known,
            row_errors=errors or {},
            today=utcnow().date(),
        ),
        status,
    )


@bp.get("/bulk")
def bulk_form():
    """Update several deliverables at once: one row each, or a CSV file from the template."""
    return _bulk_page(_bulk_government())


def _rows_from(form: BulkForm) -> list[bulk.BulkRow]:
    """The bulk form's rows as the person filled them in."""
    return [
        bulk.BulkRow(
            line=n,
            deliverable_id=entry.deliverable_id.data,
            version=entry.version.data,
            status=entry.status.data or "",
            percent="" if entry.percent_complete.data is None else str(entry.percent_complete.data),
            comment=entry.comment.data or "",
        )
        for n, entry in enumerate(form.rows, start=1)
    ]


def _refuse_foreign_fields() -> None:
    """A bulk form carries rows of status, percent and comment, and nothing else."""
    extra = unexpected_bulk_fields(request.form)
    if extra:
        abort(
            400,
            _(
                "A bulk update changes only status, percent complete and comment; this form "
                "also sent %(fields)s, so nothing was saved.",
                fields=", ".join(extra)[:200],
            ),
        )


@bp.post("/bulk")
def bulk_preview():
    """Check every row of the bulk form and show the changes before they apply."""
    government = _bulk_government()
    _refuse_foreign_fields()
    form = BulkForm()
    if not form.validate_on_submit():
        return _bulk_page(government, form=form, status=400)
    check = bulk.check_rows(_user(), _rows_from(form))
    if not check.rows:
        form.form_errors.append(_("Nothing to apply: change at least one row first."))
        return _bulk_page(government, form=form, status=400)
    if not check.valid:
        errors = {r.deliverable_id: r.errors for r in check.rows if r.errors}
        return _bulk_page(government, form=form, errors=errors, status=check.status_code)
    return _preview(government, check, _("the form"))


@bp.post("/bulk/upload")
def bulk_upload():
    """Read a filled-in CSV template, check every row, and show the changes before they apply."""
    government = _bulk_government()
    upload = CsvUploadForm()
    if not upload.validate_on_submit():
        return _refuse_upload(government, upload)
    data = upload.file.data.read(bulk.MAX_CSV_BYTES + 1)
    try:
        rows = bulk.read_csv(data)
    except bulk.CsvRefused as refused:
        upload.file.errors.append(str(refused))
        return _refuse_upload(government, upload)
    check = bulk.check_rows(_user(), rows)
    return _preview(government, check, _("your file"))


def _refuse_upload(government, upload: CsvUploadForm):
    """The bulk page again, saying why the file was refused."""
    if government is None:
        # Without a chosen government the page shows the choice, not the upload form that
        # carries the errors, so they travel as messages at the top instead.
        for message in upload.file.errors:
            # A validator's message may be a lazy translation: the session keeps plain text.
            flash(str(message), "danger")
    return _bulk_page(government, upload=upload, status=400)


def _preview(government, check: bulk.BulkCheck, source: str):
    """Each row's change from what to what, with any errors; the confirm button when all pass."""
    confirm = BulkForm(
        formdata=None,
        data={
            "rows": [
                {
                    "deliverable_id": r.change.deliverable_id,
                    "version": r.change.version,
                    "status": r.change.status,
                    "percent_complete": r.change.percent,
                    "comment": r.change.comment,
                }
                for r in check.rows
                if r.change is not None
            ]
        },
    )
    return (
        render_template(
            "deliverables/bulk_preview.html",
            government=government,
            check=check,
            confirm=confirm,
            source=source,
        ),
        check.status_code,
    )


@bp.post("/bulk/confirm")
def bulk_confirm():
    """Apply a previewed bulk update: every row, checked again, or none of them."""
    government = _bulk_government()
    _refuse_foreign_fields()
    form = BulkForm()
    if not form.validate_on_submit():
        abort(400, _("The previewed rows came back incomplete; nothing was saved. Start again."))
    # The rows come back from the browser: they are read and checked again as if new.
    check = bulk.check_rows(_user(), _rows_from(form))
    if not check.rows:
        abort(400, _("There were no rows to apply; nothing was saved."))
    if not check.valid:
        return _preview(government, check, _("the previewed rows"))
    try:
        updates = progress.apply_bulk(_user(), check.changes)
    except StaleEdit:
        db.session.rollback()
        return _preview(government, bulk.check_rows(_user(), _rows_from(form)), _("the rows"))
    except DomainError as error:
        db.session.rollback()
        abort(400, error.message)
    db.session.commit()
    flash(
        ngettext(
            "Progress saved on %(num)d deliverable.",
            "Progress saved on %(num)d deliverables.",
            len(updates),
        )
    )
    if government is not None:
        return redirect(url_for("governments.detail", government_id=government.id))
    return redirect(url_for(".index"))


@bp.get("/bulk/template.csv")
def bulk_template():
    """The CSV template of a government's open deliverables, to fill in and upload."""
    government = _bulk_government()
    if government is None:
        abort(400, _("Choose a government: add ?government=<id> to the address."))
    body = bulk.template_csv(bulk.reportable(government))
    filename = f"progress-{government.iso3}-{utcnow().date().isoformat()}.csv"
    return Response(
        body,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


# Carry-over: a chairmanship's open work moves into the next one


@bp.get("/carry-over")
def carry_over_form():
    """Show a chairmanship's open deliverables and the chairmanship they would move into."""
    if not permissions.can_manage_deliverables(current_user):
        abort(403)
    chairmanship_id = query_int("chairmanship")
    if chairmanship_id is None:
        return render_template(
            "deliverables/carry_over.html", chairmanship=None, chairmanships=_chairmanships()
        )
    chairmanship = get_or_404(Chairmanship, chairmanship_id)
    open_ones = deliverable_service.open_in(chairmanship)
    return render_template(
        "deliverables/carry_over.html",
        chairmanship=chairmanship,
        successor=progress.next_chairmanship(chairmanship),
        open_ones=open_ones,
        today=utcnow().date(),
    )


@bp.post("/carry-over")
def carry_over():
    """Carry a chairmanship's open deliverables into the next chairmanship, in one action."""
    if not permissions.can_manage_deliverables(current_user):
        abort(403)
    chairmanship = _posted_chairmanship("chairmanship")
    successor = _posted_chairmanship("successor")
    try:
        moved = progress.carry_over(chairmanship, successor, _user())
    except DomainError as error:
        db.session.rollback()
        abort(400, error.message)
    except (StaleDataError, IntegrityError):
        # Someone changed or carried the same work at the same moment: nothing of ours moved.
        db.session.rollback()
        abort(
            409,
            _("A deliverable changed while it was being carried over; nothing moved. Try again."),
        )
    db.session.commit()
    if not moved:
        flash(
            _(
                "%(chairmanship)s has no open deliverables; nothing moved.",
                chairmanship=chairmanship.label,
            ),
            "info",
        )
        return redirect(url_for(".carry_over_form", chairmanship=chairmanship.id))
    flash(
        ngettext(
            "%(num)d deliverable carried over from %(chairmanship)s to %(successor)s.",
            "%(num)d deliverables carried over from %(chairmanship)s to %(successor)s.",
            len(moved),
            chairmanship=chairmanship.label,
            successor=successor.label,
        ),
        "success",
    )
    return redirect(url_for(".carried_over", chairmanship=chairmanship.id))


def _posted_chairmanship(name: str) -> Chairmanship:
    """A chairmanship named by a posted id, or 400 saying which field was wrong."""
    chairmanship_id = record_id(request.form.get(name))
    if chairmanship_id is None:
        abort(400, _("The “%(name)s” field must name a chairmanship.", name=name))
    return get_or_404(Chairmanship, chairmanship_id)


@bp.get("/carried-over")
def carried_over():
    """What moved out of a chairmanship: each predecessor and its successor."""
    chairmanship_id = query_int("chairmanship")
    if chairmanship_id is None:
        abort(400, _("The “chairmanship” parameter is needed: which chairmanship's work moved?"))
    chairmanship = get_or_404(Chairmanship, chairmanship_id)
    return render_template(
        "deliverables/carried_over.html",
        chairmanship=chairmanship,
        moved=deliverable_service.carried_from(chairmanship),
    )
