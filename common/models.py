"""Building blocks shared by the domain apps, and each user's interface preferences."""

import pghistory
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class BaseModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Optimistic locking: every edit form carries the version it was based on, and a save based
    # on an older version is refused instead of overwriting a colleague's edit.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        abstract = True


def track_history(*, exclude: tuple[str, ...] = (), bulk_inserts: bool = False):
    """Record every insert, update and delete of a model in the database (pghistory triggers),
    so that no write path (admin, importer, ``update()``, raw SQL) can skip the audit trail.

    ``bulk_inserts``: the model's rows are inserted thousands at a time (an import's statements,
    citations and topic links): their insert events are written by one statement-level trigger,
    one INSERT ... SELECT over the inserted rows, instead of a trigger call per row. The events
    are the same rows with the same context."""
    return pghistory.track(
        pghistory.InsertEvent(level=pghistory.Statement) if bulk_inserts else pghistory.InsertEvent(),
        pghistory.UpdateEvent(),
        pghistory.DeleteEvent(),
        exclude=list(exclude) or None,
    )


class UserProfile(models.Model):
    """One user's interface preferences (the admin and the analysts' pages follow them)."""

    # A profile means nothing without its user.
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    language = models.CharField(
        _("interface language"),
        max_length=8,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("Leave empty to follow the browser's language."),
    )

    class Meta:
        verbose_name = _("user profile")
        verbose_name_plural = _("user profiles")
        ordering = ["user_id"]

    def __str__(self):
        return f"{self.user}"
