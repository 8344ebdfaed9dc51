"""Finishing the meetings pages (issue 13): titles that name their roundtable once, in feeds and
pages; "Reinstate" for a cancelled meeting; the printed agenda's overrun said in words; the
agenda editor's row actions as one line of icon buttons; the month grid's equal columns and its
list of days for a phone."""

from dataclasses import dataclass, field
from datetime import UTC, datetime
from html.parser import HTMLParser

import icalendar
import pytest

from workplan.extensions import db
from workplan.models import Meeting
from workplan.models.meeting import display_title
from workplan.services import agenda

GENEVA_OCTOBER = datetime(2030, 10, 21, 8, 0, tzinfo=UTC)  # 10:00 CEST
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


@dataclass
class Element:
    """One element of a parsed page, with its attributes, children and text."""

    tag: str
    attrs: dict
    children: list = field(default_factory=list)
    parts: list = field(default_factory=list)

    @property
    def text(self) -> str:
        """The element's text, its descendants' included, spaces collapsed."""
        return " ".join("".join(self._texts()).split())

    def _texts(self):
        for part in self.parts:
            yield from (part,) if isinstance(part, str) else part._texts()

    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())

    def find_all(self, tag: str | None = None, **wanted):
        """Descendants with this tag whose attributes hold these values ("class_" is one class)."""
        for child in self.children:
            if (tag is None or child.tag == tag) and all(
                (value in child.classes()) if name == "class_" else child.attrs.get(name) == value
                for name, value in wanted.items()
            ):
                yield child
            yield from child.find_all(tag, **wanted)

    def find(self, tag: str | None = None, **wanted) -> "Element | None":
        return next(self.find_all(tag, **wanted), None)


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        element = Element(tag, {name: value or "" for name, value in attrs})
        self.stack[-1].children.append(element)
        self.stack[-1].parts.append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        self.stack[-1].parts.append(data)


def parse(response) -> Element:
    """The page as a tree of elements."""
    builder = _TreeBuilder()
    builder.feed(response.get_data(as_text=True))
    return builder.root


def feed_events(client) -> dict[str, icalendar.Event]:
    """The public meetings feed, parsed back, by UID."""
    response = client.get("/calendar/meetings.ics")
    assert response.status_code == 200
    calendar = icalendar.Calendar.from_ical(response.data)
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


# Titles that name their roundtable once.


@pytest.mark.parametrize(
    ("title", "shown"),
    [
        ("RT 3.1 preparatory meeting", "RT 3.1 preparatory meeting"),
        ("rt 3.1 preparatory meeting", "rt 3.1 preparatory meeting"),
        ("RT3.1: preparatory meeting", "RT3.1: preparatory meeting"),
        ("RT-3.1 – preparatory meeting", "RT-3.1 – preparatory meeting"),
        ("Preparatory meeting", "RT 3.1: Preparatory meeting"),
        ("Preparatory meeting of RT 3.1", "RT 3.1: Preparatory meeting of RT 3.1"),
        ("RT 3.10 session", "RT 3.1: RT 3.10 session"),
        ("RT 3.1.2 working group", "RT 3.1: RT 3.1.2 working group"),
        ("RT 3.1a", "RT 3.1: RT 3.1a"),
    ],
)
def test_display_title_prefixes_the_code_only_when_the_title_lacks_it(title, shown):
    """Case, spaces and punctuation aside, a title opening with the code keeps it once."""
    assert display_title(title, "3.1") == shown


def test_a_meeting_without_roundtable_keeps_its_title():
    assert display_title("Steering Group", None) == "Steering Group"


