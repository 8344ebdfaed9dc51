"""The document shelf: uploads checked by content, versions per language, access levels on every
way in, downloads as attachments, stale edits refused, and files kept in a folder."""

import io
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from tests import samples
from workplan.models import Document, DocumentFile
from workplan.services.documents import safe_filename
from workplan.services.file_types import PDF, identify


def _upload(client, url, data: bytes, filename="paper.pdf", **fields):
    form = {
        "title": "Concept note on labour mobility",
        "kind": "concept_note",
        "access": "public",
        "language": "en",
        **fields,
        "file": FileStorage(io.BytesIO(data), filename=filename),
    }
    return _post_multipart(client, url, form)


def _post_multipart(client, url, form):
    # Encoded in memory: the test client would spool a large body to a temporary file that
    # nothing closes.
    boundary, body = encode_multipart(form)
    return client.post(url, data=body, content_type=f"multipart/form-data; boundary={boundary}")


@pytest.fixture
def secretariat(make, auth):
    user = make.user(role="secretariat")
    auth.login(user)
    return user


def _count(db_session, model) -> int:
    db_session.expire_all()
    return db_session.scalar(select(func.count()).select_from(model))


def _stored(app) -> list[Path]:
    root = Path(app.config["STORAGE_URL"])
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


# What the content says, whatever the name.


@pytest.mark.parametrize(
    ("make_file", "extension"),
    [
        (samples.pdf, "pdf"),
        (samples.docx, "docx"),
        (samples.xlsx, "xlsx"),
        (samples.pptx, "pptx"),
        (samples.odt, "odt"),
    ],
)
def test_each_accepted_kind_is_known_by_its_content(make_file, extension):
    assert identify(make_file()).extension == extension


@pytest.mark.parametrize(
    "data",
    [samples.html(), samples.plain_zip(), b"MZ\x90\x00 a Windows program", b"", b"PK\x03\x04torn"],
)
def test_anything_else_is_refused(data):
    assert identify(data) is None


@pytest.mark.parametrize(
    ("sent", "saved"),
    [
        ("<script>alert(1)</script>.pdf", "script.pdf"),
        ("<img src=x onerror=alert(1)>.pdf", "img src=x onerror=alert(1).pdf"),
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\ana\\Note de synthèse.docx", "Note de synthèse.pdf"),
        ("concept\x00note\r\n.exe", "concept note.pdf"),
        ("", "Fallback title.pdf"),
        ('"quoted".pdf', "quoted.pdf"),
    ],
)
def test_a_download_is_named_safely_and_for_what_it_is(sent, saved):
    assert safe_filename(sent, PDF, fallback="Fallback title") == saved


# Uploading through the pages.


def test_the_secretariat_puts_a_paper_on_a_meetings_shelf(
    app, client, make, secretariat, db_session
):
    meeting = make.meeting()
    paper = samples.pdf(pages=2)
    response = _upload(client, f"/documents/new?meeting={meeting.id}", paper)
    assert response.status_code == 302
    document = db_session.scalars(select(Document)).one()
    assert (document.meeting_id, document.kind, document.access) == (
        meeting.id,
        "concept_note",
        "public",
    )
    [file] = document.files
    assert (file.language, file.number, file.size_bytes, file.uploaded_by_id) == (
        "en",
        1,
        len(paper),
        secretariat.id,
    )
    [kept] = _stored(app)
    assert kept.read_bytes() == paper and kept.name == file.sha256

    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "Concept note on labour mobility" in page
    assert f"/documents/{document.id}/en" in page

    download = client.get(f"/documents/{document.id}/en", follow_redirects=True)
    assert download.status_code == 200
    assert download.mimetype == "application/pdf"
    assert len(PdfReader(io.BytesIO(download.data)).pages) == 2
    assert download.headers["Content-Disposition"].startswith('attachment; filename="paper.pdf"')
    assert "sandbox" in download.headers["Content-Security-Policy"]
    assert download.headers["X-Content-Type-Options"] == "nosniff"


