"""The demo data: the seed article recorded as a careful curator would (docs/architecture.md, "The domain").

The seed is a Persian news page (news code ۹۶۵۷۰۸) that republishes Khabaronline's report of an
interview Kamal Kharrazi gave to Al Jazeera. ``demo_load`` records the official and his post, the
three outlets, the article, the four answers as statements with their questions, the claims inside
them, the relation between the Houthi denial and the later concession, and the topic tree.

Every row is found by a natural key and written only when it differs, so running the loader again
changes nothing: no new rows and no new history events.
"""

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import pghistory
from django.db import models, transaction

from claims.choices import (
    AttributionType,
    CitationRole,
    ClaimKind,
    ClaimRelationKind,
    OrganizationKind,
    ReviewStatus,
    VenueKind,
)
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
    Topic,
)
from common.dates import Calendar, DatePrecision, parse_date, parse_datetime
from common.text import fold
from sources.choices import Language, OutletKind
from sources.models import Article, Outlet, OutletAlias

SEED_PATH = Path(__file__).resolve().parent / "demo_data" / "khabaronline_kharrazi_aljazeera_965708.txt"

# The page is read by the importer's own parser (sources.importers.article), so the demo stores the
# title, lead and body an import of the same page produces, and importing the seed page after the
# demo is recognised as the same article (same body fingerprint) instead of a second copy. The body
# runs from the lead to the last answer: the header lines, the title (its own field), the share
# widget ("send to friends", captcha) and the block of unrelated headlines are not part of it.
SEED_PUBLISHED_AS_PRINTED = "۰۹:۴۴ - ۲۳-۰۲-۱۴۰۳"
# The capture shows when the page was last refreshed (به روز شده در); it stands in for the capture
# time, fixed so that re-running the loader does not move it.
SEED_REFRESHED_AS_PRINTED = "۰۱:۵۱ - ۱۰ آبان ۱۴۰۴"
SEED_NEWS_CODE = "۹۶۵۷۰۸"
QUESTION_MARK = "*"

# The capture does not name the site it came from (no URL, no masthead), so the republisher is
# recorded under a descriptive name that says exactly that, rather than a guessed outlet.
REPUBLISHER_NAME = "Unidentified Persian news site (seed capture)"


@dataclass
class DemoReport:
    """What one run of the loader did, per model: rows created, rows updated, rows already right."""

    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)

    def count(self, bucket: dict[str, int], model: type[models.Model]) -> None:
        name = model._meta.object_name
        bucket[name] = bucket.get(name, 0) + 1

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)

    def lines(self) -> list[str]:
        names = sorted({*self.created, *self.updated, *self.unchanged})
        return [
            f"{name}: {self.created.get(name, 0)} created, {self.updated.get(name, 0)} updated, "
            f"{self.unchanged.get(name, 0)} unchanged"
            for name in names
        ]


def _upsert(model, *, find: dict, values: dict, report: DemoReport):
    """The row ``find`` names, created from ``values`` or brought up to them; saved only if it differs
    (an unchanged save would still write a history event through ``updated_at``)."""
    row = model.objects.filter(**find).first()
    if row is None:
        row = model(**values)
        row.full_clean()
        row.save()
        report.count(report.created, model)
        return row
    changed = [name for name, value in values.items() if getattr(row, name) != value]
    if not changed:
        report.count(report.unchanged, model)
        return row
    for name in changed:
        setattr(row, name, values[name])
    row.full_clean()
    if any(f.name == "updated_at" for f in model._meta.concrete_fields):
        changed.append("updated_at")
    row.save(update_fields=changed)
    report.count(report.updated, model)
    return row


# --- what the curator reads off the page ---------------------------------------------------------


@dataclass(frozen=True)
class SeedAnswer:
    question: str
    answer: str


def seed_text() -> str:
    return SEED_PATH.read_text(encoding="utf-8")


def seed_page(text: str | None = None):
    """The seed page as the importer parses it (no database): title, lead, body, dates."""
    from sources.importers.article import ArticleImporter
    from sources.importers.base import ImportReport

    importer = ArticleImporter(report=ImportReport(source_name=SEED_PATH.name))
    return importer.parse(importer.read(seed_text() if text is None else text))


