"""The chairmanship form, and the pieces every form of the programme's structure shares.

Everything planned belongs to a chairmanship, so the shared pieces live here: the base form that
puts a rule's refusal next to its field, the choices of governments, organisations,
chairmanships and roundtables, an exact decimal field for money and rates, and the secretariat's
"Archived" list filter.
"""

import re
from decimal import Decimal, InvalidOperation

from flask import abort
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import (
    DateField,
    IntegerField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional
from wtforms.widgets import HiddenInput

from workplan import permissions
from workplan.extensions import db
from workplan.models import Chairmanship, Government, Organisation, Roundtable
from workplan.services import DomainError
from workplan.services.chairmanships import ChairmanshipDetails
from workplan.services.structure import party_key
from workplan.web import query_choice

_PLAIN_NUMBER = re.compile(r"-?\d+(\.\d+)?")
_GROUPED_NUMBER = re.compile(r"-?\d{1,3}(,\d{3})+(\.\d+)?")


class RecordForm(FlaskForm):
    """A form whose refusals from the forum's rules land next to the field they concern."""

    def refuse(self, error: DomainError) -> None:
        """Put the rule's sentence next to its field, or above the form when it names none."""
        target = self._fields.get(error.field) if error.field else None
        if target is None or isinstance(target.widget, HiddenInput):
            self.form_errors.append(error.message)
        else:
            target.errors = [*target.errors, error.message]


class DecimalText(StringField):
    """A number typed as text and read as an exact Decimal, never through a float.

    Thousands may be grouped with commas (250,000.50); the decimal mark is a point.
    """

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("render_kw", {"inputmode": "decimal", "autocomplete": "off"})
        super().__init__(label, validators, **kwargs)

    def process_formdata(self, valuelist):
        """Read the typed text as a Decimal, or say how to write it."""
        self.data = None
        typed = (valuelist[0] if valuelist else "").strip().replace(" ", "").replace("\u00a0", "")
        if not typed:
            return
        if _GROUPED_NUMBER.fullmatch(typed):
            typed = typed.replace(",", "")
        if not _PLAIN_NUMBER.fullmatch(typed):
            raise ValueError(
                "Write a number with a point for decimals, such as 250000 or 250000.50."
            )
        try:
            self.data = Decimal(typed)
        except InvalidOperation as error:
            raise ValueError("Write a number, such as 250000 or 250000.50.") from error

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return format(self.data, "f") if isinstance(self.data, Decimal) else ""


def optional_id(value) -> int | None:
    """A record id from a select, or None for the blank choice or anything that is not one."""
    if isinstance(value, int):
        return value
    text = str(value or "").strip()
    return int(text) if text.isdigit() else None


def version_field() -> IntegerField:
    """The hidden version an edit of a Versioned record carries, so a stale copy is refused."""
    return IntegerField(
        widget=HiddenInput(),
        validators=[InputRequired("This form lost its version. Reload the page and try again.")],
    )


def government_choices(blank: str | None = None) -> list[SelectChoice]:
    """Every government on record, by name, valued by its ISO3 key."""
    governments = db.session.scalars(
        select(Government).where(Government.archived_at.is_(None)).order_by(Government.name)
    )
    choices = [SelectChoice("", blank)] if blank else []
    return choices + [SelectChoice(party_key(g), f"{g.name} ({g.iso3})") for g in governments]


def party_choices(blank: str = "Choose…") -> list[SelectChoice]:
    """Governments and organisations, in two groups, for members and donors."""
    organisations = db.session.scalars(
        select(Organisation).where(Organisation.archived_at.is_(None)).order_by(Organisation.name)
    )
    governments = [
        SelectChoice(c.value, c.label, optgroup="Governments") for c in government_choices()
    ]
    partners = [
        SelectChoice(
            party_key(o),
            f"{o.name} ({o.acronym})" if o.acronym else o.name,
            optgroup="Organisations",
        )
        for o in organisations
    ]
    return [SelectChoice("", blank), *governments, *partners]


def chairmanship_choices(blank: str = "Choose…") -> list[SelectChoice]:
    """The chairmanships on record, latest first."""
    rows = db.session.scalars(
        select(Chairmanship)
        .where(Chairmanship.archived_at.is_(None))
        .order_by(Chairmanship.starts_on.desc())
    )
    return [SelectChoice("", blank)] + [SelectChoice(str(c.id), c.label) for c in rows]


def roundtable_choices(blank: str = "Choose…") -> list[SelectChoice]:
    """The roundtables on record, grouped by chairmanship, latest first."""
    rows = db.session.execute(
        select(Roundtable, Chairmanship.label)
        .join(Roundtable.chairmanship)
        .where(Roundtable.archived_at.is_(None))
        .order_by(Chairmanship.starts_on.desc(), Roundtable.number)
    ).all()
    return [SelectChoice("", blank)] + [
        SelectChoice(str(rt.id), f"{rt.code}: {rt.title}", optgroup=label) for rt, label in rows
    ]


def archived_filter() -> bool:
    """Whether a list shows archived records (?archived=1), a filter for the secretariat only."""
    archived = query_choice("archived", ("0", "1"), "0") == "1"
    if archived and not permissions.is_secretariat(current_user):
        abort(403, "Only the secretariat sees archived records.")
    return archived


def listed(model, archived: bool):
    """The condition for a list: the live records, or the archived ones under the filter."""
    return model.archived_at.is_not(None) if archived else model.archived_at.is_(None)


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
