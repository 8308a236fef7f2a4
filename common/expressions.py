"""SQL expressions over the folded text (see common.text): used by generated columns and queries."""

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Func


class Fold(Func):
    """``goftar_fold(text)``: the SQL twin of common.text.fold."""

    function = "goftar_fold"
    output_field = models.TextField()


class SearchDocument(Func):
    """``goftar_search_document(a || ' ' || b ...)``: the tsvector that search queries match.

    Uses ``||`` rather than CONCAT(), which PostgreSQL marks STABLE and refuses in generated columns.
    """

    output_field = SearchVectorField()

    def as_sql(self, compiler, connection, **extra_context):
        parts, params = [], []
        for expression in self.get_source_expressions():
            sql, expression_params = compiler.compile(expression)
            parts.append(f"COALESCE({sql}, '')")
            params.extend(expression_params)
        return "goftar_search_document(" + " || ' ' || ".join(parts) + ")", params


def search_document_field(*field_names: str) -> models.GeneratedField:
    return models.GeneratedField(
        expression=SearchDocument(*(models.F(name) for name in field_names)),
        output_field=SearchVectorField(),
        db_persist=True,
        editable=False,
    )


def folded_field(field_name: str, **kwargs) -> models.GeneratedField:
    return models.GeneratedField(
        expression=Fold(models.F(field_name)),
        output_field=models.TextField(),
        db_persist=True,
        editable=False,
        **kwargs,
    )
