"""Read-only JSON shapes of the analysts' data. No business logic here: selectors decide what is read."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from claims.models import Citation, Claim, ClaimRelation, Official, Position, Statement, Topic
from common.dates import solar_hijri_iso
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

    # The columns the list reads (keyset pagination also reads its order keys, said_on and id):
    # loading and decoding the others (search vectors, timestamps) cost about 1.5 ms per page.
    LIST_COLUMNS = (
        "id", "speaker_name_as_printed", "text", "language", "translation", "question", "said_on",
        "said_on_precision", "said_on_as_printed", "venue_kind", "attribution", "status",
        *(f"official__{name}" for name in OfficialBriefSerializer.Meta.fields),
        *(f"venue_outlet__{name}" for name in OutletBriefSerializer.Meta.fields),
    )  # fmt: skip


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
