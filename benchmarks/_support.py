"""What the benchmark and the load test share: databases, data sets, gunicorn, logins, wrk.

Everything here stays on loopback: the servers bind 127.0.0.1 and the clients only call it.
"""

import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
# `python benchmarks/run.py` puts benchmarks/ on the path; the app and config.py live one above.
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

RESULTS = ROOT / "benchmarks" / "results"
VENV_BIN = Path(sys.executable).parent
# Every synthetic account shares one password, new for each run: nothing fixed to guess.
PASSWORD = secrets.token_urlsafe(18)
LOOPBACK = "127.0.0.1"


def free_port() -> int:
    """A TCP port nobody listens on right now, on loopback."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOOPBACK, 0))
        return sock.getsockname()[1]


# Databases.


def postgres_url(url: str) -> str:
    """A DATABASE_URL with the driver SQLAlchemy is given in config.py (psycopg 3)."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _check_loopback(url: str) -> None:
    from sqlalchemy.engine import make_url

    host = make_url(url).host
    if host not in (None, "", "localhost", LOOPBACK, "::1"):
        raise SystemExit(f"Refusing to benchmark a database on {host}: only loopback is used.")


@contextmanager
def scratch_database(kind: str, name: str, server_url: str | None = None) -> Iterator[str]:
    """A fresh, empty database of our own, removed afterwards; yields its SQLAlchemy URL."""
    if kind == "sqlite":
        RESULTS.mkdir(parents=True, exist_ok=True)
        path = RESULTS / f"{name}.db"
        for leftover in RESULTS.glob(f"{name}.db*"):
            leftover.unlink()
        try:
            yield f"sqlite:///{path}"
        finally:
            for leftover in RESULTS.glob(f"{name}.db*"):
                leftover.unlink()
        return
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    server_url = postgres_url(server_url or "")
    _check_loopback(server_url)
    admin = create_engine(
        make_url(server_url).set(database="postgres"), isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def make_app(url: str, **overrides):
    """The app in-process on a given database, CSRF and rate limits off (no forms are posted)."""
    from workplan import create_app

    settings = {
        "SECRET_KEY": secrets.token_hex(16),
        "SQLALCHEMY_DATABASE_URI": url,
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "PUBLIC_BASE_URL": "http://127.0.0.1",
        "REQUIRE_TOTP_FOR": frozenset(),
    }
    settings.update(overrides)
    return create_app("production", **settings)


@dataclass
class DataSet:
    """A generated data set and the records the benchmark visits."""

    url: str
    scale: int
    seconds: float
    accounts: dict[str, str]
    token: str
    meeting_id: int
    chairmanship_id: int
    deliverable_ids: list[int] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


def build_data_set(url: str, scale: int, seed: int = 1) -> DataSet:
    """Migrate an empty database, generate `scale` units of data and pick what to visit.

    A focal point gets a private calendar address (stored hashed, as /account/calendar does);
    the meeting visited is a published roundtable session of the current chairmanship.
    """
    from flask_migrate import upgrade
    from sqlalchemy import select

    from workplan.extensions import db
    from workplan.models import (
        CalendarToken,
        Chairmanship,
        Deliverable,
        Meeting,
        User,
        deliverable_governments,
        utcnow,
    )
    from workplan.seed import synthetic
    from workplan.services.accounts import token_digest

    app = make_app(url)
    started = time.perf_counter()
    with app.app_context():
        upgrade()
        result = synthetic.generate(scale, seed=seed, password=PASSWORD)
        today = utcnow().date()
        current = db.session.scalar(
            select(Chairmanship)
            .where(Chairmanship.starts_on <= today)
            .order_by(Chairmanship.starts_on.desc())
        )
        meeting_id = db.session.scalar(
            select(Meeting.id)
            .where(
                Meeting.chairmanship_id == current.id,
                Meeting.state == "published",
                Meeting.kind == "roundtable_session",
            )
            .order_by(Meeting.id)
        )
        focal_point = db.session.scalar(
            select(User).where(User.email == result.sample_accounts["focal_point"])
        )
        token = secrets.token_urlsafe(32)
        db.session.add(
            CalendarToken(user=focal_point, label="Benchmark", token_hash=token_digest(token))
        )
        open_ids = db.session.scalars(
            select(Deliverable.id)
            .where(
                Deliverable.chairmanship_id == current.id,
                Deliverable.status.in_(("planned", "in_progress", "at_risk")),
            )
            .order_by(Deliverable.id)
        ).all()
        # The focal point answers for an open deliverable, so its private feed has due dates.
        if open_ids:
            government_id = db.session.scalar(
                select(deliverable_governments.c.government_id).where(
                    deliverable_governments.c.deliverable_id == open_ids[0]
                )
            )
            focal_point.government_id = government_id
        db.session.commit()
        data = DataSet(
            url=url,
            scale=scale,
            seconds=time.perf_counter() - started,
            accounts=dict(result.sample_accounts),
            token=token,
            meeting_id=meeting_id,
            chairmanship_id=current.id,
            deliverable_ids=list(open_ids),
            counts=dict(result.counts),
        )
        db.session.remove()
        db.engine.dispose()
    return data


# Gunicorn.


@dataclass
class Server:
    """A running gunicorn: its master process, address and log."""

    process: subprocess.Popen
    base: str
    log: Path

    def worker_pids(self) -> list[int]:
        """The worker processes of this master."""
        pids = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                status = (entry / "status").read_text()
            except OSError:
                continue
            match = re.search(r"^PPid:\s+(\d+)", status, re.MULTILINE)
            if match and int(match.group(1)) == self.process.pid:
                pids.append(int(entry.name))
        return sorted(pids)

    def worker_memory(self) -> dict[int, dict[str, int]]:
        """Each worker's peak and current resident memory (VmHWM, VmRSS) in KiB."""
        memory = {}
        for pid in self.worker_pids():
            try:
                status = (Path("/proc") / str(pid) / "status").read_text()
            except OSError:
                continue
            values = dict(re.findall(r"^(VmHWM|VmRSS):\s+(\d+) kB", status, re.MULTILINE))
            memory[pid] = {key: int(value) for key, value in values.items()}
        return memory


def server_environment(url: str, secret_key: str | None = None, **extra: str) -> dict[str, str]:
    """The environment gunicorn runs in: production settings on the given database.

    Production cookies are marked Secure; over plain http on loopback the clients here send
    them back themselves, which is what a TLS-terminating proxy in front would make possible.
    """
    env = dict(os.environ)
    # The load's clients sign in with a password alone, as no authenticator app stands by.
    env.setdefault("WORKPLAN_REQUIRE_TOTP", "0")
    env.update(
        WORKPLAN_CONFIG="production",
        SECRET_KEY=secret_key or secrets.token_hex(32),
        DATABASE_URL=url,
        PYTHONPATH=str(ROOT),
    )
    env.update(extra)
    return env


@contextmanager
def gunicorn(
    url: str, name: str, workers: int = 2, secret_key: str | None = None, **env: str
) -> Iterator[Server]:
    """gunicorn with the project's gunicorn.conf.py, `workers` sync workers, on loopback.

    Its error log is benchmarks/results/<name>.gunicorn.log, replaced by the next run's.
    """
    RESULTS.mkdir(parents=True, exist_ok=True)
    port = free_port()
    log = RESULTS / f"{name}.gunicorn.log"
    log.unlink(missing_ok=True)
    command = [
        str(VENV_BIN / "gunicorn"),
        "--config",
        str(ROOT / "gunicorn.conf.py"),
        "--chdir",
        str(ROOT),
        "--bind",
        f"{LOOPBACK}:{port}",
        "--workers",
        str(workers),
        # Access lines for tens of thousands of requests would only measure the disk.
        "--access-logfile",
        "/dev/null",
        "--error-logfile",
        str(log),
    ]
    process = subprocess.Popen(  # noqa: S603  (our own gunicorn, fixed arguments)
        command,
        cwd=ROOT,
        env=server_environment(
            url, secret_key, **{"WORKPLAN_BASE_URL": f"http://{LOOPBACK}:{port}", **env}
        ),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    server = Server(process=process, base=f"http://{LOOPBACK}:{port}", log=log)
    try:
        _wait_until_ready(server, workers)
        yield server
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_ready(server: Server, workers: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            tail = server.log.read_text()[-3000:] if server.log.exists() else ""
            raise RuntimeError(f"gunicorn stopped while starting:\n{tail}")
        try:
            status, _, _ = request(server.base + "/healthz")
        except OSError:
            status = None
        if status == 200 and len(server.worker_pids()) >= workers:
            return
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer /healthz within {timeout:.0f} s ({server.log})")


# HTTP on loopback, without following redirects and with cookies handled by hand.


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def request(
    url: str, data: dict | None = None, headers: dict | None = None, timeout: float = 60
) -> tuple[int, dict, bytes]:
    """One request; returns status, headers (with every Set-Cookie) and body."""
    if not url.startswith(f"http://{LOOPBACK}:"):
        raise ValueError(f"Only loopback addresses are called: {url}")
    body = urlencode(data).encode() if data is not None else None
    req = urllib.request.Request(url, data=body, headers=headers or {})  # noqa: S310
    try:
        response = _OPENER.open(req, timeout=timeout)
    except urllib.error.HTTPError as error:
        response = error
    with response:
        payload = response.read()
        found = {key.lower(): value for key, value in response.headers.items()}
        found["set-cookie"] = response.headers.get_all("Set-Cookie") or []
        return response.status, found, payload


def cookies_from(headers: dict, jar: dict[str, str]) -> dict[str, str]:
    """Keep the cookies a response sets (the Secure flag is ignored on purpose, see above)."""
    for line in headers.get("set-cookie", []):
        name, _, rest = line.partition("=")
        jar[name.strip()] = rest.split(";", 1)[0]
    return jar


def cookie_header(jar: dict[str, str]) -> str:
    """The Cookie header for a jar."""
    return "; ".join(f"{name}={value}" for name, value in jar.items())


_CSRF = re.compile(rb'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')


def csrf_token(html: bytes) -> str | None:
    """The CSRF token of the first form on a page."""
    match = _CSRF.search(html)
    if not match:
        return None
    return (match.group(1) or match.group(2)).decode()


def login(base: str, email: str, password: str = PASSWORD) -> dict[str, str]:
    """Log in through the real form (CSRF token included); returns the session's cookie jar."""
    jar: dict[str, str] = {}
    status, headers, page = request(base + "/auth/login")
    cookies_from(headers, jar)
    token = csrf_token(page)
    status, headers, _ = request(
        base + "/auth/login",
        data={"email": email, "password": password, "csrf_token": token or ""},
        headers={"Cookie": cookie_header(jar)},
    )
    if status != 302:
        raise RuntimeError(f"Logging in as {email} answered {status}, not a redirect")
    return cookies_from(headers, jar)


# Load generators: wrk when installed, otherwise threads.


@dataclass
class LoadResult:
    """Throughput and latency of one bounded run against one URL."""

    requests: int
    seconds: float
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int
    tool: str


def wrk_path() -> str | None:
    """wrk, if this machine has it."""
    return shutil.which("wrk")


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _duration_ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text.strip())
    if not match:
        raise ValueError(f"Unreadable wrk duration: {text!r}")
    return float(match.group(1)) * _UNITS[match.group(2)]


def parse_wrk(output: str) -> LoadResult:
    """Requests per second, p50 and p99 and error counts from `wrk --latency` output."""
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    total = re.search(r"(\d+) requests in ([\d.]+)(us|ms|s|m)", output)
    p50 = re.search(r"^\s+50%\s+(\S+)", output, re.MULTILINE)
    p99 = re.search(r"^\s+99%\s+(\S+)", output, re.MULTILINE)
    non_ok = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    errors = int(non_ok.group(1)) if non_ok else 0
    if socket_errors:
        # A sync worker closes each connection after answering; wrk counts some of those
        # closes as read errors although the answer arrived. Connects and timeouts are real.
        errors += int(socket_errors.group(1)) + int(socket_errors.group(4))
    return LoadResult(
        requests=int(total.group(1)),
        seconds=_duration_ms(total.group(2) + total.group(3)) / 1000,
        rps=rps,
        p50_ms=_duration_ms(p50.group(1)) if p50 else float("nan"),
        p99_ms=_duration_ms(p99.group(1)) if p99 else float("nan"),
        errors=errors,
        tool="wrk",
    )


def run_wrk(
    url: str, seconds: float, connections: int, threads: int, headers: dict[str, str]
) -> LoadResult:
    """A bounded wrk run with its latency distribution."""
    command = [
        wrk_path(),
        f"-t{min(threads, connections)}",
        f"-c{connections}",
        f"-d{max(1, round(seconds))}s",
        "--timeout",
        "60s",
        "--latency",
    ]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    command.append(url)
    output = subprocess.run(  # noqa: S603  (wrk with our own arguments)
        command, capture_output=True, text=True, check=True, timeout=seconds + 120
    ).stdout
    return parse_wrk(output)


def run_threads(
    url: str,
    seconds: float,
    connections: int,
    headers: dict[str, str],
    requests_each: int | None = None,
) -> LoadResult:
    """The same measurement with Python threads, one connection per request as wrk does here.

    Runs for `seconds`, or, given `requests_each`, until each connection has made that many
    requests: routes that take seconds per answer are measured by count, not by time.
    """
    import http.client
    import threading
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def more(done: int) -> bool:
        if requests_each is not None:
            return done < requests_each
        return time.monotonic() < deadline

    def client() -> None:
        mine, failed = [], 0
        while more(len(mine)):
            started = time.perf_counter()
            try:
                connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=300)
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
                connection.close()
                ok = response.status < 400
            except OSError:
                ok = False
            mine.append(time.perf_counter() - started)
            failed += not ok
        with lock:
            latencies.extend(mine)
            errors[0] += failed

    started = time.monotonic()
    workers = [threading.Thread(target=client) for _ in range(connections)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.monotonic() - started
    latencies.sort()

    def percentile(q: float) -> float:
        if not latencies:
            return float("nan")
        return latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000

    return LoadResult(
        requests=len(latencies),
        seconds=elapsed,
        rps=len(latencies) / elapsed if elapsed else 0.0,
        p50_ms=percentile(0.50),
        p99_ms=percentile(0.99),
        errors=errors[0],
        tool="python",
    )
