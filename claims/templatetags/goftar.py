"""Template helpers for the analysts' pages: permalink building, dates, digits, the timeline chart.

None of these touch the database: templates never query.
"""

import datetime
import functools
import html

from django import template
from django.utils import translation
from django.utils.formats import number_format
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django_filters.fields import ChoiceIterator

from claims.choices import ReviewStatus, VenueKind, choice_labels
from common.dates import DatePrecision, solar_hijri
from common.links import id_paths

register = template.Library()

# Parameters that belong to one page of a list, not to the filter: dropped when the filter changes.
PAGE_PARAMETERS = ("cursor",)
_escape = html.escape  # what django.utils.html.escape calls, without its lazy-string wrapper
_PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")

CHART_WIDTH = 720
CHART_HEIGHT = 150
CHART_TOP = 12
CHART_BOTTOM = 22
CHART_SIDE = 34
CHART_MAX_BAR = 28
CHART_MAX_LABELS = 12


def _persian() -> bool:
    return (translation.get_language() or "").startswith("fa")


@register.filter
def digits(value):
    """Persian digits when the page is in Persian."""
    text = str(value)
    return text.translate(_PERSIAN_DIGITS) if _persian() else text


@register.filter
def number(value):
    """A count with thousands separators, in the page's digits."""
    if value is None:
        return ""
    text = number_format(value, force_grouping=True)
    return text.translate(_PERSIAN_DIGITS) if _persian() else text


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
    return _both_dates(date, precision or DatePrecision.DAY, _persian())


@functools.lru_cache(maxsize=8192)
def _both_dates(date: datetime.date, precision, persian: bool):
    # Cached: a list page shows the same few days again and again, and the calendar conversion is
    # the dear part. ``persian`` is part of the key because gregorian() follows the page's digits.
    return format_html(
        '<time datetime="{}" dir="ltr">{}</time> <span class="solar-hijri" lang="fa" dir="rtl">{}</span>',
        date.isoformat(),
        gregorian(date, precision),
        solar_hijri(date, precision),
    )


@register.filter
def label(item, attribute="name"):
    """The Persian name of a topic/official/outlet when the page is Persian and one is recorded."""
    if item is None:
        return ""
    native = {"name": ("name_fa", "native_name", "name_native"), "display_name": ("native_name",)}.get(attribute, ())
    if _persian():
        for name in native:
            value = getattr(item, name, "")
            if value:
                return value
    return getattr(item, attribute, "") or str(item)


@register.filter
def facet_label(item):
    """FacetItem label: its native form on Persian pages when there is one."""
    if _persian() and getattr(item, "label_native", ""):
        return item.label_native
    return item.label


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


def _topic_links(refs, persian: bool, topic_path) -> str:
    """A row's topics (its ``topic_refs``) as links named in the page's language, in one pass."""
    if not refs:
        return ""
    items = "".join(
        f'<li><a href="{_escape(topic_path(ref["id"]))}" dir="auto">'
        f"{_escape((persian and ref.get('name_fa')) or ref['name'])}</a></li>"
        for ref in refs
    )
    return mark_safe(f'<ul class="tags">{items}</ul>')  # noqa: S308 - ids are ints, names escaped


@register.simple_tag
def statement_rows(rows):
    """A list page's statements (``claims.selectors.list_rows`` dicts) as ``<li class="result">``
    items, built in Python in one pass.

    For the same reason Django's admin builds its changelist cells in Python (``items_for_result``):
    a row of this list ran some thirty template nodes, and 25 rows were more than a third of the
    page's server time. Plain string building with ``html.escape`` (what Django's ``escape`` wraps)
    keeps a row at a few microseconds; every text that comes from the database is escaped.
    """
    persian = _persian()
    language = translation.get_language()
    venue_kinds, statuses = choice_labels(VenueKind, language), choice_labels(ReviewStatus, language)
    official_path, statement_path = id_paths("claims:official_detail"), id_paths("claims:statement_detail")
    topic_path = id_paths("claims:topic_detail")
    html_rows = []
    for row in rows:
        if (official := row["official_names"]) is not None:
            name = (persian and official["native_name"]) or official["display_name"]
            speaker = (
                f'<a href="{_escape(official_path(row["official"]))}"><strong dir="auto">{_escape(name)}</strong></a>'
            )
        else:
            speaker = f'<strong dir="auto">{_escape(row["speaker_name_as_printed"])}</strong>'
        position = row["held_position_label"]
        position = f'<span dir="auto">{_escape(position)}</span>' if position else ""
        venue = _escape(venue_kinds.get(row["venue_kind"], row["venue_kind"]))
        if (outlet := row["outlet_names"]) is not None:
            outlet_name = (persian and outlet["name_native"]) or outlet["name"]
            venue += f' · <span dir="auto">{_escape(outlet_name)}</span>'
        status = row["status"]
        badge = (
            f'<span class="badge {_escape(status)}">{_escape(statuses.get(status, status))}</span>'
            if status != ReviewStatus.PUBLISHED
            else ""
        )
        said_on = row["said_on"]
        dates = (
            _both_dates(said_on, row["said_on_precision"] or DatePrecision.DAY, persian)
            if said_on
            else both_dates(None)
        )
        html_rows.append(
            f'<li class="result" data-statement="{int(row["id"])}">\n'
            f'  <div class="meta">\n    {speaker}\n'
            f"    {position}\n"
            f"    <span>{dates}</span>\n    <span>{venue}</span>\n    {badge}\n  </div>\n"
            f'  <p class="quote" dir="{bidi_dir(row["language"])}" lang="{_escape(row["language"])}">'
            f'<a href="{_escape(statement_path(row["id"]))}" class="plain">'
            f"{_escape(clip(row['text'], 420))}</a></p>\n"
        )
        if row["translation"]:
            html_rows.append(
                f'  <p class="translation" dir="auto" lang="en">{_escape(clip(row["translation"], 300))}</p>\n'
            )
        html_rows.append(f"  {_topic_links(row['topic_refs'], persian, topic_path)}\n</li>")
    return mark_safe("".join(html_rows))  # noqa: S308 - every database text above is escaped


