"""The numbers behind the progress and funding reports, computed in SQL.

Every sum and count runs in the database (GROUP BY), a fixed number of queries per report
whatever the amount of data. The results are plain dataclasses, so the page, the CSV, the
workbook, the PDF and the JSON all render the very same numbers.

Rules (stated on the reports and in docs/reports.md):

- Percent complete is rolled up as the plain mean of `percent_complete` over the deliverables
  counted (by count, not weighted), leaving out dropped and carried-over deliverables: dropped
  work is no longer expected, and carried-over work is counted in its successor.
- Overdue: still open (planned, in progress, at risk) with its due date before today.
- Meetings planned: published meetings (drafts are not yet part of the programme, cancelled ones
  are counted apart); held: published meetings that have ended.
- Money: every pledge and payment is converted to the reporting currency at its own recorded
  rate and rounded to the cent, then summed. A payment without a rate takes its pledge's rate.
  An amount already in the reporting currency needs no rate. A pledge with no rate is listed as
  unconverted and left out of the converted totals: it is never counted as zero.
- Pledged counts every pledge whatever its stage; committed those with a signed agreement;
  outstanding is committed minus received per pledge, never below zero; overpaid is what
  arrived beyond the amount of a pledge, shown rather than netted against other pledges.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import (
    Date,
    Integer,
    Numeric,
    String,
    and_,
    case,
    cast,
    func,
    literal,
    null,
    or_,
    select,
    type_coerce,
    union_all,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.sql.functions import FunctionElement

from workplan.extensions import db
from workplan.models import (
    Chairmanship,
    Deliverable,
    Government,
    GovernmentTeam,
    Meeting,
    Objective,
    Organisation,
    Payment,
    Pledge,
    Roundtable,
    TeamMembership,
    WorkPlan,
    chairmanship_chairs,
    deliverable_governments,
    roundtable_co_chairs,
)
from workplan.models.deliverable import CLOSED_STATUSES, DELIVERABLE_STATUSES
from workplan.models.meeting import MEETING_KINDS
from workplan.models.pledge import MONEY, RATE
from workplan.models.roundtable import RoundtableMember

# Dropped work is no longer expected; carried-over work is counted in its successor.
ROLLUP_EXCLUDED = ("dropped", "carried_over")
ZERO = Decimal("0.00")
_TENTH = Decimal("0.1")


class converted(FunctionElement):  # lower case, like sqlalchemy.sql.functions.sum
    """An amount times a rate, rounded to the cent, as the columns store them."""

    type = MONEY
    name = "converted"
    inherit_cache = True


@compiles(converted)
def _converted_numeric(element, compiler, **kw):
    """PostgreSQL and friends: exact NUMERIC arithmetic, rounded half away from zero."""
    amount, rate = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"ROUND(({amount}) * ({rate}), {MONEY.scale})"


@compiles(converted, "sqlite")
def _converted_sqlite(element, compiler, **kw):
    """SQLite: ExactDecimal stores cents and 10**-8 units as integers; stay in integers."""
    amount, rate = (compiler.process(clause, **kw) for clause in element.clauses)
    unit = 10**RATE.scale
    # Amounts and rates are positive (CHECK constraints), so adding half a unit rounds half up.
    return f"((({amount}) * ({rate}) + {unit // 2}) / {unit})"


def _money(value) -> Decimal:
    """A sum the database returned, or zero when it summed nothing."""
    return ZERO if value is None else value


def _base(value, unconverted: int) -> Decimal | None:
    """A converted sum; None when nothing in it could be converted (never a false zero)."""
    if value is None:
        return None if unconverted else ZERO
    return value


def _mean(total: int, count: int) -> Decimal | None:
    """A percentage mean to one decimal, or None when nothing was counted."""
    if not count:
        return None
    return (Decimal(total) / Decimal(count)).quantize(_TENTH, rounding=ROUND_HALF_UP)


def _share(part: Decimal | None, whole: Decimal | None) -> Decimal | None:
    """Part of a whole as a percentage to one decimal."""
    if part is None or not whole:
        return None
    return (part * 100 / whole).quantize(_TENTH, rounding=ROUND_HALF_UP)


def _natural(text: str | None) -> tuple:
    """Sort RT 1.10 after RT 1.9."""
    parts, number = [], ""
    for char in text or "":
        if char.isdigit():
            number += char
            continue
        if number:
            parts.append((0, int(number), ""))
            number = ""
        parts.append((1, 0, char.lower()))
    if number:
        parts.append((0, int(number), ""))
    return tuple(parts)


def _rate(rate_column, currency_column, base_currency: str):
    """The recorded rate, or 1 for an amount already in the reporting currency."""
    return type_coerce(
        func.coalesce(
            rate_column,
            case((currency_column == base_currency, literal(Decimal(1), RATE))),
        ),
        RATE,
    )


def _union(branches, *order_by: str):
    """Run several GROUP BY selects as one query and return their rows."""
    united = union_all(*branches).subquery("groups")
    return db.session.execute(select(united).order_by(*(united.c[name] for name in order_by))).all()


@dataclass
class ChairmanshipInfo:
    """Who chaired, when, where, and what the books opened with."""

    id: int
    label: str
    theme: str | None
    chairs: list[str]
    starts_on: date
    ends_on: date
    summit_city: str | None
    opening_balance: Decimal


@dataclass
class StatusRow:
    """Deliverables of one roundtable, team, objective or chairmanship, counted by status."""

    key: str | None
    label: str | None
    title: str | None
    total: int
    counts: dict[str, int]
    overdue: int
    rollup_count: int
    percent_complete: Decimal | None


@dataclass
class DeliverableItem:
    """One deliverable as a report lists it."""

    id: int
    title: str
    chairmanship: str
    owner: str
    status: str
    percent_complete: int
    due_on: date
    days_overdue: int
    responsible: list[str] = field(default_factory=list)


@dataclass
class MeetingRow:
    """Meetings of one kind (or all): planned, held, still to come, cancelled."""

    kind: str | None
    planned: int
    held: int
    upcoming: int
    cancelled: int


@dataclass
class FundingRow:
    """Money of one donor, earmark, kind, currency or chairmanship.

    The `pledged` to `received_unconverted` amounts are in `currency`, the pledges' own
    currency (None on rows that mix currencies); the `*_base` amounts are in the reporting
    currency and cover the converted pledges only.
    """

    key: str | None
    label: str | None
    detail: str | None
    currency: str | None
    pledges: int
    unconverted: int
    pledged: Decimal | None
    committed: Decimal | None
    received: Decimal | None
    outstanding: Decimal | None
    overpaid: Decimal | None
    received_unconverted: Decimal | None
    pledged_base: Decimal | None
    committed_base: Decimal | None
    received_base: Decimal | None
    outstanding_base: Decimal | None
    overpaid_base: Decimal | None
    pledged_before_start_base: Decimal | None
    pledged_before_start_share: Decimal | None


@dataclass
class PledgeLine:
    """One pledge with its original amount and currency beside the converted amounts."""

    id: int
    chairmanship: str
    donor: str
    donor_type: str
    kind: str
    in_kind_description: str | None
    earmark: str
    earmark_name: str | None
    status: str
    stage: str
    pledged_on: date
    committed_on: date | None
    pledged_before_start: bool
    currency: str
    amount: Decimal
    rate_to_base: Decimal | None
    converted: bool
    payments: int
    received: Decimal
    outstanding: Decimal
    overpaid: Decimal
    received_unconverted: Decimal
    amount_base: Decimal | None
    committed_base: Decimal | None
    received_base: Decimal | None
    outstanding_base: Decimal | None
    overpaid_base: Decimal | None


@dataclass
class PaymentLine:
    """One payment: its own amount and currency, and its value in the reporting currency."""

    id: int
    pledge_id: int
    chairmanship: str
    received_on: date
    currency: str
    amount: Decimal
    rate_to_base: Decimal | None
    amount_base: Decimal | None
    reference: str | None


@dataclass
class Funding:
    """A chairmanship's money: totals, breakdowns and the pledge ledger."""

    opening_balance: Decimal
    totals: FundingRow
    by_donor: list[FundingRow]
    by_earmark: list[FundingRow]
    by_kind: list[FundingRow]
    by_currency: list[FundingRow]
    pledges: list[PledgeLine]
    unconverted: list[PledgeLine]
    overpaid: list[PledgeLine]


