"""The analysts' pages: render, filter, show errors, stay within pinned query counts, speak Persian."""

import datetime
import re

import pytest
from django import forms as django_forms
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import translation

from claims.facets import FACET_LIMIT
from claims.selectors import statement_list
from tests import factories
from tests.claims.workspace_corpus import SEED_BODY, build_corpus
from tests.common.html_forms import form_data

pytestmark = pytest.mark.django_db

# Anonymous visitor. Statements: page rows (topics as an array column); the EXPLAIN estimate only
# when the list is longer than its page; the names of the selected officials/topics/outlets only
# when the filter names some: three at most, within the bar of four whatever the page size.
STATEMENT_LIST_QUERIES = 3
# The counts beside the statement list (its own request): EXPLAIN estimate, facets+timeline+total.
STATEMENT_COUNTS_QUERIES = 2
# Claims: page rows with topics and parties as array columns (first page holds every row: no count).
CLAIM_LIST_QUERIES = 1
OFFICIAL_LIST_QUERIES = 1
TOPIC_TREE_QUERIES = 1
ARTICLE_LIST_QUERIES = 1
# Statement page: statement, topics, claims, claim topics, parties, relations both ways, citations.
STATEMENT_DETAIL_QUERIES = 8
# Official page: official, aliases, positions, statements page, estimate, facets.
OFFICIAL_DETAIL_QUERIES = 6
# Topic page: the topic table, statements page, estimate, facets.
TOPIC_DETAIL_QUERIES = 4
# Article page: article, visible citations, republications.
ARTICLE_DETAIL_QUERIES = 3


@pytest.fixture
def corpus():
    return build_corpus()


def _ids(response, attribute="data-statement"):
    return [int(n) for n in re.findall(rf'{attribute}="(\d+)"', response.content.decode())]


def _batch(rows):
    topic = factories.TopicFactory()
    outlet = factories.OutletFactory()
    official = factories.OfficialFactory()
    factories.PositionFactory(official=official, start_date=datetime.date(2000, 1, 1))
    statements = factories.StatementFactory.create_batch(rows, official=official, venue_outlet=outlet)
    for statement in statements:
        statement.topics.add(topic, factories.TopicFactory())
        claim = factories.ClaimFactory(statement=statement)
        claim.topics.add(topic)
        claim.parties.add(factories.OrganizationFactory())
        factories.CitationFactory(statement=statement, article=factories.ArticleFactory(outlet=outlet))
    return topic, official, outlet, statements


@pytest.mark.parametrize("rows", [1, 25])
def test_list_query_counts_do_not_grow_with_rows(client, django_assert_num_queries, rows):
    topic, official, outlet, statements = _batch(rows)
    filtered = {"topic": topic.pk, "said_on_from": "۱۳۹۰-۰۱-۰۱", "q": "گفتگو", "outlet": outlet.pk}
    for url, params, expected in [
        (reverse("claims:statement_list"), {}, 1),  # every row on the first page: no estimate
        # + the planner first (a text search: few matches are sorted) + the selected topic's and outlet's names
        (reverse("claims:statement_list"), filtered, 3),
        (reverse("claims:statement_counts"), filtered, STATEMENT_COUNTS_QUERIES),
        (reverse("claims:claim_list"), {}, CLAIM_LIST_QUERIES),
        (reverse("claims:claim_list"), {"topic": topic.pk, "kind": "assertion"}, CLAIM_LIST_QUERIES),
        (reverse("claims:official_list"), {}, OFFICIAL_LIST_QUERIES),
        (reverse("claims:topic_list"), {}, TOPIC_TREE_QUERIES),
        (reverse("claims:topic_list"), {"q": "topic"}, TOPIC_TREE_QUERIES),
        (reverse("claims:article_list"), {}, ARTICLE_LIST_QUERIES),
        (reverse("claims:statement_detail", args=[statements[0].pk]), {}, STATEMENT_DETAIL_QUERIES),
        (reverse("claims:official_detail", args=[official.pk]), {}, OFFICIAL_DETAIL_QUERIES),
        (reverse("claims:topic_detail", args=[topic.pk]), {}, TOPIC_DETAIL_QUERIES),
        (reverse("claims:article_detail", args=[statements[0].citations.get().article_id]), {}, ARTICLE_DETAIL_QUERIES),
    ]:
        with django_assert_num_queries(expected):
            response = client.get(url, params)
        assert response.status_code == 200, url


