"""Forms the secretariat uses to manage accounts."""

from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from workplan.formatting import kind
from workplan.models import ROLES


class InviteForm(FlaskForm):
    """A new account, which its owner completes from a one-time link."""

    email = EmailField("Email", validators=[DataRequired(), Length(max=254)])
    name = StringField("Name", validators=[DataRequired(), Length(max=200)])
    role = SelectField("Role", choices=[SelectChoice(r, kind(r)) for r in ROLES])
    government = SelectField(
        "Government (focal points only)", choices=[], validators=[Optional()], validate_choice=True
    )
    submit = SubmitField("Invite")
