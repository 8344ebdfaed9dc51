"""Every "may this user do this to that" answer, written once.

Views, templates, feeds and exports all ask these functions, so a button and its route can never
disagree. The rules are DESIGN.md's matrix; `tests/test_permissions.py` walks it.
"""

from workplan.models import Deliverable, Meeting, Pledge, User


def _signed_in(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def is_secretariat(user) -> bool:
    """Whether the user works for the chair's secretariat."""
    return _signed_in(user) and user.role == "secretariat"


def can_read_programme(user) -> bool:
    """Published meetings and agendas: everyone, anonymous visitors included."""
    return True


def can_see_meeting(user, meeting: Meeting) -> bool:
    """Drafts and archived meetings stay inside the secretariat."""
    return meeting.is_public or is_secretariat(user)


def can_read_private(user) -> bool:
    """Deliverables, progress, pledges and reports: any signed-in member of the forum."""
    return _signed_in(user)


def can_manage_programme(user) -> bool:
    """Create and edit chairmanships, roundtables, teams, meetings and agendas."""
    return is_secretariat(user)


def can_manage_deliverables(user) -> bool:
    """Create, assign and edit deliverables."""
    return is_secretariat(user)


def can_update_progress(user, deliverable: Deliverable) -> bool:
    """The secretariat, or a focal point of one of the deliverable's responsible governments."""
    if not _signed_in(user) or deliverable.archived_at is not None:
        return False
    if user.role == "secretariat":
        return True
    if user.role == "focal_point" and user.government_id is not None:
        return any(g.id == user.government_id for g in deliverable.responsible_governments)
    return False


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


def can_view_user(user, other: User) -> bool:
    """Accounts are visible to the secretariat and to their owner."""
    return is_secretariat(user) or (_signed_in(user) and user.id == other.id)
