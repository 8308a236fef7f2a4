"""Free-text search over the folded search documents (see common.text and goftar_search_document).

A query is folded like the documents, split into words, and turned into a tsquery that meets the
ways Persian writers join or split compounds: گفت‌وگو (ZWNJ), گفتوگو (joined) and گفت وگو (space)
must all find each other. The document side indexes the fold with ZWNJ as a space and with ZWNJ
removed; the query side adds, for each Arabic-script word, the joined form with each neighbour and
the two-part phrases it could have been written as, and its spellings with and without a
linking و (گفتگو and گفتوگو are the same word). Text in double quotes is a phrase.
"""

import re

from django.contrib.postgres.search import SearchQuery

from common.text import fold

MAX_QUERY_WORDS = 24
MIN_SPLIT_PART = 2
# A linking و sits after a stem of three letters or more and before at least two (گفت‌وگو, رفت‌وآمد).
MIN_LINK_LEFT = 3
MIN_LINK_RIGHT = 2
VAV = "\u0648"
MIN_PREFIX_LENGTH = 3
_WORD = re.compile(r"\w+")
_ARABIC_SCRIPT = re.compile(r"[\u0600-\u06ff]")


def _lexeme(word: str, *, prefix: bool = True) -> str:
    # Words are \w+ runs, so they hold no quote or backslash to escape. Prefix matching lets a
    # stem find its inflections (گفتگو finds گفتگوهای, Iran finds Iranian).
    if prefix and len(word) >= MIN_PREFIX_LENGTH:
        return f"'{word}':*"
    return f"'{word}'"


def _is_arabic_script(word: str) -> bool:
    return bool(_ARABIC_SCRIPT.search(word))


def _linking_vav_forms(word: str) -> set[str]:
    """Spellings of a compound with and without its linking و: گفتگو ↔ گفتوگو, جستجو ↔ جستوجو."""
    forms = set()
    for cut in range(MIN_LINK_LEFT, len(word) - MIN_LINK_RIGHT + 1):
        if VAV not in (word[cut - 1], word[cut]):
            forms.add(word[:cut] + VAV + word[cut:])
        if word[cut] == VAV and len(word) - cut - 1 >= MIN_LINK_RIGHT:
            forms.add(word[:cut] + word[cut + 1 :])
    forms.discard(word)
    return forms


def _word_forms(word: str) -> list[str]:
    """Single-lexeme spellings of one word (itself first)."""
    if not _is_arabic_script(word):
        return [word]
    return [word, *sorted(_linking_vav_forms(word))]


def _word_alternatives(word: str) -> list[str]:
    alternatives = [_lexeme(form) for form in _word_forms(word)]
    if _is_arabic_script(word) and len(word) >= 2 * MIN_SPLIT_PART:
        # The same word written in two parts: گفت وگو.
        for cut in range(MIN_SPLIT_PART, len(word) - MIN_SPLIT_PART + 1):
            alternatives.append(f"{_lexeme(word[:cut], prefix=False)} <-> {_lexeme(word[cut:])}")
        # ... and in two parts with the linking و on the second: گفتگو as گفت وگو.
        for cut in range(MIN_LINK_LEFT, len(word) - MIN_LINK_RIGHT + 1):
            if VAV not in (word[cut - 1], word[cut]):
                alternatives.append(f"{_lexeme(word[:cut], prefix=False)} <-> {_lexeme(VAV + word[cut:])}")
    return alternatives


def _any_of(alternatives: list[str]) -> str:
    if len(alternatives) == 1:
        return alternatives[0]
    return "(" + " | ".join(f"({alt})" if "<->" in alt else alt for alt in alternatives) + ")"


def _terms(text: str) -> list[str]:
    words = _WORD.findall(fold(text))[:MAX_QUERY_WORDS]
    terms = []
    for index, word in enumerate(words):
        alternatives = _word_alternatives(word)
        if _is_arabic_script(word):
            for neighbour in (index - 1, index + 1):
                if 0 <= neighbour < len(words) and _is_arabic_script(words[neighbour]):
                    pair = (words[neighbour], word) if neighbour < index else (word, words[neighbour])
                    alternatives.extend(_lexeme(form) for form in _word_forms("".join(pair)))
        terms.append(_any_of(alternatives))
    return terms


def _phrase(text: str) -> str | None:
    words = _WORD.findall(fold(text))[:MAX_QUERY_WORDS]
    if not words:
        return None
    phrase = " <-> ".join(_lexeme(word) for word in words)
    joined = "".join(words)
    if len(words) > 1 and all(_is_arabic_script(word) for word in words):
        return f"(({phrase}) | {_lexeme(joined)})"
    return f"({phrase})" if len(words) > 1 else phrase


def tsquery_text(query: str) -> str:
    """The raw tsquery for a user's search box text, or '' when it holds no searchable word."""
    parts: list[str] = []
    for index, chunk in enumerate(query.split('"')):
        # Odd-numbered chunks were inside double quotes; an unclosed quote runs to the end.
        if index % 2 == 1:
            phrase = _phrase(chunk)
            if phrase:
                parts.append(phrase)
        else:
            parts.extend(_terms(chunk))
    return " & ".join(parts)


def search_query(query: str) -> SearchQuery | None:
    """A SearchQuery to use as ``search_document=...``; None when the text has nothing to search."""
    raw = tsquery_text(query)
    if not raw:
        return None
    return SearchQuery(raw, search_type="raw", config="simple")
