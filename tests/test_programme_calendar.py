"""The programme calendar: a month grid and a list across chairmanships, filtered in the URL,
in the viewer's time zone with the venue's local time beside it."""

import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from tests.helpers import counting_queries

NOVEMBER = "/meetings/calendar?month=2030-11"


@pytest.fixture
def programme(make):
    """Meetings of two chairmanships in November 2030, in several states and places."""
    gfmd_2030 = make.chairmanship(
        "GFMD 2030", starts_on=date(2030, 1, 1), ends_on=date(2030, 12, 31)
    )
    gfmd_2031 = make.chairmanship(
        "GFMD 2031", starts_on=date(2031, 1, 1), ends_on=date(2031, 12, 31)
    )
    roundtable = make.roundtable(gfmd_2030, number="1.1", title="Diaspora bonds")
    team = make.team(name="Team on labour mobility")
    return {
        "roundtable": roundtable,
        "team": team,
        # 09:00 UTC is 10:00 in Geneva (winter time) and 04:00 in New York.
        "session": make.meeting(
            gfmd_2030,
            kind="roundtable_session",
            title="RT 1.1 session",
            roundtable=roundtable,
            starts_at=datetime(2030, 11, 12, 9, 0, tzinfo=UTC),
        ),
        "team_call": make.meeting(
            gfmd_2031,
            kind="preparatory",
            title="Labour mobility team call",
            team=team,
            timezone="America/New_York",
            city="New York",
            starts_at=datetime(2030, 11, 20, 15, 0, tzinfo=UTC),
        ),
        "cancelled": make.meeting(
            gfmd_2030,
            title="Cancelled Troika",
            kind="troika",
            state="cancelled",
            starts_at=datetime(2030, 11, 5, 13, 0, tzinfo=UTC),
        ),
        "draft": make.meeting(
            gfmd_2030,
            title="Draft Steering Group",
            state="draft",
            starts_at=datetime(2030, 11, 7, 9, 0, tzinfo=UTC),
        ),
        "archived": make.meeting(
            gfmd_2030,
            title="Archived Friends of the Forum",
            state="published",
            archived_at=datetime(2030, 1, 1, tzinfo=UTC),
            starts_at=datetime(2030, 11, 8, 9, 0, tzinfo=UTC),
        ),
        "summit": make.meeting(
            gfmd_2030,
            kind="summit",
            title="Summit in Quito",
            timezone="America/Guayaquil",
            city="Quito",
            starts_at=datetime(2030, 11, 25, 14, 0, tzinfo=UTC),
            hours=50,
        ),
        # 23:30 UTC on 30 November is already 1 December in Tokyo.
        "late": make.meeting(
            gfmd_2030,
            title="Late evening call",
            timezone="UTC",
            starts_at=datetime(2030, 11, 30, 23, 30, tzinfo=UTC),
            hours=1,
        ),
        "october": make.meeting(
            gfmd_2030, title="October meeting", starts_at=datetime(2030, 10, 15, 9, 0, tzinfo=UTC)
        ),
    }


def get(client, url: str, zone: str | None = None):
    if zone is not None:
        client.set_cookie("tz", zone)
    return client.get(url)


def test_visitors_see_published_and_cancelled_meetings_of_the_month(client, programme):
    """Anonymous visitors: published and cancelled, never drafts or archived, only this month."""
    response = get(client, NOVEMBER)
    assert response.status_code == 200
    page = response.text
    for title in ("RT 1.1 session", "Labour mobility team call", "Cancelled Troika", "Summit"):
        assert title in page, title
    for title in ("Draft Steering Group", "Archived Friends of the Forum", "October meeting"):
        assert title not in page, title
    assert "Programme calendar: November 2030" in page
    assert ">Cancelled<" in page


def test_secretariat_sees_drafts_marked(client, auth, make, programme):
    """The secretariat's calendar includes drafts, labelled as such; archived stays out."""
    auth.login(make.user("secretariat"))
    page = get(client, NOVEMBER).text
    assert "Draft Steering Group" in page and ">Draft<" in page
    assert "Archived Friends of the Forum" not in page


def test_month_grid_puts_meetings_on_their_days(client, programme):
    """Weeks run Monday to Sunday; a two-day summit shows on both days, the second 'continued'."""
    page = get(client, NOVEMBER, "UTC").text
    grid = page[page.index('class="table table-bordered calendar-month"') :]
    cells = dict(
        re.findall(r'<time datetime="(\d{4}-\d{2}-\d{2})">\d+</time></div>(.*?)</td>', grid, re.S)
    )
    # 1 November 2030 is a Friday, so the grid starts on Monday 28 October.
    assert next(iter(cells)) == "2030-10-28"
    assert len(cells) % 7 == 0
    assert "RT 1.1 session" in cells["2030-11-12"]
    assert "Summit in Quito" in cells["2030-11-25"] and "(continued)" not in cells["2030-11-25"]
    assert "Summit in Quito" in cells["2030-11-26"] and "(continued)" in cells["2030-11-26"]
    assert "Summit in Quito" in cells["2030-11-27"]
    assert "Summit in Quito" not in cells["2030-11-28"]


