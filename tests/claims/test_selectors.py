"""Selectors: keyset pages (forward, back, ties, missing dates), counts and facets in one query."""

import datetime

import pytest
from django.db import connection

from claims import pagination, selectors
from claims.facets import (
    FACET_BLOCK_SAMPLE_FROM,
    FACET_EXACT_COST_LIMIT,
    FACET_SAMPLE_ROWS,
    FACET_SAMPLE_THRESHOLD,
    Total,
    filter_labels,
    month_series,
    statement_facets,
)
from claims.models import Statement
from claims.pagination import keyset_page
from claims.selectors import (
    FilterError,
    planner_estimate,
    statement_get,
    statement_list,
)
from tests import factories
from tests.claims.workspace_corpus import build_corpus

pytestmark = pytest.mark.django_db


def _walk(queryset, size):
    """Every page forward, then every page back from the last: the rows both ways."""
    forward, pages, cursor = [], [], None
    while True:
        page = keyset_page(queryset, cursor=cursor, size=size)
        pages.append(page)
        forward.extend(row.pk for row in page.rows)
        if not page.next_cursor:
            break
        cursor = page.next_cursor
    backward, page = [], pages[-1]
    backward = [row.pk for row in page.rows]
    while page.previous_cursor:
        page = keyset_page(queryset, cursor=page.previous_cursor, size=size)
        backward = [row.pk for row in page.rows] + backward
    return forward, backward, pages


@pytest.mark.parametrize("ordering", ["-said_on", "said_on", "-id", "id"])
@pytest.mark.parametrize("size", [1, 3, 7])
def test_keyset_pages_cover_every_row_once_both_ways(ordering, size):
    days = [datetime.date(2024, 5, 12)] * 5 + [datetime.date(2023, 1, 1)] * 3 + [None] * 3 + [datetime.date(2025, 1, 1)]
    for day in days:
        factories.StatementFactory(said_on=day)
    queryset = statement_list(filters={"ordering": ordering})
    expected = [s.pk for s in queryset]
    forward, backward, pages = _walk(queryset, size)
    assert forward == expected
    assert backward == expected
    assert pages[0].previous_cursor is None and pages[0].is_first
    assert all(len(page.rows) == size for page in pages[:-1])


def test_a_deep_page_costs_one_query(django_assert_num_queries):
    for index in range(30):
        factories.StatementFactory(said_on=datetime.date(2020, 1, 1) + datetime.timedelta(days=index))
    queryset = Statement.objects.order_by("-said_on", "-id")
    cursor = None
    for _ in range(5):
        page = keyset_page(queryset, cursor=cursor, size=5)
        cursor = page.next_cursor
    with django_assert_num_queries(1):
        page = keyset_page(queryset, cursor=cursor, size=5)
    assert [row.said_on.day for row in page.rows] == [5, 4, 3, 2, 1]


@pytest.mark.parametrize("cursor", ["garbage", "eyJ4IjoxfQ", "WyJuIixbIjIwMjQtMTMtMDEiLDFdXQ", "WyJ4IixbbnVsbCwxXV0"])
def test_damaged_cursor_is_an_error(cursor):
    factories.StatementFactory()
    with pytest.raises(FilterError) as caught:
        keyset_page(statement_list(filters={}), cursor=cursor)
    assert "cursor" in caught.value.errors


@pytest.mark.parametrize("value", ["0", "101", "ten", "-1"])
def test_page_size_is_bounded(value):
    with pytest.raises(FilterError):
        pagination.page_size_from(value)
    assert pagination.page_size_from("") == pagination.PAGE_SIZE
    assert pagination.page_size_from("100") == 100


def test_planner_estimate_is_one_explain(django_assert_num_queries):
    factories.StatementFactory.create_batch(3)
    with django_assert_num_queries(1):
        estimate = planner_estimate(statement_list(filters={}))
    assert estimate >= 1


def test_planner_plan_tells_a_whole_table_scan_from_an_index_lookup_at_any_depth():
    from common.queries import planner_plan

    factories.StatementFactory.create_batch(3)
    assert planner_plan(Statement.objects.filter(text__contains="تحریم")).scans_a_whole_table  # no index for it
    # A join on top: the scans are a level down the plan (on three rows the planner may also walk
    # an index, so it is told not to: what is tested is that a scan below the top is seen).
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_indexscan = off; SET LOCAL enable_bitmapscan = off")
    assert planner_plan(Statement.objects.filter(official__display_name__contains="x")).scans_a_whole_table
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_indexscan = on; SET LOCAL enable_bitmapscan = on")
        cursor.execute("SET LOCAL enable_seqscan = off")
    assert not planner_plan(Statement.objects.filter(pk=1)).scans_a_whole_table


