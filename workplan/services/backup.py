"""Backups taken while the app runs: SQLite's online backup API, or pg_dump for PostgreSQL."""

import os
import shutil
import sqlite3
import subprocess  # noqa: S404  (runs pg_dump, found on PATH, with an argument list)
import tarfile
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import URL

from workplan.services import DomainError
from workplan.storage import FolderStorage


@dataclass
class BackupResult:
    """Where the backup went, how big it is, and how it was taken."""

    path: Path
    size: int
    method: str

    @property
    def human_size(self) -> str:
        """The size as people read it: 1.4 MB."""
        size = float(self.size)
        for unit in ("bytes", "kB", "MB", "GB"):
            if size < 1000 or unit == "GB":
                return f"{int(size)} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
            size /= 1000
        raise AssertionError("unreachable")


def files_to_copy(store) -> list[str] | None:
    """The documents' files a backup copies: all of a folder's; none of object storage's,
    which keeps its own copies (bucket versioning, replication)."""
    return list(store.stored()) if isinstance(store, FolderStorage) else None


def documents_path(path: Path) -> Path:
    """Where the documents' files go beside a database backup at `path`."""
    path = Path(path).expanduser().resolve()
    return path.with_name(path.name + ".documents.tar")


def backup_folder(
    root: Path, keys: list[str], target: Path, progress: Callable[[int], None] = lambda n: None
) -> BackupResult:
    """Copy the files under `keys` in a folder of documents into one tar file, written beside
    and renamed.

    Taken after the database: files are written before the rows that name them and never
    changed, so every file the database backup names is in the folder by then.
    """
    handle, temporary = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"
    )
    os.close(handle)
    try:
        with tarfile.open(temporary, "w") as archive:
            for key in keys:
                archive.add(Path(root) / key, arcname=key)
                progress(1)
        os.replace(temporary, target)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return BackupResult(path=target, size=target.stat().st_size, method=f"{len(keys)} files")


def backup(url: URL, path: Path) -> BackupResult:
    """Copy the database at `url` to `path`, consistently, without stopping the app."""
    path = Path(path).expanduser().resolve()
    if path.is_dir():
        raise DomainError(f"{path} is a directory; give the path of the backup file.")
    if not path.parent.is_dir():
        raise DomainError(f"The folder {path.parent} does not exist.")
    backend = url.get_backend_name()
    if backend == "sqlite":
        method, writer = "SQLite", lambda target: _sqlite(url, target)
    elif backend == "postgresql":
        method, writer = "pg_dump (custom format)", lambda target: _postgresql(url, target)
    else:
        raise DomainError(f"Backups of {backend} databases are not supported.")
    # Write beside the target and rename: a failed backup never leaves a half-written file,
    # and an earlier backup at the same path survives until the new one is complete.
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(handle)
    try:
        writer(Path(temporary))
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return BackupResult(path=path, size=path.stat().st_size, method=method)


def _sqlite(url: URL, target: Path) -> None:
    """Copy an SQLite file page by page under one read lock, so writers cannot tear it."""
    database = url.database
    if not database or database == ":memory:" or database.startswith("file::memory:"):
        raise DomainError("The database lives in memory; there is no file to back up.")
    source_path = Path(database).expanduser().resolve()
    if not source_path.is_file():
        raise DomainError(f"The database file {source_path} does not exist.")
    source = sqlite3.connect(source_path.as_uri() + "?mode=ro", uri=True)
    try:
        destination = sqlite3.connect(target)
        try:
            source.backup(destination)
        finally:
            destination.close()
    except sqlite3.Error as error:
        raise DomainError(f"SQLite could not copy {source_path}: {error}") from error
    finally:
        source.close()


def _postgresql(url: URL, target: Path) -> None:
    """Run pg_dump in its custom format, which pg_restore reads back."""
    pg_dump = shutil.which("pg_dump")
    if pg_dump is None:
        raise DomainError(
            "pg_dump was not found on PATH. Install the PostgreSQL client tools of the server's "
            "major version (Debian and Ubuntu: apt install postgresql-client) and try again."
        )
    # libpq knows no "+psycopg" driver suffix; the password goes through the environment so
    # it does not show in the process list.
    dsn = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    completed = subprocess.run(  # noqa: S603  (fixed program, argument list, no shell)
        [pg_dump, "--format=custom", "--file", str(target), dsn],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        raise DomainError(f"pg_dump failed: {completed.stderr.strip() or completed.returncode}")
