"""What the markdown round trip keeps: two dumps compared field by field.

Compared: the topics (paths, names, parents, descriptions and order), the
reading lists (paths and titles), and every paper, repository, translation
and other link with every field the export gives. Not compared, because a
list cannot say them: ids, provenance lines (the markdown has lines of its
own), when a row was added, which fields editors curated (the markdown
carries the curated values; an import never curates), conflicts, aliases
and redirects (``import_catalog`` restores those). A paper's alternate URLs
are compared without its own URL: a paper whose URL one list gave and
another list wrote as an alternate holds it in both places, and one entry
cannot write a link twice.
"""

KEYS = {"papers": "key", "repositories": "key", "translations": "url", "others": "url"}
NOT_SAID_BY_A_LIST = {"id", "sources", "created", "curated_fields"}
TOPIC_FIELDS = ("name", "parent", "description", "order")


def differences(before: dict, after: dict, *, topic_order: bool = True) -> list[str]:
    """Readable differences between the catalog of two dumps."""
    found = []
    lists = [(rl["path"], rl["title"]) for rl in before["lists"]]
    if lists != [(rl["path"], rl["title"]) for rl in after["lists"]]:
        found.append("reading lists differ")
    found += _topics(before, after, topic_order)
    for kind, key in KEYS.items():
        old = {r[key]: r for r in before[kind]}
        new = {r[key]: r for r in after[kind]}
        found += [f"{kind} missing: {k}" for k in sorted(old.keys() - new.keys())]
        found += [f"{kind} extra: {k}" for k in sorted(new.keys() - old.keys())]
        for k in sorted(old.keys() & new.keys()):
            for name in old[k].keys() - NOT_SAID_BY_A_LIST:
                was, now = _value(old[k], name), _value(new[k], name)
                if was != now:
                    found.append(f"{kind} {k} {name}: {was!r} -> {now!r}")
    return found


def _value(record: dict, name: str):
    value = record.get(name)
    if name == "alt_urls":
        return sorted(set(value or ()) - {record["url"]})
    return sorted(value) if isinstance(value, list) else value


def _topics(before: dict, after: dict, topic_order: bool) -> list[str]:
    old = {t["path"]: t for t in before["topic_details"]}
    new = {t["path"]: t for t in after["topic_details"]}
    found = [f"topic missing: {p}" for p in sorted(old.keys() - new.keys())]
    found += [f"topic extra: {p}" for p in sorted(new.keys() - old.keys())]
    fields = TOPIC_FIELDS if topic_order else TOPIC_FIELDS[:-1]
    for path in sorted(old.keys() & new.keys()):
        found += [
            f"topic {path} {name}: {old[path][name]!r} -> {new[path][name]!r}"
            for name in fields
            if old[path][name] != new[path][name]
        ]
    if not topic_order:
        found += [
            f"topics under {parent!r} in another order"
            for parent in {t["parent"] for t in old.values()}
            if _siblings(old, parent) != _siblings(new, parent)
        ]
    return found


def _siblings(topics: dict, parent) -> list[str]:
    under = [t for t in topics.values() if t["parent"] == parent]
    return [t["path"] for t in sorted(under, key=lambda t: (t["order"], t["path"]))]
