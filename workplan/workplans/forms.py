"""The forms for a multiannual work plan and its objectives."""

from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from workplan.formatting import lazy_gettext as _l
from workplan.forms import DecimalText, EditForm, RecordForm, WholeNumberField
from workplan.models import SDG_INDICATORS
from workplan.services.indicators import IndicatorDetails, sdg_indicator_name
from workplan.services.workplans import ObjectiveDetails, WorkPlanDetails


class WorkPlanForm(EditForm):
    """A work plan: title, first and last year, description."""

    title = StringField(
        _l("Title"), validators=[InputRequired(_l("Give the work plan a title.")), Length(max=200)]
    )
    first_year = WholeNumberField(
        _l("First year"), validators=[InputRequired(_l("Give the first year."))]
    )
    last_year = WholeNumberField(
        _l("Last year"), validators=[InputRequired(_l("Give the last year."))]
    )
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])
    submit = SubmitField(_l("Save work plan"))

    def details(self) -> WorkPlanDetails:
        """What was typed, for the service to check."""
        return WorkPlanDetails(
            title=self.title.data,
            first_year=self.first_year.data,
            last_year=self.last_year.data,
            description=self.description.data,
        )


class ObjectiveForm(EditForm):
    """An objective of a work plan: code, title, description."""

    code = StringField(
        _l("Code"), validators=[InputRequired(_l("Give the objective a code.")), Length(max=20)]
    )
    title = StringField(
        _l("Objective"),
        validators=[InputRequired(_l("Say what the objective is.")), Length(max=300)],
    )
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])
    submit = SubmitField(_l("Save objective"))

    def details(self) -> ObjectiveDetails:
        """What was typed, for the service to check."""
        return ObjectiveDetails(
            code=self.code.data, title=self.title.data, description=self.description.data
        )


class IndicatorForm(EditForm):
    """An indicator of an objective: what is measured, in what unit, which way is progress,
    from what baseline to what target."""

    name = StringField(
        _l("Indicator"),
        validators=[InputRequired(_l("Name the indicator.")), Length(max=300)],
    )
    unit = StringField(
        _l("Unit"),
        validators=[
            InputRequired(_l("Give its unit, such as “percent” or “USD”.")),
            Length(max=40),
        ],
        description=_l("Such as “percent of the amount sent”, “USD” or “countries”."),
    )
    direction = SelectField(
        _l("Progress is"),
        choices=[
            SelectChoice("down", _l("a falling value")),
            SelectChoice("up", _l("a rising value")),
        ],
    )
    baseline_value = DecimalText(_l("Baseline"), validators=[Optional()], is_money=False)
    baseline_year = WholeNumberField(_l("Baseline year"), validators=[Optional()])
    target_value = DecimalText(_l("Target"), validators=[Optional()], is_money=False)
    target_year = WholeNumberField(_l("Target year"), validators=[Optional()])
    sdg_indicator = SelectField(
        _l("SDG indicator"),
        choices=[
            SelectChoice("", _l("None")),
            *(SelectChoice(code, sdg_indicator_name(code)) for code in SDG_INDICATORS),
        ],
    )
    name_fr = StringField(_l("Name in French"), validators=[Optional(), Length(max=300)])
    name_es = StringField(_l("Name in Spanish"), validators=[Optional(), Length(max=300)])
    submit = SubmitField(_l("Save indicator"))

    def details(self) -> IndicatorDetails:
        """What was typed, for the service to check."""
        return IndicatorDetails(
            name=self.name.data,
            unit=self.unit.data,
            direction=self.direction.data,
            baseline_value=self.baseline_value.data,
            baseline_year=self.baseline_year.data,
            target_value=self.target_value.data,
            target_year=self.target_year.data,
            sdg_indicator=self.sdg_indicator.data or None,
            translations={"name_fr": self.name_fr.data, "name_es": self.name_es.data},
        )


class IndicatorValueForm(RecordForm):
    """The value an indicator was observed at in a year, and where the figure comes from."""

    year = WholeNumberField(
        _l("Year"), validators=[InputRequired(_l("Give the year the value is for."))]
    )
    value = DecimalText(
        _l("Value"), validators=[InputRequired(_l("Give the value."))], is_money=False
    )
    source = StringField(
        _l("Source"),
        validators=[
            InputRequired(_l("Say where the figure comes from, so others can check it.")),
            Length(max=300),
        ],
    )
    submit = SubmitField(_l("Record the value"))


class IndicatorValuesFileForm(RecordForm):
    """A CSV file of an indicator's values: year, value, source."""

    file = FileField(
        _l("CSV file"), validators=[FileRequired(_l("Choose the CSV file to import."))]
    )
    submit = SubmitField(_l("Import values"), id="import-submit")
