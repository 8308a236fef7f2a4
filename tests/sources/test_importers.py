"""The article importer on fixture pages in the shapes real outlets print (tests/data/articles)."""

import datetime
import hashlib
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claims.choices import AttributionType, CitationRole, ReviewStatus, VenueKind
from claims.models import Citation, Statement, StatementTopic
from common.dates import TEHRAN
from sources.importers.base import MAX_IMPORT_BYTES, ImportRejected
from sources.importers.dates import parse_printed_datetime
from sources.importers.decoding import decode_page
from sources.importers.matching import TopicMatcher, printed_name
from sources.importers.text import detect_language, parse_lines, split_lines
from sources.models import Article, Outlet, Republication
from sources.services import ImportFailed, article_import
from tests import factories

DATA = Path(__file__).resolve().parent.parent / "data" / "articles"
SEED = DATA / "seed_kharrazi_interview.txt"
SEED_URL = "https://www.asriran.com/fa/news/965708"
# Queries one import makes whatever the number of statements (lookups, 3 bulk INSERTs, history context).
IMPORT_QUERIES = 16
# An import must take well under a second (DESIGN §4); this bound leaves room for a slow CI machine.
IMPORT_SECONDS = 1.0
# A 400-paragraph page (about 40 kB, 400 statements) takes about 1 s here; comparing every pair of
# paragraphs for repeats took 36 s at 3,000 paragraphs.
LONG_REPORT_SECONDS = 4.0


def read(name: str) -> bytes:
    return (DATA / name).read_bytes()


def seed_lines() -> list[str]:
    return SEED.read_text(encoding="utf-8").split("\n")


@pytest.fixture
def reference(db):
    return create_reference_data()


def create_reference_data() -> SimpleNamespace:
    """Outlets, officials and topics the fixture pages name (as a curator would have entered them)."""
    khabaronline = factories.OutletFactory(name="Khabaronline", name_native="خبرآنلاین", domain="khabaronline.ir")
    factories.OutletAliasFactory(outlet=khabaronline, name="خبرآنلاین")
    aljazeera = factories.OutletFactory(name="Al Jazeera", domain="aljazeera.net", country="QA", language="ar")
    for name in ("الجزیره", "Al Jazeera", "قناة الجزيرة"):
        factories.OutletAliasFactory(outlet=aljazeera, name=name)
    reuters = factories.OutletFactory(name="Reuters", domain="reuters.com", country="GB", language="en")
    for name in ("Reuters", "رويترز"):
        factories.OutletAliasFactory(outlet=reuters, name=name)
    irna = factories.OutletFactory(name="IRNA", domain="irna.ir")
    for name in ("ایرنا", "إرنا", "وكالة الأنباء الإيرانية", "IRNA"):
        factories.OutletAliasFactory(outlet=irna, name=name)
    isna = factories.OutletFactory(name="ISNA", domain="isna.ir")
    factories.OutletAliasFactory(outlet=isna, name="ایسنا")
    asriran = factories.OutletFactory(name="Asriran", domain="asriran.com")
    alarabiya = factories.OutletFactory(name="Al Arabiya", domain="alarabiya.net", country="AE", language="en")
    tehran_times = factories.OutletFactory(name="Tehran Times", domain="tehrantimes.com", language="en")

    kharrazi = factories.OfficialFactory(display_name="Kamal Kharrazi", native_name="کمال خرازی")
    for name in ("کمال خرازی", "Kharrazi", "Kharazi", "Kamal Kharrazi"):
        factories.OfficialAliasFactory(official=kharrazi, name=name)
    council = factories.OrganizationFactory(name="Strategic Council on Foreign Relations")
    kharrazi_post = factories.PositionFactory(
        official=kharrazi,
        organization=council,
        title="Head of the Strategic Council on Foreign Relations",
        title_native="رئیس شورای راهبردی روابط خارجی",
        start_date=datetime.date(2006, 6, 25),
    )
    araghchi = factories.OfficialFactory(display_name="Abbas Araghchi", native_name="عباس عراقچی")
    for name in ("عباس عراقچی", "عراقچی", "Araghchi", "Araqchi", "Abbas Araqchi", "عباس عراقجي"):
        factories.OfficialAliasFactory(official=araghchi, name=name)
    # Who was foreign minister depends on the date: Amir-Abdollahian until May 2024, Araghchi from August.
    foreign_ministry = factories.OrganizationFactory(name="Ministry of Foreign Affairs")
    araghchi_post = factories.PositionFactory(
        official=araghchi,
        organization=foreign_ministry,
        title="Foreign Minister",
        title_native="وزیر امور خارجه",
        start_date=datetime.date(2024, 8, 21),
    )
    amir_abdollahian = factories.OfficialFactory(display_name="Hossein Amir-Abdollahian")
    for name in ("حسین امیرعبداللهیان", "امیرعبداللهیان", "Amir-Abdollahian"):
        factories.OfficialAliasFactory(official=amir_abdollahian, name=name)
    factories.PositionFactory(
        official=amir_abdollahian,
        organization=foreign_ministry,
        title="Foreign Minister",
        title_native="وزیر امور خارجه",
        start_date=datetime.date(2021, 8, 25),
        end_date=datetime.date(2024, 5, 19),
    )
    zarif = factories.OfficialFactory(display_name="Mohammad Javad Zarif")
    for name in ("محمدجواد ظریف", "ظریف", "Zarif"):
        factories.OfficialAliasFactory(official=zarif, name=name)

    relations = factories.TopicFactory(name="Iran–US relations", keywords=["روابط ایران و آمریکا"])
    indirect = factories.TopicFactory(
        name="Indirect talks",
        parent=relations,
        keywords=["مذاکرات غیرمستقیم", "گفت‌وگوی غیرمستقیم", "indirect talks", "المحادثات غير المباشرة"],
    )
    houthis = factories.TopicFactory(
        name="Houthis (Ansar Allah)", name_fa="حوثی‌ها", name_ar="الحوثيون", keywords=["انصارالله", "Houthis"]
    )
    red_sea = factories.TopicFactory(
        name="Red Sea shipping", name_fa="دریای سرخ", name_ar="البحر الأحمر", keywords=["Red Sea"]
    )
    resistance = factories.TopicFactory(
        name="Axis of resistance", name_fa="محور مقاومت", keywords=["axis of resistance"]
    )
    gaza = factories.TopicFactory(name="Gaza war", name_fa="جنگ غزه", keywords=["طوفان الاقصی", "غزه", "Gaza"])
    nuclear = factories.TopicFactory(name="Nuclear programme", keywords=["هسته‌ای", "nuclear", "النووي"])
    return SimpleNamespace(**locals())


