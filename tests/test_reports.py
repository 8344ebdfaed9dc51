"""The reports' numbers, recomputed by hand from the rows the factories made, and their pages."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from flask_babel import force_locale
from sqlalchemy import event

from tests.helpers import BASE, build_forum, cents, expected_funding
from workplan.extensions import db
from workplan.formatting import money
from workplan.models import Chairmanship, Government
from workplan.reports import views as report_views
from workplan.services import charts, reports

NOW = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)
# Twelve to build a report, two for its indicators and their values, and one to ask the audit
# log whether the one kept still holds.
QUERY_BUDGET = 15


@pytest.fixture
def forum(make) -> dict:
    """The forum's records for a report."""
    return build_forum(make)


def chairmanship_report(app, chairmanship_id, now=NOW):
    """The service's report, inside a request as the views make it."""
    with app.test_request_context():
        return reports.chairmanship_report(
            db.session.get(Chairmanship, chairmanship_id), base_currency=BASE, now=now
        )


def test_funding_totals_match_the_rows(app, make, forum):
    """Pledged, committed, received, outstanding and overpaid equal a recount by hand."""
    expected = expected_funding(make.session, forum["chairmanship"].id)
    totals = chairmanship_report(app, forum["chairmanship"].id).funding.totals
    assert totals.pledged_base == expected["pledged"]
    assert totals.committed_base == expected["committed"]
    assert totals.received_base == expected["received"]
    assert totals.outstanding_base == expected["outstanding"]
    assert totals.overpaid_base == expected["overpaid"]
    assert totals.pledged_before_start_base == expected["before"]
    assert totals.pledged_before_start_share == expected["share"]
    # The hand-made numbers, so a wrong recount cannot agree with a wrong report by chance.
    assert expected["pledged"] == Decimal("10833.33") + Decimal("5000.00") + Decimal("3360.00")
    assert expected["received"] == Decimal("2750.00") + Decimal("1337.44") + Decimal("5250.00")
    assert expected["outstanding"] == cents(
        (Decimal("10000.00") - Decimal("3734.56")) * Decimal("1.08333333")
    )
    assert expected["overpaid"] == Decimal("250.00")


def test_breakdowns_add_up_and_keep_the_original_currency(app, make, forum):
    """By donor, earmark and kind: each row carries its currency and adds up to the total."""
    funding = chairmanship_report(app, forum["chairmanship"].id).funding
    expected = expected_funding(make.session, forum["chairmanship"].id)
    for rows in (funding.by_donor, funding.by_earmark, funding.by_kind, funding.by_currency):
        assert sum(r.pledged_base or 0 for r in rows) == expected["pledged"]
        assert sum(r.received_base or 0 for r in rows) == expected["received"]
        assert all(r.currency for r in rows)
    sweden = next(r for r in funding.by_donor if r.label == "Sweden")
    assert (sweden.currency, sweden.pledged, sweden.received) == (
        "EUR",
        Decimal("10000.00"),
        Decimal("3734.56"),
    )
    assert sweden.detail == "government"
    earmarks = {(r.label, r.detail) for r in funding.by_earmark}
    assert earmarks == {
        ("general", None),
        ("roundtable", "RT 1.1"),
        ("activity", "Civil society days"),
    }
    kinds = {r.label: r.pledged_base for r in funding.by_kind if r.currency == "CHF"}
    assert kinds == {"in_kind": Decimal("3360.00")}


def test_a_pledge_without_a_rate_is_listed_and_never_counted(app, make, forum):
    """The JPY pledge is unconverted: listed, flagged, absent from every converted total."""
    report = chairmanship_report(app, forum["chairmanship"].id)
    funding = report.funding
    assert [line.id for line in funding.unconverted] == [forum["unconverted"].id]
    line = funding.unconverted[0]
    assert (line.amount, line.currency, line.converted) == (Decimal("900000.00"), "JPY", False)
    assert line.amount_base is None and line.outstanding_base is None
    assert line.received_unconverted == Decimal("100000.00")
    assert funding.totals.unconverted == 1
    jpy = next(r for r in funding.by_currency if r.currency == "JPY")
    # Not zero: unknown.
    assert jpy.pledged_base is None and jpy.committed_base is None
    assert jpy.pledged == Decimal("900000.00")


