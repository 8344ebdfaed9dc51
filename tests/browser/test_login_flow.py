"""The login page works in a real browser, under the strict Content-Security-Policy."""

from playwright.sync_api import expect

from tests.browser.conftest import log_in
from tests.factories import PASSWORD


def test_log_in_and_out(page, make):
    """A member logs in with the form, sees their name, and logs out with the button."""
    user = make.user(role="member", name="Ana Delegate")
    log_in(page, user.email, PASSWORD)
    # The user menu carries the name; logging out is inside it.
    menu = page.get_by_role("button", name="Ana Delegate")
    assert menu.is_visible()
    menu.click()
    page.get_by_role("button", name="Log out").click()
    # Logging out navigates: wait for the login page rather than glance at it once.
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    assert page.console_errors == []
