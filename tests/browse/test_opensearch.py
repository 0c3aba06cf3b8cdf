"""The OpenSearch description browsers read to search the catalog from
their address bar."""

import xml.etree.ElementTree as ET
from urllib.parse import parse_qs, urlsplit

from django.urls import reverse

NS = {"os": "http://a9.com/-/spec/opensearch/1.1/"}


def test_the_description_names_the_paper_search(client, db):
    response = client.get(reverse("catalog:opensearch"))

    assert response["Content-Type"].startswith("application/opensearchdescription+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{{{NS['os']}}}OpenSearchDescription"
    assert 0 < len(root.findtext("os:ShortName", namespaces=NS)) <= 16
    urls = {u.get("type"): u.get("template") for u in root.findall("os:Url", NS)}
    html = urlsplit(urls["text/html"])
    assert html.scheme == "http" and html.netloc == "testserver"
    assert html.path == reverse("catalog:paper-list")
    assert parse_qs(html.query) == {"q": ["{searchTerms}"]}
    assert urlsplit(urls["application/json"]).path == reverse("api:paper-list")
    assert urls["application/opensearchdescription+xml"].endswith("/opensearch.xml")


def test_the_search_it_names_finds_papers(client, db):
    root = ET.fromstring(client.get(reverse("catalog:opensearch")).content)
    template = root.find("os:Url[@type='text/html']", NS).get("template")

    response = client.get(template.replace("{searchTerms}", "dropout"))

    assert response.status_code == 200
    assert response.context["query"] == "dropout"


def test_every_page_announces_it(client, db):
    html = client.get(reverse("catalog:paper-list")).content.decode()

    assert (
        '<link rel="search" type="application/opensearchdescription+xml" '
        'href="/opensearch.xml" title="dlresources">'
    ) in html