def stored_rows() -> tuple:
    return (
        Article.objects.count(),
        Statement.objects.count(),
        Citation.objects.count(),
        StatementTopic.objects.count(),
        Republication.objects.count(),
        Outlet.objects.count(),
    )


def assert_citations_verify(article: Article) -> None:
    for citation in Citation.objects.filter(article=article):
        assert article.body[citation.start_offset : citation.end_offset] == citation.quote
        assert citation.quote == citation.statement.text
        assert citation.verified


# -- the seed ---------------------------------------------------------------------------------


def test_seed_imports_to_what_a_curator_records(reference):
    lines = seed_lines()
    questions = [line[1:].strip() for line in lines if line.startswith("*")]
    answers = [lines[lines.index("*" + q) + 2].strip() for q in questions]

    report = article_import(content=SEED.read_bytes(), source_name=SEED.name, outlet_name="Asriran")

    article = Article.objects.get()
    assert report.outcome == "created" and report.article_id == article.pk
    assert article.title == "مذاکرات محرمانه ایران و آمریکا به روایت کمال خرازی"
    assert article.lead == lines[11].strip()  # "کمال خرازی گفت: گفتوگوهای ..."
    assert article.news_code == "۹۶۵۷۰۸"  # as printed
    assert article.published_at == datetime.datetime(2024, 5, 12, 9, 44, tzinfo=TEHRAN)
    assert article.published_as_printed == "۰۹:۴۴ - ۲۳-۰۲-۱۴۰۳"
    assert article.published_calendar == "solar_hijri"
    assert article.language == "fa"
    assert article.outlet == reference.asriran
    assert article.upstream_outlet == reference.khabaronline
    assert article.upstream_name_as_printed == "خبرآنلاین"
    assert article.body_sha256 == hashlib.sha256(article.body.encode()).hexdigest()
    assert article.body.startswith(lines[11].strip())
    assert article.body.endswith(answers[-1])
    # The text is kept as printed: no ZWNJ added, Persian digits and spellings untouched.
    assert "گفتوگوهای غیرمستقیم" in article.body and "\u200c" not in article.body

    statements = list(Statement.objects.filter(citations__article=article).order_by("citations__start_offset"))
    assert [s.question for s in statements] == questions
    assert [s.text for s in statements] == answers
    for statement in statements:
        assert statement.official == reference.kharrazi
        assert statement.status == ReviewStatus.DRAFT
        assert statement.venue_kind == VenueKind.INTERVIEW
        assert statement.venue_outlet == reference.aljazeera
        assert statement.said_on == datetime.date(2024, 5, 12)
        assert statement.language == "fa"
    assert_citations_verify(article)
    assert set(Citation.objects.values_list("role", flat=True)) == {CitationRole.REPUBLISHER}

    suggested = set(StatementTopic.objects.values_list("topic_id", flat=True))
    assert {reference.indirect.pk, reference.houthis.pk, reference.red_sea.pk} <= suggested
    assert reference.nuclear.pk not in suggested  # "هستند" is not "هسته‌ای"
    # Two paragraphs of the lead repeat answer 1: skipped, not statements of their own.
    assert report.skipped["statement"] == 2
    assert report.created == {
        "article": 1,
        "statement": 4,
        "citation": 4,
        "topic_link": len(StatementTopic.objects.all()),
    }
    assert [s.position for s in report.statements] == [reference.kharrazi_post.title] * 4


def test_seed_page_furniture_is_nowhere(reference):
    article_import(content=SEED.read_bytes(), source_name=SEED.name, outlet_name="Asriran")
    headlines = seed_lines()[-1]
    fragments = [piece.strip() for piece in headlines.split("  ") if piece.strip()] + [
        "جاده هالو",
        "پژمان جمشیدی",
        "صحرای غربی",
        "گروسی",
        "ترامپ",
        "ارسال به دوستان",
        "ورود کد امنیتی",
        "captcha",
        "فیلم بیشتر",
        "به روز شده",
        "۱۰ آبان ۱۴۰۴",
        "کد ۹۶۵۷۰۸",
    ]
    texts = []
    for article in Article.objects.all():
        texts += [
            article.title,
            article.lead,
            article.body,
            article.published_as_printed,
            article.upstream_name_as_printed,
        ]
    for statement in Statement.objects.all():
        texts += [statement.text, statement.question, statement.speaker_name_as_printed, statement.said_on_as_printed]
    texts += list(Citation.objects.values_list("quote", flat=True))
    for fragment in fragments:
        assert not any(fragment in text for text in texts), fragment


def test_seed_second_import_is_all_unchanged(reference):
    article_import(content=SEED.read_bytes(), source_name=SEED.name, outlet_name="Asriran")
    before = stored_rows()
    report = article_import(content=SEED.read_bytes(), source_name=SEED.name, outlet_name="Asriran")
    assert report.outcome == "unchanged"
    assert not report.created and not report.updated and not report.skipped
    assert report.unchanged == {"article": 1, "statement": 4}
    assert stored_rows() == before


def test_import_is_well_under_a_second_with_constant_queries(reference, django_assert_num_queries):
    with django_assert_num_queries(IMPORT_QUERIES):
        report = article_import(content=SEED.read_bytes(), source_name=SEED.name, outlet_name="Asriran")
    assert report.elapsed_ms < IMPORT_SECONDS * 1000
    assert len(report.statements) == 4


