import datetime
import hashlib

import pytest
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType

from claims.choices import ReviewStatus
from claims.models import Citation, Statement
from common.dates import TEHRAN
from sources.models import Article, Outlet, OutletAlias, Republication
from tests import factories
from tests.claims.admin_helpers import add_inline_rows, admin_url, errors_of, form_data, post_admin_form

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _cold_content_type_cache():
    # Admin pages look up content types through a process-wide cache: start every test cold, so a
    # page's query count does not depend on which tests ran before it.
    ContentType.objects.clear_cache()

# See tests/claims/test_admin.py for what each page pays. The article changelist adds one for its
# date drill-down's bounds; its list filters are choices and read nothing.
CHANGELIST_QUERIES = {Outlet: 9, OutletAlias: 9, Article: 10, Republication: 9}
ADD_QUERIES = {Outlet: 7, OutletAlias: 7, Article: 7, Republication: 7}
# The article's page: its row, two inlines, the citing statements' and the republisher's widgets.
CHANGE_QUERIES = {Outlet: 9, OutletAlias: 9, Article: 13, Republication: 10}


def build_rows(model, count):
    if model is Outlet:
        return factories.OutletFactory.create_batch(count)
    if model is OutletAlias:
        return factories.OutletAliasFactory.create_batch(count)
    if model is Article:
        upstream = factories.OutletFactory()
        return [factories.ArticleFactory(upstream_outlet=upstream,
                                         published_at=datetime.datetime(2024, 5, 12, 9, 44, tzinfo=TEHRAN))
                for _ in range(count)]
    if model is Republication:
        return [Republication.objects.create(article=factories.ArticleFactory(), outlet=factories.OutletFactory(),
                                             url=f"https://copy.example/{index}")
                for index in range(count)]
    raise AssertionError(model)


def build_detailed(model):
    if model is Outlet:
        outlet = factories.OutletFactory()
        factories.OutletAliasFactory(outlet=outlet, name="خبرآنلاین")
        factories.OutletAliasFactory(outlet=outlet, name="Khabar Online")
        return outlet
    if model is Article:
        article = build_rows(Article, 1)[0]
        factories.CitationFactory(article=article)
        factories.CitationFactory(article=article)
        Republication.objects.create(article=article, outlet=factories.OutletFactory(), url="https://copy.example/1")
        return article
    return build_rows(model, 1)[0]


def test_sources_admins_follow_the_big_table_defaults():
    for model in CHANGELIST_QUERIES:
        model_admin = admin.site._registry[model]
        assert model_admin.show_full_result_count is False
        assert not model_admin.list_editable
        assert isinstance(model_admin.list_select_related, tuple | list)
        for field in model._meta.fields:
            if field.is_relation and field.editable:
                assert field.name in model_admin.autocomplete_fields, (model, field.name)


@pytest.mark.parametrize("rows", [1, 25])
@pytest.mark.parametrize("model", list(CHANGELIST_QUERIES), ids=lambda model: model.__name__)
def test_changelist_query_count_does_not_grow_with_rows(admin_client, django_assert_num_queries, model, rows):
    build_rows(model, rows)
    with django_assert_num_queries(CHANGELIST_QUERIES[model]):
        response = admin_client.get(admin_url(model, "changelist"))
    assert response.status_code == 200
    assert response.context["cl"].result_count == model.objects.count()


@pytest.mark.parametrize("model", list(CHANGELIST_QUERIES), ids=lambda model: model.__name__)
def test_add_page_renders(admin_client, django_assert_num_queries, model):
    with django_assert_num_queries(ADD_QUERIES[model]):
        response = admin_client.get(admin_url(model, "add"))
    assert response.status_code == 200


@pytest.mark.parametrize("model", list(CHANGELIST_QUERIES), ids=lambda model: model.__name__)
def test_change_page_renders(admin_client, django_assert_num_queries, model):
    row = build_detailed(model)
    with django_assert_num_queries(CHANGE_QUERIES[model]):
        response = admin_client.get(admin_url(model, "change", row.pk))
    assert response.status_code == 200


