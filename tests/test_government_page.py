"""A government's page, the focal point's landing page: what it co-chairs, joins, owes, pledged
and will attend, with "Update" controls for its own focal points only; and the secretariat's
create, edit and archive of governments."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from tests.factories import PASSWORD
from tests.helpers import counting_queries, version_on
from workplan.extensions import db
from workplan.models import Government, utcnow
from workplan.services import governments as government_service


@pytest.fixture
def philippines(make):
    """The Philippines with a roundtable it co-chairs, one it joins, a team, deliverables,
    a pledge with a payment and meetings; Mexico as another government."""
    today = utcnow().date()
    phl = make.government("PHL", "Philippines")
    mexico = make.government("MEX", "Mexico")
    chair = make.chairmanship("GFMD 2015-2016")
    co_chaired = make.roundtable(
        chair, number="1.1", title="Protecting migrant workers", co_chairs=[phl, mexico]
    )
    joined = make.roundtable(chair, number="2.2", title="Diaspora investment")
    make.roundtable_member(joined, phl)
    team = make.team(lead=mexico, name="Team on recruitment costs")
    make.team_membership(team, phl, joined_year=2015)
    overdue = make.deliverable(
        [phl],
        owner=co_chaired,
        title="Overdue toolkit",
        due_on=today - timedelta(days=10),
        status="in_progress",
        percent_complete=50,
    )
    later = make.deliverable(
        [phl, mexico],
        owner=team,
        chairmanship=chair,
        title="Later report",
        due_on=today + timedelta(days=40),
    )
    sooner_done = make.deliverable(
        [phl],
        owner=co_chaired,
        title="Finished survey",
        due_on=today - timedelta(days=100),
        status="completed",
        percent_complete=100,
    )
    mexican = make.deliverable([mexico], owner=team, chairmanship=chair, title="Mexican study")
    pledge = make.pledge(
        phl, chair, amount="50000.00", currency="USD", status="committed", committed_on=today
    )
    make.payment(pledge, amount="20000.00", reference="PHL-TRANSFER-1")
    make.meeting(
        chair,
        kind="roundtable_session",
        title="RT 1.1 preparatory meeting",
        roundtable=co_chaired,
        starts_at=datetime.now(UTC) + timedelta(days=15),
    )
    make.meeting(
        chair,
        title="Past team call",
        team=team,
        starts_at=datetime.now(UTC) - timedelta(days=15),
    )
    make.meeting(
        chair,
        title="Draft team call",
        team=team,
        state="draft",
        starts_at=datetime.now(UTC) + timedelta(days=5),
    )
    return {
        "government": phl,
        "mexico": mexico,
        "chair": chair,
        "overdue": overdue,
        "later": later,
        "done": sooner_done,
        "mexican": mexican,
        "focal": make.user("focal_point", government=phl, name="Pia Focal"),
        "mexican_focal": make.user("focal_point", government=mexico, name="Marco Focal"),
        "member": make.user("member"),
        "secretariat": make.user("secretariat"),
    }


def test_focal_point_lands_on_their_government_page(client, make, philippines):
    """Logging in takes a focal point straight to their government's page."""
    response = client.post(
        "/auth/login", data={"email": philippines["focal"].email, "password": PASSWORD}
    )
    assert response.location.endswith(f"/governments/{philippines['government'].id}")


def test_page_shows_every_section(client, auth, philippines):
    """Roundtables co-chaired and joined, teams, deliverables overdue first, pledges with
    payments, and coming published meetings only."""
    auth.login(philippines["focal"])
    page = client.get(f"/governments/{philippines['government'].id}").get_data(as_text=True)
    # Its focal point meets the government's work first, before the programme.
    assert page.index('id="deliverables-heading"') < page.index('id="cochair-heading"')
    cochairs = page[page.index('id="cochair-heading"') : page.index('id="joined-heading"')]
    assert "Protecting migrant workers" in cochairs and "with Mexico" in cochairs
    joined = page[page.index('id="joined-heading"') : page.index('id="teams-heading"')]
    assert "Diaspora investment" in joined
    teams = page[page.index('id="teams-heading"') : page.index('id="meetings-heading"')]
    assert "Team on recruitment costs" in teams and "Member" in teams
    meetings = page[page.index('id="meetings-heading"') : page.index('id="pledges-heading"')]
    assert "RT 1.1 preparatory meeting" in meetings
    assert "Past team call" not in meetings and "Draft team call" not in meetings
    owed = page[page.index('id="deliverables-heading"') : page.index('id="cochair-heading"')]
    # What needs the focal point now (overdue, then due soon) comes before the rest.
    order = [owed.index(t) for t in ("Overdue toolkit", "Later report", "Finished survey")]
    assert order == sorted(order)
    assert owed.index('id="needs-now-heading"') < order[0]
    assert order[1] < owed.index('id="current-work-heading"') < order[2]
    assert "Mexican study" not in owed
    pledges = page[page.index('id="pledges-heading"') :]
    assert "50,000.00 USD" in pledges and "20,000.00 USD" in pledges


