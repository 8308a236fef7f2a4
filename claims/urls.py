from django.urls import path
from django.views.generic import RedirectView

from claims import views

app_name = "claims"
urlpatterns = [
    path("", RedirectView.as_view(pattern_name="claims:statement_list", query_string=True), name="home"),
    path("statements/", views.statement_list_view, name="statement_list"),
    path("statements/counts/", views.statement_counts_view, name="statement_counts"),
    path("statements/export.csv", views.statement_export_view, name="statement_export"),
    path("statements/<int:pk>/", views.statement_detail_view, name="statement_detail"),
    path("claims/", views.claim_list_view, name="claim_list"),
    path("claims/export.csv", views.claim_export_view, name="claim_export"),
    path("officials/", views.official_list_view, name="official_list"),
    path("officials/<int:pk>/", views.official_detail_view, name="official_detail"),
    path("topics/", views.topic_list_view, name="topic_list"),
    path("topics/<int:pk>/", views.topic_detail_view, name="topic_detail"),
    path("articles/", views.article_list_view, name="article_list"),
    path("articles/<int:pk>/", views.article_detail_view, name="article_detail"),
]
