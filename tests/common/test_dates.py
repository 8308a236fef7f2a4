"""Solar Hijri and Gregorian dates as pages print them and curators type them."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from common.dates import (
    Calendar,
    DatePrecision,
    parse_date,
    parse_datetime,
    solar_hijri,
    solar_hijri_iso,
)
from common.forms import SolarHijriDateField

MAY_12_2024 = datetime.date(2024, 5, 12)


@pytest.mark.parametrize(
    "text",
    [
        "۲۳-۰۲-۱۴۰۳",
        "٢٣-٠٢-١٤٠٣",
        "23-02-1403",
        "1403-02-23",
        "۱۴۰۳/۰۲/۲۳",
        "1403.2.23",
        "۲۳ اردیبهشت ۱۴۰۳",
        "23 Ordibehesht 1403",
        "2024-05-12",
        "12/05/2024",
        "12 May 2024",
    ],
)
def test_parse_date_reads_every_printed_form(text):
    assert parse_date(text).date == MAY_12_2024
    assert parse_date(text).precision == DatePrecision.DAY


def test_month_names_typed_with_arabic_letters():
    # ي and ك instead of ی and ک: jdatetime alone rejects these.
    assert parse_date("۱۰ آبان ۱۴۰۴").date == datetime.date(2025, 11, 1)
    assert parse_date("۱۰ دي ۱۴۰۲").date == parse_date("۱۰ دی ۱۴۰۲").date


def test_partial_dates_keep_their_precision_and_calendar():
    month = parse_date("آبان ۱۴۰۴")
    assert (month.date, month.precision, month.calendar) == (
        datetime.date(2025, 10, 23),
        DatePrecision.MONTH,
        Calendar.SOLAR_HIJRI,
    )
    year = parse_date("2019")
    assert (year.date, year.precision, year.calendar) == (
        datetime.date(2019, 1, 1),
        DatePrecision.YEAR,
        Calendar.GREGORIAN,
    )
    assert parse_date("۱۴۰۳-۰۲").precision == DatePrecision.MONTH


@pytest.mark.parametrize(
    "text", ["۳۱-۰۷-۱۴۰۳", "1403-12-31", "30 اسفند 1402", "2023-02-29", "1403-13-01", "00-01-1403"]
)
def test_impossible_dates_are_rejected_with_a_clear_message(text):
    with pytest.raises(ValidationError) as error:
        parse_date(text)
    assert error.value.code == "impossible_date"
    assert text in error.value.messages[0]


@pytest.mark.parametrize("text", ["", "yesterday", "۲۳ ۲۳ ۲۳ ۲۳", "12-05", "hello 1403"])
def test_text_that_is_no_date_is_rejected(text):
    with pytest.raises(ValidationError) as error:
        parse_date(text)
    assert error.value.code == "invalid_date"


def test_leap_esfand_is_accepted():
    assert parse_date("30 اسفند 1403").date == datetime.date(2025, 3, 20)


def test_parse_datetime_reads_the_seed_publication_line_in_tehran_time():
    moment, parsed = parse_datetime("۰۹:۴۴ - ۲۳-۰۲-۱۴۰۳")
    assert moment.isoformat() == "2024-05-12T09:44:00+03:30"
    assert parsed.calendar == Calendar.SOLAR_HIJRI
    assert parsed.as_printed == "۰۹:۴۴ - ۲۳-۰۲-۱۴۰۳"


def test_parse_datetime_rejects_impossible_times():
    with pytest.raises(ValidationError):
        parse_datetime("۲۵:۴۴ - ۲۳-۰۲-۱۴۰۳")


def test_solar_hijri_display():
    assert solar_hijri(MAY_12_2024) == "۲۳ اردیبهشت ۱۴۰۳"
    assert solar_hijri(MAY_12_2024, persian_digits=False) == "23 اردیبهشت 1403"
    assert solar_hijri(MAY_12_2024, DatePrecision.MONTH) == "اردیبهشت ۱۴۰۳"
    assert solar_hijri(None) == ""
    assert solar_hijri_iso(MAY_12_2024) == "1403-02-23"


def test_form_field_accepts_solar_hijri_and_reports_impossible_dates():
    field = SolarHijriDateField(required=False)
    assert field.clean("۱۴۰۳-۰۲-۲۳") == MAY_12_2024
    assert field.clean("") is None
    with pytest.raises(ValidationError) as error:
        field.clean("۱۴۰۳-۰۷-۳۱")
    assert "۱۴۰۳-۰۷-۳۱" in error.value.messages[0]


def test_every_admin_date_field_uses_the_solar_hijri_widget():
    from django.contrib import admin
    from django.db import models
    from django.test import RequestFactory

    from common.forms import SolarHijriDateInput

    request = RequestFactory().get("/")
    date_fields = 0
    for model, model_admin in admin.site._registry.items():
        for field in model._meta.get_fields():
            if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField) and field.editable:
                formfield = model_admin.formfield_for_dbfield(field, request=request)
                assert isinstance(formfield, SolarHijriDateField), (model, field.name)
                assert isinstance(formfield.widget, SolarHijriDateInput), (model, field.name)
                date_fields += 1
    assert date_fields >= 3
