"""The forms for a multiannual work plan and its objectives."""

from wtforms import StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from workplan.formatting import lazy_gettext as _l
from workplan.forms import EditForm, WholeNumberField
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
