"""A meeting's record: minutes from draft to circulated to approved and locked, every version
kept, amendments that say why; decisions and action items, an action item growing into a
deliverable that shows where it came from."""

from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from workplan.models import Deliverable, MeetingOutcome, Minutes, MinutesComment, MinutesRevision


@pytest.fixture
def forum(make):
    government = make.government(name="Ghana")
    roundtable = make.roundtable(co_chairs=[government])
    meeting = make.meeting(roundtable=roundtable, chairmanship=roundtable.chairmanship)
    item = make.agenda_item(meeting, title="Skills partnerships")
    return {
        "government": government,
        "roundtable": roundtable,
        "meeting": meeting,
        "item": item,
        "secretariat": make.user("secretariat"),
        "focal": make.user("focal_point", government=government),
        "member": make.user("member"),
    }


def _client(app, user):
    client = app.test_client()
    response = client.post(
        "/auth/login", data={"email": user.email, "password": "correct horse battery"}
    )
    assert response.status_code == 302
    return client


def _count(db_session, model) -> int:
    db_session.expire_all()
    return db_session.scalar(select(func.count()).select_from(model))


def _minutes(db_session) -> Minutes:
    db_session.expire_all()
    return db_session.scalars(select(Minutes)).one()


def test_minutes_go_from_draft_to_circulated_to_approved(app, forum, db_session):
    meeting = forum["meeting"]
    url = f"/meetings/{meeting.id}"
    secretariat = _client(app, forum["secretariat"])
    focal, member = _client(app, forum["focal"]), _client(app, forum["member"])

    # The first text is sent as the page's form sends it: with an empty version.
    first = {"text": "The chair opened.", "version": "", "reason": ""}
    assert secretariat.post(f"{url}/minutes", data=first).status_code == 302
    assert _minutes(db_session).state == "draft"
    assert "The chair opened." not in focal.get(f"{url}/record").get_data(as_text=True)

    version = _minutes(db_session).version
    changed = secretariat.post(
        f"{url}/minutes", data={"text": "The chair opened at 10:00.", "version": version}
    )
    assert changed.status_code == 302
    version = _minutes(db_session).version
    assert (
        secretariat.post(f"{url}/minutes/circulate", data={"version": version}).status_code == 302
    )
    assert "opened at 10:00" in focal.get(f"{url}/record").get_data(as_text=True)
    assert "opened at 10:00" not in member.get(f"{url}/record").get_data(as_text=True)
    version = _minutes(db_session).version
    again = secretariat.post(f"{url}/minutes/circulate", data={"version": version})
    assert again.status_code == 409
    # Approval names the text read: one changed since is not approved unread.
    stale = secretariat.post(f"{url}/minutes/approve", data={"version": version - 1})
    assert stale.status_code == 409 and _minutes(db_session).state == "circulated"
    assert secretariat.post(f"{url}/minutes/approve", data={"version": version}).status_code == 302
    assert "opened at 10:00" in member.get(f"{url}/record").get_data(as_text=True)

    # Locked: a change without a reason is refused, one with a reason is an amendment.
    version = _minutes(db_session).version
    refused = secretariat.post(
        f"{url}/minutes", data={"text": "The chair opened at 10:15.", "version": version}
    )
    assert refused.status_code == 400
    assert "say why they are amended" in refused.get_data(as_text=True)
    amended = secretariat.post(
        f"{url}/minutes",
        data={
            "text": "The chair opened at 10:15.",
            "version": version,
            "reason": "The opening time was wrong.",
        },
    )
    assert amended.status_code == 302
    revisions = db_session.scalars(select(MinutesRevision).order_by(MinutesRevision.number)).all()
    assert [(r.number, r.state, r.reason) for r in revisions] == [
        (1, "draft", None),
        (2, "draft", None),
        (3, "approved", "The opening time was wrong."),
    ]
    page = member.get(f"{url}/record").get_data(as_text=True)
    assert "opened at 10:15" in page and "The opening time was wrong." in page


def test_the_database_refuses_an_amendment_without_a_reason(app, forum, db_session):
    minutes = Minutes(meeting_id=forum["meeting"].id, text="x", state="approved")
    db_session.add(minutes)
    db_session.flush()
    db_session.add(MinutesRevision(minutes_id=minutes.id, number=1, state="approved", text="x"))
    with pytest.raises(IntegrityError):
        db_session.flush()
    db_session.rollback()


def test_a_stale_edit_of_the_minutes_is_refused(app, forum, db_session):
    meeting = forum["meeting"]
    secretariat = _client(app, forum["secretariat"])
    secretariat.post(f"/meetings/{meeting.id}/minutes", data={"text": "First."})
    version = _minutes(db_session).version
    mine = {"text": "Mine.", "version": version}
    assert secretariat.post(f"/meetings/{meeting.id}/minutes", data=mine).status_code == 302
    theirs = {"text": "Theirs.", "version": version}
    stale = secretariat.post(f"/meetings/{meeting.id}/minutes", data=theirs)
    assert stale.status_code == 409
    assert _minutes(db_session).text == "Mine."
    assert _count(db_session, MinutesRevision) == 2


