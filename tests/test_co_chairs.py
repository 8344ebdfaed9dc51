"""Co-chairs' rights: the focal points of a roundtable's co-chair governments keep its
description, draft its meetings and agendas, and manage its deliverables; nothing more.
Publishing stays with the secretariat unless it hands it to them, roundtable by roundtable."""

from datetime import date

import pytest
from sqlalchemy import func, select

from workplan import permissions
from workplan.models import AgendaItem, AuditEvent, Deliverable, Meeting


@pytest.fixture
def forum(make):
    """RT 1.1 co-chaired by Morocco and Germany, RT 1.2 by Ecuador, a team, and their people."""
    morocco, germany = make.government("MAR", "Morocco"), make.government("DEU", "Germany")
    ecuador = make.government("ECU", "Ecuador")
    chairmanship = make.chairmanship(
        "GFMD 2030", starts_on=date(2030, 1, 1), ends_on=date(2030, 12, 31)
    )
    ours = make.roundtable(chairmanship, number="1.1", co_chairs=[morocco, germany])
    theirs = make.roundtable(chairmanship, number="1.2", co_chairs=[ecuador])
    team = make.team(lead=morocco)
    return type(
        "Forum",
        (),
        {
            "morocco": morocco,
            "chairmanship": chairmanship,
            "ours": ours,
            "theirs": theirs,
            "team": team,
            "co_chair": make.user("focal_point", government=morocco),
            "other_focal": make.user("focal_point", government=ecuador),
            "member": make.user("member"),
            "secretariat": make.user("secretariat"),
        },
    )


def count(make, model, *where) -> int:
    make.session.expire_all()
    return make.session.scalar(select(func.count()).select_from(model).where(*where))


def meeting_form(forum, owner, **changes) -> dict:
    data = {
        "kind": "roundtable_session",
        "title": "RT 1.1 first session",
        "chairmanship": str(forum.chairmanship.id),
        "roundtable": str(owner.id),
        "team": "",
        "starts_at": "2030-10-21T10:00",
        "ends_at": "2030-10-21T13:00",
        "timezone": "Europe/Rome",
        "city": "Rome",
    }
    return data | changes


def deliverable_form(forum, owner: str, **changes) -> dict:
    data = {
        "title": "Background paper on diaspora bonds",
        "chairmanship": str(forum.chairmanship.id),
        "owner": owner,
        "responsible_governments": [str(forum.morocco.id)],
        "due_on": "2030-09-01",
    }
    return data | changes


def test_who_holds_the_co_chairs_rights(app, make, forum):
    """Only the focal points of a live roundtable's co-chair governments hold them."""
    with app.app_context():
        assert permissions.co_chairs(forum.co_chair, forum.ours)
        assert not permissions.co_chairs(forum.co_chair, forum.theirs)
        for someone in (forum.other_focal, forum.member, forum.secretariat):
            assert not permissions.co_chairs(someone, forum.ours)
        assert permissions.co_chaired_roundtables(forum.co_chair) == [forum.ours]
        assert permissions.can_draft_meetings(forum.co_chair)
        assert not permissions.can_draft_meetings(forum.member)
        forum.ours.chairmanship.archived_at = forum.ours.created_at
        assert not permissions.co_chairs(forum.co_chair, forum.ours)
        assert not permissions.can_create_deliverables(forum.co_chair)


def test_co_chairs_keep_the_description_and_nothing_else_of_the_roundtable(
    client, auth, make, forum
):
    auth.login(forum.co_chair)
    page = client.get(f"/roundtables/{forum.ours.id}")
    assert "Your government co-chairs this roundtable" in page.text
    assert f"/roundtables/{forum.ours.id}/edit" not in page.text
    form = client.get(f"/roundtables/{forum.ours.id}/description")
    assert form.status_code == 200
    saved = client.post(
        f"/roundtables/{forum.ours.id}/description",
        data={"description": "Diaspora bonds\nand remittances.", "version": "1"},
    )
    assert saved.status_code == 302
    make.session.refresh(forum.ours)
    assert forum.ours.description == "Diaspora bonds\nand remittances."
    assert forum.ours.version == 2
    assert "Diaspora bonds<br>and remittances." in client.get(f"/roundtables/{forum.ours.id}").text
    # From the copy opened before that save: refused, the newer text shown.
    stale = client.post(
        f"/roundtables/{forum.ours.id}/description",
        data={"description": "Something else", "version": "1"},
    )
    assert stale.status_code == 409 and "Diaspora bonds" in stale.text
    # The rest of the roundtable, and other roundtables, stay the secretariat's.
    assert client.get(f"/roundtables/{forum.ours.id}/edit").status_code == 403
    assert client.get(f"/roundtables/{forum.theirs.id}/description").status_code == 403
    assert client.post(f"/roundtables/{forum.ours.id}/archive").status_code == 403
    make.session.refresh(forum.ours)
    assert forum.ours.description == "Diaspora bonds\nand remittances."


