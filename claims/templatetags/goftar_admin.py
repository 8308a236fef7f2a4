"""Admin template tags for big tables: a date drill-down that never scans the table."""

import datetime

from django.contrib.admin.templatetags.admin_list import date_hierarchy
from django.contrib.admin.templatetags.base import InclusionAdminNode
from django.contrib.admin.utils import get_fields_from_path
from django.db import models
from django.template import Library
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

register = Library()


def _bounds(cl, field_name, is_datetime):
    bounds = cl.queryset.aggregate(first=models.Min(field_name), last=models.Max(field_name))
    first, last = bounds["first"], bounds["last"]
    if first is None or last is None:
        return None, None
    if is_datetime:
        first = timezone.localtime(first) if timezone.is_aware(first) else first
        last = timezone.localtime(last) if timezone.is_aware(last) else last
        first, last = first.date(), last.date()
    return first, last


def bounded_date_hierarchy(cl):
    """Django's date drill-down, with its links computed from the first and last date of the
    filtered rows (MIN and MAX: two index probes) instead of ``SELECT DISTINCT`` over all of
    them, which reads the whole table. A year, month or day with no rows inside the range may
    be offered; following it shows an empty list."""
    field_name = cl.date_hierarchy
    field = get_fields_from_path(cl.model, field_name)[-1]
    is_datetime = isinstance(field, models.DateTimeField)
    year_field, month_field, day_field = f"{field_name}__year", f"{field_name}__month", f"{field_name}__day"
    year, month, day = (cl.params.get(name) for name in (year_field, month_field, day_field))
    if year and month and day:
        return date_hierarchy(cl)  # Django's own: no query at this level.

    def link(filters):
        return cl.get_query_string(filters, [f"{field_name}__"])

    first, last = _bounds(cl, field_name, is_datetime)
    if not (year or month) and first is not None and first.year == last.year:
        year = first.year
        if first.month == last.month:
            month = first.month
    if first is None:
        choices = []
    elif year and month:
        choices = [
            {"link": link({year_field: year, month_field: month, day_field: number}),
             "title": capfirst(formats.date_format(datetime.date(int(year), int(month), number), "MONTH_DAY_FORMAT"))}
            for number in range(first.day, last.day + 1)
        ]
        return {"show": True, "back": {"link": link({year_field: year}), "title": str(year)}, "choices": choices}
    elif year:
        choices = [
            {"link": link({year_field: year, month_field: number}),
             "title": capfirst(formats.date_format(datetime.date(int(year), number, 1), "YEAR_MONTH_FORMAT"))}
            for number in range(first.month, last.month + 1)
        ]
        return {"show": True, "back": {"link": link({}), "title": _("All dates")}, "choices": choices}
    else:
        choices = [
            {"link": link({year_field: str(number)}), "title": str(number)}
            for number in range(first.year, last.year + 1)
        ]
    return {"show": True, "back": None, "choices": choices}


@register.tag(name="bounded_date_hierarchy")
def bounded_date_hierarchy_tag(parser, token):
    return InclusionAdminNode(
        parser, token, func=bounded_date_hierarchy, template_name="date_hierarchy.html", takes_context=False
    )
