"""The read-only API: the browse pages' selections and facets as JSON, the
export's keys, conditional GET, throttling, CORS and the documentation."""

import datetime
import json
import re
from functools import partial

import pytest
from django.core.management import call_command
from django.urls import reverse

from catalog.api.rows import API_PAPER_RELATED
from catalog.api.serializers import (
    FacetSerializer,
    PaperSerializer,
    facets_data,
    papers_data,
)
from catalog.browse import listing
from catalog.browse import matches as held_matches
from catalog.browse.params import Params
from catalog.browse.rows import with_related
from catalog.browse.topics import topic_tree
from catalog.exporters import export_catalog
from catalog.models import Alias, AliasKind, Paper, Translation
from catalog.search import expansion
from tests.golden import LIST_DIR

PAPERS = reverse("api:paper-list")
# The export's fields of a paper, a repository and another link.
PAPER_FIELDS = (
    "key", "title", "short_name", "url", "year", "date", "venue", "venue_year",
    "organisation", "topics", "repositories", "notes", "alt_urls", "arxiv_id",
    "curated_fields",
)  # fmt: skip
REPOSITORY_FIELDS = ("key", "url", "framework", "topics", "papers")
LINK_FIELDS = ("url", "title", "kind", "topics", "paper")


@pytest.fixture(autouse=True)
def _unthrottled(settings):
    """The throttle off, but in the tests of it: a test sends many requests."""
    settings.API_THROTTLE_RATE = None


@pytest.fixture
def seeds(db):
    call_command("import_lists", str(LIST_DIR), verbosity=0)


def html_facets(response) -> dict:
    return {
        f.name: [(o.value, o.count, o.selected) for o in f.options]
        for f in response.context["facets"]
    }


def api_facets(data) -> dict:
    return {
        f["name"]: [(o["value"], o["count"], o["selected"]) for o in f["options"]]
        for f in data["facets"]
    }


SELECTIONS = [
    ("papers", {}),
    ("papers", {"q": "dropout"}),
    ("papers", {"q": "网络"}),
    ("papers", {"venue": ["ICML", "NeurIPS"], "year": "2015-"}),
    ("papers", {"topic": "deep-learning", "has_code": "true", "sort": "title"}),
    ("papers", {"q": "regularizing", "sort": "oldest", "page": "1"}),
    ("papers", {"framework": "keras", "bogus": "ignored"}),
    ("repositories", {"framework": "keras"}),
    ("repositories", {"q": "keras"}),
    ("links", {"kind": "article", "page": "2"}),
    ("links", {"topic": "deep-learning-cnn"}),
]


