"""The secretariat creates, edits, archives and restores deliverables in the browser's forms;
bad input and stale edits change nothing; the list filters, sorts and pages through the URL."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tests.factories import PASSWORD
from workplan.models import AuditEvent, Deliverable, utcnow


def count(make, model) -> int:
    """Rows of a model in the database."""
    make.session.expire_all()
    return make.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def forum(make):
    """Two chairmanships, a roundtable in each, a team, three governments and an objective."""
    sweden = make.government("SWE", "Sweden")
    turkey = make.government("TUR", "Turkey")
    philippines = make.government("PHL", "Philippines")
    first = make.chairmanship("GFMD 2013-2014")
    second = make.chairmanship("GFMD 2014-2015")
    rt_first = make.roundtable(first, number="1.1", title="Empowering migrants")
    rt_second = make.roundtable(second, number="2.1", title="Migration and the SDGs")
    team = make.team(lead=sweden, name="Team on labour mobility")
    objective = make.objective(code="A", title="Shared knowledge on migration")
    secretariat = make.user("secretariat", name="Sam Secretariat")
    return {
        "sweden": sweden,
        "turkey": turkey,
        "philippines": philippines,
        "first": first,
        "second": second,
        "rt_first": rt_first,
        "rt_second": rt_second,
        "team": team,
        "objective": objective,
        "secretariat": secretariat,
    }


def form_data(forum, **changes) -> dict:
    """A valid deliverable form, with changes."""
    data = {
        "title": "Background paper on diaspora bonds",
        "description": "A paper for the roundtable session.",
        "chairmanship": str(forum["first"].id),
        "owner": f"roundtable:{forum['rt_first'].id}",
        "objective": str(forum["objective"].id),
        "responsible_governments": [str(forum["sweden"].id), str(forum["turkey"].id)],
        "due_on": "2014-05-01",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_secretariat_creates_a_deliverable(client, auth, make, forum):
    """Owner, responsible governments, objective and due date are saved; the page shows them."""
    auth.login(forum["secretariat"])
    page = client.get("/deliverables/new").get_data(as_text=True)
    for label in (
        "Title",
        "Description",
        "Chairmanship",
        "Owner",
        "Responsible governments",
        "Objective",
        "Due date",
    ):
        assert re.search(rf'<label class="form-label" for="\w+">{label}</label>', page), label
    assert (
        '<optgroup label="Roundtables">' in page and '<optgroup label="Government teams">' in page
    )
    response = client.post("/deliverables/new", data=form_data(forum))
    assert response.status_code == 302
    created = make.session.scalar(select(Deliverable))
    assert response.location.endswith(f"/deliverables/{created.id}")
    assert created.title == "Background paper on diaspora bonds"
    assert created.roundtable_id == forum["rt_first"].id and created.team_id is None
    assert created.objective_id == forum["objective"].id
    assert {g.iso3 for g in created.responsible_governments} == {"SWE", "TUR"}
    assert (created.status, created.percent_complete, created.version) == ("planned", 0, 1)
    assert str(created.due_on) == "2014-05-01"
    detail = client.get(response.location).get_data(as_text=True)
    assert "is assigned" in detail and "Sweden" in detail and "Turkey" in detail
    events = make.session.scalars(
        select(AuditEvent).where(AuditEvent.record_type == "Deliverable")
    ).all()
    assert [(e.action, e.user_id) for e in events] == [("create", forum["secretariat"].id)]


def test_a_team_can_own_a_deliverable(client, auth, make, forum):
    """Teams span chairmanships: any chairmanship can hold a team's deliverable."""
    auth.login(forum["secretariat"])
    response = client.post(
        "/deliverables/new",
        data=form_data(
            forum,
            chairmanship=str(forum["second"].id),
            owner=f"team:{forum['team'].id}",
            objective="",
        ),
    )
    assert response.status_code == 302
    created = make.session.scalar(select(Deliverable))
    assert created.team_id == forum["team"].id and created.roundtable_id is None
    assert created.objective_id is None


