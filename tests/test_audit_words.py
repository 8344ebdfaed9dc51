"""The audit log, the security page and the dashboard's recent changes, in people's words."""

import html
import re
from datetime import UTC, date, datetime

from sqlalchemy import func, select

from workplan.models import AuditEvent, Deliverable, User

from .helpers import text_of


def entries(page: str) -> list[str]:
    """The text of each entry of an audit page, tags dropped, as a person reads it."""
    blocks = re.findall(
        r'<li class="audit-entry">(.*?)</li>\s*(?=<li class="audit-entry">|</ol>)', page, re.S
    )
    # What a screen reader says: the marks hidden from it (a dash, an arrow) are left out.
    spoken = [re.sub(r'<span[^>]*aria-hidden="true">.*?</span>', " ", b) for b in blocks]
    return [" ".join(html.unescape(re.sub(r"<[^>]+>", " ", b)).split()) for b in spoken]


def event_count(session) -> int:
    session.expire_all()
    return session.scalar(select(func.count(AuditEvent.id)))


def test_fields_are_labelled_and_ids_named(client, make, auth, db_session):
    """Responsible governments, a government and a person's role show as words, not ids."""
    sweden, philippines = make.government("SWE", "Sweden"), make.government("PHL", "Philippines")
    deliverable = make.deliverable(title="Diaspora bonds paper")
    focal_point = make.user(email="fp@example.org", name="Ana Cruz", role="member")
    record = db_session.get(Deliverable, deliverable.id)
    record.responsible_governments = [db_session.merge(sweden), db_session.merge(philippines)]
    person = db_session.get(User, focal_point.id)
    person.role, person.government_id = "focal_point", philippines.id
    db_session.commit()
    auth.login(make.user(role="secretariat"))
    page = client.get("/admin/audit").text
    shown = entries(page)
    paper = next(e for e in shown if "Diaspora bonds paper" in e and "Responsible" in e)
    assert paper.startswith("Changed Deliverable Diaspora bonds paper")
    assert "Responsible: was none now Philippines, Sweden" in paper
    ana = next(e for e in shown if e.startswith("Changed User Ana Cruz"))
    assert "Role: was Member now Focal point" in ana
    assert "Government: was none now Philippines" in ana
    for raw in ("responsible_governments", "government_id", "∅", "#"):
        assert raw not in " ".join(shown)
    # An empty value is a dash for the eye and a word for a screen reader.
    assert '<span class="audit-none" aria-hidden="true">—</span>' in page
    assert '<span class="visually-hidden">none</span>' in page


def test_kinds_of_record_are_named_in_words(client, make, auth):
    """The filter and the entries name an agenda item "Agenda item", never its class."""
    meeting = make.meeting(title="Steering Group")
    make.agenda_item(meeting, title="Opening")
    auth.login(make.user(role="secretariat"))
    page = client.get("/admin/audit").text
    assert '<option value="AgendaItem">Agenda item</option>' in page
    assert any(e.startswith("Created Agenda item Opening") for e in entries(page))
    assert ">AgendaItem<" not in page and "AgendaItem " not in text_of(client.get("/admin/audit"))
    only_items = entries(client.get("/admin/audit?type=AgendaItem").text)
    assert only_items and all("Agenda item" in e for e in only_items)
    assert '<option value="AgendaItem" selected>' in client.get("/admin/audit?type=AgendaItem").text


def test_reordering_the_agenda_is_one_entry(client, make, auth, db_session):
    """Dragging an item writes one "Agenda reordered" event, worded with the items' titles."""
    meeting = make.meeting(title="Ministerial", starts_at=datetime(2030, 10, 21, 8, tzinfo=UTC))
    first, second, third = (
        make.agenda_item(meeting, title=t) for t in ("Opening", "Paper", "Close")
    )
    auth.login(make.user(role="secretariat", name="Sam Secretariat"))
    before = event_count(db_session)
    response = client.post(
        f"/meetings/{meeting.id}/agenda/order", json={"order": [third.id, first.id, second.id]}
    )
    assert response.status_code == 200
    assert event_count(db_session) == before + 1
    event = db_session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert (event.record_type, event.record_id) == ("Meeting", meeting.id)
    [entry] = [e for e in entries(client.get("/admin/audit").text) if "reordered" in e]
    assert entry.startswith("Agenda reordered Meeting Ministerial Sam Secretariat")
    assert "Agenda order: was Opening, Paper, Close now Close, Opening, Paper" in entry
    # The keyboard's way, one place up, is one entry too; so is the same order sent again.
    client.post(f"/meetings/{meeting.id}/agenda/{first.id}/move", data={"direction": "up"})
    assert event_count(db_session) == before + 2
    client.post(
        f"/meetings/{meeting.id}/agenda/order", json={"order": [first.id, third.id, second.id]}
    )
    assert event_count(db_session) == before + 2


