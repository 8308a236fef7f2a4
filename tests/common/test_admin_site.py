"""The admin site (common.admin_site) lists for each reader what Django lists: never another
reader's models, and a new list as soon as permissions or the language change."""

import pytest
from django.contrib import admin
from django.contrib.admin import AdminSite
from django.contrib.auth.models import Permission
from django.test import RequestFactory
from django.utils import translation

from common.admin_site import GoftarAdminSite
from tests import factories

pytestmark = pytest.mark.django_db


def _request(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def _django_app_list(request):
    """What Django's own AdminSite builds for the same registry, uncached."""
    return AdminSite.get_app_list(admin.site, request)


def _links(app_list):
    """Each listed model with its link and what the reader may do with it."""
    return [
        (app["app_label"], model["object_name"], model["admin_url"], sorted(k for k, v in model["perms"].items() if v))
        for app in app_list
        for model in app["models"]
    ]


def test_the_site_is_goftars_and_lists_what_django_lists(superuser, role_users):
    assert isinstance(admin.site, GoftarAdminSite)
    assert str(admin.site.site_header) == "Goftar: curation"
    for user in (superuser, *role_users.values()):
        request = _request(user)
        assert _links(admin.site.get_app_list(request)) == _links(_django_app_list(request))


def test_each_reader_gets_their_own_list_and_a_new_one_when_permissions_change(role_users):
    analyst, curator = role_users["analyst"], role_users["curator"]
    assert _links(admin.site.get_app_list(_request(analyst))) != _links(admin.site.get_app_list(_request(curator)))

    staff = factories.UserFactory(is_staff=True)
    assert admin.site.get_app_list(_request(staff)) == []
    staff.user_permissions.add(Permission.objects.get(codename="view_outlet"))
    staff = type(staff).objects.get(pk=staff.pk)  # Django caches permissions on the user object
    assert _links(admin.site.get_app_list(_request(staff))) == [
        ("sources", "Outlet", "/admin/sources/outlet/", ["view"])
    ]


def test_the_list_follows_the_language(superuser):
    with translation.override("en"):
        english = [app["name"] for app in admin.site.get_app_list(_request(superuser))]
    with translation.override("fa"):
        persian = [app["name"] for app in admin.site.get_app_list(_request(superuser))]
        assert persian == [app["name"] for app in _django_app_list(_request(superuser))]
    assert english != persian