def test_times_in_the_browsers_zone_with_the_venue_time_beside(client, programme):
    """With the browser's zone in the tz cookie, times are in New York; Geneva's stays beside."""
    page = get(client, NOVEMBER, "America/New_York").text
    assert "Times are in America/New_York (from your browser)" in page
    session = page[page.index("RT 1.1 session") - 400 : page.index("RT 1.1 session")]
    assert "04:00–07:00" in session
    assert "venue: 12 Nov 2030, 10:00 CET" in session


def test_unknown_zone_cookie_falls_back_to_utc(client, programme):
    """A cookie that is not an IANA zone is ignored."""
    for bad in ("Mars/Olympus", "../../etc/passwd", "x" * 200):
        page = get(client, NOVEMBER, bad).text
        assert "Times are in UTC" in page
        assert bad not in page


def test_profile_zone_wins_over_the_browser(client, auth, make, programme):
    """A time zone in the user's profile is used whatever the browser says."""
    auth.login(make.user("member", timezone="Asia/Tokyo"))
    page = get(client, NOVEMBER, "America/New_York").text
    assert "Times are in Asia/Tokyo (from your profile)" in page
    assert 'data-zone-source="profile"' in page


def test_month_boundaries_follow_the_viewers_zone(client, programme):
    """23:30 UTC on 30 November is December in Tokyo and November in UTC."""
    assert "Late evening call" in get(client, NOVEMBER, "UTC").text
    assert "Late evening call" not in get(client, NOVEMBER, "Asia/Tokyo").text
    december = get(client, "/meetings/calendar?month=2030-12", "Asia/Tokyo").text
    assert "Late evening call" in december


def test_list_view(client, programme):
    """The list view gives each meeting's day, viewer time and venue time, in order."""
    page = get(client, NOVEMBER + "&view=list", "Europe/Zurich").text
    table = page[page.index('class="table table-cards table-sm align-top calendar-list"') :]
    order = ["Cancelled Troika", "RT 1.1 session", "Labour mobility", "Summit"]
    positions = [table.index(title) for title in order]
    assert positions == sorted(positions)
    assert "20 November 2030" in table
    # 15:00 UTC is 16:00 in Zurich and 10:00 at the New York venue.
    call = table[: table.index("Labour mobility team call")]
    assert "16:00–19:00" in call and "20 Nov 2030, 10:00 EST" in call


@pytest.mark.parametrize(
    ("query", "present", "absent"),
    [
        ("kind=summit", "Summit in Quito", "RT 1.1 session"),
        ("roundtable={roundtable}", "RT 1.1 session", "Summit in Quito"),
        ("team={team}", "Labour mobility team call", "RT 1.1 session"),
    ],
)
def test_filters_live_in_the_url(client, programme, query, present, absent):
    """Kind, roundtable and team filters narrow both views and survive month navigation."""
    query = query.format(roundtable=programme["roundtable"].id, team=programme["team"].id)
    for view in ("month", "list"):
        page = get(client, f"{NOVEMBER}&view={view}&{query}").text
        assert present in page and absent not in page, (view, query)
        next_link = re.search(r'href="([^"]+)" rel="next"', page).group(1)
        assert query in next_link.replace("&amp;", "&")
        assert "month=2030-12" in next_link


@pytest.mark.parametrize(
    "query",
    ["month=2030-13", "month=November", "month=2030-1", "view=week", "kind=party", "team=abc"],
)
def test_malformed_parameters_are_400(client, programme, query):
    """A malformed parameter answers 400 with a sentence naming it."""
    response = client.get(f"/meetings/calendar?{query}")
    assert response.status_code == 400
    assert f"The “{query.split('=')[0]}” parameter" in response.text


def test_page_sets_up_the_browser_zone_script_and_vary(client, programme):
    """The page loads timezone.js from a file (no inline script) and varies on the cookie."""
    response = get(client, NOVEMBER)
    assert '<script src="/static/timezone.js"></script>' in response.text
    assert "Cookie" in response.headers.get("Vary", "")
    assert "style=" not in response.text
    assert not re.search(r"<script(?![^>]*\bsrc=)", response.text)
    script = Path(__file__).resolve().parents[1] / "workplan" / "static" / "timezone.js"
    source = script.read_text()
    assert "Intl.DateTimeFormat().resolvedOptions().timeZone" in source and "tz=" in source


def test_default_month_is_the_current_one(client, make):
    """Without a month, the calendar opens on this month in the viewer's zone."""
    today = datetime.now(UTC).date()
    page = client.get("/meetings/calendar").text
    assert f"Programme calendar: {today:%B %Y}" in page


def test_calendar_queries_do_not_grow_with_meetings(app, client, make, programme):
    """Ten more meetings, with roundtables and teams, cost no extra query."""
    for view in ("month", "list"):
        with counting_queries(app) as before:
            assert client.get(f"{NOVEMBER}&view={view}").status_code == 200
        for n in range(10):
            make.meeting(
                programme["roundtable"].chairmanship,
                title=f"Extra {view} {n}",
                roundtable=make.roundtable(programme["roundtable"].chairmanship),
                team=make.team(),
                starts_at=datetime(2030, 11, 1 + n, 9, 0, tzinfo=UTC),
            )
        with counting_queries(app) as after:
            page = client.get(f"{NOVEMBER}&view={view}")
        assert f"Extra {view} 9" in page.text
        assert len(after) == len(before), view
