"""The chair's summary and a roundtable's report as an editable Word document (python-docx):
the secretariat finishes the draft in the word processor the forum's governments use."""

import io
import re

from docx import Document as WordDocument
from flask_babel import gettext as _

from workplan import formatting
from workplan.services.outcomes import RoundtableRecord, Summary

# XML 1.0 forbids these; text saved before the checks refused them must not break the file.
_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _paragraph(doc, text: str, style: str | None = None):
    return doc.add_paragraph(_NOT_IN_XML.sub("", text), style=style)


def _heading(doc, text: str, level: int) -> None:
    doc.add_heading(_NOT_IN_XML.sub("", text), level=level)


def _list(doc, heading: str, lines: list[str]) -> None:
    if not lines:
        return
    _paragraph(doc, heading).runs[0].bold = True
    for line in lines:
        _paragraph(doc, line, style="List Bullet")


def _record(doc, record: RoundtableRecord) -> None:
    roundtable = record.roundtable
    _heading(doc, f"{roundtable.code}: {formatting.shown(roundtable, 'title')}", 2)
    if roundtable.co_chairs:
        names = ", ".join(formatting.party_name(g) for g in roundtable.co_chairs)
        _paragraph(doc, _("Co-chairs: %(names)s", names=names))
    if record.meetings:
        titles = "; ".join(m.display_title_in(formatting.locale()) for m in record.meetings)
        _paragraph(doc, _("Met: %(meetings)s", meetings=titles))
    _list(doc, _("Decisions"), [o.text for o in record.decisions])
    _list(
        doc,
        _("Action items"),
        [
            o.text + (f" ({_('due %(day)s', day=formatting.day(o.due_on))})" if o.due_on else "")
            for o in record.actions
        ],
    )
    _list(
        doc,
        _("Deliverables"),
        [
            f"{d.title}: {formatting.status(d.status)}, {formatting.percent(d.percent_complete)}"
            for d in record.deliverables
        ],
    )
    _list(
        doc,
        _("Papers"),
        [f"{formatting.shown(d, 'title')} ({formatting.kind(d.kind)})" for d in record.documents],
    )


def word_file(heading: str, summary: Summary | None, record: RoundtableRecord | None) -> bytes:
    """The .docx of a chair's summary, or of one roundtable's report."""
    doc = WordDocument()
    doc.core_properties.title = _NOT_IN_XML.sub("", heading)
    doc.core_properties.author = _("GFMD work plan")
    _heading(doc, heading, 1)
    _paragraph(doc, _("A draft made from the meetings’ records, for the secretariat to finish."))
    if summary is not None:
        for each in summary.roundtables:
            _record(doc, each)
        if summary.other_meetings:
            _heading(doc, _("The forum’s other meetings"), 2)
            locale = formatting.locale()
            _paragraph(doc, "; ".join(m.display_title_in(locale) for m in summary.other_meetings))
            _list(
                doc,
                _("Decisions"),
                [
                    f"{o.meeting.display_title_in(locale)}: {o.text}"
                    for o in summary.other_decisions
                ],
            )
            _list(
                doc,
                _("Action items"),
                [f"{o.meeting.display_title_in(locale)}: {o.text}" for o in summary.other_actions],
            )
    else:
        _record(doc, record)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