@dataclass
class Deliverables:
    """A chairmanship's deliverables by status, and the ones to worry about."""

    totals: StatusRow
    by_roundtable: list[StatusRow]
    by_team: list[StatusRow]
    by_objective: list[StatusRow]
    overdue: list[DeliverableItem]
    at_risk: list[DeliverableItem]


@dataclass
class Meetings:
    """Meetings held against planned, by kind."""

    totals: MeetingRow
    by_kind: list[MeetingRow]


@dataclass
class ChairmanshipReport:
    """Progress and funding of one chairmanship."""

    generated_on: date
    base_currency: str
    chairmanship: ChairmanshipInfo
    deliverables: Deliverables
    meetings: Meetings
    funding: Funding
    report: str = "chairmanship"


@dataclass
class ObjectiveYear:
    """One objective's deliverables in one chairmanship (the forum plans by chair, not by year)."""

    objective_id: int | None
    chairmanship_id: int
    chairmanship: str
    planned: int
    completed: int
    carried_over: int
    dropped: int
    open: int
    percent_complete: Decimal | None


@dataclass
class ObjectiveProgress:
    """An objective of a work plan and its deliverables chairmanship by chairmanship."""

    objective_id: int | None
    work_plan: str | None
    code: str | None
    title: str | None
    years: list[ObjectiveYear]


@dataclass
class TrailStep:
    """One link of a carry-over chain."""

    deliverable_id: int
    title: str
    chairmanship: str
    status: str
    percent_complete: int


@dataclass
class CarryOverTrail:
    """A deliverable carried from chair to chair, first to last."""

    objective: str | None
    steps: list[TrailStep]


