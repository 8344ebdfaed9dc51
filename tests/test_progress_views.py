"""The progress form on a deliverable's page: the public contract (labels and button), a
permanent timeline, refusals that change nothing, and a 409 page when someone else saved first."""

import csv
import io
import re

import pytest
from sqlalchemy import func, select

from tests.factories import PASSWORD
from tests.helpers import counting_queries
from workplan.models import Deliverable, ProgressUpdate, utcnow


def state(make, deliverable_id: int) -> tuple:
    """A deliverable's status, percent and version as the database holds them."""
    d = make.fresh(Deliverable, deliverable_id)
    return d.status, d.percent_complete, d.version


def timeline(make, deliverable_id: int) -> list[tuple]:
    """The deliverable's progress updates in the order they were made."""
    make.session.expire_all()
    return [
        (u.user_id, u.old_status, u.new_status, u.old_percent, u.new_percent, u.comment)
        for u in make.session.scalars(
            select(ProgressUpdate)
            .where(ProgressUpdate.deliverable_id == deliverable_id)
            .order_by(ProgressUpdate.id)
        )
    ]


def post_progress(client, deliverable_id, **data):
    """Send the progress form."""
    return client.post(f"/deliverables/{deliverable_id}/progress", data=data)


@pytest.fixture
def focal(make):
    """A focal point of Sweden, with one Swedish deliverable."""
    sweden = make.government("SWE", "Sweden")
    user = make.user("focal_point", government=sweden, name="Sara Focal")
    deliverable = make.deliverable([sweden], title="Background paper on diaspora bonds")
    return user, deliverable


def test_form_follows_the_public_contract(client, auth, focal):
    """Labels Status, Percent complete, Comment; button Save progress; a hidden version."""
    user, deliverable = focal
    auth.login(user)
    page = client.get(f"/deliverables/{deliverable.id}").get_data(as_text=True)
    form = page[page.index('id="progress"') : page.index('id="history"')]
    assert f'action="/deliverables/{deliverable.id}/progress"' in form
    for name, label in (
        ("status", "Status"),
        ("percent_complete", "Percent complete"),
        ("comment", "Comment"),
    ):
        assert f'<label class="form-label" for="{name}">{label}</label>' in form
        assert f'name="{name}"' in form
    assert re.search(r'<input id="version" name="version" type="hidden" value="1">', form)
    assert re.search(r"<button[^>]*>Save progress</button>", form)
    # Only the contract's fields: nothing else the form could send.
    names = set(re.findall(r'name="([^"]+)"', form))
    assert names <= {"status", "percent_complete", "comment", "version", "csrf_token"}


def test_saving_adds_to_the_timeline_newest_first(client, auth, make, focal):
    """Each save records who, when, from what to what and the comment; newest is listed first."""
    user, deliverable = focal
    auth.login(user)
    first = post_progress(
        client,
        deliverable.id,
        status="in_progress",
        percent_complete="30",
        comment="First draft shared with the co-chairs",
        version="1",
    )
    assert first.status_code == 302
    assert first.location.endswith(f"/deliverables/{deliverable.id}#history")
    second = post_progress(
        client,
        deliverable.id,
        status="at_risk",
        percent_complete="45",
        comment="Peer review is late",
        version="2",
    )
    assert second.status_code == 302
    assert state(make, deliverable.id) == ("at_risk", 45, 3)
    assert timeline(make, deliverable.id) == [
        (user.id, "planned", "in_progress", 0, 30, "First draft shared with the co-chairs"),
        (user.id, "in_progress", "at_risk", 30, 45, "Peer review is late"),
    ]
    page = client.get(f"/deliverables/{deliverable.id}").get_data(as_text=True)
    assert "Progress saved: 45% complete, at risk." in page
    history = page[page.index('id="history"') :]
    assert history.index("Peer review is late") < history.index("First draft shared")
    assert "by Sara Focal" in history and "30% → 45%" in history and "0% → 30%" in history
    assert re.search(r">In progress</span> → .*>At risk</span>", history)
    # The form now starts from the saved state and the new version.
    assert 'name="version" type="hidden" value="3"' in page


