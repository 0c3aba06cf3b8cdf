"""The topics step of an import: parents before children, each topic's slug
kept unique across paths."""

from __future__ import annotations

import hashlib

from catalog.ingest import specs
from catalog.ingest.ids import chunks
from catalog.ingest.provenance import Provenance
from catalog.ingest.specs import ImportState, TopicRow, join
from catalog.ingest.upsert import Upserter
from catalog.models import Topic


class TopicStep:
    """Upserts a list's topics level by level."""

    def __init__(self, upserter: Upserter, provenance: Provenance, state: ImportState):
        self.upserter = upserter
        self.provenance = provenance
        self.state = state
        self.using = provenance.using

    def run(self, topics) -> None:
        entries = list(topics)
        # Parents first, so every child can point at its parent's id.
        by_depth: dict[int, list[TopicRow]] = {}
        for order, entry in enumerate(entries):
            by_depth.setdefault(len(entry.path), []).append(TopicRow(entry, order))
        paths = [join(e.path) for e in entries]
        # Every level's rows and slugs are read at once, unless a topic alias
        # or a path written at two depths (a name holding " > ") could make
        # what one level writes change what the next level reads.
        rows = taken = None
        existing = self.upserter.existing
        if len(set(paths)) == len(paths) and "topic" not in existing.alias_kinds():
            rows = existing.rows_by(Topic, "path", paths)
            taken = self._slug_owners([Topic.slug_for_path(p) for p in paths])
        for depth in sorted(by_depth):
            self._topic_level(by_depth[depth], rows, taken)
        self.provenance.add(
            "topic", ((self.state.topic_ids[join(e.path)], e.line) for e in entries)
        )

    def _topic_level(self, level: list[TopicRow], rows, taken) -> None:
        """Upsert the topics of one depth; ``rows`` and ``taken`` are the rows
        and slug owners read beforehand, or None to read them per level."""
        self._ensure_unique_slugs(level, taken)
        if rows is not None:
            rows = {r.path: rows[r.path] for r in level if r.path in rows}
        upserted = self.upserter.upsert(specs.TOPICS, level, rows=rows)
        self.state.topics.update(upserted.written)
        self.state.topic_ids.update(upserted.ids)
        if taken is not None:
            # The slugs this level wrote are taken for the next levels.
            for pk in upserted.ids.values():
                written = upserted.written[pk]
                taken[written.slug] = written.path

    def _slug_owners(self, slugs: list[str]) -> dict[str, str]:
        """{slug: path} of the topics that hold these slugs."""
        owners = {}
        for chunk in chunks(slugs):
            owners.update(
                Topic.objects.using(self.using)
                .filter(slug__in=chunk)
                .values_list("slug", "path")
            )
        return owners

    def _ensure_unique_slugs(self, rows, taken: dict[str, str] | None) -> None:
        """Suffix the slug of a new topic whose slug another path holds;
        ``taken`` gives the holders, read beforehand, or None to read them."""
        if taken is None:
            taken = self._slug_owners(list({r.slug for r in rows}))
        for row in rows:
            owner = taken.get(row.slug)
            if owner is not None and owner != row.path:
                row.slug_suffix = "-" + hashlib.sha1(row.path.encode()).hexdigest()[:6]