def test_a_web_page_named_pdf_is_refused_and_nothing_is_kept(
    app, client, make, secretariat, db_session
):
    meeting = make.meeting()
    response = _upload(client, f"/documents/new?meeting={meeting.id}", samples.html())
    assert response.status_code == 400
    assert "not a PDF, Word, Excel, PowerPoint or OpenDocument file" in response.get_data(
        as_text=True
    )
    assert _count(db_session, Document) == 0 and _stored(app) == []


def test_an_empty_file_is_refused(app, client, make, secretariat, db_session):
    meeting = make.meeting()
    response = _upload(client, f"/documents/new?meeting={meeting.id}", b"")
    assert response.status_code == 400
    assert _count(db_session, Document) == 0


def test_a_file_over_the_limit_is_refused_with_the_limit_named(
    app, client, make, secretariat, db_session
):
    app.config["MAX_DOCUMENT_BYTES"] = 1024 * 1024
    meeting = make.meeting()
    big = samples.pdf() + b"%" + b"x" * (1024 * 1024)
    response = _upload(client, f"/documents/new?meeting={meeting.id}", big)
    assert response.status_code == 400
    assert "the largest file accepted is 1 MB" in response.get_data(as_text=True)
    assert _count(db_session, Document) == 0 and _stored(app) == []


def test_a_request_far_over_the_limit_is_stopped_before_it_is_read(
    app, client, make, secretariat, db_session
):
    app.config["MAX_DOCUMENT_BYTES"] = 100 * 1024
    meeting = make.meeting()
    response = _upload(client, f"/documents/new?meeting={meeting.id}", b"%PDF-" + b"x" * 1_300_000)
    assert response.status_code == 413
    assert "larger than this service accepts" in response.get_data(as_text=True)
    assert _count(db_session, Document) == 0


def test_uploads_larger_than_other_forms_are_taken_only_by_the_shelf(
    app, client, make, secretariat
):
    """Every other form keeps the small request limit."""
    padding = "x" * (3 * 1024 * 1024)
    response = _post_multipart(
        client,
        "/auth/login",
        {"email": "a@example.org", "password": "p", "file": FileStorage(io.BytesIO(b"x"), "a")}
        | {"padding": padding},
    )
    assert response.status_code == 413
    meeting = make.meeting()
    upload = _upload(
        client, f"/documents/new?meeting={meeting.id}", samples.pdf() + padding.encode()
    )
    assert upload.status_code == 302


def test_versions_and_languages_are_kept_and_the_latest_is_served(
    app, client, make, secretariat, db_session
):
    roundtable = make.roundtable()
    document = make.document(roundtable, samples.pdf(), access="members")
    url = f"/documents/{document.id}/versions"
    second = samples.pdf(pages=3)
    assert _upload(client, url, second, "v2.pdf", note="Co-chairs' comments").status_code == 302
    assert _upload(client, url, samples.docx(), "note.docx", language="fr").status_code == 302
    db_session.expire_all()
    files = db_session.scalars(
        select(DocumentFile).order_by(DocumentFile.language, DocumentFile.number)
    ).all()
    assert [(f.language, f.number) for f in files] == [("en", 1), ("en", 2), ("fr", 1)]
    assert files[1].note == "Co-chairs' comments"

    latest = client.get(f"/documents/{document.id}/en", follow_redirects=True)
    assert len(PdfReader(io.BytesIO(latest.data)).pages) == 3
    french = client.get(f"/documents/{document.id}/fr", follow_redirects=True)
    assert french.mimetype.endswith("wordprocessingml.document")
    assert identify(french.data).extension == "docx"
    first = client.get(f"/documents/{document.id}/files/{files[0].id}/{files[0].filename}")
    assert first.status_code == 200 and len(PdfReader(io.BytesIO(first.data)).pages) == 1
    assert client.get(f"/documents/{document.id}/es").status_code == 404

    page = client.get(f"/documents/{document.id}").get_data(as_text=True)
    assert "Co-chairs&#39; comments" in page and "v2.pdf" in page

    shelf = client.get(f"/roundtables/{roundtable.id}").get_data(as_text=True)
    assert f"/documents/{document.id}/fr" in shelf


