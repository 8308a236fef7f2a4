"""A realistic synthetic corpus for benchmarks: officials, topics, outlets, articles, statements.

Everything is derived from one ``random.Random(seed)``, so the same seed and size give the same
rows (ids included). Rows are streamed into PostgreSQL with COPY: the statements straight from the
generator (so Python and PostgreSQL work at the same time on two cores), their child rows (topics,
claims, citations, relations) through temporary files in COPY's text format, loaded right after.

Realism that matters for the benchmarks:
- Persian text as printed on real sites: each article is captured in one "printing" of its
  sentences (careful, no ZWNJ, Arabic ي/ك, ZWNJ as a space with ASCII digits, Arabic-Indic digits),
  and گفت‌وگو / گفتوگو / گفتگو all occur, as do Persian digits.
- A statement's words are a run of consecutive sentences of the article that cites it, so every
  citation's quote is exactly ``article.body[start_offset:end_offset]``; Persian statements carry an
  English translation (the same sentences of the parallel English pool) and claims are sentences.
- Dates span twenty years with more recent years denser (density grows linearly with time);
  statements are entered roughly in date order (ids follow dates, 10% are backfilled later), as
  in a database curated over the years, so the table's physical order correlates with said_on;
  officials, topics and outlets are skewed (a few speak, or are spoken about, much more).
- Review statuses are mostly published, with reviewed, draft and retracted ones.

The load runs in one transaction: tables are truncated (so COPY can FREEZE the rows), secondary
indexes and foreign keys are dropped and rebuilt after the load (one sort per index instead of a
million inserts), and the history triggers are disabled: synthetic rows are not recorded in the
audit trail. The triggers that check citation offsets and keep the topic tree's closure stay on.
"""

from __future__ import annotations

import bisect
import datetime
import hashlib
import itertools
import math
import os
import random
import tempfile
import time
from array import array
from collections.abc import Callable
from dataclasses import dataclass, field

import jdatetime
from django.db import connection, transaction
from django.utils.text import slugify

from claims.choices import AttributionType, CitationRole, ClaimKind, ClaimRelationKind, ReviewStatus, VenueKind
from common.dates import solar_hijri
from common.text import ZWNJ, fold

FULL_SIZE = 1_000_000
CORPUS_END = datetime.date(2025, 11, 1)
CORPUS_YEARS = 20
CORPUS_START = CORPUS_END.replace(year=CORPUS_END.year - CORPUS_YEARS)
SPAN_DAYS = (CORPUS_END - CORPUS_START).days
POOL_SIZE = 6000
STATEMENT_MIN_CHARS = 200
STATEMENT_MAX_CHARS = 800
PROGRESS_STEPS = 10
# Share of statements entered long after they were made (the rest are entered in date order).
BACKFILL_SHARE = 0.1

# Tables in load order (parents first). The first group is small reference data; the second is
# bulk data whose secondary indexes and foreign keys are rebuilt after the load.
REFERENCE_TABLES = (
    "claims_organization",
    "claims_official",
    "claims_officialalias",
    "claims_position",
    "claims_topic",
    "sources_outlet",
    "sources_outletalias",
)
BULK_TABLES = (
    "sources_article",
    "claims_statement",
    "claims_statementtopic",
    "claims_claim",
    "claims_claimtopic",
    "claims_claimparty",
    "claims_claimrelation",
    "claims_citation",
)
CORPUS_TABLES = REFERENCE_TABLES + BULK_TABLES
# Other tables that point at corpus rows and are cleared with them (TRUNCATE ... CASCADE would
# clear them anyway; naming them makes the command's report honest).
DEPENDENT_TABLES = ("claims_statementtransition", "sources_republication")
# Triggers that stay enabled during the load: the one that keeps citation offsets inside the
# article body, and the one that keeps the topic tree's closure table (filters read it).
KEPT_TRIGGERS = ("citation_offsets_in_body", "topic_closure_rebuild")


@dataclass(frozen=True)
class CorpusPlan:
    """How many rows of each kind a corpus of ``statements`` statements has (scaled from 1M)."""

    statements: int
    officials: int
    organizations: int
    topics: int
    outlets: int
    articles: int
    mean_topics_per_statement: float = 2.5
    mean_claims_per_statement: float = 2.0

    @classmethod
    def for_statements(cls, statements: int) -> CorpusPlan:
        scale = statements / FULL_SIZE
        return cls(
            statements=statements,
            officials=max(20, round(10_000 * scale)),
            organizations=max(len(_STATES) + 12, round(400 * scale)),
            topics=max(15, round(500 * scale)),
            outlets=max(len(_REAL_OUTLETS), round(300 * scale)),
            articles=max(50, round(200_000 * scale)),
        )


@dataclass
class CorpusReport:
    """Rows written per table, and seconds spent per phase."""

    rows: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)


# --------------------------------------------------------------------------------------------
# Vocabulary
# --------------------------------------------------------------------------------------------

