"""Filling the cache: mirror copies, checksums, missing documents, interrupted copies."""

import shutil

import pytest

from corpus import fetch as fetch_mod
from corpus.fetch import CHANGED, ERROR, FETCHED, MISSING, PRESENT, fetch_all
from kb.models import FileRecord
from tests.fakes import synthetic_record


def _records(manifest, *ids):
    return [manifest[i] for i in ids]


def test_copy_then_present(tmp_path, mirror, manifest):
    records = _records(manifest, "de-lksg-2021", "un-ungps-2011")
    first = fetch_all(records, tmp_path, mirror)
    assert [r.status for r in first] == [FETCHED, FETCHED]
    assert (tmp_path / "de-lksg-2021" / "BJNR295910021.html").is_file()
    assert (tmp_path / "de-lksg-2021" / "source.json").is_file()  # provenance travels along
    second = fetch_all(records, tmp_path, mirror)
    assert [r.status for r in second] == [PRESENT, PRESENT]


def test_missing_instrument_is_reported_with_its_source(tmp_path, mirror, manifest):
    [report] = fetch_all(_records(manifest, "eu-ep-resolution-2021-0073"), tmp_path, mirror)
    assert report.status == MISSING
    assert "europarl.europa.eu" in report.messages[0]


def test_checksum_mismatch_leaves_cache_alone(tmp_path, mirror, manifest):
    record = manifest["de-lksg-2021"]
    cache = tmp_path / "cache"
    fetch_all([record], cache, mirror)
    before = (cache / record.doc_id / "BJNR295910021.html").read_bytes()
    bad_mirror = tmp_path / "mirror"
    shutil.copytree(mirror / record.doc_id, bad_mirror / record.doc_id)
    with (bad_mirror / record.doc_id / "BJNR295910021.html").open("ab") as fh:
        fh.write(b"<!-- tampered -->")
    [report] = fetch_all([record], cache, bad_mirror)
    assert report.status == CHANGED
    assert "checksum mismatch" in report.messages[0]
    assert (cache / record.doc_id / "BJNR295910021.html").read_bytes() == before


def test_interrupted_copy_keeps_previous_file(tmp_path, mirror, manifest, monkeypatch):
    record = manifest["de-lksg-2021"]
    target = tmp_path / record.doc_id / "BJNR295910021.html"
    target.parent.mkdir(parents=True)
    target.write_bytes(b"previous cache content")

    def crash(src, dst):
        with open(dst, "wb") as fh:
            fh.write(b"half a file")
        raise KeyboardInterrupt

    monkeypatch.setattr(fetch_mod.shutil, "copyfile", crash)
    with pytest.raises(KeyboardInterrupt):
        fetch_all([record], tmp_path, mirror)
    assert target.read_bytes() == b"previous cache content"
    assert not list(target.parent.glob("*.part"))


def _download_report(tmp_path, url):
    record = synthetic_record("syn-remote", FileRecord(name="x.txt", format="txt", url=url))
    [report] = fetch_all([record], tmp_path, None, download=True, timeout=1, retries=0)
    assert not (tmp_path / "syn-remote" / "x.txt").exists()
    return report


def test_download_failure_is_a_clear_error(tmp_path):
    report = _download_report(tmp_path, "https://127.0.0.1:9/x.txt")
    assert report.status == ERROR
    assert "could not download https://127.0.0.1:9/x.txt" in report.messages[0]


@pytest.mark.parametrize(
    "url",
    ["http://example.invalid/x.txt", "file:///etc/passwd", "ftp://example.invalid/x", "data:,x"],
)
def test_only_https_is_downloaded(tmp_path, url):
    report = _download_report(tmp_path, url)
    assert report.status == ERROR and "only https:// addresses" in report.messages[0]


def test_a_redirect_to_http_is_refused():
    import urllib.request

    from kb.errors import FetchError

    handler = fetch_mod._HttpsOnlyRedirects()
    request = urllib.request.Request("https://example.invalid/x.txt")
    with pytest.raises(FetchError, match="redirects to 'http://example.invalid/x.txt'"):
        handler.redirect_request(request, None, 302, "Found", {}, "http://example.invalid/x.txt")
    followed = handler.redirect_request(
        request, None, 302, "Found", {}, "https://example.invalid/y"
    )
    assert followed.full_url == "https://example.invalid/y"


class _Response:
    def __init__(self, body: bytes, length: str | None):
        self.body, self.headers = body, {"Content-Length": length} if length else {}

    def read(self, size: int = -1) -> bytes:
        return self.body[:size] if size >= 0 else self.body

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


