"""Putting meetings on the programme and editing them, with times typed in the venue's clock.

Time and place follow the lifecycle rules of `workplan.services.meetings` (publish, cancel,
reschedule, move), which raise the meeting's SEQUENCE so calendar clients replace their copy.
Nothing here commits.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from workplan.extensions import db
from workplan.models import MEETING_KINDS, Chairmanship, GovernmentTeam, Meeting, Roundtable
from workplan.services import DomainError, check_version, flush_or_stale, meetings, records
from workplan.services.checks import translations

TITLE_MAX = 300


def venue_times(
    starts_local: datetime, ends_local: datetime, timezone: str
) -> tuple[datetime, datetime]:
    """The UTC instants that wall-clock times at the venue name, each error at its own field."""
    timezone = meetings.check_timezone(timezone)
    starts_at = meetings.venue_instant(starts_local, timezone)
    try:
        ends_at = meetings.venue_instant(ends_local, timezone)
    except DomainError as error:
        # venue_instant speaks of the start; the person typed this one in the end field.
        raise DomainError(error.message, field="ends_at") from error
    if ends_at <= starts_at:
        raise DomainError(_("The meeting must end after it starts."), field="ends_at")
    return starts_at, ends_at


@dataclass
class MeetingDetails:
    """What the secretariat types about a meeting, its times in the venue's clock."""

    chairmanship_id: int | None
    kind: str
    title: str
    starts_local: datetime | None
    ends_local: datetime | None
    timezone: str
    venue: str | None = None
    city: str | None = None
    online_url: str | None = None
    description: str | None = None
    roundtable_id: int | None = None
    team_id: int | None = None
    # The title and description in French and Spanish, shown to readers of those languages.
    translations: dict[str, str | None] = field(default_factory=dict)


def _details(details: MeetingDetails) -> dict:
    """The meeting's descriptive fields, checked against the forum's rules."""
    if details.kind not in MEETING_KINDS:
        raise DomainError(_("Choose the kind of meeting from the list."), field="kind")
    title = (details.title or "").strip()
    if not title:
        raise DomainError(_("Give the meeting a title."), field="title")
    if len(title) > TITLE_MAX:
        raise DomainError(
            _("Keep the title to %(count)s characters or fewer.", count=TITLE_MAX),
            field="title",
        )
    chairmanship = (
        db.session.get(Chairmanship, details.chairmanship_id) if details.chairmanship_id else None
    )
    if chairmanship is None:
        raise DomainError(
            _("Choose the chairmanship the meeting belongs to."), field="chairmanship"
        )
    if chairmanship.archived_at is not None:
        raise DomainError(
            _(
                "%(chairmanship)s is archived; restore it before planning meetings in it.",
                chairmanship=chairmanship.label,
            ),
            field="chairmanship",
        )
    roundtable = (
        db.session.get(Roundtable, details.roundtable_id) if details.roundtable_id else None
    )
    if roundtable is not None:
        if roundtable.archived_at is not None:
            raise DomainError(_("%(code)s is archived.", code=roundtable.code), field="roundtable")
        if roundtable.chairmanship_id != chairmanship.id:
            raise DomainError(
                _(
                    "%(code)s belongs to another chairmanship; choose a roundtable of "
                    "%(chairmanship)s, or none.",
                    code=roundtable.code,
                    chairmanship=chairmanship.label,
                ),
                field="roundtable",
            )
    elif details.kind == "roundtable_session":
        raise DomainError(_("Say which roundtable this session is for."), field="roundtable")
    team = db.session.get(GovernmentTeam, details.team_id) if details.team_id else None
    if team is not None and team.archived_at is not None:
        raise DomainError(_("%(name)s is archived.", name=team.name), field="team")
    return {
        "chairmanship": chairmanship,
        "kind": details.kind,
        "title": title,
        "description": (details.description or "").strip() or None,
        **translations(details.translations, {"title": TITLE_MAX, "description": None}),
        "roundtable": roundtable,
        "team": team,
    }


