"""The good-practice library: a focal point writes a practice for their government, submits it,
the secretariat publishes it or returns it with a comment; anyone finds published practices by
words in any of the three languages, accents or not, and by theme, country, region, SDG target
and year; governments say they took one up."""

import pytest
from sqlalchemy import func, select

from tests.helpers import audit_events, field_error, post_edit, refused_without_writing, text_of
from workplan.models import Deliverable, Practice, PracticeAdoption
from workplan.services.practice_search import fold, words

PRACTICE = {
    "title": "Cheaper remittances through a price comparison portal",
    "summary": "A public website compares the fees of money transfer operators.",
    "title_es": "Remesas más baratas gracias a un comparador de precios",
    "summary_fr": "Un site public compare les frais des opérateurs de transfert d’argent.",
    "year": "2012",
    "sdg_targets": ["10.c"],
    "links": "https://example.org/compare\nhttps://example.org/evaluation",
}


@pytest.fixture
def forum(make):
    philippines = make.government("PHL", "Philippines")
    sweden = make.government("SWE", "Sweden")
    return {
        "PHL": philippines,
        "SWE": sweden,
        "focal": make.user("focal_point", government=philippines),
        "other_focal": make.user("focal_point", government=sweden),
        "secretariat": make.user("secretariat"),
        "member": make.user("member"),
        "theme": make.theme("Remittances and diaspora", name_es="Remesas y diáspora"),
    }


def _titles(client, query: str) -> list[str]:
    page = text_of(client.get(f"/practices/?{query}"))
    assert "practice-card" in page or "No practice" in page, page[:2000]
    return [
        line.split(">", 1)[1]
        for line in page.split('<h2 class="h5 mb-1"><a href="/practices/')[1:]
        for line in [line.split("</a>", 1)[0]]
    ]


def test_a_practice_goes_from_draft_to_published_and_anyone_finds_it(
    client, make, auth, forum, db_session
):
    auth.login(forum["focal"])
    data = {**PRACTICE, "countries": ["gov:PHL"], "themes": [str(forum["theme"].id)]}
    created = client.post("/practices/new", data=data)
    assert created.status_code == 302, text_of(created)[:3000]
    practice = db_session.scalars(select(Practice)).one()
    assert (practice.state, practice.government_id) == ("draft", forum["PHL"].id)
    assert [c.iso3 for c in practice.countries] == ["PHL"]
    url = f"/practices/{practice.id}"

    # A draft is the government's and the secretariat's; not Sweden's, not the public's.
    auth.logout()
    assert client.get(url).status_code == 404
    assert _titles(client, "q=remesas") == []
    auth.login(forum["other_focal"])
    assert client.get(url).status_code == 404
    auth.logout()

    auth.login(forum["focal"])
    sent = client.post(f"{url}/submit", data={"version": str(practice.version)})
    assert sent.status_code == 302
    db_session.expire_all()
    assert practice.state == "submitted" and practice.submitted_at is not None
    # Submitted, it is out of its authors' hands.
    assert client.get(f"{url}/edit").status_code == 403
    auth.logout()

    auth.login(forum["secretariat"])
    published = client.post(f"{url}/publish", data={"version": str(practice.version)})
    assert published.status_code == 302
    auth.logout()
    db_session.expire_all()
    assert practice.state == "published"

    assert _titles(client, "q=remesas") == [PRACTICE["title"]]
    spanish = text_of(client.get(url, headers={"Accept-Language": "es"}))
    assert "<h1>Remesas más baratas gracias a un comparador de precios" in spanish
    # Untranslated, the summary falls back to the original.
    assert "A public website compares the fees" in spanish
    assert 'href="https://example.org/evaluation"' in spanish
    states = [
        ((e.old_values or {}).get("state"), (e.new_values or {}).get("state"))
        for e in audit_events(make, "Practice", practice.id)
    ]
    assert ("draft", "submitted") in states and ("submitted", "published") in states


