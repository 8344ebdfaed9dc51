"""Forms for private calendar addresses and follows."""

from flask_wtf import FlaskForm
from wtforms import SelectMultipleField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from workplan.feeds import TOKEN_LABEL_MAX
from workplan.formatting import lazy_gettext as _l
from workplan.formatting import lazy_kind
from workplan.models import MEETING_KINDS


class TokenForm(FlaskForm):
    """A name for a new private address, so the person can tell their devices apart."""

    label = StringField(
        _l("Name of the new address"), validators=[DataRequired(), Length(max=TOKEN_LABEL_MAX)]
    )
    submit = SubmitField(_l("Create a private address"))


class FollowForm(FlaskForm):
    """Roundtables, teams and kinds of meeting to add to the private feed."""

    roundtables = SelectMultipleField(_l("Roundtables"), coerce=int, choices=[])
    teams = SelectMultipleField(_l("Government teams"), coerce=int, choices=[])
    kinds = SelectMultipleField(
        _l("Kinds of meeting"), choices=[SelectChoice(k, lazy_kind(k)) for k in MEETING_KINDS]
    )
    submit = SubmitField(_l("Save what I follow"))