def create_meeting(details: MeetingDetails) -> Meeting:
    """Put a new meeting on the programme as a draft, its times given in the venue's clock."""
    fields = _details(details)
    starts_at, ends_at = venue_times(details.starts_local, details.ends_local, details.timezone)
    meeting = Meeting(state="draft", **fields)
    # The lifecycle service holds the rules of time and place; it checks them here too.
    meetings.reschedule(meeting, starts_at, ends_at, details.timezone)
    meetings.move(meeting, details.venue, details.city, details.online_url)
    # Nobody's calendar holds an earlier copy of a new meeting, so its SEQUENCE starts at 0.
    meeting.sequence = 0
    db.session.add(meeting)
    db.session.flush()
    return meeting


def update_meeting(meeting: Meeting, details: MeetingDetails, version: int | None) -> None:
    """Save an edit of a meeting; a new time or place counts as a change for calendars."""
    check_version(meeting, version)
    _refuse_archived(meeting)
    fields = _details(details)
    starts_at, ends_at = venue_times(details.starts_local, details.ends_local, details.timezone)
    for key, value in fields.items():
        setattr(meeting, key, value)
    meetings.reschedule(meeting, starts_at, ends_at, details.timezone)
    meetings.move(meeting, details.venue, details.city, details.online_url)
    flush_or_stale(meeting)


def reschedule_meeting(
    meeting: Meeting,
    version: int | None,
    starts_local: datetime,
    ends_local: datetime,
    timezone: str,
) -> None:
    """Move a meeting to new times at its venue; the agenda moves with it."""
    check_version(meeting, version)
    _refuse_archived(meeting)
    starts_at, ends_at = venue_times(starts_local, ends_local, timezone)
    meetings.reschedule(meeting, starts_at, ends_at, timezone)
    flush_or_stale(meeting)


def archive_meeting(meeting: Meeting, now: datetime | None = None) -> None:
    """Hide a meeting from the programme; one still to come must be cancelled first."""
    now = now or datetime.now(UTC)
    if meeting.state == "published" and meeting.ends_at > now:
        # An archived meeting leaves the feeds silently; a cancellation tells subscribers.
        raise DomainError(
            _(
                "This meeting is published and still to come: cancel it first, so that calendar "
                "subscribers are told, then archive it."
            )
        )
    records.archive(meeting)
    flush_or_stale(meeting)


def restore_meeting(meeting: Meeting) -> None:
    """Bring an archived meeting back to the programme, in the state it had."""
    records.restore(meeting)
    flush_or_stale(meeting)


def _refuse_archived(meeting: Meeting) -> None:
    """An archived meeting is frozen until it is restored."""
    if meeting.archived_at is not None:
        raise DomainError(_("Restore this meeting from the archive before changing it."))


@dataclass(frozen=True)
class FormOptions:
    """What the meeting form offers: live chairmanships, roundtables and teams."""

    chairmanships: list[Chairmanship]
    roundtables: list[Roundtable]
    teams: list[GovernmentTeam]

    def within(self, roundtables: list[Roundtable]) -> "FormOptions":
        """The choices narrowed to meetings of these roundtables: no team, and only their
        chairmanships."""
        kept = [rt for rt in self.roundtables if rt in roundtables]
        held = {rt.chairmanship_id for rt in kept}
        return FormOptions([c for c in self.chairmanships if c.id in held], kept, [])


def live_roundtables() -> list[Roundtable]:
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


def live_teams() -> list[GovernmentTeam]:
    """Government teams still in use, by name."""
    return list(
        db.session.scalars(
            select(GovernmentTeam)
            .where(GovernmentTeam.archived_at.is_(None))
            .order_by(GovernmentTeam.name)
        )
    )


def form_options() -> FormOptions:
    """The meeting form's choices."""
    chairmanships = db.session.scalars(
        select(Chairmanship)
        .where(Chairmanship.archived_at.is_(None))
        .order_by(Chairmanship.starts_on.desc())
    ).all()
    return FormOptions(chairmanships, live_roundtables(), live_teams())
