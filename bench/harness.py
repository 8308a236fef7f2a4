"""The benchmark: each figure measured against the limit PostgreSQL itself sets, in the same run.

Every scenario is timed several times; the table shows the median with min and max, the limit it is
compared with (measured in the same run, interleaved with the scenario so that noise from other
processes hits both), their ratio, and PASS/FAIL against the bar of DESIGN §4 / issue 5.

Requests go through Django's test Client with ``bench.urls`` as ROOT_URLCONF: the real URLs, views,
middleware and templates, in this process, with DEBUG off. SQL issued inside a request is captured
with ``connection.execute_wrapper`` (count, time, text) and can be replayed raw on the psycopg
cursor, which is what "the same SQL run raw" means below.
"""

from __future__ import annotations

import datetime
import json
import os
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.test import Client
from django.test.utils import override_settings
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode

MB = 1024 * 1024
CHILD_DATABASE_ENV = "GOFTAR_BENCH_DATABASE_NAME"
SEED_ARTICLE = Path(__file__).resolve().parent / "data" / "seed_article.txt"

# Bars (DESIGN §4 and issue 5).
EXPORT_RATIO = 1.10
EXPORT_MEMORY_MB = 32
EXPORT_FIRST_ROW_SLACK = 0.050
LIST_RATIO = 4.0
SEARCH_RATIO = 2.0
SEARCH_SLACK = 0.015
MAX_PAGE_QUERIES = 4
ORM_RATIO = 1.05
DEEP_RATIO = 3.0
EXACT_COUNT_ESTIMATE_LIMIT = 20_000
ADMIN_SEARCH_SECONDS = 0.100
FACET_SECONDS = 1.0
IMPORT_SECONDS = 0.5
# Pages cost milliseconds and their bars are ratios of medians of paired samples, which five pairs
# left ±0.2x from run to run: pages take at least this many pairs (exports keep --repeat).
PAGE_SAMPLES = 15

SEARCH_COMMON = "گفتوگو"  # the joined spelling: must also find گفت‌وگو and گفتگو
SEARCH_RARE = "خرازی"
SEARCH_WITH_FILTERS = "تحریم"
_PAGE_SQL = re.compile(r'^\s*SELECT\s.*?\sFROM\s+"claims_statement"\s', re.DOTALL)
# The page query ends in its LIMIT, or (a rare search word: claims.selectors.keyset_page) holds
# it in the subquery that picks the page's ids.
_LIMIT_SQL = re.compile(r"\bLIMIT\s+\d+")
_COUNT_SQL = re.compile(r'^\s*SELECT\s+COUNT\(\*\)\s+AS\s+"__count"', re.IGNORECASE)


# -------------------------------------------------------------------------------------------------
# Results
# -------------------------------------------------------------------------------------------------


@dataclass
class Row:
    """One line of the table: a scenario's samples against its limit's samples."""

    group: str
    name: str
    samples: list[float]
    limit_name: str = ""
    limit_samples: list[float] = field(default_factory=list)
    bar: str = ""
    passed: bool | None = None
    ratio: float | None = None
    notes: str = ""
    unit: str = "ms"

    @property
    def median(self) -> float:
        return statistics.median(self.samples) if self.samples else float("nan")

    @property
    def limit_median(self) -> float | None:
        return statistics.median(self.limit_samples) if self.limit_samples else None


@dataclass
class Report:
    rows: list[Row] = field(default_factory=list)
    info: dict = field(default_factory=dict)

    def add(self, row: Row) -> Row:
        self.rows.append(row)
        return row

    def failures(self) -> list[Row]:
        return [row for row in self.rows if row.passed is False]

    def to_json(self) -> str:
        return json.dumps(
            {"info": self.info, "rows": [asdict(row) | {"median": row.median} for row in self.rows]},
            ensure_ascii=False,
            indent=1,
            default=str,
        )


def _fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    if unit == "ms":
        return f"{value * 1000:.1f}"
    if unit == "MB":
        return f"{value:.1f}"
    return f"{value:,.0f}"


