"""The check every main page gets in a real browser, in one language: the ones
`make screenshots` pictures (tools/main_pages.py), as every role, at a laptop's and a phone's
width, over the demo data on a fixed day (the `demo_pages` fixture).

Faults: the page wider than the window, a control over text, the navigation on more than one
row at 1280 px (layout.js), and serious or critical axe-core findings at the laptop's width.
"""

from datetime import UTC, datetime
from pathlib import Path

import time_machine

from tests.browser.axe import AXE, serious_violations
from tools.main_pages import ROLES
from tools.screenshots import EMAILS, PASSWORD, WIDTHS

LAYOUT = (Path(__file__).parent / "layout.js").read_text()
# The demo data's day, and the clock while the pages are read.
DAY = datetime(2026, 6, 15, 9, 0, tzinfo=UTC)


def sign_in(tab, role: str) -> None:
    if role == "anonymous":
        return
    tab.goto("/auth/login")
    form = tab.locator("main form")
    form.locator("input[name=email]").fill(EMAILS[role])
    form.locator("input[name=password]").fill(PASSWORD)
    form.locator("[type=submit]").click()
    tab.wait_for_load_state()
    assert "/auth/login" not in tab.url, f"{role} could not sign in"


def faults_of_every_main_page(browser, live_server, pages, language: str) -> list[str]:
    """Every fault found, one readable line each: page, role, width, language, what."""
    assert AXE.exists(), "axe-core is not installed: run `npm ci` (.ci/run does)"
    faults = []
    with time_machine.travel(DAY, tick=True):
        for role in ROLES:
            for width_name, (width, height) in WIDTHS.items():
                context = browser.new_context(
                    base_url=live_server,
                    viewport={"width": width, "height": height},
                    locale=language,
                    extra_http_headers={"Accept-Language": language},
                    bypass_csp=True,  # axe-core is added as an inline script
                )
                tab = context.new_page()
                tab.set_default_timeout(15_000)
                sign_in(tab, role)
                for main in pages:
                    if role not in main.roles:
                        continue
                    response = tab.goto(main.path)
                    where = f"{main.name} ({main.path}) as {role}, {width} px, {language}"
                    if response is None or response.status != 200:
                        faults.append(f"{where}: answered {response and response.status}")
                        continue
                    assert tab.locator("html").get_attribute("lang") == language
                    faults += [f"{where}: {f}" for f in tab.evaluate(LAYOUT, width >= 1280)]
                    if width_name == "laptop":
                        faults += [f"{where}: {v}" for v in serious_violations(tab)]
                context.close()
    return faults
