"""Where words are found: outlets and the articles captured from them."""

from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.dates import Calendar
from common.expressions import folded_field, search_document_field
from common.models import BaseModel, track_history
from sources.choices import Language, OutletKind
from sources.querysets import ArticleQuerySet, OutletQuerySet


@track_history(exclude=("search_document",))
class Outlet(BaseModel):
    """A publisher or broadcaster that words reach the public through (Khabaronline, Al Jazeera)."""

    name = models.CharField(_("name"), max_length=200, unique=True, help_text=_("Usual name in English."))
    name_native = models.CharField(_("native name"), max_length=200, blank=True)
    domain = models.CharField(_("web domain"), max_length=200, blank=True, help_text=_("e.g. khabaronline.ir"))
    country = models.CharField(_("country"), max_length=2, blank=True, help_text=_("ISO 3166-1 alpha-2 code."))
    language = models.CharField(_("main language"), max_length=8, choices=Language.choices, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=OutletKind.choices, default=OutletKind.NEWS_SITE)
    search_document = search_document_field("name", "name_native", "domain")

    objects = OutletQuerySet.as_manager()

    class Meta:
        verbose_name = _("outlet")
        verbose_name_plural = _("outlets")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["domain"], condition=~Q(domain=""), name="outlet_unique_domain"),
        ]
        indexes = [GinIndex(fields=["search_document"], name="outlet_search_gin")]

    def __str__(self):
        return self.name


@track_history(exclude=("normalized",))
class OutletAlias(models.Model):
    """Another name an outlet goes by in print (خبرآنلاین, رويترز, Reuters), used to match credits."""

    # An alias means nothing without its outlet.
    outlet = models.ForeignKey(Outlet, on_delete=models.CASCADE, related_name="aliases", verbose_name=_("outlet"))
    name = models.CharField(_("alias"), max_length=200)
    normalized = folded_field("name")

    class Meta:
        verbose_name = _("outlet alias")
        verbose_name_plural = _("outlet aliases")
        ordering = ["outlet_id", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["outlet", "normalized"], name="outletalias_unique_normalized"),
        ]
        indexes = [models.Index(fields=["normalized"], name="outletalias_normalized_idx")]

    def __str__(self):
        return self.name


@track_history(exclude=("search_document",))
class Article(BaseModel):
    """One page as captured from an outlet: its text exactly as printed and where it came from."""

    url = models.URLField(_("canonical URL"), max_length=2000, null=True, blank=True, unique=True)
    # Outlets are curated reference data: an outlet with articles cannot be deleted.
    outlet = models.ForeignKey(Outlet, on_delete=models.PROTECT, related_name="articles", verbose_name=_("outlet"))
    upstream_outlet = models.ForeignKey(
        Outlet,
        on_delete=models.PROTECT,
        related_name="credited_by_articles",
        null=True,
        blank=True,
        verbose_name=_("upstream outlet"),
        help_text=_("The outlet this page credits (به گزارش خبرآنلاین)."),
    )
    upstream_name_as_printed = models.CharField(_("upstream as printed"), max_length=200, blank=True)
    title = models.CharField(_("title"), max_length=1000)
    lead = models.TextField(_("lead"), blank=True)
    body = models.TextField(_("body as captured"))
    language = models.CharField(_("language"), max_length=8, choices=Language.choices)
    news_code = models.CharField(
        _("news code"), max_length=64, blank=True, help_text=_("The outlet's own id (کد خبر).")
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_as_printed = models.CharField(_("publication date as printed"), max_length=200, blank=True)
    published_calendar = models.CharField(
        _("calendar as printed"), max_length=16, choices=Calendar.choices, default=Calendar.GREGORIAN
    )
    captured_at = models.DateTimeField(_("captured at"), default=timezone.now)
    body_sha256 = models.CharField(_("SHA-256 of body"), max_length=64, editable=False)
    search_document = search_document_field("title", "lead", "body")

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["-published_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["body_sha256"], name="article_unique_body"),
            models.CheckConstraint(condition=Q(body_sha256__regex=r"^[0-9a-f]{64}$"), name="article_sha256_hex"),
            models.CheckConstraint(condition=~Q(body=""), name="article_body_not_empty"),
            models.CheckConstraint(
                condition=~Q(upstream_outlet=F("outlet")), name="article_upstream_is_another_outlet"
            ),
        ]
        indexes = [
            models.Index(fields=["-published_at", "-id"], name="article_published_idx"),
            models.Index(fields=["outlet", "-published_at"], name="article_outlet_published_idx"),
            GinIndex(fields=["search_document"], name="article_search_gin"),
        ]

    def __str__(self):
        return self.title

    @property
    def body_length(self) -> int:
        return len(self.body)


@track_history()
class Republication(BaseModel):
    """The same text found again under another URL or outlet: recorded, not stored twice."""

    # A republication is only a pointer to the article it repeats.
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="republications", verbose_name=_("article")
    )
    url = models.URLField(_("URL"), max_length=2000, unique=True)
    outlet = models.ForeignKey(
        Outlet, on_delete=models.PROTECT, related_name="republications", verbose_name=_("outlet")
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_as_printed = models.CharField(_("publication date as printed"), max_length=200, blank=True)
    captured_at = models.DateTimeField(_("captured at"), default=timezone.now)

    class Meta:
        verbose_name = _("republication")
        verbose_name_plural = _("republications")
        ordering = ["article_id", "captured_at", "id"]

    def __str__(self):
        return self.url
