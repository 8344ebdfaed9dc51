"""Bulk progress: one form with a row per deliverable, or a CSV file from the template; every row
checked, the changes previewed, then applied all together or not at all."""

import csv
import html
import io
import re
from datetime import date

import pytest
from sqlalchemy import func, select

from workplan.deliverables.bulk import MAX_CSV_BYTES, TEMPLATE_COLUMNS
from workplan.models import Deliverable, ProgressUpdate


def updates(make) -> int:
    """Progress updates in the database."""
    make.session.expire_all()
    return make.session.scalar(select(func.count(ProgressUpdate.id)))


def states(make, deliverables) -> list[tuple]:
    """Status, percent and version of each deliverable."""
    make.session.expire_all()
    return [
        (d.status, d.percent_complete, d.version)
        for d in (make.session.get(Deliverable, x.id) for x in deliverables)
    ]


def rows(*entries) -> dict:
    """Bulk form data: one (id, version, status, percent, comment) per row."""
    data = {}
    for n, (deliverable_id, version, status, percent, comment) in enumerate(entries):
        data |= {
            f"rows-{n}-deliverable_id": str(deliverable_id),
            f"rows-{n}-version": str(version),
            f"rows-{n}-status": status,
            f"rows-{n}-percent_complete": str(percent),
            f"rows-{n}-comment": comment,
        }
    return data


def hidden_rows(page: str) -> dict:
    """The hidden fields the preview carries to the confirm step."""
    form = page[page.index('action="/deliverables/bulk/confirm') :]
    return dict(re.findall(r'<input type="hidden" name="(rows-[^"]+)" value="([^"]*)">', form))


def csv_bytes(table: list[list], bom: bool = True) -> bytes:
    """A CSV file as a spreadsheet would save it."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(table)
    return (("\ufeff" if bom else "") + out.getvalue()).encode("utf-8")


def upload(client, data: bytes, government_id=None, name="progress.csv"):
    """Send a CSV file to the upload step."""
    url = "/deliverables/bulk/upload" + (f"?government={government_id}" if government_id else "")
    return client.post(
        url,
        data={"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


@pytest.fixture
def sweden(make):
    """Sweden, its focal point, three open deliverables, a finished one, and Turkey's."""
    sweden = make.government("SWE", "Sweden")
    turkey = make.government("TUR", "Turkey")
    focal = make.user("focal_point", government=sweden, name="Sara Focal")
    open_ones = [
        make.deliverable([sweden], title=f"Swedish paper {n}", due_on=date(2030, n, 1))
        for n in (1, 2, 3)
    ]
    done = make.deliverable(
        [sweden], title="Finished paper", status="completed", percent_complete=100
    )
    theirs = make.deliverable([turkey], title="Turkish paper")
    return {
        "government": sweden,
        "turkey": turkey,
        "focal": focal,
        "open": open_ones,
        "done": done,
        "theirs": theirs,
    }


def test_bulk_form_has_one_row_per_open_deliverable(client, auth, sweden):
    """Only the focal point's government's open deliverables, each with its hidden version."""
    auth.login(sweden["focal"])
    page = client.get("/deliverables/bulk").get_data(as_text=True)
    assert "Swedish paper 1" in page and "Swedish paper 3" in page
    assert "Finished paper" not in page and "Turkish paper" not in page
    for n, d in enumerate(sweden["open"]):
        assert f'name="rows-{n}-deliverable_id" type="hidden" value="{d.id}"' in page
        assert f'name="rows-{n}-version" type="hidden" value="1"' in page
        assert f'name="rows-{n}-status"' in page and f'name="rows-{n}-percent_complete"' in page
        assert f'name="rows-{n}-comment"' in page
    assert 'aria-labelledby="col-status row-0-title"' in page
    assert f'href="/deliverables/bulk/template.csv?government={sweden["government"].id}"' in page


