"""The documented deployment, served for real (issue 21): Debian's nginx with deploy/nginx.conf
(TLS with a certificate made here) in front of two gunicorn processes that share one
PostgreSQL database and one Redis.

- Sign-in throttling is shared: guesses spread over both processes count together.
- X-Forwarded-For is honoured only as the proxy writes it: the app sees the client nginx saw,
  and a client's own X-Forwarded-For header does not buy it a fresh count.
- A change saved through one process is on the other's pages and in its feeds at once.

It runs where the suite runs on PostgreSQL (as .ci/run's second pass does) and nginx and Redis
are there; elsewhere it is skipped, saying why.
"""

import datetime
import http.client
import os
import re
import secrets
import shutil
import ssl
import subprocess
import sys
import time
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import _support as support  # noqa: E402

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
REDIS = "redis://127.0.0.1:6379/13"
HOST = "workplan.example.org"


def _reasons_to_skip() -> str | None:
    if not (os.environ.get("TEST_DATABASE_URL") or "").startswith("postgresql"):
        return "the deployment test runs with the suite on PostgreSQL (TEST_DATABASE_URL)"
    if not Path(NGINX).exists():
        return "Debian's nginx is not installed (.ci/run installs it)"
    try:
        import redis

        redis.Redis.from_url(REDIS).ping()
    except Exception:  # noqa: BLE001  (any failure: no Redis to share counts in)
        return "no Redis at 127.0.0.1:6379"
    return None


SKIP = _reasons_to_skip()
pytestmark = pytest.mark.skipif(SKIP is not None, reason=SKIP or "")


def _certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for HOST, made with `cryptography` (already a dependency)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, HOST)])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(HOST)]), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


def _site(folder: Path, upstreams: list[int], http_port: int, https_port: int) -> Path:
    """deploy/nginx.conf as documented, with this run's ports and certificate."""
    site = (ROOT / "deploy" / "nginx.conf").read_text()
    cert, key = _certificate(folder)
    site = site.replace("server 127.0.0.1:8000;", f"server 127.0.0.1:{upstreams[0]};")
    site = site.replace("server 127.0.0.1:8001;", f"server 127.0.0.1:{upstreams[1]};")
    site = site.replace("listen 80;", f"listen 127.0.0.1:{http_port};")
    site = site.replace("listen 443 ssl;", f"listen 127.0.0.1:{https_port} ssl;")
    site = re.sub(r"ssl_certificate .*;", f"ssl_certificate {cert};", site)
    site = re.sub(r"ssl_certificate_key .*;", f"ssl_certificate_key {key};", site)
    path = folder / "site.conf"
    path.write_text(site)
    return path


