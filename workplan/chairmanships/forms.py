"""The chairmanship form: a chair's term, its chair governments, summit and opening balance."""

from wtforms import DateField, SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from workplan.forms import DecimalText, RecordForm, government_choices
from workplan.models import Chairmanship
from workplan.services.chairmanships import ChairmanshipDetails
from workplan.services.structure import party_key


class ChairmanshipForm(RecordForm):
    """A chair's term: chair governments, dates, theme, summit and opening balance."""

    label = StringField("Name", validators=[InputRequired("Give the chairmanship a name.")])
    chairs = SelectMultipleField(
        "Chair governments",
        choices=[],
        validate_choice=False,
        validators=[InputRequired("Choose the chair government.")],
    )
    starts_on = DateField(
        "First day of the term", validators=[InputRequired("Give the first day.")]
    )
    ends_on = DateField("Last day of the term", validators=[InputRequired("Give the last day.")])
    theme = TextAreaField("Theme", validators=[Optional(), Length(max=5000)])
    summit_city = StringField("Summit city", validators=[Optional(), Length(max=120)])
    summit_starts_on = DateField("Summit's first day", validators=[Optional()])
    summit_ends_on = DateField("Summit's last day", validators=[Optional()])
    opening_balance = DecimalText("Opening balance", validators=[Optional()])
    submit = SubmitField("Save chairmanship")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.chairs.choices = government_choices()

    def load(self, chairmanship: Chairmanship) -> None:
        """Fill the fields the record's attributes do not match by name."""
        self.chairs.data = [party_key(g) for g in chairmanship.chairs]

    def details(self) -> ChairmanshipDetails:
        """What was typed, for the service to check."""
        return ChairmanshipDetails(
            label=self.label.data,
            chairs=list(self.chairs.data or []),
            starts_on=self.starts_on.data,
            ends_on=self.ends_on.data,
            theme=self.theme.data,
            summit_city=self.summit_city.data,
            summit_starts_on=self.summit_starts_on.data,
            summit_ends_on=self.summit_ends_on.data,
            opening_balance=self.opening_balance.data,
        )
