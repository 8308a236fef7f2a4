import datetime
import re

import pghistory.models
import pytest
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.choices import ClaimRelationKind, ReviewStatus
from claims.models import (
    Citation,
    Claim,
    ClaimParty,
    ClaimRelation,
    ClaimTopic,
    Official,
    OfficialAlias,
    Organization,
    Position,
    Statement,
    StatementTopic,
    StatementTransition,
    Topic,
)
from common.models import UserProfile
from tests import factories
from tests.claims.admin_helpers import add_inline_rows, admin_url, errors_of, form_data, post_admin_form

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _cold_content_type_cache():
    # Admin pages look up content types through a process-wide cache: start every test cold, so a
    # page's query count does not depend on which tests ran before it.
    ContentType.objects.clear_cache()

# Queries per admin page for a superuser. Every page pays 3 for the request itself (session, user,
# profile for the interface language) and 3 more when the session is saved (savepoint, update,
# release: on a session's first request, as here, then at most every GOFTAR_SESSION_REFRESH_SECONDS).
# A changelist adds the planner's estimate (EXPLAIN), the exact count while the estimate is small,
# and its page of rows, plus one per list filter that reads the database (topics, distinct
# countries) and one for the date drill-down's bounds. The count must not grow with the number of
# rows. (UserProfile is common's admin: no estimate.)
CHANGELIST_QUERIES = {
    Organization: 9,
    Official: 10,  # + distinct countries for the country filter
    OfficialAlias: 9,
    Position: 9,
    Topic: 9,
    Statement: 11,  # + topics for the topic filter, + date hierarchy bounds (min/max)
    StatementTopic: 9,
    StatementTransition: 9,
    Citation: 9,
    Claim: 10,  # + topics for the topic filter
    ClaimTopic: 9,
    ClaimParty: 9,
    ClaimRelation: 9,
    UserProfile: 8,
}
# An add or change page also looks up the model's content type (the cache starts cold, see below).
ADD_QUERIES = {model: 7 for model in CHANGELIST_QUERIES}
ADD_QUERIES[StatementTransition] = 6  # refused (403) before any form is built
# A change page loads its row, then each inline's rows, then the selected value of each
# autocomplete widget (one query per widget that has a value). Pinned for the rows built below.
CHANGE_QUERIES = {
    Organization: 9,
    Official: 11,
    OfficialAlias: 9,
    Position: 10,
    Topic: 9,
    Statement: 16,
    StatementTopic: 10,
    StatementTransition: 8,
    Citation: 10,
    Claim: 15,
    ClaimTopic: 10,
    ClaimParty: 10,
    ClaimRelation: 10,
    UserProfile: 10,
}
# Review steps are an audit record: there is no add page (403), and the change page is view-only.
NO_ADD_PAGE = {StatementTransition}


def _statement(**kwargs):
    return factories.StatementFactory(venue_outlet=factories.OutletFactory(), **kwargs)


def build_rows(model, count):
    """``count`` rows of ``model`` with every foreign key filled, so the changelist shows them all."""
    if model is Organization:
        parent = factories.OrganizationFactory()
        return [factories.OrganizationFactory(parent=parent) for _ in range(count)]
    if model is Official:
        return factories.OfficialFactory.create_batch(count)
    if model is OfficialAlias:
        return factories.OfficialAliasFactory.create_batch(count)
    if model is Position:
        return factories.PositionFactory.create_batch(count, start_date=datetime.date(2006, 6, 25))
    if model is Topic:
        parent = factories.TopicFactory()
        return [factories.TopicFactory(parent=parent) for _ in range(count)]
    if model is Statement:
        return [_statement() for _ in range(count)]
    if model is StatementTopic:
        return [StatementTopic.objects.create(statement=_statement(), topic=factories.TopicFactory())
                for _ in range(count)]
    if model is StatementTransition:
        actor = factories.UserFactory()
        return [StatementTransition.objects.create(statement=_statement(), from_status=ReviewStatus.DRAFT,
                                                   to_status=ReviewStatus.REVIEWED, actor=actor)
                for _ in range(count)]
    if model is Citation:
        return factories.CitationFactory.create_batch(count)
    if model is Claim:
        return factories.ClaimFactory.create_batch(count)
    if model is ClaimTopic:
        return [ClaimTopic.objects.create(claim=factories.ClaimFactory(), topic=factories.TopicFactory())
                for _ in range(count)]
    if model is ClaimParty:
        return [ClaimParty.objects.create(claim=factories.ClaimFactory(), organization=factories.OrganizationFactory())
                for _ in range(count)]
    if model is ClaimRelation:
        return factories.ClaimRelationFactory.create_batch(count)
    if model is UserProfile:
        return [UserProfile.objects.create(user=factories.UserFactory(), language="fa") for _ in range(count)]
    raise AssertionError(f"no builder for {model}")


