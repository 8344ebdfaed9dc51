"""Deliverables: the secretariat assigns work to a roundtable or a team and its governments."""

from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.exc import StaleDataError

from workplan.extensions import db
from workplan.models import (
    AuditEvent,
    Chairmanship,
    Deliverable,
    Government,
    GovernmentTeam,
    Objective,
    ProgressUpdate,
    Roundtable,
    utcnow,
)
from workplan.services import DomainError, StaleEdit, records
from workplan.services.progress import OPEN_STATUSES

OWNER_KINDS = ("roundtable", "team")


@dataclass
class DeliverableFields:
    """What the secretariat sets on a deliverable; progress is reported separately."""

    title: str
    chairmanship_id: int
    owner_kind: str
    owner_id: int
    due_on: date
    government_ids: list[int] = field(default_factory=list)
    description: str | None = None
    objective_id: int | None = None


def _live(model, record_id: int | None, field_name: str, refusal: str):
    """A record that exists and is not archived, or the refusal as a DomainError at the field."""
    record = db.session.get(model, record_id) if record_id else None
    if record is None or record.archived_at is not None:
        raise DomainError(refusal, field_name)
    return record


def _apply(deliverable: Deliverable, fields: DeliverableFields) -> None:
    """Check the fields against the forum's records and copy them onto the deliverable."""
    # Everything is read and checked before anything is set, so no half-made change is flushed.
    title = (fields.title or "").strip()
    if not title:
        raise DomainError(_("Give the deliverable a title."), "title")
    chairmanship = _live(
        Chairmanship,
        fields.chairmanship_id,
        "chairmanship",
        _("Choose a chairmanship from the list."),
    )
    if fields.owner_kind not in OWNER_KINDS:
        raise DomainError(_("The owner is a roundtable or a government team."), "owner")
    roundtable = team = None
    if fields.owner_kind == "roundtable":
        roundtable = _live(
            Roundtable, fields.owner_id, "owner", _("Choose a roundtable or a team from the list.")
        )
        # A roundtable exists within one chairmanship; its work cannot belong to another.
        if roundtable.chairmanship_id != chairmanship.id:
            raise DomainError(
                _(
                    "%(code)s belongs to %(its_chairmanship)s, not to %(chairmanship)s: choose "
                    "one of that chairmanship's roundtables or a team.",
                    code=roundtable.code,
                    its_chairmanship=roundtable.chairmanship.label,
                    chairmanship=chairmanship.label,
                ),
                "owner",
            )
    else:
        team = _live(
            GovernmentTeam,
            fields.owner_id,
            "owner",
            _("Choose a roundtable or a team from the list."),
        )
    objective = None
    if fields.objective_id:
        objective = _live(
            Objective, fields.objective_id, "objective", _("Choose an objective from the list.")
        )
    ids = sorted(set(fields.government_ids or []))
    if not ids:
        raise DomainError(_("Name at least one responsible government."), "responsible_governments")
    governments = db.session.scalars(select(Government).where(Government.id.in_(ids))).all()
    already = {g.id for g in deliverable.responsible_governments} if deliverable.id else set()
    # An archived government may stay on work it already had, but is not given new work.
    usable = [g for g in governments if g.archived_at is None or g.id in already]
    if len(usable) != len(ids):
        raise DomainError(
            _("Only governments on the forum's list can be responsible."), "responsible_governments"
        )
    deliverable.title = title
    deliverable.description = (fields.description or "").strip() or None
    deliverable.chairmanship = chairmanship
    deliverable.roundtable, deliverable.team = roundtable, team
    deliverable.objective = objective
    deliverable.due_on = fields.due_on
    deliverable.responsible_governments = sorted(usable, key=lambda g: g.name)


def create_deliverable(fields: DeliverableFields) -> Deliverable:
    """Assign a new deliverable to a roundtable or team and its responsible governments."""
    deliverable = Deliverable(status="planned", percent_complete=0)
    _apply(deliverable, fields)
    db.session.add(deliverable)
    db.session.flush()
    return deliverable


def update_deliverable(
    deliverable: Deliverable, fields: DeliverableFields, version: int | None
) -> Deliverable:
    """Change what a deliverable is, who owns it and when it is due, from the version seen."""
    records.check_version(deliverable, version)
    if deliverable.status == "carried_over":
        raise DomainError(_("This deliverable was carried over; edit its successor instead."))
    _apply(deliverable, fields)
    # A change to the responsible governments alone touches no column of the row; writing the
    # row anyway raises the version, so a concurrent edit of the governments is also caught.
    deliverable.updated_at = utcnow()
    try:
        db.session.flush()
    except StaleDataError as error:
        db.session.rollback()
        raise StaleEdit(db.session.get(Deliverable, deliverable.id)) from error
    return deliverable


def archive_deliverable(deliverable: Deliverable) -> None:
    """Hide a deliverable from lists and pages; its timeline stays."""
    records.archive(deliverable)
    db.session.flush()


def restore_deliverable(deliverable: Deliverable) -> None:
    """Bring an archived deliverable back."""
    records.restore(deliverable)
    db.session.flush()


def last_change(deliverable: Deliverable) -> AuditEvent | None:
    """The latest recorded change of the deliverable itself: who saved it, and when."""
    return db.session.scalar(
        select(AuditEvent)
        .where(AuditEvent.record_type == "Deliverable", AuditEvent.record_id == deliverable.id)
        .options(selectinload(AuditEvent.user))
        .order_by(AuditEvent.id.desc())
        .limit(1)
    )