class ListTests:
    @pytest.mark.parametrize(("kind", "params"), SELECTIONS)
    def test_a_list_holds_the_browse_pages_results_and_facet_counts(
        self, client, seeds, kind, params
    ):
        page = client.get(
            reverse(f"catalog:{kind[:-1]}-list".replace("repositorie", "repository")),
            params,
        )
        api = client.get(
            reverse(f"api:{kind[:-1]}-list".replace("repositorie", "repository")),
            params,
        )

        assert page.status_code == api.status_code == 200
        data = api.json()
        assert api_facets(data) == html_facets(page)
        assert data["count"] == page.context["paginator"].count
        rows = page.context["page_obj"].object_list
        html_keys = [getattr(row, "key", None) or row.url for row in rows]
        api_keys = [item.get("key") or item["url"] for item in data["results"]]
        assert api_keys == html_keys
        assert data["count"] > 0

    @pytest.mark.parametrize(("kind", "params"), SELECTIONS)
    def test_facets_are_written_as_their_serializer_declares_them(
        self, rf, seeds, kind, params
    ):
        """The facets, written without DRF's fields for speed, are what the
        schema's FacetSerializer gives: same keys, types and absolute URLs."""
        request = rf.get("/api/", params, secure=True)
        found = listing.results(
            request,
            listing.KINDS[kind],
            listing.KINDS[kind].queryset(),
            Params(request.GET, "/papers/"),
            partial(listing.KINDS[kind].facets, page=None),
        )
        facets = found.faceted.facets

        declared = FacetSerializer(facets, many=True, context={"request": request})
        written = facets_data(facets, {"request": request})
        assert json.dumps(written) == json.dumps(declared.data)
        assert written[0]["options"][0]["url"].startswith("https://testserver/")

    def test_papers_are_written_as_their_serializer_declares_them(self, rf, seeds):
        """The papers of a list, written without DRF's fields for speed, are
        what the schema's PaperSerializer gives, blanks and dates included."""
        cited = Paper.objects.create(
            key="title:a cited paper", title="A cited paper", url="", year=2001
        )
        cited.date = datetime.date(2001, 5, 4)
        cited.short_name = "ACP"
        cited.save()  # an editor's edit: curated fields
        request = rf.get(PAPERS, secure=True)
        rows = with_related(Paper.objects.order_by("pk"), API_PAPER_RELATED)

        declared = PaperSerializer(rows, many=True, context={"request": request})
        written = papers_data(rows, {"request": request})
        assert json.dumps(written) == json.dumps(declared.data)
        assert {"url": None, "date": "2001-05-04"}.items() <= written[-1].items()
        assert written[-1]["curated_fields"]

    def test_pages_follow_one_another_with_every_result_once(self, client, seeds):
        seen = []
        url = f"{PAPERS}?sort=title"
        while url:
            data = client.get(url).json()
            seen += [p["key"] for p in data["results"]]
            url = data["next"]
        assert len(seen) == len(set(seen)) == Paper.objects.count()
        assert data["page"] == data["pages"] > 1
        assert data["previous"].endswith(f"page={data['pages'] - 1}")

    def test_a_query_that_finds_nothing_is_searched_as_corrected(
        self, client, seeds, monkeypatch
    ):
        # Without typo tolerance in the matching, the page's own correction.
        monkeypatch.setattr(expansion, "_corrections", lambda query, using: {})
        data = client.get(PAPERS, {"q": "dropuot"}).json()

        assert data["query"] == "dropuot"
        assert data["corrected_query"] == "dropout"
        assert data["count"] > 0

    @pytest.mark.parametrize(
        ("params", "names"),
        [
            ({"year": "soon"}, ["year"]),
            ({"framework": "theano2"}, ["framework"]),
            ({"sort": "random", "year": "20x"}, ["year", "sort"]),
            ({"q": "x" * 301}, ["q"]),
            ({"page": "first"}, ["page"]),
            ({"page": "0"}, ["page"]),
        ],
    )
    def test_an_invalid_parameter_is_a_400_naming_it(
        self, client, seeds, params, names
    ):
        response = client.get(PAPERS, params)

        assert response.status_code == 400
        data = response.json()
        assert sorted(data["errors"]) == sorted(names)
        assert all(name in data["detail"] for name in names)

    def test_a_page_past_the_end_is_a_404(self, client, seeds):
        response = client.get(PAPERS, {"page": "99"})

        assert response.status_code == 404
        assert response.json()["detail"]

    def test_an_unknown_path_under_api_is_a_json_404(self, client, seeds):
        response = client.get("/api/links/-3/")

        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"


