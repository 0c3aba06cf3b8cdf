from django.urls import path

from catalog.browse import data, views

app_name = "catalog"

urlpatterns = [
    path("", views.home, name="home"),
    path("papers/", views.paper_list, name="paper-list"),
    path("papers/<int:pk>/", views.paper_detail, name="paper-detail-short"),
    path("papers/<int:pk>/<str:slug>/", views.paper_detail, name="paper-detail"),
    path("repositories/", views.repository_list, name="repository-list"),
    path(
        "repositories/<int:pk>/",
        views.repository_detail,
        name="repository-detail-short",
    ),
    path(
        "repositories/<int:pk>/<str:slug>/",
        views.repository_detail,
        name="repository-detail",
    ),
    path("links/", views.link_list, name="link-list"),
    path("topics/<str:slug>/", views.topic_detail, name="topic-detail"),
    path("venues/", views.venue_index, name="venue-index"),
    path("venues/<str:venue>/", views.venue_detail, name="venue-detail"),
    path("years/<int:year>/", views.year_detail, name="year-detail"),
    path("data/", data.data_page, name="data"),
    path("data/" + data.DOWNLOAD_NAME, data.data_download, name="data-download"),
    path("sitemap.xml", views.sitemap_index, name="sitemap"),
    path("sitemap-<str:section>.xml", views.sitemap_section, name="sitemap-section"),
]