def test_a_word_in_much_of_the_table_is_walked_along_the_date_index_even_with_few_matches(client):
    """Few matches by the absolute limit, but the planner would read the whole table to find them:
    sorting them would test every row (52 ms at 20,000 statements), the walk meets a page at once."""
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from common.queries import planner_plan

    for day in range(1, 31):
        factories.StatementFactory(said_on=datetime.date(2024, 1, day))
    factories.StatementFactory(text="Another subject entirely.", language="en")
    plan = planner_plan(Statement.objects.search("گفتگو"))
    assert plan.rows <= selectors.RARE_SEARCH_MATCHES and plan.scans_a_whole_table  # the case in point
    assert not selectors.search_is_rare("گفتگو")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("claims:statement_list"), {"q": "گفتگو"})
    assert response.content.decode().count("data-statement=") == 25
    page_sql = [q["sql"] for q in queries.captured_queries if "LIMIT" in q["sql"] and "EXPLAIN" not in q["sql"]]
    assert page_sql and "+ 0" not in page_sql[-1]


def test_facets_count_by_official_topic_outlet_year_and_month_in_one_query(django_assert_num_queries):
    build_corpus()
    queryset = statement_list(filters={})
    with django_assert_num_queries(1):
        facets = statement_facets(queryset=queryset, estimate=5)
    assert facets.total.value == 5 and facets.total.exact
    assert {(item.label, item.count) for item in facets.officials} == {("Kamal Kharrazi", 4), ("Abbas Araghchi", 1)}
    assert {(item.label, item.count) for item in facets.topics} == {
        ("Red Sea shipping", 2), ("Indirect talks", 1), ("Iran–US relations", 1), ("Gaza war", 1),
    }  # fmt: skip
    outlets = {item.label: item.count for item in facets.outlets}
    assert outlets == {"Al Jazeera": 3, "Khabaronline": 1, "Reuters": 1}
    assert {(item.key, item.count) for item in facets.years} == {(2024, 4), (2003, 1)}
    assert dict(facets.months) == {
        datetime.date(2003, 3, 1): 1, datetime.date(2024, 5, 1): 3, datetime.date(2024, 9, 1): 1,
    }  # fmt: skip
    assert facets.topics[0].label_native == "کشتیرانی دریای سرخ"


def test_filter_labels_name_the_selected_ids_in_one_query(django_assert_num_queries):
    corpus = build_corpus()
    selected = {"topic": [corpus.gaza.pk, 10**12], "official": [corpus.kharrazi.pk], "outlet": []}
    with django_assert_num_queries(1):
        labels = filter_labels(selected)
    assert labels["topic"][corpus.gaza.pk].label_native == "جنگ غزه"
    assert 10**12 not in labels["topic"]  # an id that names nothing is left out, not an error
    assert labels["official"][corpus.kharrazi.pk].label == "Kamal Kharrazi"
    with django_assert_num_queries(0):
        assert filter_labels({"topic": [], "official": []}) == {}


def test_facets_follow_the_filter():
    corpus = build_corpus()
    queryset = statement_list(filters={"official": [corpus.kharrazi.pk], "topic": [corpus.red_sea.pk]})
    facets = statement_facets(queryset=queryset, estimate=2)
    assert facets.total.value == 2
    assert [(item.label, item.count) for item in facets.officials] == [("Kamal Kharrazi", 2)]
    assert [item.label for item in facets.topics] == ["Red Sea shipping"]


def test_large_results_use_a_scaled_sample_and_say_so():
    build_corpus()
    estimate = FACET_BLOCK_SAMPLE_FROM * 10
    facets = statement_facets(queryset=statement_list(filters={}), estimate=estimate)
    assert facets.sampled
    assert not facets.total.exact  # the sample's own estimate, labelled "about"


def test_few_matches_among_many_rows_to_test_are_sampled_too(django_assert_num_queries):
    """A common word inside a big topic subtree: few matches, but the planner expects a dear query."""
    build_corpus()
    queryset = statement_list(filters={})
    cheap = statement_facets(queryset=queryset, estimate=3, cost=FACET_EXACT_COST_LIMIT)
    assert not cheap.sampled and cheap.total.exact
    # The table's size from its statistics; then, in a transaction of its own (a savepoint inside
    # the test's), the planner settings for a small sample, the sampled counts, the settings back.
    with django_assert_num_queries(6):
        dear = statement_facets(queryset=queryset, estimate=3, cost=FACET_EXACT_COST_LIMIT + 1)
    assert dear.sampled
    assert not dear.total.exact  # the sample's estimate, labelled "about"
    with connection.cursor() as cursor:  # the settings did not outlive the counts
        cursor.execute("SELECT current_setting('enable_hashjoin'), current_setting('enable_mergejoin')")
        assert cursor.fetchone() == ("on", "on")


