"""Property-based: random bytes and mutated real files never crash ingestion.

Whatever the bytes, ``ingest_document`` returns a Document: units when the file still parses,
otherwise a Problem naming the file — never an exception, never an "internal loader error".
"""

from __future__ import annotations

import shutil
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kb.ingest import ingest_document
from kb.models import DocRecord, FileRecord
from tests.fakes import synthetic_record

FORMATS = [
    ("eurlex-xhtml", None, "eu-omnibus-2025-794"),
    ("gii-html", None, "de-lksg-2021"),
    ("pdf", "legifrance", "fr-loi-vigilance-2017"),
    ("txt", "sections", "be-serv-advies-2021"),
]
SETTINGS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _record(fmt: str, layout: str | None, name: str) -> DocRecord:
    return synthetic_record("syn-fuzz", FileRecord(name=name, format=fmt, layout=layout))


def _ingest(tmp: Path, fmt: str, layout: str | None, data: bytes):
    name = "input." + {"pdf": "pdf", "txt": "txt"}.get(fmt, "html")
    folder = tmp / "syn-fuzz"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    (folder / name).write_bytes(data)
    return ingest_document(_record(fmt, layout, name), tmp)


def _assert_clean(document) -> None:
    for problem in document.problems:
        assert "internal loader error" not in problem.message, problem.message
        assert problem.file.startswith("input."), problem
    assert document.units or document.problems


@SETTINGS
@given(data=st.binary(max_size=4096), which=st.sampled_from(FORMATS))
def test_random_bytes_never_crash(tmp_path, data, which):
    fmt, layout, _ = which
    _assert_clean(_ingest(tmp_path, fmt, layout, data))


def _source(manifest, mirror, doc_id: str) -> bytes:
    record = manifest[doc_id]
    return (mirror / doc_id / record.text_files[0].name).read_bytes()


@SETTINGS
@given(
    which=st.sampled_from(FORMATS),
    cuts=st.lists(st.tuples(st.floats(0, 1), st.integers(1, 2000)), min_size=1, max_size=4),
    noise=st.binary(min_size=1, max_size=64),
)
def test_mutated_real_files_never_crash(tmp_path, manifest, mirror, which, cuts, noise):
    fmt, layout, doc_id = which
    data = bytearray(_source(manifest, mirror, doc_id))
    for position, length in cuts:  # overwrite a few stretches with noise, or delete them
        start = int(position * (len(data) - 1))
        data[start : start + length] = noise
    _assert_clean(_ingest(tmp_path, fmt, layout, bytes(data)))
