"""Forms for private calendar addresses and follows."""

from flask_wtf import FlaskForm
from wtforms import SelectMultipleField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from workplan.formatting import kind
from workplan.models import MEETING_KINDS
from workplan.services.feeds import TOKEN_LABEL_MAX


class TokenForm(FlaskForm):
    """A name for a new private address, so the person can tell their devices apart."""

    label = StringField(
        "Name of the new address", validators=[DataRequired(), Length(max=TOKEN_LABEL_MAX)]
    )
    submit = SubmitField("Create a private address")


class FollowForm(FlaskForm):
    """Roundtables, teams and kinds of meeting to add to the private feed."""

    roundtables = SelectMultipleField("Roundtables", coerce=int, choices=[])
    teams = SelectMultipleField("Government teams", coerce=int, choices=[])
    kinds = SelectMultipleField(
        "Kinds of meeting", choices=[SelectChoice(k, kind(k)) for k in MEETING_KINDS]
    )
    submit = SubmitField("Save what I follow")
