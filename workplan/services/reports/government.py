"""The government report: what one state co-chairs, joins, owes and pledged."""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import (
    Date,
    Integer,
    String,
    case,
    literal,
    select,
    type_coerce,
    union_all,
)
from sqlalchemy.orm import joinedload, selectinload

from workplan.countries import local_name
from workplan.extensions import db
from workplan.models import (
    Chairmanship,
    Deliverable,
    Government,
    GovernmentTeam,
    Payment,
    Pledge,
    Roundtable,
    TeamMembership,
    chairmanship_chairs,
    deliverable_governments,
    roundtable_co_chairs,
)
from workplan.models.pledge import MONEY
from workplan.models.roundtable import RoundtableMember
from workplan.services import exchange_rates
from workplan.services.reports.common import (
    ChairmanshipInfo,
    DeliverableItem,
    FundingRow,
    PaymentLine,
    PledgeLine,
    StatusRow,
    _chairmanship_info,
    _deliverable_facts,
    _deliverable_item,
    _funding_branch,
    _funding_row,
    _ledger,
    _null,
    _pledge_facts,
    _status_branch,
    _status_row,
    _union,
    converted,
)


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


def _roles(government_id: int, language: str) -> list[Role]:
    """The roundtables a government co-chaired or joined, and the teams it led or joined."""
    co_chaired = (
        select(
            literal("roundtable", String).label("body"),
            Roundtable.id.label("id"),
            (literal("RT ") + Roundtable.number).label("name"),
            Roundtable.title_column(language).label("title"),
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
            Roundtable.title_column(language),
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
    government: Government, *, base_currency: str, now: datetime, language: str = "en"
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
    roles = _roles(government.id, language)
    responsible = select(deliverable_governments.c.deliverable_id).where(
        deliverable_governments.c.government_id == government.id
    )
    facts = _deliverable_facts(
        Deliverable.id.in_(responsible), Chairmanship.archived_at.is_(None), language=language
    )
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
    payment_rate = exchange_rates.payment_rate(base_currency)
    # A payment of a pledge that does not convert as a whole is listed without a converted
    # amount, as its pledge is left out of the converted totals.
    counted = pledge_facts.c.unconverted == 0
    payments = db.session.execute(
        select(
            Payment.id,
            Payment.pledge_id,
            Chairmanship.label,
            Payment.received_on,
            Pledge.currency,
            Payment.amount,
            payment_rate.label("rate"),
            type_coerce(case((counted, converted(Payment.amount, payment_rate))), MONEY).label(
                "amount_base"
            ),
            Payment.reference,
        )
        .join(Pledge, Pledge.id == Payment.pledge_id)
        .join(pledge_facts, pledge_facts.c.pledge_id == Pledge.id)
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
        government=GovernmentInfo(
            id=government.id,
            iso3=government.iso3,
            name=local_name(government.iso3, government.name, language),
        ),
        chairmanships=[_chairmanship_info(c, language) for c in chaired],
        roundtables=[role for role in roles if role.body == "roundtable"],
        teams=[role for role in roles if role.body == "team"],
        deliverables_by_chairmanship=[_status_row(row) for row in status_rows],
        deliverables=[_deliverable_item(d, today, language) for d in deliverables],
        funding_totals=funding["total"][0],
        funding_by_chairmanship=funding["chairmanship"],
        pledges=_ledger(pledge_facts, language, base_currency),
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
