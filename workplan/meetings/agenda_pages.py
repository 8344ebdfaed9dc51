"""The agenda editor on a meeting's page: items added, edited, removed and reordered (by
buttons, or by dragging with the script's help); each item's start is derived, never typed."""

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _

from workplan import editing
from workplan.extensions import db
from workplan.formatting import clock
from workplan.meetings.forms import AgendaItemEditForm, AgendaItemForm
from workplan.meetings.views import _changeable, _detail_page, _drafted_meeting, _signed_in, bp
from workplan.models import AgendaItem, Meeting
from workplan.numbers import record_id
from workplan.services import DomainError, StaleEdit, agenda


def _agenda_item(meeting_id: int, item_id: int) -> AgendaItem:
    """An item of a meeting that is not archived and that the user may change; anything else
    is a 404, or a 403 for a meeting that is not theirs to change."""
    _signed_in()
    item = db.session.get(AgendaItem, item_id)
    if item is None or item.meeting_id != meeting_id or item.meeting.archived_at is not None:
        abort(404)
    _changeable(item.meeting)
    return item


def _agenda_anchor(meeting: Meeting, item: AgendaItem | None = None) -> str:
    """The meeting page, scrolled to an item or to the agenda."""
    anchor = f"agenda-item-{item.id}" if item is not None else "agenda-heading"
    return url_for("meetings.detail", meeting_id=meeting.id, _anchor=anchor)


def _start_of(meeting: Meeting, item: AgendaItem) -> str:
    """When an item starts, in the venue's clock."""
    start = next(start for each, start in agenda.schedule(meeting) if each.id == item.id)
    return clock(start, meeting.timezone)


CONCURRENT_MESSAGE = _(
    "Someone else changed this meeting at the same moment, so nothing was saved. This is the "
    "meeting as it stands now; try again if you still want to."
)


@bp.post("/<int:meeting_id>/agenda")
def agenda_add(meeting_id: int):
    """Add an item at the end of the agenda."""
    meeting = _drafted_meeting(meeting_id)
    form = AgendaItemForm().offer_sessions(meeting)
    return editing.save(
        form,
        lambda: agenda.add_item(meeting, **form.values()),
        page=lambda form, status, newer=None: _detail_page(
            meeting,
            add_form=form,
            status=status,
            error=_("The item was not added: see the message next to the field, under the agenda."),
        ),
        done=lambda item: _(
            "“%(title)s” is added to the agenda; it starts at %(start)s (%(zone)s).",
            title=item.title,
            start=_start_of(meeting, item),
            zone=meeting.timezone,
        ),
        then=lambda item: _agenda_anchor(meeting, item),
    )


@bp.route("/<int:meeting_id>/agenda/<int:item_id>/edit", methods=["GET", "POST"])
def agenda_edit(meeting_id: int, item_id: int):
    """Change an agenda item; a stale copy is refused, never merged."""
    item = _agenda_item(meeting_id, item_id)
    meeting = item.meeting
    form = AgendaItemEditForm.for_record(item).offer_sessions(meeting)

    def change():
        agenda.update_item(item, form.version.data, **form.values())
        return item

    def page(form, status, newer=None):
        shown = render_template(
            "meetings/agenda_item_form.html", form=form, meeting=meeting, item=item, newer=newer
        )
        return shown, status

    try:
        return editing.save(
            form,
            change,
            page=page,
            done=lambda saved: _("“%(title)s” is saved.", title=saved.title),
            then=lambda saved: _agenda_anchor(meeting, saved),
        )
    except StaleEdit:
        # Removed meanwhile: there is no newer version to show, only the agenda without it.
        flash(_("Someone else removed this item from the agenda meanwhile."), "warning")
        return redirect(_agenda_anchor(meeting))


@bp.post("/<int:meeting_id>/agenda/<int:item_id>/remove")
def agenda_remove(meeting_id: int, item_id: int):
    """Take an item off the agenda."""
    item = _agenda_item(meeting_id, item_id)
    meeting, title = item.meeting, item.title
    return editing.commit_or_refuse(
        lambda: agenda.remove_item(item),
        refused=lambda refusal: _detail_page(meeting, status=400, error=refusal),
        stale=lambda refusal: _detail_page(meeting, status=409, error=CONCURRENT_MESSAGE),
        done=_("“%(title)s” is removed from the agenda.", title=title),
        then=_agenda_anchor(meeting),
    )


@bp.post("/<int:meeting_id>/agenda/<int:item_id>/move")
def agenda_move(meeting_id: int, item_id: int):
    """Move an item one place up or down: the keyboard's way to reorder, script or not."""
    item = _agenda_item(meeting_id, item_id)
    meeting = item.meeting
    direction = request.form.get("direction", "")
    try:
        agenda.move_item(item, direction)
    except StaleEdit:
        db.session.rollback()
        return _detail_page(meeting, status=409, error=CONCURRENT_MESSAGE)
    except DomainError as error:
        db.session.rollback()
        return _detail_page(meeting, status=400, error=error.message)
    db.session.commit()
    start = _start_of(meeting, item)
    if direction == "up":
        moved = _(
            "“%(title)s” moved up; it now starts at %(start)s.", title=item.title, start=start
        )
    else:
        moved = _(
            "“%(title)s” moved down; it now starts at %(start)s.", title=item.title, start=start
        )
    flash(moved, "success")
    return redirect(_agenda_anchor(meeting, item))


def _order_from_request() -> list[int] | None:
    """The item ids of a new order, from JSON {"order": [...]} or repeated form fields."""
    payload = request.get_json(silent=True)
    if isinstance(payload, dict):
        raw = payload.get("order")
    else:
        raw = request.form.getlist("order") or None
    if not isinstance(raw, list) or len(raw) > 1000:
        return None
    ids = [record_id(value) for value in raw]
    return None if None in ids else ids


def _schedule_json(meeting: Meeting) -> dict:
    """The agenda as the editor shows it: each item's position and derived start."""
    return {
        "message": _("The new order of the agenda is saved."),
        "items": [
            {
                "id": item.id,
                "position": item.position,
                "start": clock(start, meeting.timezone),
                "start_iso": start.isoformat(),
            }
            for item, start in agenda.schedule(meeting)
        ],
    }


@bp.post("/<int:meeting_id>/agenda/order")
def agenda_order(meeting_id: int):
    """Save the order the drag-and-drop editor sends: the list of the agenda's item ids."""
    meeting = _drafted_meeting(meeting_id, login=False)
    ids = _order_from_request()
    if ids is None:
        return jsonify(error=_("Send the new order as a list of the agenda's item ids.")), 400
    try:
        agenda.reorder(meeting, ids)
    except StaleEdit:
        db.session.rollback()
        return jsonify(error=str(CONCURRENT_MESSAGE)), 409
    except DomainError as error:
        db.session.rollback()
        return jsonify(error=error.message), 400
    db.session.commit()
    return jsonify(_schedule_json(meeting))
