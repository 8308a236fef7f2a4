"""Reads for the analysts' pages, the CSV exports, the JSON API and the export commands.

Every list goes through ``<model>_list(*, filters, user)``: it runs the model's FilterSet (the only
parser of list query strings), raises :class:`FilterError` with the reasons when a value is
invalid, applies who may see what, and adds the relations the columns need. Pages are keyset
pages (``claims.pagination``); counts are the planner's estimate past ``EXACT_COUNT_LIMIT``; facets
and the timeline come from one grouped SQL statement.
"""

import datetime
from contextlib import nullcontext
from dataclasses import dataclass, field

from django.contrib.postgres.expressions import ArraySubquery
from django.db import connections, models, router, transaction
from django.db.models import Count, OuterRef, Prefetch, Subquery
from django.db.models.functions import Collate, JSONObject
from django.http import QueryDict
from django.shortcuts import get_object_or_404

from claims.choices import CitationRole
from claims.filters import (
    ClaimFilterSet,
    OfficialFilterSet,
    StatementFilterSet,
    TopicFilterSet,
)
from claims.models import (
    Citation,
    Claim,
    ClaimParty,
    ClaimRelation,
    ClaimTopic,
    Official,
    Position,
    Statement,
    StatementTopic,
    Topic,
)
from common.queries import planner_estimate, planner_plan, table_rows  # noqa: F401  (the selectors' vocabulary)
from sources.models import Outlet

# Past this many rows (planner's estimate) a list shows "about N" instead of counting exactly.
EXACT_COUNT_LIMIT = 20_000
# Facet cost control (planner's estimate of the matching rows, and of the query's cost):
# - up to FACET_SAMPLE_THRESHOLD, every count is exact;
# - past it, topics and outlets (the counts that join other tables) are read from every k-th
#   statement id only, about FACET_SAMPLE_ROWS of them, and scaled;
# - past FACET_BLOCK_SAMPLE_FROM matches, or when the planner expects the query to cost more than
#   FACET_EXACT_COST_LIMIT (few matches, but among many rows to test: a big topic subtree with a
#   common word), everything is read from a block sample of the statement table (TABLESAMPLE
#   SYSTEM) of about FACET_SAMPLE_ROWS matches and never more than FACET_SAMPLE_SCAN_ROWS rows,
#   and scaled; the total is then the sample's own estimate (matches met times the factor).
# Scaled counts are labelled as estimates. At 1M statements the exact counts of a topic subtree
# with a common word took 1.4 s (planner cost 204,659); a 1% block sample 35 ms.
FACET_SAMPLE_THRESHOLD = 5_000
FACET_SAMPLE_ROWS = 2_000
FACET_BLOCK_SAMPLE_FROM = EXACT_COUNT_LIMIT
FACET_EXACT_COST_LIMIT = 100_000
FACET_SAMPLE_SCAN_ROWS = 10_000
FACET_LIMIT = 10


CITATION_ROLE_ORDER = {CitationRole.ORIGINAL_VENUE: 0, CitationRole.REPORTER: 1, CitationRole.REPUBLISHER: 2}


class FilterError(Exception):
    """The list parameters were invalid; ``errors`` maps each parameter to its reasons."""

    def __init__(self, errors: dict[str, list[str]], form=None):
        super().__init__(errors)
        self.errors = errors
        self.form = form


def _errors_of(form) -> dict[str, list[str]]:
    return {name: [str(message) for message in messages] for name, messages in form.errors.items()}


def as_query_dict(filters) -> QueryDict:
    """Parameters as a QueryDict, whether they came from a request or as a dict of values or lists."""
    if isinstance(filters, QueryDict):
        return filters
    data = QueryDict(mutable=True)
    for name, value in (filters or {}).items():
        values = value if isinstance(value, list | tuple) else [value]
        data.setlist(name, [str(item) for item in values if item is not None])
    return data


@dataclass(frozen=True)
class Reader:
    """Who is reading, as FilterSets see it (``filterset.request.user``) when no request is at hand."""

    user: object = None


