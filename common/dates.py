"""Dates as Persian pages print them: Solar Hijri or Gregorian, in any digits, with precision.

One helper for every place a date is typed or read (admin, filters, importer): ``parse_date``
turns what a person or a page wrote into a Gregorian date plus its precision and calendar, and
rejects impossible dates with a message that says what was wrong. ``solar_hijri`` shows a
Gregorian date in the Solar Hijri calendar for Persian readers.
"""

import datetime
import functools
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import jdatetime
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from common.text import fold

TEHRAN = ZoneInfo("Asia/Tehran")

# Years below this are Solar Hijri (1403), above are Gregorian (2024): the ranges never meet
# for the dates a news archive holds.
GREGORIAN_YEAR_FLOOR = 1700

MESSAGE_UNREADABLE = _("“%(value)s” is not a date. Use e.g. 2024-05-12, ۱۴۰۳-۰۲-۲۳, ۲۳-۰۲-۱۴۰۳ or ۲۳ اردیبهشت ۱۴۰۳.")
MESSAGE_IMPOSSIBLE = _("“%(value)s” is not a real date in the %(calendar)s calendar (%(reason)s).")


class DatePrecision(models.TextChoices):
    DAY = "day", _("day")
    MONTH = "month", _("month")
    YEAR = "year", _("year")


class Calendar(models.TextChoices):
    GREGORIAN = "gregorian", _("Gregorian")
    SOLAR_HIJRI = "solar_hijri", _("Solar Hijri")


SOLAR_HIJRI_MONTHS = [
    "فروردین",
    "اردیبهشت",
    "خرداد",
    "تیر",
    "مرداد",
    "شهریور",
    "مهر",
    "آبان",
    "آذر",
    "دی",
    "بهمن",
    "اسفند",
]
_SOLAR_HIJRI_MONTH_SPELLINGS = {
    **{fold(name): number for number, name in enumerate(SOLAR_HIJRI_MONTHS, start=1)},
    fold("امرداد"): 5,
    **{
        name: number
        for number, name in enumerate(
            [
                "farvardin",
                "ordibehesht",
                "khordad",
                "tir",
                "mordad",
                "shahrivar",
                "mehr",
                "aban",
                "azar",
                "dey",
                "bahman",
                "esfand",
            ],
            start=1,
        )
    },
}
_GREGORIAN_MONTH_SPELLINGS = {
    **{
        name: number
        for number, name in enumerate(
            [
                "january",
                "february",
                "march",
                "april",
                "may",
                "june",
                "july",
                "august",
                "september",
                "october",
                "november",
                "december",
            ],
            start=1,
        )
    },
    **{
        name: number
        for number, name in enumerate(
            ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1
        )
    },
    **{
        fold(name): number
        for number, name in enumerate(
            ["ژانویه", "فوریه", "مارس", "آوریل", "مه", "ژوئن", "ژوئیه", "اوت", "سپتامبر", "اکتبر", "نوامبر", "دسامبر"],
            start=1,
        )
    },
}

_NUMERIC = re.compile(r"^(\d{1,4})\s*[-/.]\s*(\d{1,2})(?:\s*[-/.]\s*(\d{1,4}))?$")
_NAMED = re.compile(r"^(?:(\d{1,2})\s+)?([^\d\s]+)\s*,?\s+(\d{3,4})$")
_YEAR = re.compile(r"^(\d{3,4})$")
_TIME = re.compile(r"(\d{1,2}):(\d{2})")


@dataclass(frozen=True)
class ParsedDate:
    date: datetime.date
    precision: str
    calendar: str
    as_printed: str


def _build(year: int, month: int, day: int | None, calendar: str, raw: str) -> ParsedDate:
    precision = DatePrecision.DAY if day else DatePrecision.MONTH if month else DatePrecision.YEAR
    try:
        if calendar == Calendar.SOLAR_HIJRI:
            date = jdatetime.date(year, month or 1, day or 1).togregorian()
        else:
            date = datetime.date(year, month or 1, day or 1)
    except (ValueError, OverflowError) as exc:
        raise ValidationError(
            MESSAGE_IMPOSSIBLE,
            code="impossible_date",
            params={"value": raw, "calendar": Calendar(calendar).label, "reason": str(exc)},
        ) from exc
    return ParsedDate(date=date, precision=precision, calendar=calendar, as_printed=raw)


def _calendar_for_year(year: int) -> str:
    return Calendar.GREGORIAN if year >= GREGORIAN_YEAR_FLOOR else Calendar.SOLAR_HIJRI


