"""Site-wide guards: NUL characters, security headers, local redirects."""

import pytest
from django.contrib.redirects.models import Redirect
from django.urls import reverse

from catalog.models import Paper

PAPERS = reverse("catalog:paper-list")


@pytest.mark.django_db
class RejectNulTests:
    @pytest.mark.parametrize(
        "url",
        [
            "/topics/%00x/",
            "/papers/?venue=ICML&venue=%00",
            "/papers/?list=a%00b",
            "/papers/?q=%00",
            "/papers/?a%00b=1",
            "/venues/%00/",
            "/no-such-page/%00",
        ],
    )
    def test_a_nul_character_anywhere_in_the_url_is_a_bad_request(self, client, url):
        response = client.get(url)

        assert response.status_code == 400
        assert response["Content-Type"].startswith("text/plain")


@pytest.mark.django_db
class SecurityHeaderTests:
    def test_pages_forbid_inline_script_and_powerful_features(self, client):
        response = client.get(PAPERS)

        policy = dict(
            directive.strip().split(" ", 1)
            for directive in response["Content-Security-Policy"].split(";")
        )
        assert "'unsafe-inline'" not in policy["script-src"]
        assert policy["script-src"].startswith("'self'")
        assert policy["object-src"] == "'none'"
        assert policy["frame-ancestors"] == "'none'"
        assert "camera=()" in response["Permissions-Policy"]
        assert "geolocation=()" in response["Permissions-Policy"]
        assert response["Cross-Origin-Resource-Policy"] == "same-origin"
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"

    def test_no_template_has_an_inline_handler_or_script(self):
        """A strict CSP blocks them: behaviour lives in static/js."""
        from pathlib import Path

        templates = Path(__file__).resolve().parent.parent / "templates"
        offending = []
        for path in templates.rglob("*.*"):
            text = path.read_text()
            for marker in (" onchange=", " onclick=", " onload=", " onsubmit="):
                if marker in text:
                    offending.append(f"{path.name}:{marker.strip()}")
            for chunk in text.split("<script")[1:]:
                if "src=" not in chunk.split(">", 1)[0]:
                    offending.append(f"{path.name}: inline <script>")
        assert offending == []


@pytest.mark.django_db
class LocalRedirectTests:
    @pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/"])
    def test_a_redirect_to_another_site_is_not_followed(self, client, target):
        Redirect.objects.create(site_id=1, old_path="/old/", new_path=target)

        response = client.get("/old/")

        assert response.status_code == 404

    def test_a_redirect_to_a_path_of_the_site_is_followed(self, client):
        Redirect.objects.create(site_id=1, old_path="/old/", new_path="/papers/")

        response = client.get("/old/")

        assert (response.status_code, response["Location"]) == (301, "/papers/")

    def test_a_merged_papers_redirect_to_another_site_is_a_404(self, client):
        paper = Paper.objects.create(
            key="url:x.org/p", title="P", url="https://x.org/p"
        )
        gone = paper.pk + 1000
        Redirect.objects.create(
            site_id=1, old_path=f"/papers/{gone}/p/", new_path="https://evil.example/"
        )

        response = client.get(f"/papers/{gone}/")

        assert response.status_code == 404
