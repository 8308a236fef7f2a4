"""The pages of one thing: a statement, an official, a topic, an article; each the heaviest of its
kind in the corpus (the most cited statement and article, the most quoted official, the largest
topic subtree)."""

from __future__ import annotations

import statistics
from typing import TYPE_CHECKING

from django.urls import reverse

from bench.bars import DETAIL_PAGE_SECONDS, ms
from bench.report import Row

if TYPE_CHECKING:
    from bench.harness import Bench

TARGETS = (
    (
        "statement page (most cited)",
        "claims:statement_detail",
        "SELECT c.statement_id FROM claims_citation c JOIN claims_statement s ON s.id = c.statement_id "
        "WHERE s.status = 'published' GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1",
    ),
    (
        "official page (most quoted)",
        "claims:official_detail",
        "SELECT official_id FROM claims_statement WHERE status = 'published' AND official_id IS NOT NULL "
        "GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1",
    ),
    ("topic page (largest subtree)", "claims:topic_detail", None),
    (
        "article page (most cited)",
        "claims:article_detail",
        "SELECT article_id FROM claims_citation GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1",
    ),
)


def run(bench: Bench) -> None:
    bench.say("detail pages")
    for name, url_name, sql in TARGETS:
        pk = bench.raw_scalar(sql) if sql else bench.topic
        if pk is None:
            bench.report.add(Row("detail", name, [], notes="no such row in the corpus"))
            continue
        measured = bench.measure(reverse(url_name, args=[pk]))
        bench.report.add(
            Row(
                "detail",
                name,
                measured.samples,
                bar=ms(DETAIL_PAGE_SECONDS),
                passed=statistics.median(measured.samples) <= DETAIL_PAGE_SECONDS,
                notes=f"id {pk}; {measured.queries} SQL; in process "
                f"{statistics.median(measured.in_process) * 1000:.1f} ms",
            )
        )