def parse_date(value: str) -> ParsedDate:
    """Read a date as printed. Raises ValidationError for text that is no date or no real date.

    Accepts ``Y-M-D`` and ``D-M-Y`` with ``-``, ``/`` or ``.``, ``Y-M`` (month precision), a bare
    year, and month names (``۱۰ آبان ۱۴۰۴``, ``آبان ۱۴۰۴``, ``12 May 2024``), in Persian,
    Arabic-Indic or ASCII digits, month names typed with Arabic or Persian letters. The calendar
    follows from the year (1403 is Solar Hijri, 2024 Gregorian) or the month name.
    """
    raw = (value or "").strip()
    text = fold(raw).replace("،", " ").replace(",", " ")
    text = re.sub(" +", " ", text).strip()
    if not text:
        raise ValidationError(MESSAGE_UNREADABLE, code="invalid_date", params={"value": raw})

    if match := _NUMERIC.match(text):
        first, second, third = match.groups()
        if third is None:
            # Y-M (month precision)
            year, month = int(first), int(second)
            if len(first) < 3:
                raise ValidationError(MESSAGE_UNREADABLE, code="invalid_date", params={"value": raw})
            return _build(year, month, None, _calendar_for_year(year), raw)
        if len(first) >= 3:
            year, month, day = int(first), int(second), int(third)
        elif len(third) >= 3:
            day, month, year = int(first), int(second), int(third)
        else:
            raise ValidationError(MESSAGE_UNREADABLE, code="invalid_date", params={"value": raw})
        if month < 1 or month > 12 or day < 1:
            raise ValidationError(
                MESSAGE_IMPOSSIBLE,
                code="impossible_date",
                params={
                    "value": raw,
                    "calendar": Calendar(_calendar_for_year(year)).label,
                    "reason": "month must be 1 to 12" if not 1 <= month <= 12 else "day must be at least 1",
                },
            )
        return _build(year, month, day, _calendar_for_year(year), raw)

    if match := _NAMED.match(text):
        day_text, month_name, year_text = match.groups()
        year, day = int(year_text), int(day_text) if day_text else None
        if month_name in _SOLAR_HIJRI_MONTH_SPELLINGS and year < GREGORIAN_YEAR_FLOOR:
            return _build(year, _SOLAR_HIJRI_MONTH_SPELLINGS[month_name], day, Calendar.SOLAR_HIJRI, raw)
        if month_name in _GREGORIAN_MONTH_SPELLINGS and year >= GREGORIAN_YEAR_FLOOR:
            return _build(year, _GREGORIAN_MONTH_SPELLINGS[month_name], day, Calendar.GREGORIAN, raw)
        raise ValidationError(MESSAGE_UNREADABLE, code="invalid_date", params={"value": raw})

    if match := _YEAR.match(text):
        year = int(match.group(1))
        return _build(year, 0, None, _calendar_for_year(year), raw)

    raise ValidationError(MESSAGE_UNREADABLE, code="invalid_date", params={"value": raw})


def parse_datetime(value: str, *, tz: ZoneInfo = TEHRAN) -> tuple[datetime.datetime, ParsedDate]:
    """Read ``۰۹:۴۴ - ۲۳-۰۲-۱۴۰۳`` (time and date in either order) as an aware datetime in ``tz``."""
    text = fold(value)
    time_match = _TIME.search(text)
    hour = minute = 0
    if time_match:
        hour, minute = int(time_match.group(1)), int(time_match.group(2))
        text = text[: time_match.start()] + " " + text[time_match.end() :]
    date_text = text.strip(" -–—|،,")
    parsed = parse_date(date_text)
    if not (0 <= hour < 24 and 0 <= minute < 60):
        raise ValidationError(
            MESSAGE_IMPOSSIBLE,
            code="impossible_date",
            params={"value": value, "calendar": Calendar(parsed.calendar).label, "reason": "no such time of day"},
        )
    moment = datetime.datetime.combine(parsed.date, datetime.time(hour, minute), tzinfo=tz)
    return moment, ParsedDate(parsed.date, parsed.precision, parsed.calendar, value.strip())


_PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


@functools.lru_cache(maxsize=8192)
def solar_hijri(date: datetime.date | None, precision: str = DatePrecision.DAY, *, persian_digits: bool = True) -> str:
    """A Gregorian date shown in the Solar Hijri calendar: ``۲۳ اردیبهشت ۱۴۰۳``.

    Every page and export that labels a date in Solar Hijri calls this; cached because a list
    repeats the same few days and the calendar conversion is the costly part.
    """
    if date is None:
        return ""
    jdate = jdatetime.date.fromgregorian(date=date)
    month = SOLAR_HIJRI_MONTHS[jdate.month - 1]
    if precision == DatePrecision.YEAR:
        text = f"{jdate.year}"
    elif precision == DatePrecision.MONTH:
        text = f"{month} {jdate.year}"
    else:
        text = f"{jdate.day} {month} {jdate.year}"
    return text.translate(_PERSIAN_DIGITS) if persian_digits else text


def solar_hijri_iso(date: datetime.date | None) -> str:
    """``1403-02-23``: the sortable Solar Hijri form used in exports."""
    if date is None:
        return ""
    jdate = jdatetime.date.fromgregorian(date=date)
    return f"{jdate.year:04d}-{jdate.month:02d}-{jdate.day:02d}"
