"""The read-only list and detail pages of every concept, for each role and for visitors."""

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

import pytest

from tests.helpers import counting_queries
from workplan.extensions import db
from workplan.models import Chairmanship, Meeting, utcnow
from workplan.services import chairmanships as chairmanship_service


@dataclass
class Page:
    """A fetched page: its status and its text."""

    status: int
    text: str
    location: str | None = None


def fetch(client, url: str) -> Page:
    """GET a page without following redirects."""
    response = client.get(url)
    return Page(response.status_code, response.get_data(as_text=True), response.location)


def archive(make, model, record_id: int) -> None:
    """Archive a record the way the secretariat will: hidden, never deleted."""
    make.session.get(model, record_id).archived_at = utcnow()
    make.session.commit()


@pytest.fixture
def world(make):
    """A small forum: three chairs, a roundtable with its team, a government team, meetings
    with an agenda, deliverables in several states with a history, and pledges with payments."""
    today = utcnow().date()
    sweden = make.government("SWE", "Sweden")
    turkey = make.government("TUR", "Turkey")
    switzerland = make.government("CHE", "Switzerland")
    bangladesh = make.government("BGD", "Bangladesh")
    iom = make.organisation("International Organization for Migration", acronym="IOM")

    gfmd_2013 = make.chairmanship(
        "GFMD 2013-2014",
        chairs=[sweden],
        starts_on=date(2013, 1, 1),
        ends_on=date(2014, 6, 30),
        theme="Unlocking the potential of migration for inclusive development",
        summit_city="Stockholm",
        summit_starts_on=date(2014, 5, 14),
        summit_ends_on=date(2014, 5, 16),
    )
    gfmd_2014 = make.chairmanship(
        "GFMD 2014-2015",
        chairs=[turkey],
        starts_on=date(2014, 7, 1),
        ends_on=date(2015, 12, 31),
        summit_city="Istanbul",
        summit_starts_on=date(2015, 10, 14),
        summit_ends_on=date(2015, 10, 16),
    )
    gfmd_2016 = make.chairmanship(
        "GFMD 2016",
        chairs=[bangladesh],
        starts_on=date(2016, 1, 1),
        ends_on=date(2016, 12, 31),
        summit_city="Dhaka",
    )
    roundtable = make.roundtable(
        gfmd_2014,
        number="1.1",
        title="Empowering migrants for development",
        cluster_title="Migrants' contributions",
        co_chairs=[sweden, switzerland],
        is_demo=True,
    )
    make.roundtable_member(roundtable, turkey)
    make.roundtable_member(roundtable, iom)
    team = make.team(
        lead=switzerland,
        name="Team on labour mobility",
        policy_priority="Fair recruitment of migrant workers",
        first_year=2014,
        last_year=2016,
    )
    make.team_membership(team, sweden, joined_year=2014, left_year=2015)
    make.team_membership(team, iom, joined_year=2015)

    session = make.meeting(
        gfmd_2014,
        kind="roundtable_session",
        title="RT 1.1 session in Geneva",
        roundtable=roundtable,
        starts_at=datetime(2030, 10, 21, 8, 0, tzinfo=UTC),
        hours=3,
        venue="Palais des Nations",
    )
    make.agenda_item(
        session,
        minutes=45,
        title="Opening and welcome",
        speakers="Ambassador of Sweden",
        notes="Interpretation in English, French and Spanish",
        links="Concept note https://example.org/concept-note.pdf",
    )
    make.agenda_item(session, minutes=30, title="Presentation of the background paper")
    team_meeting = make.meeting(
        gfmd_2014,
        title="Labour mobility team call",
        team=team,
        starts_at=datetime.now(UTC) + timedelta(days=20),
    )
    draft = make.meeting(gfmd_2014, title="Draft Steering Group planning", state="draft")
    cancelled = make.meeting(gfmd_2014, title="Cancelled Friends of the Forum", state="cancelled")
    past = make.meeting(
        gfmd_2013,
        title="Past Troika meeting",
        kind="troika",
        starts_at=datetime.now(UTC) - timedelta(days=40),
    )

    work_plan = make.work_plan(title="Multiannual work plan 2013-2015")
    objective = make.objective(work_plan, code="A", title="Shared knowledge on migration")

    overdue = make.deliverable(
        [sweden],
        owner=roundtable,
        title="Background paper on diaspora bonds",
        due_on=today - timedelta(days=30),
        status="in_progress",
        percent_complete=40,
        objective=objective,
    )
    done_earlier = make.deliverable(
        [sweden, turkey],
        owner=roundtable,
        title="Survey of recruitment fees",
        due_on=today - timedelta(days=400),
        status="completed",
        percent_complete=100,
    )
    later = make.deliverable(
        [sweden],
        owner=team,
        chairmanship=gfmd_2014,
        title="Guidelines on fair recruitment",
        due_on=today + timedelta(days=60),
        status="planned",
        is_demo=True,
    )
    successor = make.deliverable(
        [bangladesh],
        owner=make.roundtable(gfmd_2016, number="2.1", title="Migration and the SDGs"),
        title="Diaspora bonds, second edition",
        due_on=today + timedelta(days=200),
        predecessor=overdue,
    )
    focal = make.user("focal_point", government=sweden, name="Sara Focal")
    make.progress_update(
        overdue,
        user=focal,
        old_status="planned",
        new_status="in_progress",
        old_percent=0,
        new_percent=40,
        comment="First draft shared with the co-chairs",
    )

    pledge = make.pledge(
        sweden,
        gfmd_2014,
        amount="250000.00",
        currency="SEK",
        status="committed",
        committed_on=date(2014, 11, 1),
    )
    make.payment(pledge, amount="100000.00", reference="SIDA-1")
    overpaid = make.pledge(
        iom,
        gfmd_2014,
        amount="1000.00",
        currency="USD",
        status="committed",
        committed_on=date(2014, 11, 1),
    )
    make.payment(overpaid, amount="1500.00")

    return SimpleNamespace(
        today=today,
        sweden=sweden,
        turkey=turkey,
        switzerland=switzerland,
        bangladesh=bangladesh,
        iom=iom,
        gfmd_2013=gfmd_2013,
        gfmd_2014=gfmd_2014,
        gfmd_2016=gfmd_2016,
        roundtable=roundtable,
        team=team,
        session=session,
        team_meeting=team_meeting,
        draft=draft,
        cancelled=cancelled,
        past=past,
        work_plan=work_plan,
        objective=objective,
        overdue=overdue,
        done_earlier=done_earlier,
        later=later,
        successor=successor,
        pledge=pledge,
        overpaid=overpaid,
        focal=focal,
        secretariat=make.user("secretariat", name="Sam Secretariat"),
        member=make.user("member", name="Mia Member"),
    )


