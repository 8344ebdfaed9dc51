"""Real files of each kind the document shelf takes, made by the libraries that write them (or,
for the Office and OpenDocument packages no installed library writes, laid out as their
standards say), and files that only pretend to be one."""

import io
import zipfile

from openpyxl import Workbook
from pypdf import PdfWriter


def pdf(pages: int = 1) -> bytes:
    """A PDF of blank A4 pages, written by pypdf."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def xlsx() -> bytes:
    """An Excel workbook, written by openpyxl."""
    book = Workbook()
    book.active["A1"] = "Pledges (demo)"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _package(parts: dict[str, str], stored_first: tuple[str, str] | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        if stored_first:
            package.writestr(stored_first[0], stored_first[1], compress_type=zipfile.ZIP_STORED)
        for name, text in parts.items():
            package.writestr(name, text, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/{part}" ContentType="{type}"/></Types>'
)


def docx() -> bytes:
    """A Word document's package: content types, relationships and the document part."""
    return _package(
        {
            "[Content_Types].xml": _CONTENT_TYPES.format(
                part="word/document.xml",
                type="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
            ),
            "_rels/.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"/>',
            "word/document.xml": (
                '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
                'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Concept note</w:t></w:r>'
                "</w:p></w:body></w:document>"
            ),
        }
    )


def pptx() -> bytes:
    """A PowerPoint presentation's package."""
    return _package(
        {
            "[Content_Types].xml": _CONTENT_TYPES.format(
                part="ppt/presentation.xml",
                type="application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
            ),
            "ppt/presentation.xml": '<?xml version="1.0"?><p:presentation xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"/>',
        }
    )


def odt() -> bytes:
    """An OpenDocument text: its "mimetype" stored uncompressed, first, as ODF requires."""
    return _package(
        {"content.xml": '<?xml version="1.0"?><office:document-content/>'},
        stored_first=("mimetype", "application/vnd.oasis.opendocument.text"),
    )


def html() -> bytes:
    """A web page with a script: what an attacker would name "paper.pdf"."""
    return b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"


def plain_zip() -> bytes:
    """A ZIP archive that is no office document."""
    return _package({"readme.txt": "not a paper"})
