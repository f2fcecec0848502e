"""Retrievers: the seam between ``Searcher`` and the engines that find candidate chunks.

A retriever answers one question — which rows (chunk positions in the index) best match this
query, among the ``allowed`` rows — and knows nothing of fusion, priors, grouping or HTML:

    candidates(query, allowed, n) -> [(row, score), ...]   best first, at most n

``allowed`` is a sorted array of row numbers (``None`` = every row). Rows are positions in
``Index.chunks``. Scores are the engine's own (cosine, BM25) and only their order is used by the
fusion. ``Searcher`` takes a list of ``(retriever, weight)`` pairs; a search-engine backend (an
OpenSearch/Elasticsearch query, say) is one more class with this method, mapping its document
ids back to rows. ``tests/test_retrievers.py`` runs one table of cases against every class here.
"""

from __future__ import annotations

from typing import Protocol

import numpy as np

from indexing.lexicon import expand
from kb.lang import query_tokens, tokens


class Retriever(Protocol):
    #: ``dense`` or ``bm25``: which rank a hit reports (``Hit.dense_rank`` / ``bm25_rank``)
    kind: str

    def candidates(
        self, query: str, allowed: np.ndarray | None, n: int
    ) -> list[tuple[int, float]]: ...


class DenseRetriever:
    """Nearest chunks by cosine of multilingual embeddings (a FAISS inner-product index over
    normalised vectors); ``allowed`` becomes a FAISS ID selector, so filtering happens inside the
    search, not after it."""

    kind = "dense"

    def __init__(self, faiss_index, embedder):
        self.faiss_index = faiss_index
        self.embedder = embedder

    def candidates(self, query: str, allowed: np.ndarray | None, n: int) -> list[tuple[int, float]]:
        import faiss

        n = min(n, self.faiss_index.ntotal if allowed is None else len(allowed))
        if n <= 0:
            return []
        vector = self.embedder.encode_queries([query])
        params = None
        if allowed is not None:
            params = faiss.SearchParameters(sel=faiss.IDSelectorBatch(allowed))
        scores, ids = self.faiss_index.search(vector, n, params=params)
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=True) if i >= 0]


class BM25Retriever:
    """Lexical BM25 (a ``bm25s`` index) over the query's stemmed words (``kb.lang``); only
    chunks that share a word with the query are candidates."""

    kind = "bm25"

    def __init__(self, bm25):
        self.bm25 = bm25

    def terms(self, query: str) -> list[str]:
        return query_tokens(query)

    def candidates(self, query: str, allowed: np.ndarray | None, n: int) -> list[tuple[int, float]]:
        terms = list(dict.fromkeys(self.terms(query)))
        if not terms or n <= 0:
            return []
        scores = self.bm25.get_scores(terms)
        if allowed is not None:
            mask = np.full(scores.shape, -np.inf)
            mask[allowed] = scores[allowed]
            scores = mask
        top = np.argsort(-scores, kind="stable")[:n]
        return [(int(i), float(scores[i])) for i in top if scores[i] > 0]


class LexiconRetriever(BM25Retriever):
    """BM25 over the query's expansion with the team lexicon (``indexing.lexicon``): the terms
    the lexicon gives, in every language, for the concepts the query names ("Beschwerde" for
    "complaint"); no candidates when the query names no lexicon concept."""

    def terms(self, query: str) -> list[str]:
        return [t for term, lang in expand(query) for t in tokens(term, lang)]
