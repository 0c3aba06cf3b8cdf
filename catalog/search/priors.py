"""What the catalog knows about a paper, as a weight on its search rank.

A paper many reading lists cite, with code, or with a topic named after it
(a "ResNet" heading over "Deep Residual Learning ...") is more likely the
one a searcher wants than a short title that repeats the query's words.
Weights are read once per catalog version (one grouped query each).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np
from django.db.models import Count

from catalog.cache import versioned
from catalog.models import Paper, Repository, Source, Topic

# Weight = 1 + LISTS * log2(lists citing it) + CODE (has code) + NAMED.
LISTS = 0.25
CODE = 0.1
NAMED = 0.3
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class PaperWeights:
    """The papers weighing more than 1: their ids, sorted, and weights."""

    ids: np.ndarray
    values: np.ndarray

    def of(self, ids: np.ndarray) -> np.ndarray:
        """The weight of each paper of ``ids`` (1 for one not listed)."""
        if not len(self.ids):
            return np.ones(len(ids))
        at = np.minimum(np.searchsorted(self.ids, ids), len(self.ids) - 1)
        return np.where(self.ids[at] == ids, self.values[at], 1.0)

    def get(self, paper_id: int) -> float:
        return float(self.of(np.array([paper_id], dtype=np.uint32))[0])


def _build_weights() -> PaperWeights:
    by_id = _weights_by_id()
    ids = np.array(sorted(by_id), dtype=np.uint32)
    return PaperWeights(ids, np.array([by_id[pk] for pk in ids.tolist()]))


def _weights_by_id() -> dict[int, float]:
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


def paper_weights() -> PaperWeights:
    """The weights above 1 (papers not listed weigh 1)."""
    return versioned("search-paper-weight-arrays", _build_weights)
