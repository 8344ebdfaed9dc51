"""Progress on deliverables: updates with a permanent history, bulk updates, carry-over."""

from collections.abc import Callable
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from workplan.extensions import db
from workplan.models import (
    Chairmanship,
    Deliverable,
    ProgressUpdate,
    User,
    utcnow,
)
from workplan.models.deliverable import CLOSED_STATUSES
from workplan.services import DomainError, StaleEdit, flush_or_stale

# A person reports these; carried_over is set only by carrying work into the next chairmanship.
REPORTABLE_STATUSES = ("planned", "in_progress", "at_risk", "completed", "dropped")
OPEN_STATUSES = ("planned", "in_progress", "at_risk")
MAX_COMMENT = 2000


@dataclass
class ProgressChange:
    """What someone wants a deliverable to become, and the version they saw."""

    deliverable_id: int
    status: str
    percent: int
    comment: str = ""
    version: int | None = None
    errors: list[str] = field(default_factory=list)


def change_problems(
    deliverable: Deliverable, change: ProgressChange
) -> list[tuple[str | None, str]]:
    """Every reason the change cannot be applied, each with the form field it concerns."""
    problems: list[tuple[str | None, str]] = []
    if deliverable.status == "carried_over":
        problems.append(
            (None, _("This deliverable was carried over; report progress on its successor."))
        )
    if change.status not in REPORTABLE_STATUSES:
        problems.append(
            (
                "status",
                _(
                    "“%(status)s” is not a status you can report; use one of: %(statuses)s.",
                    status=change.status,
                    statuses=", ".join(REPORTABLE_STATUSES),
                ),
            )
        )
    if not isinstance(change.percent, int) or not 0 <= change.percent <= 100:
        problems.append(
            ("percent_complete", _("Percent complete must be a whole number from 0 to 100."))
        )
    elif change.status == "completed" and change.percent != 100:
        problems.append(("percent_complete", _("A completed deliverable is 100 percent complete.")))
    comment = (change.comment or "").strip()
    if change.status == "dropped" and not comment:
        problems.append(("comment", _("Say in the comment why the deliverable is dropped.")))
    if len(comment) > MAX_COMMENT:
        problems.append(
            ("comment", _("Keep the comment under %(count)s characters.", count=MAX_COMMENT))
        )
    if (
        not problems
        and change.status == deliverable.status
        and change.percent == deliverable.percent_complete
        and not comment
    ):
        problems.append((None, _("Nothing changed: give a new status or percent, or a comment.")))
    return problems


def check_change(deliverable: Deliverable, change: ProgressChange) -> list[str]:
    """Every reason the change cannot be applied, in words (empty when it can)."""
    return [message for _field, message in change_problems(deliverable, change)]


class ProgressRefused(DomainError):
    """A progress update broke the rules; `problems` says which field each reason concerns."""

    def __init__(self, problems: list[tuple[str | None, str]]):
        super().__init__(" ".join(message for _field, message in problems), problems[0][0])
        self.problems = problems


def update_progress(deliverable: Deliverable, user: User | None, change: ProgressChange):
    """Apply one progress update and add it to the deliverable's timeline."""
    if change.version is not None and change.version != deliverable.version:
        raise StaleEdit(deliverable)
    problems = change_problems(deliverable, change)
    if problems:
        raise ProgressRefused(problems)
    update = ProgressUpdate(
        deliverable=deliverable,
        user=user,
        old_status=deliverable.status,
        old_percent=deliverable.percent_complete,
        new_status=change.status,
        new_percent=change.percent,
        comment=(change.comment or "").strip() or None,
    )
    deliverable.status = change.status
    deliverable.percent_complete = change.percent
    # The row is written even when only a comment is new, so its version check runs: an update
    # made on a state someone has since changed never ends the timeline on a stale state.
    deliverable.updated_at = utcnow()
    db.session.add(update)
    # Someone else's update landing between our read and our write is refused here.
    flush_or_stale(deliverable)
    return update


def load_for_bulk(changes: list[ProgressChange]) -> dict[int, Deliverable]:
    """The deliverables a bulk update names, loaded in one query."""
    ids = {c.deliverable_id for c in changes}
    rows = db.session.scalars(
        select(Deliverable)
        .where(Deliverable.id.in_(ids), Deliverable.archived_at.is_(None))
        .options(selectinload(Deliverable.responsible_governments))
    ).all()
    return {d.id: d for d in rows}


