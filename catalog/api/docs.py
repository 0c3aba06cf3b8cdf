"""The API's documentation page: Swagger UI from drf-spectacular-sidecar's
static files, under the site's own Content-Security-Policy: its set-up
script is a file of this origin (the "split" view), its styles a static
file, so the page needs no inline script or style and nothing from a CDN."""

from drf_spectacular.views import SpectacularSwaggerSplitView


class ApiDocs(SpectacularSwaggerSplitView):
    template_name = "api/swagger_ui.html"
    title = "dlresources API"
