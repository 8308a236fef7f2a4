from django.db import models

from common.search import search_query


class OutletQuerySet(models.QuerySet):
    def search(self, text: str):
        query = search_query(text)
        return self.filter(search_document=query) if query else self


class ArticleQuerySet(models.QuerySet):
    def search(self, text: str):
        query = search_query(text)
        return self.filter(search_document=query) if query else self

    def published_between(self, start=None, end=None):
        queryset = self
        if start is not None:
            queryset = queryset.filter(published_at__date__gte=start)
        if end is not None:
            queryset = queryset.filter(published_at__date__lte=end)
        return queryset
