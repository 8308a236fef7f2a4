"""The date inputs render Django's own input, followed by the Solar Hijri reading of the value."""

import datetime

import pytest
from django import forms

from common.dates import solar_hijri
from common.forms import SolarHijriDateInput


def _spaced(html: str) -> str:
    """The markup with each run of white space as one space (templates end in a newline)."""
    return " ".join(html.split())


@pytest.mark.parametrize("value", [None, "", "۱۴۰۳-۰۲-۲۳", "<b>1403</b>", datetime.date(2024, 5, 12)])
def test_solar_hijri_date_input_is_djangos_date_input_with_the_solar_hijri_reading(value):
    attrs = {"id": "id_said_on", "required": True}
    django_input = forms.DateInput(
        attrs={"placeholder": "2024-05-12 / ۱۴۰۳-۰۲-۲۳", "size": 16, "dir": "ltr"}, format="%Y-%m-%d"
    )
    django_input.input_type = "text"
    expected = django_input.render("said_on", value, attrs)
    if isinstance(value, datetime.date):
        expected += f' <span class="solar-hijri" dir="rtl" lang="fa">{solar_hijri(value)}</span>'
        assert "2024-05-12" in expected and "۱۴۰۳" in expected
    assert _spaced(SolarHijriDateInput().render("said_on", value, attrs)) == _spaced(expected)


def test_the_article_moment_input_is_djangos_with_its_tehran_solar_hijri_reading():
    from django.utils import timezone

    from sources.forms import SolarHijriDateTimeInput

    moment = datetime.datetime(2024, 5, 12, 5, 14, tzinfo=datetime.UTC)  # 08:44 in Tehran
    django_input = forms.DateTimeInput(
        attrs={"placeholder": "2024-05-12 09:44 / ۰۹:۴۴ - ۲۳-۰۲-۱۴۰۳", "size": 24, "dir": "ltr"},
        format="%Y-%m-%d %H:%M",
    )
    django_input.input_type = "text"
    with timezone.override("UTC"):
        html = SolarHijriDateTimeInput().render("published_at", moment, {"id": "id_published_at"})
    expected = django_input.render("published_at", "2024-05-12 08:44", {"id": "id_published_at"})
    reading = ' <span class="solar-hijri" dir="rtl" lang="fa">۲۳ اردیبهشت ۱۴۰۳، 08:44</span>'
    assert _spaced(html) == _spaced(expected + reading)
    empty = SolarHijriDateTimeInput().render("published_at", "", None)
    assert _spaced(empty) == _spaced(django_input.render("published_at", "", None))
