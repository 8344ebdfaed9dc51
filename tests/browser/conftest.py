"""Browser tests: the real app on a real local server, driven by Playwright in Debian's Chromium.

They skip, saying why, only where no Chromium or no Playwright exists; `.ci/run` installs both.
On failure a screenshot of the page is kept in test-artifacts/.
"""

import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.browser.layout import DAY
from tools.chromium import CHROMIUM, CHROMIUM_FLAGS
from tools.main_pages import main_pages
from tools.screenshots import PASSWORD
from workplan import create_app
from workplan.extensions import db
from workplan.seed import demo

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
# Chromium may drop a connection while the development server streams a static file; werkzeug
# then leaves the file for the garbage collector. That is the test server's housekeeping, not
# the app's, so only that warning is let through here.
DROPPED_STATIC_FILE = (
    "ignore:Exception ignored in. <_io.FileIO name='[^']*/static/"
    ":pytest.PytestUnraisableExceptionWarning"
)


def pytest_collection_modifyitems(items):
    browser_tests = Path(__file__).parent
    for item in items:
        if browser_tests in Path(item.path).parents:
            item.add_marker(pytest.mark.filterwarnings(DROPPED_STATIC_FILE))


@pytest.fixture
def live_server(app, database_url):
    """The app served over HTTP on a free local port, with CSRF on as in production."""
    served = create_app(
        "testing",
        SQLALCHEMY_DATABASE_URI=database_url,
        WTF_CSRF_ENABLED=True,
        STORAGE_URL=app.config["STORAGE_URL"],
    )
    server = make_server("127.0.0.1", 0, served, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    served.config["LIVE_URL"] = f"http://127.0.0.1:{server.server_port}"
    yield served.config["LIVE_URL"]
    server.shutdown()
    thread.join(5)


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole run."""
    playwright_api = pytest.importorskip(
        "playwright.sync_api", reason="Playwright is not installed"
    )
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM}: apt-get install chromium (.ci/run does)")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


@pytest.fixture
def page(browser, live_server, request):
    """A fresh browser tab on the live server; a screenshot is kept if the test fails."""
    context = browser.new_context(base_url=live_server, timezone_id="Europe/Zurich")
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    console_errors = []
    tab.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
    tab.console_errors = console_errors
    yield tab
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        tab.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


def log_in(page, email: str, password: str) -> None:
    """Log in through the real form, in whatever language the page speaks."""
    page.goto("/auth/login")
    form = page.locator("main form")
    form.locator("input[name=email]").fill(email)
    form.locator("input[name=password]").fill(password)
    form.locator("[type=submit]").click()
    page.wait_for_load_state()


def choose(page, label: str, *options: str) -> None:
    """Pick options in a select as a person does: in a searchable one (Tom Select), type,
    then click each option; in a short native one, choose them.

    options: the options' words, as listed; typing the first word finds each.
    """
    box = page.get_by_role("combobox", name=label)
    if box.evaluate("e => e.tagName") == "SELECT":  # a short list stays a native select
        box.select_option(label=list(options))
        return
    for option in options:
        box.click()
        box.fill(option.split(" ")[0])
        page.locator(".ts-dropdown").get_by_role("option", name=option, exact=True).click()
    page.keyboard.press("Escape")


@pytest.fixture
def demo_pages(app, database_url):
    """The demo forum, as it stands on DAY, and its main pages."""
    if database_url.startswith("postgresql"):
        # Pages are laid out the same whatever the database; the SQLite run checks them.
        pytest.skip("layout is checked once, in the SQLite run")
    with app.app_context():
        demo.seed(password=PASSWORD, today=DAY.date())
        db.session.commit()
        yield main_pages()
