"""Telling focal points of a meeting's changes: an e-mail in each one's language, carrying the
meeting as an iCalendar invitation that updates their calendar in place.

Publishing, rescheduling and cancelling raise a meeting's SEQUENCE. Every change not yet told
to a focal point of a government the meeting concerns (its roundtable's co-chairs and members,
its team's lead and members that year) is claimed, then sent: a second run, a retry or a
second sender finds the claim and sends nothing twice. The change's own request sends them
once its answer has gone; `flask send-meeting-notices`, run every few minutes, sends whatever
that missed (the mail server was down, the worker stopped).
"""

import smtplib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime
from email.utils import parseaddr

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import ColumnElement, and_, exists, or_, select
from sqlalchemy.exc import IntegrityError

from workplan import permissions
from workplan.addresses import external_url
from workplan.extensions import db
from workplan.feeds.links import links
from workplan.feeds.scopes import (
    government_meeting_reasons,
    load_meetings,
    load_papers,
    meeting_scope,
)
from workplan.feeds.writer import (
    calendar_bytes,
    meeting_event,
    meeting_location,
    meeting_summary,
    one_line,
    venue_time,
    with_people,
)
from workplan.models import Meeting, MeetingNotice, User, utcnow
from workplan.models.meeting import VISIBLE_STATES
from workplan.services.mail import Attachment, send_mail


@dataclass
class Notice:
    """One change of one meeting, to tell one focal point."""

    meeting: Meeting
    user: User

    @property
    def method(self) -> str:
        """What the invitation asks of the calendar: take the meeting out, or add or update it."""
        return "CANCEL" if self.meeting.state == "cancelled" else "REQUEST"


def _focal_points(*reasons) -> ColumnElement[bool]:
    """An active focal point of a government a meeting concerns for one of the reasons."""
    return and_(User.role == "focal_point", User.active.is_(True), or_(*reasons))


@contextmanager
def _writing_to(user: User):
    """Outside any request: a request context on the public address gives links their host,
    and the recipient's profile the language."""
    with (
        current_app.test_request_context("/", base_url=current_app.config["PUBLIC_BASE_URL"]),
        force_locale(user.locale or "en"),
    ):
        yield


def pending(now: datetime | None = None, meeting_id: int | None = None) -> list[Notice]:
    """The changes of meetings still to come that some focal point has not been told of (of
    one meeting, when it is named)."""
    now = now or utcnow()
    one = [Meeting.id == meeting_id] if meeting_id is not None else []
    told = exists().where(
        MeetingNotice.meeting_id == Meeting.id,
        MeetingNotice.sequence == Meeting.sequence,
        MeetingNotice.user_id == User.id,
    )
    rows = db.session.execute(
        select(Meeting, User)
        .join(User, _focal_points(*government_meeting_reasons(User.government_id)))
        .where(
            Meeting.state.in_(VISIBLE_STATES),
            Meeting.archived_at.is_(None),
            Meeting.ends_at > now,
            *one,
            ~told,
        )
        .order_by(Meeting.starts_at, Meeting.id, User.id)
    ).all()
    return [Notice(meeting, user) for meeting, user in rows]


def send_notices(now: datetime | None = None, meeting_id: int | None = None) -> Iterator[Notice]:
    """Claim and send each pending notice once, yielding each one sent.

    The caller commits after each one it receives, so a notice sent is a notice claimed.
    """
    for notice in pending(now, meeting_id):
        claim = db.session.begin_nested()
        try:
            db.session.add(
                MeetingNotice(
                    meeting_id=notice.meeting.id,
                    sequence=notice.meeting.sequence,
                    user_id=notice.user.id,
                    method=notice.method,
                )
            )
            db.session.flush()
        except IntegrityError:
            claim.rollback()
            continue  # another sender claimed it first
        try:
            message = render(notice)
            if message is None:  # archived or unpublished since: nothing to tell
                claim.rollback()
                continue
            subject, body, invitation = message
            send_mail(
                notice.user.email,
                subject,
                body,
                # Outlook acts on the invitation given as an alternative to the text; Google
                # and Apple also read it there. The attached file is for the rest, by hand.
                alternative=Attachment(
                    "invite.ics", "text/calendar", invitation, {"method": notice.method}
                ),
                attachments=[
                    Attachment(
                        f"gfmd-meeting-{notice.meeting.id}.ics", "application/ics", invitation
                    )
                ],
            )
        except (OSError, smtplib.SMTPException) as error:
            # Unclaimed, so the next run tries again; one bad address does not stop the rest.
            claim.rollback()
            current_app.logger.error(
                "meeting notice to %s about meeting %s not sent: %s",
                notice.user.email,
                notice.meeting.id,
                error,
            )
            continue
        claim.commit()
        yield notice


