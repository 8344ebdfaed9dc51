"""Form pieces every feature shares.

The base form that puts a rule's refusal next to its field, an exact decimal field for money and
rates, the hidden version an edit carries, the choices of governments, organisations,
chairmanships and roundtables, and the secretariat's "Archived" list filter.
"""

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from flask import request
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import IntegerField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, NumberRange, Optional
from wtforms.widgets import HiddenInput

from workplan import formatting
from workplan.countries import is_un_state
from workplan.formatting import clock, day, money
from workplan.formatting import lazy_gettext as _l
from workplan.models import utcnow
from workplan.numbers import MAX_INTEGER, bounded, record_id
from workplan.services import DomainError, chairmanships, parties, roundtables
from workplan.services import themes as theme_rules
from workplan.services.parties import party_key
from workplan.web import query_int

_NOT_SHOWN = ("SubmitField", "CSRFTokenField")
_PLAIN_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")
_GROUPED_NUMBER = re.compile(r"-?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?")


class WholeNumberField(IntegerField):
    """An integer typed or sent as plain digits, within an INTEGER column's range.

    WTForms' own field calls int(), which takes "1_000" and "٣" and fails past 4,300 digits.
    """

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        raw = valuelist[0]
        self.data = bounded(raw.strip() if isinstance(raw, str) else raw, -MAX_INTEGER)
        if self.data is None:
            raise ValueError(_("Write a whole number with the digits 0 to 9."))


class VersionField(WholeNumberField):
    """The version of the record the form was filled from, so a stale edit can be refused."""

    widget = HiddenInput()

    def set(self, version: int) -> None:
        """Carry another version, for a deliberate second save after a conflict."""
        self.data = version
        self.raw_data = [str(version)]


def percent_complete_field() -> WholeNumberField:
    """Percent complete, from 0 to 100, as progress and commitment reports take it."""
    return WholeNumberField(
        _l("Percent complete"),
        validators=[
            InputRequired(message=_l("Give the percent complete, from 0 to 100.")),
            NumberRange(0, 100, message=_l("Percent complete must be from 0 to 100.")),
        ],
        render_kw={"min": 0, "max": 100, "step": 1, "inputmode": "numeric"},
    )


def theme_choices(current=()) -> list[SelectChoice]:
    """The live themes, and those a record already has (archived since, they stay offered)."""
    themes = {t.id: t for t in theme_rules.live()}
    themes.update({t.id: t for t in current})
    return [
        SelectChoice(str(t.id), formatting.shown(t, "name"))
        for t in sorted(themes.values(), key=lambda theme: theme.name)
    ]


LOST_VERSION = _l("This form lost its version. Reload the page and try again.")


def version_field(message: str = LOST_VERSION) -> VersionField:
    """The hidden version an edit of a Versioned record carries, so a stale copy is refused."""
    return VersionField(validators=[InputRequired(message)])


class RecordForm(FlaskForm):
    """A form for one of the forum's records: filled from the record to edit it, and whose
    refusals from the forum's rules land next to the field they concern."""

    @classmethod
    def from_record(cls, record, **kwargs):
        """The form filled from a record as it stands, whatever was submitted."""
        form = cls(formdata=None, obj=record, **kwargs)
        form.load(record)
        return form

    def load(self, record) -> None:
        """Fill the fields that the record's attributes do not match by name."""

    def shown_values(self) -> dict[str, tuple[str, str]]:
        """Each visible field's label and value as a person reads them, by field name."""
        return {
            field.name: (str(field.label.text), _shown(field))
            for field in self
            if not isinstance(field.widget, HiddenInput) and field.type not in _NOT_SHOWN
        }

    def differences(self, saved) -> list[tuple[str, str, str]]:
        """Where a saved record and what was typed disagree: label, saved value, typed value."""
        typed = self.shown_values()
        rows = []
        for name, (label, value) in type(self).from_record(saved).shown_values().items():
            if name in typed and typed[name][1] != value:
                rows.append((label, value, typed[name][1]))
        return rows

    def refuse(self, error: DomainError) -> None:
        """Put the rule's sentence next to its field, or above the form when it names none."""
        target = self._fields.get(error.field) if error.field else None
        if target is None or isinstance(target.widget, HiddenInput):
            self.form_errors.append(error.message)
        else:
            target.errors = [*target.errors, error.message]


