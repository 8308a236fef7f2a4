"""Read-only JSON shapes of the analysts' data. No business logic here: selectors decide what is read."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from claims.models import Citation, Claim, ClaimRelation, Official, Position, Statement, Topic
from common.dates import solar_hijri_iso
from common.links import id_path_parts
from sources.models import Article, Outlet


class OutletBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Outlet
        fields = ["id", "name", "name_native", "domain", "country"]


class OfficialBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Official
        fields = ["id", "display_name", "native_name", "country"]


class TopicBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Topic
        fields = ["id", "name", "name_fa", "slug"]


class _PageLink(serializers.ModelSerializer):
    page_url = serializers.SerializerMethodField(help_text="The analysts' HTML page for this record.")
    page_view = ""

    @extend_schema_field(OpenApiTypes.URI)
    def get_page_url(self, obj):
        return reverse(self.page_view, args=[obj.pk], request=self.context.get("request"))


class TopicRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    name_fa = serializers.CharField()
    slug = serializers.CharField()


class StatementSerializer(_PageLink):
    page_view = "claims:statement_detail"
    official = OfficialBriefSerializer(read_only=True)
    venue_outlet = OutletBriefSerializer(read_only=True)
    topics = TopicRefSerializer(source="topic_refs", many=True, read_only=True)
    position_at_the_time = serializers.CharField(source="held_position_label", read_only=True, allow_null=True)
    said_on_solar_hijri = serializers.SerializerMethodField()

    class Meta:
        model = Statement
        fields = [
            "id", "page_url", "official", "speaker_name_as_printed", "position_at_the_time", "text", "language",
            "translation", "question", "said_on", "said_on_solar_hijri", "said_on_precision", "said_on_as_printed",
            "venue_kind", "venue_outlet", "attribution", "status", "topics",
        ]  # fmt: skip

    @extend_schema_field(OpenApiTypes.STR)
    def get_said_on_solar_hijri(self, obj):
        return solar_hijri_iso(obj.said_on) or None

    # The list serialises 25-100 rows per request, and DRF's per-field machinery (building the
    # fields, get_attribute and to_representation for each of 34 fields, a reverse() per row) cost
    # most of the endpoint's time: about 5 ms of a 13 ms page. The declared fields above stay the
    # schema and the reference; this builds the same dict directly. tests/claims/test_api.py proves
    # both give the same JSON for real rows (null official, venue and post, Persian text, topics).
    # A field added above must be added here too: that test fails until it is.

    # The columns the list reads (keyset pagination also reads its order keys, said_on and id):
    # loading and decoding the others (search vectors, timestamps) cost about 1.5 ms per page.
    LIST_COLUMNS = (
        "id", "speaker_name_as_printed", "text", "language", "translation", "question", "said_on",
        "said_on_precision", "said_on_as_printed", "venue_kind", "attribution", "status",
        *(f"official__{name}" for name in OfficialBriefSerializer.Meta.fields),
        *(f"venue_outlet__{name}" for name in OutletBriefSerializer.Meta.fields),
    )  # fmt: skip

    def to_representation(self, instance):
        page_url = self._page_url_of()
        official, outlet, said_on = instance.official, instance.venue_outlet, instance.said_on
        topics = instance.topic_refs
        return {
            "id": instance.id,
            "page_url": page_url(instance.id),
            "official": None if official is None else {
                "id": official.id, "display_name": official.display_name, "native_name": official.native_name,
                "country": official.country,
            },
            "speaker_name_as_printed": instance.speaker_name_as_printed,
            "position_at_the_time": instance.held_position_label,
            "text": instance.text,
            "language": instance.language,
            "translation": instance.translation,
            "question": instance.question,
            "said_on": None if said_on is None else said_on.isoformat(),
            "said_on_solar_hijri": self._solar_hijri_of(said_on),
            "said_on_precision": instance.said_on_precision,
            "said_on_as_printed": instance.said_on_as_printed,
            "venue_kind": instance.venue_kind,
            "venue_outlet": None if outlet is None else {
                "id": outlet.id, "name": outlet.name, "name_native": outlet.name_native, "domain": outlet.domain,
                "country": outlet.country,
            },
            "attribution": instance.attribution,
            "status": instance.status,
            "topics": None if topics is None else [
                {"id": int(ref["id"]), "name": ref["name"], "name_fa": ref["name_fa"], "slug": ref["slug"]}
                for ref in topics
            ],
        }  # fmt: skip

    def _solar_hijri_of(self, said_on):
        # A page's rows share a few days; the calendar conversion is the dearest part of a row.
        try:
            days = self._solar_hijri_days
        except AttributeError:
            days = self._solar_hijri_days = {}
        try:
            return days[said_on]
        except KeyError:
            days[said_on] = solar_hijri_iso(said_on) or None
            return days[said_on]

    def declared_representation(self, instance):
        """The same row through DRF's declared fields: the reference the fast path is tested against."""
        return super().to_representation(instance)

    def _page_url_of(self):
        """pk -> the row's page URL, from one reverse() per process instead of one per row."""
        try:
            return self._page_url
        except AttributeError:
            pass
        head, tail = id_path_parts(self.page_view)
        request = self.context.get("request")
        if request is not None:
            head = request.build_absolute_uri(head)
        self._page_url = lambda pk: f"{head}{pk}{tail}"
        return self._page_url


class ClaimBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Claim
        fields = ["id", "statement_id", "kind", "text", "text_original"]


class ClaimRelationSerializer(serializers.ModelSerializer):
    class Meta:
        model = ClaimRelation
        fields = ["id", "from_claim_id", "to_claim_id", "kind", "note"]


class ClaimInStatementSerializer(serializers.ModelSerializer):
    topics = TopicBriefSerializer(many=True, read_only=True)
    parties = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")
    relations = serializers.SerializerMethodField()

    class Meta:
        model = Claim
        fields = ["id", "kind", "text", "text_original", "topics", "parties", "relations"]

    @extend_schema_field(ClaimRelationSerializer(many=True))
    def get_relations(self, obj):
        relations = [*obj.relations_from.all(), *obj.relations_to.all()]
        return ClaimRelationSerializer(relations, many=True).data


class CitationSerializer(serializers.ModelSerializer):
    article_title = serializers.CharField(source="article.title", read_only=True)
    article_url = serializers.URLField(source="article.url", read_only=True, allow_null=True)
    outlet = OutletBriefSerializer(source="article.outlet", read_only=True)

    class Meta:
        model = Citation
        fields = ["id", "article_id", "article_title", "article_url", "outlet", "role", "quote", "start_offset",
                  "end_offset", "verified"]  # fmt: skip


class StatementDetailSerializer(StatementSerializer):
    claims = ClaimInStatementSerializer(many=True, read_only=True)
    citations = CitationSerializer(source="provenance", many=True, read_only=True)

    class Meta(StatementSerializer.Meta):
        fields = [*StatementSerializer.Meta.fields, "retraction_reason", "claims", "citations"]

    def to_representation(self, instance):
        return self.declared_representation(instance)  # one row: the fast path is for lists


class ClaimSerializer(serializers.ModelSerializer):
    statement_page_url = serializers.SerializerMethodField()
    official = OfficialBriefSerializer(source="statement.official", read_only=True)
    said_on = serializers.DateField(source="statement.said_on", read_only=True)
    topics = TopicRefSerializer(source="topic_refs", many=True, read_only=True)
    parties = serializers.ListField(source="party_names", child=serializers.CharField(), read_only=True)

    class Meta:
        model = Claim
        fields = ["id", "statement_id", "statement_page_url", "official", "said_on", "kind", "text", "text_original",
                  "topics", "parties"]  # fmt: skip

    @extend_schema_field(OpenApiTypes.URI)
    def get_statement_page_url(self, obj):
        return reverse("claims:statement_detail", args=[obj.statement_id], request=self.context.get("request"))


class PositionSerializer(serializers.ModelSerializer):
    organization = serializers.CharField(source="organization.name", read_only=True)
    country = serializers.CharField(source="organization.country", read_only=True)

    class Meta:
        model = Position
        fields = ["id", "title", "title_native", "organization", "country", "start_date", "start_precision",
                  "end_date", "end_precision"]  # fmt: skip


class OfficialSerializer(_PageLink):
    page_view = "claims:official_detail"
    statement_count = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = Official
        fields = ["id", "page_url", "display_name", "native_name", "country", "wikidata_id", "statement_count"]


class OfficialDetailSerializer(OfficialSerializer):
    aliases = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")
    positions = PositionSerializer(many=True, read_only=True)

    class Meta(OfficialSerializer.Meta):
        fields = [*OfficialSerializer.Meta.fields, "aliases", "positions"]


class TopicSerializer(_PageLink):
    page_view = "claims:topic_detail"

    class Meta:
        model = Topic
        fields = ["id", "page_url", "name", "name_fa", "name_ar", "slug", "parent_id", "keywords", "description"]


class ArticleSerializer(_PageLink):
    page_view = "claims:article_detail"
    outlet = OutletBriefSerializer(read_only=True)
    upstream_outlet = OutletBriefSerializer(read_only=True)
    citation_count = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = Article
        fields = ["id", "page_url", "url", "title", "language", "outlet", "upstream_outlet", "upstream_name_as_printed",
                  "news_code", "published_at", "published_as_printed", "captured_at", "body_sha256",
                  "citation_count"]  # fmt: skip


class ArticleDetailSerializer(ArticleSerializer):
    class Meta(ArticleSerializer.Meta):
        fields = [*ArticleSerializer.Meta.fields, "lead", "body"]