@pytest.mark.parametrize("questions", [1, 25])
def test_query_count_does_not_grow_with_statements(reference, django_assert_num_queries, questions):
    lines = [
        "گفت‌وگو با کمال خرازی درباره دریای سرخ",
        "تاریخ انتشار: ۰۹:۴۴ - ۲۳-۰۲-۱۴۰۳",
        "",
        "کمال خرازی در مصاحبه با شبکه الجزیره به پرسش‌ها پاسخ داد.",
        "",
    ]
    for number in range(questions):
        lines += [f"*پرسش شماره {number} درباره حوثی‌ها چیست؟", "", f"پاسخ شماره {number} درباره دریای سرخ است.", ""]
    with django_assert_num_queries(IMPORT_QUERIES):
        report = article_import(content="\n".join(lines), source_name="synthetic", outlet_name="Asriran")
    assert report.created["statement"] == questions
    assert Statement.objects.filter(official=reference.kharrazi).count() == questions


# -- natural keys -----------------------------------------------------------------------------


def test_same_url_again_is_unchanged(reference):
    article_import(content=SEED.read_bytes(), url=SEED_URL)
    before = stored_rows()
    report = article_import(content=SEED.read_bytes(), url=SEED_URL)
    assert report.outcome == "unchanged" and stored_rows() == before


def test_tracking_parameters_and_fragments_are_not_part_of_the_url(reference):
    article_import(content=SEED.read_bytes(), url=SEED_URL + "?utm_source=telegram&utm_medium=share#comments")
    assert Article.objects.get().url == SEED_URL
    assert article_import(content=SEED.read_bytes(), url=SEED_URL + "?fbclid=abc").outcome == "unchanged"


def test_same_body_under_another_url_is_a_republication(reference):
    article_import(content=SEED.read_bytes(), url=SEED_URL)
    statements = Statement.objects.count()
    report = article_import(content=SEED.read_bytes(), url="https://www.khabaronline.ir/news/1900000")
    assert report.outcome == "republication"
    assert report.created == {"republication": 1}
    republication = Republication.objects.get()
    assert republication.article == Article.objects.get()
    assert republication.outlet == reference.khabaronline
    assert republication.published_at == datetime.datetime(2024, 5, 12, 9, 44, tzinfo=TEHRAN)
    assert Statement.objects.count() == statements
    # ... and that URL is now known too.
    assert (
        article_import(content=SEED.read_bytes(), url="https://www.khabaronline.ir/news/1900000").outcome == "unchanged"
    )


def test_known_url_with_changed_text_is_skipped(reference):
    article_import(content=SEED.read_bytes(), url=SEED_URL)
    before = stored_rows()
    changed = SEED.read_bytes().replace("جوابش منفی است".encode(), "جوابش قطعا منفی است".encode())
    report = article_import(content=changed, url=SEED_URL)
    assert report.outcome == "skipped" and report.skipped == {"article": 1}
    assert any("different text" in w for w in report.warnings)
    assert stored_rows() == before


def test_url_given_later_fills_the_url(reference):
    article_import(content=SEED.read_bytes(), outlet_name="Asriran")
    report = article_import(content=SEED.read_bytes(), url=SEED_URL)
    assert report.outcome == "updated" and report.updated == {"article": 1}
    assert Article.objects.get().url == SEED_URL
    assert Republication.objects.count() == 0


def test_dry_run_reports_everything_and_saves_nothing(reference):
    before = stored_rows()
    report = article_import(content=SEED.read_bytes(), outlet_name="Asriran", dry_run=True)
    assert report.dry_run and report.created["statement"] == 4 and len(report.statements) == 4
    assert report.summary().startswith("would create 1 article, 4 statements")
    assert stored_rows() == before


def test_failure_on_the_last_citation_leaves_nothing(reference):
    """A database constraint violation on the last citation rolls back the article and every statement."""
    last_answer = seed_lines()[32].strip()
    with connection.cursor() as cursor:
        cursor.execute(
            """
            CREATE FUNCTION test_refuse_last_citation() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION USING ERRCODE = 'check_violation', CONSTRAINT = 'test_refuse_last_citation',
                    MESSAGE = 'refused by the test';
            END $$;
            CREATE TRIGGER test_refuse_last_citation BEFORE INSERT ON claims_citation FOR EACH ROW
                WHEN (NEW.quote = %s) EXECUTE FUNCTION test_refuse_last_citation();
            """,
            [last_answer],
        )
    before = stored_rows()
    with pytest.raises(ImportFailed) as failure:
        article_import(content=SEED.read_bytes(), outlet_name="Asriran")
    assert "refused by the test" in str(failure.value.messages)
    assert stored_rows() == before


# -- other pages --------------------------------------------------------------------------------


def statements_of(report) -> list[Statement]:
    return list(
        Statement.objects.filter(citations__article_id=report.article_id)
        .select_related("official", "venue_outlet")
        .order_by("citations__start_offset")
    )


def test_persian_report_with_reported_speech(reference):
    url = "https://www.asriran.com/fa/news/123456"
    report = article_import(content=read("fa_report_araghchi.txt"), url=url)
    article = Article.objects.get(pk=report.article_id)
    assert article.outlet == reference.asriran  # by the URL's domain
    assert article.title == "عراقچی: مذاکرات غیرمستقیم با آمریکا از طریق عمان ادامه دارد"
    assert article.news_code == "۱۲۳۴۵۶"
    # The "last updated" line is not the publication date.
    assert article.published_at == datetime.datetime(2024, 5, 13, 14, 30, tzinfo=TEHRAN)
    assert article.upstream_outlet == reference.isna
    for furniture in ("بیشتر بخوانید", "انتهای پیام", "اخبار مرتبط", "برچسب ها", "قیمت دلار", "صفحه اصلی", "ارسال نظر"):
        assert furniture not in article.body
    statements = statements_of(report)
    assert [s.official for s in statements[:3]] == [reference.araghchi] * 3  # "وی افزود" is still Araghchi
    assert statements[0].text.startswith("مذاکرات غیرمستقیم با آمریکا از طریق عمان ادامه دارد")
    assert statements[0].venue_kind == VenueKind.PRESS_CONFERENCE
    assert statements[2].attribution == AttributionType.PARAPHRASE  # "تاکید کرد که ..."
    # An official the database does not know: kept as printed, never attached to Araghchi.
    kanani = statements[3]
    assert kanani.official is None
    assert kanani.speaker_name_as_printed == "ناصر کنعانی سخنگوی وزارت امور خارجه"
    assert kanani.text == "ایران از هر ابتکاری برای توقف جنگ غزه حمایت می‌کند."  # the «» are punctuation
    assert statements[4].official is None  # "این دیپلمات ارشد" is the last named speaker: Kanani
    assert any("ناصر کنعانی" in w for w in report.warnings)
    assert_citations_verify(article)


