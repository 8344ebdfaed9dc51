"""Minutes, decisions and action items: what a meeting recorded, and how the work plan grows
out of it.

Minutes go from draft, to circulated to the delegations for comment, to approved; approved
minutes are locked and change only by an amendment that says why. Every saved text is kept.
An action item becomes a deliverable of the meeting's roundtable or team, or is linked to one,
and the deliverable shows where it came from.
"""

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from workplan import permissions
from workplan.extensions import db
from workplan.models import (
    OUTCOME_KINDS,
    AgendaItem,
    Deliverable,
    Government,
    Meeting,
    MeetingOutcome,
    Minutes,
    MinutesComment,
    MinutesRevision,
    utcnow,
)
from workplan.services import DomainError, check_version, flush_or_stale, records
from workplan.services import deliverables as deliverable_rules
from workplan.services.checks import limited, required

TEXT_LIMIT = 200_000
REASON_LIMIT = 500
COMMENT_LIMIT = 5000


def minutes_of(meeting: Meeting) -> Minutes | None:
    """The meeting's minutes, with their revisions, if anyone has started them."""
    return db.session.scalar(
        select(Minutes)
        .where(Minutes.meeting_id == meeting.id)
        .options(selectinload(Minutes.revisions))
    )


def _refuse_unusable(meeting: Meeting) -> None:
    if meeting.archived_at is not None:
        raise DomainError(_("Restore this meeting from the archive before changing its record."))
    if meeting.state == "draft":
        raise DomainError(_("Publish the meeting before keeping its minutes."))


def save_text(
    meeting: Meeting, text: str, version: int | None, user, reason: str | None = None
) -> Minutes:
    """Save the minutes' text as a new revision: freely while draft or circulated, and once
    approved only as an amendment that says why."""
    _refuse_unusable(meeting)
    text = required(text, _("Write the minutes."), "text", TEXT_LIMIT)
    minutes = minutes_of(meeting)
    if minutes is None:
        reason = limited(reason, "reason", REASON_LIMIT)
        try:
            with db.session.begin_nested():
                minutes = records.add(Minutes, {"meeting_id": meeting.id, "text": text})
        except IntegrityError as error:
            raise DomainError(
                _("Someone else started these minutes at the same moment. Reload the page.")
            ) from error
    else:
        if version is None:
            raise DomainError(_("This form lost its version. Reload the page and try again."))
        check_version(minutes, version)
        if minutes.is_locked:
            reason = required(
                reason,
                _("Approved minutes change only by an amendment: say why they are amended."),
                "reason",
                REASON_LIMIT,
            )
        else:
            reason = limited(reason, "reason", REASON_LIMIT)
        if text == minutes.text:
            raise DomainError(_("The text is the same as the saved one: nothing to save."), "text")
        minutes.text = text
        minutes.updated_at = utcnow()
        flush_or_stale(minutes)
    number = (
        db.session.scalar(
            select(func.max(MinutesRevision.number)).where(MinutesRevision.minutes_id == minutes.id)
        )
        or 0
    ) + 1
    db.session.add(
        MinutesRevision(
            minutes_id=minutes.id,
            number=number,
            state=minutes.state,
            text=text,
            reason=reason,
            saved_by_id=getattr(user, "id", None),
        )
    )
    db.session.flush()
    return minutes


def circulate(minutes: Minutes, version: int | None) -> None:
    """Send draft minutes to the delegations for comment, as the secretariat read them."""
    _refuse_unusable(minutes.meeting)
    _as_read(minutes, version)
    if minutes.state != "draft":
        raise DomainError(_("These minutes have already been circulated."))
    minutes.state = "circulated"
    minutes.circulated_at = utcnow()
    flush_or_stale(minutes)


