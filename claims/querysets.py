"""The read vocabulary of the claims app: chainable, side-effect-free queryset methods."""

from django.db import models
from django.db.models import Case, OuterRef, Q, Subquery, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Concat

from claims.choices import ReviewStatus
from claims.rules import LOCKED_STATUSES, may_edit_published, may_see_unpublished
from common.search import search_query
from common.text import fold

# A topic's branch: itself and every topic below it (claims.models.TopicClosure, kept by a trigger).
_TOPIC_SUBTREE_SQL = "SELECT descendant_id FROM claims_topicclosure WHERE ancestor_id = ANY(%s)"


def topic_subtree_ids(topic_ids) -> RawSQL:
    """A subquery of the given topics' ids and all their descendants' ids (one index lookup)."""
    return RawSQL(_TOPIC_SUBTREE_SQL, [list(topic_ids)])


class TopicQuerySet(models.QuerySet):
    def with_descendants(self, topic_ids):
        return self.filter(pk__in=topic_subtree_ids(topic_ids))

    def roots(self):
        return self.filter(parent__isnull=True)


class PositionQuerySet(models.QuerySet):
    def held_on(self, on):
        """Posts held on ``on`` (a date, or an expression such as ``OuterRef("said_on")``); an open
        start or end counts as held."""
        return self.filter(Q(start_date__isnull=True) | Q(start_date__lte=on)).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=on)
        )


class OfficialQuerySet(models.QuerySet):
    def search(self, text: str):
        query = search_query(text)
        if not query:
            return self
        folded = fold(text)
        return self.filter(Q(search_document=query) | Q(aliases__normalized=folded)).distinct()

    def matching_alias(self, name: str):
        """Officials one of whose aliases folds to the same form as ``name`` (any script)."""
        return self.filter(aliases__normalized=fold(name)).distinct()


class StatementQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=ReviewStatus.PUBLISHED)

    def visible_to(self, user):
        """Every review status for those who may see unpublished material; published ones for the rest."""
        return self if may_see_unpublished(user) else self.published()

    def editable_by(self, user):
        """The statements ``user`` may change: published and retracted ones only for those who may publish."""
        return self if may_edit_published(user) else self.exclude(status__in=LOCKED_STATUSES)

    def search(self, text: str):
        query = search_query(text)
        return self.filter(search_document=query) if query else self

    def about_topics(self, topic_ids):
        """Statements about any of the topics or their sub-topics."""
        from claims.models import StatementTopic

        links = StatementTopic.objects.filter(topic_id__in=topic_subtree_ids(topic_ids), statement_id=OuterRef("pk"))
        return self.filter(models.Exists(links))

    def with_position(self):
        """Annotate ``held_position_id``: the override, or the post held on the statement's date."""
        return self.annotate(held_position_id=held_position("pk"))

    def with_position_label(self):
        """Annotate ``held_position_label``: "title, organisation" of the post held when speaking."""
        return self.annotate(held_position_label=_held_position_label())


def _held_position_label():
    # The organisation's name is looked up by primary key, not joined: with the join in both
    # branches of the CASE, PostgreSQL plans every list page longer for the same rows.
    from claims.models import Organization

    organization = Organization.objects.filter(pk=OuterRef("organization_id")).order_by()
    organization_name = Subquery(organization.values("name")[:1])
    return held_position(Concat("title", Value(", "), organization_name, output_field=models.TextField()))


def held_position(value) -> Case:
    """One value (a field name or an expression over Position) of the post held when speaking.

    The curator's override when there is one, else the post the speaker held on that date (latest
    start first). A CASE, so that each row runs exactly one of the two lookups: a COALESCE of the
    override and the derived post would look the post up again for every label or column asked.
    """
    from claims.models import Position

    def pick(positions):
        if isinstance(value, str):
            return Subquery(positions.values(value)[:1])
        return Subquery(positions.annotate(_value=value).values("_value")[:1])

    derived = (
        Position.objects.filter(official_id=OuterRef("official_id"))
        .held_on(OuterRef("said_on"))
        .order_by("-start_date", "-id")
    )
    override = Position.objects.filter(pk=OuterRef("position_id")).order_by()
    return Case(When(position_id__isnull=True, then=pick(derived)), default=pick(override))


class ClaimQuerySet(models.QuerySet):
    def search(self, text: str):
        query = search_query(text)
        return self.filter(search_document=query) if query else self

    def of_published_statements(self):
        return self.filter(statement__status=ReviewStatus.PUBLISHED)

    def visible_to(self, user):
        return self if may_see_unpublished(user) else self.of_published_statements()
