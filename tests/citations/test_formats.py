"""The citation formats, read back by their own consumers: bibtexparser,
rispy and citeproc-py."""

import json
from datetime import date
from types import SimpleNamespace

import bibtexparser
import pytest
import rispy
from bibtexparser.middlewares import LatexDecodingMiddleware
from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
)
from citeproc.source.json import CiteProcJSON

from catalog.citations import FORMATS, VenueKind, cite
from catalog.citations.records import citation_key, venue_kind


def paper(**fields):
    defaults = {
        "key": "url:example.org/p",
        "title": "A paper",
        "short_name": "",
        "url": "https://example.org/p",
        "arxiv_id": None,
        "year": None,
        "venue_year": None,
        "date": None,
        "venue": "",
    }
    return SimpleNamespace(**(defaults | fields))


TRANSFORMER = paper(
    key="arxiv:1706.03762",
    title="Attention Is All You Need",
    short_name="Transformer",
    url="http://cn.arxiv.org/abs/1706.03762",
    arxiv_id="1706.03762",
    year=2017,
    date=date(2017, 6, 12),
    venue="NeurIPS",
)
SPECIAL = paper(
    key="url:example.org/spécial",
    title="Schölkopf & Müller: 50% of $x_1$ {braces} ~ ^ # \\ naïve Ångström",
    url="https://example.org/a_b?c=1&d=%7E",
    year=2019,
    venue="TPAMI",
)
CHINESE = paper(
    key="url:example.org/zh",
    title="深度学习综述：从起源到具体算法",
    url="https://example.org/zh",
    year=2018,
)
OLD_ARXIV = paper(
    key="arxiv:cs/0112017",
    title="The Old Kind of arXiv Id",
    url="https://arxiv.org/abs/cs/0112017",
    arxiv_id="cs/0112017",
    year=2001,
)
PAPERS = [TRANSFORMER, SPECIAL, CHINESE, OLD_ARXIV]


def bibtex_entries(text):
    library = bibtexparser.parse_string(
        text, append_middleware=[LatexDecodingMiddleware()]
    )
    assert not library.failed_blocks
    return {entry.key: entry for entry in library.entries}


class CitationKeyTests:
    def test_keys_are_unique_and_made_of_safe_characters(self):
        keys = [cite(p).key for p in PAPERS]

        assert keys[0] == "transformer2017_1706.03762"  # short name, arXiv id
        assert keys[1].startswith("scholkopf2019_")  # title word, accent off
        assert keys[2].startswith("paper2018_")  # a Chinese title has no word
        assert keys[3] == "old2001_cs-0112017"
        assert len(set(keys)) == len(keys)
        assert all(k.replace("_", "").replace(".", "").replace("-", "").isalnum()
                   and k.isascii() for k in keys)  # fmt: skip

    def test_a_key_is_the_same_whatever_else_is_exported(self):
        assert citation_key(SPECIAL) == citation_key(paper(**vars(SPECIAL)))

    def test_a_venue_is_a_journal_or_a_conference(self):
        assert venue_kind("TPAMI") is VenueKind.JOURNAL
        assert venue_kind("Journal of Things") is VenueKind.JOURNAL
        assert venue_kind("NeurIPS") is VenueKind.CONFERENCE
        assert venue_kind("arXiv") is VenueKind.NONE
        assert venue_kind("") is VenueKind.NONE