# (Persian, English, ISO code)
_STATES = [
    ("ایران", "Iran", "IR"),
    ("آمریکا", "the United States", "US"),
    ("عربستان سعودی", "Saudi Arabia", "SA"),
    ("عراق", "Iraq", "IQ"),
    ("سوریه", "Syria", "SY"),
    ("لبنان", "Lebanon", "LB"),
    ("یمن", "Yemen", "YE"),
    ("روسیه", "Russia", "RU"),
    ("چین", "China", "CN"),
    ("ترکیه", "Turkey", "TR"),
    ("قطر", "Qatar", "QA"),
    ("عمان", "Oman", "OM"),
    ("پاکستان", "Pakistan", "PK"),
    ("افغانستان", "Afghanistan", "AF"),
    ("اسرائیل", "Israel", "IL"),
    ("امارات", "the UAE", "AE"),
    ("آذربایجان", "Azerbaijan", "AZ"),
    ("هند", "India", "IN"),
    ("فرانسه", "France", "FR"),
    ("آلمان", "Germany", "DE"),
    ("بریتانیا", "Britain", "GB"),
    ("سوئیس", "Switzerland", "CH"),
    ("مصر", "Egypt", "EG"),
    ("اردن", "Jordan", "JO"),
    ("کویت", "Kuwait", "KW"),
    ("بحرین", "Bahrain", "BH"),
    ("ژاپن", "Japan", "JP"),
    ("ونزوئلا", "Venezuela", "VE"),
]
_BODIES = [
    ("وزارت امور خارجه", "Ministry of Foreign Affairs"),
    ("ریاست جمهوری", "Presidency"),
    ("پارلمان", "Parliament"),
    ("شورای امنیت ملی", "National Security Council"),
    ("وزارت دفاع", "Ministry of Defence"),
    ("وزارت نفت", "Ministry of Oil"),
    ("نمایندگی دائم در سازمان ملل", "Permanent Mission to the UN"),
    ("سفارت", "Embassy"),
]
_ACTORS_EXTRA = [
    ("آژانس بین‌المللی انرژی اتمی", "the IAEA"),
    ("سازمان ملل", "the United Nations"),
    ("اتحادیه اروپا", "the European Union"),
    ("انصارالله", "Ansar Allah"),
    ("حزب‌الله", "Hezbollah"),
    ("حماس", "Hamas"),
    ("محور مقاومت", "the axis of resistance"),
    ("شورای امنیت", "the Security Council"),
]
_SUBJECTS = [
    ("مذاکرات غیرمستقیم", "indirect talks"),
    ("تحریم‌ها", "the sanctions"),
    ("برنامه هسته‌ای", "the nuclear programme"),
    ("امنیت کشتیرانی در دریای سرخ", "shipping security in the Red Sea"),
    ("آتش‌بس در غزه", "a ceasefire in Gaza"),
    ("گفت‌وگوی منطقه‌ای", "regional dialogue"),
    ("همکاری اقتصادی", "economic cooperation"),
    ("تبادل زندانیان", "the prisoner exchange"),
    ("دارایی‌های مسدودشده", "the frozen assets"),
    ("برجام", "the JCPOA"),
    ("امنیت خلیج فارس", "Persian Gulf security"),
    ("مرزهای مشترک", "the shared borders"),
    ("صادرات نفت", "oil exports"),
    ("حقوق بشر", "human rights"),
    ("پناهجویان", "refugees"),
    ("منابع آب", "water resources"),
    ("مبارزه با تروریسم", "counter-terrorism"),
    ("بازرسی‌ها", "the inspections"),
    ("غنی‌سازی اورانیوم", "uranium enrichment"),
    ("روابط دوجانبه", "bilateral relations"),
    ("عملیات طوفان الاقصی", "the Al-Aqsa Flood operation"),
    ("کریدور شمال جنوب", "the North–South corridor"),
    ("سفر هیئت پارلمانی", "the parliamentary delegation's visit"),
    ("گفتگوهای امنیتی", "the security talks"),
]
# (Persian template, English template, claim kind). Slots: {a} {b} actors, {s} subject, {n} {m}
# numbers, {y} a year (Solar Hijri in Persian, Gregorian in English).
_TEMPLATES = [
    (
        "{a} هیچ‌گاه درباره {s} با {b} گفت‌وگوی مستقیم نداشته است.",
        "{A} has never held direct talks with {b} on {s}.",
        ClaimKind.DENIAL,
    ),
    (
        "ما معتقدیم که موضوع {s} باید از راه گفت‌وگو حل شود.",
        "We believe the question of {s} must be settled through dialogue.",
        ClaimKind.POSITION,
    ),
    (
        "{a} از {b} می‌خواهد که درباره {s} به تعهدات خود عمل کند.",
        "{A} asks {b} to honour its commitments on {s}.",
        ClaimKind.DEMAND,
    ),
    (
        "مذاکرات غیرمستقیم با {b} درباره {s} از طریق سفارت سوئیس و کشورهای منطقه سال‌ها ادامه داشته است.",
        "Indirect talks with {b} on {s} have gone on for years through the Swiss embassy and countries of the region.",
        ClaimKind.ASSERTION,
    ),
    ("{a} هرگز از {b} نخواسته است که {s} را متوقف کند.", "{A} has never asked {b} to halt {s}.", ClaimKind.DENIAL),
    (
        "ممکن است {b} خواسته باشد که درباره {s} ملاحظاتی صورت بگیرد.",
        "{B} may have asked for some consideration regarding {s}.",
        ClaimKind.CONCESSION,
    ),
    (
        "در {n} ماه گذشته {m} دور گفتگو درباره {s} برگزار شده است.",
        "In the past {n} months {m} rounds of talks on {s} have been held.",
        ClaimKind.ASSERTION,
    ),
    (
        "{a} هشدار می‌دهد که هرگونه اقدام علیه {s} با پاسخ قاطع روبه‌رو خواهد شد.",
        "{A} warns that any move against {s} will meet a firm response.",
        ClaimKind.WARNING,
    ),
    (
        "موضع {a} درباره {s} تغییر نکرده است و تغییر نخواهد کرد.",
        "{A}'s position on {s} has not changed and will not change.",
        ClaimKind.POSITION,
    ),
    (
        "ما آماده‌ایم درباره {s} با {b} همکاری کنیم، به شرط آنکه تحریم‌ها لغو شود.",
        "We are ready to cooperate with {b} on {s}, provided the sanctions are lifted.",
        ClaimKind.COMMITMENT,
    ),
    (
        "گزارش‌ها درباره توافق {a} و {b} بر سر {s} صحت ندارد.",
        "Reports of an agreement between {a} and {b} on {s} are untrue.",
        ClaimKind.DENIAL,
    ),
    (
        "حجم مبادلات {a} و {b} در سال {y} به {n} میلیارد دلار رسید.",
        "Trade between {a} and {b} reached {n} billion dollars in {y}.",
        ClaimKind.ASSERTION,
    ),
    (
        "سخنگوی وزارت خارجه گفت که {a} گفتوگو درباره {s} را ادامه می‌دهد.",
        "The foreign ministry spokesman said {a} will keep talking about {s}.",
        ClaimKind.COMMITMENT,
    ),
    (
        "{a} انتظار دارد که {b} در موضوع {s} نقشی سازنده ایفا کند.",
        "{A} expects {b} to play a constructive role on {s}.",
        ClaimKind.DEMAND,
    ),
    (
        "محور مقاومت درباره {s} مستقل از {a} تصمیم می‌گیرد.",
        "The axis of resistance decides on {s} independently of {a}.",
        ClaimKind.ASSERTION,
    ),
    (
        "اظهارات اخیر {b} درباره {s} دخالت آشکار در امور داخلی {a} است.",
        "{B}'s recent remarks on {s} are open interference in the internal affairs of {a}.",
        ClaimKind.WARNING,
    ),
    (
        "{a} در {m} نوبت پیشنهاد میانجی‌گری {b} درباره {s} را پذیرفته است.",
        "{A} has accepted {b}'s offer of mediation on {s} on {m} occasions.",
        ClaimKind.CONCESSION,
    ),
    (
        "ما هیچ پیامی از {b} درباره {s} دریافت نکرده‌ایم.",
        "We have received no message from {b} about {s}.",
        ClaimKind.DENIAL,
    ),
]
_QUESTIONS = [
    ("آیا {a} با {b} درباره {s} گفت‌وگو می‌کند؟", "Is {a} talking to {b} about {s}?"),
    ("موضع شما درباره {s} چیست؟", "What is your position on {s}?"),
    ("آیا {b} از شما خواسته است که درباره {s} اقدامی کنید؟", "Has {b} asked you to act on {s}?"),
    ("ارزیابی شما از نقش {b} در {s} چیست؟", "How do you assess {b}'s role in {s}?"),
]
_IRANIAN_FIRST = [
    ("کمال", "Kamal", ""),
    ("محمد", "Mohammad", "Mohammed"),
    ("علی", "Ali", ""),
    ("حسین", "Hossein", "Hussein"),
    ("عباس", "Abbas", ""),
    ("حسن", "Hassan", "Hasan"),
    ("مهدی", "Mehdi", "Mahdi"),
    ("رضا", "Reza", ""),
    ("جواد", "Javad", "Jawad"),
    ("مجید", "Majid", ""),
    ("سعید", "Saeed", "Said"),
    ("ناصر", "Nasser", "Naser"),
    ("محمود", "Mahmoud", "Mahmud"),
    ("اکبر", "Akbar", ""),
    ("کاظم", "Kazem", "Kazim"),
    ("امیر", "Amir", ""),
    ("حمید", "Hamid", ""),
    ("مسعود", "Masoud", "Massoud"),
    ("کریم", "Karim", ""),
    ("یوسف", "Yousef", "Yusuf"),
    ("مرتضی", "Morteza", "Murtaza"),
    ("مصطفی", "Mostafa", "Mustafa"),
    ("فاطمه", "Fatemeh", "Fatima"),
    ("زهرا", "Zahra", ""),
    ("معصومه", "Masoumeh", "Masoume"),
    ("منوچهر", "Manouchehr", "Manuchehr"),
    ("بهرام", "Bahram", ""),
    ("کیوان", "Keyvan", "Kayvan"),
    ("اسماعیل", "Esmaeil", "Ismail"),
    ("قاسم", "Qasem", "Ghasem"),
    ("عبدالله", "Abdollah", "Abdullah"),
    ("مجتبی", "Mojtaba", ""),
]
_IRANIAN_LAST = [
    ("خرازی", "Kharrazi", "Kharazi"),
    ("عراقچی", "Araghchi", "Araqchi"),
    ("ظریف", "Zarif", ""),
    ("کنعانی", "Kanaani", "Kanani"),
    ("بقائی", "Baghaei", "Baqaei"),
    ("لاریجانی", "Larijani", ""),
    ("ولایتی", "Velayati", "Velayti"),
    ("صالحی", "Salehi", ""),
    ("روحانی", "Rouhani", "Rowhani"),
    ("پزشکیان", "Pezeshkian", "Pezeshkiyan"),
    ("قالیباف", "Ghalibaf", "Qalibaf"),
    ("امیرعبداللهیان", "Amir-Abdollahian", "Amirabdollahian"),
    ("موسوی", "Mousavi", "Musavi"),
    ("حسینی", "Hosseini", "Husseini"),
    ("کریمی", "Karimi", ""),
    ("رضایی", "Rezaei", "Rezaie"),
    ("شمخانی", "Shamkhani", ""),
    ("باقری", "Bagheri", "Baqeri"),
    ("ایروانی", "Iravani", "Irvani"),
    ("تخت‌روانچی", "Takht-Ravanchi", "Takht Ravanchi"),
    ("جلیلی", "Jalili", ""),
    ("محمدی", "Mohammadi", ""),
    ("احمدی", "Ahmadi", ""),
    ("نوری", "Nouri", "Noori"),
    ("صادقی", "Sadeghi", "Sadeqi"),
    ("طباطبایی", "Tabatabaei", "Tabatabai"),
    ("کاظمی", "Kazemi", ""),
    ("هاشمی", "Hashemi", ""),
    ("رحیمی", "Rahimi", ""),
    ("جعفری", "Jafari", "Jaafari"),
    ("اسلامی", "Eslami", "Islami"),
    ("قربانی", "Ghorbani", "Qorbani"),
    ("نجفی", "Najafi", ""),
    ("زارعی", "Zarei", "Zarei"),
    ("سلیمانی", "Soleimani", "Suleimani"),
    ("یزدانی", "Yazdani", ""),
    ("مرادی", "Moradi", ""),
    ("پورمحمدی", "Pourmohammadi", "Pour-Mohammadi"),
    ("وحیدی", "Vahidi", ""),
    ("غریب‌آبادی", "Gharibabadi", ""),
    ("آشتیانی", "Ashtiani", ""),
    ("کمالوندی", "Kamalvandi", ""),
    ("امیری", "Amiri", ""),
]
_FOREIGN_FIRST = [
    ("آنتونی", "Antony"),
    ("جان", "John"),
    ("ویلیام", "William"),
    ("جیک", "Jake"),
    ("کاترین", "Catherine"),
    ("ژوزپ", "Josep"),
    ("سرگئی", "Sergey"),
    ("هاکان", "Hakan"),
    ("مارک", "Mark"),
    ("دیوید", "David"),
    ("امانوئل", "Emmanuel"),
    ("رافائل", "Rafael"),
    ("لیندا", "Linda"),
    ("متیو", "Matthew"),
    ("کارن", "Karen"),
]
_FOREIGN_LAST = [
    ("بلینکن", "Blinken"),
    ("برنز", "Burns"),
    ("سالیوان", "Sullivan"),
    ("کری", "Kerry"),
    ("اشتون", "Ashton"),
    ("بورل", "Borrell"),
    ("لاوروف", "Lavrov"),
    ("فیدان", "Fidan"),
    ("میلر", "Miller"),
    ("گروسی", "Grossi"),
    ("گوترش", "Guterres"),
    ("پرایس", "Price"),
    ("ماکرون", "Macron"),
    ("کامرون", "Cameron"),
    ("لامی", "Lammy"),
]
_ARABIC_FIRST = [
    ("فيصل", "Faisal"),
    ("عبد الله", "Abdullah"),
    ("بدر", "Badr"),
    ("محمد", "Mohammed"),
    ("فؤاد", "Fuad"),
    ("عبد الملك", "Abdul-Malik"),
    ("حسن", "Hassan"),
    ("إسماعيل", "Ismail"),
    ("نبيه", "Nabih"),
    ("أيمن", "Ayman"),
    ("سامح", "Sameh"),
    ("خالد", "Khalid"),
    ("يوسف", "Yusuf"),
    ("ماجد", "Majed"),
]
_ARABIC_LAST = [
    ("بن فرحان", "bin Farhan"),
    ("البوسعيدي", "Albusaidi"),
    ("بن عبدالرحمن", "bin Abdulrahman"),
    ("حسين", "Hussein"),
    ("الحوثي", "al-Houthi"),
    ("نصر الله", "Nasrallah"),
    ("هنية", "Haniyeh"),
    ("عبد السلام", "Abdulsalam"),
    ("بري", "Berri"),
    ("الصفدي", "Safadi"),
    ("شكري", "Shoukry"),
    ("العطية", "Al-Attiyah"),
    ("الأنصاري", "Al-Ansari"),
]
_ARABIC_COUNTRIES = ["SA", "OM", "QA", "IQ", "YE", "LB", "EG", "JO", "KW"]
_FOREIGN_COUNTRIES = ["US", "GB", "FR", "DE", "RU", "TR", "CH"]
_TITLES = [
    ("وزیر امور خارجه", "Foreign Minister"),
    ("سخنگوی وزارت امور خارجه", "Foreign Ministry Spokesperson"),
    ("معاون وزیر امور خارجه", "Deputy Foreign Minister"),
    ("رئیس جمهور", "President"),
    ("سفیر", "Ambassador"),
    ("نماینده دائم", "Permanent Representative"),
    ("رئیس مجلس", "Speaker of Parliament"),
    ("دبیر شورای عالی امنیت ملی", "Secretary of the Supreme National Security Council"),
    ("رئیس شورای راهبردی روابط خارجی", "Head of the Strategic Council on Foreign Relations"),
]
# (English name, Persian name, domain, country, language, kind)
_REAL_OUTLETS = [
    ("Khabaronline", "خبرآنلاین", "khabaronline.ir", "IR", "fa", "news_site"),
    ("Al Jazeera", "الجزيرة", "aljazeera.net", "QA", "ar", "broadcaster"),
    ("IRNA", "ایرنا", "irna.ir", "IR", "fa", "news_agency"),
    ("ISNA", "ایسنا", "isna.ir", "IR", "fa", "news_agency"),
    ("Tasnim", "تسنیم", "tasnimnews.com", "IR", "fa", "news_agency"),
    ("Fars News", "فارس", "farsnews.ir", "IR", "fa", "news_agency"),
    ("Mehr News", "مهر", "mehrnews.com", "IR", "fa", "news_agency"),
    ("Reuters", "رويترز", "reuters.com", "GB", "en", "news_agency"),
    ("Associated Press", "آسوشیتدپرس", "apnews.com", "US", "en", "news_agency"),
    ("BBC Persian", "بی‌بی‌سی فارسی", "bbc.com/persian", "GB", "fa", "broadcaster"),
]
_ROOT_TOPICS = [
    ("Iran–US relations", "روابط ایران و آمریکا"),
    ("Red Sea shipping", "کشتیرانی در دریای سرخ"),
    ("Houthis (Ansar Allah)", "انصارالله"),
    ("Axis of resistance", "محور مقاومت"),
    ("Gaza war (Al-Aqsa Flood)", "جنگ غزه"),
    ("Nuclear programme", "برنامه هسته‌ای"),
    ("Sanctions", "تحریم‌ها"),
    ("Persian Gulf security", "امنیت خلیج فارس"),
    ("Iraq", "عراق"),
    ("Syria", "سوریه"),
    ("Afghanistan", "افغانستان"),
    ("South Caucasus", "قفقاز جنوبی"),
    ("Russia–Ukraine war", "جنگ روسیه و اوکراین"),
    ("Iran–China relations", "روابط ایران و چین"),
    ("Iran–EU relations", "روابط ایران و اروپا"),
    ("Energy and oil", "انرژی و نفت"),
    ("Trade and transit", "تجارت و ترانزیت"),
    ("Human rights", "حقوق بشر"),
    ("Water disputes", "اختلافات آبی"),
    ("Refugees and migration", "پناهجویان و مهاجرت"),
    ("Counter-terrorism", "مبارزه با تروریسم"),
    ("Hajj and pilgrimage", "حج و زیارت"),
    ("Consular affairs", "امور کنسولی"),
    ("Arms control", "کنترل تسلیحات"),
    ("Regional organisations", "سازمان‌های منطقه‌ای"),
]
_ASPECTS = [
    ("indirect talks", "مذاکرات غیرمستقیم"),
    ("sanctions relief", "لغو تحریم‌ها"),
    ("prisoner exchange", "تبادل زندانیان"),
    ("military escalation", "تشدید نظامی"),
    ("mediation", "میانجی‌گری"),
    ("economic ties", "روابط اقتصادی"),
    ("UN resolutions", "قطعنامه‌های سازمان ملل"),
    ("border incidents", "حوادث مرزی"),
    ("official visits", "سفرهای رسمی"),
    ("frozen assets", "دارایی‌های مسدودشده"),
    ("ceasefire", "آتش‌بس"),
    ("inspections", "بازرسی‌ها"),
    ("maritime security", "امنیت دریایی"),
    ("public opinion", "افکار عمومی"),
]
_RETRACTION_REASONS = [
    "Misattributed: the words were the interviewer's.",
    "The outlet withdrew the report.",
    "Duplicate of an earlier statement.",
]

_PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
_ARABIC_INDIC_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹", "٠١٢٣٤٥٦٧٨٩")
_ASCII_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789")
_ARABIC_LETTERS = str.maketrans("یک", "يك")
# COPY's text format: backslash escapes for the characters that delimit fields and rows.
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
NULL = "\\N"

# How an article's Persian text was printed (the "mess" real pages carry).
PRINTINGS = ("careful", "no_zwnj", "arabic_letters", "spaced_zwnj_ascii_digits", "arabic_digits")


def printed(text: str, printing: int) -> str:
    """Persian text as a site with the given printing habit would show it."""
    if printing == 1:
        return text.replace(ZWNJ, "")
    if printing == 2:
        return text.translate(_ARABIC_LETTERS)
    if printing == 3:
        return text.replace(ZWNJ, " ").translate(_ASCII_DIGITS)
    if printing == 4:
        return text.replace(ZWNJ, "").translate(_ARABIC_INDIC_DIGITS).translate(_ARABIC_LETTERS)
    return text


def _copy_text(value: str) -> str:
    return value.translate(_COPY_ESCAPES)


def _line(*fields) -> str:
    return "\t".join(fields) + "\n"


def _timestamp(day: datetime.date, seconds: int = 36_000) -> str:
    return f"{day.isoformat()} {seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}+00"