def pages(w) -> list[tuple[str, str]]:
    """Every list and detail page, each with a piece of content it must show."""
    return [
        ("/chairmanships/", "GFMD 2014-2015"),
        (f"/chairmanships/{w.gfmd_2014.id}", "Istanbul"),
        ("/governments/", "Sweden"),
        (f"/governments/{w.sweden.id}", "Empowering migrants for development"),
        ("/organisations/", "International Organization for Migration"),
        (f"/organisations/{w.iom.id}", "Team on labour mobility"),
        ("/workplans/", "Multiannual work plan 2013-2015"),
        (f"/workplans/{w.work_plan.id}", "Shared knowledge on migration"),
        ("/roundtables/", "Empowering migrants for development"),
        (f"/roundtables/{w.roundtable.id}", "RT 1.1 session in Geneva"),
        ("/teams/", "Team on labour mobility"),
        (f"/teams/{w.team.id}", "Fair recruitment of migrant workers"),
        ("/meetings/", "RT 1.1 session in Geneva"),
        (f"/meetings/{w.session.id}", "Presentation of the background paper"),
        ("/deliverables/", "Background paper on diaspora bonds"),
        (f"/deliverables/{w.overdue.id}", "First draft shared with the co-chairs"),
        ("/pledges/", "Sweden"),
        (f"/pledges/{w.pledge.id}", "SIDA-1"),
    ]