def render_table(report: Report) -> str:
    header = (
        "group",
        "scenario",
        "median",
        "min",
        "max",
        "unit",
        "limit",
        "limit med",
        "ratio",
        "bar",
        "result",
        "notes",
    )
    lines = []
    for row in report.rows:
        lines.append(
            (
                row.group,
                row.name,
                _fmt(row.median, row.unit),
                _fmt(min(row.samples), row.unit) if row.samples else "-",
                _fmt(max(row.samples), row.unit) if row.samples else "-",
                row.unit,
                row.limit_name or "-",
                _fmt(row.limit_median, row.unit) if row.limit_samples else "-",
                f"{row.ratio:.2f}x" if row.ratio is not None else "-",
                row.bar or "-",
                {True: "PASS", False: "FAIL", None: "info"}[row.passed],
                row.notes,
            )
        )
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *lines, strict=True)]
    out = [" | ".join(str(cell).ljust(width) for cell, width in zip(header, widths, strict=True))]
    out.append("-+-".join("-" * width for width in widths))
    for line in lines:
        out.append(" | ".join(str(cell).ljust(width) for cell, width in zip(line, widths, strict=True)))
    return "\n".join(out)


def render_markdown(report: Report) -> str:
    out = [
        "| group | scenario | median | min | max | unit | limit | limit median | ratio | bar | result | notes |",
        "|---|---|---:|---:|---:|---|---|---:|---:|---|---|---|",
    ]
    for row in report.rows:
        out.append(
            "| "
            + " | ".join(
                [
                    row.group,
                    row.name,
                    _fmt(row.median, row.unit),
                    _fmt(min(row.samples), row.unit) if row.samples else "-",
                    _fmt(max(row.samples), row.unit) if row.samples else "-",
                    row.unit,
                    row.limit_name or "-",
                    _fmt(row.limit_median, row.unit) if row.limit_samples else "-",
                    f"{row.ratio:.2f}x" if row.ratio is not None else "-",
                    row.bar.replace("|", "\\|") or "-",
                    {True: "PASS", False: "**FAIL**", None: "info"}[row.passed],
                    row.notes.replace("|", "\\|"),
                ]
            )
            + " |"
        )
    return "\n".join(out)


# -------------------------------------------------------------------------------------------------
# Capturing SQL
# -------------------------------------------------------------------------------------------------


@dataclass
class Captured:
    sql: str
    params: object
    seconds: float


class SqlCapture:
    """Records every statement Django executes (text, parameters, time) while installed."""

    def __init__(self):
        self.statements: list[Captured] = []

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.statements.append(Captured(sql, params, time.perf_counter() - started))

    @property
    def seconds(self) -> float:
        return sum(statement.seconds for statement in self.statements)

    @property
    def count(self) -> int:
        return len(self.statements)


def explain_all(statements: list[Captured]) -> list[dict]:
    """EXPLAIN (ANALYZE, BUFFERS) of each captured SELECT, with its time inside the request."""
    plans = []
    with connection.cursor() as cursor:
        raw = cursor.cursor
        for statement in statements:
            text = statement.sql.lstrip()
            if not text.upper().startswith(("SELECT", "WITH", "(")):
                continue
            raw.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement.sql, statement.params)
            plan = "\n".join(row[0] for row in raw.fetchall())
            plans.append({"sql": statement.sql, "ms": round(statement.seconds * 1000, 2), "plan": plan})
    return plans


def replay_raw(statements: list[Captured]) -> float:
    """Run the captured statements again on the bare psycopg cursor, fetching every row."""
    started = time.perf_counter()
    with connection.cursor() as cursor:
        raw = cursor.cursor
        for statement in statements:
            if statement.sql.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK", "SET ")):
                continue
            raw.execute(statement.sql, statement.params)
            if raw.description is not None:
                raw.fetchall()
    return time.perf_counter() - started


