"""The form for an observer, agency or other donor organisation."""

from wtforms import SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from workplan.formatting import lazy_gettext as _l
from workplan.formatting import lazy_kind
from workplan.forms import EditForm
from workplan.models import ORGANISATION_KINDS
from workplan.services.organisations import OrganisationDetails


class OrganisationForm(EditForm):
    """An organisation: name, acronym, kind and a description."""

    name = StringField(
        _l("Name"), validators=[InputRequired(_l("Give the organisation's name.")), Length(max=200)]
    )
    acronym = StringField(_l("Acronym"), validators=[Optional(), Length(max=40)])
    kind = SelectField(
        _l("Kind"),
        choices=[SelectChoice(k, lazy_kind(k)) for k in ORGANISATION_KINDS],
        default="observer",
    )
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])
    submit = SubmitField(_l("Save organisation"))

    def details(self) -> OrganisationDetails:
        """What was typed, for the service to check."""
        return OrganisationDetails(
            name=self.name.data,
            acronym=self.acronym.data,
            kind=self.kind.data,
            description=self.description.data,
        )
