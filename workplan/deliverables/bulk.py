"""Bulk progress: the rows of the bulk form or of a CSV file, turned into checked changes.

Both ways in share one reading: a blank new status or percent keeps the current value, a row
with nothing new is skipped, and every remaining row goes through services.progress.check_bulk.
"""

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from workplan import permissions
from workplan.cells import csv_value, csv_writer
from workplan.extensions import db
from workplan.formatting import status as status_label
from workplan.models import Deliverable, Government, User, deliverable_governments
from workplan.numbers import bounded, record_id
from workplan.services.progress import (
    OPEN_STATUSES,
    REPORTABLE_STATUSES,
    ProgressChange,
    check_bulk,
    load_for_bulk,
)

TEMPLATE_COLUMNS = (
    "id",
    "title",
    "due_on",
    "current_status",
    "current_percent",
    "version",
    "new_status",
    "new_percent",
    "comment",
)
MAX_CSV_BYTES = 256 * 1024
MAX_ROWS = 1000


def may_update_for(user: User) -> Callable[[Deliverable], bool]:
    """The person's answer to "may I report on this deliverable?", asked once per deliverable
    however many times a bulk update's checks need it."""
    answers: dict[int, bool] = {}

    def may_update(deliverable: Deliverable) -> bool:
        if deliverable.id not in answers:
            answers[deliverable.id] = permissions.can_update_progress(user, deliverable)
        return answers[deliverable.id]

    return may_update


def reportable(government: Government) -> list[Deliverable]:
    """A government's open deliverables, by due date: the rows of its bulk form and template."""
    return db.session.scalars(
        select(Deliverable)
        .join(deliverable_governments)
        .where(
            deliverable_governments.c.government_id == government.id,
            Deliverable.archived_at.is_(None),
            Deliverable.status.in_(OPEN_STATUSES),
        )
        .options(selectinload(Deliverable.responsible_governments))
        .order_by(Deliverable.due_on, Deliverable.id)
    ).all()


def deliverables_by_id(ids: list[int]) -> dict[int, Deliverable]:
    """Deliverables named in submitted rows, to show their titles and current values."""
    return load_for_bulk([ProgressChange(i, "", 0) for i in ids])


@dataclass
class BulkRow:
    """One row as the person gave it: blanks mean "keep", problems found before the rules."""

    line: int
    deliverable_id: int | None
    version: int | None
    status: str = ""
    percent: str = ""
    comment: str = ""
    problems: list[str] = field(default_factory=list)
    change: ProgressChange | None = None
    deliverable: Deliverable | None = None
    refused: bool = False
    stale: bool = False

    @property
    def is_blank(self) -> bool:
        """Nothing new in this row: it is left out of the update."""
        return not (self.status or self.percent or self.comment.strip())

    @property
    def errors(self) -> list[str]:
        """Everything wrong with the row, from reading it and from the rules."""
        return self.problems + (self.change.errors if self.change else [])


@dataclass
class BulkCheck:
    """The rows of a bulk update after every check, and what the answer's status should be."""

    rows: list[BulkRow]

    @property
    def valid(self) -> bool:
        """Whether every row can apply."""
        return bool(self.rows) and not any(r.errors for r in self.rows)

    @property
    def refused(self) -> bool:
        """Whether a row names a deliverable the person may not update."""
        return any(r.refused for r in self.rows)

    @property
    def stale(self) -> bool:
        """Whether a row was made from an older version of its deliverable."""
        return any(r.stale for r in self.rows)

    @property
    def status_code(self) -> int:
        """403 for someone else's deliverable, 409 for a stale row, 400 for other mistakes."""
        if self.valid:
            return 200
        return 403 if self.refused else 409 if self.stale else 400

    @property
    def changes(self) -> list[ProgressChange]:
        """The changes to apply, one per row."""
        return [r.change for r in self.rows if r.change is not None]


def _status_key(raw: str) -> str:
    """A status from its key (in_progress) or its label (In progress, or the reader's), any case."""
    text = raw.strip()
    lowered = text.lower()
    with force_locale("en"):
        english = {key: status_label(key).lower() for key in REPORTABLE_STATUSES}
    for key in REPORTABLE_STATUSES:
        if lowered in (key, english[key], status_label(key).lower()):
            return key
    return text


