"""The meetings pages: the programme and its calendar, each meeting with its agenda in the venue's
time, and the secretariat's screens to plan meetings and edit their agendas."""

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import groupby
from operator import attrgetter
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import contains_eager, selectinload
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.routing import BuildError
from wtforms.fields.choices import SelectChoice

from workplan import permissions
from workplan.extensions import db, login_manager
from workplan.formatting import clock, local_time
from workplan.formatting import lazy_gettext as _l
from workplan.meetings.forms import (
    AgendaItemEditForm,
    AgendaItemForm,
    MeetingEditForm,
    MeetingForm,
    RescheduleForm,
)
from workplan.meetings.zones import viewer_zone
from workplan.models import (
    MEETING_KINDS,
    MEETING_STATES,
    AgendaItem,
    Chairmanship,
    GovernmentTeam,
    Meeting,
    Roundtable,
    utcnow,
)
from workplan.models.meeting import VISIBLE_STATES
from workplan.numbers import record_id
from workplan.services import DomainError, StaleEdit, agenda, meeting_editing, meetings
from workplan.services.chairmanships import holding_office
from workplan.web import get_or_404, paginate, query_choice, query_int, query_text

bp = Blueprint("meetings", __name__, url_prefix="/meetings")

WHEN = ("upcoming", "past", "all")
CALENDAR_VIEWS = ("month", "list")
STALE_MESSAGE = _l(
    "Someone else saved this meeting after you opened it. Their version is shown below; what "
    "you typed is still in the form. Save again to replace their version with yours."
)
CONCURRENT_MESSAGE = _l(
    "Someone else changed this meeting at the same moment, so nothing was saved. This is the "
    "meeting as it stands now; try again if you still want to."
)


@bp.get("/")
def index():
    """The programme: upcoming, past or all meetings, by chairmanship, kind or roundtable."""
    secretariat = permissions.is_secretariat(current_user)
    chairmanship_id = query_int("chairmanship")
    roundtable_id = query_int("roundtable")
    kind = query_choice("kind", MEETING_KINDS)
    # Drafts are the secretariat's working copies; nobody else may even ask for them.
    state = query_choice("state", MEETING_STATES if secretariat else VISIBLE_STATES)
    when = query_choice("when", WHEN, "upcoming")
    now = utcnow()
    query = (
        select(Meeting)
        .where(Meeting.archived_at.is_(None))
        .options(
            selectinload(Meeting.chairmanship),
            selectinload(Meeting.roundtable),
            selectinload(Meeting.team),
        )
    )
    if not secretariat:
        query = query.where(Meeting.state.in_(VISIBLE_STATES))
    if state:
        query = query.where(Meeting.state == state)
    if chairmanship_id:
        query = query.where(Meeting.chairmanship_id == chairmanship_id)
    if roundtable_id:
        query = query.where(Meeting.roundtable_id == roundtable_id)
    if kind:
        query = query.where(Meeting.kind == kind)
    if when == "upcoming":
        query = query.where(Meeting.ends_at >= now).order_by(Meeting.starts_at, Meeting.id)
    elif when == "past":
        query = query.where(Meeting.ends_at < now).order_by(
            Meeting.starts_at.desc(), Meeting.id.desc()
        )
    else:
        query = query.order_by(Meeting.starts_at, Meeting.id)
    chairmanships = db.session.scalars(
        select(Chairmanship)
        .where(Chairmanship.archived_at.is_(None))
        .order_by(Chairmanship.starts_on.desc())
    ).all()
    roundtables = []
    if chairmanship_id or roundtable_id:
        roundtables = db.session.scalars(
            select(Roundtable)
            .where(
                Roundtable.archived_at.is_(None),
                (Roundtable.chairmanship_id == chairmanship_id) | (Roundtable.id == roundtable_id),
            )
            .order_by(Roundtable.number)
        ).all()
    return render_template(
        "meetings/index.html",
        page=paginate(query),
        filters={
            "chairmanship": chairmanship_id,
            "roundtable": roundtable_id,
            "kind": kind,
            "state": state,
            "when": when,
        },
        chairmanships=chairmanships,
        roundtables=roundtables,
        kinds=MEETING_KINDS,
        states=MEETING_STATES if secretariat else VISIBLE_STATES,
        whens=WHEN,
    )