class DetailTests:
    def test_every_paper_holds_its_export_record(self, client, seeds):
        exported = export_catalog()
        translations = {}
        for t in exported["translations"]:
            translations.setdefault(t["paper"], []).append(t)
        others = {}
        for link in exported["others"]:
            others.setdefault(link["paper"], []).append(link)
        keys = {p["key"] for p in exported["papers"]}

        for record in exported["papers"]:
            data = client.get(reverse("api:paper-detail", args=[record["key"]])).json()
            assert {f: data[f] for f in PAPER_FIELDS} == record
            assert sorted(t["url"] for t in data["translations"]) == sorted(
                t["url"] for t in translations.get(record["key"], [])
            )
            assert sorted(o["url"] for o in data["others"]) == sorted(
                o["url"] for o in others.get(record["key"], [])
            )
            assert [c["key"] for c in data["code"]] == record["repositories"]
            assert data["sources"] and all(
                s["list"].startswith("00") and s["line"] > 0 for s in data["sources"]
            )
        assert keys

    def test_a_paper_with_a_translation_and_other_links_shows_them(self, client, seeds):
        translation = Translation.objects.select_related("paper").first()
        data = client.get(
            reverse("api:paper-detail", args=[translation.paper.key])
        ).json()

        assert translation.url in [t["url"] for t in data["translations"]]
        assert data["html_url"].endswith(translation.paper.get_absolute_url())
        assert client.get(data["api_url"]).json()["key"] == translation.paper.key

    def test_every_repository_and_link_holds_its_export_record(self, client, seeds):
        exported = export_catalog()
        for record in exported["repositories"]:
            url = reverse("api:repository-detail", args=[record["key"]])
            data = client.get(url).json()
            assert {f: data[f] for f in REPOSITORY_FIELDS} == record
            assert [p["key"] for p in data["paper_details"]] == record["papers"]
        links = {link["url"]: link for link in exported["others"]}
        url = f"{reverse('api:link-list')}?page=1"
        while url:
            page = client.get(url).json()
            for item in page["results"]:
                detail = client.get(item["api_url"]).json()
                assert {f: detail[f] for f in LINK_FIELDS} == links.pop(item["url"])
            url = page["next"]
        assert not links  # every link listed once

    def test_a_merged_key_redirects_to_its_papers_entry(self, client, seeds):
        paper = Paper.objects.first()
        Alias.objects.create(
            kind=AliasKind.PAPER, key="arxiv:0000.00000", target_id=paper.pk
        )

        response = client.get(reverse("api:paper-detail", args=["arxiv:0000.00000"]))

        assert response.status_code == 301
        assert response["Location"] == reverse("api:paper-detail", args=[paper.key])

    def test_an_unknown_key_is_a_404(self, client, seeds):
        response = client.get(reverse("api:paper-detail", args=["arxiv:none"]))

        assert response.status_code == 404
        assert response.json()["detail"]

    def test_the_topic_tree_holds_every_topic_with_the_home_pages_counts(
        self, client, seeds
    ):
        home = {t["path"]: t["count"] for t in client.get("/").context["topics"]}
        tree = client.get(reverse("api:topic-list")).json()

        assert [t["path"] for t in tree] == [t["path"] for t in topic_tree()]
        assert {t["path"]: t["papers"] for t in tree if t["path"] in home} == home
        paths = {t["path"] for t in tree}
        assert all(t["parent"] is None or t["parent"] in paths for t in tree)
        child = next(t for t in tree if t["depth"] == 2)
        detail = client.get(child["api_url"]).json()
        assert detail["ancestors"] == [child["parent"].split(" > ")[0], child["parent"]]
        papers = client.get(detail["papers_url"]).json()
        assert papers["count"] == child["papers"]

    def test_a_venue_counts_its_papers_per_year(self, client, seeds):
        venues = client.get(reverse("api:venue-list")).json()
        venue = venues[0]
        detail = client.get(venue["api_url"]).json()

        assert (
            detail["papers"]
            == venue["papers"]
            == sum(y["papers"] for y in detail["years"])
        )
        assert client.get(detail["papers_url"]).json()["count"] == venue["papers"]
        lower = client.get(venue["api_url"].lower()).json()
        assert (lower["venue"], lower["papers"]) == (venue["venue"], venue["papers"])
        assert (
            client.get(reverse("api:venue-detail", args=["Nowhere"])).status_code == 404
        )


class ConditionalGetTests:
    def test_an_unchanged_catalog_answers_304_to_its_etag(self, client, seeds):
        first = client.get(PAPERS, {"q": "dropout"})
        etag = first["ETag"]

        again = client.get(PAPERS, {"q": "dropout"}, HTTP_IF_NONE_MATCH=etag)

        assert first.status_code == 200
        assert re.fullmatch(r'"[0-9a-f]{32}"', etag)
        assert again.status_code == 304
        assert again.content == b""
        assert again["ETag"] == etag

    def test_another_url_has_another_etag(self, client, seeds):
        one = client.get(PAPERS, {"q": "dropout"})["ETag"]
        other = client.get(PAPERS, {"q": "dropout", "page": "1"})

        assert other["ETag"] != one
        response = client.get(PAPERS, {"q": "lstm"}, HTTP_IF_NONE_MATCH=one)
        assert response.status_code == 200

    def test_another_host_has_another_etag(self, client, seeds):
        one = client.get(PAPERS)
        other = client.get(PAPERS, HTTP_HOST="localhost")

        assert other["ETag"] != one["ETag"]  # its links name its host
        assert other.json()["facets"][0]["options"][0]["url"].startswith(
            "http://localhost/"
        )

    def test_an_edit_changes_the_etag(self, client, seeds):
        paper = Paper.objects.order_by("key").first()
        url = reverse("api:paper-detail", args=[paper.key])
        etag = client.get(url)["ETag"]

        paper.title = "Renamed"
        paper.save()
        response = client.get(url, HTTP_IF_NONE_MATCH=etag)

        assert response.status_code == 200
        assert response["ETag"] != etag
        assert response.json()["title"] == "Renamed"

    def test_an_error_has_no_etag(self, client, seeds):
        assert not client.get(PAPERS, {"year": "soon"}).has_header("ETag")


