"""Property-based: random bytes and mutated real excerpts never crash a loader.

Whatever the bytes, ``ingest_document`` returns a Document: units when the file still parses,
otherwise a Problem naming the file — never an exception, never an "internal loader error".

Every loader (and every PDF layout) is fuzzed from a real seed of at most 50 kB, read from the
mirror at test time: a small file as it is, or an excerpt of a large one (its first provisions,
cut by the document's own structure, or its first pages). The number of examples comes from the
Hypothesis profile (``tests/conftest.py``): ``quick`` (25 per test) in the normal suite, ``fuzz``
(2,000 per loader and test) in ``make fuzz`` (marker ``fuzz``), which ``.ci/run`` runs too.

Crashes found are kept as recipes (doc_id, cuts, noise) in ``tests/fuzz_regressions.json`` and
replayed on every run: the input is regenerated from the real file, no legal text is copied.
"""

from __future__ import annotations

import dataclasses
import functools
import io
import json
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kb.ingest.batch import ingest_document
from tests.conftest import MIRROR

SEED_BYTES = 50_000
REGRESSIONS = Path(__file__).with_name("fuzz_regressions.json")


def _html_excerpt(xpath: str):
    """The page with its blocks matched by ``xpath`` dropped from the end until ≤ 50 kB."""

    def excerpt(data: bytes) -> bytes:
        from lxml import etree

        root = etree.fromstring(data, etree.HTMLParser(encoding=_charset(data)))
        blocks = root.xpath(xpath)

        def page() -> bytes:
            head = b'<!DOCTYPE html>\n<html><head><meta charset="utf-8"></head>'
            body = etree.tostring(root.find("body"), encoding="utf-8", method="html")
            return head + body + b"</html>\n"

        while blocks and len(page()) > SEED_BYTES:
            block = blocks.pop()
            block.getparent().remove(block)
        return page()

    return excerpt


def _charset(data: bytes) -> str:
    from kb.ingest.loaders.guard import declared_encoding

    return declared_encoding("seed", data).removesuffix("-sig")


def _pdf_pages(first: int, count: int):
    """The PDF's pages ``first`` .. ``first + count - 1`` (1-based) as a new PDF, without the
    embedded font programs (text extraction does not read them: the text is the same)."""

    def excerpt(data: bytes) -> bytes:
        from pypdf import PdfReader, PdfWriter

        reader, writer = PdfReader(io.BytesIO(data)), PdfWriter()
        for page in reader.pages[first - 1 : first - 1 + count]:
            writer.add_page(page)
        for page in writer.pages:
            resources = page.get("/Resources", {})
            for font in resources.get("/Font", {}).values():
                font = font.get_object()
                descendants = [d.get_object() for d in font.get("/DescendantFonts", [])]
                for holder in (font, *descendants):
                    descriptor = holder.get("/FontDescriptor")
                    for key in ("/FontFile", "/FontFile2", "/FontFile3"):
                        if descriptor is not None and key in descriptor.get_object():
                            del descriptor.get_object()[key]
            xobjects = resources.get("/XObject", {})
            for name in [
                n for n, x in xobjects.items() if x.get_object().get("/Subtype") == "/Image"
            ]:
                del xobjects[name]
        writer.compress_identical_objects(remove_duplicates=True, remove_unreferenced=True)
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()

    return excerpt


def _whole(data: bytes) -> bytes:
    return data


