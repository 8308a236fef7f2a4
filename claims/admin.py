"""The curators' admin for officials, their posts, topics, statements, citations and claims."""

from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.options import IncorrectLookupParameters
from django.db.models import Exists, F, Func, OuterRef, Q, Value
from django.db.models.expressions import RawSQL
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import formats
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from claims.admin_workflow import StatementWorkflowAdminMixin
from claims.forms import (
    CitationForm,
    ClaimPartyForm,
    ClaimRelationForm,
    ClaimTopicForm,
    OfficialAliasForm,
    OfficialAliasFormSet,
    OrganizationForm,
    StatementsTopicForm,
    StatementTopicForm,
    TopicForm,
)
from claims.models import (
    Citation,
    Claim,
    ClaimParty,
    ClaimRelation,
    ClaimTopic,
    Official,
    OfficialAlias,
    Organization,
    Position,
    Statement,
    StatementTopic,
    StatementTransition,
    Topic,
)
from claims.querysets import topic_subtree_ids
from claims.rules import may_edit_published, statement_locked_for
from claims.services import citations_verify, statements_topic_add
from common.dates import solar_hijri
from common.expressions import Fold
from common.languages import name_in_page_language
from common.search import search_query
from common.text import fold
from sources.admin import CuratorAdmin, CuratorInline, FoldedAliasSearchMixin, FoldedSearchMixin, short_text

TEXT_EXCERPT = 90
MAX_ID_DIGITS = 18
ADD_TOPIC_SAMPLE = 10


def _folded_contains(queryset, search_term, *fields):
    """Folded substring match over a few short columns, for the small reference tables (topics, posts)
    that have no search document: their scans cost little and Persian variants still meet."""
    folded = fold(search_term)
    if not folded:
        return queryset.none()
    annotations = {f"_folded_{index}": Fold(field) for index, field in enumerate(fields)}
    condition = Q()
    for name in annotations:
        condition |= Q(**{f"{name}__contains": folded})
    return queryset.annotate(**annotations).filter(condition)


def _search_documents(queryset, search_term, *document_paths):
    """Rows whose related rows' folded search documents match (a link table searched by its statement)."""
    if not search_term.strip():
        return queryset
    query = search_query(search_term)
    if query is None:
        return queryset.none()
    condition = Q()
    for path in document_paths:
        condition |= Q(**{path: query})
    return queryset.filter(condition)


# The chosen topic and the topics above it, up to its root (claims.models.TopicClosure).
_TOPIC_PATH_SQL = "SELECT ancestor_id FROM claims_topicclosure WHERE descendant_id = %s"
TOPIC_DEPTH_MARK = "— "


def _topic_id(value):
    """The bigint id in a ?topic= value, or None for anything else (a bad link)."""
    value = str(value or "")
    return int(value) if value.isdigit() and len(value) <= MAX_ID_DIGITS else None


def _subtree(topic_id, parents):
    """The topic and all its descendants, from a {topic: parent} map that holds them."""
    children = {}
    for pk, parent in parents.items():
        children.setdefault(parent, []).append(pk)
    found, todo = {topic_id}, [topic_id]
    while todo:
        for child in children.get(todo.pop(), ()):
            if child not in found:
                found.add(child)
                todo.append(child)
    return sorted(found)