def seed_body(text: str | None = None) -> str:
    """The article body: its paragraphs from the lead through the last answer."""
    return seed_page(text).body


def seed_answers(body: str) -> list[SeedAnswer]:
    """The interview's question/answer pairs: a question starts with ``*``, its answer is the next paragraph."""
    paragraphs = [line for line in body.split("\n") if line.strip()]
    pairs = []
    for index, paragraph in enumerate(paragraphs):
        if paragraph.startswith(QUESTION_MARK):
            pairs.append(SeedAnswer(question=paragraph[len(QUESTION_MARK):].strip(), answer=paragraphs[index + 1]))
    return pairs


# --- reference data --------------------------------------------------------------------------------

OUTLETS = {
    "republisher": {
        "name": REPUBLISHER_NAME,
        "name_native": "",
        "domain": "",
        "country": "IR",
        "language": Language.PERSIAN,
        "kind": OutletKind.NEWS_SITE,
        "aliases": [],
    },
    "khabaronline": {
        "name": "Khabaronline",
        "name_native": "خبرآنلاین",
        "domain": "khabaronline.ir",
        "country": "IR",
        "language": Language.PERSIAN,
        "kind": OutletKind.NEWS_SITE,
        "aliases": ["خبرآنلاین", "Khabar Online"],
    },
    "aljazeera": {
        "name": "Al Jazeera",
        "name_native": "الجزيرة",
        "domain": "aljazeera.net",
        "country": "QA",
        "language": Language.ARABIC,
        "kind": OutletKind.BROADCASTER,
        # الجزيرة (Arabic) and الجزیره (Persian) fold to one form: one alias row covers both.
        "aliases": ["الجزیره", "Al-Jazeera", "شبکه الجزیره"],
    },
}

ORGANIZATIONS = {
    "scfr": {
        "name": "Strategic Council on Foreign Relations",
        "name_native": "شورای راهبردی روابط خارجی",
        "acronym": "SCFR",
        "kind": OrganizationKind.GOVERNMENT_BODY,
        "country": "IR",
    },
    "iran": {"name": "Iran", "name_native": "ایران", "acronym": "", "kind": OrganizationKind.STATE, "country": "IR"},
    "usa": {
        "name": "United States",
        "name_native": "ایالات متحده آمریکا",
        "acronym": "US",
        "kind": OrganizationKind.STATE,
        "country": "US",
    },
    "switzerland": {
        "name": "Switzerland", "name_native": "سوئیس", "acronym": "", "kind": OrganizationKind.STATE, "country": "CH",
    },
    "houthis": {
        "name": "Ansar Allah (Houthis)",
        "name_native": "أنصار الله",
        "acronym": "",
        "kind": OrganizationKind.ARMED_FORCE,
        "country": "YE",
    },
    "hezbollah": {
        "name": "Hezbollah", "name_native": "حزب الله", "acronym": "", "kind": OrganizationKind.PARTY, "country": "LB",
    },
    "hamas": {"name": "Hamas", "name_native": "حماس", "acronym": "", "kind": OrganizationKind.PARTY, "country": "PS"},
}

OFFICIAL = {
    "display_name": "Kamal Kharrazi",
    "native_name": "کمال خرازی",
    "country": "IR",
    "notes": "Foreign minister 1997–2005; heads the Strategic Council on Foreign Relations since its founding "
             "in 2006.",
}
OFFICIAL_ALIASES = [
    ("کمال خرازی", Language.PERSIAN),
    ("خرازی", Language.PERSIAN),
    ("Kamal Kharrazi", Language.ENGLISH),
    ("Kharrazi", Language.ENGLISH),
    ("Kharazi", Language.ENGLISH),
    ("Kamal Kharazi", Language.ENGLISH),
]
POSITION = {
    "title": "Head of the Strategic Council on Foreign Relations",
    "title_native": "رئیس شورای راهبردی روابط خارجی",
    # The council was founded in 2006 with Kharrazi at its head; the day is not recorded here.
    "start": "2006",
}

