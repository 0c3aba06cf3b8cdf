"""Atom and RSS feeds of browse selections, read by feedparser."""

from datetime import timedelta

import feedparser
import pytest
from django.conf import settings
from django.core.management import call_command

from catalog.browse.feeds import FEED_ITEMS
from catalog.cache import bump_catalog_version
from catalog.models import Paper, Topic
from catalog.search import expansion
from tests.golden import LIST_DIR

SITE = f"http://{settings.SITE_DOMAIN}"


@pytest.fixture
def seeds(db):
    call_command("import_lists", str(LIST_DIR), verbosity=0)


def parsed(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0, feed.get("bozo_exception")
    return response, feed


def paper_of(entry) -> Paper:
    """The paper an entry links to, which must be its page's canonical URL."""
    assert entry.link.startswith(SITE)
    pk = int(entry.link.removeprefix(SITE).split("/")[2])
    paper = Paper.objects.get(pk=pk)
    assert entry.link == SITE + paper.get_absolute_url()
    return paper


class SelectionFeedTests:
    @pytest.mark.parametrize("feed", ["atom.xml", "rss.xml"])
    def test_a_filtered_search_has_a_feed_of_the_same_papers(self, client, seeds, feed):
        query = "?q=lstm&year=2016-2019"
        page = client.get(f"/papers/{query}")
        response, parsed_feed = parsed(client, f"/papers/{feed}{query}")

        shown = {p.pk for p in page.context["page_obj"].object_list}
        linked = {paper_of(e).pk for e in parsed_feed.entries}
        assert shown and linked == shown
        assert parsed_feed.feed.link == f"{SITE}/papers/{query}"

    def test_entries_come_newest_additions_first(self, client, seeds):
        newest = Paper.objects.order_by("-created", "-id")
        _response, feed = parsed(client, "/papers/atom.xml")

        got = [paper_of(e).pk for e in feed.entries]
        assert got == list(newest.values_list("pk", flat=True)[:FEED_ITEMS])
        assert feed.entries[0].published_parsed is not None

    def test_entries_follow_when_papers_were_added_not_their_ids(self, client, seeds):
        """A paper added last (a restore keeps creation times) leads the
        feed of every selection holding it, whatever its id."""
        oldest_id = Paper.objects.filter(title__icontains="dropout").earliest("pk")
        Paper.objects.filter(pk=oldest_id.pk).update(
            created=Paper.objects.latest("created").created + timedelta(days=1)
        )
        bump_catalog_version()

        for query in ["", "?q=dropout", f"?year={oldest_id.year}"]:
            _response, feed = parsed(client, f"/papers/atom.xml{query}")
            assert paper_of(feed.entries[0]).pk == oldest_id.pk, query

    @pytest.mark.parametrize("feed", ["atom.xml", "rss.xml"])
    def test_the_server_is_given_a_feed_in_one_piece(self, client, seeds, feed):
        """The generator writes a feed in hundreds of pieces; a WSGI server
        sends each piece it is given on its own (4 ms more over HTTP)."""
        response = client.get(f"/papers/{feed}?q=dropout")

        assert len(list(response)) == 1
        assert feedparser.parse(response.content).entries

    def test_atom_links_to_itself_with_its_filters(self, client, seeds):
        _response, feed = parsed(client, "/papers/atom.xml?venue=NeurIPS")

        self_links = [link.href for link in feed.feed.links if link.rel == "self"]
        assert self_links == [f"{SITE}/papers/atom.xml?venue=NeurIPS"]
        assert {paper_of(e).venue for e in feed.entries} == {"NeurIPS"}

    @pytest.mark.parametrize("feed", ["atom.xml", "rss.xml"])
    def test_topic_venue_and_year_pages_have_feeds_of_their_papers(
        self, client, seeds, feed
    ):
        topic = Topic.objects.get(path="Deep Learning > Regularization")
        for path in [topic.get_absolute_url(), "/venues/NeurIPS/", "/years/2019/"]:
            page = client.get(path)
            _response, parsed_feed = parsed(client, f"{path}{feed}")

            selected = page.context["paginator"].object_list
            linked = {paper_of(e).pk for e in parsed_feed.entries}
            assert linked and linked <= set(selected.values_list("pk", flat=True))
            assert len(linked) == min(FEED_ITEMS, page.context["paginator"].count), path

    def test_the_feed_title_names_the_selection(self, client, seeds):
        topic = Topic.objects.get(path="Deep Learning > Regularization")
        _response, feed = parsed(
            client, f"/papers/rss.xml?topic={topic.slug}&year=2016-&q=dropout"
        )

        assert feed.feed.title == (
            "Papers · Topic: Deep Learning > Regularization · Year: 2016- · "
            "“dropout” · dlresources"
        )

    def test_titles_and_translations_in_both_languages(self, client, seeds):
        paper = Paper.objects.create(
            key="url:example.org/zh",
            title="深度学习 & <综述>: “Deep” Learning",
            url="https://example.org/zh",
            year=2020,
        )
        paper.translations.create(
            language="zh", title="中文翻译 <b>", url="https://example.org/zh/t"
        )
        response, feed = parsed(client, "/papers/atom.xml")

        (entry,) = [e for e in feed.entries if paper_of(e).pk == paper.pk]
        assert entry.title == paper.title
        assert "中文翻译 <b>" in entry.summary
        assert response["Content-Type"].startswith("application/atom+xml")

    def test_a_spelling_mistake_is_searched_as_corrected(
        self, client, seeds, monkeypatch
    ):
        # Without typo tolerance in the matching, the page's own correction.
        monkeypatch.setattr(expansion, "_corrections", lambda query, using: {})
        page = client.get("/papers/?q=regularizaton")
        assert page.context["original_query"] == "regularizaton"
        _response, feed = parsed(client, "/papers/atom.xml?q=regularizaton")

        shown = {p.pk for p in page.context["page_obj"].object_list}
        assert shown and {paper_of(e).pk for e in feed.entries} == shown

    @pytest.mark.parametrize(
        "query",
        ["?zzz=1", "?page=abc", "?topic=nope", "?venue=" + "x" * 400, "?q=%F0%9F"],
    )
    def test_unknown_parameters_and_values_never_fail(self, client, seeds, query):
        response = client.get(f"/papers/atom.xml{query}")

        assert response.status_code == 200
        assert feedparser.parse(response.content).bozo == 0

    def test_a_value_no_filter_takes_is_named_in_a_bad_request(self, client, seeds):
        response = client.get("/papers/rss.xml?year=abc&sort=nope&q=" + "x" * 400)

        assert response.status_code == 400
        for name in [b"year:", b"sort:", b"q:"]:
            assert name in response.content

    def test_a_missing_topic_is_not_found(self, client, seeds):
        assert client.get("/topics/no-such-topic/atom.xml").status_code == 404


class AnnouncedAlternatesTests:
    def test_a_browse_page_announces_its_feeds_and_citations_with_its_filters(
        self, client, seeds
    ):
        response = client.get("/papers/?q=lstm&year=2016&venue=ICML&sort=abc&page=1")

        html = response.content.decode()
        for name, media_type in [
            ("atom.xml", "application/atom+xml"),
            ("rss.xml", "application/rss+xml"),
            ("cite.bib", "application/x-bibtex"),
            ("cite.ris", "application/x-research-info-systems"),
            ("cite.json", "application/vnd.citationstyles.csl+json"),
        ]:
            # The invalid sort (which the page drops) and the page left out.
            href = f"/papers/{name}?q=lstm&amp;year=2016&amp;venue=ICML"
            assert (
                f'<link rel="alternate" type="{media_type}"' in html
                and f'href="{href}">' in html
            ), name

    def test_the_announced_feed_of_a_topic_page_is_a_valid_feed(self, client, seeds):
        topic = Topic.objects.get(path="Deep Learning > Regularization")
        response = client.get(topic.get_absolute_url(), {"year": "2016-"})
        (atom,) = [
            a
            for a in response.context["alternates"]
            if a.media_type == "application/atom+xml"
        ]

        assert atom.href == f"{topic.get_absolute_url()}atom.xml?year=2016-"
        _response, feed = parsed(client, atom.href)
        assert feed.entries
        assert all(paper_of(e).year >= 2016 for e in feed.entries)

    def test_a_venue_with_a_space_announces_a_feed_at_a_valid_uri(self, client, seeds):
        paper = Paper.objects.create(
            key="url:example.org/mm", title="A", url="https://example.org/mm"
        )
        paper.venue = "ACM MM"
        paper.save()
        response = client.get("/venues/ACM MM/")
        hrefs = {a.media_type: a.href for a in response.context["alternates"]}

        assert hrefs["application/rss+xml"] == "/venues/ACM%20MM/rss.xml"
        _response, feed = parsed(client, hrefs["application/rss+xml"])
        assert [paper_of(e).pk for e in feed.entries] == [paper.pk]

    def test_repository_pages_announce_no_paper_feeds(self, client, seeds):
        response = client.get("/repositories/")

        assert 'rel="alternate"' not in response.content.decode()
