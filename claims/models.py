"""What was said and by whom: officials, their posts, statements, the claims inside them, topics."""

import pgtrigger
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from claims.choices import (
    INVERSE_RELATION_LABELS,
    AttributionType,
    CitationRole,
    ClaimKind,
    ClaimRelationKind,
    OrganizationKind,
    ReviewStatus,
    VenueKind,
)
from claims.querysets import ClaimQuerySet, OfficialQuerySet, PositionQuerySet, StatementQuerySet, TopicQuerySet
from common.dates import Calendar, DatePrecision
from common.expressions import folded_field, search_document_field
from common.models import BaseModel, track_history
from sources.choices import Language

country_code_validator = RegexValidator(r"^[A-Z]{2}$", _("Use an ISO 3166-1 alpha-2 code such as IR or US."))


def statement_parts_guard(name: str, *, statement_column: str = "", claim_column: str = "") -> tuple:
    """After any write of a part of a statement (a claim, a topic link, a citation) or of a claim's
    part: the published-words rule and the back-to-draft rule (claims.rules), in the database
    (claims.migrations.0006_published_words_guard), so that no write path can skip them.

    Two triggers: one per row for updates and deletes (old and new owner), and one per INSERT
    statement over all the rows it wrote, so that an import's thousands of rows are judged in one
    call rather than one each (PostgreSQL gives a transition table to single-event triggers only)."""
    column = statement_column or claim_column
    function = "goftar_statement_parts_written" if statement_column else "goftar_claim_parts_written"
    return (
        pgtrigger.Trigger(
            name=name,
            when=pgtrigger.After,
            operation=pgtrigger.Update | pgtrigger.Delete,
            func=f"PERFORM {function}(ARRAY[OLD.{column}, NEW.{column}]::bigint[]); RETURN NULL;",
        ),
        pgtrigger.Trigger(
            name=f"{name}_on_insert",
            when=pgtrigger.After,
            level=pgtrigger.Statement,
            operation=pgtrigger.Insert,
            referencing=pgtrigger.Referencing(new="written_rows"),
            func=f"PERFORM {function}(ARRAY(SELECT DISTINCT {column} FROM written_rows)::bigint[]); RETURN NULL;",
        ),
    )


def citation_offsets_trigger(name: str, operation) -> pgtrigger.Trigger:
    """After a statement writing citations: refuse any whose end offset lies past its article's body.

    A statement-level trigger over the written rows (PostgreSQL allows a transition table on one
    event only, hence one trigger for INSERT and one for UPDATE). The lengths are counted in a
    materialised step, once per article, whatever the number of citations: a row trigger counted
    the whole body again for every citation, quadratic in a long page.
    """
    return pgtrigger.Trigger(
        name=name,
        when=pgtrigger.After,
        level=pgtrigger.Statement,
        operation=operation,
        referencing=pgtrigger.Referencing(new="written_citations"),
        declare=[("outside", "record")],
        func="""
            WITH lengths AS MATERIALIZED (
                SELECT a.id, char_length(a.body) AS body_length
                FROM sources_article AS a
                WHERE a.id IN (SELECT DISTINCT article_id FROM written_citations)
            )
            SELECT c.start_offset, c.end_offset, l.body_length INTO outside
            FROM written_citations AS c JOIN lengths AS l ON l.id = c.article_id
            WHERE c.end_offset > l.body_length
            ORDER BY c.id
            LIMIT 1;
            IF FOUND THEN
                RAISE EXCEPTION USING
                    ERRCODE = 'check_violation',
                    CONSTRAINT = 'citation_offsets_in_body',
                    MESSAGE = format('citation %s-%s lies outside the article body (%s characters)',
                                     outside.start_offset, outside.end_offset, outside.body_length);
            END IF;
            RETURN NULL;
        """,
    )


