"""The secretariat plans a meeting in a real browser, under the strict Content-Security-Policy:
create it, add three agenda items, reorder them by dragging and by keyboard, publish it, and
find it on the public programme and in the public calendar feed."""

from datetime import date, timedelta

from sqlalchemy import select

from tests.browser.conftest import log_in
from tests.factories import PASSWORD
from workplan.models import AgendaItem, Meeting

TITLE = "Steering Group on fair recruitment"
ITEMS = (
    ("Opening by the chair", "30"),
    ("Budget for the summit", "45"),
    ("Any other business", "15"),
)


def agenda_titles(page) -> list[str]:
    """The agenda's item titles in the order the page shows them."""
    return page.locator("table.agenda tbody tr[data-item-id] th[scope=row]").all_inner_texts()


def agenda_starts(page) -> list[str]:
    return page.locator("table.agenda tbody time[data-start]").all_inner_texts()


def saved_titles(make, meeting_id: int) -> list[str]:
    make.session.expire_all()
    return list(
        make.session.scalars(
            select(AgendaItem.title)
            .where(AgendaItem.meeting_id == meeting_id)
            .order_by(AgendaItem.position, AgendaItem.id)
        )
    )


def wait_until_saved(page) -> None:
    page.wait_for_selector("table.agenda[data-state=saved]")


def test_secretariat_plans_and_publishes_a_meeting(page, make, live_server):
    """From an empty programme to a published meeting an anonymous visitor can find."""
    today = date.today()
    make.chairmanship(
        "GFMD current", starts_on=today - timedelta(days=30), ends_on=today + timedelta(days=330)
    )
    secretariat = make.user("secretariat", name="Sam Secretariat")
    log_in(page, secretariat.email, PASSWORD)
    assert page.get_by_role("heading", name="Secretariat dashboard").is_visible()

    # Create the meeting, typed in Geneva's clock.
    page.get_by_role("link", name="New meeting").first.click()
    page.get_by_label("Kind").select_option(label="Steering Group")
    page.get_by_label("Title", exact=True).fill(TITLE)
    page.get_by_label("Starts (venue's local time)").fill("2030-10-21T10:00")
    page.get_by_label("Ends (venue's local time)").fill("2030-10-21T13:00")
    page.get_by_label("Venue's time zone").fill("Europe/Zurich")
    page.get_by_label("Venue", exact=True).fill("Palais des Nations")
    page.get_by_label("City").fill("Geneva")
    page.get_by_role("button", name="Save meeting").click()
    page.wait_for_load_state()
    assert page.get_by_text("is saved as a draft").is_visible()
    meeting_id = int(page.url.rstrip("/").rsplit("/", 1)[1])
    meeting_url = page.url

    # Three agenda items, each added with the form under the agenda.
    for title, minutes in ITEMS:
        page.get_by_label("Item title").fill(title)
        page.get_by_label("Duration (minutes)").fill(minutes)
        page.get_by_role("button", name="Add item").click()
        page.wait_for_load_state()
    assert agenda_titles(page) == [title for title, _ in ITEMS]
    assert agenda_starts(page) == ["10:00", "10:30", "11:15"]

    # Drag the opening below the last item. The page is loaded afresh, without the anchor the
    # last save scrolled to, so no smooth scrolling moves the rows under the mouse.
    page.goto(meeting_url)
    rows = page.locator("table.agenda tbody tr[data-item-id]")
    last_box = rows.nth(2).bounding_box()
    rows.nth(0).locator("[data-drag-handle]").drag_to(
        rows.nth(2), target_position={"x": 20, "y": last_box["height"] - 4}
    )
    wait_until_saved(page)
    assert agenda_titles(page) == [
        "Budget for the summit",
        "Any other business",
        "Opening by the chair",
    ]
    # The start times come back from the server, derived from the new order.
    assert agenda_starts(page) == ["10:00", "10:45", "11:00"]
    assert saved_titles(make, meeting_id) == [
        "Budget for the summit",
        "Any other business",
        "Opening by the chair",
    ]

    # Then, by keyboard: focus "Move up" on the opening and press Enter.
    page.evaluate("document.querySelector('table.agenda').dataset.state = ''")
    move_up = page.get_by_role("button", name="Move up: Opening by the chair")
    move_up.focus()
    page.keyboard.press("Enter")
    wait_until_saved(page)
    assert agenda_titles(page) == [
        "Budget for the summit",
        "Opening by the chair",
        "Any other business",
    ]
    # The keyboard stays on the item that moved.
    focused = page.evaluate("document.activeElement.getAttribute('aria-label')")
    assert focused == "Move up: Opening by the chair"
    assert (
        "Moved “Opening by the chair” to position 2 of 3."
        in page.locator("#agenda-status").inner_text()
    )

    # After a reload the saved order is what the page shows.
    page.reload()
    assert agenda_titles(page) == [
        "Budget for the summit",
        "Opening by the chair",
        "Any other business",
    ]
    assert agenda_starts(page) == ["10:00", "10:45", "11:15"]
    assert saved_titles(make, meeting_id) == [
        "Budget for the summit",
        "Opening by the chair",
        "Any other business",
    ]

    # Publish, and leave.
    page.get_by_role("button", name="Publish").click()
    page.wait_for_load_state()
    assert page.get_by_text("is published").is_visible()
    make.session.expire_all()
    assert make.session.get(Meeting, meeting_id).state == "published"
    page.locator("#nav-user").click()
    page.get_by_role("button", name="Log out").click()
    page.wait_for_load_state()

    # An anonymous visitor finds it on the programme, the calendar and the meeting page.
    page.goto("/meetings/")
    assert page.get_by_role("link", name=TITLE).is_visible()
    page.goto("/meetings/calendar?month=2030-10")
    page.wait_for_load_state()
    assert page.get_by_role("link", name=TITLE).first.is_visible()
    assert page.get_by_text("Times are in Europe/Zurich (from your browser)").is_visible()
    page.goto(meeting_url)
    assert page.get_by_role("heading", name=TITLE).is_visible()
    assert page.get_by_role("button", name="Publish").count() == 0
    assert page.console_errors == []

    # And in the public calendar feed.
    feed = page.request.get(f"{live_server}/calendar/meetings.ics")
    assert feed.status == 200
    # Unfold the iCalendar lines (RFC 5545 section 3.1) before looking for the title.
    body = feed.text().replace("\r\n ", "").replace("\r\n\t", "")
    assert f"SUMMARY:{TITLE}" in body or TITLE in body
