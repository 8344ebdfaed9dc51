"""The report's finish (issue 13): a table of contents with anchored sections, wide tables in the
shared scrolling region, and a PDF with a letterhead, a header row repeated where a table runs
over a page, page numbers, and no heading left alone at the foot of a page. The report's day is
pinned, so nothing depends on today."""

import io
from datetime import UTC, date, datetime

import pytest
import tinyhtml5
from flask import render_template
from pypdf import PdfReader

from workplan.reports import documents, exports, labels

NS = "{http://www.w3.org/1999/xhtml}"
MADE = datetime(2031, 3, 15, 9, 30, tzinfo=UTC)
ROUNDTABLES = 70


@pytest.fixture
def pinned(monkeypatch):
    """Reports made at a fixed moment."""
    from workplan.reports import views

    monkeypatch.setattr(views, "utcnow", lambda: MADE)


@pytest.fixture
def long_report(make):
    """A chairmanship with so many roundtables that its table of them runs over pages."""
    chair = make.chairmanship(
        "GFMD 2030-2031", starts_on=date(2030, 7, 1), ends_on=date(2031, 6, 30)
    )
    for n in range(ROUNDTABLES):
        roundtable = make.roundtable(
            chair, number=f"{n // 10 + 1}.{n % 10 + 1}", title=f"Theme number {n}"
        )
        make.deliverable(owner=roundtable, due_on=date(2031, 5, 1), title=f"Paper {n}")
    return chair


@pytest.fixture
def member(client, auth, make):
    """A signed-in member of the forum."""
    auth.login(make.user())
    return client


def _tree(response):
    """The page as an element tree."""
    assert response.status_code == 200
    return tinyhtml5.parse(response.get_data(as_text=True))


def _text(element) -> str:
    """An element's text, spaces squeezed."""
    return " ".join("".join(element.itertext()).split())


def test_report_page_has_contents_linking_to_each_section(member, long_report, pinned):
    """A labelled navigation lists every section; each link lands on that section's heading."""
    tree = _tree(member.get(f"/reports/chairmanships/{long_report.id}"))
    (contents,) = [
        n for n in tree.iter(f"{NS}nav") if n.get("aria-label") == "Contents of this report"
    ]
    targets = [a.get("href") for a in contents.iter(f"{NS}a")]
    headings = {h.get("id"): _text(h) for h in tree.iter(f"{NS}h2") if h.get("id")}
    assert len(targets) >= 3
    for target, link in zip(targets, contents.iter(f"{NS}a"), strict=True):
        assert target.startswith("#section-")
        assert headings[target[1:]] == _text(link)


def _regions(tree):
    """The scrolling regions of a page."""
    return [d for d in tree.iter(f"{NS}div") if "table-region" in (d.get("class") or "").split()]


@pytest.mark.parametrize("url", ["/reports/chairmanships/{id}", "/reports/"])
def test_every_table_sits_in_a_labelled_focusable_scrolling_region(member, long_report, url):
    """No bare wide table: each is inside a region that is named, focusable and scrolls."""
    tree = _tree(member.get(url.format(id=long_report.id)))
    regions = _regions(tree)
    assert regions
    for region in regions:
        assert region.get("role") == "region" and region.get("tabindex") == "0"
        assert region.get("aria-label")
    inside = {id(t) for r in regions for t in r.iter(f"{NS}table")}
    assert all(id(t) in inside for t in tree.iter(f"{NS}table"))
    assert not [d for d in tree.iter(f"{NS}div") if "table-responsive" in (d.get("class") or "")]


def _pdf(member, chair) -> PdfReader:
    """The chairmanship report's PDF, downloaded and parsed."""
    response = member.get(f"/reports/chairmanships/{chair.id}.pdf")
    assert response.status_code == 200
    return PdfReader(io.BytesIO(response.data))


def test_pdf_has_a_letterhead_repeated_headers_and_page_numbers(member, long_report, pinned):
    """Page 1 carries the forum's name, the chairmanship and the day the report was made; the
    roundtables' table repeats its header row on the pages it continues onto; every page is
    numbered "Page n of N"."""
    reader = _pdf(member, long_report)
    pages = [page.extract_text() for page in reader.pages]
    assert len(pages) >= 3
    first = pages[0]
    assert "Global Forum on Migration and Development" in first
    assert "GFMD 2030-2031" in first
    assert "Made on 15 March 2031" in first
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in text
    header = labels.COLUMNS["roundtable"]
    # Pages the table of roundtables runs over: each lists some rows, and its header row again.
    holding = [text for text in pages if "Theme number" in text]
    assert len(holding) >= 2
    title = labels.TABLES["deliverables_by_roundtable"][0]
    for text in holding:
        assert str(header) in text and str(labels.COLUMNS["total"]) in text
    assert sum(str(title) in text for text in pages) == 1  # the caption only once


def _boxes(box, found):
    """Every box below this one, in reading order."""
    for child in getattr(box, "children", []):
        found.append(child)
        _boxes(child, found)
    return found


def _many_sections() -> documents.Document:
    """A report of forty sections of uneven length, so that without the print rules some
    heading would fall at the foot of a page."""
    columns = [documents.Column("name", "Name"), documents.Column("total", "Total", "int")]
    sections = [
        documents.Section(
            f"part{i}",
            f"Part {i}",
            tables=[
                documents.Table(
                    f"part{i}",
                    f"Table {i}",
                    f"Sheet {i}",
                    columns,
                    [{"name": f"Row {i}.{r}", "total": r} for r in range(i * 7 % 23 + 1)],
                )
            ],
        )
        for i in range(40)
    ]
    return documents.Document(
        "chairmanship", "Long report", "GFMD 2030-2031", MADE.date(), "EUR", [], [], sections, "x"
    )


def test_no_heading_is_left_at_the_foot_of_a_page(app):
    """Laid out by WeasyPrint, no page ends with a section heading: it goes over with its table."""
    from weasyprint import HTML

    with app.test_request_context():
        html = render_template(
            "reports/pdf/report.html",
            document=_many_sections(),
            cell=documents.display,
            labels=labels,
            css_text=exports.css_text,
        )
    rendered = HTML(string=html).render()
    assert len(rendered.pages) >= 5
    for page in rendered.pages[:-1]:
        tagged = [b for b in _boxes(page._page_box, []) if getattr(b, "element_tag", None)]
        flow = [b.element_tag for b in tagged if b.element_tag in ("h1", "h2", "h3", "p", "tr")]
        assert flow, "an empty page"
        assert flow[-1] not in ("h1", "h2", "h3"), flow[-6:]
