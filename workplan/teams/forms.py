"""The forms for a government team and for its members over the years."""

from wtforms import IntegerField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from workplan.forms import RecordForm, government_choices, party_choices
from workplan.models import GovernmentTeam
from workplan.services.structure import TeamDetails, party_key


class TeamForm(RecordForm):
    """A government team: name, policy priority, lead government and active years."""

    name = StringField("Name", validators=[InputRequired("Give the team a name."), Length(max=200)])
    policy_priority = TextAreaField(
        "Policy priority",
        validators=[InputRequired("Say which policy priority gathers the team."), Length(max=5000)],
    )
    lead_government = SelectField(
        "Lead government",
        choices=[],
        validate_choice=False,
        validators=[InputRequired("Choose the government that leads the team.")],
    )
    first_year = IntegerField("First year", validators=[InputRequired("Give the first year.")])
    last_year = IntegerField("Last year", validators=[Optional()])
    submit = SubmitField("Save team")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.lead_government.choices = government_choices(blank="Choose…")

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
        "Government or organisation",
        choices=[],
        validate_choice=False,
        validators=[InputRequired("Choose who joins the team.")],
    )
    joined_year = IntegerField("Joined in", validators=[InputRequired("Give the year it joined.")])
    submit = SubmitField("Add member")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.party.choices = party_choices()


class LeaveForm(RecordForm):
    """The year a member left the team; one per member on the team's page."""

    left_year = IntegerField("Left in", validators=[InputRequired("Give the year it left.")])
    submit = SubmitField("Mark as left")
