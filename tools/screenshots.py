"""Pictures of the main pages for each role, at a laptop's and a phone's width.

    .venv/bin/python -m tools.screenshots [--out docs/screenshots] [--languages en,fr]

It loads the demo data into a fresh SQLite database, serves the app on a local port, signs in
as each demo account in Chromium (Debian's, driven by Playwright) and saves one PNG per role,
page, width and language. It also says which pages are wider than the window, the fault the
browser tests fail on. `make screenshots` runs it.
"""

import argparse
import logging
import sys
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path

from werkzeug.serving import make_server

from tools.chromium import CHROMIUM, CHROMIUM_FLAGS
from tools.main_pages import ROLES, main_pages
from workplan import create_app
from workplan.extensions import db
from workplan.seed import demo

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "demo pictures 2026"  # noqa: S105 - a throwaway database, deleted after the run
EMAILS = {
    "member": "member@demo.gfmd.example",
    "focal_point": "focal.phl@demo.gfmd.example",
    "secretariat": "secretariat@demo.gfmd.example",
}
WIDTHS = {"laptop": (1280, 800), "phone": (390, 844)}
# The pictures the README shows, copied from the page, role, width and language they are of.
README_PICTURES = {
    "readme-dashboard": "home-secretariat-laptop-en",
    "readme-government-phone": "government-focal_point-phone-en",
    "readme-meeting-fr": "meeting-secretariat-laptop-fr",
    "readme-calendar-phone": "calendar-month-member-phone-fr",
    "readme-audit-log": "audit-log-secretariat-laptop-en",
    "readme-report": "report-secretariat-laptop-en",
}


@contextmanager
def demo_server():
    """The app on a free local port, over a fresh SQLite database holding the demo data."""
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/pictures.db"
        app = create_app(
            "development", SQLALCHEMY_DATABASE_URI=url, DEBUG=False, RATELIMIT_ENABLED=False
        )
        with app.app_context():
            db.create_all()
            demo.seed(password=PASSWORD)
            db.session.commit()
            pages = main_pages()
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_port}", pages
        finally:
            server.shutdown()
            thread.join(5)


def sign_in(page, base: str, role: str) -> None:
    """Sign in through the login form as the demo account of a role."""
    if role == "anonymous":
        return
    page.goto(f"{base}/auth/login")
    page.fill("input[name=email]", EMAILS[role])
    page.fill("input[name=password]", PASSWORD)
    page.click("main form [type=submit]")
    page.wait_for_load_state()


def take(out: Path, languages: list[str], widths: list[str], roles=ROLES, names=None) -> list[str]:
    """Save the pictures; return the pages wider than their window."""
    from playwright.sync_api import sync_playwright

    too_wide = []
    out.mkdir(parents=True, exist_ok=True)
    with demo_server() as (base, pages), sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        for language in languages:
            for role in roles:
                for width_name in widths:
                    width, height = WIDTHS[width_name]
                    context = browser.new_context(
                        viewport={"width": width, "height": height}, locale=language
                    )
                    page = context.new_page()
                    sign_in(page, base, role)
                    for main in pages:
                        if role not in main.roles or (names and main.name not in names):
                            continue
                        page.goto(base + main.path)
                        name = f"{main.name}-{role}-{width_name}-{language}.png"
                        page.screenshot(path=str(out / name), full_page=True)
                        wide = page.evaluate("document.documentElement.scrollWidth")
                        if wide > width:
                            too_wide.append(f"{name}: {wide} px in a {width} px window")
                        print(name, file=sys.stderr)
                    context.close()
        browser.close()
    return too_wide


def readme_picture(source: Path, target: Path, height: int = 1400) -> None:
    """The top of a page, as a README shows it: what a person sees first, small to keep."""
    from PIL import Image

    with Image.open(source) as image:
        top = image.crop((0, 0, image.width, min(image.height, height)))
        top.save(target, optimize=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    parser.add_argument("--languages", default="en,fr", help="comma-separated (en,fr)")
    parser.add_argument("--widths", default="laptop,phone", help="laptop,phone")
    parser.add_argument("--roles", default=",".join(ROLES), help="comma-separated")
    parser.add_argument("--pages", default="", help="comma-separated page names (all if empty)")
    args = parser.parse_args()
    too_wide = take(
        Path(args.out),
        args.languages.split(","),
        args.widths.split(","),
        roles=args.roles.split(","),
        names=set(filter(None, args.pages.split(","))),
    )
    out = Path(args.out)
    for picture, source in README_PICTURES.items():
        if (out / f"{source}.png").exists():
            readme_picture(out / f"{source}.png", out / f"{picture}.png")
    for line in too_wide:
        print("too wide:", line)
    print(f"{len(too_wide)} pages wider than their window.")


if __name__ == "__main__":
    main()