def test_feed_and_pages_never_repeat_the_roundtable_code(client, make):
    """The feed's SUMMARY, the page's title and the calendar name "RT 3.1" once per meeting."""
    roundtable = make.roundtable(number="3.1", title="Climate and mobility")
    named = make.meeting(
        roundtable=roundtable, title="RT 3.1 preparatory meeting", starts_at=GENEVA_OCTOBER
    )
    plain = make.meeting(roundtable=roundtable, title="Expert panel", starts_at=GENEVA_OCTOBER)
    cancelled = make.meeting(
        roundtable=roundtable,
        title="rt 3.1: closing session",
        state="cancelled",
        starts_at=GENEVA_OCTOBER,
    )

    events = feed_events(client)
    assert events[f"meeting-{named.id}@gfmd-workplan"]["SUMMARY"] == "RT 3.1 preparatory meeting"
    assert events[f"meeting-{plain.id}@gfmd-workplan"]["SUMMARY"] == "RT 3.1: Expert panel"
    assert (
        events[f"meeting-{cancelled.id}@gfmd-workplan"]["SUMMARY"]
        == "Cancelled: rt 3.1: closing session"
    )

    page = parse(client.get(f"/meetings/{named.id}"))
    assert page.find("title").text == "RT 3.1 preparatory meeting · GFMD work plan"
    page = parse(client.get(f"/meetings/{plain.id}"))
    assert page.find("title").text == "RT 3.1: Expert panel · GFMD work plan"
    printed = parse(client.get(f"/meetings/{named.id}/agenda/print"))
    assert printed.find("title").text == "Agenda: RT 3.1 preparatory meeting · GFMD work plan"

    client.set_cookie("tz", "UTC")
    grid = parse(client.get("/meetings/calendar?month=2030-10"))
    entries = [
        entry.text
        for entry in grid.find("table", class_="calendar-month").find_all(
            "li", class_="calendar-entry"
        )
    ]
    named_entry = next(text for text in entries if "preparatory meeting" in text)
    assert named_entry.count("3.1") == 1, named_entry
    plain_entry = next(text for text in entries if "Expert panel" in text)
    assert "(RT 3.1)" in plain_entry

    listed = parse(client.get(f"/roundtables/{roundtable.id}"))
    row = next(tr for tr in listed.find_all("tr") if "preparatory meeting" in tr.text)
    assert row.text.count("3.1") == 1, row.text


# Reinstating a cancelled meeting.


def test_a_cancelled_meeting_offers_reinstate_and_a_draft_offers_publish(client, make, auth):
    """The secretariat sees "Reinstate" on a cancelled meeting; using it publishes it again."""
    auth.login(make.user("secretariat"))
    cancelled = make.meeting(title="Troika call", state="cancelled", sequence=3)
    draft = make.meeting(title="Draft call", state="draft")

    page = parse(client.get(f"/meetings/{cancelled.id}"))
    buttons = [button.text for button in page.find_all("button")]
    assert "Reinstate" in buttons and "Publish" not in buttons
    form = next(
        f
        for f in page.find_all("form")
        if f.find("button") and f.find("button").text == "Reinstate"
    )
    assert form.attrs["action"] == f"/meetings/{cancelled.id}/publish"
    assert "Reinstate “Troika call”?" in form.attrs["data-confirm"]

    page = parse(client.get(f"/meetings/{draft.id}"))
    buttons = [button.text for button in page.find_all("button")]
    assert "Publish" in buttons and "Reinstate" not in buttons

    response = client.post(f"/meetings/{cancelled.id}/publish", follow_redirects=True)
    assert response.status_code == 200
    assert "“Troika call” is reinstated" in parse(response).text
    reinstated = make.fresh(Meeting, cancelled.id)
    assert reinstated.state == "published" and reinstated.sequence == 4
    buttons = [button.text for button in parse(response).find_all("button")]
    assert "Reinstate" not in buttons and "Cancel meeting" in buttons


def test_reinstating_twice_is_refused_without_change(client, make, auth):
    """A second press of a stale "Reinstate" gets a 400 with the reason and writes nothing."""
    auth.login(make.user("secretariat"))
    meeting = make.meeting(title="Troika call", state="cancelled", sequence=1)
    assert client.post(f"/meetings/{meeting.id}/publish").status_code == 302
    again = client.post(f"/meetings/{meeting.id}/publish")
    assert again.status_code == 400
    assert "already published" in parse(again).text
    assert make.fresh(Meeting, meeting.id).sequence == 2


# The printed agenda's overrun.


@pytest.fixture
def overrunning(make):
    """A two-hour meeting (10:00–12:00 CEST) whose agenda runs 2 h 35 min."""
    meeting = make.meeting(starts_at=GENEVA_OCTOBER, hours=2, title="Steering Group")
    for title, minutes in (("Opening", 60), ("Panel", 45), ("Discussion", 30), ("Wrap-up", 20)):
        make.agenda_item(meeting, minutes=minutes, title=title)
    return meeting


def test_timed_agenda_says_which_items_overrun_and_by_how_much(app, make, overrunning):
    """The service times each item and measures how far past the meeting's end it runs."""
    with app.test_request_context():
        timed = agenda.timed(db.session.get(Meeting, overrunning.id))
    assert [(t.item.title, t.overrun_minutes, t.starts_after_meeting) for t in timed.items] == [
        ("Opening", 0, False),
        ("Panel", 0, False),
        ("Discussion", 15, False),
        ("Wrap-up", 35, True),
    ]
    assert timed.overrun_minutes == 35
    assert timed.first_overrun.item.title == "Discussion"