def comment(minutes: Minutes, user, text: str, revision_number: int | None) -> MinutesComment:
    """A focal point's comment on circulated minutes, for their government, on the version
    they read. A comment on a text changed since is still taken: it names the version."""
    if minutes.state != "circulated":
        raise DomainError(
            _("These minutes are not open for comment: comments are taken while they circulate.")
        )
    text = required(text, _("Write your comment."), "comment", COMMENT_LIMIT)
    numbers = {revision.number for revision in minutes.revisions}
    if revision_number not in numbers:
        raise DomainError(_("This form lost the version you read. Reload the page and try again."))
    posted = MinutesComment(
        minutes=minutes,
        revision_number=revision_number,
        government_id=user.government_id,
        author_id=user.id,
        text=text,
    )
    db.session.add(posted)
    db.session.flush()
    return posted


def comments_on(minutes: Minutes, user) -> list[MinutesComment]:
    """The comments on the minutes the user may read, oldest first."""
    return [c for c in minutes.comments if permissions.can_read_minutes_comment(user, c)]


def _as_read(minutes: Minutes, version: int | None) -> None:
    """Refuse a step taken on a text someone has changed since the page was read."""
    if version is None:
        raise DomainError(_("This form lost its version. Reload the page and try again."))
    check_version(minutes, version)


def approve(minutes: Minutes, version: int | None) -> None:
    """Approve circulated minutes, the text the secretariat read: from now on they are locked."""
    _refuse_unusable(minutes.meeting)
    _as_read(minutes, version)
    if minutes.state != "circulated":
        raise DomainError(
            _("Circulate the minutes for comment before approving them.")
            if minutes.state == "draft"
            else _("These minutes are already approved.")
        )
    minutes.state = "approved"
    minutes.approved_at = utcnow()
    flush_or_stale(minutes)


# Decisions and action items.


@dataclass
class OutcomeDetails:
    """A decision or an action item as the secretariat records it."""

    kind: str
    text: str
    agenda_item_id: int | None = None
    due_on: date | None = None
    government_id: int | None = None


def readable_outcomes(user) -> list:
    """The condition for the decisions and action items a user may read: those of meetings
    whose minutes the user may read (all of them for the secretariat)."""
    states = permissions.readable_minutes_states(user)
    if states is None:
        return []
    return [
        MeetingOutcome.meeting_id.in_(select(Minutes.meeting_id).where(Minutes.state.in_(states)))
    ]


def outcomes_of(meeting: Meeting, user) -> list[MeetingOutcome]:
    """The meeting's decisions and action items the user may read, in the agenda's order,
    each item's decisions before its actions; those under no item last."""
    found = db.session.scalars(
        select(MeetingOutcome)
        .where(MeetingOutcome.meeting_id == meeting.id, *readable_outcomes(user))
        .options(
            selectinload(MeetingOutcome.agenda_item),
            selectinload(MeetingOutcome.deliverable),
            selectinload(MeetingOutcome.government),
        )
    ).all()

    def order(outcome: MeetingOutcome):
        item = outcome.agenda_item
        place = (0, item.position) if item is not None else (1, 0)
        return (*place, OUTCOME_KINDS.index(outcome.kind), outcome.id)

    return sorted(found, key=order)


def record_outcome(meeting: Meeting, details: OutcomeDetails) -> MeetingOutcome:
    """Record a decision or an action item under one of the meeting's agenda items."""
    _refuse_unusable(meeting)
    if details.kind not in OUTCOME_KINDS:
        raise DomainError(_("Choose a decision or an action item."), "kind")
    text = required(details.text, _("Say what was decided or agreed."), "statement", 5000)
    item = None
    if details.agenda_item_id:
        item = db.session.get(AgendaItem, details.agenda_item_id)
        if item is None or item.meeting_id != meeting.id:
            raise DomainError(_("Choose one of this meeting's agenda items."), "agenda_item")
    government = None
    if details.kind == "action":
        if details.government_id:
            government = db.session.get(Government, details.government_id)
            if government is None or government.archived_at is not None:
                raise DomainError(_("Choose a government from the list."), "government")
    elif details.due_on or details.government_id:
        raise DomainError(
            _("Only an action item has a due date and a responsible government."), "kind"
        )
    return records.add(
        MeetingOutcome,
        {
            "meeting_id": meeting.id,
            "agenda_item": item,
            "kind": details.kind,
            "text": text,
            "due_on": details.due_on if details.kind == "action" else None,
            "government": government,
        },
    )


