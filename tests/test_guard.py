"""Resource limits and accepted encodings on untrusted files (``kb.ingest.loaders.guard``), and the
isolated parse of uploads (``kb.ingest.loaders.isolated``). Bombs are generated here; no law in them."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from kb.errors import LoadError
from kb.ingest.loaders import load_file
from kb.ingest.loaders.guard import MB, Limits, text_encoding
from kb.ingest.loaders.isolated import load_file_isolated
from kb.models import FileRecord
from tests.conftest import source_path
from tests.fakes import flate_bomb_pdf, synthetic_record

HTML_FORMATS = ["eurlex-consolidated", "eurlex-xhtml", "gii-html", "fedlex-html"]


def _load(tmp_path: Path, name: str, data: bytes, fmt: str, layout=None, **limits):
    path = tmp_path / name
    path.write_bytes(data)
    record = synthetic_record("syn-guard", FileRecord(name=name, format=fmt, layout=layout))
    return load_file(
        path, record, record.files[0], **({"limits": Limits(**limits)} if limits else {})
    )


# --------------------------------------------------------------------------- encodings

NOT_TEXT = ["rot13", "base64", "hex", "unicode_escape", "ebcdic-cp-us", "cp037", "zlib", "uu"]


@pytest.mark.parametrize("fmt", HTML_FORMATS)
@pytest.mark.parametrize("charset", NOT_TEXT)
def test_a_declared_charset_that_is_not_a_text_encoding_is_refused(tmp_path, fmt, charset):
    page = f'<html><head><meta charset="{charset}"></head><body><p>Widget</p></body></html>'
    with pytest.raises(LoadError, match=r"^page\.html: (declared|unknown declared) charset"):
        _load(tmp_path, "page.html", page.encode("ascii"), fmt)


def test_real_text_encodings_are_accepted_under_their_usual_labels():
    for label, codec in [
        ("UTF-8", "utf-8"),
        ("iso-8859-1", "iso8859-1"),
        ("windows-1252", "cp1252"),
        ("latin2", "iso8859-2"),
        ("latin-1", "iso8859-1"),
        ("utf-16le", "utf-16-le"),
    ]:
        assert text_encoding("page.html", label) == codec


# --------------------------------------------------------------------------- sizes and depth


@pytest.mark.parametrize("fmt", HTML_FORMATS)
def test_html_nested_beyond_the_limit_is_refused(tmp_path, fmt):
    page = b"<html><body>" + b"<div>" * 2000 + b"Widget" + b"</div>" * 2000 + b"</body></html>"
    with pytest.raises(LoadError, match=r"^deep\.html: HTML nested deeper than 128 levels"):
        _load(tmp_path, "deep.html", page, fmt)


def test_a_file_over_the_size_limit_is_refused_before_parsing(tmp_path):
    data = source_path("de-lksg-2021").read_bytes()
    with pytest.raises(LoadError, match=r"a file of .* MB is over the limit of 0 MB"):
        _load(tmp_path, "lksg.html", data, "gii-html", file_bytes=1000)


def test_real_files_stay_well_inside_the_default_limits(manifest, mirror):
    """Every PDF and HTML text of the corpus parses under limits 4× tighter than the defaults
    (nesting 32 of 128):
    the defaults keep a margin over the real corpus."""
    tight = Limits(
        pdf_page_bytes=MB // 2, pdf_content_bytes=4 * MB, pdf_stream_bytes=2 * MB, html_depth=32
    )
    checked = 0
    for record in manifest.values():
        for file in record.text_files:
            if file.format in ("pdf", *HTML_FORMATS):
                path = mirror / record.doc_id / file.name
                assert load_file(path, record, file, limits=tight), path
                checked += 1
    assert checked >= 10


def test_a_pdf_with_too_many_pages_is_refused(tmp_path):
    data = source_path("eu-csrd-2022-2464").read_bytes()
    with pytest.raises(LoadError, match=r"PDF of 66 pages; the limit is 10"):
        _load(tmp_path, "csrd.pdf", data, "pdf", "oj", pdf_pages=10)


# --------------------------------------------------------------------------- bombs


BOMBS = [
    ("70 MB per page (one stream over the stream limit)", 20, 70_000_000, "decompresses beyond"),
    ("7.6 MB per page (one page over the page limit)", 20, 8_000_000, "page 1 decompresses to"),
    ("1.9 MB per page (all pages over the total)", 40, 1_900_000, "more than 16 MB by page"),
]


@pytest.mark.parametrize("name, pages, per_page, message", BOMBS, ids=[b[0] for b in BOMBS])
def test_a_flate_bomb_is_refused_quickly_in_little_memory(tmp_path, name, pages, per_page, message):
    path = tmp_path / "bomb.pdf"
    path.write_bytes(flate_bomb_pdf(pages, per_page))
    record = synthetic_record("syn-bomb", FileRecord(name="bomb.pdf", format="pdf", layout="oj"))
    stats: dict = {}
    started = time.perf_counter()
    with pytest.raises(LoadError, match=message):
        load_file_isolated(path, record, stats=stats)
    assert time.perf_counter() - started <= 5.0
    assert stats["peak_rss_mb"] <= 300, stats


def test_the_isolated_parse_gives_the_same_units_as_in_process(manifest, mirror):
    record = manifest["fr-loi-vigilance-2017"]
    path = mirror / record.doc_id / record.text_files[0].name
    assert load_file_isolated(path, record) == load_file(path, record, record.text_files[0])


def test_the_isolated_parse_is_stopped_at_its_time_limit(manifest, mirror):
    record = manifest["eu-csrd-2022-2464"]
    path = mirror / record.doc_id / record.text_files[0].name
    started = time.perf_counter()
    with pytest.raises(LoadError, match=r"longer than 0 s and was stopped"):
        load_file_isolated(path, record, limits=Limits(seconds=0.2))
    assert time.perf_counter() - started < 3


def test_the_isolated_parse_is_stopped_at_its_memory_limit(manifest, mirror):
    record = manifest["eu-csrd-2022-2464"]
    path = mirror / record.doc_id / record.text_files[0].name
    with pytest.raises(LoadError, match=r"needs more than 40 MB of memory"):
        load_file_isolated(path, record, limits=Limits(memory_bytes=40 * MB))


def test_kb_ingest_stops_a_parse_at_its_time_limit_and_names_the_file(
    manifest, mirror, monkeypatch
):
    """``kb ingest`` parses in-process (in worker processes): a watchdog stops a parse that runs
    over the wall-time limit; the document gets a problem naming the file, nothing crashes."""
    from kb.ingest import batch
    from kb.ingest.loaders.guard import applied

    record = manifest["eu-csrd-2022-2464"]
    assert len(batch.ingest_document(record, mirror).units) > 100  # real parse, default limits

    def endless(path, record, file):  # a parser stuck on hostile input (pure Python, no I/O)
        while True:
            pass

    monkeypatch.setattr(batch, "load_file", endless)
    started = time.perf_counter()
    with applied(Limits(seconds=0.2)):
        document = batch.ingest_document(record, mirror)
    assert time.perf_counter() - started < 3
    assert not document.units
    [problem] = document.problems
    assert record.text_files[0].name in problem.file and "longer than 0.2 s" in problem.message