def bind(filterset_class, filters, user=None):
    """``filters`` bound to a FilterSet and validated: a view that shows the form and lists the rows
    binds once and hands the result to the selector as ``filters``."""
    filterset = filterset_class(
        data=as_query_dict(filters), queryset=filterset_class._meta.model.objects.none(), request=Reader(user)
    )
    filterset.is_valid()
    return filterset


def filtered(filterset_class, *, filters, queryset, user=None) -> models.QuerySet:
    """Run one FilterSet over ``queryset``; invalid parameters raise FilterError, never pass silently.

    ``filters`` are parameters (a QueryDict or a dict), or a FilterSet of this class that ``bind``
    made for the same reader.
    """
    if type(filters) is filterset_class:
        filterset = filters
        filterset.queryset = queryset
        vars(filterset).pop("_qs", None)  # the rows of another queryset, if it was used before
    else:
        filterset = filterset_class(data=as_query_dict(filters), queryset=queryset, request=Reader(user))
    if not filterset.is_valid():
        raise FilterError(_errors_of(filterset.form), form=filterset.form)
    return filterset.qs


# -- statements -----------------------------------------------------------------------------------


def topic_refs(link_model, owner_field: str) -> ArraySubquery:
    """The topics of each row as an array of {id, name, name_fa, slug} in name order (then id),
    in the row's own query: a list page needs no second query for its topics. Names compare by
    code point, whatever the database's collation; ``TopicRef`` wraps each entry for templates.

    Each topic is looked up by primary key: joined instead, PostgreSQL hashed the whole topic
    table again for every row of the page.
    """
    topic = Topic.objects.filter(pk=OuterRef("topic_id")).order_by()
    links = link_model.objects.filter(**{owner_field: OuterRef("pk")}).order_by(
        Collate(Subquery(topic.values("name")[:1]), "C"), "topic_id"
    )
    ref = JSONObject(id="id", name="name", name_fa="name_fa", slug="slug")
    return ArraySubquery(links.values(ref=Subquery(topic.values(ref=ref)[:1])))


@dataclass(frozen=True)
class TopicRef:
    """A topic as a list row carries it (see topic_refs)."""

    id: int
    name: str
    name_fa: str
    slug: str

    @property
    def pk(self) -> int:
        return self.id

    @classmethod
    def all_of(cls, refs) -> list["TopicRef"]:
        return [cls(**ref) for ref in refs or []]


# A list row's own columns (claims/_statement_row.html shows these and the annotations below).
LIST_ROW_COLUMNS = (
    "id", "official", "speaker_name_as_printed", "said_on", "said_on_precision", "venue_kind", "status",
    "language", "text", "translation",
)  # fmt: skip


def _speaker_and_outlet_names() -> dict[str, Subquery]:
    """The speaker's and the outlet's names, each looked up by primary key for the row's page only
    (joined instead, PostgreSQL spent longer planning a filtered page than running it)."""
    official = Official.objects.filter(pk=OuterRef("official_id")).order_by()
    outlet = Outlet.objects.filter(pk=OuterRef("venue_outlet_id")).order_by()
    return {
        "official_names": Subquery(
            official.values(names=JSONObject(display_name="display_name", native_name="native_name"))[:1]
        ),
        "outlet_names": Subquery(outlet.values(names=JSONObject(name="name", name_native="name_native"))[:1]),
    }


def list_rows(statements: models.QuerySet) -> models.QuerySet:
    """``statements`` (from statement_list) as the rows a list page shows: LIST_ROW_COLUMNS, with
    the post held at the time, the topics, and the speaker's and outlet's names as
    ``{"display_name", "native_name"}`` and ``{"name", "name_native"}`` (None when there is none)."""
    return statements.annotate(**_speaker_and_outlet_names()).only(*LIST_ROW_COLUMNS)


