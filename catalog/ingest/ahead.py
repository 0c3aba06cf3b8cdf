"""Lists read and parsed in order, later ones parsed by a worker process
while the current one is written, so that both cores work (the README gives
what it saves). A run whose later lists are small (AHEAD_BYTES) parses in
turn: starting a worker costs about 0.3 s.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from catalog.ingest import parsing
from catalog.ingest.parsing import ParsedList, ParseError
from catalog.ingest.reading import ReadList, read_list

# Bytes of lists after the first worth a worker's start.
AHEAD_BYTES = 256 * 1024
# Bytes of list files the worker may parse ahead of the writer (always at
# least the next list): lists differ in size, and a worker held to one list
# ahead waits whenever a small list is written after a large one is parsed.
AHEAD_LIMIT = 8 * 1024 * 1024
# Seconds between two looks, in a worker, at whether its importer is alive.
PARENT_POLL = 0.2


@dataclass
class Parsed:
    """One list of the run: read and parsed, or the error that stopped it."""

    path: str | Path
    read: ReadList | None = None
    parsed: ParsedList | None = None
    error: ParseError | None = None


def parsed_lists(paths: list, *, stdin=None) -> Iterator[Parsed]:
    """Each path's list, in order. Past AHEAD_BYTES of later lists, a worker
    parses the next lists (up to AHEAD_LIMIT bytes of them) while the caller
    writes the current one."""
    with ExitStack() as stack:
        pool = None
        if len(paths) > 1 and sum(map(_size, paths[1:])) >= AHEAD_BYTES:
            pool = stack.enter_context(_worker())
        window = _Window(paths, pool, stdin)
        for index, path in enumerate(paths):
            current = window.popleft() if window else _start(path, None, stdin)
            window.fill(after=index)
            yield _finish(*current)


class _Window(deque):
    """The lists handed to the worker and not yet written, in order."""

    def __init__(self, paths: list, pool, stdin):
        super().__init__()
        self.paths = paths
        self.pool = pool
        self.stdin = stdin
        self.bytes = 0
        self.next = 1

    def popleft(self) -> tuple[Parsed, Future | None]:
        item = super().popleft()
        self.bytes -= _size(item[0].path)
        return item

    def fill(self, *, after: int) -> None:
        if self.pool is None:
            return
        self.next = max(self.next, after + 1)
        while self.next < len(self.paths) and (
            not self or self.bytes + _size(self.paths[self.next]) <= AHEAD_LIMIT
        ):
            path = self.paths[self.next]
            self.append(_start(path, self.pool, self.stdin))
            self.bytes += _size(path)
            self.next += 1


def _start(path, pool, stdin) -> tuple[Parsed, Future | None]:
    """Read ``path`` here and parse it, in the worker if there is one."""
    item = Parsed(path)
    try:
        item.read = read_list(path, stdin=stdin)
    except ParseError as exc:
        item.error = exc
        return item, None
    if pool is None:
        return item, None
    try:
        return item, pool.submit(_parse, item.read)
    except BrokenProcessPool:  # the worker died: parse here
        return item, None


def _finish(item: Parsed, future: Future | None) -> Parsed:
    if item.error is not None:
        return item
    try:
        if future is not None:
            try:
                item.parsed = future.result()
                return item
            except BrokenProcessPool:  # killed or out of memory: parse here
                pass
        item.parsed = _parse(item.read)
    except ParseError as exc:
        item.error = exc
    return item


def _parse(read: ReadList) -> ParsedList:
    return parsing.parse_list_file(read.source, name=read.name)


def _size(path) -> int:
    try:
        return 0 if path == "-" else Path(path).stat().st_size
    except OSError:
        return 0  # read_list reports it


def _worker() -> ProcessPoolExecutor:
    # spawn: a fork would copy the importer's connections and threads.
    return ProcessPoolExecutor(
        max_workers=1,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=exit_with_parent,
        initargs=(os.getpid(),),
    )


def exit_with_parent(parent: int) -> None:
    """Exit the worker once ``parent`` is gone: a killed importer cannot shut
    its pool down, and its worker would wait for work for ever."""
    threading.Thread(
        target=_watch_parent, args=(parent,), name="exit-with-parent", daemon=True
    ).start()


def _watch_parent(parent: int) -> None:
    # An orphan is adopted by another process: its parent id changes.
    while os.getppid() == parent:
        time.sleep(PARENT_POLL)
    os._exit(1)