def test_approval_waits_for_circulation_and_drafts_keep_no_minutes(app, forum, make, db_session):
    meeting = forum["meeting"]
    secretariat = _client(app, forum["secretariat"])
    secretariat.post(f"/meetings/{meeting.id}/minutes", data={"text": "Notes."})
    version = _minutes(db_session).version
    approve = secretariat.post(f"/meetings/{meeting.id}/minutes/approve", data={"version": version})
    assert approve.status_code == 409
    draft = make.meeting(state="draft")
    refused = secretariat.post(f"/meetings/{draft.id}/minutes", data={"text": "Too soon."})
    assert refused.status_code == 400
    assert "Publish the meeting" in refused.get_data(as_text=True)
    assert _count(db_session, Minutes) == 1


def test_only_the_secretariat_keeps_the_record(app, client, forum, db_session):
    meeting = forum["meeting"]
    anonymous = client.get(f"/meetings/{meeting.id}/record")
    assert anonymous.status_code == 302 and "/auth/login" in anonymous.headers["Location"]
    focal = _client(app, forum["focal"])
    assert focal.get(f"/meetings/{meeting.id}/record").status_code == 200
    assert focal.post(f"/meetings/{meeting.id}/minutes", data={"text": "x"}).status_code == 403
    outcome = {"kind": "decision", "statement": "x"}
    assert focal.post(f"/meetings/{meeting.id}/outcomes", data=outcome).status_code == 403
    assert _count(db_session, Minutes) == _count(db_session, MeetingOutcome) == 0


def test_an_action_item_becomes_a_deliverable_that_shows_where_it_came_from(app, forum, db_session):
    meeting, item, government = forum["meeting"], forum["item"], forum["government"]
    secretariat = _client(app, forum["secretariat"])
    url = f"/meetings/{meeting.id}/outcomes"
    decision = {"kind": "decision", "agenda_item": str(item.id), "statement": "Adopt the note."}
    assert secretariat.post(url, data=decision).status_code == 302
    action = {
        "kind": "action",
        "agenda_item": str(item.id),
        "statement": "Draft a guide to skills partnerships",
        "due_on": "2031-03-31",
        "government": str(government.id),
    }
    assert secretariat.post(url, data=action).status_code == 302
    outcome = db_session.scalars(
        select(MeetingOutcome).where(MeetingOutcome.kind == "action")
    ).one()

    made = secretariat.post(f"{url}/{outcome.id}/deliverable")
    assert made.status_code == 302
    db_session.expire_all()
    deliverable = db_session.scalars(select(Deliverable)).one()
    assert deliverable.title == "Draft a guide to skills partnerships"
    assert (deliverable.roundtable_id, deliverable.due_on) == (
        forum["roundtable"].id,
        date(2031, 3, 31),
    )
    assert [g.id for g in deliverable.responsible_governments] == [government.id]
    assert db_session.get(MeetingOutcome, outcome.id).deliverable_id == deliverable.id

    page = secretariat.get(f"/deliverables/{deliverable.id}").get_data(as_text=True)
    assert "Agreed at" in page and f"/meetings/{meeting.id}/record#outcome-{outcome.id}" in page
    record = secretariat.get(f"/meetings/{meeting.id}/record").get_data(as_text=True)
    assert "Adopt the note." in record and f"/deliverables/{deliverable.id}" in record

    again = secretariat.post(f"{url}/{outcome.id}/deliverable")
    assert again.status_code == 409 and _count(db_session, Deliverable) == 1
    removed = secretariat.post(f"{url}/{outcome.id}/remove")
    assert removed.status_code == 409 and _count(db_session, MeetingOutcome) == 2


def test_an_action_needs_a_due_date_and_a_government_to_become_a_deliverable(
    app, forum, db_session
):
    meeting = forum["meeting"]
    secretariat = _client(app, forum["secretariat"])
    url = f"/meetings/{meeting.id}/outcomes"
    secretariat.post(url, data={"kind": "action", "statement": "Follow up"})
    outcome = db_session.scalars(select(MeetingOutcome)).one()
    refused = secretariat.post(f"{url}/{outcome.id}/deliverable")
    assert refused.status_code == 409
    assert "due date and a responsible government" in refused.get_data(as_text=True)
    assert _count(db_session, Deliverable) == 0


def test_an_action_can_be_linked_to_an_existing_deliverable(app, forum, make, db_session):
    meeting = forum["meeting"]
    existing = make.deliverable(
        responsible=[forum["government"]],
        owner=forum["roundtable"],
        chairmanship=meeting.chairmanship,
    )
    secretariat = _client(app, forum["secretariat"])
    url = f"/meetings/{meeting.id}/outcomes"
    secretariat.post(url, data={"kind": "action", "statement": "Keep going"})
    outcome = db_session.scalars(select(MeetingOutcome)).one()
    elsewhere = make.deliverable(responsible=[forum["government"]])  # another chairmanship's
    foreign = secretariat.post(f"{url}/{outcome.id}/link", data={"deliverable": str(elsewhere.id)})
    assert foreign.status_code == 409
    linked = secretariat.post(f"{url}/{outcome.id}/link", data={"deliverable": str(existing.id)})
    assert linked.status_code == 302
    db_session.expire_all()
    assert db_session.get(MeetingOutcome, outcome.id).deliverable_id == existing.id
    assert (
        secretariat.post(f"{url}/{outcome.id}/link", data={"deliverable": "0"}).status_code == 409
    )


