"""A meeting's agenda: items with durations, in an order the secretariat sets.

Each item's start is derived from the meeting's start and the items before it
(`Meeting.agenda_schedule`), never stored. Nothing here commits.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext as _

from workplan import audit
from workplan.extensions import db
from workplan.models import AgendaItem, Meeting, MeetingSession
from workplan.services import DomainError, check_version, flush_or_stale
from workplan.services.checks import is_http_url, translations

TITLE_MAX = 300
# A day: longer than any session of a summit, short enough to catch a mistyped number.
DURATION_MAX = 24 * 60
DIRECTIONS = ("up", "down")


def _refuse_archived(meeting: Meeting) -> None:
    """An archived meeting is frozen until it is restored."""
    if meeting.archived_at is not None:
        raise DomainError(_("Restore this meeting from the archive before changing its agenda."))


def _checked(
    title: str,
    duration_minutes: int | None,
    speakers: str | None,
    notes: str | None,
    links,
    title_fr: str | None = None,
    title_es: str | None = None,
) -> dict:
    """An item's fields, checked: a title, a positive duration, and links that are web pages."""
    title = (title or "").strip()
    if not title:
        raise DomainError(_("Give the item a title."), field="title")
    if len(title) > TITLE_MAX:
        raise DomainError(
            _("Keep the title to %(count)s characters or fewer.", count=TITLE_MAX),
            field="title",
        )
    if (
        not isinstance(duration_minutes, int)
        or isinstance(duration_minutes, bool)
        or duration_minutes <= 0
    ):
        raise DomainError(
            _("Give the duration in whole minutes, more than zero."), field="duration_minutes"
        )
    if duration_minutes > DURATION_MAX:
        raise DomainError(
            _("An agenda item lasts at most 24 hours (1440 minutes); split longer sessions."),
            field="duration_minutes",
        )
    lines = [line.strip() for line in (links or "").splitlines() if line.strip()]
    for line in lines:
        # A line is an address, optionally after a label: "Concept note https://...".
        if not is_http_url(line.split()[-1]):
            raise DomainError(
                _(
                    "“%(line)s” does not end with a web address starting with http:// or "
                    "https://. Put one link per line, optionally after a label.",
                    line=line[:80],
                ),
                field="links",
            )
    return {
        "title": title,
        **translations({"title_fr": title_fr, "title_es": title_es}, {"title": TITLE_MAX}),
        "duration_minutes": duration_minutes,
        "speakers": (speakers or "").strip() or None,
        "notes": (notes or "").strip() or None,
        "links": "\n".join(lines) or None,
    }


def _session_of(meeting: Meeting, session_id: int | None) -> MeetingSession | None:
    """The session of this meeting's programme an item is to belong to, if any."""
    if session_id is None:
        return None
    session = next((s for s in meeting.sessions if s.id == session_id), None)
    if session is None or session.kind == "break":
        raise DomainError(
            _("Choose one of this meeting's sessions, or the meeting as a whole."),
            field="session_id",
        )
    return session


def add_item(
    meeting: Meeting,
    *,
    session_id: int | None = None,
    title: str,
    duration_minutes: int | None,
    speakers: str | None = None,
    notes: str | None = None,
    links: str | None = None,
    title_fr: str | None = None,
    title_es: str | None = None,
) -> AgendaItem:
    """Add an item at the end of a meeting's agenda."""
    _refuse_archived(meeting)
    fields = _checked(title, duration_minutes, speakers, notes, links, title_fr, title_es)
    session = _session_of(meeting, session_id)
    position = max((item.position for item in meeting.agenda_items), default=-1) + 1
    item = AgendaItem(meeting=meeting, session=session, position=position, **fields)
    db.session.add(item)
    db.session.flush()
    return item


def update_item(
    item: AgendaItem,
    version: int | None,
    *,
    session_id: int | None = None,
    title: str,
    duration_minutes: int | None,
    speakers: str | None = None,
    notes: str | None = None,
    links: str | None = None,
    title_fr: str | None = None,
    title_es: str | None = None,
) -> None:
    """Save an edit of an agenda item made from the copy the form carried."""
    check_version(item, version)
    _refuse_archived(item.meeting)
    fields = _checked(title, duration_minutes, speakers, notes, links, title_fr, title_es)
    item.session = _session_of(item.meeting, session_id)
    for key, value in fields.items():
        setattr(item, key, value)
    flush_or_stale(item)


