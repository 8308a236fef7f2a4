"""Form fields shared by the admin and the analysts' pages."""

import datetime

from django import forms
from django.core.exceptions import ValidationError

from common.dates import parse_date, solar_hijri


class SolarHijriReadingMixin:
    """An input followed by its Solar Hijri reading (``get_context`` puts it in ``widget["solar_hijri"]``)."""

    template_name = "common/widgets/solar_hijri_reading.html"


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