def build_detailed(model):
    """One row with a typical set of inline rows, for the change page."""
    if model is Official:
        official = factories.OfficialFactory()
        factories.OfficialAliasFactory(official=official, name="کمال خرازی")
        factories.OfficialAliasFactory(official=official, name="Kharrazi")
        factories.PositionFactory(official=official)
        return official
    if model is Statement:
        statement = _statement()
        StatementTopic.objects.create(statement=statement, topic=factories.TopicFactory())
        factories.CitationFactory(statement=statement)
        factories.ClaimFactory(statement=statement)
        StatementTransition.objects.create(statement=statement, from_status=ReviewStatus.DRAFT,
                                           to_status=ReviewStatus.REVIEWED)
        return statement
    if model is Claim:
        claim = factories.ClaimFactory()
        ClaimTopic.objects.create(claim=claim, topic=factories.TopicFactory())
        ClaimParty.objects.create(claim=claim, organization=factories.OrganizationFactory())
        factories.ClaimRelationFactory(from_claim=claim)
        return claim
    return build_rows(model, 1)[0]


def test_every_model_of_claims_and_sources_is_registered():
    from django.apps import apps

    for app in ("claims", "sources"):
        for model in apps.get_app_config(app).get_models():
            if model.__name__.endswith("Event"):
                continue  # pghistory's event tables are shown through pghistory's own admin
            if not model._meta.default_permissions:
                continue  # derived rows a trigger keeps (the topic tree's closure): nobody edits them
            assert admin.site.is_registered(model), model


def test_claims_admins_follow_the_big_table_defaults():
    for model in CHANGELIST_QUERIES:
        model_admin = admin.site._registry[model]
        assert model_admin.show_full_result_count is False
        assert not model_admin.list_editable
        assert isinstance(model_admin.list_select_related, tuple | list), model
        foreign_keys = [field.name for field in model._meta.fields if field.is_relation and field.editable]
        for name in foreign_keys:
            if model in NO_ADD_PAGE or model is UserProfile:
                continue
            assert name in model_admin.autocomplete_fields, (model, name)


@pytest.mark.parametrize("rows", [1, 25])
@pytest.mark.parametrize("model", list(CHANGELIST_QUERIES), ids=lambda model: model.__name__)
def test_changelist_query_count_does_not_grow_with_rows(admin_client, django_assert_num_queries, model, rows):
    build_rows(model, rows)
    url = admin_url(model, "changelist")
    with django_assert_num_queries(CHANGELIST_QUERIES[model]):
        response = admin_client.get(url)
    assert response.status_code == 200
    assert response.context["cl"].result_count == model.objects.count()


@pytest.mark.parametrize("model", list(CHANGELIST_QUERIES), ids=lambda model: model.__name__)
def test_add_page_renders(admin_client, django_assert_num_queries, model):
    url = admin_url(model, "add")
    with django_assert_num_queries(ADD_QUERIES[model]):
        response = admin_client.get(url)
    assert response.status_code == (403 if model in NO_ADD_PAGE else 200)


@pytest.mark.parametrize("model", list(CHANGELIST_QUERIES), ids=lambda model: model.__name__)
def test_change_page_renders(admin_client, django_assert_num_queries, model):
    row = build_detailed(model)
    url = admin_url(model, "change", row.pk)
    with django_assert_num_queries(CHANGE_QUERIES[model]):
        response = admin_client.get(url)
    assert response.status_code == 200


# --- search ----------------------------------------------------------------------------------------


def test_statement_search_for_goftogu_finds_goftvogu(admin_client):
    found = _statement(text="گفتوگوهای غیرمستقیم بین ایران و آمریکا موضوع جدیدی نیست.")
    other = _statement(text="ما وظیفه دفاع از محور مقاومت را داریم.")
    response = admin_client.get(admin_url(Statement, "changelist"), {"q": "گفتگو"})
    assert response.status_code == 200
    results = list(response.context["cl"].result_list)
    assert found in results
    assert other not in results


@pytest.mark.parametrize("typed", ["گفت‌وگو", "گفت وگو", "گفتوگو"])
def test_statement_search_meets_every_spelling(admin_client, typed):
    found = _statement(text="در این راستا گفتگوهای غیرمستقیم داشتیم.")
    response = admin_client.get(admin_url(Statement, "changelist"), {"q": typed})
    assert list(response.context["cl"].result_list) == [found]


def test_statement_search_finds_the_speaker_by_any_name(admin_client):
    official = factories.OfficialFactory(display_name="Kamal Kharrazi")
    factories.OfficialAliasFactory(official=official, name="کمال خرازی")
    said = _statement(official=official, text="ما وظیفه دفاع از محور مقاومت را داریم.")
    _statement(text="ما وظیفه دفاع از محور مقاومت را داریم.")
    for term in ("Kharrazi", "کمال خرازي"):
        response = admin_client.get(admin_url(Statement, "changelist"), {"q": term})
        assert list(response.context["cl"].result_list) == [said], term


def test_official_search_matches_aliases_in_another_script(admin_client):
    official = factories.OfficialFactory(display_name="Abbas Araghchi")
    factories.OfficialAliasFactory(official=official, name="عباس عراقچی")
    factories.OfficialFactory(display_name="Someone Else")
    response = admin_client.get(admin_url(Official, "changelist"), {"q": "عباس عراقچي"})
    assert list(response.context["cl"].result_list) == [official]