def test_new_deliverable_link_from_a_government_starts_with_it_chosen(client, auth, forum):
    """The government page's "New deliverable for ..." link preselects that government."""
    auth.login(forum["secretariat"])
    page = client.get(f"/deliverables/new?government={forum['philippines'].id}").get_data(
        as_text=True
    )
    assert re.search(rf'<option selected value="{forum["philippines"].id}">Philippines', page)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"title": ""}, "title", "This field is required."),
        ({"title": "x" * 301}, "title", "Field cannot be longer than 300 characters."),
        ({"owner": ""}, "owner", "Choose the roundtable or team that owns it."),
        ({"owner": "roundtable:999999"}, "owner", "Not a valid choice."),
        ({"owner": "meeting:1"}, "owner", "Not a valid choice."),
        ("other_chair_roundtable", "owner", "belongs to GFMD 2014-2015, not to GFMD 2013-2014"),
        (
            {"responsible_governments": None},
            "responsible_governments",
            "Name at least one responsible government.",
        ),
        (
            {"responsible_governments": ["999999"]},
            "responsible_governments",
            "not a valid choice",
        ),
        ({"due_on": "next spring"}, "due_on", "Not a valid date value."),
        ({"due_on": ""}, "due_on", "Give a due date (YYYY-MM-DD)."),
        ({"chairmanship": "999999"}, "chairmanship", "Not a valid choice."),
        ({"objective": "999999"}, "objective", "Not a valid choice."),
    ],
)
def test_bad_input_is_refused_at_the_field(client, auth, make, forum, changes, field, message):
    """Each mistake: 400, the message next to its field, and no deliverable made."""
    if changes == "other_chair_roundtable":
        changes = {"owner": f"roundtable:{forum['rt_second'].id}"}
    auth.login(forum["secretariat"])
    response = client.post("/deliverables/new", data=form_data(forum, **changes))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    errors = re.findall(
        rf'<div class="invalid-feedback d-block" id="{field}-error">([^<]*)</div>', page
    )
    assert any(message in e for e in errors), (errors, page[-3000:])
    assert count(make, Deliverable) == 0


def test_an_organisation_cannot_be_made_responsible(client, auth, make, forum):
    """Only governments are offered and accepted as responsible."""
    organisation = make.organisation("International Organization for Migration")
    auth.login(forum["secretariat"])
    page = client.get("/deliverables/new").get_data(as_text=True)
    assert "International Organization for Migration" not in page
    response = client.post(
        "/deliverables/new",
        data=form_data(forum, responsible_governments=[str(organisation.id + 1000)]),
    )
    assert response.status_code == 400
    assert count(make, Deliverable) == 0


def test_edit_changes_what_was_typed_and_raises_the_version(client, auth, make, forum):
    """An edit saves every field, including a change of responsible governments alone."""
    deliverable = make.deliverable(
        [forum["sweden"]], owner=forum["rt_first"], title="Old title", due_on=utcnow().date()
    )
    auth.login(forum["secretariat"])
    page = client.get(f"/deliverables/{deliverable.id}/edit").get_data(as_text=True)
    assert 'value="Old title"' in page and 'name="version" type="hidden" value="1"' in page
    response = client.post(
        f"/deliverables/{deliverable.id}/edit",
        data=form_data(
            forum,
            title="New title",
            owner=f"team:{forum['team'].id}",
            responsible_governments=[str(forum["philippines"].id)],
            version="1",
        ),
    )
    assert response.status_code == 302
    fresh = make.fresh(Deliverable, deliverable.id)
    assert fresh.title == "New title" and fresh.team_id == forum["team"].id
    assert [g.iso3 for g in fresh.responsible_governments] == ["PHL"]
    assert fresh.version == 2
    only_governments = client.post(
        f"/deliverables/{deliverable.id}/edit",
        data=form_data(
            forum,
            title="New title",
            owner=f"team:{forum['team'].id}",
            responsible_governments=[str(forum["sweden"].id)],
            version="2",
        ),
    )
    assert only_governments.status_code == 302
    assert make.fresh(Deliverable, deliverable.id).version == 3


def test_bad_edit_changes_nothing(client, auth, make, forum):
    """A refused edit leaves every value and the version as they were."""
    deliverable = make.deliverable([forum["sweden"]], owner=forum["rt_first"], title="Kept")
    auth.login(forum["secretariat"])
    response = client.post(
        f"/deliverables/{deliverable.id}/edit",
        data=form_data(
            forum, title="Changed", owner=f"roundtable:{forum['rt_second'].id}", version="1"
        ),
    )
    assert response.status_code == 400
    fresh = make.fresh(Deliverable, deliverable.id)
    assert (fresh.title, fresh.roundtable_id, fresh.version) == ("Kept", forum["rt_first"].id, 1)