@dataclass(frozen=True)
class CalendarEntry:
    """A meeting on one day of the month grid; a long meeting appears on each of its days."""

    meeting: Meeting
    first_day: bool


def _query_month(name: str = "month") -> date | None:
    """A month query parameter written as YYYY-MM, as the first day of that month."""
    raw = query_text(name, 7)
    if not raw:
        return None
    found = re.fullmatch(r"([0-9]{4})-([0-9]{2})", raw)
    if not found or not 1 <= int(found.group(2)) <= 12 or int(found.group(1)) < 1900:
        abort(
            400,
            _(
                "The “%(name)s” parameter must be a month written as YYYY-MM, such as 2026-11.",
                name=name,
            ),
        )
    return date(int(found.group(1)), int(found.group(2)), 1)


def _next_month(first: date) -> date:
    """The first day of the following month."""
    return (first + timedelta(days=32)).replace(day=1)


def _previous_month(first: date) -> date:
    """The first day of the month before."""
    return (first - timedelta(days=1)).replace(day=1)


def _month_grid(first: date, found: list[Meeting], zone: ZoneInfo) -> list[list[tuple]]:
    """Weeks from Monday to Sunday covering the month, each day with the meetings held on it."""
    grid_start = first - timedelta(days=first.weekday())
    last = _next_month(first) - timedelta(days=1)
    grid_end = last + timedelta(days=6 - last.weekday())
    by_day: dict[date, list[CalendarEntry]] = {}
    for meeting in found:
        day = meeting.starts_at.astimezone(zone).date()
        # A meeting ending at midnight does not take up the next day.
        final = (meeting.ends_at.astimezone(zone) - timedelta(microseconds=1)).date()
        while day <= min(final, grid_end):
            if day >= grid_start:
                by_day.setdefault(day, []).append(
                    CalendarEntry(meeting, day == meeting.starts_at.astimezone(zone).date())
                )
            day += timedelta(days=1)
    weeks, day = [], grid_start
    while day <= grid_end:
        weeks.append(
            [(day + timedelta(days=n), by_day.get(day + timedelta(days=n), [])) for n in range(7)]
        )
        day += timedelta(days=7)
    return weeks


@bp.get("/calendar")
def calendar():
    """The programme across chairmanships as a month grid or a list, in the viewer's time zone."""
    view = query_choice("view", CALENDAR_VIEWS, "month")
    kind = query_choice("kind", MEETING_KINDS)
    roundtable_id = query_int("roundtable")
    team_id = query_int("team")
    zone = viewer_zone()
    tz = ZoneInfo(zone.name)
    first = _query_month() or utcnow().astimezone(tz).date().replace(day=1)
    following = _next_month(first)
    window_start = datetime.combine(first, time(), tz)
    window_end = datetime.combine(following, time(), tz)
    query = (
        select(Meeting)
        .where(
            Meeting.archived_at.is_(None),
            Meeting.starts_at < window_end,
            Meeting.ends_at > window_start,
        )
        .options(
            selectinload(Meeting.chairmanship),
            selectinload(Meeting.roundtable),
            selectinload(Meeting.team),
        )
        .order_by(Meeting.starts_at, Meeting.id)
    )
    if not permissions.is_secretariat(current_user):
        query = query.where(Meeting.state.in_(VISIBLE_STATES))
    if kind:
        query = query.where(Meeting.kind == kind)
    if roundtable_id:
        query = query.where(Meeting.roundtable_id == roundtable_id)
    if team_id:
        query = query.where(Meeting.team_id == team_id)
    found = list(db.session.scalars(query))
    filters = {"kind": kind, "roundtable": roundtable_id, "team": team_id}
    kept = {key: value for key, value in filters.items() if value}
    response = render_template(
        "meetings/calendar.html",
        view=view,
        month=first,
        previous_month=_previous_month(first),
        next_month=following,
        this_month=utcnow().astimezone(tz).date().replace(day=1),
        meetings=found,
        weeks=_month_grid(first, found, tz) if view == "month" else [],
        listing=[(meeting, meeting.starts_at.astimezone(tz)) for meeting in found],
        zone=zone,
        filters=filters,
        kept=kept,
        kinds=MEETING_KINDS,
        roundtable_groups=[
            (chairmanship, list(group))
            for chairmanship, group in groupby(
                _roundtables_by_chairmanship(), key=attrgetter("chairmanship")
            )
        ],
        teams=_teams(),
        subscribe_url=_optional_url("calendar.subscribe"),
    )
    # The times depend on the tz cookie, so a shared cache must not mix visitors' pages.
    return response, 200, {"Vary": "Cookie"}


