"""Forms the secretariat uses to manage accounts."""

from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from workplan.formatting import lazy_gettext as _l
from workplan.formatting import lazy_kind
from workplan.services.accounts import INVITATION_ROLES


class InviteForm(FlaskForm):
    """A new account, which its owner completes from a one-time link."""

    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254)])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    # No role is chosen for the secretariat: the blank first choice must be replaced.
    role = SelectField(
        _l("Role"),
        choices=[SelectChoice("", _l("Choose a role"))]
        + [SelectChoice(r, lazy_kind(r)) for r in INVITATION_ROLES],
        validators=[
            DataRequired(_l("Choose the person’s role: member, focal point or secretariat."))
        ],
    )
    government = SelectField(
        _l("Government (focal points only)"),
        choices=[],
        validators=[Optional()],
        validate_choice=True,
    )
    submit = SubmitField(_l("Invite"))