def test_stale_edit_is_a_409_with_the_newer_values_and_what_was_typed(
    app, client, auth, make, forum
):
    """Someone saved in between: their values shown, mine kept, the new version carried."""
    deliverable = make.deliverable([forum["sweden"]], owner=forum["rt_first"], title="Original")
    colleague = make.user("secretariat", name="Carla Colleague")
    other = app.test_client()
    other.post("/auth/login", data={"email": colleague.email, "password": PASSWORD})
    auth.login(forum["secretariat"])
    assert (
        other.post(
            f"/deliverables/{deliverable.id}/edit",
            data=form_data(forum, title="Their title", version="1"),
        ).status_code
        == 302
    )
    response = client.post(
        f"/deliverables/{deliverable.id}/edit",
        data=form_data(forum, title="My title", due_on="2014-06-01", version="1"),
    )
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    newer = page[page.index('id="stale-heading"') : page.index("</section>")]
    assert "Carla Colleague" in newer and "Their title" in newer
    assert 'value="My title"' in page and 'value="2014-06-01"' in page
    assert 'name="version" type="hidden" value="2"' in page
    assert make.fresh(Deliverable, deliverable.id).title == "Their title"
    again = client.post(
        f"/deliverables/{deliverable.id}/edit",
        data=form_data(forum, title="My title", due_on="2014-06-01", version="2"),
    )
    assert again.status_code == 302
    assert make.fresh(Deliverable, deliverable.id).title == "My title"


def test_archive_hides_and_restore_brings_back(client, auth, make, forum):
    """Archived: gone from lists and pages for others, listed for the secretariat, restorable."""
    deliverable = make.deliverable([forum["sweden"]], title="Paper to archive")
    member = make.user("member")
    auth.login(forum["secretariat"])
    page = client.get(f"/deliverables/{deliverable.id}").get_data(as_text=True)
    assert re.search(
        r'<form method="post" action="/deliverables/\d+/archive"\s+data-confirm=', page
    )
    response = client.post(f"/deliverables/{deliverable.id}/archive")
    assert response.status_code == 302
    assert make.fresh(Deliverable, deliverable.id).archived_at is not None
    assert ">Paper to archive</a>" not in client.get("/deliverables/").get_data(as_text=True)
    archived = client.get("/deliverables/?archived=1").get_data(as_text=True)
    assert ">Paper to archive</a>" in archived
    twice = client.post(f"/deliverables/{deliverable.id}/archive")
    assert twice.status_code == 409
    assert "This record is already archived." in twice.get_data(as_text=True)
    assert "is archived" in client.get(f"/deliverables/{deliverable.id}").get_data(as_text=True)

    auth.logout()
    auth.login(member)
    assert client.get(f"/deliverables/{deliverable.id}").status_code == 404
    assert client.get("/deliverables/?archived=1").status_code == 403
    auth.logout()

    auth.login(forum["secretariat"])
    assert client.post(f"/deliverables/{deliverable.id}/restore").status_code == 302
    assert make.fresh(Deliverable, deliverable.id).archived_at is None
    again = client.post(f"/deliverables/{deliverable.id}/restore")
    assert again.status_code == 409
    assert "This record is not archived." in again.get_data(as_text=True)
    assert ">Paper to archive</a>" in client.get("/deliverables/").get_data(as_text=True)


@pytest.fixture
def listed(make, forum):
    """Deliverables spread over owners, statuses and due dates."""
    today = utcnow().date()
    make.deliverable(
        [forum["sweden"]],
        owner=forum["rt_first"],
        title="Alpha overdue",
        due_on=today - timedelta(days=5),
        status="in_progress",
        percent_complete=60,
    )
    make.deliverable(
        [forum["turkey"]],
        owner=forum["team"],
        chairmanship=forum["first"],
        title="Bravo in twenty days",
        due_on=today + timedelta(days=20),
        status="at_risk",
        percent_complete=10,
    )
    make.deliverable(
        [forum["sweden"]],
        owner=forum["team"],
        chairmanship=forum["second"],
        title="Charlie in sixty days",
        due_on=today + timedelta(days=60),
    )
    make.deliverable(
        [forum["sweden"]],
        owner=forum["rt_second"],
        title="Delta done long ago",
        due_on=today - timedelta(days=300),
        status="completed",
        percent_complete=100,
    )
    return ["Alpha overdue", "Bravo in twenty days", "Charlie in sixty days", "Delta done long ago"]


def shown(client, query: str, titles: list[str]) -> list[str]:
    """The listed titles in page order."""
    page = client.get(f"/deliverables/?{query}").get_data(as_text=True)
    found = [(page.index(f">{t}</a>"), t) for t in titles if f">{t}</a>" in page]
    return [t for _, t in sorted(found)]


