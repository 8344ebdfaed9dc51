"""The forms for a roundtable and for the members of its team."""

from wtforms import (
    BooleanField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from workplan.formatting import lazy_gettext as _l
from workplan.forms import (
    EditForm,
    RecordForm,
    chairmanship_choices,
    chairmanship_to_start,
    government_choices,
    optional_id,
    party_choices,
    theme_choices,
)
from workplan.models import Roundtable
from workplan.numbers import record_id
from workplan.services.parties import party_key
from workplan.services.roundtables import RoundtableDetails
from workplan.validators import HttpUrl


class RoundtableForm(EditForm):
    """A roundtable: chairmanship, number, titles, background paper and co-chairs."""

    chairmanship = SelectField(
        _l("Chairmanship"),
        choices=[],
        coerce=optional_id,
        validate_choice=False,
        validators=[DataRequired(_l("Choose the chairmanship the roundtable belongs to."))],
    )
    # The service checks the length once a leading "RT" is taken off.
    number = StringField(
        _l("Number"), validators=[InputRequired(_l("Give the roundtable's number."))]
    )
    title = StringField(
        _l("Title"), validators=[InputRequired(_l("Give the roundtable's title.")), Length(max=400)]
    )
    title_fr = StringField(
        _l("Title in French"),
        validators=[Optional(), Length(max=400)],
        description=_l("Shown to readers in French; left empty, the title above is shown."),
    )
    title_es = StringField(
        _l("Title in Spanish"),
        validators=[Optional(), Length(max=400)],
        description=_l("Shown to readers in Spanish; left empty, the title above is shown."),
    )
    cluster_title = StringField(_l("Cluster title"), validators=[Optional(), Length(max=400)])
    background_paper_url = StringField(
        _l("Background paper link"),
        validators=[Optional(), Length(max=500), HttpUrl()],
        render_kw={"inputmode": "url"},
    )
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])
    co_chairs = SelectMultipleField(_l("Co-chairs"), choices=[], validate_choice=False)
    themes = SelectMultipleField(_l("Themes"), choices=[], validate_choice=False)
    co_chairs_publish = BooleanField(
        _l("The co-chairs publish this roundtable's meetings"),
        description=_l(
            "Co-chairs always draft their roundtable's meetings and agendas; ticked, they also "
            "publish them and keep them up to date once published."
        ),
    )
    submit = SubmitField(_l("Save roundtable"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.chairmanship.choices = chairmanship_choices()
        self.co_chairs.choices = government_choices()
        self.themes.choices = theme_choices()

    @classmethod
    def starts_with(cls) -> dict:
        return {"chairmanship": chairmanship_to_start()}

    def load(self, roundtable: Roundtable) -> None:
        """Fill the fields the record's attributes do not match by name."""
        self.chairmanship.data = roundtable.chairmanship_id
        self.co_chairs.data = [party_key(g) for g in roundtable.co_chairs]
        self.themes.data = [str(t.id) for t in roundtable.themes]
        self.themes.choices = theme_choices(roundtable.themes)

    def details(self) -> RoundtableDetails:
        """What was typed, for the service to check."""
        return RoundtableDetails(
            chairmanship_id=self.chairmanship.data,
            number=self.number.data,
            title=self.title.data,
            title_fr=self.title_fr.data,
            title_es=self.title_es.data,
            cluster_title=self.cluster_title.data,
            background_paper_url=self.background_paper_url.data,
            description=self.description.data,
            co_chairs=list(self.co_chairs.data or []),
            themes=[record_id(value) for value in self.themes.data or []],
            co_chairs_publish=bool(self.co_chairs_publish.data),
        )


class DescriptionForm(EditForm):
    """A roundtable's description, which its co-chairs keep as well as the secretariat."""

    description = TextAreaField(
        _l("Description"), validators=[Optional(), Length(max=5000)], render_kw={"rows": 10}
    )
    submit = SubmitField(_l("Save description"))

    def details(self) -> str | None:
        """What was typed."""
        return self.description.data


class MemberForm(RecordForm):
    """A government or a non-state partner to add to a roundtable's team."""

    party = SelectField(
        _l("Government or organisation"),
        choices=[],
        validate_choice=False,
        validators=[InputRequired(_l("Choose who joins the team."))],
    )
    submit = SubmitField(_l("Add to the team"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.party.choices = party_choices()
