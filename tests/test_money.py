"""Money the Steering Group can trust (issue 15): one conversion rule with the exchange-rate
table, a pledge converted whole or listed apart, payments that commit a pledge, budgets with
coverage and gap, and every format agreeing to the cent over random mixes."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from sqlalchemy import delete, func, select

from tests.helpers import BASE, expected_funding
from workplan.models import BudgetLine, ExchangeRate, Payment, Pledge

D = Decimal


@pytest.fixture
def secretariat(client, auth, make):
    """A client signed in as the secretariat."""
    auth.login(make.user(role="secretariat"))
    return client


@pytest.fixture
def term(make):
    """A chairmanship of 2024 with a government and an organisation to give money."""
    return {
        "chairmanship": make.chairmanship(
            label="GFMD 2024", starts_on=date(2024, 1, 1), ends_on=date(2024, 12, 31)
        ),
        "germany": make.government(iso3="DEU", name="Germany"),
        "fund": make.organisation(name="A Foundation"),
    }


def report(client, term) -> dict:
    """The chairmanship report as JSON."""
    response = client.get(f"/reports/chairmanships/{term['chairmanship'].id}.json")
    assert response.status_code == 200
    return response.get_json()


# The Germany case


def test_a_pledge_without_a_rate_is_left_out_whole_with_its_payment(secretariat, make, term):
    """A EUR pledge with no rate, committed, with a payment at its own rate: neither the pledge
    nor its payment is counted in any converted total; the report lists it apart with the
    month it lacks, and the pledge's page says so with a link to add the rate."""
    pledge = make.pledge(
        donor=term["germany"],
        chairmanship=term["chairmanship"],
        amount="50000.00",
        currency="EUR",
        status="committed",
        committed_on=date(2024, 3, 1),
        pledged_on=date(2024, 2, 10),
    )
    make.payment(pledge, amount="50000.00", rate_to_base=D("1.08"), received_on=date(2024, 4, 2))
    funding = report(secretariat, term)["funding"]
    totals = funding["totals"]
    assert totals["pledged_base"] is None and totals["committed_base"] is None
    assert totals["received_base"] is None, "a payment was counted without its pledge"
    assert totals["unconverted"] == 1
    germany = next(row for row in funding["by_donor"] if row["label"] == "Germany")
    assert (germany["committed_base"], germany["received_base"]) == (None, None)
    assert [line["id"] for line in funding["unconverted"]] == [pledge.id]
    assert funding["unconverted"][0]["missing_rates"] == [
        {"currency": "EUR", "month": "2024-02-01"}
    ]
    page = secretariat.get(f"/pledges/{pledge.id}").get_data(as_text=True)
    assert "Not converted to USD." in page
    assert "/pledges/rates?currency=EUR&amp;month=2024-02#add-rate" in page
    # The rate for February arrives: the pledge and its payment (at its own rate) count.
    make.exchange_rate("EUR", date(2024, 2, 1), "1.10")
    totals = report(secretariat, term)["funding"]["totals"]
    assert (totals["committed_base"], totals["received_base"]) == ("55000.00", "54000.00")
    assert totals["unconverted"] == 0
    assert "Not converted" not in secretariat.get(f"/pledges/{pledge.id}").get_data(as_text=True)


def test_the_table_converts_each_amount_at_the_rate_for_its_month(secretariat, make, term):
    """A pledge at its month's rate, each payment at its own month's; a missing month leaves
    the whole pledge out; a rate recorded on the pledge overrides the table for its payments."""
    make.exchange_rate("CHF", date(2024, 1, 1), "1.10")
    make.exchange_rate("CHF", date(2024, 3, 1), "1.20")
    by_table = make.pledge(
        donor=term["fund"],
        chairmanship=term["chairmanship"],
        amount="1000.00",
        currency="CHF",
        status="committed",
        committed_on=date(2024, 1, 20),
        pledged_on=date(2024, 1, 15),
    )
    make.payment(by_table, amount="400.00", received_on=date(2024, 3, 31))
    funding = report(secretariat, term)["funding"]
    assert funding["totals"]["pledged_base"] == "1100.00"
    assert funding["totals"]["received_base"] == "480.00"
    # A payment in a month the table lacks: the whole pledge is listed apart.
    make.payment(by_table, amount="100.00", received_on=date(2024, 5, 2))
    funding = report(secretariat, term)["funding"]
    assert funding["totals"]["pledged_base"] is None
    assert funding["unconverted"][0]["missing_rates"] == [
        {"currency": "CHF", "month": "2024-05-01"}
    ]
    # Recorded on the pledge, a rate wins over the table for the pledge and its payments.
    make.fresh(Pledge, by_table.id).rate_to_base = D("1.5")
    make.session.commit()
    totals = report(secretariat, term)["funding"]["totals"]
    assert (totals["pledged_base"], totals["received_base"]) == ("1500.00", "750.00")
    expected = expected_funding(make.session, term["chairmanship"].id)
    assert totals["received_base"] == str(expected["received"])


