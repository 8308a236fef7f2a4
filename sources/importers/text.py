"""A news page as lines of text to a captured article: title, lead, body, date, code, language.

Works on lines, whatever they came from (text copied from a browser, or ``importers.html``), and
touches no database. It separates the article from the page around it:

- the **header** before the title: today's date, "last updated", navigation ("فیلم بیشتر »»"),
  news code and publication date lines, which become metadata and never body text;
- the **body**: paragraphs after the title, each kept exactly as printed (only the spaces at the
  ends of a line and blank lines between paragraphs are layout), joined with a blank line;
- the **tail**: everything from the first furniture marker on (share widget "ارسال به دوستان",
  captcha, "related news", tags, comments, the block of unrelated headlines after them).

Offsets of every paragraph in the body are kept, so that statements can cite exact spans.
"""

from __future__ import annotations

import datetime
import functools
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from common.text import fold
from sources.choices import Language
from sources.importers.dates import MAX_DATE_WORDS, parse_printed_datetime

PARAGRAPH_SEPARATOR = "\n\n"
# A line longer than this is a paragraph, not a title (the page had no separate title line).
MAX_TITLE_WORDS = 30
# A headline has at least this many words (shorter lines above the text are menus and mastheads,
# unless nothing longer is there).
MIN_TITLE_WORDS = 4
# This many headline-like lines at the end of a page, with no marker above them, are a list of
# other stories (the article's own paragraphs end like sentences).
MIN_HEADLINE_RUN = 3
# A last line this long with no full stop at all is headlines run together, not a paragraph.
MIN_RUN_ON_WORDS = 40
# A line of this many words ending like a sentence is running text, not a headline.
MIN_PARAGRAPH_WORDS = 12
MAX_TITLE_LENGTH = 1000
# Dates further apart than this are "conflicting" (a few minutes' drift is the same date).
DATE_CONFLICT_TOLERANCE = datetime.timedelta(hours=1)

# A byline is short: "By Parisa Hafezi and Jonathan Saul".
MAX_BYLINE_WORDS = 8
# A labelled line ("Updated 2 hours ago") this short with no readable date is page furniture.
MAX_NOISE_WORDS = 5

_LAYOUT_SPACE = " \t\r\n\f\v\u00a0\u200b\u200c\u200e\u200f\u202f\ufeff\u2028\u2029"


@dataclass
class Line:
    """One visible line of a page. ``bold``: every character is bold; ``heading``: h1..h6 level."""

    text: str
    bold: bool = False
    heading: int = 0
    container: int = -1


@dataclass
class Paragraph:
    text: str
    start: int
    end: int
    bold: bool = False


@dataclass
class DateMention:
    kind: str  # published / updated / today / unlabelled / meta
    as_printed: str
    moment: datetime.datetime
    calendar: str
    line: int = -1  # the page line it was printed on (-1: not from a line, e.g. a meta tag)


@dataclass
class ParsedPage:
    title: str
    lead: str
    body: str
    paragraphs: list[Paragraph]
    language: str
    news_code: str = ""
    published_at: datetime.datetime | None = None
    published_as_printed: str = ""
    published_calendar: str = "gregorian"
    dates: list[DateMention] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    canonical_url: str = ""
    site_name: str = ""


def _folded_phrases(*phrases: str) -> list[str]:
    return sorted({fold(p) for p in phrases}, key=len, reverse=True)


