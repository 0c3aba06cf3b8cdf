"""Site-level views that belong to no catalog page."""

import logging
import uuid

from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


@never_cache
@require_safe
def healthz(request):
    """For load balancers: 200 while the database answers, else 503. A cache
    that fails is reported ("degraded": pages are served uncached) but does
    not take the server out of rotation."""
    checks = {"database": _database_ok(), "cache": _cache_ok()}
    ok = checks["database"]
    body = {
        "status": ("ok" if all(checks.values()) else "degraded") if ok else "down",
        **{name: "ok" if passed else "failing" for name, passed in checks.items()},
    }
    return JsonResponse(body, status=200 if ok else 503)


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        logger.exception("health check: the database does not answer")
        return False


def _cache_ok() -> bool:
    probe = uuid.uuid4().hex
    try:
        cache.set("healthz", probe, 10)
        return cache.get("healthz") == probe
    except Exception:  # any backend's failure is the answer sought
        logger.exception("health check: the cache does not answer")
        return False
