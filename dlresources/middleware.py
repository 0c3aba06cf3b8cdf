"""Site-wide request and response guards."""

from django.conf import settings
from django.contrib.redirects.middleware import RedirectFallbackMiddleware
from django.http import HttpResponseBadRequest
from django.utils.cache import patch_vary_headers

from catalog.validators import is_local_path


class RejectNulMiddleware:
    """A URL with a NUL character is refused (400) before any view: no text
    in the catalog holds one, and PostgreSQL fails any query that does."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any(
            "\x00" in name or any("\x00" in value for value in values)
            for name, values in request.GET.lists()
        ):
            return HttpResponseBadRequest(
                "A URL may not hold a NUL character.", content_type="text/plain"
            )
        return self.get_response(request)


class CrossOriginResourcePolicyMiddleware:
    """``Cross-Origin-Resource-Policy`` on every response (Django sets the
    opener policy, not this one)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault(
            "Cross-Origin-Resource-Policy", settings.CROSS_ORIGIN_RESOURCE_POLICY
        )
        return response


class LocalRedirectFallbackMiddleware(RedirectFallbackMiddleware):
    """Redirects of the redirects app, to this site's own paths only: a row
    naming another site (saved by hand in the admin) would make the site an
    open redirect, so it is answered as the 404 it replaces."""

    def process_response(self, request, response):
        redirected = super().process_response(request, response)
        if redirected is response or redirected.status_code not in (301, 302):
            return redirected
        return redirected if is_local_path(redirected["Location"]) else response


class VaryOnLanguageCookieMiddleware:
    """``Vary: Cookie`` on every response: the language cookie the switcher
    sets chooses the interface language as Accept-Language does (for which
    LocaleMiddleware adds ``Vary: Accept-Language``), so an HTTP cache must
    not serve one visitor's language to another."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        return response