def test_form_rows_are_previewed_then_applied_together(client, auth, make, sweden):
    """Preview shows from and to without saving; confirming applies every row at once."""
    first, second, third = sweden["open"]
    auth.login(sweden["focal"])
    preview = client.post(
        "/deliverables/bulk",
        data=rows(
            (first.id, 1, "in_progress", 40, "Drafting"),
            (second.id, 1, "", "", ""),
            (third.id, 1, "completed", "", "Published"),
        ),
    )
    assert preview.status_code == 200
    page = preview.get_data(as_text=True)
    assert "Nothing is saved yet" in page and "These 2 changes" in page
    assert "In progress 40%" in page and "Completed 100%" in page
    assert "Swedish paper 2" not in page
    assert updates(make) == 0
    carried = hidden_rows(page)
    assert carried == {
        "rows-0-deliverable_id": str(first.id),
        "rows-0-version": "1",
        "rows-0-status": "in_progress",
        "rows-0-percent_complete": "40",
        "rows-0-comment": "Drafting",
        "rows-1-deliverable_id": str(third.id),
        "rows-1-version": "1",
        "rows-1-status": "completed",
        "rows-1-percent_complete": "100",
        "rows-1-comment": "Published",
    }
    confirm = client.post("/deliverables/bulk/confirm", data=carried)
    assert confirm.status_code == 302
    assert confirm.location.endswith(f"/governments/{sweden['government'].id}")
    assert states(make, sweden["open"]) == [
        ("in_progress", 40, 2),
        ("planned", 0, 1),
        ("completed", 100, 2),
    ]
    assert updates(make) == 2
    landing = client.get(confirm.location).get_data(as_text=True)
    assert "Progress saved on 2 deliverables." in landing


def test_all_blank_form_is_refused(client, auth, make, sweden):
    """A form with nothing changed says so."""
    auth.login(sweden["focal"])
    response = client.post(
        "/deliverables/bulk", data=rows(*[(d.id, 1, "", "", "") for d in sweden["open"]])
    )
    assert response.status_code == 400
    assert "Nothing to apply" in response.get_data(as_text=True)


