"""The ASVS map (docs/security-asvs.md) stays true to the test suite and to the code.

Every `tests/...py::name` the map cites must be a test function or class defined in that file
(read with ast, never imported), so renaming or removing a test breaks the map. Every level 1 and
2 requirement of the chapters covered has exactly one row; a row marked met cites a test; a row
that is not met, partly met or untested is listed under Gaps; each chapter the issue names cites
at least one test; and the values under "Documented decisions" are the code's.
"""

import ast
import re
from collections import Counter
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAP = ROOT / "docs" / "security-asvs.md"

REFERENCE = re.compile(r"`(tests/[\w/]+\.py)::([\w:]+)`")
ROW = re.compile(r"^\|\s*(V\d+\.\d+\.\d+)\s*\|")
CHAPTER = re.compile(r"^## (V\d+) ")
STATUSES = {"met", "partly", "untested", "not met", "n/a"}

# The chapters the issue names: encoding and validation (V1, V2), web front end (V3),
# authentication (V6), sessions (V7), authorisation (V8), configuration (V13), logging (V16).
ISSUE_CHAPTERS = {"V1", "V2", "V3", "V6", "V7", "V8", "V13", "V16"}

# ASVS 5.0.0: how many level 1 and 2 requirements each section has. In every section they are
# numbered 1..n and the level 3 ones follow, so the ids a map must hold are Vc.s.1 to Vc.s.n.
# V9 (self-contained tokens), V10 (OAuth and OIDC) and V17 (WebRTC) do not apply at all.
LEVEL_2_SECTIONS = {
    "V1.1": 2, "V1.2": 9, "V1.3": 11, "V1.4": 3, "V1.5": 2,
    "V2.1": 3, "V2.2": 3, "V2.3": 4, "V2.4": 1,
    "V3.2": 2, "V3.3": 4, "V3.4": 6, "V3.5": 5, "V3.7": 2,
    "V4.1": 3, "V4.2": 1, "V4.3": 2, "V4.4": 4,
    "V5.1": 1, "V5.2": 3, "V5.3": 2, "V5.4": 3,
    "V6.1": 3, "V6.2": 12, "V6.3": 4, "V6.4": 4, "V6.5": 5, "V6.6": 3, "V6.8": 4,
    "V7.1": 3, "V7.2": 4, "V7.3": 2, "V7.4": 5, "V7.5": 2, "V7.6": 2,
    "V8.1": 2, "V8.2": 3, "V8.3": 1, "V8.4": 1,
    "V11.1": 2, "V11.2": 3, "V11.3": 3, "V11.4": 4, "V11.5": 1, "V11.6": 1,
    "V12.1": 3, "V12.2": 2, "V12.3": 4,
    "V13.1": 1, "V13.2": 5, "V13.3": 2, "V13.4": 5,
    "V14.1": 2, "V14.2": 4, "V14.3": 3,
    "V15.1": 3, "V15.2": 3, "V15.3": 7,
    "V16.1": 1, "V16.2": 5, "V16.3": 4, "V16.4": 3, "V16.5": 3,
}  # fmt: skip


@cache
def text() -> str:
    return MAP.read_text(encoding="utf-8")


def sections() -> dict[str, str]:
    """The map's text under each second-level heading, keyed by the heading."""
    found: dict[str, list[str]] = {}
    current = None
    for line in text().splitlines():
        if line.startswith("## "):
            current = line[3:].strip()
            found[current] = []
        elif current is not None:
            found[current].append(line)
    return {heading: "\n".join(lines) for heading, lines in found.items()}


def chapter_tables() -> dict[str, str]:
    """Each chapter's section, keyed by its id (V1, V2, ...)."""
    return {
        CHAPTER.match("## " + heading).group(1): body
        for heading, body in sections().items()
        if CHAPTER.match("## " + heading)
    }


def cells(line: str) -> list[str]:
    """The cells of a table row."""
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def rows() -> list[tuple[str, str, list[str]]]:
    """Every requirement row: its chapter, the line, and its cells (id, text, status, how,
    tests)."""
    return [
        (chapter, line, cells(line))
        for chapter, body in chapter_tables().items()
        for line in body.splitlines()
        if ROW.match(line)
    ]


@cache
def defined_tests(path: str) -> frozenset[str]:
    """Names of the test functions and classes a test file defines, as pytest would collect
    them: top-level `test*` functions, `Test*` classes and their `test*` methods (Class::test)."""
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"), filename=path)
    names = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith(
            "test"
        ):
            names.add(node.name)
        elif isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
            names.add(node.name)
            names.update(
                f"{node.name}::{item.name}"
                for item in node.body
                if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef)
                and item.name.startswith("test")
            )
    return frozenset(names)


def test_every_reference_names_an_existing_test():
    """A renamed or removed test makes the map wrong: each reference must still resolve."""
    references = REFERENCE.findall(text())
    assert len(references) > 50, "the map cites hardly any tests: is the format still `a::b`?"
    missing = []
    for path, name in sorted(set(references)):
        if not (ROOT / path).is_file():
            missing.append(f"{path} (no such file)")
        elif name not in defined_tests(path):
            missing.append(f"{path}::{name}")
    assert missing == [], "the map cites tests that do not exist:\n" + "\n".join(missing)


