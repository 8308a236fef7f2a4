import datetime
import hashlib

import pghistory.models
import pytest
from django.apps import apps

from claims.choices import CitationRole, ClaimKind, ClaimRelationKind, ReviewStatus, VenueKind
from claims.demo import REPUBLISHER_NAME, SEED_PATH, demo_load, seed_answers, seed_body, seed_text
from claims.models import Citation, Claim, ClaimRelation, Official, Position, Statement, Topic
from common.dates import TEHRAN, Calendar, DatePrecision
from common.text import fold
from sources.models import Article, Outlet

pytestmark = pytest.mark.django_db

DEMO_APPS = ("claims", "sources")


def _row_counts():
    return {
        model._meta.label: model.objects.count()
        for app in DEMO_APPS
        for model in apps.get_app_config(app).get_models()
    }


def _event_count():
    return pghistory.models.Events.objects.count()


def test_seed_body_is_the_article_without_page_furniture():
    body = seed_body()
    assert body.startswith("کمال خرازی گفت:")
    assert body.endswith("چه حماس و چه مقاومت عراقی.")
    for furniture in ("ارسال به دوستان", "captcha", "کد خبر", "به روز شده در", "جاده هالو", "ترامپ",
                      "مذاکرات محرمانه ایران و آمریکا به روایت کمال خرازی"):
        assert furniture not in body
    # Every paragraph is a line of the page as captured, unjoined گفتوگو and all.
    lines = set(seed_text().split("\n"))
    assert all(paragraph in lines for paragraph in body.split("\n") if paragraph)
    assert "گفتوگوهای" in body


def test_importing_the_seed_after_the_demo_finds_the_same_article():
    from sources.services import article_import

    demo_load()
    statements = Statement.objects.count()
    report = article_import(content=SEED_PATH.read_bytes(), source_name=SEED_PATH.name)
    assert report.outcome == "unchanged"
    assert Article.objects.count() == 1
    assert Statement.objects.count() == statements


def test_seed_has_four_question_answer_pairs():
    answers = seed_answers(seed_body())
    assert len(answers) == 4
    assert answers[0].question.startswith("برخی گزارشها")
    assert answers[2].answer.startswith("خیر. چنین فشاری")
    assert all(not pair.question.startswith("*") for pair in answers)


def test_demo_load_records_the_seed_as_a_curator_would():
    report = demo_load()
    assert report.changed

    official = Official.objects.get(display_name="Kamal Kharrazi")
    assert official.native_name == "کمال خرازی"
    assert set(official.aliases.values_list("normalized", flat=True)) >= {
        fold("کمال خرازی"), fold("Kharrazi"), fold("Kharazi")
    }
    position = Position.objects.select_related("organization").get(official=official)
    assert position.title == "Head of the Strategic Council on Foreign Relations"
    assert position.title_native == "رئیس شورای راهبردی روابط خارجی"
    assert position.organization.name_native == "شورای راهبردی روابط خارجی"
    assert position.end_date is None

    assert Outlet.objects.count() == 3
    khabaronline = Outlet.objects.get(name="Khabaronline")
    assert khabaronline.aliases.filter(normalized=fold("خبرآنلاین")).exists()
    aljazeera = Outlet.objects.get(name="Al Jazeera")
    # Arabic and Persian spellings are one folded alias.
    assert aljazeera.aliases.filter(normalized=fold("الجزيرة")).exists()
    assert aljazeera.aliases.filter(normalized=fold("الجزیره")).exists()

    article = Article.objects.get()
    assert article.outlet.name == REPUBLISHER_NAME
    assert article.upstream_outlet == khabaronline
    assert article.news_code == "۹۶۵۷۰۸"
    assert article.published_at == datetime.datetime(2024, 5, 12, 9, 44, tzinfo=TEHRAN)
    assert article.published_as_printed == "۰۹:۴۴ - ۲۳-۰۲-۱۴۰۳"
    assert article.published_calendar == Calendar.SOLAR_HIJRI
    assert article.body == seed_body()
    assert article.title == "مذاکرات محرمانه ایران و آمریکا به روایت کمال خرازی"
    assert article.body_sha256 == hashlib.sha256(article.body.encode()).hexdigest()
    assert article.lead.startswith("کمال خرازی گفت:")

    statements = list(Statement.objects.order_by("citations__start_offset"))
    assert len(statements) == 4
    for statement in statements:
        assert statement.official == official
        assert statement.venue_kind == VenueKind.INTERVIEW
        assert statement.venue_outlet == aljazeera
        assert statement.said_on == datetime.date(2024, 5, 12)
        assert statement.said_on_precision == DatePrecision.DAY
        assert statement.status == ReviewStatus.PUBLISHED
        assert statement.question and statement.translation
        citation = statement.citations.get()
        assert citation.article == article
        assert citation.role == CitationRole.REPUBLISHER
        assert citation.verified
        assert article.body[citation.start_offset : citation.end_offset] == citation.quote == statement.text
    # Answer 1 is cited where it answers its question, not where the lead repeats it.
    first = statements[0].citations.get()
    assert first.start_offset > article.body.index(statements[0].question)

    denial = Claim.objects.get(text="Iran will not press the Houthis to stop their Red Sea operations.")
    concession = Claim.objects.get(text__startswith="The US may have asked that the Houthis show some consideration")
    assert denial.kind == ClaimKind.DENIAL
    assert concession.kind == ClaimKind.CONCESSION
    qualifies = ClaimRelation.objects.filter(from_claim=concession, to_claim=denial, kind=ClaimRelationKind.QUALIFIES)
    assert qualifies.exists()
    assert Claim.objects.filter(kind=ClaimKind.ASSERTION, text__contains="Swiss embassy").exists()
    for claim in Claim.objects.select_related("statement"):
        assert claim.text_original in claim.statement.text

    indirect = Topic.objects.get(slug="iran-us-indirect-talks")
    assert indirect.parent.slug == "iran-us-relations"
    assert set(Topic.objects.values_list("slug", flat=True)) == {
        "iran-us-relations", "iran-us-indirect-talks", "red-sea-shipping", "houthis", "axis-of-resistance", "gaza-war"
    }
    assert all(topic.name_fa and topic.keywords for topic in Topic.objects.all())
    # The keywords let a statement's words suggest its topics.
    houthis = Topic.objects.get(slug="houthis")
    assert any(fold(keyword) in fold(statements[2].text) for keyword in houthis.keywords)
    assert Statement.objects.about_topics([Topic.objects.get(slug="iran-us-relations").pk]).count() >= 2


def test_demo_load_twice_changes_nothing():
    demo_load()
    rows, events = _row_counts(), _event_count()
    contexts = pghistory.models.Context.objects.count()
    report = demo_load()
    assert not report.changed
    assert _row_counts() == rows
    assert _event_count() == events
    assert pghistory.models.Context.objects.count() == contexts


def test_demo_load_repairs_a_changed_row_and_records_it():
    demo_load()
    Statement.objects.filter(question__startswith="بله").update(status=ReviewStatus.DRAFT)
    events = _event_count()
    report = demo_load()
    assert report.updated == {"Statement": 1}
    assert not Statement.objects.exclude(status=ReviewStatus.PUBLISHED).exists()
    assert _event_count() == events + 1


def test_demo_events_carry_their_source():
    demo_load()
    event = pghistory.models.Events.objects.filter(pgh_model="claims.StatementEvent").first()
    assert event is not None
    assert event.pgh_context["source"] == "load_demo"


def test_citations_point_inside_the_body():
    demo_load()
    article = Article.objects.get()
    assert all(c.end_offset <= len(article.body) for c in Citation.objects.all())