@dataclass
class ChairmanshipFunding:
    """One chairmanship's money in the reporting currency, with the balance it opened with."""

    chairmanship_id: int
    chairmanship: str
    starts_on: date
    ends_on: date
    opening_balance: Decimal
    opened_from: str | None
    pledges: int
    unconverted: int
    pledged_base: Decimal | None
    committed_base: Decimal | None
    received_base: Decimal | None
    outstanding_base: Decimal | None
    overpaid_base: Decimal | None
    in_hand_base: Decimal | None
    pledged_before_start_share: Decimal | None


@dataclass
class MultiannualReport:
    """Objectives and money across chairmanships."""

    generated_on: date
    base_currency: str
    years: list[StatusRow]
    objectives: list[ObjectiveProgress]
    trails: list[CarryOverTrail]
    funding: list[ChairmanshipFunding]
    report: str = "multiannual"


@dataclass
class GovernmentInfo:
    """The government a report is about."""

    id: int
    iso3: str
    name: str


@dataclass
class Role:
    """A government's part in a roundtable or team."""

    body: str
    id: int
    name: str
    title: str | None
    role: str
    chairmanship: str | None
    starts_on: date | None
    first_year: int | None
    last_year: int | None


@dataclass
class GovernmentReport:
    """One government's part in the forum across the years."""

    generated_on: date
    base_currency: str
    government: GovernmentInfo
    chairmanships: list[ChairmanshipInfo]
    roundtables: list[Role]
    teams: list[Role]
    deliverables_by_chairmanship: list[StatusRow]
    deliverables: list[DeliverableItem]
    funding_totals: FundingRow
    funding_by_chairmanship: list[FundingRow]
    pledges: list[PledgeLine]
    payments: list[PaymentLine]
    report: str = "government"


def _deliverable_facts(*conditions):
    """Deliverables with their owner, objective and chairmanship, as one CTE."""
    return (
        select(
            Deliverable.id.label("deliverable_id"),
            Deliverable.chairmanship_id,
            Deliverable.status,
            Deliverable.percent_complete,
            Deliverable.due_on,
            Deliverable.roundtable_id,
            Deliverable.team_id,
            Deliverable.objective_id,
            (literal("RT ") + Roundtable.number).label("roundtable_code"),
            Roundtable.shown_title_column().label("roundtable_title"),
            GovernmentTeam.name.label("team_name"),
            Objective.code.label("objective_code"),
            Objective.title.label("objective_title"),
            Chairmanship.label.label("chairmanship_label"),
        )
        .join(Chairmanship, Chairmanship.id == Deliverable.chairmanship_id)
        .outerjoin(Roundtable, Roundtable.id == Deliverable.roundtable_id)
        .outerjoin(GovernmentTeam, GovernmentTeam.id == Deliverable.team_id)
        .outerjoin(Objective, Objective.id == Deliverable.objective_id)
        .where(Deliverable.archived_at.is_(None), *conditions)
        .cte("deliverable_facts")
    )


def _status_branch(facts, dimension: str, today: date, key=None, label=None, title=None, sub=None):
    """One GROUP BY of deliverables by status, shaped to be united with others."""
    status = facts.c.status
    counted = status.not_in(ROLLUP_EXCLUDED)
    query = select(
        literal(dimension, String).label("dimension"),
        (cast(key, String) if key is not None else _null(String)).label("key"),
        (label if label is not None else _null(String)).label("label"),
        (title if title is not None else _null(String)).label("title"),
        (cast(sub, String) if sub is not None else _null(String)).label("sub"),
        func.count().label("total"),
        *(func.sum(case((status == s, 1), else_=0)).label(f"n_{s}") for s in DELIVERABLE_STATUSES),
        func.sum(
            case((and_(status.not_in(CLOSED_STATUSES), facts.c.due_on < today), 1), else_=0)
        ).label("overdue"),
        func.sum(case((counted, 1), else_=0)).label("rollup_count"),
        func.sum(case((counted, facts.c.percent_complete), else_=0)).label("rollup_sum"),
    )
    grouping = [column for column in (key, label, title, sub) if column is not None]
    return query.group_by(*grouping) if grouping else query


def _status_row(row) -> StatusRow:
    """A StatusRow from a united GROUP BY row."""
    rollup_count = row.rollup_count or 0
    return StatusRow(
        key=row.key,
        label=row.label,
        title=row.title,
        total=row.total or 0,
        counts={s: getattr(row, f"n_{s}") or 0 for s in DELIVERABLE_STATUSES},
        overdue=row.overdue or 0,
        rollup_count=rollup_count,
        percent_complete=_mean(row.rollup_sum or 0, rollup_count),
    )


