"""The API's JSON: the export's keys (``key``, topic paths, URLs), never a
database id alone, plus links to each entry's API and HTML pages."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.fields import get_attribute

from catalog.models import Framework
from catalog.routes import url_for


class TextOrNull(serializers.CharField):
    """A text column the export writes as null when blank."""

    def __init__(self, **kwargs):
        super().__init__(allow_null=True, **kwargs)

    def to_representation(self, value):
        return value or None


class UrlOrNull(serializers.URLField):
    """A URL column the export writes as null when blank."""

    def __init__(self, **kwargs):
        super().__init__(allow_null=True, **kwargs)

    def to_representation(self, value):
        return value or None


def absolute(context: dict, path: str) -> str:
    """``path`` as an absolute URL of the context's request, if any. A page
    of results holds some 180 URLs: the request's origin is read once into
    the context (which a serializer shares with those it nests)."""
    request = context.get("request")
    if request is None:
        return path
    if not path.startswith("/") or path.startswith("//"):
        return request.build_absolute_uri(path)
    if "_origin" not in context:
        context["_origin"] = request.build_absolute_uri("/")[:-1]
    return context["_origin"] + path


class Linked(serializers.Serializer):
    """An entry with its API URL (``api_name``, looked up by ``api_lookup``)
    and, when it has one, its HTML page."""

    api_name = ""
    api_lookup = "key"

    api_url = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.URI)
    def get_api_url(self, obj) -> str:
        lookup = get_attribute(obj, [self.api_lookup])  # an object or a dict
        return absolute(self.context, url_for(f"api:{self.api_name}", lookup))


class HtmlLinked(Linked):
    html_url = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.URI)
    def get_html_url(self, obj) -> str:
        return absolute(self.context, obj.get_absolute_url())


class Paths(serializers.ListField):
    """Topic paths of a row's ``topic_list`` (attached by ``Related``)."""

    def __init__(self, **kwargs):
        super().__init__(child=serializers.CharField(), source="topic_list", **kwargs)

    def to_representation(self, data):
        return sorted(topic.path for topic in data)


class SourceSerializer(serializers.Serializer):
    """Provenance: a list and line that wrote the entry."""

    list = serializers.CharField(source="reading_list.path")
    line = serializers.IntegerField()
    topic = serializers.CharField(source="topic.path", allow_null=True, default=None)


class PaperSerializer(HtmlLinked):
    api_name = "paper-detail"

    key = serializers.CharField()
    title = serializers.CharField()
    short_name = TextOrNull()
    url = UrlOrNull(help_text="None for a paper a list cites with no link.")
    year = serializers.IntegerField(allow_null=True)
    date = serializers.DateField(allow_null=True)
    venue = TextOrNull()
    venue_year = serializers.IntegerField(allow_null=True)
    organisation = TextOrNull()
    topics = Paths()
    repositories = serializers.SerializerMethodField()
    notes = TextOrNull()
    alt_urls = serializers.ListField(child=serializers.URLField())
    arxiv_id = serializers.CharField(allow_null=True)
    curated_fields = serializers.ListField(child=serializers.CharField())

    def get_repositories(self, obj) -> list[str]:
        return sorted(r.key for r in obj.code)


def papers_data(papers, context: dict) -> list[dict]:
    """What ``PaperSerializer(papers, many=True)`` gives, written directly: a
    page of 25 papers took DRF's fields some 2 ms (tests compare both)."""
    return [
        {
            "api_url": absolute(context, url_for("api:paper-detail", paper.key)),
            "html_url": absolute(context, paper.get_absolute_url()),
            "key": paper.key,
            "title": paper.title,
            "short_name": paper.short_name or None,
            "url": paper.url or None,
            "year": paper.year,
            "date": paper.date.isoformat() if paper.date else None,
            "venue": paper.venue or None,
            "venue_year": paper.venue_year,
            "organisation": paper.organisation or None,
            "topics": sorted(topic.path for topic in paper.topic_list),
            "repositories": sorted(r.key for r in paper.code),
            "notes": paper.notes or None,
            "alt_urls": list(paper.alt_urls),
            "arxiv_id": paper.arxiv_id,
            "curated_fields": list(paper.curated_fields),
        }
        for paper in papers
    ]


class CodeSerializer(Linked):
    api_name = "repository-detail"

    key = serializers.CharField()
    url = serializers.URLField()
    framework = serializers.SerializerMethodField()

    def get_framework(self, obj) -> str | None:
        return None if obj.framework == Framework.UNKNOWN else obj.framework


