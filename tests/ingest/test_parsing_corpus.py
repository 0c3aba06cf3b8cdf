"""The parser on the real-world lists in ../shared/corpus."""

from catalog.ingest.parsing import parse_reading_list
from catalog.ingest.parsing.entries import own_repository
from tests.corpus import corpus_paths, linked_ids

RECALL_FLOOR = 0.99


def test_every_linked_arxiv_id_and_repository_is_recalled():
    """At least 99% over the corpus of what the raw text links to; misses listed."""
    wanted = found = 0
    misses = []
    for path in corpus_paths():
        parsed = parse_reading_list(
            path.read_text(encoding="utf-8-sig"), name=path.name
        )
        arxiv, github = linked_ids(
            path.read_text(encoding="utf-8-sig"), own=own_repository(path.name)
        )
        have_arxiv = {p.arxiv_id for p in parsed.papers if p.arxiv_id}
        have_github = {r.key for r in parsed.repositories}
        missed = sorted(arxiv - have_arxiv) + sorted(github - have_github)
        misses += [f"{path.name}: {m}" for m in missed]
        wanted += len(arxiv) + len(github)
        found += len(arxiv) + len(github) - len(missed)

    recall = found / wanted
    assert recall >= RECALL_FLOOR, f"recall {recall:.4f}; missed:\n" + "\n".join(misses)


def test_every_corpus_list_parses_with_records_and_sane_fields():
    for path in corpus_paths():
        parsed = parse_reading_list(
            path.read_text(encoding="utf-8-sig"), name=path.name
        )
        assert parsed.papers or parsed.repositories or parsed.links, path.name
        for paper in parsed.papers:
            assert paper.title.strip(), (path.name, paper.line)
            assert paper.year is None or 1900 <= paper.year <= 2100
        cited = [p for p in parsed.papers if not p.url]
        # Rule 11: only a paper cited with no link has no URL.
        assert all(p.key.startswith("title:") for p in cited), path.name
        urls = [p.url for p in parsed.papers if p.url]
        urls += [r.url for r in parsed.repositories]
        urls += [t.url for t in parsed.translations] + [o.url for o in parsed.links]
        assert len(urls) == len(set(urls)), f"{path.name}: a URL placed twice"


def parse_in_sections(text, name, section_lines):
    from catalog.ingest.parsing import source
    from catalog.ingest.parsing.entries import ListWalker

    text = source.normalise(text)
    return ListWalker(name, section_lines=section_lines).run(
        text.split("\n"), references=source.may_hold_references(text)
    )


def test_corpus_lists_parse_the_same_in_sections_as_in_one_piece():
    for path in corpus_paths():
        text = path.read_text(encoding="utf-8-sig")
        whole = parse_in_sections(text, path.name, 10**9)
        assert parse_in_sections(text, path.name, 40) == whole, path.name


def test_corpus_lists_parse_the_same_from_disk():
    """Decoded a section at a time from the file's bytes: the same list as
    from its text."""
    from catalog.ingest import parsing

    for path in corpus_paths():
        whole = parsing.parse_reading_list(
            path.read_text(encoding="utf-8-sig"), name=path.name
        )
        source = parsing.check_list_bytes(path.read_bytes(), path=path.name)
        streamed = parsing.parse_list_file(source, name=path.name)
        assert streamed == whole, path.name
