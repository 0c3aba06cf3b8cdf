"""Validators of the values that enter the catalog: the models declare them,
so the admin, the importer and any later API share one rule."""

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

# Every address the catalog links to is a web page: a ``javascript:`` or
# ``data:`` URL rendered as a link would run in the site's origin.
WEB_SCHEMES = ("http", "https")

validate_web_url = URLValidator(
    schemes=list(WEB_SCHEMES), message="Enter an http:// or https:// address."
)


def validate_web_urls(value) -> None:
    """A JSON list of http(s) addresses (a paper's other URLs)."""
    if not isinstance(value, list):
        raise ValidationError("Enter a list of addresses.", code="invalid")
    for url in value:
        if not isinstance(url, str):
            raise ValidationError(
                "Enter each address as a string: %(url)r.",
                code="invalid",
                params={"url": url},
            )
        validate_web_url(url)
