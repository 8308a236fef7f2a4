"""The counts beside a statement list: the total, facets (officials, topics, outlets, years) and
the monthly timeline, from one grouped SQL statement, sampled past a size (labelled "about N")."""

import datetime
from contextlib import nullcontext
from dataclasses import dataclass, field

from django.db import connections, router, transaction

from claims.models import Official, Statement
from claims.selectors import EXACT_COUNT_LIMIT
from common.queries import table_rows

# Facet cost control (planner's estimate of the matching rows, and of the query's cost):
# - up to FACET_SAMPLE_THRESHOLD, every count is exact;
# - past it, topics and outlets (the counts that join other tables) are read from every k-th
#   statement id only, about FACET_SAMPLE_ROWS of them, and scaled;
# - past FACET_BLOCK_SAMPLE_FROM matches, or when the planner expects the query to cost more than
#   FACET_EXACT_COST_LIMIT (few matches, but among many rows to test: a big topic subtree with a
#   common word), everything is read from a block sample of the statement table (TABLESAMPLE
#   SYSTEM) of about FACET_SAMPLE_ROWS matches and never more than FACET_SAMPLE_SCAN_ROWS rows,
#   and scaled; the total is then the sample's own estimate (matches met times the factor).
# Scaled counts are labelled as estimates. At 1M statements the exact counts of a topic subtree
# with a common word took 1.4 s (planner cost 204,659); a 1% block sample 35 ms.
FACET_SAMPLE_THRESHOLD = 5_000
FACET_SAMPLE_ROWS = 2_000
FACET_BLOCK_SAMPLE_FROM = EXACT_COUNT_LIMIT
FACET_EXACT_COST_LIMIT = 100_000
FACET_SAMPLE_SCAN_ROWS = 10_000
FACET_LIMIT = 10


@dataclass
class Total:
    """How many rows match: exact, or the planner's estimate (shown as "about N")."""

    value: int
    exact: bool


@dataclass
class FacetItem:
    key: int
    label: str
    label_native: str
    count: int


@dataclass
class Facets:
    total: Total
    sampled: bool
    officials: list[FacetItem] = field(default_factory=list)
    topics: list[FacetItem] = field(default_factory=list)
    outlets: list[FacetItem] = field(default_factory=list)
    years: list[FacetItem] = field(default_factory=list)
    months: list[tuple[datetime.date, int]] = field(default_factory=list)


_LABELS_SQL = """
(SELECT 'official', id, display_name, native_name FROM claims_official WHERE id = ANY(%s))
UNION ALL
(SELECT 'topic', id, name, name_fa FROM claims_topic WHERE id = ANY(%s))
UNION ALL
(SELECT 'outlet', id, name, name_native FROM sources_outlet WHERE id = ANY(%s))
UNION ALL
(SELECT 'organization', id, name, name_native FROM claims_organization WHERE id = ANY(%s))
"""

_FACETS_SQL = """
WITH matched AS MATERIALIZED ({matched}),
     thinned AS MATERIALIZED (SELECT * FROM matched WHERE mod(id, {thin}) = 0)
(SELECT 'total' AS facet, NULL::bigint AS key, NULL::text AS label, NULL::text AS label_native, count(*) AS n
   FROM matched)
UNION ALL
(SELECT 'official', o.id, o.display_name, o.native_name, t.n
   FROM (SELECT official_id, count(*) AS n FROM matched WHERE official_id IS NOT NULL
          GROUP BY official_id ORDER BY n DESC, official_id LIMIT %s) t
   JOIN claims_official o ON o.id = t.official_id)
UNION ALL
(SELECT 'topic', tp.id, tp.name, tp.name_fa, t.n
   FROM (SELECT st.topic_id, count(*) AS n FROM thinned m JOIN claims_statementtopic st ON st.statement_id = m.id
          GROUP BY st.topic_id ORDER BY n DESC, st.topic_id LIMIT %s) t
   JOIN claims_topic tp ON tp.id = t.topic_id)
UNION ALL
(SELECT 'outlet', ou.id, ou.name, ou.name_native, t.n
   FROM (SELECT x.outlet_id, count(DISTINCT x.statement_id) AS n
           FROM (SELECT m.id AS statement_id, m.venue_outlet_id AS outlet_id FROM thinned m
                  WHERE m.venue_outlet_id IS NOT NULL
                 UNION ALL
                 SELECT c.statement_id, a.outlet_id FROM claims_citation c
                   JOIN sources_article a ON a.id = c.article_id
                  WHERE c.statement_id IN (SELECT id FROM thinned)) x
          GROUP BY x.outlet_id ORDER BY n DESC, x.outlet_id LIMIT %s) t
   JOIN sources_outlet ou ON ou.id = t.outlet_id)
UNION ALL
(SELECT 'year', extract(year FROM said_on)::bigint, NULL, NULL, count(*)
   FROM matched WHERE said_on IS NOT NULL GROUP BY 2)
UNION ALL
(SELECT 'month', (extract(year FROM said_on) * 100 + extract(month FROM said_on))::bigint, NULL, NULL, count(*)
   FROM matched WHERE said_on IS NOT NULL GROUP BY 2)
"""


