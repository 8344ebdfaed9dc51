"""The downloads parsed back: CSV with csv, the workbook with openpyxl, JSON, PDF with pypdf."""

import csv
import io
import json
import re
import zipfile
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.helpers import BASE, build_forum, expected_funding
from workplan import cells
from workplan.formatting import money
from workplan.reports import exports

DOCS = Path(__file__).resolve().parent.parent / "docs" / "reports.md"
INJECTIONS = ["+cmd|' /C calc'!A0", "-2+3+cmd", "@SUM(1+1)*cmd", "\tTabbed", "=1+1"]


@pytest.fixture
def forum(make) -> dict:
    """The forum's records for a report."""
    return build_forum(make)


@pytest.fixture
def member(client, auth, make):
    """A signed-in member of the forum."""
    auth.login(make.user())
    return client


def download(client, url: str):
    """A file download that must succeed."""
    response = client.get(url)
    assert response.status_code == 200, url
    assert response.headers["Content-Disposition"].startswith("attachment;")
    return response


def csv_rows(body: bytes) -> list[dict]:
    """The CSV, parsed as the csv module reads RFC 4180."""
    return list(csv.DictReader(io.StringIO(body.decode("utf-8"), newline="")))


def section(rows: list[dict], name: str) -> list[dict]:
    """The rows of one table of the CSV."""
    return [row for row in rows if row["section"] == name]


def chairmanship_url(forum, fmt: str) -> str:
    """The chairmanship report's download address."""
    return f"/reports/chairmanships/{forum['chairmanship'].id}.{fmt}"


# CSV


def test_csv_totals_match_the_rows(member, make, forum):
    """Summary and breakdowns in the CSV equal the recount; one header, CRLF line ends."""
    body = download(member, chairmanship_url(forum, "csv")).data
    assert body.split(b"\r\n")[0].startswith(b'"section",')
    rows = csv_rows(body)
    expected = expected_funding(make.session, forum["chairmanship"].id)
    summary = {row["measure"]: row["value"] for row in section(rows, "summary")}
    for key in ("pledged", "committed", "received", "outstanding", "overpaid"):
        assert Decimal(summary[f"{key}_base"]) == expected[key], key
    assert summary["percent_complete"] == "45.0"
    assert summary["unconverted"] == "1"
    by_donor = section(rows, "funding_by_donor")
    assert sum(Decimal(r["pledged_base"] or 0) for r in by_donor) == expected["pledged"]
    sweden = next(r for r in by_donor if r["donor"] == "Sweden")
    assert (sweden["currency"], sweden["pledged"], sweden["received"]) == (
        "EUR",
        "10000.00",
        "3734.56",
    )
    unconverted = section(rows, "unconverted")
    assert [int(r["id"]) for r in unconverted] == expected["unconverted"]
    assert unconverted[0]["amount_base"] == ""
    assert unconverted[0]["amount"] == "900000.00" and unconverted[0]["currency"] == "JPY"
    overpaid = section(rows, "overpaid")
    assert [(r["overpaid"], r["currency"]) for r in overpaid] == [("250.00", "USD")]
    ledger = section(rows, "pledges")
    assert {r["pledged_on"] for r in ledger} >= {"2023-11-15"}


def test_csv_neutralises_formulas_but_keeps_numbers(member, make, forum):
    """Donor names and titles that start like formulas get a quote; amounts never do."""
    for title in INJECTIONS:
        make.deliverable(owner=forum["rt1"], title=title, status="at_risk", percent_complete=1)
    rows = csv_rows(download(member, chairmanship_url(forum, "csv")).data)
    donors = {r["donor"] for r in section(rows, "funding_by_donor")}
    assert '\'=HYPERLINK("http://evil.example","x")' in donors
    assert not any(d.startswith("=") for d in donors)
    titles = {r["deliverable"] for r in section(rows, "at_risk")}
    for title in INJECTIONS:
        assert "'" + title in titles
    for row in rows:
        for key, value in row.items():
            if value.startswith(cells.FORMULA_STARTS):
                pytest.fail(f"{key} starts with a formula sign: {value!r}")
            if value.startswith("'"):
                assert key in ("donor", "deliverable", "label", "title"), key