class TopicListFilter(admin.SimpleListFilter):
    """Filter by a topic and everything under it (indirect talks are part of Iran–US relations).

    The sidebar drills down like the date hierarchy: the root topics, and under the chosen one's root
    the path to it and its sub-topics. Listing all topics (500 in the bench corpus) as links was a
    third of the statements changelist's time, and a column of 500 links is no help to a curator
    either; the edit forms still choose any topic through autocomplete.
    """

    title = _("topic")
    parameter_name = "topic"
    link_model = StatementTopic
    link_field = "statement_id"

    def lookups(self, request, model_admin):
        chosen = _topic_id(self.value())
        shown = Q(parent__isnull=True)
        if chosen is not None:
            # The whole subtree too, in the same query: queryset() filters by its ids.
            shown |= Q(pk__in=RawSQL(_TOPIC_PATH_SQL, [chosen])) | Q(pk__in=topic_subtree_ids([chosen]))
        rows = Topic.objects.filter(shown).order_by("name", "pk").values_list("pk", "parent_id", "name", "name_fa")
        labels = {pk: name_in_page_language({"name": name, "name_fa": name_fa}) for pk, _parent, name, name_fa in rows}
        parents = {pk: parent for pk, parent, _name, _name_fa in rows}
        self.subtree_ids = _subtree(chosen, parents) if chosen in parents else None
        # Root first: walk up from the chosen topic (the visited set stops at a cycle in bad data).
        path = []
        node = chosen if chosen in labels else None
        while node is not None and node not in path:
            path.insert(0, node)
            node = parents.get(node)
        below = [*path[1:], *(pk for pk in labels if parents[pk] == chosen and pk not in path)]
        depth = {pk: index for index, pk in enumerate(path)}
        for pk in below:
            depth.setdefault(pk, len(path))
        choices = []
        for pk, parent in parents.items():
            if parent is None:
                choices.append((pk, labels[pk]))
                if path and path[0] == pk:
                    choices.extend((child, TOPIC_DEPTH_MARK * depth[child] + labels[child]) for child in below)
        if path and parents[path[0]] is not None:  # the chosen topic's root is not a root: bad data
            choices.extend((child, TOPIC_DEPTH_MARK * depth[child] + labels[child]) for child in [path[0], *below])
        return choices

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        # A bigint id: anything else is a bad link, answered like Django's own bad lookups.
        topic_id = _topic_id(value)
        if topic_id is None:
            raise IncorrectLookupParameters(value)
        # The ids lookups() read: the planner then estimates the matching rows from the topics'
        # statistics (at 1M statements, 117,797 under the busiest root: "about 165,641", where the
        # recursive subquery made it guess 859,873).
        subtree = getattr(self, "subtree_ids", None) or topic_subtree_ids([topic_id])
        links = self.link_model.objects.filter(topic_id__in=subtree, **{self.link_field: OuterRef("pk")})
        return queryset.filter(Exists(links))


class ClaimTopicListFilter(TopicListFilter):
    link_model = ClaimTopic
    link_field = "claim_id"