def remove_outcome(outcome: MeetingOutcome) -> None:
    """Take a decision or action item off the record (the audit log keeps what it said)."""
    _refuse_unusable(outcome.meeting)
    if outcome.deliverable_id is not None:
        raise DomainError(
            _("This action item has become a deliverable; archive the deliverable instead.")
        )
    db.session.delete(outcome)
    db.session.flush()


def make_deliverable(outcome: MeetingOutcome) -> Deliverable:
    """Turn an action item into a deliverable of the meeting's roundtable or team, due when the
    action is due, for the government named; the deliverable's rules decide the rest."""
    meeting = outcome.meeting
    _refuse_unusable(meeting)
    if outcome.kind != "action":
        raise DomainError(_("Only an action item becomes a deliverable."))
    if outcome.deliverable_id is not None:
        raise DomainError(_("This action item is already a deliverable."))
    owner = meeting.roundtable or meeting.team
    if owner is None:
        raise DomainError(
            _(
                "This meeting belongs to no roundtable or team, so its action items cannot "
                "become deliverables of one: link the action item to a deliverable instead."
            )
        )
    if outcome.due_on is None or outcome.government_id is None:
        raise DomainError(_("Give the action item a due date and a responsible government first."))
    title = outcome.text if len(outcome.text) <= 300 else outcome.text[:299] + "…"
    deliverable = records.create(
        deliverable_rules,
        Deliverable,
        deliverable_rules.DeliverableFields(
            title=title,
            chairmanship_id=meeting.chairmanship_id,
            owner_kind="roundtable" if meeting.roundtable else "team",
            owner_id=owner.id,
            due_on=outcome.due_on,
            government_ids=[outcome.government_id],
            description=_("Agreed at %(meeting)s.", meeting=meeting.display_title),
        ),
    )
    outcome.deliverable = deliverable
    db.session.flush()
    return deliverable


def link_deliverable(outcome: MeetingOutcome, deliverable_id: int | None) -> None:
    """Say which deliverable of the work plan an action item is carried out by."""
    _refuse_unusable(outcome.meeting)
    if outcome.kind != "action":
        raise DomainError(_("Only an action item is carried out by a deliverable."))
    if outcome.deliverable_id is not None:
        raise DomainError(_("This action item is already a deliverable."))
    deliverable = db.session.get(Deliverable, deliverable_id) if deliverable_id else None
    if (
        deliverable is None
        or deliverable.archived_at is not None
        or deliverable.chairmanship_id != outcome.meeting.chairmanship_id
    ):
        raise DomainError(_("Choose a deliverable from the list."), "deliverable")
    outcome.deliverable = deliverable
    db.session.flush()


def origins_of(deliverable: Deliverable, user) -> list[MeetingOutcome]:
    """The action items a deliverable carries out, as far as the user may read them: where it
    came from."""
    return list(
        db.session.scalars(
            select(MeetingOutcome)
            .where(MeetingOutcome.deliverable_id == deliverable.id, *readable_outcomes(user))
            .options(selectinload(MeetingOutcome.meeting), selectinload(MeetingOutcome.agenda_item))
            .order_by(MeetingOutcome.id)
        )
    )


def linkable_deliverables(meeting: Meeting) -> list[Deliverable]:
    """The live deliverables an action item of this meeting may be linked to: its chairmanship's."""
    return list(
        db.session.scalars(
            select(Deliverable)
            .where(
                Deliverable.chairmanship_id == meeting.chairmanship_id,
                Deliverable.archived_at.is_(None),
            )
            .order_by(Deliverable.title)
        )
    )