def statement_list(*, filters, user=None) -> models.QuerySet:
    """Statements matching ``filters`` (StatementFilterSet) that ``user`` may see, with the post held
    at the time and their topics."""
    queryset = filtered(StatementFilterSet, filters=filters, queryset=Statement.objects.visible_to(user), user=user)
    # Callers choose their columns: list pages read list_rows, the API its serializer's .only().
    return queryset.with_position_label().annotate(topic_refs=topic_refs(StatementTopic, "statement_id"))


RARE_SEARCH_MATCHES = EXACT_COUNT_LIMIT


def search_is_rare(text: str | None) -> bool:
    """Whether the planner expects ``text`` alone to match few statements (one EXPLAIN): their
    page is then found by sorting the matches (keyset_page's ``sort_matches``).

    The words alone, not the whole filter: a common word narrowed by dates and a topic to a few
    hundred rows still has a third of a million GIN matches to collect (1.5 s at 1M statements),
    while walking the date index finds its page in a few milliseconds.

    Few, and few for the table: when the planner would read the whole table to find the words (it
    expects them in too large a share of the rows for the GIN index to pay), the date index's walk
    meets a page of them within a few rows, while sorting them would test every row. At 20,000
    statements a word in half of them took 52 ms of SQL sorted, though under the absolute limit.
    """
    if not text:
        return False
    plan = planner_plan(Statement.objects.search(text))
    return plan.rows <= RARE_SEARCH_MATCHES and not plan.scans_a_whole_table


def statement_get(*, pk: int, user=None) -> Statement:
    """One statement with everything its page shows, or 404 when missing or not visible to ``user``."""
    # Related claims are shown only when their own statement is visible to the reader too.
    visible = Statement.objects.visible_to(user).values("pk")
    claims = Claim.objects.prefetch_related(
        Prefetch("topics", queryset=Topic.objects.only("id", "name", "name_fa", "slug")),
        "parties",
        Prefetch(
            "relations_from",
            queryset=ClaimRelation.objects.filter(to_claim__statement__in=visible)
            .select_related("to_claim__statement__official")
            .order_by("id"),
        ),
        Prefetch(
            "relations_to",
            queryset=ClaimRelation.objects.filter(from_claim__statement__in=visible)
            .select_related("from_claim__statement__official")
            .order_by("id"),
        ),
    ).order_by("id")
    queryset = (
        Statement.objects.visible_to(user)
        .select_related("official", "venue_outlet")
        .with_position_label()
        .prefetch_related(
            Prefetch("topics", queryset=Topic.objects.only("id", "name", "name_fa", "slug")),
            Prefetch("claims", queryset=claims),
            Prefetch(
                "citations",
                queryset=Citation.objects.select_related("article__outlet", "article__upstream_outlet"),
            ),
        )
    )
    statement = get_object_or_404(queryset, pk=pk)
    statement.provenance = sorted(statement.citations.all(), key=_provenance_order)
    return statement


def _provenance_order(citation: Citation):
    """Venue first, then reporters, then republishers; within a role, earliest publication first."""
    published = citation.article.published_at
    return (
        CITATION_ROLE_ORDER.get(citation.role, len(CITATION_ROLE_ORDER)),
        published is None,
        published.timestamp() if published else 0,
        citation.id,
    )


# -- claims ---------------------------------------------------------------------------------------


def claim_list(*, filters, user=None) -> models.QuerySet:
    """Claims matching ``filters`` (ClaimFilterSet) inside statements ``user`` may see.

    Party names and topics come as array columns of the same query.
    """
    queryset = filtered(ClaimFilterSet, filters=filters, queryset=Claim.objects.visible_to(user), user=user)
    parties = (
        ClaimParty.objects.filter(claim_id=OuterRef("pk")).order_by("organization__name").values("organization__name")
    )
    return queryset.select_related("statement__official").annotate(
        party_names=ArraySubquery(parties), topic_refs=topic_refs(ClaimTopic, "claim_id")
    )


# -- officials ------------------------------------------------------------------------------------


def _visible_statement_count(user):
    statements = Statement.objects.visible_to(user).filter(official_id=OuterRef("pk")).order_by()
    return Subquery(statements.values("official_id").annotate(n=Count("id")).values("n")[:1])


