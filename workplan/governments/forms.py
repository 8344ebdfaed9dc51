"""The secretariat's form for a government: its ISO 3166-1 alpha-3 code and its name."""

from wtforms import HiddenField, StringField
from wtforms.validators import DataRequired, InputRequired, Length

from workplan.formatting import lazy_gettext as _l
from workplan.forms import RecordForm


class GovernmentForm(RecordForm):
    """A state of the forum."""

    iso3 = StringField(
        _l("ISO 3166-1 alpha-3 code"),
        validators=[
            DataRequired(message=_l("Give the three-letter code, such as SWE.")),
            Length(min=3, max=3, message=_l("The code has exactly three letters, such as SWE.")),
        ],
    )
    name = StringField(
        _l("Name"),
        validators=[DataRequired(message=_l("Give the government's name.")), Length(max=200)],
    )
    # The time of the save the form was opened from, to refuse an edit made from a stale copy.
    last_saved = HiddenField()


class EditGovernmentForm(GovernmentForm):
    """The same form for a recorded government: it carries the save it was opened from."""

    last_saved = HiddenField(
        validators=[InputRequired(message=_l("Reload the page: the form lost its version."))]
    )
