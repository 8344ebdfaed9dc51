"""The reports pages and their downloads.

One scheme everywhere: a report's page is `/reports/<report>`, and the same address with
`.csv`, `.xlsx`, `.pdf` or `.json` appended downloads it in that format.
"""

import io

from flask import Blueprint, abort, current_app, redirect, render_template, send_file, url_for

from workplan import formatting, permissions, web
from workplan.models import Chairmanship, Government, utcnow
from workplan.reports import documents, exports, labels
from workplan.services import chairmanships, governments, reports

bp = Blueprint("reports", __name__, url_prefix="/reports")
# Reports are for signed-in members of the forum.
web.guard(bp, permissions.can_read_private)

FORMATS = tuple(labels.FORMATS)
# Flask's `any` converter: the extension chooses the format, the bare address the page.
FILE = "<any(" + ", ".join(FORMATS) + "):fmt>"


@bp.context_processor
def _labels() -> dict:
    """The reports' words, for their templates."""
    return {"labels": labels}


def _settings() -> dict:
    """The reporting currency and the moment the report is made."""
    return {
        "base_currency": current_app.config["BASE_CURRENCY"],
        "now": utcnow(),
        "language": formatting.locale(),
    }


def _respond(report, build, fmt: str | None):
    """The report as a page, or as a file in the asked format."""
    if fmt == "json":
        body = exports.to_json(report)
        document = build(report, with_charts=False)
    elif fmt in ("csv", "xlsx"):
        document = build(report, with_charts=False)
        body = exports.to_csv(document) if fmt == "csv" else exports.to_xlsx(document)
    else:
        document = build(report, with_charts=True)
        if fmt is None:
            return render_template("reports/report.html", document=document, cell=documents.display)
        body = exports.to_pdf(document)
    return send_file(
        io.BytesIO(body),
        mimetype=exports.MIMETYPES[fmt],
        as_attachment=True,
        download_name=f"{document.filename}.{fmt}",
        max_age=0,
    )


@bp.get("/")
def index():
    """Every chairmanship with its headline numbers, newest first, and the other reports."""
    page = web.paginate(chairmanships.newest_first(), per_page=current_app.config["PER_PAGE"])
    headlines = reports.chairmanship_headlines(
        [chairmanship.id for chairmanship in page.items], **_settings()
    )
    return render_template(
        "reports/index.html",
        page=page,
        headlines=headlines,
        base_currency=current_app.config["BASE_CURRENCY"],
    )


@bp.get("/governments")
def government_lookup():
    """Go to a government's report by its ISO 3166 alpha-3 code."""
    code = web.query_text("iso3", max_length=3).upper()
    if not code:
        return redirect(url_for("reports.index"))
    government = governments.with_code(code)
    if government is None:
        abort(404, labels.PAGE["unknown_government"].format(code=code))
    return redirect(url_for("reports.government", government_id=government.id))


@bp.get("/chairmanships/<int:chairmanship_id>")
@bp.get(f"/chairmanships/<int:chairmanship_id>.{FILE}")
def chairmanship(chairmanship_id: int, fmt: str | None = None):
    """A chairmanship's progress and funding, on the page or as a file."""
    record = web.get_or_404(Chairmanship, chairmanship_id)
    report = reports.chairmanship_report(record, **_settings())
    return _respond(report, documents.chairmanship_document, fmt)


@bp.get("/chairmanships/<int:chairmanship_id>/handover")
@bp.get(f"/chairmanships/<int:chairmanship_id>/handover.{FILE}")
def handover(chairmanship_id: int, fmt: str | None = None):
    """What a chair hands the next: balances, budget, open money and work, on a page or file."""
    record = web.get_or_404(Chairmanship, chairmanship_id)
    report = reports.handover_report(record, **_settings())
    return _respond(report, documents.handover_document, fmt)


@bp.get("/multiannual")
@bp.get(f"/multiannual.{FILE}")
def multiannual(fmt: str | None = None):
    """Work-plan objectives and funding across chairmanships, on the page or as a file."""
    report = reports.multiannual_report(**_settings())
    return _respond(report, documents.multiannual_document, fmt)


@bp.get("/governments/<int:government_id>")
@bp.get(f"/governments/<int:government_id>.{FILE}")
def government(government_id: int, fmt: str | None = None):
    """One government's part across the years, on the page or as a file."""
    record = web.get_or_404(Government, government_id)
    report = reports.government_report(record, **_settings())
    return _respond(report, documents.government_document, fmt)
