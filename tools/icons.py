"""Write workplan/static/icons.css: the few Bootstrap Icons the app shows, not all 2,000.

    .venv/bin/python -m tools.icons

The full style sheet (88 KB, from bootstrap-flask's local copy) blocked the first paint of
every page; this one keeps its @font-face, its base rule and the rules of the icons named in
ICONS. The font itself is still bootstrap-flask's. tests/test_icons.py fails when a template
uses an icon missing here: add its name and run this again.
"""

import re
from pathlib import Path

import flask_bootstrap

ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "workplan" / "static" / "icons.css"
SOURCE = (
    Path(flask_bootstrap.__file__).parent / "static/bootstrap5/css/font/bootstrap-icons.min.css"
)
# Where the font is served, seen from /static/icons.css.
FONTS = "../bootstrap/static/css/font/fonts/"
ICONS = (
    "arrow-down",
    "arrow-left",
    "arrow-up",
    "bar-chart",
    "box-arrow-in-right",
    "calendar3",
    "cash-coin",
    "check2-square",
    "diagram-3",
    "download",
    "inbox",
    "pencil",
    "person-circle",
    "rss",
    "translate",
    "trash",
    "upload",
)


def subset(full: str, names) -> str:
    """The @font-face, the base rule and each named icon's rule of the full style sheet."""
    font_face = (
        re.search(r"@font-face\{[^}]*\}", full).group(0).replace('url("fonts/', f'url("{FONTS}')
    )
    base = re.search(r"\.bi::before,[^{]*\{[^}]*\}", full).group(0)
    rules = []
    for name in sorted(names):
        rule = re.search(rf"\.bi-{re.escape(name)}::before\{{[^}}]*\}}", full)
        if rule is None:
            raise SystemExit(f"Bootstrap Icons has no icon named {name!r}")
        rules.append(rule.group(0))
    notice = "/* Bootstrap Icons (MIT), the icons the app uses; made by tools/icons.py. */"
    return "\n".join([notice, font_face, base, *rules]) + "\n"


def main() -> None:
    TARGET.write_text(subset(SOURCE.read_text(), ICONS))
    print(f"{TARGET.relative_to(ROOT)}: {len(ICONS)} icons, {TARGET.stat().st_size} bytes")


if __name__ == "__main__":
    main()
