"""What counts as a web address the catalog may link to (pure: the parser
and the models' validators share it)."""

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
