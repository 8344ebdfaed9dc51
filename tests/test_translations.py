"""The French and Spanish catalogues are complete and safe (issue 9).

Every message the code marks is in each catalogue, translated, not fuzzy, with the same
placeholders as the English; and none could break the HTML attribute it may be placed in.
"""

import io
import re
from pathlib import Path

import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "workplan" / "translations"
LANGUAGES = ("fr", "es")
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%%|\{\w*\}")


def catalogue(language: str):
    with open(TRANSLATIONS / language / "LC_MESSAGES" / "messages.po", "rb") as po:
        return read_po(po, locale=language)


def _forms(value) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


@pytest.fixture(scope="module")
def marked_now(tmp_path_factory) -> set[str]:
    """The messages the code marks today, extracted afresh as `make extract-messages` does."""
    pot = tmp_path_factory.mktemp("pot") / "messages.pot"
    arguments = ["pybabel", "-q", "extract", "-F", str(ROOT / "babel.cfg")]
    arguments += ["-k", "_l", "-k", "lazy_gettext", "-o", str(pot)]
    arguments += [str(ROOT / "workplan")]
    CommandLineInterface().run(arguments)
    with open(pot, "rb") as template:
        return {_forms(m.id)[0] for m in read_po(template) if m.id}


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_marked_message_is_in_the_catalogue(language, marked_now):
    """A message marked after the last `make extract-messages` fails here until translated."""
    known = {_forms(m.id)[0] for m in catalogue(language) if m.id}
    missing = sorted(marked_now - known)
    assert missing == [], f"run `make extract-messages` and translate: {missing[:20]}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated_and_not_fuzzy(language):
    problems = []
    for message in catalogue(language):
        if not message.id:
            continue
        if message.fuzzy:
            problems.append(f"fuzzy: {_forms(message.id)[0]!r}")
        if not all(_forms(message.string)) or not _forms(message.string):
            problems.append(f"untranslated: {_forms(message.id)[0]!r}")
    assert problems == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_placeholders_are_the_same_in_every_language(language):
    """A dropped, renamed or added placeholder would raise or print wrong values at run time."""
    problems = []
    for message in catalogue(language):
        if not message.id:
            continue
        ids = _forms(message.id)
        for index, translated in enumerate(_forms(message.string)):
            if not translated:
                continue  # reported as untranslated above
            english = ids[min(index, len(ids) - 1)]
            wanted = sorted(PLACEHOLDER.findall(english))
            found = sorted(PLACEHOLDER.findall(translated))
            # A singular form may say "one" instead of showing the count.
            if len(ids) > 1 and index == 0 and "%(num)d" not in found:
                wanted = [p for p in wanted if p != "%(num)d"]
            if found != wanted:
                problems.append(f"{ids[0]!r}: {wanted} in English, {found} in {language}")
    assert problems == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_tags_are_kept_and_no_quote_can_break_an_attribute(language):
    """Markup in a message comes out as written in English; a translation adds none, and no
    straight double quote, which would end the HTML attribute a message may sit in."""
    tag = re.compile(r"</?[a-z][^>]*>")
    problems = []
    for message in catalogue(language):
        if not message.id:
            continue
        english = _forms(message.id)[0]
        for translated in _forms(message.string):
            if sorted(tag.findall(translated)) != sorted(tag.findall(english)):
                problems.append(f"tags differ: {english!r}")
            if '"' in tag.sub("", translated) and '"' not in tag.sub("", english):
                problems.append(f"straight double quote: {translated!r}")
    assert problems == []


def test_the_checks_find_what_they_look_for():
    """The placeholder reader sees every kind of placeholder the code uses."""
    found = PLACEHOLDER.findall("%(name)s has %(num)d items, 5%% done, in {base} on {day}")
    assert found == ["%(name)s", "%(num)d", "%%", "{base}", "{day}"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_shipped_compiled_catalogue_is_the_po_file_compiled(language):
    """The .mo files are committed, so that a wheel serves all three languages: each must be
    exactly what `make translations` makes of its .po file (run it after translating)."""
    compiled = io.BytesIO()
    write_mo(compiled, catalogue(language), use_fuzzy=True)
    shipped = (TRANSLATIONS / language / "LC_MESSAGES" / "messages.mo").read_bytes()
    assert shipped == compiled.getvalue(), "run `make translations` and commit the .mo files"
