"""Template helpers of the full-text search: ``{{ text|highlight:q }}``."""

from html import escape as escape_html

from django import template
from django.utils.safestring import SafeData, mark_safe

from catalog.fulltext.analyzer import highlight_spans

register = template.Library()


@register.filter(needs_autoescape=True)
def highlight(text, q, autoescape=True):
    """``text`` with what the search ``q`` matched wrapped in ``<mark>``.

    Query words match case-insensitively, long words by their first five or
    more letters ("regularizing" marks "Regularization"), CJK runs as typed.
    The text is HTML-escaped around and inside the marks; text that is
    already safe HTML is returned unchanged (marks could split its tags).
    """
    if text is None:
        return ""
    if isinstance(text, SafeData):
        return text
    text = str(text)
    # html.escape is Django's escape() without its lazy-string wrapper, which
    # cost more than the escaping on a page of 25 highlighted rows.
    escape = escape_html if autoescape else str
    spans = highlight_spans(text, q) if q else []
    if not spans:
        return mark_safe(escape(text)) if autoescape else text
    out = []
    position = 0
    for start, end in spans:
        out.append(escape(text[position:start]))
        out.append(f"<mark>{escape(text[start:end])}</mark>")
        position = end
    out.append(escape(text[position:]))
    return mark_safe("".join(out))