def test_the_secretariat_returns_a_practice_with_what_it_needs(client, make, auth, forum):
    practice = make.practice(state="submitted", government=forum["PHL"])
    url = f"/practices/{practice.id}"
    auth.login(forum["secretariat"])
    silent = refused_without_writing(
        client, make, f"{url}/return", {"version": str(practice.version), "comment": " "}
    )
    assert "Say what the practice needs" in text_of(silent)
    returned = client.post(
        f"{url}/return", data={"version": str(practice.version), "comment": "Say what it cost."}
    )
    assert returned.status_code == 302
    auth.logout()

    auth.login(forum["focal"])
    page = text_of(client.get(url))
    assert "Returned to its authors" in page and "Say what it cost." in page
    # Returned, it is the authors' to change and send again.
    changed = post_edit(client, f"{url}/edit", {**PRACTICE, "summary": "It cost USD 40,000."})
    assert changed.status_code == 302
    make.session.expire_all()
    fresh = make.fresh(Practice, practice.id)
    again = client.post(f"{url}/submit", data={"version": str(fresh.version)})
    assert again.status_code == 302
    assert make.fresh(Practice, practice.id).state == "submitted"


def test_only_what_its_authors_submitted_is_published(client, make, auth, forum):
    draft = make.practice(state="draft", government=forum["PHL"])
    own = make.practice(state="draft", title="The secretariat's own note")
    auth.login(forum["secretariat"])
    page = text_of(client.get(f"/practices/{draft.id}"))
    assert ">Publish</button>" not in page
    refused = refused_without_writing(
        client, make, f"/practices/{draft.id}/publish", {"version": "1"}, status=409
    )
    assert "Its authors have not submitted this practice" in text_of(refused)
    assert client.post(f"/practices/{own.id}/publish", data={"version": "1"}).status_code == 302
    assert make.fresh(Practice, own.id).state == "published"


def test_a_country_chosen_twice_under_two_spellings_is_kept_once(client, make, auth, forum):
    auth.login(forum["focal"])
    sent = client.post("/practices/new", data={**PRACTICE, "countries": ["gov:PHL", "gov:phl"]})
    assert sent.status_code == 302
    practice = make.session.scalars(select(Practice)).one()
    assert [c.iso3 for c in practice.countries] == ["PHL"]


def test_only_a_submitted_or_published_practice_is_returned(client, make, auth, forum):
    draft = make.practice(state="draft", government=forum["PHL"])
    auth.login(forum["secretariat"])
    refused = refused_without_writing(
        client,
        make,
        f"/practices/{draft.id}/return",
        {"version": str(draft.version), "comment": "Needs more."},
        status=409,
    )
    assert "Only a practice submitted for review, or published, can be returned." in text_of(
        refused
    )


def test_an_edit_from_a_stale_copy_is_refused_with_the_newer_text(client, make, auth, forum):
    practice = make.practice(state="draft", government=forum["PHL"], title="Orientation")
    auth.login(forum["focal"])
    url = f"/practices/{practice.id}/edit"
    stale_version = str(practice.version)
    assert post_edit(client, url, {**PRACTICE, "title": "Orientation, first"}).status_code == 302
    stale = client.post(
        url, data={**PRACTICE, "title": "Orientation, second", "version": stale_version}
    )
    assert stale.status_code == 409
    assert "Orientation, first" in text_of(stale)
    assert make.fresh(Practice, practice.id).title == "Orientation, first"


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"title": "  "}, "title", "Give the practice a title."),
        ({"year": "1850"}, "year", "Give a year between 1990 and 2100."),
        ({"links": "javascript:alert(1)"}, "links", "is not a web address"),
        ({"countries": ["gov:XXX"]}, "countries", "is not a government or an organisation"),
        ({"sdg_targets": ["99.9"]}, "sdg_targets", "Choose SDG targets from the list."),
        ({"origin": "meeting:999999"}, "origin", "Choose a roundtable, meeting or deliverable"),
        ({"themes": ["999999"]}, "themes", "Choose themes from the list."),
    ],
)
def test_bad_input_is_refused_at_its_field_and_nothing_is_written(
    client, make, auth, forum, change, field, message
):
    auth.login(forum["focal"])
    refused = refused_without_writing(client, make, "/practices/new", {**PRACTICE, **change})
    assert message in field_error(refused, field)