def test_a_decision_has_no_due_date_and_a_stranger_item_is_refused(app, forum, make, db_session):
    meeting = forum["meeting"]
    secretariat = _client(app, forum["secretariat"])
    url = f"/meetings/{meeting.id}/outcomes"
    dated = secretariat.post(
        url, data={"kind": "decision", "statement": "x", "due_on": "2031-01-01"}
    )
    assert dated.status_code == 400
    other_item = make.agenda_item(make.meeting())
    foreign = secretariat.post(
        url, data={"kind": "decision", "statement": "x", "agenda_item": str(other_item.id)}
    )
    assert foreign.status_code == 400
    assert "Choose one of this meeting&#39;s agenda items." in foreign.get_data(as_text=True)
    assert _count(db_session, MeetingOutcome) == 0


def _circulated(app, forum, db_session, text="The chair opened."):
    url = f"/meetings/{forum['meeting'].id}"
    secretariat = _client(app, forum["secretariat"])
    secretariat.post(f"{url}/minutes", data={"text": text, "version": "", "reason": ""})
    version = _minutes(db_session).version
    assert (
        secretariat.post(f"{url}/minutes/circulate", data={"version": version}).status_code == 302
    )
    return url, secretariat


def test_delegations_comment_on_circulated_minutes_for_the_secretariat(
    app, forum, make, db_session
):
    """A focal point comments for their government on the version read; the secretariat reads
    every comment, each delegation only its own, and members none; once approved, the
    minutes take no more comments."""
    url, secretariat = _circulated(app, forum, db_session)
    ghana = _client(app, forum["focal"])
    page = ghana.get(f"{url}/record").get_data(as_text=True)
    assert 'name="revision" type="hidden" value="1"' in page
    sent = ghana.post(
        f"{url}/minutes/comments", data={"comment": "Ghana asks to add its offer.", "revision": 1}
    )
    assert sent.status_code == 302
    other = make.user("focal_point", government=make.government(name="Chile"))
    chile = _client(app, other)
    assert (
        chile.post(
            f"{url}/minutes/comments", data={"comment": "Chile agrees.", "revision": "1"}
        ).status_code
        == 302
    )

    [first, second] = db_session.scalars(select(MinutesComment).order_by(MinutesComment.id)).all()
    assert (first.revision_number, first.government_id) == (1, forum["government"].id)
    assert first.author_id == forum["focal"].id and second.government_id == other.government_id

    kept = secretariat.get(f"{url}/record").get_data(as_text=True)
    assert "Ghana asks to add its offer." in kept and "Chile agrees." in kept
    own = ghana.get(f"{url}/record").get_data(as_text=True)
    assert "Ghana asks to add its offer." in own and "Chile agrees." not in own
    member = _client(app, forum["member"])
    assert (
        member.post(
            f"{url}/minutes/comments", data={"comment": "Me too.", "revision": "1"}
        ).status_code
        == 404
    )  # a member cannot read circulated minutes at all

    version = _minutes(db_session).version
    assert secretariat.post(f"{url}/minutes/approve", data={"version": version}).status_code == 302
    late = ghana.post(f"{url}/minutes/comments", data={"comment": "One more.", "revision": "1"})
    assert late.status_code == 400
    assert "not open for comment" in late.get_data(as_text=True)
    assert _count(db_session, MinutesComment) == 2
    # The comments stay on the record after approval.
    assert "Ghana asks to add its offer." in secretariat.get(f"{url}/record").get_data(as_text=True)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"comment": "", "revision": "1"}, "Write your comment."),
        ({"comment": "   ", "revision": "1"}, "Write your comment."),
        ({"comment": "x" * 5001, "revision": "1"}, "5000"),
        ({"comment": "Fine.", "revision": "7"}, "lost the version you read"),
        ({"comment": "Fine.", "revision": "one"}, "lost the version you read"),
    ],
)
def test_a_bad_comment_is_refused_with_a_sentence(app, forum, db_session, data, message):
    url, _secretariat = _circulated(app, forum, db_session)
    response = _client(app, forum["focal"]).post(f"{url}/minutes/comments", data=data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert _count(db_session, MinutesComment) == 0


def test_the_secretariat_does_not_comment_on_its_own_minutes(app, forum, db_session):
    url, secretariat = _circulated(app, forum, db_session)
    refused = secretariat.post(f"{url}/minutes/comments", data={"comment": "x", "revision": "1"})
    assert refused.status_code == 403
    assert _count(db_session, MinutesComment) == 0
