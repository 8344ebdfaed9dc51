"""Which rows a feed holds (its scope), and loading and writing them out in a fixed number of
queries."""

import json
from dataclasses import dataclass, field
from datetime import datetime
from itertools import groupby
from operator import itemgetter

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, exists, extract, func, or_, select

from workplan import formatting, permissions
from workplan.extensions import db
from workplan.feeds.writer import (
    DELIVERABLE_COLUMNS,
    MEETING_COLUMNS,
    ROUNDTABLE_TITLE,
    AgendaEntry,
    DeliverableEntry,
    Links,
    MeetingEntry,
    PaperEntry,
    SessionEntry,
    calendar_bytes,
    deliverable_event,
    meeting_event,
    one_line,
    session_event,
)
from workplan.models import (
    AgendaItem,
    CalendarFollow,
    Chairmanship,
    Deliverable,
    Document,
    DocumentFile,
    GovernmentTeam,
    Meeting,
    MeetingSession,
    Roundtable,
    RoundtableMember,
    TeamMembership,
    User,
    deliverable_governments,
    roundtable_co_chairs,
)
from workplan.models.document import DOCUMENT_LANGUAGES
from workplan.models.meeting import VISIBLE_STATES

# Deliverables no longer owed are taken out of calendars rather than left as a false due date.
DELIVERABLE_STATUSES_LEFT_OUT = ("dropped", "carried_over")


def _visible() -> list[ColumnElement[bool]]:
    return [Meeting.state.in_(VISIBLE_STATES), Meeting.archived_at.is_(None)]


@dataclass(frozen=True)
class Scope:
    """One feed: its cache key, its name, and the SQL conditions that pick its rows."""

    scope_key: str
    name: str
    description: str
    filename: str
    meetings: tuple
    # None when the feed holds no deliverables; a tuple of conditions when it does.
    deliverables: tuple | None = None
    # What the feed's own name depends on, so renaming the owner changes the ETag.
    stamp: str = ""
    # The owner's last change, a floor for Last-Modified.
    changed: datetime | None = None
    private: bool = False
    # Whose follows pick meetings: they are not audited, so they join the audit clock.
    follower_id: int | None = None
    # The language the feed speaks around the data, fixed when the scope is made.
    language: str = field(default_factory=formatting.locale)
    # The access levels of the meetings' papers the feed links to: its reader's.
    document_access: tuple[str, ...] = ("public",)

    @property
    def key(self) -> str:
        """The feed's cache key: each language has its own body and ETag."""
        return f"{self.scope_key}.{self.language}"


def public_scope() -> Scope:
    """Every published meeting, cancelled ones included and marked."""
    return Scope(
        scope_key="meetings",
        name=_("GFMD meetings"),
        description=_("All published meetings of the Global Forum on Migration and Development."),
        filename="gfmd-meetings.ics",
        meetings=tuple(_visible()),
    )


def chairmanship_scope(chairmanship: Chairmanship) -> Scope:
    """The published meetings of one chairmanship."""
    label = one_line(chairmanship.label)
    return Scope(
        scope_key=f"chairmanship-{chairmanship.id}",
        # Labels are written "GFMD 2014"; the forum's name is not repeated.
        name=label if label.upper().startswith("GFMD") else f"GFMD {label}",
        description=_(
            "Published meetings of the GFMD chairmanship %(label)s.", label=chairmanship.label
        ),
        filename=f"gfmd-chairmanship-{chairmanship.id}.ics",
        meetings=(*_visible(), Meeting.chairmanship_id == chairmanship.id),
        stamp=chairmanship.label,
        changed=chairmanship.updated_at,
    )


def roundtable_scope(roundtable: Roundtable) -> Scope:
    """The published meetings of one roundtable."""
    label = f"{roundtable.code} {one_line(formatting.shown(roundtable, 'title'))}"
    return Scope(
        scope_key=f"roundtable-{roundtable.id}",
        name=f"GFMD {label}",
        description=_("Published meetings of GFMD roundtable %(label)s.", label=label),
        filename=f"gfmd-roundtable-{roundtable.id}.ics",
        meetings=(*_visible(), Meeting.roundtable_id == roundtable.id),
        stamp=label,
        changed=roundtable.updated_at,
    )


def team_scope(team: GovernmentTeam) -> Scope:
    """The published meetings of one government team."""
    return Scope(
        scope_key=f"team-{team.id}",
        name=f"GFMD {team.name}",
        description=_("Published meetings of the GFMD government team %(name)s.", name=team.name),
        filename=f"gfmd-team-{team.id}.ics",
        meetings=(*_visible(), Meeting.team_id == team.id),
        stamp=team.name,
        changed=team.updated_at,
    )


