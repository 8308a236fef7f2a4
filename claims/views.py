"""The analysts' pages: parse (FilterSet, through the selectors) → selector → render. No queries in templates."""

import datetime

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from claims.exports import STATEMENT_COLUMNS, claim_columns, stream_csv
from claims.facets import Total, filter_labels, month_series, statement_facets
from claims.filters import ArticleFilterSet, ClaimFilterSet, OfficialFilterSet, StatementFilterSet, TopicFilterSet
from claims.models import Topic
from claims.pagination import keyset_page, page_size_from
from claims.selectors import (
    EXACT_COUNT_LIMIT,
    FilterError,
    bind,
    claim_list,
    list_rows,
    official_get,
    official_list,
    planner_estimate,
    planner_plan,
    related_claims,
    search_is_rare,
    statement_get,
    statement_list,
    topic_get,
    topic_list,
    topic_tree,
)
from common.security import export_cut_note, export_refusal
from sources.selectors import article_get, article_list, article_marked_body

PROFILE_STATEMENTS = 10
PROFILE_TOPICS = 15
TOPIC_TREE_PAGE = 200


def _form(filterset_class, request):
    """The filter form as the user sent it (bound, validated), for redisplay with its errors."""
    return bind(filterset_class, request.GET, request.user).form


def _selected(form, *names) -> dict[str, list[int]]:
    data = getattr(form, "cleaned_data", {}) or {}
    return {name: list(data.get(name) or []) for name in names}


def _total(facets_total: Total, page) -> Total:
    """The count to show: exact when known, else the estimate, never below what the page proves."""
    if facets_total.exact:
        return facets_total
    if page.is_first and page.next_cursor is None:
        return Total(len(page.rows), True)
    return Total(max(facets_total.value, len(page.rows) + (1 if page.next_cursor else 0)), False)


def _invalid(request, template, context):
    return render(request, template, context, status=400)


FACET_FILTERS = ("official", "topic", "outlet", "organization")
# The filter controls beside each list, in the order shown (claims/_filter_panel.html).
STATEMENT_PANEL = ("language", "venue_kind", "attribution", "claim_kind", "contested", "country", "status", "ordering")
CLAIM_PANEL = ("kind", "contested", "language", "venue_kind", "country", "status", "ordering")


def _panel(form, names) -> list:
    return [form[name] for name in names]


@require_safe
def statement_list_view(request):
    """The rows first: the counts beside them (facets, timeline, exact total) are their own request,
    statement_counts_view, which the page fetches after it has shown the rows."""
    filters = bind(StatementFilterSet, request.GET, request.user)
    selected = _selected(filters.form, *FACET_FILTERS)
    context = {
        "form": filters.form,
        "panel": _panel(filters.form, STATEMENT_PANEL),
        "active": "statements",
        "selected": selected,
    }
    try:
        queryset = statement_list(filters=filters, user=request.user)
        page = keyset_page(
            list_rows(queryset),
            cursor=request.GET.get("cursor"),
            size=page_size_from(request.GET.get("page_size")),
            sort_matches=search_is_rare(filters.form.cleaned_data.get("q")),
        )
    except FilterError as error:
        return _invalid(request, "claims/statement_list.html", {**context, "errors": error.errors})
    # A list that fits on its page is counted by the page itself; otherwise "about N" from the
    # planner until the counts request brings the exact total (or a better estimate).
    whole = page.is_first and page.next_cursor is None
    estimate = Total(0 if whole else planner_estimate(queryset), False)
    context.update(page=page, total=_total(estimate, page), labels=filter_labels(selected))
    context.update(export_limit=_export_limit(request))
    return render(request, "claims/statement_list.html", context)


@require_safe
def statement_counts_view(request):
    """Facets, the monthly timeline and the total for the statement list's filter (same parameters)."""
    filters = bind(StatementFilterSet, request.GET, request.user)
    context = {"form": filters.form, "active": "statements", "selected": _selected(filters.form, *FACET_FILTERS)}
    try:
        queryset = statement_list(filters=filters, user=request.user)
    except FilterError as error:
        return _invalid(request, "claims/statement_counts.html", {**context, "errors": error.errors})
    plan = planner_plan(queryset)
    facets = statement_facets(queryset=queryset, estimate=plan.rows, cost=plan.cost)
    context.update(
        facets=facets,
        total=facets.total,
        timeline=month_series(facets.months),
        facet_base=reverse("claims:statement_list"),
    )
    return render(request, "claims/statement_counts.html", context)


@require_safe
def statement_detail_view(request, pk):
    statement = statement_get(pk=pk, user=request.user)
    return render(
        request,
        "claims/statement_detail.html",
        {"statement": statement, "related": related_claims(statement), "active": "statements"},
    )


def _export_limit(request) -> int | None:
    """The rows an export of this reader stops at (anonymous visitors only; see common.security)."""
    return None if request.user.is_authenticated else settings.GOFTAR_ANONYMOUS_EXPORT_MAX_ROWS


