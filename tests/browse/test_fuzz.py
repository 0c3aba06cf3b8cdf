"""Fuzzing every public URL: whatever a visitor puts in a path or a query
string, the site answers without a server error and never reflects markup
unescaped. Runs on both databases (make test)."""

from urllib.parse import quote, urlencode

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalog.models import Paper, Repository, Topic
from tests.golden import LIST_DIR

# Markup and quotes a page must escape wherever it echoes a value.
PAYLOADS = [
    '<script>alert("x")</script>',
    '"><img src=x onerror=alert(1)>',
    "'><svg onload=alert(1)>",
    "</title><b>x</b>",
]
# What search syntaxes and parsers treat specially.
OPERATORS = [
    '"',
    '""',
    "-",
    "--x",
    "|",
    "&",
    "!",
    ":*",
    "(",
    ")",
    "<->",
    "\\",
    "%",
    "_",
    "*",
    "OR",
    "NOT",
    "NEAR(",
    "^",
    "'",
    ";",
    "--",
]
NUMBERS = ["0", "-1", "1e9", "9" * 40, "2018-", "-2012", "2015-2018", "0000", "²"]
# Characters no stored text holds, and folded ones.
ODD = ["\x00", "a\x00b", "\x00" + PAYLOADS[0], "\ufeff", "\u202e", "ＡＢ", "\r\n"]
# Words the seed catalog holds, so searches match and rank something.
WORDS = ["regularization", "learning", "LSTM", "网络", "卷积", "神经网络", "GAN"]
SORTS = ["relevance", "newest", "oldest", "title", "added", "bogus", ""]
PARAMETERS = [
    "q",
    "topic",
    "year",
    "venue",
    "framework",
    "kind",
    "has_code",
    "has_translation",
    "list",
    "sort",
    "page",
    "p",
]

text = st.text(
    st.characters(blacklist_categories=("Cs",)),  # no lone surrogates: not UTF-8
    max_size=30,
)
value = st.one_of(
    st.sampled_from(ODD),
    text,
    st.sampled_from(PAYLOADS + OPERATORS + NUMBERS + ODD + WORDS),
    st.lists(st.sampled_from(OPERATORS + WORDS + ODD), max_size=6).map(" ".join),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
)
pairs = st.lists(
    st.tuples(st.one_of(st.sampled_from(PARAMETERS), text), value), max_size=8
)
# Repeats of one pair, as a crafted URL would send them.
repeated = st.tuples(st.sampled_from(PARAMETERS), value, st.integers(2, 200)).map(
    lambda t: [(t[0], t[1])] * t[2]
)


# A selection page's feeds and citations, and the formats no page has.
SELECTION_FILES = ["atom.xml", "rss.xml", "cite.bib", "cite.ris", "cite.json", "cite.x"]


def path_strategy(known: dict) -> st.SearchStrategy:
    segment = st.one_of(
        st.sampled_from(ODD), text, st.sampled_from(PAYLOADS + OPERATORS + NUMBERS)
    )
    number = st.one_of(st.sampled_from(known["ids"]), st.integers(0, 10**20).map(str))
    pages = path_pages(known, segment, number)
    return st.one_of(
        pages,
        st.tuples(pages, st.sampled_from(SELECTION_FILES)).map("".join),
        number.map(lambda n: f"/papers/{n}/cite.bib"),
    )


def path_pages(known: dict, segment, number) -> st.SearchStrategy:
    return st.one_of(
        st.sampled_from(
            [
                "/",
                "/papers/",
                "/repositories/",
                "/links/",
                "/venues/",
                "/sitemap.xml",
                "/healthz",
            ]
        ),
        st.one_of(segment, st.sampled_from(known["slugs"])).map(
            lambda s: f"/topics/{quote(s, safe='')}/"
        ),
        st.one_of(segment, st.sampled_from(["NeurIPS", "ICML", "neurips"])).map(
            lambda s: f"/venues/{quote(s, safe='')}/"
        ),
        st.one_of(number, segment).map(lambda n: f"/years/{quote(n, safe='')}/"),
        st.tuples(st.sampled_from(["papers", "repositories"]), number, segment).map(
            lambda t: f"/{t[0]}/{t[1]}/{quote(t[2], safe='')}/"
        ),
        st.tuples(st.sampled_from(["papers", "repositories"]), number).map(
            lambda t: f"/{t[0]}/{t[1]}/"
        ),
        segment.map(lambda s: f"/sitemap-{quote(s, safe='')}.xml"),
        st.sampled_from(["papers", "topics", "repositories"]).map(
            lambda s: f"/sitemap-{s}.xml"
        ),
    )


@pytest.fixture
def known(db):
    call_command("import_lists", str(LIST_DIR), verbosity=0)
    return {
        "ids": [str(pk) for pk in Paper.objects.values_list("pk", flat=True)[:20]]
        + [str(pk) for pk in Repository.objects.values_list("pk", flat=True)[:5]],
        "slugs": list(Topic.objects.values_list("slug", flat=True)[:20]),
    }


def check(client, url: str, sent: list[str]) -> None:
    response = client.get(url)
    assert response.status_code < 500, url
    if response["Content-Type"].startswith("text/plain"):
        # A bad request's message names the value as sent: plain text,
        # which no browser may sniff as markup.
        assert response["X-Content-Type-Options"] == "nosniff"
        return
    content = (
        b"".join(response.streaming_content) if response.streaming else response.content
    )
    body = content.decode("utf-8", "replace")
    for payload in sent:
        assert payload not in body, f"{url} reflects {payload!r} unescaped"


FUZZ = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


class FuzzTests:
    def test_any_query_string_on_any_public_page_is_answered_safely(
        self, client, known
    ):
        @FUZZ
        @given(path=path_strategy(known), query=st.one_of(pairs, repeated))
        def run(path, query):
            url = f"{path}?{urlencode(query)}" if query else path
            check(client, url, [v for _, v in query if v in PAYLOADS])

        run()

    def test_any_search_in_any_sorts_in_turn_is_answered_safely(self, client, known):
        """A search, then the same words in other sorts and pages (each
        request may reuse the matches the one before held)."""

        @FUZZ
        @given(
            path=st.sampled_from(["/papers/", "/repositories/", "/links/"]),
            q=value,
            turns=st.lists(
                st.tuples(st.sampled_from(SORTS), st.sampled_from(["", "1", "2"])),
                min_size=1,
                max_size=4,
            ),
            extra=pairs,
        )
        def run(path, q, turns, extra):
            for sort, page in turns:
                query = [("q", q), ("sort", sort), ("page", page), *extra]
                sent = [q] if q in PAYLOADS else []
                check(client, f"{path}?{urlencode(query)}", sent)

        run()

    def test_raw_bytes_in_the_query_string_are_answered_safely(self, client, known):
        """Query strings no browser would send: bad percent-escapes, bytes
        that are not UTF-8, NUL."""

        @FUZZ
        @given(
            path=st.sampled_from(["/", "/papers/", "/venues/", "/links/"]),
            raw=st.binary(max_size=40),
            name=st.sampled_from(PARAMETERS),
        )
        def run(path, raw, name):
            escaped = "".join(
                f"%{b:02X}" if b > 0x7E or b < 0x21 else chr(b) for b in raw
            )
            check(client, f"{path}?{name}={escaped.replace('#', '%23')}", [])

        run()
