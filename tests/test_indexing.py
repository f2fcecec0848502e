"""Index plumbing with a fake embedder: oracles, round trips, staleness, incremental builds."""

import json
import shutil

import bm25s
import numpy as np
import pytest

from indexing.index import build_index, load_index
from indexing.search import Filters, Searcher
from kb.errors import QueryError, StoreError
from kb.lang import tokens
from tests.fakes import HashEmbedder


@pytest.fixture(scope="module")
def fake_data(data_dir, tmp_path_factory):
    base = tmp_path_factory.mktemp("fake") / "data"
    shutil.copytree(data_dir, base, ignore=shutil.ignore_patterns("index", "indexes"))
    build_index(base, HashEmbedder())
    return base


def test_bm25_ranks_a_four_document_corpus_by_hand():
    docs = [
        "widget widget widget gadget",  # most widget
        "gadget sprocket",
        "widget sprocket sprocket",
        "lorem ipsum",
    ]
    retriever = bm25s.BM25()
    retriever.index([tokens(d, "en") for d in docs], show_progress=False)
    scores = retriever.get_scores(tokens("widget", "en"))
    assert list(np.argsort(-scores)[:2]) == [0, 2]
    assert scores[1] == scores[3] == 0


def test_save_load_round_trip_gives_identical_results(fake_data):
    embedder = HashEmbedder()
    first = Searcher(fake_data, embedder=embedder).search("complaints procedure", k=5)
    second = Searcher(fake_data, embedder=embedder).search("complaints procedure", k=5)
    assert [h.to_dict() for h in first] == [h.to_dict() for h in second]
    assert len(first) == 5


def test_rebuild_reuses_every_vector(fake_data, tmp_path):
    base = tmp_path / "data"
    shutil.copytree(fake_data, base, symlinks=True)
    embedder = HashEmbedder()
    meta = build_index(base, embedder)
    assert embedder.passages_encoded == 0
    assert meta["reused_vectors"] == meta["chunks"]


def test_removing_a_document_does_not_reembed_the_others(fake_data, tmp_path):
    base = tmp_path / "data"
    shutil.copytree(fake_data, base, symlinks=True)
    lines = (base / "units.jsonl").read_text(encoding="utf-8").splitlines(True)
    kept = [line for line in lines if json.loads(line)["doc_id"] != "de-lksg-2021"]
    assert len(kept) < len(lines)
    (base / "units.jsonl").write_text("".join(kept), encoding="utf-8")
    embedder = HashEmbedder()
    meta = build_index(base, embedder)
    assert embedder.passages_encoded == 0
    assert all(c.doc_id != "de-lksg-2021" for c in load_index(base).chunks)
    assert meta["reused_vectors"] == meta["chunks"]


def test_stale_index_is_detected(fake_data, tmp_path):
    base = tmp_path / "data"
    shutil.copytree(fake_data, base, symlinks=True)
    lines = (base / "units.jsonl").read_text(encoding="utf-8").splitlines(True)
    (base / "units.jsonl").write_text("".join(lines[:-1]), encoding="utf-8")
    with pytest.raises(StoreError, match="stale"):
        load_index(base)


def test_missing_index_and_wrong_model(fake_data, tmp_path):
    with pytest.raises(StoreError, match="python -m kb build"):
        load_index(tmp_path)
    with pytest.raises(StoreError, match="built with model 'hash-test'"):
        load_index(fake_data, model="e5")


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("x" * 10_000, "limit is 4000"),
        ("the of and", "no searchable words"),
        ("?!… —", "no searchable words"),
    ],
)
def test_bad_queries(fake_data, query, message):
    with pytest.raises(QueryError, match=message):
        Searcher(fake_data, embedder=HashEmbedder()).search(query)


def test_filters(fake_data):
    searcher = Searcher(fake_data, embedder=HashEmbedder())
    hits = searcher.search("complaints", k=10, filters=Filters(jurisdiction={"DE"}))
    assert hits and {h.doc_id for h in hits} == {"de-lksg-2021"}
    with pytest.raises(QueryError, match="unknown jurisdiction"):
        searcher.search("complaints", filters=Filters(jurisdiction={"XX"}))
    as_at = searcher.search("complaints", k=30, filters=Filters(as_at="2025-06-01"))
    assert "eu-csddd-2024-1760" not in {h.doc_id for h in as_at}


def test_one_hit_per_provision_and_escaped_snippets(fake_data):
    hits = Searcher(fake_data, embedder=HashEmbedder()).search("Member States shall ensure", k=30)
    groups = [(h.doc_id, h.unit_id.split(".")[0]) for h in hits if h.sibling_of is None]
    assert len(groups) == len(set(groups))
    assert all("<script" not in h.snippet for h in hits)


def test_a_companion_model_is_stored_reused_and_fused(fake_data, tmp_path):
    from tests.fakes import OtherHashEmbedder

    base = tmp_path / "data"
    shutil.copytree(fake_data, base, symlinks=True)
    second = OtherHashEmbedder()
    meta = build_index(base, HashEmbedder(), companion=second)
    assert meta["companion"] == {"model": "hash-other", "fingerprint": "hash-other-32", "dim": 32}
    assert second.passages_encoded > 0
    index = load_index(base)
    assert index.companion[0].shape == (len(index.chunks), 32)
    again = OtherHashEmbedder()
    build_index(base, HashEmbedder(), companion=again)
    assert again.passages_encoded == 0  # every companion vector reused
    searcher = Searcher(base, embedder=HashEmbedder(), companion=OtherHashEmbedder())
    assert [r.kind for r, _ in searcher.retrievers].count("companion") == 1
    assert searcher.search("complaints procedure", k=3)
    from indexing.search import RankingSettings

    off = Searcher(
        base,
        embedder=HashEmbedder(),
        companion=OtherHashEmbedder(),
        settings=RankingSettings(companion_weight=0),
    )
    assert "companion" not in [r.kind for r, _ in off.retrievers]
    with pytest.raises(QueryError, match="companion"):
        Searcher(base, embedder=HashEmbedder(), companion=HashEmbedder())
    (load_index(base).path / "companion_vectors.npy").write_bytes(b"garbage")
    with pytest.raises(StoreError, match="companion_vectors.npy"):
        load_index(base)
