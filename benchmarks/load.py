"""A bounded load and soak test on loopback: readers and writers at once, then nothing lost,
nothing 5xx, no worker dead.

gunicorn serves the app with four sync workers (--workers), on PostgreSQL with its login rate
limits in Redis (as a multi-process deployment must), or on SQLite (--database sqlite). For
--seconds (60), 20 readers fetch pages and calendar feeds (anonymous and signed in, conditional
polls included), 5 writers post progress updates on deliverables through the real form (GET the
page for its CSRF token and version, then POST status, percent_complete, comment, version), and
20 hot clients sharing one sign-in all save on the same deliverable, posting again with the
newer version when someone else saved first (issue 22's load). Writers share two deliverables on
purpose, so some updates meet a newer version and are refused with 409: that is the stale-edit
rule working.

Afterwards it checks that no answer was a 5xx and that no request went unanswered; that every
accepted write (2xx/3xx) is in progress_updates (matched by its unique comment); that each
deliverable ends where its last stored update left it; and that gunicorn's error log shows no
worker killed by a signal, timed out, exited with an error or crashed ("Fatal Python error",
which faulthandler writes). It prints a summary and exits 1 on any violation; with --runs N
it repeats the whole test N times on fresh databases. Run it by hand or as an optional CI step:

    .venv/bin/python benchmarks/load.py [--seconds 60] [--runs 1] [--database sqlite] [--provoke]

--provoke runs the workers with CPython's debug allocator and development mode, and the cyclic
collector after every few allocations, so that a memory bug in an extension module meets them
sooner (slower, and each worker takes more memory).

DATABASE_URL names the PostgreSQL server (default postgresql+psycopg://postgres@127.0.0.1:5432/
postgres); a database of our own is created there and dropped afterwards. Redis database 15 at
127.0.0.1:6379 holds the rate limits (RATELIMIT_STORAGE_URI overrides it). tests/test_soak.py
runs a short version of the same test in the suite, on SQLite and on PostgreSQL.
"""

import argparse
import http.client
import os
import random
import re
import secrets
import socket
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

import _support as support

DEFAULT_DATABASE = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
DEFAULT_REDIS = "redis://127.0.0.1:6379/15"
WRITERS_SHARE = 2  # deliverables every writer updates, to provoke stale edits
OWN_DELIVERABLES = 6  # deliverables each writer updates alone
HOT_RETRIES = 20  # a hot client's attempts at one save, each after someone else's
_VERSION = re.compile(rb'name="version"[^>]*value="(\d+)"|value="(\d+)"[^>]*name="version"')


@dataclass
class Tally:
    """What one kind of client saw: statuses, latencies, failures."""

    statuses: Counter = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, status: int | None, seconds: float, what: str) -> None:
        with self.lock:
            self.latencies.append(seconds)
            if status is None:
                self.statuses["no answer"] += 1
                if len(self.failures) < 20:
                    self.failures.append(what)
            else:
                self.statuses[status] += 1
                if status >= 500 and len(self.failures) < 20:
                    self.failures.append(f"{status} {what}")


@dataclass
class Write:
    """One accepted progress update, as the writer sent it."""

    deliverable_id: int
    comment: str
    status: str
    percent: int