@pytest.mark.parametrize("role", ["secretariat", "focal_point", "member"])
def test_every_page_renders_for_every_role(client, auth, world, role):
    """Each role reads every list and detail page, with its content, an h1 and no inline code."""
    user = {"secretariat": world.secretariat, "focal_point": world.focal, "member": world.member}
    auth.login(user[role])
    for url, content in pages(world):
        page = fetch(client, url)
        assert page.status == 200, url
        assert content in page.text, url
        assert "<h1" in page.text, url
        # The Content-Security-Policy forbids inline styles and scripts.
        assert "style=" not in page.text, url
        assert not re.search(r"<script(?![^>]*\bsrc=)", page.text), url
        assert "<th>" not in page.text, url


def test_public_pages_open_to_visitors(client, world):
    """Visitors read the programme: chairmanships, parties, roundtables, teams and meetings."""
    for url, content in pages(world):
        if url.startswith(("/deliverables", "/pledges", "/workplans")):
            continue
        page = fetch(client, url)
        assert page.status == 200, url
        assert content in page.text, url


@pytest.mark.parametrize("prefix", ["/deliverables", "/pledges", "/workplans"])
def test_private_pages_send_visitors_to_login(client, world, prefix):
    """Deliverables, pledges and work plans ask a visitor to log in first."""
    record_id = {
        "/deliverables": world.overdue.id,
        "/pledges": world.pledge.id,
        "/workplans": world.work_plan.id,
    }[prefix]
    for url in (f"{prefix}/", f"{prefix}/{record_id}"):
        page = fetch(client, url)
        assert page.status == 302, url
        assert page.location.startswith("/auth/login?next="), url


def test_government_page_hides_private_records_from_visitors(client, world):
    """A visitor sees what a government co-chairs and joins, not what it owes or pledged."""
    page = fetch(client, f"/governments/{world.sweden.id}")
    assert "Empowering migrants for development" in page.text
    assert "Team on labour mobility" in page.text
    assert "Chair of the forum" in page.text and "GFMD 2013-2014" in page.text
    assert "Background paper on diaspora bonds" not in page.text
    assert "Deliverables it is responsible for" not in page.text
    assert "250,000.00 SEK" not in page.text
    assert "Pledges" not in page.text


def test_other_pages_hide_private_records_from_visitors(client, world):
    """Chairmanship, roundtable, team and organisation pages keep deliverables and money private."""
    chair = fetch(client, f"/chairmanships/{world.gfmd_2014.id}").text
    assert "Empowering migrants for development" in chair
    assert "250,000.00 SEK" not in chair and "See them all" not in chair
    roundtable = fetch(client, f"/roundtables/{world.roundtable.id}").text
    assert "Background paper on diaspora bonds" not in roundtable
    team = fetch(client, f"/teams/{world.team.id}").text
    assert "Guidelines on fair recruitment" not in team
    organisation = fetch(client, f"/organisations/{world.iom.id}").text
    assert "1,000.00 USD" not in organisation


def test_government_page_lists_deliverables_overdue_first(client, auth, world):
    """What needs attention comes first, overdue before due soon, then the rest; each with
    status and progress."""
    auth.login(world.focal)
    page = fetch(client, f"/governments/{world.sweden.id}").text
    section = page[page.index("Deliverables it is responsible for") :]
    order = [
        section.index(title)
        for title in (
            "Background paper on diaspora bonds",
            "Guidelines on fair recruitment",
            "Survey of recruitment fees",
        )
    ]
    assert order == sorted(order)
    assert "Overdue by 30 days" in section and "Due in 60 days" in section
    assert ">In progress<" in section and ">Completed<" in section and ">Planned<" in section
    assert '<progress class="progress-bar-native" max="100" value="40"' in section
    assert "250,000.00 SEK" in page and "100,000.00 SEK on 15 January 2015" in page


