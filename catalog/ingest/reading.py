"""Reading a list: the paths given (files, folders walked, - for standard
input) and each list's bytes, checked before any parsing.

A list is a regular file or standard input, read once and at most
IMPORT_MAX_BYTES of it: a FIFO, a device or a socket is refused before it is
read, a stream that never ends is cut one byte past the limit.
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from django.conf import settings

from catalog.ingest import parsing
from catalog.ingest.parsing import ListFile, ParseError

LIST_SUFFIXES = {".md", ".markdown", ".txt"}


@dataclass(frozen=True)
class ReadList:
    """One list's bytes, checked: its name (the file name, or <stdin>), the
    source the parser takes and its sha256."""

    name: str
    source: ListFile
    sha256: str


def iter_list_paths(paths: Iterable[str | Path]) -> Iterator[str | Path]:
    """Files as given, directories walked recursively for lists, "-" for
    stdin. A directory holding no list is given as is: read_list refuses it."""
    for raw in paths:
        if str(raw) == "-":
            yield "-"
            continue
        path = Path(raw)
        if path.is_dir():
            lists = sorted(
                p
                for p in path.rglob("*")
                if p.is_file() and p.suffix.lower() in LIST_SUFFIXES
            )
            yield from lists or [path]
        else:
            yield path


def read_list(path: str | Path, *, stdin=None) -> ReadList:
    """The name, checked bytes and sha256 of one list: a regular file or,
    for "-", standard input, read once and at most IMPORT_MAX_BYTES of it;
    ParseError names the file."""
    limit = settings.IMPORT_MAX_BYTES
    if path == "-":
        stream = stdin if stdin is not None else sys.stdin
        stream = getattr(stream, "buffer", stream)
        data = _read_at_most(stream.read, limit, name="-")
        name = "<stdin>"
    else:
        data = _read_file(path, limit)
        name = _list_name(Path(path))
    source = parsing.check_list_bytes(data, path=str(path))
    return ReadList(name=name, source=source, sha256=source.sha256)


def _read_file(path: str | Path, limit: int) -> bytes:
    try:
        # Non-blocking: opening a FIFO would wait for a writer.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        try:
            mode = os.fstat(fd).st_mode
            if not stat.S_ISREG(mode):
                raise ParseError(_not_a_file(mode), name=str(path))
            os.set_blocking(fd, True)
            return _read_at_most(partial(os.read, fd), limit, name=str(path))
        finally:
            os.close(fd)
    except OSError as exc:
        raise ParseError(
            f"cannot read file: {exc.strerror or exc}", name=str(path)
        ) from exc


_NOT_FILES = (
    (stat.S_ISFIFO, "a FIFO or pipe"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _not_a_file(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory holding no lists (.md, .markdown or .txt files)"
    kind = next((kind for test, kind in _NOT_FILES if test(mode)), "not a file")
    return f"not a regular file ({kind}); give a file, or - for standard input"


def _read_at_most(read, limit: int, *, name: str) -> bytes:
    """All that ``read(size)`` gives, in blocks; ParseError once it passes
    ``limit`` bytes, having read at most one byte more (a stream may never
    end)."""
    blocks = []
    size = 0
    while size <= limit:
        block = read(min(parsing.READ_BLOCK, limit + 1 - size))
        if not block:
            break
        if isinstance(block, str):  # a text stream given as stdin
            block = block.encode("utf-8")
        blocks.append(block)
        size += len(block)
    if size > limit:
        raise ParseError(f"file is larger than the limit of {limit} bytes", name=name)
    return b"".join(blocks)


def _list_name(path: Path) -> str:
    # Lists are known by their file name, so a list moved between folders or
    # imported from another checkout keeps its provenance.
    return path.name
