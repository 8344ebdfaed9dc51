"""The meetings pages: the programme and its calendar, each meeting with its agenda in the venue's
time, and the secretariat's screens to plan meetings. The agenda editor (agenda_pages.py) adds
its pages to this blueprint."""

import re
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from itertools import groupby
from operator import attrgetter
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.routing import BuildError

from workplan import audit, editing, permissions, web
from workplan.extensions import db
from workplan.formatting import lazy_gettext as _l
from workplan.formatting import local_time
from workplan.meetings.forms import AgendaItemForm, MeetingForm, RescheduleForm
from workplan.meetings.zones import viewer_zone
from workplan.models import MEETING_KINDS, MEETING_STATES, Meeting, Roundtable, utcnow
from workplan.models.meeting import VISIBLE_STATES
from workplan.services import (
    agenda,
    chairmanships,
    documents,
    meeting_editing,
    meetings,
    notices,
    roundtables,
)
from workplan.services.checks import time_zones

bp = Blueprint("meetings", __name__, url_prefix="/meetings")
manages = web.require(permissions.can_manage_programme)

CALENDAR_VIEWS = ("month", "list")


@bp.get("/")
def index():
    """The programme: upcoming, past or all meetings, by chairmanship, kind or roundtable."""
    secretariat = permissions.is_secretariat(current_user)
    filters = meetings.MeetingFilters(
        chairmanship_id=web.query_int("chairmanship"),
        roundtable_id=web.query_int("roundtable"),
        kind=web.query_choice("kind", MEETING_KINDS),
        # Drafts are the secretariat's working copies; nobody else may even ask for them.
        state=web.query_choice("state", MEETING_STATES if secretariat else VISIBLE_STATES),
        when=web.query_choice("when", meetings.WHEN, "upcoming"),
        with_drafts=secretariat,
    )
    return web.list_page(
        "meetings/index.html",
        meetings.listing(filters, utcnow()),
        filters,
        chairmanships=chairmanships.listed(),
        roundtables=roundtables.chosen_or_in(filters.chairmanship_id, filters.roundtable_id),
        kinds=MEETING_KINDS,
        states=MEETING_STATES if secretariat else VISIBLE_STATES,
        whens=meetings.WHEN,
    )


@dataclass(frozen=True)
class CalendarEntry:
    """A meeting on one day of the month grid; a long meeting appears on each of its days."""

    meeting: Meeting
    first_day: bool


def _query_month(name: str = "month") -> date | None:
    """A month query parameter written as YYYY-MM, as the first day of that month."""
    raw = web.query_text(name, 7)
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
    view = web.query_choice("view", CALENDAR_VIEWS, "month")
    kind = web.query_choice("kind", MEETING_KINDS)
    roundtable_id = web.query_int("roundtable")
    team_id = web.query_int("team")
    zone = viewer_zone()
    tz = ZoneInfo(zone.name)
    first = _query_month() or utcnow().astimezone(tz).date().replace(day=1)
    following = _next_month(first)
    window_start = datetime.combine(first, time(), tz)
    window_end = datetime.combine(following, time(), tz)
    found = meetings.between(
        meetings.MeetingFilters(
            roundtable_id=roundtable_id,
            team_id=team_id,
            kind=kind,
            with_drafts=permissions.is_secretariat(current_user),
        ),
        window_start,
        window_end,
    )
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
                meeting_editing.live_roundtables(), key=attrgetter("chairmanship")
            )
        ],
        teams=meeting_editing.live_teams(),
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
    """The meeting page, with the agenda editor for those who may change it."""
    editable = permissions.can_draft_meeting(current_user, meeting)
    if editable and add_form is None:
        add_form = AgendaItemForm(formdata=None).offer_sessions(meeting)
    timed = agenda.timed(meeting)
    return (
        render_template(
            "meetings/detail.html",
            meeting=meeting,
            schedule=[(row.item, row.start) for row in timed.items],
            # With a programme, each session's items are measured against the session.
            overrun=timed.first_overrun if meeting.sessions else None,
            editable=editable,
            add_form=add_form,
            error=error,
            zone=viewer_zone(),
            documents=documents.shelf_of(meeting, current_user),
            add_to_calendar=(
                _optional_url("calendar.meeting_download", meeting_id=meeting.id)
                if meeting.is_public
                else None
            ),
        ),
        status,
    )