def test_statement_list_page_of_25_has_a_next_page_and_the_same_queries(client, django_assert_num_queries):
    _batch(26)
    with django_assert_num_queries(2):  # rows + the planner's estimate of the total
        response = client.get(reverse("claims:statement_list"))
    assert len(_ids(response)) == 25
    assert 'rel="next"' in response.content.decode()
    next_url = re.search(r'rel="next" href="([^"]+)"', response.content.decode()).group(1).replace("&amp;", "&")
    with django_assert_num_queries(2):
        second = client.get(reverse("claims:statement_list") + next_url)
    assert len(_ids(second)) == 1
    assert set(_ids(second)).isdisjoint(_ids(response))


def test_statement_list_filters_and_shows_chips_and_a_link_to_its_counts(client, corpus):
    params = {"topic": corpus.iran_us.pk, "said_on_from": "۱۴۰۳-۰۱-۰۱", "q": "گفتگو"}
    response = client.get(reverse("claims:statement_list"), params)
    assert response.status_code == 200
    html = response.content.decode()
    assert _ids(response) == [corpus.talks.pk]
    assert 'data-total="1" data-exact="true"' in html  # the whole list is on the page: counted by it
    assert "Topic: Iran–US relations" in html  # the chip, named from the selected ids
    assert "Kamal Kharrazi" in html
    assert "۲۳ اردیبهشت ۱۴۰۳" in html  # Solar Hijri beside Gregorian
    assert "2024-05-12" in html
    counts_url = re.search(r'data-counts-src="([^"]+)"', html).group(1).replace("&amp;", "&")
    assert counts_url.startswith(reverse("claims:statement_counts") + "?")
    assert "<svg" not in html  # the counts are their own request


def test_statement_counts_show_facets_timeline_and_total_for_the_same_filter(client, corpus):
    params = {"topic": corpus.iran_us.pk, "said_on_from": "۱۴۰۳-۰۱-۰۱", "q": "گفتگو"}
    response = client.get(reverse("claims:statement_counts"), params)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-part="total"' in html and 'data-total="1"' in html
    assert 'data-part="timeline"' in html and "<svg" in html and 'class="bar"' in html
    assert 'data-part="facets"' in html and "Kamal Kharrazi" in html
    assert client.get(reverse("claims:statement_counts"), {"language": "klingon"}).status_code == 400


def test_facet_links_add_to_the_filter_and_drop_the_page_cursor(client, corpus):
    response = client.get(reverse("claims:statement_list"), {"language": "fa", "cursor": "abc"})
    assert response.status_code == 400  # the damaged cursor is reported, not ignored
    response = client.get(reverse("claims:statement_counts"), {"language": "fa", "cursor": "abc"})
    html = response.content.decode()
    # The links lead to the list (they work from the list page and from the counts page alike).
    assert f'href="/statements/?language=fa&amp;official={corpus.kharrazi.pk}"' in html
    assert not re.search(r'href="/statements/\?[^"]*cursor', html)
    assert len(re.findall(r'class="bars"', html)) == 1
    assert html.count('<li><a href="/statements/?language=fa&amp;topic=') <= FACET_LIMIT


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"said_on_from": "۱۴۰۳-۱۳-۰۱"}, "said_on_from"),
        ({"official": "kharrazi"}, "official"),
        ({"language": "klingon"}, "language"),
        ({"contested": "perhaps"}, "contested"),
        ({"page_size": "5000"}, "page_size"),
    ],
)
def test_invalid_filters_are_shown_as_errors_with_400(client, corpus, params, field):
    response = client.get(reverse("claims:statement_list"), params)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'class="errors"' in html and f"<code>{field}</code>" in html
    assert 'data-statement="' not in html


