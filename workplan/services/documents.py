"""The document shelf: papers kept with a meeting, a roundtable or a government team.

A document has a kind, an access level and a title in up to three languages; each upload is a
new version in one language, checked by its content and kept forever.
"""

import re
import unicodedata
from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select, true
from sqlalchemy.orm import selectinload

from workplan import permissions
from workplan.extensions import db
from workplan.models import (
    ACCESS_LEVELS,
    DOCUMENT_KINDS,
    DOCUMENT_LANGUAGES,
    Document,
    DocumentFile,
    GovernmentTeam,
    Meeting,
    Roundtable,
    utcnow,
)
from workplan.services import DomainError, check_version, flush_or_stale, records
from workplan.services.checks import limited, required
from workplan.services.file_types import FileType, identify
from workplan.storage import content_key, storage


@dataclass(frozen=True)
class ShelfKind:
    """A kind of record that keeps documents: the name that stands for it in addresses (the
    query parameter of /documents/new, the stem of its page's id) and the column naming it."""

    name: str
    column: object


# Every kind of shelf, written once.
SHELF_KINDS = {
    Meeting: ShelfKind("meeting", Document.meeting_id),
    Roundtable: ShelfKind("roundtable", Document.roundtable_id),
    GovernmentTeam: ShelfKind("team", Document.team_id),
}
_UNSAFE_IN_NAMES = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]+')
FILENAME_LIMIT = 120
MEGABYTE = 1024 * 1024


@dataclass
class DocumentDetails:
    """What the secretariat types about a document."""

    title: str
    kind: str
    access: str
    title_fr: str | None = None
    title_es: str | None = None


@dataclass
class Upload:
    """A file as it arrived: the name the sender's computer gave it, and its bytes."""

    filename: str
    data: bytes


def max_bytes() -> int:
    """The largest file the shelf takes (WORKPLAN_MAX_UPLOAD_MB, 25 MB by default)."""
    return current_app.config["MAX_DOCUMENT_BYTES"]


def checked(details: DocumentDetails, current: Document | None) -> dict:
    """Check a document's details; the values to store."""
    if details.kind not in DOCUMENT_KINDS:
        raise DomainError(_("Choose what kind of document this is."), "kind")
    if details.access not in ACCESS_LEVELS:
        raise DomainError(_("Choose who may read this document."), "access")
    return {
        "title": required(details.title, _("Give the document's title."), "title", 300),
        "title_fr": limited(details.title_fr, "title_fr", 300),
        "title_es": limited(details.title_es, "title_es", 300),
        "kind": details.kind,
        "access": details.access,
    }


def shelve(shelf, details: DocumentDetails, language: str, upload: Upload, user) -> Document:
    """Put a new document on a meeting's, roundtable's or team's shelf, with its first file."""
    if shelf.archived_at is not None:
        raise DomainError(_("Restore this record before adding documents to it."))
    document = records.add(
        Document,
        {**checked(details, None), SHELF_KINDS[type(shelf)].column.key: shelf.id},
    )
    add_file(document, language, upload, user)
    return document


def update(document: Document, details: DocumentDetails, version: int | None) -> None:
    """Change a document's title, kind or access, from the version the editor saw."""
    # The version first: a stale copy is answered with the newer record, not with a refusal.
    check_version(document, version)
    records.apply(document, checked(details, document), version)


