"""The citation formats, by the file extension their URLs end with."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice

from django.utils.translation import gettext_lazy as _

from catalog.citations import bibtex, csl, ris
from catalog.citations.records import Citation

# Entries written at once when streaming: one writer call per chunk.
CHUNK = 100


@dataclass(frozen=True)
class Format:
    """A citation format: its media type and how it writes citations."""

    extension: str
    label: str
    media_type: str
    chunks: Callable[[Iterable[Citation]], Iterator[str]]

    @property
    def content_type(self) -> str:
        return f"{self.media_type}; charset=utf-8"

    def document(self, citations: Iterable[Citation]) -> str:
        return "".join(self.chunks(citations))


def _batched(items: Iterable, size: int) -> Iterator[list]:
    """``items`` in lists of ``size`` (itertools.batched, Python 3.12)."""
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _entries(write: Callable[[list[Citation]], str], separator: str = ""):
    """Chunks of a format whose entries simply follow one another."""

    def chunks(citations: Iterable[Citation]) -> Iterator[str]:
        for i, batch in enumerate(_batched(citations, CHUNK)):
            yield (separator if i else "") + write(batch)

    return chunks


def _csl_chunks(citations: Iterable[Citation]) -> Iterator[str]:
    """A JSON array, an item at a time."""
    yield "["
    for i, citation in enumerate(citations):
        yield ("," if i else "") + "\n" + csl.dumps(citation)
    yield "\n]\n"


BIBTEX = Format(
    "bib", _("BibTeX"), "application/x-bibtex", _entries(bibtex.write, "\n")
)
RIS = Format(
    "ris", _("RIS"), "application/x-research-info-systems", _entries(ris.write)
)
CSL_JSON = Format(
    "json", _("CSL-JSON"), "application/vnd.citationstyles.csl+json", _csl_chunks
)
FORMATS = {fmt.extension: fmt for fmt in (BIBTEX, RIS, CSL_JSON)}
