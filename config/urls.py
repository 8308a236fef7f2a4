from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", include("common.urls")),
    path("sources/", include("sources.urls")),
    path("api/", include("claims.api.urls")),
    path("", include("claims.urls")),
]

handler500 = "common.views.server_error"