def test_csv_numbers_stay_numbers_even_negative():
    """A negative amount is a number, not a formula; the same text typed in is neutralised."""
    assert cells.csv_value(Decimal("-12.50")) == Decimal("-12.50")
    assert cells.csv_value(-3) == -3
    assert cells.csv_value("-12.50") == "'-12.50"
    assert cells.csv_value("@cmd") == "'@cmd"
    assert cells.csv_value("\rcmd") == "'\rcmd"
    assert cells.csv_value("Plain") == "Plain"


SEPARATOR_INJECTIONS = ["Plan;=1+2", "Plan; =1+2", "a;+cmd|' /C calc'!A0", "x;@SUM(1)", "y;-2+3"]


def semicolon_cells(body: bytes) -> list[list[str]]:
    """The CSV as LibreOffice and French or Spanish Excel read it: ";" between cells, '"' around
    text, no trimming."""
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline=""), delimiter=";"))


def test_csv_text_never_splits_into_a_formula_where_the_separator_is_a_semicolon(
    member, make, forum
):
    """Every text cell is quoted, so a ";" inside a title stays inside its cell: read with ";" as
    the separator, no cell starts with a formula sign, and the title is found whole."""
    for title in SEPARATOR_INJECTIONS:
        make.deliverable(owner=forum["rt1"], title=title, status="at_risk", percent_complete=1)
    body = download(member, chairmanship_url(forum, "csv")).data
    found = [cell for row in semicolon_cells(body) for cell in row]
    for cell in found:
        assert not cell.lstrip(" ").startswith(cells.FORMULA_STARTS), cell
    # Read as RFC 4180 with commas, each title comes back whole, a quote after its ";", and
    # amounts are bare numbers.
    titles = {r["deliverable"] for r in section(csv_rows(body), "at_risk")}
    assert {"Plan;'=1+2", "Plan; '=1+2", "x;'@SUM(1)", "y;'-2+3"} <= titles
    assert re.search(rb"\r\n\"funding_by_donor\",[^\r]*,[0-9]+\.[0-9]{2},", body)


def test_csv_writer_quotes_text_and_leaves_numbers_bare():
    """The one writer every CSV download uses (reports, progress history, the bulk template)."""
    out = io.StringIO(newline="")
    cells.csv_writer(out).writerow(
        [cells.csv_value(v) for v in ("Plan;=1+2", Decimal("-1.50"), 3, None, True)]
    )
    assert out.getvalue() == '"Plan;\'=1+2",-1.50,3,"","true"\r\n'
    assert cells.csv_value("Q1; -5% and 10;20") == "Q1; '-5% and 10;20"


# XLSX


def workbook(body: bytes):
    """The workbook as openpyxl reads it back."""
    return load_workbook(io.BytesIO(body))


def table(sheet) -> list[dict]:
    """A sheet's rows keyed by its header."""
    header = [cell.value for cell in sheet[1]]
    return [dict(zip(header, row, strict=False)) for row in sheet.iter_rows(min_row=2)]


def test_xlsx_has_one_sheet_per_table_with_typed_cells(member, make, forum):
    """Numbers are numbers with currency formats, dates are dates, sums equal the recount."""
    body = download(member, chairmanship_url(forum, "xlsx")).data
    book = workbook(body)
    assert book.sheetnames[:3] == ["About", "Summary", "Status"]
    assert {"By donor", "By earmark", "By kind", "By currency", "Unconverted", "Pledges"} <= set(
        book.sheetnames
    )
    expected = expected_funding(make.session, forum["chairmanship"].id)
    donors = table(book["By donor"])
    pledged = [row["Pledged (USD)"] for row in donors]
    assert all(cell.data_type == "n" for cell in pledged if cell.value is not None)
    assert round(sum(cell.value or 0 for cell in pledged), 2) == float(expected["pledged"])
    assert {cell.number_format for cell in pledged if cell.value is not None} == {'#,##0.00 "USD"'}
    sweden = next(row for row in donors if row["Donor"].value == "Sweden")
    assert sweden["Pledged"].value == 10000
    assert sweden["Pledged"].number_format == '#,##0.00 "EUR"'
    ledger = table(book["Pledges"])
    first = ledger[0]
    assert isinstance(first["Pledged on"].value, datetime)
    assert first["Pledged on"].value.date().isoformat() == "2023-11-15"
    assert isinstance(first["Rate to USD"].value, float)
    jpy = next(row for row in ledger if row["Currency"].value == "JPY")
    assert jpy["Amount (USD)"].value is None
    summary = {row["Measure"].value: row["Value"] for row in table(book["Summary"])}
    assert summary["Percent complete (mean, see the rule)"].value == pytest.approx(0.45)
    assert summary["Percent complete (mean, see the rule)"].number_format == "0.0%"
    assert summary["Deliverables"].value == 5