def test_claim_and_topic_search_fold_arabic_letters(admin_client):
    claim = factories.ClaimFactory(text="Houthis", text_original="چنین فشاری از سوی ایران بر حوثی ها وارد نخواهد شد")
    response = admin_client.get(admin_url(Claim, "changelist"), {"q": "حوثي"})
    assert list(response.context["cl"].result_list) == [claim]
    topic = factories.TopicFactory(name="Houthis", name_fa="حوثی‌ها", keywords=["انصارالله"])
    response = admin_client.get(admin_url(Topic, "changelist"), {"q": "انصار"})
    assert list(response.context["cl"].result_list) == [topic]


def test_autocomplete_uses_the_folded_search(admin_client):
    official = factories.OfficialFactory(display_name="Kamal Kharrazi", native_name="كمال خرازي")
    response = admin_client.get(
        "/admin/autocomplete/",
        {"app_label": "claims", "model_name": "statement", "field_name": "official", "term": "کمال"},
    )
    assert response.status_code == 200
    assert [item["id"] for item in response.json()["results"]] == [str(official.pk)]


def test_search_with_nothing_searchable_finds_nothing_and_does_not_fail(admin_client):
    _statement()
    response = admin_client.get(admin_url(Statement, "changelist"), {"q": "!!!"})
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == []


def test_topic_filter_includes_sub_topics(admin_client):
    parent = factories.TopicFactory(name="Iran–US relations")
    child = factories.TopicFactory(name="Indirect talks", parent=parent)
    about_child = _statement()
    StatementTopic.objects.create(statement=about_child, topic=child)
    _statement()
    response = admin_client.get(admin_url(Statement, "changelist"), {"topic": str(parent.pk)})
    assert list(response.context["cl"].result_list) == [about_child]
    # A malformed value is refused as a bad lookup (redirect with ?e=1), never a server error.
    for bad in ("x", "9" * 30, "-1"):
        response = admin_client.get(admin_url(Statement, "changelist"), {"topic": bad})
        assert response.status_code == 302


def test_statement_changelist_shows_the_solar_hijri_date(admin_client):
    _statement(said_on=datetime.date(2024, 5, 12))
    content = admin_client.get(admin_url(Statement, "changelist")).content.decode()
    assert "۲۳ اردیبهشت ۱۴۰۳" in content
    assert "May 12, 2024" in content or "2024-05-12" in content


def test_large_changelists_show_an_estimate_labelled_so(admin_client, monkeypatch):
    import sources.admin

    monkeypatch.setattr(sources.admin, "ESTIMATE_FROM_ROWS", 1)
    build_rows(Statement, 3)
    with CaptureQueriesContext(connection) as queries:
        response = admin_client.get(admin_url(Statement, "changelist"))
    assert response.context["cl"].paginator.estimated
    assert "(estimated)" in response.content.decode()
    assert not any("COUNT(*)" in query["sql"] for query in queries.captured_queries)


def test_counting_stops_at_the_exact_count_limit(admin_client, monkeypatch):
    import sources.admin

    monkeypatch.setattr(sources.admin, "EXACT_COUNT_LIMIT", 2)
    build_rows(Statement, 3)
    response = admin_client.get(admin_url(Statement, "changelist"))
    assert response.context["cl"].paginator.estimated
    assert response.context["cl"].result_count >= 3
    monkeypatch.setattr(sources.admin, "EXACT_COUNT_LIMIT", 3)
    response = admin_client.get(admin_url(Statement, "changelist"))
    assert not response.context["cl"].paginator.estimated
    assert response.context["cl"].result_count == 3
    assert "3 statements" in response.content.decode()


def test_date_drill_down_reads_bounds_not_the_whole_table(admin_client):
    _statement(said_on=datetime.date(2022, 3, 1))
    _statement(said_on=datetime.date(2024, 5, 12))
    with CaptureQueriesContext(connection) as queries:
        response = admin_client.get(admin_url(Statement, "changelist"))
    content = response.content.decode()
    assert all(f"said_on__year={year}" in content for year in (2022, 2023, 2024))
    assert not any("DISTINCT" in query["sql"] for query in queries.captured_queries)
    response = admin_client.get(admin_url(Statement, "changelist"), {"said_on__year": "2024"})
    assert "said_on__month=5" in response.content.decode()
    assert list(response.context["cl"].result_list) == list(Statement.objects.filter(said_on__year=2024))


# --- Solar Hijri input --------------------------------------------------------------------------


def _statement_add_data(admin_client, official, **changes):
    data = form_data(admin_client.get(admin_url(Statement, "add")))
    data.update({"official": str(official.pk), "text": "گفتوگوهای غیرمستقیم موضوع جدیدی نیست.", "language": "fa",
                 "venue_kind": "interview", "attribution": "direct_quote", "said_on_precision": "day",
                 "said_on_calendar": "solar_hijri"})
    data.update(changes)
    return data


