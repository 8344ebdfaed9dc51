"""Where uploaded files live: a folder under instance/, or S3-compatible object storage.

Files are written once under a name made from their content (SHA-256) and never changed, so two
app servers, a retried upload or a second copy of the same paper can never overwrite anything:
the database says which document version points at which file.

WORKPLAN_STORAGE_URL chooses: empty or a path for a folder, ``s3://bucket/prefix`` for object
storage, spoken to only through the S3 API (AWS, MinIO, Ceph and moto all answer it). Its
address and keys come from boto3's own settings (AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID,
AWS_SECRET_ACCESS_KEY, AWS_DEFAULT_REGION or ~/.aws), so no secret sits in this URL.
"""

import hashlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol
from urllib.parse import urlsplit

from flask import Flask, current_app, request
from flask_login import current_user

CHUNK = 64 * 1024


class Storage(Protocol):
    """Keep a file's bytes under a key, and give them back."""

    # How `flask backup` and the runbook describe where the files are.
    description: str

    def put(self, key: str, data: bytes, content_type: str) -> None:
        """Keep the bytes under the key (written whole or not at all)."""

    def chunks(self, key: str) -> Iterator[bytes]:
        """The bytes under the key, a piece at a time; FileNotFoundError if there are none."""

    def stored(self) -> Iterator[str]:
        """Every key held."""


def content_key(data: bytes) -> str:
    """The name a file is kept under: its SHA-256, fanned out over 256 folders."""
    digest = hashlib.sha256(data).hexdigest()
    return f"{digest[:2]}/{digest}"


class FolderStorage:
    """Files in a folder on this machine: the embedded default, for one app server."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self.description = f"the folder {self.root}"

    def _path(self, key: str) -> Path:
        path = (self.root / key).resolve()
        # Keys are made by content_key; this refuses anything else reaching out of the folder.
        if self.root.resolve() not in path.parents:
            raise ValueError(f"not a storage key: {key!r}")
        return path

    def put(self, key: str, data: bytes, content_type: str) -> None:
        path = self._path(key)
        if path.exists():
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        # Written beside and renamed, so a reader never sees half a file.
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(temporary, path)
        finally:
            if os.path.exists(temporary):
                os.unlink(temporary)

    def chunks(self, key: str) -> Iterator[bytes]:
        handle = self._path(key).open("rb")

        def read() -> Iterator[bytes]:
            with handle:
                while piece := handle.read(CHUNK):
                    yield piece

        return read()

    def stored(self) -> Iterator[str]:
        if not self.root.is_dir():
            return
        for path in sorted(self.root.glob("??/*")):
            if path.is_file() and not path.name.startswith("."):
                yield f"{path.parent.name}/{path.name}"


class ObjectStorage:
    """Files in an S3-compatible bucket, shared by every app server."""

    def __init__(self, bucket: str, prefix: str = "", client=None):
        import boto3  # Only deployments that use object storage pay for importing it.

        self.bucket = bucket
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""
        self.client = client or boto3.client("s3")
        self.description = f"the bucket s3://{bucket}/{self.prefix}"

    def put(self, key: str, data: bytes, content_type: str) -> None:
        self.client.put_object(
            Bucket=self.bucket, Key=self.prefix + key, Body=data, ContentType=content_type
        )

    def chunks(self, key: str) -> Iterator[bytes]:
        try:
            body = self.client.get_object(Bucket=self.bucket, Key=self.prefix + key)["Body"]
        except self.client.exceptions.NoSuchKey as error:
            raise FileNotFoundError(key) from error

        def read() -> Iterator[bytes]:
            with body:
                yield from body.iter_chunks(CHUNK)

        return read()

    def stored(self) -> Iterator[str]:
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=self.prefix
        )
        for page in pages:
            for item in page.get("Contents", []):
                yield item["Key"][len(self.prefix) :]


def from_url(url: str, instance_dir: Path) -> Storage:
    """The storage a WORKPLAN_STORAGE_URL names; a folder under instance/ when it is empty."""
    url = (url or "").strip()
    if not url:
        return FolderStorage(Path(instance_dir) / "documents")
    parts = urlsplit(url)
    if parts.scheme == "s3":
        if not parts.netloc:
            raise RuntimeError(
                f"WORKPLAN_STORAGE_URL is “{url}”: name the bucket, as in s3://bucket/prefix."
            )
        return ObjectStorage(parts.netloc, parts.path)
    if parts.scheme in ("", "file"):
        return FolderStorage(Path(parts.path if parts.scheme else url).expanduser())
    raise RuntimeError(
        f"WORKPLAN_STORAGE_URL is “{url}”; use a folder's path or s3://bucket/prefix."
    )


# Room for the form's other fields around an upload at the limit.
FORM_MARGIN = 1024 * 1024


def init_app(app: Flask) -> None:
    """Make the app's storage once, from its configuration, and let the views that take an
    upload receive one as large as the limit.

    Called before CSRF protection is set up, whose check reads the form first: the larger limit
    must be in place by then. Every other request keeps the small MAX_CONTENT_LENGTH.
    """
    app.extensions["workplan_storage"] = from_url(
        app.config.get("STORAGE_URL", ""), Path(app.instance_path)
    )

    @app.before_request
    def _uploads_may_be_larger():
        view = app.view_functions.get(request.endpoint or "")
        # The view names who may upload: nobody else gets to send that much.
        may_upload = getattr(view, "takes_uploads", None)
        if may_upload is not None and may_upload(current_user):
            request.max_content_length = app.config["MAX_DOCUMENT_BYTES"] + FORM_MARGIN


def storage() -> Storage:
    """The current app's storage."""
    return current_app.extensions["workplan_storage"]
