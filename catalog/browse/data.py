"""/data/: the whole catalog for download, one gzip file per catalog version.

The file is built on the first request after a write (the catalog version,
``catalog.cache``, names it) into ``settings.DATA_DUMP_DIR``, a directory
on the server's disk (``var/data`` by default): a dump is too large for the
page cache, and a file is served by the WSGI server's ``sendfile`` without
passing through Python. It is written record by record through gzip into a
temporary file that is renamed into place, so a reader never sees half a
file and nothing holds the whole dump in memory. An exclusive lock on a
file beside it makes concurrent first requests, in any process of the host,
wait for one build instead of each building (each host of a multi-host
deployment builds its own copy once).
"""

from __future__ import annotations

import fcntl
import gzip
import io
import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.http import FileResponse
from django.shortcuts import render
from django.utils.http import quote_etag
from django.views.decorators.http import condition, require_safe

from catalog.cache import catalog_version
from catalog.exports.dump import FORMAT, VERSION, snapshot, write_dump

DOWNLOAD_NAME = "dlresources-catalog.json.gz"


def _directory() -> Path:
    directory = Path(settings.DATA_DUMP_DIR)
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def dump_path(version: str) -> Path:
    """The gzip dump of the catalog at ``version``, built if missing."""
    directory = _directory()
    path = directory / f"catalog-{version}.json.gz"
    if path.exists():
        return path
    with (directory / ".build.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not path.exists():  # another request may have built it meanwhile
            _build(path)
            _drop_older(directory, keep=path)
    return path


def _build(path: Path) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".part")
    try:
        with (
            os.fdopen(handle, "wb") as raw,
            gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as compressed,
            io.TextIOWrapper(compressed, encoding="utf-8") as out,
            snapshot(),
        ):
            write_dump(out)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _drop_older(directory: Path, *, keep: Path) -> None:
    for old in directory.glob("catalog-*.json.gz"):
        if old != keep:
            old.unlink(missing_ok=True)


def _version(request) -> str:
    """The catalog version this request serves, read once."""
    if not hasattr(request, "_dump_version"):
        request._dump_version = catalog_version()
    return request._dump_version


def _etag(request) -> str:
    return quote_etag(_version(request))


def _last_modified(request) -> datetime:
    stamp = dump_path(_version(request)).stat().st_mtime
    return datetime.fromtimestamp(stamp, tz=UTC)


@require_safe
def data_page(request):
    return render(
        request,
        "catalog/data.html",
        {"format": FORMAT, "version": VERSION, "file_name": DOWNLOAD_NAME},
    )


@require_safe
@condition(etag_func=_etag, last_modified_func=_last_modified)
def data_download(request):
    """The dump as a gzip file, streamed from disk (Content-Type
    application/gzip and no Content-Encoding, so clients save the file as it
    is rather than unpacking it on the way)."""
    path = dump_path(_version(request))
    response = FileResponse(path.open("rb"), as_attachment=True, filename=DOWNLOAD_NAME)
    response["Cache-Control"] = "public, max-age=0, must-revalidate"
    return response
