"""The forms for a government team and for its members over the years."""

from flask_babel import gettext as _
from wtforms import SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from workplan.formatting import lazy_gettext as _l
from workplan.forms import EditForm, RecordForm, WholeNumberField, government_choices, party_choices
from workplan.models import GovernmentTeam, utcnow
from workplan.services.parties import party_key
from workplan.services.teams import TeamDetails


class TeamForm(EditForm):
    """A government team: name, policy priority, lead government and active years."""

    name = StringField(
        _l("Name"), validators=[InputRequired(_l("Give the team a name.")), Length(max=200)]
    )
    policy_priority = TextAreaField(
        _l("Policy priority"),
        validators=[
            InputRequired(_l("Say which policy priority gathers the team.")),
            Length(max=5000),
        ],
    )
    lead_government = SelectField(
        _l("Lead government"),
        choices=[],
        validate_choice=False,
        validators=[InputRequired(_l("Choose the government that leads the team."))],
    )
    first_year = WholeNumberField(
        _l("First year"), validators=[InputRequired(_l("Give the first year."))]
    )
    last_year = WholeNumberField(_l("Last year"), validators=[Optional()])
    submit = SubmitField(_l("Save team"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.lead_government.choices = government_choices(blank=_("Choose…"))

    @classmethod
    def starts_with(cls) -> dict:
        return {"first_year": utcnow().year}

    def load(self, team: GovernmentTeam) -> None:
        """Fill the fields the record's attributes do not match by name."""
        self.lead_government.data = party_key(team.lead_government)

    def details(self) -> TeamDetails:
        """What was typed, for the service to check."""
        return TeamDetails(
            name=self.name.data,
            policy_priority=self.policy_priority.data,
            lead_government=self.lead_government.data,
            first_year=self.first_year.data,
            last_year=self.last_year.data,
        )


class TeamMemberForm(RecordForm):
    """A government or organisation joining a team, and the year it joined."""

    party = SelectField(
        _l("Government or organisation"),
        choices=[],
        validate_choice=False,
        validators=[InputRequired(_l("Choose who joins the team."))],
    )
    joined_year = WholeNumberField(
        _l("Joined in"), validators=[InputRequired(_l("Give the year it joined."))]
    )
    submit = SubmitField(_l("Add member"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.party.choices = party_choices()


class LeaveForm(RecordForm):
    """The year a member left the team; one per member on the team's page."""

    left_year = WholeNumberField(
        _l("Left in"), validators=[InputRequired(_l("Give the year it left."))]
    )
    submit = SubmitField(_l("Mark as left"))