@register.simple_tag
def hidden_inputs(*fields):
    """The values of repeatable id filters (``?topic=3&topic=4``) as hidden inputs, so that the
    form's other controls keep them; one call instead of a form-renderer template per field."""
    return format_html_join(
        "",
        '<input type="hidden" name="{}" value="{}">',
        ((field.html_name, value) for field in fields for value in _values(field)),
    )


def _values(field) -> list:
    value = field.value()
    if value in (None, ""):
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


# Where a filter's choice iterator keeps {language: its values and labels, escaped}.
_ESCAPED_ATTRIBUTE = "_goftar_escaped_choices"


def _escaped_choices(choices) -> tuple[tuple[str, str, str], ...]:
    """``(value, escaped value, escaped label)`` of a filter's choices, kept per language when they
    are a fixed list.

    The labels are lazy translations, and a list page shows seven groups of them on every request;
    their text and escaping were most of what those groups cost. A filter's iterator over a fixed
    list lives as long as its FilterSet class and keeps them itself; any other choices (a
    queryset's, which change with the database) are read afresh.
    """
    if not (isinstance(choices, ChoiceIterator) and isinstance(choices.choices, list | tuple)):
        return _escaped(choices)
    by_language = vars(choices).setdefault(_ESCAPED_ATTRIBUTE, {})
    language = translation.get_language() or ""
    if language not in by_language:
        by_language[language] = _escaped(choices)
    return by_language[language]


def _escaped(choices) -> tuple[tuple[str, str, str], ...]:
    return tuple((str(value), _escape(str(value)), _escape(str(text))) for value, text in choices)


@register.simple_tag
def choice_boxes(field):
    """A multiple-choice filter as a fieldset of checkboxes (what a loop of tags did, in one call)."""
    selected = {str(value) for value in field.value() or []}
    name = _escape(field.html_name)
    boxes = "".join(
        f'<label><input type="checkbox" name="{name}" value="{value}"'
        f"{' checked' if raw in selected else ''}> {text}</label>"
        for raw, value, text in _escaped_choices(field.field.choices)
    )
    errors = str(field.errors) if field.errors else ""
    return mark_safe(f"<fieldset><legend>{_escape(str(field.label))}</legend>{boxes}{errors}</fieldset>")  # noqa: S308


@register.simple_tag
def choice_select(field):
    """A single-choice filter as a labelled ``<select>``."""
    selected = field.value()
    selected = "" if selected is None else str(selected)
    options = "".join(
        f'<option value="{value}"{" selected" if raw == selected else ""}>{text}</option>'
        for raw, value, text in _escaped_choices(field.field.choices)
    )
    return _labelled(
        field, f'<select name="{_escape(field.html_name)}" id="{_escape(field.auto_id)}">{options}</select>'
    )


@register.simple_tag
def text_field(field):
    """A text filter as a labelled input (its widget renders without the form renderer: QuickTextInput)."""
    return _labelled(field, str(field))


def _labelled(field, control: str) -> str:
    """``control`` in a ``<div class="field">`` with the field's label before it and its errors after."""
    errors = str(field.errors) if field.errors else ""
    return mark_safe(  # noqa: S308 - the label escaped; control and errors are escaped markup already
        f'<div class="field"><label for="{_escape(field.id_for_label)}">{_escape(str(field.label))}:</label>'
        f"{control}{errors}</div>"
    )


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
    # Hundreds of bars: plain formatting of numbers we computed (the titles are dates and counts,
    # escaped once), rather than one format_html call per bar.
    rects = mark_safe(  # noqa: S308 - numbers, plus escaped titles
        "".join(
            f'<rect x="{x}" y="{y}" width="{w}" height="{h}" class="bar"><title>{escape(title)}</title></rect>'
            for x, y, w, h, title in bars
        )
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


@functools.lru_cache(maxsize=4096)
def _month_title(month: datetime.date) -> str:
    return f"{month:%Y-%m} · {solar_hijri(month, DatePrecision.MONTH)}"


@register.filter
def get_item(mapping, key):
    return (mapping or {}).get(key)