@pytest.mark.parametrize("length", ["2000", None], ids=["declared", "undeclared"])
def test_a_download_over_the_size_limit_is_refused(tmp_path, monkeypatch, length):
    class Opener:
        def open(self, request, timeout):
            return _Response(b"x" * 2000, length)

    monkeypatch.setattr(fetch_mod.urllib.request, "build_opener", lambda *handlers: Opener())
    with pytest.raises(fetch_mod.FetchError, match="limit"):
        fetch_mod._download("https://example.invalid/x.txt", 1, 0, limit=1000)


# An instrument we cannot ship, with a download spec (clearly synthetic, not law)
WIDGET_BILL = """Draft Widget Due Diligence Bill (a synthetic test document, not law)
1. Widgets
Every widget maker shall keep a register of sprockets.
2. Complaints
A sprocket complaints desk shall answer within ten days.
"""


def _user_manifest(data, download):
    import json

    entry = {
        "doc_id": "syn-widget-bill",
        "title": "Draft Widget Due Diligence Bill (synthetic)",
        "short_title": "Widget Bill",
        "cite_as": "WDDB",
        "jurisdiction": "XX",
        "instrument_type": "bill",
        "status": "proposal",
        "language": "en",
        "official_url": "https://example.invalid/widget-bill",
        "files": [],
        "download": download,
    }
    (data / "user_manifest.json").write_text(json.dumps({"documents": [entry]}), encoding="utf-8")


def test_a_missing_instrument_with_a_download_spec_is_one_command_away(
    tmp_path, monkeypatch, mirror
):
    from corpus.manifest import manifest_for
    from kb.cli import main
    from kb.store import read_units

    data = tmp_path / "data"
    data.mkdir()
    spec = {"name": "widget-bill.txt", "format": "txt", "layout": "sections"}
    _user_manifest(data, spec | {"url": "https://example.invalid/widget-bill.txt"})
    record = manifest_for(data)["syn-widget-bill"]
    assert not record.files and record.download.url.endswith("widget-bill.txt")
    # without --download: missing, and the report names the command and the URL
    [report] = fetch_all([record], data / "cache")
    assert report.status == MISSING and "kb fetch --download" in report.messages[0]
    assert "https://example.invalid/widget-bill.txt" in report.messages[0]

    class Opener:
        def open(self, request, timeout):
            return _Response(WIDGET_BILL.encode(), None)

    class ErrorPage:
        def open(self, request, timeout):
            return _Response(b"<!DOCTYPE html><html>Service unavailable</html>", None)

    monkeypatch.setattr(fetch_mod.urllib.request, "build_opener", lambda *handlers: ErrorPage())
    [report] = fetch_all([record], data / "cache", download=True)
    assert report.status == ERROR and "did not return a txt file" in report.messages[0]
    assert not (data / "cache" / "syn-widget-bill").exists()  # nothing stored, still missing
    monkeypatch.setattr(fetch_mod.urllib.request, "build_opener", lambda *handlers: Opener())
    [report] = fetch_all([record], data / "cache", download=True)
    assert report.status == FETCHED and "no checksum" in report.messages[0]
    present = manifest_for(data)["syn-widget-bill"]
    assert present.files == (present.download,) and "downloaded from" in present.completeness
    assert main(["--data", str(data), "fetch", "--from", str(mirror)]) == 0  # the rest, as usual
    assert main(["--data", str(data), "ingest"]) == 0
    units = {u.unit_id: u for u in read_units(data) if u.doc_id == "syn-widget-bill"}
    assert {"sec-1", "sec-2"} <= set(units) and "ten days" in units["sec-2"].text


@pytest.mark.parametrize(
    ("download", "files", "message"),
    [
        ({"name": "b.txt", "format": "txt", "url": "http://example.invalid/b.txt"}, [], "https://"),
        (
            {"name": "../b.txt", "format": "txt", "url": "https://example.invalid/b"},
            [],
            "plain file name",
        ),
        ({"name": "b.txt", "format": "docx", "url": "https://example.invalid/b"}, [], "format"),
        (
            {"name": "b.txt", "format": "txt", "url": "https://example.invalid/b"},
            [{"name": "a.txt", "format": "txt"}],
            "without files",
        ),
    ],
)
def test_a_bad_download_spec_is_named(tmp_path, download, files, message):
    import json

    from corpus.manifest import ManifestError, manifest_for

    data = tmp_path / "data"
    data.mkdir()
    _user_manifest(data, download)
    raw = json.loads((data / "user_manifest.json").read_text())
    raw["documents"][0]["files"] = files
    (data / "user_manifest.json").write_text(json.dumps(raw))
    with pytest.raises(ManifestError, match=message):
        manifest_for(data)
