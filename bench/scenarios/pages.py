"""The statement list: first page, deep page, topic subtree + dates, text searches, search + filters,
each with the counts request the page fetches after its rows; and the trivial views, for reference."""

from __future__ import annotations

import statistics
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.http import urlencode

from bench.bars import COUNTS_SECONDS, LIST_PAGE_SECONDS, MAX_PAGE_QUERIES, ms
from bench.capture import exact_counts, explain_all, page_queries, replay_raw
from bench.harness import SEARCH_COMMON, SEARCH_RARE, SEARCH_WITH_FILTERS
from bench.report import Row

if TYPE_CHECKING:
    from bench.harness import Bench, Measured

# The first page as one would write it by hand: the same rows and columns as the ORM's page query
# (the columns a list row shows, claims.selectors.LIST_ROW_COLUMNS: the post held at the time, the
# topics as an array in name order, and the speaker's and outlet's names), with the post found once
# per row in a LATERAL join and each topic, speaker and outlet by its primary key. Information only:
# docs/benchmarks.md records why this form was the fastest found.
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


def trivial(bench: Bench) -> None:
    """A bare "ok" response and the site's page shell (base.html, no data, no query) on the same
    stack: what any page costs before its own work (information, no bar)."""
    for name, url_name in (
        ("trivial view: bare response", "bench_trivial"),
        ("trivial view: page shell", "bench_trivial_page"),
    ):
        url = reverse(url_name)
        for _ in range(20):  # warm the stack
            bench.server_time(url)
            bench.get(bench.anonymous, url)
        samples = [bench.server_time(url) for _ in range(max(20, bench.repeat * 4))]
        in_process = [bench.get(bench.anonymous, url)[0] for _ in range(max(20, bench.repeat * 4))]
        bench.report.add(
            Row("baseline", name, samples, notes=f"in process {statistics.median(in_process) * 1000:.2f} ms")
        )


def run(bench: Bench) -> None:
    bench.say("list pages")
    first = _page(bench, "first page", "", hand_sql=(HAND_FIRST_PAGE, [26]))
    deep = _page(bench, f"deep page (offset {bench.deep_offset:,}, keyset)", f"cursor={bench.deep_cursor}")
    bench.report.add(
        Row(
            "list",
            "deep page vs first page",
            deep.samples,
            "first page",
            first.samples,
            ratio=round(statistics.median(deep.samples) / statistics.median(first.samples), 2),
            notes="information, not a bar",
        )
    )
    _floor(bench)
    _page(bench, "topic subtree + date range", bench.subset)
    _page(bench, f"Persian search '{SEARCH_COMMON}'", urlencode({"q": SEARCH_COMMON}), search=True)
    _page(bench, f"Persian search '{SEARCH_RARE}'", urlencode({"q": SEARCH_RARE}), search=True)
    _page(
        bench,
        f"search '{SEARCH_WITH_FILTERS}' + topic + dates + language",
        urlencode({"q": SEARCH_WITH_FILTERS}) + f"&{bench.subset}&language=fa",
        search=True,
    )


def _page(bench: Bench, name: str, query: str, *, search: bool = False, hand_sql=None) -> Measured:
    url = reverse("claims:statement_list") + ("?" + query if query else "")
    measured = bench.measure(url, replay=True)
    capture = measured.capture
    counted = exact_counts(capture.statements)
    if bench.explain:
        bench.report.info.setdefault("explain", {})[name] = explain_all(capture.statements)
    # The same page at the largest page size: the number of statements must not change.
    _e, _f, _r, big, _s = bench.get(bench.anonymous, url + ("&" if query else "?") + "page_size=100")
    count = measured.queries
    notes = (
        f"{count} SQL (page_size=100: {big.count}); in process {statistics.median(measured.in_process) * 1000:.1f} ms, "
        f"SQL inside {statistics.median(measured.sql_seconds) * 1000:.1f} ms; same SQL raw "
        f"{statistics.median(measured.raw_seconds) * 1000:.1f} ms"
    )
    if counted:
        notes += f"; {len(counted)} exact COUNT(*)"
    queries_ok = count <= MAX_PAGE_QUERIES and big.count == count and len(measured.counts) == 1 and not counted
    bench.report.add(
        Row(
            "list",
            name,
            measured.samples,
            bar=f"{ms(LIST_PAGE_SECONDS)}, ≤{MAX_PAGE_QUERIES} SQL, no count",
            passed=statistics.median(measured.samples) <= LIST_PAGE_SECONDS and queries_ok,
            notes=notes,
        )
    )
    if search and measured.page_raw_seconds:
        bench.report.add(
            Row(
                "list",
                f"{name}: vs raw FTS page query",
                measured.samples,
                "raw FTS page query",
                measured.page_raw_seconds,
                ratio=round(statistics.median(measured.samples) / statistics.median(measured.page_raw_seconds), 2),
                notes="information, not a bar",
            )
        )
    _counts(bench, name, query)
    page_query = page_queries(capture.statements)
    if hand_sql is not None and page_query:
        orm, hand = [], []
        for _ in range(bench.page_repeat):
            orm.append(replay_raw(page_query[:1]))
            hand.append(bench.timed(lambda: bench.fetch(*hand_sql)))
        bench.report.add(
            Row(
                "list",
                f"{name}: ORM page SQL vs hand-written",
                orm,
                "hand-written SQL",
                hand,
                ratio=round(statistics.median(orm) / statistics.median(hand), 2),
                notes="information, not a bar",
            )
        )
    return measured


def _counts(bench: Bench, name: str, query: str) -> None:
    """The counts beside the rows (facets, timeline, total): the page's second request, fetched
    after the rows are shown."""
    url = reverse("claims:statement_counts") + ("?" + query if query else "")
    bench.server_time(url)
    samples = [bench.server_time(url) for _ in range(bench.repeat)]
    bench.report.add(
        Row(
            "list",
            f"{name}: its counts request",
            samples,
            bar=ms(COUNTS_SECONDS),
            passed=statistics.median(samples) <= COUNTS_SECONDS,
            notes="facets, timeline and total, fetched by the page after its rows",
        )
    )


def _floor(bench: Bench) -> None:
    """What the first page costs before any HTML is written: the same view with its template
    replaced by an empty response, against the page shell, both in process (information, no bar)."""
    from unittest import mock

    from django.http import HttpResponse

    url, shell = reverse("claims:statement_list"), reverse("bench_trivial_page")
    with mock.patch("claims.views.render", lambda *args, **kwargs: HttpResponse(b"")):
        for _ in range(5):
            bench.get(bench.anonymous, url)
        samples, limit = [], []
        for _ in range(max(20, bench.repeat * 4)):
            limit.append(bench.get(bench.anonymous, shell)[0])
            samples.append(bench.get(bench.anonymous, url)[0])
    bench.report.add(
        Row(
            "list",
            "first page without its template (in process)",
            samples,
            "page shell (in process)",
            limit,
            ratio=round(statistics.median(samples) / statistics.median(limit), 2),
            notes="the view's reads alone: FilterSet, ORM, SQL, model rows; information, not a bar",
        )
    )
