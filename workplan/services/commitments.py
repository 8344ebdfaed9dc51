"""Commitments: a government (or, through the secretariat, an organisation) registers what it
will do, by when, with whom and with what means; it reports on it every few months, yearly by
default. Each report joins a permanent timeline; a report made from a stale page is refused.

A traffic light says whether the next report is on time, due (within REPORT_WINDOW_DAYS) or
overdue, counted from the last report, or from the registration before the first one.
"""

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload

from workplan import permissions
from workplan.extensions import db
from workplan.models import (
    CLOSED_COMMITMENT_STATUSES,
    COMMITMENT_STATUSES,
    REPORTING_MONTHS,
    Commitment,
    CommitmentReport,
    Government,
    Organisation,
    Theme,
    utcnow,
)
from workplan.services import (
    DomainError,
    StaleEdit,
    check_version,
    flush_or_stale,
    records,
    themes,
)
from workplan.services.checks import limited, required, translations
from workplan.services.parties import find_parties, find_party

TITLE_LIMIT = 300
TEXT_LIMIT = 10_000
REPORT_LIMIT = 5000
# A report is "due" this many days before its date.
REPORT_WINDOW_DAYS = 30
LIGHTS = ("on_time", "due", "overdue")


@dataclass
class CommitmentDetails:
    """What is typed about a commitment."""

    title: str
    description: str
    due_on: date | None
    owner: str | None = None
    title_fr: str | None = None
    title_es: str | None = None
    resources: str | None = None
    report_every_months: int | None = 12
    partners: list[str] = field(default_factory=list)
    themes: list[int] = field(default_factory=list)


def _owner(details: CommitmentDetails, user, current: Commitment | None) -> dict:
    """A focal point registers for their own government; the secretariat for anyone."""
    if not permissions.is_secretariat(user):
        if current is not None:
            return {}
        return {"government_id": user.government_id, "organisation_id": None}
    party = find_party(details.owner or "", "owner")
    if isinstance(party, Government):
        return {"government_id": party.id, "organisation_id": None}
    return {"government_id": None, "organisation_id": party.id}


def checked(details: CommitmentDetails, user, current: Commitment | None) -> dict:
    """Check what was typed about a commitment; the values to store."""
    registered_on = current.registered_on if current else utcnow().date()
    if details.due_on is None:
        raise DomainError(_("Say by when it will be done."), "due_on")
    if details.due_on < registered_on:
        raise DomainError(_("The date it is due cannot come before it was registered."), "due_on")
    if details.report_every_months not in REPORTING_MONTHS:
        raise DomainError(_("Choose how often it is reported on."), "report_every_months")
    partners = find_parties(details.partners, "partners")
    return {
        "title": required(details.title, _("Give the commitment a title."), "title", TITLE_LIMIT),
        **translations(
            {"title_fr": details.title_fr, "title_es": details.title_es}, {"title": TITLE_LIMIT}
        ),
        "description": required(
            details.description, _("Say what will be done."), "description", TEXT_LIMIT
        ),
        **_owner(details, user, current),
        "registered_on": registered_on,
        "due_on": details.due_on,
        "resources": limited(details.resources, "resources", TEXT_LIMIT),
        "report_every_months": details.report_every_months,
        "partner_governments": [p for p in partners if isinstance(p, Government)],
        "partner_organisations": [p for p in partners if isinstance(p, Organisation)],
        "themes": themes.chosen(details.themes, current.themes if current else ()),
    }


def create(details: CommitmentDetails, user) -> Commitment:
    """Register a commitment."""
    return records.add(Commitment, checked(details, user, None))


def update(commitment: Commitment, details: CommitmentDetails, version: int | None, user) -> None:
    """Change a commitment from the version its editor saw."""
    check_version(commitment, version)
    records.apply(commitment, checked(details, user, commitment), version)


archive, restore = records.archive, records.restore


def report(
    commitment: Commitment, user, status: str, percent: int | None, text: str, version: int | None
) -> CommitmentReport:
    """Add a report to the commitment's timeline, and let it say where the commitment stands."""
    if version is not None and version != commitment.version:
        raise StaleEdit(commitment)
    if commitment.archived_at is not None:
        raise DomainError(_("Restore this commitment before reporting on it."))
    if commitment.is_closed:
        raise DomainError(_("This commitment is closed: it was achieved or withdrawn."))
    if status not in COMMITMENT_STATUSES:
        raise DomainError(_("Choose where the commitment stands."), "status")
    if percent is None or not 0 <= percent <= 100:
        raise DomainError(
            _("Percent complete must be a whole number from 0 to 100."), "percent_complete"
        )
    if status == "achieved" and percent != 100:
        raise DomainError(_("An achieved commitment is 100 percent complete."), "percent_complete")
    text = required(text, _("Say what was done since the last report."), "text", REPORT_LIMIT)
    entry = CommitmentReport(
        commitment=commitment, user_id=user.id, status=status, percent_complete=percent, text=text
    )
    commitment.status = status
    commitment.percent_complete = percent
    commitment.updated_at = utcnow()
    db.session.add(entry)
    # Someone else's report landing between our read and our write is refused here.
    flush_or_stale(commitment)
    return entry


