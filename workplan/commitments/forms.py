"""The forms of commitments: the commitment itself, and a periodic report on it."""

from wtforms import (
    DateField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from workplan.formatting import lazy_gettext as _l
from workplan.formatting import lazy_status
from workplan.forms import (
    EditForm,
    RecordForm,
    party_choices,
    percent_complete_field,
    theme_choices,
    version_field,
)
from workplan.models import COMMITMENT_STATUSES, REPORTING_MONTHS, Commitment
from workplan.numbers import record_id
from workplan.services.commitments import CommitmentDetails
from workplan.services.parties import party_key

REPORTING_CHOICES = {3: _l("Every three months"), 6: _l("Every six months"), 12: _l("Every year")}


class CommitmentForm(EditForm):
    """A commitment: what, by when, with whom, with what means, and how often it reports."""

    owner = SelectField(_l("Whose commitment"), choices=[], validate_choice=False)
    title = StringField(
        _l("Title"), validators=[InputRequired(_l("Give the commitment a title.")), Length(max=300)]
    )
    title_fr = StringField(_l("Title in French"), validators=[Optional(), Length(max=300)])
    title_es = StringField(_l("Title in Spanish"), validators=[Optional(), Length(max=300)])
    description = TextAreaField(
        _l("What will be done"),
        validators=[InputRequired(_l("Say what will be done.")), Length(max=10_000)],
        render_kw={"rows": 5},
    )
    due_on = DateField(
        _l("By when"), validators=[InputRequired(_l("Say by when it will be done."))]
    )
    partners = SelectMultipleField(_l("With whom"), choices=[], validate_choice=False)
    resources = TextAreaField(
        _l("Resources"),
        validators=[Optional(), Length(max=10_000)],
        description=_l("The people, money and means it relies on."),
        render_kw={"rows": 3},
    )
    themes = SelectMultipleField(_l("Themes"), choices=[], validate_choice=False)
    report_every_months = SelectField(
        _l("Reports"),
        choices=[SelectChoice(str(m), REPORTING_CHOICES[m]) for m in REPORTING_MONTHS],
        default="12",
        coerce=record_id,
    )
    submit = SubmitField(_l("Save commitment"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.owner.choices = party_choices()
        self.partners.choices = party_choices()[1:]
        self.themes.choices = theme_choices()

    def load(self, commitment: Commitment) -> None:
        """Fill the fields the record's attributes do not match by name."""
        self.owner.data = party_key(commitment.owner)
        self.partners.data = [
            party_key(p) for p in commitment.partner_governments + commitment.partner_organisations
        ]
        self.themes.data = [str(t.id) for t in commitment.themes]
        self.themes.choices = theme_choices(commitment.themes)

    def details(self) -> CommitmentDetails:
        """What was typed, for the service to check."""
        return CommitmentDetails(
            title=self.title.data,
            title_fr=self.title_fr.data,
            title_es=self.title_es.data,
            description=self.description.data,
            due_on=self.due_on.data,
            owner=self.owner.data or None,
            resources=self.resources.data,
            report_every_months=self.report_every_months.data,
            partners=list(self.partners.data or []),
            themes=[record_id(value) for value in self.themes.data or []],
        )


class ReportForm(RecordForm):
    """A periodic report, shaped like a deliverable's progress form."""

    status = SelectField(
        _l("Status"), choices=[SelectChoice(s, lazy_status(s)) for s in COMMITMENT_STATUSES]
    )
    percent_complete = percent_complete_field()
    text = TextAreaField(
        _l("What was done since the last report"),
        validators=[
            InputRequired(_l("Say what was done since the last report.")),
            Length(max=5000),
        ],
        render_kw={"rows": 4},
    )
    version = version_field()
    submit = SubmitField(_l("Send the report"))
