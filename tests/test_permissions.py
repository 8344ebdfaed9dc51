"""The matrix of who may do what (docs/architecture.md), walked role by role."""

import pytest
from flask_login import AnonymousUserMixin

from workplan import permissions

ROLES = ["anonymous", "member", "focal_a", "focal_b", "secretariat", "deactivated"]

# permission -> the roles that hold it (the deliverable and pledge belong to government A).
MATRIX = {
    "can_read_programme": {
        "anonymous",
        "member",
        "focal_a",
        "focal_b",
        "secretariat",
        "deactivated",
    },
    "can_read_private": {"member", "focal_a", "focal_b", "secretariat"},
    "can_manage_programme": {"secretariat"},
    "can_manage_deliverables": {"secretariat"},
    "can_update_progress": {"focal_a", "secretariat"},
    "can_record_pledges": {"secretariat"},
    "is_own_government_pledge": {"focal_a"},
    "can_manage_users": {"secretariat"},
    "can_read_audit_log": {"secretariat"},
    "can_own_calendar_tokens": {"member", "focal_a", "focal_b", "secretariat"},
    "can_manage_own_account": {"member", "focal_a", "focal_b", "secretariat"},
}


@pytest.fixture
def people(make):
    government_a, government_b = make.government(iso3="AAA"), make.government(iso3="BBB")
    deliverable = make.deliverable(responsible=[government_a])
    pledge = make.pledge(donor=government_a)
    users = {
        "anonymous": AnonymousUserMixin(),
        "member": make.user(role="member"),
        "focal_a": make.user(role="focal_point", government=government_a),
        "focal_b": make.user(role="focal_point", government=government_b),
        "secretariat": make.user(role="secretariat"),
        "deactivated": make.user(role="secretariat", active=False),
    }
    return users, deliverable, pledge


@pytest.mark.parametrize("permission", sorted(MATRIX))
def test_matrix(permission, people, app):
    """Each role holds exactly the permissions the matrix gives it."""
    users, deliverable, pledge = people
    check = getattr(permissions, permission)
    with app.app_context():
        for role, user in users.items():
            if permission == "can_update_progress":
                allowed = check(user, deliverable)
            elif permission == "is_own_government_pledge":
                allowed = check(user, pledge)
            else:
                allowed = check(user)
            assert allowed == (role in MATRIX[permission]), f"{permission} for {role}"


def test_drafts_are_secretariat_only(people, make, app):
    """A draft meeting is seen by the secretariat alone; a published one by everyone."""
    users, _, _ = people
    draft, published = make.meeting(state="draft"), make.meeting(state="published")
    with app.app_context():
        for role, user in users.items():
            assert permissions.can_see_meeting(user, published)
            assert permissions.can_see_meeting(user, draft) == (role == "secretariat")


def test_archived_deliverable_takes_no_progress(people, make, app):
    """Nobody reports progress on an archived deliverable."""
    from workplan.models import utcnow

    users, deliverable, _ = people
    deliverable.archived_at = utcnow()
    with app.app_context():
        assert not permissions.can_update_progress(users["secretariat"], deliverable)
