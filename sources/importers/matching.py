"""Suggestions from the database: officials, outlets and topics named in a page.

Everything is matched on the folded form (``common.text.fold``), so a name typed in one script or
spelling meets its aliases in the others: ``OfficialAlias.normalized`` and
``OutletAlias.normalized`` are the SQL twin of the same fold. A page is cut into folded words;
every run of up to a few words is a candidate name, and one query per table fetches the aliases
among the candidates (an indexed ``= ANY(array)``), so the cost does not grow with the size of
the reference tables.

A name that belongs to two officials is ambiguous: it is never attached to either (the name as
printed is kept for the curator). Topics are few enough (hundreds) to match in Python, with
looser rules (prefixes, Persian plural and ezafe, Arabic clitics, the linking و of گفت‌وگو).
"""

from __future__ import annotations

import datetime
import functools
import re
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import F, Func, Q, TextField, Value
from django.db.models.expressions import RawSQL

from claims.models import Official, OfficialAlias, Position, Topic
from common.expressions import Fold
from common.text import fold, fold_joined
from sources.models import Outlet, OutletAlias

MAX_NAME_WORDS = 6
MAX_TITLE_WORDS = 9
# Arabic proclitics written onto the next word (و, ف, ب, ل): وظريف, والجزيرة, لقناة.
_CLITICS = ("و", "ف", "ب", "ل")
_EDGE_PUNCTUATION = " .,،؛;:!?؟«»\"“”'‘’()[]{}<>*/\\|…-–—"
_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")

PERSIAN_STOP_WORDS = {
    fold(w)
    for w in (
        "در",
        "روز",
        "امروز",
        "دیروز",
        "امشب",
        "صبح",
        "عصر",
        "شب",
        "بامداد",
        "ظهر",
        "با",
        "طی",
        "ضمن",
        "پس",
        "پیش",
        "هم",
        "نیز",
        "به",
        "درباره",
        "دربارهٔ",
        "که",
        "از",
        "برای",
        "بعد",
        "قبل",
        "همچنین",
        "سپس",
        "اخیرا",
        "اخیراً",
        # No على: it folds to علی, the name Ali.
        "في",
        "خلال",
        "لدى",
        "عبر",
        "اليوم",
        "يوم",
        "أمس",
        "مساء",
        "صباح",
        "مع",
        "إلى",
        "عن",
        "بعد",
        "قبل",
        "أثناء",
        "حيث",
        "كما",
        "ايضا",
        "أيضا",
    )
}
_ENGLISH_CONNECTORS = {"al", "al-", "bin", "ibn", "bint", "de", "van", "von", "el", "el-", "abu", "abdul", "le", "la"}
_ENGLISH_DETERMINERS = {"the", "a", "an", "iran's", "iranian", "his", "her", "its", "their"}


# The helpers below are pure functions of one word, called for every word of a page: a page
# repeats its few thousand distinct words, so each is computed once per word and remembered.
_WORD_CACHE = 1 << 16


@functools.lru_cache(maxsize=_WORD_CACHE)
def _strip_token(token: str) -> str:
    token = token.strip(_EDGE_PUNCTUATION)
    return _POSSESSIVE.sub("", token) if "a" <= token[:1] <= "z" else token


def tokens(text: str, *, joined: bool = False) -> list[str]:
    """Folded words of ``text`` without the punctuation around them."""
    folded = fold_joined(text) if joined else fold(text)
    return [t for t in (_strip_token(raw) for raw in folded.split(" ")) if t]


@functools.lru_cache(maxsize=_WORD_CACHE)
def _alternatives(token: str) -> tuple[str, ...]:
    forms = [token]
    if len(token) > 3 and token[0] in _CLITICS and not token.isascii():
        forms.append(token[1:])
        if token.startswith("لل"):
            forms.append("ال" + token[2:])
    return tuple(forms)


@functools.lru_cache(maxsize=_WORD_CACHE)
def _without_article(token: str) -> tuple[str, ...]:
    """Topic matching also ignores the Arabic article: والحوثيين, الحوثيين and حوثيين meet."""
    forms = []
    for form in _alternatives(token):
        forms.append(form)
        if len(form) > 4 and form.startswith("ال") and not form.isascii():
            forms.append(form[2:])
    return tuple(forms)


def ngrams(words: list[str], max_words: int) -> set[str]:
    grams = set()
    for index in range(len(words)):
        for first in _alternatives(words[index]):
            for size in range(1, min(max_words, len(words) - index) + 1):
                grams.add(" ".join([first, *words[index + 1 : index + size]]))
    return grams