def update_links(page: str) -> list[str]:
    """The deliverables whose progress form the page links to with an Update control."""
    return re.findall(r'href="/deliverables/(\d+)#progress">Update', page)


def test_only_its_own_focal_point_sees_update_controls(client, auth, make, philippines):
    """Update links and the bulk link for the government's focal point; none for another
    government's focal point or a member; the secretariat may update anything, so it sees them."""
    url = f"/governments/{philippines['government'].id}"
    open_ids = {str(philippines["overdue"].id), str(philippines["later"].id)}

    auth.login(philippines["focal"])
    page = client.get(url).get_data(as_text=True)
    assert set(update_links(page)) == open_ids | {str(philippines["done"].id)}
    assert f'href="/deliverables/bulk?government={philippines["government"].id}"' in page
    auth.logout()

    for viewer in ("mexican_focal", "member"):
        auth.login(philippines[viewer])
        page = client.get(url).get_data(as_text=True)
        assert update_links(page) == [], viewer
        assert "/deliverables/bulk" not in page, viewer
        assert "Overdue toolkit" in page
        auth.logout()

    auth.login(philippines["secretariat"])
    page = client.get(url).get_data(as_text=True)
    assert set(update_links(page)) >= open_ids
    assert "New deliverable for Philippines" in page


def test_members_and_secretariat_open_any_government(client, auth, philippines):
    """Any signed-in member can read any government's page, deliverables included."""
    for viewer in ("member", "mexican_focal", "secretariat"):
        auth.login(philippines[viewer])
        response = client.get(f"/governments/{philippines['government'].id}")
        assert response.status_code == 200
        assert "Overdue toolkit" in response.get_data(as_text=True)
        auth.logout()


def test_page_runs_a_constant_number_of_queries(app, client, auth, make, philippines):
    """More roundtables, teams, deliverables, pledges and meetings: the same number of queries."""
    auth.login(philippines["focal"])
    url = f"/governments/{philippines['government'].id}"
    with counting_queries(app) as before:
        assert client.get(url).status_code == 200
    phl = philippines["government"]
    for n in range(6):
        other = make.government()
        roundtable = make.roundtable(philippines["chair"], co_chairs=[phl, other])
        joined = make.roundtable(philippines["chair"])
        make.roundtable_member(joined, phl)
        team = make.team(lead=other)
        make.team_membership(team, phl)
        make.deliverable([phl, other], owner=roundtable)
        make.deliverable([phl], owner=team, chairmanship=philippines["chair"])
        make.payment(make.pledge(phl, philippines["chair"]))
        make.meeting(
            philippines["chair"],
            roundtable=roundtable,
            starts_at=datetime.now(UTC) + timedelta(days=n + 1),
        )
    with counting_queries(app) as after:
        page = client.get(url)
    assert page.status_code == 200
    assert len(after) == len(before)


def test_sections_come_from_the_service(app, make, philippines):
    """The service returns the page's sections; private ones only when asked."""
    with app.app_context():
        government = db.session.get(Government, philippines["government"].id)
        public = government_service.page_sections(government, utcnow().date(), False)
        assert [rt.number for rt in public.co_chaired] == ["1.1"]
        assert [rt.number for rt in public.joined] == ["2.2"]
        assert public.deliverables == [] and public.pledges == []
        private = government_service.page_sections(government, utcnow().date(), True)
        assert [d.title for d in private.deliverables] == [
            "Overdue toolkit",
            "Finished survey",
            "Later report",
        ]
        assert len(private.pledges) == 1


# The secretariat's government records


