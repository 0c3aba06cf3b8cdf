"""Validators of the values that enter the catalog: the models declare them,
so the admin, the importer and any later API share one rule."""

from django.core.exceptions import ValidationError
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from catalog.weburls import is_web_url


def validate_web_url(url: str) -> None:
    """An http(s) address (catalog.weburls says what counts as one)."""
    if not is_web_url(url):
        raise ValidationError(
            _("Enter an http:// or https:// address."),
            code="invalid",
            params={"value": url},
        )


def validate_web_urls(value) -> None:
    """A JSON list of http(s) addresses (a paper's other URLs)."""
    if not isinstance(value, list):
        raise ValidationError(_("Enter a list of addresses."), code="invalid")
    for url in value:
        if not isinstance(url, str):
            raise ValidationError(
                _("Enter each address as a string: %(url)r."),
                code="invalid",
                params={"url": url},
            )
        validate_web_url(url)


def is_local_path(target: str) -> bool:
    """Whether ``target`` is a path on this site ("/papers/1/"), never
    another site ("//evil.example", "https://…", "/\\evil.example")."""
    return target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts=None
    )


def validate_local_path(target: str) -> None:
    """A redirect's target: a path on this site (empty: gone)."""
    if target and not is_local_path(target):
        raise ValidationError(
            _("Enter a path on this site, starting with one “/”."), code="invalid"
        )
