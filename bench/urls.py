"""The project's URLs plus two trivial views: what any page costs before its own work (information).

The benchmark serves this module as ROOT_URLCONF, so the trivial views run through exactly the same
middleware stack, URL resolver and handler as the real pages.
"""

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import include, path


def trivial_view(request):
    return HttpResponse(b"ok", content_type="text/plain")


def trivial_page_view(request):
    """The site's page shell (base.html: layout, navigation, i18n) with no data and no query."""
    return render(request, "base.html", {})


urlpatterns = [
    path("__bench__/trivial/", trivial_view, name="bench_trivial"),
    path("__bench__/page/", trivial_page_view, name="bench_trivial_page"),
    path("", include("config.urls")),
]
