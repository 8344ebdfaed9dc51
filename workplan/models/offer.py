"""Governments' offers: to co-chair a roundtable, to join a government team, or to put a theme
on the next chairmanship's agenda; each with its reason and the secretariat's answer."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workplan.extensions import db
from workplan.models.base import Demo, Timestamped, Versioned, exactly_one, one_of
from workplan.models.chairmanship import Chairmanship
from workplan.models.parties import Government
from workplan.models.roundtable import Roundtable
from workplan.models.team import GovernmentTeam
from workplan.models.types import UTCDateTime
from workplan.models.user import User

OFFER_KINDS = ("co_chair", "team", "theme")
# An offer waits for the secretariat's answer, unless its government withdraws it first.
OFFER_STATES = ("pending", "accepted", "declined", "withdrawn")


class Offer(Timestamped, Demo, Versioned, db.Model):
    """A government's offer, made by its focal point and answered by the secretariat."""

    __tablename__ = "offers"
    __audited__ = True
    __table_args__ = (
        one_of("kind", OFFER_KINDS, "kind_known"),
        one_of("state", OFFER_STATES, "state_known"),
        # What is offered is named by exactly one column, the one its kind calls for.
        exactly_one("roundtable_id", "team_id", "theme", name="one_subject"),
        CheckConstraint("(kind = 'co_chair') = (roundtable_id IS NOT NULL)", name="co_chair_of"),
        CheckConstraint("(kind = 'team') = (team_id IS NOT NULL)", name="team_joined"),
        CheckConstraint("length(reason) > 0", name="reason_given"),
        CheckConstraint("(state = 'pending') = (answered_at IS NULL)", name="answered_once"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    government_id: Mapped[int] = mapped_column(ForeignKey("governments.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    roundtable_id: Mapped[int | None] = mapped_column(ForeignKey("roundtables.id"), index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("government_teams.id"), index=True)
    # A theme proposed for a chairmanship's agenda, in the proposer's words.
    theme: Mapped[str | None] = mapped_column(String(200))
    chairmanship_id: Mapped[int | None] = mapped_column(ForeignKey("chairmanships.id"))
    reason: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(20), default="pending")
    offered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    answer: Mapped[str | None] = mapped_column(Text)
    # When the secretariat answered, or the government withdrew it.
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    government: Mapped[Government] = relationship()
    roundtable: Mapped[Roundtable | None] = relationship()
    team: Mapped[GovernmentTeam | None] = relationship()
    chairmanship: Mapped[Chairmanship | None] = relationship()
    offered_by: Mapped[User | None] = relationship(foreign_keys=[offered_by_id])
    answered_by: Mapped[User | None] = relationship(foreign_keys=[answered_by_id])

    def __str__(self) -> str:
        return self.subject

    @property
    def subject(self) -> str:
        """What is offered, in a few words: the roundtable, the team or the theme."""
        if self.roundtable is not None:
            return self.roundtable.code
        if self.team is not None:
            return self.team.name
        return self.theme or ""

    @property
    def is_pending(self) -> bool:
        return self.state == "pending"
