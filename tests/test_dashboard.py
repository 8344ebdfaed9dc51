"""The start page: the secretariat's next 30 days, and the programme ahead for everyone else."""

import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from tests.helpers import counting_queries
from workplan.formatting import money
from workplan.models import Deliverable
from workplan.services import dashboard, reports


def section(page: str, heading_id: str) -> str:
    """The HTML of one dashboard section, from its heading to the next section."""
    start = page.index(f'id="{heading_id}"')
    end = page.find("<section", start)
    return page[start : end if end != -1 else None]


@pytest.fixture
def office(make):
    """A month of work: meetings near and far, deliverables in every state, pledges and payments."""
    now = datetime.now(UTC)
    today = now.date()
    chairmanship = make.chairmanship(
        "GFMD now", starts_on=today - timedelta(days=100), ends_on=today + timedelta(days=265)
    )
    roundtable = make.roundtable(chairmanship, number="1.1", title="Diaspora bonds")
    sweden = make.government("SWE", "Sweden")
    iom = make.organisation("International Organization for Migration")
    records = {
        "secretariat": make.user("secretariat", name="Sam Secretariat"),
        "member": make.user("member"),
        "next_week": make.meeting(
            chairmanship,
            title="Steering Group next week",
            starts_at=now + timedelta(days=7),
            hours=2,
        ),
        "draft_soon": make.meeting(
            chairmanship,
            title="Draft troika call",
            state="draft",
            starts_at=now + timedelta(days=3),
        ),
        "far": make.meeting(
            chairmanship, title="Summit in two months", starts_at=now + timedelta(days=60)
        ),
        "past": make.meeting(
            chairmanship, title="Last month's meeting", starts_at=now - timedelta(days=30)
        ),
        "due_soon": make.deliverable(
            [sweden],
            owner=roundtable,
            title="Background paper due soon",
            due_on=today + timedelta(days=10),
            status="in_progress",
            percent_complete=40,
        ),
        "due_later": make.deliverable(
            owner=roundtable, title="Report due in the autumn", due_on=today + timedelta(days=90)
        ),
        "at_risk": make.deliverable(
            owner=roundtable,
            title="Survey at risk",
            due_on=today + timedelta(days=90),
            status="at_risk",
            percent_complete=20,
        ),
        "overdue": make.deliverable(
            owner=roundtable,
            title="Overdue concept note",
            due_on=today - timedelta(days=5),
            status="planned",
        ),
        "done": make.deliverable(
            owner=roundtable,
            title="Completed study",
            due_on=today - timedelta(days=5),
            status="completed",
            percent_complete=100,
        ),
        "partly_paid": make.pledge(
            sweden,
            chairmanship,
            amount="250000.00",
            currency="SEK",
            status="committed",
            committed_on=today - timedelta(days=50),
        ),
        "unpaid": make.pledge(
            iom,
            chairmanship,
            amount="10000.10",
            currency="USD",
            status="committed",
            committed_on=today - timedelta(days=40),
        ),
        "only_pledged": make.pledge(sweden, chairmanship, amount="5000.00", currency="USD"),
        "paid_in_full": make.pledge(
            iom,
            chairmanship,
            amount="3000.00",
            currency="USD",
            status="committed",
            committed_on=today - timedelta(days=40),
        ),
        "overpaid": make.pledge(
            sweden,
            chairmanship,
            amount="1000.00",
            currency="EUR",
            status="committed",
            committed_on=today - timedelta(days=40),
        ),
    }
    make.payment(records["partly_paid"], amount="100000.00")
    make.payment(records["partly_paid"], amount="49999.99")
    make.payment(records["paid_in_full"], amount="3000.00")
    make.payment(records["overpaid"], amount="1200.00")
    make.agenda_item(records["next_week"], minutes=90, title="Opening")
    make.agenda_item(records["next_week"], minutes=60, title="Budget")
    return records


