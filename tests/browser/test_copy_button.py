"""The Copy button beside a calendar address copies it and says so in the reader's language."""

from playwright.sync_api import expect


def test_copy_says_copied_in_french(browser, live_server):
    context = browser.new_context(
        base_url=live_server,
        locale="fr",
        extra_http_headers={"Accept-Language": "fr"},
        permissions=["clipboard-read", "clipboard-write"],
    )
    tab = context.new_page()
    try:
        tab.goto("/calendar/")
        button = tab.locator("button[data-copy-target='feed-all']")
        expect(button).to_have_text("Copier")
        button.click()
        expect(button).to_have_text("Copié")
        copied = tab.evaluate("navigator.clipboard.readText()")
        assert "/calendar/meetings.ics" in copied
        assert copied == tab.locator("#feed-all").input_value()
    finally:
        context.close()
