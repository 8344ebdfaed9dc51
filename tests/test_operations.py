"""Operations: Prometheus metrics at /metrics, JSON logs, and rotating SECRET_KEY without
signing anyone out."""

import io
import json
import logging
import os
import sys
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.factories import PASSWORD
from workplan import create_app

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

import _support as support  # noqa: E402


def _samples(text: str, name: str) -> dict[tuple, float]:
    """A metric's samples by their labels' values, from the exposition text."""
    found = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name:
                found[tuple(sorted(sample.labels.items()))] = sample.value
    return found


def _count(client, name: str, **labels) -> float:
    text = client.get("/metrics").get_data(as_text=True)
    return _samples(text, name).get(tuple(sorted(labels.items())), 0.0)


def test_metrics_count_requests_by_route_for_this_machine_only(app, client):
    """From loopback the counts are there, and each request adds one; from elsewhere, a 404."""
    health = {"endpoint": "main.healthz", "method": "GET", "status": "200"}
    before = _count(client, "workplan_requests_total", **health)
    client.get("/healthz")
    client.get("/healthz")
    assert _count(client, "workplan_requests_total", **health) == before + 2
    response = client.get("/metrics")
    assert response.headers["Content-Type"].startswith("text/plain")
    assert "workplan_request_seconds_bucket" in response.get_data(as_text=True)
    outsider = client.get("/metrics", environ_base={"REMOTE_ADDR": "203.0.113.9"})
    assert outsider.status_code == 404


def test_a_monitoring_server_elsewhere_reads_metrics_with_the_token(app, database_url):
    watched = create_app("testing", SQLALCHEMY_DATABASE_URI=database_url, METRICS_TOKEN="s3cret")
    client = watched.test_client()
    away = {"REMOTE_ADDR": "198.51.100.4"}
    right = client.get("/metrics", environ_base=away, headers={"Authorization": "Bearer s3cret"})
    assert right.status_code == 200 and "workplan_requests_total" in right.text
    wrong = client.get("/metrics", environ_base=away, headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 404


def test_feed_answers_and_failed_sign_ins_are_counted(app, client, make):
    """A feed built, then kept, then not modified; a wrong password is a security event."""
    make.meeting()

    def feeds(answer):
        return _count(client, "workplan_feed_answers_total", answer=answer)

    start = {answer: feeds(answer) for answer in ("built", "cached", "not_modified")}
    first = client.get("/calendar/meetings.ics")
    client.get("/calendar/meetings.ics")
    client.get("/calendar/meetings.ics", headers={"If-None-Match": first.headers["ETag"]})
    assert {a: feeds(a) - start[a] for a in start} == {
        "built": 1,
        "cached": 1,
        "not_modified": 1,
    }
    failed = _count(client, "workplan_security_events_total", event="failed login")
    client.post("/auth/login", data={"email": "nobody@example.org", "password": "wrong guess"})
    assert _count(client, "workplan_security_events_total", event="failed login") == failed + 1


def test_metrics_add_up_across_gunicorn_workers(app, database_url, tmp_path):
    """With PROMETHEUS_MULTIPROC_DIR, /metrics sums every worker's counts."""
    folder = tmp_path / "prometheus"
    folder.mkdir()
    env = {"PROMETHEUS_MULTIPROC_DIR": str(folder)}

    def workers_counting() -> int:
        return len({p.name for p in folder.glob("counter_*.db")})

    def health() -> None:
        with urllib.request.urlopen(server.base + "/healthz") as answer:  # noqa: S310
            assert answer.status == 200

    with support.gunicorn(database_url, f"metrics-{os.getpid()}", workers=2, **env) as server:

        def health_count() -> float:
            with urllib.request.urlopen(server.base + "/metrics") as answer:  # noqa: S310
                text = answer.read().decode()
            labels = {"endpoint": "main.healthz", "method": "GET", "status": "200"}
            return _samples(text, "workplan_requests_total").get(tuple(sorted(labels.items())))

        before = health_count() or 0
        sent = 0
        # Requests at the same time, until both workers have answered some (one worker alone
        # can take a slow trickle of them all).
        with ThreadPoolExecutor(max_workers=8) as pool:
            while sent < 800 and (sent < 30 or workers_counting() < 2):
                list(pool.map(lambda _: health(), range(16)))
                sent += 16
        after = health_count()
    assert workers_counting() >= 2
    assert after - before == sent


@pytest.fixture
def app_logger_restored():
    """The app's logger is shared by every app in this process: put its handlers back."""
    logger = logging.getLogger("workplan")
    handlers = list(logger.handlers)
    yield
    logger.handlers[:] = handlers


def test_logs_can_be_json_lines(app_logger_restored, database_url, make):
    """WORKPLAN_LOG_FORMAT=json: each line is one object with time, level, logger, message."""
    logged = create_app("testing", SQLALCHEMY_DATABASE_URI=database_url, LOG_FORMAT="json")
    stream = io.StringIO()
    logged.test_client().post(
        "/auth/login",
        data={"email": "nobody@example.org", "password": "wrong guess"},
        environ_overrides={"wsgi.errors": stream},
    )
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    event = next(line for line in lines if "failed login" in line["message"])
    assert event["level"] == "WARNING" and event["logger"] == "workplan"
    assert datetime.fromisoformat(event["time"]).utcoffset() == timedelta(0)


def test_rotating_the_secret_key_signs_nobody_out(database_url, make):
    """A session signed with the former key still works while it is a fallback."""
    old, new = "o" * 64, "n" * 64
    user = make.user()
    before = create_app("testing", SQLALCHEMY_DATABASE_URI=database_url, SECRET_KEY=old)
    signed_in = before.test_client()
    signed_in.post("/auth/login", data={"email": user.email, "password": PASSWORD})
    cookie = signed_in.get_cookie("session").value

    def visit(**settings):
        rotated = create_app("testing", SQLALCHEMY_DATABASE_URI=database_url, **settings)
        client = rotated.test_client()
        client.set_cookie("session", cookie)
        return client.get("/account/security").status_code

    assert visit(SECRET_KEY=new, SECRET_KEY_FALLBACKS=[old]) == 200
    assert visit(SECRET_KEY=new) == 302
