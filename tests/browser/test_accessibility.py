"""WCAG 2.1 AA checks with axe-core in a real browser: main pages, each role, three languages."""

from pathlib import Path

import pytest

from tests.browser.conftest import log_in
from tests.factories import PASSWORD

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
LANGUAGES = ("en", "fr", "es")


@pytest.fixture
def forum(make):
    """A small forum with one of each record the main pages show."""
    government = make.government(iso3="PHL", name="Philippines")
    chairmanship = make.chairmanship(label="GFMD 2014-2015", chairs=[make.government(iso3="TUR")])
    roundtable = make.roundtable(chairmanship=chairmanship, number="1.1", co_chairs=[government])
    meeting = make.meeting(chairmanship=chairmanship, roundtable=roundtable, title="RT 1.1 session")
    make.agenda_item(meeting, minutes=45, title="Opening")
    deliverable = make.deliverable(responsible=[government], owner=roundtable)
    pledge = make.pledge(donor=government, chairmanship=chairmanship, currency="EUR")
    make.payment(pledge, amount="500.00")
    users = {
        "secretariat": make.user(role="secretariat"),
        "focal_point": make.user(role="focal_point", government=government),
        "member": make.user(role="member"),
    }
    pages = {
        "public": [
            "/",
            "/meetings/",
            f"/meetings/{meeting.id}",
            "/meetings/calendar",
            "/chairmanships/",
            f"/chairmanships/{chairmanship.id}",
            f"/roundtables/{roundtable.id}",
            f"/governments/{government.id}",
            "/calendar/",
            "/auth/login",
        ],
        "signed_in": [
            "/deliverables/",
            f"/deliverables/{deliverable.id}",
            "/pledges/",
            f"/pledges/{pledge.id}",
            "/reports/",
            f"/reports/chairmanships/{chairmanship.id}",
            "/account/calendar",
        ],
        "secretariat": ["/admin/users", "/admin/audit", "/meetings/new", "/deliverables/new"],
    }
    return users, pages


def serious_violations(page) -> list[str]:
    """The serious and critical axe-core violations on the page, as readable lines."""
    page.add_script_tag(content=AXE.read_text())
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: "
        "{type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes'][:3]]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("role", ["anonymous", "member", "focal_point", "secretariat"])
def test_main_pages_have_no_serious_violations(browser, live_server, forum, role, language):
    """No serious or critical WCAG 2.1 AA violation on any main page a role can open."""
    if not AXE.exists():
        pytest.skip("axe-core is not installed: run `npm ci` (.ci/run does)")
    users, pages = forum
    # axe is injected as an inline script, which the app's own policy rightly forbids.
    context = browser.new_context(
        base_url=live_server,
        bypass_csp=True,
        locale=language,
        extra_http_headers={"Accept-Language": language},
    )
    tab = context.new_page()
    try:
        paths = list(pages["public"])
        if role != "anonymous":
            log_in(tab, users[role].email, PASSWORD)
            paths += pages["signed_in"]
        if role == "secretariat":
            paths += pages["secretariat"]
        found = {}
        for path in paths:
            tab.goto(path)
            assert tab.locator("html").get_attribute("lang") == language
            problems = serious_violations(tab)
            if problems:
                found[path] = problems
        assert found == {}, found
    finally:
        context.close()
