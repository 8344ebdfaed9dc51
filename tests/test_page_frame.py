"""What frames every page: the header with the chairmanship in office, the user menu,
breadcrumbs; and how governments are offered and named (UN states first, names in the
reader's language)."""

import re
from datetime import UTC, date, datetime

import time_machine

from tests.helpers import text_of
from workplan.countries import is_un_state, local_name, un_states
from workplan.seed.demo import countries

MID_2031 = datetime(2031, 6, 1, 9, 0, tzinfo=UTC)


def header_of(response) -> str:
    return re.search(r"<header.*?</header>", text_of(response), re.S).group(0)


def test_the_header_names_the_chairmanship_in_office(client, make):
    """Between two terms the header follows the clock: the chairmanship in office that day."""
    make.chairmanship(label="GFMD 2030", starts_on=date(2030, 1, 1), ends_on=date(2030, 12, 31))
    make.chairmanship(label="GFMD 2031", starts_on=date(2031, 1, 1), ends_on=date(2031, 12, 31))
    with time_machine.travel(MID_2031, tick=False):
        header = header_of(client.get("/meetings/"))
    assert "Chair: GFMD 2031" in header and "GFMD 2030" not in header
    with time_machine.travel(datetime(2030, 6, 1, tzinfo=UTC), tick=False):
        assert "Chair: GFMD 2030" in header_of(client.get("/meetings/"))


def test_the_user_menu_holds_the_account_and_log_out(client, make, auth):
    """One menu carries the name, the government, the calendar and logging out; only the
    secretariat finds the administration in it."""
    philippines = make.government(iso3="PHL", name="Philippines")
    auth.login(make.user("focal_point", government=philippines, name="Ana Focal"))
    header = header_of(client.get("/meetings/"))
    menu = re.search(r'aria-labelledby="nav-user">(.*?)</ul>', header, re.S).group(1)
    assert "My government" in menu and "My calendar" in menu and "Log out" in menu
    assert "Philippines" in menu and "Audit log" not in header
    assert 'id="nav-user"' in header and "Ana Focal" in header
    auth.logout()
    auth.login(make.user("secretariat"))
    menu = re.search(r'aria-labelledby="nav-user">(.*?)</ul>', header_of(client.get("/")), re.S)
    assert "Users" in menu.group(1) and "Audit log" in menu.group(1)


def test_pages_below_the_top_show_breadcrumbs(client, make):
    """A record's page leads back to its list; a page under a record, to the record too."""
    meeting = make.meeting(title="Steering Group meeting", state="published")
    crumbs = re.search(
        r'<nav class="container-lg pt-3 crumbs".*?</nav>',
        text_of(client.get(f"/meetings/{meeting.id}")),
        re.S,
    ).group(0)
    assert re.findall(r'<a href="([^"]+)">([^<]+)</a>', crumbs) == [
        ("/", "Home"),
        ("/meetings/", "Meetings"),
    ]
    assert 'aria-current="page">Steering Group meeting<' in crumbs
    # A list at the top of its section has none.
    assert "crumbs" not in text_of(client.get("/meetings/"))


def test_a_page_under_a_record_leads_back_to_it(client, make, auth):
    auth.login(make.user("secretariat"))
    meeting = make.meeting(title="Troika meeting")
    page = text_of(client.get(f"/meetings/{meeting.id}/reschedule"))
    crumbs = re.search(r'<nav class="container-lg pt-3 crumbs".*?</nav>', page, re.S).group(0)
    assert f'<a href="/meetings/{meeting.id}">Troika meeting</a>' in crumbs


def test_the_un_has_193_members_and_2_observer_states():
    assert len(un_states()) == 195
    assert is_un_state("SWE") and is_un_state("PSE") and is_un_state("VAT")
    assert not is_un_state("ATA") and not is_un_state("BVT") and not is_un_state("PRI")


def test_the_demo_makes_no_territory_a_government():
    """Antarctica or Bouvet Island become parties only when the secretariat adds them."""
    codes = {code for code, _name in countries()}
    assert len(codes) == 195 and "ATA" not in codes and "BVT" not in codes and "FRA" in codes


def test_country_names_follow_the_reader():
    """CLDR's names in French and Spanish; in English, the name the secretariat recorded."""
    assert local_name("SWE", "Sweden", "fr") == "Suède"
    assert local_name("SWE", "Sweden", "es") == "Suecia"
    assert local_name("TUR", "Türkiye", "en") == "Türkiye"
    # A code CLDR does not know keeps the recorded name.
    assert local_name("QQQ", "Somewhere", "fr") == "Somewhere"


def test_governments_are_offered_un_states_first_in_the_readers_language(client, make, auth):
    """The choice of co-chairs: UN states by their French names, then the territories the
    secretariat made parties, in a group of their own; every multiple choice is searchable."""
    make.government(iso3="SWE", name="Sweden")
    make.government(iso3="DZA", name="Algeria")
    make.government(iso3="ABW", name="Aruba")
    make.chairmanship(label="GFMD 2031")
    auth.login(make.user("secretariat"))
    page = text_of(client.get("/roundtables/new", headers={"Accept-Language": "fr"}))
    select = re.search(r'<select[^>]*id="co_chairs".*?</select>', page, re.S).group(0)
    assert 'data-enhance="search"' in select
    options = re.findall(r'<option value="gov:(\w+)">([^<]+)</option>', select)
    assert options == [("DZA", "Algérie (DZA)"), ("SWE", "Suède (SWE)"), ("ABW", "Aruba (ABW)")]
    assert re.search(r'<optgroup label="Autres territoires">\s*<option value="gov:ABW"', select)


def test_country_names_are_shown_in_the_readers_language(client, make):
    sweden = make.government(iso3="SWE", name="Sweden")
    roundtable = make.roundtable(co_chairs=[sweden])
    page = text_of(client.get(f"/roundtables/{roundtable.id}", headers={"Accept-Language": "es"}))
    assert "Suecia" in page and "Sweden" not in page