# Lines from which on the rest of the page is furniture (compared folded, as whole short lines).
END_MARKERS = _folded_phrases(
    "ارسال به دوستان",
    "ارسال به دوست",
    "ورود کد امنیتی",
    "کد امنیتی",
    "captcha",
    "اخبار مرتبط",
    "خبرهای مرتبط",
    "مطالب مرتبط",
    "مطالب پیشنهادی",
    "پیشنهاد سردبیر",
    "برچسب ها",
    "برچسبها",
    "برچسب‌ها",
    "کلید واژه ها",
    "کلیدواژه ها",
    "کلمات کلیدی",
    "تگ ها",
    "نظرات",
    "نظر شما",
    "ارسال نظر",
    "دیدگاه ها",
    "دیدگاه شما",
    "پربازدیدترین",
    "پربازدید",
    "پربحث ترین",
    "آخرین اخبار",
    "اخبار روز",
    "اشتراک گذاری",
    "لینک کوتاه",
    "انتهای پیام",
    "انتهای خبر",
    "انتهای متن",
    "چاپ خبر",
    "أخبار ذات صلة",
    "اخبار ذات صلة",
    "مواضيع ذات صلة",
    "مقالات ذات صلة",
    "اقرأ أيضا",
    "اقرأ أيضاً",
    "الأكثر قراءة",
    "الأكثر مشاهدة",
    "شارك",
    "شارك الخبر",
    "شارك المقال",
    "الكلمات المفتاحية",
    "كلمات مفتاحية",
    "الوسوم",
    "التعليقات",
    "أضف تعليق",
    "المزيد من الأخبار",
    "آخر الأخبار",
    "related news",
    "related",
    "related articles",
    "related stories",
    "related content",
    "read more",
    "more from",
    "more stories",
    "more on this story",
    "tags",
    "topics",
    "share",
    "share this",
    "share this article",
    "share this story",
    "comments",
    "leave a comment",
    "most read",
    "most popular",
    "most viewed",
    "recommended",
    "you may also like",
    "sign up",
    "newsletter",
    "latest news",
    "trending",
)
# Short lines dropped wherever they are (advertising labels, "read more" pointers, photo credits).
INTERIOR_FURNITURE = _folded_phrases(
    "تبلیغات",
    "آگهی",
    "advertisement",
    "advertising",
    "sponsored",
    "إعلان",
    "بیشتر بخوانید",
    "بیشتر بخوانید:",
    "read more:",
    "read also",
    "see also",
    "also read",
    "اقرأ أيضا:",
    "اقرأ ايضا:",
    "پیشنهاد ویژه",
)
_CAPTION_PREFIXES = _folded_phrases(
    "عکس:",
    "عکس :",
    "عکس از",
    "منبع عکس",
    "photo:",
    "photo by",
    "image:",
    "file photo",
    "(photo",
    "(reuters photo",
    "getty images",
    "صورة:",
    "صورة من",
    "الصورة:",
    "(صورة",
)
_BYLINE_PREFIXES = _folded_phrases(
    "by ",
    "نویسنده:",
    "نویسنده :",
    "خبرنگار:",
    "گزارش:",
    "گزارشگر:",
    "مترجم:",
    "ترجمه:",
    "بقلم",
    "كتب:",
    "written by",
    "reporting by",
)
_PUBLISHED_LABELS = _folded_phrases(
    "تاریخ انتشار",
    "زمان انتشار",
    "انتشار",
    "منتشر شده در",
    "منتشر شده",
    "تاریخ خبر",
    "تاریخ",
    "published on",
    "published",
    "first published",
    "posted on",
    "posted",
    "created on",
    "created",
    "date",
    "تاريخ النشر",
    "نشر في",
    "نشر بتاريخ",
    "نشر",
    "بتاريخ",
)
_UPDATED_LABELS = _folded_phrases(
    "به روز شده در",
    "به روز شده",
    "بروز شده در",
    "بروز شده",
    "به روزرسانی",
    "بروزرسانی",
    "به روز رسانی",
    "آخرین به روزرسانی",
    "آخرین بروزرسانی",
    "آخرین به روز رسانی",
    "ویرایش",
    "updated on",
    "updated",
    "last updated",
    "last update",
    "latest update",
    "last modified",
    "modified",
    "آخر تحديث",
    "تم التحديث",
    "تحديث",
    "محدث",
)
_META_SEPARATORS = re.compile(
    r"\s*[|•·\[\]]\s*|\s+/\s+(?=Updated\b)|(?<=\S)(?=Updated\b)|\s+(?=Last [Uu]pdated?\b)"
    # A news code or a view counter printed on the date's line without a separator of its own.
    r"|(?<=\S)\s+(?=(?:[کك]د|شناسه)(?:\s+(?:خبر|مطلب))?\s*[:：])"
    r"|\s+[-–—]\s+(?=(?:مشاهده|بازد[یي]د|تعداد بازد[یي]د|[Vv]iews?|المشاهدات|مشاهدات|عدد المشاهدات)\s*[:：])"
)
# "مشاهده: ۱۰۳", "Views: 1,204": a view counter, never a date.
_VIEW_COUNTER = re.compile(
    r"^(?:مشاهده|بازدید|تعداد بازدید|views?|المشاهدات|مشاهدات|عدد المشاهدات)\s*[:：]?\s*[\d,٬]+$"
)
# "ساعت انتشار: ۹:۲۶ ق.ظ": the publication time on a line of its own, under the date.
_TIME_LABELS = _folded_phrases("ساعت انتشار", "ساعت", "زمان انتشار", "time", "الساعة", "الوقت")
_TIME_ONLY = re.compile(r"^\d{1,2}:\d{2}(?::\d{2})?(?:\s*(?:ق\.?\s?ظ|ب\.?\s?ظ|am|pm|a\.m\.|p\.m\.|ص|م))?$")
# Words printed beside the date on its line (a section, the source's name): short and without digits.
MAX_LABEL_WORDS = 3
_NEWS_CODE = re.compile(
    r"^(?:"
    + "|".join(
        re.escape(p)
        for p in _folded_phrases(
            "کد خبر",
            "کد مطلب",
            "شناسه خبر",
            "شناسه مطلب",
            "شناسه",
            "کد",
            "news id",
            "news code",
            "story id",
            "article id",
            "id",
            "رقم الخبر",
            "رمز الخبر",
            "كود الخبر",
            "خبر رقم",
        )
    )
    + r")\s*[:：#.]?\s*(\d{2,})$"
)
# "کد : ۱۹۲۰۱۱۷ گفتگو خاورمیانه": a code followed by the section's name.
_NEWS_CODE_THEN_WORDS = re.compile(_NEWS_CODE.pattern.removesuffix("$") + r"\s+(\D+)$")
_SECTION_WORDS = set(
    _folded_phrases(
        "خانه",
        "صفحه اصلی",
        "سیاست",
        "سیاسی",
        "اقتصاد",
        "اقتصادی",
        "جامعه",
        "اجتماعی",
        "فرهنگ",
        "فرهنگی",
        "ورزش",
        "ورزشی",
        "بین الملل",
        "بین‌الملل",
        "جهان",
        "فیلم",
        "عکس",
        "ویدیو",
        "ویدئو",
        "چندرسانه ای",
        "علمی",
        "فناوری",
        "سلامت",
        "حوادث",
        "استان ها",
        "دیپلماسی",
        "مجلس",
        "دولت",
        "بیشتر",
        "آرشیو",
        "تماس با ما",
        "درباره ما",
        "الرئيسية",
        "سياسة",
        "اقتصاد",
        "رياضة",
        "ثقافة",
        "العالم",
        "فيديو",
        "صور",
        "منوعات",
        "أخبار",
        "home",
        "news",
        "world",
        "politics",
        "business",
        "sport",
        "sports",
        "culture",
        "opinion",
        "video",
        "middle east",
        "economy",
        "science",
        "tech",
        "technology",
        "health",
        "live",
        "menu",
        "search",
        "more",
        "skip to main content",
        "skip to content",
        "skip links",
        "sign in",
        "log in",
        "login",
        "subscribe",
        "register",
        "ورود",
        "عضویت",
        "جستجو",
        "تسجيل الدخول",
        "بحث",
        "اشترك",
    )
)
# Lines that point elsewhere ("Read more: <headline>") or work the page (reading time, listen,
# print, copy link), dropped wherever they are.
_POINTER_PREFIXES = _folded_phrases(
    "زمان مطالعه",
    "مدت زمان مطالعه",
    "زمان تقریبی مطالعه",
    "کپی لینک",
    "لینک کوتاه:",
    "نسخه چاپی",
    "اندازه متن",
    "پخش صوت",
    "نسخه صوتی",
    "reading time",
    "listen to this article",
    "listen to article",
    "save articles to read later",
    "click here to share",
    "copy link",
    "print this",
    "follow us on",
    "join our",
    "وقت القراءة",
    "استمع إلى",
    "استمع الى",
    "تابعونا على",
    "نسخ الرابط",
    "بیشتر بخوانید",
    "بخوانید:",
    "مطلب مرتبط:",
    "خبر مرتبط:",
    "read more:",
    "read also:",
    "see also:",
    "also read:",
    "اقرأ أيضا:",
    "اقرأ أيضاً:",
    "اقرأ ايضا:",
    "شاهد أيضا:",
    "اقرأ المزيد:",
)
_NAV_SEPARATORS = re.compile(r"\s(?:>|»|›|/|\||•|·)\s|»»|««|>>")
_WORD = re.compile(r"\w+")


