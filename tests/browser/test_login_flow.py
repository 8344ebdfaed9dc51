"""The login page works in a real browser, under the strict Content-Security-Policy."""

from tests.browser.conftest import log_in
from tests.factories import PASSWORD


def test_log_in_and_out(page, make):
    """A member logs in with the form, sees their name, and logs out with the button."""
    user = make.user(role="member", name="Ana Delegate")
    log_in(page, user.email, PASSWORD)
    assert page.get_by_text("Ana Delegate").first.is_visible()
    page.get_by_role("button", name="Log out").click()
    assert page.get_by_role("heading", name="Log in").is_visible()
    assert page.console_errors == []
