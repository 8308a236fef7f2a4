"""Admin template tags for big tables: a date drill-down that never scans the table."""

import calendar
import datetime

from django.contrib.admin.templatetags.admin_list import date_hierarchy
from django.contrib.admin.utils import get_fields_from_path
from django.db import models
from django.template import Library
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

register = Library()


def _bounds(cl, field_name, is_datetime):
    """The first and last date in the whole table: MIN and MAX over its index, whatever the filters
    (bounds of a filtered set can cost a scan of everything the filter matches)."""
    bounds = cl.root_queryset.aggregate(first=models.Min(field_name), last=models.Max(field_name))
    first, last = bounds["first"], bounds["last"]
    if first is None or last is None:
        return None, None
    if is_datetime:
        first = timezone.localtime(first) if timezone.is_aware(first) else first
        last = timezone.localtime(last) if timezone.is_aware(last) else last
        first, last = first.date(), last.date()
    return first, last


def _number(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@register.inclusion_tag("admin/date_hierarchy.html")
def bounded_date_hierarchy(cl):
    """Django's date drill-down, with its links computed from the table's first and last date
    instead of ``SELECT DISTINCT`` over the filtered rows, which reads all of them. A year, month or
    day with no matching rows may be offered; following it shows an empty list."""
    field_name = cl.date_hierarchy
    field = get_fields_from_path(cl.model, field_name)[-1]
    is_datetime = isinstance(field, models.DateTimeField)
    year_field, month_field, day_field = f"{field_name}__year", f"{field_name}__month", f"{field_name}__day"
    year, month, day = (_number(cl.params.get(name)) for name in (year_field, month_field, day_field))
    if year and month and day:
        return date_hierarchy(cl)  # Django's own: no query at this level.

    def link(filters):
        return cl.get_query_string(filters, [f"{field_name}__"])

    first, last = _bounds(cl, field_name, is_datetime)
    if first is None:
        return {"show": True, "back": None, "choices": []}
    if not (year or month) and first.year == last.year:
        year = first.year
        if first.month == last.month:
            month = first.month
    if year and month and 1 <= month <= 12:
        start = first.day if (year, month) == (first.year, first.month) else 1
        end = last.day if (year, month) == (last.year, last.month) else calendar.monthrange(year, month)[1]
        choices = [
            {"link": link({year_field: year, month_field: month, day_field: number}),
             "title": capfirst(formats.date_format(datetime.date(year, month, number), "MONTH_DAY_FORMAT"))}
            for number in range(start, end + 1)
        ]
        return {"show": True, "back": {"link": link({year_field: year}), "title": str(year)}, "choices": choices}
    if year:
        start = first.month if year == first.year else 1
        end = last.month if year == last.year else 12
        choices = [
            {"link": link({year_field: year, month_field: number}),
             "title": capfirst(formats.date_format(datetime.date(year, number, 1), "YEAR_MONTH_FORMAT"))}
            for number in range(start, end + 1)
        ]
        return {"show": True, "back": {"link": link({}), "title": _("All dates")}, "choices": choices}
    years = range(first.year, last.year + 1)
    choices = [{"link": link({year_field: str(number)}), "title": str(number)} for number in years]
    return {"show": True, "back": None, "choices": choices}
