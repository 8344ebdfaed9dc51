"""A feed's freshness: its cheap validator (strong ETag, Last-Modified) and the cache of built
bodies.

`validator()` gives a strong ETag and a Last-Modified without building anything:
`compute_validator()` runs one aggregate query over exactly the rows the feed shows, and its
answer is reused while the audit log's clock (its highest id, one index lookup) stands still, so a
conditional request usually costs that one lookup. `feed_body()` returns the bytes for the
validator from the cache, or builds them. Every process computes the same validator from the same
rows, so every worker gives the same answer.
"""

import gzip
import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime

from flask import current_app
from sqlalchemy import func, select, true

from workplan.caching import BodyCache
from workplan.extensions import db
from workplan.feeds.scopes import Scope, build_calendar
from workplan.feeds.writer import Links
from workplan.models import (
    AgendaItem,
    AuditEvent,
    CalendarFollow,
    Deliverable,
    Document,
    GovernmentTeam,
    Meeting,
    Roundtable,
)

# Part of every ETag: raise it whenever the same data starts being written differently.
FEED_FORMAT = 2
CACHE_MAX_BYTES = 64 * 1024 * 1024
# How long a validator is trusted while the audit clock stands still. Every domain write goes
# through the audit log; this bounds how long a write that skipped it (bulk SQL), or an audit id
# committed after a higher one, can go unseen.
VALIDATOR_TRUST_SECONDS = 60.0
VALIDATORS_MAX = 10_000
# A Last-Modified for a feed that holds nothing yet.
EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


# The validator: one aggregate query, no building.


@dataclass(frozen=True)
class Validator:
    """A feed's strong ETag and Last-Modified."""

    etag: str
    last_modified: datetime


def _aggregate(name: str, *columns) -> list:
    return [column.label(f"{name}_{i}") for i, column in enumerate(columns)]


def _validator_query(scope: Scope):
    in_scope = select(Meeting.id).where(*scope.meetings)
    parts = [
        select(
            *_aggregate(
                "m",
                func.count(Meeting.id),
                func.coalesce(func.sum(Meeting.id), 0),
                func.coalesce(func.sum(Meeting.sequence), 0),
                func.max(Meeting.updated_at),
            )
        ).where(*scope.meetings),
        select(
            *_aggregate(
                "a",
                func.count(AgendaItem.id),
                func.coalesce(func.sum(AgendaItem.id), 0),
                func.coalesce(func.sum(AgendaItem.position), 0),
                func.max(AgendaItem.updated_at),
            )
        ).where(AgendaItem.meeting_id.in_(in_scope)),
        select(
            *_aggregate(
                "p",
                func.count(Document.id),
                func.coalesce(func.sum(Document.id), 0),
                func.max(Document.updated_at),
            )
        ).where(
            Document.meeting_id.in_(in_scope),
            Document.archived_at.is_(None),
            Document.access.in_(scope.document_access),
        ),
        select(*_aggregate("r", func.max(Roundtable.updated_at))).where(
            Roundtable.id.in_(select(Meeting.roundtable_id).where(*scope.meetings))
        ),
        select(*_aggregate("t", func.max(GovernmentTeam.updated_at))).where(
            GovernmentTeam.id.in_(select(Meeting.team_id).where(*scope.meetings))
        ),
        # Every meeting, in the feed or not: a meeting leaving the feed moves this forward.
        select(*_aggregate("g", func.max(Meeting.updated_at))),
    ]
    if scope.deliverables is not None:
        owned = select(Deliverable.roundtable_id).where(*scope.deliverables)
        teams = select(Deliverable.team_id).where(*scope.deliverables)
        parts += [
            select(
                *_aggregate(
                    "d",
                    func.count(Deliverable.id),
                    func.coalesce(func.sum(Deliverable.id), 0),
                    func.coalesce(func.sum(Deliverable.version), 0),
                    func.max(Deliverable.updated_at),
                )
            ).where(*scope.deliverables),
            select(*_aggregate("dr", func.max(Roundtable.updated_at))).where(
                Roundtable.id.in_(owned)
            ),
            select(*_aggregate("dt", func.max(GovernmentTeam.updated_at))).where(
                GovernmentTeam.id.in_(teams)
            ),
            select(*_aggregate("dg", func.max(Deliverable.updated_at))),
        ]
    subqueries = [part.subquery() for part in parts]
    joined = subqueries[0]
    for subquery in subqueries[1:]:
        joined = joined.join(subquery, true())
    return select(*[column for subquery in subqueries for column in subquery.c]).select_from(joined)


