"""A meeting's programme over several days: the timetable everyone may read, and the
secretariat's screens to add, change and remove its sessions and to send them to calendars."""

from flask import abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from workplan import editing, permissions
from workplan.extensions import db
from workplan.meetings.forms import SessionForm
from workplan.meetings.views import (
    _changeable,
    _drafted_meeting,
    _signed_in,
    _visible_meeting,
    bp,
)
from workplan.models import Meeting, MeetingSession
from workplan.services import programme


def _programme_url(meeting: Meeting) -> str:
    return url_for("meetings.programme_page", meeting_id=meeting.id)


def _page(meeting: Meeting, *, form=None, refusal: str | None = None, status: int = 200):
    """The timetable, with the form to add a session for those who may change it."""
    editable = permissions.can_draft_meeting(current_user, meeting)
    if editable and form is None:
        form = SessionForm(formdata=None, day=meeting.local_starts_at.date())
    return (
        render_template(
            "meetings/programme.html",
            meeting=meeting,
            days=programme.timetable(meeting),
            starts={item.id: start for item, start in meeting.agenda_schedule()},
            editable=editable,
            form=form,
            refusal=refusal,
        ),
        status,
    )


@bp.get("/<int:meeting_id>/programme")
def programme_page(meeting_id: int):
    """A meeting's programme by day: plenaries, parallel sessions side by side, breaks."""
    return _page(_visible_meeting(meeting_id))


@bp.post("/<int:meeting_id>/programme")
def session_add(meeting_id: int):
    """Put a session on the programme."""
    meeting = _drafted_meeting(meeting_id)
    form = SessionForm()
    return editing.save(
        form,
        lambda: programme.add_session(meeting, form.details()),
        page=lambda form_, status, newer=None: _page(meeting, form=form_, status=status),
        done=lambda s: _("“%(title)s” is on the programme.", title=s.title),
        then=lambda s: _programme_url(meeting),
    )


def _session(meeting_id: int, meeting_session_id: int) -> MeetingSession:
    """A session of a meeting that is not archived and that the user may change; anything
    else is a 404, or a 403 for a meeting that is not theirs to change."""
    _signed_in()
    session = db.session.get(MeetingSession, meeting_session_id)
    if session is None or session.meeting_id != meeting_id or session.meeting.is_archived:
        abort(404)
    _changeable(session.meeting)
    return session


@bp.route("/<int:meeting_id>/programme/<int:meeting_session_id>/edit", methods=["GET", "POST"])
def session_edit(meeting_id: int, meeting_session_id: int):
    """Change a session; a stale copy is refused, never merged."""
    session = _session(meeting_id, meeting_session_id)
    form = SessionForm.for_record(session)

    return editing.save_edit(
        form,
        session,
        programme.update_session,
        page=editing.form_page("meetings/session_form.html", meeting=session.meeting),
        done=lambda s: _("“%(title)s” is saved.", title=s.title),
        then=lambda s: _programme_url(s.meeting),
    )


@bp.post("/<int:meeting_id>/programme/<int:meeting_session_id>/remove")
def session_remove(meeting_id: int, meeting_session_id: int):
    """Take a session off the programme."""
    session = _session(meeting_id, meeting_session_id)
    meeting = session.meeting
    return editing.commit_or_refuse(
        lambda: programme.remove_session(session),
        refused=lambda message: _page(meeting, refusal=message, status=409),
        done=_("“%(title)s” is taken off the programme.", title=session.title),
        then=_programme_url(meeting),
    )


@bp.post("/<int:meeting_id>/programme/calendar")
def sessions_in_feed(meeting_id: int):
    """Send calendars one event per session, or one for the whole meeting again."""
    meeting = _drafted_meeting(meeting_id)
    on = request.form.get("sessions") == "1"
    return editing.commit_or_refuse(
        lambda: programme.set_sessions_in_feed(meeting, on),
        refused=lambda message: _page(meeting, refusal=message, status=409),
        done=(
            _("Calendars now get one event per session.")
            if on
            else _("Calendars now get one event for the whole meeting.")
        ),
        then=_programme_url(meeting),
    )
