"""What many tests share: counting SQL statements, reading a page and its form, posting an edit
as a browser does, checking that a refused request wrote nothing, and the reporting scenario
(a chairmanship with everything a report adds up) with its totals recounted by hand."""

import html
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal

from flask import Flask
from sqlalchemy import event, func, select

from workplan.extensions import db
from workplan.models import AuditEvent, Chairmanship, ExchangeRate, Pledge

_VERSION = re.compile(r'name="version" type="hidden" value="(\d+)"')


@contextmanager
def counting_queries(app: Flask) -> Iterator[list[str]]:
    """Collect the SQL statements the app sends to the database inside the block."""
    with app.app_context():
        engine = db.engine
    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def version_on(page: str) -> str:
    """The record version an edit form carries (its hidden field)."""
    found = _VERSION.search(page)
    assert found, "the page has no version field"
    return found.group(1)


def post_edit(client, url: str, data: dict):
    """Open an edit form and send it with the version it carried, as a browser does."""
    page = client.get(url).get_data(as_text=True)
    return client.post(url, data={"version": version_on(page), **data})


def text_of(response) -> str:
    """The page as a person reads it: entities decoded."""
    return html.unescape(response.get_data(as_text=True))


def rows_of(response) -> str:
    """The text of a list page's table of records (or empty when the list is empty)."""
    page = text_of(response)
    tables = re.findall(r"<table class=\"table[^\"]*table-striped.*?</table>", page, re.S)
    return "".join(tables)


def changing_forms(page: str) -> list[str]:
    """The POST forms of a page that would change the programme or its money (the page's own
    address when the form names none); logout and the like are not counted."""
    actions = re.findall(r'<form method="post"(?: action="([^"]*)")?', page)
    mine = ("/chairmanships", "/organisations", "/workplans", "/roundtables", "/teams", "/pledges")
    return [a or "(this page)" for a in actions if not a or a.startswith(mine)]


def field_error(response, field_id: str) -> str:
    """The error shown next to a field (the macro gives it the id FIELD-error)."""
    match = re.search(
        rf'id="{re.escape(field_id)}-error">(.*?)</div>', response.get_data(as_text=True), re.S
    )
    assert match, f"no error shown next to {field_id}"
    return html.unescape(match.group(1)).strip()


def row_counts(make) -> dict[str, int]:
    """How many rows every table holds: a refused request must leave them all as they were."""
    make.session.expire_all()
    return {
        table.name: make.session.scalar(select(func.count()).select_from(table))
        for table in db.metadata.sorted_tables
    }


def audit_events(make, record_type: str, record_id: int) -> list[AuditEvent]:
    """The audit trail of one record, oldest first."""
    make.session.expire_all()
    return make.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.record_type == record_type, AuditEvent.record_id == record_id)
        .order_by(AuditEvent.id)
    ).all()


def refused_without_writing(client, make, url: str, data: dict, status: int = 400):
    """POST bad input and check it was refused and nothing at all was written.

    An edit is sent with the version its form carries, so only the bad input is refused.
    """
    if url.endswith("/edit") and "version" not in data:
        data = {"version": version_on(client.get(url).get_data(as_text=True)), **data}
    before = row_counts(make)
    response = client.post(url, data=data)
    assert response.status_code == status, text_of(response)[:2000]
    assert row_counts(make) == before
    return response


# The reporting scenario: one chairmanship with everything a report adds up, in several currencies

BASE = "USD"
CENT = Decimal("0.01")


