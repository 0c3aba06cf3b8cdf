"""The OpenSearch description: browsers offer the catalog's paper search in
their address bar (every page names it with <link rel="search">)."""

from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

CONTENT_TYPE = "application/opensearchdescription+xml"


@require_safe
def description(request):
    def url(name):
        return request.build_absolute_uri(reverse(name))

    return render(
        request,
        "catalog/opensearch.xml",
        {
            "search_url": url("catalog:paper-list"),
            "api_search_url": url("api:paper-list"),
            "self_url": url("catalog:opensearch"),
        },
        content_type=f"{CONTENT_TYPE}; charset=utf-8",
    )