# -------------------------------------------------------------------------------------------------
# The benchmark
# -------------------------------------------------------------------------------------------------


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

    # -- helpers ------------------------------------------------------------------------------

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

    # -- setup --------------------------------------------------------------------------------

    def choose_filters(self) -> None:
        """Pick, from the data, a topic subtree plus date range of about 5% of the statements."""
        from claims.selectors import _encode_cursor

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

    # -- scenarios ----------------------------------------------------------------------------

    def run(self, *, http: bool = True, only: set[str] | None = None) -> Report:
        from bench.load import HttpClient, serve

        def wanted(group: str) -> bool:
            return not only or group in only

        self.report.info.update(machine_info())
        overrides = {"ROOT_URLCONF": "bench.urls", "DEBUG": False, "ALLOWED_HOSTS": ["testserver", "localhost"]}
        with override_settings(**overrides):
            self._users()
            self.choose_filters()
            self.say(f"corpus: {self.total:,} statements; subset {self.subset}")
            # Pages are timed twice: over HTTP against gunicorn (one sync worker, production
            # settings; the bar's "whole server time"), and in this process through the test
            # Client, which also sees the SQL each page runs.
            with serve(workers=1, threads=1, say=self.say) if http else nothing() as port:
                if port:
                    self.http = HttpClient(port)
                    self.report.info["pages_timed_over"] = "HTTP (gunicorn, 1 sync worker, production settings)"
                else:
                    self.report.info["pages_timed_over"] = "Django test Client (in process)"
                self.trivial_samples = self.measure_trivial()
                if wanted("list"):
                    self.list_pages()
                if wanted("api"):
                    self.api()
                if self.http:
                    self.http.close()
                    self.http = None
            if wanted("facets"):
                self.facets()
            if wanted("admin"):
                self.admin_pages()
            if wanted("export"):
                self.exports()
            if wanted("import"):
                self.import_seed()
        return self.report

    def server_time(self, path: str) -> float:
        """Whole server time of one page: over HTTP when a server runs, else in process."""
        if self.http is not None:
            seconds, status, _size = self.http.get(path)
            if status != 200:
                raise RuntimeError(f"GET {path} answered {status} over HTTP")
            return seconds
        return self.get(self.anonymous, path)[0]

    def measure_trivial(self) -> list[float]:
        """The limit of every page: the site's page shell (base.html, no data, no query) on the same
        stack. A bare "ok" response is measured too, for reference."""
        rows = []
        for name, url_name in (
            ("trivial view: bare response", "bench_trivial"),
            ("trivial view: page shell (the limit)", "bench_trivial_page"),
        ):
            url = reverse(url_name)
            for _ in range(20):  # warm the stack
                self.server_time(url)
                self.get(self.anonymous, url)
            samples = [self.server_time(url) for _ in range(max(20, self.repeat * 4))]
            in_process = [self.get(self.anonymous, url)[0] for _ in range(max(20, self.repeat * 4))]
            row = Row("baseline", name, samples, notes=f"in process {statistics.median(in_process) * 1000:.2f} ms")
            rows.append(self.report.add(row))
        self.bare_median = rows[0].median
        return rows[1].samples

    def _page(self, name: str, query: str, *, search: bool = False, hand_sql: tuple[str, list] | None = None):
        url = reverse("claims:statement_list") + ("?" + query if query else "")
        self.get(self.anonymous, url)  # warm
        self.server_time(url)
        samples, trivial, sql_times, raw_times, page_raw, in_process = [], [], [], [], [], []
        counts = set()
        capture = None
        for _ in range(self.page_repeat):
            trivial.append(self.server_time(reverse("bench_trivial_page")))
            samples.append(self.server_time(url))
            elapsed, _first, _response, capture, _size = self.get(self.anonymous, url)
            in_process.append(elapsed)
            sql_times.append(capture.seconds)
            counts.add(capture.count)
            raw_times.append(replay_raw(capture.statements))
            page_query = [s for s in capture.statements if _PAGE_SQL.match(s.sql) and _LIMIT_SQL.search(s.sql)]
            if page_query:
                page_raw.append(replay_raw(page_query[:1]))
        exact_counts = [s for s in capture.statements if _COUNT_SQL.match(s.sql)]
        if self.explain:
            self.report.info.setdefault("explain", {})[name] = explain_all(capture.statements)
        # The same page at the largest page size: the number of statements must not change.
        _e, _f, _r, big, _s = self.get(self.anonymous, url + ("&" if query else "?") + "page_size=100")
        count = max(counts)
        notes = (
            f"{count} SQL (page_size=100: {big.count}); in process {statistics.median(in_process) * 1000:.1f} ms, "
            f"SQL inside {statistics.median(sql_times) * 1000:.1f} ms; same SQL raw "
            f"{statistics.median(raw_times) * 1000:.1f} ms"
        )
        ratio = statistics.median(samples) / statistics.median(trivial)
        notes += f"; {statistics.median(samples) / self.bare_median:.1f}x the bare response"
        queries_ok = count <= MAX_PAGE_QUERIES and big.count == count and len(counts) == 1 and not exact_counts
        if exact_counts:
            notes += f"; {len(exact_counts)} exact COUNT(*)"
        row = self.report.add(
            Row(
                "list",
                name,
                samples,
                "page shell",
                trivial,
                f"≤{LIST_RATIO:g}x, ≤{MAX_PAGE_QUERIES} SQL, no count",
                ratio >= 0,
                round(ratio, 2),
                notes,
            )
        )
        row.passed = ratio <= LIST_RATIO and queries_ok
        if search and page_raw:
            limit = statistics.median(page_raw)
            bar_value = SEARCH_RATIO * limit + SEARCH_SLACK
            self.report.add(
                Row(
                    "list",
                    f"{name}: vs raw FTS page query",
                    samples,
                    "raw FTS page query",
                    page_raw,
                    f"≤{SEARCH_RATIO:g}x raw + {SEARCH_SLACK * 1000:g} ms",
                    statistics.median(samples) <= bar_value,
                    round(statistics.median(samples) / limit, 2),
                    f"bar value {bar_value * 1000:.1f} ms",
                )
            )
        # The counts beside the rows (facets, timeline, exact total) are the page's second request,
        # fetched after the rows are shown: timed here so that the page's whole cost is on record.
        counts_url = reverse("claims:statement_counts") + ("?" + query if query else "")
        self.server_time(counts_url)
        counts = [self.server_time(counts_url) for _ in range(self.repeat)]
        self.report.add(
            Row(
                "list",
                f"{name}: its counts request",
                counts,
                bar=f"<{FACET_SECONDS:g} s",
                passed=statistics.median(counts) < FACET_SECONDS,
                notes="facets, timeline and total, fetched by the page after its rows",
            )
        )
        if hand_sql is not None and page_query:
            orm, hand = [], []
            for _ in range(self.page_repeat):
                orm.append(replay_raw(page_query[:1]))
                hand.append(self.timed(lambda: self._fetch(*hand_sql)))
            ratio = statistics.median(orm) / statistics.median(hand)
            self.report.add(
                Row(
                    "list",
                    f"{name}: ORM page SQL vs hand-written",
                    orm,
                    "hand-written SQL",
                    hand,
                    f"≤{ORM_RATIO:g}x",
                    ratio <= ORM_RATIO,
                    round(ratio, 2),
                )
            )
        return samples

    def _fetch(self, sql, params):
        with connection.cursor() as cursor:
            cursor.cursor.execute(sql, params)
            return cursor.cursor.fetchall()

    def list_pages(self) -> None:
        self.say("list pages")
        first = self._page("first page", "", hand_sql=(HAND_FIRST_PAGE, [26]))
        deep = self._page(f"deep page (offset {self.deep_offset:,}, keyset)", f"cursor={self.deep_cursor}")
        ratio = statistics.median(deep) / statistics.median(first)
        self.report.add(
            Row(
                "list",
                "deep page vs first page",
                deep,
                "first page",
                first,
                f"≤{DEEP_RATIO:g}x",
                ratio <= DEEP_RATIO,
                round(ratio, 2),
            )
        )
        self._floor()
        self._page("topic subtree + date range", self.subset)
        self._page(f"Persian search '{SEARCH_COMMON}'", urlencode({"q": SEARCH_COMMON}), search=True)
        self._page(f"Persian search '{SEARCH_RARE}'", urlencode({"q": SEARCH_RARE}), search=True)
        self._page(
            f"search '{SEARCH_WITH_FILTERS}' + topic + dates + language",
            urlencode({"q": SEARCH_WITH_FILTERS}) + f"&{self.subset}&language=fa",
            search=True,
        )

    def _floor(self) -> None:
        """What the first page costs before any HTML is written: the same view with its template
        replaced by an empty response, against the page shell, both in process. Shows how much of
        the list's ratio the ORM and the SQL take on their own (information, no bar)."""
        from unittest import mock

        from django.http import HttpResponse

        url, shell = reverse("claims:statement_list"), reverse("bench_trivial_page")
        with mock.patch("claims.views.render", lambda *args, **kwargs: HttpResponse(b"")):
            for _ in range(5):
                self.get(self.anonymous, url)
            samples, limit = [], []
            for _ in range(max(20, self.repeat * 4)):
                limit.append(self.get(self.anonymous, shell)[0])
                samples.append(self.get(self.anonymous, url)[0])
        ratio = statistics.median(samples) / statistics.median(limit)
        self.report.add(
            Row(
                "list",
                "first page without its template (in process)",
                samples,
                "page shell (in process)",
                limit,
                "-",
                None,
                round(ratio, 2),
                "the view's reads alone: FilterSet, ORM, SQL, model rows; information, not a bar",
            )
        )

    def facets(self) -> None:
        from claims.selectors import planner_plan, statement_facets, statement_list

        self.say("facets")
        count_samples = []
        for label, filters in (("broad (no filter)", {}), ("narrow (topic subtree + dates)", self._subset_dict())):
            samples, limit = [], []
            facets = None
            for _ in range(self.repeat):
                limit.append(self.timed(lambda: self.raw_scalar("SELECT count(*) FROM claims_statement")))

                def run(filters=filters):
                    nonlocal facets
                    queryset = statement_list(filters=filters, user=None)
                    plan = planner_plan(queryset)
                    facets = statement_facets(queryset=queryset, estimate=plan.rows, cost=plan.cost)

                samples.append(self.timed(run))
            count_samples.extend(limit)
            # "No exact count of a large result": past the limit the total must say "about".
            labelled = not (facets.total.exact and facets.total.value > EXACT_COUNT_ESTIMATE_LIMIT)
            ratio = statistics.median(samples) / statistics.median(limit)
            self.report.add(
                Row(
                    "facets",
                    label,
                    samples,
                    "exact count(*) of the table",
                    limit,
                    f"<{FACET_SECONDS:g} s and ≤ count(*), estimate labelled",
                    statistics.median(samples) < FACET_SECONDS and ratio <= 1.0 and labelled,
                    round(ratio, 2),
                    f"total {facets.total.value:,} ({'exact' if facets.total.exact else 'about'}), "
                    f"{'sampled' if facets.sampled else 'all rows'}",
                )
            )

    def _subset_dict(self) -> dict:
        return {
            "topic": str(self.topic),
            "said_on_from": self.date_from.isoformat(),
            "said_on_to": (self.date_to + datetime.timedelta(days=30)).isoformat(),
        }

    def admin_pages(self) -> None:
        self.say("admin changelists")
        pages = [
            ("statements changelist", "admin:claims_statement_changelist", "", "claims_statement"),
            (
                "statements changelist + topic filter",
                "admin:claims_statement_changelist",
                f"topic={self.topic}",
                "claims_statement",
            ),
            ("articles changelist", "admin:sources_article_changelist", "", "sources_article"),
        ]
        for name, url_name, query, table in pages:
            try:
                url = reverse(url_name) + ("?" + query if query else "")
            except NoReverseMatch:
                self.report.add(Row("admin", name, [], notes="no such admin page", passed=None))
                continue
            self.get(self.staff, url)
            samples, limit, counts = [], [], set()
            for _ in range(self.page_repeat):
                limit.append(self.timed(lambda t=table: self.raw_scalar(f"SELECT count(*) FROM {t}")))  # noqa: S608
                elapsed, _f, _r, capture, _s = self.get(self.staff, url)
                samples.append(elapsed)
                counts.add(capture.count)
            ratio = statistics.median(samples) / statistics.median(limit)
            self.report.add(
                Row(
                    "admin",
                    name,
                    samples,
                    f"count(*) of {table}",
                    limit,
                    "≤1x count(*)",
                    ratio <= 1.0,
                    round(ratio, 2),
                    f"{max(counts)} SQL",
                )
            )
        url = reverse("admin:claims_statement_changelist") + "?" + urlencode({"q": SEARCH_RARE})
        self.get(self.staff, url)
        samples = [self.get(self.staff, url)[0] for _ in range(self.page_repeat)]
        self.report.add(
            Row(
                "admin",
                f"statements admin search '{SEARCH_RARE}'",
                samples,
                bar=f"≤{ADMIN_SEARCH_SECONDS * 1000:g} ms",
                passed=statistics.median(samples) <= ADMIN_SEARCH_SECONDS,
            )
        )

    def api(self) -> None:
        url = None
        for candidate in ("api:statement-list", "api:statement_list", "claims_api:statement-list"):
            try:
                url = reverse(candidate)
                break
            except NoReverseMatch:
                continue
        if url is None:
            self.report.add(Row("api", "JSON API statement list", [], notes="no JSON API URL yet", passed=None))
            return
        self.say("JSON API")
        self.get(self.anonymous, url)
        self.server_time(url)
        samples, trivial, counts = [], [], set()
        for _ in range(self.page_repeat):
            trivial.append(self.server_time(reverse("bench_trivial_page")))
            samples.append(self.server_time(url))
            _elapsed, _f, _r, capture, _s = self.get(self.anonymous, url)
            counts.add(capture.count)
        ratio = statistics.median(samples) / statistics.median(trivial)
        self.report.add(
            Row(
                "api",
                "JSON API statement list",
                samples,
                "page shell",
                trivial,
                f"≤{LIST_RATIO:g}x",
                ratio <= LIST_RATIO and max(counts) <= MAX_PAGE_QUERIES,
                round(ratio, 2),
                f"{max(counts)} SQL",
            )
        )

    def exports(self) -> None:
        from claims.exports import BOM, STATEMENT_COLUMNS, copy_statement, header_line
        from claims.selectors import statement_list

        self.say("CSV exports")
        subsets = [("filtered subset", self._subset_dict(), self.subset)]
        if not self.quick or self.total <= 50_000:
            subsets.append(("all rows", {}, ""))
        for label, filters, query in subsets:
            url = reverse("claims:statement_export") + ("?" + query if query else "")
            copy_sql, params = copy_statement(statement_list(filters=filters, user=self.admin_user), STATEMENT_COLUMNS)
            repeat = self.repeat if label != "all rows" or self.total <= 300_000 else min(self.repeat, 3)
            samples, firsts, raw, raw_firsts = [], [], [], []
            size = raw_size = 0
            preamble = len(BOM + header_line(STATEMENT_COLUMNS))
            self.get(self.staff, url, stream=True)
            for _ in range(repeat):
                seconds, first, raw_bytes = self.raw_copy(copy_sql, params)
                raw.append(seconds)
                raw_firsts.append(first)
                raw_size = raw_bytes
                elapsed, first, _response, _capture, size = self.get(self.staff, url, stream=True, preamble=preamble)
                samples.append(elapsed)
                firsts.append(first)
            rows = self._export_rows(filters)
            ratio = statistics.median(samples) / statistics.median(raw)
            self.report.add(
                Row(
                    "export",
                    f"CSV {label} ({rows:,} rows): wall time",
                    samples,
                    "raw COPY (same SELECT)",
                    raw,
                    f"≤{EXPORT_RATIO:g}x",
                    ratio <= EXPORT_RATIO,
                    round(ratio, 2),
                    f"{rows / statistics.median(samples):,.0f} rows/s vs raw {rows / statistics.median(raw):,.0f}; "
                    f"{size / MB:.0f} MB (raw {raw_size / MB:.0f} MB)",
                )
            )
            first_bar = statistics.median(raw_firsts) + EXPORT_FIRST_ROW_SLACK
            self.report.add(
                Row(
                    "export",
                    f"CSV {label}: first row",
                    firsts,
                    "raw COPY first row",
                    raw_firsts,
                    f"≤ raw + {EXPORT_FIRST_ROW_SLACK * 1000:g} ms",
                    statistics.median(firsts) <= first_bar,
                    round(statistics.median(firsts) / max(statistics.median(raw_firsts), 1e-6), 2),
                )
            )
            memory = export_memory(query)
            if memory is not None:
                growth = memory["peak_mb"] - memory["idle_mb"]
                self.report.add(
                    Row(
                        "export",
                        f"CSV {label}: peak RSS above idle",
                        [growth],
                        unit="MB",
                        bar=f"≤{EXPORT_MEMORY_MB} MB",
                        passed=growth <= EXPORT_MEMORY_MB,
                        notes=f"idle {memory['idle_mb']:.0f} MB, peak {memory['peak_mb']:.0f} MB, "
                        f"{memory['bytes'] / MB:.0f} MB streamed (separate process)",
                    )
                )

    def _export_rows(self, filters) -> int:
        from claims.selectors import statement_list

        return statement_list(filters=filters, user=self.admin_user).order_by().count()

    def import_seed(self) -> None:
        importer = find_article_importer()
        if importer is None:
            self.report.add(Row("import", "import of the seed article", [], notes="no importer found yet"))
            return
        self.say("import")
        content = SEED_ARTICLE.read_bytes()
        samples = []
        for _ in range(self.repeat):

            def run():
                with transaction.atomic():
                    importer(content)
                    transaction.set_rollback(True)

            samples.append(self.timed(run))
        self.report.add(
            Row(
                "import",
                "import of the seed article (rolled back)",
                samples,
                bar=f"<{IMPORT_SECONDS * 1000:g} ms",
                passed=statistics.median(samples) < IMPORT_SECONDS,
            )
        )


