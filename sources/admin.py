"""The curators' admin for outlets, the articles captured from them, and republications."""


from django import forms
from django.contrib import admin
from django.contrib.admin import widgets
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

# Citations belong to claims, but curators read them from the article too ("which statements does
# this page carry?"); the admin layer is the one place sources looks at claims.
from claims.models import Citation
from common.admin import GoftarInline, GoftarModelAdmin
from common.dates import TEHRAN, solar_hijri
from common.queries import planner_estimate
from common.search import search_query
from common.text import fold
from sources.forms import ArticleForm, FoldedAliasFormSet, OutletAliasForm
from sources.models import Article, Outlet, OutletAlias, Republication

TITLE_EXCERPT = 90
# Django 6 assumes https for typed URLs without a scheme; say so now (and silence the warning).
URL_FIELD_OVERRIDES = {models.URLField: {"assume_scheme": "https"}}


# Related rows whose __str__ reads another row: fetched with it, in choice lists and autocomplete
# widgets alike, instead of one query per selected row.
LABEL_RELATIONS = {"claims.Statement": ("official",), "claims.Position": ("organization",)}


class RelatedLabelsMixin:
    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        related = LABEL_RELATIONS.get(db_field.related_model._meta.label)
        if related and "queryset" not in kwargs:
            kwargs["queryset"] = db_field.related_model._default_manager.select_related(*related)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


# From this many rows (by the planner's estimate) a changelist shows "about N" instead of counting:
# an exact count reads every matching row, and a curator paging through a million statements
# needs the order of magnitude, not the last digit. Below it, counting stops after
# EXACT_COUNT_LIMIT rows, because the planner can badly underestimate a text search. (Measured on
# 300,000 statements: a common search word matched 86,105; counting them all took 890 ms, counting
# to 10,001 took 210 ms, to 1,001 took 20 ms; the estimate, 89,129, took one EXPLAIN.)
ESTIMATE_FROM_ROWS = 10_000
EXACT_COUNT_LIMIT = 1_000
MESSAGE_ESTIMATED_COUNT = _("about %(count)s %(name)s (estimated)")


class EstimatedCountPaginator(Paginator):
    """Counts exactly what is small, estimates what is large (and says so: see admin/pagination.html)."""

    estimated = False

    @cached_property
    def count(self):
        queryset = self.object_list
        if not isinstance(queryset, QuerySet):
            return super().count
        estimate = planner_estimate(queryset)
        if estimate < ESTIMATE_FROM_ROWS:
            # SELECT count(*) FROM (... LIMIT n): reads at most n matching rows.
            counted = queryset.order_by()[: EXACT_COUNT_LIMIT + 1].count()
            if counted <= EXACT_COUNT_LIMIT:
                return counted
            estimate = max(estimate, counted)
        self.estimated = True
        return estimate

    @property
    def estimate_label(self):
        opts = self.object_list.model._meta
        return MESSAGE_ESTIMATED_COUNT % {"count": intcomma(self.count), "name": opts.verbose_name_plural}


# Text runs in either direction: Persian in the English admin and English in the Persian one
# read the right way round.
CURATOR_FIELDS = {
    **GoftarModelAdmin.formfield_overrides,
    models.CharField: {"widget": widgets.AdminTextInputWidget(attrs={"dir": "auto"})},
    models.TextField: {"widget": widgets.AdminTextareaWidget(attrs={"dir": "auto", "rows": 4})},
}
INLINE_FIELDS = {
    **CURATOR_FIELDS,
    models.CharField: {"widget": forms.TextInput(attrs={"dir": "auto", "size": 24})},
    models.TextField: {"widget": forms.Textarea(attrs={"dir": "auto", "rows": 2, "cols": 36})},
}


def short_text(text: str, length: int) -> str:
    """The start of a long text for a list column. (Django's truncatechars walks every character
    of the text: on a page of long statements that was a fifth of the page's time.)"""
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


class CuratorAdmin(RelatedLabelsMixin, GoftarModelAdmin):
    """The base of the claims and sources admins."""

    paginator = EstimatedCountPaginator
    # Rendering rows is most of a changelist's time; fifty is a screenful or two.
    list_per_page = 50
    formfield_overrides = CURATOR_FIELDS


class CuratorInline(RelatedLabelsMixin, GoftarInline):
    """The base of the claims and sources inlines."""

    formfield_overrides = INLINE_FIELDS


class FoldedSearchMixin:
    """Admin search (and autocomplete) over the model's folded, GIN-indexed ``search_document``.

    Django's default search runs ``icontains`` on raw text, which misses spelling variants
    (گفتگو/گفتوگو, ي/ی) and cannot use an index on a big table. ``search_fields`` must still be
    set (autocomplete requires it and it turns the search box on); it is not used for the query.
    Used by the claims admin too.
    """

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        query = search_query(search_term)
        return (queryset.filter(search_document=query) if query is not None else queryset.none()), False


class FoldedAliasSearchMixin:
    """Admin search of alias rows: a prefix of the folded name (b-tree index), in any script."""

    def get_search_results(self, request, queryset, search_term):
        folded = fold(search_term)
        if not folded:
            return queryset, False
        return queryset.filter(normalized__startswith=folded), False