def _sampled(sql: str, percent: float) -> str:
    table = 'FROM "claims_statement"'
    return sql.replace(table, f"{table} TABLESAMPLE SYSTEM ({percent:.6f}) REPEATABLE (1)", 1)


def statement_facets(
    *, queryset, estimate: int | None = None, cost: float | None = None, limit: int = FACET_LIMIT
) -> Facets:
    """Counts by official, topic, outlet, year and month for the statements of ``queryset``: one query.

    Also returns the exact total when the result is small. Large results are thinned or
    block-sampled (see FACET_SAMPLE_THRESHOLD) and their counts scaled and labelled as estimates.
    """
    matched_sql, matched_params = (
        queryset.order_by().values("id", "official_id", "venue_outlet_id", "said_on").query.sql_with_params()
    )
    block_sampled = (estimate is not None and estimate > FACET_BLOCK_SAMPLE_FROM) or (
        cost is not None and cost > FACET_EXACT_COST_LIMIT
    )
    sampled = block_sampled or (estimate is not None and estimate > FACET_SAMPLE_THRESHOLD)
    scale, thin = 1.0, 1
    if block_sampled:
        percent = min(
            100.0,
            100.0 * FACET_SAMPLE_ROWS / max(estimate or 1, 1),
            100.0 * FACET_SAMPLE_SCAN_ROWS / max(table_rows(Statement, queryset.db), 1),
        )
        scale = 100.0 / percent
        matched_sql = _sampled(matched_sql, percent)
    elif sampled:
        thin = -(-estimate // FACET_SAMPLE_ROWS)
    params = [*matched_params, limit, limit, limit]
    # The planner settings below are local to a transaction: a sampled count opens one (a savepoint
    # inside a request's own transaction, which they would outlive: hence they are put back).
    database = queryset.db
    with (
        transaction.atomic(using=database) if block_sampled else nullcontext(),
        connections[database].cursor() as cursor,
    ):
        if block_sampled:
            # The sample holds at most FACET_SAMPLE_SCAN_ROWS rows, so probing indexes row by row
            # is the plan; but the planner, guessing a topic subtree's links at a third of their
            # number, hashed all of them first (at 1M: 29 ms of a 45 ms query, 21 ms without).
            cursor.execute(
                "SELECT current_setting('enable_hashjoin'), current_setting('enable_mergejoin'),"
                " set_config('enable_hashjoin', 'off', true), set_config('enable_mergejoin', 'off', true)"
            )
            hashjoin, mergejoin, _, _ = cursor.fetchone()
        cursor.execute(_FACETS_SQL.format(matched=matched_sql, thin=int(thin)), params)
        rows = cursor.fetchall()
        if block_sampled:
            cursor.execute(
                "SELECT set_config('enable_hashjoin', %s, true), set_config('enable_mergejoin', %s, true)",
                [hashjoin, mergejoin],
            )

    def scaled(n, factor=scale):
        return int(round(n * factor))

    facets = Facets(total=Total(0, True), sampled=sampled)
    groups = {"official": facets.officials, "topic": facets.topics, "outlet": facets.outlets, "year": facets.years}
    for facet, key, label, native, n in rows:
        if facet == "total":
            if not block_sampled:
                small = estimate is None or estimate <= EXACT_COUNT_LIMIT
                facets.total = Total(n, True) if small else Total(estimate, False)
            else:
                # The sample counts the matches it met: a truer estimate than the planner's when a
                # filter's selectivity is hard to guess (posts held at the time, cited outlets).
                facets.total = Total(scaled(n), False)
        elif facet in groups:
            factor = scale * thin if facet in ("topic", "outlet") else scale
            groups[facet].append(FacetItem(key, label or "", native or "", scaled(n, factor)))
        elif facet == "month":
            facets.months.append((datetime.date(key // 100, key % 100, 1), scaled(n)))
    for group in (facets.officials, facets.topics, facets.outlets):
        group.sort(key=lambda item: (-item.count, item.key))
    facets.years.sort(key=lambda item: -item.key)
    facets.months.sort()
    return facets


def filter_labels(selected: dict[str, list[int]]) -> dict[str, dict[int, FacetItem]]:
    """The names of the officials, topics, outlets and organisations a filter names, for its chips.

    One query, and none when nothing is selected; an id that names nothing is simply absent.
    """
    kinds = ("official", "topic", "outlet", "organization")
    if not any(selected.get(kind) for kind in kinds):
        return {}
    with connections[router.db_for_read(Official)].cursor() as cursor:
        cursor.execute(_LABELS_SQL, [list(selected.get(kind) or []) for kind in kinds])
        rows = cursor.fetchall()
    labels: dict[str, dict[int, FacetItem]] = {}
    for kind, key, label, native in rows:
        labels.setdefault(kind, {})[key] = FacetItem(key, label or "", native or "", 0)
    return labels


def month_series(months: list[tuple[datetime.date, int]]) -> list[tuple[datetime.date, int]]:
    """Every month from the first to the last, zeros included, for the timeline chart."""
    if not months:
        return []
    counts = dict(months)
    first, last = months[0][0], months[-1][0]
    series, current = [], first
    while current <= last:
        series.append((current, counts.get(current, 0)))
        current = datetime.date(current.year + current.month // 12, current.month % 12 + 1, 1)
    return series