def test_secretariat_adds_a_government(client, auth, make):
    """A known ISO 3166-1 alpha-3 code and a name; the code is written in capitals."""
    auth.login(make.user("secretariat"))
    form = client.get("/governments/new").get_data(as_text=True)
    assert '<label class="form-label" for="iso3">ISO 3166-1 alpha-3 code</label>' in form
    assert '<label class="form-label" for="name">Name</label>' in form
    response = client.post("/governments/new", data={"iso3": "phl", "name": "Philippines"})
    assert response.status_code == 302
    government = make.session.scalar(select(Government).where(Government.iso3 == "PHL"))
    assert government.name == "Philippines"
    assert response.location.endswith(f"/governments/{government.id}")


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"iso3": "XYZ", "name": "Nowhere"}, "iso3", "“XYZ” is not an ISO 3166-1 alpha-3"),
        ({"iso3": "SE", "name": "Sweden"}, "iso3", "The code has exactly three letters"),
        ({"iso3": "S3E", "name": "Sweden"}, "iso3", "Give the three-letter ISO 3166-1"),
        ({"iso3": "SWE", "name": ""}, "name", "Give the government&#39;s name."),
        ({"iso3": "", "name": "Sweden"}, "iso3", "Give the three-letter code"),
        ({"iso3": "SWE", "name": "Sweden again"}, "iso3", "SWE is already recorded as Sweden."),
    ],
)
def test_bad_government_input_is_refused(client, auth, make, data, field, message):
    """Unknown or duplicate codes and empty names: 400 at the field, nothing added."""
    make.government("SWE", "Sweden")
    auth.login(make.user("secretariat"))
    response = client.post("/governments/new", data=data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    errors = re.findall(rf'id="{field}-error">([^<]*)</div>', page)
    assert any(message in e for e in errors), errors
    assert make.session.scalar(select(func.count(Government.id))) == 1


def test_secretariat_edits_a_government_and_stale_edits_are_409(app, client, auth, make):
    """An edit from a copy older than the last save is refused, keeping what was typed."""
    government = make.government("TUR", "Turkey")
    auth.login(make.user("secretariat"))
    form = client.get(f"/governments/{government.id}/edit").get_data(as_text=True)
    seen = version_on(form)
    other = app.test_client()
    colleague = make.user("secretariat")
    other.post("/auth/login", data={"email": colleague.email, "password": PASSWORD})
    assert (
        other.post(
            f"/governments/{government.id}/edit",
            data={"iso3": "TUR", "name": "Türkiye", "version": seen},
        ).status_code
        == 302
    )
    stale = client.post(
        f"/governments/{government.id}/edit",
        data={"iso3": "TUR", "name": "Republic of Turkey", "version": seen},
    )
    assert stale.status_code == 409
    page = stale.get_data(as_text=True)
    conflict = page[page.index('id="stale-heading"') :]
    assert "Türkiye" in conflict and "Republic of Turkey" in conflict
    assert 'value="Republic of Turkey"' in page
    newer = version_on(page)
    assert newer != seen
    assert make.fresh(Government, government.id).name == "Türkiye"
    again = client.post(
        f"/governments/{government.id}/edit",
        data={"iso3": "TUR", "name": "Republic of Turkey", "version": newer},
    )
    assert again.status_code == 302
    assert make.fresh(Government, government.id).name == "Republic of Turkey"


def test_archive_and_restore_a_government(client, auth, make):
    """Archived governments leave the list; the secretariat finds and restores them."""
    government = make.government("BGD", "Bangladesh")
    secretariat = make.user("secretariat")
    auth.login(secretariat)
    page = client.get(f"/governments/{government.id}").get_data(as_text=True)
    assert re.search(r'action="/governments/\d+/archive"\s+data-confirm=', page)
    assert client.post(f"/governments/{government.id}/archive").status_code == 302
    assert ">Bangladesh</a>" not in client.get("/governments/").get_data(as_text=True)
    assert ">Bangladesh</a>" in client.get("/governments/?archived=1").get_data(as_text=True)
    twice = client.post(f"/governments/{government.id}/archive")
    assert twice.status_code == 409
    assert "This record is already archived." in twice.get_data(as_text=True)
    auth.logout()
    assert client.get(f"/governments/{government.id}").status_code == 404
    assert client.get("/governments/?archived=1").status_code == 403
    auth.login(secretariat)
    assert client.post(f"/governments/{government.id}/restore").status_code == 302
    assert ">Bangladesh</a>" in client.get("/governments/").get_data(as_text=True)


@pytest.mark.parametrize("role", [None, "member", "focal_point"])
def test_only_the_secretariat_manages_governments(client, auth, make, role):
    """Others are sent to log in or refused, see no controls, and change nothing."""
    government = make.government("SWE", "Sweden")
    if role:
        auth.login(make.user(role))
    expected = 403 if role else 302
    assert client.get("/governments/new").status_code == expected
    assert client.post("/governments/new", data={"iso3": "PHL", "name": "X"}).status_code == (
        expected
    )
    assert (
        client.post(
            f"/governments/{government.id}/edit", data={"iso3": "SWE", "name": "Renamed"}
        ).status_code
        == expected
    )
    assert client.post(f"/governments/{government.id}/archive").status_code == expected
    page = client.get(f"/governments/{government.id}").get_data(as_text=True)
    assert "/edit" not in page and "/archive" not in page
    assert "New government" not in client.get("/governments/").get_data(as_text=True)
    fresh = make.fresh(Government, government.id)
    assert (fresh.name, fresh.archived_at) == ("Sweden", None)
    assert make.session.scalar(select(func.count(Government.id))) == (
        2 if role == "focal_point" else 1
    )
