"""A meeting's record: its minutes from draft to approval, every version, and the decisions and
action items taken under each agenda item, an action item becoming a deliverable."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from workplan import editing, permissions, web
from workplan.extensions import db
from workplan.minutes.forms import CommentForm, LinkForm, MinutesForm, OutcomeForm
from workplan.models import Meeting, MeetingOutcome
from workplan.numbers import whole_number
from workplan.services import minutes as record
from workplan.services import notices

bp = Blueprint("minutes", __name__, url_prefix="/meetings")
keeps = web.require(permissions.can_keep_minutes)


def _meeting(meeting_id: int) -> Meeting:
    """A meeting whose record the viewer may open: signed in, and the meeting visible."""
    web.authorize(permissions.can_read_private)
    meeting = web.get_or_404(Meeting, meeting_id, include_archived=True)
    if not permissions.can_see_meeting(current_user, meeting):
        abort(404)
    return meeting


def _record_url(meeting: Meeting, anchor: str | None = None) -> str:
    return url_for("minutes.page", meeting_id=meeting.id, _anchor=anchor)


def _page(
    meeting: Meeting,
    *,
    minutes_form=None,
    outcome_form=None,
    comment_form=None,
    newer=None,
    refusal: str | None = None,
    status: int = 200,
):
    """The record's page: the minutes as the viewer may read them, and the outcomes."""
    minutes = record.minutes_of(meeting)
    keeper = permissions.can_keep_minutes(current_user)
    readable = minutes is not None and permissions.can_read_minutes(current_user, minutes)
    if keeper and minutes_form is None:
        minutes_form = MinutesForm(formdata=None, obj=minutes)
        if minutes is not None:
            minutes_form.version.data = minutes.version
    if keeper and outcome_form is None:
        outcome_form = OutcomeForm(formdata=None, meeting=meeting)
    outcomes = record.outcomes_of(meeting, current_user)
    # A refused comment is shown with its form, even on minutes approved meanwhile.
    may_comment = (
        readable
        and (minutes.state == "circulated" or comment_form is not None)
        and permissions.can_comment_on_minutes(current_user, minutes)
    )
    if may_comment and comment_form is None:
        comment_form = CommentForm(formdata=None, revision=minutes.revisions[0].number)
    return (
        render_template(
            "minutes/page.html",
            meeting=meeting,
            minutes=minutes if readable else None,
            comments=record.comments_on(minutes, current_user) if readable else [],
            comment_form=comment_form if may_comment else None,
            keeper=keeper and not meeting.is_archived,
            minutes_form=minutes_form,
            outcome_form=outcome_form,
            outcomes=outcomes,
            link_form=LinkForm(formdata=None) if keeper else None,
            linkable=record.linkable_deliverables(meeting) if keeper else [],
            newer=newer,
            refusal=refusal,
        ),
        status,
    )


@bp.get("/<int:meeting_id>/record")
def page(meeting_id: int):
    """A meeting's minutes, decisions and action items."""
    return _page(_meeting(meeting_id))


@bp.post("/<int:meeting_id>/minutes")
@keeps
def save_minutes(meeting_id: int):
    """Save the minutes' text: a new version, kept with every earlier one."""
    meeting = _meeting(meeting_id)
    # The first text has no version to carry; the service asks for one once there is a text.
    form = MinutesForm()

    def page(form_, status, newer=None):
        return _page(meeting, minutes_form=form_, newer=newer, status=status)

    return editing.save(
        form,
        lambda: record.save_text(
            meeting, form.text.data, form.version.data, current_user, form.reason.data
        ),
        page=page,
        done=lambda m: _("The minutes are saved."),
        then=lambda m: _record_url(meeting, "minutes"),
    )


def _step(meeting_id: int, change, done: str):
    meeting = _meeting(meeting_id)
    minutes = record.minutes_of(meeting)
    if minutes is None:
        abort(404)
    version = whole_number(request.form.get("version", ""))
    return editing.commit_or_refuse(
        lambda: change(minutes, version),
        refused=lambda message: _page(meeting, refusal=message, status=409),
        done=done,
        then=_record_url(meeting, "minutes"),
    )


