"""Every page, feed and export issues the same number of SQL queries at scale 1 and at scale 10.

The synthetic data set is built at scale 1 and every route in ROUTES is fetched while the
engine counts statements (a feed is fetched once before, so that the counted fetch is the cached
poll a calendar makes); then the database is emptied, rebuilt at scale 10, and counted again. A
count that moves with the data is an N+1 (a relation loaded lazily, once per row); a page over
BUDGET queries is doing in Python what one query could do.

To cover a new page, add a line to ROUTES; a route that is not served fails, so a page removed
by mistake is noticed. A route known to miss is listed in KNOWN with the reason, and marked
xfail(strict=True): it shows in every run until the view is fixed, and the fix makes the test
fail until the line in KNOWN goes.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import NamedTuple

import pytest
import time_machine
from flask import Flask
from sqlalchemy import func, insert, select, update
from werkzeug.exceptions import MethodNotAllowed, NotFound

from tests.conftest import empty_database
from tests.factories import PASSWORD
from tests.helpers import counting_queries as counting
from workplan import create_app
from workplan.extensions import db
from workplan.models import (
    AuditEvent,
    CalendarToken,
    Chairmanship,
    Deliverable,
    GovernmentTeam,
    Meeting,
    Organisation,
    Payment,
    Pledge,
    ProgressUpdate,
    Roundtable,
    RoundtableMember,
    TeamMembership,
    User,
    WorkPlan,
    chairmanship_chairs,
    deliverable_governments,
    roundtable_co_chairs,
    utcnow,
)
from workplan.seed import synthetic
from workplan.services.accounts import token_digest

# Every page's header names the chairmanship in office: one indexed query on top of the view's.
BUDGET = 13
SMALL, LARGE = 1, 10
# The data and the pages are built on this day, whatever the calendar says: mid-June, so the
# chairmanship in office has meetings behind and ahead of it at both scales.
PINNED = datetime(2026, 6, 15, 9, 0, tzinfo=UTC)
TOKEN = "query-count-private-feed-token-0123456789"


class Route(NamedTuple):
    """A URL (with {placeholders} for record ids), who asks for it, and how.

    `conditional` repeats the request with the ETag of the first answer (a calendar's poll);
    `cold` empties the app's cache of built feeds first, so the feed is built again.
    """

    path: str
    role: str
    conditional: bool = False
    cold: bool = False


ROUTES = [
    Route("/", "anonymous"),
    Route("/", "secretariat"),
    Route("/", "focal_point"),
    Route("/meetings/", "anonymous"),
    Route("/meetings/", "secretariat"),
    Route("/meetings/{meeting}", "anonymous"),
    Route("/meetings/{meeting}", "secretariat"),
    Route("/chairmanships/", "secretariat"),
    Route("/chairmanships/{chairmanship}", "secretariat"),
    Route("/roundtables/", "secretariat"),
    Route("/roundtables/{roundtable}", "secretariat"),
    Route("/teams/", "secretariat"),
    Route("/teams/{team}", "secretariat"),
    Route("/governments/", "secretariat"),
    Route("/governments/{government}", "secretariat"),
    Route("/governments/{government}", "focal_point"),
    Route("/organisations/", "secretariat"),
    Route("/organisations/{organisation}", "secretariat"),
    Route("/workplans/", "secretariat"),
    Route("/workplans/{work_plan}", "secretariat"),
    Route("/deliverables/", "secretariat"),
    Route("/deliverables/", "focal_point"),
    Route("/deliverables/{deliverable}", "secretariat"),
    Route("/deliverables/{deliverable}", "focal_point"),
    Route("/pledges/", "secretariat"),
    Route("/pledges/", "focal_point"),
    Route("/pledges/{pledge}", "secretariat"),
    Route("/admin/users", "secretariat"),
    Route("/admin/users/{user}", "secretariat"),
    Route("/admin/audit", "secretariat"),
    Route("/account/calendar", "focal_point"),
    Route("/calendar/", "anonymous"),
    Route("/calendar/meetings.ics", "anonymous"),
    Route("/calendar/meetings.ics", "anonymous", cold=True),
    Route("/calendar/meetings.ics", "anonymous", conditional=True),
    Route("/calendar/chairmanships/{chairmanship}.ics", "anonymous"),
    Route("/calendar/roundtables/{roundtable}.ics", "anonymous"),
    Route("/calendar/teams/{team}.ics", "anonymous"),
    Route("/calendar/meetings/{meeting}.ics", "anonymous"),
    Route("/calendar/private/{token}.ics", "focal_point"),
    Route("/calendar/private/{token}.ics", "focal_point", cold=True),
    Route("/calendar/private/{token}.ics", "focal_point", conditional=True),
    Route("/reports/", "secretariat"),
    Route("/reports/chairmanships/{chairmanship}", "secretariat"),
    Route("/reports/chairmanships/{chairmanship}.csv", "secretariat"),
    Route("/reports/chairmanships/{chairmanship}.xlsx", "secretariat"),
    Route("/reports/chairmanships/{chairmanship}.json", "secretariat"),
    Route("/reports/chairmanships/{chairmanship}.pdf", "secretariat"),
    Route("/reports/multiannual", "secretariat"),
    Route("/reports/multiannual.csv", "secretariat"),
    Route("/reports/governments/{government}", "secretariat"),
    Route("/reports/governments/{government}", "focal_point"),
    Route("/reports/governments/{government}.csv", "secretariat"),
]

# Routes that miss today, (path, role): why. Each is xfail(strict=True) until its view is fixed,
# for example ("/deliverables/{deliverable}", "secretariat"): "10 queries at scale 1, 18 at
# scale 10: the predecessor chain is loaded lazily, one query per earlier chairmanship".
KNOWN: dict[tuple[str, str], str] = {}


@dataclass
class Count:
    """What one route cost at one scale."""

    status: int
    queries: int


def ensure(table, extra: dict | None = None, **key) -> None:
    """Insert a row with these key values (and `extra`) unless one is there already."""
    found = db.session.scalar(
        select(func.count())
        .select_from(table)
        .where(*[table.c[name] == value for name, value in key.items()])
    )
    if not found:
        db.session.execute(insert(table).values(**key, **(extra or {})))


def build(app: Flask, scale: int) -> dict[str, object]:
    """Generate a data set and pick, by the same rules at every scale, the records to visit.

    Counts may differ between scales only if the pages load more as the data grows, not because
    a record happens to lack a relation at one scale: so the chosen government is given, at both
    scales, a co-chaired and a joined roundtable, the chair, a team it leads and one it belongs
    to, a pledge with a payment; the chosen deliverable a history with its author; and the
    programme's next two meetings a roundtable and a team.
    """
    with app.app_context():
        result = synthetic.generate(scale, seed=7, password=PASSWORD, today=PINNED.date())
        latest = db.session.scalar(select(Chairmanship).order_by(Chairmanship.starts_on.desc()))
        year = latest.starts_on.year
        # The richest deliverable: carried over from the last term when there is one.
        deliverable = db.session.scalar(
            select(Deliverable)
            .where(
                Deliverable.chairmanship_id == latest.id,
                Deliverable.roundtable_id.is_not(None),
                Deliverable.status.in_(("planned", "in_progress", "at_risk")),
            )
            .order_by(Deliverable.predecessor_id.is_(None), Deliverable.id)
        )
        government_id = db.session.scalar(
            select(deliverable_governments.c.government_id)
            .where(deliverable_governments.c.deliverable_id == deliverable.id)
            .order_by(deliverable_governments.c.government_id)
        )
        roundtable_ids = db.session.scalars(
            select(Roundtable.id)
            .where(
                Roundtable.chairmanship_id == latest.id, Roundtable.id != deliverable.roundtable_id
            )
            .order_by(Roundtable.id)
        ).all()
        # Teams founded this year, one with meetings first: the team page and feed show them.
        with_meetings = select(Meeting.id).where(Meeting.team_id == GovernmentTeam.id).exists()
        team_ids = db.session.scalars(
            select(GovernmentTeam.id)
            .where(GovernmentTeam.first_year == year)
            .order_by(~with_meetings, GovernmentTeam.id)
        ).all()
        ensure(
            roundtable_co_chairs,
            roundtable_id=deliverable.roundtable_id,
            government_id=government_id,
        )
        ensure(
            RoundtableMember.__table__,
            roundtable_id=roundtable_ids[0],
            government_id=government_id,
        )
        ensure(chairmanship_chairs, chairmanship_id=latest.id, government_id=government_id)
        db.session.execute(
            update(GovernmentTeam)
            .where(GovernmentTeam.id == team_ids[0])
            .values(lead_government_id=government_id)
        )
        ensure(
            TeamMembership.__table__,
            {"joined_year": year},
            team_id=team_ids[1],
            government_id=government_id,
        )
        # The programme's first page shows a roundtable's meeting and a team's at both scales.
        upcoming = db.session.scalars(
            select(Meeting.id)
            .where(Meeting.state == "published", Meeting.ends_at >= utcnow())
            .order_by(Meeting.starts_at, Meeting.id)
            .limit(2)
        ).all()
        assert len(upcoming) == 2, f"scale {scale} has no upcoming meetings on {PINNED:%Y-%m-%d}"
        db.session.execute(
            update(Meeting)
            .where(Meeting.id == upcoming[0])
            .values(roundtable_id=deliverable.roundtable_id, team_id=None)
        )
        db.session.execute(
            update(Meeting)
            .where(Meeting.id == upcoming[1])
            .values(roundtable_id=None, team_id=team_ids[0])
        )
        pledge_id = db.session.scalar(
            select(Pledge.id)
            .join(Payment, Payment.pledge_id == Pledge.id)
            .where(Pledge.chairmanship_id == latest.id, Pledge.earmark == "roundtable")
            .order_by(Pledge.id)
        )
        db.session.execute(
            update(Pledge)
            .where(Pledge.id == pledge_id)
            .values(donor_government_id=government_id, donor_organisation_id=None)
        )
        focal_point = db.session.scalar(
            select(User).where(User.email == result.sample_accounts["focal_point"])
        )
        focal_point.government_id = government_id
        secretariat = db.session.scalar(
            select(User).where(User.email == result.sample_accounts["secretariat"])
        )
        db.session.execute(
            update(ProgressUpdate)
            .where(ProgressUpdate.deliverable_id == deliverable.id)
            .values(user_id=focal_point.id)
        )
        db.session.add(
            CalendarToken(user=focal_point, label="Query counts", token_hash=token_digest(TOKEN))
        )
        # generate-data writes no audit trail; give the log some rows, more at a larger scale.
        editors = db.session.scalars(
            select(User.id).where(User.role == "secretariat").order_by(User.id)
        ).all()
        db.session.execute(
            insert(AuditEvent),
            [
                {
                    "at": utcnow() - timedelta(minutes=n),
                    "user_id": editors[n % len(editors)],
                    "actor": "query counts",
                    "action": "update",
                    "record_type": "deliverable",
                    "record_id": deliverable.id,
                    "old_values": {"percent_complete": n},
                    "new_values": {"percent_complete": n + 1},
                }
                for n in range(30 * scale)
            ],
        )
        ids = {
            "token": TOKEN,
            "deliverable": deliverable.id,
            "government": government_id,
            "chairmanship": latest.id,
            "user": focal_point.id,
            "meeting": db.session.scalar(
                select(Meeting.id)
                .where(
                    Meeting.chairmanship_id == latest.id,
                    Meeting.kind == "roundtable_session",
                    Meeting.state == "published",
                )
                .order_by(Meeting.id)
            ),
            "roundtable": deliverable.roundtable_id,
            "team": team_ids[0],
            # The first organisation has joined the most roundtables by the largest scale.
            "organisation": db.session.scalar(select(func.min(Organisation.id))),
            "work_plan": db.session.scalar(select(func.max(WorkPlan.id))),
            "pledge": pledge_id,
            "emails": {"secretariat": secretariat.email, "focal_point": focal_point.email},
        }
        db.session.commit()
        return ids


def exists(app: Flask, path: str) -> bool:
    """Whether the app has a GET route for this path yet."""
    try:
        app.url_map.bind("localhost").match(path, method="GET")
    except (NotFound, MethodNotAllowed):
        return False
    return True


def measure(app: Flask, ids: dict) -> dict[Route, Count | None]:
    """Fetch each route as its role, counting the statements of one fetch."""
    clients = {}
    for role in ("anonymous", "secretariat", "focal_point"):
        client = app.test_client()
        if role != "anonymous":
            response = client.post(
                "/auth/login", data={"email": ids["emails"][role], "password": PASSWORD}
            )
            assert response.status_code == 302, f"{role} could not log in"
        clients[role] = client
    counts: dict[Route, Count | None] = {}
    for route in ROUTES:
        path = route.path.format(**ids)
        if not exists(app, path):
            counts[route] = None
            continue
        client = clients[route.role]
        headers = {}
        # A feed is fetched once first, so that the counted fetch finds its body cached (or,
        # for a conditional request, so that there is an ETag to send).
        if route.path.endswith(".ics"):
            first = client.get(path)
            if route.conditional:
                headers["If-None-Match"] = first.headers.get("ETag", "")
        if route.cold:
            app.extensions["workplan.feed_cache"].clear()
        with counting(app) as statements:
            response = client.get(path, headers=headers)
        counts[route] = Count(response.status_code, len(statements))
    return counts


@pytest.fixture(scope="module")
def counts(database_url) -> dict[int, dict[Route, Count | None]]:
    """Query counts of every route at the small and the large scale, on the shared database."""
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=database_url)
    measured = {}
    try:
        with time_machine.travel(PINNED, tick=True):
            for scale in (SMALL, LARGE):
                ids = build(app, scale)
                measured[scale] = measure(app, ids)
                with app.app_context():
                    db.session.remove()
                    empty_database()
    finally:
        with app.app_context():
            db.session.remove()
            empty_database()
            db.engine.dispose()
    return measured


def _label(route: Route) -> str:
    variant = " (304)" if route.conditional else " (cold)" if route.cold else ""
    return f"{route.role} {route.path}{variant}"


def _params():
    for route in ROUTES:
        reason = KNOWN.get((route.path, route.role))
        # Only a miss in the counts is expected: a wrong status still fails the test.
        marks = [pytest.mark.xfail(strict=True, reason=reason, raises=AssertionError)]
        marks = marks if reason else []
        yield pytest.param(route, id=_label(route), marks=marks)


@pytest.mark.parametrize("route", list(_params()))
def test_queries_do_not_grow_with_the_data(counts, route):
    """No more queries at scale 10 than at scale 1, and no more than the budget."""
    small, large = counts[SMALL][route], counts[LARGE][route]
    if small is None or large is None:
        pytest.fail(f"{route.path} is not served")
    expected = 304 if route.conditional else 200
    if (small.status, large.status) != (expected, expected):
        pytest.fail(f"{_label(route)} answered {small.status} and {large.status}, not {expected}")
    # Never more at the larger scale. Fewer is possible: the audit log names the records of its
    # newest entries in one query, which is not needed when none of them refers to another.
    assert large.queries <= small.queries, (
        f"{_label(route)}: {small.queries} queries at scale {SMALL}, "
        f"{large.queries} at scale {LARGE}"
    )
    assert large.queries <= BUDGET, f"{_label(route)}: {large.queries} queries"