# The first page as one would write it by hand: the same rows and columns as the ORM's page query
# (the columns a list row shows, claims.selectors.LIST_ROW_COLUMNS: the post held at the time, the
# topics as an array, and the speaker's and outlet's names), with the post found once per row in a LATERAL join
# and each topic, speaker and outlet by its primary key (joining the topic table instead makes
# PostgreSQL hash it again for every row; joining the official and outlet tables instead measured
# slower, 1.81 against 1.61 ms a page through a cursor at 1M statements).
HAND_FIRST_PAGE = """
SELECT s.id, s.official_id, s.speaker_name_as_printed, s.said_on, s.said_on_precision, s.venue_kind,
       s.status, s.language, s.text, s.translation,
       hp.label AS held_position_label,
       ARRAY(SELECT (SELECT jsonb_build_object('id', t.id, 'name', t.name, 'name_fa', t.name_fa, 'slug', t.slug)
                       FROM claims_topic t WHERE t.id = st.topic_id)
               FROM claims_statementtopic st WHERE st.statement_id = s.id) AS topic_refs,
       (SELECT jsonb_build_object('display_name', o.display_name, 'native_name', o.native_name)
          FROM claims_official o WHERE o.id = s.official_id) AS official_names,
       (SELECT jsonb_build_object('name', vo.name, 'name_native', vo.name_native)
          FROM sources_outlet vo WHERE vo.id = s.venue_outlet_id) AS outlet_names
FROM claims_statement s
LEFT JOIN LATERAL (
    SELECT p.title || ', ' || org.name AS label
    FROM claims_position p JOIN claims_organization org ON org.id = p.organization_id
    WHERE p.id = s.position_id
       OR (s.position_id IS NULL AND p.official_id = s.official_id
           AND (p.start_date IS NULL OR p.start_date <= s.said_on)
           AND (p.end_date IS NULL OR p.end_date >= s.said_on))
    ORDER BY (p.id = s.position_id) DESC, p.start_date DESC, p.id DESC
    LIMIT 1
) hp ON true
WHERE s.status = 'published'
ORDER BY s.said_on DESC NULLS FIRST, s.id DESC
LIMIT %s
"""