def official_list(*, filters, user=None) -> models.QuerySet:
    """Officials matching ``filters`` (OfficialFilterSet), with their visible statement count."""
    queryset = filtered(OfficialFilterSet, filters=filters, queryset=Official.objects.all())
    return queryset.annotate(statement_count=_visible_statement_count(user))


def official_get(*, pk: int) -> Official:
    """One official with aliases and posts over time (newest first)."""
    queryset = Official.objects.prefetch_related(
        "aliases",
        Prefetch(
            "positions",
            queryset=Position.objects.select_related("organization").order_by(
                models.F("start_date").desc(nulls_last=True), "-id"
            ),
        ),
    )
    return get_object_or_404(queryset, pk=pk)


# -- topics ---------------------------------------------------------------------------------------


@dataclass
class TopicNode:
    topic: Topic
    depth: int
    children: list = field(default_factory=list)


def topic_list(*, filters, user=None) -> models.QuerySet:
    """Topics matching ``filters`` (TopicFilterSet)."""
    return filtered(TopicFilterSet, filters=filters, queryset=Topic.objects.select_related("parent"))


def topic_tree() -> list[TopicNode]:
    """Every topic in tree order (parents before children, siblings by name), in one query."""
    topics = list(Topic.objects.only("id", "name", "name_fa", "slug", "parent_id").order_by("name", "id"))
    children: dict[int | None, list[Topic]] = {}
    for topic in topics:
        children.setdefault(topic.parent_id, []).append(topic)
    known = {topic.id for topic in topics}
    ordered: list[TopicNode] = []

    def walk(parent_id, depth):
        for topic in children.get(parent_id, []):
            ordered.append(TopicNode(topic, depth))
            walk(topic.id, depth + 1)

    walk(None, 0)
    # A parent outside the tree cannot happen with PROTECT, but never lose a row if it does.
    for parent_id in set(children) - known - {None}:
        walk(parent_id, 0)
    return ordered


def topic_get(*, pk: int) -> tuple[Topic, list[Topic], list[Topic]]:
    """A topic with its ancestors (root first) and its children, from one read of the topic table."""
    topics = {
        t.id: t for t in Topic.objects.only("id", "name", "name_fa", "slug", "parent_id", "description", "keywords")
    }
    if pk not in topics:
        raise Topic.DoesNotExist
    topic = topics[pk]
    ancestors, cursor, seen = [], topic.parent_id, {pk}
    while cursor is not None and cursor in topics and cursor not in seen:
        seen.add(cursor)
        ancestors.insert(0, topics[cursor])
        cursor = topics[cursor].parent_id
    children = sorted((t for t in topics.values() if t.parent_id == pk), key=lambda t: (t.name, t.id))
    return topic, ancestors, children


# -- counts ---------------------------------------------------------------------------------------


@dataclass
class Total:
    """How many rows match: exact, or the planner's estimate (shown as "about N")."""

    value: int
    exact: bool


@dataclass
class FacetItem:
    key: int
    label: str
    label_native: str
    count: int


@dataclass
class Facets:
    total: Total
    sampled: bool
    officials: list[FacetItem] = field(default_factory=list)
    topics: list[FacetItem] = field(default_factory=list)
    outlets: list[FacetItem] = field(default_factory=list)
    years: list[FacetItem] = field(default_factory=list)
    months: list[tuple[datetime.date, int]] = field(default_factory=list)


_LABELS_SQL = """
(SELECT 'official', id, display_name, native_name FROM claims_official WHERE id = ANY(%s))
UNION ALL
(SELECT 'topic', id, name, name_fa FROM claims_topic WHERE id = ANY(%s))
UNION ALL
(SELECT 'outlet', id, name, name_native FROM sources_outlet WHERE id = ANY(%s))
UNION ALL
(SELECT 'organization', id, name, name_native FROM claims_organization WHERE id = ANY(%s))
"""

