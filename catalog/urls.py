from django.urls import path
from django.views.decorators.http import require_safe

from catalog.browse import data, exports, opensearch, views
from catalog.browse.feeds import AtomPaperFeed, PaperFeed
from catalog.stats import views as stats_views

app_name = "catalog"

urlpatterns = [
    path("", views.home, name="home"),
    path("papers/", views.paper_list, name="paper-list"),
    path(
        "papers/<int:pk>/cite.<str:extension>",
        exports.paper_citation,
        name="paper-cite",
    ),
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
    path("opensearch.xml", opensearch.description, name="opensearch"),
    path("stats/", stats_views.stats, name="stats"),
    path("stats/charts.css", stats_views.stylesheet, name="stats-stylesheet"),
    path("data/", data.data_page, name="data"),
    path("data/" + data.DOWNLOAD_NAME, data.data_download, name="data-download"),
    path("sitemap.xml", views.sitemap_index, name="sitemap"),
    path("sitemap-<str:section>.xml", views.sitemap_section, name="sitemap-section"),
]

# Every page with a selection of papers has its feeds and citations at its
# own path: /topics/x/?year=2019 has /topics/x/atom.xml?year=2019.
SELECTION_PATHS = {
    "papers": "papers/",
    "topic": "topics/<str:value>/",
    "venue": "venues/<str:value>/",
    "year": "years/<int:value>/",
}
for page, prefix in SELECTION_PATHS.items():
    urlpatterns += [
        path(f"{prefix}atom.xml", require_safe(AtomPaperFeed()), {"page": page},
             name=f"{page}-atom"),
        path(f"{prefix}rss.xml", require_safe(PaperFeed()), {"page": page},
             name=f"{page}-rss"),
        path(f"{prefix}cite.<str:extension>", exports.selection_citations,
             {"page": page}, name=f"{page}-cite"),
    ]  # fmt: skip
