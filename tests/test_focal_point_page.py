"""A government's page as its focal point's desk (issue 13): what needs them now first, with why;
then the rest of the current work; earlier chairmanships' finished work folded away; a
chairmanship filter; and rows whose progress bar, percentage and Update button never share a
space. Every date is fixed: the page's clock is pinned, so no test depends on today."""

from datetime import UTC, date, datetime, timedelta

import pytest
import tinyhtml5

from workplan.extensions import db
from workplan.models import Government
from workplan.services import chairmanships, government_work

TODAY = date(2031, 3, 15)
NS = "{http://www.w3.org/1999/xhtml}"


@pytest.fixture
def pinned(monkeypatch):
    """The government page's clock stopped at noon on TODAY."""
    from workplan.governments import views

    monkeypatch.setattr(views, "utcnow", lambda: datetime(2031, 3, 15, 12, 0, tzinfo=UTC))


@pytest.fixture
def desk(make):
    """Ghana's work across an earlier chairmanship and the one in office on TODAY."""
    ghana = make.government("GHA", "Ghana")
    other = make.government("NPL", "Nepal")
    earlier = make.chairmanship("GFMD 2029", starts_on=date(2029, 1, 1), ends_on=date(2029, 12, 31))
    in_office = make.chairmanship(
        "GFMD 2031", starts_on=date(2031, 1, 1), ends_on=date(2031, 12, 31)
    )
    old_rt = make.roundtable(earlier, number="1.1")
    rt = make.roundtable(in_office, number="2.1")

    def owed(title, chairmanship_rt, due_on, status="planned", percent=0, **kw):
        return make.deliverable(
            kw.pop("responsible", [ghana]),
            owner=chairmanship_rt,
            title=title,
            due_on=due_on,
            status=status,
            percent_complete=percent,
            **kw,
        )

    return {
        "ghana": ghana,
        "earlier": earlier,
        "in_office": in_office,
        "overdue": owed("Overdue toolkit", rt, TODAY - timedelta(days=12), "in_progress", 55),
        "soon": owed("Policy brief", rt, TODAY + timedelta(days=30), "in_progress", 20),
        "edge": owed("Ninety-day review", rt, TODAY + timedelta(days=90)),
        "today": owed("Due-today note", rt, TODAY),
        "risky": owed("Risky study", rt, TODAY + timedelta(days=200), "at_risk", 10),
        "later": owed("Far report", rt, TODAY + timedelta(days=91)),
        "done_now": owed("Finished this year", rt, TODAY - timedelta(days=5), "completed", 100),
        "old_done": owed("Old survey", old_rt, date(2029, 6, 1), "completed", 100),
        "old_carried": owed("Old guide", old_rt, date(2029, 9, 1), "carried_over", 60),
        "old_open": owed("Old and still open", old_rt, date(2029, 10, 1), "in_progress", 70),
        "archived": owed("Archived item", rt, TODAY, archived_at=datetime(2031, 1, 2, tzinfo=UTC)),
        "not_ours": owed("Nepal's paper", rt, TODAY, responsible=[other]),
        "focal": make.user("focal_point", government=ghana, name="Gifty Focal"),
        "member": make.user("member"),
    }


def titles(items) -> list[str]:
    """The titles of a group, Attention records or deliverables."""
    return [getattr(item, "deliverable", item).title for item in items]


def test_the_service_puts_each_deliverable_in_one_group(app, desk):
    """Overdue, due within 90 days (both ends) or at risk need attention now, with why; earlier
    chairmanships' closed work is folded; everything else is current work."""
    with app.app_context():
        ghana = db.session.get(Government, desk["ghana"].id)
        work = government_work.work_of(ghana, TODAY, chairmanships.current_chairmanship(TODAY))
    assert titles(work.needs_now) == [
        "Old and still open",
        "Overdue toolkit",
        "Due-today note",
        "Policy brief",
        "Ninety-day review",
        "Risky study",
    ]
    why = {a.deliverable.title: (a.overdue_days, a.due_in_days, a.at_risk) for a in work.needs_now}
    assert why["Overdue toolkit"] == (12, None, False)
    assert why["Policy brief"] == (None, 30, False)
    assert why["Due-today note"] == (None, 0, False)
    assert why["Ninety-day review"] == (None, 90, False)
    assert why["Risky study"] == (None, None, True)
    assert titles(work.current) == ["Finished this year", "Far report"]
    assert titles(work.earlier) == ["Old survey", "Old guide"]
    assert work.in_office.label == "GFMD 2031"
    assert [c.label for c in work.chairmanships] == ["GFMD 2031", "GFMD 2029"]
    assert work.total == 10


def test_the_same_work_on_another_day_is_grouped_again(app, desk):
    """The grouping follows the date it is given, not the clock: a year earlier nothing in the
    2031 chairmanship is overdue, and 2029's work is the current chairmanship's."""
    with app.app_context():
        ghana = db.session.get(Government, desk["ghana"].id)
        day = date(2029, 8, 1)
        work = government_work.work_of(ghana, day, chairmanships.current_chairmanship(day))
    assert work.in_office.label == "GFMD 2029"
    assert work.earlier == []
    assert titles(work.needs_now) == ["Old and still open", "Risky study"]
    assert "Old survey" in titles(work.current) and "Overdue toolkit" in titles(work.current)


def _parse(response):
    """The page as an element tree."""
    return tinyhtml5.parse(response.get_data(as_text=True))


def _text(element) -> str:
    """An element's text as a person reads it, spaces squeezed."""
    return " ".join("".join(element.itertext()).split())


