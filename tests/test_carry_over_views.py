"""Carry-over from the browser: a chairmanship's open work moves into the next one in one
action, each successor linked to its predecessor and its history, and a page lists what moved."""

import re
from datetime import date

import pytest
from sqlalchemy import func, select

from workplan.models import Deliverable, ProgressUpdate


@pytest.fixture
def terms(make):
    """Sweden's term with open and finished work, and Turkey's term after it."""
    sweden = make.government("SWE", "Sweden")
    first = make.chairmanship(
        "GFMD 2013-2014", starts_on=date(2013, 1, 1), ends_on=date(2014, 6, 30)
    )
    second = make.chairmanship(
        "GFMD 2014-2015", starts_on=date(2014, 7, 1), ends_on=date(2015, 12, 31)
    )
    team = make.team(lead=sweden)
    at_risk = make.deliverable(
        [sweden],
        owner=team,
        chairmanship=first,
        title="Survey of recruitment fees",
        status="at_risk",
        percent_complete=40,
        due_on=date(2014, 3, 1),
    )
    make.progress_update(
        at_risk,
        old_status="planned",
        new_status="at_risk",
        old_percent=0,
        new_percent=40,
        comment="Survey partners withdrew",
    )
    planned = make.deliverable(
        [sweden],
        owner=team,
        chairmanship=first,
        title="Guidelines on fair recruitment",
        due_on=date(2014, 9, 1),
    )
    done = make.deliverable(
        [sweden],
        owner=team,
        chairmanship=first,
        title="Finished compendium",
        status="completed",
        percent_complete=100,
    )
    return {
        "sweden": sweden,
        "first": first,
        "second": second,
        "at_risk": at_risk,
        "planned": planned,
        "done": done,
        "secretariat": make.user("secretariat", name="Sam Secretariat"),
    }


def test_page_shows_open_work_and_the_next_chairmanship(client, auth, terms):
    """Open deliverables are listed, finished ones are not, and the target is named."""
    auth.login(terms["secretariat"])
    chooser = client.get("/deliverables/carry-over").get_data(as_text=True)
    assert "Chairmanship to close" in chooser and "GFMD 2013-2014" in chooser
    page = client.get(f"/deliverables/carry-over?chairmanship={terms['first'].id}").get_data(
        as_text=True
    )
    assert "2 open deliverables" in page
    assert "Survey of recruitment fees" in page and "Guidelines on fair recruitment" in page
    assert "Finished compendium" not in page
    assert "Carry over into GFMD 2014-2015" in page
    assert re.search(r'<form method="post" action="/deliverables/carry-over"\s+data-confirm=', page)
    assert f'name="successor" value="{terms["second"].id}"' in page


def test_one_action_carries_everything_open(client, auth, make, terms):
    """Predecessors become carried over, successors start in the next term, linked both ways."""
    auth.login(terms["secretariat"])
    response = client.post(
        "/deliverables/carry-over",
        data={"chairmanship": terms["first"].id, "successor": terms["second"].id},
    )
    assert response.status_code == 302
    assert response.location.endswith(
        f"/deliverables/carried-over?chairmanship={terms['first'].id}"
    )
    make.session.expire_all()
    successors = make.session.scalars(
        select(Deliverable).where(Deliverable.chairmanship_id == terms["second"].id)
    ).all()
    assert {d.title for d in successors} == {
        "Survey of recruitment fees",
        "Guidelines on fair recruitment",
    }
    by_title = {d.title: d for d in successors}
    moved = by_title["Survey of recruitment fees"]
    assert moved.predecessor_id == terms["at_risk"].id
    assert (moved.status, moved.percent_complete) == ("at_risk", 40)
    # Due before the new term started: it moves to the term's first day.
    assert moved.due_on == date(2014, 7, 1)
    assert by_title["Guidelines on fair recruitment"].due_on == date(2014, 9, 1)
    assert make.session.get(Deliverable, terms["at_risk"].id).status == "carried_over"
    assert make.session.get(Deliverable, terms["done"].id).status == "completed"

    listing = client.get(response.location).get_data(as_text=True)
    assert "2 deliverables carried over from GFMD 2013-2014 to GFMD 2014-2015." in listing
    table = listing[listing.index('align-middle carried-over"') :]
    assert f'href="/deliverables/{terms["at_risk"].id}"' in table
    assert f'href="/deliverables/{moved.id}"' in table

    successor_page = client.get(f"/deliverables/{moved.id}").get_data(as_text=True)
    assert "Carried over from" in successor_page
    assert f'href="/deliverables/{terms["at_risk"].id}"' in successor_page
    assert "Survey partners withdrew" in successor_page
    assert "Carried over from GFMD 2013-2014." in successor_page
    predecessor_page = client.get(f"/deliverables/{terms['at_risk'].id}").get_data(as_text=True)
    assert (
        "Carried over to" in predecessor_page
        and f'href="/deliverables/{moved.id}"' in predecessor_page
    )
    assert "Save progress" not in predecessor_page


def test_carrying_twice_moves_nothing_more(client, auth, make, terms):
    """Once carried, a term has nothing open: a second action says so and changes nothing."""
    auth.login(terms["secretariat"])
    data = {"chairmanship": terms["first"].id, "successor": terms["second"].id}
    client.post("/deliverables/carry-over", data=data)
    count = make.session.scalar(select(func.count(Deliverable.id)))
    again = client.post("/deliverables/carry-over", data=data, follow_redirects=True)
    assert "has no open deliverables; nothing moved." in again.get_data(as_text=True)
    make.session.expire_all()
    assert make.session.scalar(select(func.count(Deliverable.id))) == count


def test_no_next_chairmanship_offers_no_action(client, auth, make, terms):
    """The last term cannot be carried anywhere yet: the page says what to do first."""
    auth.login(terms["secretariat"])
    make.deliverable([terms["sweden"]], chairmanship=terms["second"], owner=make.team())
    page = client.get(f"/deliverables/carry-over?chairmanship={terms['second'].id}").get_data(
        as_text=True
    )
    assert "No chairmanship follows GFMD 2014-2015 yet" in page
    assert "Carry over into" not in page


def test_carrying_backwards_is_refused(client, auth, make, terms):
    """Work moves forward only: 400 and nothing moved."""
    auth.login(terms["secretariat"])
    response = client.post(
        "/deliverables/carry-over",
        data={"chairmanship": terms["second"].id, "successor": terms["first"].id},
    )
    assert response.status_code == 400
    assert "only be carried forward" in response.get_data(as_text=True)
    response = client.post(
        "/deliverables/carry-over",
        data={"chairmanship": terms["first"].id, "successor": "next"},
    )
    assert response.status_code == 400
    make.session.expire_all()
    assert make.session.scalar(select(func.count(ProgressUpdate.id))) == 1
    assert make.session.get(Deliverable, terms["at_risk"].id).status == "at_risk"


def test_moved_page_is_readable_by_members(client, auth, make, terms):
    """What moved is part of the record every member may read."""
    auth.login(make.user("member"))
    page = client.get(f"/deliverables/carried-over?chairmanship={terms['first'].id}")
    assert page.status_code == 200
    assert "Nothing has been carried over from GFMD 2013-2014." in page.get_data(as_text=True)
    assert client.get("/deliverables/carried-over").status_code == 400