def check_bulk(
    changes: list[ProgressChange], may_update: Callable[[Deliverable], bool]
) -> tuple[list[ProgressChange], bool]:
    """Validate every row of a bulk update; the flag says whether all of them can apply.

    ``may_update`` answers whether the person may report on a deliverable (the rule is
    permissions.can_update_progress; the caller asks it).
    """
    deliverables = load_for_bulk(changes)
    seen = set()
    for change in changes:
        change.errors = []
        deliverable = deliverables.get(change.deliverable_id)
        if deliverable is None:
            change.errors.append(
                _(
                    "There is no deliverable number %(number)s.",
                    number=change.deliverable_id,
                )
            )
            continue
        if change.deliverable_id in seen:
            change.errors.append(_("This deliverable appears twice; keep one row for it."))
        seen.add(change.deliverable_id)
        if not may_update(deliverable):
            change.errors.append(_("Your government is not responsible for this deliverable."))
            continue
        if change.version is not None and change.version != deliverable.version:
            change.errors.append(
                _("Someone updated this deliverable after your list was made; download it again.")
            )
            continue
        change.errors.extend(check_change(deliverable, change))
    return changes, all(not c.errors for c in changes)


def apply_bulk(
    user: User, changes: list[ProgressChange], may_update: Callable[[Deliverable], bool]
) -> list[ProgressUpdate]:
    """Apply a validated bulk update: every row or, on any problem, none."""
    changes, valid = check_bulk(changes, may_update)
    if not valid:
        raise DomainError(_("Some rows cannot be applied; nothing was changed."))
    deliverables = load_for_bulk(changes)
    return [update_progress(deliverables[c.deliverable_id], user, c) for c in changes]


def next_chairmanship(chairmanship: Chairmanship) -> Chairmanship | None:
    """The chairmanship that follows this one in date order."""
    return db.session.scalar(
        select(Chairmanship)
        .where(Chairmanship.starts_on > chairmanship.starts_on, Chairmanship.archived_at.is_(None))
        .order_by(Chairmanship.starts_on)
        .limit(1)
    )


def carry_over(
    chairmanship: Chairmanship, successor_chair: Chairmanship, user: User | None
) -> list[Deliverable]:
    """Carry open deliverables into the next chairmanship, linking each to its predecessor."""
    if successor_chair.id == chairmanship.id:
        raise DomainError(_("Choose the next chairmanship, not the same one."))
    if successor_chair.starts_on <= chairmanship.starts_on:
        raise DomainError(_("Deliverables can only be carried forward, into a later chairmanship."))
    open_ones = db.session.scalars(
        select(Deliverable)
        .where(
            Deliverable.chairmanship_id == chairmanship.id,
            Deliverable.status.in_(OPEN_STATUSES),
            Deliverable.archived_at.is_(None),
        )
        .options(
            selectinload(Deliverable.responsible_governments), selectinload(Deliverable.themes)
        )
        .order_by(Deliverable.id)
    ).all()
    successors = []
    for old in open_ones:
        new = Deliverable(
            chairmanship=successor_chair,
            objective_id=old.objective_id,
            roundtable_id=old.roundtable_id,
            team_id=old.team_id,
            predecessor=old,
            title=old.title,
            description=old.description,
            due_on=max(old.due_on, successor_chair.starts_on),
            status=old.status,
            percent_complete=old.percent_complete,
            is_demo=old.is_demo,
        )
        new.responsible_governments = list(old.responsible_governments)
        new.themes = list(old.themes)
        db.session.add(new)
        db.session.add(
            ProgressUpdate(
                deliverable=old,
                user=user,
                old_status=old.status,
                old_percent=old.percent_complete,
                new_status="carried_over",
                new_percent=old.percent_complete,
                comment=f"Carried over to {successor_chair.label}.",
            )
        )
        db.session.add(
            ProgressUpdate(
                deliverable=new,
                user=user,
                old_status=None,
                old_percent=None,
                new_status=new.status,
                new_percent=new.percent_complete,
                comment=f"Carried over from {chairmanship.label}.",
            )
        )
        old.status = "carried_over"
        successors.append(new)
    # A deliverable changed meanwhile refuses the whole move, as a stale edit of the term's work.
    flush_or_stale(chairmanship)
    return successors


def is_closed(status: str) -> bool:
    """Whether nothing more is expected of a deliverable in this status."""
    return status in CLOSED_STATUSES