class PublishedWordsAdminMixin:
    """Parts of a published or retracted statement (claims and theirs, topic links, citations) are
    read-only to users who may not publish (claims.rules), and a new or moved row may only point at
    a statement or claim they may change. The database refuses the same writes (migration 0006);
    this keeps them from being offered."""

    # The path from a row to the statement it belongs to, and the field that chooses it.
    statement_path = "statement"
    owner_field = "statement"

    def _locked(self, request, obj) -> bool:
        # Those who may publish are asked first: their pages need not fetch the statement.
        if obj is None or may_edit_published(request.user):
            return False
        for name in self.statement_path.split("__"):
            obj = getattr(obj, name, None)
        return statement_locked_for(obj, request.user)

    def has_change_permission(self, request, obj=None):
        return not self._locked(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._locked(request, obj) and super().has_delete_permission(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == self.owner_field and not may_edit_published(request.user):
            editable = Statement.objects.editable_by(request.user)
            if db_field.related_model is Statement:
                kwargs["queryset"] = editable
            else:
                kwargs["queryset"] = db_field.related_model.objects.filter(statement__in=editable)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


# --- organisations, officials, posts --------------------------------------------------------------


@admin.register(Organization)
class OrganizationAdmin(FoldedSearchMixin, CuratorAdmin):
    form = OrganizationForm
    list_display = ("name", "name_native", "acronym", "kind", "country", "parent")
    list_select_related = ("parent",)
    list_filter = ("kind",)
    search_fields = ("search_document",)
    autocomplete_fields = ("parent",)
    ordering = ("name", "id")


class OfficialAliasInline(CuratorInline):
    model = OfficialAlias
    # The formset compares the folded names of all rows at once (a rename and a new spelling may swap).
    formset = OfficialAliasFormSet
    fields = ("name", "language")
    show_change_link = False


class PositionInline(CuratorInline):
    model = Position
    fields = ("title", "title_native", "organization", "start_date", "start_precision", "end_date", "end_precision")
    autocomplete_fields = ("organization",)
    show_change_link = False

    def get_queryset(self, request):
        # Each row's heading is the post's __str__, which names the organisation.
        return super().get_queryset(request).select_related("organization")


@admin.register(Official)
class OfficialAdmin(CuratorAdmin):
    list_display = ("display_name", "native_name", "country", "wikidata_id")
    list_filter = ("country",)
    search_fields = ("search_document",)
    ordering = ("display_name", "id")
    inlines = (OfficialAliasInline, PositionInline)
    list_select_related = ()

    def view_on_site(self, obj):
        return reverse("claims:official_detail", args=[obj.pk])

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        # Names and every alias, in any script (OfficialQuerySet.search); it applies DISTINCT.
        if search_query(search_term) is None:
            return queryset.none(), False
        return queryset.search(search_term), False


@admin.register(OfficialAlias)
class OfficialAliasAdmin(FoldedAliasSearchMixin, CuratorAdmin):
    form = OfficialAliasForm
    list_display = ("name", "official", "language", "normalized")
    list_select_related = ("official",)
    list_filter = ("language",)
    search_fields = ("normalized",)
    autocomplete_fields = ("official",)
    readonly_fields = ("normalized",)
    ordering = ("official_id", "name", "id")


@admin.register(Position)
class PositionAdmin(CuratorAdmin):
    list_display = ("title", "official", "organization", "start_date", "end_date")
    list_select_related = ("official", "organization")
    search_fields = ("title",)
    autocomplete_fields = ("official", "organization")
    ordering = ("official_id", "-start_date", "id")

    def get_queryset(self, request):
        # __str__ names the organisation: one join instead of a query per row (autocomplete too). A
        # select_related here replaces list_select_related, so it names the changelist's columns too.
        return super().get_queryset(request).select_related("official", "organization")

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        query = search_query(search_term)
        folded = fold(search_term)
        condition = Q(_title_folded__contains=folded) | Q(_title_native_folded__contains=folded)
        if query is not None:
            condition |= Q(official__search_document=query) | Q(organization__search_document=query)
        queryset = queryset.annotate(_title_folded=Fold("title"), _title_native_folded=Fold("title_native"))
        return queryset.filter(condition), False


# --- topics ------------------------------------------------------------------------------------------


@admin.register(Topic)
class TopicAdmin(CuratorAdmin):
    form = TopicForm
    list_display = ("name", "name_fa", "name_ar", "parent", "slug")
    list_select_related = ("parent",)
    search_fields = ("name",)
    autocomplete_fields = ("parent",)
    prepopulated_fields = {"slug": ("name",)}
    ordering = ("name", "id")

    def view_on_site(self, obj):
        return reverse("claims:topic_detail", args=[obj.pk])

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        keywords = Func(F("keywords"), Value(" "), function="array_to_string")
        return _folded_contains(queryset, search_term, "name", "name_fa", "name_ar", "slug", keywords), False


# --- statements ----------------------------------------------------------------------------------------


class StatementTopicInline(CuratorInline):
    model = StatementTopic
    form = StatementTopicForm
    autocomplete_fields = ("topic",)
    show_change_link = False
    verbose_name = _("topic")
    verbose_name_plural = _("topics")


class StatementCitationInline(CuratorInline):
    model = Citation
    form = CitationForm
    fields = ("article", "quote", "start_offset", "end_offset", "role", "verified")
    readonly_fields = ("verified",)
    autocomplete_fields = ("article",)


class StatementClaimInline(CuratorInline):
    model = Claim
    fields = ("text", "text_original", "kind")
    # Two texts side by side do not fit a table row; parties, topics and relations are on the claim's page.
    template = "admin/edit_inline/stacked.html"


class StatementTransitionInline(CuratorInline):
    """The review history: written by the review workflow, read-only here."""

    model = StatementTransition
    fields = ("from_status", "to_status", "acting_user", "reason", "at")
    readonly_fields = fields
    show_change_link = False
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")

    @admin.display(description=_("by"))
    def acting_user(self, obj):
        return obj.actor or "—"


@admin.register(Statement)
class StatementAdmin(StatementWorkflowAdminMixin, FoldedSearchMixin, CuratorAdmin):
    """Statements; the review status moves only through the workflow actions (claims.services)."""

    # Five cells a row, not seven: each cell costs the admin's row machinery ~25 µs whatever it shows,
    # so the Solar Hijri date sits beside the Gregorian one and the outlet beside the venue (as on
    # the public list). Sorting by outlet (a join over every statement) went with its column.
    list_display = ("excerpt", "official", "said_on_dates", "venue", "status")
    list_display_links = ("excerpt",)
    list_select_related = ("official", "venue_outlet")
    list_filter = ("status", "venue_kind", "attribution", "language", TopicListFilter)
    search_fields = ("search_document",)
    date_hierarchy = "said_on"
    ordering = ("-said_on", "-id")
    autocomplete_fields = ("official", "position", "venue_outlet")
    # The review status moves only through the workflow actions (claims.services).
    readonly_fields = ("status", "status_changed_at", "retraction_reason")
    inlines = (StatementTopicInline, StatementCitationInline, StatementClaimInline, StatementTransitionInline)
    fieldsets = (
        (None, {"fields": ("official", "speaker_name_as_printed", "position", "text", "language", "translation",
                           "question")}),
        (_("When"), {"fields": (("said_on", "said_on_precision"), ("said_on_as_printed", "said_on_calendar"))}),
        (_("Where and how"), {"fields": ("venue_kind", "venue_outlet", "attribution")}),
        (_("Review"), {"fields": ("status", "status_changed_at", "retraction_reason")}),
    )

    actions = ("add_topic",)

    def view_on_site(self, obj):
        return reverse("claims:statement_detail", args=[obj.pk])

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        query = search_query(search_term)
        if query is None:
            return queryset.none(), False
        # The words, or the speaker by any of their names: "Kharrazi" and "خرازی" find his statements.
        speakers = Official.objects.search(search_term).values("pk")
        return queryset.filter(Q(search_document=query) | Q(official__in=speakers)), False

    @admin.action(description=_("Add a topic to the selected statements…"), permissions=["change"])
    def add_topic(self, request, queryset):
        form = StatementsTopicForm(request.POST if "topic" in request.POST else None)
        if form.is_bound and form.is_valid():
            topic = form.cleaned_data["topic"]
            tagged = statements_topic_add(statements=queryset, topic=topic, actor=request.user)
            message = ngettext(
                "%(count)d statement tagged “%(topic)s”.", "%(count)d statements tagged “%(topic)s”.", tagged
            )
            self.message_user(request, message % {"count": tagged, "topic": topic})
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Add a topic to statements"),
            "subtitle": None,
            "opts": self.opts,
            "form": form,
            # The first few, for orientation: "select all" may have chosen a million.
            "sample": queryset.select_related("official")[:ADD_TOPIC_SAMPLE],
            "selected": request.POST.getlist(ACTION_CHECKBOX_NAME),
            "select_across": request.POST.get("select_across", "0"),
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/claims/statement/add_topic.html", context)

    def get_queryset(self, request):
        # The page title and breadcrumbs name the speaker. A select_related here replaces
        # list_select_related, so it names the changelist's columns too. The search documents
        # (generated by PostgreSQL, read by no page) stay in the database: parsing them was a tenth
        # of the changelist's fetch.
        return (
            super()
            .get_queryset(request)
            .select_related(*self.list_select_related)
            .defer("search_document", "official__search_document", "venue_outlet__search_document")
        )

    @admin.display(description=_("words as said"))
    def excerpt(self, obj):
        return short_text(obj.text, TEXT_EXCERPT)

    @admin.display(description=_("date said"), ordering="said_on")
    def said_on_dates(self, obj):
        if obj.said_on is None:
            return self.get_empty_value_display()
        return format_html(
            '{}<span class="solar-hijri" lang="fa">{}</span>',
            formats.localize(obj.said_on),
            solar_hijri(obj.said_on, obj.said_on_precision),
        )

    @admin.display(description=_("venue"), ordering="venue_kind")
    def venue(self, obj):
        kind = obj.get_venue_kind_display()
        if obj.venue_outlet is None:
            return kind
        return format_html('{} · <span dir="auto">{}</span>', kind, obj.venue_outlet)


@admin.register(StatementTopic)
class StatementTopicAdmin(PublishedWordsAdminMixin, CuratorAdmin):
    form = StatementTopicForm
    list_display = ("statement", "topic")
    list_select_related = ("statement__official", "topic")
    search_fields = ("statement__search_document",)
    autocomplete_fields = ("statement", "topic")
    ordering = ("statement_id", "topic_id")

    def get_search_results(self, request, queryset, search_term):
        return _search_documents(queryset, search_term, "statement__search_document"), False


@admin.register(StatementTransition)
class StatementTransitionAdmin(CuratorAdmin):
    """Review steps are an audit record: viewable, never typed or edited by hand."""

    list_display = ("statement", "from_status", "to_status", "actor", "at")
    list_select_related = ("statement__official", "actor")
    list_filter = ("to_status",)
    search_fields = ("statement__search_document",)
    ordering = ("statement_id", "at", "id")
    readonly_fields = ("statement", "from_status", "to_status", "actor", "reason", "at")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related(*self.list_select_related)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_search_results(self, request, queryset, search_term):
        return _search_documents(queryset, search_term, "statement__search_document"), False


@admin.register(Citation)
class CitationAdmin(PublishedWordsAdminMixin, CuratorAdmin):
    form = CitationForm
    list_display = ("excerpt", "statement", "article", "start_offset", "end_offset", "role", "verified")
    list_display_links = ("excerpt",)
    list_select_related = ("statement__official", "article")
    list_filter = ("role", "verified")
    search_fields = ("statement__search_document",)
    autocomplete_fields = ("statement", "article")
    readonly_fields = ("verified",)
    ordering = ("statement_id", "article_id", "start_offset", "id")
    fields = ("statement", "article", "quote", "start_offset", "end_offset", "role", "verified")

    @admin.display(description=_("quote as printed"))
    def excerpt(self, obj):
        return short_text(obj.quote, TEXT_EXCERPT)

    actions = ("verify_citations",)

    @admin.action(description=_("Check the selected quotes against their articles"), permissions=["change"])
    def verify_citations(self, request, queryset):
        verified, unverified = citations_verify(citations=queryset, actor=request.user)
        self.message_user(
            request,
            gettext("%(verified)d quotes match their article; %(unverified)d do not (marked unverified).")
            % {"verified": verified, "unverified": unverified},
        )

    def get_search_results(self, request, queryset, search_term):
        return _search_documents(queryset, search_term, "statement__search_document", "article__search_document"), False


# --- claims ------------------------------------------------------------------------------------------


class ClaimTopicInline(CuratorInline):
    model = ClaimTopic
    form = ClaimTopicForm
    autocomplete_fields = ("topic",)
    show_change_link = False
    verbose_name = _("topic")
    verbose_name_plural = _("topics")


class ClaimPartyInline(CuratorInline):
    model = ClaimParty
    form = ClaimPartyForm
    autocomplete_fields = ("organization",)
    show_change_link = False
    verbose_name = _("party")
    verbose_name_plural = _("parties the claim is about")


class ClaimRelationInline(CuratorInline):
    model = ClaimRelation
    form = ClaimRelationForm
    fk_name = "from_claim"
    fields = ("kind", "to_claim", "note")
    autocomplete_fields = ("to_claim",)
    verbose_name = _("relation to another claim")
    verbose_name_plural = _("relations to other claims")


@admin.register(Claim)
class ClaimAdmin(PublishedWordsAdminMixin, FoldedSearchMixin, CuratorAdmin):
    list_display = ("excerpt", "kind", "statement")
    list_display_links = ("excerpt",)
    list_select_related = ("statement__official",)
    list_filter = ("kind", ClaimTopicListFilter)
    search_fields = ("search_document",)
    autocomplete_fields = ("statement",)
    ordering = ("statement_id", "id")
    inlines = (ClaimTopicInline, ClaimPartyInline, ClaimRelationInline)

    @admin.display(description=_("claim (English)"))
    def excerpt(self, obj):
        return short_text(obj.text, TEXT_EXCERPT)


@admin.register(ClaimTopic)
class ClaimTopicAdmin(PublishedWordsAdminMixin, CuratorAdmin):
    statement_path = "claim__statement"
    owner_field = "claim"

    form = ClaimTopicForm
    list_display = ("claim", "topic")
    list_select_related = ("claim", "topic")
    search_fields = ("claim__search_document",)
    autocomplete_fields = ("claim", "topic")
    ordering = ("claim_id", "topic_id")

    def get_search_results(self, request, queryset, search_term):
        return _search_documents(queryset, search_term, "claim__search_document"), False


@admin.register(ClaimParty)
class ClaimPartyAdmin(PublishedWordsAdminMixin, CuratorAdmin):
    statement_path = "claim__statement"
    owner_field = "claim"

    form = ClaimPartyForm
    list_display = ("claim", "organization")
    list_select_related = ("claim", "organization")
    search_fields = ("claim__search_document",)
    autocomplete_fields = ("claim", "organization")
    ordering = ("claim_id", "organization_id")

    def get_search_results(self, request, queryset, search_term):
        return _search_documents(queryset, search_term, "claim__search_document"), False


@admin.register(ClaimRelation)
class ClaimRelationAdmin(PublishedWordsAdminMixin, CuratorAdmin):
    statement_path = "from_claim__statement"
    owner_field = "from_claim"

    form = ClaimRelationForm
    list_display = ("from_claim", "kind", "to_claim", "note")
    list_select_related = ("from_claim", "to_claim")
    list_filter = ("kind",)
    search_fields = ("from_claim__search_document",)
    autocomplete_fields = ("from_claim", "to_claim")
    ordering = ("from_claim_id", "to_claim_id", "id")

    def get_search_results(self, request, queryset, search_term):
        documents = ("from_claim__search_document", "to_claim__search_document")
        return _search_documents(queryset, search_term, *documents), False
