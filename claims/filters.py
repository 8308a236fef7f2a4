"""The one place list query strings are parsed: a FilterSet per listable model (DESIGN §3).

The HTML lists, the CSV exports, the JSON API and the export commands all hand their parameters to
the selectors in ``claims.selectors`` / ``sources.selectors``, which run these FilterSets. An
invalid value is a form error there (400 on the API and CSV, CommandError in a command), never a
silently ignored parameter.

Foreign keys are filtered by id lists validated without a database round trip, so a filtered list
page stays within its fixed number of SQL statements; the names shown beside the filters come
from the facet query (``claims.facets.statement_facets``).
"""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db.models import BooleanField, Exists, F, Func, OuterRef, Q, TextField, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Concat
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

from claims.choices import AttributionType, ClaimKind, ClaimRelationKind, ReviewStatus, VenueKind
from claims.models import Claim, ClaimRelation, Official, Position, Statement, StatementTopic, Topic
from claims.querysets import _TOPIC_SUBTREE_SQL, topic_subtree_ids
from claims.rules import may_see_unpublished
from common.expressions import Fold
from common.forms import SolarHijriDateField
from common.search import search_query
from common.text import fold
from sources.choices import Language
from sources.models import Article

MAX_IDS = 50
MAX_QUERY_LENGTH = 300
# Relations that put a claim in doubt: the "has a contradicting or qualifying claim" filter.
CONTESTING_RELATIONS = (ClaimRelationKind.CONTRADICTS, ClaimRelationKind.QUALIFIES)

MESSAGE_NOT_AN_ID = _("“%(value)s” is not an id (a whole number above zero).")
MESSAGE_TOO_MANY_IDS = _("Choose at most %(limit)d.")
MESSAGE_NO_SEARCH_WORDS = _("Type at least one letter or digit to search for.")
MESSAGE_DATES_REVERSED = _("The start date (%(start)s) comes after the end date (%(end)s).")
MESSAGE_QUERY_TOO_LONG = _("The search text is too long (at most %(limit)d characters).")
MESSAGE_ONE_ORDERING = _("Choose one order.")

YES_NO = [("true", _("yes")), ("false", _("no"))]

ORDERING_LABELS = {
    "-said_on": _("newest first"),
    "said_on": _("oldest first"),
    "-id": _("recently added"),
    "id": _("first added"),
    "name": _("name A–Z"),
    "-name": _("name Z–A"),
    "-published_at": _("newest first"),
    "published_at": _("oldest first"),
}


def in_topic_subtree(topic_ids) -> Q:
    """``topic_id = ANY(ARRAY(<the topics and their descendants>))`` on a topic-link table.

    Written as an array rather than ``IN (WITH RECURSIVE ...)``: the planner then estimates the
    matching links from the topic index instead of guessing hundreds of sub-topics, and picks an
    index scan of the links plus a hash join (a tenth of the time of a correlated EXISTS on 300k
    statements, and an accurate row estimate for the "about N" count).
    """
    condition = RawSQL(f"topic_id = ANY(ARRAY({_TOPIC_SUBTREE_SQL}))", [list(topic_ids)], output_field=BooleanField())
    return Q(condition)


