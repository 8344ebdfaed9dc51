"""`make bench`: requests per second, latency and SQL queries of the main routes, against the floor.

For each database (SQLite; PostgreSQL too when DATABASE_URL names one) and each scale (1 and 100
by default) this builds a fresh synthetic data set in a database of its own, counts the SQL
queries of each route in-process, times a cold build of a 4,000-event feed in a fresh process,
starts gunicorn with two workers on 127.0.0.1, and drives a bounded load on each route (wrk when
installed, otherwise Python threads). It prints one table, with each route's throughput as a
ratio to /healthz from the same run (the framework floor), and writes it to
benchmarks/results/latest.md.

    .venv/bin/python benchmarks/run.py [--scales 1,100] [--duration 6] [--connections 8]
"""

import argparse
import json
import math
import os
import platform
import secrets
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import _support as support
from _support import RESULTS, DataSet, LoadResult

# The targets, as ratios to the floor's requests per second from the same run.
TARGETS = {"feed304": 0.6, "feed200": 0.4, "html": 0.1}
P99_LIMIT_MS = 100.0
FEED_BUILD_LIMIT_MS = 300.0
MEMORY_LIMIT_MIB = 200
# A page slower than this for one request is measured by a fixed count of requests.
SLOW_SECONDS = 0.5


@dataclass
class Route:
    """A route the benchmark drives: what to ask, as whom, and which target applies."""

    label: str
    path: str
    kind: str  # floor, feed304, feed200, html, pdf
    role: str | None = None
    conditional: bool = False
    # The PDF takes seconds: two connections keep one request per worker instead of a queue.
    connections: int | None = None
    # Ask for gzip, as calendar servers (Google, Apple, Outlook) do.
    compressed: bool = False


ROUTES = [
    Route("/healthz (floor)", "/healthz", "floor"),
    Route("public feed, 200 (cached)", "/calendar/meetings.ics", "feed200"),
    Route("public feed, 200 (cached, gzip)", "/calendar/meetings.ics", "feed200", compressed=True),
    Route("public feed, 304", "/calendar/meetings.ics", "feed304", conditional=True),
    Route("private feed, 200 (cached)", "/calendar/private/{token}.ics", "feed200"),
    Route(
        "private feed, 200 (cached, gzip)",
        "/calendar/private/{token}.ics",
        "feed200",
        compressed=True,
    ),
    Route("dashboard (secretariat)", "/", "html", role="secretariat"),
    Route("practice search (anonymous)", "/practices/?q=remesas%20trabajadores", "html"),
    Route("deliverables list", "/deliverables/", "html", role="secretariat"),
    Route("meeting page with agenda", "/meetings/{meeting}", "html", role="secretariat"),
    Route(
        "chairmanship report",
        "/reports/chairmanships/{chairmanship}",
        "html",
        role="secretariat",
    ),
    Route(
        "chairmanship report PDF",
        "/reports/chairmanships/{chairmanship}.pdf",
        "pdf",
        role="secretariat",
        connections=2,
    ),
]


@dataclass
class Row:
    """One route's result in one run."""

    route: Route
    load: LoadResult | None = None
    queries: int | None = None
    status: int | None = None
    note: str = ""
    # The largest worker's peak resident memory after this route, MiB.
    peak_mib: float = 0.0


@dataclass
class Run:
    """One database at one scale."""

    database: str
    scale: int
    data: DataSet | None = None
    rows: list[Row] = field(default_factory=list)
    memory: dict[int, dict[str, int]] = field(default_factory=dict)
    memory_after_logins: dict[int, dict[str, int]] = field(default_factory=dict)
    boot_mib: float = 0.0
    feed_build: dict = field(default_factory=dict)
    seconds: float = 0.0
    # The machine's 1-minute load average before and after: other work skews every number.
    load_average: tuple[float, float] = (0.0, 0.0)

    def floor(self) -> float | None:
        for row in self.rows:
            if row.route.kind == "floor" and row.load:
                return row.load.rps
        return None