def remove_item(item: AgendaItem) -> None:
    """Take an item off the agenda; the items after it start earlier."""
    meeting = item.meeting
    _refuse_archived(meeting)
    meeting.agenda_items.remove(item)
    flush_or_stale(meeting)


def _apply_order(meeting: Meeting, ordered: Sequence[AgendaItem]) -> None:
    """Number the items 0, 1, 2 ... in the given order, writing only those that moved.

    The audit log gets one "agenda reordered" event on the meeting, not one per moved item.
    """
    before = [item.id for item in sorted(meeting.agenda_items, key=lambda item: item.position)]
    after = [item.id for item in ordered]
    if before != after:
        audit.summarise(db.session, meeting, {"agenda": before}, {"agenda": after}, ordered)
    for position, item in enumerate(ordered):
        if item.position != position:
            item.position = position
    flush_or_stale(meeting)
    # The loaded list keeps its old order until it is read again.
    db.session.expire(meeting, ["agenda_items"])


def move_item(item: AgendaItem, direction: str) -> None:
    """Move an item one place up or down the agenda."""
    if direction not in DIRECTIONS:
        raise DomainError(_("Move an item up or down."), field="direction")
    meeting = item.meeting
    _refuse_archived(meeting)
    ordered = list(meeting.agenda_items)
    index = ordered.index(item)
    target = index - 1 if direction == "up" else index + 1
    if not 0 <= target < len(ordered):
        raise DomainError(
            _("“%(title)s” is already first on the agenda.", title=item.title)
            if direction == "up"
            else _("“%(title)s” is already last on the agenda.", title=item.title)
        )
    ordered[index], ordered[target] = ordered[target], ordered[index]
    _apply_order(meeting, ordered)


def reorder(meeting: Meeting, item_ids: Sequence[int]) -> None:
    """Put a meeting's agenda in a new order, given as the list of its items' ids."""
    _refuse_archived(meeting)
    by_id = {item.id: item for item in meeting.agenda_items}
    if len(item_ids) != len(set(item_ids)) or set(item_ids) != set(by_id):
        # Someone else may have added or removed an item since the page was loaded.
        raise DomainError(
            _(
                "The new order must name every item of this agenda exactly once. Reload the page "
                "to see the agenda as it is now, and try again."
            ),
            field="order",
        )
    _apply_order(meeting, [by_id[item_id] for item_id in item_ids])


def schedule(meeting: Meeting) -> list[tuple[AgendaItem, datetime]]:
    """Each item with its derived start, in agenda order."""
    return list(meeting.agenda_schedule())


@dataclass(frozen=True)
class TimedItem:
    """An agenda item with its derived start and end, and how far it runs past the meeting's end
    (zero for an item that ends in time)."""

    item: AgendaItem
    start: datetime
    end: datetime
    overrun_minutes: int
    starts_after_meeting: bool


@dataclass(frozen=True)
class TimedAgenda:
    """An agenda as the printed page shows it: every item timed, and where it overruns."""

    items: list[TimedItem]
    meeting_ends_at: datetime
    overrun_minutes: int

    @property
    def first_overrun(self) -> TimedItem | None:
        """The item that runs past the meeting's end first, if any."""
        return next((timed for timed in self.items if timed.overrun_minutes), None)


def timed(meeting: Meeting) -> TimedAgenda:
    """Each item with its start and end; an item ending after its session, or after the meeting
    when it belongs to none, says by how much."""
    items = []
    for item, start in meeting.agenda_schedule():
        ends_at = item.session.ends_at if item.session_id is not None else meeting.ends_at
        end = start + timedelta(minutes=item.duration_minutes)
        past = max(end - ends_at, timedelta(0))
        items.append(TimedItem(item, start, end, int(past.total_seconds() // 60), start >= ends_at))
    return TimedAgenda(items, meeting.ends_at, max((t.overrun_minutes for t in items), default=0))
