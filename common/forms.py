"""Form fields shared by the admin and the analysts' pages."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import conditional_escape as escape
from django.utils.safestring import mark_safe

from common.dates import parse_date, solar_hijri


def input_html(widget: dict) -> str:
    """What Django's ``django/forms/widgets/input.html`` renders for a widget context, in Python.

    The list pages render their filter forms' text inputs on every request; through the form
    renderer each input was two template renders (the input and its attributes), a tenth of a
    millisecond apiece. The output is character for character the template's (a test compares them).
    """
    value = "" if widget["value"] is None else f' value="{escape(str(widget["value"]))}"'
    attrs = _attrs_html(widget["attrs"])
    return f'<input type="{escape(widget["type"])}" name="{escape(widget["name"])}"{value}{attrs}>'


def select_html(widget: dict) -> str:
    """What Django's ``select.html`` and ``select_option.html`` render for a Select's context, in Python
    (each option was two template renders more)."""
    parts = [f'<select name="{escape(widget["name"])}"{_attrs_html(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{escape(group_name)}">')
        parts.extend(
            f'\n  <option value="{escape(str(option["value"]))}"{_attrs_html(option["attrs"])}>'
            f"{escape(option['label'])}</option>\n"  # select_option.html ends in a newline
            for option in options
        )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _attrs_html(attrs: dict) -> str:
    """Django's ``attrs.html``: ``True`` as a bare name, ``False`` left out."""
    return "".join(
        f" {escape(name)}" if value is True else f' {escape(name)}="{escape(str(value))}"'
        for name, value in attrs.items()
        if value is not False
    )


class QuickInputMixin:
    """A widget written by ``html`` in Python (``input_html`` unless a subclass says otherwise, such as
    ``QuickSelect``'s ``select_html``) instead of by the form renderer's templates."""

    def render(self, name, value, attrs=None, renderer=None):
        return mark_safe(self.html(self.get_context(name, value, attrs)["widget"]))  # noqa: S308 - html() escapes

    def html(self, widget: dict) -> str:
        return input_html(widget)


class QuickTextInput(QuickInputMixin, forms.TextInput):
    pass


class QuickHiddenInput(QuickInputMixin, forms.HiddenInput):
    pass


class QuickSelect(QuickInputMixin, forms.Select):
    def html(self, widget: dict) -> str:
        return select_html(widget)


class SolarHijriReadingMixin(QuickInputMixin):
    """An input followed by its Solar Hijri reading (``get_context`` puts it in ``widget["solar_hijri"]``)."""

    def html(self, widget: dict) -> str:
        reading = widget["solar_hijri"]
        if not reading:
            return input_html(widget)
        return f'{input_html(widget)} <span class="solar-hijri" dir="rtl" lang="fa">{escape(reading)}</span>'


class SolarHijriDateInput(SolarHijriReadingMixin, forms.DateInput):
    """A text input that shows the stored date in ISO form, with its Solar Hijri reading beside it."""

    input_type = "text"

    def __init__(self, attrs=None):
        super().__init__(
            attrs={"placeholder": "2024-05-12 / ۱۴۰۳-۰۲-۲۳", "size": 16, "dir": "ltr", **(attrs or {})},
            format="%Y-%m-%d",
        )

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["solar_hijri"] = solar_hijri(value) if isinstance(value, datetime.date) else ""
        return context


class SolarHijriDateField(forms.DateField):
    """A date typed in the Gregorian or the Solar Hijri calendar, in any digits (see common.dates)."""

    widget = SolarHijriDateInput

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        try:
            return parse_date(str(value)).date
        except ValidationError as error:
            raise ValidationError(error.messages, code="invalid") from error
