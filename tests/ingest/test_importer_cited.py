"""Rule 11 end to end: a paper a list cites with no link is imported keyed
by its title, joins its linked version from another list, and every
consumer (page, API, citations, export) does without a URL."""

import json
from urllib.parse import quote

import bibtexparser
import pytest
import rispy
from django.core.management import call_command

from catalog import exporters
from catalog.models import Alias, Paper

CITED = (
    "# Meta-learning\n\n## Papers\n\n"
    "**[2]** Sepp Hochreiter, A Steven Younger, and Peter R Conwell. "
    "**Learning to learn using gradient descent**. In\n"
    "International Conference on Artificial Neural Networks, pages 87–94. "
    "Springer, 2001.\n\n"
    "Gradient descent learns the learning rule.\n"
)
KEY = "title:learning to learn using gradient descent"
LINKED = (
    "# Roadmap\n\n"
    "- [Learning to learn using gradient descent - 2001]"
    "(https://link.springer.com/chapter/10.1007/3-540-44668-0_13)\n"
    "- [Learning to Learn by Gradient Descent by Gradient Descent - 2016]"
    "(https://arxiv.org/abs/1606.04474)\n"
)


def import_text(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    call_command("import_lists", str(path), verbosity=0)


@pytest.fixture
def cited(db, tmp_path):
    import_text(tmp_path, "meta.md", CITED)
    return Paper.objects.get(key=KEY)


def test_the_paper_is_imported_with_no_url_and_exported_with_null(cited):
    assert (cited.url, cited.alt_urls, cited.year) == ("", [], 2001)
    assert cited.notes == "Gradient descent learns the learning rule."
    # Its citation's two lines and its note's.
    assert sorted(s.line for s in cited.sources.all()) == [5, 6, 8]
    assert exporters._paper(cited)["url"] is None


def test_importing_the_list_again_changes_nothing(cited, tmp_path):
    before = exporters._paper(Paper.objects.get(pk=cited.pk))
    import_text(tmp_path, "meta.md", CITED + "\n")

    assert Paper.objects.count() == 1
    assert exporters._paper(Paper.objects.get(pk=cited.pk)) == before


def test_its_page_offers_a_search_instead_of_a_link(client, cited):
    response = client.get(cited.get_absolute_url())

    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="button" href=""' not in html
    assert "Cited with no link." in html
    assert "scholar.google.com/scholar?q=Learning%20to%20learn" in html


def test_the_api_gives_a_null_url(client, cited):
    response = client.get(f"/api/papers/{quote(KEY)}/")

    assert response.status_code == 200
    data = response.json()
    assert (data["key"], data["url"], data["alt_urls"]) == (KEY, None, [])


def test_its_citations_have_no_url_field(client, cited):
    base = f"/papers/{cited.pk}/cite"
    library = bibtexparser.parse_string(client.get(f"{base}.bib").content.decode())
    (entry,) = library.entries
    (ris,) = rispy.loads(client.get(f"{base}.ris").content.decode())
    (csl,) = json.loads(client.get(f"{base}.json").content)

    assert not library.failed_blocks
    assert entry["title"].strip("{}") == "Learning to learn using gradient descent"
    assert "url" not in entry.fields_dict
    assert "urls" not in ris
    assert "URL" not in csl


def test_a_list_that_links_it_joins_the_two_records(cited, tmp_path):
    import_text(tmp_path, "roadmap.md", LINKED)

    paper = Paper.objects.get(title__iexact="Learning to learn using gradient descent")
    assert paper.key == "url:link.springer.com/chapter/10.1007/3-540-44668-0_13"
    assert paper.url.startswith("https://link.springer.com/")
    assert "" not in paper.alt_urls
    assert Alias.objects.get(key=KEY).target_id == paper.pk
    assert Paper.objects.filter(key__startswith="title:").count() == 0
    assert {s.reading_list.path for s in paper.sources.all()} == {
        "meta.md",
        "roadmap.md",
    }