def test_a_download_answers_304_to_a_client_that_has_it(app, client, make):
    meeting = make.meeting()
    document = make.document(meeting, samples.pdf())
    [file] = document.files
    url = f"/documents/{document.id}/files/{file.id}/{file.filename}"
    first = client.get(url)
    assert first.status_code == 200 and first.headers["ETag"] == f'"{file.sha256}"'
    again = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    assert client.get(f"/documents/{document.id}/files/{file.id}/other.pdf").status_code == 301


def test_a_file_missing_from_storage_says_so(app, client, make):
    meeting = make.meeting()
    document = make.document(meeting, samples.pdf())
    for path in _stored(app):
        path.unlink()
    response = client.get(f"/documents/{document.id}/en", follow_redirects=True)
    assert response.status_code == 503
    assert "Tell the secretariat" in response.get_data(as_text=True)


# Who reads what.

READERS = ("anonymous", "member", "focal_point", "secretariat")
MAY_READ = {
    "public": {"anonymous", "member", "focal_point", "secretariat"},
    "members": {"member", "focal_point", "secretariat"},
    "secretariat": {"secretariat"},
}


@pytest.mark.parametrize("access", list(MAY_READ))
def test_each_access_level_holds_on_the_page_the_shelf_and_the_download(
    access, app, make, db_session
):
    meeting = make.meeting()
    document = make.document(meeting, samples.pdf(), access=access, title=f"Paper {access}")
    [file] = document.files
    users = {role: make.user(role=role) for role in READERS[1:]}
    for reader in READERS:
        client = app.test_client()
        if reader != "anonymous":
            client.post(
                "/auth/login",
                data={"email": users[reader].email, "password": "correct horse battery"},
            )
        allowed = reader in MAY_READ[access]
        detail = client.get(f"/documents/{document.id}")
        download = client.get(f"/documents/{document.id}/files/{file.id}/{file.filename}")
        latest = client.get(f"/documents/{document.id}/en")
        shelf = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
        where = f"{reader} reading a {access} document"
        assert detail.status_code == (200 if allowed else 404), where
        assert download.status_code == (200 if allowed else 404), where
        assert latest.status_code == (302 if allowed else 404), where
        assert (f"Paper {access}" in shelf) is allowed, where


def test_a_drafts_documents_stay_inside_the_secretariat(app, client, make):
    meeting = make.meeting(state="draft")
    document = make.document(meeting, samples.pdf(), access="public")
    assert client.get(f"/documents/{document.id}").status_code == 404
    assert client.get(f"/documents/{document.id}/en").status_code == 404


def test_an_archived_document_leaves_the_shelf_and_comes_back(
    app, client, make, secretariat, db_session
):
    team = make.team()
    document = make.document(team, samples.pdf(), title="Team paper")
    assert client.post(f"/documents/{document.id}/archive").status_code == 302
    assert client.post(f"/documents/{document.id}/archive").status_code == 409
    page = client.get(f"/teams/{team.id}").get_data(as_text=True)
    assert "Archived documents (1)" in page
    assert app.test_client().get(f"/documents/{document.id}").status_code == 404
    refused = _upload(client, f"/documents/{document.id}/versions", samples.pdf())
    assert refused.status_code == 404
    assert client.post(f"/documents/{document.id}/restore").status_code == 302
    assert app.test_client().get(f"/documents/{document.id}").status_code == 200
    assert _count(db_session, DocumentFile) == 1


def test_only_the_secretariat_shelves_documents(app, client, make, auth, db_session):
    meeting = make.meeting()
    auth.login(make.user(role="focal_point"))
    response = _upload(client, f"/documents/new?meeting={meeting.id}", samples.pdf())
    assert response.status_code == 403
    anonymous = _upload(app.test_client(), f"/documents/new?meeting={meeting.id}", samples.pdf())
    assert anonymous.status_code == 302 and "/auth/login" in anonymous.headers["Location"]
    assert _count(db_session, Document) == 0 and _stored(app) == []


