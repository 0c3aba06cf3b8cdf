from django.contrib import admin
from django.urls import include, path

from dlresources.views import healthz

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("api/", include("catalog.api.urls")),
    path("", include("catalog.urls")),
]