class OutletAliasInline(CuratorInline):
    model = OutletAlias
    # The formset compares the folded names of all rows at once (a rename and a new spelling may swap).
    formset = FoldedAliasFormSet
    fields = ("name",)
    show_change_link = False


@admin.register(Outlet)
class OutletAdmin(CuratorAdmin):
    list_display = ("name", "name_native", "domain", "country", "language", "kind")
    list_select_related = ()
    list_filter = ("kind", "language")
    search_fields = ("search_document",)
    ordering = ("name", "id")
    inlines = (OutletAliasInline,)

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        query = search_query(search_term)
        if query is None:
            return queryset.none(), False
        # Names, domain, and the names it is credited under (خبرآنلاین) in any script.
        alias = OutletAlias.objects.filter(outlet_id=OuterRef("pk"), normalized=fold(search_term))
        return queryset.filter(Q(search_document=query) | Exists(alias)), False


@admin.register(OutletAlias)
class OutletAliasAdmin(FoldedAliasSearchMixin, CuratorAdmin):
    form = OutletAliasForm
    list_display = ("name", "outlet", "normalized")
    list_select_related = ("outlet",)
    search_fields = ("normalized",)
    autocomplete_fields = ("outlet",)
    readonly_fields = ("normalized",)
    ordering = ("outlet_id", "name", "id")


class ArticleCitationInline(CuratorInline):
    """The statements this page carries, each with its quote at stored offsets. Read here, edited on
    the citation's or the statement's page, where the rule on published words is applied."""

    model = Citation
    fields = ("statement", "quote", "start_offset", "end_offset", "role", "verified")
    readonly_fields = fields
    show_change_link = True
    can_delete = False
    verbose_name = _("statement quoted here")
    verbose_name_plural = _("statements quoted here")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("statement__official")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class RepublicationInline(CuratorInline):
    model = Republication
    formfield_overrides = {**INLINE_FIELDS, **URL_FIELD_OVERRIDES}
    fields = ("url", "outlet", "published_at", "published_as_printed", "captured_at")
    autocomplete_fields = ("outlet",)
    show_change_link = False


@admin.register(Article)
class ArticleAdmin(FoldedSearchMixin, CuratorAdmin):
    form = ArticleForm
    list_display = (
        "short_title",
        "outlet",
        "upstream_outlet",
        # Both calendars in one cell: each cell costs the admin's row machinery ~25 µs, whatever it shows.
        "published_dates",
        "news_code",
        "language",
    )
    list_display_links = ("short_title",)
    list_select_related = ("outlet", "upstream_outlet")
    list_filter = ("language", "published_calendar")
    search_fields = ("search_document",)
    date_hierarchy = "published_at"
    ordering = ("-published_at", "-id")
    autocomplete_fields = ("outlet", "upstream_outlet")
    readonly_fields = ("body_sha256", "body_characters")
    inlines = (ArticleCitationInline, RepublicationInline)
    fieldsets = (
        (None, {"fields": ("title", "outlet", "url", "language", "news_code")}),
        (_("Credit"), {"fields": ("upstream_outlet", "upstream_name_as_printed")}),
        (_("Dates"), {"fields": ("published_at", ("published_as_printed", "published_calendar"), "captured_at")}),
        (_("Text as captured"), {"fields": ("lead", "body", "body_characters", "body_sha256")}),
    )

    def view_on_site(self, obj):
        return reverse("claims:article_detail", args=[obj.pk])

    def get_queryset(self, request):
        # The search documents are generated by PostgreSQL and read by no page: parsing them was a
        # sixth of the changelist's fetch.
        return super().get_queryset(request).defer(
            "search_document", "outlet__search_document", "upstream_outlet__search_document"
        )

    @admin.display(description=_("title"), ordering="title")
    def short_title(self, obj):
        return short_text(obj.title, TITLE_EXCERPT)

    @admin.display(description=_("published at"), ordering="published_at")
    def published_dates(self, obj):
        if obj.published_at is None:
            return self.get_empty_value_display()
        # Tehran's day in both calendars, then the time once.
        local = timezone.localtime(obj.published_at, TEHRAN)
        return format_html(
            '{}<span class="solar-hijri" lang="fa">{}، {}</span>',
            formats.localize(local.date()),
            solar_hijri(local.date()),
            f"{local:%H:%M}",
        )

    @admin.display(description=_("characters in body"))
    def body_characters(self, obj):
        return obj.body_length if obj.body else 0


@admin.register(Republication)
class RepublicationAdmin(CuratorAdmin):
    formfield_overrides = {**CURATOR_FIELDS, **URL_FIELD_OVERRIDES}
    list_display = ("url", "article", "outlet", "published_at")
    list_select_related = ("article", "outlet")
    search_fields = ("=url",)
    autocomplete_fields = ("article", "outlet")
    ordering = ("article_id", "captured_at", "id")

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        # An exact URL (unique index), or the republished article's text.
        query = search_query(search_term)
        condition = Q(url=search_term.strip())
        if query is not None:
            condition |= Q(article__search_document=query)
        return queryset.filter(condition), False