def _pledge_facts(base_currency: str, *conditions):
    """Pledges with their donor, earmark, payments and converted amounts, as one CTE."""
    pledge_rate = _rate(Pledge.rate_to_base, Pledge.currency, base_currency)
    payment_rate = type_coerce(func.coalesce(Payment.rate_to_base, pledge_rate), RATE)
    paid = (
        select(
            Payment.pledge_id.label("pledge_id"),
            func.count(Payment.id).label("payments"),
            type_coerce(func.sum(Payment.amount), MONEY).label("received"),
            type_coerce(func.sum(converted(Payment.amount, payment_rate)), MONEY).label(
                "received_base"
            ),
            type_coerce(func.sum(case((payment_rate.is_(None), Payment.amount))), MONEY).label(
                "received_unconverted"
            ),
        )
        .join(Pledge, Pledge.id == Payment.pledge_id)
        .join(Chairmanship, Chairmanship.id == Pledge.chairmanship_id)
        .where(Pledge.archived_at.is_(None), *conditions)
        .group_by(Payment.pledge_id)
        .subquery("paid")
    )
    zero = literal(ZERO, MONEY)
    received = type_coerce(func.coalesce(paid.c.received, zero), MONEY)
    committed = type_coerce(case((Pledge.status == "committed", Pledge.amount), else_=zero), MONEY)
    outstanding = type_coerce(
        case(
            (
                and_(Pledge.status == "committed", Pledge.amount > received),
                Pledge.amount - received,
            ),
            else_=zero,
        ),
        MONEY,
    )
    overpaid = type_coerce(
        case((received > Pledge.amount, received - Pledge.amount), else_=zero), MONEY
    )
    before_start = Pledge.pledged_on < Chairmanship.starts_on
    return (
        select(
            Pledge.id.label("pledge_id"),
            Pledge.chairmanship_id,
            Chairmanship.label.label("chairmanship_label"),
            case(
                (Pledge.donor_government_id.is_not(None), "government"), else_="organisation"
            ).label("donor_type"),
            func.coalesce(
                literal("government:") + cast(Pledge.donor_government_id, String),
                literal("organisation:") + cast(Pledge.donor_organisation_id, String),
            ).label("donor_key"),
            func.coalesce(Government.name, Organisation.name).label("donor"),
            Pledge.kind,
            Pledge.in_kind_description,
            Pledge.earmark,
            case(
                (Pledge.earmark == "roundtable", literal("RT ") + Roundtable.number),
                (Pledge.earmark == "activity", Pledge.earmark_activity),
            ).label("earmark_name"),
            Pledge.status,
            case(
                (and_(paid.c.pledge_id.is_not(None), received >= Pledge.amount), "paid"),
                else_=Pledge.status,
            ).label("stage"),
            Pledge.pledged_on,
            Pledge.committed_on,
            before_start.label("before_start"),
            Pledge.currency,
            Pledge.amount,
            pledge_rate.label("rate"),
            func.coalesce(paid.c.payments, 0).label("payments"),
            received.label("received"),
            committed.label("committed"),
            outstanding.label("outstanding"),
            overpaid.label("overpaid"),
            type_coerce(func.coalesce(paid.c.received_unconverted, zero), MONEY).label(
                "received_unconverted"
            ),
            converted(Pledge.amount, pledge_rate).label("amount_base"),
            converted(committed, pledge_rate).label("committed_base"),
            type_coerce(
                case((paid.c.pledge_id.is_(None), zero), else_=paid.c.received_base), MONEY
            ).label("received_base"),
            converted(outstanding, pledge_rate).label("outstanding_base"),
            converted(overpaid, pledge_rate).label("overpaid_base"),
            converted(case((before_start, Pledge.amount), else_=zero), pledge_rate).label(
                "before_start_base"
            ),
        )
        .join(Chairmanship, Chairmanship.id == Pledge.chairmanship_id)
        .outerjoin(Government, Government.id == Pledge.donor_government_id)
        .outerjoin(Organisation, Organisation.id == Pledge.donor_organisation_id)
        .outerjoin(Roundtable, Roundtable.id == Pledge.earmark_roundtable_id)
        .outerjoin(paid, paid.c.pledge_id == Pledge.id)
        .where(Pledge.archived_at.is_(None), *conditions)
        .cte("pledge_facts")
    )


_ORIGINALS = ("pledged", "committed", "received", "outstanding", "overpaid", "received_unconverted")
_ORIGINAL_COLUMNS = {
    "pledged": "amount",
    "committed": "committed",
    "received": "received",
    "outstanding": "outstanding",
    "overpaid": "overpaid",
    "received_unconverted": "received_unconverted",
}
_BASES = {
    "pledged_base": "amount_base",
    "committed_base": "committed_base",
    "received_base": "received_base",
    "outstanding_base": "outstanding_base",
    "overpaid_base": "overpaid_base",
    "pledged_before_start_base": "before_start_base",
}


def _null(type_):
    """A typed NULL: PostgreSQL reads an untyped NULL column of a union as text."""
    return cast(null(), type_)


def _null_money():
    """A typed NULL amount."""
    return type_coerce(_null(Numeric(MONEY.precision, MONEY.scale)), MONEY)


