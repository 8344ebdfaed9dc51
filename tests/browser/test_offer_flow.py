"""Offers in a real browser: on a phone, a focal point offers to co-chair a roundtable (the form
shows only the roundtable choice once that kind is picked); the secretariat accepts; the focal
point then holds the co-chairs' rights and drafts a meeting of that roundtable."""

from datetime import date

import pytest
from sqlalchemy import select

from tests.browser.conftest import log_in
from tests.factories import PASSWORD
from workplan.models import Offer

expect = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed").expect
PHONE = {"width": 390, "height": 844}


def test_a_focal_point_offers_to_co_chair_and_the_secretariat_accepts(browser, live_server, make):
    kenya = make.government("KEN", "Kenya")
    coming = make.chairmanship("GFMD 2098", starts_on=date(2098, 1, 1), ends_on=date(2098, 12, 31))
    roundtable = make.roundtable(coming, number="1.1", title="Diaspora bonds")
    focal = make.user("focal_point", government=kenya)
    secretariat = make.user("secretariat")

    context = browser.new_context(base_url=live_server, viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(10_000)
    log_in(page, focal.email, PASSWORD)
    page.goto(f"/roundtables/{roundtable.id}")
    page.get_by_role("link", name="Offer to co-chair").click()
    # Opened from the roundtable, the form starts on that kind and that roundtable.
    expect(page.get_by_label("Co-chair a roundtable")).to_be_checked()
    expect(page.get_by_label("Government team", exact=True)).to_be_hidden()
    page.get_by_label("Propose a theme for a chairmanship").check()
    expect(page.get_by_label("Roundtable", exact=True)).to_be_hidden()
    expect(page.get_by_label("Theme", exact=True)).to_be_visible()
    page.get_by_label("Co-chair a roundtable").check()
    expect(page.get_by_label("Roundtable", exact=True)).to_be_visible()
    page.get_by_label("Why").fill("Our diaspora bond raised USD 50 million.")
    page.get_by_role("button", name="Send the offer").click()
    expect(page.get_by_text("Your offer is sent.")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    context.close()

    context = browser.new_context(base_url=live_server)
    page = context.new_page()
    page.set_default_timeout(10_000)
    log_in(page, secretariat.email, PASSWORD)
    page.goto("/offers/?state=pending")
    expect(page.get_by_role("region", name="Offers by UN region and kind")).to_be_visible()
    page.get_by_role("link", name="To co-chair a roundtable: RT 1.1").click()
    page.get_by_label("Accept").check()
    page.get_by_label("A word to the government").fill("Welcome aboard.")
    page.get_by_role("button", name="Send the answer").click()
    expect(page.get_by_text("The offer is accepted")).to_be_visible()
    context.close()

    context = browser.new_context(base_url=live_server, viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(10_000)
    log_in(page, focal.email, PASSWORD)
    page.goto(f"/roundtables/{roundtable.id}")
    expect(page.get_by_text("Your government co-chairs this roundtable")).to_be_visible()
    page.get_by_role("link", name="New meeting").click()
    expect(page.get_by_label("Roundtable", exact=True)).to_have_value(str(roundtable.id))
    context.close()

    make.session.expire_all()
    offer = make.session.scalars(select(Offer)).one()
    assert offer.state == "accepted" and offer.answer == "Welcome aboard."
