"""Bulk progress: one form, or a CSV file, previewed and then applied all at once."""

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from workplan import formatting, permissions, web
from workplan.deliverables import bulk
from workplan.deliverables.forms import BulkForm, CsvUploadForm, unexpected_bulk_fields
from workplan.deliverables.views import _user, bp
from workplan.extensions import db
from workplan.models import Government, utcnow
from workplan.services import DomainError, StaleEdit, parties, progress

reports = web.require(permissions.can_bulk_report)


def _bulk_government() -> Government | None:
    """The government whose deliverables the bulk pages show, or 403 when not allowed."""
    government_id = web.query_int("government")
    if government_id is None and current_user.government_id:
        government_id = current_user.government_id
    if government_id is None:
        # Only the secretariat reaches here without a government: it chooses one on the page.
        return None
    government = web.get_or_404(Government, government_id)
    web.authorize(permissions.can_report_for, government)
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
        known |= bulk.deliverables_by_id(missing)
    return (
        render_template(
            "deliverables/bulk.html",
            government=government,
            governments=parties.governments(formatting.locale()) if government is None else [],
            form=form,
            upload=upload or CsvUploadForm(formdata=None),
            known=known,
            row_errors=errors or {},
            today=utcnow().date(),
        ),
        status,
    )


@bp.get("/bulk")
@reports
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
@reports
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
@reports
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
@reports
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
        updates = progress.apply_bulk(_user(), check.changes, bulk.may_update_for(_user()))
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
@reports
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