class TranslationSerializer(serializers.Serializer):
    url = serializers.URLField()
    title = TextOrNull()
    language = serializers.CharField()


class OtherLinkSerializer(serializers.Serializer):
    url = serializers.URLField()
    title = TextOrNull()
    kind = serializers.CharField()


class PaperDetailSerializer(PaperSerializer):
    code = CodeSerializer(many=True)
    translations = TranslationSerializer(many=True, source="translation_list")
    others = OtherLinkSerializer(many=True, source="link_list")
    sources = SourceSerializer(many=True, source="source_list")


class PaperRefSerializer(Linked):
    api_name = "paper-detail"

    key = serializers.CharField()
    title = serializers.CharField()
    year = serializers.IntegerField(allow_null=True)


class RepositorySerializer(HtmlLinked, CodeSerializer):
    topics = Paths()
    papers = serializers.SerializerMethodField()

    def get_papers(self, obj) -> list[str]:
        return sorted(p.key for p in obj.paper_list)


class RepositoryDetailSerializer(RepositorySerializer):
    host = serializers.CharField()
    owner = serializers.CharField()
    name = serializers.CharField()
    paper_details = PaperRefSerializer(many=True, source="paper_list")
    sources = SourceSerializer(many=True, source="source_list")


class LinkSerializer(Linked):
    api_name = "link-detail"
    api_lookup = "pk"

    url = serializers.URLField()
    title = TextOrNull()
    kind = serializers.CharField()
    topics = Paths()
    paper = serializers.CharField(source="paper.key", allow_null=True, default=None)


class LinkDetailSerializer(LinkSerializer):
    sources = SourceSerializer(many=True, source="source_list")


class TopicSerializer(Linked):
    api_name = "topic-detail"
    api_lookup = "slug"

    path = serializers.CharField()
    name = serializers.CharField()
    slug = serializers.CharField()
    depth = serializers.IntegerField()
    parent = serializers.CharField(allow_null=True)
    papers = serializers.IntegerField(help_text="Papers in it or a topic below.")


class TopicDetailSerializer(TopicSerializer):
    description = TextOrNull()
    ancestors = serializers.ListField(child=serializers.CharField())
    children = TopicSerializer(many=True)
    papers_url = serializers.URLField()


class VenueSerializer(Linked):
    api_name = "venue-detail"
    api_lookup = "venue"

    venue = serializers.CharField()
    papers = serializers.IntegerField()


class YearCountSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    papers = serializers.IntegerField()


class VenueDetailSerializer(VenueSerializer):
    years = YearCountSerializer(many=True)
    papers_url = serializers.URLField()


class OptionSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    selected = serializers.BooleanField()
    url = serializers.SerializerMethodField()
    depth = serializers.IntegerField()

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, obj) -> str:
        """This list with the option toggled."""
        return absolute(self.context, obj.url)


class FacetSerializer(serializers.Serializer):
    """A facet's counts, as the browse page shows them (``facets_data``
    writes them; this declares them for the schema)."""

    name = serializers.CharField()
    label = serializers.CharField()
    options = OptionSerializer(many=True)
    more = serializers.IntegerField(help_text="Options left out (smaller topics).")


def facets_data(facets, context: dict) -> list[dict]:
    """What ``FacetSerializer(facets, many=True)`` gives, written directly: a
    page's 130-odd options took DRF's fields some 2 ms (tests compare both)."""
    return [
        {
            "name": str(facet.name),
            "label": str(facet.label),
            "options": [
                {
                    "value": str(option.value),
                    "label": str(option.label),
                    "count": int(option.count),
                    "selected": bool(option.selected),
                    "url": absolute(context, option.url),
                    "depth": int(option.depth),
                }
                for option in facet.options
            ],
            "more": int(facet.more),
        }
        for facet in facets
    ]


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()), required=False
    )


def page_serializer(item: type[serializers.Serializer]) -> type:
    """The serializer of one page of ``item`` rows, with the selection's
    facet counts."""
    return type(
        f"{item.__name__.removesuffix('Serializer')}PageSerializer",
        (serializers.Serializer,),
        {
            "count": serializers.IntegerField(),
            "page": serializers.IntegerField(),
            "pages": serializers.IntegerField(),
            "next": serializers.URLField(allow_null=True),
            "previous": serializers.URLField(allow_null=True),
            "query": serializers.CharField(allow_null=True),
            "corrected_query": serializers.CharField(
                allow_null=True, help_text="The query searched when q found nothing."
            ),
            "facets": FacetSerializer(many=True),
            "results": item(many=True),
        },
    )
