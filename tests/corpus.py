"""The real-world reading lists in ../shared/corpus (never committed here)."""

import os
import re
from pathlib import Path

import pytest

CORPUS_DIR = Path(
    os.environ.get(
        "DLR_CORPUS_DIR", Path(__file__).resolve().parents[2] / "shared" / "corpus"
    )
)

_URL_RE = re.compile(r"https?://[^\s)<>\]\"'（）]+")
_IMAGE_RE = re.compile(
    r"!\[[^\]]*\]\(\s*(https?://[^)\s]+)|<img[^>]*src=[\"']?(https?://[^\"'\s>]+)",
    re.IGNORECASE,
)
_BADGE_TARGET_RE = re.compile(r"\[!\[[^\]]*\]\([^)]*\)\]\(\s*(https?://[^)\s]+)")
_CODE_RE = re.compile(r"^ {0,3}```.*?^ {0,3}```", re.MULTILINE | re.DOTALL)
_COMMENT_RE = re.compile(r"<!--.*?-->", re.DOTALL)
_ARXIV_RE = re.compile(
    r"arxiv\.org/(?:abs|pdf)/+(\d{4}\.\d{4,5}|[a-z.-]+/\d{7})", re.IGNORECASE
)
_GITHUB_RE = re.compile(r"^https?://(?:www\.)?github\.com/+([\w.-]+)/([\w.-]+)", re.I)


def corpus_paths() -> list[Path]:
    """Every corpus list; skips (fails under CI=true) when the corpus is absent."""
    if not CORPUS_DIR.is_dir():
        message = f"corpus not found at {CORPUS_DIR} (set DLR_CORPUS_DIR)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return sorted(p for p in CORPUS_DIR.glob("*.md") if p.name != "FORMATS.md")


def linked_ids(text: str, own: str | None = None) -> tuple[set[str], set[str]]:
    """arXiv ids and GitHub repositories the raw text links to (not images,
    badges, comments or code blocks, nor ``own``, the list's own repository:
    decoration under rule 13): what an importer must not lose."""
    text = _CODE_RE.sub("", _COMMENT_RE.sub("", text))
    skip = {m[1] or m[2] for m in _IMAGE_RE.finditer(text)}
    skip |= {m[1] for m in _BADGE_TARGET_RE.finditer(text)}
    arxiv, github = set(), set()
    for url in _URL_RE.findall(text):
        if url in skip:
            continue
        if match := _ARXIV_RE.search(url):
            arxiv.add(match[1])
        if match := _GITHUB_RE.match(url):
            name = match[2].removesuffix(".git")
            github.add(f"github.com/{match[1]}/{name}".lower())
    github.discard(own)
    return arxiv, github