def test_statement_detail_shows_question_claims_provenance_and_related_claims(client, corpus):
    response = client.get(reverse("claims:statement_detail", args=[corpus.houthis.pk]))
    html = response.content.decode()
    assert corpus.houthis.question in html
    assert "Iran will not press the Houthis" in html
    assert "The US may have asked the Houthis" in html  # related: the concession qualifies this denial
    assert "Strategic Council on Foreign Relations" in html
    response = client.get(reverse("claims:statement_detail", args=[corpus.talks.pk]))
    html = response.content.decode()
    assert "republisher" in html and "Khabaronline" in html and "Al Jazeera" in html


def test_drafts_are_404_for_anonymous_visitors(client, corpus, admin_client):
    assert Client().get(reverse("claims:statement_detail", args=[corpus.draft.pk])).status_code == 404
    assert admin_client.get(reverse("claims:statement_detail", args=[corpus.draft.pk])).status_code == 200


def test_article_page_escapes_the_body_and_marks_cited_spans(client):
    body = 'Intro <script>alert("x")</script> then the quote & more.'
    article = factories.ArticleFactory(body=body)
    start = body.index("the quote")
    factories.CitationFactory(article=article, start_offset=start, end_offset=start + len("the quote"))
    html = client.get(reverse("claims:article_detail", args=[article.pk])).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert re.search(
        r'<mark id="cite-\d+" class="cited"[^>]*><a href="/statements/\d+/">the quote</a></mark> &amp; more', html
    )


def test_seed_article_highlights_the_cited_persian_span(client, corpus):
    html = client.get(reverse("claims:article_detail", args=[corpus.article.pk])).content.decode()
    cited = SEED_BODY[SEED_BODY.index("گفتوگوهای") : SEED_BODY.index("ادامه دارد.") + len("ادامه دارد.")]
    assert f">{cited}</a></mark>" in html


def test_official_profile_shows_positions_topics_and_timeline(client, corpus):
    html = client.get(reverse("claims:official_detail", args=[corpus.kharrazi.pk])).content.decode()
    assert "Foreign Minister" in html and "Head" in html
    assert "Red Sea shipping" in html and "<svg" in html
    assert 'data-total="4"' in html


def test_topic_page_includes_sub_topic_statements(client, corpus):
    html = client.get(reverse("claims:topic_detail", args=[corpus.iran_us.pk])).content.decode()
    assert f'data-statement="{corpus.talks.pk}"' in html  # tagged with the sub-topic
    assert f'data-statement="{corpus.english.pk}"' in html
    assert "Indirect talks" in html and "<svg" in html


def test_topic_tree_lists_children_under_parents(client, corpus):
    html = client.get(reverse("claims:topic_list")).content.decode()
    assert html.index("Iran–US relations") < html.index("Indirect talks")
    assert 'class="depth-1"' in html


def test_persian_pages_are_right_to_left_with_persian_labels(client, corpus):
    response = client.post(reverse("set_language"), {"language": "fa", "next": reverse("claims:statement_list")})
    assert response.status_code == 302
    html = client.get(reverse("claims:statement_list")).content.decode()
    assert '<html lang="fa" dir="rtl">' in html
    assert "گفته‌ها" in html  # "Statements" in Persian
    row = re.search(rf'data-statement="{corpus.houthis.pk}".*?</li>\s*</ul>', html, re.S).group(0)
    assert "کشتیرانی دریای سرخ" in row  # the row's topic in its Persian name
    assert "۲۰۲۴-۰۵-۱۲" in html  # Gregorian date with Persian digits
    # Back in English, the same rows (dates and topic links are cached per process) speak English.
    client.post(reverse("set_language"), {"language": "en", "next": reverse("claims:statement_list")})
    html = client.get(reverse("claims:statement_list")).content.decode()
    row = re.search(rf'data-statement="{corpus.houthis.pk}".*?</li>\s*</ul>', html, re.S).group(0)
    assert "Red Sea shipping" in row and "کشتیرانی دریای سرخ" not in row
    assert "2024-05-12" in html and "۲۰۲۴-۰۵-۱۲" not in html
    translation.activate("en")


