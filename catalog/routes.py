"""URLs of the catalog's pages, reversed once per arguments and memoised.

A browse page links every row to its paper, year, venue and topics: about a
hundred ``reverse()`` calls of some 20 µs each. The URL of given arguments
changes only with the script prefix or the URLconf, which key the memo.
"""

from collections.abc import Callable
from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse


@lru_cache(maxsize=16384)
def _reverse(prefix: str, urlconf: str, name: str, args: tuple) -> str:
    return reverse(name, urlconf=urlconf, args=args)


def _in_effect() -> tuple[str, str]:
    """The script prefix and URLconf in effect (they key the memo)."""
    return get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF


def url_for(name: str, *args) -> str:
    """``reverse(name, args=args)``, memoised."""
    return _reverse(*_in_effect(), name, args)


def url_maker() -> Callable[..., str]:
    """``url_for`` with the script prefix and URLconf in effect now, for a
    template that reverses a hundred URLs at once: reading the two from
    their context-locals cost more than the memoised reverse."""
    prefix, urlconf = _in_effect()

    def url(name: str, *args) -> str:
        return _reverse(prefix, urlconf, name, args)

    return url
