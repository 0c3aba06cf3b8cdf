"""Papers a test makes by title, each with a key and URL of its own."""

from itertools import count

from catalog.models import Paper

_numbers = count(1)


def make_paper(title, **fields):
    n = next(_numbers)
    fields.setdefault("key", f"url:example.org/paper/{n}")
    fields.setdefault("url", f"https://example.org/paper/{n}")
    return Paper.objects.create(title=title, **fields)