# (slug, parent slug, name, name_fa, name_ar, keywords): keywords in Persian, Arabic and English, as
# the words appear in articles, so an importer can suggest the topic from the text.
TOPICS = [
    ("iran-us-relations", None, "Iran–US relations", "روابط ایران و آمریکا", "العلاقات الإيرانية الأمريكية",
     ["روابط ایران و آمریکا", "ایران و آمریکا", "تهران و واشنگتن", "Iran–US relations", "Iran-US", "US-Iran",
      "Tehran and Washington", "إيران وأمريكا"]),
    ("iran-us-indirect-talks", "iran-us-relations", "Indirect talks", "مذاکرات غیرمستقیم", "المحادثات غير المباشرة",
     ["گفت‌وگوی غیرمستقیم", "گفتوگوهای غیرمستقیم", "مذاکرات غیرمستقیم", "مذاکرات محرمانه", "سفارت سوئیس",
      "حافظ منافع", "indirect talks", "secret talks", "Swiss embassy", "protecting power",
      "محادثات غير مباشرة"]),
    ("red-sea-shipping", None, "Red Sea shipping", "کشتیرانی در دریای سرخ", "الملاحة في البحر الأحمر",
     ["دریای سرخ", "کشتیرانی", "حمله به کشتی", "باب‌المندب", "Red Sea", "shipping", "Bab el-Mandeb",
      "البحر الأحمر"]),
    ("houthis", None, "Houthis (Ansar Allah)", "حوثی‌ها (انصارالله)", "الحوثيون (أنصار الله)",
     ["حوثی", "حوثی‌ها", "انصارالله", "یمن", "Houthi", "Houthis", "Ansar Allah", "Yemen", "الحوثي", "أنصار الله"]),
    ("axis-of-resistance", None, "Axis of resistance", "محور مقاومت", "محور المقاومة",
     ["محور مقاومت", "مقاومت عراقی", "حزب‌الله", "axis of resistance", "resistance front", "Hezbollah",
      "محور المقاومة"]),
    ("gaza-war", None, "Gaza war (Al-Aqsa Flood)", "جنگ غزه (طوفان الاقصی)", "حرب غزة (طوفان الأقصى)",
     ["غزه", "طوفان الاقصی", "حماس", "Gaza", "Al-Aqsa Flood", "October 7", "Hamas", "غزة", "طوفان الأقصى"]),
]