def _row(html, pk):
    return re.search(rf'<li class="result" data-statement="{pk}">.*?</li>', html, re.S).group(0)


def test_statement_rows_show_every_part_and_escape_what_curators_typed(admin_client):
    client = Client()  # anonymous (the project's admin_client is the logged-in ``client``)
    hostile = '<img src=x onerror="alert(1)">'
    official = factories.OfficialFactory(display_name=f"Kharrazi {hostile}", native_name="کمال خرازی")
    factories.PositionFactory(official=official, title=f"Head {hostile}", start_date=datetime.date(2000, 1, 1))
    outlet = factories.OutletFactory(name=f"Outlet {hostile}", name_native=f"خبرآنلاین {hostile}")
    spoken = factories.StatementFactory(
        official=official,
        venue_outlet=outlet,
        text=f"Text {hostile}",
        translation=f"Translation {hostile}",
        said_on=datetime.date(2024, 5, 12),
    )
    unnamed = factories.StatementFactory(official=None, speaker_name_as_printed=f"A source {hostile}")
    draft = factories.StatementFactory(status="draft", said_on=datetime.date(2024, 5, 11))

    html = client.get(reverse("claims:statement_list")).content.decode()
    assert "<img" not in html and "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html
    row = _row(html, spoken.pk)
    assert f'href="{reverse("claims:official_detail", args=[official.pk])}"' in row
    assert f'href="{reverse("claims:statement_detail", args=[spoken.pk])}"' in row
    assert "Kharrazi &lt;img" in row and "Head &lt;img" in row and "Outlet &lt;img" in row and "خبرآنلاین" not in row
    assert "Translation &lt;img" in row and "interview" in row
    assert '<time datetime="2024-05-12"' in row and "اردیبهشت" in row
    assert "badge" not in row
    assert "A source &lt;img" in _row(html, unnamed.pk)
    assert f'data-statement="{draft.pk}"' not in html  # drafts are for staff

    staff_html = admin_client.get(reverse("claims:statement_list")).content.decode()
    assert '<span class="badge draft">draft</span>' in _row(staff_html, draft.pk)

    client.post(reverse("set_language"), {"language": "fa", "next": "/"})
    persian = _row(client.get(reverse("claims:statement_list")).content.decode(), spoken.pk)
    assert "کمال خرازی" in persian and "Kharrazi" not in persian
    assert "interview" not in persian  # the venue in Persian
    assert "خبرآنلاین &lt;img" in persian and "Outlet &lt;img" not in persian
    translation.activate("en")


def test_choice_filters_keep_what_was_chosen(client):
    html = client.get(
        reverse("claims:statement_list"), {"language": ["fa", "ar"], "contested": "true", "ordering": "said_on"}
    ).content.decode()
    chosen = form_data(html, "filters")
    assert sorted(chosen["language"]) == ["ar", "fa"]
    assert chosen["contested"] == ["true"] and chosen["ordering"] == ["said_on"]
    assert re.search(r'<input type="checkbox" name="language" value="en"(?![^>]*checked)[^>]*>', html)
    unchosen = form_data(client.get(reverse("claims:statement_list")).content, "filters")
    assert "language" not in unchosen and unchosen["contested"] == [""] and unchosen["ordering"] == ["-said_on"]


def test_choice_labels_follow_the_page_language():
    """A Persian page and an English one, one after the other, each label the choices in its language."""
    boxes = r'<label><input type="checkbox" name="language" value="fa"[^>]*> '
    english = Client().get(reverse("claims:statement_list")).content.decode()
    assert re.search(boxes + "Persian</label>", english)
    persian_client = Client()
    persian_client.post(reverse("set_language"), {"language": "fa", "next": "/"})
    persian = persian_client.get(reverse("claims:statement_list")).content.decode()
    assert re.search(boxes + "فارسی</label>", persian) and "> Persian</label>" not in persian
    assert re.search(boxes + "Persian</label>", Client().get(reverse("claims:statement_list")).content.decode())
    translation.activate("en")


