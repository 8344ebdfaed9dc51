"""In a real browser: a focal point reports progress and sees it in the timeline, and finds no
way to change another government's deliverable; the secretariat assigns a deliverable to a
government and finds it on that government's page."""

from datetime import date

from playwright.sync_api import expect

from tests.browser.conftest import log_in
from tests.factories import PASSWORD


def test_focal_point_updates_progress_and_sees_it_in_the_timeline(page, make):
    """From the landing page to the form to the timeline, under the strict CSP."""
    philippines = make.government("PHL", "Philippines")
    mexico = make.government("MEX", "Mexico")
    focal = make.user("focal_point", government=philippines, name="Pia Focal")
    ours = make.deliverable([philippines], title="Toolkit on recruitment fees")
    theirs = make.deliverable([mexico], title="Mexican labour study")

    log_in(page, focal.email, PASSWORD)
    assert page.get_by_role("heading", name="Philippines").is_visible()
    page.get_by_role("link", name="Update progress on Toolkit on recruitment fees").click()
    page.wait_for_load_state()
    page.get_by_label("Status", exact=True).select_option("in_progress")
    page.get_by_label("Percent complete", exact=True).fill("45")
    page.get_by_label("Comment", exact=True).fill("Draft shared with the co-chairs")
    page.get_by_role("button", name="Save progress").click()
    page.wait_for_load_state()

    assert page.get_by_text("Progress saved: 45% complete, in progress.").is_visible()
    entry = page.locator(".progress-history li").first
    assert "Draft shared with the co-chairs" in entry.inner_text()
    assert "by Pia Focal" in entry.inner_text() and "0% → 45%" in entry.inner_text()
    assert page.url.endswith(f"/deliverables/{ours.id}#history")

    page.goto(f"/deliverables/{theirs.id}")
    assert page.get_by_role("heading", name="Mexican labour study").is_visible()
    assert page.get_by_role("button", name="Save progress").count() == 0
    assert page.locator("form.progress-form").count() == 0
    assert page.get_by_label("Percent complete", exact=True).count() == 0
    assert page.get_by_role("link", name="Edit").count() == 0
    page.goto(f"/governments/{mexico.id}")
    assert page.get_by_text("Mexican labour study").is_visible()
    assert page.get_by_role("link", name="Update progress on Mexican labour study").count() == 0
    assert page.get_by_role("link", name="Update several at once").count() == 0
    assert page.console_errors == []


def test_secretariat_creates_a_deliverable_for_a_government(page, make):
    """Assign a deliverable from the government's page; it is listed there afterwards."""
    philippines = make.government("PHL", "Philippines")
    make.government("MEX", "Mexico")
    chair = make.chairmanship("GFMD 2030", starts_on=date(2030, 1, 1), ends_on=date(2030, 12, 31))
    make.roundtable(chair, number="1.1", title="Protecting migrant workers")
    earlier = make.chairmanship("GFMD 2029", starts_on=date(2029, 1, 1), ends_on=date(2029, 12, 31))
    make.roundtable(earlier, number="9.9", title="An earlier roundtable")
    secretariat = make.user("secretariat", name="Sam Secretariat")

    log_in(page, secretariat.email, PASSWORD)
    page.goto(f"/governments/{philippines.id}")
    page.get_by_role("link", name="New deliverable for Philippines").click()
    page.wait_for_load_state()
    page.get_by_label("Title").fill("Guide to ethical recruitment")
    page.get_by_label("Description").fill("Written with the roundtable's co-chairs.")
    page.get_by_label("Chairmanship").select_option(label="GFMD 2030")
    owner = page.get_by_label("Owner")
    # Only the chosen chairmanship's roundtables are offered (the server checks it too).
    assert owner.locator("option", has_text="An earlier roundtable").is_hidden()
    owner.select_option(label="RT 1.1: Protecting migrant workers (GFMD 2030)")
    selected = page.locator("#responsible_governments").evaluate(
        "s => Array.from(s.selectedOptions).map(o => o.text)"
    )
    assert selected == ["Philippines (PHL)"]
    # The searchable select shows the same choice, with a button to remove it.
    expect(page.locator(".ts-wrapper .item", has_text="Philippines (PHL)")).to_be_visible()
    page.get_by_label("Due date").fill("2030-09-30")
    page.get_by_role("button", name="Create deliverable").click()
    page.wait_for_load_state()
    assert page.get_by_text("“Guide to ethical recruitment” is assigned.").is_visible()
    assert page.get_by_role("heading", name="Guide to ethical recruitment").is_visible()

    page.goto(f"/governments/{philippines.id}")
    section = page.locator("section", has=page.locator("#deliverables-heading"))
    assert section.get_by_role("link", name="Guide to ethical recruitment", exact=True).is_visible()
    assert "30 September 2030" in section.inner_text()
    assert page.console_errors == []