def test_government_page_shows_its_teams_and_upcoming_meetings(client, world):
    """A government's page names its teams (lead or member) and its bodies' coming meetings."""
    switzerland = fetch(client, f"/governments/{world.switzerland.id}").text
    assert "Team on labour mobility" in switzerland and ">Lead<" in switzerland
    assert "Labour mobility team call" in switzerland
    assert "RT 1.1 session in Geneva" in switzerland
    turkey = fetch(client, f"/governments/{world.turkey.id}").text
    assert "Roundtable teams it joins" in turkey and "RT 1.1: Empowering" in turkey


def test_chairmanship_page_shows_troika_programme_and_funding(client, auth, world):
    """A chairmanship page: chair, summit, Troika, roundtables, meetings, deliverables, pledges."""
    auth.login(world.member)
    page = fetch(client, f"/chairmanships/{world.gfmd_2014.id}").text
    assert "Turkey" in page and "Istanbul, 14 October 2015 – 16 October 2015" in page
    troika = page[page.index('id="troika-heading"') : page.index('id="rt-heading"')]
    assert troika.index("GFMD 2013-2014") < troika.index("GFMD 2014-2015")
    assert troika.index("GFMD 2014-2015") < troika.index("GFMD 2016")
    assert "RT 1.1" in page and "RT 1.1 session in Geneva" in page
    assert "Draft Steering Group planning" not in page
    assert "Cancelled Friends of the Forum" in page
    assert "3 deliverables" in page and "1 overdue" in page
    assert "250,000.00 SEK" in page and "Overpaid by 500.00 USD" in page


def test_chairmanship_list_is_in_date_order_with_todays_troika(client, world):
    """Chairmanships are listed by start date under the Troika of today."""
    page = fetch(client, "/chairmanships/").text
    listing = page[page.index("All chairmanships") :]
    assert (
        listing.index("GFMD 2013-2014")
        < listing.index("GFMD 2014-2015")
        < listing.index("GFMD 2016")
    )
    # Today is after every term here: the last chair is the previous one, nobody holds office.
    troika = page[page.index("The Troika on") : page.index("All chairmanships")]
    assert "GFMD 2016" in troika and "None on record" in troika


def test_secretariat_sees_drafts_in_chairmanship_meetings(client, auth, world):
    """The secretariat's view of a chairmanship includes its draft meetings."""
    auth.login(world.secretariat)
    page = fetch(client, f"/chairmanships/{world.gfmd_2014.id}").text
    assert "Draft Steering Group planning" in page and ">Draft<" in page


def test_roundtable_page_splits_governments_and_partners(client, auth, world):
    """Co-chairs, government members and non-state partners are told apart."""
    auth.login(world.member)
    page = fetch(client, f"/roundtables/{world.roundtable.id}").text
    co_chairs = page[page.index("Co-chairs") : page.index("Government team members")]
    assert "Sweden" in co_chairs and "Switzerland" in co_chairs
    governments = page[page.index("Government team members") : page.index("Non-state partners")]
    assert "Turkey" in governments and "International Organization" not in governments
    partners = page[page.index("Non-state partners") : page.index("Session and meetings")]
    assert "International Organization for Migration" in partners and "Turkey" not in partners
    assert "RT 1.1 session in Geneva" in page
    assert "Background paper on diaspora bonds" in page
    assert 'title="Invented for demonstration"' in page


def test_roundtable_list_filters_by_chairmanship(client, world):
    """?chairmanship=ID keeps only that chairmanship's roundtables."""
    page = fetch(client, f"/roundtables/?chairmanship={world.gfmd_2016.id}").text
    assert "Migration and the SDGs" in page
    assert "Empowering migrants for development" not in page


def test_team_page_shows_members_over_the_years(client, auth, world):
    """A team: lead, priority, active years, and who joined and left when."""
    auth.login(world.member)
    page = fetch(client, f"/teams/{world.team.id}").text
    assert "Switzerland" in page and "2014–2016" in page
    members = page[page.index("Members over the years") : page.index('id="meetings-heading"')]
    assert re.search(
        r"Sweden</a></td>\s*<td>Government</td>\s*<td>2014</td>\s*<td>2015</td>", members
    )
    assert re.search(
        r"International Organization for Migration</a></td>\s*<td>Non-state partner</td>"
        r"\s*<td>2015</td>\s*<td>Still a member</td>",
        members,
    )
    assert "Labour mobility team call" in page
    assert "Guidelines on fair recruitment" in page