def find_article_importer():
    """A callable taking the page's bytes, from whatever the import work provides (or None)."""
    try:
        from sources import services
    except ImportError:
        services = None
    for name in ("article_import", "article_import_page", "import_article"):
        function = getattr(services, name, None) if services else None
        if callable(function):
            return lambda content, f=function: _call_importer(f, content)
    try:
        from django.core.management import get_commands
    except ImportError:  # pragma: no cover
        return None
    commands = get_commands()
    for name in ("import_article", "import_page", "import_articles", "import_pages"):
        if name in commands:
            return lambda content, n=name: _call_command_on_file(n, content)
    return None


def _call_importer(function, content: bytes):
    for kwargs in ({"content": content}, {"data": content}, {"text": content.decode()}):
        try:
            return function(**kwargs)
        except TypeError:
            continue
    return function(content)


def _call_command_on_file(name: str, content: bytes):
    import io
    import tempfile

    from django.core.management import call_command

    with tempfile.NamedTemporaryFile(suffix=".txt") as handle:
        handle.write(content)
        handle.flush()
        call_command(name, handle.name, stdout=io.StringIO(), stderr=io.StringIO())


# -------------------------------------------------------------------------------------------------
# Memory of an exporting process
# -------------------------------------------------------------------------------------------------


def force_login(client: Client, user) -> None:
    """Sign the client in without django-axes' login hook (it wants a real client address)."""
    with override_settings(AXES_ENABLED=False):
        client.force_login(user)


