"""The chair's summary, a roundtable's report and the thematic recollection: pages, PDFs and
Word files drafted from the meetings' records."""

import io

from flask import Blueprint, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from workplan import permissions, web
from workplan.models import Chairmanship, Roundtable, utcnow
from workplan.outcomes.word import word_file
from workplan.reports.pdf import draw_pdf
from workplan.services import outcomes
from workplan.services.file_types import WORD

bp = Blueprint("outcomes", __name__)
web.guard(bp, permissions.can_read_private)


def _serve(heading: str, filename: str, fmt: str | None, *, summary=None, record=None, urls):
    """The draft as a page, or as a PDF or Word file to download."""
    context = {"heading": heading, "summary": summary, "record": record}
    if fmt is None:
        return render_template(
            "outcomes/summary.html", pdf_url=urls("pdf"), docx_url=urls("docx"), **context
        )
    if fmt == "pdf":
        body = draw_pdf(render_template("outcomes/print.html", today=utcnow().date(), **context))
        mimetype = "application/pdf"
    else:
        body, mimetype = word_file(heading, summary, record), WORD.mime
    return send_file(
        io.BytesIO(body),
        mimetype=mimetype,
        as_attachment=True,
        download_name=f"{filename}.{fmt}",
        max_age=0,
    )


@bp.get("/chairmanships/<int:chairmanship_id>/summary", defaults={"file_format": None})
@bp.get("/chairmanships/<int:chairmanship_id>/summary.<any(pdf, docx):file_format>")
def chairs_summary(chairmanship_id: int, file_format: str | None):
    """A draft chair's summary: every roundtable's record, and the other meetings' decisions."""
    chairmanship = web.get_or_404(Chairmanship, chairmanship_id)
    return _serve(
        _("Chair's summary: %(chairmanship)s", chairmanship=chairmanship.label),
        f"chairs-summary-{chairmanship.id}",
        file_format,
        summary=outcomes.chairs_summary(chairmanship, current_user),
        urls=lambda f: url_for(".chairs_summary", chairmanship_id=chairmanship.id, file_format=f),
    )


@bp.get("/roundtables/<int:roundtable_id>/report", defaults={"file_format": None})
@bp.get("/roundtables/<int:roundtable_id>/report.<any(pdf, docx):file_format>")
def roundtable_report(roundtable_id: int, file_format: str | None):
    """A draft report of one roundtable: its meetings, decisions, action items and papers."""
    roundtable = web.get_or_404(Roundtable, roundtable_id)
    return _serve(
        _("Report of %(roundtable)s", roundtable=roundtable.code),
        f"roundtable-report-{roundtable.id}",
        file_format,
        record=outcomes.roundtable_report(roundtable, current_user),
        urls=lambda f: url_for(".roundtable_report", roundtable_id=roundtable.id, file_format=f),
    )


@bp.get("/roundtables/themes")
def themes():
    """What every chairmanship's roundtables decided and produced, by theme."""
    return render_template("outcomes/themes.html", themes=outcomes.recollection(current_user))
