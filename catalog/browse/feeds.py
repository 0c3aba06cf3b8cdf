"""Atom and RSS feeds of any selection of papers (Django's syndication
framework): a browse page's filters, search and scope, newest additions
first."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.http import HttpResponseBadRequest
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.translation import gettext as _

from catalog.browse.params import PER_PAGE
from catalog.browse.selection import (
    InvalidSelection,
    PaperSelection,
    scope_of,
    select_papers,
)

# Entries of a feed: the newest additions, a page's worth (a reader polls
# often; 50 cost twice the time for entries most readers have seen).
FEED_ITEMS = PER_PAGE


class PaperFeed(Feed):
    """RSS 2.0 of a selection (``page``: one of selection.PAGES)."""

    feed_type = Rss201rev2Feed

    def __call__(self, request, *args, **kwargs):
        try:
            response = super().__call__(request, *args, **kwargs)
        except InvalidSelection as exc:
            return HttpResponseBadRequest(str(exc), content_type="text/plain")
        # The feed generator writes the response in hundreds of small pieces,
        # which the WSGI server sends one by one: over HTTP that cost some
        # 4 ms between the first byte and the last. Sent as one piece.
        response.content = response.content
        return response

    def get_object(self, request, page="papers", value=None):
        selection = select_papers(request.GET, scope_of(page, value))
        # The feed's own URL, filters and all (Django's default drops them).
        return selection, request.get_full_path()

    def title(self, obj):
        selection, _url = obj
        return f"{selection.describe()} · dlresources"

    def link(self, obj):
        selection, _url = obj
        return selection.page_url

    def feed_url(self, obj):
        _selection, url = obj
        return url

    def description(self, obj):
        selection, _url = obj
        return _("Papers newly added to the catalog: %(selection)s.") % {
            "selection": selection.describe()
        }

    def items(self, obj):
        selection: PaperSelection = obj[0]
        return selection.newest(FEED_ITEMS)

    def item_title(self, paper):
        return paper.title

    def item_description(self, paper):
        return entry_summary(paper)

    def item_pubdate(self, paper):
        return paper.created

    def item_updateddate(self, paper):
        return paper.updated

    def item_categories(self, paper):
        return [topic.path for topic in paper.topic_list]


class AtomPaperFeed(PaperFeed):
    """Atom 1.0 of a selection."""

    feed_type = Atom1Feed

    def subtitle(self, obj):
        return self.description(obj)


def entry_summary(paper) -> str:
    """A paper in a few lines of text: venue, year, organisation, code,
    translations (in their own language) and the list's notes."""
    lines = [_facts(paper)]
    if paper.code:
        code = ", ".join(
            f"{repo.owner}/{repo.name} ({repo.get_framework_display()})"
            for repo in paper.code
        )
        lines.append(_("Code: %(code)s") % {"code": code})
    lines += [
        _("Translation (%(language)s): %(title)s")
        % {"language": t.language, "title": t.title or t.url}
        for t in paper.translation_list
    ]
    lines.append(paper.notes)
    return "\n".join(line for line in lines if line)


def _facts(paper) -> str:
    """ "NeurIPS 2017 · Google · arXiv:1706.03762"."""
    when = paper.venue_year or paper.year
    facts = [
        " ".join(str(v) for v in (paper.venue, when) if v),
        paper.organisation,
        f"arXiv:{paper.arxiv_id}" if paper.arxiv_id else "",
    ]
    return " · ".join(f for f in facts if f)
