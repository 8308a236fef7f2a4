"""Shared admin behaviour: every Goftar ModelAdmin derives from GoftarModelAdmin."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db import models
from django.utils.translation import gettext_lazy as _

from common.admin_mixins import HistoryAdminMixin, VersionedAdminMixin, VersionedInlineMixin
from common.forms import SolarHijriDateField, SolarHijriDateInput
from common.models import UserProfile


class GoftarModelAdmin(VersionedAdminMixin, HistoryAdminMixin, admin.ModelAdmin):
    """Big-table defaults for curators (see STYLE §8) and Solar Hijri input in every date field.

    Every edit form carries the version it was based on and refuses a stale save; the History
    page shows the database-recorded events with a diff and can revert (common.admin_mixins).
    """

    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    # The widget too: the admin would otherwise put its Gregorian pop-up calendar in its place.
    formfield_overrides = {models.DateField: {"form_class": SolarHijriDateField, "widget": SolarHijriDateInput}}


class GoftarInline(VersionedInlineMixin, admin.TabularInline):
    extra = 0
    show_change_link = True
    formfield_overrides = GoftarModelAdmin.formfield_overrides


@admin.register(UserProfile)
class UserProfileAdmin(GoftarModelAdmin):
    list_display = ("user", "language")
    list_select_related = ("user",)
    autocomplete_fields = ("user",)
    search_fields = ("user__username",)


admin.site.unregister(get_user_model())


@admin.register(get_user_model())
class GoftarUserAdmin(UserAdmin):
    """Django's user admin, plus signing a user out of every session (a lost laptop, a leaver)."""

    actions = ["end_sessions"]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # A role given through the Groups box works at once, without also ticking "Staff status".
        from common.roles import user_sync_staff

        user_sync_staff(user=form.instance)

    @admin.action(description=_("End all sessions of the selected users"), permissions=["change"])
    def end_sessions(self, request, queryset):
        from common.services import user_sessions_end

        ended = sum(user_sessions_end(user=user) for user in queryset)
        self.message_user(request, _("%(count)d session(s) ended.") % {"count": ended})
