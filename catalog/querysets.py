from django.db import models

from catalog.fulltext import search as full_text_search


class PaperQuerySet(models.QuerySet):
    def search(self, q):
        """Papers matching the full-text query ``q``, best first.

        Annotated with ``search_rank`` (higher is better) and ordered by it,
        then id; still an ordinary queryset. See ``catalog.fulltext``.
        """
        return full_text_search(self, q)
