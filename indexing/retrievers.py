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
    #: the ``RankingSettings`` field that weighs its ranking (``Searcher.use_settings``)
    weight_setting: str

    def candidates(
        self, query: str, allowed: np.ndarray | None, n: int
    ) -> list[tuple[int, float]]: ...

    def row_scores(self, query: str, rows: list[int]) -> list[float] | None:
        """The engine's score of each of ``rows`` for ``query`` (``None``: cannot score given
        rows); used to pick the paragraph of a retrieved article that answers best."""
        ...


class DenseRetriever:
    """Nearest chunks by cosine of multilingual embeddings (a FAISS inner-product index over
    normalised vectors); ``allowed`` becomes a FAISS ID selector, so filtering happens inside the
    search, not after it."""

    kind = "dense"

    def __init__(
        self, faiss_index, embedder, vectors: np.ndarray | None = None, kind: str = "dense"
    ):
        """``vectors``: the index's normalised vectors by row, for ``row_scores``; ``kind``:
        ``companion`` for a second model's ranking (fused, but it does not pick the paragraph
        a hit cites nor give the cosine that calibrates relevance)."""
        self.kind = kind
        self.faiss_index = faiss_index
        self.embedder = embedder
        self.vectors = vectors
        self._last: tuple[str | None, np.ndarray | None] = (None, None)

    @property
    def weight_setting(self) -> str:
        """The ``RankingSettings`` field that weighs this ranking in the fusion."""
        return "dense_weight" if self.kind == "dense" else f"{self.kind}_weight"

    def query_vector(self, query: str) -> np.ndarray:
        """The query's embedding, shape (1, dim) (the last one is kept: one search asks for it
        several times). The kept pair is read once, so searches in other threads cannot swap it
        in between."""
        last = self._last
        if last[0] == query:
            return last[1]
        vector = self.embedder.encode_queries([query])
        self._last = (query, vector)
        return vector

    def candidates(self, query: str, allowed: np.ndarray | None, n: int) -> list[tuple[int, float]]:
        import faiss

        n = min(n, self.faiss_index.ntotal if allowed is None else len(allowed))
        if n <= 0:
            return []
        vector = self.query_vector(query)
        params = None
        if allowed is not None:
            params = faiss.SearchParameters(sel=faiss.IDSelectorBatch(allowed))
        scores, ids = self.faiss_index.search(vector, n, params=params)
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=True) if i >= 0]

    def row_scores(self, query: str, rows: list[int]) -> list[float] | None:
        if self.vectors is None:
            return None
        return [float(x) for x in self.vectors[rows] @ self.query_vector(query)[0]]


class BM25Retriever:
    """Lexical BM25 (a ``bm25s`` index) over the query's stemmed words (``kb.lang``); only
    chunks that share a word with the query are candidates."""

    kind = "bm25"
    #: the ``RankingSettings`` field that weighs this ranking in the fusion
    weight_setting = "bm25_weight"

    def __init__(self, bm25):
        self.bm25 = bm25
        self._last: tuple[str | None, np.ndarray | None] = (None, None)

    def terms(self, query: str) -> list[str]:
        return query_tokens(query)

    def _scores(self, query: str) -> np.ndarray | None:
        """BM25 score of every row (``None`` without query terms); the last query's are kept
        (read once, as in ``DenseRetriever._vector``)."""
        last = self._last
        if last[0] == query:
            return last[1]
        terms = list(dict.fromkeys(self.terms(query)))
        scores = self.bm25.get_scores(terms) if terms else None
        self._last = (query, scores)
        return scores

    def row_scores(self, query: str, rows: list[int]) -> list[float] | None:
        scores = self._scores(query)
        return [0.0] * len(rows) if scores is None else [float(scores[r]) for r in rows]

    def candidates(self, query: str, allowed: np.ndarray | None, n: int) -> list[tuple[int, float]]:
        scores = self._scores(query)
        if scores is None or n <= 0:
            return []
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

    weight_setting = "expansion_weight"

    def terms(self, query: str) -> list[str]:
        return [t for term, lang in expand(query) for t in tokens(term, lang)]