@pytest.mark.parametrize("url", ["claims:statement_list", "claims:claim_list"])
def test_text_and_date_filters_render_as_django_would_with_their_values_and_errors(client, url):
    """The country and date inputs skip the form renderer: what Django's templates would write."""
    from claims.filters import ClaimFilterSet, StatementFilterSet
    from claims.selectors import bind

    params = {"country": '"><b>x', "said_on_from": "۱۴۰۳-۰۲-۲۳"}
    response = client.get(reverse(url), params)
    assert response.status_code == 400
    html = response.content.decode()
    form = bind(StatementFilterSet if url == "claims:statement_list" else ClaimFilterSet, params).form
    country = form["country"]
    django_country = str(country.as_widget(widget=django_forms.TextInput()))
    assert f'<div class="field">{country.label_tag()}{django_country}{country.errors}</div>' in html
    assert 'value="&quot;&gt;&lt;b&gt;x"' in django_country and "<b>x" not in html
    said_on = form["said_on_from"]
    django_said_on = str(said_on.as_widget(widget=django_forms.TextInput(attrs=said_on.field.widget.attrs)))
    assert django_said_on in html and 'value="۱۴۰۳-۰۲-۲۳"' in django_said_on  # as typed


def test_english_pages_are_left_to_right(client, corpus):
    html = client.get(reverse("claims:statement_list")).content.decode()
    assert '<html lang="en" dir="ltr">' in html
    assert 'dir="auto"' in html


def test_permalink_reproduces_the_same_list(client, corpus):
    params = {"topic": corpus.red_sea.pk, "ordering": "said_on", "said_on_to": "۱۴۰۴-۰۱-۰۱"}
    first = client.get(reverse("claims:statement_list"), params)
    again = Client().get(first.request["PATH_INFO"] + "?" + first.request["QUERY_STRING"])
    assert _ids(first) == _ids(again) == [corpus.houthis.pk, corpus.concession.pk] or _ids(first) == _ids(again)
    assert len(_ids(again)) == 2


def test_claims_list_filters(client, corpus):
    response = client.get(reverse("claims:claim_list"), {"contested": "true"})
    assert response.status_code == 200
    assert len(_ids(response, "data-claim")) == 2
    assert client.get(reverse("claims:claim_list"), {"kind": "gossip"}).status_code == 400


def test_officials_and_articles_lists(client, corpus):
    html = client.get(reverse("claims:official_list"), {"q": "خرازی"}).content.decode()
    assert "Kamal Kharrazi" in html and "Abbas Araghchi" not in html
    html = client.get(reverse("claims:article_list"), {"q": "گفتگو"}).content.decode()
    assert "خرازی: گفتوگوهای غیرمستقیم ادامه دارد" in html
    assert client.get(reverse("claims:article_list"), {"published_from": "never"}).status_code == 400


def test_home_redirects_to_statements_keeping_the_filter(client):
    response = client.get("/", {"q": "x"})
    assert response.status_code == 302 and response["Location"] == "/statements/?q=x"


def test_topic_tree_is_paginated(client, corpus, monkeypatch, django_assert_num_queries):
    from claims import views

    monkeypatch.setattr(views, "TOPIC_TREE_PAGE", 3)
    with django_assert_num_queries(TOPIC_TREE_QUERIES):
        first = client.get(reverse("claims:topic_list")).content.decode()
    second = client.get(reverse("claims:topic_list"), {"page": 2}).content.decode()
    assert first.count('<li class="depth-') == 3 and second.count('<li class="depth-') == 1
    assert 'rel="next" href="?page=2"' in first