def test_an_overpayment_is_shown_not_netted(app, forum):
    """IOM paid 250 more than it pledged: shown as overpaid; outstanding stays at zero."""
    funding = chairmanship_report(app, forum["chairmanship"].id).funding
    assert [line.id for line in funding.overpaid] == [forum["overpaid"].id]
    line = funding.overpaid[0]
    assert (line.overpaid, line.outstanding, line.stage) == (
        Decimal("250.00"),
        Decimal("0.00"),
        "paid",
    )
    assert funding.totals.overpaid_base == Decimal("250.00")


def test_payment_without_its_own_rate_takes_the_pledge_rate(app, forum):
    """The second Swedish payment has no rate: converted at the pledge's 1.08333333."""
    funding = chairmanship_report(app, forum["chairmanship"].id).funding
    sweden = next(line for line in funding.pledges if line.donor == "Sweden")
    assert sweden.received_base == Decimal("2750.00") + cents(
        Decimal("1234.56") * Decimal("1.08333333")
    )


def test_deliverables_roll_up_by_count_without_dropped_or_carried_over(app, forum):
    """Mean of 30, 50, 100 and 0; the dropped deliverable's 10 is left out."""
    delivered = chairmanship_report(app, forum["chairmanship"].id).deliverables
    assert delivered.totals.total == 5
    assert delivered.totals.rollup_count == 4
    assert delivered.totals.percent_complete == Decimal("45.0")
    by_roundtable = {r.label: r for r in delivered.by_roundtable}
    assert list(by_roundtable) == ["RT 1.1", "RT 1.2"]
    assert by_roundtable["RT 1.1"].counts["at_risk"] == 1
    assert by_roundtable["RT 1.2"].percent_complete == Decimal("100.0")
    assert [r.label for r in delivered.by_team] == ["Labour mobility team"]
    assert {r.label: r.total for r in delivered.by_objective} == {"A": 2, None: 3}
    assert [i.id for i in delivered.overdue] == [forum["deliverables"]["late"].id]
    assert delivered.overdue[0].days_overdue == (NOW.date() - date(2024, 3, 31)).days
    assert [i.id for i in delivered.at_risk] == [forum["deliverables"]["risky"].id]
    assert delivered.at_risk[0].responsible == ["Morocco", "Sweden"]


def test_meetings_held_against_planned(app, forum):
    """Three published (two ended), one cancelled, one draft not counted."""
    meetings = chairmanship_report(app, forum["chairmanship"].id).meetings
    assert (meetings.totals.planned, meetings.totals.held) == (3, 2)
    assert (meetings.totals.upcoming, meetings.totals.cancelled) == (1, 1)
    kinds = {m.kind: (m.planned, m.held) for m in meetings.by_kind}
    assert kinds == {"roundtable_session": (1, 1), "steering_group": (2, 1)}


def test_multiannual_objectives_trail_and_opening_balances(app, make):
    """Work carried over two chairs is traced; opening balances come with each chair."""
    first = make.chairmanship(
        label="GFMD 2022", starts_on=date(2022, 1, 1), ends_on=date(2022, 12, 31)
    )
    second = make.chairmanship(
        label="GFMD 2023",
        starts_on=date(2023, 1, 1),
        ends_on=date(2023, 12, 31),
        opening_balance=Decimal("1200.00"),
    )
    third = make.chairmanship(
        label="GFMD 2024", starts_on=date(2024, 1, 1), ends_on=date(2024, 12, 31)
    )
    objective = make.objective(code="B", title="Labour migration")
    make.objective(objective.work_plan, code="C", title="Nobody worked on this")
    rt = [make.roundtable(chairmanship=c, number="2.1") for c in (first, second, third)]
    start = make.deliverable(
        owner=rt[0], objective=objective, status="carried_over", percent_complete=40
    )
    middle = make.deliverable(
        owner=rt[1],
        objective=objective,
        status="carried_over",
        percent_complete=70,
        predecessor=start,
    )
    end = make.deliverable(
        owner=rt[2],
        objective=objective,
        status="completed",
        percent_complete=100,
        predecessor=middle,
    )
    make.deliverable(owner=rt[0], objective=objective, status="completed", percent_complete=100)
    make.pledge(
        chairmanship=second,
        amount="800.00",
        currency="USD",
        status="committed",
        committed_on=date(2023, 2, 1),
    )
    with app.test_request_context():
        report = reports.multiannual_report(base_currency=BASE, now=NOW)
    years = {r.label: r for r in report.years}
    assert years["GFMD 2022"].total == 2 and years["GFMD 2022"].counts["carried_over"] == 1
    b = next(o for o in report.objectives if o.code == "B")
    assert [(y.chairmanship, y.planned, y.completed, y.carried_over) for y in b.years] == [
        ("GFMD 2022", 2, 1, 1),
        ("GFMD 2023", 1, 0, 1),
        ("GFMD 2024", 1, 1, 0),
    ]
    assert next(o for o in report.objectives if o.code == "C").years == []
    assert len(report.trails) == 1
    assert [s.deliverable_id for s in report.trails[0].steps] == [start.id, middle.id, end.id]
    assert report.trails[0].objective == "B. Labour migration"
    funding = {f.chairmanship: f for f in report.funding}
    assert funding["GFMD 2023"].opening_balance == Decimal("1200.00")
    assert funding["GFMD 2023"].opened_from == "GFMD 2022"
    assert funding["GFMD 2023"].pledged_base == Decimal("800.00")
    assert funding["GFMD 2023"].in_hand_base == Decimal("1200.00")
    assert funding["GFMD 2024"].pledged_base == Decimal("0.00")


