"""The forms of offers: a focal point's offer, and the secretariat's answer."""

from flask_babel import gettext as _
from wtforms import RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from workplan.formatting import lazy_gettext as _l
from workplan.forms import RecordForm, optional_id, version_field
from workplan.services.offers import REASON_MAX, THEME_MAX, OfferChoices, OfferDetails

KIND_CHOICES = [
    SelectChoice("co_chair", _l("Co-chair a roundtable")),
    SelectChoice("team", _l("Join a government team")),
    SelectChoice("theme", _l("Propose a theme for a chairmanship")),
]


class OfferForm(RecordForm):
    """What a government offers, and why."""

    kind = RadioField(
        _l("Your government offers to"),
        choices=KIND_CHOICES,
        validators=[InputRequired(_l("Choose what your government offers."))],
    )
    roundtable = SelectField(_l("Roundtable"), coerce=optional_id, validators=[Optional()])
    team = SelectField(_l("Government team"), coerce=optional_id, validators=[Optional()])
    theme = StringField(_l("Theme"), validators=[Optional(), Length(max=THEME_MAX)])
    chairmanship = SelectField(
        _l("For the chairmanship"), coerce=optional_id, validators=[Optional()]
    )
    reason = TextAreaField(
        _l("Why"),
        validators=[
            InputRequired(_l("Say in a few words why your government offers this.")),
            Length(max=REASON_MAX),
        ],
        render_kw={"rows": 4},
    )
    submit = SubmitField(_l("Send the offer"))

    def offering(self, open_to: OfferChoices) -> "OfferForm":
        """Offer what the government may offer today."""
        self.roundtable.choices = [SelectChoice("", _("Choose a roundtable"))] + [
            SelectChoice(str(r.id), f"{r.code}: {r.title}", optgroup=r.chairmanship.label)
            for r in open_to.roundtables
        ]
        self.team.choices = [SelectChoice("", _("Choose a team"))] + [
            SelectChoice(str(t.id), t.name) for t in open_to.teams
        ]
        self.chairmanship.choices = [SelectChoice("", _("Any coming chairmanship"))] + [
            SelectChoice(str(c.id), c.label) for c in open_to.chairmanships
        ]
        return self

    def details(self) -> OfferDetails:
        """What was typed, for the service to check; only the kind's own subject counts."""
        kind = self.kind.data
        return OfferDetails(
            kind=kind,
            roundtable_id=self.roundtable.data if kind == "co_chair" else None,
            team_id=self.team.data if kind == "team" else None,
            theme=self.theme.data if kind == "theme" else None,
            chairmanship_id=self.chairmanship.data if kind == "theme" else None,
            reason=self.reason.data,
        )


class AnswerForm(RecordForm):
    """The secretariat's answer to an offer."""

    decision = RadioField(
        _l("Answer"),
        choices=[SelectChoice("accept", _l("Accept")), SelectChoice("decline", _l("Decline"))],
        validators=[InputRequired(_l("Accept or decline the offer."))],
    )
    answer = TextAreaField(
        _l("A word to the government"),
        validators=[Optional(), Length(max=REASON_MAX)],
        render_kw={"rows": 3},
    )
    version = version_field()
    submit = SubmitField(_l("Send the answer"))