def test_xlsx_neutralises_formulas(member, make, forum):
    """A formula-looking name is a text cell with Excel's quote prefix, never a formula."""
    for title in INJECTIONS:
        make.deliverable(owner=forum["rt1"], title=title, status="at_risk", percent_complete=1)
    body = download(member, chairmanship_url(forum, "xlsx")).data
    book = workbook(body)
    donor = next(
        row["Donor"] for row in table(book["By donor"]) if row["Donor"].value.startswith("=HYPER")
    )
    assert donor.data_type == "s" and donor.quotePrefix
    titles = {row["Deliverable"].value: row["Deliverable"] for row in table(book["At risk"])}
    for title in INJECTIONS:
        assert titles[title].data_type == "s" and titles[title].quotePrefix, title
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            assert all(cell.data_type != "f" for cell in row), sheet.title
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert "<f>" not in archive.read(name).decode()


# JSON


def test_json_carries_exact_decimals_and_documented_fields(member, make, forum):
    """Amounts are strings of the exact decimal; every field is named in docs/reports.md."""
    payload = download(member, chairmanship_url(forum, "json")).get_json()
    expected = expected_funding(make.session, forum["chairmanship"].id)
    totals = payload["funding"]["totals"]
    for key in ("pledged", "committed", "received", "outstanding", "overpaid"):
        assert totals[f"{key}_base"] == str(expected[key])
    assert payload["format_version"] == 1
    assert payload["report"] == "chairmanship"
    assert payload["base_currency"] == BASE
    assert payload["deliverables"]["totals"]["percent_complete"] == "45.0"
    assert [p["id"] for p in payload["funding"]["unconverted"]] == expected["unconverted"]
    assert payload["funding"]["unconverted"][0]["amount_base"] is None
    assert payload["funding"]["pledges"][0]["pledged_on"] == "2023-11-15"
    documented = set(re.findall(r"`([a-z_0-9]+)`", DOCS.read_text()))
    for name in field_names(payload):
        assert name in documented, name


def field_names(value) -> set[str]:
    """Every object key in a JSON document (status counts are keyed by status, not fields)."""
    names: set[str] = set()
    if isinstance(value, dict):
        for key, item in value.items():
            names.add(key)
            if key != "counts":
                names |= field_names(item)
    elif isinstance(value, list):
        for item in value:
            names |= field_names(item)
    return names


@pytest.mark.parametrize("report", ["multiannual", "government", "handover"])
def test_other_reports_json_fields_are_documented(member, forum, report):
    """The multiannual, government and handover reports' fields are documented too."""
    url = {
        "multiannual": "/reports/multiannual.json",
        "government": f"/reports/governments/{forum['sweden'].id}.json",
        "handover": f"/reports/chairmanships/{forum['chairmanship'].id}/handover.json",
    }[report]
    payload = download(member, url).get_json()
    assert payload["report"] == report
    documented = set(re.findall(r"`([a-z_0-9]+)`", DOCS.read_text()))
    assert field_names(payload) <= documented


# PDF