@pytest.mark.parametrize("typed", ["۱۴۰۳-۰۲-۲۳", "۲۳ اردیبهشت ۱۴۰۳", "۲۳-۰۲-۱۴۰۳", "1403/2/23", "2024-05-12"])
def test_solar_hijri_date_typed_into_said_on_is_stored_gregorian(admin_client, typed):
    official = factories.OfficialFactory()
    data = _statement_add_data(admin_client, official, said_on=typed)
    response = admin_client.post(admin_url(Statement, "add"), data)
    assert response.status_code == 302, errors_of(response)
    statement = Statement.objects.get()
    assert statement.said_on == datetime.date(2024, 5, 12)
    assert statement.status == ReviewStatus.DRAFT


def test_solar_hijri_date_in_the_positions_inline(admin_client):
    official = factories.OfficialFactory()
    organization = factories.OrganizationFactory()
    url = admin_url(Official, "change", official.pk)
    data = add_inline_rows(form_data(admin_client.get(url)), "positions", [{
        "title": "Head", "organization": str(organization.pk), "start_date": "۵ تیر ۱۳۸۵", "start_precision": "day",
        "end_date": "", "end_precision": "day",
    }])
    response = admin_client.post(url, data)
    assert response.status_code == 302, errors_of(response)
    assert Position.objects.get(official=official).start_date == datetime.date(2006, 6, 26)


def test_date_fields_use_the_solar_hijri_widget_everywhere(admin_client):
    statement = _statement(said_on=datetime.date(2024, 5, 12))
    content = admin_client.get(admin_url(Statement, "change", statement.pk)).content.decode()
    assert 'name="said_on" value="2024-05-12"' in content
    assert '<span class="solar-hijri" dir="rtl" lang="fa">۲۳ اردیبهشت ۱۴۰۳</span>' in content
    assert "vDateField" not in content  # not the admin's Gregorian pop-up calendar
    official = build_detailed(Official)
    Position.objects.filter(official=official).update(start_date=datetime.date(2006, 6, 26))
    content = admin_client.get(admin_url(Official, "change", official.pk)).content.decode()
    assert "۵ تیر ۱۳۸۵" in content
    assert "vDateField" not in content


# --- bad input: a form error, never a server error, and nothing saved --------------------------------


@pytest.mark.parametrize("typed", ["۱۴۰۳-۰۷-۳۱", "۱۴۰۴-۱۲-۳۰", "۳۲ اردیبهشت ۱۴۰۳", "1403-13-01", "yesterday"])
def test_impossible_solar_hijri_date_is_a_form_error(admin_client, typed):
    official = factories.OfficialFactory()
    data = _statement_add_data(admin_client, official, said_on=typed)
    response = admin_client.post(admin_url(Statement, "add"), data)
    assert response.status_code == 200
    assert "said_on" in response.context["adminform"].form.errors
    assert not Statement.objects.exists()


def test_duplicate_alias_in_another_script_in_one_submission(admin_client):
    url = admin_url(Official, "add")
    data = form_data(admin_client.get(url))
    data.update({"display_name": "Abbas Araghchi", "country": "IR"})
    add_inline_rows(data, "aliases", [{"name": "عراقچی", "language": "fa"}, {"name": "عراقچي", "language": "ar"}])
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "already an alias" in errors_of(response)
    assert not Official.objects.exists()
    assert not OfficialAlias.objects.exists()


def test_duplicate_alias_in_another_script_against_a_stored_one(admin_client):
    official = factories.OfficialFactory()
    factories.OfficialAliasFactory(official=official, name="عراقچی")
    url = admin_url(Official, "change", official.pk)
    data = add_inline_rows(form_data(admin_client.get(url)), "aliases", [{"name": "عراقچي", "language": "ar"}])
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "already an alias" in errors_of(response)
    assert OfficialAlias.objects.count() == 1
    # The alias's own page refuses it too.
    response = post_admin_form(admin_client, admin_url(OfficialAlias, "add"),
                               {"official": str(official.pk), "name": "عراقچي", "language": "ar"})
    assert response.status_code == 200
    assert "name" in response.context["adminform"].form.errors
    assert OfficialAlias.objects.count() == 1


def test_renaming_an_alias_while_adding_its_old_spelling_is_allowed(admin_client):
    official = factories.OfficialFactory()
    alias = factories.OfficialAliasFactory(official=official, name="عراقچی")
    url = admin_url(Official, "change", official.pk)
    data = form_data(admin_client.get(url))
    data["aliases-0-name"] = "Araghchi"
    add_inline_rows(data, "aliases", [{"name": "عراقچي", "language": "ar"}])
    response = admin_client.post(url, data)
    assert response.status_code == 302, errors_of(response)
    alias.refresh_from_db()
    assert alias.name == "Araghchi"
    assert official.aliases.count() == 2


def test_swapping_two_aliases_in_one_submission_is_a_form_error(admin_client):
    official = factories.OfficialFactory()
    factories.OfficialAliasFactory(official=official, name="Kharazi")
    factories.OfficialAliasFactory(official=official, name="Kharrazi")
    url = admin_url(Official, "change", official.pk)
    data = form_data(admin_client.get(url))
    first, second = data["aliases-0-name"], data["aliases-1-name"]
    data["aliases-0-name"], data["aliases-1-name"] = second, first
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "is still stored as another alias" in errors_of(response)
    assert set(official.aliases.values_list("name", flat=True)) == {"Kharazi", "Kharrazi"}


