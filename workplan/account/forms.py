"""Forms for a person's own account: password, private calendar addresses and follows."""

from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectMultipleField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length

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


class ChangePasswordForm(FlaskForm):
    """The current password, as proof, and the new one typed twice."""

    current_password = PasswordField(
        _l("Current password"),
        validators=[DataRequired(), Length(max=256)],
        render_kw={"autocomplete": "current-password"},
    )
    password = PasswordField(
        _l("New password"),
        validators=[DataRequired(), Length(min=8, max=256)],
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The two passwords differ."))],
        render_kw={"autocomplete": "new-password"},
    )
    submit = SubmitField(_l("Change my password"))