def _cursor(values):
    import base64
    import json

    return base64.urlsafe_b64encode(json.dumps(["n", values]).encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "url",
    [
        "/statements/?official=99999999999999999999",
        f"/statements/?cursor={_cursor(['2024-01-01', 99999999999999999999])}",
        f"/statements/?cursor={_cursor(['0001-01-01', 5])}",
        f"/statements/?cursor={_cursor([123, 5])}",
        "/api/statements/?topic=99999999999999999999",
        "/statements/export.csv?outlet=99999999999999999999",
        "/statements/?q=%00",
        "/statements/?said_on_from=%00",
        "/statements/?q=" + "a" * 400,
        "/statements/?country=%00%00",
        f"/api/officials/?cursor={_cursor(['2024-01-01', 3])}",
        "/topics/?page=abc",
        "/topics/?page=99",
        "/statements/99999999999999999999/",
        "/api/statements/99999999999999999999/",
        "/officials/?q=%00x",
        "/claims/export.csv?said_on_to=۳۱-۱۲-۱۴۰۳",
    ],
)
def test_hostile_input_is_never_a_server_error(client, corpus, url):
    cache.clear()
    assert client.get(url).status_code < 500


@pytest.mark.parametrize(
    "params",
    [
        {"official": "{kharrazi},{araghchi}"},
        {"organization": "{council}"},
        {"country": "IR"},
        {"topic": "{iran_us}"},
        {"said_on_from": "۱۴۰۳-۰۱-۰۱", "said_on_to": "2025-01-01"},
        {"language": ["fa", "en"]},
        {"outlet": "{aljazeera}"},
        {"venue_kind": "interview"},
        {"attribution": "paraphrase"},
        {"claim_kind": "denial"},
        {"contested": "true"},
        {"status": "published"},
        {"q": '"غیرمستقیم" گفتگو'},
        {"ordering": "said_on"},
    ],
)
def test_every_filter_keeps_the_list_within_the_four_statement_bar(
    client, corpus, django_assert_max_num_queries, params
):
    ids = {name: getattr(corpus, name).pk for name in ("kharrazi", "araghchi", "council", "iran_us", "aljazeera")}
    params = {k: v.format(**ids) if isinstance(v, str) else v for k, v in params.items()}
    with django_assert_max_num_queries(STATEMENT_LIST_QUERIES):
        response = client.get(reverse("claims:statement_list"), params)
    assert response.status_code == 200
    assert _ids(response)


def test_large_results_show_an_estimate_labelled_as_such(client, corpus, monkeypatch):
    from claims import facets

    monkeypatch.setattr(facets, "FACET_SAMPLE_THRESHOLD", 0)
    monkeypatch.setattr(facets, "FACET_BLOCK_SAMPLE_FROM", 0)
    html = client.get(reverse("claims:statement_list"), {"page_size": 2}).content.decode()
    assert 'data-exact="false"' in html  # the planner's estimate until the counts arrive
    assert "(estimate)" in html and "about" in html
    html = client.get(reverse("claims:statement_counts"), {"page_size": 2}).content.decode()
    assert 'data-exact="false"' in html
    assert "(estimate)" in html and "about" in html
    assert "estimated from a sample" in html


@pytest.mark.django_db
def test_a_relation_reads_in_the_passive_from_the_other_claims_statement(client):
    from django.urls import reverse

    from tests.factories import ClaimFactory, ClaimRelationFactory

    denial = ClaimFactory(text="Iran will not press the Houthis", kind="denial")
    concession = ClaimFactory(text="The US may have asked for some consideration", kind="concession")
    ClaimRelationFactory(from_claim=concession, to_claim=denial, kind="qualifies")
    page = client.get(reverse("claims:statement_detail", args=[denial.statement_id])).content.decode()
    assert "is qualified by" in page
    assert "is qualifies by" not in page
    persian = client.get(
        reverse("claims:statement_detail", args=[denial.statement_id]), HTTP_ACCEPT_LANGUAGE="fa"
    ).content.decode()
    assert "مشروط شده در" in persian