def fetch(
    base: str, method: str, path: str, headers: dict, body: dict | None = None
) -> tuple[int | None, dict, bytes]:
    """One request on a connection of its own (gunicorn's sync workers close after each)."""
    parts = urlsplit(base)
    data = urlencode(body).encode() if body is not None else None
    send = dict(headers)
    if data is not None:
        send["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
        connection.request(method, path, body=data, headers=send)
        response = connection.getresponse()
        payload = response.read()
        found = {key.lower(): value for key, value in response.getheaders()}
        found["set-cookie"] = response.headers.get_all("Set-Cookie") or []
        connection.close()
        return response.status, found, payload
    except (OSError, http.client.HTTPException) as error:
        return None, {"error": repr(error)}, b""


def login_with_patience(base: str, email: str) -> dict[str, str]:
    """Log in; if the shared rate limit refuses (an earlier run), wait as told and try again."""
    for _ in range(4):
        try:
            return support.login(base, email)
        except RuntimeError as error:
            if "429" not in str(error):
                raise
            print("   the login rate limit is still counting an earlier run; waiting 30 s")
            time.sleep(30)
    raise RuntimeError(f"Could not log in as {email}: rate limited")


class Reader(threading.Thread):
    """Fetches pages and feeds, picked at random by weight, until the deadline."""

    def __init__(self, base, targets, tally: Tally, deadline: float, seed: int):
        super().__init__(daemon=True)
        self.base, self.targets, self.tally, self.deadline = base, targets, tally, deadline
        self.rng = random.Random(seed)
        self.weights = [weight for _, _, weight in targets]

    def run(self) -> None:
        while time.monotonic() < self.deadline:
            path, headers, _ = self.rng.choices(self.targets, self.weights)[0]
            started = time.perf_counter()
            status, found, _ = fetch(self.base, "GET", path, headers)
            what = f"GET {path}" if status else f"GET {path}: {found.get('error')}"
            self.tally.add(status, time.perf_counter() - started, what)


class Writer(threading.Thread):
    """Posts progress updates through the deliverable page's form until the deadline."""

    def __init__(self, base, run_id, number, jar, deliverables, tally, deadline, seed):
        super().__init__(daemon=True)
        self.base, self.run_id, self.number, self.jar = base, run_id, number, jar
        self.deliverables, self.tally, self.deadline = deliverables, tally, deadline
        self.rng = random.Random(seed)
        self.accepted: list[Write] = []
        self.conflicts = 0
        self.refused: Counter = Counter()

    def headers(self) -> dict:
        return {"Cookie": support.cookie_header(self.jar)}

    def run(self) -> None:
        sequence = 0
        while time.monotonic() < self.deadline:
            deliverable_id = self.rng.choice(self.deliverables)
            path = f"/deliverables/{deliverable_id}"
            started = time.perf_counter()
            status, found, page = fetch(self.base, "GET", path, self.headers())
            self.tally.add(status, time.perf_counter() - started, f"GET {path}")
            if status != 200:
                continue
            support.cookies_from(found, self.jar)
            token = support.csrf_token(page)
            match = _VERSION.search(page)
            if not token or not match:
                self.refused["form not found on the page"] += 1
                continue
            version = (match.group(1) or match.group(2)).decode()
            sequence += 1
            comment = f"load {self.run_id} writer {self.number} update {sequence}"
            percent = self.rng.randrange(5, 96)
            form = {
                "status": "in_progress",
                "percent_complete": str(percent),
                "comment": comment,
                "version": version,
                "csrf_token": token,
            }
            started = time.perf_counter()
            status, found, _ = fetch(self.base, "POST", f"{path}/progress", self.headers(), form)
            self.tally.add(status, time.perf_counter() - started, f"POST {path}/progress")
            if status is None:
                continue
            support.cookies_from(found, self.jar)
            if 200 <= status < 400:
                self.accepted.append(Write(deliverable_id, comment, "in_progress", percent))
            elif status == 409:
                self.conflicts += 1
            elif status < 500:
                self.refused[status] += 1


def prepare(url: str, scale: int) -> tuple[support.DataSet, dict]:
    """The data set, plus who writes where and what readers read."""
    from sqlalchemy import select

    from workplan.extensions import db
    from workplan.models import Government, Meeting, User

    data = support.build_data_set(url, scale)
    app = support.make_app(url)
    with app.app_context():
        writers = db.session.scalars(
            select(User.email)
            .where(User.role == "secretariat", User.active.is_(True))
            .order_by(User.id)
            .limit(5)
        ).all()
        member = db.session.scalar(select(User.email).where(User.role == "member").limit(1))
        meetings = db.session.scalars(
            select(Meeting.id)
            .where(Meeting.state == "published", Meeting.chairmanship_id == data.chairmanship_id)
            .order_by(Meeting.id)
            .limit(5)
        ).all()
        government = db.session.scalar(select(Government.id).order_by(Government.id).limit(1))
        db.session.remove()
        db.engine.dispose()
    return data, {
        "writers": list(writers),
        "member": member,
        "meetings": list(meetings),
        "government": government,
    }


def stored_updates(url: str, run_id: str) -> tuple[dict[str, tuple], dict[int, tuple]]:
    """The updates this run left in the database, and each touched deliverable's final state."""
    from sqlalchemy import select

    from workplan.extensions import db
    from workplan.models import Deliverable, ProgressUpdate

    app = support.make_app(url)
    with app.app_context():
        rows = db.session.execute(
            select(
                ProgressUpdate.comment,
                ProgressUpdate.deliverable_id,
                ProgressUpdate.new_status,
                ProgressUpdate.new_percent,
                ProgressUpdate.id,
            ).where(ProgressUpdate.comment.like(f"load {run_id} %"))
        ).all()
        stored = {row.comment: tuple(row[1:]) for row in rows}
        touched = {row.deliverable_id for row in rows}
        finals = {
            row.id: (row.status, row.percent_complete)
            for row in db.session.execute(
                select(Deliverable.id, Deliverable.status, Deliverable.percent_complete).where(
                    Deliverable.id.in_(touched or {0})
                )
            )
        }
        db.session.remove()
        db.engine.dispose()
    return stored, finals


def check_redis(uri: str) -> None:
    """Redis answers on loopback, and the client library the rate limiter needs is installed."""
    parts = urlsplit(uri)
    if parts.hostname not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit(f"Only loopback: {uri} is not on this machine.")
    try:
        import redis  # noqa: F401
    except ImportError as error:
        raise SystemExit(
            "RATELIMIT_STORAGE_URI=redis://... needs the Python package `redis` in the "
            "environment (pip install redis); it is not a dependency of the project yet."
        ) from error
    with socket.create_connection((parts.hostname, parts.port or 6379), timeout=5) as sock:
        sock.sendall(b"PING\r\n")
        if not sock.recv(64).startswith(b"+PONG"):
            raise SystemExit(f"Redis at {uri} did not answer PING.")


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


# What a worker's death leaves in gunicorn's error log: killed by a signal (a native crash is
# SIGSEGV, SIGBUS or SIGABRT; a timeout ends in SIGABRT or SIGKILL), a timeout, a crash's
# traceback from faulthandler, or a non-zero exit.
DEATHS = re.compile(
    r"^.*(?:Worker \(pid:\d+\) was sent SIG\w+|WORKER TIMEOUT|Fatal Python error"
    r"|Worker \(pid:\d+\) exited with code).*$",
    re.MULTILINE,
)


def worker_deaths(log: str) -> list[str]:
    """The lines of a gunicorn error log that say a worker died or hung."""
    return DEATHS.findall(log)


class HotClient(threading.Thread):
    """One of many browsers sharing a sign-in that all save progress on the same deliverable.

    Each save loads the page, posts the form with its version and, when someone else saved
    first (409), posts again with the version the conflict page carries: the load of issue 22.
    """

    def __init__(self, base, run_id, number, jar, deliverable_id, tally, deadline, saves):
        super().__init__(daemon=True)
        self.base, self.run_id, self.number = base, run_id, number
        self.jar = dict(jar)
        self.deliverable_id, self.tally, self.deadline, self.saves = (
            deliverable_id,
            tally,
            deadline,
            saves,
        )
        self.accepted: list[Write] = []
        self.conflicts = 0

    def run(self) -> None:
        path = f"/deliverables/{self.deliverable_id}"
        for n in range(self.saves):
            if time.monotonic() >= self.deadline:
                return
            headers = {
                "Cookie": support.cookie_header(self.jar),
                "Accept-Language": ("en", "fr", "es")[(self.number + n) % 3],
            }
            started = time.perf_counter()
            status, found, page = fetch(self.base, "GET", path, headers)
            self.tally.add(status, time.perf_counter() - started, f"GET {path}")
            if status != 200:
                continue
            support.cookies_from(found, self.jar)
            token, match = support.csrf_token(page), _VERSION.search(page)
            if not token or not match:
                continue
            comment = f"load {self.run_id} hot {self.number} save {n}"
            percent = (self.number + n) % 90 + 5
            form = {
                "status": "in_progress",
                "percent_complete": str(percent),
                "comment": comment,
                "version": (match.group(1) or match.group(2)).decode(),
                "csrf_token": token,
            }
            headers["Cookie"] = support.cookie_header(self.jar)
            for _attempt in range(HOT_RETRIES):
                started = time.perf_counter()
                status, found, body = fetch(self.base, "POST", f"{path}/progress", headers, form)
                self.tally.add(status, time.perf_counter() - started, f"POST {path}/progress")
                if status != 409:
                    break
                self.conflicts += 1
                match = _VERSION.search(body)
                if not match:
                    break
                form["version"] = (match.group(1) or match.group(2)).decode()
            if status is not None and 200 <= status < 400:
                self.accepted.append(Write(self.deliverable_id, comment, "in_progress", percent))


@dataclass
class Outcome:
    """One run: what it printed and what it found wrong."""

    lines: list[str]
    violations: list[str]
    deaths: list[str]


def soak(url: str, args, redis_uri: str | None = None) -> Outcome:
    """Serve the app with gunicorn on a prepared database and load it for args.seconds.

    Readers fetch pages and feeds; writers, each signed in on their own, save progress on
    deliverables of their own and two they share; hot clients share one sign-in and all save
    on one deliverable. Afterwards every accepted save must be stored, every deliverable at its
    last update, no answer a 5xx, no request unanswered, and no worker dead.
    """
    run_id = secrets.token_hex(4)
    violations: list[str] = []
    data, plan = prepare(url, args.scale)
    if len(plan["writers"]) < args.writers:
        raise SystemExit("The data set has fewer secretariat accounts than writers.")
    own = args.writers * OWN_DELIVERABLES + WRITERS_SHARE + 1
    if len(data.deliverable_ids) < own:
        raise SystemExit(f"The data set has {len(data.deliverable_ids)} open deliverables.")
    shared = data.deliverable_ids[:WRITERS_SHARE]
    hot_deliverable = data.deliverable_ids[-1]
    env = {"RATELIMIT_STORAGE_URI": redis_uri} if redis_uri else {}
    if getattr(args, "provoke", False):
        # Memory bugs in extension modules show sooner: freed memory is poisoned and every
        # block's bounds checked, and the cyclic collector runs after every few allocations.
        env.update(PYTHONMALLOC="debug", PYTHONDEVMODE="1", WORKPLAN_GC_THRESHOLD="5")
    name = f"soak-{os.getpid()}"
    with support.gunicorn(url, name, workers=args.workers, **env) as server:
        writer_jars = [login_with_patience(server.base, e) for e in plan["writers"]]
        member = login_with_patience(server.base, plan["member"])
        targets = reader_targets(server.base, data, plan, member)
        deadline = time.monotonic() + args.seconds
        reads, writes = Tally(), Tally()
        readers = [
            Reader(server.base, targets, reads, deadline, seed=n) for n in range(args.readers)
        ]
        writers = []
        for n in range(args.writers):
            first = WRITERS_SHARE + n * OWN_DELIVERABLES
            mine = shared + data.deliverable_ids[first : first + OWN_DELIVERABLES]
            writers.append(
                Writer(server.base, run_id, n + 1, writer_jars[n], mine, writes, deadline, 100 + n)
            )
        hot = [
            HotClient(
                server.base, run_id, n, writer_jars[0], hot_deliverable, writes, deadline, 10**6
            )
            for n in range(args.hot)
        ]
        started = time.monotonic()
        for thread in readers + writers + hot:
            thread.start()
        for thread in readers + writers + hot:
            thread.join(timeout=args.seconds + 120)
        elapsed = time.monotonic() - started
        memory = server.worker_memory()
        # Read before the server is stopped: a worker stopping at shutdown is no death.
        log = server.log.read_text()
    deaths = worker_deaths(log)
    stored, finals = stored_updates(url, run_id)

    accepted = [w for client in writers + hot for w in client.accepted]
    missing = [w for w in accepted if w.comment not in stored]
    unacknowledged = len(stored) - (len(accepted) - len(missing))
    # Each deliverable must end where its last stored update (highest id) left it.
    last: dict[int, tuple] = {}
    for deliverable_id, status, percent, update_id in stored.values():
        if deliverable_id not in last or update_id > last[deliverable_id][2]:
            last[deliverable_id] = (status, percent, update_id)
    drifted = [d for d, (s, p, _) in last.items() if finals.get(d) != (s, p)]
    for tally, kind in ((reads, "reads"), (writes, "writer requests")):
        server_errors = sum(
            count for status, count in tally.statuses.items() if str(status)[0] == "5"
        )
        if server_errors:
            violations.append(f"{server_errors} {kind} answered 5xx")
        if tally.statuses["no answer"]:
            violations.append(f"{tally.statuses['no answer']} {kind} got no answer")
    if missing:
        violations.append(f"{len(missing)} accepted writes are not in progress_updates")
    if drifted:
        violations.append(f"{len(drifted)} deliverables do not match their last update")
    if deaths:
        violations.append(f"{len(deaths)} worker deaths in the server log")

    total = sum(reads.statuses.values()) + sum(writes.statuses.values())
    conflicts = sum(c.conflicts for c in writers + hot)
    refused = sum((w.refused for w in writers), Counter())
    backend = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    lines = [
        f"Load test {run_id} on {backend}, gunicorn {args.workers} workers, "
        f"rate limits in {redis_uri or 'each worker'}",
        f"  {elapsed:.0f} s, {total:,} requests ({total / elapsed:.0f}/s); {args.readers} "
        f"readers, {args.writers} writers, {args.hot} clients saving on one deliverable",
        f"  reads: {sum(reads.statuses.values()):,}, statuses {_statuses(reads)}, "
        f"p50 {percentile(reads.latencies, 0.5):.0f} ms, "
        f"p99 {percentile(reads.latencies, 0.99):.0f} ms",
        f"  writer requests: {sum(writes.statuses.values()):,}, statuses {_statuses(writes)}, "
        f"p50 {percentile(writes.latencies, 0.5):.0f} ms, "
        f"p99 {percentile(writes.latencies, 0.99):.0f} ms",
        f"  progress updates: {len(accepted)} accepted, {conflicts} refused as stale (409), "
        f"{sum(refused.values())} otherwise refused" + (f" {dict(refused)}" if refused else ""),
        f"  afterwards: {len(accepted) - len(missing)} of {len(accepted)} accepted updates "
        f"stored, {len(stored)} stored in all ({unacknowledged} not acknowledged to the "
        f"client), {len(last) - len(drifted)} of {len(last)} deliverables at their last update",
        "  worker peak memory (VmHWM): "
        + ", ".join(f"{m.get('VmHWM', 0) / 1024:.0f} MiB" for m in memory.values())
        + f"; worker deaths in the server log: {len(deaths)}",
    ]
    lines += [f"    {failure}" for failure in (reads.failures + writes.failures)[:10]]
    lines += [f"    {death}" for death in deaths[:10]]
    if deaths:
        kept = support.RESULTS / f"{name}-{run_id}.gunicorn.log"
        kept.write_text(log)
        lines.append(f"    the server's log is kept in {kept}")
    return Outcome(lines, violations, deaths)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60, help="how long each run lasts (60)")
    parser.add_argument("--runs", type=int, default=1, help="runs in a row, each fresh (1)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers (4)")
    parser.add_argument("--readers", type=int, default=20)
    parser.add_argument("--writers", type=int, default=5)
    parser.add_argument("--hot", type=int, default=20, help="clients saving on one deliverable")
    parser.add_argument("--scale", type=int, default=1, help="synthetic data scale (1)")
    parser.add_argument(
        "--provoke",
        action="store_true",
        help="CPython's debug allocator and a collector run every few allocations in the workers",
    )
    parser.add_argument(
        "--database", choices=("postgresql", "sqlite"), default="postgresql", help="(postgresql)"
    )
    args = parser.parse_args()

    redis_uri = None
    server_url = None
    if args.database == "postgresql":
        server_url = support.postgres_url(os.environ.get("DATABASE_URL") or DEFAULT_DATABASE)
        if not server_url.startswith("postgresql"):
            raise SystemExit("DATABASE_URL must name a PostgreSQL server.")
        # Several workers on PostgreSQL stand for a production deployment: shared rate limits.
        redis_uri = os.environ.get("RATELIMIT_STORAGE_URI") or DEFAULT_REDIS
        check_redis(redis_uri)
    failed = 0
    for number in range(1, args.runs + 1):
        print(f"Run {number} of {args.runs}: {args.seconds:g} s")
        name = f"workplan_load_{os.getpid()}_{number}"
        with support.scratch_database(args.database, name, server_url) as url:
            outcome = soak(url, args, redis_uri)
        print("\n".join(outcome.lines))
        if outcome.violations:
            failed += 1
            print("FAILED: " + "; ".join(outcome.violations))
        else:
            print("PASSED: no 5xx, no worker died, every request answered, every save stored.")
    if args.runs > 1:
        print(f"{args.runs - failed} of {args.runs} runs passed.")
    return 1 if failed else 0