def test_article_changelist_shows_the_solar_hijri_date_and_tehran_time(admin_client):
    build_rows(Article, 1)
    content = admin_client.get(admin_url(Article, "changelist")).content.decode()
    assert "۲۳ اردیبهشت ۱۴۰۳، 09:44" in content


def test_article_search_folds_spellings(admin_client):
    article = factories.ArticleFactory(body="کمال خرازی گفت: گفتوگوهای غیرمستقیم موضوع جدیدی نیست.")
    factories.ArticleFactory(body="متنی دیگر")
    response = admin_client.get(admin_url(Article, "changelist"), {"q": "گفت‌وگوهای"})
    assert list(response.context["cl"].result_list) == [article]


def test_outlet_search_finds_an_alias_in_another_script(admin_client):
    outlet = factories.OutletFactory(name="Al Jazeera", name_native="")
    factories.OutletAliasFactory(outlet=outlet, name="الجزیره")
    factories.OutletFactory(name="Khabaronline")
    response = admin_client.get(admin_url(Outlet, "changelist"), {"q": "الجزيرة"})
    assert list(response.context["cl"].result_list) == [outlet]


def _article_add_data(admin_client, **changes):
    outlet = factories.OutletFactory()
    data = form_data(admin_client.get(admin_url(Article, "add")))
    data.update({"title": "مذاکرات محرمانه", "outlet": str(outlet.pk), "language": "fa",
                 "body": "گفتوگوهای غیرمستقیم بین ایران و آمریکا موضوع جدیدی نیست.",
                 "published_calendar": "solar_hijri", "captured_at": "2025-11-01 01:51"})
    data.update(changes)
    return data


@pytest.mark.parametrize(
    "typed", ["۰۹:۴۴ - ۲۳-۰۲-۱۴۰۳", "۲۳ اردیبهشت ۱۴۰۳ ۰۹:۴۴", "2024-05-12 09:44", "2024-05-12T09:44"]
)
def test_article_published_at_accepts_solar_hijri_date_and_time(admin_client, typed):
    response = admin_client.post(admin_url(Article, "add"), _article_add_data(admin_client, published_at=typed))
    assert response.status_code == 302, errors_of(response)
    article = Article.objects.get()
    assert article.published_at == datetime.datetime(2024, 5, 12, 9, 44, tzinfo=TEHRAN)
    assert article.body_sha256 == hashlib.sha256(article.body.encode()).hexdigest()


@pytest.mark.parametrize("typed", ["۰۹:۴۴ - ۳۱-۰۷-۱۴۰۳", "25:10 - ۲۳-۰۲-۱۴۰۳", "soon"])
def test_article_impossible_published_at_is_a_form_error(admin_client, typed):
    response = admin_client.post(admin_url(Article, "add"), _article_add_data(admin_client, published_at=typed))
    assert response.status_code == 200
    assert "published_at" in response.context["adminform"].form.errors
    assert not Article.objects.exists()


def test_article_with_a_stored_body_is_a_form_error(admin_client):
    existing = factories.ArticleFactory()
    response = admin_client.post(admin_url(Article, "add"), _article_add_data(admin_client, body=existing.body))
    assert response.status_code == 200
    assert "body" in response.context["adminform"].form.errors
    assert Article.objects.count() == 1


def test_article_change_page_round_trips_unchanged(admin_client):
    article = build_detailed(Article)
    response = post_admin_form(admin_client, admin_url(Article, "change", article.pk), {})
    assert response.status_code == 302, errors_of(response)
    saved = Article.objects.get(pk=article.pk)
    assert saved.published_at == article.published_at
    assert saved.body_sha256 == article.body_sha256


