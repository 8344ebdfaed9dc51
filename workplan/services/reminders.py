"""Reminder digests for focal points: what their government owes soon, and what is overdue
(deliverables, the instalments of its pledges, and the reports on its commitments)."""

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from workplan.extensions import db
from workplan.models import (
    Deliverable,
    Instalment,
    Pledge,
    ReminderLog,
    User,
    deliverable_governments,
)
from workplan.services import commitments
from workplan.services.commitments import Standing
from workplan.services.mail import send_mail
from workplan.services.pledges import ScheduledInstalment, schedule
from workplan.services.progress import OPEN_STATUSES

HORIZON_DAYS = 14


@dataclass
class Digest:
    """One focal point's reminder: deliverables overdue and due soon, and the instalments of
    the government's pledges that are overdue."""

    user: User
    overdue: list[Deliverable]
    due_soon: list[Deliverable]
    instalments: list[ScheduledInstalment] = field(default_factory=list)
    reports: list[Standing] = field(default_factory=list)


def digests(today: date) -> list[Digest]:
    """A digest for every active focal point whose government has something due or overdue."""
    focal_points = db.session.scalars(
        select(User)
        .where(User.role == "focal_point", User.active.is_(True), User.password_hash.is_not(None))
        .options(selectinload(User.government))
        .order_by(User.id)
    ).all()
    government_ids = {u.government_id for u in focal_points}
    rows = db.session.execute(
        select(deliverable_governments.c.government_id, Deliverable)
        .join(Deliverable, Deliverable.id == deliverable_governments.c.deliverable_id)
        .where(
            deliverable_governments.c.government_id.in_(government_ids),
            Deliverable.status.in_(OPEN_STATUSES),
            Deliverable.archived_at.is_(None),
            Deliverable.due_on <= today + timedelta(days=HORIZON_DAYS),
        )
        .order_by(Deliverable.due_on, Deliverable.id)
    ).all()
    by_government: dict[int, list[Deliverable]] = {}
    for government_id, deliverable in rows:
        by_government.setdefault(government_id, []).append(deliverable)
    late = _overdue_instalments(government_ids, today)
    reports = commitments.reports_due(government_ids, today, HORIZON_DAYS)
    result = []
    for user in focal_points:
        owed = by_government.get(user.government_id, [])
        instalments = late.get(user.government_id, [])
        due_reports = reports.get(user.government_id, [])
        if owed or instalments or due_reports:
            result.append(
                Digest(
                    user=user,
                    overdue=[d for d in owed if d.due_on < today],
                    due_soon=[d for d in owed if d.due_on >= today],
                    instalments=instalments,
                    reports=due_reports,
                )
            )
    return result


def _overdue_instalments(government_ids, today: date) -> dict[int, list[ScheduledInstalment]]:
    """The overdue instalments of the governments' live pledges, by government."""
    pledges = db.session.scalars(
        select(Pledge)
        .where(
            Pledge.donor_government_id.in_(government_ids),
            Pledge.archived_at.is_(None),
            Pledge.instalments.any(Instalment.due_on < today),
        )
        .options(selectinload(Pledge.instalments), selectinload(Pledge.payments))
        .order_by(Pledge.id)
    ).all()
    late: dict[int, list[ScheduledInstalment]] = {}
    for pledge in pledges:
        for row in schedule(pledge, today):
            if row.state == "overdue":
                late.setdefault(pledge.donor_government_id, []).append(row)
    return late


def render(digest: Digest, base_url: str, today: date) -> tuple[str, str]:
    """The subject and plain-text body of a digest, in the focal point's language."""
    # Sent by a command, outside any request: the recipient's profile chooses the language.
    with force_locale(digest.user.locale or "en"):
        return _render(digest, base_url, today)


def _render(digest: Digest, base_url: str, today: date) -> tuple[str, str]:
    government = digest.user.government.name
    lines = [_("Hello %(name)s,", name=digest.user.name), ""]
    lines.append(
        _(
            "Here is what %(government)s owes the forum as of %(day)s.",
            government=government,
            day=today.isoformat(),
        )
    )
    for heading, items in (
        (_("Overdue:"), digest.overdue),
        (
            ngettext("Due in the next %(num)d day:", "Due in the next %(num)d days:", HORIZON_DAYS),
            digest.due_soon,
        ),
    ):
        if items:
            lines += ["", heading]
            lines += [
                _(
                    "- %(title)s (due %(due)s, %(percent)s%% complete): %(address)s",
                    title=d.title,
                    due=d.due_on.isoformat(),
                    percent=d.percent_complete,
                    address=base_url + "/deliverables/" + str(d.id),
                )
                for d in items
            ]
    if digest.instalments:
        lines += ["", _("Instalments of its pledges overdue:")]
        lines += [
            _(
                "- %(amount)s due %(due)s: %(address)s",
                amount=f"{row.instalment.amount:,.2f} {row.instalment.pledge.currency}",
                due=row.instalment.due_on.isoformat(),
                address=base_url + "/pledges/" + str(row.instalment.pledge_id),
            )
            for row in digest.instalments
        ]
    if digest.reports:
        lines += ["", _("Reports on its commitments due:")]
        lines += [
            _(
                "- %(title)s (report due %(due)s): %(address)s",
                title=row.commitment.title,
                due=row.next_report_on.isoformat(),
                address=base_url + "/commitments/" + str(row.commitment.id),
            )
            for row in digest.reports
        ]
    count = len(digest.overdue) + len(digest.due_soon)
    if count:
        lines += ["", _("Report progress from each deliverable's page.")]
    lines.append("")
    if not count and not digest.instalments:
        subject = ngettext(
            "GFMD work plan: %(num)d commitment report of %(government)s due",
            "GFMD work plan: %(num)d commitment reports of %(government)s due",
            len(digest.reports),
            government=government,
        )
        return subject, "\n".join(lines)
    if not count:
        subject = ngettext(
            "GFMD work plan: %(num)d instalment of %(government)s overdue",
            "GFMD work plan: %(num)d instalments of %(government)s overdue",
            len(digest.instalments),
            government=government,
        )
        return subject, "\n".join(lines)
    subject = ngettext(
        "GFMD work plan: %(num)d deliverable of %(government)s",
        "GFMD work plan: %(num)d deliverables of %(government)s",
        count,
        government=government,
    )
    return subject, "\n".join(lines)


def send_reminders(today: date, base_url: str) -> Iterator[Digest]:
    """Claim and send each day's digest once, yielding each one sent.

    The caller commits after each one it receives, so a digest sent is a digest claimed: a second
    run the same day, or a second sender, sends nothing again.
    """
    for digest in digests(today):
        # The log row is claimed first: the unique (user, day) key stops a second sender.
        try:
            with db.session.begin_nested():
                db.session.add(ReminderLog(user_id=digest.user.id, sent_on=today))
        except IntegrityError:
            continue
        subject, body = render(digest, base_url.rstrip("/"), today)
        send_mail(digest.user.email, subject, body)
        yield digest
