"""The facets, timeline and total behind the counts request, computed by the selectors in process,
broad (no filter) and narrow (topic subtree + dates), beside one exact count(*) of the table."""

from __future__ import annotations

import statistics
from typing import TYPE_CHECKING

from bench.bars import COUNTS_SECONDS, EXACT_COUNT_ESTIMATE_LIMIT, ms
from bench.report import Row

if TYPE_CHECKING:
    from bench.harness import Bench


def run(bench: Bench) -> None:
    from claims.facets import statement_facets
    from claims.selectors import planner_plan, statement_list

    bench.say("facets")
    for label, filters in (("broad (no filter)", {}), ("narrow (topic subtree + dates)", bench.subset_dict())):
        samples, limit = [], []
        facets = None
        for _ in range(bench.repeat):
            limit.append(bench.timed(lambda: bench.raw_scalar("SELECT count(*) FROM claims_statement")))

            def compute(filters=filters):
                nonlocal facets
                queryset = statement_list(filters=filters, user=None)
                plan = planner_plan(queryset)
                facets = statement_facets(queryset=queryset, estimate=plan.rows, cost=plan.cost)

            samples.append(bench.timed(compute))
        # No exact count of a large result: past the limit the total must say "about".
        labelled = not (facets.total.exact and facets.total.value > EXACT_COUNT_ESTIMATE_LIMIT)
        bench.report.add(
            Row(
                "facets",
                label,
                samples,
                "exact count(*) of the table",
                limit,
                f"{ms(COUNTS_SECONDS)}, estimate labelled",
                statistics.median(samples) <= COUNTS_SECONDS and labelled,
                round(statistics.median(samples) / statistics.median(limit), 2),
                f"total {facets.total.value:,} ({'exact' if facets.total.exact else 'about'}), "
                f"{'sampled' if facets.sampled else 'all rows'}; the ratio is information",
            )
        )
