"""Governments and organisations: the forum's members, co-chairs, partners and donors."""

from sqlalchemy import CheckConstraint, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from workplan.extensions import db
from workplan.models.base import Archivable, Demo, Timestamped, Versioned, one_of

ORGANISATION_KINDS = (
    "observer",
    "un_agency",
    "regional_body",
    "foundation",
    "civil_society",
    "other",
)


class Government(Timestamped, Archivable, Versioned, db.Model):
    """A state, identified by its ISO 3166-1 alpha-3 code."""

    __tablename__ = "governments"
    __audited__ = True
    __table_args__ = (
        CheckConstraint(
            "length(iso3) = 3 AND upper(iso3) = iso3 AND lower(iso3) != iso3", name="iso3_code"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    iso3: Mapped[str] = mapped_column(String(3), unique=True)
    name: Mapped[str] = mapped_column(String(200))

    def __str__(self) -> str:
        return self.name


class Organisation(Timestamped, Archivable, Demo, Versioned, db.Model):
    """An observer or other donor: IOM, UNDP, the European Union, a foundation."""

    __tablename__ = "organisations"
    __audited__ = True
    __table_args__ = (one_of("kind", ORGANISATION_KINDS, "kind_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    acronym: Mapped[str | None] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(20), default="observer")
    description: Mapped[str | None] = mapped_column(Text)

    def __str__(self) -> str:
        return self.acronym or self.name
