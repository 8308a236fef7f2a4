"""Publication dates in the shapes real pages print them (issue 16), and the lines that are not one."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from common.dates import TEHRAN
from sources.importers.dates import parse_printed_datetime
from sources.importers.text import parse_lines, split_lines

UTC = datetime.UTC
HEADLINE = "عنوان خبر آزمایشی درباره مذاکرات"
TEXT = "سخنگوی وزارت امور خارجه گفت: این یک متن آزمایشی است."


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        # Seconds are printed and dropped.
        ("چهار شنبه 10 مرداد 1403 - 11:27:34", datetime.datetime(2024, 7, 31, 11, 27, tzinfo=TEHRAN)),
        ("31 تير 1396 ساعت 21:38:37", datetime.datetime(2017, 7, 22, 21, 38, tzinfo=TEHRAN)),
        # Greenwich time said in words.
        ("الإثنين ١٤ يناير ٢٠١٩ - ١١:٠٦ بتوقيت غرينتش", datetime.datetime(2019, 1, 14, 11, 6, tzinfo=UTC)),
        ("۱۲ اردیبهشت ۱۴۰۳ ساعت ۰۸:۰۰ به وقت گرینویچ", datetime.datetime(2024, 5, 1, 8, 0, tzinfo=UTC)),
        # An ordinal day, with a comma, before the month.
        ("4th, November 2023", datetime.datetime(2023, 11, 4, tzinfo=TEHRAN)),
        ("November 4th, 2023", datetime.datetime(2023, 11, 4, tzinfo=TEHRAN)),
        # A zone beside a day without a time does not move the day.
        ("4th, November 2023 GMT", datetime.datetime(2023, 11, 4, tzinfo=TEHRAN)),
        # Month first when the day cannot be a month (US pages).
        ("2/26/2019", datetime.datetime(2019, 2, 26, tzinfo=TEHRAN)),
        ("26/2/2019", datetime.datetime(2019, 2, 26, tzinfo=TEHRAN)),
        ("28-03-2023 20:05 IST", datetime.datetime(2023, 3, 28, 14, 35, tzinfo=UTC)),
        # A two-digit Solar Hijri year after a month name.
        ("۱۴ تیر ۹۶", datetime.datetime(2017, 7, 5, tzinfo=TEHRAN)),
        ("۲ فروردین ۰۳", datetime.datetime(2024, 3, 21, tzinfo=TEHRAN)),
    ],
)
def test_printed_shapes(printed, expected):
    moment, _ = parse_printed_datetime(printed)
    assert moment == expected


@pytest.mark.parametrize("printed", ["3/4/2019 is ambiguous only to people", "۳۱-۱۲-۱۴۰۳", "12:30:45"])
def test_not_dates(printed):
    assert parse_printed_datetime(printed) is None


def test_month_first_only_when_the_day_cannot_be_a_month():
    moment, _ = parse_printed_datetime("3/4/2019")
    assert moment.date() == datetime.date(2019, 4, 3)  # day first, as the parser always read it


def _page(*lines, tz=TEHRAN):
    return parse_lines(split_lines("\n".join(lines) + "\n"), tz=tz)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        # A view counter beside the date.
        ("۱۴۰۴/۰۹/۰۲- ۱۵:۲۸ - مشاهده: ۱۰۳", datetime.datetime(2025, 11, 23, 15, 28, tzinfo=TEHRAN)),
        # The news code on the date's line without a separator.
        ("۰۹:۴۵ - ۲۵ تير ۱۴۰۱ کد خبر: ۱۴۰۱۰۴۲۶۲۸", datetime.datetime(2022, 7, 16, 9, 45, tzinfo=TEHRAN)),
        # Date and time in fields of their own, a code and the section after them.
        ("۰۳ شهریور ۱۳۹۲ | ۱۵:۱۱ کد : ۱۹۲۰۱۱۷ گفتگو خاورمیانه", datetime.datetime(2013, 8, 25, 15, 11, tzinfo=TEHRAN)),
        ("۲۱ مرداد ۱۴۰۰ | ۱۶:۲۹ کد : ۲۰۰۴۹۲۴ سرخط اخبار", datetime.datetime(2021, 8, 12, 16, 29, tzinfo=TEHRAN)),
        # A labelled line with seconds.
        ("تاريخ انتشار: 31 تير 1396 ساعت 21:38:37", datetime.datetime(2017, 7, 22, 21, 38, tzinfo=TEHRAN)),
        # "Created" is the publication, "Updated" is not; the source's name beside them is no reason to give up.
        (
            "Reuters | Updated: 28-03-2023 21:40 IST | Created: 28-03-2023 20:05 IST",
            datetime.datetime(2023, 3, 28, 14, 35, tzinfo=UTC),
        ),
        # "/ Updated ... ago" after the date and time.
        ("September 5, 2018 / 6:14 PM / Updated 35 minutes ago", datetime.datetime(2018, 9, 5, 18, 14, tzinfo=TEHRAN)),
    ],
)
def test_date_lines(line, expected):
    page = _page(line, HEADLINE, TEXT)
    assert page.published_at == expected
    assert page.title == HEADLINE


def test_the_time_on_the_line_under_the_date_belongs_to_it():
    page = _page("تاریخ انتشار : ۱۴ تیر ۹۶", "ساعت انتشار : ۹:۲۶ ق.ظ", HEADLINE, TEXT)
    assert page.published_at == datetime.datetime(2017, 7, 5, 9, 26, tzinfo=TEHRAN)


def test_a_header_clock_is_not_the_date_and_the_dated_line_after_it_is():
    page = _page("دوشنبه ۰۳ دی ۱۴۰۳", "۰۹:۴۵ - ۲۵ تير ۱۴۰۱ کد خبر: ۱۴۰۱۰۴۲۶۲۸", HEADLINE, TEXT)
    assert page.published_at == datetime.datetime(2022, 7, 16, 9, 45, tzinfo=TEHRAN)


def test_a_bare_date_right_above_the_headline_is_the_articles_when_no_other_date_is_printed():
    new_york = ZoneInfo("America/New_York")
    page = _page(
        "Aug 7, 2022", "", "Press Briefing by the Press Secretary on the verdict", "She said it was wrong.", tz=new_york
    )
    assert page.published_at == datetime.datetime(2022, 8, 7, tzinfo=new_york)


def test_a_bare_date_above_a_menu_stays_the_sites_clock():
    page = _page("۱۰ آبان ۱۴۰۴", "خانه", "سیاسی", HEADLINE, TEXT)
    assert page.published_at is None


def test_an_updated_line_is_still_not_the_publication_date():
    page = _page("به روز شده در: ۱۰ آبان ۱۴۰۴ - ۰۱:۵۱", HEADLINE, TEXT)
    assert page.published_at is None


def test_a_label_and_date_running_into_the_text_give_the_date_and_keep_the_text():
    page = _page(
        " date 2025-03-12 Speaking on the sidelines of the cabinet session, the minister said the letter had not "
        "arrived.",
        "“The letter has been written, but it has not yet reached us,” the minister said.",
    )
    assert page.published_at.date() == datetime.date(2025, 3, 12)
    assert "Speaking on the sidelines" in page.body


def test_the_same_day_with_a_time_is_preferred_to_the_day_alone():
    page = _page(" date 2018-09-05 Sections", "September 5, 2018 / 6:14 PM", HEADLINE, TEXT)
    assert page.published_at == datetime.datetime(2018, 9, 5, 18, 14, tzinfo=TEHRAN)