def test_citation_inline_on_the_statement_checks_offsets(admin_client):
    article = factories.ArticleFactory()
    statement = factories.StatementFactory(status=ReviewStatus.DRAFT)
    url = admin_url(Statement, "change", statement.pk)
    data = add_inline_rows(form_data(admin_client.get(url)), "citations", [{
        "article": str(article.pk), "quote": article.body[:5], "start_offset": "0",
        "end_offset": str(len(article.body) + 3), "role": "republisher",
    }])
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "lies outside the article body" in errors_of(response)
    assert not Citation.objects.exists()
    # The same row with offsets inside the body is saved and verified.
    data["citations-0-end_offset"] = "5"
    response = admin_client.post(url, data)
    assert response.status_code == 302, errors_of(response)
    assert Citation.objects.get().verified


def test_the_article_page_lists_its_citations_read_only(admin_client):
    citation = factories.CitationFactory()
    url = admin_url(Article, "change", citation.article_id)
    content = admin_client.get(url).content.decode()
    assert citation.quote[:20] in content
    assert admin_url(Citation, "change", citation.pk) in content  # edited on its own page
    data = add_inline_rows(form_data(admin_client.get(url)), "citations", [{
        "statement": str(citation.statement_id), "quote": "x", "start_offset": "0", "end_offset": "1",
        "role": "republisher",
    }])
    admin_client.post(url, data)
    assert Citation.objects.count() == 1


def test_duplicate_outlet_alias_in_another_script(admin_client):
    url = admin_url(Outlet, "add")
    data = form_data(admin_client.get(url))
    data.update({"name": "Al Jazeera", "kind": "broadcaster"})
    add_inline_rows(data, "aliases", [{"name": "الجزيرة"}, {"name": "الجزیره"}])
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "already an alias" in errors_of(response)
    assert not Outlet.objects.exists()

    outlet = factories.OutletFactory()
    factories.OutletAliasFactory(outlet=outlet, name="الجزيرة")
    url = admin_url(OutletAlias, "add")
    response = post_admin_form(admin_client, url, {"outlet": str(outlet.pk), "name": "الجزیره"})
    assert response.status_code == 200
    assert "name" in response.context["adminform"].form.errors
    assert OutletAlias.objects.count() == 1


def test_the_body_of_a_cited_article_cannot_change(admin_client):
    article = build_detailed(Article)
    url = admin_url(Article, "change", article.pk)
    response = post_admin_form(admin_client, url, {"body": article.body[:10]})
    assert response.status_code == 200
    assert "body" in response.context["adminform"].form.errors
    assert Article.objects.get(pk=article.pk).body == article.body
    # An article nobody cites yet may still be corrected.
    fresh = factories.ArticleFactory()
    response = post_admin_form(admin_client, admin_url(Article, "change", fresh.pk), {"body": "متن درست‌شده"})
    assert response.status_code == 302, errors_of(response)
    fresh.refresh_from_db()
    assert fresh.body_sha256 == hashlib.sha256("متن درست‌شده".encode()).hexdigest()


@pytest.mark.parametrize("query", [{}, {"o": "-2.3"}])
@pytest.mark.parametrize("model", list(CHANGELIST_QUERIES), ids=lambda model: model.__name__)
def test_changelist_lists_every_row_with_its_checkbox_and_change_link(admin_client, model, query):
    build_rows(model, 3)
    response = admin_client.get(admin_url(model, "changelist"), query)
    assert response.status_code == 200
    changelist = response.context["cl"]
    assert len(changelist.result_list) >= 3
    content = response.content.decode()
    for row in changelist.result_list:
        if response.context["action_form"]:  # a list with actions
            assert f'name="_selected_action" value="{row.pk}"' in content
        assert f'href="{admin_url(model, "change", row.pk)}' in content


def test_article_changelist_shows_both_calendars_in_one_column(admin_client):
    build_rows(Article, 1)
    response = admin_client.get(admin_url(Article, "changelist"))
    content = response.content.decode()
    assert '<td class="field-published_dates">May 12, 2024<span class="solar-hijri" lang="fa">' in content
    assert "field-published_solar_hijri" not in content  # one cell, not two
