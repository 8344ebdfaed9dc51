"""The secretariat sets up the programme's structure in the browser: chairmanships,
organisations, work plans and objectives, roundtables with their teams, and government teams.

Every refused request is checked to have written nothing: not the record, not an audit event.
"""

import re
from datetime import date
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from tests.helpers import (
    audit_events,
    changing_forms,
    field_error,
    post_edit,
    refused_without_writing,
    row_counts,
    rows_of,
    text_of,
)
from workplan import create_app
from workplan.models import (
    Chairmanship,
    GovernmentTeam,
    Objective,
    Organisation,
    Roundtable,
    RoundtableMember,
    TeamMembership,
    WorkPlan,
    utcnow,
)

TEMPLATES = Path(__file__).resolve().parents[1] / "workplan" / "templates"
MY_TEMPLATE_DIRS = (
    "chairmanships",
    "organisations",
    "workplans",
    "roundtables",
    "teams",
    "pledges",
)


@pytest.fixture
def forum(make):
    """Three governments, an organisation, two chairmanships, a roundtable with its team, a
    government team with members, a work plan with an objective, and the three roles."""
    sweden = make.government("SWE", "Sweden")
    turkey = make.government("TUR", "Turkey")
    switzerland = make.government("CHE", "Switzerland")
    iom = make.organisation("International Organization for Migration", acronym="IOM")
    gfmd_2014 = make.chairmanship(
        "GFMD 2014-2015",
        chairs=[turkey],
        starts_on=date(2014, 7, 1),
        ends_on=date(2015, 12, 31),
        theme="Towards a global agenda",
        summit_city="Istanbul",
    )
    gfmd_2016 = make.chairmanship(
        "GFMD 2016", chairs=[sweden], starts_on=date(2016, 1, 1), ends_on=date(2016, 12, 31)
    )
    roundtable = make.roundtable(
        gfmd_2014, number="1.1", title="Empowering migrants for development", co_chairs=[sweden]
    )
    rt_member = make.roundtable_member(roundtable, turkey)
    team = make.team(
        lead=switzerland,
        name="Team on labour mobility",
        policy_priority="Fair recruitment",
        first_year=2014,
        last_year=2018,
    )
    team_member = make.team_membership(team, sweden, joined_year=2014)
    work_plan = make.work_plan(
        title="Multiannual work plan 2013-2015", first_year=2013, last_year=2015
    )
    objective = make.objective(work_plan, code="A", title="Shared knowledge on migration")
    return SimpleNamespace(
        sweden=sweden,
        turkey=turkey,
        switzerland=switzerland,
        iom=iom,
        gfmd_2014=gfmd_2014,
        gfmd_2016=gfmd_2016,
        roundtable=roundtable,
        rt_member=rt_member,
        team=team,
        team_member=team_member,
        work_plan=work_plan,
        objective=objective,
        secretariat=make.user(role="secretariat", name="Sara Secretariat"),
        member=make.user(role="member"),
        # On the roundtable's team, not a co-chair: co-chairs' rights are test_co_chairs.py's.
        focal_point=make.user(role="focal_point", government=turkey),
    )


def chairmanship_form(**overrides) -> dict:
    data = {
        "label": "GFMD 2030",
        "chairs": ["gov:SWE", "gov:CHE"],
        "starts_on": "2030-01-01",
        "ends_on": "2030-12-31",
        "theme": "Migration and climate",
        "summit_city": "Geneva",
        "summit_starts_on": "2030-11-04",
        "summit_ends_on": "2030-11-06",
        "opening_balance": "125,000.50",
    }
    data.update(overrides)
    return data


def roundtable_form(forum, **overrides) -> dict:
    data = {
        "chairmanship": str(forum.gfmd_2014.id),
        "number": "2.1",
        "title": "Migration and the Sustainable Development Goals",
        "cluster_title": "Cluster 2",
        "background_paper_url": "https://gfmd.org/papers/rt-2-1.pdf",
        "description": "",
        "co_chairs": ["gov:SWE", "gov:TUR"],
    }
    data.update(overrides)
    return data


def team_form(**overrides) -> dict:
    data = {
        "name": "Team on diaspora",
        "policy_priority": "Diaspora engagement",
        "lead_government": "gov:TUR",
        "first_year": "2015",
        "last_year": "",
    }
    data.update(overrides)
    return data


# Chairmanships


def test_secretariat_records_a_chairmanship(client, auth, make, forum):
    """The form records chairs, term, theme, summit and an exact opening balance, audited."""
    auth.login(forum.secretariat)
    form = client.get("/chairmanships/new")
    assert form.status_code == 200
    for label in ("Name", "Chair governments", "First day of the term", "Opening balance"):
        assert f">{label}</label>" in form.get_data(as_text=True)
    response = client.post("/chairmanships/new", data=chairmanship_form())
    assert response.status_code == 302
    created = make.session.scalar(select(Chairmanship).where(Chairmanship.label == "GFMD 2030"))
    assert response.location.endswith(f"/chairmanships/{created.id}")
    assert sorted(g.iso3 for g in created.chairs) == ["CHE", "SWE"]
    assert (created.starts_on, created.ends_on) == (date(2030, 1, 1), date(2030, 12, 31))
    assert created.summit_city == "Geneva" and created.summit_starts_on == date(2030, 11, 4)
    assert created.opening_balance == Decimal("125000.50")
    [event] = audit_events(make, "Chairmanship", created.id)
    assert event.action == "create" and event.actor == forum.secretariat.email
    page = text_of(client.get(response.location))
    assert "GFMD 2030 is recorded." in page


