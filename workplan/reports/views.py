"""The reports pages and their downloads.

One scheme everywhere: a report's page is `/reports/<report>`, and the same address with
`.csv`, `.xlsx`, `.pdf` or `.json` appended downloads it in that format.

A report is the same for every member, and costs many queries and, as a PDF, seconds: each
worker keeps what it built (the page's report and every file), per address and language, until
the audit log moves or the minute turns, as the secretariat's board is kept.
"""

import io
import json
from functools import partial

from flask import (
    Blueprint,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_login import current_user
from markupsafe import Markup

from workplan import formatting, permissions, web
from workplan.caching import BodyCache
from workplan.models import Chairmanship, Government, utcnow
from workplan.reports import documents, exports, labels
from workplan.services import audit_log, chairmanships, governments, reports

bp = Blueprint("reports", __name__, url_prefix="/reports")
# Reports are for signed-in members of the forum.
web.guard(bp, permissions.can_read_private)

FORMATS = tuple(labels.FORMATS)
# Flask's `any` converter: the extension chooses the format, the bare address the page.
FILE = "<any(" + ", ".join(FORMATS) + "):fmt>"
# The most asked reports in each language and format, within the worker's memory budget (200 MiB
# at a hundred times the forum's size): a report not kept is built again, never wrong.
REPORT_CACHE_BYTES = 8 * 1024 * 1024


@bp.record_once
def _create_report_cache(state) -> None:
    state.app.extensions.setdefault("workplan.report_cache", BodyCache(REPORT_CACHE_BYTES))


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


def _built(make_report, build, fmt: str | None, settings: dict) -> tuple[dict, bytes]:
    """The report made now: what names it (title, file name) and its body, the page's part
    or the file in the asked format."""
    report = make_report(**settings)
    document = build(report, with_charts=fmt in (None, "pdf"))
    names = {"title": document.title, "filename": f"{document.filename}.{fmt}"}
    if fmt is None:
        body = render_template("reports/_report.html", document=document, cell=documents.display)
        return names, body.encode()
    if fmt == "json":
        return names, exports.to_json(report)
    if fmt in ("csv", "xlsx"):
        return names, exports.to_csv(document) if fmt == "csv" else exports.to_xlsx(document)
    return names, exports.to_pdf(document)


def _respond(make_report, build, fmt: str | None):
    """The report as a page, or as a file in the asked format, built once per state of the
    data (see the module's note)."""
    settings = _settings()
    key = "|".join((request.path, settings["language"], settings["base_currency"]))
    if fmt is None:
        # The page links the secretariat, and only it, to the exchange-rate table.
        key += f"|rates:{permissions.can_record_pledges(current_user)}"
    cache = current_app.extensions["workplan.report_cache"]
    version = audit_log.state(settings["now"])
    kept = cache.get(key, version)
    if kept is None:
        names, body = _built(make_report, build, fmt, settings)
        kept = json.dumps(names).encode() + b"\n" + body
        cache.put(key, version, kept)
    header, _, body = kept.partition(b"\n")
    names = json.loads(header)
    if fmt is None:
        report_html = Markup(body.decode())  # noqa: S704  (rendered by our own autoescaped template)
        return render_template("reports/report.html", title=names["title"], report=report_html)
    return send_file(
        io.BytesIO(body),
        mimetype=exports.MIMETYPES[fmt],
        as_attachment=True,
        download_name=names["filename"],
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
    return _respond(
        partial(reports.chairmanship_report, record), documents.chairmanship_document, fmt
    )


@bp.get("/chairmanships/<int:chairmanship_id>/handover")
@bp.get(f"/chairmanships/<int:chairmanship_id>/handover.{FILE}")
def handover(chairmanship_id: int, fmt: str | None = None):
    """What a chair hands the next: balances, budget, open money and work, on a page or file."""
    record = web.get_or_404(Chairmanship, chairmanship_id)
    return _respond(partial(reports.handover_report, record), documents.handover_document, fmt)


@bp.get("/multiannual")
@bp.get(f"/multiannual.{FILE}")
def multiannual(fmt: str | None = None):
    """Work-plan objectives and funding across chairmanships, on the page or as a file."""
    return _respond(reports.multiannual_report, documents.multiannual_document, fmt)


@bp.get("/governments/<int:government_id>")
@bp.get(f"/governments/<int:government_id>.{FILE}")
def government(government_id: int, fmt: str | None = None):
    """One government's part across the years, on the page or as a file."""
    record = web.get_or_404(Government, government_id)
    return _respond(partial(reports.government_report, record), documents.government_document, fmt)