def pdf_text(body: bytes) -> tuple[PdfReader, str]:
    """The PDF and all its text."""
    reader = PdfReader(io.BytesIO(body))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def test_pdf_is_a4_with_header_page_numbers_charts_and_totals(member, make, forum):
    """A4, every page headed with the chairmanship and the day, numbered, totals as recounted."""
    body = download(member, chairmanship_url(forum, "pdf")).data
    assert body.startswith(b"%PDF-")
    reader, text = pdf_text(body)
    pages = len(reader.pages)
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert (round(width), round(height)) == (842, 595)
    today = datetime.now(UTC).date()
    for number, page in enumerate(reader.pages, start=1):
        page_text = page.extract_text()
        assert "Chairmanship report: GFMD 2024 (test)" in page_text
        assert f"Made on {today.day} {today:%B %Y}" in page_text
        assert f"Page {number} of {pages}" in page_text
    expected = expected_funding(make.session, forum["chairmanship"].id)
    for key in ("pledged", "received", "outstanding", "overpaid"):
        assert money(expected[key], BASE) in text, key
    # Axis labels exist only in the drawn charts, not in any table.
    assert "Number of deliverables" in text
    assert "not converted" in text


def test_pdf_fetches_nothing_from_outside(member, make, forum):
    """A title pointing at a local file or a URL is printed as text, never fetched."""
    make.deliverable(
        owner=forum["rt1"],
        title='<img src="file:///etc/passwd"> <link rel=stylesheet href="http://example.invalid/x.css">',
        status="at_risk",
        percent_complete=1,
    )
    body = download(member, chairmanship_url(forum, "pdf")).data
    _reader, text = pdf_text(body)
    assert "file:///etc/passwd" in text
    assert "root:" not in text


# Every report, every format


def test_empty_chairmanship_gives_valid_files(member, make):
    """No data at all: every format opens and says there is nothing, rather than failing."""
    chairmanship = make.chairmanship(label="Empty chair")
    base = f"/reports/chairmanships/{chairmanship.id}"
    assert member.get(base).status_code == 200
    rows = csv_rows(download(member, f"{base}.csv").data)
    summary = {row["measure"]: row["value"] for row in section(rows, "summary")}
    assert summary["deliverables"] == "0" and summary["pledged_base"] == "0.00"
    assert summary["percent_complete"] == ""
    book = workbook(download(member, f"{base}.xlsx").data)
    assert table(book["By donor"]) == []
    payload = download(member, f"{base}.json").get_json()
    assert payload["funding"]["pledges"] == [] and payload["deliverables"]["overdue"] == []
    _reader, text = pdf_text(download(member, f"{base}.pdf").data)
    assert "Empty chair" in text and "Nothing to show." in text


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json", "pdf"])
def test_multiannual_and_government_files(member, make, forum, fmt):
    """The other two reports download in every format, named for the report and the day."""
    today = datetime.now(UTC).date().isoformat()
    for url, name in (
        (f"/reports/multiannual.{fmt}", f"gfmd-multiannual-report-{today}.{fmt}"),
        (
            f"/reports/governments/{forum['sweden'].id}.{fmt}",
            f"gfmd-government-report-swe-{today}.{fmt}",
        ),
    ):
        response = download(member, url)
        assert name in response.headers["Content-Disposition"]
        assert response.mimetype == exports.MIMETYPES[fmt].split(";")[0]
        if fmt == "csv":
            rows = csv_rows(response.data)
            assert section(rows, "summary")
        elif fmt == "xlsx":
            assert workbook(response.data).sheetnames
        elif fmt == "json":
            json.loads(response.data)
        else:
            _reader, text = pdf_text(response.data)
            assert "Made on" in text


def test_government_csv_lists_its_pledges_and_payments(member, make, forum):
    """Sweden's pledge and two payments, with converted amounts as recounted."""
    rows = csv_rows(download(member, f"/reports/governments/{forum['sweden'].id}.csv").data)
    payments = section(rows, "payments")
    assert [r["amount"] for r in payments] == ["2500.00", "1234.56"]
    assert [r["amount_base"] for r in payments] == ["2750.00", "1337.44"]
    assert [r["currency"] for r in section(rows, "pledges")] == ["EUR"]
    roles = {(r["roundtable"], r["role"]) for r in section(rows, "roundtables")}
    assert roles == {("RT 1.1", "co_chair")}