def test_secretariat_edits_a_chairmanship(client, auth, make, forum):
    """The edit form starts from the record and saves the change, audited."""
    auth.login(forum.secretariat)
    form = client.get(f"/chairmanships/{forum.gfmd_2014.id}/edit").get_data(as_text=True)
    assert 'value="GFMD 2014-2015"' in form and 'value="2014-07-01"' in form
    assert '<option selected value="gov:TUR">' in form
    response = post_edit(
        client,
        f"/chairmanships/{forum.gfmd_2014.id}/edit",
        data=chairmanship_form(
            label="GFMD 2014-2015",
            chairs=["gov:TUR"],
            starts_on="2014-07-01",
            ends_on="2015-12-31",
            theme="Towards a global agenda on migration and development",
            summit_city="Istanbul",
            summit_starts_on="2015-10-14",
            summit_ends_on="2015-10-16",
            opening_balance="0",
        ),
    )
    assert response.status_code == 302
    saved = make.fresh(Chairmanship, forum.gfmd_2014.id)
    assert saved.theme == "Towards a global agenda on migration and development"
    assert saved.summit_ends_on == date(2015, 10, 16)
    event = audit_events(make, "Chairmanship", saved.id)[-1]
    assert event.action == "update" and "theme" in event.new_values


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"ends_on": "2029-12-31"}, "ends_on", "The term must end after it starts"),
        ({"ends_on": "2030-01-01"}, "ends_on", "The term must end after it starts"),
        ({"summit_starts_on": "2031-02-01"}, "summit_starts_on", "during the term"),
        ({"summit_ends_on": "2030-11-01"}, "summit_ends_on", "cannot end before it starts"),
        ({"chairs": []}, "chairs", "Choose the chair government"),
        ({"chairs": ["gov:SWE", "gov:CHE", "gov:TUR"]}, "chairs", "or two governments"),
        ({"chairs": ["org:IOM"]}, "chairs", "Only governments hold the chairmanship"),
        ({"chairs": ["gov:XXX"]}, "chairs", "not a government or an organisation on record"),
        ({"opening_balance": "-1"}, "opening_balance", "cannot be negative"),
        ({"opening_balance": "12.345"}, "opening_balance", "at most two decimals"),
        ({"opening_balance": "lots"}, "opening_balance", "Write a number"),
        ({"label": "gfmd 2016"}, "label", "GFMD 2016 is already on record"),
        ({"starts_on": ""}, "starts_on", "Give the first day"),
    ],
)
def test_bad_chairmanship_is_refused_at_the_field(
    client, auth, make, forum, overrides, field, words
):
    """Each bad input is refused with a sentence next to its field, and nothing is written."""
    auth.login(forum.secretariat)
    if overrides.get("chairs") == ["org:IOM"]:
        overrides = {"chairs": [f"org:{forum.iom.id}"]}
    response = refused_without_writing(
        client, make, "/chairmanships/new", chairmanship_form(**overrides)
    )
    assert words in field_error(response, field)
    assert 'value="GFMD 2030"' in response.get_data(as_text=True) or field == "label"


def test_overlapping_chairmanship_is_refused(client, auth, make, forum):
    """At most one chairmanship holds office on a day: an overlap names the other one."""
    auth.login(forum.secretariat)
    response = refused_without_writing(
        client,
        make,
        "/chairmanships/new",
        chairmanship_form(
            starts_on="2015-06-01", ends_on="2016-05-31", summit_starts_on="", summit_ends_on=""
        ),
    )
    message = field_error(response, "starts_on")
    assert "These dates overlap GFMD 2014-2015 (1 July 2014 – 31 December 2015)." in message
    assert "At most one chairmanship is in office on a given day." in message


def test_moving_a_chairmanship_onto_another_is_refused(client, auth, make, forum):
    """An edit that makes two terms overlap changes nothing."""
    auth.login(forum.secretariat)
    response = refused_without_writing(
        client,
        make,
        f"/chairmanships/{forum.gfmd_2016.id}/edit",
        chairmanship_form(
            label="GFMD 2016",
            chairs=["gov:SWE"],
            starts_on="2015-12-01",
            ends_on="2016-12-31",
            summit_starts_on="",
            summit_ends_on="",
        ),
    )
    assert "overlap GFMD 2014-2015" in field_error(response, "starts_on")
    assert make.fresh(Chairmanship, forum.gfmd_2016.id).starts_on == date(2016, 1, 1)


def test_archive_hides_a_chairmanship_and_restore_brings_it_back(client, auth, make, forum):
    """Archived: gone for members, listed under "Archived" for the secretariat; restored: back.
    Both are audited."""
    chairmanship_id = forum.gfmd_2016.id
    auth.login(forum.secretariat)
    page = client.get(f"/chairmanships/{chairmanship_id}").get_data(as_text=True)
    assert re.search(r'action="/chairmanships/\d+/archive"[^>]*data-confirm="Archive this', page)

    response = client.post(f"/chairmanships/{chairmanship_id}/archive")
    assert response.status_code == 302
    assert make.fresh(Chairmanship, chairmanship_id).archived_at is not None
    listing = client.get("/chairmanships/")
    assert "GFMD 2016 is archived." in text_of(listing)
    assert "GFMD 2016" not in rows_of(listing)
    archived = text_of(client.get("/chairmanships/?archived=1"))
    assert "Archived chairmanships" in archived and "GFMD 2016" in archived
    detail = text_of(client.get(f"/chairmanships/{chairmanship_id}"))
    assert "Archived" in detail and ">Restore</button>" in detail and ">Edit</a>" not in detail

    auth.logout()
    auth.login(forum.member)
    assert client.get(f"/chairmanships/{chairmanship_id}").status_code == 404
    assert "GFMD 2016" not in rows_of(client.get("/chairmanships/"))
    assert client.get("/chairmanships/?archived=1").status_code == 403

    auth.logout()
    auth.login(forum.secretariat)
    assert client.post(f"/chairmanships/{chairmanship_id}/restore").status_code == 302
    assert make.fresh(Chairmanship, chairmanship_id).archived_at is None
    archive_event, restore_event = audit_events(make, "Chairmanship", chairmanship_id)[-2:]
    assert (
        archive_event.old_values == {"archived_at": None}
        and archive_event.new_values["archived_at"]
    )
    assert restore_event.new_values == {"archived_at": None}
    auth.logout()
    auth.login(forum.member)
    assert client.get(f"/chairmanships/{chairmanship_id}").status_code == 200