@track_history(exclude=("search_document",))
class Organization(BaseModel):
    """A state, government body, armed group, party or international body that posts belong to."""

    name = models.CharField(_("name"), max_length=300)
    name_native = models.CharField(_("native name"), max_length=300, blank=True)
    acronym = models.CharField(_("acronym"), max_length=40, blank=True)
    kind = models.CharField(
        _("kind"), max_length=20, choices=OrganizationKind.choices, default=OrganizationKind.GOVERNMENT_BODY
    )
    country = models.CharField(_("country"), max_length=2, blank=True, validators=[country_code_validator])
    # Curated hierarchy: a parent with children cannot vanish from under them.
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("part of")
    )
    search_document = search_document_field("name", "name_native", "acronym")

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["name", "country"], name="organization_unique_name_country"),
            models.CheckConstraint(condition=~Q(parent=F("pk")), name="organization_not_own_parent"),
        ]
        indexes = [GinIndex(fields=["search_document"], name="organization_search_gin")]

    def __str__(self):
        return f"{self.name} ({self.country})" if self.country else self.name


@track_history(exclude=("search_document",))
class Official(BaseModel):
    """A person who speaks for a state or organisation (Kamal Kharrazi)."""

    display_name = models.CharField(_("display name"), max_length=200)
    native_name = models.CharField(_("native name"), max_length=200, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True, validators=[country_code_validator])
    wikidata_id = models.CharField(
        _("Wikidata id"),
        max_length=20,
        null=True,
        blank=True,
        unique=True,
        validators=[RegexValidator(r"^Q[1-9][0-9]*$", _("A Wikidata id looks like Q123456."))],
    )
    notes = models.TextField(_("curator's notes"), blank=True)
    search_document = search_document_field("display_name", "native_name")

    objects = OfficialQuerySet.as_manager()

    class Meta:
        verbose_name = _("official")
        verbose_name_plural = _("officials")
        ordering = ["display_name", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(wikidata_id__regex=r"^Q[1-9][0-9]*$"), name="official_wikidata_id_form"),
        ]
        indexes = [GinIndex(fields=["search_document"], name="official_search_gin")]

    def __str__(self):
        return self.display_name


@track_history(exclude=("normalized",))
class OfficialAlias(models.Model):
    """A name an official is printed under, in any script (کمال خرازی, Kharrazi, Kharazi)."""

    # An alias means nothing without its official.
    official = models.ForeignKey(Official, on_delete=models.CASCADE, related_name="aliases", verbose_name=_("official"))
    name = models.CharField(_("alias"), max_length=200)
    language = models.CharField(_("language"), max_length=8, choices=Language.choices, blank=True)
    normalized = folded_field("name", verbose_name=_("folded form"))

    class Meta:
        verbose_name = _("alias")
        verbose_name_plural = _("aliases")
        ordering = ["official_id", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["official", "normalized"],
                name="officialalias_unique_normalized",
                violation_error_message=_("This official already has this alias (perhaps spelled in another script)."),
            ),
            models.CheckConstraint(condition=~Q(name=""), name="officialalias_name_not_empty"),
        ]
        indexes = [models.Index(fields=["normalized"], name="officialalias_normalized_idx")]

    def __str__(self):
        return self.name


@track_history()
class Position(BaseModel):
    """A post an official held in an organisation, from when to when (partial dates allowed)."""

    # A post is part of the official's record and goes with it.
    official = models.ForeignKey(
        Official, on_delete=models.CASCADE, related_name="positions", verbose_name=_("official")
    )
    # Organisations are curated reference data.
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="positions", verbose_name=_("organisation")
    )
    title = models.CharField(
        _("title"), max_length=300, help_text=_("e.g. Head of the Strategic Council on Foreign Relations")
    )
    title_native = models.CharField(_("native title"), max_length=300, blank=True)
    start_date = models.DateField(_("from"), null=True, blank=True)
    start_precision = models.CharField(
        _("from: precision"), max_length=8, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    end_date = models.DateField(_("until"), null=True, blank=True, help_text=_("Empty while the post is held."))
    end_precision = models.CharField(
        _("until: precision"), max_length=8, choices=DatePrecision.choices, default=DatePrecision.DAY
    )

    objects = PositionQuerySet.as_manager()

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        ordering = ["official_id", "-start_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(start_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="position_ends_after_start",
                violation_error_message=_("A position cannot end before it starts."),
            ),
        ]
        indexes = [models.Index(fields=["official", "start_date", "end_date"], name="position_official_dates_idx")]

    def __str__(self):
        return f"{self.title}, {self.organization.name}" if self.organization_id else self.title


