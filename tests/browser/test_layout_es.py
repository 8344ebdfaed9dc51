"""Every main page fits a laptop and a phone, and passes axe-core, in Spanish (layout.py).

One file a language, so that the suite's processes share the three.
"""

from tests.browser.layout import faults_of_every_main_page


def test_every_main_page_fits_every_screen(browser, live_server, demo_pages):
    faults = faults_of_every_main_page(browser, live_server, demo_pages, "es")
    assert faults == [], "\n".join(faults)
