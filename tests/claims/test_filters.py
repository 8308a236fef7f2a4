"""One test per filter, asserting counts on a small corpus; bad values are errors, never ignored."""

import pytest
from django.contrib.auth.models import AnonymousUser

from claims.filters import ClaimFilterSet, StatementFilterSet
from claims.models import Claim, Statement
from claims.selectors import FilterError, claim_list, official_list, statement_list, topic_list
from sources.selectors import article_list
from tests import factories
from tests.claims.workspace_corpus import build_corpus

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus():
    return build_corpus()


@pytest.fixture
def staff():
    return factories.analyst_user(username="analyst")


def ids(queryset):
    return {row.pk for row in queryset}


def count(filters, user=None):
    return statement_list(filters=filters, user=user or AnonymousUser()).count()


def test_no_filter_lists_published_statements_only(corpus, staff):
    assert count({}) == 5
    assert count({}, staff) == 6


def test_official(corpus):
    assert count({"official": [str(corpus.kharrazi.pk)]}) == 4
    assert count({"official": f"{corpus.kharrazi.pk},{corpus.araghchi.pk}"}) == 5


def test_official_accepts_persian_digits(corpus):
    persian = str(corpus.araghchi.pk).translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    assert count({"official": persian}) == 1


def test_organization_at_the_time(corpus):
    # Kharrazi headed the council from 2006: his 2003 speech was made as foreign minister.
    assert ids(statement_list(filters={"organization": [str(corpus.council.pk)]})) == {
        corpus.talks.pk, corpus.houthis.pk, corpus.concession.pk,
    }  # fmt: skip
    ministry = corpus.araghchi.positions.get().organization
    assert ids(statement_list(filters={"organization": [str(ministry.pk)]})) == {corpus.old.pk, corpus.english.pk}


def test_organization_override_on_the_statement_wins(corpus):
    ministry_post = corpus.kharrazi.positions.get(title="Foreign Minister")
    Statement.objects.filter(pk=corpus.talks.pk).update(position=ministry_post)
    assert corpus.talks.pk not in ids(statement_list(filters={"organization": [str(corpus.council.pk)]}))
    assert corpus.talks.pk in ids(statement_list(filters={"organization": [str(ministry_post.organization_id)]}))


def test_country_at_the_time(corpus):
    assert count({"country": "ir"}) == 5
    assert count({"country": "QA"}) == 0


def test_topic_includes_sub_topics(corpus, staff):
    assert ids(statement_list(filters={"topic": [str(corpus.iran_us.pk)]})) == {corpus.talks.pk, corpus.english.pk}
    assert count({"topic": [str(corpus.indirect_talks.pk)]}) == 1
    assert count({"topic": [str(corpus.indirect_talks.pk)]}, staff) == 2
    assert count({"topic": [str(corpus.red_sea.pk), str(corpus.gaza.pk)]}) == 3


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("۱۴۰۳-۰۲-۲۳", "۱۴۰۳-۰۲-۲۳", 3),
        ("1403/02/23", "2024-05-12", 3),
        ("٢٣ اردیبهشت ١٤٠٣", "", 4),
        ("", "2003-12-31", 1),
        ("2024-06-01", "", 1),
        ("اردیبهشت ۱۴۰۳", "خرداد ۱۴۰۳", 3),
    ],
)
def test_date_range_in_either_calendar_and_any_digits(corpus, start, end, expected):
    assert count({"said_on_from": start, "said_on_to": end}) == expected


def test_language(corpus):
    assert count({"language": ["en"]}) == 1
    assert count({"language": ["fa"]}) == 4
    assert count({"language": ["fa", "en"]}) == 5


def test_outlet_matches_venue_or_cited_article(corpus):
    assert count({"outlet": [str(corpus.aljazeera.pk)]}) == 3
    assert ids(statement_list(filters={"outlet": [str(corpus.khabaronline.pk)]})) == {corpus.talks.pk}
    assert ids(statement_list(filters={"outlet": [str(corpus.reuters.pk)]})) == {corpus.english.pk}


