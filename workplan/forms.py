"""Form pieces every feature shares.

The base form that puts a rule's refusal next to its field, an exact decimal field for money and
rates, the hidden version an edit carries, the choices of governments, organisations,
chairmanships and roundtables, and the secretariat's "Archived" list filter.
"""

import re
from decimal import Decimal, InvalidOperation

from flask import abort
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import IntegerField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired
from wtforms.widgets import HiddenInput

from workplan import permissions
from workplan.extensions import db
from workplan.formatting import lazy_gettext as _l
from workplan.models import Chairmanship, Government, Organisation, Roundtable
from workplan.numbers import MAX_INTEGER, bounded, record_id
from workplan.services import DomainError
from workplan.services.structure import party_key
from workplan.web import query_choice

_PLAIN_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")
_GROUPED_NUMBER = re.compile(r"-?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?")


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


def version_field(
    message: str = _l("This form lost its version. Reload the page and try again."),
) -> VersionField:
    """The hidden version an edit of a Versioned record carries, so a stale copy is refused."""
    return VersionField(validators=[InputRequired(message)])


def government_choices(blank: str | None = None) -> list[SelectChoice]:
    """Every government on record, by name, valued by its ISO3 key."""
    governments = db.session.scalars(
        select(Government).where(Government.archived_at.is_(None)).order_by(Government.name)
    )
    choices = [SelectChoice("", blank)] if blank else []
    return choices + [SelectChoice(party_key(g), f"{g.name} ({g.iso3})") for g in governments]


def party_choices(blank: str = _l("Choose…")) -> list[SelectChoice]:
    """Governments and organisations, in two groups, for members and donors."""
    organisations = db.session.scalars(
        select(Organisation).where(Organisation.archived_at.is_(None)).order_by(Organisation.name)
    )
    governments = [
        SelectChoice(c.value, c.label, optgroup=_("Governments")) for c in government_choices()
    ]
    partners = [
        SelectChoice(
            party_key(o),
            f"{o.name} ({o.acronym})" if o.acronym else o.name,
            optgroup=_("Organisations"),
        )
        for o in organisations
    ]
    return [SelectChoice("", blank), *governments, *partners]


def chairmanship_choices(blank: str = _l("Choose…")) -> list[SelectChoice]:
    """The chairmanships on record, latest first."""
    rows = db.session.scalars(
        select(Chairmanship)
        .where(Chairmanship.archived_at.is_(None))
        .order_by(Chairmanship.starts_on.desc())
    )
    return [SelectChoice("", blank)] + [SelectChoice(str(c.id), c.label) for c in rows]


def roundtable_choices(blank: str = _l("Choose…")) -> list[SelectChoice]:
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
        abort(403, _("Only the secretariat sees archived records."))
    return archived


def listed(model, archived: bool):
    """The condition for a list: the live records, or the archived ones under the filter."""
    return model.archived_at.is_not(None) if archived else model.archived_at.is_(None)