@pytest.fixture
def deployment(tmp_path):
    """nginx on two free ports in front of two gunicorns on one fresh PostgreSQL database."""
    import redis

    redis.Redis.from_url(REDIS).flushdb()
    name = f"workplan_deploy_{os.getpid()}"
    with support.scratch_database("postgresql", name, os.environ["TEST_DATABASE_URL"]) as url:
        data = support.build_data_set(url, scale=1)
        key = secrets.token_hex(32)
        env = {
            "RATELIMIT_STORAGE_URI": REDIS,
            "WORKPLAN_TRUSTED_PROXIES": "1",
            "WORKPLAN_LOGIN_RATE_LIMIT": "3 per minute",
            "WORKPLAN_BASE_URL": f"https://{HOST}",
        }
        with (
            support.gunicorn(url, f"{name}-a", workers=1, secret_key=key, **env) as first,
            support.gunicorn(url, f"{name}-b", workers=1, secret_key=key, **env) as second,
        ):
            ports = [int(server.base.rsplit(":", 1)[1]) for server in (first, second)]
            http_port, https_port = support.free_port(), support.free_port()
            site = _site(tmp_path, ports, http_port, https_port)
            temp = tmp_path / "temp"
            temp.mkdir()
            main = tmp_path / "nginx.conf"
            run_as = "user root;\n" if os.geteuid() == 0 else ""
            main.write_text(
                f"{run_as}worker_processes 1;\npid {tmp_path}/nginx.pid;\n"
                f"error_log {tmp_path}/error.log;\nevents {{}}\nhttp {{\n"
                f"  access_log {tmp_path}/access.log;\n"
                f"  client_body_temp_path {temp}/body;\n  proxy_temp_path {temp}/proxy;\n"
                f"  fastcgi_temp_path {temp}/fastcgi;\n  uwsgi_temp_path {temp}/uwsgi;\n"
                f"  scgi_temp_path {temp}/scgi;\n"
                # The app must see nginx's record of the client, not the socket's peer: nginx
                # connects upstream from another loopback address than the client's.
                "  proxy_bind 127.0.0.2;\n"
                f"  include {site};\n}}\n"
            )
            nginx = subprocess.Popen(  # noqa: S603  (Debian's nginx, our own configuration)
                [NGINX, "-p", str(tmp_path), "-c", str(main), "-g", "daemon off;"],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            try:
                _wait_for(https_port, nginx, tmp_path / "error.log")
                yield {
                    "port": https_port,
                    "http_port": http_port,
                    "servers": (first, second),
                    "data": data,
                }
            finally:
                nginx.terminate()
                nginx.wait(timeout=30)


def _wait_for(port: int, nginx: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if nginx.poll() is not None:
            raise RuntimeError(f"nginx stopped: {log.read_text() if log.exists() else ''}")
        try:
            status, _, _ = _https(port, "GET", "/healthz")
        except OSError:
            status = None
        if status == 200:
            return
        time.sleep(0.2)
    raise RuntimeError("nginx did not answer in time")


def _https(port: int, method: str, path: str, headers: dict | None = None, body: str = ""):
    """A request to nginx over TLS as a browser at https://HOST/ would send it."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE  # the certificate was made a moment ago, for this test
    connection = http.client.HTTPSConnection("127.0.0.1", port, context=context, timeout=30)
    sent = {"Host": HOST, **(headers or {})}
    if body:
        sent["Content-Type"] = "application/x-www-form-urlencoded"
    connection.request(method, path, body=body or None, headers=sent)
    response = connection.getresponse()
    found = {}
    for key, value in response.getheaders():
        found.setdefault(key.lower(), []).append(value)
    answer = response.status, found, response.read()
    connection.close()
    return answer


def _login_form(port: int) -> tuple[str, str]:
    """A fresh sign-in form through nginx: its session cookie and CSRF token."""
    status, found, page = _https(port, "GET", "/auth/login")
    assert status == 200
    jar = support.cookies_from({"set-cookie": found.get("set-cookie", [])}, {})
    return support.cookie_header(jar), support.csrf_token(page)


def _guess(port: int, form: tuple[str, str], email: str, forwarded: str) -> int:
    cookie, token = form
    body = f"email={email}&password=wrong+guess&csrf_token={token}"
    headers = {
        "Cookie": cookie,
        "Referer": f"https://{HOST}/auth/login",
        "X-Forwarded-For": forwarded,
    }
    return _https(port, "POST", "/auth/login", headers, body)[0]


def _login_posts(server) -> float:
    """How many sign-in attempts this process answered, from its own /metrics."""
    status, _, text = support.request(server.base + "/metrics")
    assert status == 200
    return sum(
        sample.value
        for family in text_string_to_metric_families(text.decode())
        for sample in family.samples
        if sample.name == "workplan_requests_total"
        and sample.labels.get("endpoint") == "auth.login"
        and sample.labels.get("method") == "POST"
    )


def test_throttling_is_shared_and_forwarded_addresses_come_from_the_proxy(deployment):
    port = deployment["port"]
    form = _login_form(port)
    # Three guesses at one account, each claiming another address, spread over both processes.
    statuses = [_guess(port, form, "nobody@example.org", f"203.0.113.{n}") for n in range(1, 4)]
    assert statuses == [401, 401, 401]
    assert all(_login_posts(server) > 0 for server in deployment["servers"])
    # Another account from "another address": the address is the one nginx saw, already spent.
    assert _guess(port, form, "someone.else@example.org", "198.51.100.7") == 429
    first, second = deployment["servers"]
    log = first.log.read_text() + second.log.read_text()
    failed = [line for line in log.splitlines() if "Security: failed login" in line]
    assert failed and all(" from 127.0.0.1 " in line for line in failed), failed
    # Plain http is sent to https.
    connection = http.client.HTTPConnection("127.0.0.1", deployment["http_port"], timeout=30)
    connection.request("GET", "/auth/login", headers={"Host": HOST})
    redirect = connection.getresponse()
    assert redirect.status == 301
    assert redirect.getheader("Location") == f"https://{HOST}/auth/login"
    connection.close()
    assert _https(port, "GET", "/metrics")[0] == 404


def test_a_change_through_one_process_shows_at_once_on_the_other(deployment):
    first, second = deployment["servers"]
    data = deployment["data"]
    deliverable_id = data.deliverable_ids[0]
    feed = f"/calendar/private/{data.token}.ics"
    before = support.request(second.base + feed)[2].decode()  # the second process caches it
    jar = support.login(first.base, data.accounts["secretariat"])
    status, found, page = support.request(
        first.base + f"/deliverables/{deliverable_id}",
        headers={"Cookie": support.cookie_header(jar)},
    )
    assert status == 200
    support.cookies_from(found, jar)
    version = re.search(rb'name="version"[^>]*value="(\d+)"|value="(\d+)"[^>]*name="version"', page)
    comment = f"Saved through the first process {secrets.token_hex(4)}"
    form = {
        "status": "in_progress",
        "percent_complete": "37",
        "comment": comment,
        "version": (version.group(1) or version.group(2)).decode(),
        "csrf_token": support.csrf_token(page),
    }
    saved, _, _ = support.request(
        first.base + f"/deliverables/{deliverable_id}/progress",
        data=form,
        headers={"Cookie": support.cookie_header(jar)},
    )
    assert saved == 302
    shown = support.request(
        second.base + f"/deliverables/{deliverable_id}",
        headers={"Cookie": support.cookie_header(jar)},
    )[2].decode()
    assert comment in shown
    after = support.request(second.base + feed)[2].decode()
    assert "37% complete" in after and after != before