def test_archiving_a_chairmanship_with_roundtables_is_refused(client, auth, make, forum):
    """A chairmanship that live roundtables belong to is not hidden: the page says why (409)."""
    auth.login(forum.secretariat)
    response = refused_without_writing(
        client, make, f"/chairmanships/{forum.gfmd_2014.id}/archive", {}, status=409
    )
    assert "GFMD 2014-2015 still has 1 roundtable. Archive or move them first" in text_of(response)
    assert make.fresh(Chairmanship, forum.gfmd_2014.id).archived_at is None


def test_restore_is_refused_when_another_now_holds_office(client, auth, make, forum):
    """An archived term that a newer chairmanship now overlaps cannot come back silently."""
    old = make.chairmanship(
        "GFMD 2016 (first draft)",
        starts_on=date(2016, 3, 1),
        ends_on=date(2017, 2, 28),
        archived_at=utcnow(),
    )
    auth.login(forum.secretariat)
    response = refused_without_writing(client, make, f"/chairmanships/{old.id}/restore", {}, 409)
    assert "overlap GFMD 2016" in text_of(response)
    assert make.fresh(Chairmanship, old.id).archived_at is not None


# Organisations


def test_secretariat_records_edits_archives_and_restores_an_organisation(client, auth, make, forum):
    """An organisation's whole life in the secretariat's hands, every step audited."""
    auth.login(forum.secretariat)
    response = client.post(
        "/organisations/new",
        data={
            "name": "United Nations Development Programme",
            "acronym": "UNDP",
            "kind": "un_agency",
            "description": "",
        },
    )
    assert response.status_code == 302
    undp = make.session.scalar(select(Organisation).where(Organisation.acronym == "UNDP"))
    assert undp.kind == "un_agency" and undp.description is None
    response = post_edit(
        client,
        f"/organisations/{undp.id}/edit",
        data={
            "name": "United Nations Development Programme",
            "acronym": "UNDP",
            "kind": "un_agency",
            "description": "Partner of RT 2.1",
        },
    )
    assert response.status_code == 302
    assert make.fresh(Organisation, undp.id).description == "Partner of RT 2.1"
    assert client.post(f"/organisations/{undp.id}/archive").status_code == 302
    assert "United Nations Development" not in rows_of(client.get("/organisations/"))
    assert "United Nations Development" in rows_of(client.get("/organisations/?archived=1"))
    assert client.post(f"/organisations/{undp.id}/restore").status_code == 302
    assert make.fresh(Organisation, undp.id).archived_at is None
    actions = [e.action for e in audit_events(make, "Organisation", undp.id)]
    assert actions == ["create", "update", "update", "update"]


def test_duplicate_organisation_name_is_refused(client, auth, make, forum):
    """The same organisation cannot be recorded twice, whatever the capitals."""
    auth.login(forum.secretariat)
    response = refused_without_writing(
        client,
        make,
        "/organisations/new",
        {"name": "international organization for migration", "kind": "observer"},
    )
    assert "International Organization for Migration is already on record." in field_error(
        response, "name"
    )


def test_unknown_organisation_kind_is_refused(client, auth, make, forum):
    """A kind outside the list is refused at the field."""
    auth.login(forum.secretariat)
    response = refused_without_writing(
        client, make, "/organisations/new", {"name": "Fondation X", "kind": "company"}
    )
    assert field_error(response, "kind")


# Work plans and objectives


def test_secretariat_writes_a_work_plan_and_its_objectives(client, auth, make, forum):
    """Create a plan, add objectives on its page, edit one, archive and restore it."""
    auth.login(forum.secretariat)
    response = client.post(
        "/workplans/new",
        data={"title": "Work plan 2017-2019", "first_year": "2017", "last_year": "2019"},
    )
    assert response.status_code == 302
    plan = make.session.scalar(select(WorkPlan).where(WorkPlan.title == "Work plan 2017-2019"))
    page = client.get(f"/workplans/{plan.id}").get_data(as_text=True)
    assert "Add an objective" in page and f'action="/workplans/{plan.id}/objectives"' in page

    response = client.post(
        f"/workplans/{plan.id}/objectives", data={"code": "1", "title": "Fair recruitment"}
    )
    assert response.status_code == 302
    objective = make.session.scalar(select(Objective).where(Objective.work_plan_id == plan.id))
    assert (objective.code, objective.title) == ("1", "Fair recruitment")

    response = post_edit(
        client,
        f"/workplans/{plan.id}/objectives/{objective.id}/edit",
        data={"code": "1", "title": "Fair and ethical recruitment", "description": "ILO"},
    )
    assert response.status_code == 302
    assert make.fresh(Objective, objective.id).title == "Fair and ethical recruitment"

    page = client.get(f"/workplans/{plan.id}").get_data(as_text=True)
    assert 'data-confirm="Archive objective 1?' in page
    assert client.post(f"/workplans/{plan.id}/objectives/{objective.id}/archive").status_code == 302
    page = text_of(client.get(f"/workplans/{plan.id}"))
    assert "Archived objectives" in page and "Restore objective 1" in page
    auth.logout()
    auth.login(forum.member)
    assert "Fair and ethical recruitment" not in text_of(client.get(f"/workplans/{plan.id}"))
    auth.logout()
    auth.login(forum.secretariat)
    assert client.post(f"/workplans/{plan.id}/objectives/{objective.id}/restore").status_code == 302
    assert make.fresh(Objective, objective.id).archived_at is None
    actions = [e.action for e in audit_events(make, "Objective", objective.id)]
    assert actions == ["create", "update", "update", "update"]


