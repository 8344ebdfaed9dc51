"""The good-practice library in a real browser: a focal point writes a practice on a phone and
submits it, the secretariat publishes it, and an anonymous visitor finds it by searching in
Spanish, without the accents."""

import pytest
from sqlalchemy import select

from tests.browser.conftest import choose, log_in
from tests.factories import PASSWORD
from workplan.models import Practice

expect = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed").expect
PHONE = {"width": 390, "height": 844}


def test_a_focal_point_shares_a_practice_and_a_visitor_finds_it_in_spanish(
    browser, live_server, make
):
    philippines = make.government("PHL", "Philippines")
    focal = make.user("focal_point", government=philippines)
    secretariat = make.user("secretariat")
    make.theme("Labour mobility", name_es="Movilidad laboral")

    context = browser.new_context(base_url=live_server, viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(10_000)
    log_in(page, focal.email, PASSWORD)
    page.goto("/practices/")
    page.get_by_role("link", name="Share a practice").click()
    page.get_by_label("Title", exact=True).fill("Pre-departure orientation for migrant workers")
    page.get_by_label("Summary", exact=True).fill("A one-day course on rights and contracts.")
    page.locator("details.translations summary").click()
    page.get_by_label("Title in Spanish").fill(
        "Orientación previa a la partida de los trabajadores migrantes"
    )
    page.get_by_label("Year it began").fill("2008")
    choose(page, "Countries", "Philippines (PHL)")
    choose(page, "Themes", "Labour mobility")
    page.get_by_role("button", name="Save practice").click()
    expect(page.get_by_text("The practice is saved as a draft.")).to_be_visible()
    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_text("The practice is with the secretariat for review.")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    context.close()

    context = browser.new_context(base_url=live_server)
    page = context.new_page()
    page.set_default_timeout(10_000)
    log_in(page, secretariat.email, PASSWORD)
    page.goto("/practices/?state=submitted")
    page.get_by_role("link", name="Pre-departure orientation for migrant workers").click()
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("The practice is published in the library.")).to_be_visible()
    context.close()

    context = browser.new_context(base_url=live_server, viewport=PHONE, locale="es-ES")
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto("/practices/")
    page.locator("input#q").fill("orientacion trabajadores")
    page.locator("input#q").press("Enter")
    found = page.get_by_role(
        "link", name="Orientación previa a la partida de los trabajadores migrantes"
    )
    expect(found).to_be_visible()
    found.click()
    expect(page.locator("h1")).to_contain_text("Orientación previa a la partida")
    expect(page.get_by_text("Movilidad laboral")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    context.close()

    make.session.expire_all()
    assert make.session.scalars(select(Practice)).one().state == "published"
