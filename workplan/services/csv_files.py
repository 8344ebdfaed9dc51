"""Reading the CSV files people upload: UTF-8 (with or without Excel's byte-order mark), commas
or the semicolons of a European spreadsheet, a first line that names the columns, blank lines
skipped. Each import then records its rows, all or none."""

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass

from flask_babel import gettext as _

from workplan.services import DomainError


@dataclass
class Imported:
    """What an import did: how many rows it added, and how many replaced an earlier one."""

    added: int
    replaced: int


def rows(
    content: bytes, *, names_columns, header_message: str, limit: int, too_many: str
) -> Iterator[tuple[int, dict[str, str]]]:
    """Each row that holds anything, with its line number, as trimmed text by lower-case column
    name. `names_columns` says whether the first line's names will do; when they will not,
    `header_message` says what they must be. More than `limit` rows is refused with
    `too_many`."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DomainError(_("Save the file as CSV in UTF-8 and try again."), "file") from None
    sample = text[:2048]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    columns = {(name or "").strip().lower() for name in reader.fieldnames or []}
    if not names_columns(columns):
        raise DomainError(header_message, "file")
    for line, raw in enumerate(reader, start=2):
        if line - 1 > limit:
            raise DomainError(too_many, "file")
        row = {
            (key or "").strip().lower(): (value if isinstance(value, str) else "").strip()
            for key, value in raw.items()
        }
        if any(row.values()):
            yield line, row


def at_line(line: int, error: DomainError) -> DomainError:
    """A row's refusal, naming its line."""
    return DomainError(_("Line %(line)s: %(reason)s", line=line, reason=error.message), "file")
