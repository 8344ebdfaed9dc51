"""What the forum's meetings produced, gathered from their records: a chair's summary of a
chairmanship, a roundtable's report, and the thematic recollection of every chairmanship's
roundtables on a theme. Drafts for the secretariat to finish, as a page, a PDF and a Word file.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from workplan import permissions
from workplan.extensions import db
from workplan.models import (
    Chairmanship,
    Deliverable,
    Document,
    Meeting,
    MeetingOutcome,
    Roundtable,
)
from workplan.models.meeting import VISIBLE_STATES
from workplan.services.minutes import readable_outcomes


@dataclass
class RoundtableRecord:
    """One roundtable's meetings, what they decided and agreed, its papers and its work."""

    roundtable: Roundtable
    meetings: list[Meeting] = field(default_factory=list)
    decisions: list[MeetingOutcome] = field(default_factory=list)
    actions: list[MeetingOutcome] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)
    deliverables: list[Deliverable] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.meetings or self.decisions or self.actions or self.documents)


@dataclass
class Summary:
    """A chair's summary: each roundtable's record, and what the forum's other meetings
    (Steering Group, Friends of the Forum, the summit...) decided."""

    chairmanship: Chairmanship
    roundtables: list[RoundtableRecord]
    other_meetings: list[Meeting]
    other_decisions: list[MeetingOutcome]
    other_actions: list[MeetingOutcome]


def _records(roundtables: list[Roundtable], user) -> list[RoundtableRecord]:
    """The records of these roundtables, in four queries whatever their number."""
    by_id = {rt.id: RoundtableRecord(rt) for rt in roundtables}
    if not by_id:
        return []
    ids = list(by_id)
    meetings = db.session.scalars(
        select(Meeting)
        .where(
            Meeting.roundtable_id.in_(ids),
            Meeting.state == "published",
            Meeting.archived_at.is_(None),
        )
        .order_by(Meeting.starts_at)
    ).all()
    for meeting in meetings:
        by_id[meeting.roundtable_id].meetings.append(meeting)
    outcomes = db.session.scalars(
        select(MeetingOutcome)
        .join(Meeting, MeetingOutcome.meeting_id == Meeting.id)
        .where(
            Meeting.roundtable_id.in_(ids),
            Meeting.state.in_(VISIBLE_STATES),
            Meeting.archived_at.is_(None),
            *readable_outcomes(user),
        )
        .options(selectinload(MeetingOutcome.deliverable), selectinload(MeetingOutcome.meeting))
        .order_by(Meeting.starts_at, MeetingOutcome.id)
    ).all()
    for outcome in outcomes:
        record = by_id[outcome.meeting.roundtable_id]
        (record.decisions if outcome.kind == "decision" else record.actions).append(outcome)
    documents = db.session.scalars(
        select(Document)
        .where(
            Document.roundtable_id.in_(ids),
            Document.archived_at.is_(None),
            Document.access.in_(permissions.readable_access_levels(user)),
        )
        .order_by(Document.id)
    ).all()
    for document in documents:
        by_id[document.roundtable_id].documents.append(document)
    deliverables = db.session.scalars(
        select(Deliverable)
        .where(Deliverable.roundtable_id.in_(ids), Deliverable.archived_at.is_(None))
        .order_by(Deliverable.due_on)
    ).all()
    for deliverable in deliverables:
        by_id[deliverable.roundtable_id].deliverables.append(deliverable)
    return [by_id[rt.id] for rt in roundtables]


def roundtable_report(roundtable: Roundtable, user) -> RoundtableRecord:
    """One roundtable's report."""
    return _records([roundtable], user)[0]


def chairs_summary(chairmanship: Chairmanship, user) -> Summary:
    """The chair's summary of a chairmanship, drafted from its meetings' records."""
    roundtables = db.session.scalars(
        select(Roundtable)
        .where(Roundtable.chairmanship_id == chairmanship.id, Roundtable.archived_at.is_(None))
        .options(selectinload(Roundtable.co_chairs))
        .order_by(Roundtable.number)
    ).all()
    others = db.session.scalars(
        select(Meeting)
        .where(
            Meeting.chairmanship_id == chairmanship.id,
            Meeting.roundtable_id.is_(None),
            Meeting.state.in_(VISIBLE_STATES),
            Meeting.archived_at.is_(None),
        )
        .order_by(Meeting.starts_at)
    ).all()
    outcomes = db.session.scalars(
        select(MeetingOutcome)
        .where(MeetingOutcome.meeting_id.in_([m.id for m in others]), *readable_outcomes(user))
        .options(selectinload(MeetingOutcome.meeting), selectinload(MeetingOutcome.deliverable))
        .order_by(MeetingOutcome.id)
    ).all()
    return Summary(
        chairmanship=chairmanship,
        roundtables=_records(list(roundtables), user),
        other_meetings=[m for m in others if m.state == "published"],
        other_decisions=[o for o in outcomes if o.kind == "decision"],
        other_actions=[o for o in outcomes if o.kind == "action"],
    )


def theme_key(roundtable: Roundtable) -> str:
    """The theme a roundtable belongs to: its cluster's title, whatever its case and spacing."""
    return " ".join((roundtable.cluster_title or "").split()).casefold()


def recollection(user) -> list[tuple[str, list[RoundtableRecord]]]:
    """Every theme the forum's roundtables were grouped under, across chairmanships, with what
    each roundtable on it decided and produced; latest chairmanship first within a theme."""
    roundtables = db.session.scalars(
        select(Roundtable)
        .join(Chairmanship, Roundtable.chairmanship_id == Chairmanship.id)
        .where(
            Roundtable.archived_at.is_(None),
            Roundtable.cluster_title.is_not(None),
            Chairmanship.archived_at.is_(None),
        )
        .options(selectinload(Roundtable.chairmanship), selectinload(Roundtable.co_chairs))
        .order_by(Chairmanship.starts_on.desc(), Roundtable.number)
    ).all()
    themes: dict[str, list[Roundtable]] = defaultdict(list)
    names: dict[str, str] = {}
    for roundtable in roundtables:
        key = theme_key(roundtable)
        if key:
            themes[key].append(roundtable)
            names.setdefault(key, " ".join(roundtable.cluster_title.split()))
    records = {r.roundtable.id: r for r in _records(roundtables, user)}
    return sorted(
        ((names[key], [records[rt.id] for rt in members]) for key, members in themes.items()),
        key=lambda theme: theme[0].casefold(),
    )