def _optional_url(endpoint: str, **values) -> str | None:
    """The address of another feature's page, or None while that feature does not exist."""
    try:
        return url_for(endpoint, **values)
    except BuildError:
        return None


def _detail_page(meeting: Meeting, *, add_form=None, status: int = 200, error: str | None = None):
    """The meeting page, with the agenda editor for the secretariat."""
    editable = permissions.can_manage_programme(current_user) and not meeting.is_archived
    if editable and add_form is None:
        add_form = AgendaItemForm(formdata=None)
    return (
        render_template(
            "meetings/detail.html",
            meeting=meeting,
            schedule=agenda.schedule(meeting),
            editable=editable,
            add_form=add_form,
            error=error,
            zone=viewer_zone(),
            add_to_calendar=(
                _optional_url("calendar.meeting_download", meeting_id=meeting.id)
                if meeting.is_public
                else None
            ),
        ),
        status,
    )


def _visible_meeting(meeting_id: int) -> Meeting:
    """A meeting the viewer may see; otherwise a 404, so a draft's existence is not given away."""
    meeting = get_or_404(Meeting, meeting_id, include_archived=True)
    if not permissions.can_see_meeting(current_user, meeting):
        abort(404)
    return meeting


@bp.get("/<int:meeting_id>")
def detail(meeting_id: int):
    """A meeting and its agenda, each item's start derived and shown in the venue's time."""
    return _detail_page(_visible_meeting(meeting_id))


@bp.get("/<int:meeting_id>/agenda/print")
def agenda_print(meeting_id: int):
    """The agenda on one printable page."""
    meeting = _visible_meeting(meeting_id)
    schedule = [
        (item, start, start + timedelta(minutes=item.duration_minutes))
        for item, start in agenda.schedule(meeting)
    ]
    return render_template("meetings/agenda_print.html", meeting=meeting, schedule=schedule)


def _manage() -> None:
    """Only the secretariat plans meetings: visitors are asked to log in, others refused."""
    if not current_user.is_authenticated:
        abort(login_manager.unauthorized())
    if not permissions.can_manage_programme(current_user):
        abort(403)


def _put_error(form, error: DomainError) -> None:
    """Show a refusal next to the field it is about, or above the form."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None and hasattr(field, "errors"):
        field.errors = [*field.errors, error.message]
    else:
        form.form_errors.append(error.message)


def _roundtables_by_chairmanship() -> list[Roundtable]:
    """Roundtables still in use, newest chairmanship first, each with its chairmanship loaded."""
    return list(
        db.session.scalars(
            select(Roundtable)
            .join(Roundtable.chairmanship)
            .where(Roundtable.archived_at.is_(None), Chairmanship.archived_at.is_(None))
            .options(contains_eager(Roundtable.chairmanship))
            .order_by(Chairmanship.starts_on.desc(), Roundtable.number)
        )
    )


def _teams() -> list[GovernmentTeam]:
    """Government teams still in use, by name."""
    return list(
        db.session.scalars(
            select(GovernmentTeam)
            .where(GovernmentTeam.archived_at.is_(None))
            .order_by(GovernmentTeam.name)
        )
    )


def _meeting_choices(form: MeetingForm) -> None:
    """Fill the form's lists: chairmanships, roundtables grouped by chairmanship, teams."""
    chairmanships = db.session.scalars(
        select(Chairmanship)
        .where(Chairmanship.archived_at.is_(None))
        .order_by(Chairmanship.starts_on.desc())
    )
    form.chairmanship.choices = [SelectChoice(str(c.id), c.label) for c in chairmanships]
    form.roundtable.choices = [SelectChoice("", _("None"))] + [
        SelectChoice(str(r.id), f"{r.code}: {r.title}", optgroup=r.chairmanship.label)
        for r in _roundtables_by_chairmanship()
    ]
    form.team.choices = [SelectChoice("", _("None"))] + [
        SelectChoice(str(t.id), t.name) for t in _teams()
    ]