def test_secretariat_dashboard_lists_the_month_ahead(client, auth, office):
    """Meetings within 30 days (drafts included), with a warning when the agenda overruns."""
    auth.login(office["secretariat"])
    page = client.get("/").text
    assert "<h1>Secretariat dashboard</h1>" in page
    meetings = section(page, "meetings-heading")
    assert "Steering Group next week" in meetings and "Draft troika call" in meetings
    assert "Summit in two months" not in meetings and "Last month" not in meetings
    assert meetings.index("Draft troika call") < meetings.index("Steering Group next week")
    assert "Agenda overruns: 2 h 30 min for a 2 h meeting." in meetings
    assert "No agenda yet." in meetings


def test_secretariat_dashboard_lists_deliverables_to_watch(client, auth, office):
    """Due within 30 days; at risk or overdue; completed work is never listed."""
    auth.login(office["secretariat"])
    page = client.get("/").text
    due = section(page, "due-heading")
    assert "Background paper due soon" in due and "Sweden" in due and "RT 1.1" in due
    for title in ("Report due in the autumn", "Completed study", "Overdue concept note"):
        assert title not in due
    attention = section(page, "attention-heading")
    assert "Survey at risk" in attention and "Overdue concept note" in attention
    assert "(overdue)" in attention
    assert "Completed study" not in attention and "Background paper due soon" not in attention


def test_secretariat_dashboard_shows_outstanding_pledges(client, auth, office):
    """Committed minus received, above zero: partly paid and unpaid; never merely pledged,
    fully paid or overpaid. Totals per currency."""
    auth.login(office["secretariat"])
    pledges = section(client.get("/").text, "pledges-heading")
    assert "100,000.01 SEK" in pledges and "149,999.99 SEK" in pledges
    assert "10,000.10 USD" in pledges and "International Organization for Migration" in pledges
    assert "5,000.00 USD" not in pledges and "3,000.00 USD" not in pledges
    assert "EUR" not in pledges
    assert (
        "Outstanding in all: <strong>100,000.01 SEK</strong>, <strong>10,000.10 USD</strong>"
        in pledges
    )


def test_outstanding_is_computed_exactly_by_the_database(app, office):
    """The service's SQL arithmetic gives exact Decimals, on SQLite as on PostgreSQL."""
    with app.app_context():
        listing, totals = dashboard.outstanding_pledges(date(2026, 6, 1))
        rows = {row.pledge.id: (row.received, row.outstanding) for row in listing.rows}
    assert rows == {
        office["partly_paid"].id: (Decimal("149999.99"), Decimal("100000.01")),
        office["unpaid"].id: (Decimal("0.00"), Decimal("10000.10")),
    }
    assert totals == [("SEK", Decimal("100000.01")), ("USD", Decimal("10000.10"))]
    assert listing.total == 2


def test_secretariat_dashboard_shows_recent_changes(client, auth, office):
    """The latest audit entries, newest first, with a link to the full audit log."""
    auth.login(office["secretariat"])
    meeting = office["next_week"]
    client.post(f"/meetings/{meeting.id}/cancel")
    changes = section(client.get("/").text, "changes-heading")
    first_row = re.search(r"<tbody>\s*<tr>(.*?)</tr>", changes, re.S).group(1)
    assert "Sam Secretariat" in first_row
    assert f'Meeting <a href="/meetings/{meeting.id}">{meeting.title}</a>' in first_row
    assert "Changed" in first_row and "State" in first_row
    assert 'href="/admin/audit"' in changes


@pytest.mark.parametrize("role", ["member", "focal_point", None])
def test_others_see_the_programme_ahead(client, auth, make, office, role):
    """Members, focal points and visitors get the public programme; drafts and money stay hidden."""
    if role:
        auth.login(make.user(role))
    page = client.get("/").text
    assert "Secretariat dashboard" not in page
    assert "Steering Group next week" in page and "Summit in two months" in page
    assert "Draft troika call" not in page
    assert "Outstanding" not in page and "Recent changes" not in page
    if role:
        assert "Background paper due soon" in page and "Overdue concept note" in page
    else:
        assert "Background paper due soon" not in page


