"""ASGI entry point for dlresources."""

import os

from django.core.asgi import get_asgi_application

from dlresources.checks import require_production_secret

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dlresources.settings")

application = get_asgi_application()
require_production_secret()
