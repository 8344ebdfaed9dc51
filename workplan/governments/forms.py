"""The secretariat's form for a government: its ISO 3166-1 alpha-3 code and its name."""

from wtforms import StringField
from wtforms.validators import DataRequired, Length

from workplan.formatting import lazy_gettext as _l
from workplan.forms import EditForm
from workplan.services.governments import GovernmentDetails


class GovernmentForm(EditForm):
    """A state of the forum."""

    iso3 = StringField(
        _l("ISO 3166-1 alpha-3 code"),
        validators=[
            DataRequired(message=_l("Give the three-letter code, such as SWE.")),
            Length(min=3, max=3, message=_l("The code has exactly three letters, such as SWE.")),
        ],
    )
    name = StringField(
        _l("Name"),
        validators=[DataRequired(message=_l("Give the government's name.")), Length(max=200)],
    )

    def details(self) -> GovernmentDetails:
        """What was typed, for the service to check."""
        return GovernmentDetails(iso3=self.iso3.data, name=self.name.data)
