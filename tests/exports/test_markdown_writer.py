"""The pure markdown writer, read back by the pure parser (no database)."""

from io import StringIO

from catalog.exports.markdown import Catalog, select, write_markdown
from catalog.ingest.parsing import as_export, parse_reading_list


def topic(path: str, order: int = 0, **fields) -> dict:
    parts = path.split(" > ")
    return {
        "path": path,
        "name": parts[-1],
        "parent": " > ".join(parts[:-1]) or None,
        "order": order,
        "description": "",
        "sources": [],
        **fields,
    }


def paper(key: str, url: str, title: str, **fields) -> dict:
    return {
        "key": key,
        "url": url,
        "title": title,
        "short_name": None,
        "year": None,
        "date": None,
        "venue": None,
        "venue_year": None,
        "organisation": None,
        "notes": None,
        "alt_urls": [],
        "arxiv_id": None,
        "topics": [],
        "repositories": [],
        "sources": [],
        **fields,
    }


def read_back(catalog: Catalog) -> dict:
    out = StringIO()
    write_markdown(catalog, out)
    return as_export(parse_reading_list(out.getvalue(), name="list.md"))


def test_markup_in_titles_urls_with_parentheses_and_kind_words_survive():
    catalog = Catalog(
        title='A "quoted" title',
        # Kind words in a topic's name; a name that is all kind word
        # ("Course") is a kind heading, no topic (rules 1 and 12).
        topics=[
            topic("Courses and tools"),
            topic("Courses and tools > 3D [vision]", order=1),
        ],
        papers=[
            paper(
                "url:doi.org/10.1016/S0019-9958(77)90354-0",
                "https://doi.org/10.1016/S0019-9958(77)90354-0",
                "Learning *fast* with [brackets] and_underscores <tags>",
                year=1977,
                organisation="Elsevier",
                topics=["Courses and tools > 3D [vision]"],
            )
        ],
    )

    parsed = read_back(catalog)

    assert parsed["title"] == 'A "quoted" title'
    assert parsed["topics"] == [
        "Courses and tools",
        "Courses and tools > 3D [vision]",
    ]
    [written] = parsed["papers"]
    assert written["key"] == "url:doi.org/10.1016/S0019-9958(77)90354-0"
    assert written["title"] == (
        "Learning *fast* with [brackets] and_underscores <tags>"
    )
    assert (written["year"], written["organisation"]) == (1977, "Elsevier")
    assert written["topics"] == ["Courses and tools > 3D [vision]"]


def test_code_and_links_of_a_paper_keep_their_own_topics():
    """A repository in a paper's entry takes that entry's topic: one the
    paper has and the repository has not gets an entry without it."""
    key = "arxiv:1706.03762"
    catalog = Catalog(
        topics=[topic("NLP"), topic("Vision", order=1)],
        papers=[
            paper(
                key,
                "https://arxiv.org/abs/1706.03762",
                "Attention Is All You Need",
                year=2017,
                venue="NeurIPS",
                arxiv_id="1706.03762",
                topics=["NLP", "Vision"],
                repositories=["github.com/a/b"],
            )
        ],
        repositories=[
            {
                "key": "github.com/a/b",
                "url": "https://github.com/a/b",
                "framework": "pytorch",
                "topics": ["Vision"],
                "papers": [key],
            },
            {
                "key": "github.com/c/d",
                "url": "https://github.com/c/d",
                "framework": None,
                "topics": [],
                "papers": [key],
            },
        ],
        others=[
            {
                "url": "https://blog.example/attention",
                "title": None,
                "kind": "blog",
                "topics": ["NLP"],
                "paper": None,
            }
        ],
    )

    parsed = read_back(catalog)

    repositories = {r["key"]: r for r in parsed["repositories"]}
    assert repositories["github.com/a/b"]["topics"] == ["Vision"]
    assert repositories["github.com/a/b"]["framework"] == "pytorch"
    assert repositories["github.com/c/d"]["topics"] == []
    assert set(repositories["github.com/c/d"]["papers"]) == {key}
    [written] = parsed["papers"]
    assert sorted(written["topics"]) == ["NLP", "Vision"]
    assert written["venue"] == "NeurIPS"
    [blog] = parsed["others"]
    assert (blog["kind"], blog["title"], blog["topics"]) == ("blog", None, ["NLP"])


def test_selecting_a_topic_keeps_its_ancestors_headings_only():
    catalog = Catalog(
        topics=[topic("A"), topic("A > B"), topic("C", order=1)],
        papers=[
            paper("url:x.org/b.pdf", "https://x.org/b.pdf", "In B", topics=["A > B"]),
            paper("url:x.org/c.pdf", "https://x.org/c.pdf", "In C", topics=["C"]),
        ],
    )

    parsed = read_back(select(catalog, topic="A > B"))

    assert parsed["topics"] == ["A", "A > B"]
    assert [p["title"] for p in parsed["papers"]] == ["In B"]