_FACETS_SQL = """
WITH matched AS MATERIALIZED ({matched}),
     thinned AS MATERIALIZED (SELECT * FROM matched WHERE mod(id, {thin}) = 0)
(SELECT 'total' AS facet, NULL::bigint AS key, NULL::text AS label, NULL::text AS label_native, count(*) AS n
   FROM matched)
UNION ALL
(SELECT 'official', o.id, o.display_name, o.native_name, t.n
   FROM (SELECT official_id, count(*) AS n FROM matched WHERE official_id IS NOT NULL
          GROUP BY official_id ORDER BY n DESC, official_id LIMIT %s) t
   JOIN claims_official o ON o.id = t.official_id)
UNION ALL
(SELECT 'topic', tp.id, tp.name, tp.name_fa, t.n
   FROM (SELECT st.topic_id, count(*) AS n FROM thinned m JOIN claims_statementtopic st ON st.statement_id = m.id
          GROUP BY st.topic_id ORDER BY n DESC, st.topic_id LIMIT %s) t
   JOIN claims_topic tp ON tp.id = t.topic_id)
UNION ALL
(SELECT 'outlet', ou.id, ou.name, ou.name_native, t.n
   FROM (SELECT x.outlet_id, count(DISTINCT x.statement_id) AS n
           FROM (SELECT m.id AS statement_id, m.venue_outlet_id AS outlet_id FROM thinned m
                  WHERE m.venue_outlet_id IS NOT NULL
                 UNION ALL
                 SELECT c.statement_id, a.outlet_id FROM claims_citation c
                   JOIN sources_article a ON a.id = c.article_id
                  WHERE c.statement_id IN (SELECT id FROM thinned)) x
          GROUP BY x.outlet_id ORDER BY n DESC, x.outlet_id LIMIT %s) t
   JOIN sources_outlet ou ON ou.id = t.outlet_id)
UNION ALL
(SELECT 'year', extract(year FROM said_on)::bigint, NULL, NULL, count(*)
   FROM matched WHERE said_on IS NOT NULL GROUP BY 2)
UNION ALL
(SELECT 'month', (extract(year FROM said_on) * 100 + extract(month FROM said_on))::bigint, NULL, NULL, count(*)
   FROM matched WHERE said_on IS NOT NULL GROUP BY 2)
"""


def _sampled(sql: str, percent: float) -> str:
    table = 'FROM "claims_statement"'
    return sql.replace(table, f"{table} TABLESAMPLE SYSTEM ({percent:.6f}) REPEATABLE (1)", 1)