def test_list_filters_live_in_the_url(client, auth, forum, listed):
    """Owner kind, due window, government and text, each a bookmarkable query parameter."""
    auth.login(forum["secretariat"])
    assert shown(client, "owner=team", listed) == ["Bravo in twenty days", "Charlie in sixty days"]
    assert shown(client, "owner=roundtable", listed) == ["Delta done long ago", "Alpha overdue"]
    assert shown(client, "due=overdue", listed) == ["Alpha overdue"]
    assert shown(client, "due=30d", listed) == ["Bravo in twenty days"]
    assert shown(client, "due=90d", listed) == ["Bravo in twenty days", "Charlie in sixty days"]
    assert shown(client, f"government={forum['turkey'].id}", listed) == ["Bravo in twenty days"]
    assert shown(client, f"chairmanship={forum['second'].id}&owner=team", listed) == [
        "Charlie in sixty days"
    ]
    assert shown(client, "q=charlie", listed) == ["Charlie in sixty days"]
    page = client.get("/deliverables/?owner=team&due=90d&sort=title").get_data(as_text=True)
    assert '<option value="team" selected>' in page and '<option value="90d" selected>' in page


def test_list_sorts(client, auth, forum, listed):
    """Sorted by due date unless asked by title, status or percent complete."""
    auth.login(forum["secretariat"])
    assert shown(client, "", listed) == [
        "Delta done long ago",
        "Alpha overdue",
        "Bravo in twenty days",
        "Charlie in sixty days",
    ]
    assert shown(client, "sort=title", listed) == sorted(listed)
    assert shown(client, "sort=status", listed) == [
        "Charlie in sixty days",
        "Alpha overdue",
        "Bravo in twenty days",
        "Delta done long ago",
    ]
    assert shown(client, "sort=percent", listed) == [
        "Charlie in sixty days",
        "Bravo in twenty days",
        "Alpha overdue",
        "Delta done long ago",
    ]


def test_list_pages_keep_the_filters(client, auth, make, forum):
    """Page 2 of a filtered list keeps the filters in its links."""
    for n in range(30):
        make.deliverable([forum["sweden"]], owner=forum["team"], title=f"Team paper {n:02d}")
    auth.login(forum["secretariat"])
    page = client.get("/deliverables/?owner=team&sort=title").get_data(as_text=True)
    assert "Page 1 of 2 (30 in all)" in page
    assert re.search(r'href="/deliverables/\?[^"]*owner=team[^"]*page=2', page) or re.search(
        r'href="/deliverables/\?[^"]*page=2[^"]*owner=team', page
    )
    second = client.get("/deliverables/?owner=team&sort=title&page=2").get_data(as_text=True)
    assert "Team paper 29" in second and "Team paper 00" not in second


@pytest.mark.parametrize(
    "query", ["owner=meeting", "due=soon", "sort=colour", "archived=maybe", "government=SWE"]
)
def test_malformed_list_parameters_are_400(client, auth, forum, query):
    """A wrong filter value is answered with a sentence naming the parameter."""
    auth.login(forum["secretariat"])
    response = client.get(f"/deliverables/?{query}")
    assert response.status_code == 400
    name = query.split("=")[0]
    assert f"The “{name}” parameter" in response.get_data(as_text=True)


def test_only_the_secretariat_sees_edit_controls(client, auth, make, forum):
    """New, Edit, Archive and Carry over are shown to whoever may use them, and to nobody else."""
    deliverable = make.deliverable([forum["sweden"]])
    auth.login(forum["secretariat"])
    listing = client.get("/deliverables/").get_data(as_text=True)
    page = client.get(f"/deliverables/{deliverable.id}").get_data(as_text=True)
    assert "New deliverable" in listing and "Carry over" in listing
    assert f"/deliverables/{deliverable.id}/edit" in page and "Archive</button>" in page
    auth.logout()
    auth.login(make.user("member"))
    listing = client.get("/deliverables/").get_data(as_text=True)
    page = client.get(f"/deliverables/{deliverable.id}").get_data(as_text=True)
    assert "New deliverable" not in listing and "Carry over" not in listing
    assert "/edit" not in page and "Archive</button>" not in page and "Save progress" not in page


def test_edit_without_its_version_is_refused(client, auth, make, forum):
    """An edit that cannot say which version it started from could overwrite blindly: 400."""
    deliverable = make.deliverable([forum["sweden"]], owner=forum["rt_first"], title="Kept")
    auth.login(forum["secretariat"])
    data = form_data(forum, title="Changed")
    response = client.post(f"/deliverables/{deliverable.id}/edit", data=data)
    assert response.status_code == 400
    assert "This form lost its version. Reload the page and try again." in response.get_data(
        as_text=True
    )
    assert make.fresh(Deliverable, deliverable.id).title == "Kept"
