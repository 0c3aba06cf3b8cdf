"""Conditional GET for the API: an ETag per URL and catalog version."""

from __future__ import annotations

import hashlib
from functools import wraps

from django.http import HttpResponseNotModified
from django.utils.http import parse_etags, quote_etag
from django.utils.translation import get_language

from catalog.cache import catalog_version


def catalog_etag(request) -> str:
    """The ETag of a response to ``request``: every API response is a
    function of its absolute URL (its links name the scheme and host), the
    catalog and the language of its labels, and every import or edit sets a
    new catalog version."""
    url = request.build_absolute_uri()
    key = f"{catalog_version()}|{get_language()}|{url}"
    return quote_etag(hashlib.sha256(key.encode()).hexdigest()[:32])


def conditional(view):
    """``view`` answering 304 Not Modified to a GET whose If-None-Match names
    the current ETag, and giving its 200 responses that ETag."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        etag = catalog_etag(request)
        if etag in parse_etags(request.headers.get("If-None-Match", "")):
            response = HttpResponseNotModified()
            response.headers["ETag"] = etag
            return response
        response = view(request, *args, **kwargs)
        if response.status_code == 200:
            response.headers["ETag"] = etag
        return response

    return wrapped