# The traffic light


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day where it has fewer."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def next_report_on(commitment: Commitment, last_report: date | None) -> date | None:
    """When the next report is due: a period after the last one (or the registration), and
    not after the commitment itself is due, until a report comes on or after that date. None
    once it is closed."""
    if commitment.is_closed:
        return None
    since = last_report or commitment.registered_on
    following = add_months(since, commitment.report_every_months)
    # The report at the due date is the one that matters; once that date has been reported
    # past (the work is late), reports follow each other a period apart again.
    return min(following, commitment.due_on) if since < commitment.due_on else following


def light(next_on: date | None, today: date) -> str | None:
    """on_time, due or overdue; None for a closed commitment."""
    if next_on is None:
        return None
    if next_on < today:
        return "overdue"
    if next_on <= today + timedelta(days=REPORT_WINDOW_DAYS):
        return "due"
    return "on_time"


def last_reports(ids) -> dict[int, date]:
    """The day of each commitment's latest report, in one query."""
    if not ids:
        return {}
    rows = db.session.execute(
        select(CommitmentReport.commitment_id, func.max(CommitmentReport.created_at))
        .where(CommitmentReport.commitment_id.in_(ids))
        .group_by(CommitmentReport.commitment_id)
    ).all()
    return {commitment_id: at.date() for commitment_id, at in rows}


@dataclass(frozen=True)
class Standing:
    """Where a commitment's reporting stands on a day."""

    commitment: Commitment
    next_report_on: date | None
    light: str | None


def standings(commitments: list[Commitment], today: date) -> list[Standing]:
    """Each commitment with its next report's date and traffic light."""
    last = last_reports([c.id for c in commitments])
    rows = []
    for commitment in commitments:
        next_on = next_report_on(commitment, last.get(commitment.id))
        rows.append(Standing(commitment, next_on, light(next_on, today)))
    return rows


# What the pages read


@dataclass(frozen=True)
class CommitmentFilters:
    """What the list of commitments is narrowed to."""

    text: str = ""
    theme: int | None = None
    government: str | None = None
    status: str | None = None
    sort: str = "due"
    archived: bool = False


SORTS = {
    "due": (Commitment.due_on, Commitment.id),
    "title": (Commitment.title, Commitment.id),
    "latest": (Commitment.registered_on.desc(), Commitment.id.desc()),
}


def listing(filters: CommitmentFilters) -> Select:
    """The commitments that match, as a query to page through."""
    query = (
        select(Commitment)
        .where(records.listed(Commitment, filters.archived))
        .options(
            selectinload(Commitment.government),
            selectinload(Commitment.organisation),
            selectinload(Commitment.themes),
        )
        .order_by(*SORTS[filters.sort])
    )
    if filters.text:
        query = query.where(Commitment.title.ilike(f"%{filters.text}%"))
    if filters.theme:
        query = query.where(Commitment.themes.any(Theme.id == filters.theme))
    if filters.government:
        query = query.where(Commitment.government.has(Government.iso3 == filters.government))
    if filters.status:
        query = query.where(Commitment.status == filters.status)
    return query


def open_of_government(government_id: int, today: date) -> list[Standing]:
    """A government's live commitments that are still open, the soonest due first, each with
    its next report and light: one query."""
    last_report = (
        select(func.max(CommitmentReport.created_at))
        .where(CommitmentReport.commitment_id == Commitment.id)
        .correlate(Commitment)
        .scalar_subquery()
    )
    rows = db.session.execute(
        select(Commitment, last_report)
        .where(
            Commitment.government_id == government_id,
            Commitment.archived_at.is_(None),
            Commitment.status.not_in(CLOSED_COMMITMENT_STATUSES),
        )
        .order_by(Commitment.due_on, Commitment.id)
    ).all()
    standings_ = []
    for commitment, last in rows:
        next_on = next_report_on(commitment, last.date() if last else None)
        standings_.append(Standing(commitment, next_on, light(next_on, today)))
    return standings_


def reports_due(government_ids, today: date, horizon_days: int) -> dict[int, list[Standing]]:
    """By government: its open commitments whose next report is overdue or due within the
    horizon, for the reminders."""
    commitments = db.session.scalars(
        select(Commitment)
        .where(
            Commitment.government_id.in_(government_ids),
            Commitment.archived_at.is_(None),
            Commitment.status.not_in(CLOSED_COMMITMENT_STATUSES),
        )
        .order_by(Commitment.due_on, Commitment.id)
    ).all()
    found: dict[int, list[Standing]] = {}
    for standing in standings(list(commitments), today):
        if standing.next_report_on <= today + timedelta(days=horizon_days):
            found.setdefault(standing.commitment.government_id, []).append(standing)
    return found
