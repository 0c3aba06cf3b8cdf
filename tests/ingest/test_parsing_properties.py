"""Random and mutated markdown never breaks the parser (hypothesis)."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalog.ingest.parsing import (
    MAX_NESTING,
    ParsedList,
    ParseError,
    parse_reading_list,
)
from tests.golden import LIST_DIR, SEEDS

SEED_TEXT = "\n".join(
    (LIST_DIR / f"{seed}.txt").read_text(encoding="utf-8") for seed in SEEDS
)
FRAGMENTS = [
    "# ",
    "## 2018\n",
    "#### Code\n",
    "- ",
    "1. ",
    "    ",
    "> ",
    "**",
    "*",
    "`",
    "[",
    "]",
    "(",
    ")",
    "<",
    ">",
    "|",
    "---\n",
    "<!--",
    "-->",
    "\n",
    "\n\n",
    "[paper](https://arxiv.org/abs/1901.00001)",
    "<https://github.com/a/b>",
    "[x]()",
    "**Chinese**: ",
    " - Org2019",
    "NIPS 2018 *2018-01-11* ",
    "| a | b |\n|---|---|\n",
    "<a href='https://x.org'>x</a>",
    "\ufeff",
    "\u200b",
    "\u00a0",
    "arXiv:1703.03400",
    "{:.warning}",
    "（",
    "：",
    "\t",
]


def parse_or_documented_error(text: str):
    try:
        result = parse_reading_list(text, name="fuzz.md")
    except ParseError:
        return None
    assert isinstance(result, ParsedList)
    return result


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=400))
def test_any_text_parses_or_raises_parse_error(text):
    parse_or_documented_error(text)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=60))
def test_markdown_shaped_noise_parses(fragments):
    parse_or_documented_error("".join(fragments))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mutated_seed_lists_parse_and_keep_keys_well_formed(data):
    text = SEED_TEXT
    for _ in range(data.draw(st.integers(1, 8))):
        at = data.draw(st.integers(0, len(text)))
        cut = data.draw(st.integers(0, 40))
        insert = data.draw(st.sampled_from(FRAGMENTS))
        text = text[:at] + insert + text[at + cut :]
    result = parse_or_documented_error(text)
    if result is not None:
        for paper in result.papers:
            assert paper.key.startswith(("arxiv:", "url:", "title:"))
            # Rule 11: only a paper cited with no link is keyed by its title.
            assert paper.key.startswith("title:") == (not paper.url)
        for repo in result.repositories:
            assert repo.key == repo.key.lower()


BYTE_FRAGMENTS = [
    f.encode() for f in FRAGMENTS + ["目标检测", "\r\n", "\r", "[r]: https://x.org"]
] + [b"\x00", b"\xff", b"\xe9", b"\xef\xbb\xbf", b"\xff\xfe", b"\xe7\x9b"]


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    fragments=st.lists(st.sampled_from(BYTE_FRAGMENTS), max_size=40),
    block=st.sampled_from([1, 3, 64]),
)
def test_any_file_is_read_as_its_bytes_decoded_or_raises_parse_error(
    tmp_path_factory, monkeypatch, fragments, block
):
    """Read from disk in blocks: the same list,
    or the same error, as the bytes decoded whole."""
    from catalog.ingest import parsing
    from catalog.ingest.parsing import source as source_stage

    data = b"".join(fragments)
    path = tmp_path_factory.mktemp("fuzz") / "fuzz.md"
    path.write_bytes(data)
    with monkeypatch.context() as patch:
        patch.setattr(source_stage, "READ_BLOCK", block)
        try:
            expected = parse_reading_list(
                parsing.decode_list_bytes(data, name="fuzz.md"), name="fuzz.md"
            )
        except ParseError as exc:
            expected = str(exc)
        try:
            source = parsing.check_list_bytes(path.read_bytes(), path="fuzz.md")
            actual = parsing.parse_list_file(source, name="fuzz.md")
        except ParseError as exc:
            actual = str(exc)

    if isinstance(expected, str):
        assert actual == expected
    else:
        assert parsing.as_export(actual) == parsing.as_export(expected)
        assert actual.warnings == expected.warnings


# Links of every shape the parser reads (markdown, URL), each to its own URL.
LINKS = [
    ("[Paper {n}]({url})", "https://arxiv.org/abs/1901.{n:05d}"),
    ("[Paper {n}]({url})", "https://openreview.net/pdf?id=p{n}"),
    ("[site {n}]({url})", "https://example.org/page/{n}"),
    ("<{url}>", "https://github.com/owner{n}/repo{n}"),
    ("see {url} too", "https://blog.example.com/post/{n}"),
    ("<a href='{url}'>page {n}</a>", "https://example.net/{n}"),
]
# The first bullet level whose text reaches MAX_NESTING: a level takes two.
TOO_DEEP = MAX_NESTING // 2 - 1
TOO_MANY_BRACKETS = 150

ROWS = st.lists(
    st.fixed_dictionaries(
        {
            # A heading ends the lists before it.
            "heading": st.sampled_from([False, False, False, True]),
            "level": st.integers(0, 3),
            # Bullets nested below this one, each a level below the last:
            # past markdown-it's commonmark limit (ten), not past ours.
            "dive": st.integers(0, 3) | st.integers(4, TOO_DEEP - 4),
            "link": st.integers(0, len(LINKS) - 1),
            "quote": st.booleans(),
            "blank": st.booleans(),
            "brackets": st.integers(0, 2),
        }
    ),
    min_size=1,
    max_size=25,
)
# A row made to nest past the limit, or none.
PAST_THE_LIMIT = st.none() | st.tuples(
    st.integers(0, 24),
    st.sampled_from(
        [{"dive": TOO_DEEP + 3}, {"dive": TOO_DEEP}, {"brackets": TOO_MANY_BRACKETS}]
    ),
)


def nested_list(rows):
    """The list's text, its links as (line, URL), and the lines nesting
    past MAX_NESTING (bullets or brackets)."""
    lines = ["# List", ""]
    links = []
    too_deep = []
    depth = 0
    for n, row in enumerate(rows):
        if row["heading"]:
            lines += ["", f"## Topic {n}", ""]
            depth = 0
            continue
        depth = min(row["level"], depth)
        for step in range(row["dive"] + 1):
            key = n * 100 + step
            shape, url = LINKS[(row["link"] + step) % len(LINKS)]
            url = url.format(n=key)
            brackets = row["brackets"] if step == row["dive"] else 0
            link = "[" * brackets + shape.format(n=key, url=url) + "]" * brackets
            if row["blank"]:
                lines.append("")
            quote = "> " if row["quote"] else ""
            lines.append(f"{'  ' * depth}- {quote}item {key} {link}")
            links.append((len(lines), url))
            if depth >= TOO_DEEP or brackets == TOO_MANY_BRACKETS:
                too_deep.append(len(lines))
            depth += 1
    return "\n".join(lines) + "\n", links, too_deep


@settings(max_examples=150, deadline=None)
@given(ROWS, PAST_THE_LIMIT)
def test_nesting_never_loses_a_link_silently(rows, past_the_limit):
    """However deep a list nests, every link in it is read (as a paper or
    its other URL, a repository, a translation or another link) or warned
    about at its line; nesting past MAX_NESTING fails the whole list at a
    line that does, rather than dropping what follows."""
    if past_the_limit is not None:
        at, change = past_the_limit
        rows[at % len(rows)] |= {"heading": False, **change}
    text, links, too_deep = nested_list(rows)
    try:
        parsed = parse_reading_list(text, name="deep.md")
    except ParseError as exc:
        assert exc.message.startswith("nested too deeply"), exc
        assert exc.line in too_deep, (exc.line, too_deep)
        return
    assert not too_deep
    urls = {r.url for r in (*parsed.repositories, *parsed.translations)}
    urls.update(link.url for link in parsed.links)
    for paper in parsed.papers:
        urls.update((paper.url, *paper.alt_urls))
    warned = {warning.line for warning in parsed.warnings}
    lost = [(n, url) for n, url in links if url not in urls and n not in warned]
    assert not lost, text