def _meeting_fields(form: MeetingForm) -> dict:
    """The typed arguments the meeting services take, from a validated form."""
    return {
        "chairmanship": db.session.get(Chairmanship, form.chairmanship.data),
        "kind": form.kind.data,
        "title": form.title.data,
        "starts_local": form.starts_at.data,
        "ends_local": form.ends_at.data,
        "timezone": form.timezone.data,
        "venue": form.venue.data,
        "city": form.city.data,
        "online_url": form.online_url.data,
        "description": form.description.data,
        "roundtable": db.session.get(Roundtable, form.roundtable.data)
        if form.roundtable.data
        else None,
        "team": db.session.get(GovernmentTeam, form.team.data) if form.team.data else None,
    }


def _local_times(meeting: Meeting) -> dict:
    """A meeting's times as the venue's clock shows them, for a form to start from."""
    return {
        "starts_at": meeting.local_starts_at.replace(tzinfo=None),
        "ends_at": meeting.local_ends_at.replace(tzinfo=None),
        "timezone": meeting.timezone,
        "version": meeting.version,
    }


def _form_page(form, meeting: Meeting | None, status: int, stale: Meeting | None = None):
    """The create or edit form, with the other person's version after a conflict."""
    return (
        render_template(
            "meetings/form.html",
            form=form,
            meeting=meeting,
            stale=stale,
            time_zones=_zone_names(),
        ),
        status,
    )


def _zone_names() -> list[str]:
    """Every IANA zone name, offered as suggestions to the time zone fields."""
    return sorted(meetings.known_timezones())


def _stale_meeting(meeting_id: int) -> Meeting:
    """After a refused save: the meeting as the database holds it now."""
    db.session.rollback()
    meeting = db.session.get(Meeting, meeting_id)
    if meeting is None:
        abort(404)
    return meeting


@bp.route("/new", methods=["GET", "POST"])
def create():
    """Put a new meeting on the programme, as a draft only the secretariat sees."""
    _manage()
    form = MeetingForm()
    _meeting_choices(form)
    if not form.is_submitted():
        current = holding_office(utcnow().date())
        if current is not None:
            form.chairmanship.data = current.id
        roundtable_id = request.args.get("roundtable", type=int)
        if roundtable_id:
            form.roundtable.data = roundtable_id
        form.timezone.data = form.timezone.data or "Europe/Zurich"
    elif form.validate():
        try:
            meeting = meeting_editing.create_meeting(**_meeting_fields(form))
            db.session.commit()
        except DomainError as error:
            db.session.rollback()
            _put_error(form, error)
        else:
            flash(
                _(
                    "“%(title)s” is saved as a draft. Add its agenda, then publish it.",
                    title=meeting.title,
                ),
                "success",
            )
            return redirect(url_for("meetings.detail", meeting_id=meeting.id))
    return _form_page(form, None, 400 if form.is_submitted() else 200)


@bp.route("/<int:meeting_id>/edit", methods=["GET", "POST"])
def edit(meeting_id: int):
    """Change a meeting's details, times or place; a stale copy is refused, never merged."""
    _manage()
    meeting = get_or_404(Meeting, meeting_id)
    if request.method == "GET":
        form = MeetingEditForm(
            data={
                "kind": meeting.kind,
                "title": meeting.title,
                "chairmanship": meeting.chairmanship_id,
                "roundtable": meeting.roundtable_id,
                "team": meeting.team_id,
                "venue": meeting.venue,
                "city": meeting.city,
                "online_url": meeting.online_url,
                "description": meeting.description,
                **_local_times(meeting),
            }
        )
    else:
        form = MeetingEditForm()
    _meeting_choices(form)
    if form.validate_on_submit():
        try:
            meeting_editing.update_meeting(meeting, form.version.data, **_meeting_fields(form))
            db.session.commit()
        except (StaleEdit, StaleDataError):
            current = _stale_meeting(meeting_id)
            form.version.set(current.version)
            return _form_page(form, current, 409, stale=current)
        except DomainError as error:
            db.session.rollback()
            _put_error(form, error)
        else:
            flash(_("Your changes to “%(title)s” are saved.", title=meeting.title), "success")
            return redirect(url_for("meetings.detail", meeting_id=meeting.id))
    return _form_page(form, meeting, 400 if form.is_submitted() else 200)


