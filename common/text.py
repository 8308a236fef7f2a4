"""The one text normaliser: folds Persian, Arabic and Latin text into a form for matching.

Everything that matches text goes through here: search documents (through the SQL twin
``goftar_fold``, created by a migration from the tables below), search queries, alias matching and
duplicate detection. The original text is always stored as it was; only matching sees the fold.

What folding does, in this order (the SQL function does the same steps):
1. Unicode NFKD: presentation forms (ﻧ), full-width and compatibility characters and the many
   kinds of space become their plain form; hamza and madda split off their carrier (أ → ا + ٔ).
2. One character table: Arabic letter variants to the Persian ones (ي ى → ی, ك → ک, ة ۀ → ه),
   Persian and Arabic-Indic digits to ASCII, ASCII capitals to small letters, every kind of space
   and line break to a plain space, and deletion of tatweel, diacritics, combining marks, bidi
   controls, ZWJ and soft hyphens. ZWNJ becomes a space.
3. Runs of spaces become one space; leading and trailing spaces go.

Capital letters outside ASCII are left alone on purpose: PostgreSQL's ``lower()`` depends on the
server's locale, and the two halves of the normaliser must agree byte for byte on any server.
"""

import re
import unicodedata

ZWNJ = "\u200c"

# Letters mapped one to one. The right-hand side is the form used for matching.
_LETTER_MAP = {
    "\u064a": "\u06cc",  # ي Arabic yeh → ی
    "\u0649": "\u06cc",  # ى alef maksura → ی
    "\u06d2": "\u06cc",  # ے yeh barree → ی
    "\u0643": "\u06a9",  # ك Arabic kaf → ک
    "\u0629": "\u0647",  # ة teh marbuta → ه
    "\u06c0": "\u0647",  # ۀ heh with yeh above (if not decomposed) → ه
    "\u06d5": "\u0647",  # ە ae (what NFKD leaves of ۀ) → ه
    "\u06c1": "\u0647",  # ہ heh goal → ه
    "\u0671": "\u0627",  # ٱ alef wasla → ا
    "\u0672": "\u0627",  # ٲ
    "\u0673": "\u0627",  # ٳ
    "\u0675": "\u0627",  # ٵ
    "\u0624": "\u0648",  # ؤ (if not decomposed) → و
    "\u0626": "\u06cc",  # ئ (if not decomposed) → ی
    "\u0623": "\u0627",  # أ
    "\u0625": "\u0627",  # إ
    "\u0622": "\u0627",  # آ
}
_DIGITS = {chr(0x06F0 + i): str(i) for i in range(10)} | {chr(0x0660 + i): str(i) for i in range(10)}
_ASCII_CAPITALS = {chr(c): chr(c + 32) for c in range(ord("A"), ord("Z") + 1)}
_SPACES = {
    c: " "
    for c in "\t\n\x0b\x0c\r\x85\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000" + ZWNJ
}
_DELETED = (
    "\u0640"  # tatweel
    + "".join(chr(c) for c in range(0x0300, 0x0370))  # Latin combining marks (left by NFKD)
    + "".join(chr(c) for c in range(0x0610, 0x061B))  # Arabic honorific signs
    + "".join(chr(c) for c in range(0x064B, 0x0660))  # harakat, hamza/madda above and below
    + "\u0670"  # superscript alef
    + "".join(chr(c) for c in range(0x06D6, 0x06EE))  # Quranic marks
    + "\u00ad\u061c\u200b\u200d\u200e\u200f\u2060\ufeff"  # soft hyphen, ALM, ZWSP, ZWJ, LRM, RLM, WJ, BOM
    + "".join(chr(c) for c in range(0x202A, 0x202F))  # LRE … RLO embeddings and overrides
    + "".join(chr(c) for c in range(0x2066, 0x206A))  # LRI … PDI isolates
)

