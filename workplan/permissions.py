"""Every "may this user do this to that" answer, written once.

Views, templates, feeds and exports all ask these functions, so a button and its route can never
disagree. The matrix is in docs/architecture.md; `tests/test_permissions.py` walks it.
"""

from workplan.models import (
    ACCESS_LEVELS,
    Chairmanship,
    Commitment,
    Deliverable,
    Document,
    Government,
    GovernmentTeam,
    Indicator,
    Meeting,
    Minutes,
    MinutesComment,
    Offer,
    Organisation,
    Pledge,
    Practice,
    Roundtable,
    Theme,
    User,
    WorkPlan,
)


def _signed_in(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def is_secretariat(user) -> bool:
    """Whether the user works for the chair's secretariat."""
    return _signed_in(user) and user.role == "secretariat"


def can_read_programme(user) -> bool:
    """Published meetings and agendas: everyone, anonymous visitors included."""
    return True


def co_chairs(user, roundtable: Roundtable | None) -> bool:
    """Whether the user is a focal point of one of a live roundtable's co-chair governments.

    Co-chairs may change the roundtable's description, draft its meetings and agendas, and
    manage its deliverables; nothing more. The secretariat may hand them the publishing of the
    roundtable's meetings too (`Roundtable.co_chairs_publish`).
    """
    return (
        roundtable is not None
        and _signed_in(user)
        and user.role == "focal_point"
        and roundtable.archived_at is None
        and roundtable.chairmanship.archived_at is None
        and any(government.id == user.government_id for government in roundtable.co_chairs)
    )


def co_chaired_roundtables(user) -> list[Roundtable]:
    """The live roundtables whose co-chairs' rights the user holds."""
    if not (_signed_in(user) and user.role == "focal_point" and user.government is not None):
        return []
    return [
        roundtable
        for roundtable in user.government.co_chaired_roundtables
        if roundtable.archived_at is None and roundtable.chairmanship.archived_at is None
    ]


def can_see_meeting(user, meeting: Meeting) -> bool:
    """Drafts and archived meetings stay inside the secretariat, but for the drafts of a
    roundtable's meetings, which its co-chairs write."""
    if meeting.is_public or is_secretariat(user):
        return True
    return meeting.archived_at is None and co_chairs(user, meeting.roundtable)


def can_draft_meetings(user) -> bool:
    """Open the form for a new meeting: the secretariat, and the co-chairs of a roundtable (for
    that roundtable's meetings)."""
    return is_secretariat(user) or bool(co_chaired_roundtables(user))


def can_draft_meeting(user, meeting: Meeting) -> bool:
    """Change a meeting, its agenda and its programme: the secretariat; a roundtable's co-chairs
    while their meeting is a draft, or whenever it is theirs to publish."""
    if meeting.archived_at is not None:
        return False
    if is_secretariat(user):
        return True
    roundtable = meeting.roundtable
    return co_chairs(user, roundtable) and (
        meeting.state == "draft" or roundtable.co_chairs_publish
    )


def can_publish_meeting(user, meeting: Meeting) -> bool:
    """Publish a meeting: the secretariat (a draft, or a cancelled one to reinstate it), or
    the co-chairs it has handed that to (a draft)."""
    if is_secretariat(user):
        return True
    return (
        meeting.state == "draft"
        and co_chairs(user, meeting.roundtable)
        and meeting.roundtable.co_chairs_publish
    )


def can_describe_roundtable(user, roundtable: Roundtable) -> bool:
    """Change a roundtable's description: the secretariat, and the roundtable's co-chairs."""
    return (is_secretariat(user) and roundtable.archived_at is None) or co_chairs(user, roundtable)


def readable_access_levels(user) -> tuple[str, ...]:
    """The documents' access levels a user may read: public ones by anyone, members' ones by
    anyone signed in, the secretariat's by the secretariat."""
    if is_secretariat(user):
        return ACCESS_LEVELS
    return ("public", "members") if _signed_in(user) else ("public",)


def can_read_document(user, document: Document) -> bool:
    """A document: at its access level, on a shelf the user may see, and not archived (those
    only the secretariat sees, to restore them)."""
    if is_secretariat(user):
        return True
    shelf = document.shelf
    if document.archived_at is not None or shelf.archived_at is not None:
        return False
    if isinstance(shelf, Meeting) and not can_see_meeting(user, shelf):
        return False
    return document.access in readable_access_levels(user)


def can_manage_documents(user) -> bool:
    """Put documents on shelves, upload their versions, change and archive them."""
    return is_secretariat(user)


def can_keep_minutes(user) -> bool:
    """Write, circulate, approve and amend minutes; record decisions and action items."""
    return is_secretariat(user)


def readable_minutes_states(user) -> tuple[str, ...] | None:
    """The states of a meeting's minutes in which its minutes, decisions and action items may
    be read: drafts stay with the secretariat (None: whatever the state, even before any
    minutes), circulated ones go to the focal points for comment, approved ones to every
    member of the forum."""
    if is_secretariat(user):
        return None
    if not _signed_in(user):
        return ()
    return ("circulated", "approved") if user.role == "focal_point" else ("approved",)


def can_read_minutes(user, minutes: Minutes) -> bool:
    """Minutes, by their state (see readable_minutes_states), of a meeting the user sees."""
    states = readable_minutes_states(user)
    if states is None:
        return True
    return can_see_meeting(user, minutes.meeting) and minutes.state in states


def can_comment_on_minutes(user, minutes: Minutes) -> bool:
    """Comment on minutes they may read: a focal point, for their government (the rules take
    comments only while the minutes circulate)."""
    return (
        _signed_in(user)
        and user.role == "focal_point"
        and user.government_id is not None
        and can_read_minutes(user, minutes)
    )


def can_read_minutes_comment(user, comment: MinutesComment) -> bool:
    """A comment on minutes: the secretariat reads every one, a focal point their own
    government's."""
    if is_secretariat(user):
        return True
    return (
        _signed_in(user)
        and user.role == "focal_point"
        and user.government_id == comment.government_id
    )


def can_manage_indicators(user) -> bool:
    """Give objectives indicators, and record the values observed."""
    return is_secretariat(user)


def own_government_id(user) -> int | None:
    """The government a user acts for: a focal point's own; nobody else acts for one."""
    if _signed_in(user) and user.role == "focal_point":
        return user.government_id
    return None


def _writes_for_a_government(user) -> bool:
    """The secretariat, or a focal point acting for their government."""
    return is_secretariat(user) or own_government_id(user) is not None


def can_submit_practices(user) -> bool:
    """Write a good practice and send it for review: the secretariat, and a focal point for
    their government."""
    return _writes_for_a_government(user)


def can_register_commitments(user) -> bool:
    """Register a commitment: the secretariat (for a government or an organisation), and a
    focal point for their government."""
    return _writes_for_a_government(user)


def can_report_on_commitment(user, commitment: Commitment) -> bool:
    """Change a commitment and report on it: the secretariat, and the focal points of the
    government that made it."""
    if commitment.archived_at is not None:
        return False
    if is_secretariat(user):
        return True
    own = own_government_id(user)
    return own is not None and own == commitment.government_id


def can_review_practices(user) -> bool:
    """Publish a submitted practice or return it with a comment; archive and restore them."""
    return is_secretariat(user)


def can_read_practice(user, practice: Practice) -> bool:
    """A published practice is public; drafts, submitted and returned ones are read by the
    secretariat and by the focal points of the government that wrote them."""
    if is_secretariat(user):
        return True
    if practice.archived_at is not None:
        return False
    if practice.state == "published":
        return True
    own = own_government_id(user)
    return own is not None and own == practice.government_id


def can_edit_practice(user, practice: Practice) -> bool:
    """Change a practice: the secretariat, whatever its state; its government's focal points
    while it is a draft or returned to them."""
    if practice.archived_at is not None:
        return False
    if is_secretariat(user):
        return True
    return practice.state in ("draft", "returned") and can_read_practice(user, practice)


def can_record_adoption(user, government: Government) -> bool:
    """Say that a government took a practice up: the secretariat, or that government's focal
    point."""
    return can_report_for(user, government)


def can_see_offers(user) -> bool:
    """The offers pages: the secretariat (every government's), and a focal point (their
    government's)."""
    return is_secretariat(user) or own_government_id(user) is not None


def can_make_offers(user) -> bool:
    """Offer to co-chair a roundtable, join a team or propose a theme: a focal point, for their
    government."""
    return own_government_id(user) is not None


def can_read_offer(user, offer: Offer) -> bool:
    """An offer: the secretariat, and the focal points of the government that made it."""
    if is_secretariat(user):
        return True
    own = own_government_id(user)
    return own is not None and own == offer.government_id


def can_answer_offers(user) -> bool:
    """Accept or decline an offer, which then changes the records it names."""
    return is_secretariat(user)


def can_withdraw_offer(user, offer: Offer) -> bool:
    """Withdraw an offer still waiting for an answer: the government that made it."""
    own = own_government_id(user)
    return offer.is_pending and own is not None and own == offer.government_id


def can_read_private(user) -> bool:
    """Deliverables, progress, pledges and reports: any signed-in member of the forum."""
    return _signed_in(user)


def can_manage_programme(user) -> bool:
    """Create and edit chairmanships, roundtables, teams, meetings and agendas."""
    return is_secretariat(user)


def can_manage_deliverables(user) -> bool:
    """Create, assign and edit deliverables."""
    return is_secretariat(user)


def can_create_deliverables(user) -> bool:
    """Open the form for a new deliverable: the secretariat, and a roundtable's co-chairs (for
    that roundtable)."""
    return can_manage_deliverables(user) or bool(co_chaired_roundtables(user))


def can_manage_deliverable(user, deliverable: Deliverable) -> bool:
    """Change a deliverable: the secretariat, and the co-chairs of the roundtable that owns it
    (archiving and restoring stay with the secretariat, who alone sees what is archived)."""
    return can_manage_deliverables(user) or co_chairs(user, deliverable.roundtable)


def can_report_for(user, government: Government) -> bool:
    """Report progress on what a government is responsible for: the secretariat, or that
    government's focal point."""
    if is_secretariat(user):
        return True
    return (
        _signed_in(user)
        and user.role == "focal_point"
        and user.government_id is not None
        and user.government_id == government.id
    )


def can_update_progress(user, deliverable: Deliverable) -> bool:
    """The secretariat, or a focal point of one of the deliverable's responsible governments."""
    if deliverable.archived_at is not None:
        return False
    return is_secretariat(user) or any(
        can_report_for(user, g) for g in deliverable.responsible_governments
    )


def can_bulk_report(user) -> bool:
    """Open the bulk progress form: the secretariat, and focal points of a government."""
    return is_secretariat(user) or (
        _signed_in(user) and user.role == "focal_point" and user.government_id is not None
    )


def can_record_pledges(user) -> bool:
    """Record pledges and payments."""
    return is_secretariat(user)


def is_own_government_pledge(user, pledge: Pledge) -> bool:
    """Whether a focal point is looking at their own government's pledge."""
    return (
        _signed_in(user)
        and user.role == "focal_point"
        and pledge.donor_government_id is not None
        and pledge.donor_government_id == user.government_id
    )


def can_manage_users(user) -> bool:
    """Invite, deactivate and reset the accounts of others."""
    return is_secretariat(user)


def can_read_audit_log(user) -> bool:
    """Read who changed what."""
    return is_secretariat(user)


def can_own_calendar_tokens(user) -> bool:
    """Hold private calendar feed addresses."""
    return _signed_in(user)


def can_manage_own_account(user) -> bool:
    """Change one's own password, and see and end one's own sessions."""
    return _signed_in(user)


def feed_government_id(user) -> int | None:
    """The government whose roundtables' and teams' meetings a private feed carries: the
    owner's own, if they act for one."""
    return user.government_id if _signed_in(user) else None


def feed_due_dates_government_id(user) -> int | None:
    """The government whose deliverable due dates a private feed carries: a focal point's own.
    Nobody else's feed carries due dates."""
    return own_government_id(user)


def can_view_user(user, other: User) -> bool:
    """Accounts are visible to the secretariat and to their owner."""
    return is_secretariat(user) or (_signed_in(user) and user.id == other.id)


# Who may create, edit, archive and restore each kind of record.
_EDITORS = {
    Chairmanship: can_manage_programme,
    Roundtable: can_manage_programme,
    GovernmentTeam: can_manage_programme,
    Organisation: can_manage_programme,
    WorkPlan: can_manage_programme,
    Government: can_manage_programme,
    Meeting: can_manage_programme,
    Deliverable: can_manage_deliverables,
    Pledge: can_record_pledges,
    Document: can_manage_documents,
    Indicator: can_manage_indicators,
    Theme: can_manage_programme,
    Practice: can_review_practices,
    Commitment: is_secretariat,
}


def editors_of(model: type):
    """The rule for who may create, edit, archive and restore a kind of record."""
    return _EDITORS[model]


def can_see_archived(user, model: type) -> bool:
    """Archived records of a kind are seen by those who may restore them."""
    return _EDITORS[model](user)