def test_search_finds_words_in_every_language_with_or_without_accents(client, make, forum):
    make.practice(
        title="Pre-departure orientation for migrant workers",
        title_fr="Orientation avant le départ des travailleurs migrants",
        title_es="Orientación previa a la partida de los trabajadores migrantes",
        countries=[forum["PHL"]],
    )
    make.practice(
        title="Cheaper remittances",
        summary_es="Las remesas cuestan menos gracias a la competencia.",
        countries=[forum["SWE"]],
        themes=[forum["theme"]],
    )
    make.practice(state="draft", title="Orientation kept as a draft")
    orientation = ["Pre-departure orientation for migrant workers"]
    assert _titles(client, "q=orientación") == orientation
    assert _titles(client, "q=ORIENTACION") == orientation
    assert _titles(client, "q=départ") == orientation
    assert _titles(client, "q=depart travailleurs") == orientation
    # A word begins a longer one: "remesa" finds "remesas".
    assert _titles(client, "q=remesa") == ["Cheaper remittances"]
    # The country's name in another language finds its practices too.
    assert _titles(client, "q=suède") == ["Cheaper remittances"]
    assert _titles(client, "q=Filipinas") == orientation
    # Every word must match; operators are words, not commands.
    assert _titles(client, "q=orientation remesas") == []
    assert _titles(client, "q=%22%29%28*%3A") == []
    assert _titles(client, f"q=remesas&theme={forum['theme'].id}") == ["Cheaper remittances"]
    assert _titles(client, "q=remesas&region=142") == []
    assert _titles(client, "region=150") == ["Cheaper remittances"]


def test_the_library_filters_by_target_and_year_and_lists_the_latest_first(client, make, forum):
    make.practice(title="Older", year=2010, targets=["8.8"])
    make.practice(title="Newer", year=2020, targets=["10.7", "8.8"])
    assert _titles(client, "") == ["Newer", "Older"]
    make.practice(title="Archives of 2015", year=2015)
    assert _titles(client, "sort=title") == ["Archives of 2015", "Newer", "Older"]
    assert _titles(client, "target=10.7") == ["Newer"]
    assert _titles(client, "year=2010") == ["Older"]
    bad = client.get("/practices/?target=99")
    assert bad.status_code == 400 and "must be one of" in text_of(bad)


def test_stemming_finds_other_forms_where_postgresql_offers_it(client, make, db_session):
    make.practice(title="Recognising the skills of returning migrants")
    if db_session.bind.dialect.name != "postgresql":
        pytest.skip("SQLite's FTS5 matches prefixes, not stems")
    # English stems: "recognise" and "recognising" share one.
    assert _titles(client, "q=recognise") == ["Recognising the skills of returning migrants"]


def test_a_government_says_it_took_a_practice_up_once(client, make, auth, forum, db_session):
    practice = make.practice(government=forum["SWE"])
    url = f"/practices/{practice.id}/adoptions"
    auth.login(forum["focal"])
    page = text_of(client.get(f"/practices/{practice.id}"))
    assert "Record that we took it up" in page
    recorded = client.post(
        url, data={"government": "gov:PHL", "year": "2019", "result": "Fees fell by half."}
    )
    assert recorded.status_code == 302
    adoption = db_session.scalars(select(PracticeAdoption)).one()
    assert (adoption.government_id, adoption.year) == (forum["PHL"].id, 2019)
    # Said once; and not for another government.
    assert client.post(url, data={"government": "gov:PHL", "year": "2020"}).status_code == 403
    auth.logout()
    auth.login(forum["other_focal"])
    for_another = client.post(url, data={"government": "gov:PHL", "year": "2020"})
    assert for_another.status_code == 403
    assert db_session.scalar(select(func.count()).select_from(PracticeAdoption)) == 1
    shown = text_of(client.get(f"/practices/{practice.id}"))
    assert "Fees fell by half." in shown


