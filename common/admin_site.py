"""The admin site: Django's, with each reader's app list built once instead of on every page."""

from django.conf import settings
from django.contrib.admin import AdminSite
from django.urls import get_script_prefix, get_urlconf
from django.utils import translation

APP_LIST_CACHE_SIZE = 512


class GoftarAdminSite(AdminSite):
    """Every admin page lists the models the reader may see (the navigation sidebar): Django
    rebuilds that list on each request, about fifty reverse() calls and a sort by translated names,
    2.2 ms of a changelist that must cost no more than one count(*). The list depends only on who
    reads (their permissions), the language and the URL prefix, so it is kept per process under
    exactly that key: a change of permissions makes a new key, never a stale list.
    """

    _app_lists: dict = {}

    def get_app_list(self, request, app_label=None):
        key = self._app_list_key(request, app_label)
        app_list = self._app_lists.get(key)
        if app_list is None:
            if len(self._app_lists) >= APP_LIST_CACHE_SIZE:
                self._app_lists.clear()
            app_list = self._app_lists[key] = super().get_app_list(request, app_label)
        return app_list

    def _app_list_key(self, request, app_label):
        user = request.user
        if user.is_active and user.is_superuser:
            permissions = "all"
        else:
            permissions = frozenset(user.get_all_permissions()) if user.is_active else frozenset()
        return (
            id(self),
            user.pk,
            user.is_active,
            user.is_staff,
            permissions,
            translation.get_language(),
            get_script_prefix(),
            get_urlconf() or settings.ROOT_URLCONF,
            app_label,
        )
