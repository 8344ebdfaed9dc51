"""Forms the secretariat uses for meetings and their agendas. They check the shape of the input;
the services check the forum's rules."""

from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    DateTimeLocalField,
    HiddenField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
    TimeField,
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

from workplan import permissions
from workplan.formatting import lazy_gettext as _l
from workplan.formatting import lazy_kind
from workplan.forms import EditForm, WholeNumberField, optional_id
from workplan.models import MEETING_KINDS, SESSION_KINDS, Meeting, MeetingSession
from workplan.services import meeting_editing, programme
from workplan.validators import HttpUrl, TimeZone

# The browser's datetime-local control sends 2030-10-21T10:00; people typing by hand may use a
# space or add seconds.
LOCAL_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]
LOCAL_MESSAGE = _l("Give a date and time, such as 2030-10-21 10:00.")


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


class MeetingForm(_LocalTimes, EditForm):
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
    title_fr = StringField(
        _l("Title in French"), filters=[_strip], validators=[Optional(), Length(max=300)]
    )
    title_es = StringField(
        _l("Title in Spanish"), filters=[_strip], validators=[Optional(), Length(max=300)]
    )
    description_fr = TextAreaField(
        _l("Description in French"),
        filters=[_strip],
        validators=[Optional(), Length(max=20000)],
    )
    description_es = TextAreaField(
        _l("Description in Spanish"),
        filters=[_strip],
        validators=[Optional(), Length(max=20000)],
    )
    submit = SubmitField(_l("Save meeting"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        options = meeting_editing.form_options()
        secretariat = permissions.can_manage_programme(current_user)
        if not secretariat:
            # A roundtable's co-chairs draft that roundtable's meetings, and no others.
            options = options.within(permissions.co_chaired_roundtables(current_user))
            self.roundtable.label.text = _("Roundtable")
            self.roundtable.validators = [InputRequired(_("Choose your roundtable."))]
        self.chairmanship.choices = [
            SelectChoice(str(c.id), c.label) for c in options.chairmanships
        ]
        self.roundtable.choices = [SelectChoice("", _("None"))] * secretariat + [
            SelectChoice(str(r.id), f"{r.code}: {r.title}", optgroup=r.chairmanship.label)
            for r in options.roundtables
        ]
        self.team.choices = [SelectChoice("", _("None"))] + [
            SelectChoice(str(t.id), t.name) for t in options.teams
        ]

    def load(self, meeting: Meeting) -> None:
        """The times as the venue's clock shows them, and the programme's choices by id."""
        _load_times(self, meeting)
        self.chairmanship.data = meeting.chairmanship_id
        self.roundtable.data = meeting.roundtable_id
        self.team.data = meeting.team_id

    def details(self) -> meeting_editing.MeetingDetails:
        """What was typed, for the service to check."""
        return meeting_editing.MeetingDetails(
            chairmanship_id=self.chairmanship.data,
            kind=self.kind.data,
            title=self.title.data,
            starts_local=self.starts_at.data,
            ends_local=self.ends_at.data,
            timezone=self.timezone.data,
            venue=self.venue.data,
            city=self.city.data,
            online_url=self.online_url.data,
            description=self.description.data,
            roundtable_id=self.roundtable.data,
            team_id=self.team.data,
            translations={
                name: self[name].data
                for name in ("title_fr", "title_es", "description_fr", "description_es")
            },
        )


def _load_times(form, meeting: Meeting) -> None:
    """A meeting's times as the venue's clock shows them, for a form to start from."""
    form.starts_at.data = meeting.local_starts_at.replace(tzinfo=None)
    form.ends_at.data = meeting.local_ends_at.replace(tzinfo=None)
    form.timezone.data = meeting.timezone


class RescheduleForm(_LocalTimes, EditForm):
    """New times for a meeting; its agenda moves with it."""

    submit = SubmitField(_l("Reschedule"))

    def load(self, meeting: Meeting) -> None:
        """The times as the venue's clock shows them."""
        _load_times(self, meeting)


class AgendaItemForm(EditForm):
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
    title_fr = StringField(
        _l("Title in French"), filters=[_strip], validators=[Optional(), Length(max=300)]
    )
    title_es = StringField(
        _l("Title in Spanish"), filters=[_strip], validators=[Optional(), Length(max=300)]
    )
    session_id = SelectField(
        _l("Session of the programme"),
        choices=[],
        coerce=optional_id,
        validate_choice=False,
        description=_l(
            "An item of a session starts with it; the others follow the meeting's start."
        ),
    )
    submit = SubmitField(_l("Add item"))

    def offer_sessions(self, meeting: Meeting) -> "AgendaItemForm":
        """The meeting's sessions to choose from; without a programme the field is not shown."""
        self.session_id.choices = [SelectChoice("", _("The meeting as a whole"))] + [
            SelectChoice(
                s.id,
                f"{s.local_starts_at:%d/%m %H:%M} · {s.title}" + (f" ({s.room})" if s.room else ""),
            )
            for s in meeting.sessions
            if s.kind != "break"
        ]
        return self

    def values(self) -> dict:
        """What was typed, as the agenda service takes it."""
        return {
            "session_id": self.session_id.data,
            "title": self.title.data,
            "duration_minutes": self.duration_minutes.data,
            "speakers": self.speakers.data,
            "notes": self.notes.data,
            "links": self.links.data,
            "title_fr": self.title_fr.data,
            "title_es": self.title_es.data,
        }


class AgendaItemEditForm(AgendaItemForm):
    """An edit of an agenda item: the same fields, saved rather than added."""

    submit = SubmitField(_l("Save item"))


class MoveForm(FlaskForm):
    """Move an agenda item one place up or down."""

    direction = HiddenField(validators=[DataRequired()])


class ActionForm(FlaskForm):
    """A button that changes a meeting's state: only the CSRF token travels with it."""


class SessionForm(EditForm):
    """One session of a meeting's programme, its times on the venue's clock."""

    kind = SelectField(
        _l("Kind of session"), choices=[SelectChoice(k, lazy_kind(k)) for k in SESSION_KINDS]
    )
    title = StringField(
        _l("Session title"),
        filters=[_strip],
        validators=[DataRequired(_l("Give the session a title.")), Length(max=300)],
    )
    room = StringField(
        _l("Room"),
        filters=[_strip],
        validators=[Optional(), Length(max=120)],
        description=_l("Needed for a parallel session; two sessions never share a room at once."),
    )
    day = DateField(_l("Day"), validators=[InputRequired(_l("Give the day of the session."))])
    starts = TimeField(_l("Starts"), validators=[InputRequired(_l("Give the start time."))])
    ends = TimeField(_l("Ends"), validators=[InputRequired(_l("Give the end time."))])
    title_fr = StringField(
        _l("Title in French"), filters=[_strip], validators=[Optional(), Length(max=300)]
    )
    title_es = StringField(
        _l("Title in Spanish"), filters=[_strip], validators=[Optional(), Length(max=300)]
    )
    submit = SubmitField(_l("Save session"))

    def load(self, session: MeetingSession) -> None:
        """The session's times as the venue's clock shows them."""
        self.day.data = session.local_starts_at.date()
        self.starts.data = session.local_starts_at.time()
        self.ends.data = session.local_ends_at.time()

    def details(self) -> programme.SessionDetails:
        """What was typed, for the service to check."""
        return programme.SessionDetails(
            kind=self.kind.data,
            title=self.title.data,
            day=self.day.data,
            starts=self.starts.data,
            ends=self.ends.data,
            room=self.room.data,
            translations={"title_fr": self.title_fr.data, "title_es": self.title_es.data},
        )
