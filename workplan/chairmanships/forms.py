"""The chairmanship form: a chair's term, its chair governments, summit and opening balance."""

from wtforms import DateField, SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from workplan.formatting import lazy_gettext as _l
from workplan.forms import DecimalText, EditForm, government_choices
from workplan.models import Chairmanship
from workplan.services.budgets import BudgetLineDetails
from workplan.services.chairmanships import ChairmanshipDetails
from workplan.services.parties import party_key


class ChairmanshipForm(EditForm):
    """A chair's term: chair governments, dates, theme, summit and opening balance."""

    label = StringField(_l("Name"), validators=[InputRequired(_l("Give the chairmanship a name."))])
    chairs = SelectMultipleField(
        _l("Chair governments"),
        choices=[],
        validate_choice=False,
        validators=[InputRequired(_l("Choose the chair government."))],
    )
    starts_on = DateField(
        _l("First day of the term"), validators=[InputRequired(_l("Give the first day."))]
    )
    ends_on = DateField(
        _l("Last day of the term"), validators=[InputRequired(_l("Give the last day."))]
    )
    theme = TextAreaField(_l("Theme"), validators=[Optional(), Length(max=5000)])
    theme_fr = TextAreaField(
        _l("Theme in French"),
        validators=[Optional(), Length(max=5000)],
        description=_l("Shown to readers in French; left empty, the theme above is shown."),
    )
    theme_es = TextAreaField(
        _l("Theme in Spanish"),
        validators=[Optional(), Length(max=5000)],
        description=_l("Shown to readers in Spanish; left empty, the theme above is shown."),
    )
    summit_city = StringField(_l("Summit city"), validators=[Optional(), Length(max=120)])
    summit_starts_on = DateField(_l("Summit's first day"), validators=[Optional()])
    summit_ends_on = DateField(_l("Summit's last day"), validators=[Optional()])
    opening_balance = DecimalText(_l("Opening balance"), validators=[Optional()])
    submit = SubmitField(_l("Save chairmanship"))

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
            theme_fr=self.theme_fr.data,
            theme_es=self.theme_es.data,
            summit_city=self.summit_city.data,
            summit_starts_on=self.summit_starts_on.data,
            summit_ends_on=self.summit_ends_on.data,
            opening_balance=self.opening_balance.data,
        )


class BudgetLineForm(EditForm):
    """A line of the chairmanship's budget: its name in up to three languages and the amount
    required, in the reporting currency."""

    name = StringField(
        _l("Line"),
        validators=[InputRequired(_l("Name the line, such as “Summit”.")), Length(max=200)],
    )
    name_fr = StringField(_l("Line in French (optional)"), validators=[Optional(), Length(max=200)])
    name_es = StringField(
        _l("Line in Spanish (optional)"), validators=[Optional(), Length(max=200)]
    )
    amount = DecimalText(
        _l("Requirement"), validators=[InputRequired(_l("Give the amount required."))]
    )
    submit = SubmitField(_l("Save line"))

    def details(self) -> BudgetLineDetails:
        """What was typed, for the service to check."""
        return BudgetLineDetails(
            name=self.name.data,
            amount=self.amount.data,
            name_fr=self.name_fr.data,
            name_es=self.name_es.data,
        )
