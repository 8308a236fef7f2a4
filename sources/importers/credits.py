"""Phrases that credit an upstream outlet or name the venue of the words (text only, no database).

- Upstream credit: ``به گزارش خبرآنلاین``, ``به نقل از``, ``نقلا عن`` / ``نقلاً عن``, ``بحسب``,
  ``according to Reuters``, the ``(Reuters) -`` dateline.
- Venue: ``در مصاحبه با شبکه الجزیره``, ``في مقابلة مع قناة الجزيرة``, ``in an interview with Al
  Jazeera``, ``told Reuters``, and the kinds without an outlet (press conference, speech, social
  post, written statement).

Each function returns the phrase as printed; ``importers.matching`` finds the outlet inside it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from claims.choices import VenueKind

_Z = "[\\s\u200c]*"
_NAME = r"(?P<name>[^،,.:؛;\n«»\"“”()]{2,80})"


@dataclass
class CreditPhrase:
    position: int
    name: str
    strong: bool  # an explicit credit: keep the printed name even when no outlet matches


_UPSTREAM_PATTERNS = [
    (re.compile(r"(?<![\w])به" + _Z + r"گزارش\s+" + _NAME), True),
    (re.compile(r"(?<![\w])به" + _Z + r"نقل\s+از\s+" + _NAME), True),
    (re.compile(r"(?m)^(?:منبع|منبع خبر|المصدر|Source)\s*[:：]\s*" + _NAME), True),
    (re.compile(r"(?<![\w])(?:نقلا|نقلاً|نقلًا|نقلا)\s+عن\s+" + _NAME), True),
    (
        re.compile(
            r"(?<![\w])(?:بحسب|حسب|وفقا\s*ل|وفقاً\s*ل|وفق)(?:ـ)?\s*(?:ما\s+(?:ذكرت|أوردت|نقلت|أفادت)\s+)?" + _NAME
        ),
        False,
    ),
    (
        re.compile(
            r"(?<![\w])(?:ذكرت|أفادت|أوردت|نقلت)\s+(?P<name>(?:وكالة|وكالات|صحيفة|قناة|شبكة|موقع)\s+[^،,.:\n]{2,60})"
        ),
        True,
    ),
    (re.compile(r"\b[Aa]ccording to (?:a report (?:by|from|in) |the )?(?P<name>[^,.;:\n\"“”()]{2,60})"), False),
    (re.compile(r"\b[Aa]s reported by (?P<name>[^,.;:\n]{2,60})"), False),
    (re.compile(r"\((?P<name>[A-Z][A-Za-z.&' ]{1,30})\)\s*[-–—]"), True),
    (re.compile(r"\b(?P<name>[A-Z][\w.&'’ ]{1,40}?) (?:reported|news agency reported)\b"), False),
]
# A credit to the page's own reporter is no upstream: "به گزارش خبرنگار ما".
_OWN_REPORTER = re.compile(r"^(?:خبرنگار|گزارشگر|مراسل|مراسلنا|our correspondent|our reporter)", re.IGNORECASE)


def find_credits(text: str) -> list[CreditPhrase]:
    """Upstream-credit phrases in reading order."""
    found = []
    for pattern, strong in _UPSTREAM_PATTERNS:
        for match in pattern.finditer(text):
            name = match.group("name").strip()
            found.append(
                CreditPhrase(position=match.start(), name=name, strong=strong and not _OWN_REPORTER.match(name))
            )
    found.sort(key=lambda c: c.position)
    return found


def printed_outlet_name(phrase: str) -> str:
    """The outlet's name as printed, from a credit phrase: at most five words, up to a new clause."""
    phrase = re.split(r"\s(?:به" + _Z + r"نقل|و\s|در\s|from|in|on)\s", phrase, maxsplit=1)[0]
    return " ".join(phrase.split()[:5]).strip(" -–—")