def test_others_cannot_touch_the_description(client, auth, make, forum):
    for someone in (forum.other_focal, forum.member):
        auth.login(someone)
        refused = client.post(
            f"/roundtables/{forum.ours.id}/description",
            data={"description": "Taken over", "version": "1"},
        )
        assert refused.status_code == 403
        auth.logout()
    make.session.refresh(forum.ours)
    assert forum.ours.description is None


def test_co_chairs_file_deliverables_under_their_roundtable_only(client, auth, make, forum):
    auth.login(forum.co_chair)
    form = client.get(f"/deliverables/new?roundtable={forum.ours.id}")
    assert form.status_code == 200
    assert f'selected value="roundtable:{forum.ours.id}"' in form.text
    assert f"roundtable:{forum.theirs.id}" not in form.text
    assert f"team:{forum.team.id}" not in form.text
    for owner in (f"roundtable:{forum.theirs.id}", f"team:{forum.team.id}"):
        refused = client.post("/deliverables/new", data=deliverable_form(forum, owner))
        assert refused.status_code == 400
    assert count(make, Deliverable) == 0
    made = client.post(
        "/deliverables/new", data=deliverable_form(forum, f"roundtable:{forum.ours.id}")
    )
    assert made.status_code == 302
    deliverable = make.session.scalars(select(Deliverable)).one()
    assert deliverable.roundtable_id == forum.ours.id
    edited = client.post(
        f"/deliverables/{deliverable.id}/edit",
        data=deliverable_form(
            forum, f"roundtable:{forum.ours.id}", title="Paper, second draft", version="1"
        ),
    )
    assert edited.status_code == 302
    make.session.refresh(deliverable)
    assert deliverable.title == "Paper, second draft"
    # Archiving stays with the secretariat, which alone sees what is archived to restore it.
    assert client.post(f"/deliverables/{deliverable.id}/archive").status_code == 403
    make.session.refresh(deliverable)
    assert deliverable.archived_at is None


def test_co_chairs_cannot_manage_other_deliverables(client, auth, make, forum):
    team_work = make.deliverable(responsible=[forum.morocco], owner=forum.team)
    their_work = make.deliverable(responsible=[forum.morocco], owner=forum.theirs)
    auth.login(forum.co_chair)
    for deliverable in (team_work, their_work):
        assert client.get(f"/deliverables/{deliverable.id}/edit").status_code == 403
        assert client.post(f"/deliverables/{deliverable.id}/archive").status_code == 403
        page = client.get(f"/deliverables/{deliverable.id}")
        assert f"/deliverables/{deliverable.id}/edit" not in page.text
    assert count(make, Deliverable, Deliverable.archived_at.is_not(None)) == 0
    auth.logout()
    auth.login(forum.other_focal)
    assert client.get("/deliverables/new").status_code == 200  # Ecuador co-chairs RT 1.2
    auth.logout()
    auth.login(forum.member)
    assert client.get("/deliverables/new").status_code == 403


def test_co_chairs_draft_a_meeting_and_its_agenda_and_the_secretariat_publishes(
    client, auth, make, forum
):
    auth.login(forum.co_chair)
    form = client.get(f"/meetings/new?roundtable={forum.ours.id}")
    assert form.status_code == 200
    assert f'<option selected value="{forum.ours.id}">' in form.text
    assert f'value="{forum.theirs.id}"' not in form.text
    made = client.post("/meetings/new", data=meeting_form(forum, forum.ours))
    assert made.status_code == 302
    meeting = make.session.scalars(select(Meeting)).one()
    assert meeting.state == "draft" and meeting.roundtable_id == forum.ours.id
    assert "the secretariat publishes it" in client.get(made.location).text
    # The draft is on their roundtable's page and its own, with the agenda editor.
    assert "RT 1.1 first session" in client.get(f"/roundtables/{forum.ours.id}").text
    page = client.get(f"/meetings/{meeting.id}")
    assert page.status_code == 200
    assert "the roundtable's co-chairs can see this meeting" in page.text
    assert f"/meetings/{meeting.id}/publish" not in page.text
    added = client.post(
        f"/meetings/{meeting.id}/agenda",
        data={"title": "Opening", "duration_minutes": "30"},
    )
    assert added.status_code == 302, added.text
    assert count(make, AgendaItem, AgendaItem.meeting_id == meeting.id) == 1
    # Publishing, cancelling, rescheduling and archiving are the secretariat's.
    assert client.post(f"/meetings/{meeting.id}/publish").status_code == 403
    assert client.post(f"/meetings/{meeting.id}/archive").status_code == 403
    assert client.get(f"/meetings/{meeting.id}/reschedule").status_code == 403
    make.session.refresh(meeting)
    assert meeting.state == "draft"
    auth.logout()
    # Another government's focal point does not learn the draft exists.
    auth.login(forum.other_focal)
    assert client.get(f"/meetings/{meeting.id}").status_code == 404
    assert client.post(f"/meetings/{meeting.id}/agenda", data={}).status_code == 404
    auth.logout()
    auth.login(forum.secretariat)
    assert client.post(f"/meetings/{meeting.id}/publish").status_code == 302
    auth.logout()
    # Published, it is no longer the co-chairs' to change.
    auth.login(forum.co_chair)
    assert client.get(f"/meetings/{meeting.id}/edit").status_code == 403
    refused = client.post(f"/meetings/{meeting.id}/agenda", data={"title": "Late item"})
    assert refused.status_code == 403
    assert count(make, AgendaItem, AgendaItem.meeting_id == meeting.id) == 1