def _drafted_meeting(meeting_id: int, login: bool = True) -> Meeting:
    """A meeting the user may change with its agenda and programme (the secretariat, or the
    roundtable's co-chairs while it is theirs to draft); else a 403, or a 404 if it is gone."""
    _signed_in(login)
    return _changeable(web.get_or_404(Meeting, meeting_id), login)


def _signed_in(login: bool = True) -> None:
    """A visitor is sent to sign in before anything is looked up, so no id gives away a draft."""
    web.authorize(permissions.can_read_private, login=login)


def _changeable(meeting: Meeting, login: bool = True) -> Meeting:
    """The meeting, if the user may change it; one they may not even see is not found."""
    if not permissions.can_see_meeting(current_user, meeting):
        abort(404)
    web.authorize(permissions.can_draft_meeting, meeting, login=login)
    return meeting


def _visible_meeting(meeting_id: int) -> Meeting:
    """A meeting the viewer may see; otherwise a 404, so a draft's existence is not given away."""
    meeting = web.get_or_404(Meeting, meeting_id, include_archived=True)
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
    return render_template(
        "meetings/agenda_print.html", meeting=meeting, timed=agenda.timed(meeting)
    )


def _form_page(meeting: Meeting | None, template: str = "meetings/form.html"):
    """A meeting form's page, with the other person's version after a conflict."""

    def page(form, status, newer=None):
        shown = render_template(
            template, form=form, meeting=meeting, newer=newer, time_zones=_zone_names()
        )
        return shown, status

    return page


def _zone_names() -> list[str]:
    """Every IANA zone name, offered as suggestions to the time zone fields."""
    return sorted(time_zones())


@bp.route("/new", methods=["GET", "POST"])
@web.require(permissions.can_draft_meetings)
def create():
    """Put a new meeting on the programme, as a draft only the secretariat (and the
    roundtable's co-chairs) see."""
    current = chairmanships.current_chairmanship(utcnow().date())
    roundtable = db.session.get(Roundtable, web.query_int("roundtable") or 0)
    if roundtable is not None:
        current = roundtable.chairmanship
    form = MeetingForm(
        chairmanship=current.id if current else None,
        roundtable=roundtable.id if roundtable else None,
        timezone="Europe/Zurich",
    )
    return editing.save(
        form,
        lambda: meeting_editing.create_meeting(form.details()),
        page=_form_page(None),
        done=lambda meeting: (
            _(
                "“%(title)s” is saved as a draft. Add its agenda, then publish it.",
                title=meeting.title,
            )
            if permissions.can_publish_meeting(current_user, meeting)
            else _(
                "“%(title)s” is saved as a draft. Add its agenda; the secretariat publishes it.",
                title=meeting.title,
            )
        ),
        then=lambda meeting: url_for("meetings.detail", meeting_id=meeting.id),
    )


@bp.route("/<int:meeting_id>/edit", methods=["GET", "POST"])
def edit(meeting_id: int):
    """Change a meeting's details, times or place; a stale copy is refused, never merged."""
    meeting = _drafted_meeting(meeting_id)
    form = MeetingForm.for_record(meeting)

    def update(record, details, version):
        if not permissions.can_manage_programme(current_user):
            # Co-chairs are not offered the team field: the meeting keeps the one it has.
            details = replace(details, team_id=record.team_id)
        meeting_editing.update_meeting(record, details, version)

    return editing.save_edit(
        form,
        meeting,
        update,
        page=_form_page(meeting),
        done=lambda saved: _("Your changes to “%(title)s” are saved.", title=saved.title),
        then=lambda saved: url_for("meetings.detail", meeting_id=saved.id),
    )


