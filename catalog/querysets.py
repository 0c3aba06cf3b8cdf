from django.db import models


class PaperQuerySet(models.QuerySet):
    def search(self, q):
        """Papers matching the full-text query ``q``, best first.

        Annotated with ``search_rank`` (higher is better) and ordered by it,
        then id; still an ordinary queryset. See ``catalog.search``.
        """
        from catalog.search import search

        return search(self, q)
