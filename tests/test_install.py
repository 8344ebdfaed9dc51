"""An installed copy serves as a checkout does (issue 21): `pip install .` builds a wheel that
carries the templates, the static files, the compiled catalogues and the migrations.

The wheel is built from this checkout, installed into a fresh virtual environment outside it
(its dependencies borrowed from the project's environment, so nothing else is downloaded), and
served by gunicorn from an empty folder: the schema comes from the packaged migrations and a
French page from the packaged catalogue. Then one catalogue is taken away, and production
refuses to start, saying what is missing.
"""

import os
import secrets
import subprocess
import sys
import sysconfig
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS = ROOT / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

import _support as support  # noqa: E402


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A fresh virtual environment with the wheel built from this checkout installed."""
    work = tmp_path_factory.mktemp("install")
    wheels = work / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(wheels), str(ROOT)],
        check=True,
        timeout=300,
    )
    (wheel,) = wheels.glob("gfmd_workplan-*.whl")
    venv = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    packages = Path(
        subprocess.run(
            [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    # The dependencies come from the project's environment; the package itself from the wheel.
    (packages / "borrowed.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--no-index",
            "--target",
            str(packages),
            str(wheel),
        ],
        check=True,
        timeout=300,
    )
    return venv


def _environment(folder: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WORKPLAN_", "FLASK_"))}
    env.pop("PYTHONPATH", None)
    env.update(
        WORKPLAN_CONFIG="production",
        SECRET_KEY=secrets.token_hex(32),
        DATABASE_URL=f"sqlite:///{folder / 'workplan.db'}",
        WORKPLAN_BASE_URL="http://127.0.0.1",
        WORKPLAN_INSTANCE_DIR=str(folder / "instance"),
        WORKPLAN_REQUIRE_TOTP="0",
    )
    return env


def test_the_wheel_serves_a_french_page_from_outside_the_checkout(installed, tmp_path):
    python = installed / "bin" / "python"
    env = _environment(tmp_path)
    where = subprocess.run(
        [python, "-c", "import workplan; print(workplan.__file__)"],
        cwd=tmp_path,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert where.startswith(str(installed)), where
    subprocess.run(
        [python, "-m", "flask", "--app", "workplan.wsgi", "db", "upgrade"],
        cwd=tmp_path,
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )
    port = support.free_port()
    log = tmp_path / "gunicorn.log"
    server = subprocess.Popen(  # noqa: S603  (our own gunicorn, fixed arguments)
        [
            python,
            "-m",
            "gunicorn",
            "-c",
            "python:workplan.gunicorn_conf",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--error-logfile",
            str(log),
        ],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, log.read_text()
            try:
                status, _, _ = support.request(base + "/healthz")
            except OSError:
                status = None
            if status == 200 or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        status, _, page = support.request(base + "/auth/login", headers={"Accept-Language": "fr"})
        assert status == 200
        assert "Se connecter" in page.decode() and 'lang="fr"' in page.decode()
        assert support.request(base + "/static/app.css")[0] == 200
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_an_incomplete_installation_refuses_to_start(installed, tmp_path):
    python = installed / "bin" / "python"
    env = _environment(tmp_path)
    find = "import workplan, pathlib; print(pathlib.Path(workplan.__file__).parent)"
    package = Path(
        subprocess.run(
            [python, "-c", find], cwd=tmp_path, env=env, check=True, capture_output=True, text=True
        ).stdout.strip()
    )
    # Only ever the installed copy's catalogue is taken away, never the checkout's.
    assert package.is_relative_to(installed), package
    catalogue = package / "translations" / "es" / "LC_MESSAGES" / "messages.mo"
    kept = catalogue.read_bytes()
    catalogue.unlink()
    try:
        started = subprocess.run(
            [python, "-c", "from workplan import create_app; create_app()"],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
        )
    finally:
        catalogue.write_bytes(kept)
    assert started.returncode != 0
    assert "This installation is incomplete" in started.stderr
    assert "es/LC_MESSAGES" in started.stderr


def test_an_installed_copy_keeps_its_state_in_the_working_directory(installed, tmp_path):
    """Without WORKPLAN_INSTANCE_DIR, the SQLite default and other state go to instance/ in the
    working directory, never into the installed package."""
    env = _environment(tmp_path)
    del env["WORKPLAN_INSTANCE_DIR"], env["DATABASE_URL"]
    env["WORKPLAN_CONFIG"] = "development"
    subprocess.run(
        [installed / "bin" / "python", "-m", "flask", "--app", "workplan.wsgi", "db", "upgrade"],
        cwd=tmp_path,
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )
    assert (tmp_path / "instance" / "workplan.db").exists()
    assert not list(installed.rglob("instance"))
