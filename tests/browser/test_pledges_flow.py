"""The secretariat's money and structure screens in a real browser, with CSRF on and the strict
Content-Security-Policy: record a pledge, commit it, record and remove a payment, archive and
restore; plan a roundtable and add a partner to its team."""

import re
from datetime import date

from playwright.sync_api import expect

from tests.browser.conftest import choose, log_in
from tests.factories import PASSWORD


def unexpected(console_errors: list[str]) -> list[str]:
    """Console errors other than the browser's note that a refused form answered 400."""
    return [e for e in console_errors if "status of 400" not in e]


def test_pledge_from_promise_to_payment(page, make):
    """Pledged, committed, paid in part; a payment removed after confirming; archived and back."""
    make.government("SWE", "Sweden")
    make.chairmanship("GFMD 2014-2015", starts_on=date(2014, 7, 1), ends_on=date(2015, 12, 31))
    officer = make.user(role="secretariat", name="Sara Secretariat")
    log_in(page, officer.email, PASSWORD)

    page.goto("/pledges/")
    page.get_by_role("link", name="New pledge").click()
    page.get_by_label("Donor").select_option(label="Sweden (SWE)")
    page.get_by_label("Chairmanship").select_option(label="GFMD 2014-2015")
    page.get_by_label("Amount").fill("0")
    page.get_by_label("Currency").fill("chf")
    page.get_by_label("Pledged on").fill("2014-10-22")
    page.get_by_role("button", name="Save pledge").click()
    expect(page.locator("#amount-error")).to_have_text("The amount must be more than zero.")
    expect(page.get_by_label("Currency")).to_have_value("CHF")

    page.get_by_label("Amount").fill("250,000")
    page.get_by_role("button", name="Save pledge").click()
    expect(page.get_by_role("heading", name="Pledge by Sweden")).to_be_visible()
    expect(page.get_by_text("The pledge by Sweden is recorded.")).to_be_visible()

    page.get_by_label("Agreement signed on").fill("2015-01-10")
    page.get_by_role("button", name="Mark as committed").click()
    expect(page.get_by_text("The pledge by Sweden is committed.")).to_be_visible()

    page.get_by_label("Amount received (CHF)").fill("100000")
    page.get_by_label("Received on").fill("2015-03-02")
    page.get_by_label("Reference").fill("Transfer 1")
    page.get_by_role("button", name="Record payment").click()
    expect(page.get_by_text("A payment of 100,000.00 CHF is recorded.")).to_be_visible()
    balance = page.locator("dl.balance")
    expect(balance).to_contain_text("150,000.00 CHF")

    remove = page.get_by_role("button", name="Remove payment of 100,000.00 CHF")
    page.once("dialog", lambda dialog: dialog.dismiss())
    remove.click()
    expect(page.locator("#payments")).to_contain_text("Transfer 1")
    page.once("dialog", lambda dialog: dialog.accept())
    remove.click()
    expect(page.get_by_text("The payment of 100,000.00 CHF is removed.")).to_be_visible()
    expect(page.locator("#payments")).not_to_contain_text("Transfer 1")

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Archive").click()
    expect(page.get_by_text(re.compile("The pledge by Sweden is archived"))).to_be_visible()
    page.get_by_label("Archived").check()
    page.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(r"archived=1"))
    page.get_by_role("link", name="Pledged 22 October 2014").click()
    page.get_by_role("button", name="Restore").click()
    expect(page.get_by_text("The pledge by Sweden is restored.")).to_be_visible()
    assert unexpected(page.console_errors) == []


def test_roundtable_planned_with_a_partner(page, make):
    """A duplicate number is refused at the field; the roundtable is saved and IOM joins."""
    make.government("SWE", "Sweden")
    make.government("CHE", "Switzerland")
    make.organisation("International Organization for Migration", acronym="IOM")
    chair = make.chairmanship(
        "GFMD 2014-2015", starts_on=date(2014, 7, 1), ends_on=date(2015, 12, 31)
    )
    make.roundtable(chair, number="1.1", title="Empowering migrants")
    officer = make.user(role="secretariat")
    log_in(page, officer.email, PASSWORD)

    page.goto(f"/chairmanships/{chair.id}")
    page.get_by_role("link", name="New roundtable").click()
    expect(page.get_by_label("Chairmanship")).to_have_value(str(chair.id))
    page.get_by_label("Number").fill("1.1")
    page.get_by_label("Title", exact=True).fill("Migration and the SDGs")
    choose(page, "Co-chairs", "Sweden (SWE)", "Switzerland (CHE)")
    chosen = page.locator("#co_chairs").evaluate("s => [...s.selectedOptions].map(o => o.value)")
    assert chosen == ["gov:SWE", "gov:CHE"]
    page.get_by_role("button", name="Save roundtable").click()
    expect(page.locator("#number-error")).to_have_text("RT 1.1 already exists in GFMD 2014-2015.")
    expect(page.get_by_label("Title", exact=True)).to_have_value("Migration and the SDGs")

    page.get_by_label("Number").fill("1.2")
    page.get_by_role("button", name="Save roundtable").click()
    expect(page.get_by_text("RT 1.2 is planned in GFMD 2014-2015.")).to_be_visible()
    choose(page, "Government or organisation", "International Organization for Migration (IOM)")
    page.get_by_role("button", name="Add to the team").click()
    expect(
        page.get_by_text("International Organization for Migration joined the team")
    ).to_be_visible()
    assert unexpected(page.console_errors) == []
