"""The site degrades instead of failing: a dead cache, a health check for
load balancers, and admin logins throttled."""

import logging
import socket

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse

from catalog.models import Paper
from dlresources.settings import redis_cache
from tests.golden import LIST_DIR


@pytest.fixture
def seeds(db):
    call_command("import_lists", str(LIST_DIR), verbosity=0)


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # nothing listens once it is closed


@pytest.fixture
def dead_redis(settings):
    settings.CACHES = {
        "default": redis_cache(f"redis://127.0.0.1:{closed_port()}/0", "t")
    }
    yield
    cache.close()


class DeadCacheTests:
    def test_pages_are_served_uncached_and_the_failure_logged(
        self, client, seeds, dead_redis, caplog
    ):
        paper = Paper.objects.get(key="arxiv:1901.02671")
        urls = [
            "/",
            "/papers/",
            "/papers/?q=regularization",
            "/papers/?q=卷积&sort=newest",
            "/papers/?venue=NeurIPS&year=2018",
            paper.get_absolute_url(),
            "/venues/",
            "/sitemap.xml",
        ]
        with caplog.at_level(logging.ERROR, logger="dlresources.cache"):
            statuses = [client.get(url).status_code for url in urls]

        assert statuses == [200] * len(urls)
        assert any(r.name == "dlresources.cache" for r in caplog.records)

    def test_the_health_check_reports_the_cache_degraded(self, client, db, dead_redis):
        response = client.get("/healthz")

        assert response.status_code == 200
        assert response.json() == {
            "status": "degraded",
            "database": "ok",
            "cache": "failing",
        }


@pytest.mark.django_db
class HealthCheckTests:
    def test_ok_when_database_and_cache_answer(self, client):
        response = client.get("/healthz")

        assert response.status_code == 200
        assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
        assert "no-cache" in response["Cache-Control"]

    def test_down_when_the_database_fails(self, client, monkeypatch):
        from dlresources import views

        monkeypatch.setattr(views, "_database_ok", lambda: False)

        response = client.get("/healthz")

        assert response.status_code == 503
        assert response.json()["status"] == "down"

    def test_plain_http_probes_are_not_redirected(self, client, settings):
        settings.SECURE_SSL_REDIRECT = True

        assert client.get("/healthz").status_code == 200
        assert client.get("/papers/").status_code == 301


@pytest.mark.django_db
class LoginThrottleTests:
    def login(self, client, password):
        return client.post(
            reverse("admin:login"),
            {"username": "boss", "password": password, "next": "/admin/"},
        )

    def test_wrong_passwords_lock_the_account_out_even_for_the_right_one(
        self, client, settings
    ):
        get_user_model().objects.create_superuser("boss", "b@x.org", "right-pw-123")
        statuses = [
            self.login(client, f"wrong-{n}").status_code
            for n in range(settings.AXES_FAILURE_LIMIT)
        ]

        locked = self.login(client, "right-pw-123")

        # The failure that reaches the limit is answered "locked out" already.
        assert statuses == [200] * (settings.AXES_FAILURE_LIMIT - 1) + [429]
        assert locked.status_code == 429
        assert "_auth_user_id" not in client.session

    def test_the_right_password_before_the_limit_logs_in(self, client, settings):
        get_user_model().objects.create_superuser("boss", "b@x.org", "right-pw-123")
        for n in range(settings.AXES_FAILURE_LIMIT - 1):
            self.login(client, f"wrong-{n}")

        response = self.login(client, "right-pw-123")

        assert response.status_code == 302
        assert "_auth_user_id" in client.session