@dataclass
class Mention:
    index: int
    size: int
    key: str
    values: frozenset


def find_mentions(words: list[str], table: dict[str, set], max_words: int) -> list[Mention]:
    """Longest non-overlapping runs of ``words`` that are keys of ``table``, in reading order."""
    found: list[Mention] = []
    # A run can only be a key if its first word starts one: other words are passed over at once.
    firsts = {key.split(" ", 1)[0] for key in table}
    index = 0
    while index < len(words):
        if not any(first in firsts for first in _alternatives(words[index])):
            index += 1
            continue
        hit = None
        for size in range(min(max_words, len(words) - index), 0, -1):
            for first in _alternatives(words[index]):
                key = " ".join([first, *words[index + 1 : index + size]])
                if key in table:
                    hit = Mention(index, size, key, frozenset(table[key]))
                    break
            if hit:
                break
        if hit:
            found.append(hit)
            index += hit.size
        else:
            index += 1
    return found


_SEPARATOR = "\x1f"


def _any_of(values) -> RawSQL:
    # One text parameter split by the server, instead of one parameter per candidate (a long page
    # has thousands) or a driver-side array (slow to serialise).
    joined = _SEPARATOR.join(sorted(v for v in values if _SEPARATOR not in v))
    return RawSQL("SELECT unnest(string_to_array(%s, E'\\x1f'))", [joined])


def _first_word(expression) -> Func:
    """The first word of a folded name (``split_part(name, ' ', 1)``)."""
    if isinstance(expression, str):
        expression = F(expression)
    return Func(expression, Value(" "), Value(1), function="split_part", output_field=TextField())


class _Runs:
    """Membership in ``ngrams(words, max_words)`` for the given ``keys`` only.

    Only the runs that start with the first word of one of ``keys`` are built (where a known name
    may begin); any other run could never equal a key. Linear in the page.
    """

    def __init__(self, word_lists: list[list[str]], max_words: int, keys: set[str]):
        firsts = {key.split(" ", 1)[0] for key in keys}
        self._runs: set[str] = set()
        for words in word_lists:
            for index, word in enumerate(words):
                for first in _alternatives(word):
                    if first not in firsts:
                        continue
                    for size in range(1, min(max_words, len(words) - index) + 1):
                        self._runs.add(" ".join([first, *words[index + 1 : index + size]]))

    def __contains__(self, key: str) -> bool:
        return key in self._runs


@dataclass
class Speaker:
    """Who a statement is attributed to: an official, or only the name as printed."""

    official_id: int | None
    name_as_printed: str
    how: str  # alias / position / ambiguous / unknown / previous


# -- topics -----------------------------------------------------------------------------------

_PERSIAN_SUFFIX_WORDS = {"ها", "های", "هایی", "ای", "ی"}
# Endings a keyword may carry in running text (folded): Persian plural, ezafe and pronoun
# suffixes, Arabic plural and nisba endings, English plural and demonym endings.
_INFLECTIONS = {
    "",
    "ها",
    "های",
    "هایی",
    "ی",
    "ای",
    "ان",
    "ات",
    "یی",
    "اش",
    "شان",
    "مان",
    "تان",
    "یان",
    "ین",
    "ون",
    "یه",
    "یون",
    "یین",
    "ه",
    "s",
    "es",
    "'s",
    "’s",
    "n",
    "an",
    "ans",
    "ian",
    "ians",
    "ese",
    "i",
    "is",
}
# Compounds written with or without their linking و (گفت‌وگو, گفتوگو, گفتگو), folded to one form.
_LINKED_COMPOUNDS = {
    "گفتوگو": "گفتگو",
    "جستوجو": "جستجو",
    "پرسوجو": "پرسجو",
    "شستوشو": "شستشو",
    "گفتوشنود": "گفتشنود",
    "رفتوامد": "رفتامد",
}


@functools.lru_cache(maxsize=_WORD_CACHE)
def _unlink_vav(word: str) -> str:
    for linked, plain in _LINKED_COMPOUNDS.items():
        if linked in word:
            word = word.replace(linked, plain)
    return word