class ThrottleTests:
    def test_an_anonymous_client_past_its_rate_is_told_to_wait(
        self, client, seeds, settings
    ):
        settings.API_THROTTLE_RATE = "3/minute"

        statuses = [client.get(PAPERS).status_code for _ in range(4)]
        other = client.get(PAPERS, REMOTE_ADDR="10.0.0.9")

        assert statuses == [200, 200, 200, 429]
        assert other.status_code == 200  # per client address
        throttled = client.get(PAPERS)
        assert int(throttled["Retry-After"]) > 0
        assert throttled.json()["detail"]


class CorsTests:
    ORIGIN = "https://elsewhere.example"

    def test_any_origin_may_get_and_read_the_etag(self, client, seeds):
        response = client.get(PAPERS, HTTP_ORIGIN=self.ORIGIN)

        assert response["Access-Control-Allow-Origin"] == "*"
        assert "etag" in response["Access-Control-Expose-Headers"].lower()

    def test_a_preflight_allows_get_and_head_only(self, client, seeds):
        response = client.options(
            PAPERS,
            HTTP_ORIGIN=self.ORIGIN,
            HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
            HTTP_ACCESS_CONTROL_REQUEST_HEADERS="if-none-match",
        )

        assert response.status_code == 200
        assert response["Access-Control-Allow-Origin"] == "*"
        methods = {
            m.strip() for m in response["Access-Control-Allow-Methods"].split(",")
        }
        assert methods == {"GET", "HEAD"}
        assert "if-none-match" in response["Access-Control-Allow-Headers"]

    def test_a_post_is_not_allowed(self, client, seeds):
        assert client.post(PAPERS, {}).status_code == 405

    def test_the_html_pages_are_not_opened_to_other_origins(self, client, seeds):
        response = client.get("/papers/", HTTP_ORIGIN=self.ORIGIN)

        assert not response.has_header("Access-Control-Allow-Origin")


class SchemaAndDocsTests:
    def test_the_schema_is_openapi_3_with_every_endpoint(self, client, db):
        response = client.get(
            reverse("api:schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json"
        )

        schema = json.loads(response.content)
        assert schema["openapi"].startswith("3.")
        assert set(schema["paths"]) == {
            "/api/papers/", "/api/papers/{key}/", "/api/repositories/",
            "/api/repositories/{key}/", "/api/links/", "/api/links/{id}/",
            "/api/topics/", "/api/topics/{slug}/", "/api/venues/",
            "/api/venues/{venue}/",
        }  # fmt: skip
        params = {
            p["name"] for p in schema["paths"]["/api/papers/"]["get"]["parameters"]
        }
        assert params == {*listing.KINDS["papers"].filterset.base_filters, "page"}

    def test_the_root_lists_the_endpoints(self, client, db):
        data = client.get(reverse("api:root")).json()

        assert data["papers"].endswith("/api/papers/")
        assert {"repositories", "links", "topics", "venues", "schema", "docs"} <= set(
            data
        )

    def test_the_docs_page_runs_only_scripts_of_this_site(self, client, db):
        response = client.get(reverse("api:docs"))

        html = response.content.decode()
        policy = response["Content-Security-Policy"]
        assert response.status_code == 200
        assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
        assert "<style" not in html
        scripts = re.findall(r"<script([^>]*)>", html)
        assert scripts and all('src="/' in attrs for attrs in scripts)
        assert "//" not in "".join(re.findall(r'(?:src|href)="([^"]*)"', html))
        script = client.get(reverse("api:docs"), {"script": ""})
        assert script["Content-Type"].startswith("application/javascript")
        assert "SwaggerUIBundle" in script.content.decode()


class QueryCountTests:
    @pytest.mark.parametrize(
        "url",
        [
            f"{PAPERS}?q=networks",
            f"{PAPERS}?sort=title",
            "/api/repositories/?framework=keras",
            "/api/links/?kind=link",  # links of papers
        ],
    )
    def test_a_page_costs_a_few_queries_however_many_rows(
        self, client, seeds, url, django_assert_max_num_queries
    ):
        client.get(url)  # builds the facet index and the topic tree
        held_matches._MATCHES.clear()

        with django_assert_max_num_queries(2):
            response = client.get(url)

        assert len(response.json()["results"]) > 1

    def test_a_paper_costs_two_queries(self, client, seeds, django_assert_num_queries):
        translation = Translation.objects.select_related("paper").first()
        url = reverse("api:paper-detail", args=[translation.paper.key])

        with django_assert_num_queries(2):  # the paper with its related, sources
            assert client.get(url).status_code == 200
