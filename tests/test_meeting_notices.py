"""Focal points are told of each meeting published, rescheduled or cancelled: an e-mail in
their language through a real SMTP server, with an invitation that icalendar parses and khal
imports, updating the same event in place; each change is told once."""

import email
import shutil
import socket
from datetime import UTC, datetime, timedelta
from email import policy

import pytest
from icalendar import Calendar
from sqlalchemy import func, select

from tests.test_calendar_clients import client_env, khal_list, run
from workplan.extensions import db
from workplan.models import Meeting, MeetingNotice, Minutes, User
from workplan.services import meetings, notices, records

aiosmtpd_controller = pytest.importorskip("aiosmtpd.controller")
BEFORE = datetime(2030, 1, 1, tzinfo=UTC)


class Inbox:
    """An SMTP server's handler that keeps every message it is given."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802  (aiosmtpd's name)
        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


@pytest.fixture
def inbox(app):
    """A real SMTP server on loopback that the app sends through."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    handler = Inbox()
    server = aiosmtpd_controller.Controller(handler, hostname="127.0.0.1", port=port)
    server.start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_USE_TLS=False)
    yield handler.messages
    server.stop()


@pytest.fixture
def forum(make):
    """A roundtable co-chaired by one government and joined by another, a team, and focal
    points of those and of a government with nothing to do with either."""
    co_chair, member, team_member, stranger = (make.government() for _ in range(4))
    roundtable = make.roundtable(co_chairs=[co_chair])
    make.roundtable_member(roundtable, member)
    team = make.team(lead=stranger)
    make.team_membership(team, team_member, joined_year=2029)
    focal = {
        "co_chair": make.user("focal_point", government=co_chair, locale="fr", name="Ana"),
        "member": make.user("focal_point", government=member, locale="es"),
        "team_member": make.user("focal_point", government=team_member),
        "gone": make.user("focal_point", government=co_chair, active=False),
        "other": make.user("focal_point", government=make.government()),
    }
    make.user("secretariat")
    meeting = make.meeting(roundtable=roundtable, state="draft", title="Skills partnerships")
    return meeting, team, focal


def _send(app, now=BEFORE) -> list[tuple[str, str]]:
    """Send what is pending, as the command does; each notice sent as (meeting, address)."""
    with app.app_context():
        sent = []
        for notice in notices.send_notices(now):
            db.session.commit()
            sent.append((notice.meeting.title, notice.user.email))
        return sent


def _change(app, meeting_id: int, action, *args) -> None:
    with app.app_context():
        meeting = db.session.get(Meeting, meeting_id)
        action(meeting, *args)
        db.session.commit()


def _invitation(message) -> tuple[Calendar, object]:
    """The invitation as Outlook reads it: the text's alternative; the attached file, for the
    calendars that need it imported by hand, holds the same bytes."""
    [alternatives] = [p for p in message.walk() if p.get_content_type() == "multipart/alternative"]
    kinds = [p.get_content_type() for p in alternatives.iter_parts()]
    assert kinds == ["text/plain", "text/calendar"]
    part = list(alternatives.iter_parts())[1]
    [attached] = list(message.iter_attachments())
    assert attached.get_content_type() == "application/ics"
    assert attached.get_filename().endswith(".ics")
    assert attached.get_payload(decode=True) == part.get_payload(decode=True)
    return Calendar.from_ical(part.get_payload(decode=True)), part


def test_publishing_tells_the_roundtables_focal_points_in_their_language(app, inbox, forum):
    meeting, _, focal = forum
    assert _send(app) == []  # a draft is nobody's business yet
    _change(app, meeting.id, meetings.publish)
    assert len(_send(app)) == 2
    by_address = {m["To"]: m for m in inbox}
    assert set(by_address) == {focal["co_chair"].email, focal["member"].email}

    french = by_address[focal["co_chair"].email]
    assert french["Subject"].startswith("Réunion du GFMD")
    assert "Bonjour Ana," in french.get_body(("plain",)).get_content()
    calendar, part = _invitation(french)
    assert part.get_param("method") == "REQUEST"
    assert calendar["METHOD"] == "REQUEST"
    [event] = calendar.walk("VEVENT")
    assert str(event["UID"]) == f"meeting-{meeting.id}@gfmd-workplan"
    assert event["SEQUENCE"] == 1
    assert str(event["ATTENDEE"]) == f"mailto:{focal['co_chair'].email}"
    assert str(event["ORGANIZER"]).startswith("mailto:")
    assert event.decoded("DTSTART") == meeting.starts_at

    # Sent once: a second run finds every claim.
    assert _send(app) == [] and len(inbox) == 2


