"""What the catalog knows about a paper, as a weight on its search rank.

A paper many reading lists cite, with code, or with a topic named after it
(a "ResNet" heading over "Deep Residual Learning ...") is more likely the
one a searcher wants than a short title that repeats the query's words.
Weights are read once per catalog version (one grouped query each).
"""

from __future__ import annotations

import math
import re

from django.db.models import Count

from catalog.cache import versioned
from catalog.models import Paper, Repository, Source, Topic

# Weight = 1 + LISTS * log2(lists citing it) + CODE (has code) + NAMED.
LISTS = 0.25
CODE = 0.1
NAMED = 0.3
_WORD = re.compile(r"\w+")


def _build_weights() -> dict[int, float]:
    weights: dict[int, float] = {}
    for paper_id, lists in (
        Source.objects.filter(paper__isnull=False)
        .order_by()
        .values_list("paper_id")
        .annotate(lists=Count("reading_list", distinct=True))
        .filter(lists__gt=1)
    ):
        weights[paper_id] = 1 + LISTS * math.log2(lists)
    for paper_id in (
        Repository.papers.through.objects.order_by()
        .values_list("paper_id", flat=True)
        .distinct()
    ):
        weights[paper_id] = weights.get(paper_id, 1.0) + CODE
    topic_words = set()
    for name in Topic.objects.values_list("name", flat=True):
        topic_words.update(_WORD.findall(name.casefold()))
    for paper_id, short_name in Paper.objects.exclude(short_name="").values_list(
        "pk", "short_name"
    ):
        if short_name.casefold() in topic_words:
            weights[paper_id] = weights.get(paper_id, 1.0) + NAMED
    return weights


def paper_weights() -> dict[int, float]:
    """{paper id: weight > 1} (papers not listed weigh 1)."""
    return versioned("search-paper-weights", _build_weights)