def test_government_report_gathers_its_part(app, make, forum):
    """Sweden: co-chair of RT 1.1, team lead, responsible for three deliverables, one pledge."""
    chair = make.chairmanship(
        label="GFMD 2014 (Sweden)",
        chairs=[forum["sweden"]],
        starts_on=date(2013, 1, 1),
        ends_on=date(2014, 6, 30),
    )
    with app.test_request_context():
        report = reports.government_report(
            db.session.get(Government, forum["sweden"].id), base_currency=BASE, now=NOW
        )
    assert [c.label for c in report.chairmanships] == [chair.label]
    assert [(r.name, r.role) for r in report.roundtables] == [("RT 1.1", "co_chair")]
    assert [(t.name, t.role) for t in report.teams] == [("Labour mobility team", "lead")]
    assert len(report.deliverables) == 3
    assert report.deliverables_by_chairmanship[0].total == 3
    assert [p.currency for p in report.pledges] == ["EUR"]
    assert [p.amount for p in report.payments] == [Decimal("2500.00"), Decimal("1234.56")]
    assert report.funding_totals.received_base == sum(p.amount_base for p in report.payments)


def test_empty_chairmanship_gives_an_empty_report(app, make):
    """No deliverable, meeting or pledge: zeros and empty lists, not an error."""
    chairmanship = make.chairmanship()
    report = chairmanship_report(app, chairmanship.id)
    assert report.deliverables.totals.total == 0
    assert report.deliverables.totals.percent_complete is None
    assert report.meetings.totals.planned == 0
    assert report.funding.totals.pledged_base == Decimal("0.00")
    assert report.funding.pledges == [] and report.funding.by_donor == []


def test_a_pledge_in_the_reporting_currency_needs_no_rate(app, make):
    """A USD pledge recorded without a rate is converted at 1, not left out."""
    pledge = make.pledge(amount="123.45", currency="USD")
    report = chairmanship_report(app, pledge.chairmanship_id)
    assert report.funding.totals.pledged_base == Decimal("123.45")
    assert report.funding.unconverted == []


# The pages.


def urls(forum) -> list[str]:
    """Every report page and download."""
    cid, gid = forum["chairmanship"].id, forum["sweden"].id
    pages = [
        "/reports/",
        f"/reports/chairmanships/{cid}",
        "/reports/multiannual",
        f"/reports/governments/{gid}",
    ]
    files = [
        f"{base}.{fmt}"
        for base in (
            f"/reports/chairmanships/{cid}",
            "/reports/multiannual",
            f"/reports/governments/{gid}",
        )
        for fmt in ("csv", "xlsx", "json", "pdf")
    ]
    return pages + files


@pytest.mark.parametrize("role", ["member", "focal_point", "secretariat"])
def test_signed_in_members_may_read_every_report(client, auth, make, forum, role):
    """Members, focal points and the secretariat get every page and file."""
    auth.login(make.user(role=role))
    for url in urls(forum):
        assert client.get(url).status_code == 200, url


def test_anonymous_visitors_are_sent_to_log_in(client, forum):
    """No report, page or file, without logging in."""
    for url in urls(forum):
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/auth/login" in response.headers["Location"]


def test_page_shows_the_recomputed_totals(client, auth, make, forum):
    """The figures on the page are the ones recounted from the rows."""
    auth.login(make.user())
    expected = expected_funding(make.session, forum["chairmanship"].id)
    html = client.get(f"/reports/chairmanships/{forum['chairmanship'].id}").get_data(as_text=True)
    for key in ("pledged", "committed", "received", "outstanding", "overpaid"):
        assert money(expected[key], BASE) in html, key
    assert "not converted" in html
    assert "900,000.00 JPY" in html
    assert "Background paper on recruitment costs" in html
    assert "plain mean" in html