def test_work_plan_lists_deliverables_under_their_objective(client, auth, world):
    """Each objective lists the deliverables that serve it."""
    auth.login(world.member)
    page = fetch(client, f"/workplans/{world.work_plan.id}").text
    objective = page[page.index("A. Shared knowledge on migration") :]
    assert "Background paper on diaspora bonds" in objective
    assert "Guidelines on fair recruitment" not in page
    listing = fetch(client, "/workplans/").text
    assert "2013–2015" in listing


def test_meeting_agenda_is_in_the_venue_local_time(client, world):
    """08:00 UTC in Geneva in October is 10:00; the second item starts after the first's 45 min."""
    page = fetch(client, f"/meetings/{world.session.id}").text
    agenda = page[page.index('<table class="table table-cards align-top agenda">') :]
    assert re.search(r">10:00</time>.*Opening and welcome", agenda, re.S)
    assert re.search(r">10:45</time>.*Presentation of the background paper", agenda, re.S)
    assert "45 min" in agenda and "30 min" in agenda
    assert "Ambassador of Sweden" in agenda
    assert "Interpretation in English, French and Spanish" in agenda
    assert 'href="https://example.org/concept-note.pdf"' in agenda
    assert "The agenda runs 1 h 15 min of a 3 h meeting, leaving 1 h 45 min unplanned." in page
    assert "21 Oct 2030, 10:00 CEST" in page and "Europe/Zurich" in page


def test_winter_meeting_agenda_uses_winter_time(client, make, world):
    """The same venue in January is one hour ahead of UTC, not two."""
    meeting = make.meeting(world.gfmd_2014, starts_at=datetime(2031, 1, 20, 8, 0, tzinfo=UTC))
    make.agenda_item(meeting, minutes=90, title="Review of the year")
    make.agenda_item(meeting, minutes=120, title="Priorities of the next chair")
    page = fetch(client, f"/meetings/{meeting.id}").text
    assert re.search(r">09:00</time>.*Review of the year", page, re.S)
    assert re.search(r">10:30</time>.*Priorities of the next chair", page, re.S)
    assert "exactly filling it" not in page and "30 min longer than the meeting" in page


def test_draft_meeting_is_secretariat_only(client, auth, world):
    """A draft is a 404 to a member and to visitors, and readable by the secretariat."""
    url = f"/meetings/{world.draft.id}"
    assert fetch(client, url).status == 404
    auth.login(world.member)
    assert fetch(client, url).status == 404
    assert "Draft Steering Group planning" not in fetch(client, "/meetings/").text
    auth.logout()
    auth.login(world.secretariat)
    page = fetch(client, url)
    assert page.status == 200
    assert "Draft Steering Group planning" in page.text and ">Draft<" in page.text
    assert "Draft Steering Group planning" in fetch(client, "/meetings/").text


def test_archived_meeting_is_hidden_outside_the_secretariat(client, auth, make, world):
    """An archived meeting is a 404 to a member; the secretariat still reads it, marked archived."""
    archive(make, Meeting, world.cancelled.id)
    url = f"/meetings/{world.cancelled.id}"
    auth.login(world.member)
    assert fetch(client, url).status == 404
    auth.logout()
    auth.login(world.secretariat)
    page = fetch(client, url)
    assert page.status == 200 and "Archived" in page.text


def test_cancelled_meeting_is_public_and_says_so(client, world):
    """Visitors read a cancelled meeting, with its state in words."""
    page = fetch(client, f"/meetings/{world.cancelled.id}")
    assert page.status == 200
    assert "This meeting has been cancelled." in page.text and ">Cancelled<" in page.text


