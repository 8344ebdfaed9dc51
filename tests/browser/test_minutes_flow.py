"""The secretariat keeps a meeting's record in a real browser, on a phone: writes the minutes,
circulates and approves them, records an action item and turns it into a deliverable."""

import pytest
from sqlalchemy import select

from tests.browser.conftest import log_in
from tests.factories import PASSWORD
from workplan.models import Deliverable, Minutes

expect = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed").expect


def test_minutes_are_approved_and_an_action_becomes_a_deliverable(browser, live_server, make):
    government = make.government(name="Ghana")
    roundtable = make.roundtable(co_chairs=[government])
    meeting = make.meeting(roundtable=roundtable, chairmanship=roundtable.chairmanship)
    make.agenda_item(meeting, title="Skills partnerships")
    secretariat = make.user("secretariat")

    context = browser.new_context(base_url=live_server, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(10_000)
    log_in(page, secretariat.email, PASSWORD)
    page.goto(f"/meetings/{meeting.id}")
    page.get_by_role("link", name="Minutes and decisions").click()

    page.locator("textarea#text").fill("The co-chairs opened the meeting.")
    page.get_by_role("button", name="Save minutes").click()
    expect(page.get_by_text("The minutes are saved.")).to_be_visible()
    page.get_by_role("button", name="Circulate for comment").click()
    expect(page.get_by_text("Circulated for comment").first).to_be_visible()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Approve").click()
    expect(page.get_by_text("The minutes are approved and locked.")).to_be_visible()

    page.get_by_label("What it is").select_option("action")
    page.get_by_label("Agenda item").select_option(label="Skills partnerships")
    page.get_by_label("What was decided or agreed").fill("Draft a guide to skills partnerships")
    page.get_by_label("Due (action items)").fill("2031-03-31")
    page.locator("select#government").select_option(str(government.id))
    page.get_by_role("button", name="Record", exact=True).click()
    expect(page.get_by_text("It is on the record.")).to_be_visible()
    page.get_by_role("button", name="Make it a deliverable").click()
    expect(
        page.get_by_text("The action item is now a deliverable of the work plan.")
    ).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.get_by_role("link", name="Draft a guide to skills partnerships").click()
    expect(page.get_by_text("Agreed at", exact=True)).to_be_visible()
    context.close()

    make.session.expire_all()
    assert make.session.scalars(select(Minutes)).one().state == "approved"
    deliverable = make.session.scalars(select(Deliverable)).one()
    assert [g.name for g in deliverable.responsible_governments] == ["Ghana"]
