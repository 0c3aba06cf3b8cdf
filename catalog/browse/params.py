"""A browse page's GET parameters: kept within bounds, turned into URLs."""

from __future__ import annotations

from urllib.parse import quote_plus

from django.db.models import F

# The values of one parameter a filter takes (venue=ICML&venue=NeurIPS...),
# and the longest value (a query, a venue, a topic slug) worth matching.
MAX_VALUES = 20
MAX_VALUE_CHARS = 300
# Results on a page of a browse page (and of its citations).
PER_PAGE = 25

# The sorts of papers (sort=...): the filters order by them, the facet
# index holds the year sorts' orders.
PAPER_SORTS = {
    "relevance": None,
    "newest": (
        F("year").desc(nulls_last=True),
        F("date").desc(nulls_last=True),
        "-id",
    ),
    "oldest": (
        F("year").asc(nulls_last=True),
        F("date").asc(nulls_last=True),
        "id",
    ),
    "title": ("title", "id"),
    "added": ("-created", "-id"),
}


class Params:
    """The request's GET parameters, as lists; builds toggled URLs. With
    ``names``, only those parameters are kept; values are kept once each,
    at most MAX_VALUES of a parameter, none longer than MAX_VALUE_CHARS:
    a page echoes them into every option URL, so repeats and values no
    filter takes would multiply the response."""

    def __init__(self, querydict, path: str, names=None):
        self.path = path
        self.data = {}
        for name in querydict:
            if names is not None and name not in names:
                continue
            values = [
                v for v in querydict.getlist(name) if v and len(v) <= MAX_VALUE_CHARS
            ]
            if values:
                self.data[name] = list(dict.fromkeys(values))[:MAX_VALUES]
        # Each parameter's "name=value" pairs, encoded once: a page builds a
        # URL per facet option.
        self._encoded = {k: _encoded(k, v) for k, v in self.data.items() if k != "page"}

    def values(self, name):
        return self.data.get(name, [])

    def url(self, **changes) -> str:
        """This page's URL with ``changes`` (name: values, or None to drop
        the parameter), parameters in their order, new ones last, no page."""
        pairs = []
        for name, encoded in self._encoded.items():
            if name in changes:
                encoded = _encoded(name, changes[name] or ())
            pairs.extend(encoded)
        for name, value in changes.items():
            if name not in self._encoded and value is not None:
                pairs.extend(_encoded(name, value))
        return f"{self.path}?{'&'.join(pairs)}" if pairs else self.path

    @property
    def query(self) -> str:
        """The parameters as a query string ("?a=b", or "" for none), no
        page: another page of the same selection is that page's path and
        this."""
        return self.url()[len(self.path) :]

    def toggled(self, name, value) -> str:
        current = self.values(name)
        if value in current:
            return self.url(**{name: [v for v in current if v != value] or None})
        return self.url(**{name: [*current, value]})

    def replaced(self, name, value) -> str:
        current = self.values(name)
        return self.url(**{name: None if current == [value] else [value]})

    def without(self, *names) -> dict:
        return {k: v for k, v in self.data.items() if k not in names and k != "page"}


def _encoded(name: str, values) -> list[str]:
    """``name=value`` pairs as ``urlencode`` writes them."""
    key = quote_plus(name)
    return [f"{key}={quote_plus(str(value))}" for value in values]
