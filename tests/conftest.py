import pytest


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
    from catalog.browse import matches

    matches._MATCHES.clear()  # held in the process, like the facet index


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