def test_arabic_report_with_qala_and_naqlan_an(reference):
    report = article_import(
        content=read("ar_report_araghchi.txt"), url="https://www.aljazeera.net/news/2024/5/13/iran-oman-talks"
    )
    article = Article.objects.get(pk=report.article_id)
    assert article.language == "ar"
    assert article.outlet == reference.aljazeera
    assert article.upstream_outlet == reference.irna  # "نقلا عن وكالة الأنباء الإيرانية"
    # Printed in Doha time (the outlet's country); "آخر تحديث" is not the publication date.
    assert article.published_at == datetime.datetime(2024, 5, 13, 7, 30, tzinfo=datetime.UTC)
    assert "اقرأ أيضا" not in article.body and "أسعار النفط" not in article.body
    statements = statements_of(report)
    assert [s.official for s in statements] == [reference.araghchi] * 3 + [None]
    assert statements[1].text == "لن نتفاوض مباشرة ما لم تعد واشنطن إلى التزاماتها في الاتفاق النووي"
    assert statements[3].speaker_name_as_printed == "المتحدث باسم الحكومة الإيرانية علي بهادري جهرمي"
    topics = set(StatementTopic.objects.filter(statement=statements[2]).values_list("topic_id", flat=True))
    assert {reference.houthis.pk, reference.red_sea.pk} <= topics
    assert_citations_verify(article)


def test_english_report_with_said_and_according_to(reference):
    report = article_import(
        content=read("en_report_araghchi.txt"),
        url="https://english.alarabiya.net/News/middle-east/2024/05/13/iran-talks",
    )
    article = Article.objects.get(pk=report.article_id)
    assert article.language == "en"
    assert article.outlet == reference.alarabiya  # english.alarabiya.net is under alarabiya.net
    assert article.title == "Iran says indirect talks with US continue through Oman"
    assert article.upstream_outlet == reference.reuters
    assert article.published_at == datetime.datetime(2024, 5, 13, 10, 40, tzinfo=datetime.UTC)
    assert "Advertisement" not in article.body and "Oil prices" not in article.body
    assert not article.body.startswith("By ")
    statements = statements_of(report)
    assert [s.official for s in statements[:3]] == [reference.araghchi] * 3  # "He added" is Araghchi
    assert statements[1].text == "There will be no direct negotiations until Washington returns to its commitments"
    assert statements[1].attribution == AttributionType.DIRECT_QUOTE
    assert statements[3].official is None and statements[3].speaker_name_as_printed == "Jake Sullivan"
    assert statements[4].attribution == AttributionType.UNNAMED_SOURCE
    assert len(statements) == 5  # "The talks, which Iran said were indirect, ..." reports nobody
    assert_citations_verify(article)


def test_html_page_with_scripts_navigation_and_related_news(reference):
    report = article_import(content=read("fa_interview_bold.html"), source_name="page.html")
    article = Article.objects.get(pk=report.article_id)
    assert report.format == "HTML"
    assert article.url == "https://www.khabaronline.ir/news/1900001/kharrazi-red-sea"  # the canonical link
    assert article.outlet == reference.khabaronline
    assert article.title == "گفت‌وگو با کمال خرازی درباره دریای سرخ"
    assert article.news_code == "۱۹۰۰۰۰۱"
    assert article.published_at == datetime.datetime(2024, 5, 15, 11, 20, tzinfo=TEHRAN)
    for text in (article.title, article.lead, article.body):
        assert "<" not in text and ">" not in text
    for furniture in (
        "dataLayer",
        "injected",
        "trackRead",
        "font-family",
        "صفحه اصلی",
        "اقتصاد",
        "ارسال به دوستان",
        "تلگرام",
        "برچسب",
        "اخبار مرتبط",
        "قیمت طلا",
        "کد امنیتی",
        "حقوق محفوظ",
        "خانه",
    ):
        assert furniture not in article.body, furniture
    assert "&" in article.body and "&amp;" not in article.body  # entities decoded, not kept as markup
    statements = statements_of(report)
    assert [s.question for s in statements] == [
        "آیا ایران از حوثی‌ها خواسته است حملات در دریای سرخ را متوقف کنند؟",
        "آیا آمریکا پیامی در این باره فرستاده است؟",
    ]
    assert all(s.official == reference.kharrazi for s in statements)
    assert all(s.venue_outlet == reference.khabaronline for s in statements)  # "در گفت‌وگو با خبرآنلاین"
    assert set(Citation.objects.filter(article=article).values_list("role", flat=True)) == {CitationRole.ORIGINAL_VENUE}
    assert statements[1].text.endswith("این موضع جمهوری اسلامی است & تغییر نخواهد کرد.")
    assert_citations_verify(article)


def test_persian_page_with_masthead_and_a_title_for_a_name(reference):
    report = article_import(content=read("fa_report_masthead.txt"))
    article = Article.objects.get(pk=report.article_id)
    assert article.outlet == reference.isna  # "ایسنا" printed alone at the top
    assert article.title == "وزیر امور خارجه: تحریم‌ها مانع گفتگو نیست"
    assert article.news_code == "۱۴۰۳۰۶۲۴۱۵۴۳۲"
    assert article.published_at == datetime.datetime(2024, 9, 14, 14, 30, tzinfo=TEHRAN)
    for furniture in ("ایسنا", "صفحه نخست", "زمان مطالعه", "کپی لینک", "انتهای پیام"):
        assert furniture not in article.body
    statements = statements_of(report)
    # "وزیر امور خارجه گفت ..." (no colon) is the minister of that date; "در پاسخ به سوالی ... گفت"
    # has no subject of its own and continues the last speaker.
    assert [s.official for s in statements] == [reference.araghchi] * 3
    assert statements[0].attribution == AttributionType.PARAPHRASE
    assert statements[2].attribution == AttributionType.DIRECT_QUOTE
    assert report.statements[0].position == "Foreign Minister"


