"""The chairmanship report: one term's deliverables, meetings and funding."""

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import (
    String,
    and_,
    case,
    func,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import joinedload, selectinload

from workplan.extensions import db
from workplan.models import (
    Chairmanship,
    Deliverable,
    Indicator,
    Meeting,
    Pledge,
)
from workplan.models.deliverable import CLOSED_STATUSES
from workplan.models.meeting import MEETING_KINDS
from workplan.services.reports.common import (
    ZERO,
    Budget,
    ChairmanshipInfo,
    Deliverables,
    Funding,
    FundingRow,
    IndicatorProgress,
    MeetingRow,
    Meetings,
    StatusRow,
    _budget,
    _chairmanship_info,
    _deliverable_facts,
    _deliverable_item,
    _empty_funding,
    _empty_status,
    _funding_branch,
    _funding_by_chairmanship,
    _funding_row,
    _ledger,
    _natural,
    _null,
    _pledge_facts,
    _status_branch,
    _status_row,
    _union,
    indicator_progress,
)


@dataclass
class ChairmanshipReport:
    """Progress and funding of one chairmanship."""

    generated_on: date
    base_currency: str
    chairmanship: ChairmanshipInfo
    deliverables: Deliverables
    meetings: Meetings
    funding: Funding
    # The indicators of the objectives its deliverables serve.
    indicators: list[IndicatorProgress] = field(default_factory=list)
    report: str = "chairmanship"


def _deliverables(chairmanship_id: int, today: date, language: str) -> Deliverables:
    """A chairmanship's deliverables by status per roundtable, team and objective."""
    facts = _deliverable_facts(Deliverable.chairmanship_id == chairmanship_id, language=language)
    rows = _union(
        [
            _status_branch(facts, "total", today),
            _status_branch(
                facts,
                "roundtable",
                today,
                facts.c.roundtable_id,
                facts.c.roundtable_code,
                facts.c.roundtable_title,
            ),
            _status_branch(facts, "team", today, facts.c.team_id, facts.c.team_name),
            _status_branch(
                facts,
                "objective",
                today,
                facts.c.objective_id,
                facts.c.objective_code,
                facts.c.objective_title,
            ),
        ],
        "dimension",
        "label",
    )
    groups: dict[str, list[StatusRow]] = {
        "total": [],
        "roundtable": [],
        "team": [],
        "objective": [],
    }
    for row in rows:
        # Deliverables without a roundtable (or team) form a NULL group there: not an owner.
        if row.dimension in ("roundtable", "team") and row.key is None:
            continue
        groups[row.dimension].append(_status_row(row))
    watched = db.session.scalars(
        select(Deliverable)
        .where(
            Deliverable.chairmanship_id == chairmanship_id,
            Deliverable.archived_at.is_(None),
            or_(
                Deliverable.status == "at_risk",
                and_(Deliverable.status.not_in(CLOSED_STATUSES), Deliverable.due_on < today),
            ),
        )
        .options(
            joinedload(Deliverable.chairmanship),
            joinedload(Deliverable.roundtable),
            joinedload(Deliverable.team),
            selectinload(Deliverable.responsible_governments),
        )
        .order_by(Deliverable.due_on, Deliverable.id)
    ).all()
    items = [_deliverable_item(d, today, language) for d in watched]
    return Deliverables(
        totals=groups["total"][0],
        by_roundtable=sorted(groups["roundtable"], key=lambda r: _natural(r.label)),
        by_team=sorted(groups["team"], key=lambda r: _natural(r.label)),
        by_objective=sorted(groups["objective"], key=lambda r: (r.key is None, _natural(r.label))),
        overdue=[item for item in items if item.days_overdue > 0],
        at_risk=[item for item in items if item.status == "at_risk"],
    )


def _meeting_branch(now: datetime, *conditions, kind: bool):
    """Meetings planned, held and cancelled, by kind or in all."""
    published = Meeting.state == "published"
    query = select(
        (Meeting.kind if kind else _null(String)).label("kind"),
        func.sum(case((published, 1), else_=0)).label("planned"),
        func.sum(case((and_(published, Meeting.ends_at < now), 1), else_=0)).label("held"),
        func.sum(case((Meeting.state == "cancelled", 1), else_=0)).label("cancelled"),
    ).where(Meeting.archived_at.is_(None), *conditions)
    return query.group_by(Meeting.kind) if kind else query


def _meeting_row(row) -> MeetingRow:
    """A MeetingRow from a GROUP BY row."""
    planned, held = row.planned or 0, row.held or 0
    return MeetingRow(
        kind=row.kind,
        planned=planned,
        held=held,
        upcoming=planned - held,
        cancelled=row.cancelled or 0,
    )


def _meetings(chairmanship_id: int, now: datetime) -> Meetings:
    """Meetings held against planned, by kind and in all."""
    scope = Meeting.chairmanship_id == chairmanship_id
    united = union_all(
        _meeting_branch(now, scope, kind=False), _meeting_branch(now, scope, kind=True)
    ).subquery("groups")
    rows = db.session.execute(select(united)).all()
    order = {kind: position for position, kind in enumerate(MEETING_KINDS)}
    by_kind = sorted(
        (_meeting_row(row) for row in rows if row.kind is not None), key=lambda r: order[r.kind]
    )
    totals = next(_meeting_row(row) for row in rows if row.kind is None)
    return Meetings(totals=totals, by_kind=by_kind)


def _funding(chairmanship: Chairmanship, base_currency: str, language: str) -> Funding:
    """A chairmanship's money by donor, earmark, kind and currency, and its pledge ledger."""
    facts = _pledge_facts(base_currency, Pledge.chairmanship_id == chairmanship.id)
    rows = _union(
        [
            _funding_branch(facts, "total"),
            _funding_branch(
                facts,
                "donor",
                facts.c.donor_key,
                facts.c.donor,
                facts.c.donor_type,
                by_currency=True,
            ),
            _funding_branch(
                facts,
                "earmark",
                facts.c.earmark,
                facts.c.earmark,
                facts.c.earmark_name,
                by_currency=True,
            ),
            _funding_branch(facts, "kind", facts.c.kind, facts.c.kind, by_currency=True),
            _funding_branch(
                facts, "currency", facts.c.currency, facts.c.currency, by_currency=True
            ),
        ],
        "dimension",
        "label",
        "detail",
        "currency",
    )
    groups: dict[str, list[FundingRow]] = {
        "total": [],
        "donor": [],
        "earmark": [],
        "kind": [],
        "currency": [],
    }
    for row in rows:
        groups[row.dimension].append(_funding_row(row))
    ledger = _ledger(facts, language, base_currency)
    donor_names = {line.donor_key: line.donor for line in ledger}
    for row in groups["donor"]:
        row.label = donor_names.get(row.key, row.label)
    earmark_order = {"general": 0, "roundtable": 1, "activity": 2}
    return Funding(
        opening_balance=chairmanship.opening_balance or ZERO,
        budget=_budget(facts, chairmanship.id, language),
        totals=groups["total"][0],
        by_donor=groups["donor"],
        by_earmark=sorted(
            groups["earmark"],
            key=lambda r: (earmark_order.get(r.label, 9), _natural(r.detail), r.currency),
        ),
        by_kind=groups["kind"],
        by_currency=groups["currency"],
        pledges=ledger,
        unconverted=[line for line in ledger if not line.converted],
        overpaid=[line for line in ledger if line.overpaid > 0],
    )


def chairmanship_budget(chairmanship: Chairmanship, *, base_currency: str, language: str) -> Budget:
    """A chairmanship's budget lines against the converted pledges set against them (the
    report's budget table, alone, for the chairmanship's page)."""
    facts = _pledge_facts(base_currency, Pledge.chairmanship_id == chairmanship.id)
    return _budget(facts, chairmanship.id, language)


def chairmanship_report(
    chairmanship: Chairmanship, *, base_currency: str, now: datetime, language: str = "en"
) -> ChairmanshipReport:
    """Progress and funding of one chairmanship, as of now."""
    today = now.date()
    return ChairmanshipReport(
        generated_on=today,
        base_currency=base_currency,
        chairmanship=_chairmanship_info(chairmanship, language),
        deliverables=_deliverables(chairmanship.id, today, language),
        meetings=_meetings(chairmanship.id, now),
        funding=_funding(chairmanship, base_currency, language),
        indicators=indicator_progress(
            language,
            Indicator.objective_id.in_(
                select(Deliverable.objective_id).where(
                    Deliverable.chairmanship_id == chairmanship.id,
                    Deliverable.archived_at.is_(None),
                )
            ),
        ),
    )


@dataclass
class Headline:
    """The few numbers that summarise a chairmanship on the reports index."""

    deliverables: StatusRow
    meetings: MeetingRow
    funding: FundingRow


def chairmanship_headlines(
    chairmanship_ids: list[int], *, base_currency: str, now: datetime, language: str = "en"
) -> dict[int, Headline]:
    """Headline numbers for several chairmanships at once, keyed by chairmanship id."""
    if not chairmanship_ids:
        return {}
    today = now.date()
    facts = _deliverable_facts(Deliverable.chairmanship_id.in_(chairmanship_ids), language=language)
    status_rows = _union(
        [_status_branch(facts, "chairmanship", today, facts.c.chairmanship_id)], "key"
    )
    statuses = {int(row.key): _status_row(row) for row in status_rows}
    meeting_rows = db.session.execute(
        _meeting_branch(now, Meeting.chairmanship_id.in_(chairmanship_ids), kind=False)
        .add_columns(Meeting.chairmanship_id)
        .group_by(Meeting.chairmanship_id)
    ).all()
    meetings = {row.chairmanship_id: _meeting_row(row) for row in meeting_rows}
    funding = _funding_by_chairmanship(base_currency, Pledge.chairmanship_id.in_(chairmanship_ids))
    empty_meetings = MeetingRow(None, 0, 0, 0, 0)
    return {
        cid: Headline(
            deliverables=statuses.get(cid) or _empty_status(str(cid)),
            meetings=meetings.get(cid, empty_meetings),
            funding=funding.get(cid, _empty_funding(str(cid))),
        )
        for cid in chairmanship_ids
    }
