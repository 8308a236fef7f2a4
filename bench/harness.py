"""The benchmark's orchestration: the corpus's filters, the clients, the server, the scenarios in turn.

Each scenario group is a module of bench.scenarios; each adds rows to one Report (bench.report).
Pages are timed over HTTP against gunicorn (one sync worker, production settings: the bars' "whole
request server time", docs/benchmarks.md) and, the same request again, in this process through
Django's test Client with ``bench.urls`` as ROOT_URLCONF, which sees the SQL each page runs
(bench.capture). ``--no-http`` times in process only.
"""

from __future__ import annotations

import datetime
import os
import subprocess
import sys
import time
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import override_settings

from bench.bars import PAGE_SAMPLES
from bench.capture import SqlCapture, page_queries, replay_raw
from bench.report import Report

GROUPS = ("list", "detail", "api", "admin", "facets", "export", "import")
# Groups timed while the gunicorn server runs.
SERVED_GROUPS = ("list", "detail", "api", "admin")

SEARCH_COMMON = "گفتوگو"  # the joined spelling: must also find گفت‌وگو and گفتگو
SEARCH_RARE = "خرازی"
SEARCH_WITH_FILTERS = "تحریم"


@dataclass
class Measured:
    """One URL timed ``repeat`` times over HTTP, each time also requested in process for its SQL."""

    samples: list[float] = field(default_factory=list)
    in_process: list[float] = field(default_factory=list)
    sql_seconds: list[float] = field(default_factory=list)
    raw_seconds: list[float] = field(default_factory=list)
    page_raw_seconds: list[float] = field(default_factory=list)
    counts: set[int] = field(default_factory=set)
    capture: SqlCapture | None = None

    @property
    def queries(self) -> int:
        return max(self.counts) if self.counts else 0