# Every (topic, topic in its branch) pair, read from the tree as it stands; UNION, not UNION ALL,
# so that even a cycle made by raw SQL cannot make it loop.
TOPIC_CLOSURE_FILL_SQL = """
    INSERT INTO claims_topicclosure (ancestor_id, descendant_id)
    WITH RECURSIVE branch(ancestor_id, descendant_id) AS (
        SELECT id, id FROM claims_topic
        UNION
        SELECT branch.ancestor_id, child.id
        FROM claims_topic child JOIN branch ON child.parent_id = branch.descendant_id
    )
    SELECT ancestor_id, descendant_id FROM branch
"""


@track_history()
class Topic(BaseModel):
    """A subject statements touch, in a tree (indirect talks under Iran–US relations)."""

    name = models.CharField(_("name"), max_length=200)
    name_fa = models.CharField(_("name in Persian"), max_length=200, blank=True)
    name_ar = models.CharField(_("name in Arabic"), max_length=200, blank=True)
    slug = models.SlugField(_("slug"), max_length=200, unique=True, allow_unicode=False)
    # Moving a whole branch is a deliberate act: a topic with sub-topics cannot be deleted.
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("parent topic")
    )
    keywords = ArrayField(
        models.CharField(max_length=200),
        verbose_name=_("keywords and aliases"),
        default=list,
        blank=True,
        help_text=_("Comma-separated words in any language that suggest this topic."),
    )
    description = models.TextField(_("description"), blank=True)

    objects = TopicQuerySet.as_manager()

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(parent=F("pk")), name="topic_not_own_parent"),
        ]
        triggers = [
            # Statement-level, so a bulk load or a branch moved in one UPDATE rebuilds once. Saving
            # a topic writes parent_id even when it is unchanged: a rebuild of a few hundred rows.
            pgtrigger.Trigger(
                name="topic_closure_rebuild",
                level=pgtrigger.Statement,
                when=pgtrigger.After,
                operation=pgtrigger.Insert | pgtrigger.Delete | pgtrigger.UpdateOf("parent_id") | pgtrigger.Truncate,
                func=f"""
                    -- One rebuild at a time, each reading the tree as committed when it starts.
                    LOCK TABLE claims_topicclosure IN EXCLUSIVE MODE;
                    DELETE FROM claims_topicclosure;
                    {TOPIC_CLOSURE_FILL_SQL};
                    RETURN NULL;
                """,
            ),
        ]

    def __str__(self):
        return self.name


class TopicClosure(models.Model):
    """Every topic paired with each topic of its branch (itself included): the tree, flattened.

    Derived data, rebuilt by a trigger on the topic table whenever the tree changes, however it is
    changed (admin, ``update()``, bulk load, raw SQL): filters read a topic's whole branch with one
    index lookup instead of walking the tree on every request.
    """

    # No foreign-key constraints: the trigger rewrites these rows at the end of every statement that
    # changes the topic table, so they cannot outlive a topic, and a constraint would only leave
    # pending checks that stop the corpus generator from truncating the table twice in a transaction.
    ancestor = models.ForeignKey(
        Topic, on_delete=models.DO_NOTHING, related_name="+", db_constraint=False, db_index=False
    )
    descendant = models.ForeignKey(Topic, on_delete=models.DO_NOTHING, related_name="+", db_constraint=False)

    class Meta:
        verbose_name = _("topic branch member")
        verbose_name_plural = _("topic branch members")
        default_permissions = ()  # nobody edits derived rows, not even in the admin
        constraints = [models.UniqueConstraint(fields=["ancestor", "descendant"], name="topicclosure_unique")]

    def __str__(self):
        return f"{self.ancestor_id} ⊇ {self.descendant_id}"