def test_venue_kind(corpus):
    assert count({"venue_kind": ["speech"]}) == 1
    assert count({"venue_kind": ["interview", "press_conference"]}) == 4


def test_attribution(corpus):
    assert count({"attribution": ["paraphrase"]}) == 1
    assert count({"attribution": ["direct_quote"]}) == 4


def test_claim_kind(corpus):
    assert ids(statement_list(filters={"claim_kind": ["denial"]})) == {corpus.houthis.pk}
    assert count({"claim_kind": ["concession", "assertion"]}) == 2


def test_contested(corpus):
    assert ids(statement_list(filters={"contested": "true"})) == {corpus.houthis.pk, corpus.concession.pk}
    assert count({"contested": "false"}) == 3


def test_status_is_only_widened_for_staff(corpus, staff):
    assert count({"status": ["draft"]}) == 0
    assert count({"status": ["draft"]}, staff) == 1
    assert count({"status": ["published", "draft"]}, staff) == 6


@pytest.mark.parametrize("spelling", ["گفتگو", "گفت‌وگو", "گفت وگو", "گفتوگو", "گفتگوهای"])
def test_q_finds_every_spelling(corpus, spelling):
    assert ids(statement_list(filters={"q": spelling})) == {corpus.talks.pk}


def test_q_searches_translation_and_phrases(corpus, staff):
    assert ids(statement_list(filters={"q": "swiss embassy"})) == {corpus.talks.pk}
    assert ids(statement_list(filters={"q": '"ready for talks"'})) == {corpus.english.pk}
    assert count({"q": '"talks ready for"'}) == 0
    assert count({"q": "گفتگو"}, staff) == 2


def test_ordering(corpus):
    oldest = list(statement_list(filters={"ordering": "said_on"}))
    newest = list(statement_list(filters={}))
    assert oldest[0] == corpus.old
    assert newest[0] == corpus.english
    assert [s.pk for s in oldest] == [s.pk for s in reversed(newest)]
    # Every order ends in the primary key, so equal dates keep one order on every page and export.
    assert statement_list(filters={"ordering": "said_on"}).query.order_by == ("said_on", "id")
    assert statement_list(filters={}).query.order_by == ("-said_on", "-id")


@pytest.mark.parametrize(
    ("filters", "field"),
    [
        ({"official": "abc"}, "official"),
        ({"official": "-3"}, "official"),
        ({"topic": "1;DROP"}, "topic"),
        ({"said_on_from": "۱۴۰۳-۱۳-۰۱"}, "said_on_from"),
        ({"said_on_from": "1403-12-31"}, "said_on_from"),  # Esfand never has 31 days
        ({"said_on_to": "yesterday"}, "said_on_to"),
        ({"said_on_from": "2024-06-01", "said_on_to": "2024-01-01"}, "said_on_to"),
        ({"language": ["xx"]}, "language"),
        ({"venue_kind": ["rally"]}, "venue_kind"),
        ({"attribution": ["rumour"]}, "attribution"),
        ({"claim_kind": ["lie"]}, "claim_kind"),
        ({"contested": "maybe"}, "contested"),
        ({"status": ["secret"]}, "status"),
        ({"country": "IRN"}, "country"),
        ({"q": "!!! ؟؟"}, "q"),
        ({"ordering": "text"}, "ordering"),
        ({"ordering": "said_on,id"}, "ordering"),  # one order: a page follows one key and the id
        ({"official": ",".join(str(n) for n in range(1, 60))}, "official"),
    ],
)
def test_invalid_values_are_errors_not_ignored(corpus, filters, field):
    with pytest.raises(FilterError) as caught:
        statement_list(filters=filters)
    assert field in caught.value.errors
    assert all(caught.value.errors[field])


