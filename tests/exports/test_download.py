"""/data/: the page and the gzip dump, built once per catalog version."""

import contextlib
import gzip
import threading
import time

import pytest
from django.core.management import call_command
from django.urls import reverse

from catalog.browse import data
from catalog.models import Topic
from tests.exports.helpers import dump_text
from tests.golden import LIST_DIR

pytestmark = pytest.mark.django_db

URL = "/data/dlresources-catalog.json.gz"


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path):
    settings.DATA_DUMP_DIR = tmp_path / "data"
    return settings.DATA_DUMP_DIR


@pytest.fixture
def seeds():
    call_command("import_lists", str(LIST_DIR), verbosity=0)


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_the_page_explains_the_formats_and_links_the_file(client):
    response = client.get(reverse("catalog:data"), secure=True)

    assert response.status_code == 200
    page = response.content.decode()
    assert 'href="/data/dlresources-catalog.json.gz"' in page
    assert "import_catalog" in page and "--format markdown" in page


def test_the_file_is_the_export_gzipped_as_an_attachment(client, seeds):
    response = client.get(URL, secure=True)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/gzip"
    assert "Content-Encoding" not in response
    assert response["Content-Disposition"] == (
        'attachment; filename="dlresources-catalog.json.gz"'
    )
    assert response.streaming
    assert gzip.decompress(body(response)).decode() == dump_text()


def test_an_unchanged_catalog_answers_304_to_its_etag(client, seeds):
    first = client.get(URL, secure=True)
    body(first)

    again = client.get(URL, secure=True, HTTP_IF_NONE_MATCH=first["ETag"])
    since = client.get(URL, secure=True, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])

    assert (again.status_code, since.status_code) == (304, 304)


def test_a_change_makes_a_new_file_and_drops_the_old(client, seeds, data_dir):
    first = client.get(URL, secure=True)
    body(first)
    topic = Topic.objects.first()
    topic.description = "Changed."
    topic.save()

    second = client.get(URL, secure=True, HTTP_IF_NONE_MATCH=first["ETag"])

    assert second.status_code == 200
    assert second["ETag"] != first["ETag"]
    assert b"Changed." in gzip.decompress(body(second))
    assert len(list(data_dir.glob("catalog-*.json.gz"))) == 1


def test_concurrent_first_requests_build_the_file_once(monkeypatch):
    """Four requests at once find no file: one builds, three wait for it."""
    builds = []
    started = threading.Barrier(4)

    def slow_dump(out):
        builds.append(threading.get_ident())
        time.sleep(0.2)  # the others arrive while this build runs
        out.write("{}")

    monkeypatch.setattr(data, "write_dump", slow_dump)
    monkeypatch.setattr(data, "snapshot", contextlib.nullcontext)
    paths = []

    def request():
        started.wait()
        paths.append(data.dump_path("v1"))

    threads = [threading.Thread(target=request) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(builds) == 1
    assert len(paths) == 4 and len(set(paths)) == 1
    assert gzip.decompress(paths[0].read_bytes()) == b"{}"


def test_the_download_answers_get_and_head_only(client, seeds):
    assert client.post(URL, secure=True).status_code == 405
