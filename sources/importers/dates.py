"""Dates as news pages print them, around ``common.dates.parse_datetime``.

Pages add words around the date that ``parse_datetime`` does not need: weekday names, "ساعت",
"GMT", "AM", an Arabic month name (أيار, مايو), an English "May 12, 2024". This module strips or
rewrites those and hands the rest to the one date parser; it never parses numbers itself.
"""

import datetime
import re
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError

from common.dates import TEHRAN, ParsedDate, parse_datetime
from common.text import fold

UTC = datetime.UTC

_WEEKDAYS = [
    "شنبه",
    "یکشنبه",
    "یک شنبه",
    "دوشنبه",
    "دو شنبه",
    "سه شنبه",
    "چهارشنبه",
    "چهار شنبه",
    "پنجشنبه",
    "پنج شنبه",
    "جمعه",
    "السبت",
    "الاحد",
    "الاثنین",
    "الثلاثاء",
    "الاربعاء",
    "الخمیس",
    "الجمعه",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "mon",
    "tue",
    "tues",
    "wed",
    "thu",
    "thur",
    "thurs",
    "fri",
    "sat",
    "sun",
]
_NOISE = [
    "ساعت",
    "الساعه",
    "ساعه",
    "ه ش",
    "ه.ش",
    "هـ ش",
    "شمسی",
    "میلادی",
    "at",
    "on",
    "hrs",
    "local time",
]
_ARABIC_MONTHS = {
    "ینایر": "january",
    "فبرایر": "february",
    "مارس": "march",
    "ابریل": "april",
    "مایو": "may",
    "یونیو": "june",
    "یونیه": "june",
    "یولیو": "july",
    "یولیه": "july",
    "اغسطس": "august",
    "سبتمبر": "september",
    "اکتوبر": "october",
    "نوفمبر": "november",
    "دیسمبر": "december",
    "کانون الثانی": "january",
    "شباط": "february",
    "اذار": "march",
    "نیسان": "april",
    "ایار": "may",
    "حزیران": "june",
    "تموز": "july",
    "اب": "august",
    "ایلول": "september",
    "تشرین الاول": "october",
    "تشرین الثانی": "november",
    "کانون الاول": "december",
}
_WEEKDAY_PATTERN = re.compile(
    r"(?<![\w])(?:" + "|".join(re.escape(fold(w)) for w in sorted(_WEEKDAYS, key=len, reverse=True)) + r")(?![\w])\.?"
)
_NOISE_PATTERN = re.compile(
    r"(?<![\w])(?:" + "|".join(re.escape(fold(w)) for w in sorted(_NOISE, key=len, reverse=True)) + r")(?![\w])"
)
_ARABIC_MONTH_PATTERN = re.compile(
    r"(?<![\w])(?:" + "|".join(re.escape(m) for m in sorted(_ARABIC_MONTHS, key=len, reverse=True)) + r")(?![\w])"
)
_ENGLISH_MONTH_FIRST = re.compile(
    r"(?<![\w])(january|february|march|april|may|june|july|august|september|october|november|december|"
    r"jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})"
)
_ZONE = re.compile(r"\b(?:gmt|utc|z)\s*(?:([+-])\s*(\d{1,2})(?::?(\d{2}))?)?(?![\w])|\s([+-])(\d{2}):(\d{2})$")
_ZONE_NAMES = {
    "edt": datetime.timedelta(hours=-4),
    "est": datetime.timedelta(hours=-5),
    "cet": datetime.timedelta(hours=1),
    "cest": datetime.timedelta(hours=2),
    "bst": datetime.timedelta(hours=1),
    "irst": datetime.timedelta(hours=3, minutes=30),
    "irdt": datetime.timedelta(hours=4, minutes=30),
    "ast": datetime.timedelta(hours=3),
    "gst": datetime.timedelta(hours=4),
    "msk": datetime.timedelta(hours=3),
    "pst": datetime.timedelta(hours=-8),
    "pdt": datetime.timedelta(hours=-7),
    "ist": datetime.timedelta(hours=5, minutes=30),  # India, as Indian outlets print it
}
_ZONE_NAME = re.compile(r"(?<![\w])(" + "|".join(_ZONE_NAMES) + r")(?![\w])")
_ARABIC_MERIDIEM = re.compile(r"\d{1,2}:\d{2}\s*(ص|م)(?![\w])")
_MERIDIEM = re.compile(r"(?<![\w])(am|pm|a\.m\.|p\.m\.|ق\.?ظ|ب\.?ظ|صباحا|مساء)(?![\w])")
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}[t ]\d{2}:\d{2}")
# "بتوقيت غرينتش", "به وقت گرینویچ": Greenwich time, said in words (folded forms).
_GREENWICH = re.compile(r"(?<![\w])(?:ب?توقیت|به وقت)\s+(?:غرینتش|غرینیتش|جرینتش|جرینیتش|گرینویچ|گرینیچ)(?![\w])")
_SECONDS = re.compile(r"(?<![\d:])(\d{1,2}:\d{2}):\d{2}(?![\d:])")
# "4th, November 2023", "4th November 2023": the ordinal and its comma go.
_ORDINAL_DAY = re.compile(r"(?<![\w])(\d{1,2})(?:st|nd|rd|th),?(?=\s+[a-z])")
# 2/26/2019: month first, as US pages print it; only when the day cannot be a month.
_MONTH_FIRST_NUMERIC = re.compile(r"(?<![\d/.-])(\d{1,2})([/.-])(\d{1,2})\2((?:19|20)\d{2})(?![\d/.-])")
# "۱۴ تیر ۹۶": a Solar Hijri year of two digits after a month name (1396; 05 is 1405).
_SOLAR_HIJRI_MONTH_NAMES = "|".join(
    re.escape(fold(m))
    for m in (
        "فروردین",
        "اردیبهشت",
        "خرداد",
        "تیر",
        "مرداد",
        "امرداد",
        "شهریور",
        "مهر",
        "آبان",
        "آذر",
        "دی",
        "بهمن",
        "اسفند",
    )
)
_SHORT_SOLAR_HIJRI_YEAR = re.compile(r"(?<![\w])(\d{1,2}\s+(?:" + _SOLAR_HIJRI_MONTH_NAMES + r"))\s+(\d{2})(?![\d:])")
# A date line has at most this many words once labels are removed; longer lines are sentences.
MAX_DATE_WORDS = 9


