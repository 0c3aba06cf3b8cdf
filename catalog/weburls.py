"""What counts as a web address the catalog may link to (pure: the parser
and the models' validators share it)."""

from urllib.parse import urlsplit

# A ``javascript:`` or ``data:`` URL rendered as a link would run in the
# site's origin: every address is an http(s) one.
WEB_SCHEMES = ("http", "https")


def is_web_url(url: str) -> bool:
    """An http(s) address with a host, and no space or control character."""
    if not url or any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in url):
        return False
    try:
        parts = urlsplit(url)
    except ValueError:  # "https://[paper": not a usable address
        return False
    return parts.scheme.lower() in WEB_SCHEMES and bool(parts.hostname)