def test_leap_day_of_a_solar_hijri_leap_year_is_accepted(corpus):
    # 1403 is a leap year in the Solar Hijri calendar (Esfand has 30 days): 1403-12-30 = 2025-03-20.
    assert count({"said_on_from": "1403-12-30"}) == 0


def test_claim_filters(corpus):
    assert claim_list(filters={}).count() == 3
    assert claim_list(filters={"kind": ["denial"]}).count() == 1
    assert claim_list(filters={"contested": "true"}).count() == 2
    assert claim_list(filters={"official": [str(corpus.kharrazi.pk)]}).count() == 3
    assert claim_list(filters={"topic": [str(corpus.red_sea.pk)]}).count() == 2
    assert claim_list(filters={"q": "houthis"}).count() == 2
    assert claim_list(filters={"statement": [str(corpus.talks.pk)]}).count() == 1
    assert claim_list(filters={"said_on_from": "۱۴۰۳-۰۱-۰۱"}).count() == 3
    with pytest.raises(FilterError):
        claim_list(filters={"kind": ["gossip"]})


def test_claim_topic_prefers_the_claims_own_topics(corpus):
    denial = Claim.objects.get(kind="denial")
    denial.topics.add(corpus.gaza)
    assert denial.pk not in ids(claim_list(filters={"topic": [str(corpus.red_sea.pk)]}))
    assert denial.pk in ids(claim_list(filters={"topic": [str(corpus.gaza.pk)]}))


def test_claim_party(corpus):
    denial = Claim.objects.get(kind="denial")
    houthis = factories.OrganizationFactory(name="Ansar Allah", country="YE")
    denial.parties.add(houthis)
    assert ids(claim_list(filters={"party": [str(houthis.pk)]})) == {denial.pk}


def test_official_filters(corpus):
    assert ids(official_list(filters={"q": "خرازی"})) == {corpus.kharrazi.pk}
    assert ids(official_list(filters={"q": "kharazi"})) == {corpus.kharrazi.pk}
    assert ids(official_list(filters={"organization": [str(corpus.council.pk)]})) == {corpus.kharrazi.pk}
    assert official_list(filters={"country": "IR"}).count() == 2
    with pytest.raises(FilterError):
        official_list(filters={"country": "Iran"})


def test_topic_filters(corpus):
    assert ids(topic_list(filters={"q": "دریای سرخ"})) == {corpus.red_sea.pk}
    assert ids(topic_list(filters={"q": "INDIRECT"})) == {corpus.indirect_talks.pk}
    assert ids(topic_list(filters={"parent": [str(corpus.iran_us.pk)]})) == {corpus.indirect_talks.pk}


def test_article_filters(corpus):
    assert article_list(filters={"outlet": [str(corpus.khabaronline.pk)]}).count() == 1
    assert article_list(filters={"q": "گفت‌وگو"}).count() == 1
    assert article_list(filters={"cited": "true"}).count() == 2
    assert article_list(filters={"upstream_outlet": [str(corpus.aljazeera.pk)]}).count() == 1
    assert article_list(filters={"language": ["en"]}).count() == 1
    with pytest.raises(FilterError):
        article_list(filters={"published_from": "not a date"})


# Every column of Statement and Claim is either filterable (and by which filter) or exempt, with why.
STATEMENT_FIELDS = {
    "official": "official",
    "speaker_name_as_printed": "q",
    "position": "organization",
    "text": "q",
    "language": "language",
    "translation": "q",
    "question": "q",
    "said_on": "said_on_from",
    "venue_kind": "venue_kind",
    "venue_outlet": "outlet",
    "attribution": "attribution",
    "topics": "topic",
    "status": "status",
    "search_document": "q",
}
STATEMENT_EXEMPT = {
    "id": "a statement is reached by its permalink /statements/<id>/",
    "created_at": "bookkeeping; ordering=-id gives 'recently added'",
    "updated_at": "bookkeeping",
    "version": "optimistic-locking counter",
    "said_on_precision": "shown beside the date; the date range already covers partial dates",
    "said_on_as_printed": "raw text kept for the record",
    "said_on_calendar": "how the date was printed, not what it means",
    "status_changed_at": "workflow bookkeeping",
    "retraction_reason": "free text shown on the statement page",
}
CLAIM_FIELDS = {
    "statement": "statement",
    "text": "q",
    "text_original": "q",
    "kind": "kind",
    "parties": "party",
    "topics": "topic",
    "search_document": "q",
}
CLAIM_EXEMPT = {
    "id": "a claim is reached through its statement's page (#claim-<id>)",
    "created_at": "bookkeeping",
    "updated_at": "bookkeeping",
    "version": "optimistic-locking counter",
}


