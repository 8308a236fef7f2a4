"""Reads of captured articles for the analysts' pages and the API (see claims.selectors for the pattern)."""

from django.db.models import Count, OuterRef, Prefetch, Subquery
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from sources.models import Article


def _visible_citations(user):
    from claims.models import Citation, Statement

    return Citation.objects.filter(statement__in=Statement.objects.visible_to(user).values("pk"))


def article_list(*, filters, user=None):
    """Articles matching ``filters`` (ArticleFilterSet), with how many visible citations each has."""
    from claims.filters import ArticleFilterSet
    from claims.selectors import filtered

    queryset = filtered(ArticleFilterSet, filters=filters, queryset=Article.objects.all())
    cited = (
        _visible_citations(user).filter(article_id=OuterRef("pk")).order_by().values("article_id")
        .annotate(n=Count("id")).values("n")[:1]
    )  # fmt: skip
    return (
        queryset.select_related("outlet", "upstream_outlet")
        .defer("body", "lead")
        .annotate(citation_count=Subquery(cited))
    )


def article_get(*, pk: int, user=None) -> Article:
    """One article with its outlets and the citations of statements ``user`` may see, in body order."""
    citations = _visible_citations(user).select_related("statement__official").order_by("start_offset", "id")
    queryset = Article.objects.select_related("outlet", "upstream_outlet").prefetch_related(
        Prefetch("citations", queryset=citations, to_attr="visible_citations"), "republications__outlet"
    )
    return get_object_or_404(queryset, pk=pk)


def article_marked_body(article: Article) -> SafeString:
    """The body as captured, HTML-escaped, with each cited span wrapped in <mark> at its stored offsets.

    Overlapping citations share one mark. Every piece of article text goes through ``escape``
    before it is joined: the body is never trusted as HTML.
    """
    body = article.body
    spans = []
    for citation in getattr(article, "visible_citations", []):
        start, end = max(0, citation.start_offset), min(len(body), citation.end_offset)
        if start >= end:
            continue
        if spans and start <= spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], end)
            spans[-1][2].append(citation)
        else:
            spans.append([start, end, [citation]])
    pieces, position = [], 0
    for start, end, cited in spans:
        pieces.append(escape(body[position:start]))
        first = cited[0]
        pieces.append(
            format_html(
                '<mark id="cite-{}" class="cited" title="{}"><a href="{}">{}</a></mark>',
                first.pk,
                ", ".join(str(c.statement) for c in cited),
                reverse("claims:statement_detail", args=[first.statement_id]),
                body[start:end],
            )
        )
        position = end
    pieces.append(escape(body[position:]))
    return mark_safe("".join(pieces))  # noqa: S308 - every piece above is escaped
