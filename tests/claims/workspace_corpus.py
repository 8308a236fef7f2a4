"""A small corpus for the analysts' workspace tests: the seed interview (Kharrazi, Al Jazeera via
Khabaronline) plus a few statements by others, with topics in a tree, claims and a relation."""

import datetime
from dataclasses import dataclass

from claims.choices import AttributionType, CitationRole, ClaimKind, ClaimRelationKind, ReviewStatus, VenueKind
from sources.choices import Language
from tests import factories

SEED_BODY = (
    "به گزارش خبرآنلاین، کمال خرازی در گفتوگو با الجزیره گفت: گفتوگوهای غیرمستقیم ایران و آمریکا "
    "موضوع جدیدی نیست و سال‌هاست از طریق سفارت سوئیس ادامه دارد.\n"
    "* آیا ایران از حوثی‌ها می‌خواهد عملیات در دریای سرخ را متوقف کنند؟\n"
    "ما از حوثی‌ها نمی‌خواهیم عملیات خود را متوقف کنند.\n"
)


@dataclass
class Corpus:
    kharrazi: object
    araghchi: object
    council: object
    iran_us: object
    indirect_talks: object
    red_sea: object
    gaza: object
    khabaronline: object
    aljazeera: object
    reuters: object
    article: object
    talks: object
    houthis: object
    concession: object
    english: object
    old: object
    draft: object


def build_corpus() -> Corpus:
    khabaronline = factories.OutletFactory(name="Khabaronline", name_native="خبرآنلاین", domain="khabaronline.ir")
    aljazeera = factories.OutletFactory(name="Al Jazeera", name_native="الجزيرة", domain="aljazeera.net", country="QA")
    reuters = factories.OutletFactory(name="Reuters", domain="reuters.com", country="GB", language=Language.ENGLISH)
    council = factories.OrganizationFactory(name="Strategic Council on Foreign Relations", country="IR")
    ministry = factories.OrganizationFactory(name="Ministry of Foreign Affairs", country="IR")
    kharrazi = factories.OfficialFactory(display_name="Kamal Kharrazi", native_name="کمال خرازی")
    factories.OfficialAliasFactory(official=kharrazi, name="Kharazi")
    factories.PositionFactory(
        official=kharrazi, organization=council, title="Head", start_date=datetime.date(2006, 6, 25)
    )
    factories.PositionFactory(
        official=kharrazi,
        organization=ministry,
        title="Foreign Minister",
        start_date=datetime.date(1997, 8, 20),
        end_date=datetime.date(2005, 8, 24),
    )
    araghchi = factories.OfficialFactory(display_name="Abbas Araghchi", native_name="عباس عراقچی")
    factories.PositionFactory(
        official=araghchi, organization=ministry, title="Foreign Minister", start_date=datetime.date(2024, 8, 21)
    )

    iran_us = factories.TopicFactory(name="Iran–US relations", name_fa="روابط ایران و آمریکا", slug="iran-us")
    indirect_talks = factories.TopicFactory(
        name="Indirect talks", name_fa="مذاکرات غیرمستقیم", slug="indirect-talks", parent=iran_us
    )
    red_sea = factories.TopicFactory(name="Red Sea shipping", name_fa="کشتیرانی دریای سرخ", slug="red-sea")
    gaza = factories.TopicFactory(name="Gaza war", name_fa="جنگ غزه", slug="gaza")

    article = factories.ArticleFactory(
        outlet=khabaronline,
        upstream_outlet=aljazeera,
        body=SEED_BODY,
        title="خرازی: گفتوگوهای غیرمستقیم ادامه دارد",
        url="https://khabaronline.ir/x",
    )
    said = datetime.date(2024, 5, 12)  # ۲۳ اردیبهشت ۱۴۰۳
    common = {
        "official": kharrazi,
        "said_on": said,
        "venue_kind": VenueKind.INTERVIEW,
        "venue_outlet": aljazeera,
        "language": Language.PERSIAN,
    }
    talks = factories.StatementFactory(
        text="گفتوگوهای غیرمستقیم ایران و آمریکا موضوع جدیدی نیست و سال‌هاست از طریق سفارت سوئیس ادامه دارد.",
        translation="Indirect Iran–US talks are nothing new; they have gone on for years through the Swiss embassy.",
        **common,
    )
    talks.topics.add(indirect_talks)
    start = SEED_BODY.index("گفتوگوهای")
    end = SEED_BODY.index("ادامه دارد.") + len("ادامه دارد.")
    factories.CitationFactory(
        statement=talks, article=article, start_offset=start, end_offset=end, role=CitationRole.REPUBLISHER
    )
    houthis = factories.StatementFactory(
        text="ما از حوثی‌ها نمی‌خواهیم عملیات خود را متوقف کنند.",
        question="آیا ایران از حوثی‌ها می‌خواهد عملیات در دریای سرخ را متوقف کنند؟",
        translation="We do not ask the Houthis to stop their operations.",
        attribution=AttributionType.DIRECT_QUOTE,
        **common,
    )
    houthis.topics.add(red_sea)
    denial = factories.ClaimFactory(
        statement=houthis,
        kind=ClaimKind.DENIAL,
        text="Iran will not press the Houthis to stop their Red Sea operations",
    )
    concession_statement = factories.StatementFactory(
        text="شاید آمریکا خواسته باشد که حوثی‌ها ملاحظاتی داشته باشند.",
        **common,
    )
    concession_statement.topics.add(red_sea)
    concession = factories.ClaimFactory(
        statement=concession_statement,
        kind=ClaimKind.CONCESSION,
        text="The US may have asked the Houthis to show some consideration",
    )
    factories.ClaimRelationFactory(from_claim=concession, to_claim=denial, kind=ClaimRelationKind.QUALIFIES)
    factories.ClaimFactory(
        statement=talks, kind=ClaimKind.ASSERTION, text="Indirect Iran–US talks have gone on for years"
    )

    english = factories.StatementFactory(
        official=araghchi,
        said_on=datetime.date(2024, 9, 30),
        language=Language.ENGLISH,
        text='=HYPERLINK("http://evil.example") We are ready for talks, not for pressure.',
        venue_kind=VenueKind.PRESS_CONFERENCE,
        attribution=AttributionType.PARAPHRASE,
    )
    english.topics.add(iran_us)
    factories.CitationFactory(
        statement=english,
        article=factories.ArticleFactory(
            outlet=reuters, language=Language.ENGLISH, body="Araghchi said Iran is ready for talks."
        ),
        role=CitationRole.REPORTER,
    )
    old = factories.StatementFactory(
        official=kharrazi,
        said_on=datetime.date(2003, 3, 1),
        text="غزه و فلسطین برای ما مهم است.",
        venue_kind=VenueKind.SPEECH,
    )
    old.topics.add(gaza)
    draft = factories.StatementFactory(
        official=araghchi,
        said_on=datetime.date(2024, 10, 1),
        status=ReviewStatus.DRAFT,
        text="پیش‌نویس بیانیه درباره گفتگو",
    )
    draft.topics.add(indirect_talks)
    return Corpus(
        kharrazi,
        araghchi,
        council,
        iran_us,
        indirect_talks,
        red_sea,
        gaza,
        khabaronline,
        aljazeera,
        reuters,
        article,
        talks,
        houthis,
        concession_statement,
        english,
        old,
        draft,
    )
