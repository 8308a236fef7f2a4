"""The JSON API: same FilterSets as the pages (400 on bad input), cursor pages, schema and docs."""

import json
import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from claims.api.serializers import StatementSerializer
from claims.api.views import StatementViewSet
from claims.choices import ReviewStatus, VenueKind
from claims.selectors import statement_list
from tests import factories
from tests.claims.test_exports import _download, _rows
from tests.claims.workspace_corpus import build_corpus

pytestmark = pytest.mark.django_db

# Anonymous caller: the page rows, topics included as an array column (no count: cursor pagination).
STATEMENT_API_QUERIES = 1
CLAIM_API_QUERIES = 1
OFFICIAL_API_QUERIES = 1
TOPIC_API_QUERIES = 1
ARTICLE_API_QUERIES = 1


@pytest.fixture(autouse=True)
def _fresh_export_allowance():
    cache.clear()


@pytest.fixture
def corpus():
    return build_corpus()


def _all_pages(client, url, params=None):
    rows, response = [], client.get(url, params or {})
    while True:
        assert response.status_code == 200, response.content[:500]
        body = response.json()
        rows.extend(body["results"])
        if not body["next"]:
            return rows
        response = client.get(body["next"])


def test_statements_filtered_like_the_list(client, corpus):
    params = {"topic": [corpus.iran_us.pk, corpus.red_sea.pk], "said_on_from": "۱۴۰۳-۰۱-۰۱"}
    rows = _all_pages(client, reverse("api:statement-list"), params)
    expected = [s.pk for s in statement_list(filters=params)]
    assert [row["id"] for row in rows] == expected
    talks = next(row for row in rows if row["id"] == corpus.talks.pk)
    assert talks["said_on"] == "2024-05-12" and talks["said_on_solar_hijri"] == "1403-02-23"
    assert talks["official"]["native_name"] == "کمال خرازی"
    assert talks["position_at_the_time"] == "Head, Strategic Council on Foreign Relations"
    assert talks["topics"][0]["slug"] == "indirect-talks"
    assert talks["page_url"].endswith(f"/statements/{corpus.talks.pk}/")


def test_csv_json_and_html_of_one_filter_hold_the_same_statements(client, corpus):
    params = {"q": "گفتگو", "language": "fa"}
    json_ids = [row["id"] for row in _all_pages(client, reverse("api:statement-list"), params)]
    csv_ids = [int(row[0]) for row in _rows(_download(client, reverse("claims:statement_export"), params))[1:]]
    html = client.get(reverse("claims:statement_list"), params).content.decode()
    html_ids = [int(n) for n in re.findall(r'data-statement="(\d+)"', html)]
    assert json_ids == csv_ids == html_ids == [corpus.talks.pk]
    params = {"outlet": corpus.aljazeera.pk, "ordering": "said_on"}
    json_ids = [row["id"] for row in _all_pages(client, reverse("api:statement-list"), params)]
    csv_ids = [int(row[0]) for row in _rows(_download(client, reverse("claims:statement_export"), params))[1:]]
    html_ids = [
        int(n)
        for n in re.findall(
            r'data-statement="(\d+)"', client.get(reverse("claims:statement_list"), params).content.decode()
        )
    ]
    assert json_ids == csv_ids == html_ids and len(json_ids) == 3


def test_cursor_pages_walk_every_row(client):
    for statement in factories.StatementFactory.create_batch(7):
        statement.topics.add(factories.TopicFactory())
    rows = _all_pages(client, reverse("api:statement-list"), {"page_size": 3})
    assert len(rows) == 7 and len({row["id"] for row in rows}) == 7
    first = client.get(reverse("api:statement-list"), {"page_size": 3}).json()
    second = client.get(first["next"]).json()
    back = client.get(second["previous"]).json()
    assert [r["id"] for r in back["results"]] == [r["id"] for r in first["results"]]


@pytest.mark.parametrize(
    ("url", "params", "field"),
    [
        ("api:statement-list", {"said_on_from": "۱۴۰۳-۱۳-۰۱"}, "said_on_from"),
        ("api:statement-list", {"official": "kharrazi"}, "official"),
        ("api:statement-list", {"cursor": "broken"}, "cursor"),
        ("api:statement-list", {"page_size": "0"}, "page_size"),
        ("api:claim-list", {"kind": "gossip"}, "kind"),
        ("api:official-list", {"country": "IRN"}, "country"),
        ("api:topic-list", {"parent": "x"}, "parent"),
        ("api:article-list", {"published_to": "soon"}, "published_to"),
    ],
)
def test_invalid_parameters_are_400_with_reasons(client, url, params, field):
    response = client.get(reverse(url), params)
    assert response.status_code == 400
    assert field in response.json() and response.json()[field]


