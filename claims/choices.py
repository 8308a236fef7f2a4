from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganizationKind(models.TextChoices):
    STATE = "state", _("state")
    GOVERNMENT_BODY = "government_body", _("government body")
    ARMED_FORCE = "armed_force", _("armed force or group")
    PARTY = "party", _("political party or movement")
    INTERNATIONAL = "international", _("international organisation")
    OTHER = "other", _("other")


class VenueKind(models.TextChoices):
    INTERVIEW = "interview", _("interview")
    PRESS_CONFERENCE = "press_conference", _("press conference")
    SPEECH = "speech", _("speech")
    SOCIAL_POST = "social_post", _("social media post")
    WRITTEN_STATEMENT = "written_statement", _("written statement")
    OTHER = "other", _("other")


class AttributionType(models.TextChoices):
    DIRECT_QUOTE = "direct_quote", _("direct quote")
    PARAPHRASE = "paraphrase", _("paraphrase")
    TRANSLATION = "translation", _("translation")
    UNNAMED_SOURCE = "unnamed_source", _("unnamed source")


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    REVIEWED = "reviewed", _("reviewed")
    PUBLISHED = "published", _("published")
    RETRACTED = "retracted", _("retracted")


class CitationRole(models.TextChoices):
    ORIGINAL_VENUE = "original_venue", _("original venue")
    REPORTER = "reporter", _("reporter")
    REPUBLISHER = "republisher", _("republisher")


class ClaimKind(models.TextChoices):
    ASSERTION = "assertion", _("assertion")
    DENIAL = "denial", _("denial")
    POSITION = "position", _("position")
    COMMITMENT = "commitment", _("commitment")
    DEMAND = "demand", _("demand")
    WARNING = "warning", _("warning")
    CONCESSION = "concession", _("concession")


class ClaimRelationKind(models.TextChoices):
    REPEATS = "repeats", _("repeats")
    SUPPORTS = "supports", _("supports")
    CONTRADICTS = "contradicts", _("contradicts")
    QUALIFIES = "qualifies", _("qualifies")
    REVERSES = "reverses", _("reverses")
    RETRACTS = "retracts", _("retracts")


# How a relation reads from the other end: "the denial is qualified by the concession".
INVERSE_RELATION_LABELS = {
    ClaimRelationKind.REPEATS: _("is repeated by"),
    ClaimRelationKind.SUPPORTS: _("is supported by"),
    ClaimRelationKind.CONTRADICTS: _("is contradicted by"),
    ClaimRelationKind.QUALIFIES: _("is qualified by"),
    ClaimRelationKind.REVERSES: _("is reversed by"),
    ClaimRelationKind.RETRACTS: _("is retracted by"),
}