def export_memory(query: str) -> dict | None:
    """Run one export in a fresh process (manage.py bench --child-export) and read its peak RSS."""
    manage = Path(settings.BASE_DIR) / "manage.py"
    command = [sys.executable, str(manage), "bench", "--child-export", query or "-"]
    # The child reads the same database, even when it is a test database named at run time.
    env = os.environ.copy() | {CHILD_DATABASE_ENV: connection.settings_dict["NAME"]}
    result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=1800)
    for line in reversed(result.stdout.splitlines()):
        if line.startswith("{"):
            return json.loads(line)
    raise RuntimeError(f"export child failed: {result.stderr[-2000:]}")


def child_export(query: str) -> dict:
    """Inside the child: warm up, note idle RSS, stream one export through the view, report the peak."""
    import resource

    import psutil

    query = "" if query == "-" else query
    if os.environ.get(CHILD_DATABASE_ENV):
        connection.close()
        connection.settings_dict["NAME"] = os.environ[CHILD_DATABASE_ENV]
    with override_settings(ROOT_URLCONF="bench.urls", DEBUG=False, ALLOWED_HOSTS=["testserver"]):
        from django.contrib.auth import get_user_model

        admin = get_user_model().objects.get(username="bench-admin")
        client = Client()
        force_login(client, admin)
        # Warm up: imports, URL resolver, templates, a tiny export; then the idle mark.
        warm = client.get(reverse("claims:statement_export") + "?said_on_from=2100-01-01")
        b"".join(warm.streaming_content)
        idle = psutil.Process().memory_info().rss
        response = client.get(reverse("claims:statement_export") + ("?" + query if query else ""))
        size = 0
        for chunk in response.streaming_content:
            size += len(chunk)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux: kilobytes
    return {"idle_mb": idle / MB, "peak_mb": max(peak, idle) / MB, "bytes": size}