class IdListField(forms.Field):
    """One or more ids, repeated (``?topic=3&topic=4``) or comma-separated, in any digits."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        if value in self.empty_values:
            return []
        items = value if isinstance(value, list | tuple) else [value]
        ids: list[int] = []
        for item in items:
            for part in str(item).split(","):
                text = fold(part)
                if not text:
                    continue
                if not (text.isascii() and text.isdigit()) or int(text) < 1:
                    raise ValidationError(MESSAGE_NOT_AN_ID, code="invalid_id", params={"value": part.strip()})
                if int(text) not in ids:
                    ids.append(int(text))
        if len(ids) > MAX_IDS:
            raise ValidationError(MESSAGE_TOO_MANY_IDS, code="too_many", params={"limit": MAX_IDS})
        return ids


# Ids, comma-separated or repeated: described for the API schema here, since many of these
# filters use method= and have no model field for drf-spectacular to read the type from.
@extend_schema_field({"type": "array", "items": {"type": "integer"}})
class IdListFilter(django_filters.Filter):
    field_class = IdListField

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(**{f"{self.field_name}__in": value})


class SolarHijriDateFilter(django_filters.DateFilter):
    field_class = SolarHijriDateField


class CountryField(forms.CharField):
    default_validators = [RegexValidator(r"^[A-Za-z]{2}$", _("Use a two-letter country code such as IR or US."))]

    def to_python(self, value):
        return super().to_python(value).strip().upper()


class CountryFilter(django_filters.CharFilter):
    field_class = CountryField


class SearchFilterForm(forms.Form):
    """Shared checks of every filter form: searchable text, dates in order, one order."""

    date_range = ("said_on_from", "said_on_to")

    def clean_q(self):
        text = self.cleaned_data.get("q") or ""
        if len(text) > MAX_QUERY_LENGTH:
            raise ValidationError(MESSAGE_QUERY_TOO_LONG, code="too_long", params={"limit": MAX_QUERY_LENGTH})
        if text.strip() and search_query(text) is None:
            raise ValidationError(MESSAGE_NO_SEARCH_WORDS, code="no_words")
        return text.strip()

    def clean_ordering(self):
        # OrderingFilter reads "a,b" as two keys; a keyset page follows one key and the primary key.
        ordering = self.cleaned_data.get("ordering") or []
        if len(ordering) > 1:
            raise ValidationError(MESSAGE_ONE_ORDERING, code="one_ordering")
        return ordering

    def clean(self):
        cleaned = super().clean()
        start_name, end_name = self.date_range
        start, end = cleaned.get(start_name), cleaned.get(end_name)
        if start and end and start > end:
            self.add_error(
                end_name,
                ValidationError(MESSAGE_DATES_REVERSED, code="reversed", params={"start": start, "end": end}),
            )
        return cleaned


class PublishedRangeForm(SearchFilterForm):
    date_range = ("published_from", "published_to")


class StableOrderingFilter(django_filters.OrderingFilter):
    """django-filter's OrderingFilter with a default and a last key that is unique: without an
    ``ordering`` parameter ``default`` applies, and every ordering ends in the primary key (in
    the direction of its last key), so keyset pages and exports are stable."""

    def __init__(self, *, fields, choices, default, **kwargs):
        self.default = default
        super().__init__(
            fields=fields,
            choices=[(key, ORDERING_LABELS[key]) for key in choices],
            label=_("order"),
            help_text="",
            empty_label=None,
            **kwargs,
        )

    def filter(self, qs, value):
        ordering = [self.get_ordering_value(param) for param in (value or []) if param] or [
            self.get_ordering_value(self.default)
        ]
        last = ordering[-1]
        if last.lstrip("-") not in ("id", "pk"):
            ordering.append("-id" if last.startswith("-") else "id")
        return qs.order_by(*ordering)


def _multiple_choice(label, choices, field_name, **kwargs):
    return django_filters.MultipleChoiceFilter(
        label=label,
        choices=choices,
        field_name=field_name,
        distinct=False,
        widget=forms.CheckboxSelectMultiple,
        **kwargs,
    )


class _StatementConditions:
    """Conditions on a statement, written once for statements and for claims (through ``statement__``).

    ``prefix`` is the path from the filtered model to its statement ('' or 'statement__');
    ``outer`` the same path for OuterRef.
    """

    prefix = ""

    def _outer(self, name):
        return OuterRef(f"{self.prefix}{name}")

    def _q(self, **lookups):
        return Q(**{f"{self.prefix}{key}": value for key, value in lookups.items()})

    def filter_topic(self, queryset, name, value):
        if not value:
            return queryset
        linked = StatementTopic.objects.filter(in_topic_subtree(value)).values("statement_id")
        return queryset.filter(**{f"{self.prefix}pk__in": linked})

    def _held(self, queryset, **position_lookups):
        """Statements whose speaker held a matching post on the statement's date (the statement's
        own override, when set, replaces the posts derived from the date).

        Written as two id sets joined from the positions side, so the planner starts from the few
        posts that match (one organisation, one country) rather than testing every statement.
        """
        override = Statement.objects.filter(**{f"position__{k}": v for k, v in position_lookups.items()})
        derived = Statement.objects.filter(
            Q(position__isnull=True),
            Q(**{f"official__positions__{k}": v for k, v in position_lookups.items()}),
            Q(official__positions__start_date__isnull=True) | Q(official__positions__start_date__lte=F("said_on")),
            Q(official__positions__end_date__isnull=True) | Q(official__positions__end_date__gte=F("said_on")),
        )
        # Each half unordered: a default ordering inside a UNION would make PostgreSQL sort both.
        ids = override.order_by().values("pk").union(derived.order_by().values("pk"))
        return queryset.filter(**{f"{self.prefix}pk__in": ids})

    def filter_organization(self, queryset, name, value):
        return self._held(queryset, organization_id__in=value) if value else queryset

    def filter_country(self, queryset, name, value):
        return self._held(queryset, organization__country=value) if value else queryset

    def filter_outlet(self, queryset, name, value):
        if not value:
            return queryset
        from claims.models import Citation

        cited = Citation.objects.filter(article__outlet_id__in=value).values("statement_id")
        return queryset.filter(self._q(venue_outlet_id__in=value) | self._q(pk__in=cited))

    def filter_claim_kind(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(Exists(Claim.objects.filter(statement_id=self._outer("pk"), kind__in=value)))

    def _contesting_relations(self):
        """Contradicting or qualifying links whose two claims the reader may both see: a draft's
        claim must not mark a published statement as contested for an anonymous visitor."""
        relations = ClaimRelation.objects.filter(kind__in=CONTESTING_RELATIONS)
        if may_see_unpublished(getattr(self.request, "user", None)):
            return relations
        return relations.filter(
            from_claim__statement__status=ReviewStatus.PUBLISHED, to_claim__statement__status=ReviewStatus.PUBLISHED
        )

    def filter_contested(self, queryset, name, value):
        # Per statement: does one of its claims have a contesting relation, either way? Nested
        # EXISTS over indexed keys, so a first page stops after 25 hits and a sample stays cheap
        # (OR'd EXISTS straight on the relations made PostgreSQL hash every relation first).
        if not value:
            return queryset
        relations = self._contesting_relations()
        contested_claims = Claim.objects.filter(statement_id=self._outer("pk")).filter(
            Q(Exists(relations.filter(from_claim_id=OuterRef("pk"))))
            | Q(Exists(relations.filter(to_claim_id=OuterRef("pk"))))
        )
        condition = Q(Exists(contested_claims))
        return queryset.filter(condition if value == "true" else ~condition)


class StatementFilterSet(_StatementConditions, django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("search"), method="filter_q")
    official = IdListFilter(label=_("official"), field_name="official_id")
    organization = IdListFilter(label=_("organisation at the time"), method="filter_organization")
    country = CountryFilter(label=_("country at the time"), method="filter_country")
    topic = IdListFilter(label=_("topic (with sub-topics)"), method="filter_topic")
    said_on_from = SolarHijriDateFilter(label=_("from"), field_name="said_on", lookup_expr="gte")
    said_on_to = SolarHijriDateFilter(label=_("to"), field_name="said_on", lookup_expr="lte")
    language = _multiple_choice(_("language"), Language.choices, "language")
    outlet = IdListFilter(label=_("outlet (venue or cited article)"), method="filter_outlet")
    venue_kind = _multiple_choice(_("venue"), VenueKind.choices, "venue_kind")
    attribution = _multiple_choice(_("attribution"), AttributionType.choices, "attribution")
    claim_kind = _multiple_choice(_("claim kind"), ClaimKind.choices, "claim_kind", method="filter_claim_kind")
    contested = django_filters.ChoiceFilter(
        label=_("has a contradicting or qualifying claim"),
        choices=YES_NO,
        method="filter_contested",
        empty_label=_("any"),
    )
    status = _multiple_choice(_("review status"), ReviewStatus.choices, "status")
    ordering = StableOrderingFilter(
        fields={"said_on": "said_on", "id": "id"}, choices=("-said_on", "said_on", "-id", "id"), default="-said_on"
    )

    class Meta:
        model = Statement
        fields = [
            "q", "official", "organization", "country", "topic", "said_on_from", "said_on_to", "language",
            "outlet", "venue_kind", "attribution", "claim_kind", "contested", "status", "ordering",
        ]  # fmt: skip
        form = SearchFilterForm

    def filter_q(self, queryset, name, value):
        query = search_query(value) if value else None
        return queryset.filter(search_document=query) if query else queryset


class ClaimFilterSet(_StatementConditions, django_filters.FilterSet):
    prefix = "statement__"

    q = django_filters.CharFilter(label=_("search"), method="filter_q")
    kind = _multiple_choice(_("claim kind"), ClaimKind.choices, "kind")
    statement = IdListFilter(label=_("statement"), field_name="statement_id")
    official = IdListFilter(label=_("official"), field_name="statement__official_id")
    organization = IdListFilter(label=_("organisation at the time"), method="filter_organization")
    country = CountryFilter(label=_("country at the time"), method="filter_country")
    party = IdListFilter(label=_("about (organisation)"), method="filter_party")
    topic = IdListFilter(label=_("topic (with sub-topics)"), method="filter_claim_topic")
    said_on_from = SolarHijriDateFilter(label=_("from"), field_name="statement__said_on", lookup_expr="gte")
    said_on_to = SolarHijriDateFilter(label=_("to"), field_name="statement__said_on", lookup_expr="lte")
    language = _multiple_choice(_("language"), Language.choices, "statement__language")
    outlet = IdListFilter(label=_("outlet (venue or cited article)"), method="filter_outlet")
    venue_kind = _multiple_choice(_("venue"), VenueKind.choices, "statement__venue_kind")
    attribution = _multiple_choice(_("attribution"), AttributionType.choices, "statement__attribution")
    contested = django_filters.ChoiceFilter(
        label=_("contradicted or qualified"), choices=YES_NO, method="filter_claim_contested", empty_label=_("any")
    )
    status = _multiple_choice(_("review status"), ReviewStatus.choices, "statement__status")
    # Newest recorded first by default: the primary key orders millions of claims without a sort;
    # ordering by date needs the statement join and a sort of every match (offered, not the default).
    ordering = StableOrderingFilter(
        fields={"statement__said_on": "said_on", "id": "id"},
        choices=("-id", "id", "-said_on", "said_on"),
        default="-id",
    )

    class Meta:
        model = Claim
        fields = [
            "q", "kind", "statement", "official", "organization", "country", "party", "topic", "said_on_from",
            "said_on_to", "language", "outlet", "venue_kind", "attribution", "contested", "status", "ordering",
        ]  # fmt: skip
        form = SearchFilterForm

    def filter_q(self, queryset, name, value):
        query = search_query(value) if value else None
        return queryset.filter(search_document=query) if query else queryset

    def filter_party(self, queryset, name, value):
        if not value:
            return queryset
        from claims.models import ClaimParty

        return queryset.filter(Exists(ClaimParty.objects.filter(claim_id=OuterRef("pk"), organization_id__in=value)))

    def filter_claim_topic(self, queryset, name, value):
        """A claim's own topics, or its statement's when the claim has none of its own."""
        if not value:
            return queryset
        from claims.models import ClaimTopic

        own = ClaimTopic.objects.filter(in_topic_subtree(value)).values("claim_id")
        inherited = StatementTopic.objects.filter(in_topic_subtree(value)).values("statement_id")
        has_own = Exists(ClaimTopic.objects.filter(claim_id=OuterRef("pk")))
        return queryset.filter(Q(pk__in=own) | (~Q(has_own) & Q(statement_id__in=inherited)))

    def filter_claim_contested(self, queryset, name, value):
        if not value:
            return queryset
        relations = self._contesting_relations()
        condition = Q(Exists(relations.filter(from_claim_id=OuterRef("pk")))) | Q(
            Exists(relations.filter(to_claim_id=OuterRef("pk")))
        )
        return queryset.filter(condition if value == "true" else ~condition)


class OfficialFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("name"), method="filter_q")
    country = CountryFilter(label=_("country"), field_name="country", lookup_expr="exact")
    organization = IdListFilter(label=_("has held a post in"), method="filter_organization")
    ordering = StableOrderingFilter(
        fields={"display_name": "name", "id": "id"}, choices=("name", "-name", "-id"), default="name"
    )

    class Meta:
        model = Official
        fields = ["q", "country", "organization", "ordering"]
        form = SearchFilterForm

    def filter_q(self, queryset, name, value):
        query = search_query(value) if value else None
        if not query:
            return queryset
        from claims.models import OfficialAlias

        alias = OfficialAlias.objects.filter(official_id=OuterRef("pk"), normalized=fold(value))
        return queryset.filter(Q(search_document=query) | Q(Exists(alias)))

    def filter_organization(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(Exists(Position.objects.filter(official_id=OuterRef("pk"), organization_id__in=value)))


class TopicFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("name or keyword"), method="filter_q")
    parent = IdListFilter(label=_("under"), method="filter_parent")
    ordering = StableOrderingFilter(fields={"name": "name"}, choices=("name", "-name"), default="name")

    class Meta:
        model = Topic
        fields = ["q", "parent", "ordering"]
        form = SearchFilterForm

    def filter_q(self, queryset, name, value):
        # Topics are a small curated table (hundreds of rows): a folded substring match is enough.
        folded = fold(value)
        if not folded:
            return queryset
        keywords = Func("keywords", Value(" "), function="array_to_string", output_field=TextField())
        names = Concat(
            "name", Value(" "), "name_fa", Value(" "), "name_ar", Value(" "), "slug", Value(" "), keywords,
            output_field=TextField(),
        )  # fmt: skip
        return queryset.alias(folded_names=Fold(names)).filter(folded_names__contains=folded)

    def filter_parent(self, queryset, name, value):
        return queryset.filter(pk__in=topic_subtree_ids(value)).exclude(pk__in=value) if value else queryset


class ArticleFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("search"), method="filter_q")
    outlet = IdListFilter(label=_("outlet"), field_name="outlet_id")
    upstream_outlet = IdListFilter(label=_("credits outlet"), field_name="upstream_outlet_id")
    language = _multiple_choice(_("language"), Language.choices, "language")
    published_from = SolarHijriDateFilter(label=_("from"), field_name="published_at__date", lookup_expr="gte")
    published_to = SolarHijriDateFilter(label=_("to"), field_name="published_at__date", lookup_expr="lte")
    cited = django_filters.ChoiceFilter(
        label=_("cited by a statement"), choices=YES_NO, method="filter_cited", empty_label=_("any")
    )
    ordering = StableOrderingFilter(
        fields={"published_at": "published_at", "id": "id"},
        choices=("-published_at", "published_at", "-id"),
        default="-published_at",
    )

    class Meta:
        model = Article
        fields = ["q", "outlet", "upstream_outlet", "language", "published_from", "published_to", "cited", "ordering"]
        form = PublishedRangeForm

    def filter_q(self, queryset, name, value):
        query = search_query(value) if value else None
        return queryset.filter(search_document=query) if query else queryset

    def filter_cited(self, queryset, name, value):
        if not value:
            return queryset
        from claims.models import Citation

        cited = Exists(Citation.objects.filter(article_id=OuterRef("pk")))
        return queryset.filter(cited if value == "true" else ~cited)