@bp.route("/<int:meeting_id>/reschedule", methods=["GET", "POST"])
def reschedule(meeting_id: int):
    """Move a meeting to new times; the agenda moves with it and calendars are told."""
    _manage()
    meeting = get_or_404(Meeting, meeting_id)
    if request.method == "GET":
        form = RescheduleForm(data=_local_times(meeting))
    else:
        form = RescheduleForm()
    stale = None
    status = 200
    if form.validate_on_submit():
        try:
            meeting_editing.reschedule_meeting(
                meeting,
                form.version.data,
                form.starts_at.data,
                form.ends_at.data,
                form.timezone.data,
            )
            db.session.commit()
        except (StaleEdit, StaleDataError):
            meeting = stale = _stale_meeting(meeting_id)
            form.version.set(meeting.version)
            status = 409
        except DomainError as error:
            db.session.rollback()
            _put_error(form, error)
        else:
            flash(
                _(
                    "“%(title)s” now starts %(when)s. The agenda moved with it, and calendar "
                    "subscribers will get the new time.",
                    title=meeting.title,
                    when=local_time(meeting.starts_at, meeting.timezone),
                ),
                "success",
            )
            return redirect(url_for("meetings.detail", meeting_id=meeting.id))
    if form.is_submitted() and status == 200:
        status = 400
    return (
        render_template(
            "meetings/reschedule.html",
            form=form,
            meeting=meeting,
            stale=stale,
            time_zones=_zone_names(),
        ),
        status,
    )


def _act(meeting: Meeting, action, message: str):
    """Run one state change on a meeting, then confirm it, or show the page with the refusal."""
    try:
        action(meeting)
        db.session.commit()
    except StaleDataError:
        return _detail_page(_stale_meeting(meeting.id), status=409, error=CONCURRENT_MESSAGE)
    except DomainError as error:
        db.session.rollback()
        return _detail_page(meeting, status=400, error=error.message)
    flash(str(message) % {"title": meeting.title}, "success")
    return redirect(url_for("meetings.detail", meeting_id=meeting.id))


@bp.post("/<int:meeting_id>/publish")
def publish(meeting_id: int):
    """Publish a meeting: it joins the public programme and the calendar feeds."""
    _manage()
    return _act(
        get_or_404(Meeting, meeting_id),
        meetings.publish,
        _l("“%(title)s” is published: it is on the public programme and in the calendar feeds."),
    )


@bp.post("/<int:meeting_id>/cancel")
def cancel(meeting_id: int):
    """Call off a meeting; it stays on the programme and in the feeds, marked cancelled."""
    _manage()
    return _act(
        get_or_404(Meeting, meeting_id),
        meetings.cancel,
        _l(
            "“%(title)s” is cancelled. It stays on the programme, marked cancelled, and calendar "
            "subscribers are told."
        ),
    )


@bp.post("/<int:meeting_id>/archive")
def archive(meeting_id: int):
    """Hide a meeting from the programme without destroying it."""
    _manage()
    return _act(
        get_or_404(Meeting, meeting_id),
        meeting_editing.archive_meeting,
        _l(
            "“%(title)s” is archived: hidden from the programme. You can restore it from this page."
        ),
    )


@bp.post("/<int:meeting_id>/restore")
def restore(meeting_id: int):
    """Bring an archived meeting back to the programme."""
    _manage()
    return _act(
        get_or_404(Meeting, meeting_id, include_archived=True),
        meeting_editing.restore_meeting,
        _l("“%(title)s” is restored."),
    )


def _agenda_item(meeting_id: int, item_id: int) -> AgendaItem:
    """An item of a meeting that is not archived; anything else is a 404."""
    item = db.session.get(AgendaItem, item_id)
    if item is None or item.meeting_id != meeting_id or item.meeting.archived_at is not None:
        abort(404)
    return item


def _agenda_anchor(meeting: Meeting, item: AgendaItem | None = None) -> str:
    """The meeting page, scrolled to an item or to the agenda."""
    anchor = f"agenda-item-{item.id}" if item is not None else "agenda-heading"
    return url_for("meetings.detail", meeting_id=meeting.id, _anchor=anchor)


def _start_of(meeting: Meeting, item: AgendaItem) -> str:
    """When an item starts, in the venue's clock."""
    start = next(start for each, start in agenda.schedule(meeting) if each.id == item.id)
    return clock(start, meeting.timezone)