def _section(tree, heading_id: str):
    """The section a heading with this id titles."""
    for section in tree.iter(f"{NS}section"):
        if section.get("aria-labelledby") == heading_id:
            return section
    raise AssertionError(f"no section titled by #{heading_id}")


def test_the_page_shows_what_needs_the_focal_point_first(client, auth, desk, pinned):
    """ "Needs you now" with the reason of each, once each; then the rest; then earlier work
    folded under a summary with its count."""
    auth.login(desk["focal"])
    response = client.get(f"/governments/{desk['ghana'].id}")
    assert response.status_code == 200
    tree = _parse(response)
    now = _section(tree, "needs-now-heading")
    assert _text(now).startswith("Needs you now (6)")
    rows = {
        _text(row.find(f"{NS}th").find(f"{NS}a")): _text(row)
        for row in now.iter(f"{NS}tr")
        if row.get("class") == "work-item"
    }
    assert "Overdue by 12 days" in rows["Overdue toolkit"]
    assert "Due in 30 days" in rows["Policy brief"]
    assert "Due today" in rows["Due-today note"]
    assert "At risk" in rows["Risky study"]
    current = _text(_section(tree, "current-work-heading"))
    assert current.startswith("Other current work (2)")
    assert "Finished this year" in current and "Far report" in current
    (details,) = [d for d in tree.iter(f"{NS}details") if "earlier-work" in d.get("class", "")]
    summary = details.find(f"{NS}summary")
    assert _text(summary) == "Earlier work (2)"
    assert details.get("open") is None
    assert "Old survey" in _text(details) and "Old guide" in _text(details)
    shown = [
        _text(row.find(f"{NS}th").find(f"{NS}a"))
        for row in _section(tree, "deliverables-heading").iter(f"{NS}tr")
        if row.get("class") == "work-item"
    ]
    assert len(shown) == len(set(shown)) == 10
    assert "Archived item" not in shown and "Nepal's paper" not in shown


def test_a_member_reads_the_same_groups_without_update_buttons(client, auth, desk, pinned):
    """Anyone signed in sees the groups; only those who may report see Update buttons."""
    auth.login(desk["member"])
    tree = _parse(client.get(f"/governments/{desk['ghana'].id}"))
    assert _text(_section(tree, "needs-now-heading")).startswith("Needs attention now (6)")
    assert not [a for a in tree.iter(f"{NS}a") if "update-progress" in (a.get("class") or "")]


def test_progress_percentage_and_button_each_have_their_own_cell(client, auth, desk, pinned):
    """In every row the bar and its percentage sit together in the progress cell and the Update
    button alone in the action cell, so the button cannot cover the number."""
    auth.login(desk["focal"])
    tree = _parse(client.get(f"/governments/{desk['ghana'].id}"))
    rows = [r for r in tree.iter(f"{NS}tr") if r.get("class") == "work-item"]
    assert len(rows) == 10
    buttons = 0
    for row in rows:
        cells = {c.get("class"): c for c in row if c.tag in (f"{NS}td", f"{NS}th")}
        progress = cells["work-progress-cell"]
        assert progress.find(f".//{NS}progress") is not None
        assert progress.find(f".//{NS}span[@class='progress-label']") is not None
        assert not [a for a in progress.iter(f"{NS}a")]
        action = cells["work-action"]
        assert action.find(f".//{NS}progress") is None
        buttons += len([a for a in action.iter(f"{NS}a") if "update-progress" in a.get("class")])
    # Every row but the carried-over one has its Update button.
    assert buttons == 9
    table = next(t for t in tree.iter(f"{NS}table") if "work-table" in t.get("class"))
    assert "table-cards" in table.get("class")  # a stack of cards on a phone


def test_the_chairmanship_filter_shows_one_chairmanship(client, auth, desk, pinned):
    """?chairmanship= narrows every group to that chairmanship and keeps it chosen."""
    auth.login(desk["focal"])
    url = f"/governments/{desk['ghana'].id}"
    response = client.get(url, query_string={"chairmanship": desk["earlier"].id})
    assert response.status_code == 200
    tree = _parse(response)
    work = _text(_section(tree, "deliverables-heading"))
    assert "Old survey" in work and "Old and still open" in work
    assert "Overdue toolkit" not in work and "Far report" not in work
    chosen = [o for o in tree.iter(f"{NS}option") if o.get("selected") is not None]
    assert [_text(o) for o in chosen] == ["GFMD 2029"]


@pytest.mark.parametrize("value", ["abc", "0", "-3", "1e3", "9" * 40])
def test_a_malformed_filter_is_a_400_with_a_sentence(client, auth, desk, pinned, value):
    """A chairmanship that is not a whole number is refused with a sentence, never a 500."""
    auth.login(desk["focal"])
    response = client.get(f"/governments/{desk['ghana'].id}", query_string={"chairmanship": value})
    assert response.status_code == 400
    assert "chairmanship" in response.get_data(as_text=True)


def test_a_chairmanship_without_its_work_is_set_aside_with_a_message(
    client, auth, make, desk, pinned
):
    """An unknown chairmanship, or one where the government has no work, shows all its work and
    says why."""
    auth.login(desk["focal"])
    empty = make.chairmanship("GFMD 2035", starts_on=date(2035, 1, 1), ends_on=date(2035, 12, 31))
    for value in (empty.id, 987654):
        response = client.get(
            f"/governments/{desk['ghana'].id}", query_string={"chairmanship": value}
        )
        assert response.status_code == 200
        page = response.get_data(as_text=True)
        assert "Ghana has no deliverables in that chairmanship, so all its work is shown." in page
        assert "Overdue toolkit" in page and "Old survey" in page
