"""Reads for the analysts' pages, the CSV exports, the JSON API and the export commands.

Every list goes through ``<model>_list(*, filters, user)``: it runs the model's FilterSet (the only
parser of list query strings), raises :class:`FilterError` with the reasons when a value is
invalid, applies who may see what, and adds the relations the columns need. Pages are keyset
pages (``claims.pagination``); counts are the planner's estimate past ``EXACT_COUNT_LIMIT``; facets
and the timeline come from one grouped SQL statement (``claims.facets``).
"""

from dataclasses import dataclass, field

from django.contrib.postgres.expressions import ArraySubquery
from django.db import models
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


def related_claims(statement: Statement) -> list[tuple[Claim, ClaimRelation, Claim, str]]:
    """(this claim, relation, other claim, direction) for every relation of the statement's claims."""
    related = []
    for claim in statement.claims.all():
        for relation in claim.relations_from.all():
            related.append((claim, relation, relation.to_claim, "from"))
        for relation in claim.relations_to.all():
            related.append((claim, relation, relation.from_claim, "to"))
    return related
