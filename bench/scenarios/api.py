"""The JSON API's lists: statements (first page, topic subtree + dates, a search), claims, officials, articles."""

from __future__ import annotations

import statistics
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.http import urlencode

from bench.bars import API_LIST_SECONDS, MAX_PAGE_QUERIES, ms
from bench.harness import SEARCH_WITH_FILTERS
from bench.report import Row

if TYPE_CHECKING:
    from bench.harness import Bench


def run(bench: Bench) -> None:
    bench.say("JSON API")
    statements = reverse("api:statement-list")
    lists = [
        # (name, url, pinned to MAX_PAGE_QUERIES)
        ("JSON API statement list", statements, True),
        ("JSON API statements, topic subtree + dates", f"{statements}?{bench.subset}", True),
        (
            f"JSON API statements, search '{SEARCH_WITH_FILTERS}'",
            f"{statements}?{urlencode({'q': SEARCH_WITH_FILTERS})}",
            True,
        ),
        ("JSON API claim list", reverse("api:claim-list"), False),
        ("JSON API official list", reverse("api:official-list"), False),
        ("JSON API article list", reverse("api:article-list"), False),
    ]
    for name, url, pinned in lists:
        measured = bench.measure(url)
        fast = statistics.median(measured.samples) <= API_LIST_SECONDS
        queries_ok = measured.queries <= MAX_PAGE_QUERIES or not pinned
        bench.report.add(
            Row(
                "api",
                name,
                measured.samples,
                bar=ms(API_LIST_SECONDS) + (f", ≤{MAX_PAGE_QUERIES} SQL" if pinned else ""),
                passed=fast and queries_ok,
                notes=f"{measured.queries} SQL; in process {statistics.median(measured.in_process) * 1000:.1f} ms",
            )
        )