class Bench:
    def __init__(
        self, *, repeat: int = 5, quick: bool = False, explain: bool = False, say: Callable[[str], None] = print
    ):
        self.repeat = repeat
        self.page_repeat = repeat if quick else max(repeat, PAGE_SAMPLES)
        self.quick = quick
        self.explain = explain
        self.http = None
        self.say = say
        self.report = Report()

    def run(self, *, http: bool = True, only: set[str] | None = None) -> Report:
        from bench.load import HttpClient, serve
        from bench.scenarios import admin, api, details, exports, facets, imports, pages

        def wanted(group: str) -> bool:
            return not only or group in only

        self.report.info.update(machine_info())
        overrides = {"ROOT_URLCONF": "bench.urls", "DEBUG": False, "ALLOWED_HOSTS": ["testserver", "localhost"]}
        with override_settings(**overrides):
            self._users()
            self.choose_filters()
            self.say(f"corpus: {self.total:,} statements; subset {self.subset}")
            with serve(workers=1, threads=1, say=self.say) if http else nullcontext() as port:
                if port:
                    self.http = HttpClient(port)
                    self.report.info["pages_timed_over"] = "HTTP (gunicorn, 1 sync worker, production settings)"
                else:
                    self.report.info["pages_timed_over"] = "Django test Client (in process)"
                pages.trivial(self)
                for group, module in (("list", pages), ("detail", details), ("api", api), ("admin", admin)):
                    if wanted(group):
                        module.run(self)
                if self.http:
                    self.http.close()
                    self.http = None
            for group, module in (("facets", facets), ("export", exports), ("import", imports)):
                if wanted(group):
                    module.run(self)
        return self.report

    # -- clients and requests -------------------------------------------------------------------

    def _users(self):
        from django.contrib.auth import get_user_model

        User = get_user_model()
        admin, _ = User.objects.get_or_create(
            username="bench-admin", defaults={"is_staff": True, "is_superuser": True, "email": "bench@example.org"}
        )
        if not (admin.is_staff and admin.is_superuser):
            User.objects.filter(pk=admin.pk).update(is_staff=True, is_superuser=True)
            admin.refresh_from_db()
        self.admin_user = admin
        analyst, _ = User.objects.get_or_create(username="bench-analyst", defaults={"email": "analyst@example.org"})
        # Analysts read published statements; signed in only where the deployment requires it
        # (the session and user lookups are then part of every page, the trivial view included).
        self.anonymous = Client()
        if getattr(settings, "GOFTAR_REQUIRE_LOGIN", False):
            force_login(self.anonymous, analyst)
        self.staff = Client()
        force_login(self.staff, admin)

    def get(self, client: Client, url: str, *, stream: bool = False, preamble: int = 0):
        """One request through the whole stack: (seconds, first-row seconds, response, capture, bytes).

        For a streamed response the first row is the first byte past ``preamble`` (BOM and header).
        """
        capture = SqlCapture()
        started = time.perf_counter()
        first = None
        size = 0
        with connection.execute_wrapper(capture):
            response = client.get(url)
            if response.streaming:
                for chunk in response.streaming_content:
                    size += len(chunk)
                    if first is None and size > preamble:
                        first = time.perf_counter() - started
            else:
                size = len(response.content)
        elapsed = time.perf_counter() - started
        if response.status_code != 200:
            raise RuntimeError(f"GET {url} answered {response.status_code}")
        return elapsed, first if first is not None else elapsed, response, capture, size

    def raw_copy(self, copy_sql: str, params) -> tuple[float, float, int]:
        """PostgreSQL's own COPY of the same SELECT: (seconds, first-chunk seconds, bytes)."""
        started = time.perf_counter()
        first = None
        size = 0
        with connection.cursor() as cursor, cursor.cursor.copy(copy_sql, params) as copy:
            for data in copy:
                if first is None:
                    first = time.perf_counter() - started
                size += len(data)
        elapsed = time.perf_counter() - started
        return elapsed, first if first is not None else elapsed, size

    def raw_scalar(self, sql: str, params=None):
        with connection.cursor() as cursor:
            cursor.execute(sql, params or [])
            return cursor.fetchone()[0]

    def timed(self, function: Callable[[], object]) -> float:
        started = time.perf_counter()
        function()
        return time.perf_counter() - started

    def server_time(self, path: str, client: Client | None = None) -> float:
        """Whole server time of one request: over HTTP when a server runs, else in process.

        Over HTTP the request carries ``client``'s session cookie, so a signed-in page stays signed in.
        """
        client = client or self.anonymous
        if self.http is not None:
            cookie = "; ".join(f"{name}={morsel.value}" for name, morsel in client.cookies.items())
            seconds, status, _size = self.http.get(path, cookie=cookie)
            if status != 200:
                raise RuntimeError(f"GET {path} answered {status} over HTTP")
            return seconds
        return self.get(client, path)[0]

    def measure(self, url: str, *, client: Client | None = None, replay: bool = False) -> Measured:
        """``page_repeat`` samples of ``url``'s server time, each followed by the same request in
        process for its SQL; with ``replay``, that SQL run again raw (all of it, and the page query)."""
        client = client or self.anonymous
        self.get(client, url)  # warm
        self.server_time(url, client)
        measured = Measured()
        for _ in range(self.page_repeat):
            measured.samples.append(self.server_time(url, client))
            elapsed, _first, _response, capture, _size = self.get(client, url)
            measured.in_process.append(elapsed)
            measured.sql_seconds.append(capture.seconds)
            measured.counts.add(capture.count)
            measured.capture = capture
            if replay:
                measured.raw_seconds.append(replay_raw(capture.statements))
                if page_query := page_queries(capture.statements):
                    measured.page_raw_seconds.append(replay_raw(page_query[:1]))
        return measured

    def fetch(self, sql, params):
        with connection.cursor() as cursor:
            cursor.cursor.execute(sql, params)
            return cursor.cursor.fetchall()

    def subset_dict(self) -> dict:
        return {
            "topic": str(self.topic),
            "said_on_from": self.date_from.isoformat(),
            "said_on_to": (self.date_to + datetime.timedelta(days=30)).isoformat(),
        }

    # -- the corpus ---------------------------------------------------------------------------------

    def choose_filters(self) -> None:
        """Pick, from the data, a topic subtree plus date range of about 5% of the statements."""
        from claims.pagination import _encode_cursor

        total = self.raw_scalar("SELECT count(*) FROM claims_statement")
        if not total:
            raise RuntimeError("The database holds no statements: run generate_corpus first.")
        target = max(200, round(total * 0.05))
        root = self.raw_scalar(
            """
            WITH RECURSIVE tree(root, id) AS (
                SELECT id, id FROM claims_topic WHERE parent_id IS NULL
                UNION ALL SELECT tree.root, t.id FROM claims_topic t JOIN tree ON t.parent_id = tree.id)
            SELECT tree.root FROM tree JOIN claims_statementtopic st ON st.topic_id = tree.id
            GROUP BY tree.root ORDER BY count(*) DESC, tree.root LIMIT 1
            """
        )
        from_date = self.raw_scalar(
            """
            SELECT said_on FROM claims_statement s
            WHERE s.status = 'published' AND EXISTS (
                SELECT 1 FROM claims_statementtopic st WHERE st.statement_id = s.id AND st.topic_id IN (
                    WITH RECURSIVE sub(id) AS (SELECT %s::bigint UNION SELECT t.id FROM claims_topic t
                                                JOIN sub ON t.parent_id = sub.id) SELECT id FROM sub))
            ORDER BY said_on DESC, id DESC OFFSET %s LIMIT 1
            """,
            [root, target],
        )
        to_date = self.raw_scalar("SELECT max(said_on) FROM claims_statement")
        from_date = from_date or self.raw_scalar("SELECT min(said_on) FROM claims_statement")
        self.total = total
        self.topic = root
        self.date_from, self.date_to = from_date, to_date - datetime.timedelta(days=30)
        self.subset = f"topic={root}&said_on_from={from_date.isoformat()}&said_on_to={to_date.isoformat()}"
        deep_offset = min(total // 2, 500_000)
        said_on, pk = None, None
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT said_on, id FROM claims_statement WHERE status = 'published' "
                "ORDER BY said_on DESC, id DESC OFFSET %s LIMIT 1",
                [deep_offset],
            )
            said_on, pk = cursor.fetchone()
        self.deep_cursor = _encode_cursor("n", [said_on, pk])
        self.deep_offset = deep_offset
        self.report.info.update(
            statements=total,
            subset=self.subset,
            topic=root,
            deep_page_offset=deep_offset,
            articles=self.raw_scalar("SELECT count(*) FROM sources_article"),
        )