def test_duplicate_objective_code_is_refused_on_the_work_plan_page(client, auth, make, forum):
    """The work plan page comes back (400) with the message at the code and the typing kept."""
    auth.login(forum.secretariat)
    response = refused_without_writing(
        client,
        make,
        f"/workplans/{forum.work_plan.id}/objectives",
        {"code": "A", "title": "Another objective"},
    )
    assert "Objective A exists already in this work plan." in field_error(response, "code")
    assert 'value="Another objective"' in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        ({"first_year": "2019", "last_year": "2017"}, "last_year", "cannot come before"),
        ({"first_year": "1950", "last_year": "2017"}, "first_year", "between 2000 and 2100"),
        (
            {"first_year": "soon", "last_year": "2017"},
            "first_year",
            "Write a whole number with the digits 0 to 9",
        ),
        (
            {"title": "multiannual work plan 2013-2015", "first_year": "2013", "last_year": "2015"},
            "title",
            "exists already",
        ),
    ],
)
def test_bad_work_plan_is_refused(client, auth, make, forum, data, field, words):
    """Years out of order, implausible or not numbers, and duplicate titles are refused."""
    auth.login(forum.secretariat)
    data = {"title": "Work plan 2017-2019", **data}
    response = refused_without_writing(client, make, "/workplans/new", data)
    assert words in field_error(response, field)


def test_work_plan_archive_and_restore(client, auth, make, forum):
    """Once its objectives are archived, a plan can be archived and restored, audited."""
    auth.login(forum.secretariat)
    plan = forum.work_plan.id
    assert (
        client.post(f"/workplans/{plan}/objectives/{forum.objective.id}/archive").status_code == 302
    )
    assert client.post(f"/workplans/{plan}/archive").status_code == 302
    assert "Multiannual work plan" not in rows_of(client.get("/workplans/"))
    assert "Multiannual work plan" in rows_of(client.get("/workplans/?archived=1"))
    auth.logout()
    auth.login(forum.member)
    assert client.get(f"/workplans/{plan}").status_code == 404
    auth.logout()
    auth.login(forum.secretariat)
    assert client.post(f"/workplans/{plan}/restore").status_code == 302
    assert make.fresh(WorkPlan, plan).archived_at is None
    assert [e.action for e in audit_events(make, "WorkPlan", plan)] == [
        "create",
        "update",
        "update",
    ]


def test_work_plan_with_live_objectives_cannot_be_archived(client, auth, make, forum):
    """Archive the objectives first: the refusal says so and nothing changes."""
    auth.login(forum.secretariat)
    response = refused_without_writing(
        client, make, f"/workplans/{forum.work_plan.id}/archive", {}, status=409
    )
    assert "still has 1 objective" in text_of(response)


# Roundtables


def test_secretariat_plans_a_roundtable(client, auth, make, forum):
    """Number, titles, a safe link and co-chairs are saved; "RT 2.1" is stored as 2.1."""
    auth.login(forum.secretariat)
    form = client.get(f"/roundtables/new?chairmanship={forum.gfmd_2014.id}")
    assert f'<option selected value="{forum.gfmd_2014.id}">' in form.get_data(as_text=True)
    response = client.post("/roundtables/new", data=roundtable_form(forum, number="RT 2.1"))
    assert response.status_code == 302
    created = make.session.scalar(select(Roundtable).where(Roundtable.number == "2.1"))
    assert created.chairmanship_id == forum.gfmd_2014.id
    assert sorted(g.iso3 for g in created.co_chairs) == ["SWE", "TUR"]
    assert created.background_paper_url == "https://gfmd.org/papers/rt-2-1.pdf"
    [event] = audit_events(make, "Roundtable", created.id)
    assert event.action == "create" and event.new_values["co_chairs"] == sorted(
        [forum.sweden.id, forum.turkey.id]
    )
    assert "RT 2.1 is planned in GFMD 2014-2015." in text_of(client.get(response.location))


def test_secretariat_edits_a_roundtable(client, auth, make, forum):
    """The edit form starts from the record; co-chairs can change."""
    auth.login(forum.secretariat)
    form = client.get(f"/roundtables/{forum.roundtable.id}/edit").get_data(as_text=True)
    assert 'value="1.1"' in form and '<option selected value="gov:SWE">' in form
    response = post_edit(
        client,
        f"/roundtables/{forum.roundtable.id}/edit",
        data=roundtable_form(forum, number="1.1", co_chairs=["gov:CHE"]),
    )
    assert response.status_code == 302
    saved = make.fresh(Roundtable, forum.roundtable.id)
    assert [g.iso3 for g in saved.co_chairs] == ["CHE"]
    assert saved.title == "Migration and the Sustainable Development Goals"


def test_duplicate_roundtable_number_is_refused_at_the_number(client, auth, make, forum):
    """A second RT 1.1 in the same chairmanship is a message at the number, not a 500."""
    auth.login(forum.secretariat)
    response = refused_without_writing(
        client, make, "/roundtables/new", roundtable_form(forum, number="1.1")
    )
    assert field_error(response, "number") == "RT 1.1 already exists in GFMD 2014-2015."
    page = response.get_data(as_text=True)
    assert 'value="Migration and the Sustainable Development Goals"' in page


def test_the_same_number_in_another_chairmanship_is_fine(client, auth, make, forum):
    """Numbers are unique per chairmanship only."""
    auth.login(forum.secretariat)
    data = roundtable_form(forum, number="1.1", chairmanship=str(forum.gfmd_2016.id))
    assert client.post("/roundtables/new", data=data).status_code == 302


@pytest.mark.parametrize(
    ("co_chairs", "words"),
    [
        (
            "organisation",
            "International Organization for Migration is an organisation. "
            "Only governments co-chair roundtables.",
        ),
        (["gov:XXX"], "is not a government or an organisation on record"),
        (["999999"], "“999999” is not a government or an organisation on record"),
        (["org:999999"], "is not a government or an organisation on record"),
    ],
)
def test_co_chair_must_be_a_government(client, auth, make, forum, co_chairs, words):
    """An organisation's id, an unknown code or a bare number is refused as a co-chair."""
    auth.login(forum.secretariat)
    if co_chairs == "organisation":
        co_chairs = ["gov:SWE", f"org:{forum.iom.id}"]
    response = refused_without_writing(
        client, make, "/roundtables/new", roundtable_form(forum, co_chairs=co_chairs)
    )
    assert words in field_error(response, "co_chairs")


