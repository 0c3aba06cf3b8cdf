from django.db import models


class PaperQuerySet(models.QuerySet):
    def with_related(self):
        """Papers with what list and detail pages show, in a fixed number of queries."""
        return self.prefetch_related("topics", "repositories", "translations")
