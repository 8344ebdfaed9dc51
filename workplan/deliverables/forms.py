"""Forms for deliverables: the secretariat's edit form, the progress form and the bulk forms."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from werkzeug.datastructures import MultiDict
from wtforms import (
    DateField,
    FieldList,
    Form,
    FormField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import HiddenInput

from workplan.formatting import lazy_gettext as _l
from workplan.formatting import lazy_status
from workplan.forms import RecordForm, WholeNumberField, version_field
from workplan.services.progress import MAX_COMMENT, REPORTABLE_STATUSES

STATUS_CHOICES = [SelectChoice(s, lazy_status(s)) for s in REPORTABLE_STATUSES]
PROGRESS_FIELDS = frozenset({"status", "percent_complete", "comment", "version", "csrf_token"})
BULK_ROW_FIELDS = frozenset({"deliverable_id", "version", "status", "percent_complete", "comment"})
MAX_BULK_ROWS = 1000
_COMMENT_TOO_LONG = _l("Keep the comment under %(count)s characters.", count=MAX_COMMENT)
_LOST_VERSION = _l("Reload the page: the form lost its version.")


def unexpected_fields(formdata: MultiDict, allowed: frozenset[str]) -> list[str]:
    """Names submitted that the form does not have: a progress form changes nothing else."""
    return sorted(name for name in formdata if name not in allowed)


def unexpected_bulk_fields(formdata: MultiDict) -> list[str]:
    """Names in a bulk submission other than rows-N-<field> and the CSRF token."""
    wrong = []
    for name in formdata:
        if name == "csrf_token":
            continue
        prefix, _, rest = name.partition("-")
        number, _, field_name = rest.partition("-")
        if prefix != "rows" or not number.isdigit() or field_name not in BULK_ROW_FIELDS:
            wrong.append(name)
    return sorted(wrong)


class DeliverableForm(RecordForm):
    """What a deliverable is, who owns it, who is responsible and when it is due."""

    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=300)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=10_000)])
    chairmanship = SelectField(_l("Chairmanship"), choices=[], validators=[InputRequired()])
    owner = SelectField(
        _l("Owner"),
        choices=[],
        validators=[InputRequired(message=_l("Choose the roundtable or team that owns it."))],
    )
    objective = SelectField(_l("Objective"), choices=[], validators=[Optional()])
    responsible_governments = SelectMultipleField(
        _l("Responsible governments"),
        choices=[],
        coerce=int,
        validators=[DataRequired(message=_l("Name at least one responsible government."))],
    )
    due_on = DateField(
        _l("Due date"), validators=[InputRequired(message=_l("Give a due date (YYYY-MM-DD)."))]
    )
    version = WholeNumberField(widget=HiddenInput(), validators=[Optional()])


class EditDeliverableForm(DeliverableForm):
    """The same form for an existing deliverable: it must say which version it was made from."""

    version = version_field(_LOST_VERSION)


class ProgressForm(FlaskForm):
    """The progress update of DESIGN.md's contract: Status, Percent complete, Comment."""

    status = SelectField(_l("Status"), choices=STATUS_CHOICES)
    percent_complete = WholeNumberField(
        _l("Percent complete"),
        validators=[
            InputRequired(message=_l("Give the percent complete, from 0 to 100.")),
            NumberRange(0, 100, message=_l("Percent complete must be from 0 to 100.")),
        ],
        render_kw={"min": 0, "max": 100, "step": 1, "inputmode": "numeric"},
    )
    comment = TextAreaField(
        _l("Comment"),
        validators=[
            Length(max=MAX_COMMENT, message=_COMMENT_TOO_LONG),
        ],
    )
    version = version_field(_LOST_VERSION)


class BulkRowForm(Form):
    """One deliverable's row: blank status or percent keeps the current value."""

    deliverable_id = WholeNumberField(widget=HiddenInput(), validators=[InputRequired()])
    version = WholeNumberField(widget=HiddenInput(), validators=[InputRequired()])
    status = SelectField(
        _l("Status"),
        choices=[SelectChoice("", _l("No change")), *STATUS_CHOICES],
        validate_choice=True,
    )
    percent_complete = WholeNumberField(
        _l("Percent complete"),
        validators=[
            Optional(),
            NumberRange(0, 100, message=_l("Percent complete must be from 0 to 100.")),
        ],
        render_kw={"min": 0, "max": 100, "step": 1, "inputmode": "numeric"},
    )
    comment = TextAreaField(
        _l("Comment"),
        validators=[
            Optional(),
            Length(max=MAX_COMMENT, message=_COMMENT_TOO_LONG),
        ],
    )


class BulkForm(FlaskForm):
    """Several deliverables in one form, one row each."""

    rows = FieldList(FormField(BulkRowForm), max_entries=MAX_BULK_ROWS)


class CsvUploadForm(FlaskForm):
    """A filled-in copy of the CSV template."""

    file = FileField(
        _l("CSV file (from the template)"),
        validators=[FileRequired(message=_l("Choose the CSV file to upload."))],
    )
