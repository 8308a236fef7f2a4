"""The quick input widgets render exactly what Django's own templates render."""

import datetime

import pytest
from django import forms

from common.dates import solar_hijri
from common.forms import QuickHiddenInput, QuickSelect, QuickTextInput, SolarHijriDateInput

VALUES = [None, "", "IR", '"><script>alert(1)</script>', "۱۴۰۳-۰۲-۲۳", "a & b", 0, 12.5]
ATTRS = [
    None,
    {"id": "id_country"},
    {"id": "id_x", "required": True, "disabled": False, "placeholder": 'say "x" <y>', "size": 16},
    {"aria-invalid": "true", "data-<odd>": "&amp;", "dir": "rtl"},
]


@pytest.mark.parametrize("value", VALUES)
@pytest.mark.parametrize("attrs", ATTRS)
def test_quick_text_input_is_djangos_text_input(value, attrs):
    assert QuickTextInput().render("country", value, attrs) == forms.TextInput().render("country", value, attrs)
    assert QuickTextInput({"class": "wide"}).render("q", value, attrs) == forms.TextInput({"class": "wide"}).render(
        "q", value, attrs
    )


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
    assert SolarHijriDateInput().render("said_on", value, attrs) == expected


def test_a_bound_field_with_errors_renders_as_django_renders_it():
    class Quick(forms.Form):
        country = forms.CharField(max_length=2, widget=QuickTextInput)

    class Plain(forms.Form):
        country = forms.CharField(max_length=2)

    data = {"country": '"IRAN"<'}
    quick, plain = Quick(data), Plain(data)
    assert not quick.is_valid() and not plain.is_valid()
    assert str(quick["country"]) == str(plain["country"])
    assert 'aria-invalid="true"' in str(quick["country"]) and "&quot;IRAN&quot;&lt;" in str(quick["country"])


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
    assert html == expected + ' <span class="solar-hijri" dir="rtl" lang="fa">۲۳ اردیبهشت ۱۴۰۳، 08:44</span>'
    assert SolarHijriDateTimeInput().render("published_at", "", None) == django_input.render("published_at", "", None)


SELECT_CHOICES = [
    [("", "---------"), ("delete_selected", "Delete selected <statements>"), ("publish", 'Publish "now" & here')],
    [("a", "A"), ("Group <1>", [("b", "B"), ("c", "C & D")]), (3, "three")],
    [],
]


@pytest.mark.parametrize("choices", SELECT_CHOICES)
@pytest.mark.parametrize("value", [None, "", "delete_selected", "c", 3, '"><b>'])
@pytest.mark.parametrize("attrs", ATTRS)
def test_quick_select_is_djangos_select(choices, value, attrs):
    assert QuickSelect(choices=choices).render("action", value, attrs) == forms.Select(choices=choices).render(
        "action", value, attrs
    )
    assert QuickSelect({"class": "wide"}, choices=choices).render("x", value, attrs) == forms.Select(
        {"class": "wide"}, choices=choices
    ).render("x", value, attrs)


@pytest.mark.parametrize("value", [None, "", "0", "1", '"><b>'])
def test_quick_hidden_input_is_djangos_hidden_input(value):
    attrs = {"class": "select-across", "id": "id_select_across"}
    assert QuickHiddenInput().render("select_across", value, attrs) == forms.HiddenInput().render(
        "select_across", value, attrs
    )


@pytest.mark.parametrize("data", [None, {"action": "delete_selected", "select_across": "1"}, {"action": "<nope>"}])
def test_the_admin_action_form_renders_as_djangos(data):
    from django.contrib.admin.helpers import ActionForm

    from common.admin import QuickActionForm

    choices = [("", "---------"), ("delete_selected", "Delete selected statements"), ("add_topic", "Add a <topic>…")]
    quick, plain = QuickActionForm(data, auto_id=None), ActionForm(data, auto_id=None)
    for form in (quick, plain):
        form.fields["action"].choices = choices
    assert [str(field) for field in quick] == [str(field) for field in plain]
    assert [field.label for field in quick] == [field.label for field in plain]
    assert "<select" in str(quick["action"]) and "&lt;topic&gt;" in str(quick["action"])
    if data:
        assert quick.is_valid() == plain.is_valid()