@pytest.mark.parametrize(
    ("model", "filterset", "filtered", "exempt"),
    [
        (Statement, StatementFilterSet, STATEMENT_FIELDS, STATEMENT_EXEMPT),
        (Claim, ClaimFilterSet, CLAIM_FIELDS, CLAIM_EXEMPT),
    ],
)
def test_every_field_is_filterable_or_exempt(model, filterset, filtered, exempt):
    fields = {f.name for f in model._meta.get_fields() if not (f.auto_created and not f.concrete)}
    unaccounted = fields - set(filtered) - set(exempt)
    assert not unaccounted, f"add a filter or an exemption for {sorted(unaccounted)}"
    assert not set(filtered) & set(exempt)
    for field, filter_name in filtered.items():
        assert filter_name in filterset.base_filters, f"{field} claims filter {filter_name!r}, which does not exist"


def test_claim_filters_through_the_statement(corpus):
    assert claim_list(filters={"organization": [corpus.council.pk]}).count() == 3
    assert claim_list(filters={"country": "IR"}).count() == 3
    assert claim_list(filters={"country": "QA"}).count() == 0
    assert claim_list(filters={"outlet": [corpus.khabaronline.pk]}).count() == 1
    assert claim_list(filters={"outlet": [corpus.aljazeera.pk]}).count() == 3
    assert claim_list(filters={"venue_kind": ["interview"]}).count() == 3
    assert claim_list(filters={"language": ["en"]}).count() == 0
    assert claim_list(filters={"ordering": "said_on"}).count() == 3


def test_contested_counts_only_relations_the_reader_may_see(corpus, staff):
    draft_claim = factories.ClaimFactory(statement=corpus.draft, text="A draft objection")
    factories.ClaimRelationFactory(from_claim=draft_claim, to_claim=corpus.old.claims.create(text="Gaza matters"),
                                   kind="contradicts")  # fmt: skip
    assert corpus.old.pk not in ids(statement_list(filters={"contested": "true"}))
    assert corpus.old.pk in ids(statement_list(filters={"contested": "true"}, user=staff))


@pytest.mark.parametrize("filterset_class", [StatementFilterSet, ClaimFilterSet])
def test_each_bound_filterset_has_its_own_filters_and_fields(filterset_class, corpus):
    """Bound FilterSets copy their filters and form fields more cheaply than a deep copy (claims.filters):
    still one set per binding, and a method filter runs against its own FilterSet."""
    first = filterset_class(data={"topic": [str(corpus.red_sea.pk)], "language": ["fa"]})
    second = filterset_class(data={"language": ["en"]})
    assert first.filters["topic"] is not second.filters["topic"]
    assert first.filters["topic"].parent is first and second.filters["topic"].parent is second
    first_form, second_form = first.form, second.form
    assert first_form.fields["language"] is not second_form.fields["language"]
    first_form.fields["language"].widget.attrs["data-probe"] = "1"
    assert "data-probe" not in second_form.fields["language"].widget.attrs
    assert "data-probe" not in filterset_class(data={}).form.fields["language"].widget.attrs
    assert first.is_valid() and second.is_valid()
    assert first.qs.exists()  # the topic filter's method runs on its own FilterSet
    assert set(first.qs.values_list("pk", flat=True)).isdisjoint(second.qs.values_list("pk", flat=True))