def render(notice: Notice) -> tuple[str, str, bytes] | None:
    """The subject, the plain-text body and the invitation, in the recipient's language.

    Sent by a command, outside any request: a request context on the public address gives the
    feed's writer its links, and the recipient's profile its language.
    """
    config = current_app.config
    with _writing_to(notice.user):
        # The papers a focal point may open, signed in, are linked as well as the public ones.
        scope = replace(
            meeting_scope(notice.meeting),
            document_access=permissions.readable_access_levels(notice.user),
        )
        entries, agendas = load_meetings(scope)
        if not entries:
            return None
        [entry] = entries
        address = links()
        # An invitation is stamped when it is sent (RFC 5545 3.8.7.2), not when the meeting
        # last changed as in a feed.
        event = meeting_event(
            entry,
            agendas.get(entry.id, ()),
            address,
            stamp=utcnow(),
            papers=load_papers(scope).get(entry.id, ()),
        )
        event = with_people(
            event,
            (_("GFMD secretariat"), parseaddr(config["MAIL_SENDER"])[1]),
            (notice.user.name, notice.user.email),
        )
        invitation = calendar_bytes(scope.name, scope.description, [event], method=notice.method)
        title = meeting_summary(entry)
        when = venue_time(entry.starts_at, entry.ends_at, entry.timezone)
        if notice.method == "CANCEL":
            subject = _("Cancelled: %(title)s", title=title)
            news = _("This meeting has been cancelled.")
        else:
            subject = _("GFMD meeting: %(title)s", title=title)
            news = _(
                "This meeting is on the forum's programme, or has changed since we last wrote."
            )
        lines = [
            _("Hello %(name)s,", name=notice.user.name),
            "",
            news,
            "",
            title,
            _("When: %(when)s", when=when),
        ]
        location = meeting_location(entry)
        if location:
            lines.append(_("Where: %(where)s", where=location))
        lines += [
            _("Page: %(address)s", address=address.meeting_url(entry.id)),
            "",
            _(
                "The attached invitation puts the meeting in your calendar, or updates it there; "
                "you need not reply."
            ),
            "",
        ]
        return one_line(subject), "\n".join(lines), invitation


def delegations_of(meeting: Meeting) -> list[User]:
    """The active focal points of the governments a meeting concerns: its roundtable's or
    team's; for a meeting of the whole forum (a summit, the Steering Group), every
    government's."""
    whole_forum = and_(Meeting.roundtable_id.is_(None), Meeting.team_id.is_(None))
    concerned = _focal_points(whole_forum, *government_meeting_reasons(User.government_id))
    return list(
        db.session.scalars(
            select(User)
            .select_from(Meeting)
            .join(User, concerned)
            .where(Meeting.id == meeting.id)
            .order_by(User.id)
        )
    )


def send_minutes_for_comment(meeting: Meeting) -> list[User]:
    """Tell each delegation the meeting concerns that its minutes are circulated for comment,
    in each one's language; the focal points told. Sent once, when they are circulated; a
    focal point the mail server refused reads them on the meeting's record all the same."""
    told = []
    for user in delegations_of(meeting):
        with _writing_to(user):
            title = meeting.display_title_in(user.locale or "en")
            body = "\n".join(
                [
                    _("Hello %(name)s,", name=user.name),
                    "",
                    _(
                        "The draft minutes of “%(title)s” are circulated to the delegations for "
                        "comment. Read them, and send your government's comments, on the "
                        "meeting's record:",
                        title=title,
                    ),
                    external_url("minutes.page", meeting_id=meeting.id, _anchor="minutes"),
                    "",
                ]
            )
            subject = one_line(_("Minutes for comment: %(title)s", title=title))
            try:
                send_mail(user.email, subject, body)
            except (OSError, smtplib.SMTPException) as error:
                current_app.logger.error(
                    "minutes of meeting %s not announced to %s: %s", meeting.id, user.email, error
                )
                continue
        told.append(user)
    return told