def _statuses(tally: Tally) -> str:
    ordered = sorted(tally.statuses.items(), key=lambda item: str(item[0]))
    return ", ".join(f"{status}: {count:,}" for status, count in ordered)


def reader_targets(base: str, data, plan: dict, member: dict) -> list[tuple[str, dict, int]]:
    """What readers fetch, with weights: feeds most, as calendar servers poll most."""
    signed_in = {"Cookie": support.cookie_header(member)}
    _, found, _ = support.request(base + "/calendar/meetings.ics")
    etag = found.get("etag", "")
    targets = [
        ("/calendar/meetings.ics", {}, 6),
        ("/calendar/meetings.ics", {"If-None-Match": etag}, 6),
        (f"/calendar/private/{data.token}.ics", {}, 4),
        (f"/calendar/chairmanships/{data.chairmanship_id}.ics", {}, 2),
        ("/", {}, 3),
        ("/meetings/", {}, 3),
        ("/", signed_in, 2),
        ("/deliverables/", signed_in, 3),
        (f"/governments/{plan['government']}", signed_in, 1),
        (f"/reports/chairmanships/{data.chairmanship_id}", signed_in, 1),
    ]
    targets += [(f"/meetings/{m}", {}, 1) for m in plan["meetings"]]
    # Readers also read what the writers are changing.
    targets += [(f"/deliverables/{d}", signed_in, 1) for d in data.deliverable_ids[:8]]
    return targets


if __name__ == "__main__":
    sys.exit(main())
