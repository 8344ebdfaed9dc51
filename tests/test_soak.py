"""Issue 22: gunicorn's workers survive concurrent writes, and a crash cannot pass unseen.

A short version of benchmarks/load.py runs here on the suite's database (SQLite, or PostgreSQL
with TEST_DATABASE_URL): several sync workers, readers, writers and clients sharing one sign-in
that all save on one deliverable. It fails on a 5xx, an unanswered request, a lost save, or a
worker death in the server's log. A worker is then killed with SIGSEGV on purpose, to show that
the death is found in the log and that faulthandler left the crash's Python traceback there.
"""

import os
import signal
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

import _support as support  # noqa: E402
import load  # noqa: E402


def test_workers_survive_concurrent_writes(app, database_url):
    """Three workers under concurrent saves on one deliverable: nothing lost, nobody dies."""
    args = SimpleNamespace(scale=1, seconds=15, workers=3, readers=4, writers=2, hot=8)
    outcome = load.soak(database_url, args)
    report = "\n".join(outcome.lines)
    assert outcome.violations == [], report
    accepted = next(line for line in outcome.lines if "progress updates:" in line)
    assert not accepted.strip().startswith("progress updates: 0 accepted"), report


def test_a_crashed_worker_is_found_with_its_traceback(app, database_url):
    """SIGSEGV sent to a worker: the log says so, and holds the Python stack it died in."""
    with support.gunicorn(database_url, f"crash-{os.getpid()}", workers=2) as server:
        victim = server.worker_pids()[0]
        os.kill(victim, signal.SIGSEGV)
        deadline = time.monotonic() + 20
        while victim in server.worker_pids() and time.monotonic() < deadline:
            time.sleep(0.1)
        log = server.log.read_text()
        while "was sent SIGSEGV" not in log and time.monotonic() < deadline:
            time.sleep(0.1)
            log = server.log.read_text()
    deaths = load.worker_deaths(log)
    assert any(f"Worker (pid:{victim}) was sent SIGSEGV" in line for line in deaths), log
    assert "Fatal Python error: Segmentation fault" in log
    # faulthandler's traceback names the frames the worker was in (gunicorn's wait loop).
    assert 'File "' in log.split("Fatal Python error: Segmentation fault", 1)[1], log


@pytest.mark.parametrize(
    ("line", "death"),
    [
        ("[2026-12-01 10:00:00 +0000] [7] [WARNING] Worker (pid:9) was sent SIGSEGV!", True),
        ("[2026-12-01 10:00:00 +0000] [7] [ERROR] Worker (pid:9) was sent SIGKILL! Perhaps", True),
        ("[2026-12-01 10:00:00 +0000] [7] [CRITICAL] WORKER TIMEOUT (pid:9)", True),
        ("[2026-12-01 10:00:00 +0000] [7] [ERROR] Worker (pid:9) exited with code 1.", True),
        ("Fatal Python error: Segmentation fault", True),
        ("[2026-12-01 10:00:00 +0000] [9] [INFO] Booting worker with pid: 9", False),
        ("[2026-12-01 10:00:00 +0000] [9] [INFO] Worker exiting (pid: 9)", False),
    ],
)
def test_what_counts_as_a_death(line, death):
    """gunicorn's own wording of a death, and lines that are not one."""
    assert bool(load.worker_deaths(f"noise\n{line}\nnoise")) is death
