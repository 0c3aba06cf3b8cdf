from django.urls import path

from catalog import views

app_name = "catalog"

urlpatterns = [
    path("", views.home, name="home"),
    path("papers/", views.PaperListView.as_view(), name="paper-list"),
    path("papers/<int:pk>/", views.PaperDetailView.as_view(), name="paper-detail"),
    path("topics/<str:slug>/", views.TopicDetailView.as_view(), name="topic-detail"),
    path(
        "repositories/<int:pk>/",
        views.RepositoryDetailView.as_view(),
        name="repository-detail",
    ),
]