def test_printed_agenda_flags_the_overrun_in_words(client, overrunning):
    """The print names the first overrunning item and each late item says how late, in words."""
    page = parse(client.get(f"/meetings/{overrunning.id}/agenda/print"))
    note = page.find(class_="agenda-overrun-note")
    assert note is not None
    assert "The agenda overruns the meeting by 35 min." in note.text
    assert (
        "“Discussion” is the first item to run past the end of the meeting at 12:00: "
        "it ends at 12:15, 15 min late." in note.text
    )
    rows = {row.find("th").parts[0].strip(): row for row in page.find("tbody").find_all("tr")}
    assert "agenda-overrun" not in rows["Panel"].classes()
    assert "Overrun" not in rows["Panel"].text
    assert "agenda-overrun" in rows["Discussion"].classes()
    assert "Overrun: ends 15 min after the meeting ends." in rows["Discussion"].text
    assert (
        "Overrun: starts after the meeting has ended, and ends 35 min after its end."
        in rows["Wrap-up"].text
    )


def test_printed_agenda_that_fits_has_no_overrun_note(client, make):
    """An agenda that exactly fills its meeting is not flagged."""
    meeting = make.meeting(starts_at=GENEVA_OCTOBER, hours=1)
    make.agenda_item(meeting, minutes=30, title="First")
    make.agenda_item(meeting, minutes=30, title="Second")
    page = parse(client.get(f"/meetings/{meeting.id}/agenda/print"))
    assert page.find(class_="agenda-overrun-note") is None
    assert page.find(class_="agenda-overrun") is None
    assert "Overrun" not in page.text


# The agenda editor's row actions.


def test_agenda_row_actions_are_one_line_of_named_icon_buttons(client, make, auth, overrunning):
    """Four icon buttons in a row that does not wrap, each with a spoken name and a tooltip."""
    auth.login(make.user("secretariat"))
    page = parse(client.get(f"/meetings/{overrunning.id}"))
    row = page.find("tr", id=f"agenda-item-{overrunning.agenda_items[1].id}")
    cell = row.find("td", class_="agenda-actions")
    line = cell.find("div")
    assert {"d-flex", "flex-nowrap"} <= line.classes()
    controls = [c for c in cell.find_all() if c.tag in ("button", "a")]
    assert [(c.attrs["title"], c.attrs["aria-label"]) for c in controls] == [
        ("Move up", "Move up: Panel"),
        ("Move down", "Move down: Panel"),
        ("Edit", "Edit “Panel”"),
        ("Remove", "Remove “Panel”"),
    ]
    for control in controls:
        icon = control.find("i")
        assert "bi" in icon.classes() and icon.attrs["aria-hidden"] == "true"
        # No visible words: the name is spoken, the tooltip shown on hover.
        assert control.text == ""
    assert "btn-sm" in controls[0].classes()


# The month grid and its phone list.


def test_month_grid_has_equal_columns_and_a_list_of_days_for_phones(client, make):
    """The grid has no sideways scroller and is hidden below 576 px, where a list of the days
    with meetings takes its place; the style sheet fixes the columns' layout."""
    make.meeting(
        title="A very long meeting title that would otherwise stretch its column out of shape",
        starts_at=datetime(2030, 11, 12, 9, 0, tzinfo=UTC),
    )
    make.meeting(title="Summit", starts_at=datetime(2030, 11, 25, 9, 0, tzinfo=UTC), hours=30)
    make.meeting(title="October call", starts_at=datetime(2030, 10, 29, 9, 0, tzinfo=UTC))
    client.set_cookie("tz", "UTC")
    page = parse(client.get("/meetings/calendar?month=2030-11"))

    grid = page.find("table", class_="calendar-month")
    wrapper = next(d for d in page.find_all("div") if grid in d.children)
    assert {"d-none", "d-sm-block"} <= wrapper.classes()
    assert page.find(class_="table-responsive") is None

    days = page.find("ol", class_="calendar-days")
    assert "d-sm-none" in days.classes()
    listed = {
        day.find("time").attrs["datetime"]: day.text
        for day in days.find_all("li", class_="calendar-day")
    }
    # Only the month's days with meetings; a two-day summit shows on both, then "continued".
    assert list(listed) == ["2030-11-12", "2030-11-25", "2030-11-26"]
    assert "A very long meeting title" in listed["2030-11-12"]
    assert "Summit" in listed["2030-11-25"] and "(continued)" not in listed["2030-11-25"]
    assert "(continued)" in listed["2030-11-26"]

    with client.get("/static/app.css") as response:
        style = response.get_data(as_text=True)
    assert "table.calendar-month { table-layout: fixed; width: 100%; }" in style


def test_month_without_meetings_shows_no_day_list(client):
    """An empty month says so once, with no empty list of days."""
    page = parse(client.get("/meetings/calendar?month=2030-02"))
    assert page.find("ol", class_="calendar-days") is None
    assert "No meetings match these filters this month." in page.text