def _plain(value):
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if value is None:
        return None
    return int(value)


def compute_validator(scope: Scope, links: Links) -> Validator:
    """The feed's ETag and Last-Modified, from one aggregate query over the rows it shows."""
    row = db.session.execute(_validator_query(scope)).one()
    values = [_plain(value) for value in row]
    material = json.dumps(
        [FEED_FORMAT, scope.key, scope.stamp, links.base, links.meeting, values],
        separators=(",", ":"),
    )
    etag = hashlib.sha256(material.encode()).hexdigest()[:40]
    stamps = [value for value in row if isinstance(value, datetime)]
    if scope.changed is not None:
        stamps.append(scope.changed)
    last_modified = max(stamps, default=EPOCH).astimezone(UTC).replace(microsecond=0)
    return Validator(etag=etag, last_modified=last_modified)


def audit_clock(scope: Scope) -> tuple:
    """What moves whenever anything a feed shows may have changed: the audit log's last id."""
    # A private feed adds its owner's follows, which are not audited.
    columns = [select(func.max(AuditEvent.id)).scalar_subquery()]
    if scope.follower_id is not None:
        mine = CalendarFollow.user_id == scope.follower_id
        columns += [
            select(func.count(CalendarFollow.id)).where(mine).scalar_subquery(),
            select(func.coalesce(func.sum(CalendarFollow.id), 0)).where(mine).scalar_subquery(),
        ]
    return tuple(_plain(value) for value in db.session.execute(select(*columns)).one())


def validator(scope: Scope, links: Links) -> Validator:
    """The feed's validator: reused while the audit clock stands still, computed otherwise."""
    # The clock is read before the aggregate, so a write landing in between moves the clock
    # past the remembered value and is never hidden behind it.
    cache = body_cache()
    key = (scope.key, scope.stamp, links.meeting, links.deliverable)
    clock = audit_clock(scope)
    known = cache.known(key, clock)
    if known is not None:
        return known
    checked = compute_validator(scope, links)
    cache.remember(key, clock, checked)
    return checked


def new_body_cache() -> BodyCache:
    """An empty cache of built feeds and their validators."""
    return BodyCache(
        CACHE_MAX_BYTES, trust_seconds=VALIDATOR_TRUST_SECONDS, memo_max=VALIDATORS_MAX
    )


def body_cache() -> BodyCache:
    """This app's cache of built feeds (each worker process has its own)."""
    return current_app.extensions.setdefault("workplan.feed_cache", new_body_cache())


def feed_body(scope: Scope, checked: Validator, links: Links) -> tuple[Validator, bytes]:
    """The bytes for a validator: from the cache, or built, checked and kept."""
    # After a build the validator is asked again: if the data changed meanwhile, the body is
    # built once more rather than kept under an ETag that does not describe it.
    cache = body_cache()
    body = cache.get(scope.key, checked.etag)
    if body is not None:
        return checked, body
    with cache.building(scope.key):
        body = cache.get(scope.key, checked.etag)
        if body is not None:
            return checked, body
        for _ in range(3):
            body = build_calendar(scope, links)
            cache.builds += 1
            after = validator(scope, links)
            if after.etag == checked.etag:
                cache.put(scope.key, checked.etag, body)
                return checked, body
            checked = after
        return checked, body


def gzipped_body(scope: Scope, etag: str, body: bytes) -> bytes:
    """The body compressed, once per ETag: a large feed shrinks about tenfold on the wire."""
    cache = body_cache()
    key = f"{scope.key}+gzip"
    packed = cache.get(key, etag)
    if packed is None:
        # mtime=0: every worker sends the same bytes for the same ETag.
        packed = gzip.compress(body, compresslevel=6, mtime=0)
        cache.put(key, etag, packed)
    return packed