def test_a_draft_cannot_be_taken_up(client, make, auth, forum):
    draft = make.practice(state="draft", government=forum["PHL"])
    auth.login(forum["focal"])
    assert (
        client.post(
            f"/practices/{draft.id}/adoptions", data={"government": "gov:PHL", "year": "2020"}
        ).status_code
        == 403
    )


def test_members_read_the_library_but_do_not_write_in_it(client, make, auth, forum):
    practice = make.practice()
    auth.login(forum["member"])
    assert client.get(f"/practices/{practice.id}").status_code == 200
    assert client.get("/practices/new").status_code == 403
    assert client.post(f"/practices/{practice.id}/publish").status_code == 403
    assert client.post(f"/practices/{practice.id}/adoptions", data={}).status_code == 403


def test_a_themes_page_gathers_its_published_practices(client, make, auth, forum):
    make.practice(title="Portal", themes=[forum["theme"]])
    make.practice(title="Not yet", state="submitted", themes=[forum["theme"]])
    make.commitment(forum["PHL"], title="Fee cap", themes=[forum["theme"]])
    roundtable = make.roundtable(number="2.1", title="Remittances as a development tool")
    make.deliverable([forum["PHL"]], owner=roundtable, title="Remittance toolkit")
    page = text_of(client.get(f"/themes/{forum['theme'].id}"))
    assert "<title>Remittances and diaspora · GFMD work plan</title>" in page
    assert "Portal" in page and "Not yet" not in page
    assert "Fee cap" in page and "Philippines, On track" in page
    assert "Remittances as a development tool" not in page
    spanish = text_of(client.get(f"/themes/{forum['theme'].id}", headers={"Accept-Language": "es"}))
    assert "<h1>Remesas y diáspora" in spanish
    auth.login(forum["secretariat"])
    made = client.post("/themes/new", data={"name": "Labour mobility", "name_fr": "Mobilité"})
    assert made.status_code == 302
    taken = refused_without_writing(client, make, "/themes/new", {"name": "labour MOBILITY"})
    assert "Labour mobility is already a theme." in field_error(taken, "name")

    # Roundtables and deliverables are filed under the same themes; deliverables show to
    # members only.
    theme = str(forum["theme"].id)
    edited = post_edit(
        client,
        f"/roundtables/{roundtable.id}/edit",
        {
            "chairmanship": str(roundtable.chairmanship_id),
            "number": "2.1",
            "title": "Remittances as a development tool",
            "themes": [theme],
        },
    )
    assert edited.status_code == 302, text_of(edited)[:2000]
    deliverable = make.session.scalars(select(Deliverable)).one()
    owner = f"roundtable:{roundtable.id}"
    filed = post_edit(
        client,
        f"/deliverables/{deliverable.id}/edit",
        {
            "title": "Remittance toolkit",
            "chairmanship": str(deliverable.chairmanship_id),
            "owner": owner,
            "responsible_governments": [str(forum["PHL"].id)],
            "due_on": "2030-06-30",
            "themes": [theme],
        },
    )
    assert filed.status_code == 302, text_of(filed)[:2000]
    page = text_of(client.get(f"/themes/{theme}"))
    assert "RT 2.1: Remittances as a development tool" in page and "Remittance toolkit" in page
    auth.logout()
    public = text_of(client.get(f"/themes/{theme}"))
    assert "RT 2.1: Remittances as a development tool" in public
    assert "Remittance toolkit" not in public


def test_folding_drops_accents_and_case_and_keeps_letters_of_every_script():
    assert fold("Émigration CŒUR Ñandú") == "emigration cœur nandu"
    assert words("l'orientación, ¿dónde? 10.c") == ["l", "orientacion", "donde", "10", "c"]
    assert words('" OR * NEAR( ') == ["or", "near"]
