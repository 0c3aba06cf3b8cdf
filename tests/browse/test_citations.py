"""Citations of a paper and of browse selections, over HTTP, read back by
bibtexparser, rispy and json."""

import json
import re

import bibtexparser
import pytest
import rispy
from django.core.management import call_command

from catalog.browse import exports
from catalog.models import Paper, Topic
from tests.golden import LIST_DIR


@pytest.fixture
def seeds(db):
    call_command("import_lists", str(LIST_DIR), verbosity=0)


def body(response) -> str:
    assert response.status_code == 200, response.content[:300]
    content = (
        b"".join(response.streaming_content) if response.streaming else response.content
    )
    return content.decode()


def bibtex(response):
    library = bibtexparser.parse_string(body(response))
    assert not library.failed_blocks
    return library.entries


class SelectionCitationTests:
    def test_a_selection_in_bibtex_has_its_papers_in_page_order(self, client, seeds):
        page = client.get("/papers/", {"q": "lstm", "sort": "title"})
        response = client.get("/papers/cite.bib", {"q": "lstm", "sort": "title"})

        assert response["Content-Type"] == "application/x-bibtex; charset=utf-8"
        assert "attachment" in response["Content-Disposition"]
        entries = bibtex(response)
        titles = [e["title"].strip("{}") for e in entries]
        assert len(titles) == page.context["paginator"].count
        shown = [p.title for p in page.context["page_obj"].object_list]
        assert titles[: len(shown)] == shown

    def test_every_paper_of_the_catalog_has_a_unique_key_and_its_fields(
        self, client, seeds
    ):
        entries = bibtex(client.get("/papers/cite.bib"))

        assert len(entries) == Paper.objects.count()
        assert len({e.key for e in entries}) == len(entries)
        for entry in entries:
            paper = Paper.objects.get(pk=_pk_of(entry, client))
            assert entry["title"].strip("{}")
            assert "url" in entry.fields_dict
            if paper.year:
                assert entry["year"] == str(paper.venue_year or paper.year)
            if paper.arxiv_id:
                assert entry["eprint"] == paper.arxiv_id
                assert entry["archivePrefix"] == "arXiv"
            if paper.venue:
                assert entry.entry_type == "inproceedings"
                assert entry["booktitle"] == paper.venue

    def test_one_page_of_results_with_page(self, client, seeds, monkeypatch):
        monkeypatch.setattr(exports, "PER_PAGE", 10)
        every = bibtex(client.get("/papers/cite.bib"))
        second = bibtex(client.get("/papers/cite.bib?page=2"))

        assert [e.key for e in second] == [e.key for e in every[10:20]]

    def test_the_export_is_capped(self, client, seeds, monkeypatch):
        monkeypatch.setattr(exports, "MAX_CITED", 7)

        assert len(bibtex(client.get("/papers/cite.bib"))) == 7

    def test_ris_and_csl_json_hold_the_same_papers(self, client, seeds):
        query = {"year": "2018-2019"}
        keys = [e.key for e in bibtex(client.get("/papers/cite.bib", query))]
        ris = rispy.loads(body(client.get("/papers/cite.ris", query)))
        csl = json.loads(body(client.get("/papers/cite.json", query)))

        assert keys and [r["id"] for r in ris] == keys
        assert [item["id"] for item in csl] == keys
        assert all(r["year"] in ("2018", "2019") for r in ris)

    def test_topic_venue_and_year_pages_have_citations_of_their_papers(
        self, client, seeds
    ):
        topic = Topic.objects.get(path="Deep Learning > Regularization")
        for path in [topic.get_absolute_url(), "/venues/NeurIPS/", "/years/2019/"]:
            page = client.get(path)
            csl = json.loads(body(client.get(f"{path}cite.json")))

            assert len(csl) == page.context["paginator"].count, path

    def test_an_empty_selection_is_an_empty_file(self, client, seeds):
        assert body(client.get("/papers/cite.bib?venue=Nowhere")) == ""
        assert json.loads(body(client.get("/papers/cite.json?venue=Nowhere"))) == []

    @pytest.mark.parametrize(
        "query, name",
        [("year=abc", "year"), ("sort=nope", "sort"), ("page=x", "page")],
    )
    def test_bad_values_are_named_in_a_bad_request(self, client, seeds, query, name):
        response = client.get(f"/papers/cite.ris?{query}")

        assert response.status_code == 400
        assert response.content.decode().startswith(f"{name}:")

    def test_an_unknown_format_is_not_found(self, client, seeds):
        assert client.get("/papers/cite.docx").status_code == 404


def _pk_of(entry, client) -> int:
    """The paper a BibTeX entry cites, found by its URL."""
    url = entry["url"]
    arxiv = re.fullmatch(r"https://arxiv\.org/abs/(.+)", url)
    papers = (
        Paper.objects.filter(arxiv_id=arxiv[1])
        if arxiv
        else Paper.objects.filter(url=url)
    )
    return papers.get().pk


class PaperCitationTests:
    def test_the_paper_page_has_a_cite_menu_that_works_without_javascript(
        self, client, seeds
    ):
        paper = Paper.objects.filter(arxiv_id__isnull=False).first()
        html = client.get(paper.get_absolute_url()).content.decode()

        menu = html[html.index('<details class="cite">') : html.index("</details>")]
        assert "<summary>Cite</summary>" in menu
        hrefs = re.findall(r'href="([^"]+)"', menu)
        assert hrefs == [
            f"/papers/{paper.pk}/cite.{ext}" for ext in ("bib", "ris", "json")
        ]
        for href, media_type in zip(
            hrefs,
            [
                "application/x-bibtex",
                "application/x-research-info-systems",
                "application/vnd.citationstyles.csl+json",
            ],
            strict=True,
        ):
            assert f'<link rel="alternate" type="{media_type}"' in html
            assert client.get(href)["Content-Type"].startswith(media_type)
        assert f"eprint = {{{paper.arxiv_id}}}" in menu  # the BibTeX, to copy

    def test_a_paper_cites_as_it_does_in_any_selection(self, client, seeds):
        paper = Paper.objects.get(venue="ICML")
        (alone,) = bibtex(client.get(f"/papers/{paper.pk}/cite.bib"))
        in_list = {e.key: e for e in bibtex(client.get("/papers/cite.bib"))}

        assert alone.key in in_list
        assert alone.fields_dict.keys() == in_list[alone.key].fields_dict.keys()
        assert alone.entry_type == "inproceedings"
        assert alone["booktitle"] == "ICML"

    def test_a_chinese_title_with_specials_parses_back(self, client, seeds):
        paper = Paper.objects.create(
            key="url:example.org/zh",
            title="深度学习 & 50% {综述}",
            url="https://example.org/zh",
        )
        text = body(client.get(f"/papers/{paper.pk}/cite.bib"))
        (entry,) = bibtex(client.get(f"/papers/{paper.pk}/cite.bib"))

        assert r"深度学习 {\&} 50{\%} {\{}综述{\}}" in text
        assert entry.key.startswith("paper_")
        (record,) = rispy.loads(body(client.get(f"/papers/{paper.pk}/cite.ris")))
        assert record["title"] == paper.title

    def test_a_missing_paper_or_format_is_not_found(self, client, seeds):
        paper = Paper.objects.first()

        assert client.get("/papers/999999/cite.bib").status_code == 404
        assert client.get(f"/papers/{paper.pk}/cite.pdf").status_code == 404