def test_mid_sized_results_thin_the_joined_counts_and_scale_them():
    build_corpus()
    estimate = FACET_SAMPLE_THRESHOLD + 1
    thin = -(-estimate // FACET_SAMPLE_ROWS)  # every thin-th statement id is read for topics, outlets
    facets = statement_facets(queryset=statement_list(filters={}), estimate=estimate)
    assert facets.sampled
    assert thin > 1 and all(item.count % thin == 0 for item in facets.topics + facets.outlets)
    assert sum(item.count for item in facets.officials) == 5  # officials, years, months stay exact


def test_estimated_totals_are_labelled_above_the_exact_limit():
    build_corpus()
    facets = statement_facets(queryset=statement_list(filters={}), estimate=selectors.EXACT_COUNT_LIMIT + 1)
    assert facets.sampled
    assert not facets.total.exact


def test_sampled_facets_below_the_count_limit_still_count_exactly():
    build_corpus()
    facets = statement_facets(queryset=statement_list(filters={}), estimate=FACET_SAMPLE_THRESHOLD + 1)
    assert facets.sampled
    assert facets.total == Total(5, True)


def test_month_series_fills_empty_months():
    series = month_series([(datetime.date(2023, 11, 1), 2), (datetime.date(2024, 2, 1), 5)])
    assert series == [
        (datetime.date(2023, 11, 1), 2), (datetime.date(2023, 12, 1), 0),
        (datetime.date(2024, 1, 1), 0), (datetime.date(2024, 2, 1), 5),
    ]  # fmt: skip
    assert month_series([]) == []


def test_statement_get_orders_provenance_venue_reporter_republisher():
    corpus = build_corpus()
    article = factories.ArticleFactory(outlet=corpus.aljazeera, body="متن مصاحبه الجزیره")
    factories.CitationFactory(statement=corpus.talks, article=article, role="original_venue")
    reporter = factories.ArticleFactory(outlet=corpus.reuters, body="Reuters report of the interview")
    factories.CitationFactory(statement=corpus.talks, article=reporter, role="reporter")
    statement = statement_get(pk=corpus.talks.pk)
    assert [c.role for c in statement.provenance] == ["original_venue", "reporter", "republisher"]
    assert statement.held_position_label == "Head, Strategic Council on Foreign Relations"


def test_statement_get_hides_drafts_from_anonymous_visitors():
    from django.contrib.auth.models import AnonymousUser
    from django.http import Http404

    corpus = build_corpus()
    with pytest.raises(Http404):
        statement_get(pk=corpus.draft.pk, user=AnonymousUser())
    staff = factories.analyst_user()
    assert statement_get(pk=corpus.draft.pk, user=staff) == corpus.draft


def test_related_claims_of_unpublished_statements_stay_hidden():
    from django.contrib.auth.models import AnonymousUser

    from claims.selectors import related_claims

    corpus = build_corpus()
    draft_claim = factories.ClaimFactory(statement=corpus.draft, text="A draft claim")
    denial = corpus.houthis.claims.get()
    factories.ClaimRelationFactory(from_claim=draft_claim, to_claim=denial, kind="contradicts")
    shown = related_claims(statement_get(pk=corpus.houthis.pk, user=AnonymousUser()))
    assert [other.text for _claim, _relation, other, _direction in shown] == [
        "The US may have asked the Houthis to show some consideration"
    ]
    staff = factories.analyst_user()
    assert len(related_claims(statement_get(pk=corpus.houthis.pk, user=staff))) == 2


def test_a_rows_topics_come_in_name_order_then_id_whatever_order_they_were_linked():
    """topic_refs come in name order (sorted in SQL, by code point): lists, the API and claims agree."""
    zebra, apple, mango, apple_again = (
        factories.TopicFactory(name=name) for name in ("Zebra talks", "Apple sanctions", "Mango", "Apple sanctions")
    )
    statement = factories.StatementFactory()
    statement.topics.add(zebra, mango, apple_again, apple)
    claim = factories.ClaimFactory(statement=statement)
    claim.topics.add(mango, zebra, apple)

    row = statement_list(filters={}, user=None).get(pk=statement.pk)
    assert [(ref["name"], ref["id"]) for ref in row.topic_refs] == [
        ("Apple sanctions", apple.pk),
        ("Apple sanctions", apple_again.pk),
        ("Mango", mango.pk),
        ("Zebra talks", zebra.pk),
    ]
    assert set(row.topic_refs[0]) == {"id", "name", "name_fa", "slug"}
    claim_row = selectors.claim_list(filters={}, user=None).get(pk=claim.pk)
    assert [ref["name"] for ref in claim_row.topic_refs] == ["Apple sanctions", "Mango", "Zebra talks"]
    untagged = factories.StatementFactory()
    assert statement_list(filters={}, user=None).get(pk=untagged.pk).topic_refs == []