def meeting_scope(meeting: Meeting) -> Scope:
    """One meeting, for "Add to calendar"."""
    return Scope(
        scope_key=f"meeting-{meeting.id}",
        name=f"GFMD: {one_line(meeting.title)}",
        description=_("One meeting of the Global Forum on Migration and Development."),
        filename=f"gfmd-meeting-{meeting.id}.ics",
        meetings=(*_visible(), Meeting.id == meeting.id),
    )


def government_meeting_reasons(government_id) -> list[ColumnElement[bool]]:
    """Why a meeting concerns a government: it co-chairs or sits on the meeting's roundtable,
    or leads or belonged that year to its team. `government_id` may be a column, to ask of
    every government at once (who is told of a meeting, services.notices)."""
    year = extract("year", Meeting.starts_at)
    return [
        Meeting.roundtable_id.in_(
            select(roundtable_co_chairs.c.roundtable_id).where(
                roundtable_co_chairs.c.government_id == government_id
            )
        ),
        Meeting.roundtable_id.in_(
            select(RoundtableMember.roundtable_id).where(
                RoundtableMember.government_id == government_id
            )
        ),
        Meeting.team_id.in_(
            select(GovernmentTeam.id).where(GovernmentTeam.lead_government_id == government_id)
        ),
        # A team's meetings count only for the years the government belonged to it.
        exists().where(
            TeamMembership.team_id == Meeting.team_id,
            TeamMembership.government_id == government_id,
            TeamMembership.joined_year <= year,
            or_(TeamMembership.left_year.is_(None), TeamMembership.left_year >= year),
        ),
    ]


def private_meeting_conditions(user: User) -> list[ColumnElement[bool]]:
    """Meetings of the user's government's roundtables and teams, and of what the user follows."""
    follows = select(CalendarFollow).where(CalendarFollow.user_id == user.id).subquery()
    reasons = [
        Meeting.roundtable_id.in_(
            select(follows.c.roundtable_id).where(follows.c.roundtable_id.is_not(None))
        ),
        Meeting.team_id.in_(select(follows.c.team_id).where(follows.c.team_id.is_not(None))),
        Meeting.kind.in_(select(follows.c.meeting_kind).where(follows.c.meeting_kind.is_not(None))),
    ]
    government_id = permissions.feed_government_id(user)
    if government_id is not None:
        reasons += government_meeting_reasons(government_id)
    return [*_visible(), or_(*reasons)]


def private_deliverable_conditions(user: User) -> tuple | None:
    """A focal point's government's deliverables, and nobody else's."""
    government_id = permissions.feed_due_dates_government_id(user)
    if government_id is None:
        return None
    return (
        Deliverable.archived_at.is_(None),
        Deliverable.status.not_in(DELIVERABLE_STATUSES_LEFT_OUT),
        Deliverable.id.in_(
            select(deliverable_governments.c.deliverable_id).where(
                deliverable_governments.c.government_id == government_id
            )
        ),
    )


def private_scope(user: User) -> Scope:
    """A user's own feed: their government's meetings and due dates, and what they follow."""
    return Scope(
        scope_key=f"private-{user.id}",
        name=f"GFMD: {user.name}",
        description=_(
            "Meetings of your government's roundtables and teams, what you follow, "
            "and your government's deliverable due dates."
        ),
        filename="gfmd-my-calendar.ics",
        meetings=tuple(private_meeting_conditions(user)),
        deliverables=private_deliverable_conditions(user),
        stamp=json.dumps([user.name, user.role, user.government_id]),
        changed=user.updated_at,
        private=True,
        follower_id=user.id,
        document_access=permissions.readable_access_levels(user),
    )


# Building, and the cache of built bodies.


def _in_language(columns: tuple, language: str) -> list:
    """The feed's columns, with the texts entered in several languages in the feed's own."""
    swapped = {
        ROUNDTABLE_TITLE: Roundtable.title_column(language),
        Meeting.title: Meeting.column_in("title", language),
        Meeting.description: Meeting.column_in("description", language),
    }
    return [next((v for k, v in swapped.items() if k is column), column) for column in columns]