def _csv_response(request, selector, columns, name):
    try:
        queryset = selector(filters=request.GET, user=request.user)
    except FilterError as error:
        return JsonResponse({"errors": error.errors}, status=400)
    # Anonymous exports are bounded in rate and in rows, the rows counted by the stream itself (an
    # estimate can be far off): see common.security.
    refusal = export_refusal(request)
    if refusal is not None:
        return refusal
    limit = _export_limit(request)
    rows = stream_csv(queryset, columns, limit=limit, cut_note="" if limit is None else export_cut_note(limit))
    response = StreamingHttpResponse(rows, content_type="text/csv; charset=utf-8")
    stamp = datetime.date.today().isoformat()
    response["Content-Disposition"] = f'attachment; filename="goftar-{name}-{stamp}.csv"'
    return response


@require_safe
def statement_export_view(request):
    return _csv_response(request, statement_list, STATEMENT_COLUMNS, "statements")


@require_safe
def claim_list_view(request):
    form = _form(ClaimFilterSet, request)
    context = {"form": form, "panel": _panel(form, CLAIM_PANEL), "active": "claims"}
    try:
        queryset = claim_list(filters=request.GET, user=request.user)
        page = keyset_page(
            queryset, cursor=request.GET.get("cursor"), size=page_size_from(request.GET.get("page_size"))
        )
    except FilterError as error:
        return _invalid(request, "claims/claim_list.html", {**context, "errors": error.errors})
    if page.is_first and page.next_cursor is None:
        total = Total(len(page.rows), True)
    else:
        estimate = planner_estimate(queryset)
        exact = estimate <= EXACT_COUNT_LIMIT
        total = Total(queryset.order_by().count() if exact else estimate, exact)
    context.update(page=page, total=total, export_limit=_export_limit(request))
    return render(request, "claims/claim_list.html", context)


@require_safe
def claim_export_view(request):
    return _csv_response(request, claim_list, claim_columns(request.user), "claims")


def _keyset_list(request, *, filterset_class, selector, template, active):
    """A filtered list with keyset pages and nothing else beside it (officials, articles)."""
    context = {"form": _form(filterset_class, request), "active": active}
    try:
        queryset = selector(filters=request.GET, user=request.user)
        context["page"] = keyset_page(
            queryset, cursor=request.GET.get("cursor"), size=page_size_from(request.GET.get("page_size"))
        )
    except FilterError as error:
        return _invalid(request, template, {**context, "errors": error.errors})
    return render(request, template, context)


@require_safe
def official_list_view(request):
    return _keyset_list(
        request,
        filterset_class=OfficialFilterSet,
        selector=official_list,
        template="claims/official_list.html",
        active="officials",
    )


@require_safe
def official_detail_view(request, pk):
    official = official_get(pk=pk)
    statements = statement_list(filters={"official": [str(official.pk)]}, user=request.user)
    page = keyset_page(list_rows(statements), size=PROFILE_STATEMENTS)
    plan = planner_plan(statements)
    facets = statement_facets(queryset=statements, estimate=plan.rows, cost=plan.cost, limit=PROFILE_TOPICS)
    context = {
        "official": official,
        "page": page,
        "total": _total(facets.total, page),
        "facets": facets,
        "timeline": month_series(facets.months),
        "active": "officials",
    }
    return render(request, "claims/official_detail.html", context)


@require_safe
def topic_list_view(request):
    form = _form(TopicFilterSet, request)
    context = {"form": form, "active": "topics"}
    searching = any(request.GET.get(name) for name in ("q", "parent"))
    try:
        # Filtered topics are a flat, paginated list; the unfiltered page is the whole tree.
        queryset = topic_list(filters=request.GET, user=request.user)
        if searching or request.GET.get("cursor"):
            context["page"] = keyset_page(
                queryset, cursor=request.GET.get("cursor"), size=page_size_from(request.GET.get("page_size"))
            )
        else:
            # The tree is a few hundred rows read in one query; it is paged in Python, by position.
            context["tree"] = Paginator(topic_tree(), TOPIC_TREE_PAGE).get_page(request.GET.get("page"))
    except FilterError as error:
        return _invalid(request, "claims/topic_list.html", {**context, "errors": error.errors})
    return render(request, "claims/topic_list.html", context)


@require_safe
def topic_detail_view(request, pk):
    try:
        topic, ancestors, children = topic_get(pk=pk)
    except Topic.DoesNotExist as error:
        raise Http404(_("No such topic.")) from error
    statements = statement_list(filters={"topic": [str(topic.pk)]}, user=request.user)
    page = keyset_page(list_rows(statements), size=PROFILE_STATEMENTS)
    plan = planner_plan(statements)
    facets = statement_facets(queryset=statements, estimate=plan.rows, cost=plan.cost)
    context = {
        "topic": topic,
        "ancestors": ancestors,
        "children": children,
        "page": page,
        "total": _total(facets.total, page),
        "facets": facets,
        "timeline": month_series(facets.months),
        "active": "topics",
    }
    return render(request, "claims/topic_detail.html", context)


@require_safe
def article_list_view(request):
    return _keyset_list(
        request,
        filterset_class=ArticleFilterSet,
        selector=article_list,
        template="claims/article_list.html",
        active="articles",
    )


@require_safe
def article_detail_view(request, pk):
    article = article_get(pk=pk, user=request.user)
    return render(
        request,
        "claims/article_detail.html",
        {"article": article, "marked_body": article_marked_body(article), "active": "articles"},
    )
