"""Rule 14 on every corpus list: nothing is dropped in silence.

Every http(s) URL a list shows its reader is a record's URL (or a URL of the
paper or repository a record keys), or is named by a warning on its line, or
is decoration: an image (its address or its text), a badge whose link points
at the badge service or at the list itself, a link into the list's own
repository (rule 13). Text a reader never sees (HTML comments, fenced code)
is not counted.
"""

import html
import re

from catalog.ingest.parsing import classify_url, parse_reading_list
from catalog.ingest.parsing.entries import own_repository
from catalog.ingest.parsing.vocabulary import is_badge_target
from tests.corpus import corpus_paths

_URL_RE = re.compile(r"https?://[^\s)<>\]\"'（）]+")
_IMAGE_RE = re.compile(r"!\[[^\]]*\]\([^)]*\)|<img[^>]*>", re.IGNORECASE)
_BADGE_RE = re.compile(r"\[!\[[^\]]*\]\([^)]*\)\]\(\s*(https?://[^)\s]+)")
_HIDDEN_RE = re.compile(r"<!--.*?-->|^ {0,3}```.*?^ {0,3}```", re.MULTILINE | re.DOTALL)


def shown_urls(text: str, own: str | None):
    """(line, URL) of every URL the reader sees, decoration left out."""
    text = _HIDDEN_RE.sub(lambda m: "\n" * m[0].count("\n"), text)
    badges = {
        m[1]
        for m in _BADGE_RE.finditer(text)
        if is_badge_target(m[1]) or (own and own.split("/", 1)[1] in m[1].lower())
    }
    for number, line in enumerate(text.split("\n"), 1):
        line = _IMAGE_RE.sub(" ", line)
        for url in _URL_RE.findall(line):
            url = html.unescape(url).rstrip(".,;:*_`'\"!?")
            if url in badges or (own and classify_url(url).key == own):
                continue
            yield number, url


def accounted_for(parsed):
    """The URLs and keys the records hold, and the warnings by line."""
    urls, keys = set(), set()
    for paper in parsed.papers:
        urls.update((paper.url, *paper.alt_urls))
        keys.add(paper.key)
    for record in (*parsed.repositories, *parsed.translations, *parsed.links):
        urls.add(record.url)
    keys.update(r.key for r in parsed.repositories)
    warned: dict[int, str] = {}
    for warning in parsed.warnings:
        warned[warning.line] = warned.get(warning.line, "") + warning.message
    return urls, keys, warned


def silently_dropped(path) -> list[str]:
    text = path.read_text(encoding="utf-8-sig")
    parsed = parse_reading_list(text, name=path.name)
    urls, keys, warned = accounted_for(parsed)
    missing = []
    for line, url in shown_urls(text, own_repository(path.name)):
        if (
            url in urls
            # A URL the raw text cuts short at a parenthesis: "...(77)90354-0".
            or any(u.startswith(url) for u in urls)
            or classify_url(url).key in keys
            or url in warned.get(line, "")
        ):
            continue
        missing.append(f"{path.name}:{line}: {url}")
    return missing


def test_every_url_of_every_corpus_list_is_a_record_a_warning_or_decoration():
    missing = [m for path in corpus_paths() for m in silently_dropped(path)]
    assert not missing, "\n".join(missing)


def test_a_badge_wrapping_a_real_link_is_kept_and_decoration_is_not(tmp_path):
    path = tmp_path / "owner__list__README.md"
    path.write_text(
        "# List [![Awesome](https://awesome.re/badge.svg)](https://awesome.re)\n\n"
        "[![Stars](https://img.shields.io/github/stars/owner/list)]"
        "(https://github.com/owner/list/stargazers)\n\n"
        "| Paper | Video | Cited |\n|---|---|---|\n"
        "| [AlexNet](https://papers.nips.cc/paper/2012/file/c39-Paper.pdf) "
        "| [![bilibili](https://i0.hdslb.com/a.png)]"
        "(https://www.bilibili.com/video/BV1) "
        "| [![citation](https://img.shields.io/badge/x)]"
        "(https://www.semanticscholar.org/paper/abc) |\n",
        encoding="utf-8",
    )
    parsed = parse_reading_list(path.read_text(), name=path.name)

    assert [(link.url, link.kind, link.title) for link in parsed.links] == [
        ("https://www.bilibili.com/video/BV1", "video", "bilibili"),
        ("https://www.semanticscholar.org/paper/abc", "link", "citation"),
    ]
    assert silently_dropped(path) == []


def test_nested_and_typod_links_are_recovered():
    parsed = parse_reading_list(
        "- A Title [paper]([arxiv.org](https://arxiv.org/abs/1901.00001))\n"
        "- [Deep Thing](hhttp://arxiv.org/abs/1901.00002)\n"
        "- [Other Thing](htttps://example.org/x)\n"
    )
    assert [p.url for p in parsed.papers] == [
        "https://arxiv.org/abs/1901.00001",
        "http://arxiv.org/abs/1901.00002",
    ]
    assert [link.url for link in parsed.links] == ["https://example.org/x"]
    assert parsed.warnings == ()


def test_a_link_to_a_video_site_is_a_video_unless_a_label_or_heading_says_otherwise():
    parsed = parse_reading_list(
        "## Lectures\n\n"
        "- [CS231n Lecture 1](https://www.youtube.com/watch?v=vT1JzLTH4G4)\n"
        "- [Slides](https://cs231n.stanford.edu/slides.pdf)\n\n"
        "## Courses\n\n"
        "- [Deep Learning, Spring 2020](https://www.youtube.com/playlist?list=PLx)\n"
    )

    assert [(link.title, link.kind) for link in parsed.links] == [
        ("CS231n Lecture 1", "video"),
        ("Slides", "link"),
        ("Deep Learning, Spring 2020", "course"),
    ]
