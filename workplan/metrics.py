"""Prometheus metrics at /metrics: requests and their latency by route, calendar feed answers
(304, from the cache, or built), and security events (failed sign-ins, wrong codes, refused
forms).

/metrics answers only a request from this machine, or one that carries the metrics token
(`Authorization: Bearer $WORKPLAN_METRICS_TOKEN`); to anyone else it does not exist. Each
gunicorn worker counts on its own: with PROMETHEUS_MULTIPROC_DIR naming an empty folder, every
worker writes its counts there and /metrics adds them up (gunicorn.conf.py tells the library
when a worker exits).
"""

import hmac
import ipaddress
import os
import time

from flask import Flask, Response, abort, current_app, g, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)

REQUESTS = Counter(
    "workplan_requests_total",
    "HTTP requests answered, by route, method and status.",
    ["endpoint", "method", "status"],
)
LATENCY = Histogram(
    "workplan_request_seconds",
    "Seconds taken to answer a request, by route.",
    ["endpoint"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
FEED_ANSWERS = Counter(
    "workplan_feed_answers_total",
    "Calendar feed answers: not_modified (304), cached (body kept), built (body made).",
    ["answer"],
)
SECURITY_EVENTS = Counter(
    "workplan_security_events_total",
    "Security events, as the log names them: failed login, wrong second-factor code...",
    ["event"],
)


def feed_answered(answer: str) -> None:
    """Count a feed answer: "not_modified", "cached" or "built"."""
    FEED_ANSWERS.labels(answer).inc()


def security_event(what: str) -> None:
    """Count a security event by its name."""
    SECURITY_EVENTS.labels(what).inc()


def _may_read() -> bool:
    token = current_app.config.get("METRICS_TOKEN")
    if token and hmac.compare_digest(
        request.headers.get("Authorization", "").encode(), f"Bearer {token}".encode()
    ):
        return True
    try:
        return ipaddress.ip_address(request.remote_addr or "").is_loopback
    except ValueError:
        return False


def _exposition() -> bytes:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry)
    return generate_latest(REGISTRY)


def metrics():
    """The counts in Prometheus's text format, for this machine or the token's holder."""
    if not _may_read():
        abort(404)
    response = Response(_exposition(), content_type=CONTENT_TYPE_LATEST)
    response.headers["Cache-Control"] = "no-store"
    return response


def register(app: Flask) -> None:
    """Time and count every request, and serve /metrics."""

    @app.before_request
    def _start_clock():
        g.metrics_started = time.perf_counter()

    @app.after_request
    def _count(response):
        started = g.pop("metrics_started", None)
        endpoint = request.url_rule.endpoint if request.url_rule else "unmatched"
        REQUESTS.labels(endpoint, request.method, str(response.status_code)).inc()
        if started is not None:
            LATENCY.labels(endpoint).observe(time.perf_counter() - started)
        return response

    app.add_url_rule("/metrics", "metrics", metrics, methods=["GET"])
