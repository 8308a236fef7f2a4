"""The Python normaliser and its SQL twin must agree, and fold what Persian writers vary."""

import random

import pytest
from django.db import connection

from common.text import ZWNJ, fold, fold_joined

# What real pages mix: Persian and Arabic letters and their variants, presentation forms, both
# kinds of Eastern digits, diacritics, tatweel, every kind of space and joiner, bidi controls,
# Latin with accents and capitals, full-width forms and punctuation.
ALPHABET = (
    "ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهیآأإؤئءةيكىۀ"
    "ﻧﻮﺭﺍﻟﻠﻪﷲ"
    "۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩0123456789"
    "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0670\u0640"
    " \u00a0\u202f\u2009\t\n" + ZWNJ + "\u200d\u200e\u200f\u202a\u202b\u202c\u2066\u2069\ufeff\u00ad"
    "abcXYZéÉçÑüÅ"
    "ＡＢ１２＝＋"
    "«»،؛؟!?.,:;-()\"'"
)


def _random_strings(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 40))) for _ in range(count)]


@pytest.mark.django_db
def test_python_and_sql_folds_agree_on_generated_strings():
    samples = _random_strings(5000, seed=1403)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT s, goftar_fold(s) FROM unnest(%s::text[]) WITH ORDINALITY AS t(s, n) ORDER BY n", [samples]
        )
        rows = cursor.fetchall()
    disagreements = [(s, folded, fold(s)) for s, folded in rows if folded != fold(s)]
    assert len(rows) == len(samples)
    assert disagreements == []


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("عراقچي", "عراقچی"),
        ("۱۴۰۳", "1403"),
        ("١٤٠٣", "1403"),
        ("كمال", "کمال"),
        ("مدرسة", "مدرسه"),
        ("أحمد", "احمد"),
        ("إيران", "ایران"),
        ("آمریکا", "امریکا"),
        ("سـلام", "سلام"),
        ("مُحَمَّد", "محمد"),
        ("ﻧﻮﺭ", "نور"),
        ("\u200fسلام\u200e", "سلام"),
        ("Kharrazi", "KHARRAZI"),
        ("a\u00a0b", "a b"),
        ("  a   b  ", "a b"),
    ],
)
def test_fold_unifies_variants(left, right):
    assert fold(left) == fold(right)


def test_fold_keeps_distinct_words_apart():
    assert fold("روز") != fold("رز")
    assert fold("ایران") != fold("عراق")


def test_zwnj_folds_to_a_space_or_away():
    assert fold("گفت‌وگو") == "گفت وگو"
    assert fold_joined("گفت‌وگو") == "گفتوگو"


def test_fold_of_nothing_is_empty():
    assert fold(None) == ""
    assert fold("") == ""
    assert fold("\u200c\u200e ") == ""


# Edge cases of the SQL fold's shortcuts (lower() under "C", translates run only when needed):
# capitals outside ASCII stay capitals, each group alone, both together, neither, and long text.
SHORTCUT_CASES = [
    "ÉÑÅÇÜ ΣΑΒ ДЖ İ K Å ẞ ǅ",
    "Kharrazi ABC xyz",
    "كمال يقول",
    "۱۴۰۳ ١٤٠٣",
    "KAMAL كمال ۱۴۰۳ ١٤٠٣ É",
    "plain words only",
    "ﻧﻮﺭ ＡＢ１２ ﷲ",
    "!?.,:;-()\"' «»،؛؟",
    "\u0622\u0623\u0624\u0625\u0626\u0629\u0643\u0649\u064a\u06c0\u06c1\u06d2\u06d5\u0671\u0672\u0673\u0675",
    "A" * 3000 + " كمال " + "۹" * 3000,
    "Iran Says Indirect Talks Continue " * 200,
]


@pytest.mark.django_db
def test_python_and_sql_folds_agree_on_the_shortcut_cases():
    # Each string alone and with random words around it, so each group meets the others.
    rng = random.Random(1404)
    samples = SHORTCUT_CASES + [
        "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 20))) + case for case in SHORTCUT_CASES * 50
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT s, goftar_fold(s) FROM unnest(%s::text[]) WITH ORDINALITY AS t(s, n) ORDER BY n", [samples]
        )
        rows = cursor.fetchall()
    assert len(rows) == len(samples)
    assert [(s, folded) for s, folded in rows if folded != fold(s)] == []
    assert fold("ÉΣД") == "eΣД"  # NFKD leaves E of É; capitals outside ASCII stay