def test_a_new_document_must_name_its_shelf(client, make, secretariat):
    assert client.get("/documents/new").status_code == 400
    assert client.get("/documents/new?meeting=999999").status_code == 404
    assert client.get("/documents/new?meeting=x").status_code == 400


# Changing a document.


def test_titles_in_three_languages_follow_the_reader(app, client, make, secretariat, db_session):
    meeting = make.meeting()
    document = make.document(meeting, samples.pdf(), title="Chair's summary")
    response = client.post(
        f"/documents/{document.id}/edit",
        data={
            "title": "Chair's summary",
            "title_fr": "Résumé de la présidence",
            "title_es": "Resumen de la presidencia",
            "kind": "chairs_summary",
            "access": "public",
            "version": document.version,
        },
    )
    assert response.status_code == 302
    french = app.test_client()
    french.post("/language", data={"lang": "fr"})
    assert "Résumé de la présidence" in french.get(f"/meetings/{meeting.id}").get_data(as_text=True)


def test_a_stale_edit_is_refused_with_the_newer_values(app, client, make, secretariat, db_session):
    meeting = make.meeting()
    document = make.document(meeting, samples.pdf(), title="Background paper")
    stale = document.version
    fields = {"kind": "background_paper", "access": "members", "version": stale}
    first = client.post(f"/documents/{document.id}/edit", data={**fields, "title": "Mine"})
    assert first.status_code == 302
    second = client.post(f"/documents/{document.id}/edit", data={**fields, "title": "Theirs"})
    assert second.status_code == 409
    assert "Mine" in second.get_data(as_text=True)
    db_session.expire_all()
    assert db_session.get(Document, document.id).title == "Mine"


def test_a_blank_title_is_refused_at_its_field(client, make, secretariat, db_session):
    meeting = make.meeting()
    response = _upload(client, f"/documents/new?meeting={meeting.id}", samples.pdf(), title="  ")
    assert response.status_code == 400
    assert "Give the document" in response.get_data(as_text=True)
    assert _count(db_session, Document) == 0


def _encrypted_flag(package: bytes) -> bytes:
    """The same ZIP, its entries marked encrypted (bit 0 of each header's flags)."""
    data = bytearray(package)
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = data.find(signature)
        while start != -1:
            data[start + offset] |= 1
            start = data.find(signature, start + 4)
    return bytes(data)


def test_torn_encrypted_or_compressed_packages_are_not_papers():
    import zipfile

    deflated = io.BytesIO()
    with zipfile.ZipFile(deflated, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("mimetype", "application/vnd.oasis.opendocument.text")
    assert identify(deflated.getvalue()) is None  # OpenDocument stores its mimetype plainly
    assert identify(_encrypted_flag(samples.odt())) is None
    assert identify(samples.docx()[:-40]) is None


def test_a_title_with_a_control_character_is_refused(client, make, secretariat, db_session):
    meeting = make.meeting()
    response = _upload(
        client, f"/documents/new?meeting={meeting.id}", samples.pdf(), title="A\x01B"
    )
    assert response.status_code == 400
    assert "invisible control character" in response.get_data(as_text=True)
    assert _count(db_session, Document) == 0


def test_look_alike_quotes_cannot_break_out_of_the_download_name():
    from workplan.documents.views import attachment

    header = attachment("a\uff02; filename=\uff02evil.html\uff02.pdf")
    plain = header.split('filename="', 1)[1].split('"', 1)[0]
    assert plain == "a; filename=evil.html.pdf"
    assert header.count('"') == 2


def test_only_those_who_may_upload_may_send_a_large_request(app, client, make):
    """The CSRF check reads the form before any view: only the secretariat's may be large."""
    app.config["WTF_CSRF_ENABLED"] = True
    meeting = make.meeting()
    big = samples.pdf() + b"%" + b"x" * (3 * 1024 * 1024)
    anonymous = _upload(client, f"/documents/new?meeting={meeting.id}", big)
    assert anonymous.status_code == 413