def test_a_title_stands_for_whoever_held_the_post_that_day(reference):
    page = read("fa_report_masthead.txt").replace("۲۴ شهریور ۱۴۰۳".encode(), "۲۴ اردیبهشت ۱۴۰۳".encode())
    report = article_import(content=page, outlet_name="ISNA")
    assert statements_of(report)[0].official == reference.amir_abdollahian


def test_english_page_with_dateline_byline_and_has_said(reference):
    report = article_import(content=read("en_report_dateline.txt"), outlet_name="Al Jazeera")
    article = Article.objects.get(pk=report.article_id)
    assert article.title == "Iran's foreign minister says no direct talks with US"
    assert article.lead == "Iran's top diplomat rules out direct negotiations while sanctions remain."
    assert article.published_at == datetime.datetime(2024, 9, 14, tzinfo=ZoneInfo("Asia/Qatar"))
    for furniture in ("Skip", "Navigation", "Maziar", "Save articles", "Listen", "min read", "Click here", "Oil"):
        assert furniture not in article.body, furniture
    statements = statements_of(report)
    assert [s.official for s in statements] == [reference.araghchi] * 3
    assert statements[0].text.startswith("there will be no direct negotiations")
    assert statements[1].venue_kind == VenueKind.PRESS_CONFERENCE
    assert statements[2].text == "We do not give orders to the Houthis"


def test_arabic_page_with_dateline_and_masthead(reference):
    report = article_import(content=read("ar_report_messy.txt"))
    article = Article.objects.get(pk=report.article_id)
    assert article.outlet == reference.aljazeera  # "الجزيرة نت" at the top
    assert article.upstream_outlet is None  # "المصدر: الجزيرة" is the page crediting itself
    assert article.title == "عراقجي يستبعد مفاوضات مباشرة مع واشنطن"
    assert article.published_at == datetime.datetime(2024, 5, 13, tzinfo=ZoneInfo("Asia/Qatar"))
    assert "استمع" not in article.body
    statements = statements_of(report)
    assert [s.official for s in statements] == [reference.araghchi] * 2  # not "طهران-"
    assert statements[0].venue_kind == VenueKind.PRESS_CONFERENCE  # "وذلك في مؤتمر صحفي"
    assert statements[1].text == "القناة غير المباشرة عبر سلطنة عمان ما زالت قائمة."


def test_arabic_interview_with_sin_jim_markers(reference):
    report = article_import(content=read("ar_interview_sj.txt"), outlet_name="Al Jazeera")
    statements = statements_of(report)
    assert len(statements) == 3
    assert statements[0].question == "هل هناك مفاوضات سرية بين طهران وواشنطن؟"
    assert statements[0].text.startswith("لا توجد مفاوضات سرية")  # "ج:" is not part of the words
    assert all(s.official == reference.araghchi and s.venue_kind == VenueKind.INTERVIEW for s in statements)
    assert statements[0].venue_outlet == reference.aljazeera  # "أجرت قناة الجزيرة حوارا"
    assert_citations_verify(Article.objects.get(pk=report.article_id))


def test_english_interview_with_q_a_markers(reference):
    report = article_import(content=read("en_interview_qa.txt"), outlet_name="Tehran Times")
    statements = statements_of(report)
    assert [s.question for s in statements] == [
        "Have there been secret negotiations between Iran and the United States?",
        "Has Washington asked you to press the Houthis to stop their Red Sea attacks?",
        "And the Americans did not ask?",
    ]
    # An answer of two paragraphs is one statement; the interviewer is never the speaker.
    assert statements[1].text == (
        "No. Iran will not put such pressure on the Houthis.\n\nThey are defending the axis of resistance and Yemen."
    )
    assert all(s.official == reference.kharrazi for s in statements)
    assert all(s.venue_outlet == reference.aljazeera for s in statements)
    article = Article.objects.get(pk=report.article_id)
    assert "Share this article" not in article.body and "Beirut" not in article.body
    assert_citations_verify(article)


def test_windows_1256_page_is_decoded(reference):
    report = article_import(content=read("fa_report_windows1256.txt"))
    assert report.encoding == "Windows-1256"
    article = Article.objects.get(pk=report.article_id)
    assert article.language == "fa"
    assert "ظريف" in article.title
    assert article.published_at == datetime.datetime(2011, 5, 31, 8, 15, tzinfo=TEHRAN)
    assert article.upstream_outlet == reference.irna  # ايرنا (Arabic yeh) folds to the alias ایرنا
    assert {s.official for s in statements_of(report)} == {reference.zarif}
    assert any("Unknown outlet" in w for w in report.warnings)


def test_unknown_url_domain_creates_an_outlet_with_a_warning(reference):
    report = article_import(content=read("fa_report_araghchi.txt"), url="https://www.example-news.ir/a/1")
    assert Article.objects.get().outlet.domain == "example-news.ir"
    assert report.created["outlet"] == 1 and any("example-news.ir" in w for w in report.warnings)


def test_ambiguous_alias_is_not_attached_to_either_official(reference):
    for name in ("Hassan Rouhani", "Hossein Rouhani"):
        factories.OfficialAliasFactory(official=factories.OfficialFactory(display_name=name), name="روحانی")
    page = "روحانی: توافق ممکن است\n\nروحانی در جمع خبرنگاران گفت: توافق هنوز ممکن است و ما آماده‌ایم.\n"
    report = article_import(content=page.encode(), outlet_name="Asriran")
    statement = Statement.objects.get()
    assert statement.official is None and statement.speaker_name_as_printed == "روحانی"
    assert any("more than one official" in w for w in report.warnings)