# The four answers, in page order: an English translation, the topics, and the claims inside each
# (English text, the original words as a span of the answer, kind, parties, topics). Keys name
# claims for the relations below.
STATEMENTS = [
    {
        "translation": (
            "Indirect talks between Iran and America are nothing new. They have gone on for years and go on "
            "today, both through the Swiss embassy, which protects America's interests in Iran, and through "
            "some countries of the region. In the recent events too, both Iran's policy and America's policy "
            "were that this war should not spread, and to that end we held indirect talks with America."
        ),
        "topics": ["iran-us-indirect-talks", "gaza-war"],
        "claims": [
            {
                "key": "indirect_talks",
                "text": "Indirect Iran–US talks have gone on for years and continue, through the Swiss embassy "
                        "and countries of the region.",
                "original": "گفتوگوهای غیرمستقیم بین ایران و آمریکا موضوع جدیدی نیست. سال ها برقرار بوده و امروز هم "
                            "برقرار است، چه از طریق سفارت سوئیس که حافظ منافع آمریکا در ایران است و چه از طریق "
                            "برخی کشورهای منطقه.",
                "kind": ClaimKind.ASSERTION,
                "parties": ["iran", "usa", "switzerland"],
                "topics": ["iran-us-indirect-talks"],
            },
            {
                "key": "no_spread",
                "text": "Since the Gaza war began, Iran and the US have both sought to keep it from spreading, "
                        "and held indirect talks to that end.",
                "original": "در قضایای اخیر هم، هم سیاست ایران و هم سیاست آمریکا مبتنی بر این بود که این جنگ "
                            "گسترش نیابد و در این راستا گفتوگوهای غیرمستقیم با آمریکا داشتیم.",
                "kind": ClaimKind.ASSERTION,
                "parties": ["iran", "usa"],
                "topics": ["iran-us-indirect-talks", "gaza-war"],
            },
        ],
    },
    {
        "translation": (
            "America cannot make such a request of us. We have the duty of defending the axis of resistance. "
            "If America makes such a request of us, the answer is no."
        ),
        "topics": ["iran-us-relations", "axis-of-resistance", "gaza-war"],
        "claims": [
            {
                "key": "cannot_ask",
                "text": "The US cannot ask Iran to stop supporting the resistance and Hezbollah.",
                "original": "آمریکا نمی تواند چنین درخواستی از ما بکند.",
                "kind": ClaimKind.POSITION,
                "parties": ["usa", "iran", "hezbollah"],
                "topics": ["iran-us-relations", "axis-of-resistance"],
            },
            {
                "key": "duty_to_defend",
                "text": "Iran has a duty to defend the axis of resistance.",
                "original": "ما وظیفه دفاع از محور مقاومت را داریم.",
                "kind": ClaimKind.COMMITMENT,
                "parties": ["iran"],
                "topics": ["axis-of-resistance"],
            },
            {
                "key": "answer_is_no",
                "text": "Iran would refuse a US request to scale back its support for the axis of resistance.",
                "original": "اگر آمریکا چنین درخواستی از ما داشته باشند، جوابش منفی است.",
                "kind": ClaimKind.POSITION,
                "parties": ["iran", "usa"],
                "topics": ["iran-us-relations", "axis-of-resistance"],
            },
        ],
    },
    {
        "translation": (
            "No. Iran will put no such pressure on the Houthis. The Houthis are defending the axis of resistance "
            "and Yemen. It is their lawful right to be able to play a part in the region's affairs."
        ),
        "topics": ["houthis", "red-sea-shipping", "axis-of-resistance"],
        "claims": [
            {
                "key": "no_pressure",
                "text": "Iran will not press the Houthis to stop their Red Sea operations.",
                "original": "خیر. چنین فشاری از سوی ایران بر حوثی ها وارد نخواهد شد.",
                "kind": ClaimKind.DENIAL,
                "parties": ["iran", "houthis"],
                "topics": ["houthis", "red-sea-shipping"],
            },
            {
                "key": "houthi_right",
                "text": "The Houthis are defending the axis of resistance and Yemen, and have a lawful right to a "
                        "role in the region.",
                "original": "حوثیها مشغول دفاع از محور مقاومت و یمن هستند. این حق قانونی آنهاست که بتوانند در "
                            "تحولات منطقه نقش داشته باشند.",
                "kind": ClaimKind.POSITION,
                "parties": ["houthis"],
                "topics": ["houthis", "axis-of-resistance"],
            },
        ],
    },
    {
        "translation": (
            "They may have asked that, for example, the Houthis show some consideration in the Red Sea "
            "operations, but we do not give the Houthis orders, and they act at their own discretion. If we "
            "give members of the axis of resistance any advice, it is consultation; the decision lies with the "
            "axis of resistance itself: the Houthis, Hezbollah, Hamas or the Iraqi resistance."
        ),
        "topics": ["houthis", "red-sea-shipping", "axis-of-resistance", "iran-us-relations"],
        "claims": [
            {
                "key": "may_have_asked",
                "text": "The US may have asked that the Houthis show some consideration in the Red Sea.",
                "original": "ممکن است که خواسته باشند که مثلا حوثی ها در عملیات دریای سرخ برخی توجهات را داشته "
                            "باشند",
                "kind": ClaimKind.CONCESSION,
                "parties": ["usa", "houthis"],
                "topics": ["houthis", "red-sea-shipping", "iran-us-relations"],
            },
            {
                "key": "no_orders",
                "text": "Iran does not give the Houthis orders; they act at their own discretion.",
                "original": "ما به حوثی ها دستور نمیدهیم و آنها به صلاحدید خود اقدام میکنند.",
                "kind": ClaimKind.DENIAL,
                "parties": ["iran", "houthis"],
                "topics": ["houthis"],
            },
            {
                "key": "advice_only",
                "text": "Iran's advice to the axis of resistance is consultation only; the Houthis, Hezbollah, "
                        "Hamas and the Iraqi resistance decide for themselves.",
                "original": "ما صرفا اگر توصیه هایی به اعضای محور مقاومت داشته باشیم، جنبه رایزنی دارد وگرنه "
                            "تصمیم گیرنده خود محور مقاومت است؛ چه حوثیها، چه حزب الله، چه حماس و چه مقاومت عراقی.",
                "kind": ClaimKind.ASSERTION,
                "parties": ["iran", "houthis", "hezbollah", "hamas"],
                "topics": ["axis-of-resistance"],
            },
        ],
    },
]

