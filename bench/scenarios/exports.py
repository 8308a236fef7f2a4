"""CSV exports (a filtered subset, and every row unless --quick on a big corpus): wall time and first
row against PostgreSQL's own COPY of the same SELECT, and the peak memory of an exporting process."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse

from bench.bars import EXPORT_FIRST_ROW_SLACK, EXPORT_MEMORY_MB, EXPORT_RATIO
from bench.harness import force_login
from bench.report import Row

if TYPE_CHECKING:
    from bench.harness import Bench

MB = 1024 * 1024
CHILD_DATABASE_ENV = "GOFTAR_BENCH_DATABASE_NAME"


def run(bench: Bench) -> None:
    from claims.exports import BOM, STATEMENT_COLUMNS, copy_statement, header_line
    from claims.selectors import statement_list

    bench.say("CSV exports")
    subsets = [("filtered subset", bench.subset_dict(), bench.subset)]
    if not bench.quick or bench.total <= 50_000:
        subsets.append(("all rows", {}, ""))
    for label, filters, query in subsets:
        url = reverse("claims:statement_export") + ("?" + query if query else "")
        copy_sql, params = copy_statement(statement_list(filters=filters, user=bench.admin_user), STATEMENT_COLUMNS)
        repeat = bench.repeat if label != "all rows" or bench.total <= 300_000 else min(bench.repeat, 3)
        samples, firsts, raw, raw_firsts = [], [], [], []
        size = raw_size = 0
        preamble = len(BOM + header_line(STATEMENT_COLUMNS))
        bench.get(bench.staff, url, stream=True)
        for _ in range(repeat):
            seconds, first, raw_bytes = bench.raw_copy(copy_sql, params)
            raw.append(seconds)
            raw_firsts.append(first)
            raw_size = raw_bytes
            elapsed, first, _response, _capture, size = bench.get(bench.staff, url, stream=True, preamble=preamble)
            samples.append(elapsed)
            firsts.append(first)
        rows = _export_rows(bench, filters)
        ratio = statistics.median(samples) / statistics.median(raw)
        bench.report.add(
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
        bench.report.add(
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
            bench.report.add(
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


def _export_rows(bench: Bench, filters) -> int:
    from claims.selectors import statement_list

    return statement_list(filters=filters, user=bench.admin_user).order_by().count()


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