def test_page_is_safe_under_the_content_security_policy(client, auth, make, forum):
    """Charts are inline SVG without style attributes; no inline script anywhere."""
    auth.login(make.user())
    html = client.get(f"/reports/chairmanships/{forum['chairmanship'].id}").get_data(as_text=True)
    assert html.count("<svg") == 4
    assert 'role="img"' in html
    assert " style=" not in html and "<style" not in html
    assert "<script>" not in html


def test_a_script_in_a_title_is_escaped(client, auth, make, forum):
    """A deliverable titled with a script tag is shown as text on the page."""
    payload = "<script>alert('x')</script>"
    make.deliverable(owner=forum["rt1"], title=payload, status="at_risk", percent_complete=5)
    auth.login(make.user())
    for url in (
        f"/reports/chairmanships/{forum['chairmanship'].id}",
        f"/reports/governments/{forum['sweden'].id}",
    ):
        html = client.get(url).get_data(as_text=True)
        assert payload not in html
    html = client.get(f"/reports/chairmanships/{forum['chairmanship'].id}").get_data(as_text=True)
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html


def test_unknown_records_and_formats_answer_404(client, auth, make, forum):
    """Wrong ids, an unknown format and an unknown government code are 404s, not 500s."""
    auth.login(make.user())
    for url in (
        "/reports/chairmanships/999999",
        "/reports/chairmanships/999999.pdf",
        "/reports/governments/999999.csv",
        f"/reports/chairmanships/{forum['chairmanship'].id}.exe",
        "/reports/governments?iso3=ZZZ",
    ):
        assert client.get(url).status_code == 404, url


def test_government_code_leads_to_its_report(client, auth, make, forum):
    """Typing SWE on the index goes to Sweden's report."""
    auth.login(make.user())
    response = client.get("/reports/governments?iso3=swe")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/reports/governments/{forum['sweden'].id}")


def test_index_lists_chairmanships_with_headline_numbers(client, auth, make, forum):
    """The index links each chairmanship's report with its pledged total."""
    auth.login(make.user())
    html = client.get("/reports/").get_data(as_text=True)
    expected = expected_funding(make.session, forum["chairmanship"].id)
    assert f"/reports/chairmanships/{forum['chairmanship'].id}" in html
    assert money(expected["pledged"], BASE) in html
    assert "45.0%" in html


def test_archived_chairmanship_is_not_reported(client, auth, make):
    """An archived chairmanship answers 404, like everywhere else."""
    chairmanship = make.chairmanship(archived_at=datetime(2024, 1, 1, tzinfo=UTC))
    auth.login(make.user())
    assert client.get(f"/reports/chairmanships/{chairmanship.id}").status_code == 404


# Constant queries (issue 8).


def grow(make, chairmanship, size: int, start: int = 0) -> None:
    """Add `size` lots of roundtables, teams, deliverables, meetings, pledges and payments."""
    for n in range(start, start + size):
        government = make.government()
        rt = make.roundtable(chairmanship=chairmanship, number=f"9.{n + 1}", co_chairs=[government])
        team = make.team(lead=government)
        objective = make.objective(code=f"G{n}")
        first = make.deliverable(
            responsible=[government],
            owner=rt,
            objective=objective,
            status="at_risk",
            percent_complete=20,
            due_on=date(2024, 1, 1),
        )
        later = make.chairmanship(starts_on=date(2030 + n, 1, 1), ends_on=date(2030 + n, 12, 31))
        make.deliverable(
            responsible=[government],
            owner=make.roundtable(chairmanship=later),
            predecessor=first,
            objective=objective,
        )
        make.deliverable(responsible=[government], owner=team, chairmanship=chairmanship)
        make.meeting(chairmanship=chairmanship, starts_at=datetime(2024, 2, 1 + n, 8, tzinfo=UTC))
        pledge = make.pledge(
            donor=government,
            chairmanship=chairmanship,
            amount="1000.00",
            currency="EUR",
            rate_to_base=Decimal("1.1"),
            status="committed",
            committed_on=date(2024, 1, 2),
        )
        make.payment(pledge, amount="100.00")
        make.pledge(donor=government, chairmanship=later, amount="50.00", currency="GBP")


def count_queries(app, client, url: str) -> int:
    """How many SQL statements one request to the URL runs."""
    statements = []

    def record(*_args):
        """Count one statement."""
        statements.append(1)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        assert client.get(url).status_code == 200, url
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return len(statements)