def _stems(word: str) -> frozenset[str]:
    """The forms a keyword word may take before an inflection (حوثی‌ها → حوثی, Houthis → Houthi)."""
    stems = {word}
    if word.isascii():
        if len(word) >= 4 and word.endswith("s") and not word.endswith("ss"):
            stems.add(word[:-1])
        return frozenset(stems)
    if len(word) >= 5 and word.startswith("ال"):
        stems.add(word[2:])  # Arabic article
    for base in list(stems):
        if len(base) >= 5 and base.endswith(("یون", "یین")):
            stems.add(base[:-2])  # الحوثيون → حوثی
        elif len(base) >= 5 and base.endswith(("ون", "ین", "ات")):
            stems.add(base[:-2])
        if len(base) >= 5 and base.endswith("های"):
            stems.add(base[:-3])
        elif len(base) >= 5 and base.endswith("ها"):
            stems.add(base[:-2])
        if len(base) >= 5 and base.endswith("ی"):
            stems.add(base[:-1])  # ezafe: گفتگوی غیرمستقیم
    return frozenset(stems)


def _keyword_words(phrase: str) -> list[frozenset[str]]:
    words = [_unlink_vav(w) for w in tokens(phrase)]
    while len(words) > 1 and words[-1] in _PERSIAN_SUFFIX_WORDS:
        words.pop()
    return [_stems(word) for word in words]


class TopicMatcher:
    """Topics whose keywords, names or aliases occur in a text (folded, inflection-tolerant)."""

    def __init__(self, topics: list[Topic]):
        self.names: dict[int, str] = {}
        self._index: dict[str, list[tuple[int, tuple[frozenset[str], ...]]]] = {}
        # The keywords that may start at a word, per word of the texts matched so far.
        self._candidates: dict[str, tuple] = {}
        for topic in topics:
            self.names[topic.pk] = topic.name
            for phrase in {topic.name, topic.name_fa, topic.name_ar, *(topic.keywords or [])}:
                if not phrase or not phrase.strip():
                    continue
                for variant in {phrase, phrase.replace("\u200c", "")}:
                    words = tuple(_keyword_words(variant))
                    if not words or not any(len(stem) >= 2 for stem in words[0]):
                        continue
                    for key in {stem[:3] for stem in words[0]}:
                        self._index.setdefault(key, []).append((topic.pk, words))

    @staticmethod
    @functools.lru_cache(maxsize=_WORD_CACHE)
    def _word_matches(text_word: str, stems: frozenset[str]) -> bool:
        # The keyword, or the keyword with an inflection: حوثی → حوثیها, Houthi → Houthis, but
        # not هسته → هستند.
        for form in _without_article(text_word):
            for stem in stems:
                if len(stem) <= 2:
                    if form == stem:
                        return True
                elif form.startswith(stem) and form[len(stem) :] in _INFLECTIONS:
                    return True
        return False

    def match(self, text: str) -> set[int]:
        found: set[int] = set()
        for joined in (False, True):
            words = [_unlink_vav(w) for w in tokens(text, joined=joined)]
            for index, word in enumerate(words):
                candidates = self._candidates.get(word)
                if candidates is None:
                    candidates = self._candidates[word] = tuple(
                        {entry for form in _without_article(word) for entry in self._index.get(form[:3], ())}
                    )
                for topic_id, keyword in candidates:
                    if topic_id in found or index + len(keyword) > len(words):
                        continue
                    if all(self._word_matches(words[index + k], keyword[k]) for k in range(len(keyword))):
                        found.add(topic_id)
        return found


# -- the lexicon of one page ------------------------------------------------------------------


