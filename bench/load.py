"""Load test: gunicorn on loopback, N concurrent clients for a bounded time, against list, search
and export endpoints. Reports throughput, latency percentiles and errors.

Run with ``manage.py bench --load`` (or ``python -m bench.load``) against a generated corpus. The
server uses the production settings module with a throwaway SECRET_KEY, binds 127.0.0.1 only and is
stopped (by its process id) when the run ends, whatever happens.
"""

from __future__ import annotations

import http.client
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlencode

BASE_DIR = Path(__file__).resolve().parent.parent
START_TIMEOUT = 30


@dataclass
class LoadResult:
    seconds: float
    clients: int
    workers: int
    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: int = 0
    error_samples: list[str] = field(default_factory=list)

    @property
    def requests(self) -> int:
        return sum(len(values) for values in self.latencies.values())

    def render(self) -> str:
        lines = [
            f"gunicorn on 127.0.0.1, {self.workers} workers x 4 threads, {self.clients} clients, {self.seconds:.0f} s: "
            f"{self.requests:,} requests, {self.requests / self.seconds:,.1f} req/s, {self.errors} errors "
            "(per-address limits for anonymous visitors raised: every client is 127.0.0.1)",
            "| endpoint | requests | req/s | p50 ms | p90 ms | p99 ms | max ms |",
            "|---|---:|---:|---:|---:|---:|---:|",
        ]
        everything = []
        for name, values in sorted(self.latencies.items()):
            everything += values
            lines.append(_line(name, values, self.seconds))
        if everything:
            lines.append(_line("all", everything, self.seconds))
        for sample in self.error_samples[:5]:
            lines.append(f"error: {sample}")
        return "\n".join(lines)


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def _line(name: str, values: list[float], seconds: float) -> str:
    return (
        f"| {name} | {len(values):,} | {len(values) / seconds:,.1f} | {statistics.median(values) * 1000:.1f} | "
        f"{_percentile(values, 0.9) * 1000:.1f} | {_percentile(values, 0.99) * 1000:.1f} | {max(values) * 1000:.1f} |"
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def endpoints(topic: int, date_from: str, date_to: str, official: int) -> list[tuple[str, str]]:
    """(name, path) of the requests the clients pick from at random."""
    subset = urlencode({"topic": topic, "said_on_from": date_from, "said_on_to": date_to})
    return [
        ("list first page", "/statements/"),
        ("list topic + dates", f"/statements/?{subset}"),
        ("search Persian", "/statements/?q=" + quote("گفتوگو")),
        ("search + filters", "/statements/?q=" + quote("تحریم") + f"&{subset}&language=fa"),
        # What a browser fetches after each list page: its facets, timeline and total.
        ("counts topic + dates", f"/statements/counts/?{subset}"),
        ("counts search + filters", "/statements/counts/?q=" + quote("تحریم") + f"&{subset}&language=fa"),
        ("export one official", f"/statements/export.csv?official={official}&said_on_from={date_from}"),
        ("API list topic + dates", f"/api/statements/?{subset}"),
    ]


@contextmanager
def serve(*, workers: int, threads: int = 1, say: Callable[[str], None] = print):
    """gunicorn with the production settings (plus the trivial view) on 127.0.0.1; yields the port.

    The server is stopped by its process group id when the block ends, whatever happens.
    """
    from django.conf import settings
    from django.db import connection

    port = _free_port()
    env = os.environ.copy()
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        # The same database as this process (production settings need it named), even a test
        # database named at run time.
        DATABASE_URL=database_url(connection.settings_dict),
        # This process's key: the page cursors the bench takes from its own pages are signed with it.
        SECRET_KEY=settings.SECRET_KEY,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="false",
        SECURE_HSTS_SECONDS="0",
        DEBUG="false",
        # Every client of the load test comes from 127.0.0.1: the per-address limits on anonymous
        # exports and API calls (tested in tests/common/test_hardening.py) would make it a test of
        # the limiter. They are raised for this server only, and say so in the report.
        GOFTAR_ANONYMOUS_EXPORTS_PER_HOUR="1000000",
        GOFTAR_API_ANONYMOUS_RATE="1000000/hour",
    )
    worker_class = (
        ["--threads", str(threads), "--worker-class", "gthread"] if threads > 1 else ["--worker-class", "sync"]
    )
    command = [
        sys.executable, "-m", "gunicorn", "config.wsgi:application",
        "--bind", f"127.0.0.1:{port}", "--workers", str(workers), *worker_class,
        "--timeout", "300", "--log-level", "warning",
    ]  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="goftar-bench-static-") as static_root:
        # Production settings serve hashed static files: collect them into a throwaway folder first.
        env["STATIC_ROOT"] = static_root
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=BASE_DIR, env=env, check=True
        )
        say(f"starting gunicorn on 127.0.0.1:{port} ({workers} worker(s) x {threads} thread(s))")
        server = subprocess.Popen(command, cwd=BASE_DIR, env=env, start_new_session=True)
        try:
            _wait_until_up(port, server)
            yield port
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()