class EditForm(RecordForm):
    """A form that creates or edits a Versioned record: an edit carries the version it was
    opened from (compulsory once the form is made with for_record), a new record none."""

    version = VersionField(validators=[Optional()])

    @classmethod
    def for_new(cls):
        """The form for a new record, as submitted or as it starts (see `starts_with`)."""
        return cls(**cls.starts_with())

    @classmethod
    def starts_with(cls) -> dict:
        """What a new record's form is filled with before anyone types."""
        return {}

    @classmethod
    def for_record(cls, record, **kwargs):
        """The form to edit a record: as submitted, or filled from the record to be shown.

        Either way it must carry the record's version, so an edit from a stale copy is refused.
        """
        if request.method in ("POST", "PUT"):
            form = cls(**kwargs)
        else:
            form = cls.from_record(record, **kwargs)
        form.version.validators = [InputRequired(LOST_VERSION)]
        return form


def chairmanship_to_start() -> int | None:
    """The chairmanship a new record's form starts on: the one the page it was opened from
    chose, else the one in office."""
    chosen = query_int("chairmanship")
    if chosen is None:
        in_office = chairmanships.current_chairmanship(utcnow().date())
        chosen = in_office.id if in_office else None
    return chosen


def _shown(field) -> str:
    """A field's value in words: the chosen options' labels, a date the reader's way."""
    data = field.data
    if field.type in ("SelectField", "SelectMultipleField"):
        chosen = {str(value) for value in (data if isinstance(data, list) else [data])}
        labels = [str(choice.label) for choice in _choices(field) if str(choice.value) in chosen]
        return ", ".join(labels) or "—"
    if field.type == "BooleanField":
        return _("Yes") if data else _("No")
    if isinstance(data, datetime):
        return f"{day(data)} {clock(data)}"
    if isinstance(data, date):
        return day(data)
    if isinstance(data, Decimal):
        return money(data) if getattr(field, "is_money", True) else format(data.normalize(), "f")
    if data is None or data == "" or data == []:
        return "—"
    return str(data)


def _choices(field) -> list[SelectChoice]:
    """A select's choices, whether given flat, as pairs or grouped."""
    found = []
    choices = field.choices or []
    groups = choices.values() if isinstance(choices, dict) else [choices]
    for group in groups:
        for choice in group:
            found.append(choice if isinstance(choice, SelectChoice) else SelectChoice(*choice[:2]))
    return found


class DecimalText(StringField):
    """A number typed as text and read as an exact Decimal, never through a float.

    Thousands may be grouped with commas (250,000.50); the decimal mark is a point.
    """

    def __init__(self, label=None, validators=None, *, is_money: bool = True, **kwargs):
        kwargs.setdefault("render_kw", {"inputmode": "decimal", "autocomplete": "off"})
        super().__init__(label, validators, **kwargs)
        # An amount is read back to the cent; a rate as precisely as it was typed.
        self.is_money = is_money

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
                _("Write a number with a point for decimals, such as 250000 or 250000.50.")
            )
        try:
            self.data = Decimal(typed)
        except InvalidOperation as error:
            raise ValueError(_("Write a number, such as 250000 or 250000.50.")) from error

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return format(self.data, "f") if isinstance(self.data, Decimal) else ""


def optional_id(value) -> int | None:
    """A record id from a select, or None for the blank choice or anything that is not one."""
    return record_id(value)


def government_choices(blank: str | None = None, group: str | None = None) -> list[SelectChoice]:
    """Every government on record, valued by its ISO3 key, named in the reader's language:
    UN member and observer states first, then the territories the secretariat made parties."""
    choices = [SelectChoice("", blank)] if blank else []
    return choices + [
        SelectChoice(
            party_key(g),
            f"{formatting.party_name(g)} ({g.iso3})",
            optgroup=group if is_un_state(g.iso3) else _("Other territories"),
        )
        for g in parties.governments(formatting.locale())
    ]


def party_choices(blank: str = _l("Choose…")) -> list[SelectChoice]:
    """Governments and organisations, in groups, for members and donors."""
    governments = government_choices(group=_("Governments"))
    partners = [
        SelectChoice(
            party_key(o),
            f"{o.name} ({o.acronym})" if o.acronym else o.name,
            optgroup=_("Organisations"),
        )
        for o in parties.organisations()
    ]
    return [SelectChoice("", blank), *governments, *partners]


def chairmanship_choices(blank: str = _l("Choose…")) -> list[SelectChoice]:
    """The chairmanships on record, latest first."""
    return [SelectChoice("", blank)] + [
        SelectChoice(str(c.id), c.label) for c in chairmanships.listed()
    ]


def roundtable_choices(blank: str = _l("Choose…")) -> list[SelectChoice]:
    """The roundtables on record, grouped by chairmanship, latest first."""
    return [SelectChoice("", blank)] + [
        SelectChoice(str(rt.id), f"{rt.code}: {rt.title}", optgroup=rt.chairmanship.label)
        for rt in roundtables.listed()
    ]
