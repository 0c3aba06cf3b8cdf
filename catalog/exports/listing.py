"""The markdown export of the database: the dump's records, selected by list
and topic, written by the pure ``catalog.exports.markdown``."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import TextIO

from catalog.exports import dump, markdown


class UnknownSelection(ValueError):
    """No reading list or topic goes by the name asked for."""


@dataclass
class _Loaded:
    catalog: markdown.Catalog
    titles: dict[str, str | None]  # reading list path: title


def _load(using: str) -> _Loaded:
    """Every record, held in memory while lists are written (their topics
    and entries are sorted): a few hundred bytes each."""
    with dump.snapshot(using):
        sections = dict(dump.sections(using))
        titles = {rl["path"]: rl["title"] for rl in sections["lists"]}
        catalog = markdown.Catalog(
            title=sections["title"],
            topics=list(sections["topic_details"]),
            papers=list(sections["papers"]),
            repositories=list(sections["repositories"]),
            translations=list(sections["translations"]),
            others=list(sections["others"]),
            merges=list(sections["paper_merges"]),
        )
    return _Loaded(catalog, titles)


def write_list(
    out: TextIO,
    *,
    list_name: str | None = None,
    topic_slug: str | None = None,
    using: str = "default",
) -> None:
    """Write the catalog (or one list's entries, or one topic's) as markdown."""
    loaded = _load(using)
    catalog = loaded.catalog
    if list_name is not None and list_name not in loaded.titles:
        known = ", ".join(sorted(loaded.titles)) or "none"
        raise UnknownSelection(f"no reading list {list_name!r} (known: {known})")
    topic = None
    if topic_slug is not None:
        slugs = {t["slug"]: t["path"] for t in catalog.topics}
        topic = slugs.get(topic_slug)
        if topic is None:
            raise UnknownSelection(f"no topic with the slug {topic_slug!r}")
    if list_name is not None or topic is not None:
        catalog = markdown.select(catalog, list_name=list_name, topic=topic)
    if list_name is not None:
        catalog = replace(catalog, title=loaded.titles[list_name])
    markdown.write_markdown(catalog, out)


def write_every_list(directory: Path, *, using: str = "default") -> list[Path]:
    """Each reading list's entries as markdown, in ``directory`` under the
    list's own file name; returns the files written."""
    loaded = _load(using)
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, title in loaded.titles.items():
        selected = markdown.select(loaded.catalog, list_name=name)
        path = directory / Path(name).name
        with path.open("w", encoding="utf-8") as out:
            markdown.write_markdown(replace(selected, title=title), out)
        written.append(path)
    return written