def statement_facets(
    *, queryset, estimate: int | None = None, cost: float | None = None, limit: int = FACET_LIMIT
) -> Facets:
    """Counts by official, topic, outlet, year and month for the statements of ``queryset``: one query.

    Also returns the exact total when the result is small. Large results are thinned or
    block-sampled (see FACET_SAMPLE_THRESHOLD) and their counts scaled and labelled as estimates.
    """
    matched_sql, matched_params = (
        queryset.order_by().values("id", "official_id", "venue_outlet_id", "said_on").query.sql_with_params()
    )
    block_sampled = (estimate is not None and estimate > FACET_BLOCK_SAMPLE_FROM) or (
        cost is not None and cost > FACET_EXACT_COST_LIMIT
    )
    sampled = block_sampled or (estimate is not None and estimate > FACET_SAMPLE_THRESHOLD)
    scale, thin = 1.0, 1
    if block_sampled:
        percent = min(
            100.0,
            100.0 * FACET_SAMPLE_ROWS / max(estimate or 1, 1),
            100.0 * FACET_SAMPLE_SCAN_ROWS / max(table_rows(Statement, queryset.db), 1),
        )
        scale = 100.0 / percent
        matched_sql = _sampled(matched_sql, percent)
    elif sampled:
        thin = -(-estimate // FACET_SAMPLE_ROWS)
    params = [*matched_params, limit, limit, limit]
    # The planner settings below are local to a transaction: a sampled count opens one (a savepoint
    # inside a request's own transaction, which they would outlive: hence they are put back).
    database = queryset.db
    with (
        transaction.atomic(using=database) if block_sampled else nullcontext(),
        connections[database].cursor() as cursor,
    ):
        if block_sampled:
            # The sample holds at most FACET_SAMPLE_SCAN_ROWS rows, so probing indexes row by row
            # is the plan; but the planner, guessing a topic subtree's links at a third of their
            # number, hashed all of them first (at 1M: 29 ms of a 45 ms query, 21 ms without).
            cursor.execute(
                "SELECT current_setting('enable_hashjoin'), current_setting('enable_mergejoin'),"
                " set_config('enable_hashjoin', 'off', true), set_config('enable_mergejoin', 'off', true)"
            )
            hashjoin, mergejoin, _, _ = cursor.fetchone()
        cursor.execute(_FACETS_SQL.format(matched=matched_sql, thin=int(thin)), params)
        rows = cursor.fetchall()
        if block_sampled:
            cursor.execute(
                "SELECT set_config('enable_hashjoin', %s, true), set_config('enable_mergejoin', %s, true)",
                [hashjoin, mergejoin],
            )

    def scaled(n, factor=scale):
        return int(round(n * factor))

    facets = Facets(total=Total(0, True), sampled=sampled)
    groups = {"official": facets.officials, "topic": facets.topics, "outlet": facets.outlets, "year": facets.years}
    for facet, key, label, native, n in rows:
        if facet == "total":
            if not block_sampled:
                small = estimate is None or estimate <= EXACT_COUNT_LIMIT
                facets.total = Total(n, True) if small else Total(estimate, False)
            else:
                # The sample counts the matches it met: a truer estimate than the planner's when a
                # filter's selectivity is hard to guess (posts held at the time, cited outlets).
                facets.total = Total(scaled(n), False)
        elif facet in groups:
            factor = scale * thin if facet in ("topic", "outlet") else scale
            groups[facet].append(FacetItem(key, label or "", native or "", scaled(n, factor)))
        elif facet == "month":
            facets.months.append((datetime.date(key // 100, key % 100, 1), scaled(n)))
    for group in (facets.officials, facets.topics, facets.outlets):
        group.sort(key=lambda item: (-item.count, item.key))
    facets.years.sort(key=lambda item: -item.key)
    facets.months.sort()
    return facets


def filter_labels(selected: dict[str, list[int]]) -> dict[str, dict[int, FacetItem]]:
    """The names of the officials, topics, outlets and organisations a filter names, for its chips.

    One query, and none when nothing is selected; an id that names nothing is simply absent.
    """
    kinds = ("official", "topic", "outlet", "organization")
    if not any(selected.get(kind) for kind in kinds):
        return {}
    with connections[router.db_for_read(Official)].cursor() as cursor:
        cursor.execute(_LABELS_SQL, [list(selected.get(kind) or []) for kind in kinds])
        rows = cursor.fetchall()
    labels: dict[str, dict[int, FacetItem]] = {}
    for kind, key, label, native in rows:
        labels.setdefault(kind, {})[key] = FacetItem(key, label or "", native or "", 0)
    return labels


def month_series(months: list[tuple[datetime.date, int]]) -> list[tuple[datetime.date, int]]:
    """Every month from the first to the last, zeros included, for the timeline chart."""
    if not months:
        return []
    counts = dict(months)
    first, last = months[0][0], months[-1][0]
    series, current = [], first
    while current <= last:
        series.append((current, counts.get(current, 0)))
        current = datetime.date(current.year + current.month // 12, current.month % 12 + 1, 1)
    return series


def related_claims(statement: Statement) -> list[tuple[Claim, ClaimRelation, Claim, str]]:
    """(this claim, relation, other claim, direction) for every relation of the statement's claims."""
    related = []
    for claim in statement.claims.all():
        for relation in claim.relations_from.all():
            related.append((claim, relation, relation.to_claim, "from"))
        for relation in claim.relations_to.all():
            related.append((claim, relation, relation.from_claim, "to"))
    return related