def test_no_statement_found_is_a_warning_not_an_error(reference):
    page = "بازار تهران امروز تعطیل بود\n\nبازار بزرگ تهران به مناسبت تعطیلی رسمی امروز بسته بود.\n"
    report = article_import(content=page.encode(), outlet_name="Asriran")
    assert report.created == {"article": 1}
    assert any("No statement" in w for w in report.warnings)


# -- bad input -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("empty.txt", "empty"),
        ("whitespace_only.txt", "empty"),
        ("not_a_page.png", "binary"),
        ("binary_blob.bin", "binary"),
    ],
)
def test_bad_files_are_refused_and_nothing_is_saved(reference, name, code):
    before = stored_rows()
    with pytest.raises(ImportRejected) as refusal:
        article_import(content=read(name), source_name=name, outlet_name="Asriran")
    assert refusal.value.code == code
    assert stored_rows() == before


def test_oversize_page_is_refused_with_the_limit_in_the_message(reference):
    page = SEED.read_bytes() * (MAX_IMPORT_BYTES // len(SEED.read_bytes()) + 1)
    with pytest.raises(ImportRejected) as refusal:
        article_import(content=page, outlet_name="Asriran")
    assert refusal.value.code == "too_large"
    assert "2 MB" in " ".join(refusal.value.messages)
    assert Article.objects.count() == 0


def test_page_of_furniture_only_is_refused(reference):
    page = "صفحه اصلی > سیاست\nکد خبر: ۱۲۳\nارسال به دوستان\n"
    with pytest.raises(ImportRejected) as refusal:
        article_import(content=page.encode(), outlet_name="Asriran")
    assert refusal.value.code == "no_body"
    assert Article.objects.count() == 0


def test_bad_url_is_refused(reference):
    with pytest.raises(ImportRejected) as refusal:
        article_import(content=SEED.read_bytes(), url="javascript:alert(1)")
    assert refusal.value.code == "bad_url"
    assert Article.objects.count() == 0


# Pieces real pages are made of, shuffled into pages no outlet would print.
PAGE_PIECES = st.sampled_from(
    [
        "<p>",
        "</p>",
        "<b>",
        "</b>",
        "<br>",
        "<article>",
        "<div class='share'>",
        "</div>",
        "<h1>",
        "</h1>",
        "<script>",
        "</script>",
        "&amp;",
        "&#0;",
        "<meta property='article:published_time' content='2024-13-45'>",
        "\n",
        "\n\n",
        " ",
        "\u200c",
        "\u00a0",
        "*",
        "س: ",
        "ج: ",
        "Q: ",
        "A: ",
        "گفت:",
        " گفت ",
        "قال ",
        " said ",
        "وی افزود: ",
        "به گزارش ",
        "نقلا عن ",
        "according to ",
        "تاریخ انتشار: ",
        "کد خبر ",
        "۲۳-۰۲-۱۴۰۳",
        "۰۹:۴۴",
        "ارسال به دوستان",
        "کمال خرازی",
        "Kharrazi",
        "الجزیره",
        "خبرآنلاین",
        "«",
        "»",
        ".",
        "،",
        "؟",
        "?",
        '"',
        "حوثی‌ها",
        "دریای سرخ",
        "the",
        "Iran",
        "ایران",
        "9" * 80,
    ]
)


@pytest.mark.django_db
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(page=st.lists(PAGE_PIECES, max_size=120).map("".join) | st.text(max_size=200) | st.binary(max_size=200))
def test_any_input_is_imported_or_refused_never_an_error(page):
    """Whatever a curator pastes: a report, or a refusal that says why; citations always verify."""
    if not Outlet.objects.filter(name="Khabaronline").exists():
        create_reference_data()
    try:
        report = article_import(content=page, outlet_name="Asriran")
    except ImportRejected:
        return
    if report.article_id and report.outcome == "created":
        assert_citations_verify(Article.objects.get(pk=report.article_id))


# -- the parts, without the database -------------------------------------------------------------


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("۰۹:۴۴ - ۲۳-۰۲-۱۴۰۳", datetime.datetime(2024, 5, 12, 9, 44, tzinfo=TEHRAN)),
        ("یکشنبه ۲۳ اردیبهشت ۱۴۰۳ ساعت ۰۹:۴۴", datetime.datetime(2024, 5, 12, 9, 44, tzinfo=TEHRAN)),
        ("١٢ مايو ٢٠٢٤م - ١٠:٣٠", datetime.datetime(2024, 5, 12, 10, 30, tzinfo=TEHRAN)),
        ("الأحد 12 أيار 2024", datetime.datetime(2024, 5, 12, 0, 0, tzinfo=TEHRAN)),
        ("May 12, 2024 9:44 PM GMT", datetime.datetime(2024, 5, 12, 21, 44, tzinfo=datetime.UTC)),
        ("2024-05-12T09:44:00+03:30", datetime.datetime(2024, 5, 12, 6, 14, tzinfo=datetime.UTC)),
        ("یکشنبه / ۲۳ اردیبهشت ۱۴۰۳ / ۰۹:۴۴", datetime.datetime(2024, 5, 12, 9, 44, tzinfo=TEHRAN)),
        ("13 مايو ,2024: 10:30 ص بتوقيت السعودية", datetime.datetime(2024, 5, 13, 10, 30, tzinfo=TEHRAN)),
        ("13/5/2024 05:12 م (توقيت مكة)", datetime.datetime(2024, 5, 13, 17, 12, tzinfo=TEHRAN)),
        ("Monday, May 13, 2024 at 2:10 PM EDT", datetime.datetime(2024, 5, 13, 18, 10, tzinfo=datetime.UTC)),
        ("May 13, 2024 - 21:40", datetime.datetime(2024, 5, 13, 21, 40, tzinfo=TEHRAN)),
    ],
)
def test_printed_dates(printed, expected):
    moment, _ = parse_printed_datetime(printed)
    assert moment == expected