@pytest.mark.parametrize(
    "link",
    ["javascript:alert(1)", "ftp://gfmd.org/paper.pdf", "gfmd.org/paper.pdf", "data:text/html,x"],
)
def test_background_paper_link_must_be_http(client, auth, make, forum, link):
    """Only http and https links are accepted for the background paper."""
    auth.login(forum.secretariat)
    response = refused_without_writing(
        client, make, "/roundtables/new", roundtable_form(forum, background_paper_url=link)
    )
    assert "starting with http:// or https://" in field_error(response, "background_paper_url")


def test_roundtable_needs_a_live_chairmanship(client, auth, make, forum):
    """A missing or unknown chairmanship is refused at the field."""
    auth.login(forum.secretariat)
    for value in ("", "999999", "first"):
        response = refused_without_writing(
            client, make, "/roundtables/new", roundtable_form(forum, chairmanship=value)
        )
        assert "Choose the chairmanship" in field_error(response, "chairmanship")


def test_team_members_are_added_and_removed_on_the_roundtable_page(client, auth, make, forum):
    """A government joins as a member, an organisation as a partner; removal asks first and
    is audited."""
    auth.login(forum.secretariat)
    url = f"/roundtables/{forum.roundtable.id}"
    page = client.get(url).get_data(as_text=True)
    assert (
        "Add to the team" in page
        and 'data-confirm="Remove Turkey from the team of RT 1.1?"' in page
    )
    assert client.post(f"{url}/members", data={"party": "gov:CHE"}).status_code == 302
    assert client.post(f"{url}/members", data={"party": f"org:{forum.iom.id}"}).status_code == 302
    page = text_of(client.get(url))
    governments = page[page.index("Government team members") : page.index("Non-state partners")]
    partners = page[page.index("Non-state partners") : page.index("Add to the team")]
    assert "Switzerland" in governments and "Turkey" in governments
    assert "International Organization for Migration" in partners

    response = client.post(f"{url}/members/{forum.rt_member.id}/remove")
    assert response.status_code == 302
    assert (
        make.session.scalar(select(func.count()).where(RoundtableMember.id == forum.rt_member.id))
        == 0
    )
    [deleted] = [
        e
        for e in audit_events(make, "RoundtableMember", forum.rt_member.id)
        if e.action == "delete"
    ]
    assert deleted.old_values["government_id"] == forum.turkey.id


def test_duplicate_team_member_is_refused(client, auth, make, forum):
    """The same government twice on a team is refused next to the field."""
    auth.login(forum.secretariat)
    response = refused_without_writing(
        client, make, f"/roundtables/{forum.roundtable.id}/members", {"party": "gov:TUR"}
    )
    assert "Turkey is already on the team of RT 1.1." in field_error(response, "party")


def test_member_of_another_roundtable_cannot_be_removed_here(client, auth, make, forum):
    """A member id from another roundtable is a 404 and nothing is removed."""
    other = make.roundtable(forum.gfmd_2016, number="9.9")
    auth.login(forum.secretariat)
    response = refused_without_writing(
        client, make, f"/roundtables/{other.id}/members/{forum.rt_member.id}/remove", {}, 404
    )
    assert response.status_code == 404


def test_roundtable_archive_and_restore(client, auth, make, forum):
    """Archived roundtables leave the list and the chairmanship's page; restore brings them."""
    auth.login(forum.secretariat)
    assert client.post(f"/roundtables/{forum.roundtable.id}/archive").status_code == 302
    assert "Empowering migrants" not in text_of(client.get("/roundtables/"))
    assert "Empowering migrants" in text_of(client.get("/roundtables/?archived=1"))
    auth.logout()
    auth.login(forum.member)
    assert client.get(f"/roundtables/{forum.roundtable.id}").status_code == 404
    assert "Empowering migrants" not in text_of(client.get(f"/chairmanships/{forum.gfmd_2014.id}"))
    auth.logout()
    auth.login(forum.secretariat)
    assert client.post(f"/roundtables/{forum.roundtable.id}/restore").status_code == 302
    events = audit_events(make, "Roundtable", forum.roundtable.id)
    assert [e.action for e in events][-2:] == ["update", "update"]
    assert events[-1].new_values == {"archived_at": None}


def test_roundtable_with_a_deliverable_cannot_be_archived(client, auth, make, forum):
    """Deliverables hang from the roundtable: it stays until they move or are archived."""
    make.deliverable([forum.sweden], owner=forum.roundtable)
    auth.login(forum.secretariat)
    response = refused_without_writing(
        client, make, f"/roundtables/{forum.roundtable.id}/archive", {}, 409
    )
    assert "RT 1.1 still has 1 deliverable." in text_of(response)


# Government teams


def test_secretariat_gathers_a_team_and_follows_its_members(client, auth, make, forum):
    """Create a team, add a government and an organisation with their years, mark one as left."""
    auth.login(forum.secretariat)
    response = client.post("/teams/new", data=team_form())
    assert response.status_code == 302
    team = make.session.scalar(
        select(GovernmentTeam).where(GovernmentTeam.name == "Team on diaspora")
    )
    assert team.lead_government_id == forum.turkey.id and team.last_year is None
    url = f"/teams/{team.id}"
    assert (
        client.post(f"{url}/members", data={"party": "gov:SWE", "joined_year": "2015"}).status_code
        == 302
    )
    assert (
        client.post(
            f"{url}/members", data={"party": f"org:{forum.iom.id}", "joined_year": "2016"}
        ).status_code
        == 302
    )
    sweden = make.session.scalar(
        select(TeamMembership).where(
            TeamMembership.team_id == team.id, TeamMembership.government_id == forum.sweden.id
        )
    )
    page = client.get(url).get_data(as_text=True)
    assert f'for="member-{sweden.id}-left_year">Year Sweden left</label>' in page
    response = client.post(
        f"{url}/members/{sweden.id}/leave", data={f"member-{sweden.id}-left_year": "2017"}
    )
    assert response.status_code == 302
    assert make.fresh(TeamMembership, sweden.id).left_year == 2017
    page = text_of(client.get(url))
    assert "Sweden left Team on diaspora in 2017." in page
    assert [e.action for e in audit_events(make, "TeamMembership", sweden.id)] == [
        "create",
        "update",
    ]