def test_the_pledge_page_says_where_each_rate_comes_from(secretariat, make, term):
    make.exchange_rate("EUR", date(2024, 2, 1), "1.0825")
    pledge = make.pledge(
        donor=term["germany"],
        chairmanship=term["chairmanship"],
        amount="100.00",
        currency="EUR",
        pledged_on=date(2024, 2, 10),
    )
    page = secretariat.get(f"/pledges/{pledge.id}").get_data(as_text=True)
    assert "1.0825 (exchange-rate table, February 2024)" in page


# Payments follow the pledge's life


def test_a_payment_commits_a_pledge_that_was_only_pledged(secretariat, make, term, db_session):
    pledge = make.pledge(
        donor=term["germany"],
        chairmanship=term["chairmanship"],
        amount="1000.00",
        pledged_on=date(2024, 2, 10),
    )
    response = secretariat.post(
        f"/pledges/{pledge.id}/payments",
        data={"amount": "250", "received_on": "2024-03-05"},
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert "the pledge is now committed as of 5 March 2024" in page
    db_session.expire_all()
    stored = db_session.get(Pledge, pledge.id)
    assert (stored.status, stored.committed_on) == ("committed", date(2024, 3, 5))
    totals = report(secretariat, term)["funding"]["totals"]
    assert (totals["committed_base"], totals["received_base"]) == ("1000.00", "250.00")


def test_a_payment_before_its_pledge_is_refused_and_changes_nothing(
    secretariat, make, term, db_session
):
    pledge = make.pledge(
        donor=term["germany"], chairmanship=term["chairmanship"], pledged_on=date(2024, 2, 10)
    )
    response = secretariat.post(
        f"/pledges/{pledge.id}/payments", data={"amount": "250", "received_on": "2024-01-05"}
    )
    assert response.status_code == 400
    assert "a payment against it cannot arrive before" in response.get_data(as_text=True)
    db_session.expire_all()
    assert db_session.scalar(select(func.count(Payment.id))) == 0
    assert db_session.get(Pledge, pledge.id).status == "pledged"


# The exchange-rate table


def test_the_secretariat_records_replaces_and_removes_a_rate(secretariat, db_session):
    response = secretariat.post(
        "/pledges/rates",
        data={"currency": "eur", "month": "2024-03", "rate": "1.085", "source": "UN"},
        follow_redirects=True,
    )
    assert "The rate of EUR for March 2024 is saved." in response.get_data(as_text=True)
    secretariat.post(
        "/pledges/rates",
        data={"currency": "EUR", "month": "2024-03", "rate": "1.09", "source": "UN, revised"},
    )
    rates = db_session.scalars(select(ExchangeRate)).all()
    assert [(r.currency, r.month, r.rate, r.source) for r in rates] == [
        ("EUR", date(2024, 3, 1), D("1.09"), "UN, revised")
    ]
    page = secretariat.get("/pledges/rates").get_data(as_text=True)
    assert "1.09" in page and "UN, revised" in page
    secretariat.post(f"/pledges/rates/{rates[0].id}/remove")
    db_session.expire_all()
    assert db_session.scalar(select(func.count(ExchangeRate.id))) == 0


def test_rates_are_written_the_readers_way_with_every_decimal(secretariat, make):
    """0.0077 in English, 0,0077 in French: not rounded to three places, not the code's dot."""
    make.exchange_rate("JPY", date(2024, 3, 1), "0.0077")
    english = secretariat.get("/pledges/rates", headers={"Accept-Language": "en"}).text
    french = secretariat.get("/pledges/rates", headers={"Accept-Language": "fr"}).text
    assert ">0.0077<" in english
    assert ">0,0077<" in french and "0.0077" not in french


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"currency": "USD", "month": "2024-03", "rate": "1"}, "USD is the reporting currency"),
        ({"currency": "EUR", "month": "March", "rate": "1.1"}, "such as 2026-03"),
        ({"currency": "EUR", "month": "2024-03", "rate": "0"}, "must be more than zero"),
        ({"currency": "EUR", "month": "2024-03", "rate": "1.123456789"}, "eight decimals"),
        ({"currency": "XYZ", "month": "2024-03", "rate": "1.1"}, "ISO 4217"),
        ({"currency": "EUR", "month": "2024-03", "rate": "1.1", "source": " "}, "Say where"),
    ],
)
def test_a_bad_rate_is_refused_with_a_sentence(secretariat, db_session, data, message):
    response = secretariat.post("/pledges/rates", data={"source": "UN", **data})
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert db_session.scalar(select(func.count(ExchangeRate.id))) == 0


