"""Papers a query names by an identifier: an arXiv id ("1512.03385",
"arXiv:1706.03762v5", an arxiv.org address), a DOI, or the address of the
paper a list links. A search for one finds that paper, as arXiv and the
paper sites do, though its words are no words of the paper."""

from __future__ import annotations

import re

from catalog.kinds import ALIAS_KIND
from catalog.models import Alias, Paper
from catalog.weburls import ARXIV_ID, ARXIV_URL_RE, url_key

# An id standing alone, not a part of a longer number or word ("3.5").
_ARXIV_ID_RE = re.compile(
    rf"(?<![\w.])(?:arxiv\s*:\s*)?({ARXIV_ID})(?:v\d+)?(?![\w.]*\w)", re.IGNORECASE
)
_DOI_RE = re.compile(r"(?<![\w/])(10\.\d{4,9}/[^\s\"<>]+)")
_ADDRESS_RE = re.compile(r"https?://[^\s\"<>]+", re.IGNORECASE)
_DOI_HOSTS = ("doi.org", "dx.doi.org")
# At most this many identifiers of each kind are looked up for one query.
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
        address = address.rstrip(".,;)")
        if match := ARXIV_URL_RE.match(address):
            arxiv_ids[match[1]] = None
        else:
            keys.update(dict.fromkeys(_address_keys(address)))
    rest = _ADDRESS_RE.sub(" ", text)
    for match in _ARXIV_ID_RE.finditer(rest):
        arxiv_ids[match[1]] = None
    for doi in _DOI_RE.findall(rest)[:_MOST]:
        doi = doi.rstrip(".,;)")
        keys.update(dict.fromkeys(f"url:{host}/{doi}" for host in _DOI_HOSTS))
    return list(arxiv_ids)[:_MOST], list(keys)


def _address_keys(address: str) -> list[str]:
    """The keys a list's link to ``address`` may have been given: its own,
    and the same with "www." and without."""
    try:
        key = url_key(address)
    except ValueError:  # "https://[x": no address
        return []
    host, slash, rest = key.partition("/")
    if not host:
        return []
    bare = host.removeprefix("www.")
    return [f"url:{h}{slash}{rest}" for h in dict.fromkeys((host, bare, f"www.{bare}"))]
