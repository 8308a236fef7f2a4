"""The curators' admin: the statements changelist (also with the topic filter), the articles
changelist, and the statements admin search, signed in as a superuser."""

from __future__ import annotations

import statistics
from typing import TYPE_CHECKING

from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode

from bench.bars import ADMIN_SECONDS, ms
from bench.harness import SEARCH_RARE
from bench.report import Row

if TYPE_CHECKING:
    from bench.harness import Bench


def run(bench: Bench) -> None:
    bench.say("admin changelists")
    pages = [
        ("statements changelist", "admin:claims_statement_changelist", ""),
        ("statements changelist + topic filter", "admin:claims_statement_changelist", f"topic={bench.topic}"),
        ("articles changelist", "admin:sources_article_changelist", ""),
        (
            f"statements admin search '{SEARCH_RARE}'",
            "admin:claims_statement_changelist",
            urlencode({"q": SEARCH_RARE}),
        ),
    ]
    for name, url_name, query in pages:
        try:
            url = reverse(url_name) + ("?" + query if query else "")
        except NoReverseMatch:
            bench.report.add(Row("admin", name, [], notes="no such admin page"))
            continue
        measured = bench.measure(url, client=bench.staff)
        bench.report.add(
            Row(
                "admin",
                name,
                measured.samples,
                bar=ms(ADMIN_SECONDS),
                passed=statistics.median(measured.samples) <= ADMIN_SECONDS,
                notes=f"{measured.queries} SQL; in process {statistics.median(measured.in_process) * 1000:.1f} ms",
            )
        )