@track_history(exclude=("search_document",), bulk_inserts=True)
class Statement(BaseModel):
    """One utterance by one official: the words as said, with when, where and how it is attributed."""

    # Officials are curated reference data. A speaker not yet matched keeps only the printed name.
    official = models.ForeignKey(
        Official, on_delete=models.PROTECT, null=True, blank=True, related_name="statements", verbose_name=_("official")
    )
    speaker_name_as_printed = models.CharField(_("speaker as printed"), max_length=300, blank=True)
    # Overrides the position derived from the date; an official's post history is curated data.
    position = models.ForeignKey(
        Position,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="statements",
        verbose_name=_("position (override)"),
        help_text=_("Leave empty to use the post the official held on the statement's date."),
    )
    text = models.TextField(_("words as said"), help_text=_("In the original language."))
    language = models.CharField(_("language"), max_length=8, choices=Language.choices)
    translation = models.TextField(_("English translation"), blank=True)
    question = models.TextField(_("question answered"), blank=True)
    said_on = models.DateField(_("date said"), null=True, blank=True)
    said_on_precision = models.CharField(
        _("date precision"), max_length=8, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    said_on_as_printed = models.CharField(_("date as printed"), max_length=100, blank=True)
    said_on_calendar = models.CharField(
        _("calendar as printed"), max_length=16, choices=Calendar.choices, default=Calendar.GREGORIAN
    )
    venue_kind = models.CharField(_("venue"), max_length=20, choices=VenueKind.choices, default=VenueKind.OTHER)
    # Outlets are curated reference data.
    venue_outlet = models.ForeignKey(
        "sources.Outlet",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="venue_statements",
        verbose_name=_("venue outlet"),
        help_text=_("Where the words were said: the outlet that held the interview, for instance."),
    )
    attribution = models.CharField(
        _("attribution"), max_length=20, choices=AttributionType.choices, default=AttributionType.DIRECT_QUOTE
    )
    topics = models.ManyToManyField(
        Topic, through="StatementTopic", related_name="statements", blank=True, verbose_name=_("topics")
    )
    status = models.CharField(
        _("review status"), max_length=12, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT
    )
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True, editable=False)
    retraction_reason = models.TextField(_("retraction reason"), blank=True)
    search_document = search_document_field("text", "translation", "question", "speaker_name_as_printed")

    objects = StatementQuerySet.as_manager()

    class Meta:
        verbose_name = _("statement")
        verbose_name_plural = _("statements")
        ordering = ["-said_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(official__isnull=False) | ~Q(speaker_name_as_printed=""),
                name="statement_has_speaker",
                violation_error_message=_("Choose the official, or keep the speaker's name as printed."),
            ),
            models.CheckConstraint(
                condition=~Q(status=ReviewStatus.RETRACTED) | ~Q(retraction_reason=""),
                name="statement_retraction_has_reason",
                violation_error_message=_("A retraction needs a reason."),
            ),
            models.CheckConstraint(condition=~Q(text=""), name="statement_text_not_empty"),
        ]
        indexes = [
            models.Index(fields=["-said_on", "-id"], name="statement_said_on_idx"),
            models.Index(fields=["official", "-said_on", "-id"], name="statement_official_idx"),
            models.Index(fields=["status", "-said_on", "-id"], name="statement_status_idx"),
            GinIndex(fields=["search_document"], name="statement_search_gin"),
            # Filters reached through a join (topic links → statements) check date, status and
            # language and read the facet columns from this index alone, without visiting the
            # table: facets of a 117,797-statement topic at 1M went from 3.6 s to 0.19 s.
            models.Index(
                fields=["id"],
                include=["said_on", "status", "language", "official_id", "venue_outlet_id"],
                name="statement_filter_cover_idx",
            ),
        ]
        permissions = [
            ("review_statement", _("Can mark a draft statement reviewed")),
            ("publish_statement", _("Can publish a reviewed statement")),
            ("retract_statement", _("Can retract a published statement")),
            ("export_statement", _("Can export statements, drafts included")),
        ]
        triggers = [
            # Published words are never deleted, whatever writes: they are retracted with a reason.
            pgtrigger.Trigger(
                name="statement_published_never_deleted",
                when=pgtrigger.Before,
                operation=pgtrigger.Delete,
                condition=pgtrigger.Q(old__status__in=[ReviewStatus.PUBLISHED, ReviewStatus.RETRACTED]),
                func="""
                    RAISE EXCEPTION USING
                        ERRCODE = 'restrict_violation',
                        CONSTRAINT = 'statement_published_never_deleted',
                        MESSAGE = format('statement %s was published: retract it instead of deleting it', OLD.id);
                """,
            ),
            # A person's edit: of published words only by those who may publish; of a reviewed
            # statement, back to draft (claims.rules; the functions are in migration 0006).
            pgtrigger.Trigger(
                name="statement_words_guard",
                when=pgtrigger.Before,
                operation=pgtrigger.Update,
                func="""
                    IF NOT goftar_persons_write() THEN
                        RETURN NEW;
                    END IF;
                    IF OLD.status IN ('published', 'retracted') AND NOT goftar_actor_may_publish() THEN
                        PERFORM goftar_refuse_published_edit(OLD.id);
                    END IF;
                    IF OLD.status = 'reviewed' AND NEW.status = 'reviewed'
                       AND goftar_statement_content(to_jsonb(OLD))
                           IS DISTINCT FROM goftar_statement_content(to_jsonb(NEW)) THEN
                        NEW.status := 'draft';
                        NEW.status_changed_at := now();
                        PERFORM goftar_record_back_to_draft(ARRAY[NEW.id]);
                    END IF;
                    RETURN NEW;
                """,
            ),
        ]

    def __str__(self):
        speaker = self.official.display_name if self.official_id else self.speaker_name_as_printed
        return f"{speaker}: {self.text[:60]}"