def test_meeting_list_filters(client, auth, world):
    """Upcoming by default; past, kind, chairmanship and roundtable filters narrow the list."""
    upcoming = fetch(client, "/meetings/").text
    assert "RT 1.1 session in Geneva" in upcoming and "Past Troika meeting" not in upcoming
    past = fetch(client, "/meetings/?when=past").text
    assert "Past Troika meeting" in past and "RT 1.1 session in Geneva" not in past
    everything = fetch(client, "/meetings/?when=all").text
    assert "Past Troika meeting" in everything and "RT 1.1 session in Geneva" in everything
    by_kind = fetch(client, "/meetings/?kind=roundtable_session").text
    assert "RT 1.1 session in Geneva" in by_kind and "Labour mobility team call" not in by_kind
    by_chair = fetch(client, f"/meetings/?when=all&chairmanship={world.gfmd_2013.id}").text
    assert "Past Troika meeting" in by_chair and "RT 1.1 session" not in by_chair
    by_rt = fetch(client, f"/meetings/?roundtable={world.roundtable.id}").text
    assert "RT 1.1 session in Geneva" in by_rt and "Labour mobility team call" not in by_rt
    cancelled = fetch(client, "/meetings/?state=cancelled").text
    assert "Cancelled Friends of the Forum" in cancelled and "RT 1.1 session" not in cancelled


def test_only_the_secretariat_filters_meetings_by_draft_state(client, auth, world):
    """Asking for drafts is refused outside the secretariat; inside it lists them."""
    assert fetch(client, "/meetings/?state=draft").status == 400
    auth.login(world.secretariat)
    page = fetch(client, "/meetings/?state=draft")
    assert page.status == 200
    assert "Draft Steering Group planning" in page.text and "RT 1.1 session" not in page.text


def test_deliverable_page_shows_history_and_links(client, auth, world):
    """Owner, objective, responsible governments, due date, progress and the history timeline."""
    auth.login(world.member)
    page = fetch(client, f"/deliverables/{world.overdue.id}").text
    assert "RT 1.1" in page and "A. Shared knowledge on migration" in page
    assert "Sweden" in page and "(overdue)" in page
    assert '<progress class="progress-bar-native" max="100" value="40"' in page
    history = page[page.index("Progress history") :]
    assert "by Sara Focal" in history
    assert re.search(r">Planned</span> → .*>In progress</span>", history)
    assert "0% → 40%" in history
    assert "First draft shared with the co-chairs" in history
    assert f'href="/deliverables/{world.successor.id}"' in page and "Carried over to" in page
    successor = fetch(client, f"/deliverables/{world.successor.id}").text
    assert f'href="/deliverables/{world.overdue.id}"' in successor
    assert "Carried over from" in successor and "No progress has been reported yet." in successor


def test_deliverable_list_filters_and_sorts_by_due_date(client, auth, world):
    """Sorted by due date; chairmanship, status, government, owner and text filters narrow it."""
    auth.login(world.member)
    page = fetch(client, "/deliverables/").text
    titles = [
        "Survey of recruitment fees",
        "Background paper on diaspora bonds",
        "Guidelines on fair recruitment",
        "Diaspora bonds, second edition",
    ]
    positions = [page.index(f">{title}</a>") for title in titles]
    assert positions == sorted(positions)

    def shown(query: str) -> set[str]:
        text = fetch(client, f"/deliverables/?{query}").text
        return {title for title in titles if f">{title}</a>" in text}

    assert shown("status=completed") == {"Survey of recruitment fees"}
    assert shown(f"government={world.turkey.id}") == {"Survey of recruitment fees"}
    assert shown(f"team={world.team.id}") == {"Guidelines on fair recruitment"}
    assert shown(f"roundtable={world.roundtable.id}") == {
        "Survey of recruitment fees",
        "Background paper on diaspora bonds",
    }
    assert shown(f"chairmanship={world.gfmd_2016.id}") == {"Diaspora bonds, second edition"}
    assert shown("q=diaspora") == {
        "Background paper on diaspora bonds",
        "Diaspora bonds, second edition",
    }


def test_pledge_page_shows_payments_received_and_outstanding(client, auth, world):
    """Payments, what arrived, and what a committed donor still owes."""
    auth.login(world.member)
    page = fetch(client, f"/pledges/{world.pledge.id}").text
    assert "250,000.00 SEK" in page and ">Committed<" in page
    assert "100,000.00 SEK" in page and "15 January 2015" in page and "SIDA-1" in page
    balance = page[page.index('id="balance-heading"') : page.index('id="payments-heading"')]
    assert "150,000.00 SEK" in balance and "overpaid" not in balance