def test_one_bad_row_stops_the_whole_form(client, auth, make, sweden):
    """An incoherent row: 400, its message beside it, what was typed kept, nothing applied."""
    first, second, _ = sweden["open"]
    auth.login(sweden["focal"])
    response = client.post(
        "/deliverables/bulk",
        data=rows(
            (first.id, 1, "in_progress", 40, "Fine"),
            (second.id, 1, "dropped", 0, ""),
        ),
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Say in the comment why the deliverable is dropped." in page
    assert 'name="rows-0-percent_complete" required' not in page
    assert re.search(r'name="rows-0-percent_complete"[^>]*value="40"', page)
    assert updates(make) == 0
    assert states(make, sweden["open"])[:2] == [("planned", 0, 1), ("planned", 0, 1)]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("percent_complete", "150", "Percent complete must be from 0 to 100."),
        ("status", "carried_over", "Not a valid choice."),
        ("version", "", "This field is required."),
    ],
)
def test_malformed_rows_are_refused_by_the_form(client, auth, make, sweden, field, value, message):
    """Shape errors are caught by the form before any rule runs."""
    first = sweden["open"][0]
    auth.login(sweden["focal"])
    data = rows((first.id, 1, "in_progress", 40, ""))
    data[f"rows-0-{field}"] = value
    response = client.post("/deliverables/bulk", data=data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert updates(make) == 0


@pytest.mark.parametrize(
    "extra", ["title", "rows-0-title", "rows-0-due_on", "rows-x-status", "responsible_governments"]
)
def test_bulk_form_refuses_other_fields(client, auth, make, sweden, extra):
    """Bulk rows carry status, percent and comment only: anything else is a 400."""
    first = sweden["open"][0]
    auth.login(sweden["focal"])
    data = rows((first.id, 1, "in_progress", 40, "")) | {extra: "x"}
    for url in ("/deliverables/bulk", "/deliverables/bulk/confirm"):
        response = client.post(url, data=data)
        assert response.status_code == 400, url
        assert extra in response.get_data(as_text=True)
    assert updates(make) == 0
    assert make.fresh(Deliverable, first.id).title == "Swedish paper 1"


def test_confirm_checks_the_rows_again(client, auth, make, sweden):
    """The preview's hidden rows are not trusted: tampering is caught on confirm."""
    first = sweden["open"][0]
    auth.login(sweden["focal"])
    page = client.post(
        "/deliverables/bulk", data=rows((first.id, 1, "in_progress", 40, ""))
    ).get_data(as_text=True)
    carried = hidden_rows(page)

    tampered = carried | {"rows-0-status": "completed"}
    response = client.post("/deliverables/bulk/confirm", data=tampered)
    assert response.status_code == 400
    assert "A completed deliverable is 100 percent complete." in response.get_data(as_text=True)

    foreign = carried | {"rows-0-deliverable_id": str(sweden["theirs"].id)}
    response = client.post("/deliverables/bulk/confirm", data=foreign)
    assert response.status_code == 403
    assert "Your government is not responsible" in response.get_data(as_text=True)

    unknown = carried | {"rows-0-deliverable_id": "999999"}
    response = client.post("/deliverables/bulk/confirm", data=unknown)
    assert response.status_code == 400
    assert "There is no deliverable number 999999." in response.get_data(as_text=True)

    assert updates(make) == 0
    assert states(make, [first, sweden["theirs"]]) == [("planned", 0, 1), ("planned", 0, 1)]


def test_a_save_between_preview_and_confirm_makes_it_409(client, auth, make, sweden):
    """Someone updated a row's deliverable after the preview: nothing applies, 409 says why."""
    first, second, _ = sweden["open"]
    auth.login(sweden["focal"])
    page = client.post(
        "/deliverables/bulk",
        data=rows((first.id, 1, "in_progress", 40, ""), (second.id, 1, "at_risk", 10, "Late")),
    ).get_data(as_text=True)
    row = make.session.get(Deliverable, second.id)
    row.percent_complete = 5
    make.session.commit()
    response = client.post("/deliverables/bulk/confirm", data=hidden_rows(page))
    assert response.status_code == 409
    assert "Someone updated this deliverable after your list was made" in response.get_data(
        as_text=True
    )
    assert updates(make) == 0
    assert states(make, [first]) == [("planned", 0, 1)]


def read_template(response) -> list[list[str]]:
    """The template's rows as a spreadsheet would read them."""
    raw = response.get_data()
    assert raw.startswith("\ufeff".encode())
    text = raw.decode("utf-8-sig")
    assert "\r\n" in text and "\n" not in text.replace("\r\n", "")
    return list(csv.reader(io.StringIO(text, newline="")))


def test_template_lists_the_open_deliverables(client, auth, make, sweden):
    """UTF-8 CSV (RFC 4180) with the current values and empty columns to fill in."""
    formula = make.deliverable(
        [sweden["government"]], title='=HYPERLINK("http://evil.example","Click")'
    )
    plus = make.deliverable([sweden["government"]], title="+1 Résumé des étapes, «draft»")
    auth.login(sweden["focal"])
    response = client.get("/deliverables/bulk/template.csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert re.match(
        r'attachment; filename="progress-SWE-\d{4}-\d{2}-\d{2}\.csv"',
        response.headers["Content-Disposition"],
    )
    table = read_template(response)
    assert tuple(table[0]) == TEMPLATE_COLUMNS
    by_id = {int(r[0]): r for r in table[1:]}
    assert set(by_id) == {d.id for d in sweden["open"]} | {formula.id, plus.id}
    first = by_id[sweden["open"][0].id]
    assert first == [
        str(sweden["open"][0].id),
        "Swedish paper 1",
        "2030-01-01",
        "planned",
        "0",
        "1",
        "",
        "",
        "",
    ]
    assert by_id[formula.id][1] == '\'=HYPERLINK("http://evil.example","Click")'
    assert by_id[plus.id][1] == "'+1 Résumé des étapes, «draft»"


def test_filled_template_is_previewed_then_applied(client, auth, make, sweden):
    """Download, fill in new_status, new_percent and comment, upload, check, confirm."""
    auth.login(sweden["focal"])
    table = read_template(client.get("/deliverables/bulk/template.csv"))
    header = table[0]
    for row in table[1:]:
        cells = dict(zip(header, row, strict=True))
        if cells["title"] == "Swedish paper 1":
            row[header.index("new_status")] = "In progress"
            row[header.index("new_percent")] = "35%"
            row[header.index("comment")] = "Consultation held, “quotes” and, commas"
        elif cells["title"] == "Swedish paper 2":
            row[header.index("new_status")] = "at_risk"
    response = upload(client, csv_bytes(table))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "In progress 35%" in page and "At risk 0%" in page
    assert updates(make) == 0
    confirm = client.post("/deliverables/bulk/confirm", data=hidden_rows(page))
    assert confirm.status_code == 302
    assert states(make, sweden["open"]) == [
        ("in_progress", 35, 2),
        ("at_risk", 0, 2),
        ("planned", 0, 1),
    ]
    comment = make.session.scalar(
        select(ProgressUpdate.comment).where(ProgressUpdate.deliverable_id == sweden["open"][0].id)
    )
    assert comment == "Consultation held, “quotes” and, commas"


def template_with(sweden, *changes, columns=TEMPLATE_COLUMNS) -> list[list]:
    """A template table whose first rows carry the given (new_status, new_percent, comment)."""
    table = [list(columns)]
    for d, (status, percent, comment) in zip(sweden["open"], changes, strict=False):
        table.append([d.id, d.title, "2030-01-01", "planned", 0, 1, status, percent, comment])
    return table


@pytest.mark.parametrize(
    ("make_file", "status", "message"),
    [
        (
            lambda s: csv_bytes([["id", "new_status"], [s["open"][0].id, "completed"]]),
            400,
            "The columns are not the template's (missing title, due_on",
        ),
        (
            lambda s: csv_bytes(
                template_with(s, ("completed", "100", ""), columns=(*TEMPLATE_COLUMNS, "owner"))
            ),
            400,
            "unknown owner",
        ),
        (
            lambda s: (
                "id,title,due_on,current_status,current_percent,version,new_status,"
                "new_percent,comment\r\n1,Caf\xe9,2030-01-01,planned,0,1,completed,100,\r\n".encode(
                    "latin-1"
                )
            ),
            400,
            "The file is not UTF-8 text.",
        ),
        (
            lambda s: b"id,title\r\n" + b"x" * (MAX_CSV_BYTES + 10),
            400,
            "The file is larger than 256 KB.",
        ),
        (lambda s: b"", 400, "The file is empty."),
        (
            lambda s: csv_bytes([list(TEMPLATE_COLUMNS)]),
            400,
            "The file has no changes",
        ),
        (
            lambda s: csv_bytes(template_with(s, ("", "", ""), ("", "", ""))),
            400,
            "The file has no changes",
        ),
        (
            lambda s: csv_bytes(
                [
                    list(TEMPLATE_COLUMNS),
                    [
                        s["theirs"].id,
                        "Turkish paper",
                        "2030-01-01",
                        "planned",
                        0,
                        1,
                        "completed",
                        100,
                        "",
                    ],
                ]
            ),
            403,
            "Your government is not responsible for this deliverable.",
        ),
        (
            lambda s: csv_bytes(
                [list(TEMPLATE_COLUMNS), [999999, "Ghost", "", "planned", 0, 1, "at_risk", "", ""]]
            ),
            400,
            "There is no deliverable number 999999.",
        ),
        (
            lambda s: csv_bytes(template_with(s, ("in_progress", "10", ""), ("finished", "", ""))),
            400,
            "“finished” is not a status you can report",
        ),
        (
            lambda s: csv_bytes(template_with(s, ("in_progress", "ten", ""))),
            400,
            "Percent complete must be a whole number from 0 to 100.",
        ),
        (
            lambda s: csv_bytes(template_with(s, ("in_progress", "101", ""))),
            400,
            "Percent complete must be a whole number from 0 to 100.",
        ),
        (
            lambda s: csv_bytes(template_with(s, ("completed", "80", ""))),
            400,
            "A completed deliverable is 100 percent complete.",
        ),
        (
            lambda s: csv_bytes(
                [
                    list(TEMPLATE_COLUMNS),
                    [s["open"][0].id, "", "", "", "", 7, "at_risk", "", ""],
                ]
            ),
            409,
            "Someone updated this deliverable after your list was made",
        ),
        (
            lambda s: csv_bytes(
                [
                    list(TEMPLATE_COLUMNS),
                    [s["open"][0].id, "", "", "", "", "", "at_risk", "", ""],
                ]
            ),
            400,
            "The version column is empty or not a number",
        ),
        (
            lambda s: csv_bytes(
                [list(TEMPLATE_COLUMNS), ["abc", "", "", "", "", 1, "at_risk", "", ""]]
            ),
            400,
            "“abc” is not a deliverable number",
        ),
        (
            lambda s: csv_bytes(
                [
                    list(TEMPLATE_COLUMNS),
                    [s["open"][0].id, "", "", "", "", 1, "at_risk", "", ""],
                    [s["open"][0].id, "", "", "", "", 1, "in_progress", "", ""],
                ]
            ),
            400,
            "This deliverable appears twice",
        ),
        (
            lambda s: csv_bytes([list(TEMPLATE_COLUMNS), [s["open"][0].id, "short row"]]),
            400,
            "Line 2 has 2 cells where the header has 9.",
        ),
        (lambda s: b"id,title\x00\r\n", 400, "The file is not a CSV text file."),
    ],
)
def test_bad_csv_is_refused_and_nothing_applies(
    client, auth, make, sweden, make_file, status, message
):
    """Each fault: a clear message, the right status, no confirm button, and nothing changed."""
    auth.login(sweden["focal"])
    response = upload(client, make_file(sweden))
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == status, page[-2000:]
    assert message in page
    assert "/deliverables/bulk/confirm" not in page
    assert updates(make) == 0
    assert states(make, [*sweden["open"], sweden["theirs"]]) == [("planned", 0, 1)] * 4


def test_one_good_row_and_one_bad_row_apply_nothing(client, auth, make, sweden):
    """All or none: the good row waits for the bad one to be fixed."""
    auth.login(sweden["focal"])
    response = upload(
        client, csv_bytes(template_with(sweden, ("in_progress", "50", "ok"), ("dropped", "", "")))
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Nothing was saved: 1 of 2 rows" in page
    assert updates(make) == 0


def test_upload_without_a_file_is_refused(client, auth, make, sweden):
    """The upload form asks for its file."""
    auth.login(sweden["focal"])
    response = client.post("/deliverables/bulk/upload", data={})
    assert response.status_code == 400
    assert "Choose the CSV file to upload." in response.get_data(as_text=True)


def test_secretariat_chooses_a_government(client, auth, make, sweden):
    """The secretariat may update anyone's deliverables: it picks the government first."""
    auth.login(make.user("secretariat"))
    chooser = client.get("/deliverables/bulk")
    assert chooser.status_code == 200
    assert '<select id="bulk-government" name="government"' in chooser.get_data(as_text=True)
    turkey = client.get(f"/deliverables/bulk?government={sweden['turkey'].id}").get_data(
        as_text=True
    )
    assert "Turkish paper" in turkey and "Swedish paper 1" not in turkey
    assert client.get("/deliverables/bulk/template.csv").status_code == 400
    page = client.post(
        f"/deliverables/bulk?government={sweden['turkey'].id}",
        data=rows((sweden["theirs"].id, 1, "at_risk", 15, "Checked by the secretariat")),
    ).get_data(as_text=True)
    confirm = client.post(
        f"/deliverables/bulk/confirm?government={sweden['turkey'].id}", data=hidden_rows(page)
    )
    assert confirm.status_code == 302
    assert states(make, [sweden["theirs"]]) == [("at_risk", 15, 2)]