@pytest.mark.parametrize("printed", ["گفتوگوهای غیرمستقیم ۲۳", "Updated 2 hours ago", "۳۱-۱۲-۱۴۰۳"])
def test_text_that_is_not_a_date(printed):
    assert parse_printed_datetime(printed) is None


def test_updated_and_todays_date_lines_are_not_the_publication_date():
    page = parse_lines(
        split_lines(
            "۱۰ آبان ۱۴۰۴\nبه روز شده در: ۱۰ آبان ۱۴۰۴ - ۰۱:۵۱\nعنوان خبر آزمایشی\nکمال خرازی گفت: این یک متن است.\n"
        )
    )
    assert page.published_at is None
    assert any("not the article's" in w for w in page.warnings)


@pytest.mark.parametrize(
    "line",
    [
        "May 13, 2024 11:05 AM GMT+3:30Updated 2 hours ago",
        "Monday, 13 May 2024 11:05 AM  [ Last Update: Monday, 13 May 2024 12:44 PM ]",
    ],
)
def test_publication_and_update_run_together_on_one_line(line):
    page = parse_lines(split_lines(f"{line}\nIran says indirect talks continue\nAraqchi said the talks continue.\n"))
    assert page.published_at.date() == datetime.date(2024, 5, 13)
    assert page.published_at.hour == 11 and page.title == "Iran says indirect talks continue"


def test_conflicting_publication_dates_warn():
    page = parse_lines(
        split_lines(
            "تاریخ انتشار: ۰۹:۴۴ - ۲۳-۰۲-۱۴۰۳\nانتشار: ۰۹:۴۴ - ۲۵-۰۲-۱۴۰۳\nعنوان خبر آزمایشی\nمتن خبر اینجاست.\n"
        )
    )
    assert page.published_at == datetime.datetime(2024, 5, 12, 9, 44, tzinfo=TEHRAN)
    assert any("Conflicting dates" in w for w in page.warnings)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("گفتوگوهای غیرمستقیم بین ایران و آمریکا موضوع جدیدی نیست", "fa"),
        ("قال وزير الخارجية إن المحادثات غير المباشرة مستمرة في سلطنة عمان", "ar"),
        ("Iran says indirect talks with the United States continue", "en"),
        ("ظريف در گفتگو با خبرنگاران گفت", "fa"),  # Windows-1256 Persian, written with Arabic yeh
    ],
)
def test_language_from_the_script(text, language):
    assert detect_language(text) == language


def test_windows_1256_bytes_decode_and_latin_garbage_does_not():
    text, encoding = decode_page("ظريف گفت: مذاکره ممکن است".encode("cp1256"))
    assert (text, encoding) == ("ظريف گفت: مذاکره ممکن است", "Windows-1256")
    assert decode_page("café “quoted”".encode("cp1252"))[1] == "Windows-1252"


def test_utf8_page_with_a_broken_byte_stays_utf8():
    data = SEED.read_bytes()
    text, encoding = decode_page(data[:500] + b"\xd8" + data[500:])
    assert encoding.startswith("UTF-8 (1 damaged")
    assert "مذاکرات محرمانه ایران و آمریکا" in text


def test_printed_names():
    assert printed_name("در همین حال، ناصر کنعانی سخنگوی وزارت امور خارجه در نشست هفتگی خود", language="fa") == (
        "ناصر کنعانی سخنگوی وزارت امور خارجه"
    )
    assert printed_name("در پاسخ به سوالی درباره مذاکرات", language="fa") == ""
    assert printed_name("Jake Sullivan, the US national security adviser", language="en") == "Jake Sullivan"
    assert printed_name("Speaking in Tehran, Araqchi", language="en") == "Araqchi"
    assert printed_name("Iran’s foreign minister", language="en") == "Iran’s foreign minister"


def test_topic_keywords_match_across_spellings():
    topic = SimpleNamespace(pk=1, name="Indirect talks", name_fa="", name_ar="", keywords=["گفت‌وگوی غیرمستقیم"])
    houthis = SimpleNamespace(pk=2, name="Houthis", name_fa="حوثی‌ها", name_ar="الحوثيون", keywords=[])
    matcher = TopicMatcher([topic, houthis])
    assert matcher.match("گفتوگوهای غیرمستقیم بین ایران و آمریکا") == {1}
    assert matcher.match("حوثیها مشغول دفاع هستند") == {2}
    assert matcher.match("والحوثيين في اليمن") == {2}
    assert matcher.match("Houthi forces") == {2}
    assert matcher.match("حوثه") == set()


def test_html_page_without_an_article_element_uses_linked_data(reference):
    report = article_import(content=read("fa_report_no_article_tag.html"))
    article = Article.objects.get(pk=report.article_id)
    assert article.url == "https://www.irna.ir/news/85445566/"  # from the JSON-LD (no canonical link)
    assert article.outlet == reference.irna  # the publisher named in the JSON-LD
    assert article.title == "امیرعبداللهیان: پاسخ ایران قاطع خواهد بود"
    assert article.news_code == "۸۵۴۴۵۵۶۶"
    assert article.published_at == datetime.datetime(2024, 4, 14, 10, 5, tzinfo=TEHRAN)
    assert article.lead.startswith("وزیر امور خارجه گفت هر اقدام جدید")
    for furniture in ("صفحه اصلی", "اشتراک", "واتساپ", "پربازدید", "کنکور", "تماس با ما", "@graph"):
        assert furniture not in article.body, furniture
    assert article.upstream_outlet is None  # "به گزارش ایرنا" on IRNA's own page
    statements = statements_of(report)
    # The summary names the minister by title (Amir-Abdollahian on 14 April 2024), then by name.
    assert [s.official for s in statements] == [reference.amir_abdollahian] * 3
    assert_citations_verify(article)