class BibtexTests:
    def test_entries_parse_back_with_every_field(self):
        entries = bibtex_entries(FORMATS["bib"].document(cite(p) for p in PAPERS))

        transformer = entries["transformer2017_1706.03762"]
        assert transformer.entry_type == "inproceedings"
        assert {k: f.value for k, f in transformer.fields_dict.items()} == {
            "title": "Attention Is All You Need",
            "shorttitle": "Transformer",
            "booktitle": "NeurIPS",
            "year": "2017",
            "date": "2017-06-12",
            "eprint": "1706.03762",
            "archivePrefix": "arXiv",
            "doi": "10.48550/arXiv.1706.03762",
            "url": "https://arxiv.org/abs/1706.03762",
        }
        old = entries["old2001_cs-0112017"]
        assert old.entry_type == "misc"
        assert old["howpublished"] == "arXiv:cs/0112017"

    def test_latex_specials_and_accents_are_escaped_and_decode_back(self):
        text = FORMATS["bib"].document([cite(SPECIAL)])
        (entry,) = bibtex_entries(text).values()

        assert r"{\&}" in text and r"{\%}" in text and r"{\"o}" in text
        assert entry.entry_type == "article"
        assert entry["journal"] == "TPAMI"
        # pylatexenc decodes \textasciicircum as U+02C6, which LaTeX prints
        # as "^".
        assert entry["title"].replace("\u02c6", "^") == SPECIAL.title
        # A URL is verbatim (biblatex reads it so): escaping would break it.
        (raw,) = bibtexparser.parse_string(text).entries
        assert raw["url"] == SPECIAL.url

    def test_chinese_text_is_kept_as_utf8(self):
        text = FORMATS["bib"].document([cite(CHINESE)])
        (entry,) = bibtex_entries(text).values()

        assert f"{{{{{CHINESE.title}}}}}" in text
        assert entry["title"] == CHINESE.title
        assert entry.entry_type == "misc"

    def test_streamed_chunks_make_one_file(self, monkeypatch):
        from catalog.citations import formats

        monkeypatch.setattr(formats, "CHUNK", 1)
        pieces = list(FORMATS["bib"].chunks(cite(p) for p in PAPERS))

        assert len(pieces) == len(PAPERS)
        assert len(bibtex_entries("".join(pieces))) == len(PAPERS)


class RisTests:
    def test_records_parse_back_into_the_same_fields(self):
        text = FORMATS["ris"].document(cite(p) for p in PAPERS)
        records = {r["id"]: r for r in rispy.loads(text)}

        assert records["transformer2017_1706.03762"] == {
            "type_of_reference": "CPAPER",
            "id": "transformer2017_1706.03762",
            "title": "Attention Is All You Need",
            "short_title": "Transformer",
            "secondary_title": "NeurIPS",
            "year": "2017",
            "date": "2017/06/12",
            "name_of_database": "arXiv",
            "accession_number": "arXiv:1706.03762",
            "doi": "10.48550/arXiv.1706.03762",
            "urls": ["https://arxiv.org/abs/1706.03762"],
        }
        special = records[cite(SPECIAL).key]
        assert special["type_of_reference"] == "JOUR"
        assert special["title"] == SPECIAL.title
        assert records[cite(CHINESE).key]["title"] == CHINESE.title
        assert records["old2001_cs-0112017"]["type_of_reference"] == "UNPB"
        assert not text.startswith("1.")  # rispy's counter is no RIS tag


class CslJsonTests:
    @pytest.fixture
    def items(self):
        return json.loads(FORMATS["json"].document(cite(p) for p in PAPERS))

    def test_items_render_with_citeproc(self, items):
        style = CitationStylesStyle("harvard-cite-them-right", validate=False)
        bibliography = CitationStylesBibliography(
            style, CiteProcJSON(items), formatter.plain
        )
        for item in items:
            bibliography.register(Citation([CitationItem(item["id"])]))
        rendered = [str(entry) for entry in bibliography.bibliography()]

        assert len(rendered) == len(PAPERS)
        text = "\n".join(rendered)
        for p in PAPERS:
            assert p.title in text
        assert "NeurIPS" in text
        assert "https://doi.org/10.48550/arXiv.1706.03762" in text

    def test_items_carry_types_dates_and_identifiers(self, items):
        by_id = {item["id"]: item for item in items}

        transformer = by_id["transformer2017_1706.03762"]
        assert transformer["type"] == "paper-conference"
        assert transformer["issued"] == {"date-parts": [[2017, 6, 12]]}
        assert transformer["container-title"] == "NeurIPS"
        assert by_id[cite(SPECIAL).key]["type"] == "article-journal"
        assert by_id["old2001_cs-0112017"]["publisher"] == "arXiv"
        assert by_id[cite(CHINESE).key]["title"] == CHINESE.title
