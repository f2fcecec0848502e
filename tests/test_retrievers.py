"""Every retriever (``indexing.retrievers``) against one table of cases, and oracles.

Like eyecite running its citation cases against every tokenizer: the same contract checks and
the same retrieval cases (real queries, real provisions, the real index and model) run against
each implementation, so a new backend is one more entry in ``RETRIEVERS``.
"""

from __future__ import annotations

import shutil

import numpy as np
import pytest

from indexing.index import build_index, load_index
from indexing.retrievers import BM25Retriever, DenseRetriever, LexiconRetriever
from indexing.search import Searcher
from tests.fakes import HashEmbedder

RETRIEVERS = {
    "dense": lambda searcher: DenseRetriever(searcher.index.faiss_index, searcher.embedder),
    "bm25": lambda searcher: BM25Retriever(searcher.index.bm25),
    "lexicon": lambda searcher: LexiconRetriever(searcher.index.bm25),
}

# (query, document id prefix, article) — each retriever must rank the article among the first
# 20 provisions it returns (rows are passages and their paragraphs/points: several per article)
CASES = [
    ("complaints procedure", "eu-csddd-2024-1760", "art-14"),
    ("civil liability", "eu-csddd-2024-1760", "art-29"),
    ("Grundsatzerklärung", "de-lksg-2021", "sec-6"),
    ("mécanisme d'alerte et de recueil des signalements", "fr-loi-vigilance", "art-L225-102-1"),
    ("Sorgfaltspflichten in den Lieferketten", "de-lksg-2021", "sec-3"),
]


@pytest.fixture(scope="module")
def searcher(indexed_data):
    return Searcher(indexed_data)


def _article(chunk) -> str:
    return chunk.unit_id.split(".")[0]


@pytest.mark.parametrize("name", RETRIEVERS)
@pytest.mark.parametrize(("query", "doc_prefix", "article"), CASES)
def test_every_retriever_finds_the_provision(searcher, name, query, doc_prefix, article):
    retriever = RETRIEVERS[name](searcher)
    chunks = searcher.index.chunks
    provisions = list(
        dict.fromkeys(
            (chunks[row].doc_id, _article(chunks[row]))
            for row, _ in retriever.candidates(query, None, 200)
        )
    )[:20]
    assert any(
        doc_id.startswith(doc_prefix) and found == article for doc_id, found in provisions
    ), provisions


@pytest.mark.parametrize("name", RETRIEVERS)
def test_every_retriever_keeps_the_contract(searcher, name):
    """Best first, at most n, only allowed rows, valid rows; an empty allowed set gives nothing."""
    retriever = RETRIEVERS[name](searcher)
    total = len(searcher.index.chunks)
    lksg = np.array(
        [i for i, c in enumerate(searcher.index.chunks) if c.doc_id == "de-lksg-2021"],
        dtype=np.int64,
    )
    for query, _doc, _article in CASES:
        for allowed in (None, lksg):
            found = retriever.candidates(query, allowed, 7)
            scores = [score for _, score in found]
            assert len(found) <= 7 and scores == sorted(scores, reverse=True)
            assert all(0 <= row < total for row, _ in found)
            assert len({row for row, _ in found}) == len(found)
            if allowed is not None:
                assert {row for row, _ in found} <= set(lksg.tolist())
    assert retriever.candidates("complaints procedure", np.array([], dtype=np.int64), 5) == []
    assert retriever.kind in ("dense", "bm25")


@pytest.fixture(scope="module")
def fake_index(data_dir, tmp_path_factory):
    base = tmp_path_factory.mktemp("fake-retrievers") / "data"
    shutil.copytree(data_dir, base, ignore=shutil.ignore_patterns("index", "indexes"))
    build_index(base, HashEmbedder())
    return load_index(base)


@pytest.mark.parametrize("restricted", [False, True])
def test_dense_candidates_are_the_brute_force_top_n(fake_index, restricted):
    """Oracle: every returned score is the true cosine, and no row left out scores higher than
    the lowest one returned (ties at the cut may go either way; nothing else may)."""
    retriever = DenseRetriever(fake_index.faiss_index, HashEmbedder())
    query = "complaints procedure trade unions"
    brute = fake_index.vectors @ HashEmbedder().encode_queries([query])[0]
    rows = np.arange(len(brute))
    allowed = rows[rows % 3 == 0] if restricted else None
    found = retriever.candidates(query, allowed, 20)
    assert len(found) == 20
    got = np.array([row for row, _ in found])
    assert np.allclose([score for _, score in found], brute[got], atol=1e-5)
    pool = set((allowed if restricted else rows).tolist())
    assert set(got.tolist()) <= pool
    left_out = np.array(sorted(pool - set(got.tolist())))
    assert brute[left_out].max() <= min(score for _, score in found) + 1e-5
