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


def test_download_failure_is_a_clear_error(tmp_path):
    record = synthetic_record(
        "syn-remote", FileRecord(name="x.txt", format="txt", url="http://127.0.0.1:9/x.txt")
    )
    [report] = fetch_all([record], tmp_path, None, download=True, timeout=1, retries=0)
    assert report.status == ERROR
    assert "could not download http://127.0.0.1:9/x.txt" in report.messages[0]
    assert not (tmp_path / "syn-remote" / "x.txt").exists()
