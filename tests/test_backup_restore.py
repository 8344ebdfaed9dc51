"""`flask backup` taken while writes run gives a copy that restores into a working app."""

import shutil
import subprocess
import tarfile
import threading
import time
import uuid

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from tests import samples
from tests.factories import PASSWORD
from workplan import create_app
from workplan.extensions import db
from workplan.models import Deliverable, ProgressUpdate, User
from workplan.services.progress import ProgressChange, update_progress


@pytest.fixture
def forum(make):
    """A chairmanship with deliverables, pledges and payments, and a member to read reports."""
    government = make.government(iso3="SWE")
    chairmanship = make.chairmanship(label="GFMD 2013-2014")
    deliverables = [
        make.deliverable(responsible=[government], chairmanship=chairmanship) for _ in range(6)
    ]
    pledge = make.pledge(donor=government, chairmanship=chairmanship, amount="250000.00")
    make.payment(pledge, amount="1000.50")
    member = make.user(role="member")
    return chairmanship, [d.id for d in deliverables], member


def _report(app, chairmanship_id: int, member_email: str) -> dict:
    """The chairmanship report as JSON, without the date it was made."""
    client = app.test_client()
    client.post("/auth/login", data={"email": member_email, "password": PASSWORD})
    report = client.get(f"/reports/chairmanships/{chairmanship_id}.json").get_json()
    report.pop("generated_on")
    return report


def _keep_writing(app, deliverable_ids, stop: threading.Event, written: list, errors: list):
    """Post progress updates in a loop, each in its own transaction.

    A write the busy database refuses (locked, or serialised away) is retried by the loop; any
    other error is kept in `errors` for the test to report, never swallowed.
    """
    n = 0
    with app.app_context():
        while not stop.is_set():
            n += 1
            deliverable = db.session.get(Deliverable, deliverable_ids[n % len(deliverable_ids)])
            change = ProgressChange(deliverable.id, "in_progress", n % 100, f"update {n}")
            try:
                update_progress(deliverable, None, change)
                db.session.commit()
                written.append(n)
            except OperationalError:
                db.session.rollback()
            except Exception as error:  # noqa: BLE001  (reported by the test, below)
                db.session.rollback()
                errors.append(repr(error))
        db.session.remove()


def _restored_url(database_url: str, backup_path, tmp_path) -> str:
    """Restore the backup into a new database and return its address."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        target = tmp_path / "restored.db"
        shutil.copyfile(backup_path, target)
        return f"sqlite:///{target}"
    name = f"wp_restored_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    plain = url.set(drivername="postgresql", database=name).render_as_string(hide_password=False)
    subprocess.run(
        ["pg_restore", "--no-owner", "--dbname", plain, str(backup_path)],
        check=True,
        capture_output=True,
    )
    return url.set(database=name).render_as_string(hide_password=False)


def _drop(database_url: str, restored: str) -> None:
    url = make_url(restored)
    if url.get_backend_name() != "postgresql":
        return
    admin = create_engine(
        make_url(database_url).set(database="postgres"), isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
    admin.dispose()


def test_backup_restores_identical_reports(app, runner, database_url, forum, tmp_path):
    """A quiet backup restores into an app whose reports are the same, to the cent."""
    if make_url(database_url).get_backend_name() == "postgresql" and not shutil.which("pg_restore"):
        pytest.skip("pg_restore is not installed")
    chairmanship, _, member = forum
    before = _report(app, chairmanship.id, member.email)
    path = tmp_path / "backup.copy"
    result = runner.invoke(args=["backup", str(path)])
    assert result.exit_code == 0, result.output
    restored = _restored_url(database_url, path, tmp_path)
    try:
        copy = create_app("testing", SQLALCHEMY_DATABASE_URI=restored)
        assert _report(copy, chairmanship.id, member.email) == before
        assert copy.test_client().get("/healthz").get_json()["database"] == "ok"
    finally:
        _drop(database_url, restored)


def test_backup_during_writes_is_consistent(app, runner, database_url, forum, tmp_path):
    """Taken while progress updates pour in, the copy holds whole transactions only."""
    if make_url(database_url).get_backend_name() == "postgresql" and not shutil.which("pg_restore"):
        pytest.skip("pg_restore is not installed")
    chairmanship, deliverable_ids, member = forum
    stop, written, errors = threading.Event(), [], []
    writer = threading.Thread(
        target=_keep_writing, args=(app, deliverable_ids, stop, written, errors)
    )
    writer.start()
    try:
        deadline = time.monotonic() + 60
        while len(written) < 20 and not errors and time.monotonic() < deadline:
            stop.wait(0.05)
        path = tmp_path / "backup.copy"
        result = runner.invoke(args=["backup", str(path)])
        assert result.exit_code == 0, result.output
        during = len(written)
    finally:
        stop.set()
        writer.join(30)
    assert errors == [], errors[:5]
    assert len(written) >= during >= 20
    restored = _restored_url(database_url, path, tmp_path)
    try:
        copy = create_app("testing", SQLALCHEMY_DATABASE_URI=restored)
        with copy.app_context():
            updates = db.session.scalar(select(func.count(ProgressUpdate.id)))
            assert 20 <= updates <= len(written)
            # Each write changed a deliverable and added its timeline entry in one transaction:
            # in a consistent copy every deliverable matches its latest entry.
            for deliverable in db.session.scalars(select(Deliverable)):
                latest = db.session.scalars(
                    select(ProgressUpdate)
                    .where(ProgressUpdate.deliverable_id == deliverable.id)
                    .order_by(ProgressUpdate.id.desc())
                ).first()
                if latest is not None:
                    assert deliverable.percent_complete == latest.new_percent
                    assert deliverable.version == 1 + db.session.scalar(
                        select(func.count(ProgressUpdate.id)).where(
                            ProgressUpdate.deliverable_id == deliverable.id
                        )
                    )
            assert db.session.scalar(select(func.count(User.id))) >= 1
            db.session.remove()
        report = _report(copy, chairmanship.id, member.email)
        assert report["chairmanship"]["label"] == "GFMD 2013-2014"
    finally:
        _drop(database_url, restored)


def test_backup_carries_the_documents_files(app, runner, database_url, forum, make, tmp_path):
    """The documents' files go beside the database copy; restored together, a paper downloads
    byte for byte."""
    if make_url(database_url).get_backend_name() == "postgresql" and not shutil.which("pg_restore"):
        pytest.skip("pg_restore is not installed")
    paper = samples.pdf(pages=2)
    document = make.document(make.meeting(), paper, access="public")
    path = tmp_path / "backup.copy"
    result = runner.invoke(args=["backup", str(path)])
    assert result.exit_code == 0, result.output
    assert "documents' files (1 files)" in result.output
    folder = tmp_path / "restored-documents"
    with tarfile.open(f"{path}.documents.tar") as archive:
        archive.extractall(folder, filter="data")
    restored = _restored_url(database_url, path, tmp_path)
    try:
        copy = create_app("testing", SQLALCHEMY_DATABASE_URI=restored, STORAGE_URL=str(folder))
        download = copy.test_client().get(f"/documents/{document.id}/en", follow_redirects=True)
        assert download.status_code == 200 and download.data == paper
    finally:
        _drop(database_url, restored)
