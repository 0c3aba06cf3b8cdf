"""Settings for dlresources, read from the environment (see README, "Settings")."""

import hashlib
import os
import sys
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF

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


DEBUG = env_bool("DJANGO_DEBUG")

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
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "axes",
    "catalog",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "dlresources.middleware.CrossOriginResourcePolicyMiddleware",
    "dlresources.middleware.RejectNulMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before CommonMiddleware, as django-cors-headers asks; /api/ only.
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The interface language: the switcher's cookie, else Accept-Language.
    "django.middleware.locale.LocaleMiddleware",
    "dlresources.middleware.VaryOnLanguageCookieMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Merged and renamed entries leave redirects so old URLs keep working.
    "dlresources.middleware.LocalRedirectFallbackMiddleware",
    # Last, as django-axes asks: it answers locked-out logins.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # First, so a locked-out login is refused before any password check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
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
        # The browse rows only (catalog.browse.templating): *.jinja templates.
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": False,
        "OPTIONS": {"environment": "catalog.browse.templating.environment"},
    },
]

WSGI_APPLICATION = "dlresources.wsgi.application"

VAR_DIR = BASE_DIR / "var"
DEFAULT_DATABASE_URL = f"sqlite:///{VAR_DIR / 'db.sqlite3'}"
DATABASE_URL = os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
if DATABASE_URL.startswith("sqlite:///"):
    # Create the embedded database's folder on first use.
    VAR_DIR.mkdir(exist_ok=True)
# /data/'s gzip dump of the catalog, one file per catalog version (catalog.browse.data).
DATA_DUMP_DIR = Path(os.environ.get("DJANGO_DATA_DIR") or VAR_DIR / "data")
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
    # A server that accepts connections but never answers must fail a
    # request, not hang it until the worker is killed. manage.py lifts the
    # statement limit (imports, migrations and rebuilds run long by design).
    timeout = os.environ.get("DATABASE_STATEMENT_TIMEOUT", "30s")
    options["options"] = (
        f"{options.get('options', '')} -c random_page_cost={cost}"
        f" -c statement_timeout={timeout}"
    )
    options["connect_timeout"] = int(os.environ.get("DATABASE_CONNECT_TIMEOUT", "5"))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

_VALIDATORS = "django.contrib.auth.password_validation"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"{_VALIDATORS}.UserAttributeSimilarityValidator"},
    {"NAME": f"{_VALIDATORS}.MinimumLengthValidator"},
    {"NAME": f"{_VALIDATORS}.CommonPasswordValidator"},
    {"NAME": f"{_VALIDATORS}.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
# The interface in English and Simplified Chinese, at the same URLs (README,
# "Languages"): locale/ holds the catalogs, compiled by `make` (never committed).
LANGUAGES = [("en", "English"), ("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# The switcher's choice outlives the browser session.
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_SAMESITE = "Lax"
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


def redis_cache(url: str, prefix: str) -> dict:
    """The cache in Redis at ``url``. It is an accelerator, not a dependency:
    with Redis down or unreachable, pages are served uncached (and it is
    logged) after at most these waits, in seconds."""
    return {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": url,
        "KEY_PREFIX": prefix,
        "OPTIONS": {
            "IGNORE_EXCEPTIONS": True,
            "SOCKET_CONNECT_TIMEOUT": 0.5,
            "SOCKET_TIMEOUT": 0.5,
        },
    }


DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
DJANGO_REDIS_LOGGER = "dlresources.cache"
CACHE_KEY_PREFIX = cache_key_prefix(DATABASES["default"])
if os.environ.get("REDIS_URL"):
    CACHES = {"default": redis_cache(os.environ["REDIS_URL"], CACHE_KEY_PREFIX)}
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
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_COOKIE_SECURE = env_bool("DJANGO_CSRF_COOKIE_SECURE", not (DEBUG or TESTING))
SECURE_HSTS_SECONDS = int(
    os.environ.get("DJANGO_SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000")
)
# Both bind hosts beyond this site (every subdomain; browsers' preload lists,
# hard to leave): the operator opts in, so `check --deploy` need not ask.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS")
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD")
SILENCED_SYSTEM_CHECKS = ["security.W005", "security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Load balancers probe over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
X_FRAME_OPTIONS = "DENY"
CROSS_ORIGIN_RESOURCE_POLICY = "same-origin"

# No inline script or handler anywhere (templates load static/js/site.js):
# scripts run only from this origin, or inline with the request's nonce.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
}

# The read-only API (catalog.api): JSON only, anonymous, throttled per
# client address in the shared cache. DJANGO_API_THROTTLE_RATE is
# "N/second|minute|hour|day", or "off".
_api_rate = os.environ.get("DJANGO_API_THROTTLE_RATE", "120/minute").strip()
API_THROTTLE_RATE = None if _api_rate.lower() in {"", "off", "none"} else _api_rate
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_THROTTLE_CLASSES": ["catalog.api.throttling.AnonymousThrottle"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    # Unknown parameters are ignored, as the HTML pages ignore them.
    "URL_FORMAT_OVERRIDE": None,
    "NUM_PROXIES": (
        int(os.environ["DJANGO_PROXY_COUNT"])
        if os.environ.get("DJANGO_PROXY_COUNT")
        else None
    ),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "dlresources API",
    "DESCRIPTION": (
        "Read-only access to the catalog: papers, repositories, links, topics "
        "and venues. List endpoints take the browse pages' parameters and "
        "return their facet counts."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}
# Any origin may read the API (GET and HEAD; a preflight may ask for the
# conditional-GET header), and read its ETag.
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD"]
CORS_ALLOW_HEADERS = ["accept", "accept-language", "if-none-match"]
CORS_EXPOSE_HEADERS = ["ETag"]
CORS_PREFLIGHT_MAX_AGE = 86400

# Admin logins: after AXES_FAILURE_LIMIT wrong passwords for one username
# from one address, that pair is locked out for AXES_COOLOFF_TIME hours.
AXES_FAILURE_LIMIT = int(os.environ.get("DJANGO_AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("DJANGO_AXES_COOLOFF_HOURS", "1"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Behind N proxies that append to X-Forwarded-For, the client is N from the end.
if os.environ.get("DJANGO_PROXY_COUNT"):
    AXES_IPWARE_PROXY_COUNT = int(os.environ["DJANGO_PROXY_COUNT"])
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]

# The site's own host name, which sitemaps and other absolute links name
# (applied to the Site row at every `migrate`).
SITE_DOMAIN = os.environ.get("DJANGO_SITE_DOMAIN", "127.0.0.1:8000")
SITE_NAME = os.environ.get("DJANGO_SITE_NAME", "dlresources")

# Reading lists larger than this are refused by the importer.
IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_BYTES", str(20 * 1024 * 1024)))
# Memory each process may hold for the matches of recent searches (their next
# pages, sorts and facet clicks reuse them); 0 turns this off.
SEARCH_MATCHES_CACHE_BYTES = int(
    os.environ.get("SEARCH_MATCHES_CACHE_BYTES", str(32 * 1024 * 1024))
)
# The words this many papers hold have their ranked matches kept ready
# (PostgreSQL: catalog.fulltext.postings); fewer are matched by the index.
SEARCH_POSTED_MIN_PAPERS = int(os.environ.get("SEARCH_POSTED_MIN_PAPERS", "1000"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {
        "handlers": ["console"],
        "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING"),
    },
}