def _skewed_index(rng: random.Random, count: int, power: float = 2.0) -> int:
    """An index in [0, count) where low indexes are much more likely (a long tail)."""
    return min(count - 1, int(count * rng.random() ** power))


# --------------------------------------------------------------------------------------------
# Generator
# --------------------------------------------------------------------------------------------


class CorpusGenerator:
    """Streams the rows of one corpus, table by table, as COPY text lines."""

    def __init__(self, plan: CorpusPlan, *, seed: int, progress: Callable[[str], None] | None = None):
        self.plan = plan
        self.seed = seed
        self.rng = random.Random(seed)
        self.progress = progress or (lambda message: None)
        self.rows: dict[str, int] = {}
        self._build_pool()

    # -- sentences -------------------------------------------------------------------------

    def _build_pool(self) -> None:
        """Parallel Persian/English sentences; sentence i in one language says sentence i in the other."""
        rng = self.rng
        actors = [(fa, en) for fa, en, _code in _STATES] + _ACTORS_EXTRA
        self.pool_fa: list[str] = []
        self.pool_en: list[str] = []
        self.pool_kind: list[str] = []
        self.pool_parties: list[tuple[int, ...]] = []
        for _ in range(POOL_SIZE):
            fa_template, en_template, kind = rng.choice(_TEMPLATES)
            a, b = rng.sample(range(len(actors)), 2)
            subject = rng.randrange(len(_SUBJECTS))
            n, m = rng.randint(2, 90), rng.randint(2, 12)
            year = rng.randint(1384, 1404)
            fa = fa_template.format(
                a=actors[a][0],
                b=actors[b][0],
                s=_SUBJECTS[subject][0],
                n=str(n).translate(_PERSIAN_DIGITS),
                m=str(m).translate(_PERSIAN_DIGITS),
                y=str(year).translate(_PERSIAN_DIGITS),
            )
            en_a, en_b = actors[a][1], actors[b][1]
            en = en_template.format(
                a=en_a,
                b=en_b,
                A=en_a[:1].upper() + en_a[1:],
                B=en_b[:1].upper() + en_b[1:],
                s=_SUBJECTS[subject][1],
                n=n,
                m=m,
                y=year + 621,
            )
            self.pool_fa.append(fa)
            self.pool_en.append(en)
            self.pool_kind.append(kind)
            # Parties are states only (the first organisations), when the actor is a state.
            self.pool_parties.append(tuple(x for x in (a, b) if x < len(_STATES)))
        self.printed_fa = [[printed(s, p) for s in self.pool_fa] for p in range(len(PRINTINGS))]

    # -- reference data ----------------------------------------------------------------------

    def organizations(self):
        rng = self.rng
        lines = []
        for fa, en, code in _STATES:
            lines.append((en.removeprefix("the "), fa, "", "state", code, NULL))
        countries = [code for _fa, _en, code in _STATES]
        seen = set()
        while len(lines) < self.plan.organizations:
            body_fa, body_en = rng.choice(_BODIES)
            state = rng.randrange(len(_STATES))
            name = f"{body_en} of {_STATES[state][1].removeprefix('the ')}"
            code = countries[state]
            if (name, code) in seen:
                name = f"{name} ({len(lines)})"
            seen.add((name, code))
            lines.append((name, f"{body_fa} {_STATES[state][0]}", "", "government_body", code, str(state + 1)))
        self.organization_count = len(lines)
        for pk, (name, native, acronym, kind, code, parent) in enumerate(lines, start=1):
            yield _line(
                str(pk),
                _timestamp(CORPUS_START),
                _timestamp(CORPUS_START),
                "1",
                _copy_text(name),
                _copy_text(native),
                acronym,
                kind,
                code,
                parent,
            )

    def _official_name(self, rng: random.Random):
        """(display name, native name, country, aliases as (name, language))."""
        roll = rng.random()
        if roll < 0.7:
            first, last = rng.choice(_IRANIAN_FIRST), rng.choice(_IRANIAN_LAST)
            native = f"{first[0]} {last[0]}"
            display = f"{first[1]} {last[1]}"
            aliases = [(native, "fa"), (display, "en"), (last[1], "en")]
            if last[2]:
                aliases.append((f"{first[2] or first[1]} {last[2]}", "en"))
            if rng.random() < 0.3:
                # Printed with Arabic ي/ك: the same alias once folded, stored as the page had it.
                aliases[0] = (native.translate(_ARABIC_LETTERS), "fa")
            if rng.random() < 0.3:
                aliases.append((f"السيد {native.translate(_ARABIC_LETTERS)}", "ar"))
            return display, native, "IR", aliases
        if roll < 0.85:
            first, last = rng.choice(_ARABIC_FIRST), rng.choice(_ARABIC_LAST)
            native = f"{first[0]} {last[0]}"
            display = f"{first[1]} {last[1]}"
            aliases = [(native, "ar"), (display, "en"), (native.replace("ي", "ی").replace("ك", "ک"), "fa")]
            return display, native, rng.choice(_ARABIC_COUNTRIES), aliases
        first, last = rng.choice(_FOREIGN_FIRST), rng.choice(_FOREIGN_LAST)
        display = f"{first[1]} {last[1]}"
        native = f"{first[0]} {last[0]}"
        aliases = [(display, "en"), (last[1], "en"), (native, "fa")]
        return display, native, rng.choice(_FOREIGN_COUNTRIES), aliases

    def officials(self):
        """Officials; their aliases and positions are written to side buffers for later tables."""
        rng = self.rng
        self.official_names: list[str] = []
        self.official_aliases: list[str] = []
        self.position_lines: list[str] = []
        self.position_first = array("i")
        self.position_count = array("b")
        alias_id = position_id = 0
        ts = _timestamp(CORPUS_START)
        for pk in range(1, self.plan.officials + 1):
            display, native, country, aliases = self._official_name(rng)
            wikidata = f"Q{1_000_000 + pk}" if rng.random() < 0.6 else NULL
            self.official_names.append(aliases[0][0])
            yield _line(str(pk), ts, ts, "1", _copy_text(display), _copy_text(native), country, wikidata, "")
            seen = set()
            for name, language in aliases:
                folded = fold(name)
                if folded in seen:
                    continue
                seen.add(folded)
                alias_id += 1
                self.official_aliases.append(_line(str(alias_id), _copy_text(name), language, str(pk)))
            self.position_first.append(position_id + 1)
            count = rng.choice((1, 1, 2, 2, 3))
            self.position_count.append(count)
            start = CORPUS_START - datetime.timedelta(days=rng.randint(0, 2000))
            for index in range(count):
                title_fa, title_en = rng.choice(_TITLES)
                length = rng.randint(365, 3000)
                end = start + datetime.timedelta(days=length)
                last = index == count - 1 and end > CORPUS_END - datetime.timedelta(days=365)
                position_id += 1
                organization = rng.randint(len(_STATES) + 1, self.organization_count)
                self.position_lines.append(
                    _line(
                        str(position_id),
                        ts,
                        ts,
                        "1",
                        _copy_text(title_en),
                        _copy_text(title_fa),
                        start.isoformat(),
                        "day",
                        NULL if last else end.isoformat(),
                        "day",
                        str(organization),
                        str(pk),
                    )
                )
                start = end + datetime.timedelta(days=1)

    def official_alias_rows(self):
        yield from self.official_aliases

    def positions(self):
        yield from self.position_lines

    def topics(self):
        rng = self.rng
        total = self.plan.topics
        roots = min(len(_ROOT_TOPICS), max(3, round(total / 20)))
        self.topic_parent = array("i", [0])  # 1-based; index 0 unused
        self.topic_depth = array("b", [0])
        ts = _timestamp(CORPUS_START)
        names: list[str] = [""]
        for pk in range(1, total + 1):
            if pk <= roots:
                name, name_fa = _ROOT_TOPICS[pk - 1]
                parent, depth = 0, 0
                keywords = [name.split(" (")[0].lower(), name_fa]
            else:
                # Attach under a root or a first-level topic (trees three levels deep at most).
                while True:
                    parent = rng.randint(1, pk - 1) if rng.random() < 0.5 else rng.randint(1, roots)
                    if self.topic_depth[parent] < 2:
                        break
                depth = self.topic_depth[parent] + 1
                aspect, aspect_fa = rng.choice(_ASPECTS)
                name = f"{names[parent]}: {aspect}"
                name_fa = f"{aspect_fa}"
                keywords = [aspect, aspect_fa]
            names.append(name)
            self.topic_parent.append(parent)
            self.topic_depth.append(depth)
            slug = f"{slugify(name)[:180]}-{pk}"
            array_literal = "{" + ",".join('"' + k.replace('"', "") + '"' for k in keywords) + "}"
            yield _line(
                str(pk),
                ts,
                ts,
                "1",
                _copy_text(name[:200]),
                _copy_text(name_fa),
                "",
                slug,
                _copy_text(array_literal),
                "",
                str(parent) if parent else NULL,
            )
        # Popularity: a long tail, in an order unrelated to the tree.
        order = list(range(1, total + 1))
        rng.shuffle(order)
        weights = [1.0 / (rank + 1) ** 0.8 for rank in range(total)]
        self.topic_order = order
        self.topic_cum_weights = list(itertools.accumulate(weights))
        # Each root's subtree, to keep a statement's topics near the article's theme.
        self.subtrees: dict[int, list[int]] = {}
        for pk in range(1, total + 1):
            root = pk
            while self.topic_parent[root]:
                root = self.topic_parent[root]
            self.subtrees.setdefault(root, []).append(pk)
        self.topic_roots = sorted(self.subtrees)

    def outlets(self):
        rng = self.rng
        ts = _timestamp(CORPUS_START)
        self.outlets_fa: list[int] = []
        self.outlets_en: list[int] = []
        self.outlet_native: list[str] = [""]
        self.outlet_domain: list[str] = [""]
        self.outlet_alias_lines: list[str] = []
        for pk in range(1, self.plan.outlets + 1):
            if pk <= len(_REAL_OUTLETS):
                name, native, domain, country, language, kind = _REAL_OUTLETS[pk - 1]
            else:
                language = "fa" if rng.random() < 0.65 else "en"
                kind = rng.choice(("news_site", "newspaper", "news_agency", "broadcaster"))
                if language == "fa":
                    name, native, country = f"Akhbar {pk}", f"اخبار {pk}".translate(_PERSIAN_DIGITS), "IR"
                else:
                    name, native, country = f"Daily Wire Service {pk}", "", rng.choice(("GB", "US", "QA", "AE"))
                domain = f"outlet{pk}.example.com"
            (self.outlets_fa if language == "fa" else self.outlets_en).append(pk)
            self.outlet_native.append(native)
            self.outlet_domain.append(domain)
            if native:
                self.outlet_alias_lines.append(
                    _line(str(len(self.outlet_alias_lines) + 1), _copy_text(native), str(pk))
                )
            yield _line(str(pk), ts, ts, "1", _copy_text(name), _copy_text(native), domain, country, language, kind)
        # Both languages need an outlet even in the smallest corpus.
        if not self.outlets_en:
            self.outlets_en.append(self.outlets_fa[-1])
        if not self.outlets_fa:
            self.outlets_fa.append(self.outlets_en[-1])

    def outlet_alias_rows(self):
        yield from self.outlet_alias_lines

    # -- articles ----------------------------------------------------------------------------

    def articles(self):
        """Articles in date order (skewed to recent years); keeps what citations need to find quotes."""
        rng = self.rng
        total = self.plan.articles
        self.article_day = array("i")
        self.article_fa = array("b")
        self.article_printing = array("b")
        self.article_outlet = array("i")
        self.article_header = array("i")
        self.article_sentence_start = array("i")
        self.article_sentences = array("i")
        self.article_theme = array("i")
        started = time.monotonic()
        step = max(1, total // PROGRESS_STEPS)
        for index in range(total):
            pk = index + 1
            # Quantiles of a density growing linearly with time: x = sqrt(q).
            x = math.sqrt((index + rng.random()) / total)
            day = CORPUS_START + datetime.timedelta(days=min(SPAN_DAYS, int(x * SPAN_DAYS)))
            seconds = rng.randint(5 * 3600, 21 * 3600)
            is_fa = rng.random() < 0.65
            outlet = rng.choice(self.outlets_fa if is_fa else self.outlets_en)
            printing = rng.randrange(len(PRINTINGS)) if is_fa else 0
            count = rng.randint(8, 24)
            sentences = [rng.randrange(POOL_SIZE) for _ in range(count)]
            self.article_day.append(day.toordinal())
            self.article_fa.append(1 if is_fa else 0)
            self.article_printing.append(printing)
            self.article_outlet.append(outlet)
            self.article_sentence_start.append(len(self.article_sentences))
            self.article_sentences.extend(sentences)
            self.article_theme.append(rng.choice(self.topic_roots))
            news_code = str(100_000 + pk * 7 + rng.randint(0, 6))
            if is_fa:
                pieces = self.printed_fa[printing]
                code_printed = news_code if printing == 3 else news_code.translate(_PERSIAN_DIGITS)
                header = f"کد خبر: {code_printed}"
                title = pieces[rng.randrange(POOL_SIZE)][:300]
                upstream = rng.choice(self.outlets_fa) if rng.random() < 0.2 else 0
                j = jdatetime.datetime.fromgregorian(date=day)
                published_printed = (
                    f"{seconds // 3600:02d}:{seconds // 60 % 60:02d} - {j.day:02d}-{j.month:02d}-{j.year}"
                ).translate(_PERSIAN_DIGITS)
                calendar = "solar_hijri"
            else:
                pieces = self.pool_en
                header = f"News ID: {news_code}"
                title = pieces[rng.randrange(POOL_SIZE)][:300]
                upstream = 0
                published_printed = day.strftime("%d %B %Y")
                calendar = "gregorian"
            if upstream == outlet:
                upstream = 0
            self.article_header.append(len(header) + 1)
            texts = [pieces[s] for s in sentences]
            # Paragraphs of four sentences; the separator is one character either way, so offsets
            # only need the sentence lengths.
            body = (
                header
                + "\n"
                + "".join(
                    text + ("\n" if (i + 1) % 4 == 0 and i + 1 < count else " " if i + 1 < count else "")
                    for i, text in enumerate(texts)
                )
            )
            body_sha = hashlib.sha256(body.encode()).hexdigest()
            url = f"https://{self.outlet_domain[outlet]}/news/{news_code}"
            published = _timestamp(day, seconds)
            captured = _timestamp(day + datetime.timedelta(days=1), seconds)
            upstream_name = self.outlet_native[upstream] if upstream else ""
            yield _line(
                str(pk),
                captured,
                captured,
                "1",
                url,
                _copy_text(upstream_name),
                _copy_text(title),
                _copy_text(texts[0]),
                _copy_text(body),
                "fa" if is_fa else "en",
                news_code,
                published,
                _copy_text(published_printed),
                calendar,
                captured,
                body_sha,
                str(outlet),
                str(upstream) if upstream else NULL,
            )
            if pk % step == 0:
                self.progress(f"articles {pk:,}/{total:,} ({time.monotonic() - started:.1f}s)")

    def _article_text_pieces(self, article: int) -> list[str]:
        return self.printed_fa[self.article_printing[article]] if self.article_fa[article] else self.pool_en

    # -- statements and their children -------------------------------------------------------

    def statements(self, children: dict[str, object]):
        """Statements; topic links, claims, claim topics and parties, relations and citations
        are written to the ``children`` files (one per table) as the statements are made."""
        rng = self.rng
        plan = self.plan
        total = plan.statements
        write_topic = children["claims_statementtopic"].write
        write_claim = children["claims_claim"].write
        write_claim_topic = children["claims_claimtopic"].write
        write_party = children["claims_claimparty"].write
        write_relation = children["claims_claimrelation"].write
        write_citation = children["claims_citation"].write
        counts = dict.fromkeys(children, 0)
        claim_id = relation_id = 0
        last_claim_of: dict[int, int] = {}
        topic_order, topic_cum = self.topic_order, self.topic_cum_weights
        statuses = (
            [ReviewStatus.PUBLISHED] * 85
            + [ReviewStatus.REVIEWED] * 7
            + [ReviewStatus.DRAFT] * 6
            + [ReviewStatus.RETRACTED] * 2
        )
        venues = (
            [VenueKind.INTERVIEW] * 3
            + [VenueKind.PRESS_CONFERENCE] * 4
            + [VenueKind.SPEECH] * 2
            + [VenueKind.SOCIAL_POST, VenueKind.WRITTEN_STATEMENT, VenueKind.OTHER]
        )
        attributions = (
            [AttributionType.DIRECT_QUOTE] * 6
            + [AttributionType.PARAPHRASE] * 2
            + [AttributionType.TRANSLATION, AttributionType.UNNAMED_SOURCE]
        )
        relation_kinds = (
            [ClaimRelationKind.REPEATS] * 4
            + [ClaimRelationKind.SUPPORTS] * 3
            + [
                ClaimRelationKind.CONTRADICTS,
                ClaimRelationKind.QUALIFIES,
                ClaimRelationKind.QUALIFIES,
                ClaimRelationKind.REVERSES,
                ClaimRelationKind.RETRACTS,
            ]
        )
        claim_counts = (0, 1, 1, 2, 2, 2, 2, 3, 3, 4)  # mean 2.0
        topic_counts = (1, 2, 2, 3, 3, 4)  # mean 2.5
        articles = plan.articles
        started = time.monotonic()
        step = max(1, total // PROGRESS_STEPS)
        start_ordinal = CORPUS_START.toordinal()
        # Statements are entered roughly as they happen, so ids follow dates: walk the (date-ordered)
        # articles through sorted uniform draws, with some older statements entered late (backfill).
        frontier = 0.0
        for pk in range(1, total + 1):
            frontier += (1.0 - frontier) * (1.0 - rng.random() ** (1.0 / (total - pk + 1)))
            current = min(articles - 1, int(frontier * articles))
            article = rng.randrange(articles) if rng.random() < BACKFILL_SHARE else current
            is_fa = self.article_fa[article]
            day = datetime.date.fromordinal(max(start_ordinal, self.article_day[article] - rng.choice((0, 0, 0, 1, 2))))
            # The run of sentences the statement consists of (200-800 characters).
            first = self.article_sentence_start[article]
            count = (
                self.article_sentence_start[article + 1] if article + 1 < articles else len(self.article_sentences)
            ) - first
            pieces = self._article_text_pieces(article)
            # Lengths: the printed run must reach the minimum, the careful one (longer, with its
            # ZWNJs) must stay under the maximum.
            careful_pieces = self.pool_fa if is_fa else self.pool_en
            sentences = self.article_sentences
            target = rng.randint(STATEMENT_MIN_CHARS, STATEMENT_MAX_CHARS)
            begin = rng.randrange(max(1, count - 3))
            end = begin
            length = longest = -1
            while end < count:
                sentence = sentences[first + end]
                next_longest = longest + 1 + len(careful_pieces[sentence])
                if next_longest > STATEMENT_MAX_CHARS and end > begin:
                    break
                length += 1 + len(pieces[sentence])
                longest = next_longest
                end += 1
                if length >= target:
                    break
            while length < STATEMENT_MIN_CHARS and begin > 0:
                begin -= 1
                length += 1 + len(pieces[sentences[first + begin]])
            ids = self.article_sentences[first + begin : first + end]
            start_offset = self.article_header[article] + sum(
                len(pieces[s]) + 1 for s in self.article_sentences[first : first + begin]
            )
            # The quote as printed, separators included (a space or a paragraph break).
            separators = ["\n" if (begin + i + 1) % 4 == 0 else " " for i in range(len(ids) - 1)]
            quote = "".join(pieces[s] + (separators[i] if i < len(separators) else "") for i, s in enumerate(ids))
            end_offset = start_offset + len(quote)
            if is_fa:
                careful = rng.random() < 0.5
                text = " ".join(self.pool_fa[s] for s in ids) if careful else quote
                translation = " ".join(self.pool_en[s] for s in ids)
                language = "fa"
            else:
                text, translation, language = quote, "", "en"
            official = _skewed_index(rng, plan.officials, 2.2) + 1
            speaker = self.official_names[official - 1] if rng.random() < 0.3 else ""
            if rng.random() < 0.005:
                official = 0
                speaker = speaker or "یک مقام آگاه"
            position = NULL
            if official and rng.random() < 0.03:
                position = str(self.position_first[official - 1] + rng.randrange(self.position_count[official - 1]))
            venue = rng.choice(venues)
            question = ""
            if venue == VenueKind.INTERVIEW and rng.random() < 0.8:
                q_fa, q_en = rng.choice(_QUESTIONS)
                sentence = ids[0]
                actors = (_SUBJECTS[sentence % len(_SUBJECTS)], _STATES[sentence % len(_STATES)])
                question = (q_fa if is_fa else q_en).format(
                    a=(_STATES[0][0] if is_fa else "Iran"),
                    b=actors[1][0] if is_fa else actors[1][1],
                    s=actors[0][0] if is_fa else actors[0][1],
                )
            outlet = self.article_outlet[article]
            venue_outlet = str(outlet) if rng.random() < 0.5 else NULL
            status = rng.choice(statuses)
            reason = rng.choice(_RETRACTION_REASONS) if status == ReviewStatus.RETRACTED else ""
            entered = datetime.date.fromordinal(max(self.article_day[current], day.toordinal()))
            created = _timestamp(entered + datetime.timedelta(days=rng.randint(1, 30)), rng.randint(0, 86_399))
            changed = created if status != ReviewStatus.DRAFT else NULL
            calendar = "solar_hijri" if is_fa else "gregorian"
            as_printed = solar_hijri(day) if is_fa else day.isoformat()
            yield _line(
                str(pk),
                created,
                created,
                "1",
                _copy_text(speaker),
                _copy_text(text),
                language,
                _copy_text(translation),
                _copy_text(question),
                day.isoformat(),
                "day",
                as_printed,
                calendar,
                venue,
                rng.choice(attributions),
                status,
                changed,
                _copy_text(reason),
                str(official) if official else NULL,
                position,
                venue_outlet,
            )
            # Topics: mostly from the article's theme, the rest from the popular ones.
            theme = self.subtrees[self.article_theme[article]]
            wanted = rng.choice(topic_counts)
            chosen: list[int] = []
            for _ in range(wanted * 3):
                if len(chosen) == wanted:
                    break
                if rng.random() < 0.7:
                    topic = rng.choice(theme)
                else:
                    topic = topic_order[bisect.bisect_left(topic_cum, rng.random() * topic_cum[-1])]
                if topic not in chosen:
                    chosen.append(topic)
            for topic in chosen:
                counts["claims_statementtopic"] += 1
                write_topic(_line(str(counts["claims_statementtopic"]), str(pk), str(topic)))
            # Claims: one sentence of the statement each.
            for index in range(min(len(ids), rng.choice(claim_counts))):
                claim_id += 1
                sentence = ids[index]
                write_claim(
                    _line(
                        str(claim_id),
                        created,
                        created,
                        "1",
                        _copy_text(self.pool_en[sentence]),
                        _copy_text(self.pool_fa[sentence] if is_fa else ""),
                        self.pool_kind[sentence],
                        str(pk),
                    )
                )
                counts["claims_claim"] += 1
                claim_topic = chosen[index % len(chosen)]
                counts["claims_claimtopic"] += 1
                write_claim_topic(_line(str(counts["claims_claimtopic"]), str(claim_id), str(claim_topic)))
                for party in self.pool_parties[sentence][: rng.randint(0, 2)]:
                    counts["claims_claimparty"] += 1
                    write_party(_line(str(counts["claims_claimparty"]), str(claim_id), str(party + 1)))
                previous = last_claim_of.get(official)
                if previous and rng.random() < 0.2:
                    relation_id += 1
                    counts["claims_claimrelation"] += 1
                    write_relation(
                        _line(
                            str(relation_id),
                            created,
                            created,
                            "1",
                            rng.choice(relation_kinds),
                            "",
                            str(claim_id),
                            str(previous),
                        )
                    )
                last_claim_of[official] = claim_id
            role = CitationRole.ORIGINAL_VENUE if venue_outlet != NULL else CitationRole.REPORTER
            counts["claims_citation"] += 1
            write_citation(
                _line(
                    str(counts["claims_citation"]),
                    created,
                    created,
                    "1",
                    _copy_text(quote),
                    str(start_offset),
                    str(end_offset),
                    role,
                    "t" if rng.random() < 0.8 else "f",
                    str(article + 1),
                    str(pk),
                )
            )
            if pk % step == 0:
                self.progress(f"statements {pk:,}/{total:,} ({time.monotonic() - started:.1f}s)")
        self.rows.update(counts)


# Column lists in the order the generator writes them. Generated columns are left out: PostgreSQL
# computes search_document and normalized itself.
COLUMNS = {
    "claims_organization": "id, created_at, updated_at, version, name, name_native, acronym, kind, country, parent_id",
    "claims_official": "id, created_at, updated_at, version, display_name, native_name, country, wikidata_id, notes",
    "claims_officialalias": "id, name, language, official_id",
    "claims_position": (
        "id, created_at, updated_at, version, title, title_native, start_date, start_precision, end_date, "
        "end_precision, organization_id, official_id"
    ),
    "claims_topic": (
        "id, created_at, updated_at, version, name, name_fa, name_ar, slug, keywords, description, parent_id"
    ),
    "sources_outlet": "id, created_at, updated_at, version, name, name_native, domain, country, language, kind",
    "sources_outletalias": "id, name, outlet_id",
    "sources_article": (
        "id, created_at, updated_at, version, url, upstream_name_as_printed, title, lead, body, language, news_code, "
        "published_at, published_as_printed, published_calendar, captured_at, body_sha256, outlet_id, "
        "upstream_outlet_id"
    ),
    "claims_statement": (
        "id, created_at, updated_at, version, speaker_name_as_printed, text, language, translation, question, "
        "said_on, said_on_precision, said_on_as_printed, said_on_calendar, venue_kind, attribution, status, "
        "status_changed_at, retraction_reason, official_id, position_id, venue_outlet_id"
    ),
    "claims_statementtopic": "id, statement_id, topic_id",
    "claims_claim": "id, created_at, updated_at, version, text, text_original, kind, statement_id",
    "claims_claimtopic": "id, claim_id, topic_id",
    "claims_claimparty": "id, claim_id, organization_id",
    "claims_claimrelation": "id, created_at, updated_at, version, kind, note, from_claim_id, to_claim_id",
    "claims_citation": (
        "id, created_at, updated_at, version, quote, start_offset, end_offset, role, verified, article_id, statement_id"
    ),
}


# --------------------------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------------------------


def corpus_row_counts() -> dict[str, int]:
    """Exact row counts of the corpus tables (for reports and tests)."""
    with connection.cursor() as cursor:
        return {
            table: cursor.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608 - fixed names
            for table in CORPUS_TABLES
        }


def corpus_tables_in_use() -> list[str]:
    """The corpus tables that already hold rows."""
    with connection.cursor() as cursor:
        return [
            table
            for table in CORPUS_TABLES
            if cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {table})").fetchone()[0]  # noqa: S608
        ]


def _copy_lines(cursor, table: str, lines, *, freeze: bool, batch: int = 2000) -> int:
    options = " WITH (FREEZE)" if freeze else ""
    count = 0
    with cursor.copy(f"COPY {table} ({COLUMNS[table]}) FROM STDIN{options}") as copy:
        buffer: list[str] = []
        for line in lines:
            buffer.append(line)
            if len(buffer) >= batch:
                copy.write("".join(buffer))
                count += len(buffer)
                buffer.clear()
        if buffer:
            copy.write("".join(buffer))
            count += len(buffer)
    return count


def _copy_file(cursor, table: str, handle, *, freeze: bool) -> None:
    options = " WITH (FREEZE)" if freeze else ""
    handle.seek(0)
    with cursor.copy(f"COPY {table} ({COLUMNS[table]}) FROM STDIN{options}") as copy:
        while chunk := handle.read(1 << 20):
            copy.write(chunk)


def _secondary_indexes(cursor, tables) -> list[tuple[str, str]]:
    """(name, definition) of the indexes on ``tables`` that no constraint owns."""
    return cursor.execute(
        """
        SELECT ci.relname, pg_get_indexdef(i.indexrelid)
        FROM pg_index i
        JOIN pg_class t ON t.oid = i.indrelid
        JOIN pg_class ci ON ci.oid = i.indexrelid
        JOIN pg_namespace n ON n.oid = t.relnamespace AND n.nspname = current_schema()
        WHERE t.relname = ANY(%s)
          AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid AND k.conrelid = t.oid)
        ORDER BY ci.relname
        """,
        [list(tables)],
    ).fetchall()


def _foreign_keys(cursor, tables) -> list[tuple[str, str, str]]:
    """(table, name, definition) of the foreign keys declared on ``tables``."""
    return cursor.execute(
        """
        SELECT t.relname, k.conname, pg_get_constraintdef(k.oid)
        FROM pg_constraint k
        JOIN pg_class t ON t.oid = k.conrelid
        JOIN pg_namespace n ON n.oid = t.relnamespace AND n.nspname = current_schema()
        WHERE k.contype = 'f' AND t.relname = ANY(%s)
        ORDER BY t.relname, k.conname
        """,
        [list(tables)],
    ).fetchall()


def _history_triggers(cursor, tables) -> list[tuple[str, str]]:
    """(table, trigger) of the user triggers on ``tables`` other than KEPT_TRIGGERS."""
    return cursor.execute(
        """
        SELECT c.relname, tg.tgname
        FROM pg_trigger tg
        JOIN pg_class c ON c.oid = tg.tgrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = current_schema()
        WHERE NOT tg.tgisinternal AND c.relname = ANY(%s) AND tg.tgenabled <> 'D'
          AND NOT tg.tgname LIKE ANY(%s)
        ORDER BY c.relname, tg.tgname
        """,
        [list(tables), [f"%{name}%" for name in KEPT_TRIGGERS]],
    ).fetchall()


def _history_event_tables(cursor) -> list[str]:
    names = [f"{table}event" for table in CORPUS_TABLES + DEPENDENT_TABLES]
    rows = cursor.execute(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "AND n.nspname = current_schema() WHERE c.relkind = 'r' AND c.relname = ANY(%s) ORDER BY 1",
        [names],
    ).fetchall()
    return [name for (name,) in rows]


def corpus_generate(
    *, statements: int, seed: int = 1, clear_history: bool = False, progress: Callable[[str], None] | None = None
) -> CorpusReport:
    """Replace the corpus tables' contents with a generated corpus of ``statements`` statements.

    The caller checks that the tables are empty (or that clearing them is wanted): this function
    truncates them. With ``clear_history`` the history tables of those models are truncated too.
    """
    say = progress or (lambda message: None)
    plan = CorpusPlan.for_statements(statements)
    generator = CorpusGenerator(plan, seed=seed, progress=say)
    report = CorpusReport()
    clock = time.monotonic()

    def phase(name: str) -> None:
        nonlocal clock
        now = time.monotonic()
        report.seconds[name] = round(now - clock, 2)
        clock = now

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        cursor.execute("SET LOCAL synchronous_commit = off")
        truncated = list(CORPUS_TABLES + DEPENDENT_TABLES)
        if clear_history:
            truncated += _history_event_tables(cursor)
        cursor.execute(f"TRUNCATE {', '.join(truncated)} RESTART IDENTITY CASCADE")
        indexes = _secondary_indexes(cursor, BULK_TABLES)
        foreign_keys = _foreign_keys(cursor, CORPUS_TABLES)
        triggers = _history_triggers(cursor, CORPUS_TABLES)
        for table, name in triggers:
            cursor.execute(f'ALTER TABLE {table} DISABLE TRIGGER "{name}"')
        for table, name, _definition in foreign_keys:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        phase("prepare")

        # FREEZE writes the rows already visible to everyone (no later vacuum pass over them).
        def load(table: str, lines) -> None:
            report.rows[table] = _copy_lines(cursor, table, lines, freeze=True)

        load("claims_organization", generator.organizations())
        load("claims_official", generator.officials())
        load("claims_officialalias", generator.official_alias_rows())
        load("claims_position", generator.positions())
        load("claims_topic", generator.topics())
        load("sources_outlet", generator.outlets())
        load("sources_outletalias", generator.outlet_alias_rows())
        phase("reference data")
        say(f"reference data: {plan.officials:,} officials, {plan.topics:,} topics, {plan.outlets:,} outlets")
        load("sources_article", generator.articles())
        phase("articles")
        child_tables = BULK_TABLES[2:]
        with tempfile.TemporaryDirectory(prefix="goftar-corpus-") as folder:
            files = {
                table: open(os.path.join(folder, f"{table}.copy"), "w+", encoding="utf-8")  # noqa: SIM115
                for table in child_tables
            }
            try:
                load("claims_statement", generator.statements(files))
                phase("statements")
                for table in child_tables:
                    say(f"loading {table} ({generator.rows[table]:,} rows)")
                    _copy_file(cursor, table, files[table], freeze=True)
                    report.rows[table] = generator.rows[table]
            finally:
                for handle in files.values():
                    handle.close()
        phase("child rows")

        for table in CORPUS_TABLES:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE(max(id), 1), max(id) IS NOT NULL) "
                f"FROM {table}"  # noqa: S608 - fixed names
            )
        say(f"rebuilding {len(indexes)} indexes")
        for _name, definition in indexes:
            cursor.execute(definition)
        phase("indexes")
        say(f"restoring {len(foreign_keys)} foreign keys")
        for table, name, definition in foreign_keys:
            cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        phase("foreign keys")
        for table, name in triggers:
            cursor.execute(f'ALTER TABLE {table} ENABLE TRIGGER "{name}"')
        for table in CORPUS_TABLES:
            cursor.execute(f"ANALYZE {table}")
        phase("analyze")
    return report
