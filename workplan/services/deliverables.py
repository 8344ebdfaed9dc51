"""Deliverables: the secretariat assigns work to a roundtable or a team and its governments."""

from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import Select, case, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from workplan.extensions import db
from workplan.models import (
    Chairmanship,
    Deliverable,
    Government,
    GovernmentTeam,
    Objective,
    ProgressUpdate,
    Roundtable,
    WorkPlan,
    deliverable_governments,
)
from workplan.models.deliverable import DELIVERABLE_STATUSES
from workplan.services import DomainError, parties, records, themes
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
    theme_ids: list[int | None] = field(default_factory=list)


def _live(model, record_id: int | None, field_name: str, refusal: str):
    """A record that exists and is not archived, or the refusal as a DomainError at the field."""
    record = db.session.get(model, record_id) if record_id else None
    if record is None or record.archived_at is not None:
        raise DomainError(refusal, field_name)
    return record


def checked(fields: DeliverableFields, current: Deliverable | None) -> dict:
    """Check the fields against the forum's records; the values to store."""
    if current is not None and current.status == "carried_over":
        raise DomainError(_("This deliverable was carried over; edit its successor instead."))
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
    already = {g.id for g in current.responsible_governments} if current else set()
    # An archived government may stay on work it already had, but is not given new work.
    usable = [g for g in governments if g.archived_at is None or g.id in already]
    if len(usable) != len(ids):
        raise DomainError(
            _("Only governments on the forum's list can be responsible."), "responsible_governments"
        )
    if fields.due_on is None:
        raise DomainError(_("Give a due date (YYYY-MM-DD)."), "due_on")
    return {
        "title": title,
        "description": (fields.description or "").strip() or None,
        "chairmanship": chairmanship,
        "roundtable": roundtable,
        "team": team,
        "objective": objective,
        "due_on": fields.due_on,
        "responsible_governments": sorted(usable, key=lambda g: g.name),
        "themes": themes.chosen(fields.theme_ids, current.themes if current else ()),
    }


archive, restore = records.archive, records.restore


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
    return live_where(
        Deliverable.chairmanship_id == chairmanship.id, Deliverable.status.in_(OPEN_STATUSES)
    )


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


# What the pages read

DUE_WINDOWS = ("overdue", "30d", "90d")
SORTS = ("due", "title", "status", "percent")


@dataclass(frozen=True)
class DeliverableFilters:
    """What the list of deliverables is narrowed to, and in which order."""

    chairmanship_id: int | None = None
    status: str | None = None
    government_id: int | None = None
    owner: str | None = None  # "roundtable" or "team"
    roundtable_id: int | None = None
    team_id: int | None = None
    due: str | None = None  # one of DUE_WINDOWS
    text: str = ""
    sort: str = "due"
    archived: bool = False


def _ordering(sort: str) -> list:
    """The ORDER BY of a sort choice; due date breaks ties so the order is stable."""
    if sort == "title":
        return [Deliverable.title, Deliverable.due_on]
    if sort == "status":
        workflow = case(
            {status: n for n, status in enumerate(DELIVERABLE_STATUSES)}, value=Deliverable.status
        )
        return [workflow, Deliverable.due_on]
    if sort == "percent":
        return [Deliverable.percent_complete, Deliverable.due_on]
    return [Deliverable.due_on]