def test_rescheduling_and_cancelling_update_the_same_event(app, inbox, forum, tmp_path):
    meeting, _, focal = forum
    _change(app, meeting.id, meetings.publish)
    later = meeting.starts_at + timedelta(days=1)
    _change(
        app, meeting.id, meetings.reschedule, later, later + timedelta(hours=3), meeting.timezone
    )
    _change(app, meeting.id, meetings.cancel)
    # Only the latest change is still to tell: the calendar needs no history.
    _send(app)
    mine = [m for m in inbox if m["To"] == focal["member"].email]
    [cancelled] = mine
    calendar, part = _invitation(cancelled)
    assert part.get_param("method") == "CANCEL" and calendar["METHOD"] == "CANCEL"
    [event] = calendar.walk("VEVENT")
    assert event["SEQUENCE"] == 3 and event["STATUS"] == "CANCELLED"
    assert cancelled["Subject"].startswith("Cancelada")


def test_each_change_reaches_a_calendar_client_and_replaces_the_event(app, inbox, forum, tmp_path):
    """khal imports the invitation, then the rescheduled one in its place."""
    if shutil.which("khal") is None:
        pytest.skip("khal is not installed: apt-get install -y khal (.ci/run does)")
    meeting, _, focal = forum
    folder = tmp_path / "calendar"
    folder.mkdir()
    config = tmp_path / "khal.conf"
    first_day = meeting.starts_at.date() - timedelta(days=2)
    last_day = meeting.starts_at.date() + timedelta(days=5)

    def import_latest():
        message = [m for m in inbox if m["To"] == focal["co_chair"].email][-1]
        _, part = _invitation(message)
        path = tmp_path / "invitation.ics"
        path.write_bytes(part.get_payload(decode=True))
        khal_list(folder, tmp_path, first_day, last_day)  # writes the configuration
        run(["khal", "-c", str(config), "import", "--batch", str(path)], client_env(tmp_path))
        return khal_list(folder, tmp_path, first_day, last_day).stdout

    _change(app, meeting.id, meetings.publish)
    _send(app)
    listed = import_latest()
    assert listed.count("Skills partnerships") == 1
    later = meeting.starts_at + timedelta(days=1)
    _change(
        app, meeting.id, meetings.reschedule, later, later + timedelta(hours=3), meeting.timezone
    )
    _send(app)
    listed = import_latest()
    assert listed.count("Skills partnerships") == 1, listed
    assert later.astimezone(UTC).strftime("%Y-%m-%d") in listed


def test_a_teams_meeting_reaches_members_of_that_year_only(app, inbox, forum, make):
    _, team, focal = forum
    make.meeting(team=team, title="Team meeting")  # 2030: the member joined in 2029
    make.meeting(
        team=team,
        title="Old team meeting",
        starts_at=datetime(2028, 5, 1, 8, tzinfo=UTC),
    )
    sent = _send(app, now=datetime(2027, 1, 1, tzinfo=UTC))
    assert sorted(sent) == [("Team meeting", focal["team_member"].email)]


def test_past_and_archived_meetings_are_not_told(app, inbox, forum):
    meeting, _, _ = forum
    _change(app, meeting.id, meetings.publish)
    assert _send(app, now=meeting.ends_at + timedelta(minutes=1)) == []
    _change(app, meeting.id, records.archive)
    assert _send(app) == [] and inbox == []


def test_a_change_claimed_by_another_sender_is_not_sent_again(app, inbox, forum, db_session):
    meeting, _, focal = forum
    _change(app, meeting.id, meetings.publish)
    db_session.add(
        MeetingNotice(
            meeting_id=meeting.id, sequence=1, user_id=focal["co_chair"].id, method="REQUEST"
        )
    )
    db_session.commit()
    sent = _send(app)
    assert [address for _, address in sent] == [focal["member"].email]
    assert [m["To"] for m in inbox] == [focal["member"].email]
    count = db_session.scalar(select(func.count()).select_from(MeetingNotice))
    assert count == 2