def check_rows(user: User, rows: list[BulkRow]) -> BulkCheck:
    """Turn rows into progress changes against the current deliverables and check them all."""
    rows = [r for r in rows if not r.is_blank]
    ids = [r.deliverable_id for r in rows if r.deliverable_id is not None]
    deliverables = deliverables_by_id(ids) if ids else {}
    may_update = may_update_for(user)
    for row in rows:
        if row.deliverable_id is None:
            continue
        current = deliverables.get(row.deliverable_id)
        row.deliverable = current
        status = _status_key(row.status) if row.status else (current.status if current else "")
        percent_text = row.percent.strip().removesuffix("%").strip()
        if percent_text:
            # Anything but digits is left for the rules to refuse, in their words.
            percent = bounded(percent_text)
        elif status == "completed":
            # Choosing "completed" says the work is done; asking for 100 as well is busywork.
            percent = 100
        else:
            percent = current.percent_complete if current else 0
        row.change = ProgressChange(
            deliverable_id=row.deliverable_id,
            status=status,
            percent=percent,
            comment=row.comment.strip(),
            version=row.version,
        )
        if current is not None:
            row.refused = not may_update(current)
            row.stale = row.version is not None and row.version != current.version
    changes = [r.change for r in rows if r.change is not None]
    if changes:
        check_bulk(changes, may_update)
    return BulkCheck(rows)


class CsvRefused(ValueError):
    """The file as a whole cannot be read; the message says why and what to do."""


def template_csv(deliverables: list[Deliverable]) -> str:
    """The CSV template: current values to read, empty new columns to fill in (RFC 4180)."""
    out = io.StringIO()
    writer = csv_writer(out)
    writer.writerow(TEMPLATE_COLUMNS)
    for d in deliverables:
        writer.writerow(
            [
                d.id,
                csv_value(d.title),
                d.due_on.isoformat(),
                d.status,
                d.percent_complete,
                d.version,
                "",
                "",
                "",
            ]
        )
    # The byte-order mark makes spreadsheet programs open the file as UTF-8.
    return "\ufeff" + out.getvalue()


def read_csv(data: bytes) -> list[BulkRow]:
    """The rows of an uploaded CSV file, or CsvRefused saying what is wrong with the file."""
    if len(data) > MAX_CSV_BYTES:
        raise CsvRefused(
            _(
                "The file is larger than %(size)s KB. Upload the template with only the rows "
                "you change.",
                size=MAX_CSV_BYTES // 1024,
            )
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise CsvRefused(
            _(
                "The file is not UTF-8 text. In your spreadsheet, save it as “CSV UTF-8” and "
                "upload it again."
            )
        ) from error
    if "\x00" in text:
        raise CsvRefused(_("The file is not a CSV text file. Upload the template you downloaded."))
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
        if header is None:
            raise CsvRefused(_("The file is empty. Upload the template with your changes."))
        columns = [h.strip().lower() for h in header]
        missing = [c for c in TEMPLATE_COLUMNS if c not in columns]
        extra = [c for c in columns if c not in TEMPLATE_COLUMNS]
        if missing or extra or len(set(columns)) != len(columns):
            parts = []
            if missing:
                parts.append(_("missing %(columns)s", columns=", ".join(missing)))
            if extra:
                unknown = ", ".join(c or _("(blank)") for c in extra)
                parts.append(_("unknown %(columns)s", columns=unknown))
            if len(set(columns)) != len(columns) and not parts:
                parts.append(_("a column appears twice"))
            raise CsvRefused(
                _(
                    "The columns are not the template's (%(problems)s). Download the template "
                    "again and fill in its new_status, new_percent and comment columns.",
                    problems="; ".join(parts),
                )
            )
        rows = []
        for values in reader:
            if not any(v.strip() for v in values):
                continue
            if len(rows) >= MAX_ROWS:
                raise CsvRefused(_("The file has more than %(count)s rows.", count=MAX_ROWS))
            line = reader.line_num
            if len(values) != len(columns):
                raise CsvRefused(
                    _(
                        "Line %(line)s has %(cells)s cells where the header has %(columns)s.",
                        line=line,
                        cells=len(values),
                        columns=len(columns),
                    )
                )
            cells = dict(zip(columns, values, strict=True))
            rows.append(_row_from_cells(line, cells))
    except csv.Error as error:
        raise CsvRefused(
            _("The file could not be read as CSV (line %(line)s).", line=reader.line_num)
        ) from error
    if not any(not r.is_blank for r in rows):
        raise CsvRefused(
            _(
                "The file has no changes: fill in new_status, new_percent or comment on at least "
                "one row."
            )
        )
    return rows


def _row_from_cells(line: int, cells: dict[str, str]) -> BulkRow:
    """One CSV row; an id or version that is not a number is a problem of that row."""
    row = BulkRow(
        line=line,
        deliverable_id=record_id(cells["id"]),
        version=record_id(cells["version"]),
        status=cells["new_status"].strip(),
        percent=cells["new_percent"].strip(),
        comment=cells["comment"],
    )
    if row.is_blank:
        return row
    if row.deliverable_id is None:
        row.problems.append(
            _(
                "“%(value)s” is not a deliverable number; keep the template's id.",
                value=cells["id"].strip()[:20],
            )
        )
    if row.version is None:
        row.problems.append(_("The version column is empty or not a number; download it again."))
    return row
