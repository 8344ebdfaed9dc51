"""Both places documents' files can live: a folder, and S3-compatible object storage spoken to
only through the S3 API (here moto's standalone server on loopback; in production AWS, MinIO or
any other that answers the same API)."""

import io
import socket
import subprocess
import sys
import time

import boto3
import pytest
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from tests import samples
from tests.factories import PASSWORD
from workplan import create_app
from workplan.storage import FolderStorage, ObjectStorage, content_key, from_url

BUCKET = "workplan-documents"
CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint():
    """An S3-compatible server of this test module's own, on a free loopback port."""
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                pytest.fail("moto's S3 server did not start")
            time.sleep(0.2)
    yield endpoint
    server.terminate()
    server.wait(10)


@pytest.fixture
def s3(s3_endpoint, monkeypatch):
    """boto3's own settings pointed at the server, and an empty bucket."""
    for name, value in {**CREDENTIALS, "AWS_ENDPOINT_URL": s3_endpoint}.items():
        monkeypatch.setenv(name, value)
    client = boto3.client("s3")
    client.create_bucket(Bucket=BUCKET)
    yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def _roundtrip(store):
    paper = samples.pdf()
    key = content_key(paper)
    store.put(key, paper, "application/pdf")
    store.put(key, paper, "application/pdf")  # a second upload of the same paper is harmless
    assert b"".join(store.chunks(key)) == paper
    assert list(store.stored()) == [key]
    with pytest.raises(FileNotFoundError):
        store.chunks(content_key(b"never stored"))


def test_a_folder_keeps_files_whole_under_their_content(tmp_path):
    store = from_url(str(tmp_path / "docs"), tmp_path)
    assert isinstance(store, FolderStorage)
    _roundtrip(store)
    assert [p.name for p in (tmp_path / "docs").rglob("*") if p.is_file()] == [
        content_key(samples.pdf()).split("/")[1]
    ]


def test_an_empty_setting_means_a_folder_under_instance(tmp_path):
    store = from_url("", tmp_path)
    assert isinstance(store, FolderStorage) and store.root == tmp_path / "documents"


def test_a_folder_refuses_keys_that_leave_it(tmp_path):
    store = FolderStorage(tmp_path / "docs")
    with pytest.raises(ValueError, match="not a storage key"):
        store.put("../../escape", b"x", "text/plain")


@pytest.mark.parametrize("url", ["s3://", "ftp://host/folder"])
def test_a_storage_url_it_cannot_use_stops_the_start(url, tmp_path):
    with pytest.raises(RuntimeError, match="WORKPLAN_STORAGE_URL"):
        from_url(url, tmp_path)


def test_object_storage_keeps_files_under_its_prefix(s3):
    store = from_url(f"s3://{BUCKET}/forum/papers", "/nonexistent")
    assert isinstance(store, ObjectStorage)
    _roundtrip(store)
    [item] = s3.list_objects_v2(Bucket=BUCKET)["Contents"]
    assert item["Key"] == "forum/papers/" + content_key(samples.pdf())
    stored = s3.head_object(Bucket=BUCKET, Key=item["Key"])
    assert stored["ContentType"] == "application/pdf"


def test_the_app_uploads_to_and_serves_from_object_storage(s3, app, make, database_url):
    """Two app servers sharing a bucket: one takes the upload, the other serves it."""
    meeting = make.meeting()
    secretariat = make.user(role="secretariat")
    settings = {"SQLALCHEMY_DATABASE_URI": database_url, "STORAGE_URL": f"s3://{BUCKET}/docs"}
    first, second = create_app("testing", **settings), create_app("testing", **settings)
    uploader = first.test_client()
    uploader.post("/auth/login", data={"email": secretariat.email, "password": PASSWORD})
    paper = samples.pdf(pages=2)
    boundary, body = encode_multipart(
        {
            "title": "Background paper",
            "kind": "background_paper",
            "access": "public",
            "language": "es",
            "file": FileStorage(io.BytesIO(paper), filename="documento.pdf"),
        }
    )
    response = uploader.post(
        f"/documents/new?meeting={meeting.id}",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    document_id = int(response.headers["Location"].rsplit("/", 1)[1])
    [item] = s3.list_objects_v2(Bucket=BUCKET)["Contents"]
    assert item["Key"] == "docs/" + content_key(paper)

    download = second.test_client().get(f"/documents/{document_id}/es", follow_redirects=True)
    assert download.status_code == 200 and download.data == paper
    assert download.headers["Content-Disposition"].startswith("attachment;")