def test_citation_offset_outside_the_body_is_a_form_error(admin_client):
    statement = _statement()
    article = factories.ArticleFactory()
    body_length = len(article.body)
    response = post_admin_form(admin_client, admin_url(Citation, "add"), {
        "statement": str(statement.pk), "article": str(article.pk), "quote": article.body[:10],
        "start_offset": "0", "end_offset": str(body_length + 5), "role": "reporter",
    })
    assert response.status_code == 200
    assert "end_offset" in response.context["adminform"].form.errors
    assert not Citation.objects.exists()


def test_citation_inline_on_the_statement_checks_offsets(admin_client):
    statement = _statement()
    article = factories.ArticleFactory()
    url = admin_url(Statement, "change", statement.pk)
    data = add_inline_rows(form_data(admin_client.get(url)), "citations", [{
        "article": str(article.pk), "quote": "x", "start_offset": "5", "end_offset": str(len(article.body) + 1),
        "role": "reporter",
    }])
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "lies outside the article body" in errors_of(response)
    assert not Citation.objects.exists()


def test_citation_quote_must_match_the_body_at_its_offsets(admin_client):
    statement = _statement()
    article = factories.ArticleFactory()
    response = post_admin_form(admin_client, admin_url(Citation, "add"), {
        "statement": str(statement.pk), "article": str(article.pk), "quote": "not in the text",
        "start_offset": "0", "end_offset": "15", "role": "reporter",
    })
    assert response.status_code == 200
    assert "quote" in response.context["adminform"].form.errors
    assert not Citation.objects.exists()


def test_citation_quote_without_offsets_is_located_and_verified(admin_client):
    statement = _statement()
    article = factories.ArticleFactory()
    quote = article.body[4:20]
    response = post_admin_form(admin_client, admin_url(Citation, "add"), {
        "statement": str(statement.pk), "article": str(article.pk), "quote": quote,
        "start_offset": "", "end_offset": "", "role": "reporter",
    })
    assert response.status_code == 302, errors_of(response)
    citation = Citation.objects.get()
    assert (citation.start_offset, citation.end_offset, citation.verified) == (4, 20, True)


def test_position_ending_before_it_starts_is_a_form_error(admin_client):
    official = factories.OfficialFactory()
    organization = factories.OrganizationFactory()
    url = admin_url(Official, "change", official.pk)
    data = add_inline_rows(form_data(admin_client.get(url)), "positions", [{
        "title": "Head", "organization": str(organization.pk), "start_date": "۱۴۰۳-۰۲-۲۳", "start_precision": "day",
        "end_date": "1402-01-01", "end_precision": "day",
    }])
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "cannot end before it starts" in errors_of(response)
    assert not Position.objects.exists()


def test_claim_related_to_itself_is_a_form_error(admin_client):
    claim = factories.ClaimFactory()
    response = post_admin_form(admin_client, admin_url(ClaimRelation, "add"), {
        "from_claim": str(claim.pk), "to_claim": str(claim.pk), "kind": ClaimRelationKind.QUALIFIES,
    })
    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    assert not ClaimRelation.objects.exists()


def test_claim_related_to_itself_inline_is_a_form_error(admin_client):
    claim = factories.ClaimFactory()
    url = admin_url(Claim, "change", claim.pk)
    data = add_inline_rows(form_data(admin_client.get(url)), "relations_from", [{
        "kind": ClaimRelationKind.QUALIFIES, "to_claim": str(claim.pk), "note": "",
    }])
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "cannot be related to itself" in errors_of(response)
    assert not ClaimRelation.objects.exists()


def test_duplicate_claim_relation_inline_is_a_form_error(admin_client):
    relation = factories.ClaimRelationFactory()
    url = admin_url(Claim, "change", relation.from_claim.pk)
    data = add_inline_rows(form_data(admin_client.get(url)), "relations_from", [{
        "kind": relation.kind, "to_claim": str(relation.to_claim.pk), "note": "again",
    }])
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert ClaimRelation.objects.count() == 1


def test_topic_cannot_move_under_its_own_descendant(admin_client):
    parent = factories.TopicFactory()
    child = factories.TopicFactory(parent=parent)
    response = post_admin_form(admin_client, admin_url(Topic, "change", parent.pk), {"parent": str(child.pk)})
    assert response.status_code == 200
    assert "parent" in response.context["adminform"].form.errors
    parent.refresh_from_db()
    assert parent.parent is None


def test_topic_keywords_accept_persian_commas(admin_client):
    topic = factories.TopicFactory()
    response = post_admin_form(admin_client, admin_url(Topic, "change", topic.pk),
                               {"keywords": "حوثی، انصارالله, Houthis؛ Ansar Allah"})
    assert response.status_code == 302, errors_of(response)
    topic.refresh_from_db()
    assert topic.keywords == ["حوثی", "انصارالله", "Houthis", "Ansar Allah"]