def _funding_branch(facts, dimension: str, key=None, label=None, detail=None, by_currency=False):
    """One GROUP BY of pledges, shaped to be united with others.

    Amounts in the pledges' own currencies are summed only where rows share one currency.
    """
    originals = [
        (type_coerce(func.sum(facts.c[column]), MONEY) if by_currency else _null_money()).label(
            name
        )
        for name, column in _ORIGINAL_COLUMNS.items()
    ]
    query = select(
        literal(dimension, String).label("dimension"),
        (cast(key, String) if key is not None else _null(String)).label("key"),
        (label if label is not None else _null(String)).label("label"),
        (detail if detail is not None else _null(String)).label("detail"),
        (facts.c.currency if by_currency else _null(String)).label("currency"),
        func.count().label("pledges"),
        func.sum(case((facts.c.rate.is_(None), 1), else_=0)).label("unconverted"),
        *originals,
        *(
            type_coerce(func.sum(facts.c[column]), MONEY).label(name)
            for name, column in _BASES.items()
        ),
    )
    grouping = [column for column in (key, label, detail) if column is not None]
    if by_currency:
        grouping.append(facts.c.currency)
    return query.group_by(*grouping) if grouping else query


def _funding_row(row) -> FundingRow:
    """A FundingRow from a united GROUP BY row."""
    unconverted = row.unconverted or 0
    bases = {name: _base(getattr(row, name), unconverted) for name in _BASES}
    return FundingRow(
        key=row.key,
        label=row.label,
        detail=row.detail,
        currency=row.currency,
        pledges=row.pledges or 0,
        unconverted=unconverted,
        **{name: (_money(getattr(row, name)) if row.currency else None) for name in _ORIGINALS},
        **bases,
        pledged_before_start_share=_share(
            bases["pledged_before_start_base"], bases["pledged_base"]
        ),
    )


def _pledge_line(row) -> PledgeLine:
    """A PledgeLine from a row of the pledge facts."""
    return PledgeLine(
        id=row.pledge_id,
        chairmanship=row.chairmanship_label,
        donor=row.donor,
        donor_type=row.donor_type,
        kind=row.kind,
        in_kind_description=row.in_kind_description,
        earmark=row.earmark,
        earmark_name=row.earmark_name,
        status=row.status,
        stage=row.stage,
        pledged_on=row.pledged_on,
        committed_on=row.committed_on,
        pledged_before_start=bool(row.before_start),
        currency=row.currency,
        amount=row.amount,
        rate_to_base=row.rate,
        converted=row.rate is not None,
        payments=row.payments or 0,
        received=_money(row.received),
        outstanding=_money(row.outstanding),
        overpaid=_money(row.overpaid),
        received_unconverted=_money(row.received_unconverted),
        amount_base=row.amount_base,
        committed_base=row.committed_base,
        received_base=row.received_base,
        outstanding_base=row.outstanding_base,
        overpaid_base=row.overpaid_base,
    )


def _ledger(facts) -> list[PledgeLine]:
    """Every pledge of the facts, oldest first."""
    rows = db.session.execute(select(facts).order_by(facts.c.pledged_on, facts.c.pledge_id)).all()
    return [_pledge_line(row) for row in rows]


def _chairmanship_info(chairmanship: Chairmanship) -> ChairmanshipInfo:
    """The facts about a chairmanship that head its report."""
    return ChairmanshipInfo(
        id=chairmanship.id,
        label=chairmanship.label,
        theme=chairmanship.shown_theme,
        chairs=[government.name for government in chairmanship.chairs],
        starts_on=chairmanship.starts_on,
        ends_on=chairmanship.ends_on,
        summit_city=chairmanship.summit_city,
        opening_balance=chairmanship.opening_balance or ZERO,
    )


def _deliverable_item(
    deliverable: Deliverable, today: date, with_responsible: bool = True
) -> DeliverableItem:
    """A loaded deliverable as a report lists it."""
    owner = deliverable.roundtable.code if deliverable.roundtable else deliverable.team.name
    late = (today - deliverable.due_on).days if deliverable.is_overdue(today) else 0
    return DeliverableItem(
        id=deliverable.id,
        title=deliverable.title,
        chairmanship=deliverable.chairmanship.label,
        owner=owner,
        status=deliverable.status,
        percent_complete=deliverable.percent_complete,
        due_on=deliverable.due_on,
        days_overdue=late,
        responsible=(
            [government.name for government in deliverable.responsible_governments]
            if with_responsible
            else []
        ),
    )


def _deliverables(chairmanship_id: int, today: date) -> Deliverables:
    """A chairmanship's deliverables by status per roundtable, team and objective."""
    facts = _deliverable_facts(Deliverable.chairmanship_id == chairmanship_id)
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
    items = [_deliverable_item(d, today) for d in watched]
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


