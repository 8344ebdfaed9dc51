"""The forms for a pledge, its move to committed, and the payments that honour it."""

from flask import current_app
from flask_babel import gettext as _
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from workplan.formatting import lazy_gettext as _l
from workplan.formatting import lazy_kind, locale
from workplan.forms import (
    DecimalText,
    EditForm,
    RecordForm,
    chairmanship_choices,
    chairmanship_to_start,
    optional_id,
    party_choices,
    roundtable_choices,
    version_field,
)
from workplan.models import EARMARKS, PLEDGE_KINDS, Pledge, utcnow
from workplan.services import budgets
from workplan.services.parties import party_key
from workplan.services.pledges import InstalmentDetails, PaymentDetails, PledgeDetails
from workplan.validators import CurrencyCode


def budget_line_choices() -> list[SelectChoice]:
    """The budget lines of live chairmanships, grouped by chairmanship, after "None"."""
    language = locale()
    return [
        SelectChoice("", _("None")),
        *(
            SelectChoice(
                str(line.id),
                line.in_language("name", language),
                optgroup=line.chairmanship.label,
            )
            for line in budgets.choices()
        ),
    ]


def _rate_label() -> str:
    """The label of an optional rate field, naming the reporting currency."""
    return _("Rate to %(currency)s (optional)", currency=current_app.config["BASE_CURRENCY"])