def path_for(route: Route, data: DataSet) -> str:
    return route.path.format(
        token=data.token, meeting=data.meeting_id, chairmanship=data.chairmanship_id
    )


def route_exists(app, path: str) -> bool:
    """Whether the app serves GET on this path (routes being built elsewhere may not exist)."""
    from werkzeug.exceptions import MethodNotAllowed, NotFound

    try:
        app.url_map.bind("localhost").match(path.partition("?")[0], method="GET")
    except (NotFound, MethodNotAllowed):
        return False
    return True


def count_queries(data: DataSet, secret_key: str) -> tuple[dict, str]:
    """Each route's SQL statements per request, measured in-process on the same data.

    Feeds are fetched once first, so the counted request is the cached one a poll gets. Also
    returns the secretariat's session cookie: signed with the server's key, it lets the load
    generator in without a password check in the workers (whose argon2id hash, 64 MiB, would
    otherwise sit in one worker's peak memory; the load test measures logins).
    """
    from sqlalchemy import event

    from workplan.extensions import db

    # The same key as gunicorn's; the cookie is not marked Secure so the test client keeps it.
    app = support.make_app(data.url, SECRET_KEY=secret_key, SESSION_COOKIE_SECURE=False)
    counts: dict[str, tuple[int | None, int | None]] = {}
    with app.app_context():
        engine = db.engine
    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    clients = {None: app.test_client()}
    secretariat = app.test_client()
    response = secretariat.post(
        "/auth/login",
        data={"email": data.accounts["secretariat"], "password": support.PASSWORD},
    )
    if response.status_code != 302:
        raise RuntimeError(f"In-process login answered {response.status_code}")
    clients["secretariat"] = secretariat
    for route in ROUTES:
        path = path_for(route, data)
        if not route_exists(app, path):
            counts[route.label] = (None, None)
            continue
        client = clients[route.role]
        headers = {}
        if route.kind in ("feed200", "feed304"):
            first = client.get(path)
            if route.conditional:
                headers["If-None-Match"] = first.headers.get("ETag", "")
        statements.clear()
        event.listen(engine, "before_cursor_execute", record)
        try:
            response = client.get(path, headers=headers)
        finally:
            event.remove(engine, "before_cursor_execute", record)
        counts[route.label] = (len(statements), response.status_code)
    cookie = secretariat.get_cookie(app.config["SESSION_COOKIE_NAME"])
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    return counts, f"{cookie.key}={cookie.value}"