def test_the_dashboard_uses_the_same_words(client, make, auth):
    """The dashboard's recent changes say "Agenda reordered" with the meeting's name."""
    meeting = make.meeting(title="Ministerial")
    first, second = make.agenda_item(meeting, title="Opening"), make.agenda_item(meeting)
    auth.login(make.user(role="secretariat"))
    client.post(f"/meetings/{meeting.id}/agenda/order", json={"order": [second.id, first.id]})
    board = client.get("/").text
    changes = board[board.index('id="changes-heading"') :]
    first_row = re.search(r"<tbody>\s*<tr>(.*?)</tr>", changes, re.S).group(1)
    assert "Agenda reordered" in first_row
    assert f'Meeting <a href="/meetings/{meeting.id}">Ministerial</a>' in first_row
    assert "Agenda order" in first_row


def test_sign_ins_and_language_go_to_the_security_page(client, make, auth):
    """Signing in and switching language are listed on the security page, not as changes."""
    admin = make.user(role="secretariat", name="Sam Secretariat")
    auth.login(make.user(role="member", name="Mia Member"))
    client.post("/language", data={"lang": "es"})
    auth.logout()
    auth.login(admin)
    changes = entries(client.get("/admin/audit").text)
    assert not any("Signed in" in e or "Language" in e for e in changes)
    assert not any(e.startswith("Changed User Mia Member") for e in changes)
    page = client.get("/admin/security")
    assert page.status_code == 200
    shown = entries(page.text)
    assert any(e.startswith("Signed in Mia Member") for e in shown)
    assert any(
        e.startswith("Changed language") and "Language: was none now Spanish" in e for e in shown
    )
    assert any(e.startswith("Signed in Sam Secretariat") for e in shown)
    assert 'href="/admin/security"' in client.get("/admin/audit").text
    mia = next(u for u in make.session.scalars(select(User)) if u.name == "Mia Member")
    only_mia = entries(client.get(f"/admin/security?user={mia.id}").text)
    assert only_mia and all("Mia Member" in e for e in only_mia)


def test_the_security_page_is_the_secretariats(client, make, auth):
    """Others are refused; a malformed date is a 400 with a sentence."""
    auth.login(make.user(role="focal_point"))
    assert client.get("/admin/security").status_code == 403
    auth.logout()
    auth.login(make.user(role="secretariat"))
    refused = client.get("/admin/security?from=yesterday")
    assert refused.status_code == 400
    assert "from" in text_of(refused)


def test_the_log_is_paged_fifty_entries_at_a_time(client, make, auth):
    """Sixty changes make two pages; a long new record folds its other fields away."""
    for n in range(60):
        make.government(name=f"Land {n}")
    make.meeting(title="Long one", starts_at=datetime(2030, 1, 1, 9, tzinfo=UTC))
    auth.login(make.user(role="secretariat"))
    page = client.get("/admin/audit").text
    assert len(entries(page)) == 50
    assert re.search(r"Page 1 of 2 \(\d+ in all\)", page)
    assert len(entries(client.get("/admin/audit?page=2").text)) > 0
    meeting = next(e for e in entries(page) if e.startswith("Created Meeting Long one"))
    assert re.search(r"\d+ more fields", meeting)
    assert "Starts: 1 Jan 2030, 09:00" in meeting


def test_dates_and_statuses_in_words(client, make, auth, db_session):
    """A due date and a status read as a person writes them."""
    deliverable = make.deliverable(title="Paper", due_on=date(2030, 6, 30))
    record = db_session.get(Deliverable, deliverable.id)
    record.due_on, record.status = date(2030, 9, 1), "in_progress"
    db_session.commit()
    auth.login(make.user(role="secretariat"))
    entry = next(
        e for e in entries(client.get("/admin/audit?type=Deliverable").text) if "Due:" in e
    )
    assert "Due: was 30 June 2030 now 1 September 2030" in entry
    assert "Status: was Planned now In progress" in entry


def test_every_audited_kind_of_record_has_words():
    """A new audited model is named in the log in words, not by its class name."""
    from workplan.models import ExchangeRate, Instalment
    from workplan.services import audit_words

    assert {ExchangeRate, Instalment} <= set(audit_words.MODELS.values())
    for name in audit_words.MODELS:
        assert name in audit_words.KINDS, name


def test_a_rate_and_a_budget_line_read_in_words(client, make, auth):
    """The money records the secretariat keeps show in the audit log with their labels."""
    auth.login(make.user(role="secretariat"))
    chairmanship = make.chairmanship()
    client.post(
        "/pledges/rates",
        data={"currency": "EUR", "month": "2024-03", "rate": "1.085", "source": "UN"},
    )
    client.post(f"/chairmanships/{chairmanship.id}/budget", data={"name": "Summit", "amount": "1"})
    text = " ".join(entries(client.get("/admin/audit").get_data(as_text=True)))
    assert "Exchange rate" in text and "Month" in text and "1 March 2024" in text
    assert "Budget line" in text and "Summit" in text