@dataclass
class Lexicon:
    """The reference rows a page's words can refer to, fetched in a few queries."""

    on_date: datetime.date | None
    official_names: dict[str, set[int]] = field(default_factory=dict)
    officials: dict[int, str] = field(default_factory=dict)
    outlet_names: dict[str, set[int]] = field(default_factory=dict)
    outlets: dict[int, Outlet] = field(default_factory=dict)
    position_titles: dict[str, set[int]] = field(default_factory=dict)
    held_positions: dict[int, str] = field(default_factory=dict)
    topics: TopicMatcher | None = None

    @classmethod
    def load(cls, *, texts: list[str], on_date: datetime.date | None) -> Lexicon:
        # The page's vocabulary goes to the database, not every run of up to nine of its words: a
        # 2 MB page has millions of such runs (hundreds of MB to build and send), and a few thousand
        # distinct words. The names whose first word is on the page come back, and only those whose
        # every word is there, in order, are kept: the same names as matching every run.
        lexicon = cls(on_date=on_date)
        words = [tokens(text) for text in texts]
        vocabulary = {form for page_words in words for word in page_words for form in _alternatives(word)}
        if vocabulary:
            aliases = list(
                OfficialAlias.objects.annotate(first_word=_first_word("normalized"))
                .filter(first_word__in=_any_of(vocabulary))
                .values_list("normalized", "official_id")
            )
            outlet_aliases = list(
                OutletAlias.objects.annotate(first_word=_first_word("normalized"))
                .filter(first_word__in=_any_of(vocabulary))
                .values_list("normalized", "outlet_id")
            )
            # Outlets are few: their own names count as aliases too.
            outlets = list(
                Outlet.objects.annotate(folded_name=Fold("name"), folded_native=Fold("name_native"))
                .annotate(first_name=_first_word("folded_name"), first_native=_first_word("folded_native"))
                .filter(Q(first_name__in=_any_of(vocabulary)) | Q(first_native__in=_any_of(vocabulary)))
            )
            names = _Runs(
                words,
                MAX_NAME_WORDS,
                {key for key, _ in aliases + outlet_aliases}
                | {key for outlet in outlets for key in (outlet.folded_name, outlet.folded_native)},
            )
            for normalized, official_id in aliases:
                if normalized in names:
                    lexicon.official_names.setdefault(normalized, set()).add(official_id)
            for normalized, outlet_id in outlet_aliases:
                if normalized in names:
                    lexicon.outlet_names.setdefault(normalized, set()).add(outlet_id)
            for outlet in outlets:
                for key in (outlet.folded_name, outlet.folded_native):
                    if key in names:
                        lexicon.outlet_names.setdefault(key, set()).add(outlet.pk)
            held = (
                Position.objects.annotate(folded_title=Fold("title"), folded_native=Fold("title_native"))
                .annotate(first_title=_first_word("folded_title"), first_native=_first_word("folded_native"))
                .filter(Q(first_title__in=_any_of(vocabulary)) | Q(first_native__in=_any_of(vocabulary)))
            )
            if on_date:
                held = held.filter(Q(start_date__isnull=True) | Q(start_date__lte=on_date)).filter(
                    Q(end_date__isnull=True) | Q(end_date__gte=on_date)
                )
            held = list(held.values_list("folded_title", "folded_native", "official_id"))
            titles = _Runs(words, MAX_TITLE_WORDS, {key for row in held for key in row[:2] if key})
            for folded_title, folded_native, official_id in held:
                for key in (folded_title, folded_native):
                    if key and key in titles:
                        lexicon.position_titles.setdefault(key, set()).add(official_id)
        lexicon.topics = TopicMatcher(list(Topic.objects.only("id", "name", "name_fa", "name_ar", "keywords")))
        return lexicon

    def load_details(self, official_ids: set[int], outlet_ids: set[int]) -> None:
        """Display names of the officials and outlets found, and the post each held on the date."""
        if official_ids:
            self.officials.update(Official.objects.filter(pk__in=official_ids).values_list("pk", "display_name"))
            held = Position.objects.filter(official_id__in=official_ids).order_by("official_id", "-start_date", "-id")
            if self.on_date:
                held = held.filter(Q(start_date__isnull=True) | Q(start_date__lte=self.on_date)).filter(
                    Q(end_date__isnull=True) | Q(end_date__gte=self.on_date)
                )
            for official_id, title in held.values_list("official_id", "title"):
                self.held_positions.setdefault(official_id, title)
        missing = outlet_ids - set(self.outlets)
        if missing:
            self.outlets.update(Outlet.objects.in_bulk(missing))

    # -- lookups ------------------------------------------------------------------------------

    def official_mentions(self, text: str) -> list[Mention]:
        return find_mentions(tokens(text), self.official_names, MAX_NAME_WORDS)

    def outlet_in(self, phrase: str, *, exclude: int | None = None) -> int | None:
        """The first outlet named in ``phrase`` (unambiguous), other than ``exclude``."""
        for mention in find_mentions(tokens(phrase), self.outlet_names, MAX_NAME_WORDS):
            candidates = set(mention.values) - {exclude}
            if len(mention.values) == 1 and candidates:
                return next(iter(candidates))
            if len(mention.values) == 1 and not candidates:
                return exclude
        return None

    def surnames(self) -> dict[str, set[int]]:
        """Last words of the multi-word aliases found on the page: "عراقجي" after "عباس عراقجي"."""
        table: dict[str, set[int]] = {}
        for alias, official_ids in self.official_names.items():
            words = alias.split(" ")
            if len(words) > 1 and len(words[-1]) >= 3:
                table.setdefault(words[-1], set()).update(official_ids)
        return table

    def resolve(self, subject: str, *, language: str) -> Speaker | None:
        """The speaker named by ``subject``; None when it names nobody (a pronoun, "in reply he said")."""
        printed = printed_name(subject, language=language)
        mentions = self.official_mentions(subject) or find_mentions(tokens(printed), self.surnames(), 1)
        for mention in mentions:
            if len(mention.values) == 1:
                return Speaker(next(iter(mention.values)), printed or subject.strip(), "alias")
            return Speaker(None, printed or subject.strip(), "ambiguous")
        title_words = tokens(printed or subject)
        for mention in find_mentions(title_words, self.position_titles, MAX_TITLE_WORDS):
            # Only a bare title ("رئیس شورای راهبردی روابط خارجی", "Iran's foreign minister") stands
            # for its holder: a title with a name we do not know is that unknown person.
            if mention.index <= 1 and len(title_words) - mention.size <= 1 and len(mention.values) == 1:
                return Speaker(next(iter(mention.values)), printed, "position")
        if not printed:
            return None
        return Speaker(None, printed, "unknown")


