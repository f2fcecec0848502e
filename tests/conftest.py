"""Shared fixtures: the real corpus mirror, the manifest, and golden-file comparison."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import settings

from corpus.manifest import default_manifest

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).with_name("golden")
# Hypothesis profiles: "quick" in the normal suite, "fuzz" for `make fuzz` (HYPOTHESIS_PROFILE=fuzz)
settings.register_profile("quick", max_examples=25, deadline=None)
settings.register_profile("fuzz", max_examples=2000, deadline=None, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "quick"))

MIRROR = Path(os.environ.get("LEVELFIELD_MIRROR", ROOT.parent / "shared" / "corpus" / "sources"))


@pytest.fixture(scope="session")
def mirror() -> Path:
    """The folder of official texts (../shared/corpus/sources). Tests fail loudly without it."""
    assert MIRROR.is_dir(), f"corpus mirror not found at {MIRROR} (set LEVELFIELD_MIRROR)"
    return MIRROR


@pytest.fixture(scope="session")
def manifest():
    return default_manifest()


def source_path(doc_id: str, name: str | None = None) -> Path:
    """Path of a file of ``doc_id`` in the mirror (its first text file when ``name`` is None)."""
    record = default_manifest()[doc_id]
    name = name or record.text_files[0].name
    return MIRROR / doc_id / name


def skeleton(units, unit_ids=None, words: int = 8) -> list[dict]:
    """The comparable shape of units: id, heading, first words of the text, status."""
    out = []
    for u in units:
        if unit_ids is not None and not any(
            u.unit_id == i or u.unit_id.startswith(i + ".") for i in unit_ids
        ):
            continue
        out.append(
            {
                "unit_id": u.unit_id,
                "heading": u.heading,
                "first_words": " ".join(u.text.split()[:words]),
                "status": u.status,
            }
        )
    return out


def check_golden(name: str, actual: list[dict]) -> None:
    """Compare ``actual`` with ``tests/golden/<name>.json``.

    On mismatch, writes ``<name>.actual.json`` beside it and fails with a readable diff.
    Set LEVELFIELD_UPDATE_GOLDEN=1 to (re)write the golden file after reviewing the output.
    """
    path = GOLDEN / f"{name}.json"
    text = json.dumps(actual, ensure_ascii=False, indent=1) + "\n"
    if os.environ.get("LEVELFIELD_UPDATE_GOLDEN") == "1":
        path.write_text(text, encoding="utf-8")
        return
    assert path.exists(), (
        f"golden file {path} missing; run with LEVELFIELD_UPDATE_GOLDEN=1 and review it"
    )
    expected = path.read_text(encoding="utf-8")
    if expected != text:
        import difflib

        path.with_suffix(".actual.json").write_text(text, encoding="utf-8")
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(True), text.splitlines(True), str(path), "actual", n=2
            )
        )
        pytest.fail(f"golden mismatch for {name}:\n{diff[:6000]}")


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory, mirror) -> Path:
    """A data folder with the whole local corpus fetched and ingested (once per test session)."""
    from kb.cli import main

    base = tmp_path_factory.mktemp("data")
    assert main(["--data", str(base), "fetch", "--from", str(mirror)]) == 0
    main(["--data", str(base), "ingest"])
    assert (base / "units.jsonl").is_file()
    return base


@pytest.fixture(scope="session")
def units(data_dir):
    from kb.store import read_units

    return read_units(data_dir)


@pytest.fixture(scope="session")
def indexed_data(data_dir) -> Path:
    """``data_dir`` with the real search index (default model) built once per test session, and
    what ``kb build`` derives with it (principal forces, the matrix, which search reads)."""
    from indexing.embedders import DEFAULT_MODEL, get_embedder
    from indexing.index import build_index
    from kb.compare.cache import precompute

    seed = os.environ.get("LEVELFIELD_TEST_SEED_INDEX")  # a developer's shortcut, never in CI
    if seed and not (data_dir / "index").exists():
        # vectors are keyed by model and text: the build below reuses every one that matches
        import shutil

        shutil.copytree(Path(seed) / "index", data_dir / "indexes" / "seed")
        (data_dir / "index").symlink_to("indexes/seed")
    build_index(data_dir, get_embedder(DEFAULT_MODEL))
    precompute(data_dir)
    return data_dir
