"""Settings for dlresources, read from the environment (see README, "Settings")."""

import hashlib
import os
import sys
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [
        item.strip()
        for item in os.environ.get(name, default).split(",")
        if item.strip()
    ]


DEBUG = env_bool("DJANGO_DEBUG", env_bool("DEBUG"))

# The test suite runs with DEBUG off, like production, but needs no secrets.
TESTING = "pytest" in sys.modules or env_bool("DJANGO_TESTING")

# Without DJANGO_SECRET_KEY, management commands and tests run on a development
# key that `check --deploy` flags; the WSGI/ASGI entry points refuse to serve
# with it while DEBUG is off (dlresources.checks).
INSECURE_DEV_KEY = "django-insecure-local-development-key-not-for-production-use"
SECRET_KEY = (
    os.environ.get("DJANGO_SECRET_KEY")
    or os.environ.get("SECRET_KEY")
    or INSECURE_DEV_KEY
)


ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", os.environ.get("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
)
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sites",
    "django.contrib.redirects",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django_filters",
    "catalog",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Merged and renamed entries leave redirects so old URLs keep working.
    "django.contrib.redirects.middleware.RedirectFallbackMiddleware",
]

SITE_ID = 1

ROOT_URLCONF = "dlresources.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
    {
        # The browse rows only (catalog.templating): *.jinja templates.
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": False,
        "OPTIONS": {"environment": "catalog.templating.environment"},
    },
]

WSGI_APPLICATION = "dlresources.wsgi.application"

VAR_DIR = BASE_DIR / "var"
DEFAULT_DATABASE_URL = f"sqlite:///{VAR_DIR / 'db.sqlite3'}"
DATABASE_URL = os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
if DATABASE_URL.startswith("sqlite:///"):
    # Create the embedded database's folder on first use.
    VAR_DIR.mkdir(exist_ok=True)
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The catalog's working set lives in memory (or on SSD), where a random
    # read costs about a sequential one: PostgreSQL's docs suggest 1.1 there.
    # With the default 4.0 the planner scans whole tables instead of using
    # the full-text and primary-key indexes (search pages 3-5x slower).
    # Set DATABASE_RANDOM_PAGE_COST to the server's own value to opt out.
    options = DATABASES["default"].setdefault("OPTIONS", {})
    cost = os.environ.get("DATABASE_RANDOM_PAGE_COST", "1.1")
    options["options"] = f"{options.get('options', '')} -c random_page_cost={cost}"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

_VALIDATORS = "django.contrib.auth.password_validation"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"{_VALIDATORS}.UserAttributeSimilarityValidator"},
    {"NAME": f"{_VALIDATORS}.MinimumLengthValidator"},
    {"NAME": f"{_VALIDATORS}.CommonPasswordValidator"},
    {"NAME": f"{_VALIDATORS}.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}


# Cached pages are retired by a catalog version that imports bump from their
# own process, so the cache must be shared by every process: Redis when
# REDIS_URL is set, else files under var/cache (one host, no service needed).
# Keys name the database, so sites on two databases never share a catalog
# version, pages or facet indexes through one cache.
def cache_key_prefix(database: dict) -> str:
    """The cache key prefix of a site on ``database`` (a DATABASES entry)."""
    parts = ("ENGINE", "HOST", "PORT", "NAME")
    identity = "|".join(str(database.get(part) or "") for part in parts)
    return "dlresources:" + hashlib.sha256(identity.encode()).hexdigest()[:12]


CACHE_KEY_PREFIX = cache_key_prefix(DATABASES["default"])
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": CACHE_KEY_PREFIX,
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": os.environ.get(
                "DJANGO_CACHE_DIR", str(BASE_DIR / "var" / "cache")
            ),
            "KEY_PREFIX": CACHE_KEY_PREFIX,
        }
    }

# Production hardening; each is a no-op under DEBUG and overridable by env.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not (DEBUG or TESTING))
SESSION_COOKIE_SECURE = env_bool("DJANGO_SESSION_COOKIE_SECURE", not (DEBUG or TESTING))
CSRF_COOKIE_SECURE = env_bool("DJANGO_CSRF_COOKIE_SECURE", not (DEBUG or TESTING))
SECURE_HSTS_SECONDS = int(
    os.environ.get("DJANGO_SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000")
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Reading lists larger than this are refused by the importer.
IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_BYTES", str(20 * 1024 * 1024)))
# Memory each process may hold for the matches of recent searches (their next
# pages, sorts and facet clicks reuse them); 0 turns this off.
SEARCH_MATCHES_CACHE_BYTES = int(
    os.environ.get("SEARCH_MATCHES_CACHE_BYTES", str(32 * 1024 * 1024))
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {
        "handlers": ["console"],
        "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING"),
    },
}