# --- Persian interface --------------------------------------------------------------------------


def test_admin_is_persian_and_right_to_left_for_a_user_who_chose_persian(client, superuser):
    UserProfile.objects.create(user=superuser, language="fa")
    client.force_login(superuser)
    content = client.get(admin_url(Statement, "changelist")).content.decode()
    assert 'dir="rtl"' in content
    assert 'lang="fa"' in content
    assert "گفته‌ها" in content  # our own verbose name, translated


def test_admin_follows_the_browser_language(admin_client):
    content = admin_client.get("/admin/", HTTP_ACCEPT_LANGUAGE="fa").content.decode()
    assert 'dir="rtl"' in content
    assert "مقام‌ها" in content
    content = admin_client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'dir="ltr"' in content
    assert "Officials" in content


def test_language_switch_in_the_admin(admin_client):
    content = admin_client.get("/admin/").content.decode()
    assert 'action="/i18n/setlang/"' in content
    assert "Goftar: curation" in content
    response = admin_client.post("/i18n/setlang/", {"language": "fa", "next": "/admin/"})
    assert response.status_code == 302
    content = admin_client.get("/admin/").content.decode()
    assert 'dir="rtl"' in content
    assert "گفتار: ویرایش" in content


def test_profile_language_wins_over_the_browser(client, superuser):
    UserProfile.objects.create(user=superuser, language="en")
    client.force_login(superuser)
    content = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="fa").content.decode()
    assert 'dir="ltr"' in content
    # The switch would have no effect: it is not offered.
    assert 'action="/i18n/setlang/"' not in content


def test_persian_form_errors_and_choices(client, superuser):
    UserProfile.objects.create(user=superuser, language="fa")
    client.force_login(superuser)
    content = client.get(admin_url(Statement, "add")).content.decode()
    assert "مصاحبه" in content  # VenueKind.INTERVIEW
    assert "نقل قول مستقیم" in content  # AttributionType.DIRECT_QUOTE


# --- history ---------------------------------------------------------------------------------------


def test_admin_edit_records_the_acting_user(admin_client, superuser):
    official = factories.OfficialFactory(display_name="Kamal Kharazi")
    response = post_admin_form(admin_client, admin_url(Official, "change", official.pk),
                               {"display_name": "Kamal Kharrazi"})
    assert response.status_code == 302, errors_of(response)
    event = pghistory.models.Events.objects.get(
        pgh_model="claims.OfficialEvent", pgh_obj_id=str(official.pk), pgh_label="update"
    )
    assert event.pgh_data["display_name"] == "Kamal Kharrazi"
    assert str(event.pgh_context["user"]) == str(superuser.pk)


def test_inline_edits_record_the_acting_user_too(admin_client, superuser):
    official = factories.OfficialFactory()
    url = admin_url(Official, "change", official.pk)
    data = add_inline_rows(form_data(admin_client.get(url)), "aliases", [{"name": "Kharrazi", "language": "en"}])
    assert admin_client.post(url, data).status_code == 302
    event = pghistory.models.Events.objects.get(pgh_model="claims.OfficialAliasEvent", pgh_label="insert")
    assert str(event.pgh_context["user"]) == str(superuser.pk)


# --- translations --------------------------------------------------------------------------------


@pytest.mark.parametrize("app", ["claims", "sources", "common"])
def test_persian_catalog_is_complete_and_compiled(app):
    import gettext
    import re
    from pathlib import Path

    from django.conf import settings

    folder = Path(settings.BASE_DIR) / app / "locale" / "fa" / "LC_MESSAGES"
    po = (folder / "django.po").read_text(encoding="utf-8")
    msgids = [m for m in re.findall(r'^msgid "(.*)"$', po, flags=re.MULTILINE)]
    entries = len(msgids) - 1  # the header's empty msgid
    assert "#, fuzzy\nmsgid" not in po.split("\n\n", 1)[1], "fuzzy translations are not used by Django"
    assert not re.search(r'^msgstr ""\n\n', po.split("\n\n", 1)[1], flags=re.MULTILINE), "untranslated entry"
    with open(folder / "django.mo", "rb") as mo_file:
        catalog = gettext.GNUTranslations(mo_file)
    # Every entry made it into the compiled catalog (a stale .mo has fewer).
    compiled = {key if isinstance(key, str) else key[0] for key in catalog._catalog if key}
    assert len(compiled) >= entries


@pytest.mark.parametrize("params", [
    {"said_on__year": "abc"},
    {"said_on__year": "2024", "said_on__month": "13"},
    {"said_on__year": "99999"},
    {"p": "abc"},
    {"p": "999999"},
    {"o": "zz"},
    {"status__exact": "nonsense"},
    {"q": "گفتگو " * 400},
    {"q": "'\\\"():*&|!<->"},
    {"q": "گفتگو\x00"},
    {"status__exact": "\x00"},
    {"topic\x00": "1"},
])
def test_bad_changelist_parameters_never_fail(admin_client, params):
    _statement(said_on=datetime.date(2024, 5, 12))
    response = admin_client.get(admin_url(Statement, "changelist"), params)
    # 400 is the answer of the request guard (common.security) to characters no text may hold.
    assert response.status_code in (200, 302, 400)