def _funding(chairmanship: Chairmanship, base_currency: str) -> Funding:
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
    ledger = _ledger(facts)
    earmark_order = {"general": 0, "roundtable": 1, "activity": 2}
    return Funding(
        opening_balance=chairmanship.opening_balance or ZERO,
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


def chairmanship_report(
    chairmanship: Chairmanship, *, base_currency: str, now: datetime
) -> ChairmanshipReport:
    """Progress and funding of one chairmanship, as of now."""
    today = now.date()
    return ChairmanshipReport(
        generated_on=today,
        base_currency=base_currency,
        chairmanship=_chairmanship_info(chairmanship),
        deliverables=_deliverables(chairmanship.id, today),
        meetings=_meetings(chairmanship.id, now),
        funding=_funding(chairmanship, base_currency),
    )


def _funding_by_chairmanship(base_currency: str, *conditions) -> dict[int, FundingRow]:
    """Converted totals per chairmanship, keyed by chairmanship id."""
    facts = _pledge_facts(base_currency, *conditions)
    rows = _union(
        [_funding_branch(facts, "chairmanship", facts.c.chairmanship_id)], "dimension", "key"
    )
    return {int(row.key): _funding_row(row) for row in rows}


def _empty_funding(key: str | None = None) -> FundingRow:
    """The funding of something with no pledge at all."""
    return FundingRow(
        key=key,
        label=None,
        detail=None,
        currency=None,
        pledges=0,
        unconverted=0,
        pledged=None,
        committed=None,
        received=None,
        outstanding=None,
        overpaid=None,
        received_unconverted=None,
        **dict.fromkeys(_BASES, ZERO),
        pledged_before_start_share=None,
    )


def _empty_status(key: str | None = None, label: str | None = None) -> StatusRow:
    """The status counts of something with no deliverable at all."""
    return StatusRow(key, label, None, 0, dict.fromkeys(DELIVERABLE_STATUSES, 0), 0, 0, None)


@dataclass
class Headline:
    """The few numbers that summarise a chairmanship on the reports index."""

    deliverables: StatusRow
    meetings: MeetingRow
    funding: FundingRow


def chairmanship_headlines(
    chairmanship_ids: list[int], *, base_currency: str, now: datetime
) -> dict[int, Headline]:
    """Headline numbers for several chairmanships at once, keyed by chairmanship id."""
    if not chairmanship_ids:
        return {}
    today = now.date()
    facts = _deliverable_facts(Deliverable.chairmanship_id.in_(chairmanship_ids))
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


def _trails() -> list[CarryOverTrail]:
    """Chains of deliverables carried from one chairmanship to the next."""
    linked = select(Deliverable.predecessor_id).where(Deliverable.predecessor_id.is_not(None))
    rows = db.session.execute(
        select(
            Deliverable.id,
            Deliverable.predecessor_id,
            Deliverable.title,
            Deliverable.status,
            Deliverable.percent_complete,
            Deliverable.chairmanship_id,
            Chairmanship.label,
            Objective.code,
            Objective.title.label("objective_title"),
        )
        .join(Chairmanship, Chairmanship.id == Deliverable.chairmanship_id)
        .outerjoin(Objective, Objective.id == Deliverable.objective_id)
        .where(
            Deliverable.archived_at.is_(None),
            Chairmanship.archived_at.is_(None),
            or_(Deliverable.predecessor_id.is_not(None), Deliverable.id.in_(linked)),
        )
        .order_by(Chairmanship.starts_on, Deliverable.id)
    ).all()
    by_id = {row.id: row for row in rows}
    successor = {row.predecessor_id: row.id for row in rows if row.predecessor_id in by_id}
    trails = []
    # A chain starts where its predecessor is missing (none, or archived out of the report).
    for row in rows:
        if row.predecessor_id in by_id:
            continue
        steps, current = [], row
        while current is not None:
            steps.append(
                TrailStep(
                    deliverable_id=current.id,
                    title=current.title,
                    chairmanship=current.label,
                    status=current.status,
                    percent_complete=current.percent_complete,
                )
            )
            current = by_id.get(successor.get(current.id))
        if len(steps) > 1:
            objective = f"{row.code}. {row.objective_title}" if row.code else None
            trails.append(CarryOverTrail(objective=objective, steps=steps))
    return trails


def multiannual_report(*, base_currency: str, now: datetime) -> MultiannualReport:
    """Every work-plan objective and every chairmanship's money, across the years."""
    today = now.date()
    chairmanships = db.session.scalars(
        select(Chairmanship)
        .where(Chairmanship.archived_at.is_(None))
        .order_by(Chairmanship.starts_on)
    ).all()
    facts = _deliverable_facts(Chairmanship.archived_at.is_(None))
    rows = _union(
        [
            _status_branch(
                facts,
                "chairmanship",
                today,
                facts.c.chairmanship_id,
                facts.c.chairmanship_label,
            ),
            _status_branch(
                facts,
                "objective",
                today,
                facts.c.objective_id,
                sub=facts.c.chairmanship_id,
            ),
        ],
        "dimension",
        "key",
        "sub",
    )
    objectives = db.session.execute(
        select(Objective.id, Objective.code, Objective.title, WorkPlan.title.label("plan"))
        .join(WorkPlan, WorkPlan.id == Objective.work_plan_id)
        .where(Objective.archived_at.is_(None), WorkPlan.archived_at.is_(None))
        .order_by(WorkPlan.first_year, WorkPlan.title, Objective.code)
    ).all()
    order = {c.id: position for position, c in enumerate(chairmanships)}
    labels = {c.id: c.label for c in chairmanships}
    counted = {int(row.key): _status_row(row) for row in rows if row.dimension == "chairmanship"}
    years = [counted.get(c.id) or _empty_status(str(c.id), c.label) for c in chairmanships]
    cells: dict[int | None, list[ObjectiveYear]] = {}
    for row in rows:
        if row.dimension != "objective":
            continue
        status = _status_row(row)
        chairmanship_id = int(row.sub)
        objective_id = int(row.key) if row.key is not None else None
        cells.setdefault(objective_id, []).append(
            ObjectiveYear(
                objective_id=objective_id,
                chairmanship_id=chairmanship_id,
                chairmanship=labels.get(chairmanship_id, ""),
                planned=status.total,
                completed=status.counts["completed"],
                carried_over=status.counts["carried_over"],
                dropped=status.counts["dropped"],
                open=status.total
                - sum(status.counts[s] for s in ("completed", "carried_over", "dropped")),
                percent_complete=status.percent_complete,
            )
        )
    for years_of_objective in cells.values():
        years_of_objective.sort(key=lambda y: order.get(y.chairmanship_id, 0))
    progress = [
        ObjectiveProgress(
            objective_id=o.id,
            work_plan=o.plan,
            code=o.code,
            title=o.title,
            years=cells.get(o.id, []),
        )
        for o in objectives
    ]
    if None in cells:
        progress.append(ObjectiveProgress(None, None, None, None, cells[None]))
    funding_rows = _funding_by_chairmanship(base_currency, Chairmanship.archived_at.is_(None))
    funding = []
    previous = None
    for chairmanship in chairmanships:
        row = funding_rows.get(chairmanship.id, _empty_funding())
        opening = chairmanship.opening_balance or ZERO
        funding.append(
            ChairmanshipFunding(
                chairmanship_id=chairmanship.id,
                chairmanship=chairmanship.label,
                starts_on=chairmanship.starts_on,
                ends_on=chairmanship.ends_on,
                opening_balance=opening,
                opened_from=previous.label if previous is not None and opening else None,
                pledges=row.pledges,
                unconverted=row.unconverted,
                pledged_base=row.pledged_base,
                committed_base=row.committed_base,
                received_base=row.received_base,
                outstanding_base=row.outstanding_base,
                overpaid_base=row.overpaid_base,
                in_hand_base=None if row.received_base is None else opening + row.received_base,
                pledged_before_start_share=row.pledged_before_start_share,
            )
        )
        previous = chairmanship
    return MultiannualReport(
        generated_on=today,
        base_currency=base_currency,
        years=years,
        objectives=progress,
        trails=_trails(),
        funding=funding,
    )


def _roles(government_id: int) -> list[Role]:
    """The roundtables a government co-chaired or joined, and the teams it led or joined."""
    co_chaired = (
        select(
            literal("roundtable", String).label("body"),
            Roundtable.id.label("id"),
            (literal("RT ") + Roundtable.number).label("name"),
            Roundtable.shown_title_column().label("title"),
            literal("co_chair", String).label("role"),
            Chairmanship.label.label("chairmanship"),
            Chairmanship.starts_on.label("starts_on"),
            _null(Integer).label("first_year"),
            _null(Integer).label("last_year"),
        )
        .join(roundtable_co_chairs, roundtable_co_chairs.c.roundtable_id == Roundtable.id)
        .join(Chairmanship, Chairmanship.id == Roundtable.chairmanship_id)
        .where(
            roundtable_co_chairs.c.government_id == government_id,
            Roundtable.archived_at.is_(None),
        )
    )
    member_of_roundtable = (
        select(
            literal("roundtable", String),
            Roundtable.id,
            literal("RT ") + Roundtable.number,
            Roundtable.shown_title_column(),
            literal("member", String),
            Chairmanship.label,
            Chairmanship.starts_on,
            _null(Integer),
            _null(Integer),
        )
        .join(RoundtableMember, RoundtableMember.roundtable_id == Roundtable.id)
        .join(Chairmanship, Chairmanship.id == Roundtable.chairmanship_id)
        .where(
            RoundtableMember.government_id == government_id,
            Roundtable.archived_at.is_(None),
        )
    )
    leads = select(
        literal("team", String),
        GovernmentTeam.id,
        GovernmentTeam.name,
        GovernmentTeam.policy_priority,
        literal("lead", String),
        _null(String),
        _null(Date),
        GovernmentTeam.first_year,
        GovernmentTeam.last_year,
    ).where(
        GovernmentTeam.lead_government_id == government_id,
        GovernmentTeam.archived_at.is_(None),
    )
    member_of_team = (
        select(
            literal("team", String),
            GovernmentTeam.id,
            GovernmentTeam.name,
            GovernmentTeam.policy_priority,
            literal("member", String),
            _null(String),
            _null(Date),
            TeamMembership.joined_year,
            TeamMembership.left_year,
        )
        .join(TeamMembership, TeamMembership.team_id == GovernmentTeam.id)
        .where(
            TeamMembership.government_id == government_id,
            GovernmentTeam.archived_at.is_(None),
        )
    )
    united = union_all(co_chaired, member_of_roundtable, leads, member_of_team).subquery("roles")
    rows = db.session.execute(
        select(united).order_by(
            united.c.body, united.c.starts_on, united.c.first_year, united.c.name
        )
    ).all()
    return [
        Role(
            body=row.body,
            id=row.id,
            name=row.name,
            title=row.title,
            role=row.role,
            chairmanship=row.chairmanship,
            starts_on=row.starts_on,
            first_year=row.first_year,
            last_year=row.last_year,
        )
        for row in rows
    ]


def government_report(
    government: Government, *, base_currency: str, now: datetime
) -> GovernmentReport:
    """One government's part across the years: chairs, roundtables, teams, work and money."""
    today = now.date()
    chaired = db.session.scalars(
        select(Chairmanship)
        .join(chairmanship_chairs, chairmanship_chairs.c.chairmanship_id == Chairmanship.id)
        .where(
            chairmanship_chairs.c.government_id == government.id,
            Chairmanship.archived_at.is_(None),
        )
        .options(selectinload(Chairmanship.chairs))
        .order_by(Chairmanship.starts_on)
    ).all()
    roles = _roles(government.id)
    responsible = select(deliverable_governments.c.deliverable_id).where(
        deliverable_governments.c.government_id == government.id
    )
    facts = _deliverable_facts(Deliverable.id.in_(responsible), Chairmanship.archived_at.is_(None))
    status_rows = _union(
        [
            _status_branch(
                facts, "chairmanship", today, facts.c.chairmanship_id, facts.c.chairmanship_label
            )
        ],
        "key",
    )
    deliverables = db.session.scalars(
        select(Deliverable)
        .join(Chairmanship, Chairmanship.id == Deliverable.chairmanship_id)
        .where(
            Deliverable.id.in_(responsible),
            Deliverable.archived_at.is_(None),
            Chairmanship.archived_at.is_(None),
        )
        .options(
            joinedload(Deliverable.chairmanship),
            joinedload(Deliverable.roundtable),
            joinedload(Deliverable.team),
            selectinload(Deliverable.responsible_governments),
        )
        .order_by(Chairmanship.starts_on, Deliverable.due_on, Deliverable.id)
    ).all()
    pledge_facts = _pledge_facts(
        base_currency,
        Pledge.donor_government_id == government.id,
        Chairmanship.archived_at.is_(None),
    )
    funding_rows = _union(
        [
            _funding_branch(pledge_facts, "total"),
            _funding_branch(
                pledge_facts,
                "chairmanship",
                pledge_facts.c.chairmanship_id,
                pledge_facts.c.chairmanship_label,
            ),
        ],
        "dimension",
        "key",
    )
    funding = {"total": [], "chairmanship": []}
    for row in funding_rows:
        funding[row.dimension].append(_funding_row(row))
    pledge_rate = _rate(Pledge.rate_to_base, Pledge.currency, base_currency)
    payment_rate = type_coerce(func.coalesce(Payment.rate_to_base, pledge_rate), RATE)
    payments = db.session.execute(
        select(
            Payment.id,
            Payment.pledge_id,
            Chairmanship.label,
            Payment.received_on,
            Pledge.currency,
            Payment.amount,
            payment_rate.label("rate"),
            converted(Payment.amount, payment_rate).label("amount_base"),
            Payment.reference,
        )
        .join(Pledge, Pledge.id == Payment.pledge_id)
        .join(Chairmanship, Chairmanship.id == Pledge.chairmanship_id)
        .where(
            Pledge.donor_government_id == government.id,
            Pledge.archived_at.is_(None),
            Chairmanship.archived_at.is_(None),
        )
        .order_by(Payment.received_on, Payment.id)
    ).all()
    return GovernmentReport(
        generated_on=today,
        base_currency=base_currency,
        government=GovernmentInfo(id=government.id, iso3=government.iso3, name=government.name),
        chairmanships=[_chairmanship_info(c) for c in chaired],
        roundtables=[role for role in roles if role.body == "roundtable"],
        teams=[role for role in roles if role.body == "team"],
        deliverables_by_chairmanship=[_status_row(row) for row in status_rows],
        deliverables=[_deliverable_item(d, today) for d in deliverables],
        funding_totals=funding["total"][0],
        funding_by_chairmanship=funding["chairmanship"],
        pledges=_ledger(pledge_facts),
        payments=[
            PaymentLine(
                id=row.id,
                pledge_id=row.pledge_id,
                chairmanship=row.label,
                received_on=row.received_on,
                currency=row.currency,
                amount=row.amount,
                rate_to_base=row.rate,
                amount_base=row.amount_base,
                reference=row.reference,
            )
            for row in payments
        ],
    )