def test_file_names_carry_report_chairmanship_and_date(member, forum):
    """gfmd-chairmanship-report-<chairmanship>-<date>.<format>, for every format."""
    today = datetime.now(UTC).date().isoformat()
    for fmt in ("csv", "xlsx", "json", "pdf"):
        disposition = download(member, chairmanship_url(forum, fmt)).headers["Content-Disposition"]
        assert f"filename=gfmd-chairmanship-report-gfmd-2024-test-{today}.{fmt}" in disposition


@pytest.mark.parametrize(
    ("language", "summary", "donor", "sweden"),
    [("fr", "Synthèse", "Donateur", "Suède"), ("es", "Resumen", "Donante", "Suecia")],
)
def test_xlsx_and_pdf_are_labelled_in_the_readers_language(
    member, forum, language, summary, donor, sweden
):
    """Sheet names, headers, the PDF's words and countries' names follow the reader."""
    member.post("/language", data={"lang": language})
    book = workbook(download(member, chairmanship_url(forum, "xlsx")).data)
    assert summary in book.sheetnames and "Summary" not in book.sheetnames
    rows = [row for sheet in book for row in table(sheet)]
    assert any(donor in row and row[donor].value == sweden for row in rows)
    assert not any("Donor" in row for row in rows)
    assert not any(cell.value == "Sweden" for row in rows for cell in row.values())
    _, text = pdf_text(download(member, chairmanship_url(forum, "pdf")).data)
    assert donor in text and sweden in text and "Sweden" not in text
    names = json.loads(download(member, chairmanship_url(forum, "json")).data)
    assert {line["donor"] for line in names["funding"]["pledges"]} >= {sweden}
    assert sweden in {row["label"] for row in names["funding"]["by_donor"]}


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json", "pdf", "html"])
def test_the_multiannual_report_carries_each_indicator_in_every_format(member, make, forum, fmt):
    """An objective's indicator, with how far it has come toward its target, is in the page,
    the PDF, the workbook, the CSV and the JSON alike."""
    make.indicator(name="Remittance cost", values={2018: "6.9", 2023: "6.35"})
    if fmt == "html":
        page = member.get("/reports/multiannual").get_data(as_text=True)
        assert "Remittance cost" in page and "31.6%" in page
        return
    response = download(member, f"/reports/multiannual.{fmt}")
    if fmt == "json":
        [row] = response.get_json()["indicators"]
        assert row["name"] == "Remittance cost" and row["latest_year"] == 2023
        assert Decimal(str(row["percent_of_way"])) == Decimal("31.6")
        return
    if fmt == "csv":
        [row] = section(csv_rows(response.data), "indicators")
        assert row["indicator"] == "Remittance cost" and row["percent_of_way"] == "31.6"
        return
    if fmt == "xlsx":
        sheet = workbook(response.data)["Indicators"]
        values = [cell.value for row in sheet.iter_rows() for cell in row]
        assert "Remittance cost" in values
        return
    text = pdf_text(response.data)[1]
    assert "Remittance cost" in text and "31.6%" in text


def test_the_chairmanship_report_carries_the_indicators_of_the_objectives_it_served(
    member, make, forum
):
    """Its deliverables serve objective A, so A's indicator is in the report; an objective
    none of them serves is not."""
    make.indicator(forum["objective"], name="Remittance cost", values={2023: "6.35"})
    make.indicator(name="Unrelated measure", values={2023: "1"})
    payload = download(member, chairmanship_url(forum, "json")).get_json()
    assert [row["name"] for row in payload["indicators"]] == ["Remittance cost"]
    [row] = section(csv_rows(download(member, chairmanship_url(forum, "csv")).data), "indicators")
    assert row["percent_of_way"] == "31.6"
    page = member.get(f"/reports/chairmanships/{forum['chairmanship'].id}")
    assert "Remittance cost" in page.get_data(as_text=True)