def cents(value: Decimal) -> Decimal:
    """Round to the cent the way the report does: half up, per pledge or payment."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def expected_funding(session, chairmanship_id: int, base: str = BASE) -> dict:
    """The funding totals, recomputed with plain Python over the stored rows, by the rule of
    docs/reports.md: a recorded rate (the payment's, else its pledge's), else 1 for the
    reporting currency, else the table's rate for the month; a pledge counts only when its
    amount and every payment convert."""
    session.expire_all()
    pledges = session.scalars(select(Pledge).where(Pledge.chairmanship_id == chairmanship_id)).all()
    chairmanship = session.get(Chairmanship, chairmanship_id)
    table = {(r.currency, r.month): r.rate for r in session.scalars(select(ExchangeRate))}

    def rate_for(currency: str, day: date, recorded: Decimal | None) -> Decimal | None:
        if recorded is not None:
            return recorded
        if currency == base:
            return Decimal(1)
        return table.get((currency, day.replace(day=1)))

    totals = dict.fromkeys(
        ("pledged", "committed", "received", "outstanding", "overpaid", "before"), Decimal("0.00")
    )
    unconverted = []
    for pledge in pledges:
        if pledge.archived_at is not None:
            continue
        rate = rate_for(pledge.currency, pledge.pledged_on, pledge.rate_to_base)
        payment_rates = [
            rate_for(pledge.currency, p.received_on, p.rate_to_base or pledge.rate_to_base)
            for p in pledge.payments
        ]
        if rate is None or None in payment_rates:
            unconverted.append(pledge.id)
            continue
        received = sum((p.amount for p in pledge.payments), Decimal("0.00"))
        for payment, payment_rate in zip(pledge.payments, payment_rates, strict=True):
            totals["received"] += cents(payment.amount * payment_rate)
        totals["pledged"] += cents(pledge.amount * rate)
        if pledge.pledged_on < chairmanship.starts_on:
            totals["before"] += cents(pledge.amount * rate)
        if pledge.status == "committed":
            totals["committed"] += cents(pledge.amount * rate)
            if pledge.amount > received:
                totals["outstanding"] += cents((pledge.amount - received) * rate)
        if received > pledge.amount:
            totals["overpaid"] += cents((received - pledge.amount) * rate)
    totals["unconverted"] = sorted(unconverted)
    totals["share"] = (
        (totals["before"] * 100 / totals["pledged"]).quantize(Decimal("0.1"), ROUND_HALF_UP)
        if totals["pledged"]
        else None
    )
    return totals


def build_forum(make) -> dict:
    """A chairmanship with roundtables, a team, deliverables, meetings and mixed-currency money."""
    chairmanship = make.chairmanship(
        label="GFMD 2024 (test)",
        starts_on=date(2024, 1, 1),
        ends_on=date(2024, 12, 31),
        opening_balance=Decimal("2500.00"),
    )
    sweden = make.government(iso3="SWE", name="Sweden")
    morocco = make.government(iso3="MAR", name="Morocco")
    iom = make.organisation(name="International Organization for Migration", acronym="IOM")
    foundation = make.organisation(name='=HYPERLINK("http://evil.example","x")')
    rt1 = make.roundtable(chairmanship=chairmanship, number="1.1", co_chairs=[sweden, morocco])
    rt2 = make.roundtable(chairmanship=chairmanship, number="1.2", co_chairs=[morocco])
    team = make.team(lead=sweden, name="Labour mobility team")
    make.team_membership(team, morocco, joined_year=2023)
    plan = make.work_plan(title="Multiannual work plan 2023-2025")
    objective = make.objective(plan, code="A", title="Shared knowledge")
    d = {
        "late": make.deliverable(
            responsible=[sweden],
            owner=rt1,
            status="in_progress",
            percent_complete=30,
            due_on=date(2024, 3, 31),
            objective=objective,
            title="Background paper on recruitment costs",
        ),
        "risky": make.deliverable(
            responsible=[sweden, morocco],
            owner=rt1,
            status="at_risk",
            percent_complete=50,
            due_on=date(2024, 9, 30),
            objective=objective,
        ),
        "done": make.deliverable(
            responsible=[morocco],
            owner=rt2,
            status="completed",
            percent_complete=100,
            due_on=date(2024, 2, 1),
        ),
        "dropped": make.deliverable(
            responsible=[morocco], owner=rt2, status="dropped", percent_complete=10
        ),
        "team": make.deliverable(
            responsible=[sweden],
            owner=team,
            chairmanship=chairmanship,
            status="planned",
            percent_complete=0,
            due_on=date(2024, 12, 1),
        ),
    }
    make.meeting(chairmanship=chairmanship, starts_at=datetime(2024, 2, 5, 8, tzinfo=UTC))
    make.meeting(
        chairmanship=chairmanship,
        starts_at=datetime(2024, 3, 5, 8, tzinfo=UTC),
        kind="roundtable_session",
        roundtable=rt1,
    )
    make.meeting(chairmanship=chairmanship, starts_at=datetime(2024, 10, 5, 8, tzinfo=UTC))
    make.meeting(chairmanship=chairmanship, state="cancelled")
    make.meeting(chairmanship=chairmanship, state="draft")
    # Sweden: EUR, committed before the term, two payments at their own rates.
    eur = make.pledge(
        donor=sweden,
        chairmanship=chairmanship,
        amount="10000.00",
        currency="EUR",
        rate_to_base=Decimal("1.08333333"),
        status="committed",
        committed_on=date(2023, 12, 1),
        pledged_on=date(2023, 11, 15),
    )
    make.payment(eur, amount="2500.00", rate_to_base=Decimal("1.10"), received_on=date(2024, 2, 1))
    make.payment(eur, amount="1234.56", received_on=date(2024, 4, 1))
    # IOM: USD, overpaid.
    usd = make.pledge(
        donor=iom,
        chairmanship=chairmanship,
        amount="5000.00",
        currency="USD",
        status="committed",
        committed_on=date(2024, 2, 1),
        pledged_on=date(2024, 1, 20),
    )
    make.payment(usd, amount="5250.00", received_on=date(2024, 3, 1))
    # Morocco: CHF in kind for a roundtable, pledged only.
    make.pledge(
        donor=morocco,
        chairmanship=chairmanship,
        amount="3000.00",
        currency="CHF",
        rate_to_base=Decimal("1.12"),
        kind="in_kind",
        in_kind_description="Conference venue",
        earmark="roundtable",
        earmark_roundtable=rt1,
        pledged_on=date(2023, 12, 20),
    )
    # The foundation: JPY without a rate, for a named activity.
    unconverted = make.pledge(
        donor=foundation,
        chairmanship=chairmanship,
        amount="900000.00",
        currency="JPY",
        earmark="activity",
        earmark_activity="Civil society days",
        status="committed",
        committed_on=date(2024, 3, 1),
        pledged_on=date(2024, 2, 1),
    )
    make.payment(unconverted, amount="100000.00", received_on=date(2024, 5, 1))
    return {
        "chairmanship": chairmanship,
        "sweden": sweden,
        "morocco": morocco,
        "rt1": rt1,
        "team": team,
        "objective": objective,
        "deliverables": d,
        "unconverted": unconverted,
        "overpaid": usd,
    }