def test_co_chairs_draft_only_their_roundtables_meetings(client, auth, make, forum):
    auth.login(forum.co_chair)
    for data in (
        meeting_form(forum, forum.theirs),
        meeting_form(forum, forum.ours, roundtable=""),
        meeting_form(forum, forum.ours, team=str(forum.team.id)),
    ):
        assert client.post("/meetings/new", data=data).status_code == 400
    assert count(make, Meeting) == 0
    steering = make.meeting(chairmanship=forum.chairmanship, state="draft")
    item = make.agenda_item(steering)
    # Another draft is not found at all, whatever the address: its existence is not given away.
    for url in (
        f"/meetings/{steering.id}",
        f"/meetings/{steering.id}/edit",
        f"/meetings/{steering.id}/agenda/{item.id}/edit",
        f"/meetings/{steering.id}/programme/calendar",
        f"/meetings/{steering.id}/publish",
    ):
        method = client.post if url.endswith(("calendar", "publish")) else client.get
        assert method(url).status_code == 404, url
    auth.logout()
    auth.login(forum.member)
    assert client.get("/meetings/new").status_code == 403


def test_the_secretariat_hands_publishing_to_the_co_chairs(client, auth, make, forum):
    draft = make.meeting(chairmanship=forum.chairmanship, roundtable=forum.ours, state="draft")
    auth.login(forum.secretariat)
    form = client.get(f"/roundtables/{forum.ours.id}/edit")
    assert "The co-chairs publish this roundtable&#39;s meetings" in form.text
    forum.ours.co_chairs_publish = True
    make.session.commit()
    auth.logout()
    auth.login(forum.co_chair)
    page = client.get(f"/meetings/{draft.id}")
    assert f"/meetings/{draft.id}/publish" in page.text
    assert client.post(f"/meetings/{draft.id}/publish").status_code == 302
    make.session.refresh(draft)
    assert draft.state == "published"
    # Once published it stays theirs to keep up to date, but not to cancel.
    assert client.get(f"/meetings/{draft.id}/edit").status_code == 200
    assert client.post(f"/meetings/{draft.id}/cancel").status_code == 403
    # The audit log says who published it.
    change = make.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.record_type == "Meeting", AuditEvent.record_id == draft.id)
        .order_by(AuditEvent.id.desc())
    ).first()
    assert change.user_id == forum.co_chair.id


def test_the_roundtable_form_saves_the_hand_over(client, auth, make, forum):
    auth.login(forum.secretariat)
    data = {
        "chairmanship": str(forum.chairmanship.id),
        "number": "1.1",
        "title": forum.ours.title,
        "co_chairs": ["gov:MAR"],
        "co_chairs_publish": "y",
        "version": "1",
    }
    assert client.post(f"/roundtables/{forum.ours.id}/edit", data=data).status_code == 302
    make.session.refresh(forum.ours)
    assert forum.ours.co_chairs_publish is True
    log = client.get("/admin/audit").text
    assert "Co-chairs publish its meetings" in log and "co_chairs_publish" not in log


@pytest.mark.parametrize(
    ("kind", "english", "french"),
    [
        ("thematic", "Thematic meeting", "Réunion thématique"),
        ("pledging", "Pledging meeting", "Réunion d’annonces de contributions"),
        ("platform_for_partnerships", "Platform for Partnerships session", None),
        ("common_space", "Common Space", "Espace commun"),
    ],
)
def test_the_forums_other_kinds_of_meeting(client, auth, make, forum, kind, english, french):
    """Meetings the forum really holds are filed under their own kind, in every language."""
    auth.login(forum.secretariat)
    data = meeting_form(forum, forum.ours, kind=kind, title="GFMD meeting", roundtable="")
    assert client.post("/meetings/new", data=data).status_code == 302
    meeting = make.session.scalars(select(Meeting)).one()
    assert meeting.kind == kind
    assert english in client.get(f"/meetings/{meeting.id}").text
    if french:
        client.post("/language", data={"lang": "fr"})
        assert french in client.get(f"/meetings/{meeting.id}").text.replace("&#39;", "’")


def test_a_co_chair_edit_keeps_the_meetings_team(client, auth, make, forum):
    """The team field is the secretariat's: a co-chair's save leaves it as it was."""
    draft = make.meeting(
        chairmanship=forum.chairmanship, roundtable=forum.ours, team=forum.team, state="draft"
    )
    auth.login(forum.co_chair)
    saved = client.post(
        f"/meetings/{draft.id}/edit",
        data=meeting_form(forum, forum.ours, title="Joint session", version=str(draft.version)),
    )
    assert saved.status_code == 302, saved.text
    make.session.refresh(draft)
    assert draft.title == "Joint session" and draft.team_id == forum.team.id