def test_a_venue_with_or_without_its_own_year_and_notes_read_back_as_written():
    """Venues outside the vocabulary too; notes that name a venue and a year
    do not give the paper one."""
    catalog = Catalog(
        papers=[
            paper(
                "url:x.org/kober.pdf",
                "https://x.org/kober.pdf",
                "Reinforcement learning in robotics: a survey",
                year=2013,
                venue="IJRR",
                venue_year=2013,
            ),
            paper(
                "url:x.org/sutskever13.pdf",
                "https://x.org/sutskever13.pdf",
                "On the importance of initialization and momentum",
                year=2013,
                venue="ICML",
            ),
            paper(
                "url:x.org/notes.pdf",
                "https://x.org/notes.pdf",
                "A paper with notes",
                year=2015,
                date="2015-06-01",
                notes="Compare CVPR, 2016 and [NeurIPS 2017].",
            ),
        ]
    )

    parsed = {p["key"]: p for p in read_back(catalog)["papers"]}

    fields = ("year", "venue", "venue_year", "date", "notes")
    assert [tuple(parsed[p["key"]][f] for f in fields) for p in catalog.papers] == [
        (2013, "IJRR", 2013, None, None),
        (2013, "ICML", None, None, None),
        (2015, None, None, "2015-06-01", "Compare CVPR, 2016 and [NeurIPS 2017]."),
    ]


def test_a_pdf_elsewhere_of_an_arxiv_paper_reads_back_as_its_alternate_url():
    catalog = Catalog(
        papers=[
            paper(
                "arxiv:1502.04623",
                "https://arxiv.org/abs/1502.04623",
                "DRAW: A recurrent neural network for image generation",
                year=2015,
                arxiv_id="1502.04623",
                alt_urls=[
                    "http://arxiv.org/pdf/1502.04623",
                    "http://jmlr.org/proceedings/papers/v37/gregor15.pdf",
                ],
            )
        ]
    )

    [written] = read_back(catalog)["papers"]

    assert written["url"] == "https://arxiv.org/abs/1502.04623"
    assert sorted(written["alt_urls"]) == [
        "http://arxiv.org/pdf/1502.04623",
        "http://jmlr.org/proceedings/papers/v37/gregor15.pdf",
    ]


def test_a_merged_published_version_is_written_as_the_entry_it_was_read_from():
    """The importer merges it into the arXiv paper again (the database test
    of the corpus round trip checks that); the parser sees two papers."""
    key = "arxiv:1409.3215"
    catalog = Catalog(
        papers=[
            paper(
                key,
                "https://arxiv.org/abs/1409.3215",
                "Sequence to Sequence Learning with Neural Networks",
                year=2014,
                arxiv_id="1409.3215",
                alt_urls=["http://papers.nips.cc/paper/5346-sequence.pdf"],
            )
        ],
        merges=[
            {
                "paper": key,
                "merged_key": "url:papers.nips.cc/paper/5346-sequence.pdf",
                "merged_url": "http://papers.nips.cc/paper/5346-sequence.pdf",
                "title": "Sequence to sequence learning with neural networks",
                "year": 2014,
                "list": "list.md",
                "line": 3,
                "split": False,
            }
        ],
    )

    parsed = {p["key"]: p for p in read_back(catalog)["papers"]}

    assert parsed[key]["alt_urls"] == []
    version = parsed["url:papers.nips.cc/paper/5346-sequence.pdf"]
    assert (version["title"], version["year"]) == (
        "Sequence to sequence learning with neural networks",
        2014,
    )


def test_a_paper_cited_with_no_link_is_written_as_a_citation_with_its_code():
    key = "title:convolutional pose machines"
    catalog = Catalog(
        topics=[topic("Pose")],
        papers=[
            paper(
                key,
                None,
                "Convolutional pose machines",
                year=2016,
                venue="CVPR",
                venue_year=2016,
                notes="Belief maps, stage by stage.",
                topics=["Pose"],
                repositories=["github.com/a/cpm"],
            )
        ],
        repositories=[
            {
                "key": "github.com/a/cpm",
                "url": "https://github.com/a/cpm",
                "framework": "pytorch",
                "topics": ["Pose"],
                "papers": [key],
            }
        ],
    )

    parsed = read_back(catalog)

    [written] = parsed["papers"]
    assert (written["key"], written["url"], written["title"]) == (
        key,
        None,
        "Convolutional pose machines",
    )
    assert (written["year"], written["venue"], written["venue_year"]) == (
        2016,
        "CVPR",
        2016,
    )
    assert written["notes"] == "Belief maps, stage by stage."
    assert written["repositories"] == ["github.com/a/cpm"]