# loader target id: (doc_id, file index, excerpt)
SEEDS = {
    "eurlex-xhtml": ("eu-omnibus-2025-794", 0, _whole),
    "eurlex-consolidated": (
        "eu-csddd-2024-1760-consolidated-2025-04-17",
        0,
        _html_excerpt("//div[starts-with(@id, 'art_') or starts-with(@id, 'anx_')]"),
    ),
    "gii-html": ("de-lksg-2021", 0, _html_excerpt("//div[contains(@class, 'jnnorm')]")),
    "fedlex-html": ("ch-ddtro-2021-en", 0, _html_excerpt("//article")),
    "markdown-law": ("uk-modern-slavery-act-2015", 0, _whole),
    "markdown-law-fr": ("ch-ddtro-2021-fr", 0, _whole),
    "json-provisions": ("no-transparency-act-2021", 0, _whole),
    "txt-sections": ("be-serv-advies-2021", 0, _whole),
    "pdf-legifrance": ("fr-loi-vigilance-2017", 1, _pdf_pages(1, 1)),
    "pdf-oj": ("eu-csrd-2022-2464", 0, _pdf_pages(27, 2)),
    "pdf-ungp": ("un-ungps-2011", 0, _pdf_pages(7, 2)),
    "pdf-proposal": ("eu-com-2022-71-fr", 0, _pdf_pages(32, 2)),
}
#: the one-page Légifrance print is 66 kB even without fonts and images (its page content)
LARGER_SEEDS = {"pdf-legifrance"}


@functools.cache
def _seed(target: str) -> tuple[object, bytes]:
    """(record with the file renamed ``input.<ext>``, seed bytes) of a loader target."""
    from corpus.manifest import default_manifest

    doc_id, index, excerpt = SEEDS[target]
    record = default_manifest()[doc_id]
    file = record.text_files[index]
    data = excerpt((MIRROR / doc_id / file.name).read_bytes())
    renamed = dataclasses.replace(file, name="input" + Path(file.name).suffix, sha256=None)
    return dataclasses.replace(record, doc_id="syn-fuzz", files=(renamed,)), data


def _ingest(tmp: Path, record, data: bytes):
    folder = tmp / "syn-fuzz"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    (folder / record.files[0].name).write_bytes(data)
    return ingest_document(record, tmp)


def _assert_clean(document) -> None:
    for problem in document.problems:
        assert "internal loader error" not in problem.message, problem.message
        assert problem.file.startswith("input."), problem
    assert document.units or document.problems


def _mutate(data: bytes, cuts, noise: bytes) -> bytes:
    out = bytearray(data)
    for position, length in cuts:  # overwrite a few stretches with noise, or delete them
        start = int(position * (len(out) - 1))
        out[start : start + length] = noise
    return bytes(out)


CUTS = st.lists(st.tuples(st.floats(0, 1), st.integers(0, 2000)), min_size=1, max_size=4)
HEALTH = settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@pytest.mark.parametrize("target", sorted(SEEDS))
def test_every_seed_is_a_real_excerpt_that_parses(tmp_path, target):
    record, data = _seed(target)
    assert len(data) <= SEED_BYTES or target in LARGER_SEEDS, (target, len(data))
    document = _ingest(tmp_path, record, data)
    assert document.units and not document.problems, (target, document.problems)


@pytest.mark.fuzz
@pytest.mark.parametrize("target", sorted(SEEDS))
@HEALTH
@given(data=st.binary(max_size=4096))
def test_random_bytes_never_crash(tmp_path, target, data):
    record, _ = _seed(target)
    _assert_clean(_ingest(tmp_path, record, data))


@pytest.mark.fuzz
@pytest.mark.parametrize("target", sorted(SEEDS))
@HEALTH
@given(cuts=CUTS, noise=st.binary(min_size=0, max_size=64))
def test_mutated_real_excerpts_never_crash(tmp_path, target, cuts, noise):
    record, data = _seed(target)
    _assert_clean(_ingest(tmp_path, record, _mutate(data, cuts, noise)))


def _regressions() -> list[dict]:
    return json.loads(REGRESSIONS.read_text(encoding="utf-8"))["recipes"]


@pytest.mark.parametrize("recipe", _regressions(), ids=lambda r: r["id"])
def test_crashes_found_by_fuzzing_stay_fixed(tmp_path, recipe):
    record, data = _seed(recipe["target"])
    cuts = [tuple(cut) for cut in recipe["cuts"]]
    _assert_clean(_ingest(tmp_path, record, _mutate(data, cuts, bytes.fromhex(recipe["noise"]))))