@bp.post("/<int:meeting_id>/agenda")
def agenda_add(meeting_id: int):
    """Add an item at the end of the agenda."""
    _manage()
    meeting = get_or_404(Meeting, meeting_id)
    form = AgendaItemForm()
    if form.validate():
        try:
            item = agenda.add_item(
                meeting,
                title=form.title.data,
                duration_minutes=form.duration_minutes.data,
                speakers=form.speakers.data,
                notes=form.notes.data,
                links=form.links.data,
            )
            db.session.commit()
        except DomainError as error:
            db.session.rollback()
            _put_error(form, error)
        else:
            flash(
                _(
                    "“%(title)s” is added to the agenda; it starts at %(start)s (%(zone)s).",
                    title=item.title,
                    start=_start_of(meeting, item),
                    zone=meeting.timezone,
                ),
                "success",
            )
            return redirect(_agenda_anchor(meeting, item))
    return _detail_page(
        meeting,
        add_form=form,
        status=400,
        error=_("The item was not added: see the message next to the field, under the agenda."),
    )


@bp.route("/<int:meeting_id>/agenda/<int:item_id>/edit", methods=["GET", "POST"])
def agenda_edit(meeting_id: int, item_id: int):
    """Change an agenda item; a stale copy is refused, never merged."""
    _manage()
    item = _agenda_item(meeting_id, item_id)
    meeting = item.meeting
    form = AgendaItemEditForm(obj=item) if request.method == "GET" else AgendaItemEditForm()
    stale = None
    status = 200
    if form.validate_on_submit():
        try:
            agenda.update_item(
                item,
                form.version.data,
                title=form.title.data,
                duration_minutes=form.duration_minutes.data,
                speakers=form.speakers.data,
                notes=form.notes.data,
                links=form.links.data,
            )
            db.session.commit()
        except (StaleEdit, StaleDataError):
            db.session.rollback()
            stale = db.session.get(AgendaItem, item_id)
            if stale is None:
                flash(_("Someone else removed this item from the agenda meanwhile."), "warning")
                return redirect(_agenda_anchor(meeting))
            form.version.set(stale.version)
            status = 409
        except DomainError as error:
            db.session.rollback()
            _put_error(form, error)
        else:
            flash(_("“%(title)s” is saved.", title=item.title), "success")
            return redirect(_agenda_anchor(meeting, item))
    if form.is_submitted() and status == 200:
        status = 400
    return (
        render_template(
            "meetings/agenda_item_form.html", form=form, meeting=meeting, item=item, stale=stale
        ),
        status,
    )


@bp.post("/<int:meeting_id>/agenda/<int:item_id>/remove")
def agenda_remove(meeting_id: int, item_id: int):
    """Take an item off the agenda."""
    _manage()
    item = _agenda_item(meeting_id, item_id)
    meeting, title = item.meeting, item.title
    try:
        agenda.remove_item(item)
        db.session.commit()
    except StaleDataError:
        return _detail_page(_stale_meeting(meeting_id), status=409, error=CONCURRENT_MESSAGE)
    except DomainError as error:
        db.session.rollback()
        return _detail_page(meeting, status=400, error=error.message)
    flash(_("“%(title)s” is removed from the agenda.", title=title), "success")
    return redirect(_agenda_anchor(meeting))


@bp.post("/<int:meeting_id>/agenda/<int:item_id>/move")
def agenda_move(meeting_id: int, item_id: int):
    """Move an item one place up or down: the keyboard's way to reorder, script or not."""
    _manage()
    item = _agenda_item(meeting_id, item_id)
    meeting = item.meeting
    direction = request.form.get("direction", "")
    try:
        agenda.move_item(item, direction)
        db.session.commit()
    except StaleDataError:
        return _detail_page(_stale_meeting(meeting_id), status=409, error=CONCURRENT_MESSAGE)
    except DomainError as error:
        db.session.rollback()
        return _detail_page(meeting, status=400, error=error.message)
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
    if not permissions.can_manage_programme(current_user):
        abort(403)
    meeting = get_or_404(Meeting, meeting_id)
    ids = _order_from_request()
    if ids is None:
        return jsonify(error=_("Send the new order as a list of the agenda's item ids.")), 400
    try:
        agenda.reorder(meeting, ids)
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        return jsonify(error=str(CONCURRENT_MESSAGE)), 409
    except DomainError as error:
        db.session.rollback()
        return jsonify(error=error.message), 400
    return jsonify(_schedule_json(meeting))