@bp.post("/<int:meeting_id>/minutes/circulate")
@keeps
def circulate(meeting_id: int):
    """Send the draft minutes to the delegations for comment."""
    # The delegations hear of it once the secretariat has its answer.
    web.after_response(
        lambda: notices.send_minutes_for_comment(db.session.get(Meeting, meeting_id))
    )
    return _step(
        meeting_id,
        record.circulate,
        _("The minutes are circulated: the focal points can read them and send comments."),
    )


@bp.post("/<int:meeting_id>/minutes/approve")
@keeps
def approve(meeting_id: int):
    """Approve the circulated minutes; from then on they change only by amendment."""
    return _step(
        meeting_id,
        record.approve,
        _("The minutes are approved and locked. An amendment must say why."),
    )


@bp.post("/<int:meeting_id>/minutes/comments")
def comment(meeting_id: int):
    """A focal point's comment on circulated minutes, for their government."""
    meeting = _meeting(meeting_id)
    minutes = record.minutes_of(meeting)
    if minutes is None or not permissions.can_read_minutes(current_user, minutes):
        abort(404)
    web.authorize(permissions.can_comment_on_minutes, minutes)
    form = CommentForm()
    sent, _comment = editing.submitted(
        form,
        form.comment,
        lambda: record.comment(
            minutes, current_user, form.comment.data, whole_number(form.revision.data or "")
        ),
    )
    if not sent:
        return _page(db.session.get(Meeting, meeting_id), comment_form=form, status=400)
    db.session.commit()
    flash(_("Your comment is sent to the secretariat."), "success")
    return redirect(_record_url(meeting, "comments"))


@bp.post("/<int:meeting_id>/outcomes")
@keeps
def add_outcome(meeting_id: int):
    """Record a decision or an action item."""
    meeting = _meeting(meeting_id)
    form = OutcomeForm(meeting=meeting)
    recorded, _outcome = editing.submitted(
        form, form.statement, lambda: record.record_outcome(meeting, form.details())
    )
    if not recorded:
        return _page(db.session.get(Meeting, meeting_id), outcome_form=form, status=400)
    db.session.commit()
    flash(_("It is on the record."), "success")
    return redirect(_record_url(meeting, "outcomes"))


def _outcome(meeting_id: int, outcome_id: int) -> MeetingOutcome:
    outcome = db.session.get(MeetingOutcome, outcome_id)
    if outcome is None or outcome.meeting_id != meeting_id:
        abort(404)
    _meeting(meeting_id)
    return outcome


def _on_outcome(meeting_id: int, outcome_id: int, change, done: str):
    outcome = _outcome(meeting_id, outcome_id)
    meeting = outcome.meeting
    return editing.commit_or_refuse(
        lambda: change(outcome),
        refused=lambda message: _page(meeting, refusal=message, status=409),
        done=done,
        then=_record_url(meeting, "outcomes"),
    )


@bp.post("/<int:meeting_id>/outcomes/<int:outcome_id>/remove")
@keeps
def remove_outcome(meeting_id: int, outcome_id: int):
    """Take a decision or action item off the record."""
    return _on_outcome(
        meeting_id, outcome_id, record.remove_outcome, _("It is taken off the record.")
    )


@bp.post("/<int:meeting_id>/outcomes/<int:outcome_id>/deliverable")
@keeps
def make_deliverable(meeting_id: int, outcome_id: int):
    """Turn an action item into a deliverable of the work plan."""
    return _on_outcome(
        meeting_id,
        outcome_id,
        record.make_deliverable,
        _("The action item is now a deliverable of the work plan."),
    )


@bp.post("/<int:meeting_id>/outcomes/<int:outcome_id>/link")
@keeps
def link_deliverable(meeting_id: int, outcome_id: int):
    """Say which deliverable carries out an action item."""
    form = LinkForm()
    return _on_outcome(
        meeting_id,
        outcome_id,
        lambda outcome: record.link_deliverable(outcome, form.deliverable.data),
        _("The action item is linked to its deliverable."),
    )