@track_history(bulk_inserts=True)
class StatementTopic(models.Model):
    """A statement is about a topic."""

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="topic_links")
    # Topics are curated reference data.
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="statement_links")

    class Meta:
        verbose_name = _("statement topic")
        verbose_name_plural = _("statement topics")
        ordering = ["statement_id", "topic_id"]
        constraints = [models.UniqueConstraint(fields=["statement", "topic"], name="statementtopic_unique")]
        indexes = [models.Index(fields=["topic", "statement"], name="statementtopic_topic_idx")]
        triggers = [*statement_parts_guard("statementtopic_words_guard", statement_column="statement_id")]

    def __str__(self):
        return f"{self.statement_id} → {self.topic_id}"


@track_history()
class StatementTransition(models.Model):
    """One step of a statement's review (draft → reviewed → published, or a retraction): who and when."""

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(_("from"), max_length=12, choices=ReviewStatus.choices)
    to_status = models.CharField(_("to"), max_length=12, choices=ReviewStatus.choices)
    # The record of who acted outlives the account.
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    reason = models.TextField(_("reason"), blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("review step")
        verbose_name_plural = _("review steps")
        ordering = ["statement_id", "at", "id"]

    def __str__(self):
        return f"{self.statement_id}: {self.from_status} → {self.to_status}"


@track_history(bulk_inserts=True)
class Citation(BaseModel):
    """Where a statement appears: the exact quote as printed in an article, at stored offsets."""

    statement = models.ForeignKey(
        Statement, on_delete=models.CASCADE, related_name="citations", verbose_name=_("statement")
    )
    # Captured articles are evidence: one that is cited cannot be deleted.
    article = models.ForeignKey(
        "sources.Article", on_delete=models.PROTECT, related_name="citations", verbose_name=_("article")
    )
    quote = models.TextField(_("quote as printed"))
    start_offset = models.PositiveIntegerField(_("start offset"))
    end_offset = models.PositiveIntegerField(_("end offset"))
    role = models.CharField(
        _("role of the article"), max_length=20, choices=CitationRole.choices, default=CitationRole.REPORTER
    )
    verified = models.BooleanField(_("quote verified against the body"), default=False)

    class Meta:
        verbose_name = _("citation")
        verbose_name_plural = _("citations")
        ordering = ["statement_id", "article_id", "start_offset", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_offset__gt=F("start_offset")),
                name="citation_offsets_ordered",
                violation_error_message=_("The end offset must come after the start offset."),
            ),
        ]
        indexes = [models.Index(fields=["article", "start_offset"], name="citation_article_idx")]
        triggers = [
            # A CHECK constraint cannot see another table: these triggers keep offsets inside the body.
            # Once per statement, not per row: the body's length is counted once per article written
            # to (a row trigger counted the whole body again for every citation of a long page).
            citation_offsets_trigger("citation_offsets_in_body", pgtrigger.Insert),
            citation_offsets_trigger("citation_offsets_in_body_on_update", pgtrigger.Update),
            *statement_parts_guard("citation_words_guard", statement_column="statement_id"),
        ]

    def __str__(self):
        return f"{self.quote[:60]} [{self.start_offset}:{self.end_offset}]"