def for_page(deliverable_id: int) -> Deliverable | None:
    """A deliverable with everything its page shows about it, in two queries."""
    return db.session.scalar(
        select(Deliverable)
        .where(Deliverable.id == deliverable_id)
        .options(
            joinedload(Deliverable.chairmanship),
            joinedload(Deliverable.roundtable),
            joinedload(Deliverable.team),
            joinedload(Deliverable.objective).joinedload(Objective.work_plan),
            joinedload(Deliverable.predecessor),
            joinedload(Deliverable.successor).joinedload(Deliverable.chairmanship),
            selectinload(Deliverable.responsible_governments),
        )
    )


def lineage(deliverable: Deliverable) -> list[Deliverable]:
    """The deliverables this one was carried over from, nearest first, in one query."""
    # The query runs even without a predecessor (it finds nothing), so every deliverable's page
    # costs the same.
    chain = (
        select(Deliverable.id, Deliverable.predecessor_id)
        .where(Deliverable.id == deliverable.predecessor_id)
        .cte("chain", recursive=True)
    )
    # UNION, not UNION ALL: a malformed loop of predecessors ends instead of recursing forever.
    chain = chain.union(
        select(Deliverable.id, Deliverable.predecessor_id).join(
            chain, Deliverable.id == chain.c.predecessor_id
        )
    )
    found = {
        d.id: d
        for d in db.session.scalars(
            select(Deliverable)
            .join(chain, Deliverable.id == chain.c.id)
            .options(joinedload(Deliverable.chairmanship))
        )
    }
    ordered, next_id = [], deliverable.predecessor_id
    while next_id in found:
        ordered.append(found.pop(next_id))
        next_id = ordered[-1].predecessor_id
    return ordered


@dataclass(frozen=True)
class Timeline:
    """A deliverable's newest progress updates, and how many it has in all."""

    updates: list[ProgressUpdate]
    total: int

    @property
    def folded(self) -> int:
        """How many older updates are not among these."""
        return self.total - len(self.updates)

    def newest(self, count: int) -> "Timeline":
        """The same timeline with only its `count` newest updates."""
        return Timeline(self.updates[:count], self.total)


# A page shows this many updates of each timeline; the rest are a link away, so a deliverable
# with years of history still loads fast.
ON_PAGE = 10


def timeline(deliverables: list[Deliverable], latest: int = ON_PAGE) -> dict[int, Timeline]:
    """The newest `latest` progress updates of several deliverables, with totals, in one query."""
    ids = [d.id for d in deliverables]
    newest_first = (ProgressUpdate.created_at.desc(), ProgressUpdate.id.desc())
    ranked = (
        select(
            ProgressUpdate.id,
            func.row_number()
            .over(partition_by=ProgressUpdate.deliverable_id, order_by=newest_first)
            .label("rank"),
            func.count().over(partition_by=ProgressUpdate.deliverable_id).label("total"),
        )
        .where(ProgressUpdate.deliverable_id.in_(ids))
        .subquery()
    )
    rows = db.session.execute(
        select(ProgressUpdate, ranked.c.total)
        .join(ranked, ranked.c.id == ProgressUpdate.id)
        .where(ranked.c.rank <= latest)
        .options(joinedload(ProgressUpdate.user))
        .order_by(*newest_first)
    ).all()
    updates: dict[int, list[ProgressUpdate]] = {i: [] for i in ids}
    totals = dict.fromkeys(ids, 0)
    for update, total in rows:
        updates[update.deliverable_id].append(update)
        totals[update.deliverable_id] = total
    return {i: Timeline(updates[i], totals[i]) for i in ids}


def history(deliverable: Deliverable, newest_first: bool = True):
    """Every progress update of a deliverable, as a query to page through or export."""
    order = (ProgressUpdate.created_at, ProgressUpdate.id)
    return (
        select(ProgressUpdate)
        .where(ProgressUpdate.deliverable_id == deliverable.id)
        .options(joinedload(ProgressUpdate.user))
        .order_by(*(column.desc() for column in order) if newest_first else order)
    )


def open_in(chairmanship: Chairmanship) -> list[Deliverable]:
    """A chairmanship's deliverables still expected (planned, in progress, at risk), by due date."""
    return db.session.scalars(
        select(Deliverable)
        .where(
            Deliverable.chairmanship_id == chairmanship.id,
            Deliverable.status.in_(OPEN_STATUSES),
            Deliverable.archived_at.is_(None),
        )
        .options(
            selectinload(Deliverable.roundtable),
            selectinload(Deliverable.team),
            selectinload(Deliverable.responsible_governments),
        )
        .order_by(Deliverable.due_on, Deliverable.id)
    ).all()


def carried_from(chairmanship: Chairmanship) -> list[Deliverable]:
    """The successors of a chairmanship's carried-over deliverables, with their predecessors."""
    predecessor_ids = select(Deliverable.id).where(Deliverable.chairmanship_id == chairmanship.id)
    return db.session.scalars(
        select(Deliverable)
        .where(Deliverable.predecessor_id.in_(predecessor_ids))
        .options(
            selectinload(Deliverable.predecessor),
            selectinload(Deliverable.chairmanship),
            selectinload(Deliverable.responsible_governments),
        )
        .order_by(Deliverable.due_on, Deliverable.id)
    ).all()
