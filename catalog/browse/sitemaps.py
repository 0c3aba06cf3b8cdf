from django.contrib.sitemaps import Sitemap

from catalog.models import Paper, Repository, Topic


class PaperSitemap(Sitemap):
    changefreq = "weekly"
    limit = 5000

    def items(self):
        return Paper.objects.only("id", "title", "updated").order_by("id")

    def lastmod(self, paper):
        return paper.updated


class TopicSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return Topic.objects.only("id", "slug").order_by("path")


class RepositorySitemap(Sitemap):
    changefreq = "monthly"
    limit = 5000

    def items(self):
        return Repository.objects.only("id", "owner", "name", "updated").order_by("id")

    def lastmod(self, repository):
        return repository.updated


SITEMAPS = {
    "papers": PaperSitemap,
    "topics": TopicSitemap,
    "repositories": RepositorySitemap,
}
