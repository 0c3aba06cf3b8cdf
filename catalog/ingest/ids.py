"""Batches and id sets of an import: its memory stays flat in a list's length."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice

from pyroaring import BitMap64

# Entries written per statement (and per progress step).
BATCH = 5000

# Ids are bigint primary keys: a compressed bitmap holds them in a few bytes
# each, where a set of ints costs some 60 bytes an id.
IdSet = BitMap64


def batched(items: Iterable, size: int) -> Iterator[list]:
    """Lists of ``size`` items (the last one shorter), from any iterable."""
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def chunks(items: Iterable) -> Iterator[list]:
    """``items`` in lists of BATCH (read at call time: tests lower it)."""
    return batched(items, BATCH)
