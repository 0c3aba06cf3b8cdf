"""Property: the catalog the corpus lists make does not depend on the order
they are imported in (titles, years, venues, URLs, topics, notes, code...)."""

import io
import json
import random

import pytest
from django.core.management import call_command

from catalog.models import Link, Paper, ReadingList, Repository, Topic
from tests.corpus import corpus_paths


def import_and_export(paths) -> dict:
    call_command("import_lists", *map(str, paths), verbosity=0)
    out = io.StringIO()
    call_command("export_catalog", "--format", "json", stdout=out)
    for model in (Link, Repository, Paper, Topic, ReadingList):
        model.objects.all().delete()
    return json.loads(out.getvalue())


def differences(expected: dict, actual: dict) -> list[str]:
    """Records that differ, by kind and key, with the fields that differ."""
    found = []
    for kind in ("papers", "repositories", "others", "translations"):
        field = "key" if kind in ("papers", "repositories") else "url"
        mine = {r[field]: r for r in expected[kind]}
        theirs = {r[field]: r for r in actual[kind]}
        found += [f"{kind}: {k} only in one" for k in mine.keys() ^ theirs.keys()]
        for key in mine.keys() & theirs.keys():
            changed = sorted(f for f in mine[key] if mine[key][f] != theirs[key][f])
            if changed:
                found.append(f"{kind} {key}: {changed}")
    if expected["topics"] != actual["topics"]:
        found.append("topics differ")
    return found


@pytest.mark.django_db(transaction=False)
def test_the_corpus_imported_in_shuffled_orders_exports_the_same_catalog():
    paths = corpus_paths()
    shuffled = list(paths)
    random.Random(15).shuffle(shuffled)
    orders = [list(reversed(paths)), shuffled]

    expected = import_and_export(paths)

    for order in orders:
        actual = import_and_export(order)
        assert actual == expected, "\n".join(differences(expected, actual)[:20])