@bp.route("/<int:meeting_id>/reschedule", methods=["GET", "POST"])
@manages
def reschedule(meeting_id: int):
    """Move a meeting to new times; the agenda moves with it and calendars are told."""
    meeting = web.get_or_404(Meeting, meeting_id)
    form = RescheduleForm.for_record(meeting)
    if request.method == "POST":
        _tell_focal_points(meeting.id)

    def change():
        meeting_editing.reschedule_meeting(
            meeting, form.version.data, form.starts_at.data, form.ends_at.data, form.timezone.data
        )
        return meeting

    return editing.save(
        form,
        change,
        page=_form_page(meeting, "meetings/reschedule.html"),
        done=lambda saved: _(
            "“%(title)s” now starts %(when)s. The agenda moved with it, and calendar "
            "subscribers will get the new time.",
            title=saved.title,
            when=local_time(saved.starts_at, saved.timezone),
        ),
        then=lambda saved: url_for("meetings.detail", meeting_id=saved.id),
    )


def _tell_focal_points(meeting_id: int) -> None:
    """Once the secretariat has its answer, the focal points concerned are e-mailed the change;
    what is not sent then, `flask send-meeting-notices` sends on its next run."""

    def send() -> None:
        with audit.acting_as("meeting notices"):
            for _notice in notices.send_notices(meeting_id=meeting_id):
                db.session.commit()

    web.after_response(send)


def _act(meeting: Meeting, action, message, *, tell: bool = False):
    """Run one state change on a meeting, then confirm it, or show the page with the refusal;
    a change calendars must hear of (`tell`) is e-mailed to the focal points concerned."""
    if tell:
        _tell_focal_points(meeting.id)
    return editing.commit_or_refuse(
        lambda: action(meeting),
        refused=lambda refusal: _detail_page(meeting, status=400, error=refusal),
        stale=lambda refusal: _detail_page(meeting, status=409, error=refusal),
        done=str(message) % {"title": meeting.title},
        then=url_for("meetings.detail", meeting_id=meeting.id),
    )


PUBLISHED = _l("“%(title)s” is published: it is on the public programme and in the calendar feeds.")
REINSTATED = _l(
    "“%(title)s” is reinstated: it is on the programme as taking place again, and calendar "
    "subscribers are told."
)


@bp.post("/<int:meeting_id>/publish")
def publish(meeting_id: int):
    """Publish a draft, or reinstate a cancelled meeting: it is on the programme and the feeds."""
    _signed_in()
    meeting = web.get_or_404(Meeting, meeting_id)
    if not permissions.can_see_meeting(current_user, meeting):
        abort(404)
    web.authorize(permissions.can_publish_meeting, meeting)
    return _act(
        meeting,
        meetings.publish,
        REINSTATED if meeting.state == "cancelled" else PUBLISHED,
        tell=True,
    )


@bp.post("/<int:meeting_id>/cancel")
@manages
def cancel(meeting_id: int):
    """Call off a meeting; it stays on the programme and in the feeds, marked cancelled."""
    return _act(
        web.get_or_404(Meeting, meeting_id),
        meetings.cancel,
        _l(
            "“%(title)s” is cancelled. It stays on the programme, marked cancelled, and calendar "
            "subscribers are told."
        ),
        tell=True,
    )


@bp.post("/<int:meeting_id>/archive")
@manages
def archive(meeting_id: int):
    """Hide a meeting from the programme without destroying it."""
    return _act(
        web.get_or_404(Meeting, meeting_id),
        meeting_editing.archive_meeting,
        _l(
            "“%(title)s” is archived: hidden from the programme. You can restore it from this page."
        ),
    )


@bp.post("/<int:meeting_id>/restore")
@manages
def restore(meeting_id: int):
    """Bring an archived meeting back to the programme."""
    return _act(
        web.get_or_404(Meeting, meeting_id, include_archived=True),
        meeting_editing.restore_meeting,
        _l("“%(title)s” is restored."),
    )


# The agenda editor and the programme register their routes on import.
from workplan.meetings import agenda_pages, programme_pages  # noqa: E402, F401