def test_anonymous_callers_see_published_statements_only(corpus, admin_client):
    anonymous = _all_pages(Client(), reverse("api:statement-list"))
    staff = _all_pages(admin_client, reverse("api:statement-list"))
    assert {row["status"] for row in anonymous} == {"published"}
    assert len(staff) == len(anonymous) + 1
    assert Client().get(reverse("api:statement-detail", args=[corpus.draft.pk])).status_code == 404


def test_statement_detail_has_claims_relations_and_citations(client, corpus):
    body = client.get(reverse("api:statement-detail", args=[corpus.houthis.pk])).json()
    assert body["question"].startswith("آیا ایران")
    assert body["claims"][0]["kind"] == "denial"
    assert body["claims"][0]["relations"][0]["kind"] == "qualifies"
    body = client.get(reverse("api:statement-detail", args=[corpus.talks.pk])).json()
    assert body["citations"][0]["role"] == "republisher" and body["citations"][0]["outlet"]["name"] == "Khabaronline"


def test_other_endpoints(client, corpus):
    claims = _all_pages(client, reverse("api:claim-list"), {"contested": "true"})
    assert len(claims) == 2
    officials = _all_pages(client, reverse("api:official-list"), {"q": "خرازی"})
    assert [o["display_name"] for o in officials] == ["Kamal Kharrazi"] and officials[0]["statement_count"] == 4
    detail = client.get(reverse("api:official-detail", args=[corpus.kharrazi.pk])).json()
    assert {p["title"] for p in detail["positions"]} == {"Head", "Foreign Minister"}
    topics = _all_pages(client, reverse("api:topic-list"), {"parent": corpus.iran_us.pk})
    assert [t["slug"] for t in topics] == ["indirect-talks"]
    articles = _all_pages(client, reverse("api:article-list"), {"outlet": corpus.khabaronline.pk})
    assert articles[0]["citation_count"] == 1 and articles[0]["upstream_outlet"]["name"] == "Al Jazeera"
    article = client.get(reverse("api:article-detail", args=[corpus.article.pk])).json()
    assert "گفتوگوهای" in article["body"]


@pytest.mark.parametrize("rows", [1, 25])
def test_api_list_query_counts_do_not_grow_with_rows(client, django_assert_num_queries, rows):
    topic = factories.TopicFactory()
    for statement in factories.StatementFactory.create_batch(rows):
        statement.topics.add(topic, factories.TopicFactory())
        claim = factories.ClaimFactory(statement=statement)
        claim.topics.add(topic)
        claim.parties.add(factories.OrganizationFactory())
        factories.CitationFactory(statement=statement)
    for url, expected in [
        ("api:statement-list", STATEMENT_API_QUERIES),
        ("api:claim-list", CLAIM_API_QUERIES),
        ("api:official-list", OFFICIAL_API_QUERIES),
        ("api:topic-list", TOPIC_API_QUERIES),
        ("api:article-list", ARTICLE_API_QUERIES),
    ]:
        with django_assert_num_queries(expected):
            response = client.get(
                reverse(url), {"topic": topic.pk} if url in ("api:statement-list", "api:claim-list") else {}
            )
        assert response.status_code == 200
        assert len(response.json()["results"]) == min(rows, 25) or url == "api:topic-list"


def test_schema_lists_the_filters_and_docs_are_served_locally(client):
    schema = client.get(reverse("api:schema"), {"format": "json"})
    assert schema.status_code == 200
    document = schema.json()
    parameters = {p["name"] for p in document["paths"]["/api/statements/"]["get"]["parameters"]}
    assert {"q", "topic", "official", "said_on_from", "said_on_to", "outlet", "contested", "cursor"} <= parameters
    docs = client.get(reverse("api:docs"))
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "cdn.jsdelivr.net" not in html and "/static/drf_spectacular_sidecar/" in html