# --- bulk actions --------------------------------------------------------------------------------


def test_add_topic_to_selected_statements(admin_client, superuser):
    statements = [_statement() for _ in range(3)]
    topic = factories.TopicFactory(name="Red Sea shipping")
    StatementTopic.objects.create(statement=statements[0], topic=topic)
    url = admin_url(Statement, "changelist")
    chosen = {"action": "add_topic", "_selected_action": [str(s.pk) for s in statements[:2]]}
    response = admin_client.post(url, chosen)
    assert response.status_code == 200  # the question: which topic?
    assert b'name="topic"' in response.content
    response = admin_client.post(url, {**chosen, "topic": str(topic.pk)})
    assert response.status_code == 302
    assert set(topic.statement_links.values_list("statement_id", flat=True)) == {statements[0].pk, statements[1].pk}
    events = pghistory.models.Events.objects.filter(pgh_model="claims.StatementTopicEvent", pgh_label="insert")
    event = next(e for e in events if e.pgh_data["statement_id"] == statements[1].pk)
    assert str(event.pgh_context["user"]) == str(superuser.pk)


def test_add_topic_to_all_matching_statements(admin_client):
    statements = [_statement(text=f"گفتوگو {index}") for index in range(3)]
    other = _statement(text="متنی دیگر")
    topic = factories.TopicFactory()
    url = admin_url(Statement, "changelist") + "?q=گفتگو"
    response = admin_client.post(url, {"action": "add_topic", "select_across": "1",
                                       "_selected_action": [str(statements[0].pk)], "topic": str(topic.pk)})
    assert response.status_code == 302
    assert set(topic.statement_links.values_list("statement_id", flat=True)) == {s.pk for s in statements}
    assert not other.topic_links.exists()


def test_add_topic_skips_published_statements_for_a_curator(client, role_users):
    curator = role_users["curator"]
    draft = _statement(status=ReviewStatus.DRAFT)
    published = _statement(status=ReviewStatus.PUBLISHED)
    topic = factories.TopicFactory()
    client.force_login(curator)
    response = client.post(admin_url(Statement, "changelist"), {
        "action": "add_topic", "_selected_action": [str(draft.pk), str(published.pk)], "topic": str(topic.pk),
    })
    assert response.status_code == 302
    assert list(topic.statement_links.values_list("statement_id", flat=True)) == [draft.pk]


def test_change_pages_link_to_the_analysts_pages(admin_client):
    statement = _statement(status=ReviewStatus.PUBLISHED)
    content = admin_client.get(admin_url(Statement, "change", statement.pk)).content.decode()
    assert f'href="/statements/{statement.pk}/"' in content
    assert admin_client.get(f"/statements/{statement.pk}/").status_code == 200
    official = statement.official
    content = admin_client.get(admin_url(Official, "change", official.pk)).content.decode()
    assert f'href="/officials/{official.pk}/"' in content


@pytest.mark.parametrize("model_name", ["statement", "official", "topic", "position"])
def test_autocomplete_with_a_nul_character_does_not_fail(admin_client, model_name):
    field = {"statement": ("citation", "statement"), "official": ("statement", "official"),
             "topic": ("statementtopic", "topic"), "position": ("statement", "position")}[model_name]
    response = admin_client.get("/admin/autocomplete/", {
        "app_label": "claims", "model_name": field[0], "field_name": field[1], "term": "ab\x00c",
    })
    assert response.status_code in (200, 400)


def test_verify_citations_action_checks_quotes_against_the_body(admin_client, superuser):
    good = factories.CitationFactory(verified=False)
    bad = factories.CitationFactory(verified=True)
    Citation.objects.filter(pk=bad.pk).update(quote="not what the article says")
    unchanged = factories.CitationFactory(verified=True)
    events = pghistory.models.Events.objects.filter(pgh_model="claims.CitationEvent", pgh_label="update")
    before = events.count()
    response = admin_client.post(admin_url(Citation, "changelist"), {
        "action": "verify_citations", "_selected_action": [str(c.pk) for c in (good, bad, unchanged)],
    }, follow=True)
    assert response.status_code == 200
    assert "2 quotes match their article; 1 do not" in response.content.decode()
    good.refresh_from_db(), bad.refresh_from_db(), unchanged.refresh_from_db()
    assert (good.verified, bad.verified, unchanged.verified) == (True, False, True)
    # Only the two rows whose answer changed were written, and the history names the user.
    assert events.count() == before + 2
    assert all(str(e.pgh_context["user"]) == str(superuser.pk) for e in events.order_by("-pgh_id")[:2])


# --- changelist rows ---------------------------------------------------------------------------------


