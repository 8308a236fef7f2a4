"""Template helpers for the analysts' pages: permalink building, dates, digits, the timeline chart.

None of these touch the database: templates never query.
"""

import datetime

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from common.dates import DatePrecision, solar_hijri
from common.languages import name_in_page_language, page_is_persian

register = template.Library()

# Parameters that belong to one page of a list, not to the filter: dropped when the filter changes.
PAGE_PARAMETERS = ("cursor",)
_PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")

CHART_WIDTH = 720
CHART_HEIGHT = 150
CHART_TOP = 12
CHART_BOTTOM = 22
CHART_SIDE = 34
CHART_MAX_BAR = 28
CHART_MAX_LABELS = 12


@register.filter
def digits(value):
    """Persian digits when the page is in Persian."""
    text = str(value)
    return text.translate(_PERSIAN_DIGITS) if page_is_persian() else text


@register.filter
def number(value):
    """A count with thousands separators, in the page's digits."""
    if value is None:
        return ""
    text = number_format(value, force_grouping=True)
    return text.translate(_PERSIAN_DIGITS) if page_is_persian() else text


@register.filter
def gregorian(date, precision=DatePrecision.DAY):
    if not date:
        return ""
    if precision == DatePrecision.YEAR:
        return digits(date.year)
    if precision == DatePrecision.MONTH:
        return digits(date.strftime("%Y-%m"))
    return digits(date.isoformat())


@register.filter(name="solar_hijri")
def solar_hijri_filter(date, precision=DatePrecision.DAY):
    """۲۳ اردیبهشت ۱۴۰۳ (Solar Hijri, always with Persian digits: it is a Persian form)."""
    if isinstance(date, datetime.datetime):
        date = date.date()
    return solar_hijri(date, precision or DatePrecision.DAY) if date else ""


@register.simple_tag
def both_dates(date, precision=DatePrecision.DAY):
    """Gregorian and Solar Hijri side by side, each in its own direction."""
    if isinstance(date, datetime.datetime):
        date = date.date()
    if not date:
        return format_html('<span class="muted">{}</span>', _("date unknown"))
    precision = precision or DatePrecision.DAY
    return format_html(
        '<time datetime="{}" dir="ltr">{}</time> <span class="solar-hijri" lang="fa" dir="rtl">{}</span>',
        date.isoformat(),
        gregorian(date, precision),
        solar_hijri(date, precision),
    )


@register.filter
def label(item, attribute="name"):
    """A topic's, official's, outlet's or facet's name, in its native form on Persian pages when
    one is recorded (common.languages)."""
    return name_in_page_language(item, attribute)


def _query(request, changes: dict, removals: dict):
    params = request.GET.copy()
    for name in PAGE_PARAMETERS:
        params.pop(name, None)
    for name, value in removals.items():
        values = [v for v in params.getlist(name) if value is None or v != str(value)]
        params.setlist(name, values)
        if not values:
            params.pop(name, None)
    for name, value in changes.items():
        if value in (None, ""):
            params.pop(name, None)
        else:
            params[name] = str(value)
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.simple_tag(takes_context=True)
def url_set(context, **changes):
    """This page's URL with some parameters replaced (and the page cursor dropped)."""
    return _query(context["request"], changes, {})


@register.simple_tag(takes_context=True)
def url_add(context, name, value):
    """This page's URL with one more value for a repeatable parameter (a facet click)."""
    request = context["request"]
    params = request.GET.copy()
    for page_name in PAGE_PARAMETERS:
        params.pop(page_name, None)
    values = params.getlist(name)
    if str(value) not in values:
        params.appendlist(name, str(value))
    return f"?{params.urlencode()}"


@register.simple_tag(takes_context=True)
def url_remove(context, name, value=None):
    """This page's URL without one value of a parameter (or without the parameter)."""
    return _query(context["request"], {}, {name: value})


@register.simple_tag(takes_context=True)
def url_page(context, cursor):
    """The URL of another page of the same list: the filter stays, the cursor changes."""
    params = context["request"].GET.copy()
    params["cursor"] = cursor
    return f"?{params.urlencode()}"


@register.filter
def is_selected(value, selected):
    return value in (selected or [])


@register.simple_tag
def timeline_svg(series):
    """Statements per month as an SVG bar chart, drawn on the server (no JavaScript)."""
    if not series:
        return format_html('<p class="muted">{}</p>', _("No dated statements to chart."))
    peak = max(count for _, count in series) or 1
    plot_width = CHART_WIDTH - 2 * CHART_SIDE
    plot_height = CHART_HEIGHT - CHART_TOP - CHART_BOTTOM
    step = plot_width / len(series)
    bar = max(1.0, min(step * 0.8, CHART_MAX_BAR))
    years = series[-1][0].year - series[0][0].year + 1
    year_step = max(1, -(-years // CHART_MAX_LABELS))
    bars, labels = [], []
    for index, (month, count) in enumerate(series):
        height = plot_height * count / peak
        x = CHART_SIDE + index * step + (step - bar) / 2
        y = CHART_TOP + plot_height - height
        title = f"{_month_title(month)}: {count}"
        bars.append((f"{x:.1f}", f"{y:.1f}", f"{bar:.1f}", f"{height:.1f}", title))
        centre = f"{x + bar / 2:.1f}"
        if len(series) <= CHART_MAX_LABELS:
            labels.append((centre, CHART_HEIGHT - 6, f"{month:%Y-%m}"))
        elif month.month == 1 and (month.year - series[0][0].year) % year_step == 0:
            labels.append((centre, CHART_HEIGHT - 6, str(month.year)))
    rects = format_html_join(
        "", '<rect x="{}" y="{}" width="{}" height="{}" class="bar"><title>{}</title></rect>', bars
    )
    ticks = format_html_join("", '<text x="{}" y="{}" class="tick" text-anchor="middle">{}</text>', labels)
    axis = format_html(
        '<line x1="{}" y1="{}" x2="{}" y2="{}" class="axis"/>'
        '<text x="{}" y="{}" class="tick" text-anchor="end">{}</text>'
        '<text x="{}" y="{}" class="tick" text-anchor="end">0</text>',
        CHART_SIDE,
        CHART_TOP + plot_height,
        CHART_WIDTH - CHART_SIDE,
        CHART_TOP + plot_height,
        CHART_SIDE - 6,
        CHART_TOP + 8,
        peak,
        CHART_SIDE - 6,
        CHART_TOP + plot_height,
    )
    return format_html(
        '<svg class="timeline" viewBox="0 0 {} {}" role="img" aria-label="{}" dir="ltr" '
        'xmlns="http://www.w3.org/2000/svg">{}{}{}</svg>',
        CHART_WIDTH,
        CHART_HEIGHT,
        _("Statements per month"),
        axis,
        rects,
        ticks,
    )


@register.filter
def bidi_dir(language):
    """dir for a text in ``language``: rtl for Persian and Arabic, auto otherwise."""
    return "rtl" if language in ("fa", "ar") else "auto"


@register.filter
def topic_refs(refs):
    """The topic_refs array column of a list row as TopicRef objects."""
    from claims.selectors import TopicRef

    return TopicRef.all_of(refs)


@register.filter
def clip(value, length):
    """Cut long text to ``length`` characters with an ellipsis (Truncator is slow on long Persian text)."""
    text = str(value or "")
    length = int(length)
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def _month_title(month: datetime.date) -> str:
    return f"{month:%Y-%m} · {solar_hijri(month, DatePrecision.MONTH)}"


@register.filter
def get_item(mapping, key):
    return (mapping or {}).get(key)