class HttpClient:
    """One keep-alive HTTP connection to the benchmark server."""

    def __init__(self, port: int):
        self.port = port
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)

    def get(self, path: str, *, cookie: str = "") -> tuple[float, int, int]:
        """(seconds until the whole body is read, status, bytes); ``cookie`` signs a session in."""
        headers = {"Host": "127.0.0.1"} | ({"Cookie": cookie} if cookie else {})
        started = time.perf_counter()
        try:
            self.connection.request("GET", path, headers=headers)
            response = self.connection.getresponse()
            body = response.read()
        except (OSError, http.client.HTTPException):
            self.connection.close()
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=300)
            raise
        return time.perf_counter() - started, response.status, len(body)

    def close(self) -> None:
        self.connection.close()


def run_load(*, seconds: int = 60, clients: int = 16, workers: int | None = None, say: Callable[[str], None] = print):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT st.topic_id, count(*) FROM claims_statementtopic st GROUP BY 1 ORDER BY 2 DESC LIMIT 1")
        topic = cursor.fetchone()[0]
        cursor.execute("SELECT max(said_on) - 365, max(said_on) FROM claims_statement")
        date_from, date_to = (value.isoformat() for value in cursor.fetchone())
        cursor.execute("SELECT official_id FROM claims_statement WHERE official_id IS NOT NULL LIMIT 1")
        official = cursor.fetchone()[0]
    targets = endpoints(topic, date_from, date_to, official)
    workers = workers or max(2, (os.cpu_count() or 1) * 2)
    with serve(workers=workers, threads=4, say=say) as port:
        result = LoadResult(seconds=seconds, clients=clients, workers=workers)
        lock = threading.Lock()
        # Warm every worker's URL resolver, templates and connection.
        for _ in range(workers * 2):
            for _name, path in targets:
                _request(port, path)
        deadline = time.monotonic() + seconds
        say(f"{clients} clients for {seconds} s")

        def client(number: int) -> None:
            rng = random.Random(number)
            http_client = HttpClient(port)
            while time.monotonic() < deadline:
                name, path = rng.choice(targets)
                try:
                    elapsed, status, _size = http_client.get(path)
                    ok, problem = status == 200, f"{status} on {path}"
                except (OSError, http.client.HTTPException) as error:
                    elapsed, ok, problem = 0.0, False, f"{type(error).__name__}: {error} on {path}"
                with lock:
                    if ok:
                        result.latencies.setdefault(name, []).append(elapsed)
                    else:
                        result.errors += 1
                        result.error_samples.append(problem)
            http_client.close()

        threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        result.seconds = time.monotonic() - started
        return result


def _request(port: int, path: str) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        connection.request("GET", path, headers={"Host": "127.0.0.1"})
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def database_url(settings_dict: dict) -> str:
    """A DATABASE_URL for the database a connection's settings name (a socket folder or a host)."""
    user = quote(settings_dict.get("USER") or "", safe="")
    password = quote(settings_dict.get("PASSWORD") or "", safe="")
    credentials = f"{user}:{password}@" if password else f"{user}@"
    host = quote(settings_dict.get("HOST") or "", safe="")
    port = f":{settings_dict['PORT']}" if settings_dict.get("PORT") else ""
    return f"postgres://{credentials}{host}{port}/{quote(settings_dict['NAME'], safe='')}"


def _wait_until_up(port: int, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with status {server.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start in time")


if __name__ == "__main__":  # pragma: no cover
    import django

    sys.path.insert(0, str(BASE_DIR))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    django.setup()
    print(run_load(seconds=int(sys.argv[1]) if len(sys.argv) > 1 else 60).render())