def test_a_long_report_imports_in_linear_time(reference):
    """Hundreds of paragraphs: every one a statement, and no step compares every pair of them."""
    paragraphs = [
        f"کمال خرازی در بخش {number} گفت: گفتوگوهای غیرمستقیم شماره {number} ادامه دارد." for number in range(400)
    ]
    page = "گزارش بلند درباره گفتگوهای غیرمستقیم\n\n" + "\n\n".join(paragraphs)
    report = article_import(content=page.encode(), outlet_name="Asriran")
    assert report.created["statement"] == 400
    assert report.elapsed_ms < LONG_REPORT_SECONDS * 1000


def test_transcript_with_named_turns(reference):
    report = article_import(content=read("en_interview_transcript.txt"), outlet_name="Al Jazeera")
    statements = statements_of(report)
    assert [s.question for s in statements] == [
        "Are you negotiating with the United States?",
        "Will Iran ask the Houthis to stop?",
        "Thank you, Dr Kharrazi.",
    ]
    assert statements[1].text == (
        "We do not give orders to the Houthis.\n\nThey decide for themselves, as part of the axis of resistance."
    )
    # "Kharrazi:" names the speaker; "Al Jazeera:" is the interviewer and the venue.
    assert all(s.official == reference.kharrazi for s in statements)
    assert all(s.venue_kind == VenueKind.INTERVIEW and s.venue_outlet == reference.aljazeera for s in statements)
    assert report.published_at == datetime.datetime(2024, 5, 16, 18, 0, tzinfo=datetime.UTC)


def test_a_name_typed_in_persian_matches_arabic_letters(reference):
    """The alias "کمال خرازی" (Persian ک and ی) is the same name as "كمال خرازي" on an Arabic page."""
    page = "خرازي: لا مفاوضات سرية\n\nقال كمال خرازي إن المحادثات غير المباشرة مع واشنطن ليست جديدة.\n"
    report = article_import(content=page.encode(), outlet_name="Al Jazeera")
    assert report.language == "ar"
    assert statements_of(report)[0].official == reference.kharrazi


def test_arabic_subject_after_the_verb_wins_over_a_connective_before_it(reference):
    page = (
        "عراقجي يتحدث عن المفاوضات\n\n"
        "وفي هذا السياق قال عباس عراقجي إن المفاوضات غير المباشرة مستمرة.\n\n"
        "الوزير الإيراني قال إن بلاده لا تريد التصعيد.\n"
    )
    report = article_import(content=page.encode(), outlet_name="Al Jazeera")
    statements = statements_of(report)
    assert statements[0].official == reference.araghchi
    assert statements[1].official is None and statements[1].speaker_name_as_printed == "الوزير الإيراني"


def test_according_to_a_person_is_speech_and_to_an_outlet_is_a_credit(reference):
    page = (
        "Talks continue, officials say\n\n"
        "According to Kharrazi, the talks have gone on for years through the Swiss embassy.\n\n"
        "According to Reuters, the next round is planned for June.\n"
    )
    report = article_import(content=page.encode(), outlet_name="Tehran Times")
    statements = statements_of(report)
    assert len(statements) == 1
    assert statements[0].official == reference.kharrazi
    assert statements[0].attribution == AttributionType.PARAPHRASE
    assert statements[0].text.startswith("the talks have gone on for years")
    assert Article.objects.get(pk=report.article_id).upstream_outlet == reference.reuters


def test_a_bullet_list_is_not_an_interview(reference):
    page = (
        "محورهای گفتگوی عراقچی و همتای عمانی\n\n"
        "عباس عراقچی گفت: در این گفتگو سه موضوع بررسی شد.\n\n"
        "* روابط دوجانبه\n\n* امنیت خلیج فارس\n\n* مذاکرات غیرمستقیم\n"
    )
    report = article_import(content=page.encode(), outlet_name="Asriran")
    statements = statements_of(report)
    assert [s.question for s in statements] == [""]
    assert statements[0].official == reference.araghchi
    assert Article.objects.get(pk=report.article_id).body.endswith("* مذاکرات غیرمستقیم")


def test_persian_speech_without_a_subject_continues_the_last_speaker(reference):
    page = (
        "گزارشی درباره سخنان عراقچی در تهران\n\n"
        "عباس عراقچی به پرسش‌های خبرنگاران پاسخ داد و گفت: مذاکره مستقیم در کار نیست.\n\n"
        "افزود: تحریم‌ها باید برداشته شود.\n"
    )
    report = article_import(content=page.encode(), outlet_name="Asriran")
    statements = statements_of(report)
    # "پاسخ داد و گفت:": the quote follows "گفت:", not "پاسخ داد".
    assert statements[0].text == "مذاکره مستقیم در کار نیست."
    assert [s.official for s in statements] == [reference.araghchi] * 2


def test_trailing_headlines_without_a_marker_are_cut(reference):
    report = article_import(content=read("fa_report_trailing_headlines.txt"), outlet_name="Asriran")
    article = Article.objects.get(pk=report.article_id)
    assert article.body.endswith("پاسخ ما در چارچوب منافع ملی خواهد بود.")
    for headline in ("قیمت طلا", "کنکور", "هوای تهران"):
        assert headline not in article.body
    assert len(statements_of(report)) == 2


def test_seed_copied_without_the_share_widget_still_drops_the_headlines(reference):
    page = SEED.read_text(encoding="utf-8").replace("ارسال به دوستان\nورود کد امنیتی\ncaptcha\n", "")
    report = article_import(content=page.encode(), outlet_name="Asriran")
    article = Article.objects.get(pk=report.article_id)
    assert article.body.endswith(seed_lines()[32].strip())
    assert "جاده هالو" not in article.body and report.created["statement"] == 4


def test_html_logo_in_h1_is_not_the_title(reference):
    report = article_import(content=read("en_logo_heading.html"))
    article = Article.objects.get(pk=report.article_id)
    assert article.outlet == reference.tehran_times  # og:site_name
    assert article.title == "Kharrazi: Iran will not press the Houthis"
    assert article.body.startswith("Kamal Kharrazi said on Monday")
    assert "Politics" not in article.body and "Tehran Times" not in article.body
    assert article.published_at == datetime.datetime(2024, 5, 20, 8, 30, tzinfo=TEHRAN)
    assert [s.official for s in statements_of(report)] == [reference.kharrazi] * 2
