"""Every user-facing string is marked for translation (issue 9).

Templates are read with Jinja's own lexer: any words of text between tags, and any words in an
attribute a person reads or hears (title, aria-label, placeholder, alt), must come from `_()` or
a `{% trans %}` block. Python is read with `ast`: a literal sentence handed to flash(), abort()
or a DomainError, or given to a form field as its label, is unmarked.
"""

import ast
import html
import re
from pathlib import Path

import pytest
from jinja2 import Environment

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE_DIR = ROOT / "workplan" / "templates"
TEMPLATES = sorted(TEMPLATE_DIR.rglob("*.html"))
PYTHON = sorted((ROOT / "workplan").rglob("*.py"))

# Names and codes that are the same in every language.
UNTRANSLATED = {
    "GFMD",
    "EN",
    "FR",
    "ES",
    "CSV",
    "XLSX",
    "PDF",
    "JSON",
    "iCalendar",
    "ICS",
    "webcal",
    "https",
    "ISO",
    "UTC",
    "TOTP",
    "URL",
    "Google",
    "Outlook",
    "Apple",
    "com",  # Outlook.com
    "alpha",  # ISO 3166-1 alpha-3
}
READ_ATTRIBUTES = re.compile(
    r"""\b(title|aria-label|placeholder|alt|aria-description|data-confirm)\s*=\s*"([^"]*)\"""",
    re.I,
)
WORD = re.compile(r"[^\W\d_]{2,}")


def _words(text: str) -> list[str]:
    text = html.unescape(text)
    return [w for w in WORD.findall(text) if w not in UNTRANSLATED]


def unmarked_in_template(source: str) -> list[str]:
    """The pieces of literal text a reader would see, outside _() and {% trans %}."""
    env = Environment(extensions=["jinja2.ext.i18n"])  # noqa: S701 (only lexed, never rendered)
    found = []
    in_trans = first_name = False
    # Where the HTML stands between pieces of text: a tag, a comment or a style sheet can be
    # cut in two by a Jinja expression, and what follows it is still not text.
    closing = None
    for lineno, kind, value in env.lex(source):
        if kind == "block_begin":
            first_name = True
        elif kind == "name" and first_name:
            first_name = False
            if value in ("trans", "pluralize"):
                in_trans = True
            elif value == "endtrans":
                in_trans = False
        if kind != "data" or in_trans:
            continue
        for _attribute, text in READ_ATTRIBUTES.findall(value):
            if _words(text):
                found.append(f"line {lineno}: {text.strip()!r}")
        text, i = [], 0
        while i < len(value):
            if closing is not None:
                end = value.find(closing, i)
                if end < 0:
                    break
                i, closing = end + len(closing), None
            elif value.startswith("<!--", i):
                closing, i = "-->", i + 4
            elif value.startswith("<style", i):
                closing, i = "</style>", i + 6
            elif value[i] == "<":
                closing, i = ">", i + 1
            else:
                text.append(value[i])
                i += 1
        text = "".join(text)
        if _words(text):
            found.append(f"line {lineno}: {' '.join(text.split())!r}")
    return found


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(TEMPLATE_DIR)))
def test_template_text_is_marked(path):
    assert unmarked_in_template(path.read_text()) == []


def _literal_sentence(node) -> bool:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return bool(_words(node.value)) and " " in node.value.strip()
    return isinstance(node, ast.JoinedStr)  # an f-string cannot be translated


def _called(node) -> str:
    func = node.func
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")


FIELD_TYPES = re.compile(r".*(Field|FieldList)$")
MESSAGE_CALLS = {"flash", "abort"}


def unmarked_in_python(source: str) -> list[str]:
    found = []
    errors = {"DomainError", "StaleEdit", "ProgressRefused", "CsvRefused", "ValidationError"}
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        name = _called(node)
        if name in MESSAGE_CALLS or name in errors or name.endswith("Refused"):
            candidates = list(node.args) + [
                k.value for k in node.keywords if k.arg in ("description", "message")
            ]
        elif FIELD_TYPES.fullmatch(name):
            candidates = node.args[:1] + [
                k.value for k in node.keywords if k.arg in ("label", "description")
            ]
        else:
            continue
        for arg in candidates:
            if _literal_sentence(arg) or (
                FIELD_TYPES.fullmatch(name)
                and isinstance(arg, ast.Constant)
                and _words(str(arg.value))
            ):
                found.append(f"line {node.lineno}: {name}({ast.unparse(arg)[:80]})")
    return found


# Messages for the operator at the command line, never shown on a page.
COMMAND_LINE_ONLY = {"workplan/services/backup.py"}


@pytest.mark.parametrize(
    "path",
    [p for p in PYTHON if str(p.relative_to(ROOT)) not in COMMAND_LINE_ONLY],
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_python_messages_are_marked(path):
    assert unmarked_in_python(path.read_text()) == []


def test_the_checks_find_unmarked_text():
    """The two readers above are not blind: each finds what it is meant to find."""
    page = (
        '<h1>Meetings</h1><p title="Open it">{{ _("Fine") }}</p>{% trans %}Also fine{% endtrans %}'
    )
    assert unmarked_in_template(page) == ["line 1: 'Open it'", "line 1: 'Meetings'"]
    assert unmarked_in_template('<h1>{{ _("Meetings") }}</h1> &middot; GFMD') == []
    # A tag cut in two by an expression is still a tag; the text after it is still text.
    cut = '<a href="{{ url }}" class="btn"{% if x %} selected{% endif %}>Go on</a>'
    assert unmarked_in_template(cut) == ["line 1: 'Go on'"]
    assert unmarked_in_template("<style>p { content: '{{ x }}' }</style><p>{{ _('Ok') }}</p>") == []
    code = 'flash(f"{x} is saved.")\nflash(_("Saved."))\nname = StringField("Name")\n'
    code += 'other = StringField(_l("Name"))\nraise DomainError("That is not allowed.")\n'
    assert [line.split(":")[0] for line in unmarked_in_python(code)] == [
        "line 1",
        "line 3",
        "line 5",
    ]
