"""What an uploaded file really is, read from its bytes: a name ending .pdf proves nothing.

The forum's papers are PDF, Word, Excel and PowerPoint (Office Open XML) and OpenDocument. A
file is accepted only when its content is one of them, and it is then named and served as what
it is, whatever it was called.
"""

import io
import zipfile
from dataclasses import dataclass


@dataclass(frozen=True)
class FileType:
    """A kind of file the shelf accepts: its MIME type and the extension it is served with."""

    mime: str
    extension: str


PDF = FileType("application/pdf", "pdf")
WORD = FileType("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx")
_OPEN_XML = {
    # The part that only this kind of package holds.
    "word/document.xml": WORD,
    "xl/workbook.xml": FileType(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"
    ),
    "ppt/presentation.xml": FileType(
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "pptx",
    ),
}
_OPEN_DOCUMENT = {
    t.mime: t
    for t in (
        FileType("application/vnd.oasis.opendocument.text", "odt"),
        FileType("application/vnd.oasis.opendocument.spreadsheet", "ods"),
        FileType("application/vnd.oasis.opendocument.presentation", "odp"),
    )
}
ACCEPTED = (PDF, *_OPEN_XML.values(), *_OPEN_DOCUMENT.values())
BY_MIME = {t.mime: t for t in ACCEPTED}


def identify(data: bytes) -> FileType | None:
    """The accepted kind the bytes are, or None."""
    # PDF readers accept the header anywhere in the first kilobyte.
    if b"%PDF-" in data[:1024]:
        return PDF
    if data.startswith(b"PK\x03\x04"):
        return _package(data)
    return None


def _package(data: bytes) -> FileType | None:
    """An Office Open XML or OpenDocument file, both ZIP packages; only their table of contents
    and the few bytes of an OpenDocument's "mimetype" are read, so a ZIP bomb costs nothing."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            names = set(package.namelist())
            if "mimetype" in names:
                entry = package.getinfo("mimetype")
                # OpenDocument stores it uncompressed; anything else is no OpenDocument.
                if entry.compress_type != zipfile.ZIP_STORED or entry.file_size >= 100:
                    return None
                declared = package.read("mimetype").decode("ascii", "replace").strip()
                return _OPEN_DOCUMENT.get(declared)
            if "[Content_Types].xml" in names:
                return next((t for part, t in _OPEN_XML.items() if part in names), None)
    except Exception:  # noqa: BLE001  (a torn, encrypted or exotic archive is simply not a paper)
        return None
    return None
