"""Read-only JSON endpoints. Lists run the same selectors (so the same FilterSets) as the HTML pages,
the CSV exports and the export commands; an invalid parameter is a 400 with the reasons."""

from django.http import Http404
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from claims import pagination, selectors
from claims.api import serializers
from claims.filters import ArticleFilterSet, ClaimFilterSet, OfficialFilterSet, StatementFilterSet, TopicFilterSet
from claims.models import Official, Statement, Topic
from sources import selectors as source_selectors


class SelectorFilterBackend(DjangoFilterBackend):
    """Lists go through the view's selector, which runs the FilterSet; the schema still lists its filters."""

    def filter_queryset(self, request, queryset, view):
        if getattr(view, "action", None) != "list":
            return queryset
        try:
            return view.selector(filters=request.query_params, user=request.user)
        except selectors.FilterError as error:
            raise ValidationError(error.errors) from error


class KeysetPagination(BasePagination):
    """Cursor pagination over the list's own order (claims.pagination.keyset_page): no OFFSET, no count."""

    cursor_query_param = "cursor"
    page_size_query_param = "page_size"

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        try:
            size = pagination.page_size_from(request.query_params.get(self.page_size_query_param))
            self.page = pagination.keyset_page(
                queryset,
                cursor=request.query_params.get(self.cursor_query_param),
                size=size,
                sort_matches=view is not None and view.sorts_matches(request),
            )
        except selectors.FilterError as error:
            raise ValidationError(error.errors) from error
        return self.page.rows

    def _link(self, cursor):
        if cursor is None:
            return None
        url = self.request.build_absolute_uri()
        return replace_query_param(url, self.cursor_query_param, cursor)

    def get_paginated_response(self, data):
        return Response(
            {
                "next": self._link(self.page.next_cursor),
                "previous": self._link(self.page.previous_cursor),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        link = {"type": "string", "format": "uri", "nullable": True}
        return {
            "type": "object",
            "required": ["results"],
            "properties": {"next": link, "previous": link, "results": schema},
        }

    def get_schema_operation_parameters(self, view):
        return [
            {"name": self.cursor_query_param, "required": False, "in": "query",
             "description": "Opaque page cursor taken from `next` or `previous`.", "schema": {"type": "string"}},
            {"name": self.page_size_query_param, "required": False, "in": "query",
             "description": f"Rows per page, 1 to {pagination.MAX_PAGE_SIZE} (default {pagination.PAGE_SIZE}).",
             "schema": {"type": "integer"}},
        ]  # fmt: skip

    def first_page_url(self):
        return remove_query_param(self.request.build_absolute_uri(), self.cursor_query_param)


class _ReadOnly(viewsets.ReadOnlyModelViewSet):
    filter_backends = [SelectorFilterBackend]
    pagination_class = KeysetPagination
    detail_serializer_class = None

    def sorts_matches(self, request) -> bool:
        """Whether the list's page is found by sorting its matches (claims.pagination.keyset_page)."""
        return False

    def get_serializer_class(self):
        if self.action == "retrieve" and self.detail_serializer_class:
            return self.detail_serializer_class
        return self.serializer_class


class StatementViewSet(_ReadOnly):
    """Statements; anonymous callers see published ones only. Filters as on /statements/."""

    serializer_class = serializers.StatementSerializer
    detail_serializer_class = serializers.StatementDetailSerializer
    filterset_class = StatementFilterSet
    queryset = Statement.objects.none()

    @staticmethod
    def selector(*, filters, user):
        # Only the columns the list's JSON shows (StatementSerializer.LIST_COLUMNS), speaker and outlet joined.
        return (
            selectors.statement_list(filters=filters, user=user)
            .select_related("official", "venue_outlet")
            .only(*serializers.StatementSerializer.LIST_COLUMNS)
        )

    def get_queryset(self):
        return Statement.objects.visible_to(self.request.user)

    def sorts_matches(self, request) -> bool:
        # As the HTML list: a rare search word's page is found by sorting its matches.
        return selectors.search_is_rare(request.query_params.get("q"))

    def get_object(self):
        return selectors.statement_get(pk=self._pk(), user=self.request.user)

    def _pk(self):
        try:
            return int(self.kwargs["pk"])
        except (TypeError, ValueError) as error:
            raise Http404 from error


class ClaimViewSet(_ReadOnly):
    """Claims inside statements the caller may see. Filters as on /claims/."""

    serializer_class = serializers.ClaimSerializer
    filterset_class = ClaimFilterSet
    selector = staticmethod(selectors.claim_list)

    def get_queryset(self):
        return selectors.claim_list(filters={}, user=self.request.user)


class OfficialViewSet(_ReadOnly):
    serializer_class = serializers.OfficialSerializer
    detail_serializer_class = serializers.OfficialDetailSerializer
    filterset_class = OfficialFilterSet
    selector = staticmethod(selectors.official_list)
    queryset = Official.objects.none()

    def get_queryset(self):
        return selectors.official_list(filters={}, user=self.request.user).prefetch_related(
            "aliases", "positions__organization"
        )


class TopicViewSet(_ReadOnly):
    serializer_class = serializers.TopicSerializer
    filterset_class = TopicFilterSet
    selector = staticmethod(selectors.topic_list)
    queryset = Topic.objects.all()


class ArticleViewSet(_ReadOnly):
    serializer_class = serializers.ArticleSerializer
    detail_serializer_class = serializers.ArticleDetailSerializer
    filterset_class = ArticleFilterSet
    selector = staticmethod(source_selectors.article_list)

    def get_queryset(self):
        return source_selectors.article_list(filters={}, user=self.request.user).defer(None)
