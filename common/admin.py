"""Shared admin behaviour: every Goftar ModelAdmin derives from GoftarModelAdmin."""

from django.contrib import admin
from django.db import models

from common.forms import SolarHijriDateField
from common.models import UserProfile


class GoftarModelAdmin(admin.ModelAdmin):
    """Big-table defaults for curators (see STYLE §8) and Solar Hijri input in every date field."""

    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    formfield_overrides = {models.DateField: {"form_class": SolarHijriDateField}}


class GoftarInline(admin.TabularInline):
    extra = 0
    show_change_link = True
    formfield_overrides = {models.DateField: {"form_class": SolarHijriDateField}}


@admin.register(UserProfile)
class UserProfileAdmin(GoftarModelAdmin):
    list_display = ("user", "language")
    list_select_related = ("user",)
    autocomplete_fields = ("user",)
    search_fields = ("user__username",)


