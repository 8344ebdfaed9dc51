"""Private feed addresses (tokens, stored only as digests) and what their owners follow."""

import re
import secrets
from collections.abc import Iterable
from datetime import date, datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import and_, delete, func, or_, select, update
from sqlalchemy.orm import contains_eager

from workplan.extensions import db
from workplan.feeds.writer import one_line
from workplan.models import (
    MEETING_KINDS,
    CalendarFollow,
    CalendarToken,
    Chairmanship,
    GovernmentTeam,
    Roundtable,
    User,
    utcnow,
)
from workplan.services import DomainError
from workplan.services.accounts import token_digest

# A poll is recorded at most this often, so a thousand calendars polling cost no writes.
TOKEN_USE_GRANULARITY = timedelta(hours=1)
MAX_TOKENS_PER_USER = 20
TOKEN_LABEL_MAX = 100


def issue_token(user: User, label: str) -> tuple[CalendarToken, str]:
    """A new private feed address: the token is returned once and only its hash is kept."""
    label = one_line(label)
    if not label:
        raise DomainError(_("Name the address, for example “Work phone”."), field="label")
    if len(label) > TOKEN_LABEL_MAX:
        raise DomainError(
            _("Keep the name to %(num)d characters or fewer.", num=TOKEN_LABEL_MAX), field="label"
        )
    active = db.session.scalar(
        select(func.count(CalendarToken.id)).where(
            CalendarToken.user_id == user.id, CalendarToken.revoked_at.is_(None)
        )
    )
    if active >= MAX_TOKENS_PER_USER:
        raise DomainError(
            _(
                "You already have %(num)d calendar addresses. Revoke one you no longer use first.",
                num=MAX_TOKENS_PER_USER,
            ),
            field="label",
        )
    raw = secrets.token_urlsafe(32)
    token = CalendarToken(user_id=user.id, label=label, token_hash=token_digest(raw))
    db.session.add(token)
    db.session.flush()
    return token, raw


def revoke_token(token: CalendarToken) -> None:
    """Stop a private feed address from working, at once and for good."""
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        db.session.flush()


_TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{20,128}")


def token_owner(raw: str) -> tuple[CalendarToken, User] | None:
    """The live token and its active owner, or None for an unknown, revoked or dead one."""
    if not _TOKEN_SHAPE.fullmatch(raw):
        return None
    row = db.session.execute(
        select(CalendarToken, User)
        .join(User, CalendarToken.user_id == User.id)
        .where(
            CalendarToken.token_hash == token_digest(raw),
            CalendarToken.revoked_at.is_(None),
            User.active.is_(True),
        )
    ).first()
    return (row[0], row[1]) if row else None


def note_token_use(token: CalendarToken, now: datetime | None = None) -> bool:
    """Record a fetch, at most once per TOKEN_USE_GRANULARITY; whether a write was made."""
    now = now or utcnow()
    threshold = now - TOKEN_USE_GRANULARITY
    if token.last_used_at is not None and token.last_used_at > threshold:
        return False
    # Conditional, so two workers answering the same poll write once between them.
    result = db.session.execute(
        update(CalendarToken)
        .where(
            CalendarToken.id == token.id,
            or_(CalendarToken.last_used_at.is_(None), CalendarToken.last_used_at <= threshold),
        )
        .values(last_used_at=now)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def set_follows(
    user: User, roundtable_ids: Iterable[int], team_ids: Iterable[int], kinds: Iterable[str]
) -> None:
    """Replace what the user follows in their private feed."""
    roundtable_ids, team_ids, kinds = set(roundtable_ids), set(team_ids), set(kinds)
    unknown_kinds = kinds - set(MEETING_KINDS)
    if unknown_kinds:
        raise DomainError(
            _("Unknown meeting kind: %(kinds)s.", kinds=", ".join(sorted(unknown_kinds))), "kinds"
        )
    if roundtable_ids:
        found = db.session.scalars(select(Roundtable.id).where(Roundtable.id.in_(roundtable_ids)))
        if set(found) != roundtable_ids:
            raise DomainError(_("One of the roundtables no longer exists."), field="roundtables")
    if team_ids:
        found = db.session.scalars(select(GovernmentTeam.id).where(GovernmentTeam.id.in_(team_ids)))
        if set(found) != team_ids:
            raise DomainError(_("One of the teams no longer exists."), field="teams")
    db.session.execute(delete(CalendarFollow).where(CalendarFollow.user_id == user.id))
    db.session.add_all(
        [CalendarFollow(user_id=user.id, roundtable_id=i) for i in sorted(roundtable_ids)]
        + [CalendarFollow(user_id=user.id, team_id=i) for i in sorted(team_ids)]
        + [CalendarFollow(user_id=user.id, meeting_kind=k) for k in sorted(kinds)]
    )
    # Follows have no timestamp of their own; moving the user's lets Last-Modified move too.
    user.updated_at = utcnow()
    db.session.flush()


def follows_of(user: User) -> tuple[set[int], set[int], set[str]]:
    """What the user follows: roundtable ids, team ids and meeting kinds."""
    rows = db.session.execute(
        select(
            CalendarFollow.roundtable_id, CalendarFollow.team_id, CalendarFollow.meeting_kind
        ).where(CalendarFollow.user_id == user.id)
    ).all()
    return (
        {r for r, _, _ in rows if r is not None},
        {t for _, t, _ in rows if t is not None},
        {k for _, _, k in rows if k is not None},
    )


def tokens_of(user: User) -> list[CalendarToken]:
    """A user's private addresses, the ones in use first, newest first."""
    return db.session.scalars(
        select(CalendarToken)
        .where(CalendarToken.user_id == user.id)
        .order_by(CalendarToken.revoked_at.is_not(None), CalendarToken.created_at.desc())
    ).all()


def follow_options(
    followed: tuple[set[int], set[int], set[str]], today: date
) -> tuple[list[Roundtable], list[GovernmentTeam]]:
    """What the follow form offers: the roundtables of chairmanships not yet over and the teams
    still active, and whatever is already followed."""
    roundtable_ids, team_ids, _kinds = followed
    roundtables = db.session.scalars(
        select(Roundtable)
        .join(Roundtable.chairmanship)
        .options(contains_eager(Roundtable.chairmanship))
        .where(
            or_(
                and_(
                    Chairmanship.ends_on >= today,
                    Chairmanship.archived_at.is_(None),
                    Roundtable.archived_at.is_(None),
                ),
                Roundtable.id.in_(roundtable_ids or [0]),
            )
        )
        .order_by(Chairmanship.starts_on, Roundtable.number)
    ).all()
    teams = db.session.scalars(
        select(GovernmentTeam)
        .where(
            or_(
                and_(
                    GovernmentTeam.archived_at.is_(None),
                    or_(GovernmentTeam.last_year.is_(None), GovernmentTeam.last_year >= today.year),
                ),
                GovernmentTeam.id.in_(team_ids or [0]),
            )
        )
        .order_by(GovernmentTeam.name)
    ).all()
    return roundtables, teams
