from django.urls import path

from sources import views

app_name = "sources"
urlpatterns = [
    path("import/", views.article_import_view, name="article_import"),
]
