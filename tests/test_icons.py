"""The icons the pages name are all in the small icon style sheet, and its font is served."""

import re
from pathlib import Path
from urllib.parse import urljoin

from tools.icons import ICONS, SOURCE, TARGET, subset

ROOT = Path(__file__).resolve().parents[1]
# An icon named literally (bi-pencil), or handed to the navigation's macros by name.
LITERAL = re.compile(r"\bbi-([a-z0-9-]+)")
NAVIGATION = re.compile(r"nav_(?:link|menu)\('[^']*', _\('[^']*'\), '([a-z0-9-]+)'")


def names_in_use() -> set[str]:
    found = set()
    for path in [*ROOT.glob("workplan/templates/**/*.html"), *ROOT.glob("workplan/static/*.js")]:
        text = path.read_text()
        found |= set(LITERAL.findall(text)) | set(NAVIGATION.findall(text))
    return found


def test_every_icon_a_page_names_is_in_the_style_sheet():
    used = names_in_use()
    assert {"pencil", "trash", "calendar3", "person-circle"} <= used
    assert used <= set(ICONS), f"add {sorted(used - set(ICONS))} to tools/icons.py and run it"


def test_the_style_sheet_is_what_the_tool_makes():
    assert TARGET.read_text() == subset(SOURCE.read_text(), ICONS)


def test_the_style_sheet_and_its_font_are_served(client):
    sheet = client.get("/static/icons.css")
    assert sheet.status_code == 200 and ".bi-pencil::before" in sheet.get_data(as_text=True)
    font = re.search(r'url\("([^"?]+\.woff2)', sheet.get_data(as_text=True)).group(1)
    served = client.get(urljoin("/static/icons.css", font))
    assert served.status_code == 200 and served.get_data()[:4] == b"wOF2"
    sheet.close()
    served.close()