def test_dashboard_costs_the_same_queries_whatever_the_data(app, client, auth, make, office):
    """Twenty more rows of every kind cost no extra query."""
    auth.login(office["secretariat"])
    client.get("/")
    board_cache = app.extensions["workplan.board_cache"]
    board_cache.clear()  # the board is built afresh for each count
    with counting_queries(app) as before:
        assert client.get("/").status_code == 200
    now = datetime.now(UTC)
    chairmanship = office["next_week"].chairmanship
    for n in range(20):
        government = make.government()
        roundtable = make.roundtable(chairmanship)
        meeting = make.meeting(
            chairmanship,
            roundtable=roundtable,
            team=make.team(),
            starts_at=now + timedelta(days=1 + n),
            title=f"Extra meeting {n}",
        )
        make.agenda_item(meeting, minutes=30)
        make.deliverable(
            [government],
            owner=roundtable,
            due_on=now.date() + timedelta(days=n),
            status="at_risk" if n % 2 else "planned",
        )
        pledge = make.pledge(
            government, chairmanship, status="committed", committed_on=now.date(), currency="CHF"
        )
        make.payment(pledge, amount="10.00")
    board_cache.clear()
    with counting_queries(app) as after:
        page = client.get("/")
    assert page.status_code == 200
    assert "Extra meeting 0" in page.text and "CHF" in page.text
    assert "in all: see the full list" in page.text
    assert len(after) == len(before)
    assert len(after) <= 13  # 12, and one for the names in the recent changes


def test_the_board_is_kept_until_the_data_or_the_minute_changes(app, client, auth, make, office):
    """A second visit costs the session, the header's chairmanship and one audit-log query;
    any audited change, another language or the next minute shows a fresh board."""
    auth.login(office["secretariat"])
    client.get("/")  # shows the welcome message once
    first = client.get("/").text
    with counting_queries(app) as again:
        assert client.get("/").text == first
    # The login session, the chairmanship in office (the header), and the audit log's position.
    assert len(again) == 3
    make.meeting(
        office["next_week"].chairmanship,
        starts_at=datetime.now(UTC) + timedelta(days=2),
        title="Added after the first visit",
    )
    assert "Added after the first visit" in client.get("/").text
    client.post("/language", data={"lang": "fr"})
    french = client.get("/").text
    assert "Tableau de bord" in french or "tableau de bord" in french
    client.post("/language", data={"lang": "en"})
    assert "Secretariat dashboard" in client.get("/").text


def test_the_board_is_built_again_when_the_minute_turns(app, client, auth, office, monkeypatch):
    """What is overdue or under way moves with the clock, not only with the data."""
    from workplan.main import views

    auth.login(office["secretariat"])
    moment = datetime.now(UTC).replace(second=10)
    monkeypatch.setattr(views, "utcnow", lambda: moment)
    client.get("/")
    with counting_queries(app) as same_minute:
        client.get("/")
    moment += timedelta(minutes=1)
    with counting_queries(app) as next_minute:
        client.get("/")
    assert len(same_minute) == 3 and len(next_minute) > 3


def test_the_board_shows_where_the_chairmanship_in_office_stands(app, client, auth, make, office):
    """Its report's headline numbers, as a bar and in words, with the way to the full report."""
    chairmanship = office["next_week"].chairmanship
    total = make.session.scalar(
        select(func.count(Deliverable.id)).where(
            Deliverable.chairmanship_id == chairmanship.id, Deliverable.archived_at.is_(None)
        )
    )
    auth.login(office["secretariat"])
    page = client.get("/").text
    glance = page[page.index("GFMD now at a glance") : page.index('id="meetings-heading"')]
    assert f"{total} deliverables, on average:" in glance
    assert "<progress" in glance and "1 overdue" in glance
    assert "Meetings held: 1 of 3 planned." in glance  # drafts are not on the programme
    assert f'href="/reports/chairmanships/{chairmanship.id}"' in glance
    with app.test_request_context():
        headline = reports.chairmanship_headlines(
            [chairmanship.id], base_currency="USD", now=datetime.now(UTC)
        )[chairmanship.id]
        received = money(headline.funding.received_base, "USD")
    assert headline.funding.received_base > 0 and f"Received: {received}" in glance