def test_secretariat_edits_a_team(client, auth, make, forum):
    """The edit form starts from the record and saves the new lead and years."""
    auth.login(forum.secretariat)
    form = client.get(f"/teams/{forum.team.id}/edit").get_data(as_text=True)
    assert '<option selected value="gov:CHE">' in form
    response = post_edit(
        client,
        f"/teams/{forum.team.id}/edit",
        data=team_form(
            name="Team on labour mobility",
            lead_government="gov:SWE",
            first_year="2014",
            last_year="2019",
        ),
    )
    assert response.status_code == 302
    saved = make.fresh(GovernmentTeam, forum.team.id)
    assert saved.lead_government_id == forum.sweden.id and saved.last_year == 2019


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"lead_government": "organisation"}, "lead_government", "Only governments lead"),
        ({"first_year": "2016", "last_year": "2015"}, "last_year", "cannot come before"),
        ({"name": "team on LABOUR mobility"}, "name", "exists already"),
        ({"policy_priority": ""}, "policy_priority", "policy priority"),
    ],
)
def test_bad_team_is_refused(client, auth, make, forum, overrides, field, words):
    """A non-government lead, years out of order, a duplicate name or no priority is refused."""
    auth.login(forum.secretariat)
    if overrides.get("lead_government") == "organisation":
        overrides = {"lead_government": f"org:{forum.iom.id}"}
    response = refused_without_writing(client, make, "/teams/new", team_form(**overrides))
    assert words in field_error(response, field)


def test_bad_team_membership_years_are_refused(client, auth, make, forum):
    """Joining before the team existed, joining twice, or leaving before joining is refused."""
    auth.login(forum.secretariat)
    url = f"/teams/{forum.team.id}"
    response = refused_without_writing(
        client, make, f"{url}/members", {"party": "gov:TUR", "joined_year": "2012"}
    )
    assert "active from 2014 to 2018" in field_error(response, "joined_year")
    response = refused_without_writing(
        client, make, f"{url}/members", {"party": "gov:SWE", "joined_year": "2016"}
    )
    assert "Sweden is a member since 2014." in field_error(response, "party")
    membership_id = forum.team_member.id
    response = refused_without_writing(
        client,
        make,
        f"{url}/members/{membership_id}/leave",
        {f"member-{membership_id}-left_year": "2013"},
    )
    assert "joined in 2014; it cannot leave before that" in field_error(
        response, f"member-{membership_id}-left_year"
    )
    assert 'value="2013"' in response.get_data(as_text=True)
    assert make.fresh(TeamMembership, membership_id).left_year is None


def test_team_archive_and_restore(client, auth, make, forum):
    """An archived team leaves lists and pages for members; restore brings it back, audited."""
    auth.login(forum.secretariat)
    assert client.post(f"/teams/{forum.team.id}/archive").status_code == 302
    assert "Team on labour mobility" in text_of(client.get("/teams/?archived=1"))
    auth.logout()
    auth.login(forum.focal_point)
    assert client.get(f"/teams/{forum.team.id}").status_code == 404
    assert "Team on labour mobility" not in text_of(client.get("/teams/"))
    auth.logout()
    auth.login(forum.secretariat)
    assert client.post(f"/teams/{forum.team.id}/restore").status_code == 302
    assert make.fresh(GovernmentTeam, forum.team.id).archived_at is None
    assert [e.action for e in audit_events(make, "GovernmentTeam", forum.team.id)][-2:] == [
        "update",
        "update",
    ]


# Who may do it


def write_requests(forum) -> list[tuple[str, str, dict]]:
    """Every create, edit, archive and restore route of the structure, with plausible data."""
    c, o, w, j = forum.gfmd_2016.id, forum.iom.id, forum.work_plan.id, forum.objective.id
    r, t = forum.roundtable.id, forum.team.id
    return [
        ("GET", "/chairmanships/new", {}),
        ("POST", "/chairmanships/new", chairmanship_form()),
        ("GET", f"/chairmanships/{c}/edit", {}),
        ("POST", f"/chairmanships/{c}/edit", chairmanship_form(label="GFMD 2016")),
        ("POST", f"/chairmanships/{c}/archive", {}),
        ("POST", f"/chairmanships/{c}/restore", {}),
        ("GET", "/organisations/new", {}),
        ("POST", "/organisations/new", {"name": "UNDP", "kind": "un_agency"}),
        ("GET", f"/organisations/{o}/edit", {}),
        ("POST", f"/organisations/{o}/edit", {"name": "IOM (UN Migration)", "kind": "observer"}),
        ("POST", f"/organisations/{o}/archive", {}),
        ("POST", f"/organisations/{o}/restore", {}),
        ("GET", "/workplans/new", {}),
        ("POST", "/workplans/new", {"title": "Plan", "first_year": "2017", "last_year": "2019"}),
        ("GET", f"/workplans/{w}/edit", {}),
        (
            "POST",
            f"/workplans/{w}/edit",
            {"title": "Plan", "first_year": "2013", "last_year": "2016"},
        ),
        ("POST", f"/workplans/{w}/archive", {}),
        ("POST", f"/workplans/{w}/restore", {}),
        ("POST", f"/workplans/{w}/objectives", {"code": "B", "title": "More"}),
        ("GET", f"/workplans/{w}/objectives/{j}/edit", {}),
        ("POST", f"/workplans/{w}/objectives/{j}/edit", {"code": "A", "title": "Changed"}),
        ("POST", f"/workplans/{w}/objectives/{j}/archive", {}),
        ("POST", f"/workplans/{w}/objectives/{j}/restore", {}),
        ("GET", "/roundtables/new", {}),
        ("POST", "/roundtables/new", roundtable_form(forum)),
        ("GET", f"/roundtables/{r}/edit", {}),
        ("POST", f"/roundtables/{r}/edit", roundtable_form(forum, number="1.1")),
        ("POST", f"/roundtables/{r}/archive", {}),
        ("POST", f"/roundtables/{r}/restore", {}),
        ("POST", f"/roundtables/{r}/members", {"party": "gov:CHE"}),
        ("POST", f"/roundtables/{r}/members/{forum.rt_member.id}/remove", {}),
        ("GET", "/teams/new", {}),
        ("POST", "/teams/new", team_form()),
        ("GET", f"/teams/{t}/edit", {}),
        ("POST", f"/teams/{t}/edit", team_form(name="Team on labour mobility", first_year="2014")),
        ("POST", f"/teams/{t}/archive", {}),
        ("POST", f"/teams/{t}/restore", {}),
        ("POST", f"/teams/{t}/members", {"party": "gov:TUR", "joined_year": "2015"}),
        (
            "POST",
            f"/teams/{t}/members/{forum.team_member.id}/leave",
            {f"member-{forum.team_member.id}-left_year": "2016"},
        ),
    ]


