"""Concurrent progress updates through the real app on a real threaded server: nothing is lost,
nothing is applied twice, every refusal is a 409 and no request fails with a 5xx.

The issue asks for this on PostgreSQL (row locks, READ COMMITTED): the full test runs there with
TEST_DATABASE_URL set. A smaller run on SQLite, which serialises writers, checks the same
promises on the default database.
"""

import http.cookiejar
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

import pytest
from sqlalchemy import select
from sqlalchemy.engine import make_url
from werkzeug.serving import make_server

from tests.factories import PASSWORD
from workplan import create_app
from workplan.extensions import db
from workplan.models import Deliverable, ProgressUpdate
from workplan.services import StaleEdit
from workplan.services.progress import ProgressChange, update_progress

VERSION = re.compile(r'<input id="version" name="version" type="hidden" value="(\d+)">')


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Report a redirect as the answer instead of following it."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


class Client:
    """One logged-in browser: its own cookies, its own login session."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirect()
        )

    def request(self, path: str, data: dict | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with self.opener.open(self.base + path, data=body, timeout=120) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace")

    def log_in(self, email: str) -> None:
        status, _ = self.request("/auth/login", {"email": email, "password": PASSWORD})
        assert status == 302, f"login of {email} answered {status}"


@dataclass
class Sent:
    """One progress update as a client sent it, and the answer."""

    deliverable_id: int
    version: int
    status: str
    percent: int
    comment: str
    code: int = 0


@pytest.fixture
def server(app, database_url):
    """The app on a threaded local HTTP server, on the test database."""
    options = {"pool_pre_ping": True}
    if make_url(database_url).get_backend_name() == "postgresql":
        # Enough connections that every thread gets one without queueing for the pool.
        options |= {"pool_size": 30, "max_overflow": 10}
    served = create_app(
        "testing", SQLALCHEMY_DATABASE_URI=database_url, SQLALCHEMY_ENGINE_OPTIONS=options
    )
    httpd = make_server("127.0.0.1", 0, served, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    thread.join(10)
    with served.app_context():
        db.engine.dispose()


def run_concurrent_updates(
    make, server, threads: int, rounds: int, deliverables: int, synchronised: int
):
    """Log in clients, then have every thread read a deliverable's version and post an update
    from it: in the first `synchronised` rounds all threads post at the same moment, in the
    others each goes at its own pace. Return what was sent and the elapsed time."""
    government = make.government("PHL", "Philippines")
    targets = [
        make.deliverable([government], title=f"Concurrent paper {n}") for n in range(deliverables)
    ]
    people = [make.user("focal_point", government=government) for _ in range(4)]
    people += [make.user("secretariat") for _ in range(2)]
    clients = []
    for n in range(threads):
        client = Client(server)
        client.log_in(people[n % len(people)].email)
        clients.append(client)

    barrier = threading.Barrier(threads)
    sent: list[Sent] = []
    failures: list[str] = []
    lock = threading.Lock()

    def work(n: int, client: Client) -> None:
        try:
            for round_ in range(rounds):
                target = targets[(n + round_) % len(targets)]
                code, page = client.request(f"/deliverables/{target.id}")
                assert code == 200, f"GET answered {code}"
                version = int(VERSION.search(page).group(1))
                update = Sent(
                    deliverable_id=target.id,
                    version=version,
                    status=("in_progress", "at_risk")[(n + round_) % 2],
                    percent=(n * 7 + round_ * 13) % 100,
                    comment=f"thread {n} round {round_}",
                )
                if round_ < synchronised:
                    # Everyone posts at the same moment, most of them from the same version.
                    barrier.wait(timeout=120)
                update.code, _ = client.request(
                    f"/deliverables/{target.id}/progress",
                    {
                        "status": update.status,
                        "percent_complete": str(update.percent),
                        "comment": update.comment,
                        "version": str(update.version),
                    },
                )
                with lock:
                    sent.append(update)
        except Exception as error:  # noqa: BLE001  (reported by the test, not lost in a thread)
            with lock:
                failures.append(f"thread {n}: {error!r}")
            barrier.abort()

    workers = [threading.Thread(target=work, args=(n, c)) for n, c in enumerate(clients)]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(300)
    elapsed = time.perf_counter() - started
    assert not failures, failures
    return targets, sent, elapsed


def check_outcome(make, targets, sent: list[Sent]) -> dict:
    """The promises: no 5xx, accepted ones in the timeline once, refused ones 409 and absent,
    the final state is the last accepted update, and the version counts every accepted one."""
    assert [s for s in sent if s.code >= 500] == []
    accepted = [s for s in sent if s.code in (200, 302)]
    refused = [s for s in sent if s not in accepted]
    assert {s.code for s in refused} <= {409}, {s.code for s in refused}
    make.session.expire_all()
    for target in targets:
        timeline = make.session.scalars(
            select(ProgressUpdate)
            .where(ProgressUpdate.deliverable_id == target.id)
            .order_by(ProgressUpdate.id)
        ).all()
        comments = [u.comment for u in timeline]
        mine = [s for s in accepted if s.deliverable_id == target.id]
        assert sorted(comments) == sorted(s.comment for s in mine)
        assert len(set(comments)) == len(comments)
        for s in refused:
            assert s.comment not in comments
        # Each update starts where the previous one ended: no update was lost in between.
        previous = ("planned", 0)
        for update in timeline:
            assert (update.old_status, update.old_percent) == previous
            previous = (update.new_status, update.new_percent)
        fresh = make.session.get(Deliverable, target.id)
        assert (fresh.status, fresh.percent_complete) == previous
        if timeline:
            last = next(s for s in mine if s.comment == timeline[-1].comment)
            assert (fresh.status, fresh.percent_complete) == (last.status, last.percent)
        assert fresh.version == 1 + len(mine)
        # Each accepted update was sent from the version just before it was applied.
        assert sorted(s.version for s in mine) == list(range(1, len(mine) + 1))
    return {"sent": len(sent), "accepted": len(accepted), "refused": len(refused)}


def test_fifty_concurrent_updates_on_postgresql(make, server, database_url):
    """80 concurrent updates to three deliverables, from six people in 20 sessions."""
    if make_url(database_url).get_backend_name() != "postgresql":
        pytest.skip(
            "the issue asks for this test on PostgreSQL: set TEST_DATABASE_URL to a "
            "postgresql+psycopg:// database (.ci/run does); the SQLite variant runs instead"
        )
    targets, sent, elapsed = run_concurrent_updates(
        make, server, threads=20, rounds=4, deliverables=3, synchronised=2
    )
    numbers = check_outcome(make, targets, sent)
    assert numbers["sent"] >= 50
    assert numbers["accepted"] >= len(targets)
    print(f"\nPostgreSQL: {numbers} in {elapsed:.2f} s")


def test_concurrent_updates_on_sqlite(make, server, database_url):
    """The same promises on SQLite, with fewer threads: it serialises every writer."""
    if make_url(database_url).get_backend_name() != "sqlite":
        pytest.skip("the PostgreSQL variant covers this database")
    targets, sent, elapsed = run_concurrent_updates(
        make, server, threads=8, rounds=3, deliverables=2, synchronised=1
    )
    numbers = check_outcome(make, targets, sent)
    assert numbers["accepted"] >= len(targets)
    print(f"\nSQLite: {numbers} in {elapsed:.2f} s")


def test_a_save_landing_between_read_and_write_is_refused(app, make):
    """The narrow race: both read version 1, the other commits, ours fails at the UPDATE
    (version_id_col), and the refusal carries the newer record."""
    government = make.government("PHL", "Philippines")
    target = make.deliverable([government])
    with app.app_context():
        mine = db.session.get(Deliverable, target.id)
        assert mine.version == 1
        theirs = make.session.get(Deliverable, target.id)
        theirs.status, theirs.percent_complete = "at_risk", 30
        make.session.commit()
        with pytest.raises(StaleEdit) as refused:
            update_progress(mine, None, ProgressChange(target.id, "in_progress", 50, "", 1))
        db.session.rollback()
        newer = refused.value.current()
        assert (newer.status, newer.version) == ("at_risk", 2)
    make.session.expire_all()
    assert make.session.scalars(select(ProgressUpdate)).all() == []


def test_a_comment_on_an_unchanged_deliverable_meets_the_race_too(app, make):
    """Keeping the status and percent with a new comment still writes the deliverable's row, so
    the database's version check refuses it when someone else moved the deliverable meanwhile:
    otherwise the timeline would end on a state the deliverable is no longer in."""
    government = make.government("PHL", "Philippines")
    target = make.deliverable([government])
    with app.app_context():
        mine = db.session.get(Deliverable, target.id)
        theirs = make.session.get(Deliverable, target.id)
        theirs.status, theirs.percent_complete = "at_risk", 30
        make.session.commit()
        same = ProgressChange(target.id, "planned", 0, "Still waiting for the donor", 1)
        with pytest.raises(StaleEdit):
            update_progress(mine, None, same)
        db.session.rollback()
    make.session.expire_all()
    assert make.session.scalars(select(ProgressUpdate)).all() == []
    assert make.fresh(Deliverable, target.id).status == "at_risk"
