"""Anonymous throttling of the API, per client address, in the shared cache."""

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle


class AnonymousThrottle(AnonRateThrottle):
    """DRF's anonymous throttle at ``settings.API_THROTTLE_RATE`` (None: off),
    read per request rather than once at import."""

    def get_rate(self):
        return settings.API_THROTTLE_RATE
