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