def test_a_search_with_few_matches_sorts_them_and_pages_the_same(
    client, monkeypatch, planner_uses_indexes_as_on_a_big_table
):
    """Few matches (as the planner expects) are collected and sorted rather than found by walking
    the date index (claims.pagination.keyset_page): the same rows, pages and cursors either way."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    import claims.selectors

    official = factories.OfficialFactory()
    for day in range(1, 31):
        factories.StatementFactory(official=official, said_on=datetime.date(2024, 1, day % 28 + 1))
    factories.StatementFactory(official=official, said_on=None)
    factories.StatementFactory(official=official, text="Another subject entirely.", language="en")

    def pages(params):
        """Every page forwards, then back from the last one: (pages, pages going back, SQL)."""
        seen, back, url = [], [], reverse("claims:statement_list") + "?" + params
        with CaptureQueriesContext(connection) as queries:
            for rel, into in (("next", seen), ("prev", back)):
                while url:
                    html = client.get(url).content.decode()
                    into.append(_ids_in(html))
                    found = re.search(rf'rel="{rel}" href="([^"]+)"', html)
                    url = reverse("claims:statement_list") + found.group(1).replace("&amp;", "&") if found else None
                    last = html
                found = re.search(r'rel="prev" href="([^"]+)"', last)
                url = reverse("claims:statement_list") + found.group(1).replace("&amp;", "&") if found else None
        return seen, back, [q["sql"] for q in queries.captured_queries]

    sorted_pages, sorted_back, sorted_sql = pages("q=گفتگو&page_size=7")
    monkeypatch.setattr(claims.selectors, "RARE_SEARCH_MATCHES", -1)
    walked_pages, walked_back, walked_sql = pages("q=گفتگو&page_size=7")
    assert sorted_pages == walked_pages and sum(map(len, sorted_pages)) == 31
    assert sorted_back == walked_back == sorted_pages[-2::-1]  # back from the last page: the same pages
    assert any('("claims_statement"."said_on" + 0) DESC' in sql for sql in sorted_sql)
    assert not any("+ 0" in sql for sql in walked_sql)


def _ids_in(html):
    return [int(n) for n in re.findall(r'data-statement="(\d+)"', html)]


def test_only_a_rare_word_is_sorted_not_a_common_word_narrowed_by_other_filters(
    client, monkeypatch, planner_uses_indexes_as_on_a_big_table
):
    """The choice follows the words' own matches: a common word narrowed to a few rows by dates
    would have every one of its GIN matches collected and sorted (1.5 s at a million statements)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    import claims.selectors
    from claims.models import Statement
    from common.queries import planner_estimate

    official = factories.OfficialFactory()
    common = [
        Statement(official=official, text=f"تحریم {n}", language="fa", status="published",
                  said_on=datetime.date(2024, 1, 1) - datetime.timedelta(days=n))
        for n in range(400)
    ]  # fmt: skip
    rare = [
        Statement(official=official, text="خرازی", language="fa", status="published", said_on=datetime.date(2020, 1, 1))
        for _ in range(3)
    ]
    Statement.objects.bulk_create(common + rare)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE claims_statement")
    narrowed_filter = {"q": "تحریم", "said_on_to": "2022-12-20"}
    word_alone = planner_estimate(Statement.objects.search("تحریم"))
    narrowed = planner_estimate(statement_list(filters=narrowed_filter))
    assert narrowed < word_alone  # what the planner expects here: the case to tell apart
    monkeypatch.setattr(claims.selectors, "RARE_SEARCH_MATCHES", narrowed)

    def page_sql(params):
        with CaptureQueriesContext(connection) as queries:
            html = client.get(reverse("claims:statement_list"), params).content.decode()
        page = [q["sql"] for q in queries.captured_queries if "LIMIT" in q["sql"] and "EXPLAIN" not in q["sql"]]
        return _ids_in(html), page[-1]

    ids, sql = page_sql(narrowed_filter)
    assert len(ids) == 23 and "+ 0" not in sql
    ids, sql = page_sql({"q": "خرازی"})
    assert len(ids) == 3 and '("claims_statement"."said_on" + 0) DESC' in sql