def test_the_command_sends_and_says_how_many(app, runner, inbox, forum, time_machine):
    meeting, _, _ = forum
    _change(app, meeting.id, meetings.publish)
    time_machine.move_to(BEFORE)
    result = runner.invoke(args=["send-meeting-notices"])
    assert result.exit_code == 0, result.output
    assert "Sent 2 meeting notices." in result.output
    assert "Sent 0 meeting notices." in runner.invoke(args=["send-meeting-notices"]).output


class Refusing(Inbox):
    """A server that refuses one address, as a mailbox that no longer exists."""

    def __init__(self, refused: str):
        super().__init__()
        self.refused = refused

    async def handle_RCPT(self, server, session, envelope, address, options):  # noqa: N802
        if address == self.refused:
            return "550 No such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"


def test_an_address_refused_is_tried_again_and_the_others_are_sent(app, forum, caplog):
    meeting, _, focal = forum
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    handler = Refusing(focal["co_chair"].email)
    server = aiosmtpd_controller.Controller(handler, hostname="127.0.0.1", port=port)
    server.start()
    try:
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_USE_TLS=False)
        _change(app, meeting.id, meetings.publish)
        assert [address for _, address in _send(app)] == [focal["member"].email]
        assert "not sent" in caplog.text
        # Unclaimed: the next run tries the refused address again.
        handler.refused = None
        assert [address for _, address in _send(app)] == [focal["co_chair"].email]
    finally:
        server.stop()


def test_publishing_on_the_page_tells_the_focal_points_once_answered(
    app, client, auth, inbox, forum, time_machine, db_session
):
    """The secretariat's click sends the notices once its answer has gone (here, when the
    test closes the response), not on the next run of the command; a refused click sends
    nothing."""
    meeting, _, focal = forum
    time_machine.move_to(BEFORE)
    auth.login(db_session.scalars(select(User).where(User.role == "secretariat")).first())
    response = client.post(f"/meetings/{meeting.id}/publish")
    assert response.status_code == 302
    assert inbox == []  # the answer first
    response.close()
    assert sorted(m["To"] for m in inbox) == sorted(
        [focal["co_chair"].email, focal["member"].email]
    )
    _calendar, part = _invitation(inbox[0])
    assert part.get_param("method") == "REQUEST"
    assert _send(app) == []  # claimed: the command has nothing left

    again = client.post(f"/meetings/{meeting.id}/publish")
    assert again.status_code == 400  # already published
    again.close()
    assert len(inbox) == 2

    cancelled = client.post(f"/meetings/{meeting.id}/cancel")
    cancelled.close()
    methods = {_invitation(m)[1].get_param("method") for m in inbox[2:]}
    assert methods == {"CANCEL"} and len(inbox) == 4


def test_circulated_minutes_are_announced_to_the_delegations_concerned(
    app, client, auth, inbox, forum, db_session
):
    meeting, _, focal = forum
    _change(app, meeting.id, meetings.publish)
    auth.login(db_session.scalars(select(User).where(User.role == "secretariat")).first())
    client.post(
        f"/meetings/{meeting.id}/minutes", data={"text": "Opened.", "version": "", "reason": ""}
    ).close()
    assert inbox == []  # saving a draft tells nobody
    version = db_session.scalars(select(Minutes)).one().version
    circulated = client.post(f"/meetings/{meeting.id}/minutes/circulate", data={"version": version})
    assert circulated.status_code == 302
    circulated.close()
    by_address = {m["To"]: m for m in inbox}
    assert set(by_address) == {focal["co_chair"].email, focal["member"].email}
    french = by_address[focal["co_chair"].email]
    assert french["Subject"].startswith("Procès-verbal à commenter")
    assert french["Subject"].endswith(": Skills partnerships")
    assert f"/meetings/{meeting.id}/record#minutes" in french.get_content()

    again = client.post(f"/meetings/{meeting.id}/minutes/circulate", data={"version": version})
    assert again.status_code == 409
    again.close()
    assert len(inbox) == 2  # a refused step announces nothing


def test_a_meeting_of_the_whole_forum_concerns_every_delegation(make, forum, app):
    _, _, focal = forum
    summit = make.meeting(kind="summit", title="Summit")
    with app.app_context():
        told = notices.delegations_of(db.session.get(Meeting, summit.id))
        assert {u.email for u in told} == {
            focal[k].email for k in ("co_chair", "member", "team_member", "other")
        }