FOLD_TABLE: dict[str, str] = {**_LETTER_MAP, **_DIGITS, **_ASCII_CAPITALS, **_SPACES}
_TRANSLATION = str.maketrans({**FOLD_TABLE, **{c: None for c in _DELETED}})
_SPACE_RUNS = re.compile(" {2,}")


def fold(text: str | None) -> str:
    """Return the matching form of ``text`` (see the module docstring). ``None`` folds to ''."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKD", text).translate(_TRANSLATION)
    return _SPACE_RUNS.sub(" ", text).strip(" ")


def fold_joined(text: str | None) -> str:
    """The fold with ZWNJ removed instead of spaced: می‌خواهد → میخواهد, for the second index variant."""
    return fold((text or "").replace(ZWNJ, ""))


def _sql_literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _translate_groups() -> list[tuple[str, str]]:
    # translate(x, from, to) compares every character of x with every character of `from`, so its
    # cost is the text's length times the list's. The ASCII capitals, the longest group, go
    # through lower() under the "C" collation instead (which changes A-Z and nothing else, on any
    # server); the letter variants and the Eastern digits are two short translates, each run only
    # when the text holds one of its characters (a cheap regular-expression test): English text
    # skips both. Deletions and spaces are regular-expression classes. Same output as one
    # translate of the whole table (tests/common/test_text.py checks Python/SQL agreement).
    groups = []
    for table in (_LETTER_MAP, _DIGITS):
        groups.append(("".join(table), "".join(table.values())))
    return groups


def _regex_class(characters: str) -> str:
    return "[" + "".join(f"\\u{ord(c):04x}" for c in sorted(set(characters))) + "]"


def fold_function_sql() -> str:
    """DDL for the SQL twin of :func:`fold`, plus the search-document function built on it."""
    (letters_from, letters_to), (digits_from, digits_to) = _translate_groups()
    deleted, spaces = _sql_literal(_regex_class(_DELETED)), _sql_literal(_regex_class("".join(_SPACES)))
    return f"""
-- Applies translate(value, from, to) only when value holds one of the characters of `from`.
CREATE OR REPLACE FUNCTION goftar_translate_if_any(value text, pattern text, source text, target text)
RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN CASE WHEN value ~ pattern THEN translate(value, source, target) ELSE value END;

CREATE OR REPLACE FUNCTION goftar_fold(value text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN btrim(
    regexp_replace(
        goftar_translate_if_any(
            goftar_translate_if_any(
                lower(
                    regexp_replace(regexp_replace(normalize(value, NFKD), {deleted}, '', 'g'), {spaces}, ' ', 'g')
                    COLLATE "C"
                ),
                {_sql_literal(_regex_class(letters_from))}, {_sql_literal(letters_from)}, {_sql_literal(letters_to)}
            ),
            {_sql_literal(_regex_class(digits_from))}, {_sql_literal(digits_from)}, {_sql_literal(digits_to)}
        ),
        ' {{2,}}', ' ', 'g'
    ),
    ' '
);

-- The document indexes the fold (ZWNJ as a space) and the fold with ZWNJ removed, so that
-- می‌خواهد, میخواهد and می خواهد all meet at least one query form (see common.search).
CREATE OR REPLACE FUNCTION goftar_search_document(value text) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE
    WHEN value IS NULL OR value = '' THEN ''::tsvector
    WHEN strpos(value, {_sql_literal(ZWNJ)}) = 0 THEN to_tsvector('simple'::regconfig, goftar_fold(value))
    ELSE to_tsvector('simple'::regconfig, goftar_fold(value))
        || to_tsvector('simple'::regconfig, goftar_fold(replace(value, {_sql_literal(ZWNJ)}, '')))
END;
"""


DROP_FOLD_FUNCTION_SQL = """
DROP FUNCTION IF EXISTS goftar_search_document(text);
DROP FUNCTION IF EXISTS goftar_fold(text);
DROP FUNCTION IF EXISTS goftar_translate_if_any(text, text, text, text);
"""
