"""A database restart under a running server is survived without restarting the application.

The shared embedded PostgreSQL must not be restarted under other processes, so this test starts
a private one (pgserver, in a throw-away folder), migrates it, runs gunicorn against it,
restarts PostgreSQL with pg_ctl, and asks the running server again.
"""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def _wait_for(url: str, deadline: float) -> int:
    while time.monotonic() < deadline:
        try:
            return _get(url)[0]
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer in time")


@pytest.fixture
def private_postgres():
    import pgserver
    from pgserver._commands import pg_ctl

    pgdata = ROOT / "var" / f"restart-test-{uuid.uuid4().hex[:8]}"
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    server = pgserver.get_server(pgdata, cleanup_mode="delete")
    try:
        server.psql("CREATE DATABASE goftar;")
        socket_dir = str(server.get_postmaster_info().socket_dir)

        def control(action):
            pg_ctl(["-w", "-m", "fast", action], pgdata=pgdata, user=server.system_user, timeout=30)

        yield f"postgres://postgres@{quote(socket_dir, safe='')}/goftar", control
    finally:
        server.cleanup()


def test_server_survives_a_database_restart_and_answers_503_while_it_is_down(private_postgres):
    database_url, control = private_postgres
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "CONN_MAX_AGE": "600",  # keep connections open across requests, as production does
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DEBUG": "0",  # the error handlers production has
    }
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "-v0"], cwd=ROOT, env=env, check=True, timeout=300
    )
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers=1", "--threads=1", f"--bind=127.0.0.1:{port}", "config.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}/health/"
    try:
        assert _wait_for(url, time.monotonic() + 60) == 200
        assert _get(url) == (200, "ok")  # the worker now holds an open connection
        control("restart")
        # The very first request after the restart already succeeds: the broken connection is
        # found by the health check and replaced, no application restart.
        assert _get(url) == (200, "ok")
        assert _get(url) == (200, "ok")
        # While the database is down, a page is a 503 with Retry-After, never a 500.
        control("stop")
        page = f"http://127.0.0.1:{port}/statements/"
        try:
            urllib.request.urlopen(page, timeout=10)
        except urllib.error.HTTPError as exc:
            assert exc.code == 503 and int(exc.headers["Retry-After"]) > 0
        else:
            raise AssertionError("a page answered 200 with the database down")
        control("restart")  # reuses the options the server was started with (postmaster.opts)
        assert _get(page)[0] == 200
        assert server.poll() is None
    finally:
        server.terminate()
        server.wait(timeout=30)
