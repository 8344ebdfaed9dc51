"""Real calendar clients against the running app: vdirsyncer syncs a feed over HTTP into a folder,
khal lists it, and gunicorn serves it with tokens kept out of its access log."""

import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest
from werkzeug.serving import make_server

from workplan import feeds
from workplan.extensions import db
from workplan.models import User

ROOT = Path(__file__).resolve().parent.parent
VIEWER_ZONE = "America/New_York"
MISSING = [name for name in ("vdirsyncer", "khal") if shutil.which(name) is None]
needs_clients = pytest.mark.skipif(
    bool(MISSING),
    reason=f"{' and '.join(MISSING)} not installed: apt-get install -y vdirsyncer khal "
    "(.ci/run installs them)",
)


@pytest.fixture
def live_server(app):
    """The app on a real HTTP server on 127.0.0.1, on a free port, for the test's duration."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


def run(command: list[str], env: dict, stdin: str = "") -> subprocess.CompletedProcess:
    """Run a client non-interactively; fail with its output when it fails."""
    result = subprocess.run(
        command, env=env, input=stdin, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, f"{command} failed:\n{result.stdout}\n{result.stderr}"
    return result


def client_env(home: Path) -> dict:
    """A clean environment whose home and XDG folders are the test's own."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "VDIRSYNCER"))}
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_DATA_HOME=str(home / ".local/share"),
        XDG_CACHE_HOME=str(home / ".cache"),
        LANG="C.UTF-8",
        LC_ALL="C.UTF-8",
        TZ="UTC",
    )
    return env


def vdirsyncer_pull(url: str, workdir: Path) -> tuple[Path, dict]:
    """Sync a feed over HTTP into a folder of .ics files, as a vdirsyncer user would."""
    folder = workdir / "calendar"
    folder.mkdir(parents=True)
    config = workdir / "vdirsyncer.conf"
    config.write_text(
        f"""[general]
status_path = "{workdir / "status"}"

[pair gfmd]
a = "gfmd_feed"
b = "gfmd_folder"
collections = null
conflict_resolution = "a wins"

[storage gfmd_feed]
type = "http"
url = "{url}"

[storage gfmd_folder]
type = "filesystem"
path = "{folder}"
fileext = ".ics"
"""
    )
    env = client_env(workdir)
    env["VDIRSYNCER_CONFIG"] = str(config)
    run(["vdirsyncer", "discover"], env, stdin="y\n" * 5)
    run(["vdirsyncer", "sync"], env)
    return folder, env


def khal_list(folder: Path, workdir: Path, first: date, last: date) -> subprocess.CompletedProcess:
    """khal's list of the folder's events, in the viewer's zone, one line per event."""
    config = workdir / "khal.conf"
    config.write_text(
        f"""[calendars]
[[gfmd]]
path = {folder}
type = calendar

[locale]
local_timezone = {VIEWER_ZONE}
default_timezone = {VIEWER_ZONE}
timeformat = %H:%M
dateformat = %Y-%m-%d
longdateformat = %Y-%m-%d
datetimeformat = %Y-%m-%d %H:%M
longdatetimeformat = %Y-%m-%d %H:%M

[default]
default_calendar = gfmd

[sqlite]
path = {workdir / "khal.db"}
"""
    )
    return run(
        [
            "khal",
            "-c",
            str(config),
            "list",
            "--once",
            "--day-format",
            "",
            "--format",
            "{url}|{start}|{end}|{cancelled}{title}",
            first.isoformat(),
            last.isoformat(),
        ],
        client_env(workdir),
    )


def viewer_time(moment: datetime) -> str:
    """An instant as khal should print it in the viewer's zone."""
    return moment.astimezone(ZoneInfo(VIEWER_ZONE)).strftime("%Y-%m-%d %H:%M")


