"""Forms for deliverables: the secretariat's edit form, the progress form and the bulk forms."""

from flask_babel import gettext as _
from flask_login import current_user
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

from workplan import formatting, permissions
from workplan.formatting import lazy_gettext as _l
from workplan.formatting import lazy_status
from workplan.forms import (
    EditForm,
    WholeNumberField,
    chairmanship_to_start,
    percent_complete_field,
    theme_choices,
    version_field,
)
from workplan.models import Deliverable
from workplan.numbers import record_id
from workplan.services import deliverables as deliverable_service
from workplan.services.progress import MAX_COMMENT, REPORTABLE_STATUSES
from workplan.web import query_int

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


class DeliverableForm(EditForm):
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
    themes = SelectMultipleField(_l("Themes"), choices=[], validate_choice=False)

    def __init__(self, *args, current: Deliverable | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        options = deliverable_service.form_options(current, formatting.locale())
        if not permissions.can_manage_deliverables(current_user):
            # A roundtable's co-chairs file deliverables under their roundtables only.
            options = options.within(permissions.co_chaired_roundtables(current_user))
        self.chairmanship.choices = [
            SelectChoice(str(c.id), c.label) for c in options.chairmanships
        ]
        self.owner.choices = (
            [SelectChoice("", _("Choose a roundtable or a team"))]
            + [
                SelectChoice(
                    f"roundtable:{rt.id}",
                    f"{rt.code}: {rt.title} ({rt.chairmanship.label})",
                    render_kw={"data-chairmanship": str(rt.chairmanship_id)},
                    optgroup=_("Roundtables"),
                )
                for rt in options.roundtables
            ]
            + [
                SelectChoice(f"team:{t.id}", t.name, optgroup=_("Government teams"))
                for t in options.teams
            ]
        )
        self.objective.choices = [SelectChoice("", _("None"))] + [
            SelectChoice(str(o.id), f"{o.code}. {o.title}", optgroup=plan.title)
            for o, plan in options.objectives
        ]
        self.responsible_governments.choices = [
            SelectChoice(str(g.id), f"{formatting.party_name(g)} ({g.iso3})")
            for g in options.governments
        ]
        self.themes.choices = theme_choices(current.themes if current else ())

    @classmethod
    def from_record(cls, record, **kwargs):
        """The form filled from a deliverable, offering the choices it already has."""
        kwargs.setdefault("current", record)
        return super().from_record(record, **kwargs)

    @classmethod
    def for_record(cls, record, **kwargs):
        """The form editing a deliverable, offering the choices it already has even when
        submitted."""
        kwargs.setdefault("current", record)
        return super().for_record(record, **kwargs)

    @classmethod
    def starts_with(cls) -> dict:
        """Links from a government, roundtable or team page start the form with it chosen."""
        start = {"chairmanship": chairmanship_to_start()}
        if government := query_int("government"):
            start["responsible_governments"] = [government]
        if roundtable := query_int("roundtable"):
            start["owner"] = f"roundtable:{roundtable}"
        elif team := query_int("team"):
            start["owner"] = f"team:{team}"
        return start

    def load(self, deliverable: Deliverable) -> None:
        """Fill the fields the record's attributes do not match by name."""
        owner = deliverable.roundtable_id or deliverable.team_id
        kind = "roundtable" if deliverable.roundtable_id else "team"
        self.chairmanship.data = str(deliverable.chairmanship_id)
        self.owner.data = f"{kind}:{owner}"
        self.objective.data = str(deliverable.objective_id or "")
        self.responsible_governments.data = [g.id for g in deliverable.responsible_governments]
        self.themes.data = [str(t.id) for t in deliverable.themes]

    def details(self) -> deliverable_service.DeliverableFields:
        """What was typed, for the service to check."""
        kind, _colon, owner_id = (self.owner.data or "").partition(":")
        return deliverable_service.DeliverableFields(
            title=self.title.data,
            description=self.description.data,
            chairmanship_id=record_id(self.chairmanship.data) or 0,
            owner_kind=kind,
            owner_id=record_id(owner_id) or 0,
            objective_id=record_id(self.objective.data),
            government_ids=list(self.responsible_governments.data or []),
            due_on=self.due_on.data,
            theme_ids=[record_id(value) for value in self.themes.data or []],
        )


class ProgressForm(FlaskForm):
    """The progress update of the public contract: Status, Percent complete, Comment."""

    status = SelectField(_l("Status"), choices=STATUS_CHOICES)
    percent_complete = percent_complete_field()
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
