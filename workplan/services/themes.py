"""The shared taxonomy: themes the forum works on across the years, each named in the three
languages, and what the forum filed under each."""

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.orm import contains_eager, selectinload

from workplan.extensions import db
from workplan.models import Chairmanship, Commitment, Deliverable, Practice, Roundtable, Theme
from workplan.services import DomainError, records
from workplan.services.checks import required, text, translations


@dataclass
class ThemeDetails:
    """What the secretariat types about a theme."""

    name: str
    name_fr: str | None = None
    name_es: str | None = None
    description: str | None = None


def checked(details: ThemeDetails, current: Theme | None) -> dict:
    """Check a theme's names; the values to store."""
    name = required(details.name, _("Name the theme."), "name", 120)
    records.refuse_taken_name(
        Theme.name,
        name,
        current,
        "name",
        lambda same: _("%(name)s is already a theme.", name=same.name),
        lambda same: _(
            "%(name)s is already a theme (archived: restore it instead).", name=same.name
        ),
    )
    return {
        "name": name,
        **translations({"name_fr": details.name_fr, "name_es": details.name_es}, {"name": 120}),
        "description": text(details.description),
    }


def chosen(ids: list[int | None], kept=(), field: str = "themes") -> list[Theme]:
    """The themes a form chose, by name: live ones, and those the record already had (an
    archived theme stays on what was filed under it); an id that names none is refused."""
    wanted = list(dict.fromkeys(ids))
    if None in wanted:
        raise DomainError(_("Choose themes from the list."), field)
    already = [theme.id for theme in kept]
    themes = db.session.scalars(
        select(Theme).where(
            Theme.id.in_(wanted), or_(Theme.archived_at.is_(None), Theme.id.in_(already))
        )
    ).all()
    if len(themes) != len(wanted):
        raise DomainError(_("Choose themes from the list."), field)
    return sorted(themes, key=lambda theme: theme.name)


# A theme is never refused an archive: what was filed under it keeps it.
archive, restore = records.archive, records.restore


def live() -> list[Theme]:
    """The live themes, by name, for a form's choices or a list's filter."""
    return list(
        db.session.scalars(
            select(Theme).where(Theme.archived_at.is_(None)).order_by(Theme.name)
        ).all()
    )


def listing(archived: bool = False):
    """The themes, by name."""
    return select(Theme).where(records.listed(Theme, archived)).order_by(Theme.name)


def roundtables_under(theme: Theme) -> list[Roundtable]:
    """The live roundtables filed under a theme, the latest chairmanship first."""
    return list(
        db.session.scalars(
            select(Roundtable)
            .join(Roundtable.chairmanship)
            .where(Roundtable.themes.any(Theme.id == theme.id), Roundtable.archived_at.is_(None))
            .options(contains_eager(Roundtable.chairmanship))
            .order_by(Chairmanship.starts_on.desc(), Roundtable.number)
        ).all()
    )


def deliverables_under(theme: Theme) -> list[Deliverable]:
    """The live deliverables filed under a theme, the latest due first."""
    return list(
        db.session.scalars(
            select(Deliverable)
            .where(Deliverable.themes.any(Theme.id == theme.id), Deliverable.archived_at.is_(None))
            .options(selectinload(Deliverable.chairmanship))
            .order_by(Deliverable.due_on.desc(), Deliverable.id)
        ).all()
    )


def commitments_under(theme: Theme) -> list[Commitment]:
    """The live commitments filed under a theme, the soonest due first."""
    return list(
        db.session.scalars(
            select(Commitment)
            .where(Commitment.themes.any(Theme.id == theme.id), Commitment.archived_at.is_(None))
            .options(selectinload(Commitment.government), selectinload(Commitment.organisation))
            .order_by(Commitment.due_on, Commitment.id)
        ).all()
    )


def published_practices(theme: Theme) -> list[Practice]:
    """The published practices filed under a theme, the latest first."""
    return list(
        db.session.scalars(
            select(Practice)
            .where(
                Practice.themes.any(Theme.id == theme.id),
                Practice.state == "published",
                Practice.archived_at.is_(None),
            )
            .options(selectinload(Practice.countries))
            .order_by(Practice.year.desc(), Practice.id.desc())
        ).all()
    )
