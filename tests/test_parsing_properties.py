"""Random and mutated markdown never breaks the parser (hypothesis)."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalog.parsing import ParsedList, ParseError, parse_reading_list
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
            assert paper.key.startswith(("arxiv:", "url:"))
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
    spill_after=st.sampled_from([1, 2, 4000]),
)
def test_any_file_is_read_as_its_bytes_decoded_or_raises_parse_error(
    tmp_path_factory, monkeypatch, fragments, block, spill_after
):
    """Read from disk in blocks, with records on disk or not: the same list,
    or the same error, as the bytes decoded whole."""
    from catalog import parsing, spill

    data = b"".join(fragments)
    path = tmp_path_factory.mktemp("fuzz") / "fuzz.md"
    path.write_bytes(data)
    with monkeypatch.context() as patch:
        patch.setattr(parsing, "READ_BLOCK", block)
        patch.setattr(spill, "SPILL_AFTER", spill_after)
        try:
            expected = parse_reading_list(
                parsing.decode_list_bytes(data, name="fuzz.md"), name="fuzz.md"
            )
        except ParseError as exc:
            expected = str(exc)
        try:
            source = parsing.check_list_file(path, name="fuzz.md")
            actual = parsing.parse_list_file(source, name="fuzz.md")
        except ParseError as exc:
            actual = str(exc)

    if isinstance(expected, str):
        assert actual == expected
    else:
        assert parsing.as_export(actual) == parsing.as_export(expected)
        assert actual.warnings == expected.warnings
