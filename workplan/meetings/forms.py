"""Forms the secretariat uses for meetings and their agendas. They check the shape of the input;
the services check the forum's rules."""

from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import (
    DateTimeLocalField,
    HiddenField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
    URLField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from workplan.formatting import lazy_gettext as _l
from workplan.formatting import lazy_kind
from workplan.forms import WholeNumberField, optional_id, version_field
from workplan.models import MEETING_KINDS
from workplan.validators import HttpUrl, TimeZone

# The browser's datetime-local control sends 2030-10-21T10:00; people typing by hand may use a
# space or add seconds.
LOCAL_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]
LOCAL_MESSAGE = _l("Give a date and time, such as 2030-10-21 10:00.")
_LOST_VERSION = _l("This form has lost its version; reload the page.")


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class _LocalTimes:
    """Start and end typed in the venue's clock, with the zone they are in."""

    starts_at = DateTimeLocalField(
        _l("Starts (venue's local time)"),
        format=LOCAL_FORMATS,
        invalid_value_message=LOCAL_MESSAGE,
        validators=[InputRequired(LOCAL_MESSAGE)],
    )
    ends_at = DateTimeLocalField(
        _l("Ends (venue's local time)"),
        format=LOCAL_FORMATS,
        invalid_value_message=LOCAL_MESSAGE,
        validators=[InputRequired(LOCAL_MESSAGE)],
    )
    timezone = StringField(
        _l("Venue's time zone"),
        filters=[_strip],
        validators=[DataRequired(_l("Give the venue's time zone.")), Length(max=64), TimeZone()],
        render_kw={"list": "timezone-names", "autocomplete": "off", "spellcheck": "false"},
    )

    def validate_ends_at(self, field):
        """Refuse an end before the start: both are in the same clock, so they compare."""
        start = self.starts_at.data
        if start is not None and field.data is not None and field.data <= start:
            raise ValidationError(_("The meeting must end after it starts."))


class MeetingForm(_LocalTimes, FlaskForm):
    """A meeting's kind, title, place in the programme, times and place."""

    kind = SelectField(
        _l("Kind"),
        choices=[SelectChoice(k, lazy_kind(k)) for k in MEETING_KINDS],
        validators=[DataRequired(_l("Choose the kind of meeting."))],
    )
    title = StringField(
        _l("Title"),
        filters=[_strip],
        validators=[DataRequired(_l("Give the meeting a title.")), Length(max=300)],
    )
    chairmanship = SelectField(
        _l("Chairmanship"),
        coerce=optional_id,
        validators=[InputRequired(_l("Choose the chairmanship the meeting belongs to."))],
    )
    roundtable = SelectField(_l("Roundtable (optional)"), coerce=optional_id)
    team = SelectField(_l("Government team (optional)"), coerce=optional_id)
    venue = StringField(_l("Venue"), filters=[_strip], validators=[Optional(), Length(max=300)])
    city = StringField(_l("City"), filters=[_strip], validators=[Optional(), Length(max=120)])
    online_url = URLField(
        _l("Online link"), filters=[_strip], validators=[Optional(), Length(max=500), HttpUrl()]
    )
    description = TextAreaField(
        _l("Description"), filters=[_strip], validators=[Optional(), Length(max=20000)]
    )
    submit = SubmitField(_l("Save meeting"))


class MeetingEditForm(MeetingForm):
    """An edit of an existing meeting, carrying the version it was made from."""

    version = version_field(_LOST_VERSION)


class RescheduleForm(_LocalTimes, FlaskForm):
    """New times for a meeting; its agenda moves with it."""

    version = version_field(_LOST_VERSION)
    submit = SubmitField(_l("Reschedule"))


class AgendaItemForm(FlaskForm):
    """One item of an agenda."""

    title = StringField(
        _l("Item title"),
        filters=[_strip],
        validators=[DataRequired(_l("Give the item a title.")), Length(max=300)],
    )
    duration_minutes = WholeNumberField(
        _l("Duration (minutes)"),
        validators=[
            InputRequired(_l("Give the duration in whole minutes, more than zero.")),
            NumberRange(min=1, message=_l("Give the duration in whole minutes, more than zero.")),
        ],
        render_kw={"min": 1, "max": 1440, "step": 1, "inputmode": "numeric"},
    )
    speakers = TextAreaField(
        _l("Speakers"), filters=[_strip], validators=[Optional(), Length(max=5000)]
    )
    notes = TextAreaField(_l("Notes"), filters=[_strip], validators=[Optional(), Length(max=20000)])
    links = TextAreaField(
        _l("Links (one per line, optionally after a label)"),
        filters=[_strip],
        validators=[Optional(), Length(max=5000)],
    )
    submit = SubmitField(_l("Add item"))


class AgendaItemEditForm(AgendaItemForm):
    """An edit of an agenda item, carrying the version it was made from."""

    version = version_field(_LOST_VERSION)
    submit = SubmitField(_l("Save item"))


class MoveForm(FlaskForm):
    """Move an agenda item one place up or down."""

    direction = HiddenField(validators=[DataRequired()])


class ActionForm(FlaskForm):
    """A button that changes a meeting's state: only the CSRF token travels with it."""
