"""Persian printings and COPY's text format: the helpers every row writer uses."""

from __future__ import annotations

import datetime
import random

from common.text import ZWNJ

PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
ARABIC_INDIC_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹", "٠١٢٣٤٥٦٧٨٩")
ASCII_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789")
ARABIC_LETTERS = str.maketrans("یک", "يك")

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
        return text.translate(ARABIC_LETTERS)
    if printing == 3:
        return text.replace(ZWNJ, " ").translate(ASCII_DIGITS)
    if printing == 4:
        return text.replace(ZWNJ, "").translate(ARABIC_INDIC_DIGITS).translate(ARABIC_LETTERS)
    return text


def copy_text(value: str) -> str:
    return value.translate(_COPY_ESCAPES)


def line(*fields) -> str:
    return "\t".join(fields) + "\n"


def timestamp(day: datetime.date, seconds: int = 36_000) -> str:
    return f"{day.isoformat()} {seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}+00"


def skewed_index(rng: random.Random, count: int, power: float = 2.0) -> int:
    """An index in [0, count) where low indexes are much more likely (a long tail)."""
    return min(count - 1, int(count * rng.random() ** power))
