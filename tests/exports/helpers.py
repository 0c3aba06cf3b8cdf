"""Dumps, and emptying the catalog between an export and a restore."""

import json
from io import StringIO
from pathlib import Path

from django.contrib.redirects.models import Redirect
from django.core.management import call_command

from catalog.models import (
    Alias,
    ImportConflict,
    Link,
    Paper,
    PaperMerge,
    PaperSearch,
    PaperTitle,
    ReadingList,
    Repository,
    SearchPostedTerm,
    SearchPosting,
    Source,
    Topic,
    Translation,
)


def dump_text() -> str:
    out = StringIO()
    call_command("export_catalog", "--format", "json", stdout=out)
    return out.getvalue()


def dump_to(path: Path) -> str:
    text = dump_text()
    path.write_text(text, encoding="utf-8")
    return text


def catalog_of(text: str) -> dict:
    return json.loads(text)


def empty_catalog() -> None:
    """Every row an import or an editor writes, gone, as in a new database
    (one DELETE per table: no signal per row)."""
    for model in (
        Source,
        SearchPosting,
        SearchPostedTerm,
        PaperSearch,
        PaperTitle,
        PaperMerge,
        Paper.topics.through,
        Repository.papers.through,
        Repository.topics.through,
        Link.topics.through,
        ImportConflict,
        Alias,
        Redirect,
        Link,
        Translation,
        Repository,
        Paper,
        Topic,
        ReadingList,
    ):
        rows = model.objects.all()
        rows._raw_delete(rows.db)