def printed_name(subject: str, *, language: str) -> str:
    """The speaker's name as printed, cut out of the words before (or after) a speech verb.

    Persian and Arabic: the first comma-separated clause that does not open with a preposition or
    a connective ("در همین حال، ناصر کنعانی سخنگوی ... در نشست خبری" → "ناصر کنعانی سخنگوی ..."),
    cut before its first adverbial word. '' when every clause opens that way ("در پاسخ به سوالی
    گفت"): the sentence has no subject of its own.
    """
    subject = re.sub(r"^\s*به[\s\u200c]*گزارش[^،,]*[،,]\s*", "", subject or "").strip(" ،,:")
    if not subject:
        return ""
    if re.search(r"[A-Za-z]", subject) and not re.search(r"[\u0600-\u06ff]", subject):
        return _english_name(subject)
    for segment in re.split(r"[،,]", subject):
        words = segment.split()
        if not words or fold(words[0]) in PERSIAN_STOP_WORDS:
            continue
        kept = []
        for position, word in enumerate(words):
            if position and fold(word) in PERSIAN_STOP_WORDS:
                break
            kept.append(word)
        return " ".join(kept[:8]).strip(' «»"“”')
    return ""


def _capitalised_runs(clause: str) -> list[list[str]]:
    runs: list[list[str]] = []
    current: list[str] = []
    for word in clause.split():
        bare = word.strip('"“”()')
        if bare[:1].isupper() or (current and bare.lower() in _ENGLISH_CONNECTORS):
            current.append(bare)
        else:
            if current:
                runs.append(current)
            current = []
    if current:
        runs.append(current)
    # A lone "The", "Iranian" or possessive ("Iran’s") describes the speaker; it does not name them.
    return [
        run
        for run in runs
        if not (
            len(run) == 1
            and (run[0].lower().replace("’", "'") in _ENGLISH_DETERMINERS or run[0].endswith(("'s", "’s")))
        )
    ]


def _english_name(subject: str) -> str:
    """ "Jake Sullivan, the US national security adviser" → "Jake Sullivan"; "A senior Western
    diplomat, who asked not to be named" → "A senior Western diplomat"; "Speaking in Tehran,
    Araqchi" → "Araqchi"."""
    clauses = [c.strip() for c in subject.split(",") if c.strip()]
    clauses = [c for c in clauses if c.split()[0].lower() not in ("who", "which", "speaking", "asked")] or clauses
    for clause in clauses:
        names = [run for run in _capitalised_runs(clause) if len(run) >= 2]
        if names:
            return " ".join(names[-1])[:300]
    clause = clauses[-1]
    if clause.split()[0].lower() in ("a", "an", "the", "one", "two", "three", "several", "some"):
        return " ".join(clause.split()[:10])[:300]
    runs = _capitalised_runs(clause)
    if runs:
        return " ".join(runs[-1])[:300]
    return " ".join(clause.split()[:8])[:300]


def most_mentioned_official(lexicon: Lexicon, texts: list[str]) -> int | None:
    """The official named most often in ``texts`` (the first named on a tie); ambiguous names don't count."""
    counts: Counter = Counter()
    first_seen: dict[int, int] = {}
    order = 0
    for text in texts:
        for mention in lexicon.official_mentions(text):
            if len(mention.values) == 1:
                official_id = next(iter(mention.values))
                counts[official_id] += 1
                first_seen.setdefault(official_id, order)
                order += 1
    if not counts:
        return None
    return max(counts, key=lambda official_id: (counts[official_id], -first_seen[official_id]))