def test_members_read_the_table_but_only_the_secretariat_changes_it(client, auth, make):
    make.exchange_rate("EUR", date(2024, 3, 1), "1.09")
    auth.login(make.user(role="member"))
    page = client.get("/pledges/rates").get_data(as_text=True)
    assert "1.09" in page and "Record a rate" not in page
    response = client.post(
        "/pledges/rates",
        data={"currency": "EUR", "month": "2024-04", "rate": "1.1", "source": "UN"},
    )
    assert response.status_code == 403


def csv_file(text: str) -> dict:
    return {"file": (io.BytesIO(text.encode()), "rates.csv")}


def test_a_csv_of_un_operational_rates_is_imported_inverted(secretariat, db_session):
    """The UN quotes units of a currency for one dollar; the table keeps dollars for one unit."""
    response = secretariat.post(
        "/pledges/rates/import",
        data={
            **csv_file("currency;month;units_per_base\nEUR;2024-03;0.925\nJPY;2024-03;150\n"),
            "source": "UN operational rates of exchange",
        },
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert "2 rates imported: 2 new, 0 replacing" in response.get_data(as_text=True)
    rates = {r.currency: r for r in db_session.scalars(select(ExchangeRate))}
    assert rates["EUR"].rate == D("1.08108108") and rates["JPY"].rate == D("0.00666667")
    assert rates["JPY"].source == "UN operational rates of exchange"


def test_a_csv_with_one_bad_line_imports_nothing(secretariat, db_session):
    response = secretariat.post(
        "/pledges/rates/import",
        data=csv_file("currency,month,rate,source\nEUR,2024-03,1.08,UN\nGBP,2024-03,-1,UN\n"),
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert "Line 3: the rate must be more than zero." in response.get_data(as_text=True)
    assert db_session.scalar(select(func.count(ExchangeRate.id))) == 0


# Budgets


def test_budget_lines_show_coverage_and_gap(secretariat, make, term, db_session):
    chairmanship = term["chairmanship"]
    response = secretariat.post(
        f"/chairmanships/{chairmanship.id}/budget",
        data={"name": "Summit", "name_fr": "Sommet", "amount": "200,000"},
        follow_redirects=True,
    )
    assert "“Summit” is added to the budget." in response.get_data(as_text=True)
    support = make.budget_line(chairmanship, name="Support Unit", amount="100000.00")
    summit = db_session.scalar(select(BudgetLine).where(BudgetLine.name == "Summit"))
    pledge = make.pledge(
        donor=term["germany"],
        chairmanship=chairmanship,
        amount="50000.00",
        status="committed",
        committed_on=date(2024, 1, 2),
        pledged_on=date(2024, 1, 1),
        budget_line_id=summit.id,
    )
    make.payment(pledge, amount="20000.00", received_on=date(2024, 2, 1))
    make.pledge(
        donor=term["fund"],
        chairmanship=chairmanship,
        amount="30000.00",
        pledged_on=date(2024, 1, 1),
    )
    budget = report(secretariat, term)["funding"]["budget"]
    lines = {row["label"]: row for row in budget["lines"]}
    assert lines["Summit"]["coverage"] == "25.0" and lines["Summit"]["gap"] == "150000.00"
    assert lines["Summit"]["received_base"] == "20000.00"
    assert (
        lines["Support Unit"]["coverage"] == "0.0" and lines["Support Unit"]["gap"] == "100000.00"
    )
    assert budget["not_set_against_a_line"]["pledged_base"] == "30000.00"
    totals = budget["totals"]
    assert (totals["requirements"], totals["committed_base"]) == ("300000.00", "50000.00")
    assert (totals["coverage"], totals["gap"]) == ("16.7", "250000.00")
    page = secretariat.get(f"/chairmanships/{chairmanship.id}").get_data(as_text=True)
    assert 'aria-label="25 percent covered"' in page
    # Removing a line pledges are set against is refused; an empty one goes.
    refused = secretariat.post(f"/chairmanships/{chairmanship.id}/budget/{summit.id}/remove")
    assert refused.status_code == 409
    assert "1 pledge is set against “Summit”" in refused.get_data(as_text=True)
    secretariat.post(f"/chairmanships/{chairmanship.id}/budget/{support.id}/remove")
    assert [line.name for line in db_session.scalars(select(BudgetLine))] == ["Summit"]
    # French readers see the French name of the line.
    secretariat.post("/language", data={"lang": "fr"})
    assert report(secretariat, term)["funding"]["budget"]["lines"][0]["label"] == "Sommet"


def test_a_budget_line_is_edited_from_the_version_seen(secretariat, make, term, db_session):
    line = make.budget_line(term["chairmanship"], name="Summit", amount="100.00")
    url = f"/chairmanships/{term['chairmanship'].id}/budget/{line.id}/edit"
    assert secretariat.get(url).status_code == 200
    stale = {"name": "Summit", "amount": "300", "version": "1"}
    secretariat.post(url, data={"name": "Summit", "amount": "200", "version": "1"})
    response = secretariat.post(url, data=stale)
    assert response.status_code == 409
    db_session.expire_all()
    assert db_session.get(BudgetLine, line.id).amount == D("200.00")


def test_a_pledge_cannot_be_set_against_another_chairmanships_line(secretariat, make, term):
    other = make.chairmanship(label="GFMD 2025")
    line = make.budget_line(other, name="Summit")
    response = secretariat.post(
        "/pledges/new",
        data={
            "donor": f"gov:{term['germany'].iso3}",
            "chairmanship": term["chairmanship"].id,
            "amount": "100",
            "currency": "USD",
            "kind": "cash",
            "earmark": "general",
            "budget_line": line.id,
            "pledged_on": "2024-01-01",
        },
    )
    assert response.status_code == 400
    assert "is a line of GFMD 2025" in response.get_data(as_text=True)


# Every format agrees, over random mixes

CURRENCIES = ["USD", "EUR", "CHF", "JPY"]
MONTHS = [date(2024, month, 1) for month in (1, 2, 3, 4)]
amounts = st.integers(min_value=1, max_value=5_000_000_00).map(lambda cents: D(cents) / 100)
rates = st.integers(min_value=1, max_value=300_000_000).map(lambda units: D(units) / 10**8)
payment = st.fixed_dictionaries(
    {
        "amount": amounts,
        "month": st.sampled_from(MONTHS),
        "rate": st.one_of(st.none(), rates),
    }
)
pledge = st.fixed_dictionaries(
    {
        "currency": st.sampled_from(CURRENCIES),
        "amount": amounts,
        "month": st.sampled_from(MONTHS),
        "rate": st.one_of(st.none(), rates),
        "committed": st.booleans(),
        "donor": st.integers(min_value=0, max_value=1),
        "line": st.one_of(st.none(), st.integers(min_value=0, max_value=1)),
        "payments": st.lists(payment, max_size=3),
    }
)
mix = st.fixed_dictionaries(
    {
        "pledges": st.lists(pledge, min_size=1, max_size=6),
        "table": st.dictionaries(
            st.tuples(st.sampled_from(CURRENCIES[1:]), st.sampled_from(MONTHS)), rates, max_size=8
        ),
    }
)


def _load_mix(make, term, drawn) -> None:
    """Replace the term's money with the drawn mix."""
    session = make.session
    for model in (Payment, Pledge, BudgetLine, ExchangeRate):
        session.execute(delete(model))
    session.commit()
    lines = [
        make.budget_line(term["chairmanship"], name=name, amount="250000.00")
        for name in ("Summit", "Support Unit")
    ]
    for (currency, month), rate in drawn["table"].items():
        make.exchange_rate(currency, month, str(rate))
    donors = [term["germany"], term["fund"]]
    for spec in drawn["pledges"]:
        pledged_on = spec["month"].replace(day=5)
        made = make.pledge(
            donor=donors[spec["donor"]],
            chairmanship=term["chairmanship"],
            amount=str(spec["amount"]),
            currency=spec["currency"],
            rate_to_base=spec["rate"] if spec["currency"] != BASE else None,
            status="committed" if spec["committed"] else "pledged",
            committed_on=pledged_on if spec["committed"] else None,
            pledged_on=pledged_on,
            budget_line_id=lines[spec["line"]].id if spec["line"] is not None else None,
        )
        for paid in spec["payments"]:
            make.payment(
                made,
                amount=str(paid["amount"]),
                received_on=paid["month"].replace(day=20),
                rate_to_base=paid["rate"] if spec["currency"] != BASE else None,
            )


def _csv_summary(body: bytes) -> dict:
    rows = csv.DictReader(io.StringIO(body.decode("utf-8"), newline=""))
    return {r["measure"]: r["value"] for r in rows if r["section"] == "summary"}


def _xlsx_summary(body: bytes) -> dict:
    """The workbook's summary by measure key (its first "Measure" column holds the keys)."""
    sheet = load_workbook(io.BytesIO(body))["Summary"]
    header = [cell.value for cell in sheet[1]]
    at = header.index("Measure"), header.index("Value")
    return {row[at[0]].value: row[at[1]].value for row in sheet.iter_rows(min_row=2)}


def _sum(values) -> Decimal:
    return sum((D(v) for v in values if v is not None), D("0.00"))


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(drawn=mix)
def test_totals_agree_everywhere_to_the_cent(member_client, make, term, drawn):
    """Random currencies, rates present or missing, partial and over-payments: the totals equal
    a plain recount, the breakdowns add up to them, and JSON, CSV and the workbook agree."""
    _load_mix(make, term, drawn)
    expected = expected_funding(make.session, term["chairmanship"].id)
    base_url = f"/reports/chairmanships/{term['chairmanship'].id}"
    funding = member_client.get(f"{base_url}.json").get_json()["funding"]
    totals = funding["totals"]
    assert sorted(line["id"] for line in funding["unconverted"]) == expected["unconverted"]
    keys = ("pledged", "committed", "received", "outstanding", "overpaid")
    for key in keys:
        assert _sum([totals[f"{key}_base"]]) == expected[key], key
        for rows in ("by_donor", "by_earmark", "by_kind", "by_currency"):
            assert _sum(r[f"{key}_base"] for r in funding[rows]) == expected[key], (rows, key)
    # In each currency, the breakdown's original amounts add up to the pledges themselves.
    for row in funding["by_currency"]:
        mine = [p for p in funding["pledges"] if p["currency"] == row["currency"]]
        assert D(row["pledged"]) == _sum(p["amount"] for p in mine)
        assert D(row["received"]) == _sum(p["received"] for p in mine)
    budget = funding["budget"]
    committed = [r["committed_base"] for r in budget["lines"]]
    committed.append(budget["not_set_against_a_line"]["committed_base"])
    assert _sum(committed) == _sum([budget["totals"]["committed_base"]]) == expected["committed"]
    csv_summary = _csv_summary(member_client.get(f"{base_url}.csv").data)
    xlsx_summary = _xlsx_summary(member_client.get(f"{base_url}.xlsx").data)
    for key in keys:
        value = expected[key] if totals[f"{key}_base"] is not None else None
        assert (D(csv_summary[f"{key}_base"]) if csv_summary[f"{key}_base"] else None) == value
        cell = xlsx_summary[f"{key}_base"]
        assert (D(str(cell)).quantize(D("0.01")) if cell is not None else None) == value


@pytest.fixture
def member_client(client, auth, make):
    auth.login(make.user(role="member"))
    return client


# Multi-year pledges


def edit_pledge(client, pledge, term, **changes):
    """Post the edit form of a USD cash pledge by Germany, with the changes given."""
    data = {
        "donor": "gov:DEU",
        "chairmanship": term["chairmanship"].id,
        "currency": "USD",
        "kind": "cash",
        "earmark": "general",
        "version": "1",
        **changes,
    }
    return client.post(f"/pledges/{pledge.id}/edit", data=data)


def test_instalments_are_scheduled_within_the_pledge(secretariat, make, term, db_session):
    pledge = make.pledge(
        donor=term["germany"],
        chairmanship=term["chairmanship"],
        amount="300000.00",
        pledged_on=date(2024, 3, 1),
    )
    url = f"/pledges/{pledge.id}/instalments"
    for due_on in ("2024-06-30", "2025-06-30"):
        response = secretariat.post(url, data={"amount": "100000", "due_on": due_on})
        assert response.status_code == 302
    refusals = [
        ({"amount": "150000", "due_on": "2026-06-30"}, "more than the 300,000.00 USD pledged"),
        ({"amount": "1000", "due_on": "2024-06-30"}, "already falls due on 30 June 2024"),
        ({"amount": "1000", "due_on": "2024-01-01"}, "cannot fall due before"),
    ]
    for data, message in refusals:
        response = secretariat.post(url, data=data)
        assert response.status_code == 400
        assert message in response.get_data(as_text=True)
    db_session.expire_all()
    assert [i.amount for i in db_session.get(Pledge, pledge.id).instalments] == [
        D("100000.00"),
        D("100000.00"),
    ]
    # The pledge cannot shrink below its schedule.
    edit = edit_pledge(secretariat, pledge, term, amount="150000", pledged_on="2024-03-01")
    assert edit.status_code == 400
    assert "add up to 200,000.00 USD" in edit.get_data(as_text=True)


def test_instalments_count_for_the_term_they_fall_in(secretariat, make, term):
    """A pledge to 2024 paid over three terms: each instalment counts for the chairmanship in
    office on its due date; the unscheduled rest for the pledge's own; what was pledged before
    a term began is the predictable part of that term's requirements."""
    now = term["chairmanship"]
    later = make.chairmanship(
        label="GFMD 2025", starts_on=date(2025, 1, 1), ends_on=date(2025, 12, 31)
    )
    last = make.chairmanship(
        label="GFMD 2026", starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 31)
    )
    for chairmanship in (now, later, last):
        make.budget_line(chairmanship, name="Summit", amount="400000.00")
    pledge = make.pledge(
        donor=term["germany"], chairmanship=now, amount="300000.00", pledged_on=date(2023, 10, 1)
    )
    make.instalment(pledge, due_on=date(2025, 3, 1), amount="100000.00")
    make.instalment(pledge, due_on=date(2026, 3, 1), amount="80000.00")
    response = secretariat.get("/reports/multiannual.json")
    with_time = response.get_json()
    funding = {row["chairmanship"]: row for row in with_time["funding"]}
    assert funding["GFMD 2024"]["pledged_for_term_base"] == "120000.00"
    assert funding["GFMD 2025"]["pledged_for_term_base"] == "100000.00"
    assert funding["GFMD 2026"]["pledged_for_term_base"] == "80000.00"
    assert funding["GFMD 2024"]["requirements_pledged_before_term_share"] == "30.0"
    assert funding["GFMD 2026"]["requirements_pledged_before_term_share"] == "20.0"


def test_overdue_instalments_show_on_the_dashboard(secretariat, make, term):
    pledge = make.pledge(
        donor=term["germany"],
        chairmanship=term["chairmanship"],
        amount="300000.00",
        status="committed",
        committed_on=date(2020, 1, 2),
        pledged_on=date(2020, 1, 1),
    )
    make.instalment(pledge, due_on=date(2020, 6, 30), amount="100000.00")
    make.instalment(pledge, due_on=date(2021, 6, 30), amount="100000.00")
    make.instalment(pledge, due_on=date(2999, 6, 30), amount="100000.00")
    make.payment(pledge, amount="150000.00", received_on=date(2020, 7, 1))
    page = secretariat.get("/").get_data(as_text=True)
    # Due before today: 200,000; received: 150,000.
    assert "Instalments overdue: 50,000.00 USD" in page
    detail = secretariat.get(f"/pledges/{pledge.id}").get_data(as_text=True)
    assert detail.count("Covered by payments") == 1 and detail.count(">Overdue<") == 1


# The handover pack


def test_the_handover_pack_holds_what_the_next_chair_needs(secretariat, make, term):
    chairmanship = term["chairmanship"]
    make.chairmanship(label="GFMD 2025", starts_on=date(2025, 1, 1), ends_on=date(2025, 12, 31))
    make.budget_line(chairmanship, name="Summit", amount="100000.00")
    open_pledge = make.pledge(
        donor=term["germany"],
        chairmanship=chairmanship,
        amount="60000.00",
        status="committed",
        committed_on=date(2024, 1, 5),
        pledged_on=date(2024, 1, 1),
    )
    make.instalment(open_pledge, due_on=date(2024, 6, 30), amount="30000.00")
    make.instalment(open_pledge, due_on=date(2999, 6, 30), amount="30000.00")
    make.payment(open_pledge, amount="10000.00", received_on=date(2024, 7, 1))
    paid = make.pledge(
        donor=term["fund"],
        chairmanship=chairmanship,
        amount="5000.00",
        status="committed",
        committed_on=date(2024, 1, 5),
        pledged_on=date(2024, 1, 1),
    )
    make.payment(paid, amount="5000.00", received_on=date(2024, 2, 1))
    jpy = make.pledge(
        donor=term["fund"], chairmanship=chairmanship, currency="JPY", amount="1000.00"
    )
    carried = make.deliverable(chairmanship=chairmanship, status="carried_over", title="Carried")
    make.deliverable(
        chairmanship=chairmanship, status="completed", percent_complete=100, title="Finished"
    )
    base = f"/reports/chairmanships/{chairmanship.id}/handover"
    pack = secretariat.get(f"{base}.json").get_json()
    assert pack["next_chairmanship"] == "GFMD 2025"
    assert pack["balances"]["in_hand_base"] == "15000.00"
    assert {p["id"] for p in pack["open_pledges"]} == {open_pledge.id, jpy.id}
    assert [(i["due_on"], i["state"]) for i in pack["instalments"]] == [
        ("2024-06-30", "overdue"),
        ("2999-06-30", "due"),
    ]
    assert [d["id"] for d in pack["open_deliverables"]] == [carried.id]
    assert pack["unconverted"][0]["currency"] == "JPY"
    assert pack["budget"]["totals"]["committed_base"] == "65000.00"
    page = secretariat.get(base).get_data(as_text=True)
    assert "Handover pack for the next chair: GFMD 2024" in page and "Carried" in page
    book = load_workbook(io.BytesIO(secretariat.get(f"{base}.xlsx").data))
    assert {"Open pledges", "Instalments", "Open work", "Budget"} <= set(book.sheetnames)
    pdf = secretariat.get(f"{base}.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")


def test_the_page_and_the_pdf_show_the_same_totals_as_the_json(secretariat, make, term):
    """The page and the PDF are drawn from the same numbers as the data files."""
    from pypdf import PdfReader

    make.exchange_rate("CHF", date(2024, 1, 1), "1.12345678")
    committed = make.pledge(
        donor=term["fund"],
        chairmanship=term["chairmanship"],
        amount="12345.67",
        currency="CHF",
        status="committed",
        committed_on=date(2024, 1, 20),
        pledged_on=date(2024, 1, 15),
    )
    make.payment(committed, amount="20000.00", rate_to_base=D("1.1"), received_on=date(2024, 3, 1))
    make.pledge(
        donor=term["germany"],
        chairmanship=term["chairmanship"],
        amount="777.00",
        currency="EUR",
        pledged_on=date(2024, 5, 1),
    )
    base = f"/reports/chairmanships/{term['chairmanship'].id}"
    totals = secretariat.get(f"{base}.json").get_json()["funding"]["totals"]
    shown = [
        f"{D(totals[key]):,.2f} USD"
        for key in ("pledged_base", "committed_base", "received_base", "overpaid_base")
    ]
    # 12,345.67 x 1.12345678 and 7,654.33 x 1.12345678, rounded half up; 20,000 x 1.1.
    assert shown == ["13,869.83 USD", "13,869.83 USD", "22,000.00 USD", "8,599.31 USD"]
    page = secretariat.get(base).get_data(as_text=True)
    text = " ".join(page.split())
    pdf = PdfReader(io.BytesIO(secretariat.get(f"{base}.pdf").data))
    pdf_text = " ".join(" ".join(p.extract_text() for p in pdf.pages).split())
    for amount in shown:
        assert amount in text, amount
        assert amount in pdf_text, amount


def test_a_pledge_cannot_be_dated_after_its_own_money(secretariat, make, term, db_session):
    pledge = make.pledge(
        donor=term["germany"],
        chairmanship=term["chairmanship"],
        amount="1000.00",
        pledged_on=date(2024, 1, 10),
    )
    make.instalment(pledge, due_on=date(2024, 3, 1), amount="500.00")
    response = edit_pledge(secretariat, pledge, term, amount="1000", pledged_on="2024-04-01")
    assert response.status_code == 400
    assert "already dated 1 March 2024" in response.get_data(as_text=True)
    db_session.expire_all()
    assert db_session.get(Pledge, pledge.id).pledged_on == date(2024, 1, 10)
