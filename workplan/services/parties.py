"""Governments and organisations as parties: how a form names one, and the organisations.

Forms name a party by a key: a government by its ISO 3166-1 alpha-3 code (``gov:SWE``), an
organisation by its id (``org:12``), so a government can never be mistaken for an organisation
that happens to share its number.
"""

from flask_babel import gettext as _
from sqlalchemy import select

from workplan.countries import is_un_state, local_name, sort_key
from workplan.extensions import db
from workplan.models import Government, Organisation
from workplan.numbers import record_id
from workplan.services import DomainError

Party = Government | Organisation


def party_key(party: Party) -> str:
    """The value a form sends for a government or an organisation."""
    if isinstance(party, Government):
        return f"gov:{party.iso3}"
    return f"org:{party.id}"


def governments(language: str = "en") -> list[Government]:
    """The governments on record, as lists and choices offer them: UN member and observer
    states first, then other territories, each by its name in `language`."""
    listed = db.session.scalars(select(Government).where(Government.archived_at.is_(None))).all()
    return sorted(
        listed,
        key=lambda g: (not is_un_state(g.iso3), sort_key(local_name(g.iso3, g.name, language))),
    )


def organisations() -> list[Organisation]:
    """The organisations on record, by name."""
    return db.session.scalars(
        select(Organisation).where(Organisation.archived_at.is_(None)).order_by(Organisation.name)
    ).all()


def find_party(key: str, field: str) -> Party:
    """The government or organisation on record that a form value names."""
    kind, _colon, ident = (key or "").partition(":")
    record = None
    if kind == "gov" and len(ident) == 3:
        record = db.session.scalar(select(Government).where(Government.iso3 == ident.upper()))
    elif kind == "org" and (organisation_id := record_id(ident)) is not None:
        record = db.session.get(Organisation, organisation_id)
    if record is None:
        raise DomainError(
            _(
                "“%(value)s” is not a government or an organisation on record.",
                value=(key or "")[:40],
            ),
            field,
        )
    if record.archived_at is not None:
        raise DomainError(
            _("%(name)s is archived. Restore it before choosing it.", name=record.name), field
        )
    return record


def find_government(key: str, field: str, rule: str) -> Government:
    """The government a form value names; an organisation or an unknown value is refused.

    ``rule`` is the sentence that follows the refusal, such as "Only governments lead a
    government team."
    """
    try:
        party = find_party(key, field)
    except DomainError as error:
        raise DomainError(" ".join((error.message, rule)), field) from error
    if not isinstance(party, Government):
        refusal = _("%(name)s is an organisation.", name=party.name)
        raise DomainError(" ".join((refusal, rule)), field)
    return party


def find_governments(keys: list[str], field: str, rule: str) -> list[Government]:
    """The governments a multiple choice names, each once, in the order given."""
    found = [find_government(key, field, rule) for key in dict.fromkeys(keys)]
    # "gov:PHL" and "gov:phl" name one government: keep it once.
    return list({government.id: government for government in found}.values())


def find_parties(keys: list[str], field: str) -> list[Party]:
    """The governments and organisations a multiple choice names, each once, in the order
    given, however each was spelled ("org:5", "org:05")."""
    found = [find_party(key, field) for key in dict.fromkeys(keys)]
    return list({(type(party), party.id): party for party in found}.values())