@pytest.mark.parametrize("role", ["member", "focal_point"])
def test_each_page_runs_the_same_few_queries_whatever_the_data(
    app, client, auth, make, forum, role
):
    """Counted at two sizes: equal, and within the budget of 15."""
    auth.login(make.user(role=role, government=forum["sweden"] if role == "focal_point" else None))
    cid, gid = forum["chairmanship"].id, forum["sweden"].id
    pages = [
        "/reports/",
        f"/reports/chairmanships/{cid}",
        "/reports/multiannual",
        f"/reports/governments/{gid}",
        f"/reports/chairmanships/{cid}.json",
    ]
    grow(make, forum["chairmanship"], 1)
    make.indicator(forum["objective"], values={2020: 7, 2021: 6.8})
    small = {url: count_queries(app, client, url) for url in pages}
    grow(make, forum["chairmanship"], 6, start=1)
    for n in range(4):
        make.indicator(forum["objective"], name=f"Measure {n}", values={2020: 5, 2022: 4})
    large = {url: count_queries(app, client, url) for url in pages}
    assert small == large
    assert max(large.values()) <= QUERY_BUDGET, large


def test_pages_are_not_cached_by_the_browser(client, auth, make, forum):
    """Private numbers: a signed-in response says no-store."""
    auth.login(make.user())
    response = client.get(f"/reports/chairmanships/{forum['chairmanship'].id}.csv")
    assert "no-store" in response.headers["Cache-Control"]


def test_report_dates_are_the_day_it_was_made(client, auth, make, forum):
    """The file name carries the report, the chairmanship and today's date."""
    auth.login(make.user())
    response = client.get(f"/reports/chairmanships/{forum['chairmanship'].id}.json")
    today = datetime.now(UTC).date()
    disposition = response.headers["Content-Disposition"]
    assert f"gfmd-chairmanship-report-gfmd-2024-test-{today.isoformat()}.json" in disposition
    assert (
        today - timedelta(days=1)
        <= date.fromisoformat(response.get_json()["generated_on"])
        <= today
    )


def test_a_chart_whose_numbers_did_not_change_is_drawn_once(app):
    """Drawing is the slow part of a report page: the same chart comes from the cache, and
    any change in its numbers, labels or the reader's language draws it again."""

    def draw(values, language="en"):
        with app.test_request_context(), force_locale(language):
            return charts.bar_chart(
                "cache-test",
                "Funding",
                ["Sweden", "Türkiye"],
                [charts.Series("Pledged", values)],
                unit="USD",
            ).svg

    charts._drawn.cache_clear()
    first = draw([Decimal("1234.50"), Decimal("10")])
    again = draw([Decimal("1234.50"), Decimal("10")])
    assert again == first and charts._drawn.cache_info().hits == 1
    changed = draw([Decimal("1234.51"), Decimal("10")])
    assert "1,234.51" in changed and charts._drawn.cache_info().misses == 2
    draw([Decimal("1234.50"), Decimal("10")], "fr")  # amounts may be written the French way
    assert charts._drawn.cache_info().misses == 3


def test_a_report_is_built_once_per_state_of_the_data(app, client, auth, make, forum, monkeypatch):
    """Asked again, a report (page or file) comes from what was kept, in a few queries and
    the same bytes; a change anywhere, or another language, builds it afresh."""
    # The kept report is keyed by the minute too: a clock that turned the minute between two
    # requests (the first PDF takes seconds) would rebuild it, so the clock stands still here.
    monkeypatch.setattr(report_views, "utcnow", lambda: datetime(2030, 6, 1, 9, 0, tzinfo=UTC))
    auth.login(make.user(role="member"))
    cid = forum["chairmanship"].id
    pdf = f"/reports/chairmanships/{cid}.pdf"
    first = client.get(pdf)
    assert first.status_code == 200 and first.data.startswith(b"%PDF")
    assert count_queries(app, client, pdf) <= 3  # the session, the record, the audit log
    assert client.get(pdf).data == first.data
    page = f"/reports/chairmanships/{cid}"
    client.get(page)
    assert count_queries(app, client, page) <= 4  # and the menu's chairmanship in office
    # Another language is another report.
    french = client.get(page, headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert 'lang="fr"' in french and "Livrables" in french
    # A change anywhere moves the audit log: the next request builds again, with it.
    before = client.get(f"/reports/chairmanships/{cid}.json").get_json()
    make.deliverable(chairmanship=forum["chairmanship"], responsible=[forum["sweden"]])
    after = client.get(f"/reports/chairmanships/{cid}.json").get_json()
    assert after != before