def listing(filters: DeliverableFilters, today: date) -> Select:
    """The deliverables that match, as a query to page through."""
    query = (
        select(Deliverable)
        .where(records.listed(Deliverable, filters.archived))
        .options(
            selectinload(Deliverable.roundtable),
            selectinload(Deliverable.team),
            selectinload(Deliverable.responsible_governments),
        )
    )
    if filters.chairmanship_id:
        query = query.where(Deliverable.chairmanship_id == filters.chairmanship_id)
    if filters.status:
        query = query.where(Deliverable.status == filters.status)
    if filters.government_id:
        query = query.where(
            Deliverable.id.in_(
                select(deliverable_governments.c.deliverable_id).where(
                    deliverable_governments.c.government_id == filters.government_id
                )
            )
        )
    if filters.owner == "roundtable":
        query = query.where(Deliverable.roundtable_id.is_not(None))
    elif filters.owner == "team":
        query = query.where(Deliverable.team_id.is_not(None))
    if filters.roundtable_id:
        query = query.where(Deliverable.roundtable_id == filters.roundtable_id)
    if filters.team_id:
        query = query.where(Deliverable.team_id == filters.team_id)
    if filters.due:
        # A due window is about work still expected: finished work is never "due".
        query = query.where(Deliverable.status.in_(OPEN_STATUSES))
        if filters.due == "overdue":
            query = query.where(Deliverable.due_on < today)
        else:
            days = 30 if filters.due == "30d" else 90
            query = query.where(
                Deliverable.due_on >= today, Deliverable.due_on <= today + timedelta(days=days)
            )
    if filters.text:
        pattern = f"%{filters.text}%"
        query = query.where(
            or_(Deliverable.title.ilike(pattern), Deliverable.description.ilike(pattern))
        )
    return query.order_by(*_ordering(filters.sort), Deliverable.id)


@dataclass(frozen=True)
class FormOptions:
    """What the deliverable form offers: live chairmanships, owners, objectives, governments."""

    chairmanships: list[Chairmanship]
    roundtables: list[Roundtable]
    teams: list[GovernmentTeam]
    objectives: list[tuple[Objective, WorkPlan]]
    governments: list[Government]

    def within(self, roundtables: list[Roundtable]) -> "FormOptions":
        """The choices narrowed to these roundtables as owners (no team), and their
        chairmanships."""
        kept = [rt for rt in self.roundtables if rt in roundtables]
        chairmanships = {rt.chairmanship_id for rt in kept}
        return replace(
            self,
            chairmanships=[c for c in self.chairmanships if c.id in chairmanships],
            roundtables=kept,
            teams=[],
        )


def form_options(current: Deliverable | None = None, language: str = "en") -> FormOptions:
    """The live choices of the deliverable form; an edit keeps the archived chairmanship and
    governments the deliverable already has. Governments are in `language`'s order."""
    chairmanships = list(
        db.session.scalars(
            select(Chairmanship)
            .where(Chairmanship.archived_at.is_(None))
            .order_by(Chairmanship.starts_on.desc())
        )
    )
    governments = parties.governments(language)
    if current is not None:
        if current.chairmanship not in chairmanships:
            chairmanships.append(current.chairmanship)
        # An archived government keeps its place on work it already had.
        governments += [g for g in current.responsible_governments if g.is_archived]
    roundtables = db.session.scalars(
        select(Roundtable)
        .join(Roundtable.chairmanship)
        .where(Roundtable.archived_at.is_(None), Chairmanship.archived_at.is_(None))
        .options(selectinload(Roundtable.chairmanship))
        .order_by(Chairmanship.starts_on.desc(), Roundtable.number)
    ).all()
    teams = db.session.scalars(
        select(GovernmentTeam)
        .where(GovernmentTeam.archived_at.is_(None))
        .order_by(GovernmentTeam.name)
    ).all()
    objectives = db.session.execute(
        select(Objective, WorkPlan)
        .join(Objective.work_plan)
        .where(Objective.archived_at.is_(None), WorkPlan.archived_at.is_(None))
        .order_by(WorkPlan.first_year.desc(), WorkPlan.title, Objective.code)
    ).all()
    return FormOptions(
        chairmanships, roundtables, teams, [tuple(o) for o in objectives], governments
    )


def live_where(*conditions, order: tuple = ()) -> list[Deliverable]:
    """The live deliverables matching the conditions, with their owner and responsible
    governments, in the order given, else by due date."""
    return db.session.scalars(
        select(Deliverable)
        .where(*conditions, Deliverable.archived_at.is_(None))
        .options(
            # One owner each: joined in; the responsible governments are a list.
            joinedload(Deliverable.roundtable),
            joinedload(Deliverable.team),
            selectinload(Deliverable.responsible_governments),
        )
        .order_by(*order, Deliverable.due_on, Deliverable.id)
    ).all()
