"""The meetings pages at a phone's width, in a real browser: the agenda's row actions on one
line and clear of the item's title, the month grid turned into a list of days."""

from datetime import UTC, datetime

from tests.browser.conftest import log_in
from tests.factories import PASSWORD

GENEVA_OCTOBER = datetime(2030, 10, 21, 8, 0, tzinfo=UTC)  # 10:00 CEST

# In a real browser at a phone's width.

WIDE_ELEMENTS = """() => {
  const width = document.documentElement.clientWidth;
  return [...document.querySelectorAll("main *")].filter((e) => {
    if (e.closest("thead, .visually-hidden")) return false;
    const box = e.getBoundingClientRect();
    return box.width > 0 && box.right > width + 1;
  }).map((e) => e.tagName + "." + e.className);
}"""


def test_phone_agenda_actions_fit_one_line_and_grid_becomes_a_list(page, make):
    """At 390 px: each item's four buttons sit on one line without covering its title, nothing
    is wider than the window, and the month shows as a list of days."""
    page.set_viewport_size({"width": 390, "height": 844})
    secretariat = make.user("secretariat")
    meeting = make.meeting(starts_at=GENEVA_OCTOBER, hours=2, title="Steering Group")
    for title in ("Opening by the chair and adoption of the agenda", "Panel on fair recruitment"):
        make.agenda_item(meeting, minutes=45, title=title)
    log_in(page, secretariat.email, PASSWORD)

    page.goto(f"/meetings/{meeting.id}")
    rows = page.locator("table.agenda tbody tr[data-item-id]")
    assert rows.count() == 2
    for index in range(2):
        row = rows.nth(index)
        title = row.locator("th[scope=row]").bounding_box()
        buttons = [b.bounding_box() for b in row.locator("td.agenda-actions .btn").all()]
        assert len(buttons) == 4
        assert len({round(box["y"]) for box in buttons}) == 1, "the buttons wrap"
        for box in buttons:
            assert box["x"] + box["width"] <= 390
            apart = (
                box["x"] + box["width"] <= title["x"]
                or box["x"] >= title["x"] + title["width"]
                or box["y"] + box["height"] <= title["y"]
                or box["y"] >= title["y"] + title["height"]
            )
            assert apart, "a button covers the item's title"
    assert page.evaluate(WIDE_ELEMENTS) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.goto("/meetings/calendar?month=2030-10")
    assert not page.locator("table.calendar-month").is_visible()
    days = page.locator("ol.calendar-days > li")
    assert days.count() == 1 and "Steering Group" in days.first.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.set_viewport_size({"width": 1280, "height": 800})
    assert page.locator("table.calendar-month").is_visible()
    assert not page.locator("ol.calendar-days").is_visible()
    widths = page.evaluate(
        "[...document.querySelectorAll('table.calendar-month thead th')]"
        ".map((th) => Math.round(th.getBoundingClientRect().width))"
    )
    assert len(widths) == 7 and max(widths) - min(widths) <= 1
