"""Roundtables: the thematic sessions of a chairmanship, prepared by co-chairs and a team."""

from sqlalchemy import Boolean, Column, ForeignKey, String, Table, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workplan.extensions import db
from workplan.models.base import (
    Archivable,
    Demo,
    Timestamped,
    Translated,
    Versioned,
    exactly_one,
)
from workplan.models.chairmanship import Chairmanship
from workplan.models.parties import Government, Organisation
from workplan.models.theme import Theme, roundtable_themes

# Only governments co-chair: the foreign key points at governments and nothing else.
roundtable_co_chairs = Table(
    "roundtable_co_chairs",
    db.metadata,
    Column("roundtable_id", ForeignKey("roundtables.id", ondelete="CASCADE"), primary_key=True),
    Column("government_id", ForeignKey("governments.id"), primary_key=True, index=True),
)


class Roundtable(Timestamped, Archivable, Demo, Translated, Versioned, db.Model):
    """A roundtable (RT 1.1, RT 2.2, some years RT 1a) of one chairmanship."""

    __tablename__ = "roundtables"
    __audited__ = True
    __audit_relations__ = ("co_chairs", "themes")
    __table_args__ = (UniqueConstraint("chairmanship_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    chairmanship_id: Mapped[int] = mapped_column(ForeignKey("chairmanships.id"), index=True)
    number: Mapped[str] = mapped_column(String(10))
    title: Mapped[str] = mapped_column(String(400))
    title_fr: Mapped[str | None] = mapped_column(String(400))
    title_es: Mapped[str | None] = mapped_column(String(400))
    cluster_title: Mapped[str | None] = mapped_column(String(400))
    background_paper_url: Mapped[str | None] = mapped_column(String(500))
    description: Mapped[str | None] = mapped_column(Text)
    # The secretariat publishes a roundtable's meetings unless it hands that to the co-chairs.
    co_chairs_publish: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    chairmanship: Mapped[Chairmanship] = relationship(back_populates="roundtables")
    co_chairs: Mapped[list[Government]] = relationship(
        secondary=roundtable_co_chairs, order_by=Government.name
    )
    themes: Mapped[list[Theme]] = relationship(secondary=roundtable_themes, order_by=Theme.name)
    members: Mapped[list["RoundtableMember"]] = relationship(
        back_populates="roundtable", cascade="all, delete-orphan"
    )

    def __str__(self) -> str:
        return f"RT {self.number}"

    @property
    def code(self) -> str:
        """The short name delegates use: RT 1.1."""
        return f"RT {self.number}"

    @classmethod
    def title_column(cls, language: str):
        """The title in a language, for a query: the translation where there is one, else the
        original."""
        return cls.column_in("title", language)


# What a government co-chairs, for the co-chairs' rights (see permissions.co_chairs).
Government.co_chaired_roundtables = relationship(
    Roundtable, secondary=roundtable_co_chairs, viewonly=True
)


class RoundtableMember(Timestamped, db.Model):
    """A government or organisation (a non-state partner) on a roundtable's team."""

    __tablename__ = "roundtable_members"
    __audited__ = True
    __table_args__ = (
        exactly_one("government_id", "organisation_id", name="one_member"),
        UniqueConstraint("roundtable_id", "government_id"),
        UniqueConstraint("roundtable_id", "organisation_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    roundtable_id: Mapped[int] = mapped_column(
        ForeignKey("roundtables.id", ondelete="CASCADE"), index=True
    )
    government_id: Mapped[int | None] = mapped_column(ForeignKey("governments.id"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)

    roundtable: Mapped[Roundtable] = relationship(back_populates="members")
    government: Mapped[Government | None] = relationship()
    organisation: Mapped[Organisation | None] = relationship()

    @property
    def party(self) -> Government | Organisation:
        """The government or organisation this membership is for."""
        return self.government or self.organisation