def add_file(
    document: Document, language: str, upload: Upload, user, note: str | None = None
) -> DocumentFile:
    """Keep a new version of the document in a language, once its content is found to be a
    paper the shelf accepts."""
    if document.archived_at is not None:
        raise DomainError(_("Restore this document before adding a version."))
    if language not in DOCUMENT_LANGUAGES:
        raise DomainError(_("Choose the language of this file."), "language")
    file_type = accepted_type(upload)
    note = limited(note, "note", 300)
    number = (
        db.session.scalar(
            select(func.max(DocumentFile.number)).where(
                DocumentFile.document_id == document.id, DocumentFile.language == language
            )
        )
        or 0
    ) + 1
    key = content_key(upload.data)
    storage().put(key, upload.data, file_type.mime)
    file = DocumentFile(
        document=document,
        language=language,
        number=number,
        filename=safe_filename(upload.filename, file_type, fallback=document.title),
        content_type=file_type.mime,
        size_bytes=len(upload.data),
        sha256=key.split("/")[1],
        note=note,
        uploaded_by_id=getattr(user, "id", None),
    )
    db.session.add(file)
    # The document's own row is written too: two uploads racing for the same version number
    # meet here, and the second is told to try again rather than failing on the constraint.
    document.updated_at = utcnow()
    flush_or_stale(document)
    return file


def accepted_type(upload: Upload) -> FileType:
    """What the upload is, or a refusal that says why it cannot go on the shelf."""
    if not upload.data:
        raise DomainError(_("The file is empty. Choose the file again."), "file")
    if len(upload.data) > max_bytes():
        raise DomainError(
            _(
                "The file is %(size)s MB; the largest file accepted is %(limit)s MB.",
                size=f"{len(upload.data) / MEGABYTE:.1f}",
                limit=max_bytes() // MEGABYTE,
            ),
            "file",
        )
    file_type = identify(upload.data)
    if file_type is None:
        raise DomainError(
            _(
                "This file is not a PDF, Word, Excel, PowerPoint or OpenDocument file. Files are "
                "checked by what they contain, not by their name."
            ),
            "file",
        )
    return file_type


def safe_filename(name: str, file_type: FileType, fallback: str) -> str:
    """The name a download is saved under: the sender's name without any folder, control
    character or character a file system refuses, ending in what the file really is."""
    name = unicodedata.normalize("NFC", (name or "").replace("\\", "/").rsplit("/", 1)[-1])
    stem = name.rsplit(".", 1)[0] if "." in name else name
    stem = " ".join(_UNSAFE_IN_NAMES.sub(" ", stem).split()).strip(" .")
    if not stem:
        stem = " ".join(_UNSAFE_IN_NAMES.sub(" ", fallback).split()).strip(" .") or "document"
    return f"{stem[:FILENAME_LIMIT]}.{file_type.extension}"


def archive(document: Document) -> None:
    """Take a document off its shelf; its files are kept and the secretariat can restore it."""
    records.archive(document)


def restore(document: Document) -> None:
    """Put an archived document back on its shelf."""
    records.restore(document)


@dataclass
class Shelf:
    """What a page shows of a meeting's, roundtable's or team's documents."""

    # Which query parameter names the shelf to /documents/new, and its id.
    param: str
    owner_id: int
    documents: list[Document]
    # Taken off the shelf: listed for the secretariat, to restore.
    archived: list[Document]


def shelf_of(owner, user) -> Shelf:
    """The documents of a meeting, roundtable or team that the user may read, with their
    files, in the order the forum reads them (concept note first, chair's summary last)."""
    manager = permissions.can_manage_documents(user)
    # One query for the live documents and, for the secretariat, the archived ones too.
    found = db.session.scalars(
        select(Document)
        .where(
            SHELF_KINDS[type(owner)].column == owner.id,
            Document.access.in_(permissions.readable_access_levels(user)),
            true() if manager else Document.archived_at.is_(None),
        )
        .options(selectinload(Document.files))
        .order_by(Document.id)
    ).all()
    live = [d for d in found if d.archived_at is None]
    return Shelf(
        param=SHELF_KINDS[type(owner)].name,
        owner_id=owner.id,
        documents=sorted(live, key=lambda d: DOCUMENT_KINDS.index(d.kind)),
        archived=sorted(
            (d for d in found if d.archived_at is not None),
            key=lambda d: d.archived_at,
            reverse=True,
        ),
    )


def file_of(document: Document, file_id: int) -> DocumentFile | None:
    """One of the document's files."""
    return next((f for f in document.files if f.id == file_id), None)
