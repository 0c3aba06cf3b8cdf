"""Papers a query names by an identifier: an arXiv id ("1512.03385",
"arXiv:1706.03762v5", an arxiv.org address), a DOI, or the address of the
paper a list links. A search for one finds that paper, as arXiv and the
paper sites do, though its words are no words of the paper."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from catalog.kinds import ALIAS_KIND
from catalog.models import Alias, Paper

_ARXIV_ID_RE = re.compile(
    r"(?<![\w.])(?:arxiv\s*:\s*)?(\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7})"
    r"(?:v\d+)?(?![\w.]*\w)",
    re.IGNORECASE,
)
_ARXIV_ADDRESS_RE = re.compile(
    r"arxiv\.org/(?:abs|pdf)/(\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7})",
    re.IGNORECASE,
)
_DOI_RE = re.compile(r"(?<![\w/])(10\.\d{4,9}/[^\s\"<>]+)")
_ADDRESS_RE = re.compile(r"https?://[^\s\"<>]+", re.IGNORECASE)
# At most this many identifiers are looked up for one query.
_MOST = 20


def named_papers(text: str, *, using: str = "default") -> list[int]:
    """Ids of the papers ``text`` names by identifier, in the order it names
    them; [] if it names none the catalog holds."""
    arxiv_ids, keys = _identifiers(text or "")
    if not arxiv_ids and not keys:
        return []
    papers = Paper.objects.using(using)
    found: dict[str, int] = {}
    if arxiv_ids:
        found.update(
            (f"arxiv:{a}", pk)
            for a, pk in papers.filter(arxiv_id__in=arxiv_ids).values_list(
                "arxiv_id", "pk"
            )
        )
    wanted = [f"arxiv:{a}" for a in arxiv_ids] + keys
    found.update(papers.filter(key__in=wanted).values_list("key", "pk"))
    found.update(
        Alias.objects.using(using)
        .filter(kind=ALIAS_KIND[Paper], key__in=wanted)
        .values_list("key", "target_id")
    )
    return list(dict.fromkeys(found[key] for key in wanted if key in found))


def _identifiers(text: str) -> tuple[list[str], list[str]]:
    """The arXiv ids and the ``url:`` keys (of DOIs and addresses) in
    ``text``, in order, without repeats."""
    arxiv_ids: dict[str, None] = {}
    keys: dict[str, None] = {}
    for address in _ADDRESS_RE.findall(text)[:_MOST]:
        if match := _ARXIV_ADDRESS_RE.search(address):
            arxiv_ids[match[1]] = None
        else:
            keys.update(dict.fromkeys(_address_keys(address)))
    rest = _ADDRESS_RE.sub(" ", text)
    for match in _ARXIV_ID_RE.finditer(rest):
        arxiv_ids[match[1]] = None
    for doi in _DOI_RE.findall(rest)[:_MOST]:
        doi = doi.rstrip(".,;)")
        keys.update(dict.fromkeys(f"url:{host}/{doi}" for host in _DOI_HOSTS))
    return list(arxiv_ids)[:_MOST], list(keys)[: _MOST * 4]


_DOI_HOSTS = ("doi.org", "dx.doi.org")


def _address_keys(address: str) -> list[str]:
    """The keys a list's link to ``address`` may have been given: "url:" and
    the address without its scheme and trailing slash, with "www." and
    without."""
    try:
        split = urlsplit(address.rstrip(".,;)"))
    except ValueError:
        return []
    host = (split.hostname or "").lower()
    if not host:
        return []
    rest = split.path + (f"?{split.query}" if split.query else "")
    bare = host.removeprefix("www.")
    return [f"url:{h}{rest}".rstrip("/") for h in dict.fromkeys((host, bare))] + [
        f"url:www.{bare}{rest}".rstrip("/")
    ]