@needs_clients
def test_vdirsyncer_syncs_a_private_feed_and_khal_lists_every_event_at_its_time(
    app, make, live_server, tmp_path, caplog
):
    """One file per event; every meeting at the right local time, due dates as all-day events,
    the cancelled one marked, hostile titles intact, no warning on stderr, no token in the log."""
    government = make.government(name="Bangladesh")
    roundtable = make.roundtable(co_chairs=[government], number="1.1")
    team = make.team(lead=government)
    meetings = [
        make.meeting(
            roundtable=roundtable,
            chairmanship=roundtable.chairmanship,
            title="Across the clock change",
            timezone="Europe/Zurich",
            starts_at=datetime(2030, 10, 26, 8, 0, tzinfo=UTC),
            ends_at=datetime(2030, 10, 28, 16, 0, tzinfo=UTC),
        ),
        make.meeting(
            team=team,
            title="Dhaka, all year; +06",
            timezone="Asia/Dhaka",
            city="Dhaka",
            starts_at=datetime(2030, 7, 1, 3, 0, tzinfo=UTC),
        ),
        make.meeting(
            team=team,
            title="Spring meeting\nBEGIN:VEVENT",
            timezone="America/Mexico_City",
            starts_at=datetime(2030, 3, 12, 15, 30, tzinfo=UTC),
        ),
        make.meeting(team=team, title="Called off", state="cancelled"),
    ]
    titles = [
        "RT 1.1: Across the clock change",
        "Dhaka, all year; +06",
        "Spring meeting BEGIN:VEVENT",
        "CANCELLED Cancelled: Called off",
    ]
    make.meeting(team=team, title="Still a draft", state="draft")
    deliverables = [
        make.deliverable(responsible=[government], owner=roundtable, due_on=date(2030, 9, 15)),
        make.deliverable(responsible=[government], owner=team, due_on=date(2030, 12, 1)),
    ]
    user = make.user(role="focal_point", government=government)
    with app.app_context():
        _, token = feeds.issue_token(db.session.get(User, user.id), "vdirsyncer")
        db.session.commit()

    with caplog.at_level("INFO", logger="werkzeug"):
        folder, _ = vdirsyncer_pull(f"{live_server}/calendar/private/{token}.ics", tmp_path)
    assert token not in caplog.text
    assert "/calendar/private/[redacted].ics" in caplog.text

    # vdirsyncer's http storage swaps every UID for a hash of the item, so events are matched
    # by their URL, which is as stable as the UID.
    files = sorted(folder.glob("*.ics"))
    meeting_urls = [f"{live_server}/meetings/{m.id}" for m in meetings]
    due_urls = [f"{live_server}/deliverables/{d.id}" for d in deliverables]
    assert len(files) == len(meeting_urls) + len(due_urls)
    synced = set()
    for path in files:
        events = icalendar.Calendar.from_ical(path.read_bytes()).events
        assert len(events) == 1, path.name
        synced.add(str(events[0]["URL"]))
    assert synced == {*meeting_urls, *due_urls}

    listing = khal_list(folder, tmp_path, date(2030, 1, 1), date(2031, 1, 1))
    assert listing.stderr == ""
    lines = {line.split("|", 1)[0]: line.split("|")[1:] for line in listing.stdout.splitlines()}
    assert len(listing.stdout.splitlines()) == len(files)
    assert set(lines) == synced
    for meeting, expected_title in zip(meetings, titles, strict=True):
        start, end, title = lines[f"{live_server}/meetings/{meeting.id}"]
        assert start == viewer_time(meeting.starts_at), meeting.title
        assert end == viewer_time(meeting.ends_at), meeting.title
        assert title == expected_title
    for deliverable in deliverables:
        start, _, title = lines[f"{live_server}/deliverables/{deliverable.id}"]
        assert start == deliverable.due_on.isoformat()
        assert title.startswith(f"Due: {deliverable.title}")


@needs_clients
def test_vdirsyncer_syncs_the_public_feed_one_file_per_meeting(make, live_server, tmp_path):
    """The public feed: published and cancelled meetings, one file each, drafts nowhere."""
    shown = [make.meeting(), make.meeting(state="cancelled"), make.meeting(timezone="Asia/Dhaka")]
    make.meeting(state="draft")
    folder, env = vdirsyncer_pull(f"{live_server}/calendar/meetings.ics", tmp_path)
    urls = [
        str(icalendar.Calendar.from_ical(p.read_bytes()).events[0]["URL"])
        for p in folder.glob("*.ics")
    ]
    assert sorted(urls) == sorted(f"{live_server}/meetings/{m.id}" for m in shown)
    # A second sync of an unchanged feed changes nothing.
    before = {p.name: p.read_bytes() for p in folder.glob("*.ics")}
    run(["vdirsyncer", "sync"], env)
    assert {p.name: p.read_bytes() for p in folder.glob("*.ics")} == before


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310  (our own server)
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except urllib.error.URLError:
        return 0  # not listening yet


def test_gunicorn_serves_feeds_and_keeps_tokens_out_of_its_access_log(
    app, make, database_url, tmp_path
):
    """gunicorn.conf.py's redaction, in a real gunicorn with two workers."""
    user = make.user()
    with app.app_context():
        _, token = feeds.issue_token(db.session.get(User, user.id), "gunicorn")
        db.session.commit()
    make.meeting()
    port = _free_port()
    log = tmp_path / "gunicorn.log"
    env = {**os.environ, "WORKPLAN_CONFIG": "testing", "TEST_DATABASE_URL": database_url}
    with log.open("w") as output:
        server = subprocess.Popen(  # noqa: S603  (fixed arguments)
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--config",
                str(ROOT / "gunicorn.conf.py"),
                "--bind",
                f"127.0.0.1:{port}",
            ],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while _get(f"{base}/healthz") != 200:
            assert server.poll() is None, log.read_text()
            assert time.monotonic() < deadline, "gunicorn did not start"
            time.sleep(0.2)
        for _ in range(4):
            assert _get(f"{base}/calendar/private/{token}.ics") == 200
        assert _get(f"{base}/calendar/private/{'B' * 43}.ics") == 404
        assert _get(f"{base}/calendar/meetings.ics") == 200
    finally:
        server.terminate()
        server.wait(timeout=30)
    text = log.read_text()
    assert token not in text
    assert text.count("/calendar/private/[redacted].ics") == 5
    assert "/calendar/meetings.ics" in text
