"""WSGI entry point for dlresources."""

import os

from django.core.wsgi import get_wsgi_application

from dlresources.checks import require_production_secret

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dlresources.settings")

application = get_wsgi_application()
require_production_secret()