def test_overpaid_pledge_shows_negative_outstanding_labelled(client, auth, world):
    """An overpayment is shown, not hidden: a negative outstanding, labelled overpaid."""
    auth.login(world.member)
    page = fetch(client, f"/pledges/{world.overpaid.id}").text
    assert "-500.00 USD" in page and "overpaid by 500.00 USD" in page
    assert ">Paid<" in page


def test_pledge_list_filters(client, auth, world):
    """Donor type, stage and chairmanship filters; paid is the derived stage."""
    auth.login(world.member)
    governments = fetch(client, "/pledges/?donor=government").text
    assert "250,000.00 SEK" in governments and "1,000.00 USD" not in governments
    organisations = fetch(client, "/pledges/?donor=organisation").text
    assert "1,000.00 USD" in organisations and "250,000.00 SEK" not in organisations
    paid = fetch(client, "/pledges/?status=paid").text
    assert "1,000.00 USD" in paid and "250,000.00 SEK" not in paid
    committed = fetch(client, "/pledges/?status=committed").text
    assert "250,000.00 SEK" in committed and "1,000.00 USD" not in committed
    other_chair = fetch(client, f"/pledges/?chairmanship={world.gfmd_2016.id}").text
    assert "No pledges match these filters." in other_chair


def test_government_and_organisation_search(client, world):
    """Governments by name or ISO code; organisations by name or acronym."""
    by_code = fetch(client, "/governments/?q=tur").text
    assert "Turkey" in by_code and "Sweden" not in by_code
    by_name = fetch(client, "/governments/?q=swed").text
    assert "Sweden" in by_name and "Turkey" not in by_name
    by_acronym = fetch(client, "/organisations/?q=IOM").text
    assert "International Organization for Migration" in by_acronym


def test_unknown_ids_are_404(client, auth, world):
    """Every detail page answers 404 for a record that does not exist."""
    auth.login(world.secretariat)
    for prefix in (
        "chairmanships",
        "governments",
        "organisations",
        "workplans",
        "roundtables",
        "teams",
        "meetings",
        "deliverables",
        "pledges",
    ):
        page = fetch(client, f"/{prefix}/999999")
        assert page.status == 404, prefix
        assert "Page not found" in page.text


def test_archived_records_are_404(client, auth, make, world):
    """An archived chairmanship is gone from its page and from the list."""
    archive(make, Chairmanship, world.gfmd_2013.id)
    auth.login(world.member)
    assert fetch(client, f"/chairmanships/{world.gfmd_2013.id}").status == 404
    assert "GFMD 2013-2014" not in fetch(client, "/chairmanships/").text


@pytest.mark.parametrize(
    "url",
    [
        "/chairmanships/?page=abc",
        "/governments/?page=abc",
        "/organisations/?page=abc",
        "/workplans/?page=abc",
        "/roundtables/?page=abc",
        "/roundtables/?chairmanship=first",
        "/teams/?page=abc",
        "/meetings/?page=abc",
        "/meetings/?when=soon",
        "/meetings/?kind=party",
        "/deliverables/?page=abc",
        "/deliverables/?status=finished",
        "/deliverables/?government=SWE",
        "/pledges/?page=abc",
        "/pledges/?donor=people",
    ],
)
def test_malformed_parameters_are_400(client, auth, world, url):
    """A malformed query parameter answers 400 with a sentence saying which one."""
    auth.login(world.member)
    page = fetch(client, url)
    assert page.status == 400
    name = re.search(r"\?(\w+)=", url).group(1)
    assert f"The “{name}” parameter" in page.text


