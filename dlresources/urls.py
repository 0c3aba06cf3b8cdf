from django.contrib import admin
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

from dlresources.views import healthz

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("api/", include("catalog.api.urls")),
    # The language switcher's form posts here: it sets the language cookie
    # and returns to the page. CSRF-exempt because cached pages are served
    # alike to everyone, so they cannot hold a visitor's own token; all a
    # forged post can do is switch the interface language (README, "Languages").
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("", include("catalog.urls")),
]