def test_every_level_2_requirement_has_one_row():
    """One row per L1 and L2 requirement of the chapters covered; nothing else, nothing twice."""
    expected = {
        f"{section}.{number}"
        for section, count in LEVEL_2_SECTIONS.items()
        for number in range(1, count + 1)
    }
    ids = [row[0] for _, _, row in rows()]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    assert duplicates == [], f"requirements with more than one row: {duplicates}"
    assert sorted(expected - set(ids)) == [], "requirements without a row"
    assert sorted(set(ids) - expected) == [], "rows for requirements not at level 1 or 2"
    misplaced = [row[0] for chapter, _, row in rows() if row[0].split(".")[0] != chapter]
    assert misplaced == [], f"rows under another chapter's heading: {misplaced}"


def test_rows_say_how_and_gaps_list_what_is_missing():
    """Each row has a known status and says how (or why not); a met row cites a test; every
    row that is not met, partly met or untested appears under Gaps."""
    gaps = sections().get("Gaps", "")
    assert gaps, "the map has no Gaps section"
    gap_ids = set(re.findall(r"V\d+\.\d+\.\d+", gaps))
    problems = []
    for _, line, row in rows():
        if len(row) != 5:
            problems.append(f"{row[0]}: {len(row)} cells, not 5")
            continue
        ident, requirement, status, how, _tests = row
        if status not in STATUSES:
            problems.append(f"{ident}: unknown status {status!r}")
        if not requirement or not how:
            problems.append(f"{ident}: empty requirement or explanation")
        if status == "met" and not REFERENCE.search(line):
            problems.append(f"{ident}: met, but no test is cited")
        if status in ("partly", "untested", "not met") and ident not in gap_ids:
            problems.append(f"{ident}: {status}, but not listed under Gaps")
    assert problems == [], "\n".join(problems)


def test_each_chapter_the_issue_names_cites_tests():
    """Every chapter table the issue asks for is there, and each cites at least one test."""
    tables = chapter_tables()
    assert set(tables) >= ISSUE_CHAPTERS, f"missing chapters: {ISSUE_CHAPTERS - set(tables)}"
    uncited = sorted(c for c in ISSUE_CHAPTERS if not REFERENCE.search(tables[c]))
    assert uncited == [], f"chapters without a single test: {uncited}"


def _decisions() -> dict[str, str]:
    """The setting/value table under "Documented decisions"."""
    body = sections()["Documented decisions"]
    table = {}
    for line in body.splitlines():
        row = cells(line)
        if line.startswith("|") and len(row) == 3 and row[0] not in ("setting", "---"):
            table[row[0]] = row[1]
    return table


def _hours(delta) -> str:
    hours, rest = divmod(delta.total_seconds(), 3600)
    assert rest == 0, f"{delta} is not a whole number of hours"
    return f"{int(hours)} h"


def test_documented_values_match_the_code():
    """The limits and timeouts the map documents are the ones the code applies."""
    from workplan import MIN_SECRET_KEY_LENGTH, feeds
    from workplan.auth.views import PENDING_SECONDS
    from workplan.config import Config
    from workplan.deliverables.bulk import MAX_CSV_BYTES, MAX_ROWS
    from workplan.services import accounts

    assert Config.PERMANENT_SESSION_LIFETIME == accounts.SESSION_LIFETIME
    expected = {
        "idle timeout": _hours(Config.IDLE_TIMEOUT),
        "absolute session lifetime": _hours(accounts.SESSION_LIFETIME),
        "second-factor step": f"{PENDING_SECONDS // 60} min",
        "login throttle": Config.LOGIN_RATE_LIMIT,
        "wrong second-factor codes": Config.TWO_FACTOR_RATE_LIMIT,
        "trusted proxies": str(Config.TRUSTED_PROXIES),
        "production secret key": f"at least {MIN_SECRET_KEY_LENGTH} characters",
        "password length": (
            f"{accounts.MIN_PASSWORD_LENGTH}–{accounts.MAX_PASSWORD_LENGTH} characters"
        ),
        "set-password link lifetime": f"{Config.SET_PASSWORD_LINK_HOURS} h",
        "request body": f"{Config.MAX_CONTENT_LENGTH / 2**20:g} MiB",
        "bulk CSV upload": f"{MAX_CSV_BYTES / 1024:g} KiB, {MAX_ROWS} rows",
        "private calendar addresses": f"{feeds.MAX_TOKENS_PER_USER} per user",
        "argon2id": (
            f"t={Config.ARGON2_TIME_COST}, m={Config.ARGON2_MEMORY_COST / 1024:g} MiB, "
            f"p={Config.ARGON2_PARALLELISM}"
        ),
    }
    assert _decisions() == expected


def test_the_readme_counts_the_map_as_it_stands():
    """The README's tally of met, partly met, not met, untested and n/a rows is the map's."""
    tally = Counter(row_cells[2] for _, _, row_cells in rows())
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    stated = (
        f"{tally['met']} of {sum(tally.values())} rows are met and tested",
        f"{tally['partly']} partly met, {tally['not met']} not met",
        f"{tally['untested']} untested, {tally['n/a']} not applicable",
    )
    for words in stated:
        assert words in readme, f"the README should say “{words}”"
