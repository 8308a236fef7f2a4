from django.db import models
from django.utils.translation import gettext_lazy as _


class Language(models.TextChoices):
    PERSIAN = "fa", _("Persian")
    ARABIC = "ar", _("Arabic")
    ENGLISH = "en", _("English")
    OTHER = "other", _("Other")


class OutletKind(models.TextChoices):
    NEWS_AGENCY = "news_agency", _("news agency")
    NEWSPAPER = "newspaper", _("newspaper")
    BROADCASTER = "broadcaster", _("broadcaster")
    NEWS_SITE = "news_site", _("news website")
    GOVERNMENT = "government", _("government channel")
    SOCIAL = "social", _("social platform")
    OTHER = "other", _("other")