@pytest.mark.parametrize("role", ["member", "focal_point"])
def test_members_and_focal_points_may_not_change_the_structure(client, auth, make, forum, role):
    """Every create, edit, archive and restore route answers 403 and writes nothing."""
    auth.login(getattr(forum, role))
    before = row_counts(make)
    for method, url, data in write_requests(forum):
        response = client.open(url, method=method, data=data)
        assert response.status_code == 403, f"{method} {url}"
    assert row_counts(make) == before
    assert make.fresh(Chairmanship, forum.gfmd_2016.id).archived_at is None
    assert make.fresh(Organisation, forum.iom.id).name == "International Organization for Migration"


def test_visitors_are_sent_to_log_in(client, make, forum):
    """Someone not logged in is asked to log in before any change, and nothing is written."""
    before = row_counts(make)
    for method, url, data in write_requests(forum):
        response = client.open(url, method=method, data=data)
        assert response.status_code == 302 and "/auth/login" in response.location, url
    assert row_counts(make) == before


@pytest.mark.parametrize("role", ["member", "focal_point"])
def test_members_and_focal_points_see_no_edit_buttons(client, auth, forum, role):
    """The pages ask the same permission as the routes: no New, Edit, Archive or Remove."""
    auth.login(getattr(forum, role))
    pages = [
        "/chairmanships/",
        f"/chairmanships/{forum.gfmd_2014.id}",
        "/organisations/",
        f"/organisations/{forum.iom.id}",
        "/workplans/",
        f"/workplans/{forum.work_plan.id}",
        "/roundtables/",
        f"/roundtables/{forum.roundtable.id}",
        "/teams/",
        f"/teams/{forum.team.id}",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.get_data(as_text=True)
        for words in (
            ">Edit</a>",
            ">Archive</button>",
            "/new",
            "Add to the team",
            "Add a member",
            "Add an objective",
            "Remove ",
            'name="archived"',
        ):
            assert words not in page, f"{words} on {url}"
        assert not changing_forms(page), url


def test_secretariat_sees_the_buttons(client, auth, forum):
    """The secretariat finds New, Edit and Archive where it needs them."""
    auth.login(forum.secretariat)
    assert 'href="/chairmanships/new"' in client.get("/chairmanships/").get_data(as_text=True)
    for url in (
        f"/chairmanships/{forum.gfmd_2014.id}",
        f"/organisations/{forum.iom.id}",
        f"/workplans/{forum.work_plan.id}",
        f"/roundtables/{forum.roundtable.id}",
        f"/teams/{forum.team.id}",
    ):
        page = client.get(url).get_data(as_text=True)
        assert ">Edit</a>" in page and ">Archive</button>" in page, url
        assert "data-confirm=" in page, url


def test_every_form_carries_a_csrf_token(app, database_url, make, forum):
    """With CSRF on, as in production, a POST without the token is refused and writes nothing;
    the forms carry the token."""
    guarded = create_app("testing", SQLALCHEMY_DATABASE_URI=database_url, WTF_CSRF_ENABLED=True)
    client = guarded.test_client()
    login_page = client.get("/auth/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login_page).group(1)
    client.post(
        "/auth/login",
        data={
            "email": forum.secretariat.email,
            "password": "correct horse battery",
            "csrf_token": token,
        },
    )
    before = row_counts(make)
    for url, data in [
        ("/chairmanships/new", chairmanship_form()),
        (f"/roundtables/{forum.roundtable.id}/archive", {}),
        (f"/teams/{forum.team.id}/members", {"party": "gov:TUR", "joined_year": "2015"}),
    ]:
        assert client.post(url, data=data).status_code == 400, url
    assert row_counts(make) == before
    for url in (
        "/chairmanships/new",
        f"/roundtables/{forum.roundtable.id}",
        f"/teams/{forum.team.id}",
        f"/workplans/{forum.work_plan.id}",
    ):
        page = client.get(url).get_data(as_text=True)
        forms = re.findall(r'<form method="post".*?</form>', page, re.S)
        assert forms, url
        assert all("csrf_token" in form for form in forms), url
    # The per-member forms carry their own prefixed token, and it is accepted.
    membership_id = forum.team_member.id
    page = client.get(f"/teams/{forum.team.id}").get_data(as_text=True)
    token = re.search(
        rf'name="member-{membership_id}-csrf_token" type="hidden" value="([^"]+)"', page
    ).group(1)
    response = client.post(
        f"/teams/{forum.team.id}/members/{membership_id}/leave",
        data={
            f"member-{membership_id}-left_year": "2016",
            f"member-{membership_id}-csrf_token": token,
        },
    )
    assert response.status_code == 302
    assert make.fresh(TeamMembership, membership_id).left_year == 2016


# Lists: filters, search and sorting live in the URL


def test_chairmanship_list_searches_filters_and_sorts(client, forum):
    """?q= searches names, themes and summit cities; ?government= the chairs; ?sort= orders."""
    assert (
        "GFMD 2016"
        not in text_of(client.get("/chairmanships/?q=istanbul")).split("All chairmanships")[-1]
    )
    by_chair = text_of(client.get("/chairmanships/?government=TUR")).split("All chairmanships")[-1]
    assert "GFMD 2014-2015" in by_chair and "GFMD 2016" not in by_chair
    latest = text_of(client.get("/chairmanships/?sort=-start")).split("All chairmanships")[-1]
    assert latest.index("GFMD 2016") < latest.index("GFMD 2014-2015")
    assert client.get("/chairmanships/?sort=sideways").status_code == 400


def test_roundtable_list_searches_and_filters_by_government(client, make, forum):
    """A government filter finds the roundtables it co-chairs or sits on."""
    make.roundtable(forum.gfmd_2016, number="3.1", title="Climate and mobility")
    assert "Climate and mobility" not in text_of(client.get("/roundtables/?q=empowering"))
    assert "Empowering migrants" in text_of(client.get("/roundtables/?q=RT 1.1"))
    by_member = text_of(client.get("/roundtables/?government=TUR"))
    assert "Empowering migrants" in by_member and "Climate and mobility" not in by_member
    by_title = text_of(client.get("/roundtables/?sort=title"))
    assert by_title.index("Climate and mobility") < by_title.index("Empowering migrants")


def test_team_list_filters_by_year_and_government(client, make, forum):
    """?year= keeps teams active that year; ?government= those it leads or joined."""
    make.team(lead=forum.turkey, name="Team on return", first_year=2019)
    in_2015 = text_of(client.get("/teams/?year=2015"))
    assert "Team on labour mobility" in in_2015 and "Team on return" not in in_2015
    by_sweden = text_of(client.get("/teams/?government=SWE"))
    assert "Team on labour mobility" in by_sweden and "Team on return" not in by_sweden
    newest = text_of(client.get("/teams/?sort=-first_year"))
    assert newest.index("Team on return") < newest.index("Team on labour mobility")


def test_organisation_and_work_plan_lists_sort_and_filter(client, auth, make, forum):
    """Organisations sort by kind; work plans filter by a year they cover."""
    make.organisation("Ford Foundation", kind="foundation")
    by_kind = text_of(client.get("/organisations/?sort=kind"))
    assert by_kind.index("Ford Foundation") < by_kind.index("International Organization")
    make.work_plan(title="Work plan 2017-2019", first_year=2017, last_year=2019)
    auth.login(forum.member)
    in_2018 = text_of(client.get("/workplans/?year=2018"))
    assert "Work plan 2017-2019" in in_2018 and "Multiannual work plan" not in in_2018
    assert "Work plan 2017-2019" not in text_of(client.get("/workplans/?q=multiannual"))


@pytest.mark.parametrize(
    "url", ["/chairmanships/", "/organisations/", "/workplans/", "/roundtables/", "/teams/"]
)
def test_archived_filter_is_for_the_secretariat(client, auth, forum, url):
    """?archived=1 is the secretariat's filter; others are refused, and bad values are a 400."""
    auth.login(forum.member)
    assert client.get(f"{url}?archived=1").status_code == 403
    auth.logout()
    auth.login(forum.secretariat)
    assert client.get(f"{url}?archived=1").status_code == 200
    assert client.get(f"{url}?archived=yes").status_code == 400


# The pages keep the Content-Security-Policy


def test_templates_have_no_inline_script_or_style():
    """No style attributes, on* handlers or inline scripts: the CSP forbids them."""
    for directory in MY_TEMPLATE_DIRS:
        for template in (TEMPLATES / directory).glob("*.html"):
            source = template.read_text()
            assert not re.search(r"\sstyle\s*=", source), template
            assert not re.search(r"\son[a-z]+\s*=", source), template
            assert not re.search(r"<script(?![^>]*\ssrc=)", source), template


def test_a_roundtable_title_and_a_theme_can_be_given_in_french_and_spanish(
    client, auth, make, forum
):
    """Each reader sees the title in their language, and the original where none was given."""
    auth.login(forum.secretariat)
    response = post_edit(
        client,
        f"/roundtables/{forum.roundtable.id}/edit",
        data=roundtable_form(
            forum, number="1.1", title_fr="La migration et les objectifs", title_es=""
        ),
    )
    assert response.status_code == 302
    saved = make.fresh(Roundtable, forum.roundtable.id)
    assert (saved.title_fr, saved.title_es) == ("La migration et les objectifs", None)
    chairmanship = forum.gfmd_2014
    chairmanship.theme, chairmanship.theme_es = "Unlocking potential", "Liberar el potencial"
    make.session.commit()
    page = f"/roundtables/{forum.roundtable.id}"
    shown = {}
    for language in ("en", "fr", "es"):
        client.post("/language", data={"lang": language})
        shown[language] = (
            text_of(client.get(page)),
            text_of(client.get(f"/chairmanships/{chairmanship.id}")),
        )
    assert "RT 1.1: Migration and the Sustainable Development Goals" in shown["en"][0]
    assert "RT 1.1: La migration et les objectifs" in shown["fr"][0]
    assert "RT 1.1: Migration and the Sustainable Development Goals" in shown["es"][0]
    assert "Unlocking potential" in shown["en"][1] and "Unlocking potential" in shown["fr"][1]
    assert "Liberar el potencial" in shown["es"][1]