def test_statement_list_rows_give_the_json_of_full_rows(corpus, admin_user, rf):
    """The list reads only the columns its JSON shows: its rows serialise exactly as full rows do,
    key order included, for rows with no official, venue or post, Persian text and topics."""
    unnamed = factories.StatementFactory(
        official=None, speaker_name_as_printed="یک مقام آگاه", venue_kind=VenueKind.OTHER, said_on=None,
        question="آیا گفتوگو ادامه دارد؟", status=ReviewStatus.DRAFT,
    )  # fmt: skip
    posted = factories.StatementFactory(official=corpus.araghchi, venue_outlet=corpus.reuters, text="No comment.")
    posted.topics.add(corpus.gaza, corpus.red_sea)
    override = factories.PositionFactory(official=corpus.araghchi, title="وزیر امور خارجه")
    posted.position = override
    posted.save()

    serializer = StatementSerializer(context={"request": rf.get("/api/statements/")})
    # The list's own rows (only the columns it shows) against full rows through the declared fields.
    rows = list(StatementViewSet.selector(filters={}, user=admin_user))
    full = {row.pk: row for row in statement_list(filters={}, user=admin_user)}
    assert len(rows) == len(full) >= 8
    for row in rows:
        listed = serializer.to_representation(row)
        assert json.dumps(listed, ensure_ascii=False) == json.dumps(
            serializer.to_representation(full[row.pk]), ensure_ascii=False
        )

    by_id = {row.pk: serializer.to_representation(row) for row in rows}
    assert by_id[unnamed.pk]["official"] is None and by_id[unnamed.pk]["venue_outlet"] is None
    assert by_id[unnamed.pk]["said_on"] is None and by_id[unnamed.pk]["said_on_solar_hijri"] is None
    assert by_id[unnamed.pk]["topics"] == [] and by_id[unnamed.pk]["position_at_the_time"] is None
    assert by_id[posted.pk]["venue_outlet"]["name"] == "Reuters"
    assert by_id[posted.pk]["position_at_the_time"].startswith("وزیر امور خارجه, ")
    assert [t["id"] for t in by_id[posted.pk]["topics"]] == sorted(
        [corpus.gaza.pk, corpus.red_sea.pk], key=lambda pk: {corpus.gaza.pk: corpus.gaza.name,
                                                             corpus.red_sea.pk: corpus.red_sea.name}[pk]
    )  # fmt: skip
    talks = by_id[corpus.talks.pk]
    assert talks["official"]["native_name"] == "کمال خرازی" and talks["said_on_solar_hijri"] == "1403-02-23"
    assert talks["page_url"] == f"http://testserver/statements/{corpus.talks.pk}/"


def test_statement_list_endpoint_serves_the_serializers_json(corpus, admin_client, admin_user, rf):
    body = admin_client.get(reverse("api:statement-list"), {"page_size": 100}).json()
    serializer = StatementSerializer(context={"request": rf.get("/")})
    expected = [serializer.to_representation(row) for row in statement_list(filters={}, user=admin_user)]
    assert json.dumps(body["results"], ensure_ascii=False) == json.dumps(expected, ensure_ascii=False)


@pytest.mark.parametrize("ordering", ["-id", "-said_on", "id", "said_on"])
def test_statement_list_reads_its_order_keys_in_its_one_query(client, django_assert_num_queries, ordering):
    """The list loads only the columns its JSON shows; the cursor's order keys must be among them."""
    for statement in factories.StatementFactory.create_batch(4):
        statement.topics.add(factories.TopicFactory())
    with django_assert_num_queries(STATEMENT_API_QUERIES):
        first = client.get(reverse("api:statement-list"), {"ordering": ordering, "page_size": 2}).json()
    with django_assert_num_queries(STATEMENT_API_QUERIES):
        second = client.get(first["next"]).json()
    assert len(first["results"]) == len(second["results"]) == 2


def test_statement_search_api_sorts_a_rare_words_matches_and_pages_the_same(
    client, monkeypatch, planner_uses_indexes_as_on_a_big_table
):
    """As the HTML list (claims.pagination.keyset_page): the same pages either way, one EXPLAIN more."""
    import datetime

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    import claims.selectors

    for day in range(1, 13):
        factories.StatementFactory(said_on=datetime.date(2024, 2, day))
    factories.StatementFactory(said_on=None)

    def pages():
        seen, url, params = [], reverse("api:statement-list"), {"q": "گفتگو", "page_size": 5}
        with CaptureQueriesContext(connection) as queries:
            while url:
                body = client.get(url, params).json()
                seen.append([row["id"] for row in body["results"]])
                url, params = body["next"], None
        return seen, [q["sql"] for q in queries.captured_queries]

    sorted_pages, sorted_sql = pages()
    monkeypatch.setattr(claims.selectors, "RARE_SEARCH_MATCHES", -1)
    walked_pages, walked_sql = pages()
    assert sorted_pages == walked_pages and sum(map(len, sorted_pages)) == 13
    assert any("+ 0) DESC" in sql for sql in sorted_sql) and not any("+ 0" in sql for sql in walked_sql)
    assert len(sorted_sql) == len(walked_sql) == 2 * len(sorted_pages)  # rows + the words' EXPLAIN