def split_lines(text: str) -> list[Line]:
    """Plain text (as copied from a browser) to lines; line endings of any platform."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    return [Line(text=line) for line in text.split("\n")]


def _clean(text: str) -> str:
    return text.strip(_LAYOUT_SPACE)


def _is_blank(text: str) -> bool:
    return not _clean(text)


def _plain(folded: str) -> str:
    """A folded line without punctuation at its ends, for comparing with marker phrases."""
    return folded.strip(" :：-–—|•·»«›‹>!؛;,،.()[]*/")


# Each marker list as (plain marker + " ", its number of words), made once: every line of a page
# is compared with every marker.
_PLAIN_MARKERS: dict[int, tuple[frozenset[str], list[tuple[str, int]]]] = {}


def _plain_markers(markers: list[str]) -> tuple[frozenset[str], list[tuple[str, int]]]:
    cached = _PLAIN_MARKERS.get(id(markers))
    if cached is None:
        plains = [_plain(marker) for marker in markers]
        cached = _PLAIN_MARKERS[id(markers)] = (
            frozenset(plains),
            [(plain + " ", len(plain.split())) for plain in plains],
        )
    return cached


_PREFIX_TUPLES: dict[int, tuple[str, ...]] = {}


def _prefix_tuple(markers: list[str]) -> tuple[str, ...]:
    cached = _PREFIX_TUPLES.get(id(markers))
    if cached is None:
        cached = _PREFIX_TUPLES[id(markers)] = tuple(prefix for prefix, _ in _plain_markers(markers)[1])
    return cached


def _matches_marker(folded: str, markers: list[str], *, extra_words: int = 2) -> bool:
    plain = _plain(folded)
    whole, prefixes = _plain_markers(markers)
    if plain in whole:
        return True
    if not plain.startswith(_prefix_tuple(markers)):
        return False
    words = None
    for prefix, marker_words in prefixes:
        if plain.startswith(prefix):
            words = len(plain.split()) if words is None else words
            if words <= marker_words + extra_words:
                return True
    return False


_READING_TIME = re.compile(r"^\d+\s*(?:min read|mins? read|minutes? read|دقیقه|دقیقه مطالعه|دقیقة|دقائق)$")


def _starts_with_any(folded: str, prefixes: list[str]) -> bool:
    return folded.startswith(tuple(prefixes))


def _is_navigation(text: str, folded: str) -> bool:
    words = _plain(folded).split()
    if not words:
        return True
    if "»»" in text or "««" in text or ">>" in text:
        return len(words) <= 6
    if _NAV_SEPARATORS.search(text) and len(words) <= 12:
        segments = [s for s in re.split(r"\s(?:>|»|›|/|\||•|·)\s", text) if _clean(s)]
        if len(segments) >= 2 and all(len(s.split()) <= 4 for s in segments):
            return True
    plain = _plain(folded)
    if plain in _SECTION_WORDS:
        return True
    # A menu: most of its words are section names.
    if len(words) >= 3 and not re.search(r"[.!?؟:]", text):
        known = sum(1 for w in words if w in _SECTION_WORDS)
        if known / len(words) >= 0.6:
            return True
    return False


@dataclass
class _Meta:
    kind: str  # code / date / byline
    value: str = ""
    date: DateMention | None = None


def _strip_label(folded: str, labels: list[str]) -> str | None:
    for label in labels:
        if folded == label:
            return ""
        if folded.startswith(label) and (len(folded) == len(label) or not folded[len(label)].isalnum()):
            return folded[len(label) :].lstrip(" :：-–—")
    return None


def _label_split(text: str, folded_rest: str) -> str:
    """The part of the original ``text`` that folds to ``folded_rest`` (what follows a label)."""
    words = text.split()
    for skip in range(len(words) + 1):
        candidate = " ".join(words[skip:])
        if fold(candidate).lstrip(" :：-–—") == folded_rest:
            return candidate.lstrip(" :：-–—")
    return folded_rest


def _classify_meta(text: str, *, tz) -> list[_Meta]:
    """Metadata found on a line (code, dates, byline), or [] for a line that is not metadata.

    A line may carry several fields separated by ``|`` or ``•``; every piece must be metadata,
    except a few short words without digits (a section, the source's name) beside a news code or
    a dated piece: "۰۳ شهریور ۱۳۹۲ | ۱۵:۱۱ کد : ۱۹۲۰۱۱۷ گفتگو خاورمیانه".
    """
    # Fields run together when copied: "... GMT+3:30Updated 2 hours ago", "... [ Last Update: ... ]".
    pieces = [p for p in _META_SEPARATORS.split(_clean(text)) if _clean(p) and _clean(p).strip("[]()")]
    found: list[_Meta] = []
    labels: list[str] = []
    previous_date_piece = ""
    for piece in pieces:
        folded = _folded(piece)
        plain = _plain(folded)
        if match := _NEWS_CODE.match(plain):
            # Kept as printed (Persian digits stay Persian), like every other text on the page.
            printed = next((run for run in re.findall(r"\d{2,}", piece) if fold(run) == match.group(1)), match.group(1))
            found.append(_Meta("code", printed))
            continue
        if match := _NEWS_CODE_THEN_WORDS.match(plain):
            printed = next((run for run in re.findall(r"\d{2,}", piece) if fold(run) == match.group(1)), match.group(1))
            found.append(_Meta("code", printed))
            labels.append(match.group(2))
            continue
        if _VIEW_COUNTER.match(plain):
            found.append(_Meta("noise"))
            continue
        if _TIME_ONLY.match(plain) and found and found[-1].date is not None and previous_date_piece:
            # "۲۱ مرداد ۱۴۰۰ | ۱۶:۲۹": the time of the date before it, in a field of its own.
            joined = f"{previous_date_piece} | {piece.strip()}"
            parsed = parse_printed_datetime(joined, tz=tz)
            if parsed and found[-1].date.moment.hour == 0 and found[-1].date.moment.minute == 0:
                found[-1].date = DateMention(found[-1].date.kind, parsed[1].as_printed, parsed[0], parsed[1].calendar)
                previous_date_piece = ""
                continue
        previous_date_piece = ""
        updated_rest = _strip_label(folded, _UPDATED_LABELS)
        if updated_rest is not None:
            parsed = parse_printed_datetime(_label_split(piece, updated_rest), tz=tz) if updated_rest else None
            if parsed:
                found.append(
                    _Meta("date", date=DateMention("updated", parsed[1].as_printed, parsed[0], parsed[1].calendar))
                )
                continue
            if len(updated_rest.split()) <= MAX_NOISE_WORDS:
                found.append(_Meta("noise"))  # "Updated 2 hours ago": the page's, and no date
                continue
            return []
        published_rest = _strip_label(folded, _PUBLISHED_LABELS)
        if published_rest:
            printed_rest = _label_split(piece, published_rest)
            parsed = parse_printed_datetime(printed_rest, tz=tz)
            if parsed:
                found.append(
                    _Meta("date", date=DateMention("published", parsed[1].as_printed, parsed[0], parsed[1].calendar))
                )
                previous_date_piece = printed_rest
                continue
            return []
        time_rest = _strip_label(folded, _TIME_LABELS)
        if time_rest and _TIME_ONLY.match(_plain(time_rest)):
            found.append(_Meta("time", _label_split(piece, time_rest)))
            continue
        parsed = parse_printed_datetime(piece, tz=tz)
        if parsed:
            found.append(
                _Meta("date", date=DateMention("unlabelled", parsed[1].as_printed, parsed[0], parsed[1].calendar))
            )
            previous_date_piece = piece.strip()
            continue
        labels.append(plain)
    if labels:
        dated = any(m.kind == "code" or (m.date is not None and m.date.kind != "unlabelled") for m in found) or (
            # After the date: "... | 16:29 سرخط اخبار".
            found and found[0].date is not None
        )
        short = all(label and len(label.split()) <= MAX_LABEL_WORDS and not re.search(r"\d", label) for label in labels)
        if not (dated and short):
            return []
    return found


_ARABIC_BLOCK_LEADS = (b"\xd8", b"\xd9", b"\xda", b"\xdb")
_ASCII_LETTERS = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def detect_language(text: str) -> str:
    """Persian, Arabic or English from the script: Persian has پ چ ژ گ ی ک, Arabic ة ي ك ى."""
    persian_only = sum(text.count(ch) for ch in "پچژگ")
    persian = persian_only * 3 + text.count("ی") + text.count("ک") + sum(text.count(ch) for ch in "۰۱۲۳۴۵۶۷۸۹")
    arabic = (
        text.count("ة") * 2
        + text.count("ي")
        + text.count("ك")
        + text.count("ى")
        + sum(text.count(ch) for ch in "٠١٢٣٤٥٦٧٨٩")
    )
    # Counted on the UTF-8 bytes, without a match per letter (a 2 MB page has a million of them):
    # U+0600-U+06FF are the characters whose lead byte is D8-DB; A-Z and a-z are ASCII bytes.
    data = text.encode("utf-8", "surrogatepass")
    arabic_script = sum(data.count(lead) for lead in _ARABIC_BLOCK_LEADS)
    latin = len(data) - len(data.translate(None, _ASCII_LETTERS))
    if arabic_script > latin:
        if persian_only >= 3 or persian > arabic:
            return Language.PERSIAN
        return Language.ARABIC
    if latin:
        return Language.ENGLISH
    return Language.OTHER


@dataclass
class _Candidate:
    text: str
    bold: bool
    heading: int
    container: int


# A line is folded at several steps of parse_lines (markers, metadata, title, body): once per
# text, remembered for the one call (cleared when it returns).
_folded = functools.lru_cache(maxsize=1 << 16)(fold)


def parse_lines(
    lines: list[Line],
    *,
    title: str = "",
    tz=None,
    extra_dates: list[DateMention] | None = None,
    restrict_to_container: bool = False,
) -> ParsedPage:
    """Cut a page (as lines) into title, body paragraphs and metadata. See the module docstring."""
    try:
        return _parse_lines(
            lines, title=title, tz=tz, extra_dates=extra_dates, restrict_to_container=restrict_to_container
        )
    finally:
        _folded.cache_clear()


def _parse_lines(
    lines: list[Line],
    *,
    title: str,
    tz,
    extra_dates: list[DateMention] | None,
    restrict_to_container: bool,
) -> ParsedPage:
    from common.dates import TEHRAN

    tz = tz or TEHRAN
    warnings: list[str] = []
    news_codes: list[str] = []
    dates: list[DateMention] = list(extra_dates or [])

    # 1. Metadata lines anywhere before the tail, and the first content line.
    kinds: list[str] = []  # per line: blank / meta / nav / furniture / end / content
    first_content_seen = False
    for line in lines:
        text = line.text
        if _is_blank(text):
            kinds.append("blank")
            continue
        folded = _folded(text)
        if first_content_seen and _matches_marker(folded, END_MARKERS):
            kinds.append("end")
            break
        metas = _classify_meta(text, tz=tz)
        if metas:
            kinds.append("meta")
            for meta in metas:
                if meta.kind == "code":
                    news_codes.append(meta.value)
                elif meta.kind == "time":
                    _add_time(dates, meta.value, tz=tz)
                elif meta.date is not None:
                    mention = meta.date
                    mention.line = len(kinds) - 1
                    if (
                        mention.kind == "unlabelled"
                        and not first_content_seen
                        and not any(k == "meta" for k in kinds[:-1])
                        and mention.moment.hour == 0
                        and mention.moment.minute == 0
                    ):
                        # A bare date at the very top of the page is the site's "today", not the article's.
                        mention.kind = "today"
                    dates.append(mention)
            continue
        if (
            _matches_marker(folded, INTERIOR_FURNITURE, extra_words=0)
            or _starts_with_any(folded, _CAPTION_PREFIXES)
            or _starts_with_any(folded, _POINTER_PREFIXES)
            or _READING_TIME.match(_plain(folded))
        ):
            kinds.append("furniture")
            continue
        if _is_navigation(text, folded):
            kinds.append("nav")
            continue
        if _starts_with_any(folded, _BYLINE_PREFIXES) and len(folded.split()) <= MAX_BYLINE_WORDS:
            kinds.append("meta")  # "By Maziar Motamedi", "نویسنده: ..."
            continue
        if not first_content_seen and (mention := _date_opening_text(text, tz=tz)):
            # "date 2025-03-12 Speaking on the sidelines ...": the label and date run into the text.
            mention.line = len(kinds)
            dates.append(mention)
        kinds.append("content")
        first_content_seen = True
    lines = lines[: len(kinds)]
    if kinds and kinds[-1] == "end":
        lines, kinds = lines[:-1], kinds[:-1]

    content = [(i, line) for i, line in enumerate(lines) if kinds[i] == "content"]
    if restrict_to_container:
        containers: dict[int, int] = {}
        for _, line in content:
            if line.container >= 0:
                containers[line.container] = containers.get(line.container, 0) + len(line.text)
        if containers:
            best = max(containers, key=containers.get)
            content = [(i, line) for i, line in content if line.container == best or line.heading == 1]

    # 2. Title: given (HTML heading), or the first headline-like line above the first paragraph.
    folded_title = fold(title) if title else ""
    texts = [_clean(line.text) for _, line in content]
    title_index = None
    given_title = title
    if title:
        # The heading as printed; a page title that is not printed as such (og:title only) still
        # leaves the headline heuristic below to find where the text starts.
        title_index = next((i for i, text in enumerate(texts) if _folded(text) == folded_title), None)
    if title_index is None:
        header = []
        for position, text in enumerate(texts):
            if _is_paragraph(text):
                break
            header.append(position)
        headlines = [p for p in header if _word_count(texts[p]) >= MIN_TITLE_WORDS and texts[p][-1:] not in ".!"]
        if headlines:
            title_index = headlines[0]
        elif header:
            # Only short lines above the text: the longest is the headline (ties: the nearest to the text).
            title_index = max(header, key=lambda p: (_word_count(texts[p]), p))
        if given_title:
            pass
        elif title_index is not None:
            title = texts[title_index]
            folded_title = fold(title)
        elif texts:
            # No separate title line: the page starts with its text; the first sentence names it.
            title = _first_sentence(texts[0])
    if title_index is not None:
        _date_above_headline(dates, kinds, headline_line=content[title_index][0])
    first_body = title_index + 1 if title_index is not None else 0
    body_lines = [line for _, line in content[first_body:] if _folded(_clean(line.text)) != folded_title]
    body_lines = _drop_trailing_headlines(_drop_leading_bylines(body_lines))

    # 3. Body: paragraphs as printed, offsets kept.
    paragraphs: list[Paragraph] = []
    offset = 0
    for line in body_lines:
        text = _clean(line.text)
        if paragraphs:
            offset += len(PARAGRAPH_SEPARATOR)
        paragraphs.append(Paragraph(text=text, start=offset, end=offset + len(text), bold=line.bold))
        offset += len(text)
    body = PARAGRAPH_SEPARATOR.join(p.text for p in paragraphs)

    page = ParsedPage(
        title=_clean(title)[:MAX_TITLE_LENGTH],
        lead=paragraphs[0].text if paragraphs else "",
        body=body,
        paragraphs=paragraphs,
        language=detect_language(body or title),
        news_code=news_codes[0] if news_codes else "",
        dates=dates,
        warnings=warnings,
    )
    if len({fold(code) for code in news_codes}) > 1:
        warnings.append(
            _("The page prints several news codes (%(codes)s); the first was kept.")
            % {"codes": ", ".join(dict.fromkeys(news_codes))}
        )
    _choose_publication_date(page)
    return page


def _word_count(text: str) -> int:
    return len(_WORD.findall(text))


def _is_paragraph(text: str) -> bool:
    """A line of running text rather than a headline or a menu."""
    words = _word_count(text)
    return (
        words > MAX_TITLE_WORDS
        or len(text) > MAX_TITLE_LENGTH
        or (words >= MIN_PARAGRAPH_WORDS and text[-1:] in '.!؟?»"”')
    )


def _first_sentence(text: str) -> str:
    match = re.search(r"[.!?؟](?:\s|$)", text)
    sentence = text[: match.start() + 1] if match and match.start() < 300 else text[:300]
    return _clean(sentence)


def _drop_trailing_headlines(lines: list[Line]) -> list[Line]:
    """A run of headline-like lines at the end (no sentence ends, short): other stories' titles.

    Also one long last line without a single full stop: headlines run together when copied
    (the end of the seed page, if the share widget above it was not copied).
    """
    if len(lines) > 1:
        last = _clean(lines[-1].text)
        if _word_count(last) >= MIN_RUN_ON_WORDS and "." not in last and last[-1:] not in '.!؟?»"”':
            lines = lines[:-1]
    run = 0
    for line in reversed(lines):
        text = _clean(line.text)
        if _word_count(text) > MAX_TITLE_WORDS or text[-1:] in '.!؟?»"”:؛' or text[:1] in "*-–•■▪◾●":
            break  # a sentence, or an item of the article's own list
        run += 1
    if run >= MIN_HEADLINE_RUN and run < len(lines):
        return lines[:-run]
    return lines


def _drop_leading_bylines(lines: list[Line]) -> list[Line]:
    kept = list(lines)
    while kept:
        folded = fold(_clean(kept[0].text))
        if _starts_with_any(folded, _BYLINE_PREFIXES) and len(folded.split()) <= 12:
            kept.pop(0)
            continue
        break
    return kept


def _date_opening_text(text: str, *, tz) -> DateMention | None:
    """A publication label and a full date at the start of a line of text, or None."""
    folded = fold(_clean(text))
    rest = _strip_label(folded, _PUBLISHED_LABELS)
    if not rest:
        return None
    words = _label_split(_clean(text), rest).split()
    for count in range(min(len(words) - 1, MAX_DATE_WORDS), 0, -1):
        parsed = parse_printed_datetime(" ".join(words[:count]), tz=tz)
        if parsed and parsed[1].precision == "day":
            return DateMention("published", parsed[1].as_printed, parsed[0], parsed[1].calendar)
    return None


def _add_time(dates: list[DateMention], printed: str, *, tz) -> None:
    """A time printed on the line under the publication date (without a time) belongs to it."""
    if not dates or dates[-1].kind not in ("published", "unlabelled"):
        return
    mention = dates[-1]
    if mention.moment.hour or mention.moment.minute:
        return
    parsed = parse_printed_datetime(f"{mention.as_printed} {printed}", tz=tz)
    if parsed:
        mention.moment, mention.as_printed = parsed[0], f"{mention.as_printed} {printed}"


def _date_above_headline(dates: list[DateMention], kinds: list[str], *, headline_line: int) -> None:
    """A bare date at the top that stands right above the headline, with no other date on the page,
    is the article's (a blog's or a transcript's date line), not a header clock."""
    if any(d.kind in ("published", "unlabelled", "meta") for d in dates):
        return
    for mention in dates:
        if mention.kind == "today" and 0 <= mention.line < headline_line:
            if all(kind == "blank" for kind in kinds[mention.line + 1 : headline_line]):
                mention.kind = "unlabelled"
            return


def _choose_publication_date(page: ParsedPage) -> None:
    """The labelled publication date wins; "updated" and today's-date lines never do."""
    published = [d for d in page.dates if d.kind == "published"]
    unlabelled = [d for d in page.dates if d.kind == "unlabelled"]
    meta = [d for d in page.dates if d.kind == "meta"]
    updated = [d for d in page.dates if d.kind == "updated"]
    today = [d for d in page.dates if d.kind == "today"]
    chosen = (published or unlabelled or meta or [None])[0]
    if chosen is not None and not (chosen.moment.hour or chosen.moment.minute):
        # The same day printed again with its time ("date 2018-09-05" … "September 5, 2018 / 6:14 PM").
        chosen = next(
            (
                d
                for d in published + unlabelled
                if (d.moment.hour or d.moment.minute) and d.moment.date() == chosen.moment.date()
            ),
            chosen,
        )
    if chosen is None:
        if today or updated:
            page.warnings.append(
                _(
                    "No publication date is printed; the only dates are the page's own (today's date or "
                    "“last updated”), which are not the article's."
                )
            )
        else:
            page.warnings.append(_("No publication date is printed on the page."))
        return
    page.published_at = chosen.moment
    page.published_as_printed = chosen.as_printed[:200]
    page.published_calendar = chosen.calendar
    for other in published + unlabelled + meta:
        if other is chosen:
            continue
        same_day_only = (
            other.moment.hour == 0
            and other.moment.minute == 0
            or (chosen.moment.hour == 0 and chosen.moment.minute == 0)
        )
        difference = abs(other.moment - chosen.moment)
        if (
            same_day_only and other.moment.date() != chosen.moment.date() and difference > datetime.timedelta(days=1)
        ) or (not same_day_only and difference > DATE_CONFLICT_TOLERANCE):
            page.warnings.append(
                _(
                    "Conflicting dates on the page: “%(chosen)s” was taken as the publication date, but the page "
                    "also prints “%(other)s”."
                )
                % {"chosen": chosen.as_printed, "other": other.as_printed}
            )
    for later in updated:
        if later.moment < chosen.moment - DATE_CONFLICT_TOLERANCE:
            page.warnings.append(
                _("The page says it was updated (“%(updated)s”) before it was published (“%(published)s”).")
                % {"updated": later.as_printed, "published": chosen.as_printed}
            )
    for day in today:
        if day.moment.date() < chosen.moment.date():
            page.warnings.append(
                _("The publication date “%(published)s” is later than the page's own date “%(today)s”.")
                % {"published": chosen.as_printed, "today": day.as_printed}
            )
