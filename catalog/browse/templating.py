"""The Jinja2 environment of the browse rows (templates/catalog/rows/*.jinja).

A browse page renders 25 rows of some 25 values each, several times faster
in Jinja2 than in Django's template language (figures in the README). Values
are escaped as Django escapes them, so a row's HTML is the same in either
language. Their strings are translated as the Django templates' are:
``{{ _("text") }}`` looks the text up in the active language's catalog
(``make messages`` extracts it; the calls hold no state, so a compiled
template serves every language).
"""

from html import escape

from django.utils.text import Truncator
from django.utils.translation import gettext, ngettext
from jinja2 import Environment
from markupsafe import Markup

from catalog.routes import url_for
from catalog.templatetags.catalog_tags import highlight_snippet
from catalog.templatetags.search_tags import highlight


def django_escaped(value):
    """``value`` escaped as Django's templates escape it (&#x27; and &quot;
    where markupsafe writes &#39; and &#34;); safe strings as they are."""
    if hasattr(value, "__html__"):
        return value
    return Markup(escape(str(value)))


def truncatechars(value, length: int) -> str:
    """Django's ``truncatechars`` filter."""
    return Truncator(value).chars(length)


def environment(**options) -> Environment:
    extensions = [*options.pop("extensions", ()), "jinja2.ext.i18n"]
    env = Environment(finalize=django_escaped, extensions=extensions, **options)
    env.install_gettext_callables(gettext, ngettext, newstyle=True)
    env.globals["url_for"] = url_for
    env.filters.update(
        highlight=highlight,
        highlight_snippet=highlight_snippet,
        truncatechars=truncatechars,
    )
    return env