class PledgeForm(EditForm):
    """A pledge: donor, chairmanship, amount and currency, kind, earmark, date, rate, notes."""

    donor = SelectField(
        _l("Donor"),
        choices=[],
        validate_choice=False,
        validators=[InputRequired(_l("Choose the government or organisation that pledged."))],
    )
    chairmanship = SelectField(
        _l("Chairmanship"),
        choices=[],
        coerce=optional_id,
        validate_choice=False,
        validators=[DataRequired(_l("Choose the chairmanship the pledge is made to."))],
    )
    amount = DecimalText(_l("Amount"), validators=[InputRequired(_l("Give the amount pledged."))])
    currency = StringField(
        _l("Currency"),
        validators=[InputRequired(_l("Give the currency's code.")), Length(max=3), CurrencyCode()],
        render_kw={"autocomplete": "off", "size": "4"},
    )
    kind = SelectField(_l("Kind"), choices=[SelectChoice(k, lazy_kind(k)) for k in PLEDGE_KINDS])
    in_kind_description = TextAreaField(
        _l("Service given in kind"), validators=[Optional(), Length(max=5000)]
    )
    earmark = SelectField(_l("For"), choices=[SelectChoice(e, lazy_kind(e)) for e in EARMARKS])
    earmark_roundtable = SelectField(
        _l("Earmarked roundtable"), choices=[], coerce=optional_id, validate_choice=False
    )
    earmark_activity = StringField(
        _l("Earmarked activity"), validators=[Optional(), Length(max=300)]
    )
    budget_line = SelectField(
        _l("Budget line"), choices=[], coerce=optional_id, validate_choice=False
    )
    pledged_on = DateField(
        _l("Pledged on"), validators=[InputRequired(_l("Give the day of the pledge."))]
    )
    rate_to_base = DecimalText(_l("Rate"), validators=[Optional()], is_money=False)
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=5000)])
    submit = SubmitField(_l("Save pledge"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.donor.choices = party_choices()
        self.chairmanship.choices = chairmanship_choices()
        self.earmark_roundtable.choices = roundtable_choices(blank=_("None"))
        self.budget_line.choices = budget_line_choices()
        self.rate_to_base.label.text = _rate_label()

    @classmethod
    def starts_with(cls) -> dict:
        return {
            "chairmanship": chairmanship_to_start(),
            "currency": current_app.config["BASE_CURRENCY"],
            "pledged_on": utcnow().date(),
        }

    def load(self, pledge: Pledge) -> None:
        """Fill the fields the record's attributes do not match by name."""
        self.donor.data = party_key(pledge.donor)
        self.chairmanship.data = pledge.chairmanship_id
        self.earmark_roundtable.data = pledge.earmark_roundtable_id
        self.budget_line.data = pledge.budget_line_id

    def details(self) -> PledgeDetails:
        """What was typed, for the service to check."""
        return PledgeDetails(
            donor=self.donor.data,
            chairmanship_id=self.chairmanship.data,
            amount=self.amount.data,
            currency=self.currency.data,
            kind=self.kind.data,
            in_kind_description=self.in_kind_description.data,
            earmark=self.earmark.data,
            earmark_roundtable_id=self.earmark_roundtable.data,
            earmark_activity=self.earmark_activity.data,
            pledged_on=self.pledged_on.data,
            rate_to_base=self.rate_to_base.data,
            notes=self.notes.data,
            budget_line_id=self.budget_line.data,
        )


class CommitForm(RecordForm):
    """The day the donor signed the agreement that commits the pledge."""

    committed_on = DateField(
        _l("Agreement signed on"),
        validators=[InputRequired(_l("Give the day the agreement was signed."))],
    )
    version = version_field()
    submit = SubmitField(_l("Mark as committed"))


class PaymentForm(RecordForm):
    """Money (or a service's value) received against a pledge."""

    amount = DecimalText(
        _l("Amount received"), validators=[InputRequired(_l("Give the amount received."))]
    )
    received_on = DateField(
        _l("Received on"), validators=[InputRequired(_l("Give the day the payment arrived."))]
    )
    rate_to_base = DecimalText(_l("Rate"), validators=[Optional()], is_money=False)
    reference = StringField(_l("Reference"), validators=[Optional(), Length(max=200)])
    submit = SubmitField(_l("Record payment"))

    def __init__(self, *args, currency: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if currency:
            self.amount.label.text = _("Amount received (%(currency)s)", currency=currency)
        self.rate_to_base.label.text = _rate_label()

    def details(self) -> PaymentDetails:
        """What was typed, for the service to check."""
        return PaymentDetails(
            amount=self.amount.data,
            received_on=self.received_on.data,
            rate_to_base=self.rate_to_base.data,
            reference=self.reference.data,
        )


class RateForm(RecordForm):
    """One month's rate of a currency to the reporting currency, and where it comes from."""

    currency = StringField(
        _l("Currency"),
        validators=[InputRequired(_l("Give the currency's code.")), Length(max=3), CurrencyCode()],
        render_kw={"autocomplete": "off", "size": "4"},
    )
    month = StringField(
        _l("Month"),
        validators=[InputRequired(_l("Give the month as year and month, such as 2026-03."))],
        render_kw={"type": "month", "placeholder": "2026-03"},
    )
    rate = DecimalText(_l("Rate"), validators=[InputRequired(_l("Give the rate."))], is_money=False)
    source = StringField(
        _l("Source"),
        validators=[InputRequired(_l("Say where the rate comes from.")), Length(max=200)],
    )
    submit = SubmitField(_l("Save rate"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.rate.label.text = _("%(base)s for one unit", base=current_app.config["BASE_CURRENCY"])


class RateImportForm(RecordForm):
    """A CSV file of rates, such as the UN operational rates of exchange."""

    file = FileField(
        _l("CSV file"), validators=[FileRequired(_l("Choose the CSV file to import."))]
    )
    # Ids of their own: the rate form on the same page has a "source" too.
    source = StringField(
        _l("Source, for rows that name none"),
        validators=[Optional(), Length(max=200)],
        id="import-source",
    )
    submit = SubmitField(_l("Import rates"), id="import-submit")


class InstalmentForm(RecordForm):
    """A part of the pledge falling due on a day."""

    # Ids of their own: the payment form on the same page has an "amount" too.
    amount = DecimalText(
        _l("Amount"), validators=[InputRequired(_l("Give the amount due."))], id="instalment-amount"
    )
    due_on = DateField(
        _l("Due on"),
        validators=[InputRequired(_l("Give the day the instalment is due."))],
        id="instalment-due_on",
    )
    submit = SubmitField(_l("Add instalment"), id="instalment-submit")

    def details(self) -> InstalmentDetails:
        """What was typed, for the service to check."""
        return InstalmentDetails(amount=self.amount.data, due_on=self.due_on.data)