_TOLD = re.compile(r"\b(?:told|speaking to|spoke to|talking to|in comments to) (?P<name>[A-Z][^,.;:\n\"“”]{1,60})")
_INTERVIEW_WITH = [
    re.compile(
        r"(?:در|طی)\s+(?:یک\s+)?(?:مصاحبه|گفتگو|گفتوگو|گفت" + _Z + r"وگو)(?:" + _Z + r"(?:ای|ی))?\s+"
        r"(?:(?:اختصاصی|تلویزیونی|زنده|رادیویی|ویژه)\s+)?با\s+" + _NAME
    ),
    re.compile(
        r"(?:في|خلال)\s+(?:مقابلة|حوار|حديث|لقاء)(?:\s+(?:خاصة|خاص|حصرية|تلفزيونية|صحفية))?\s+(?:مع|ل|لـ)\s*" + _NAME
    ),
    re.compile(r"(?<![\w])(?:ل|لـ)(?P<name>(?:قناة|صحيفة|وكالة|شبكة|موقع|تلفزيون)\s+[^،,.:\n«»]{2,60})"),
    re.compile(
        r"\b[Ii]n an? (?:exclusive |televised |TV |tv |television |recorded |live )?interview (?:with|on|to|for) "
        + _NAME
    ),
    re.compile(r"(?<![\w])أجرت\s+(?P<name>[^،,.:\n«»]{2,60}?)\s+(?:حوارا|حوارًا|مقابلة|لقاء)"),
    re.compile(r"\b[Ii]nterviewed by (?P<name>[^,.;:\n]{2,60})"),
    _TOLD,
    re.compile(
        r"(?<![\w])به\s+(?P<name>(?:شبکه|خبرگزاری|روزنامه|تلویزیون|پایگاه)\s+[^،,.:\n«»]{2,40}?)\s+(?:گفت|اظهار)"
    ),
]
_VENUE_KINDS = [
    (
        VenueKind.INTERVIEW,
        re.compile(r"مصاحبه|گفتگو|گفتوگو|گفت[\s\u200c]وگو|مقابلة|حوار صحفي|\binterview", re.IGNORECASE),
    ),
    (
        VenueKind.PRESS_CONFERENCE,
        re.compile(
            r"نشست" + _Z + r"(?:خبری|مطبوعاتی|هفتگی)|کنفرانس" + _Z + r"(?:خبری|مطبوعاتی)|مؤتمر\s+صحا?في|"
            r"المؤتمر\s+الصحا?في|\b(?:press|news) (?:conference|briefing)|\btold (?:reporters|journalists)|"
            r"به" + _Z + r"خبرنگاران|للصحفيين|للصحافيين",
            re.IGNORECASE,
        ),
    ),
    (
        VenueKind.SOCIAL_POST,
        re.compile(
            r"صفحه" + _Z + r"(?:شخصی|ایکس|توییتر|اینستاگرام)|حساب" + _Z + r"(?:کاربری|رسمی)|توییت|پیامی در|"
            r"تغريدة|منشور|عبر\s+(?:منصة|حسابه)|"
            r"\b(?:on|in a post on) (?:X|Twitter|Telegram|Instagram|Facebook)\b|\btweet",
        ),
    ),
    (VenueKind.SPEECH, re.compile(r"سخنرانی|خطبه|در جمع|خطاب|خطبة|في كلمة|\bspeech\b|\baddressing\b", re.IGNORECASE)),
    (
        VenueKind.WRITTEN_STATEMENT,
        re.compile(r"بیانیه|في بيان|\bin a (?:written )?statement\b|\bstatement\b", re.IGNORECASE),
    ),
]


_REPORTERS = re.compile(
    r"^(?:خبرنگاران|اصحاب رسانه|رسانه ها|الصحفيين|الصحافيين|وسائل الإعلام|reporters|journalists|the press|"
    r"the media)(?:\s|$)",
    re.IGNORECASE,
)


@dataclass
class VenuePhrase:
    kind: str
    name: str  # the outlet as printed, when the text names one ("" otherwise)
    outlet_required: bool = False  # "told X" is an interview only when X is an outlet


def find_venue(text: str) -> VenuePhrase | None:
    """The venue the text names, if any (the first interview-with phrase wins)."""
    for pattern in _INTERVIEW_WITH:
        if match := pattern.search(text):
            name = match.group("name").strip()
            if _REPORTERS.match(name):
                # "در گفتگو با خبرنگاران", "told reporters": remarks to the press, not an interview.
                return VenuePhrase(VenueKind.PRESS_CONFERENCE, "")
            return VenuePhrase(VenueKind.INTERVIEW, name, outlet_required=pattern is _TOLD)
    for kind, pattern in _VENUE_KINDS:
        if pattern.search(text):
            return VenuePhrase(kind, "")
    return None
