"""Chair's summaries, roundtable reports and the thematic recollection, drafted from the
meetings' records: as pages, as PDFs read back by pypdf, as Word files read back by
python-docx; each reader sees only the papers their access allows."""

import io

import pytest
from docx import Document as WordDocument
from pypdf import PdfReader

from tests import samples
from tests.factories import PASSWORD
from workplan.models import MeetingOutcome, Minutes


@pytest.fixture
def forum(make, db_session):
    government = make.government(name="Ghana")
    first = make.chairmanship(label="GFMD 2029")
    later = make.chairmanship(label="GFMD 2031")
    roundtable = make.roundtable(
        first, number="1.1", title="Skills", cluster_title="Labour mobility", co_chairs=[government]
    )
    make.roundtable(later, number="2.1", title="Recruitment", cluster_title=" labour  MOBILITY")
    meeting = make.meeting(chairmanship=first, roundtable=roundtable, title="Skills session")
    hidden = make.meeting(chairmanship=first, roundtable=roundtable, state="draft")
    deliverable = make.deliverable(responsible=[government], owner=roundtable, chairmanship=first)
    db_session.add_all(
        [
            MeetingOutcome(meeting_id=meeting.id, kind="decision", text="Adopt the skills note."),
            MeetingOutcome(
                meeting_id=meeting.id,
                kind="action",
                text="Write the guide.",
                deliverable_id=deliverable.id,
            ),
            MeetingOutcome(meeting_id=hidden.id, kind="decision", text="Secret draft decision."),
        ]
    )
    db_session.commit()
    make.document(roundtable, samples.pdf(), access="members", title="Skills concept note")
    make.document(roundtable, samples.pdf(), access="secretariat", title="Internal notes")
    steering = make.meeting(chairmanship=first, kind="steering_group", title="Steering Group")
    db_session.add(MeetingOutcome(meeting_id=steering.id, kind="decision", text="Budget agreed."))
    # Decisions are read by members once the minutes are approved.
    db_session.add_all(
        [Minutes(meeting_id=m.id, text="Held.", state="approved") for m in (meeting, steering)]
    )
    db_session.commit()
    return {"first": first, "roundtable": roundtable, "member": make.user("member")}


def _member(app, forum):
    client = app.test_client()
    client.post("/auth/login", data={"email": forum["member"].email, "password": PASSWORD})
    return client


def test_the_chairs_summary_gathers_each_roundtables_record(app, forum):
    page = _member(app, forum).get(f"/chairmanships/{forum['first'].id}/summary")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    for expected in (
        "Adopt the skills note.",
        "Write the guide.",
        "Skills concept note",
        "Budget agreed.",
        "Co-chairs: Ghana",
    ):
        assert expected in text, expected
    assert "Secret draft decision." not in text and "Internal notes" not in text


def test_the_summary_downloads_as_a_pdf_and_a_word_file(app, forum):
    client = _member(app, forum)
    url = f"/chairmanships/{forum['first'].id}/summary"
    pdf = client.get(f"{url}.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "Adopt the skills note." in text and "Internal notes" not in text
    word = client.get(f"{url}.docx")
    assert word.headers["Content-Disposition"].startswith("attachment;")
    document = WordDocument(io.BytesIO(word.data))
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs[0] == "Chair's summary: GFMD 2029"
    assert "RT 1.1: Skills" in paragraphs and "Adopt the skills note." in paragraphs
    assert "Budget agreed." in " ".join(paragraphs)


def test_a_roundtable_report_in_french(app, forum):
    client = _member(app, forum)
    client.post("/language", data={"lang": "fr"})
    word = client.get(f"/roundtables/{forum['roundtable'].id}/report.docx")
    paragraphs = [p.text for p in WordDocument(io.BytesIO(word.data)).paragraphs]
    assert paragraphs[0] == "Rapport de RT 1.1"
    assert "Décisions" in paragraphs


def test_themes_gather_roundtables_across_chairmanships(app, forum):
    text = _member(app, forum).get("/roundtables/themes").get_data(as_text=True)
    # One theme, named as the latest chairmanship wrote it.
    assert text.count('<h2 id="theme-') == 1 and 'class="h3">labour MOBILITY</h2>' in text
    assert "RT 1.1: Skills" in text and "RT 2.1: Recruitment" in text
    assert text.index("RT 2.1") < text.index("RT 1.1")  # latest chairmanship first


def test_drafts_are_for_members_of_the_forum(app, client, forum):
    response = client.get(f"/chairmanships/{forum['first'].id}/summary")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    assert client.get("/roundtables/themes").status_code == 302


def test_decisions_wait_for_the_minutes_outside_the_secretariat(app, make, forum, db_session):
    """Until a meeting's minutes are approved, its decisions are the secretariat's draft."""
    meeting = make.meeting(chairmanship=forum["first"], roundtable=forum["roundtable"])
    db_session.add(MeetingOutcome(meeting_id=meeting.id, kind="decision", text="Not yet agreed."))
    db_session.commit()
    url = f"/chairmanships/{forum['first'].id}/summary"
    assert "Not yet agreed." not in _member(app, forum).get(url).get_data(as_text=True)
    secretariat = app.test_client()
    user = make.user("secretariat")
    secretariat.post("/auth/login", data={"email": user.email, "password": PASSWORD})
    assert "Not yet agreed." in secretariat.get(url).get_data(as_text=True)
    record = _member(app, forum).get(f"/meetings/{meeting.id}/record").get_data(as_text=True)
    assert "Not yet agreed." not in record
