from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView

from catalog.api import views
from catalog.api.conditional import conditional
from catalog.api.docs import ApiDocs

app_name = "api"


def _get(view):
    """A view class's GET, with conditional GET on the catalog version."""
    return conditional(view.as_view())


urlpatterns = [
    path("", _get(views.Root), name="root"),
    path("papers/", _get(views.PaperList), name="paper-list"),
    # Keys hold slashes ("url:example.org/paper"): the rest of the path.
    path("papers/<path:key>/", _get(views.PaperDetail), name="paper-detail"),
    path("repositories/", _get(views.RepositoryList), name="repository-list"),
    path(
        "repositories/<path:key>/",
        _get(views.RepositoryDetail),
        name="repository-detail",
    ),
    path("links/", _get(views.LinkList), name="link-list"),
    path("links/<int:pk>/", _get(views.LinkDetail), name="link-detail"),
    path("topics/", _get(views.TopicList), name="topic-list"),
    path("topics/<str:slug>/", _get(views.TopicDetail), name="topic-detail"),
    path("venues/", _get(views.VenueList), name="venue-list"),
    path("venues/<path:venue>/", _get(views.VenueDetail), name="venue-detail"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", ApiDocs.as_view(url_name="api:schema"), name="docs"),
    # Only paths ending in a slash: one without is redirected to it first.
    re_path(r"^[\s\S]*/$", views.NotFound.as_view()),  # newlines too
]
