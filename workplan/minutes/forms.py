"""The forms of a meeting's record: the minutes' text, a decision or action item, and the
deliverable an action item is linked to."""

from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    HiddenField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from workplan import formatting
from workplan.formatting import lazy_gettext as _l
from workplan.formatting import lazy_kind
from workplan.forms import EditForm, RecordForm, optional_id
from workplan.models import OUTCOME_KINDS, Meeting
from workplan.services import parties
from workplan.services.minutes import OutcomeDetails


class MinutesForm(EditForm):
    """The minutes' text, and why approved minutes are amended."""

    text = TextAreaField(
        _l("Minutes"),
        validators=[InputRequired(_l("Write the minutes.")), Length(max=200_000)],
        render_kw={"rows": 14},
    )
    reason = StringField(
        _l("Why they change"),
        validators=[Optional(), Length(max=500)],
        description=_l("Required once the minutes are approved: the amendment says why."),
    )
    submit = SubmitField(_l("Save minutes"))


class OutcomeForm(RecordForm):
    """A decision or an action item, under one of the meeting's agenda items."""

    kind = SelectField(
        _l("What it is"), choices=[SelectChoice(k, lazy_kind(k)) for k in OUTCOME_KINDS]
    )
    agenda_item = SelectField(_l("Agenda item"), coerce=optional_id, validate_choice=False)
    # Not "text": the minutes' form on the same page has that field, and ids must be unique.
    statement = TextAreaField(
        _l("What was decided or agreed"),
        validators=[InputRequired(_l("Say what was decided or agreed.")), Length(max=5000)],
        render_kw={"rows": 3},
    )
    due_on = DateField(_l("Due (action items)"), validators=[Optional()])
    government = SelectField(
        _l("Responsible government (action items)"), coerce=optional_id, validate_choice=False
    )
    submit = SubmitField(_l("Record"))

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.agenda_item.choices = [SelectChoice("", _l("The meeting as a whole"))] + [
            SelectChoice(str(item.id), formatting.shown(item, "title"))
            for item in meeting.agenda_items
        ]
        self.government.choices = [SelectChoice("", _l("None yet"))] + [
            SelectChoice(str(g.id), formatting.party_name(g))
            for g in parties.governments(formatting.locale())
        ]

    def details(self) -> OutcomeDetails:
        """What was typed, for the service to check."""
        return OutcomeDetails(
            kind=self.kind.data,
            text=self.statement.data,
            agenda_item_id=self.agenda_item.data,
            due_on=self.due_on.data,
            government_id=self.government.data,
        )


class LinkForm(FlaskForm):
    """The deliverable that carries out an action item."""

    deliverable = SelectField(_l("Deliverable"), coerce=optional_id, validate_choice=False)
    submit = SubmitField(_l("Link"))


class CommentForm(RecordForm):
    """A delegation's comment on circulated minutes, on the version its author read."""

    comment = TextAreaField(
        _l("Your government's comment"),
        validators=[InputRequired(_l("Write your comment.")), Length(max=5000)],
        render_kw={"rows": 4},
    )
    revision = HiddenField()
    submit = SubmitField(_l("Send the comment"))
