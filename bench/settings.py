"""Settings of the web benchmark's HTTP server: the site's own, plus the
hello-world view of bench/urls.py."""

from dlresources.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
ALLOWED_HOSTS = ["*"]