@track_history(exclude=("search_document",))
class Claim(BaseModel):
    """One atomic proposition inside a statement ("Iran will not press the Houthis")."""

    statement = models.ForeignKey(
        Statement, on_delete=models.CASCADE, related_name="claims", verbose_name=_("statement")
    )
    text = models.TextField(_("claim (English)"))
    text_original = models.TextField(_("claim (original language)"), blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=ClaimKind.choices, default=ClaimKind.ASSERTION)
    parties = models.ManyToManyField(
        Organization, through="ClaimParty", related_name="claims_about", blank=True, verbose_name=_("about")
    )
    topics = models.ManyToManyField(
        Topic, through="ClaimTopic", related_name="claims", blank=True, verbose_name=_("topics")
    )
    search_document = search_document_field("text", "text_original")

    objects = ClaimQuerySet.as_manager()

    class Meta:
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        ordering = ["statement_id", "id"]
        constraints = [models.CheckConstraint(condition=~Q(text=""), name="claim_text_not_empty")]
        indexes = [
            models.Index(fields=["kind", "statement"], name="claim_kind_idx"),
            GinIndex(fields=["search_document"], name="claim_search_gin"),
        ]
        triggers = [*statement_parts_guard("claim_words_guard", statement_column="statement_id")]

    def __str__(self):
        return self.text[:80]


@track_history()
class ClaimTopic(models.Model):
    """A claim is about a topic."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="topic_links")
    # Topics are curated reference data.
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="claim_links")

    class Meta:
        verbose_name = _("claim topic")
        verbose_name_plural = _("claim topics")
        ordering = ["claim_id", "topic_id"]
        constraints = [models.UniqueConstraint(fields=["claim", "topic"], name="claimtopic_unique")]
        indexes = [models.Index(fields=["topic", "claim"], name="claimtopic_topic_idx")]
        triggers = [*statement_parts_guard("claimtopic_words_guard", claim_column="claim_id")]

    def __str__(self):
        return f"{self.claim_id} → {self.topic_id}"


@track_history()
class ClaimParty(models.Model):
    """A claim is about an organisation or state."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="party_links")
    # Organisations are curated reference data.
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="claim_links")

    class Meta:
        verbose_name = _("claim party")
        verbose_name_plural = _("claim parties")
        ordering = ["claim_id", "organization_id"]
        constraints = [models.UniqueConstraint(fields=["claim", "organization"], name="claimparty_unique")]
        triggers = [*statement_parts_guard("claimparty_words_guard", claim_column="claim_id")]

    def __str__(self):
        return f"{self.claim_id} → {self.organization_id}"


@track_history()
class ClaimRelation(BaseModel):
    """A typed link between two claims: how a claim is tracked over time (a concession qualifies a denial)."""

    from_claim = models.ForeignKey(
        Claim, on_delete=models.CASCADE, related_name="relations_from", verbose_name=_("claim")
    )
    to_claim = models.ForeignKey(
        Claim, on_delete=models.CASCADE, related_name="relations_to", verbose_name=_("related claim")
    )
    kind = models.CharField(_("relation"), max_length=16, choices=ClaimRelationKind.choices)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("claim relation")
        verbose_name_plural = _("claim relations")
        ordering = ["from_claim_id", "to_claim_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_claim=F("to_claim")),
                name="claimrelation_not_to_itself",
                violation_error_message=_("A claim cannot be related to itself."),
            ),
            models.UniqueConstraint(
                fields=["from_claim", "to_claim", "kind"],
                name="claimrelation_unique",
                violation_error_message=_("These two claims are already related this way."),
            ),
        ]
        indexes = [models.Index(fields=["to_claim"], name="claimrelation_to_idx")]
        # A relation belongs to the claim it starts from (the later claim that repeats, qualifies or
        # contradicts an earlier one): a curator may link a new draft claim to a published one.
        triggers = [*statement_parts_guard("claimrelation_words_guard", claim_column="from_claim_id")]

    def __str__(self):
        return f"{self.from_claim_id} {self.kind} {self.to_claim_id}"

    @property
    def inverse_kind_label(self) -> str:
        return INVERSE_RELATION_LABELS[self.kind]