# (from, kind, to, note)
RELATIONS = [
    ("may_have_asked", ClaimRelationKind.QUALIFIES, "no_pressure",
     "One answer after the flat “no”, Kharrazi allows that the US may have asked for restraint in the Red Sea."),
    ("no_orders", ClaimRelationKind.SUPPORTS, "no_pressure",
     "The reason given for not pressing the Houthis: Iran does not command them."),
    ("no_spread", ClaimRelationKind.SUPPORTS, "indirect_talks",
     "The recent indirect talks are an instance of the long-standing channel."),
]


# --- the loader ----------------------------------------------------------------------------------


def _load_outlets(report):
    outlets = {}
    for key, spec in OUTLETS.items():
        values = {name: value for name, value in spec.items() if name != "aliases"}
        outlet = _upsert(Outlet, find={"name": spec["name"]}, values=values, report=report)
        for alias in spec["aliases"]:
            _upsert(OutletAlias, find={"outlet": outlet, "normalized": fold(alias)},
                    values={"outlet": outlet, "name": alias}, report=report)
        outlets[key] = outlet
    return outlets


def _load_organizations(report):
    return {
        key: _upsert(Organization, find={"name": spec["name"], "country": spec["country"]}, values=spec, report=report)
        for key, spec in ORGANIZATIONS.items()
    }


def _load_official(organizations, report):
    official = _upsert(Official, find={"display_name": OFFICIAL["display_name"], "country": OFFICIAL["country"]},
                       values=OFFICIAL, report=report)
    for name, language in OFFICIAL_ALIASES:
        _upsert(OfficialAlias, find={"official": official, "normalized": fold(name)},
                values={"official": official, "name": name, "language": language}, report=report)
    start = parse_date(POSITION["start"])
    position = _upsert(
        Position,
        find={"official": official, "organization": organizations["scfr"], "title": POSITION["title"]},
        values={
            "official": official,
            "organization": organizations["scfr"],
            "title": POSITION["title"],
            "title_native": POSITION["title_native"],
            "start_date": start.date,
            "start_precision": start.precision,
            "end_date": None,
        },
        report=report,
    )
    return official, position


def _load_topics(report):
    topics = {}
    for slug, parent_slug, name, name_fa, name_ar, keywords in TOPICS:
        topics[slug] = _upsert(
            Topic,
            find={"slug": slug},
            values={"slug": slug, "parent": topics.get(parent_slug), "name": name, "name_fa": name_fa,
                    "name_ar": name_ar, "keywords": keywords},
            report=report,
        )
    return topics


def _load_article(outlets, report):
    page = seed_page()
    body = page.body
    published_at, published = parse_datetime(SEED_PUBLISHED_AS_PRINTED)
    captured_at, _captured = parse_datetime(SEED_REFRESHED_AS_PRINTED)
    sha256 = hashlib.sha256(body.encode("utf-8")).hexdigest()
    article = _upsert(
        Article,
        find={"body_sha256": sha256},
        values={
            "url": None,
            "outlet": outlets["republisher"],
            "upstream_outlet": outlets["khabaronline"],
            "upstream_name_as_printed": "خبرآنلاین",
            "title": page.title,
            "lead": page.lead,
            "body": body,
            "body_sha256": sha256,
            "language": Language.PERSIAN,
            "news_code": SEED_NEWS_CODE,
            "published_at": published_at,
            "published_as_printed": published.as_printed,
            "published_calendar": published.calendar,
            "captured_at": captured_at,
        },
        report=report,
    )
    return article, published