def parse_printed_datetime(text: str, *, tz: ZoneInfo = TEHRAN) -> tuple[datetime.datetime, ParsedDate] | None:
    """Read a printed date (and time) or return None when ``text`` is not just a date."""
    # "(توقيت مكة)", "بتوقيت السعودية", "(Tehran time)": notes beside the date, not the date; " / "
    # separates fields ("یکشنبه / ۲۳ اردیبهشت ۱۴۰۳ / ۰۹:۴۴") where "/" inside a date does not.
    folded = _GREENWICH.sub(" gmt ", fold(text))
    folded = re.sub(r"\([^)]*\)", " ", folded)
    folded = re.sub(r"(?<![\w])ب?توقیت(?:\s+\S+){1,2}$|\b(?:tehran|local) time\b", " ", folded)
    folded = re.sub(r"\s/\s", " ", folded).strip(" :-–—|،,./")
    if not folded or len(folded.split()) > MAX_DATE_WORDS or not re.search(r"\d", folded):
        return None
    if _ISO.match(folded):
        try:
            moment = datetime.datetime.fromisoformat(folded.upper().replace("Z", "+00:00"))
        except ValueError:
            return None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=tz)
        return moment, ParsedDate(moment.date(), "day", "gregorian", text.strip())

    folded = _SECONDS.sub(r"\1", folded)
    folded = _ORDINAL_DAY.sub(r"\1", folded)
    folded = _MONTH_FIRST_NUMERIC.sub(_day_first, folded)
    folded = _SHORT_SOLAR_HIJRI_YEAR.sub(_full_solar_hijri_year, folded)
    zone = tz
    if match := _ZONE_NAME.search(folded):
        zone = datetime.timezone(_ZONE_NAMES[match.group(1)])
        folded = folded[: match.start()] + " " + folded[match.end() :]
    elif match := _ZONE.search(folded):
        sign, hours, minutes = (
            (match.group(1), match.group(2), match.group(3))
            if match.group(1) or not match.group(4)
            else (match.group(4), match.group(5), match.group(6))
        )
        offset = datetime.timedelta(hours=int(hours or 0), minutes=int(minutes or 0))
        zone = datetime.timezone(-offset if sign == "-" else offset)
        folded = folded[: match.start()] + " " + folded[match.end() :]
    meridiem = None
    if match := _ARABIC_MERIDIEM.search(folded):
        # "05:12 م" is 5:12 in the evening (مساءً), "09:30 ص" in the morning (صباحاً).
        meridiem = "pm" if match.group(1) == "م" else "am"
        folded = folded[: match.start(1)] + " " + folded[match.end(1) :]
    elif match := _MERIDIEM.search(folded):
        meridiem = "pm" if match.group(1) in ("pm", "p.m.", "ب.ظ", "بظ", "مساء") else "am"
        folded = folded[: match.start()] + " " + folded[match.end() :]
    folded = _WEEKDAY_PATTERN.sub(" ", folded)
    folded = _NOISE_PATTERN.sub(" ", folded)
    folded = _ARABIC_MONTH_PATTERN.sub(lambda m: _ARABIC_MONTHS[m.group(0)], folded)
    # Arabic pages write م (miladi) after a Gregorian year: ١٢ مايو ٢٠٢٤م.
    folded = re.sub(r"(\d{4})\s*م(?![\w])", r"\1", folded)
    folded = _ENGLISH_MONTH_FIRST.sub(lambda m: f"{m.group(2)} {m.group(1)} {m.group(3)}", folded)
    folded = re.sub(r"(?<!\d):|:(?!\d)", " ", folded)  # a colon that is not inside a time
    folded = re.sub(r"\s+", " ", folded).strip(" :-–—|،,.")
    if not re.search(r"\d:\d", folded):
        zone = tz  # a day without a time is the outlet's day, whatever zone is printed beside it
    try:
        moment, parsed = parse_datetime(folded, tz=zone)
    except ValidationError:
        return None
    if meridiem == "pm" and moment.hour < 12:
        moment = moment + datetime.timedelta(hours=12)
    elif meridiem == "am" and moment.hour == 12:
        moment = moment - datetime.timedelta(hours=12)
    return moment, ParsedDate(parsed.date, parsed.precision, parsed.calendar, text.strip())


def _day_first(match: re.Match) -> str:
    month, separator, day, year = match.groups()
    if int(month) <= 12 < int(day) <= 31:
        return f"{day}{separator}{month}{separator}{year}"
    return match.group(0)


def _full_solar_hijri_year(match: re.Match) -> str:
    short = int(match.group(2))
    return f"{match.group(1)} {(1300 if short >= 50 else 1400) + short}"