@pytest.mark.parametrize(
    ("url", "grow"),
    [
        ("/deliverables/?page=1", "deliverable"),
        ("/pledges/?page=1", "pledge"),
        ("/meetings/?page=1", "meeting"),
        ("/roundtables/?page=1", "roundtable"),
        ("/teams/?page=1", "team"),
    ],
)
def test_list_pages_do_not_query_per_row(app, client, auth, make, world, url, grow):
    """A list page runs as many queries for ten rows as for the first few."""
    auth.login(world.member)

    def add_rows():
        for n in range(10):
            government = make.government()
            if grow == "deliverable":
                make.deliverable([government, world.sweden], owner=world.roundtable)
            elif grow == "pledge":
                make.payment(make.pledge(government, world.gfmd_2014))
            elif grow == "meeting":
                make.meeting(world.gfmd_2014, roundtable=world.roundtable, title=f"Extra {n}")
            elif grow == "roundtable":
                make.roundtable(world.gfmd_2016, co_chairs=[government])
            else:
                make.team(lead=government)

    with counting_queries(app) as before:
        assert fetch(client, url).status == 200
    add_rows()
    with counting_queries(app) as after:
        page = fetch(client, url)
    assert page.status == 200
    assert len(after) == len(before)


def test_troika_follows_date_order(app, make):
    """Previous, current and next chair come from the dates, including at both ends."""
    first = make.chairmanship("First", starts_on=date(2013, 1, 1), ends_on=date(2014, 6, 30))
    second = make.chairmanship("Second", starts_on=date(2014, 7, 1), ends_on=date(2015, 12, 31))
    third = make.chairmanship("Third", starts_on=date(2017, 1, 1), ends_on=date(2017, 12, 31))

    def seats(on: date) -> tuple:
        troika = chairmanship_service.troika(on)
        return tuple(c.label if c else None for c in (troika.previous, troika.current, troika.next))

    with app.app_context():
        assert seats(date(2014, 9, 1)) == ("First", "Second", "Third")
        assert seats(date(2013, 3, 1)) == (None, "First", "Second")
        assert seats(date(2017, 3, 1)) == ("Second", "Third", None)
        assert seats(date(2012, 3, 1)) == (None, None, "First")
        assert seats(date(2019, 3, 1)) == ("Third", None, None)
        # Between two terms nobody is in office; the last and the coming chair remain.
        assert seats(date(2016, 6, 1)) == ("Second", None, "Third")
        # The last day of a term still belongs to it.
        assert seats(date(2014, 6, 30)) == (None, "First", "Second")

        first_record = db.session.get(Chairmanship, first.id)
        previous, following = chairmanship_service.neighbours(first_record)
        assert previous is None and following.id == second.id
        previous, following = chairmanship_service.neighbours(
            db.session.get(Chairmanship, third.id)
        )
        assert previous.id == second.id and following is None
        of_second = chairmanship_service.troika_of(db.session.get(Chairmanship, second.id))
        assert (of_second.previous.id, of_second.current.id, of_second.next.id) == (
            first.id,
            second.id,
            third.id,
        )


def test_troika_skips_archived_chairmanships(app, make):
    """An archived chairmanship takes no seat in the Troika."""
    first = make.chairmanship("First", starts_on=date(2013, 1, 1), ends_on=date(2013, 12, 31))
    middle = make.chairmanship("Middle", starts_on=date(2014, 1, 1), ends_on=date(2014, 12, 31))
    last = make.chairmanship("Last", starts_on=date(2015, 1, 1), ends_on=date(2015, 12, 31))
    archive(make, Chairmanship, middle.id)
    with app.app_context():
        troika = chairmanship_service.troika(date(2015, 6, 1))
        assert troika.previous.id == first.id and troika.current.id == last.id
        assert troika.next is None


def test_troika_breaks_ties_on_the_same_start_date(app, make):
    """Two chairmanships starting on the same day still stand in one order."""
    one = make.chairmanship("One", starts_on=date(2020, 1, 1), ends_on=date(2020, 6, 30))
    two = make.chairmanship("Two", starts_on=date(2020, 1, 1), ends_on=date(2020, 12, 31))
    with app.app_context():
        previous, following = chairmanship_service.neighbours(db.session.get(Chairmanship, two.id))
        assert previous.id == one.id and following is None
        previous, following = chairmanship_service.neighbours(db.session.get(Chairmanship, one.id))
        assert previous is None and following.id == two.id