@pytest.mark.parametrize("query", [{}, {"o": "-2.3"}])
@pytest.mark.parametrize("model", list(CHANGELIST_QUERIES), ids=lambda model: model.__name__)
def test_changelist_lists_every_row_with_its_checkbox_and_change_link(admin_client, model, query):
    build_rows(model, 3)
    response = admin_client.get(admin_url(model, "changelist"), query)
    assert response.status_code == 200
    changelist = response.context["cl"]
    assert len(changelist.result_list) >= 3  # build_rows may add a parent row
    content = response.content.decode()
    for row in changelist.result_list:
        if response.context["action_form"]:  # a list with actions
            checkbox = rf'<input type="checkbox" name="_selected_action" value="{row.pk}"[^>]*class="action-select"'
            assert re.search(checkbox, content)
        assert f'href="{admin_url(model, "change", row.pk)}' in content


def test_statement_changelist_reads_no_search_documents(admin_client):
    statement = _statement(translation="TRANSLATION-NOT-SHOWN", question="QUESTION-NOT-SHOWN")
    with CaptureQueriesContext(connection) as queries:
        response = admin_client.get(admin_url(Statement, "changelist"))
    assert response.status_code == 200
    rows_order = 'ORDER BY "claims_statement"."said_on" DESC'
    (rows_query,) = [query["sql"] for query in queries.captured_queries if rows_order in query["sql"]]
    assert '"claims_statement"."search_document"' not in rows_query
    assert '"claims_official"."search_document"' not in rows_query
    content = response.content.decode()
    # Every cell filled: excerpt, speaker (also in the checkbox's label), date, venue; the rest not shown.
    assert statement.text[:40] in content and statement.official.display_name in content
    assert f'value="{statement.pk}"' in content
    assert "TRANSLATION-NOT-SHOWN" not in content and "QUESTION-NOT-SHOWN" not in content


def test_popup_changelist_offers_each_row_to_the_opener(admin_client):
    statement = _statement()
    response = admin_client.get(admin_url(Statement, "changelist"), {"_popup": "1"})
    assert response.status_code == 200
    assert f'data-popup-opener="{statement.pk}"' in response.content.decode()


def test_statement_changelist_shows_the_venue_with_its_outlet(admin_client):
    outlet = factories.OutletFactory(name="Tasnim")
    _statement_with = factories.StatementFactory(venue_outlet=outlet, venue_kind="interview")
    content = admin_client.get(admin_url(Statement, "changelist")).content.decode()
    assert f'{_statement_with.get_venue_kind_display()} · <span dir="auto">Tasnim</span>' in content


def _filter_choices(response, title="topic"):
    spec = next(spec for spec in response.context["cl"].filter_specs if spec.title == title)
    return [(choice["display"], choice["selected"]) for choice in spec.choices(response.context["cl"])]


def test_topic_filter_drills_down_from_the_roots(admin_client, django_assert_max_num_queries):
    iran_us = factories.TopicFactory(name="Iran–US relations")
    talks = factories.TopicFactory(name="Indirect talks", parent=iran_us)
    oman = factories.TopicFactory(name="Oman channel", parent=talks)
    factories.TopicFactory(name="Qatar channel", parent=talks)
    factories.TopicFactory(name="Sanctions", parent=iran_us)
    factories.TopicFactory(name="Red Sea shipping")
    about_oman = _statement()
    StatementTopic.objects.create(statement=about_oman, topic=oman)
    _statement()
    url = admin_url(Statement, "changelist")

    # No topic chosen: the roots only, not every topic as a link.
    choices = _filter_choices(admin_client.get(url))
    assert choices == [("All", True), ("Iran–US relations", False), ("Red Sea shipping", False)]

    # A root chosen: its sub-topics, not theirs; the statements of the whole subtree.
    response = admin_client.get(url, {"topic": str(iran_us.pk)})
    assert _filter_choices(response) == [
        ("All", False), ("Iran–US relations", True), ("— Indirect talks", False), ("— Sanctions", False),
        ("Red Sea shipping", False),
    ]
    assert list(response.context["cl"].result_list) == [about_oman]

    # A topic chosen: its path from the root, then its sub-topics, indented; the other roots stay.
    response = admin_client.get(url, {"topic": str(talks.pk)})
    assert _filter_choices(response) == [
        ("All", False),
        ("Iran–US relations", False),
        ("— Indirect talks", True),
        ("— — Oman channel", False),
        ("— — Qatar channel", False),
        ("Red Sea shipping", False),
    ]
    assert list(response.context["cl"].result_list) == [about_oman]

    # A leaf: the path to it, and still one query for the filter's topics.
    with django_assert_max_num_queries(CHANGELIST_QUERIES[Statement]):
        response = admin_client.get(url, {"topic": str(oman.pk)})
    assert _filter_choices(response) == [
        ("All", False), ("Iran–US relations", False), ("— Indirect talks", False), ("— — Oman channel", True),
        ("Red Sea shipping", False),
    ]
    assert list(response.context["cl"].result_list) == [about_oman]


def test_topic_filter_survives_a_topic_that_no_longer_exists(admin_client):
    factories.TopicFactory(name="Red Sea shipping")
    _statement()
    response = admin_client.get(admin_url(Statement, "changelist"), {"topic": "987654321"})
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == []
    assert _filter_choices(response) == [("All", False), ("Red Sea shipping", False)]
