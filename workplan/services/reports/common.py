"""What the reports share: SQL building blocks for deliverables, meetings and money, and the
rows they give."""

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import (
    Integer,
    Numeric,
    String,
    and_,
    case,
    cast,
    func,
    literal,
    null,
    select,
    type_coerce,
    union_all,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import contains_eager, selectinload
from sqlalchemy.sql.functions import FunctionElement

from workplan.countries import local_name
from workplan.extensions import db
from workplan.models import (
    BudgetLine,
    Chairmanship,
    Deliverable,
    Government,
    GovernmentTeam,
    Indicator,
    Objective,
    Organisation,
    Payment,
    Pledge,
    Roundtable,
    WorkPlan,
)
from workplan.models.deliverable import CLOSED_STATUSES, DELIVERABLE_STATUSES
from workplan.models.pledge import MONEY, RATE
from workplan.services import exchange_rates
from workplan.services import indicators as indicator_rules

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
    donor_key: str
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
    # Why a pledge is not converted: the currency's months that have no rate.
    missing_rates: list[exchange_rates.MissingRate] = field(default_factory=list)


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
class BudgetRow:
    """A line of a chairmanship's budget (or the pledges set against none, or the whole budget):
    its requirements against converted money, all in the reporting currency.

    `coverage` is committed as a percentage of the requirements; `gap` the requirements not yet
    committed, never below zero. Both are None where there are no requirements to cover.
    """

    key: str | None
    label: str | None
    requirements: Decimal | None
    pledges: int
    pledged_base: Decimal
    committed_base: Decimal
    received_base: Decimal
    coverage: Decimal | None
    pledged_coverage: Decimal | None
    gap: Decimal | None


@dataclass
class Budget:
    """A chairmanship's requirements by line, what covers them, and the gap."""

    lines: list[BudgetRow]
    not_set_against_a_line: BudgetRow
    totals: BudgetRow


@dataclass
class Funding:
    """A chairmanship's money: totals, breakdowns and the pledge ledger."""

    opening_balance: Decimal
    budget: Budget
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


def _deliverable_facts(*conditions, language: str):
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
            Roundtable.title_column(language).label("roundtable_title"),
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
    """Pledges with their donor, earmark, payments and converted amounts, as one CTE.

    A pledge converts only when its amount and every payment have a rate
    (`exchange_rates`); otherwise every converted amount of it is NULL, so no sum mixes
    converted and unconverted parts, and `unconverted` is 1.
    """
    pledge_rate = exchange_rates.pledge_rate(base_currency)
    payment_rate = exchange_rates.payment_rate(base_currency)
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
            func.sum(case((payment_rate.is_(None), 1), else_=0)).label("payments_unconverted"),
        )
        .join(Pledge, Pledge.id == Payment.pledge_id)
        .join(Chairmanship, Chairmanship.id == Pledge.chairmanship_id)
        .where(Pledge.archived_at.is_(None), *conditions)
        .group_by(Payment.pledge_id)
        .subquery("paid")
    )
    convertible = and_(pledge_rate.is_not(None), func.coalesce(paid.c.payments_unconverted, 0) == 0)

    def base(amount):
        """A converted amount, NULL for a pledge that does not convert as a whole."""
        return type_coerce(case((convertible, amount)), MONEY)

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
            Government.iso3.label("donor_iso3"),
            Pledge.kind,
            Pledge.in_kind_description,
            Pledge.earmark,
            Pledge.budget_line_id,
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
            case((convertible, 0), else_=1).label("unconverted"),
            base(converted(Pledge.amount, pledge_rate)).label("amount_base"),
            base(converted(committed, pledge_rate)).label("committed_base"),
            base(func.coalesce(paid.c.received_base, zero)).label("received_base"),
            base(converted(outstanding, pledge_rate)).label("outstanding_base"),
            base(converted(overpaid, pledge_rate)).label("overpaid_base"),
            base(converted(case((before_start, Pledge.amount), else_=zero), pledge_rate)).label(
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
        func.sum(facts.c.unconverted).label("unconverted"),
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


def _pledge_line(row, language: str) -> PledgeLine:
    """A PledgeLine from a row of the pledge facts, the donor named in the reader's language."""
    return PledgeLine(
        id=row.pledge_id,
        chairmanship=row.chairmanship_label,
        donor=local_name(row.donor_iso3, row.donor, language) if row.donor_iso3 else row.donor,
        donor_type=row.donor_type,
        donor_key=row.donor_key,
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
        converted=not row.unconverted,
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


def _ledger(facts, language: str, base_currency: str) -> list[PledgeLine]:
    """Every pledge of the facts, oldest first; those not converted say which rates they lack."""
    rows = db.session.execute(select(facts).order_by(facts.c.pledged_on, facts.c.pledge_id)).all()
    lines = [_pledge_line(row, language) for row in rows]
    missing = exchange_rates.missing_rates(
        [line.id for line in lines if not line.converted], base_currency
    )
    for line in lines:
        line.missing_rates = missing.get(line.id, [])
    return lines


def _government_names(governments, language: str) -> list[str]:
    """Governments' names in the reader's language."""
    return [local_name(g.iso3, g.name, language) for g in governments]


def _chairmanship_info(chairmanship: Chairmanship, language: str) -> ChairmanshipInfo:
    """The facts about a chairmanship that head its report."""
    return ChairmanshipInfo(
        id=chairmanship.id,
        label=chairmanship.label,
        theme=chairmanship.in_language("theme", language),
        chairs=_government_names(chairmanship.chairs, language),
        starts_on=chairmanship.starts_on,
        ends_on=chairmanship.ends_on,
        summit_city=chairmanship.summit_city,
        opening_balance=chairmanship.opening_balance or ZERO,
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


def _deliverable_item(
    deliverable: Deliverable, today: date, language: str, with_responsible: bool = True
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
            _government_names(deliverable.responsible_governments, language)
            if with_responsible
            else []
        ),
    )


def _budget_row(key, label, requirements, pledges, pledged, committed, received) -> BudgetRow:
    """A BudgetRow from requirements and the converted money set against them."""
    pledged, committed, received = (value or ZERO for value in (pledged, committed, received))
    return BudgetRow(
        key=key,
        label=label,
        requirements=requirements,
        pledges=pledges or 0,
        pledged_base=pledged,
        committed_base=committed,
        received_base=received,
        coverage=_share(committed, requirements),
        pledged_coverage=_share(pledged, requirements),
        gap=max(requirements - committed, ZERO) if requirements is not None else None,
    )


def _budget(facts, chairmanship_id: int, language: str) -> Budget:
    """A chairmanship's budget lines with the converted money set against each, and the money
    set against none, in one query; the whole budget is their sum."""
    money = (
        select(
            facts.c.budget_line_id.label("line_id"),
            func.count().label("pledges"),
            *(
                type_coerce(func.sum(facts.c[column]), MONEY).label(name)
                for name, column in _BUDGET_MONEY.items()
            ),
        )
        .group_by(facts.c.budget_line_id)
        .subquery("line_money")
    )
    amounts = [money.c[name] for name in _BUDGET_MONEY]
    lines = (
        select(
            BudgetLine.id.label("line_id"),
            BudgetLine.position,
            BudgetLine.name,
            BudgetLine.name_fr,
            BudgetLine.name_es,
            BudgetLine.amount.label("requirements"),
            money.c.pledges,
            *amounts,
        )
        .outerjoin(money, money.c.line_id == BudgetLine.id)
        .where(BudgetLine.chairmanship_id == chairmanship_id)
    )
    loose = select(
        money.c.line_id,
        _null(Integer),
        _null(String),
        _null(String),
        _null(String),
        _null_money(),
        money.c.pledges,
        *amounts,
    ).where(money.c.line_id.is_(None))
    rows = db.session.execute(union_all(lines, loose)).all()
    rows.sort(key=lambda row: (row.line_id is None, row.position or 0, row.line_id or 0))
    language = language.split("_")[0]
    built = [
        _budget_row(
            str(row.line_id) if row.line_id is not None else None,
            (getattr(row, f"name_{language}", None) or row.name) if row.line_id else None,
            row.requirements if row.line_id is not None else None,
            row.pledges,
            *(getattr(row, name) for name in _BUDGET_MONEY),
        )
        for row in rows
    ]
    by_line = [row for row in built if row.key is not None]
    loose_row = next(
        (row for row in built if row.key is None), _budget_row(None, None, None, 0, *[None] * 3)
    )
    requirements = sum((row.requirements for row in by_line), ZERO) if by_line else None
    return Budget(
        lines=by_line,
        not_set_against_a_line=loose_row,
        totals=_budget_row(
            None,
            None,
            requirements,
            sum(row.pledges for row in built),
            *(sum((getattr(row, name) for row in built), ZERO) for name in _BUDGET_MONEY),
        ),
    )


_BUDGET_MONEY = {
    "pledged_base": "amount_base",
    "committed_base": "committed_base",
    "received_base": "received_base",
}


@dataclass
class IndicatorProgress:
    """An indicator of a work-plan objective: from its baseline toward its target, and the share
    of that way its latest value has covered, in percent (above 100 past the target, below 0
    the wrong way)."""

    indicator_id: int
    work_plan: str
    objective: str
    name: str
    unit: str
    direction: str
    sdg_indicator: str | None
    baseline_value: Decimal | None
    baseline_year: int | None
    target_value: Decimal | None
    target_year: int | None
    latest_value: Decimal | None
    latest_year: int | None
    percent_of_way: Decimal | None


def indicator_progress(language: str, *conditions) -> list[IndicatorProgress]:
    """The live objectives' indicators (those matching the conditions), plan by plan and
    objective by objective."""
    found = db.session.scalars(
        select(Indicator)
        .join(Objective, Objective.id == Indicator.objective_id)
        .join(WorkPlan, WorkPlan.id == Objective.work_plan_id)
        .where(
            Indicator.archived_at.is_(None),
            Objective.archived_at.is_(None),
            WorkPlan.archived_at.is_(None),
            *conditions,
        )
        # The objective and its plan come with the row; the values in one more query.
        .options(
            selectinload(Indicator.values),
            contains_eager(Indicator.objective).contains_eager(Objective.work_plan),
        )
        .order_by(WorkPlan.first_year, WorkPlan.title, Objective.code, Indicator.id)
    ).all()
    rows = []
    for indicator in found:
        progress = indicator_rules.progress(indicator)
        latest = progress.latest
        rows.append(
            IndicatorProgress(
                indicator_id=indicator.id,
                work_plan=indicator.objective.work_plan.title,
                objective=indicator.objective.code,
                name=indicator.in_language("name", language),
                unit=indicator.unit,
                direction=indicator.direction,
                sdg_indicator=indicator.sdg_indicator,
                baseline_value=indicator.baseline_value,
                baseline_year=indicator.baseline_year,
                target_value=indicator.target_value,
                target_year=indicator.target_year,
                latest_value=latest.value if latest else None,
                latest_year=latest.year if latest else None,
                percent_of_way=progress.percent,
            )
        )
    return rows