def _load_statements(*, official, article, published, outlets, organizations, topics, report):
    answers = seed_answers(article.body)
    if len(answers) != len(STATEMENTS):
        raise ValueError(f"the seed has {len(answers)} answers, the demo describes {len(STATEMENTS)}")
    claims = {}
    # Each answer's span is searched for after its question: answer 1 is also repeated in the lead.
    cursor = 0
    for answer, spec in zip(answers, STATEMENTS, strict=True):
        question_at = article.body.index(answer.question, cursor)
        start = article.body.index(answer.answer, question_at)
        end = start + len(answer.answer)
        cursor = end
        statement = _upsert(
            Statement,
            find={"official": official, "said_on": published.date, "question": answer.question},
            values={
                "official": official,
                "speaker_name_as_printed": "کمال خرازی",
                "text": answer.answer,
                "language": Language.PERSIAN,
                "translation": spec["translation"],
                "question": answer.question,
                # The interview's own date is not printed: the page's date stands for it.
                "said_on": published.date,
                "said_on_precision": DatePrecision.DAY,
                "said_on_as_printed": "۲۳-۰۲-۱۴۰۳",
                "said_on_calendar": Calendar.SOLAR_HIJRI,
                "venue_kind": VenueKind.INTERVIEW,
                "venue_outlet": outlets["aljazeera"],
                # Presented as his own words; whether he spoke Persian or was translated is not printed.
                "attribution": AttributionType.DIRECT_QUOTE,
                "status": ReviewStatus.PUBLISHED,
            },
            report=report,
        )
        for slug in spec["topics"]:
            _upsert(StatementTopic, find={"statement": statement, "topic": topics[slug]},
                    values={"statement": statement, "topic": topics[slug]}, report=report)
        _upsert(
            Citation,
            find={"statement": statement, "article": article, "start_offset": start},
            values={"statement": statement, "article": article, "quote": article.body[start:end],
                    "start_offset": start, "end_offset": end, "role": CitationRole.REPUBLISHER, "verified": True},
            report=report,
        )
        for claim_spec in spec["claims"]:
            if claim_spec["original"] not in answer.answer:
                raise ValueError(f"claim {claim_spec['key']}: its original words are not in the answer")
            claim = _upsert(
                Claim,
                find={"statement": statement, "text": claim_spec["text"]},
                values={"statement": statement, "text": claim_spec["text"], "text_original": claim_spec["original"],
                        "kind": claim_spec["kind"]},
                report=report,
            )
            for key in claim_spec["parties"]:
                _upsert(ClaimParty, find={"claim": claim, "organization": organizations[key]},
                        values={"claim": claim, "organization": organizations[key]}, report=report)
            for slug in claim_spec["topics"]:
                _upsert(ClaimTopic, find={"claim": claim, "topic": topics[slug]},
                        values={"claim": claim, "topic": topics[slug]}, report=report)
            claims[claim_spec["key"]] = claim
    for from_key, kind, to_key, note in RELATIONS:
        _upsert(
            ClaimRelation,
            find={"from_claim": claims[from_key], "to_claim": claims[to_key], "kind": kind},
            values={"from_claim": claims[from_key], "to_claim": claims[to_key], "kind": kind, "note": note},
            report=report,
        )


@transaction.atomic
def demo_load() -> DemoReport:
    """Record the seed article and everything a curator reads from it; idempotent."""
    report = DemoReport()
    with pghistory.context(source="load_demo"):
        outlets = _load_outlets(report)
        organizations = _load_organizations(report)
        official, _position = _load_official(organizations, report)
        topics = _load_topics(report)
        article, published = _load_article(outlets, report)
        _load_statements(official=official, article=article, published=published, outlets=outlets,
                         organizations=organizations, topics=topics, report=report)
    return report
