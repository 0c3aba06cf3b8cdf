from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def require_production_secret():
    """Refuse to serve with DEBUG off on the built-in development key."""
    if not settings.DEBUG and settings.SECRET_KEY.startswith("django-insecure-"):
        raise ImproperlyConfigured("Set DJANGO_SECRET_KEY when DJANGO_DEBUG is off.")
