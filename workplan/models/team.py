"""Government teams: states gathered around a policy priority, often over several years."""

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workplan.extensions import db
from workplan.models.base import Archivable, Demo, Timestamped, Versioned, exactly_one
from workplan.models.parties import Government, Organisation


class GovernmentTeam(Timestamped, Archivable, Demo, Versioned, db.Model):
    """A team led by one government, active from its first year to its last (or still)."""

    __tablename__ = "government_teams"
    __audited__ = True
    __table_args__ = (
        CheckConstraint("last_year IS NULL OR last_year >= first_year", name="years_in_order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    policy_priority: Mapped[str] = mapped_column(Text)
    lead_government_id: Mapped[int] = mapped_column(ForeignKey("governments.id"), index=True)
    first_year: Mapped[int] = mapped_column(Integer)
    last_year: Mapped[int | None] = mapped_column(Integer)

    lead_government: Mapped[Government] = relationship()
    memberships: Mapped[list["TeamMembership"]] = relationship(
        back_populates="team", cascade="all, delete-orphan", order_by="TeamMembership.joined_year"
    )

    def __str__(self) -> str:
        return self.name

    @property
    def active_years(self) -> str:
        """The years the team has been active, as delegates write them."""
        return f"{self.first_year}–{self.last_year}" if self.last_year else f"{self.first_year}–"


class TeamMembership(Timestamped, db.Model):
    """A government's or organisation's membership of a team, for the years it lasted."""

    __tablename__ = "team_memberships"
    __audited__ = True
    __table_args__ = (
        exactly_one("government_id", "organisation_id", name="one_member"),
        CheckConstraint("left_year IS NULL OR left_year >= joined_year", name="years_in_order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(
        ForeignKey("government_teams.id", ondelete="CASCADE"), index=True
    )
    government_id: Mapped[int | None] = mapped_column(ForeignKey("governments.id"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    joined_year: Mapped[int] = mapped_column(Integer)
    left_year: Mapped[int | None] = mapped_column(Integer)

    team: Mapped[GovernmentTeam] = relationship(back_populates="memberships")
    government: Mapped[Government | None] = relationship()
    organisation: Mapped[Organisation | None] = relationship()

    @property
    def party(self) -> Government | Organisation:
        """The government or organisation this membership is for."""
        return self.government or self.organisation

    def active_in(self, year: int) -> bool:
        """Whether the member belonged to the team in the given year."""
        return self.joined_year <= year and (self.left_year is None or year <= self.left_year)