def load_meetings(scope: Scope) -> tuple[list[MeetingEntry], dict[int, list[AgendaEntry]]]:
    """The feed's meetings and their agendas, in two queries whatever their number."""
    in_scope = select(Meeting.id).where(*scope.meetings)
    # The agenda's last change, per meeting, by the database: one value per meeting instead of
    # one parsed timestamp per item. Correlated, so each is one index lookup whatever the
    # planner's statistics say (a grouped join was planned as a nested loop on fresh data).
    agenda_changed = (
        select(func.max(AgendaItem.updated_at))
        .where(AgendaItem.meeting_id == Meeting.id)
        .correlate(Meeting)
        .scalar_subquery()
    )
    # Core rather than ORM execution: plain rows, without the ORM's per-row bookkeeping.
    connection = db.session.connection()
    rows = connection.execute(
        select(*_in_language(MEETING_COLUMNS, scope.language), agenda_changed)
        .outerjoin(Roundtable, Meeting.roundtable_id == Roundtable.id)
        .outerjoin(GovernmentTeam, Meeting.team_id == GovernmentTeam.id)
        .where(*scope.meetings)
        .order_by(Meeting.starts_at, Meeting.id)
    ).all()
    meetings = [MeetingEntry(*row) for row in rows]
    agendas: dict[int, list[AgendaEntry]] = {}
    if meetings:
        items = connection.execute(
            select(
                AgendaItem.meeting_id,
                AgendaItem.column_in("title", scope.language).label("title"),
                AgendaItem.duration_minutes,
                AgendaItem.session_id,
                MeetingSession.starts_at.label("session_starts_at"),
            )
            .outerjoin(MeetingSession, AgendaItem.session_id == MeetingSession.id)
            .where(AgendaItem.meeting_id.in_(in_scope))
            .order_by(AgendaItem.meeting_id, AgendaItem.position, AgendaItem.id)
        ).all()  # one fetchall rather than a fetch per row while grouping
        for meeting_id, group in groupby(items, key=itemgetter(0)):
            agendas[meeting_id] = list(group)
    return meetings, agendas


def load_deliverables(scope: Scope) -> list[DeliverableEntry]:
    """The feed's deliverable due dates, in one query."""
    if scope.deliverables is None:
        return []
    rows = (
        db.session.connection()
        .execute(
            select(*_in_language(DELIVERABLE_COLUMNS, scope.language))
            .outerjoin(Roundtable, Deliverable.roundtable_id == Roundtable.id)
            .outerjoin(GovernmentTeam, Deliverable.team_id == GovernmentTeam.id)
            .where(*scope.deliverables)
            .order_by(Deliverable.due_on, Deliverable.id)
        )
        .all()
    )
    return [DeliverableEntry(*row) for row in rows]


def load_sessions(meetings: list[MeetingEntry], language: str) -> dict[int, list[SessionEntry]]:
    """The sessions of the meetings whose calendar events are their sessions, in one query."""
    ids = [m.id for m in meetings if m.sessions_in_feed]
    if not ids:
        return {}
    rows = (
        db.session.connection()
        .execute(
            select(
                MeetingSession.id,
                MeetingSession.meeting_id,
                MeetingSession.column_in("title", language).label("title"),
                MeetingSession.room,
                MeetingSession.starts_at,
                MeetingSession.ends_at,
                MeetingSession.version,
                MeetingSession.updated_at,
            )
            .where(MeetingSession.meeting_id.in_(ids))
            .order_by(MeetingSession.meeting_id, MeetingSession.starts_at, MeetingSession.id)
        )
        .all()
    )
    return {
        meeting_id: [SessionEntry(*row) for row in group]
        for meeting_id, group in groupby(rows, key=itemgetter(1))
    }


def load_papers(scope: Scope) -> dict[int, list[PaperEntry]]:
    """The papers on the shelves of the feed's meetings that its reader may open, by meeting,
    each linked in the feed's language where it has a file in it, else in English, French or
    Spanish, in that order."""
    preference = [scope.language, *(code for code in DOCUMENT_LANGUAGES if code != scope.language)]
    rows = (
        db.session.connection()
        .execute(
            select(
                Document.meeting_id,
                Document.id,
                Document.column_in("title", scope.language),
                DocumentFile.language,
                DocumentFile.content_type,
            )
            .join(DocumentFile, DocumentFile.document_id == Document.id)
            .where(
                Document.meeting_id.in_(select(Meeting.id).where(*scope.meetings)),
                Document.archived_at.is_(None),
                Document.access.in_(scope.document_access),
            )
            .order_by(Document.meeting_id, Document.id, DocumentFile.number)
        )
        .all()
    )
    papers: dict[int, list[PaperEntry]] = {}
    for (meeting_id, document_id, title), files in groupby(rows, key=itemgetter(0, 1, 2)):
        latest = {language: content_type for *_, language, content_type in files}
        language = next(code for code in preference if code in latest)
        papers.setdefault(meeting_id, []).append(
            PaperEntry(meeting_id, document_id, title, language, latest[language])
        )
    return papers


def build_calendar(scope: Scope, links: Links) -> bytes:
    """The feed's bytes: meetings by start (a meeting given by sessions, one event each), then
    due dates by day."""
    meetings, agendas = load_meetings(scope)
    sessions = load_sessions(meetings, scope.language)
    papers = load_papers(scope) if meetings else {}
    events = []
    for meeting in meetings:
        if sessions.get(meeting.id):
            agenda = agendas.get(meeting.id, ())
            events += [session_event(meeting, s, links, agenda) for s in sessions[meeting.id]]
        else:
            events.append(
                meeting_event(
                    meeting, agendas.get(meeting.id, ()), links, papers=papers.get(meeting.id, ())
                )
            )
    events += [deliverable_event(d, links) for d in load_deliverables(scope)]
    return calendar_bytes(scope.name, scope.description, events)
