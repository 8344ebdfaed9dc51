"""Inviting a user: the role is a deliberate choice, and the link follows the public address."""

import html
import re

from sqlalchemy import select

from workplan.models import User

from .helpers import field_error, refused_without_writing


def role_options(page: str) -> list[tuple[str, str, bool]]:
    """The role select's options: (value, words, selected)."""
    select_html = re.search(r'<select[^>]*name="role".*?</select>', page, re.S).group(0)
    return [
        (value, html.unescape(label).strip(), " selected" in attrs)
        for value, attrs, label in re.findall(
            r'<option[^>]*value="([^"]*)"([^>]*)>(.*?)</option>', select_html, re.S
        )
    ]


def test_the_role_starts_blank_and_least_powerful_first(client, make, auth):
    """No role is chosen; member comes first and secretariat last."""
    auth.login(make.user(role="secretariat"))
    options = role_options(client.get("/admin/users/new").text)
    assert [(value, label) for value, label, _ in options] == [
        ("", "Choose a role"),
        ("member", "Member"),
        ("focal_point", "Focal point"),
        ("secretariat", "Secretariat"),
    ]
    assert not any(selected for *_, selected in options)


def test_an_invitation_without_a_role_is_refused(client, make, auth):
    """Leaving the role blank is a 400 with a sentence at the field, and creates nobody."""
    auth.login(make.user(role="secretariat"))
    response = refused_without_writing(
        client,
        make,
        "/admin/users/new",
        {"email": "new@example.org", "name": "New Person", "role": ""},
    )
    assert "Choose the person’s role" in field_error(response, "role")
    # The form keeps the blank choice rather than falling back to a role.
    assert not any(selected for *_, selected in role_options(response.text)[1:])


def test_an_unknown_role_is_refused(client, make, auth):
    """A role the forum does not have is refused, and creates nobody."""
    auth.login(make.user(role="secretariat"))
    refused_without_writing(
        client,
        make,
        "/admin/users/new",
        {"email": "new@example.org", "name": "New Person", "role": "superuser"},
    )


def test_the_link_follows_the_configured_public_address(app, client, make, auth, db_session):
    """Behind a proxy or on another port, the link uses WORKPLAN_BASE_URL, not the default."""
    app.config["PUBLIC_BASE_URL"] = "https://workplan.example.org:8443/gfmd/"
    auth.login(make.user(role="secretariat"))
    response = client.post(
        "/admin/users/new",
        data={"email": "member@example.org", "name": "Mo Member", "role": "member"},
    )
    assert response.status_code == 200
    link = re.search(r'id="link"[^>]*value="([^"]+)"', response.text).group(1)
    assert link.startswith("https://workplan.example.org:8443/gfmd/auth/set-password/")
    user = db_session.scalar(select(User).where(User.email == "member@example.org"))
    assert user.role == "member"
