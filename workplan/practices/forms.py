"""The good-practice library's forms: a practice, the secretariat's comment returning it, and a
government's word that it took one up; and a theme of the shared taxonomy."""

from wtforms import (
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from workplan import formatting
from workplan.formatting import lazy_gettext as _l
from workplan.forms import (
    EditForm,
    RecordForm,
    WholeNumberField,
    government_choices,
    theme_choices,
    version_field,
)
from workplan.models import SDG_TARGETS, Practice
from workplan.numbers import record_id
from workplan.services import parties, practices
from workplan.services.parties import party_key
from workplan.services.practices import PracticeDetails
from workplan.services.themes import ThemeDetails


def sdg_target_choices() -> list[SelectChoice]:
    return [SelectChoice(code, formatting.sdg_target(code)) for code in SDG_TARGETS]


class PracticeForm(EditForm):
    """A good practice: what was done, where, with whom, and where in the forum it was shared."""

    title = StringField(
        _l("Title"),
        validators=[InputRequired(_l("Give the practice a title.")), Length(max=300)],
    )
    summary = TextAreaField(
        _l("Summary"),
        validators=[InputRequired(_l("Say in a few lines what was done.")), Length(max=10_000)],
        description=_l("What was done, for whom, and what came of it."),
        render_kw={"rows": 6},
    )
    title_fr = StringField(_l("Title in French"), validators=[Optional(), Length(max=300)])
    title_es = StringField(_l("Title in Spanish"), validators=[Optional(), Length(max=300)])
    summary_fr = TextAreaField(
        _l("Summary in French"), validators=[Optional(), Length(max=10_000)], render_kw={"rows": 4}
    )
    summary_es = TextAreaField(
        _l("Summary in Spanish"),
        validators=[Optional(), Length(max=10_000)],
        render_kw={"rows": 4},
    )
    year = WholeNumberField(
        _l("Year it began"),
        validators=[InputRequired(_l("Give the year the practice began."))],
        render_kw={"inputmode": "numeric"},
    )
    countries = SelectMultipleField(_l("Countries"), choices=[], validate_choice=False)
    partners = SelectMultipleField(_l("Partners"), choices=[], validate_choice=False)
    themes = SelectMultipleField(_l("Themes"), choices=[], validate_choice=False)
    sdg_targets = SelectMultipleField(_l("SDG targets"), choices=[], validate_choice=False)
    origin = SelectField(_l("Shared in the forum at"), choices=[], validate_choice=False)
    links = TextAreaField(
        _l("Links"),
        validators=[Optional(), Length(max=5000)],
        description=_l("Web addresses, one a line: the practice's own pages, evaluations, papers."),
        render_kw={"rows": 3, "inputmode": "url"},
    )
    submit = SubmitField(_l("Save practice"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.countries.choices = government_choices()
        self.partners.choices = [
            SelectChoice(party_key(o), f"{o.name} ({o.acronym})" if o.acronym else o.name)
            for o in parties.organisations()
        ]
        self.themes.choices = theme_choices()
        self.sdg_targets.choices = sdg_target_choices()
        groups = {"meeting": _l("Meetings")}
        self.origin.choices = [SelectChoice("", _l("Not said"))] + [
            SelectChoice(key, words, optgroup=str(groups.get(group, group)))
            for key, words, group in practices.origins()
        ]

    def load(self, practice: Practice) -> None:
        """Fill the fields the record's attributes do not match by name."""
        self.countries.data = [party_key(g) for g in practice.countries]
        self.partners.data = [party_key(o) for o in practice.partners]
        self.themes.data = [str(t.id) for t in practice.themes]
        self.sdg_targets.data = [t.target for t in practice.sdg_targets]
        self.origin.data = practices.origin_key(practice)
        # What the practice already has stays offered, even archived since.
        if self.origin.data and self.origin.data not in {c.value for c in self.origin.choices}:
            self.origin.choices.append(SelectChoice(self.origin.data, str(practice.origin)))
        self.themes.choices = theme_choices(practice.themes)

    def details(self) -> PracticeDetails:
        """What was typed, for the service to check."""
        return PracticeDetails(
            title=self.title.data,
            summary=self.summary.data,
            year=self.year.data,
            title_fr=self.title_fr.data,
            title_es=self.title_es.data,
            summary_fr=self.summary_fr.data,
            summary_es=self.summary_es.data,
            countries=list(self.countries.data or []),
            partners=list(self.partners.data or []),
            themes=[record_id(value) for value in self.themes.data or []],
            sdg_targets=list(self.sdg_targets.data or []),
            origin=self.origin.data or None,
            links=self.links.data,
        )


class ReviewForm(RecordForm):
    """What a practice needs before it can be published, as the secretariat returns it."""

    comment = TextAreaField(
        _l("What it needs"),
        validators=[
            DataRequired(_l("Say what the practice needs before it can be published.")),
            Length(max=2000),
        ],
        render_kw={"rows": 3},
    )
    version = version_field()
    submit = SubmitField(_l("Return to its authors"))


class AdoptionForm(RecordForm):
    """A government's word that it took a practice up."""

    government = SelectField(
        _l("Government"),
        choices=[],
        validate_choice=False,
        validators=[InputRequired(_l("Choose the government that took it up."))],
    )
    year = WholeNumberField(
        _l("Year taken up"),
        validators=[InputRequired(_l("Give the year it was taken up."))],
        render_kw={"inputmode": "numeric"},
    )
    result = TextAreaField(
        _l("With what result"),
        validators=[Optional(), Length(max=2000)],
        render_kw={"rows": 3},
    )
    submit = SubmitField(_l("Record that we took it up"))

    def __init__(self, *args, governments, **kwargs):
        super().__init__(*args, **kwargs)
        self.government.choices = [
            SelectChoice(party_key(g), formatting.party_name(g)) for g in governments
        ]


class ThemeForm(EditForm):
    """A theme of the forum's work, in its three languages."""

    name = StringField(
        _l("Name"), validators=[InputRequired(_l("Name the theme.")), Length(max=120)]
    )
    name_fr = StringField(_l("Name in French"), validators=[Optional(), Length(max=120)])
    name_es = StringField(_l("Name in Spanish"), validators=[Optional(), Length(max=120)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])
    submit = SubmitField(_l("Save theme"))

    def details(self) -> ThemeDetails:
        """What was typed, for the service to check."""
        return ThemeDetails(
            name=self.name.data,
            name_fr=self.name_fr.data,
            name_es=self.name_es.data,
            description=self.description.data,
        )
