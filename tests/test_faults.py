"""Faults: an unreachable database gives a clear 503 and the app recovers by itself; a change
that fails half-way leaves nothing changed."""

import contextlib
import socket
import threading
from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from workplan import create_app
from workplan.extensions import db
from workplan.models import Chairmanship, Deliverable, ProgressUpdate
from workplan.services.progress import carry_over


class Proxy:
    """A TCP forwarder to the database that the test can cut and restore."""

    def __init__(self, target_host: str, target_port: int):
        self.target = (target_host, target_port)
        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        self.port = probe.getsockname()[1]
        probe.close()
        self.connections: list[socket.socket] = []
        self.listener = None

    def start(self):
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", self.port))
        self.listener.listen(16)
        threading.Thread(target=self._accept, args=(self.listener,), daemon=True).start()

    def _accept(self, listener):
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            self.connections += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source, sink):
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                with contextlib.suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)
                end.close()

    def cut(self):
        # shutdown() wakes the thread blocked in accept(); close() alone would not.
        with contextlib.suppress(OSError):
            self.listener.shutdown(socket.SHUT_RDWR)
        self.listener.close()
        for connection in self.connections:
            try:
                connection.shutdown(socket.SHUT_RDWR)
                connection.close()
            except OSError:
                pass
        self.connections.clear()


@pytest.fixture
def proxied_app(app, database_url):
    """The app talking to PostgreSQL through a proxy the test controls."""
    url = make_url(database_url)
    if url.get_backend_name() != "postgresql":
        pytest.skip("the outage test needs a database server (PostgreSQL) to cut off")
    proxy = Proxy(url.host or "127.0.0.1", url.port or 5432)
    proxy.start()
    proxied = url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    served = create_app("testing", SQLALCHEMY_DATABASE_URI=proxied)
    yield served, proxy
    proxy.cut()
    with served.app_context():
        db.session.remove()
        db.engine.dispose()


def test_outage_answers_503_and_recovers(proxied_app, make):
    """Database gone: pages and /healthz say 503 plainly; database back: all is well again."""
    app, proxy = proxied_app
    make.meeting(title="Steering Group")
    client = app.test_client()
    assert client.get("/healthz").status_code == 200
    assert client.get("/").status_code == 200
    proxy.cut()
    health = client.get("/healthz")
    assert health.status_code == 503
    assert health.get_json()["database"] == "unavailable"
    page = client.get("/")
    assert page.status_code == 503
    assert "briefly unavailable" in page.get_data(as_text=True)
    assert "Traceback" not in page.get_data(as_text=True)
    proxy.start()
    assert client.get("/healthz").status_code == 200
    assert "Steering Group" in client.get("/").get_data(as_text=True)


def test_failure_half_way_changes_nothing(app, make, monkeypatch):
    """Carry-over touches many rows; an error after some of them leaves every row as it was."""
    first = make.chairmanship(starts_on=date(2013, 1, 1), ends_on=date(2014, 6, 30))
    second = make.chairmanship(starts_on=date(2014, 7, 1), ends_on=date(2015, 12, 31))
    for _ in range(3):
        make.deliverable(chairmanship=first, owner=make.team(), status="in_progress")

    real_flush = db.session.flush

    def failing_flush(*args, **kwargs):
        real_flush(*args, **kwargs)
        raise RuntimeError("the disk filled up")

    with app.app_context():
        monkeypatch.setattr(db.session, "flush", failing_flush)
        with pytest.raises(RuntimeError):
            carry_over(
                db.session.get(Chairmanship, first.id),
                db.session.get(Chairmanship, second.id),
                None,
            )
        db.session.rollback()
        monkeypatch.undo()
        statuses = db.session.scalars(select(Deliverable.status)).all()
        assert sorted(statuses) == ["in_progress"] * 3
        assert db.session.scalar(select(func.count(ProgressUpdate.id))) == 0
