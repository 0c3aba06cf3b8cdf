"""Page helpers for browse templates; search highlighting lives in search_tags."""

from html import escape

from django import template
from django.template import engines
from django.utils.safestring import mark_safe

from catalog.fulltext.analyzer import highlight_spans
from catalog.routes import url_for, url_maker
from catalog.templatetags.search_tags import highlight

register = template.Library()
register.filter("highlight", highlight, needs_autoescape=True)
# {% url_for "catalog:year-detail" 2019 %}: {% url %} with positional
# arguments, memoised (catalog.routes).
register.simple_tag(url_for, name="url_for")

SNIPPET = 160
_SELECTED = mark_safe(' class="selected" aria-current="true"')
_OPTION = (
    '<li class="depth-{}"><a href="{}" rel="nofollow"{}><span class="label">{}'
    '</span> <span class="count">{}</span></a></li>'
)


@register.filter
def facet_items(options):
    """The list items of a facet's options. A browse page shows some 130
    options: one Python pass here instead of about 20 template nodes each,
    escaped by html.escape (Django's escape without its lazy-string check)."""
    return mark_safe(
        "\n".join(
            _OPTION.format(
                int(o.depth),
                escape(o.url),
                _SELECTED if o.selected else "",
                escape(str(o.label)),
                int(o.count),
            )
            for o in options
        )
    )


@register.simple_tag
def rows(template_name, objects, query=""):
    """``objects`` rendered by the Jinja2 row template ``template_name``
    (catalog.browse.templating says why Jinja2)."""
    template = engines["jinja2"].get_template(template_name)
    return mark_safe(
        template.render({"rows": objects, "query": query, "url_for": url_maker()})
    )


@register.simple_tag
def page_url(params, number):
    """The current browse URL (filters kept) on page ``number``."""
    url = params.url()
    if number == 1:
        return url
    return f"{url}{'&' if '?' in url else '?'}page={number}"


@register.filter(needs_autoescape=True)
def highlight_snippet(text, q, autoescape=True):
    """A window of ``text`` around its first match, highlighted."""
    if not text:
        return ""
    text = str(text)
    spans = highlight_spans(text, q) if q else []
    if not spans:
        return ""
    start = max(0, spans[0][0] - SNIPPET // 3)
    window = text[start : start + SNIPPET]
    prefix = "…" if start else ""
    suffix = "…" if start + SNIPPET < len(text) else ""
    return highlight(prefix + window + suffix, q, autoescape=autoescape)
