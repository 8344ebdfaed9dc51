"""A meeting's title and description, and its agenda items' titles, entered in English, French
and Spanish: each reader gets their language where it was given, the original where not, on
the pages and in the feeds."""

from datetime import UTC, datetime

import pytest
from icalendar import Calendar

from tests.test_meeting_editing import form_data
from workplan.models import AgendaItem, Meeting


@pytest.fixture
def forum(make):
    chairmanship = make.chairmanship()
    return type(
        "Forum",
        (),
        {
            "chairmanship": chairmanship,
            "roundtable": make.roundtable(chairmanship, number="1.1", title="Diaspora bonds"),
            "secretariat": make.user("secretariat"),
        },
    )


def _reader(app, language: str):
    client = app.test_client()
    client.post("/language", data={"lang": language})
    return client


def test_the_secretariat_gives_titles_in_three_languages(app, client, auth, forum, db_session):
    auth.login(forum.secretariat)
    response = client.post(
        "/meetings/new",
        data=form_data(
            forum,
            title="Preparatory session",
            title_fr="Session préparatoire",
            description="Second reading.",
            description_fr="Deuxième lecture.",
        ),
    )
    assert response.status_code == 302
    meeting = db_session.query(Meeting).one()
    assert (meeting.title_fr, meeting.title_es, meeting.description_es) == (
        "Session préparatoire",
        None,
        None,
    )
    item = client.post(
        f"/meetings/{meeting.id}/agenda",
        data={"title": "Opening", "title_es": "Apertura", "duration_minutes": "15"},
    )
    assert item.status_code == 302
    assert db_session.query(AgendaItem).one().title_es == "Apertura"
    client.post(f"/meetings/{meeting.id}/publish")

    french = _reader(app, "fr").get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "Session préparatoire" in french and "Deuxième lecture." in french
    assert ">Opening<" in french  # no French title given: the original
    spanish = _reader(app, "es").get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "Preparatory session" in spanish and "Second reading." in spanish
    assert ">Apertura<" in spanish
    assert "Session préparatoire" in _reader(app, "fr").get("/meetings/").get_data(as_text=True)


def test_a_translation_too_long_is_refused_at_its_field(client, auth, forum, db_session):
    auth.login(forum.secretariat)
    response = client.post("/meetings/new", data=form_data(forum, title_es="x" * 301))
    assert response.status_code == 400
    assert db_session.query(Meeting).count() == 0


def test_feeds_carry_the_titles_in_the_language_asked_for(app, client, make, forum):
    meeting = make.meeting(
        roundtable=forum.roundtable,
        chairmanship=forum.chairmanship,
        title="Skills partnerships",
        title_fr="Partenariats pour les compétences",
        description="Background.",
        description_es="Antecedentes.",
        starts_at=datetime(2030, 10, 21, 8, tzinfo=UTC),
    )
    make.agenda_item(meeting, title="Opening", title_fr="Ouverture")

    def event(language: str):
        body = client.get(f"/calendar/meetings.ics?lang={language}").data
        [found] = Calendar.from_ical(body).walk("VEVENT")
        return str(found["SUMMARY"]), str(found["DESCRIPTION"])

    summary, description = event("fr")
    assert summary == "RT 1.1: Partenariats pour les compétences"
    assert "Ouverture" in description and "Background." in description
    summary, description = event("es")
    assert summary == "RT 1.1: Skills partnerships"
    assert "Antecedentes." in description and "Opening" in description
    summary, _ = event("en")
    assert summary == "RT 1.1: Skills partnerships"
