import os

import pytest

from tests.browser import CHROMIUM


@pytest.fixture(autouse=True)
def _test_settings(settings):
    """Fast hashing, plain static files and an isolated cache for every test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Pages render {% static %}; the manifest exists only after collectstatic.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    }
    from catalog import cache as catalog_cache
    from catalog.browse import matches

    matches._MATCHES.clear()  # held in the process, like the facet index
    # A streamed response left unread never ends its request, which would
    # keep that request's catalog version for the next test.
    catalog_cache._request_ends()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: a request leaves the
    language it chose active in the thread (LocaleMiddleware never resets
    it), and a Chinese request would otherwise make the next test's
    messages Chinese."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


# One headless Chromium (Debian's) for every browser test of the session.
@pytest.fixture(scope="session")
def browser():
    playwright_api = pytest.importorskip("playwright.sync_api")
    # Playwright runs an event loop in this thread; the ORM calls of the test
    # itself are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()