def time_feed_build(url: str) -> dict:
    """Build feeds in a fresh process, so nothing is warm but the database connection."""
    output = subprocess.run(  # noqa: S603  (this script, run as a child)
        [sys.executable, __file__, "--time-feed-build", url],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def _feed_build_child(url: str) -> None:
    """In the child: time one cold build of every meeting's feed, then warm ones, as JSON."""
    from sqlalchemy import text

    from workplan import feeds
    from workplan.extensions import db
    from workplan.models import Meeting

    app = support.make_app(url)
    result = {}
    with app.app_context():
        db.session.execute(text("SELECT 1"))  # the connection is open before the clock starts
        links = feeds.links()
        every = feeds.Scope(
            scope_key="benchmark-every-meeting",
            name="Every meeting",
            description="Every meeting, drafts included: the largest feed the data allows.",
            filename="every.ics",
            meetings=(Meeting.archived_at.is_(None),),
        )
        for name, scope in (("every", every), ("public", feeds.public_scope())):
            timings = []
            for _ in range(4):
                started = time.perf_counter()
                body = feeds.build_calendar(scope, links)
                timings.append((time.perf_counter() - started) * 1000)
                db.session.rollback()
            result[name] = {
                "events": body.count(b"BEGIN:VEVENT"),
                "bytes": len(body),
                "cold_ms": timings[0],
                "warm_ms": sorted(timings[1:])[1],
            }
        db.session.remove()
        db.engine.dispose()
    print(json.dumps(result))


def drive(server, route: Route, data: DataSet, cookie: str, args) -> Row:
    """Check one route answers as expected, warm it up, then measure it."""
    row = Row(route=route)
    url = server.base + path_for(route, data)
    headers = {}
    if route.role:
        headers["Cookie"] = cookie
    if route.compressed:
        headers["Accept-Encoding"] = "gzip"
    if route.conditional:
        _, found, _ = support.request(url, headers=headers)
        headers["If-None-Match"] = found.get("etag", "")
    status, _, _ = support.request(url, headers=headers, timeout=300)
    single = 0.0
    if route.kind != "pdf" and status in (200, 304):
        # Timed the second time: the first may build a feed the rest find cached.
        started = time.perf_counter()
        status, _, _ = support.request(url, headers=headers, timeout=300)
        single = time.perf_counter() - started
    row.status = status
    expected = 304 if route.conditional else 200
    if status == 404:
        row.note = "missing"
        return row
    if status != expected:
        row.note = f"answered {status}, not {expected}"
        return row
    connections = route.connections or args.connections
    if route.kind == "pdf" or (route.kind == "html" and single > SLOW_SECONDS):
        # Seconds per answer: a fixed number of requests, so the run ends when they are answered
        # instead of leaving a queue behind for the next route.
        each = 2 if route.kind == "pdf" else 1
        row.load = support.run_threads(url, 0, connections, headers, requests_each=each)
        row.note = f"{row.load.requests} requests on {connections} connections"
        return row
    if support.wrk_path() and not args.python_client:
        if args.warmup:
            support.run_wrk(url, args.warmup, connections, args.threads, headers)
        row.load = support.run_wrk(url, args.duration, connections, args.threads, headers)
    else:
        if args.warmup:
            support.run_threads(url, args.warmup, connections, headers)
        row.load = support.run_threads(url, args.duration, connections, headers)
    if connections != args.connections:
        row.note = f"{connections} connections"
    return row


def one_run(database: str, scale: int, args) -> Run:
    """Build, count, serve and measure one database at one scale."""
    run = Run(database=database, scale=scale)
    started = time.perf_counter()
    load_before = os.getloadavg()[0]
    name = f"workplan_bench_{database}_{scale}_{os.getpid()}"
    print(f"\n== {database}, scale {scale}", flush=True)
    with support.scratch_database(database, name, os.environ.get("DATABASE_URL")) as url:
        data = support.build_data_set(url, scale)
        run.data = data
        rows = data.counts
        print(
            f"   data set built in {data.seconds:.1f} s: {rows.get('meetings', 0):,} meetings, "
            f"{rows.get('deliverables', 0):,} deliverables, {rows.get('users', 0):,} users",
            flush=True,
        )
        secret_key = secrets.token_hex(32)
        counts, cookie = count_queries(data, secret_key)
        run.feed_build = time_feed_build(url)
        every = run.feed_build["every"]
        print(
            f"   cold build of a {every['events']:,}-event feed: {every['cold_ms']:.0f} ms "
            f"(warm {every['warm_ms']:.0f} ms)",
            flush=True,
        )
        log_name = f"bench_{database}_{scale}"
        with support.gunicorn(url, log_name, secret_key=secret_key) as server:
            run.boot_mib = peak_mib(server)
            for route in ROUTES:
                queries, in_process_status = counts[route.label]
                if queries is None:
                    row = Row(route=route, note="missing")
                else:
                    row = drive(server, route, data, cookie, args)
                    row.queries = queries
                    if in_process_status not in (200, 304):
                        row.note = f"counted on a {in_process_status} answer; {row.note}"
                row.peak_mib = peak_mib(server)
                run.rows.append(row)
                print(f"   {route.label:30} {describe(row)}", flush=True)
            run.memory = server.worker_memory()
            # Then what logins add: each verifies an argon2id hash that takes 64 MiB.
            for _ in range(4):
                support.login(server.base, data.accounts["member"])
            run.memory_after_logins = server.worker_memory()
    run.seconds = time.perf_counter() - started
    run.load_average = (load_before, os.getloadavg()[0])
    return run


def peak_mib(server) -> float:
    """The largest VmHWM among the workers, MiB."""
    return max((m.get("VmHWM", 0) / 1024 for m in server.worker_memory().values()), default=0)


def describe(row: Row) -> str:
    if row.load is None:
        return row.note
    load = row.load
    return (
        f"{load.rps:8.1f} req/s  p50 {load.p50_ms:7.1f} ms  p99 {load.p99_ms:7.1f} ms  "
        f"{row.queries} queries, worker peak {row.peak_mib:.0f} MiB"
        + (f"  ({load.errors} errors)" if load.errors else "")
        + (f"  [{row.note}]" if row.note else "")
    )


def verdict(row: Row, floor: float | None) -> str:
    """Which of the issue's targets the route meets, in a few words."""
    if row.load is None:
        return ""
    misses = []
    target = TARGETS.get(row.route.kind)
    # Judged on the ratio as printed, so a 0.40 in the table never reads as a miss of 0.4.
    if target and floor and round(row.load.rps / floor, 2) < target:
        misses.append(f"ratio < {target}")
    if row.route.kind != "pdf" and row.load.p99_ms >= P99_LIMIT_MS:
        misses.append(f"p99 ≥ {P99_LIMIT_MS:.0f} ms")
    if row.load.errors:
        misses.append(f"{row.load.errors} errors")
    note = f" ({row.note})" if row.note else ""
    if misses:
        return "miss: " + ", ".join(misses) + note
    return ("ok" if target or row.route.kind == "floor" else "no target") + note


def table(runs: list[Run]) -> list[list[str]]:
    """The rows of the one table, header first."""
    header = ["database", "scale", "route", "req/s", "p50 ms", "p99 ms", "queries", "× floor"]
    lines = [[*header, "targets"]]
    for run in runs:
        floor = run.floor()
        for row in run.rows:
            load = row.load
            ratio = load.rps / floor if load and floor else None
            lines.append(
                [
                    run.database,
                    str(run.scale),
                    row.route.label,
                    f"{load.rps:,.0f}"
                    if load and load.rps >= 10
                    else f"{load.rps:.1f}"
                    if load
                    else "",
                    f"{load.p50_ms:.1f}" if load else "",
                    f"{load.p99_ms:.1f}" if load and not math.isnan(load.p99_ms) else "",
                    "" if row.queries is None else str(row.queries),
                    "" if ratio is None else f"{ratio:.2f}",
                    verdict(row, floor) if load else row.note,
                ]
            )
    return lines


def machine(python_client: bool = False) -> str:
    """nproc, the CPU model, Python, and the load tool."""
    model = "unknown CPU"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    if python_client:
        tool = "Python threads"
    else:
        tool = "wrk" if support.wrk_path() else "Python threads (wrk not installed)"
    return (
        f"{os.cpu_count()} CPUs ({model}), Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}; load from {tool} on the same machine"
    )


def summary_lines(runs: list[Run]) -> list[str]:
    """Memory, feed build and time, one line each."""
    lines = []
    for run in runs:
        peaks = sorted(v.get("VmHWM", 0) / 1024 for v in run.memory.values())
        with_logins = sorted(v.get("VmHWM", 0) / 1024 for v in run.memory_after_logins.values())
        over = [p for p in peaks if p > MEMORY_LIMIT_MIB]
        steps, previous = [], run.boot_mib
        for row in run.rows:
            if row.peak_mib - previous >= 5:
                steps.append(f"+{row.peak_mib - previous:.0f} after {row.route.label}")
            previous = max(previous, row.peak_mib)
        every, public = run.feed_build.get("every", {}), run.feed_build.get("public", {})
        lines.append(
            f"{run.database}, scale {run.scale}: worker peak memory (VmHWM) "
            + ", ".join(f"{p:.0f} MiB" for p in peaks)
            + (f" (over the {MEMORY_LIMIT_MIB} MiB limit)" if over else "")
            + f" serving the routes (the largest {run.boot_mib:.0f} MiB after start"
            + (", " + ", ".join(steps) if steps else "")
            + "), "
            + ", ".join(f"{p:.0f} MiB" for p in with_logins)
            + " after four logins"
            + f"; cold feed build {every.get('events', 0):,} events "
            f"{every.get('cold_ms', float('nan')):.0f} ms (warm {every.get('warm_ms', 0):.0f} ms), "
            f"public feed {public.get('events', 0):,} events {public.get('cold_ms', 0):.0f} ms"
            + (
                f" — over the {FEED_BUILD_LIMIT_MS:.0f} ms target"
                if every.get("cold_ms", 0) > FEED_BUILD_LIMIT_MS and run.scale >= 100
                else ""
            )
            + f"; run took {run.seconds:.0f} s, load average "
            f"{run.load_average[0]:.1f} before and {run.load_average[1]:.1f} after"
        )
    return lines


def render_text(lines: list[list[str]]) -> str:
    widths = [max(len(line[i]) for line in lines) for i in range(len(lines[0]))]
    numeric = {3, 4, 5, 6, 7}
    out = []
    for n, line in enumerate(lines):
        cells = [
            cell.rjust(widths[i]) if i in numeric else cell.ljust(widths[i])
            for i, cell in enumerate(line)
        ]
        out.append("  ".join(cells).rstrip())
        if n == 0:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(out)


def render_markdown(lines: list[list[str]]) -> str:
    align = ["---", "---:", "---", "---:", "---:", "---:", "---:", "---:", "---"]
    out = ["| " + " | ".join(lines[0]) + " |", "| " + " | ".join(align) + " |"]
    out += ["| " + " | ".join(line) + " |" for line in lines[1:]]
    return "\n".join(out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", default="1,100", help="comma-separated (default 1,100)")
    parser.add_argument("--duration", type=float, default=6, help="seconds per route (6)")
    parser.add_argument("--warmup", type=float, default=1, help="seconds of warm-up per route")
    parser.add_argument("--connections", type=int, default=8, help="concurrent connections (8)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (2)")
    parser.add_argument(
        "--databases",
        default=None,
        help="sqlite,postgresql (default: sqlite, and postgresql when DATABASE_URL is set)",
    )
    parser.add_argument("--python-client", action="store_true", help="use threads, not wrk")
    parser.add_argument(
        "--output", default=str(RESULTS / "latest.md"), help="markdown file for the table"
    )
    parser.add_argument("--time-feed-build", metavar="URL", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.time_feed_build:
        _feed_build_child(args.time_feed_build)
        return 0

    scales = [int(s) for s in args.scales.split(",") if s.strip()]
    if args.databases:
        databases = [d.strip() for d in args.databases.split(",") if d.strip()]
    else:
        databases = ["sqlite"]
        if os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql")):
            databases.append("postgresql")
    if "postgresql" in databases and not os.environ.get("DATABASE_URL"):
        parser.error("PostgreSQL needs DATABASE_URL naming the server (a database is created).")

    started = time.perf_counter()
    runs = [one_run(database, scale, args) for database in databases for scale in scales]
    lines = table(runs)
    text_table = render_text(lines)
    notes = summary_lines(runs)
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    connections = f"{args.connections} connections, {args.duration:g} s per route"
    print()
    where = machine(args.python_client)
    print(f"GFMD work plan benchmark, {when}: {where}; {connections}")
    print()
    print(text_table)
    print()
    for note in notes:
        print(note)
    print(f"\nTotal {time.perf_counter() - started:.0f} s.")

    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    markdown = [
        f"Benchmark of {when} on {where}: gunicorn, 2 sync workers, production settings, "
        f"{connections} after {args.warmup:g} s of warm-up. Queries are SQL statements per "
        "request, counted in-process on the same data; × floor is requests per second divided "
        "by /healthz's in the same run.",
        "",
        render_markdown(lines),
        "",
        *[f"- {note}" for note in notes],
        "",
    ]
    output.write_text("\n".join(markdown), encoding="utf-8")
    print(f"Written to {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
