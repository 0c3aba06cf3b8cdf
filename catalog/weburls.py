"""What counts as a web address the catalog may link to, and how a paper's
address is written as a key (pure: the parser, the models' validators and
the search share it)."""

import re
from urllib.parse import urlsplit

# A ``javascript:`` or ``data:`` URL rendered as a link would run in the
# site's origin: every address is an http(s) one.
WEB_SCHEMES = ("http", "https")
# A space or a control character anywhere (one regex search, not a loop over
# characters: the parser asks this of every link).
_UNSAFE = re.compile(r"[\s\x00-\x1f\x7f]")


def is_web_url(url: str) -> bool:
    """An http(s) address with a host, and no space or control character."""
    if not url or _UNSAFE.search(url):
        return False
    try:
        parts = urlsplit(url)
    except ValueError:  # "https://[paper": not a usable address
        return False
    return parts.scheme.lower() in WEB_SCHEMES and bool(parts.hostname)


# An arXiv id, new style ("1512.03385") or old ("hep-th/9901001").
ARXIV_ID = r"(?:\d{4}\.\d{4,5}|[a-z][a-z.-]*(?:\.[A-Z]{2})?/\d{7})"
# An arXiv address, of any of its pages or mirrors: the id, then its version.
ARXIV_URL_RE = re.compile(
    rf"^https?://(?:[\w-]+\.)?arxiv\.org/(?:abs|pdf|html|format|ps)/+({ARXIV_ID})"
    r"(v\d+)?",
    re.IGNORECASE,
)


def url_key(url: str) -> str:
    """A paper address as its key says it (rule 2): no scheme, the host in
    lower case, no trailing slash."""
    split = urlsplit(url.strip())
    host = (split.hostname or "").lower()
    if split.port:
        host = f"{host}:{split.port}"
    rest = split.path
    if split.query:
        rest += "?" + split.query
    return (host + rest).rstrip("/")