# -------------------------------------------------------------------------------------------------
# Machine
# -------------------------------------------------------------------------------------------------


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


@contextmanager
def nothing():
    yield None


def _generic(name: str) -> str:
    """A scenario's name without the sizes in it, so runs on different corpora line up."""
    return re.sub(r"\s*\((?:[\d,]+ rows|offset [\d,]+, keyset)\)", "", name)


def growth_table(paths: list[str]) -> str:
    """Median of each scenario across saved runs (e.g. 100k, 300k, 1M), side by side."""
    runs = []
    for path in paths:
        data = json.loads(Path(path).read_text())
        runs.append((data["info"].get("statements", 0), {_generic(row["name"]): row for row in data["rows"]}))
    runs.sort(key=lambda run: run[0])
    names = []
    for _size, rows in runs:
        for name in rows:
            if name not in names:
                names.append(name)
    header = "| scenario | " + " | ".join(f"{size:,} statements" for size, _ in runs) + " |"
    out = [header, "|---|" + "---:|" * len(runs)]
    for name in names:
        cells = []
        for _size, rows in runs:
            row = rows.get(name)
            if not row or not row["samples"]:
                cells.append("-")
                continue
            value = _fmt(row["median"], row["unit"]) + (" MB" if row["unit"] == "MB" else " ms")
            if row.get("ratio") is not None:
                value += f" ({row['ratio']:.2f}x)"
            cells.append(value)
        out.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(out)