def force_login(client: Client, user) -> None:
    """Sign the client in without django-axes' login hook (it wants a real client address)."""
    with override_settings(AXES_ENABLED=False):
        client.force_login(user)


def machine_info() -> dict:
    info = {"cpus": os.cpu_count(), "python": sys.version.split()[0], "when": datetime.datetime.now(datetime.UTC)}
    try:
        described = subprocess.run(
            ["git", "describe", "--always", "--dirty"],
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
            timeout=10,
        )
        info["code"] = described.stdout.strip()
    except OSError:  # pragma: no cover - no git
        pass
    try:
        import psutil

        info["ram_gb"] = round(psutil.virtual_memory().total / 1024**3, 1)
    except ImportError:  # pragma: no cover
        pass
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        info["postgresql"] = cursor.fetchone()[0]
        cursor.execute("SELECT current_database()")
        info["database"] = cursor.fetchone()[0]
        cursor.execute(
            "SELECT name, current_setting(name) FROM pg_settings WHERE name = ANY(%s) ORDER BY name",
            [
                [
                    "shared_buffers",
                    "work_mem",
                    "effective_cache_size",
                    "random_page_cost",
                    "jit",
                    "max_parallel_workers_per_gather",
                ]
            ],
        )
        info["postgresql_settings"] = dict(cursor.fetchall())
    return info