def test_completed_without_comment_is_enough(client, auth, make, focal):
    """Completing at 100 percent needs no comment."""
    user, deliverable = focal
    auth.login(user)
    response = post_progress(
        client, deliverable.id, status="completed", percent_complete="100", version="1"
    )
    assert response.status_code == 302
    assert state(make, deliverable.id) == ("completed", 100, 2)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"status": "completed", "percent_complete": "90"},
            "percent_complete",
            "A completed deliverable is 100 percent complete.",
        ),
        (
            {"status": "dropped", "percent_complete": "10", "comment": "  "},
            "comment",
            "Say in the comment why the deliverable is dropped.",
        ),
        (
            {"status": "in_progress", "percent_complete": "101"},
            "percent_complete",
            "Percent complete must be from 0 to 100.",
        ),
        (
            {"status": "in_progress", "percent_complete": "-5"},
            "percent_complete",
            "Percent complete must be from 0 to 100.",
        ),
        (
            {"status": "in_progress", "percent_complete": "half"},
            "percent_complete",
            "Write a whole number with the digits 0 to 9.",
        ),
        (
            {"status": "in_progress", "percent_complete": ""},
            "percent_complete",
            "Give the percent complete, from 0 to 100.",
        ),
        ({"status": "carried_over", "percent_complete": "10"}, "status", "Not a valid choice."),
        ({"status": "finished", "percent_complete": "10"}, "status", "Not a valid choice."),
        (
            {"status": "in_progress", "percent_complete": "10", "comment": "x" * 2001},
            "comment",
            "Keep the comment under 2000 characters.",
        ),
    ],
)
def test_incoherent_progress_is_refused_at_the_field(
    client, auth, make, focal, data, field, message
):
    """400, the message next to its field, what was typed kept, and nothing changed."""
    user, deliverable = focal
    auth.login(user)
    response = post_progress(client, deliverable.id, version="1", **data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert f'<div class="invalid-feedback d-block" id="{field}-error">{message}</div>' in page
    assert 'aria-describedby="' + field + '-error"' in page
    assert state(make, deliverable.id) == ("planned", 0, 1)
    assert timeline(make, deliverable.id) == []


def test_nothing_changed_is_refused(client, auth, make, focal):
    """The same status and percent without a comment adds nothing to the timeline."""
    user, deliverable = focal
    auth.login(user)
    response = post_progress(
        client, deliverable.id, status="planned", percent_complete="0", version="1"
    )
    assert response.status_code == 400
    assert "Nothing changed" in response.get_data(as_text=True)
    assert timeline(make, deliverable.id) == []


def test_missing_version_is_refused(client, auth, make, focal):
    """A form without the version it was made from cannot be checked for staleness: refused."""
    user, deliverable = focal
    auth.login(user)
    response = post_progress(client, deliverable.id, status="in_progress", percent_complete="10")
    assert response.status_code == 400
    assert "Reload the page: the form lost its version." in response.get_data(as_text=True)
    assert state(make, deliverable.id) == ("planned", 0, 1)


@pytest.mark.parametrize(
    "extra",
    [
        {"title": "Renamed by a focal point"},
        {"due_on": "2040-01-01"},
        {"responsible_governments": "1"},
        {"chairmanship": "1"},
        {"archived_at": ""},
        {"submit": "Save progress"},
    ],
)
def test_fields_other_than_status_percent_comment_are_refused(client, auth, make, focal, extra):
    """A progress update cannot smuggle in other changes: 400 and nothing changed."""
    user, deliverable = focal
    auth.login(user)
    response = post_progress(
        client,
        deliverable.id,
        status="in_progress",
        percent_complete="50",
        comment="ok",
        version="1",
        **extra,
    )
    assert response.status_code == 400
    assert next(iter(extra)) in response.get_data(as_text=True)
    fresh = make.fresh(Deliverable, deliverable.id)
    assert (fresh.title, fresh.status, fresh.version) == (
        "Background paper on diaspora bonds",
        "planned",
        1,
    )
    assert timeline(make, deliverable.id) == []


def test_stale_save_shows_their_change_and_applies_mine_on_top(app, client, auth, make, focal):
    """Two people open version 1; the second save gets a 409 page with the first person's change
    and a form, holding what they typed, that carries the new version."""
    user, deliverable = focal
    colleague = make.user("focal_point", government=user.government, name="Lars Colleague")
    other = app.test_client()
    other.post("/auth/login", data={"email": colleague.email, "password": PASSWORD})
    auth.login(user)
    assert 'value="1"' in client.get(f"/deliverables/{deliverable.id}").get_data(as_text=True)
    assert 'value="1"' in other.get(f"/deliverables/{deliverable.id}").get_data(as_text=True)

    theirs = post_progress(
        other,
        deliverable.id,
        status="at_risk",
        percent_complete="20",
        comment="Funding delayed",
        version="1",
    )
    assert theirs.status_code == 302
    mine = post_progress(
        client,
        deliverable.id,
        status="in_progress",
        percent_complete="60",
        comment="Chapters drafted",
        version="1",
    )
    assert mine.status_code == 409
    page = mine.get_data(as_text=True)
    their_part = page[page.index('id="theirs-heading"') : page.index('id="mine-heading"')]
    assert "Lars Colleague" in their_part and "Funding delayed" in their_part
    assert "At risk" in their_part and "20%" in their_part
    my_part = page[page.index('id="mine-heading"') :]
    assert "Chapters drafted" in my_part and "60%" in my_part
    form = page[page.index('id="again-heading"') :]
    assert 'name="version" type="hidden" value="2"' in form
    assert '<option selected value="in_progress">' in form
    assert 'value="60"' in form and "Chapters drafted</textarea>" in form
    assert state(make, deliverable.id) == ("at_risk", 20, 2)

    on_top = post_progress(
        client,
        deliverable.id,
        status="in_progress",
        percent_complete="60",
        comment="Chapters drafted",
        version="2",
    )
    assert on_top.status_code == 302
    assert [row[1:] for row in timeline(make, deliverable.id)] == [
        ("planned", "at_risk", 0, 20, "Funding delayed"),
        ("at_risk", "in_progress", 20, 60, "Chapters drafted"),
    ]


def test_secretariat_edit_in_between_also_makes_a_progress_save_stale(client, auth, make, focal):
    """The version counts every save of the deliverable, not only progress updates."""
    user, deliverable = focal
    auth.login(user)
    row = make.session.get(Deliverable, deliverable.id)
    row.title = "Renamed by the secretariat"
    make.session.commit()
    response = post_progress(
        client, deliverable.id, status="in_progress", percent_complete="5", version="1"
    )
    assert response.status_code == 409
    assert "edited by the secretariat" in response.get_data(as_text=True)
    assert timeline(make, deliverable.id) == []


def test_carried_over_deliverable_takes_no_progress(client, auth, make):
    """A carried-over deliverable points to its successor and refuses updates."""
    sweden = make.government("SWE", "Sweden")
    old = make.deliverable([sweden], status="carried_over", percent_complete=40)
    new = make.deliverable([sweden], predecessor=old, title="Second edition")
    auth.login(make.user("secretariat"))
    page = client.get(f"/deliverables/{old.id}").get_data(as_text=True)
    assert "Save progress" not in page
    assert f'href="/deliverables/{new.id}"' in page and "its successor" in page
    response = post_progress(
        client, old.id, status="in_progress", percent_complete="50", version="1"
    )
    assert response.status_code == 400
    assert "carried over" in response.get_data(as_text=True)
    assert state(make, old.id) == ("carried_over", 40, 1)


def test_archived_deliverable_takes_no_progress(client, auth, make, focal):
    """Archived work is not found by those reporting on it."""
    user, deliverable = focal
    row = make.session.get(Deliverable, deliverable.id)
    row.archived_at = utcnow()
    make.session.commit()
    auth.login(user)
    response = post_progress(
        client, deliverable.id, status="in_progress", percent_complete="5", version="2"
    )
    assert response.status_code == 404
    assert timeline(make, deliverable.id) == []


def test_successor_page_shows_the_predecessor_history(client, auth, make):
    """The history continues across a carry-over: the successor shows what came before it."""
    sweden = make.government("SWE", "Sweden")
    old = make.deliverable([sweden], status="carried_over", percent_complete=40)
    make.progress_update(
        old,
        old_status="planned",
        new_status="in_progress",
        new_percent=40,
        old_percent=0,
        comment="Drafted under the first chair",
    )
    new = make.deliverable([sweden], predecessor=old, title="Second edition")
    make.progress_update(
        new,
        old_status=None,
        new_status="in_progress",
        new_percent=40,
        comment="Carried over from the first chair",
    )
    auth.login(make.user("member"))
    page = client.get(f"/deliverables/{new.id}").get_data(as_text=True)
    assert "Carried over from" in page and f'href="/deliverables/{old.id}"' in page
    earlier = page[page.index("Before it was carried over") :]
    assert "Drafted under the first chair" in earlier
    own = page[page.index('id="history"') : page.index("Before it was carried over")]
    assert "Carried over from the first chair" in own
    assert "Drafted under the first chair" not in own


def test_timeline_keeps_every_update(client, auth, make, focal, db_session):
    """Updates are only ever added: nothing edits or removes an entry."""
    user, deliverable = focal
    auth.login(user)
    for n, (status, percent) in enumerate(
        [("in_progress", 10), ("in_progress", 20), ("at_risk", 20), ("completed", 100)], start=1
    ):
        response = post_progress(
            client,
            deliverable.id,
            status=status,
            percent_complete=str(percent),
            comment=f"step {n}",
            version=str(n),
        )
        assert response.status_code == 302
    count = db_session.scalar(
        select(func.count(ProgressUpdate.id)).where(ProgressUpdate.deliverable_id == deliverable.id)
    )
    assert count == 4
    assert [row[-1] for row in timeline(make, deliverable.id)] == [
        "step 1",
        "step 2",
        "step 3",
        "step 4",
    ]


def test_history_across_several_carry_overs_costs_the_same(app, client, auth, make):
    """Four terms of carried work: every earlier timeline is shown, nearest first, and the page
    runs as many queries as for a deliverable never carried over."""
    sweden = make.government("SWE", "Sweden")
    auth.login(make.user("member"))
    fresh = make.deliverable([sweden], title="Never carried")
    with counting_queries(app) as plain:
        assert client.get(f"/deliverables/{fresh.id}").status_code == 200
    previous = None
    for term in range(4):
        current = make.deliverable(
            [sweden],
            chairmanship=make.chairmanship(f"Term {term}"),
            owner=make.team(),
            title=f"Paper, term {term}",
            status="carried_over" if term < 3 else "in_progress",
            predecessor=previous,
        )
        make.progress_update(current, comment=f"Work in term {term}")
        previous = current
    with counting_queries(app) as carried:
        page = client.get(f"/deliverables/{previous.id}").get_data(as_text=True)
    assert len(carried) == len(plain)
    earlier = page[page.index("Before it was carried over") :]
    positions = [earlier.index(f"Work in term {n}") for n in (2, 1, 0)]
    assert positions == sorted(positions)
    assert "Work in term 3" in page[: page.index("Before it was carried over")]


def test_long_timeline_is_folded_on_the_page_and_whole_on_its_own(client, auth, make, focal):
    """The page shows the ten newest updates and says how many more; the history page and its
    CSV hold every one, and the page's size does not grow with the history."""
    user, deliverable = focal
    auth.login(user)
    for n in range(1, 13):
        make.progress_update(deliverable, user=user, new_percent=n, comment=f"Update number {n}")
    page = client.get(f"/deliverables/{deliverable.id}").get_data(as_text=True)
    history = page[page.index('id="history"') :]
    shown = re.findall(r"Update number (\d+)<", history)
    assert shown == [str(n) for n in range(12, 2, -1)]
    assert "2 older updates are not shown here." in history
    assert f'href="/deliverables/{deliverable.id}/history"' in history
    small = len(page)

    whole = client.get(f"/deliverables/{deliverable.id}/history").get_data(as_text=True)
    assert re.findall(r"Update number (\d+)<", whole) == [str(n) for n in range(12, 0, -1)]

    for n in range(13, 121):
        make.progress_update(deliverable, user=user, new_percent=n % 100, comment=f"Later {n}")
    page = client.get(f"/deliverables/{deliverable.id}").get_data(as_text=True)
    assert "110 older updates are not shown here." in page
    assert len(page) < small + 2000

    first = client.get(f"/deliverables/{deliverable.id}/history").get_data(as_text=True)
    second = client.get(f"/deliverables/{deliverable.id}/history?page=3").get_data(as_text=True)
    assert len(re.findall(r'class="border-start', first)) == 50
    assert "Page 1 of 3 (120 in all)" in first
    assert re.findall(r"Update number (\d+)<", second) == [str(n) for n in range(12, 0, -1)]


def test_history_csv_holds_every_update_oldest_first(client, auth, make, focal):
    """Stable column names, one row per update, and a comment that starts like a formula stays
    text."""
    user, deliverable = focal
    auth.login(user)
    make.progress_update(deliverable, user=user, new_percent=10, comment="=HYPERLINK(1)")
    make.progress_update(deliverable, user=None, new_percent=20, comment="Second")
    response = client.get(f"/deliverables/{deliverable.id}/history.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0] == [
        "reported_at",
        "reported_by",
        "old_status",
        "new_status",
        "old_percent",
        "new_percent",
        "comment",
    ]
    assert [(r[1], r[5], r[6]) for r in rows[1:]] == [
        ("Sara Focal", "10", "'=HYPERLINK(1)"),
        ("", "20", "Second"),
    ]


def test_history_of_an_archived_deliverable_is_the_secretariats_alone(client, auth, make, focal):
    """Like its page, an archived deliverable's history answers 404 to everyone else."""
    user, deliverable = focal
    make.session.get(Deliverable, deliverable.id).archived_at = utcnow()
    make.session.commit()
    auth.login(user)
    assert client.get(f"/deliverables/{deliverable.id}/history").status_code == 404
    assert client.get(f"/deliverables/{deliverable.id}/history.csv").status_code == 404
    auth.logout()
    auth.login(make.user("secretariat"))
    assert client.get(f"/deliverables/{deliverable.id}/history").status_code == 200
