"""Ingest: bad input is reported per file and never stops the rest of the corpus."""

import json
import shutil

import pytest

from kb.cli import main
from kb.ingest.batch import ingest_all, ingest_document
from kb.models import FileRecord
from tests.fakes import synthetic_record


def _synthetic(doc_id, name, fmt, layout=None, sha256=None):
    return synthetic_record(doc_id, FileRecord(name=name, format=fmt, layout=layout, sha256=sha256))


def _pdf_bytes(mirror):
    return (mirror / "un-ungps-2011" / "GuidingPrinciplesBusinessHR_EN.pdf").read_bytes()


# (case id, file name, format, layout, bytes factory, expected words in the message)
BAD_INPUTS = [
    ("empty", "empty.txt", "txt", "sections", lambda m: b"", "empty"),
    ("truncated-pdf", "cut.pdf", "pdf", "oj", lambda m: _pdf_bytes(m)[:40_000], "cut.pdf"),
    ("not-a-pdf", "fake.pdf", "pdf", "oj", lambda m: b"%PDF-1.4 lorem ipsum\x00\x01", "fake.pdf"),
    (
        "html-not-an-act",
        "page.html",
        "eurlex-xhtml",
        None,
        lambda m: b"<html><body><p>Widgets</p></body></html>",
        "page.html",
    ),
    (
        "wrong-encoding",
        "latin.txt",
        "txt",
        "sections",
        lambda m: "Synthetische tekst \u00e9\u00e8".encode("latin-1") * 50,
        "latin.txt",
    ),
    (
        "unknown-format",
        "notes.docx",
        "docx",
        None,
        lambda m: b"PK\x03\x04 synthetic",
        "unknown format 'docx'",
    ),
]


@pytest.mark.parametrize(
    ("case", "name", "fmt", "layout", "make", "expected"),
    BAD_INPUTS,
    ids=[c[0] for c in BAD_INPUTS],
)
def test_bad_input_gives_a_clear_error_naming_the_file(
    tmp_path, mirror, case, name, fmt, layout, make, expected
):
    record = _synthetic(f"syn-{case}", name, fmt, layout)
    (tmp_path / record.doc_id).mkdir()
    (tmp_path / record.doc_id / name).write_bytes(make(mirror))
    document = ingest_document(record, tmp_path)
    assert document.units == []
    [problem] = document.problems
    assert expected in problem.message
    assert "internal loader error" not in problem.message


def test_missing_file_and_checksum_mismatch(tmp_path):
    missing = _synthetic("syn-missing", "gone.txt", "txt", "sections")
    [problem] = ingest_document(missing, tmp_path).problems
    assert "file missing from cache" in problem.message and "gone.txt" in problem.file
    wrong = _synthetic("syn-sum", "x.txt", "txt", "sections", sha256="0" * 64)
    (tmp_path / "syn-sum").mkdir()
    (tmp_path / "syn-sum" / "x.txt").write_text("synthetic", encoding="utf-8")
    [problem] = ingest_document(wrong, tmp_path).problems
    assert "checksum mismatch" in problem.message


def test_rest_of_the_corpus_still_ingested(tmp_path, mirror, manifest):
    lksg = manifest["de-lksg-2021"]
    (tmp_path / lksg.doc_id).mkdir()
    shutil.copy(mirror / lksg.doc_id / "BJNR295910021.html", tmp_path / lksg.doc_id)
    broken = _synthetic("syn-broken", "fake.pdf", "pdf", "oj")
    (tmp_path / "syn-broken").mkdir()
    (tmp_path / "syn-broken" / "fake.pdf").write_bytes(b"%PDF-1.4 broken")
    documents = ingest_all([broken, lksg], tmp_path)
    assert documents[0].problems and not documents[0].units
    assert len(documents[1].units) > 50 and not documents[1].problems


def test_interrupted_ingest_keeps_previous_unit_table(data_dir, tmp_path, monkeypatch):
    base = tmp_path / "data"
    shutil.copytree(data_dir, base)
    before = (base / "units.jsonl").read_bytes()

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("kb.ingest.batch.ingest_all", interrupted)
    assert main(["--data", str(base), "ingest"]) == 130
    assert (base / "units.jsonl").read_bytes() == before


def test_ingest_summary_lists_counts_and_missing(data_dir):
    summary = json.loads((data_dir / "ingest.json").read_text(encoding="utf-8"))
    assert set(summary["documents"]) >= {"eu-csddd-2024-1760", "de-lksg-2021", "un-ungps-2011"}
    assert "eu-ep-resolution-2021-0073" in summary["missing"]
    assert [p for p in summary["problems"] if p["severity"] == "error"] == []


def test_a_corrupt_cached_file_keeps_the_previous_units_unless_drop_failed(
    data_dir, tmp_path, capsys
):
    import shutil

    from kb.cli import main
    from kb.store import read_units

    data = tmp_path / "data"
    shutil.copytree(data_dir / "cache", data / "cache")
    for name in ("units.jsonl", "ingest.json"):
        shutil.copy2(data_dir / name, data / name)
    before = [u for u in read_units(data) if u.doc_id == "de-lksg-2021"]
    cached = data / "cache" / "de-lksg-2021" / "BJNR295910021.html"
    cached.write_bytes(cached.read_bytes()[:2000])  # a truncated download
    assert main(["--data", str(data), "ingest"]) == 1  # an error is reported …
    err = capsys.readouterr().err
    assert "de-lksg-2021" in err and "previous units are kept" in err
    kept = [u for u in read_units(data) if u.doc_id == "de-lksg-2021"]
    assert kept == before  # … and nothing is lost
    main(["--data", str(data), "ingest", "--drop-failed"])
    assert not [u for u in read_units(data) if u.doc_id == "de-lksg-2021"]
