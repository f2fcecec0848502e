"""Hybrid search: expand → retrieve → fuse → prior → group.

``Searcher.search`` asks each retriever (``indexing.retrievers``: dense FAISS, BM25, BM25 over the
lexicon expansion) for candidates among the rows the manifest filters allow, fuses the rankings by
weighted reciprocal rank fusion (``indexing.fusion``), re-weights them (recitals, instruments the
query names), and groups them so that one provision of an act's versions is one result and one
instrument does not fill the page. Every weight is in ``RankingSettings``.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import html
import logging
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from types import MappingProxyType

import numpy as np

from corpus.manifest import manifest_for
from indexing.fusion import reciprocal_rank_fusion
from indexing.index import load_index
from indexing.lexicon import answer_kinds, instruments_named, names_the_law
from indexing.retrievers import BM25Retriever, DenseRetriever, LexiconRetriever, Retriever
from kb.compare.versions import act_of, visible_at
from kb.errors import KBError, QueryError
from kb.lang import query_tokens, words
from kb.models import DocRecord
from kb.numbering import is_within, top_level

log = logging.getLogger(__name__)
#: a paragraph of a draft bill fits (to find its counterparts); the dense model reads its first
#: 512 tokens, BM25 all of it
MAX_QUERY_CHARS = 4000
MODES = ("hybrid", "dense", "bm25")
FILTER_FIELDS = ("doc_id", "jurisdiction", "instrument_type", "status", "language")


@dataclass(frozen=True)
class RankingSettings:
    """How hybrid search ranks: one object, injected into ``Searcher`` (``settings=``), so an
    evaluation can sweep any value without patching a module (``benchmarks/sweep_ranking.py``,
    ``kb eval --setting``). The defaults were chosen on the tuning half of the dev sets
    (``indexing/devset*.jsonl``, split by ``kb.split``); README "Measured" reports the test half."""

    #: candidates taken from each ranker before fusion
    candidates: int = 200
    #: reciprocal rank fusion constant (``indexing.fusion``)
    rrf_k: int = 20
    dense_weight: float = 2.0
    #: the companion model's ranking (``indexing.embedders.COMPANIONS``), when the index has it
    companion_weight: float = 0.75
    bm25_weight: float = 0.7
    #: the BM25 ranking of the query expanded with the team lexicon
    expansion_weight: float = 1.2
    #: a cosine ranking (dense, companion) votes for a provision with its best row's cosine less
    #: this share of the gap to the mean of its language versions' best rows (those among the
    #: candidates): an act in three languages gets three draws at every query, so its best row
    #: is biased upwards against an act in one (0: the best row; 1: the mean). Tuning half, S@1 /
    #: MRR / pinpoint@10 for 0 / 0.25 / 0.5 / 0.75 / 1: 0.647 / 0.747 / 0.841, 0.657 / 0.755 /
    #: 0.850, 0.667 / 0.761 / 0.855, 0.657 / 0.754 / 0.845, 0.652 / 0.751 / 0.845
    language_spread: float = 0.5
    #: recitals explain, they do not rule: their fused score counts this much
    recital_weight: float = 0.5
    #: texts that are not the law: policy advice, and a proposal the corpus has as adopted
    #: (unless the query names them)
    not_law_weight: float = 0.4
    #: an amending act (manifest ``amends``), whose changes the consolidated versions carry, unless
    #: the query names it ("Omnibus", "stop-the-clock")
    amending_weight: float = 0.5
    #: provisions of an instrument the query names ("LkSG", "Omnibus", …); tuning half, 5 / 10 /
    #: 30 / 1000: S@10 0.889 / 0.899 / 0.899 / 0.899, IR@10 0.952 / 0.960 / 0.957 / 0.952
    named_boost: float = 10.0
    #: each ranker also ranks the named instruments' rows alone, fused with its weight × this
    #: (0: off). Tuning half, S@1 / S@10 / MRR / pinpoint for 0 / 0.3 / 0.5 / 1: 0.623 / 0.908 /
    #: 0.727 / 0.807, 0.623 / 0.923 / 0.733 / 0.812, 0.618 / 0.928 / 0.731 / 0.812, 0.628 /
    #: 0.928 / 0.736 / 0.816 (dense alone, 1: 0.594 / 0.913 / 0.711 / 0.792)
    named_rankings: float = 1.0
    #: the provisions the obligation matrix cites for the comparison element whose question is
    #: nearest the query (cosine of the query embeddings ≥ ``element_similarity``) count this
    #: much: the matrix knows where each instrument answers "how high can the fine be?". Tuning
    #: half, S@1 for boost 1 / 1.1 / 1.25 / 1.5 / 2 (similarity 0.8): 0.565 / 0.580 / 0.599 /
    #: 0.585 / 0.556; 1.25 at similarity 0.75 / 0.78 / 0.82: 0.604 / 0.599 / 0.604
    element_boost: float = 1.25
    element_similarity: float = 0.8
    #: rows that state a key fact of the kind the query asks for ("how long …": a period or a
    #: date; ``indexing.lexicon.answer_kinds``) count this much. Tuning half (with
    #: ``pinpoint_answer`` 1), S@1 / MRR for 1 / 1.1 / 1.25 / 1.5 / 2: 0.599 / 0.604 / 0.614 /
    #: 0.618 / 0.609, 0.705 / 0.708 / 0.713 / 0.716 / 0.712
    answer_boost: float = 1.5
    #: a query that names an amending act ("Omnibus", "stop-the-clock") asks what it changed: the
    #: amending provision that replaces, deletes or inserts a provision of the act it amends
    #: (``kb.compare.diff.amendment_links``) ranks with that provision's score × this, under the
    #: amending act's own weight, and cites the amending point ("Article 22 is deleted"), whose
    #: few words no ranker matches to the question (0: off)
    amendment_bridge: float = 3.0
    #: a provision that the version of its act in force on the date (today, or the as-at
    #: date) no longer holds — deleted or moved — counts this much; its hit says so whatever
    #: the weight (``Hit.superseded_by``: "Article 22 — Combating climate change" of a
    #: consolidation the 2026 Omnibus replaced is history, not the law). Tuning half, S@1 / S@10
    #: / pinpoint for 1 / 0.7 / 0.5 / 0.3: 0.710 / 0.937 / 0.855, 0.705 / 0.937 / 0.855, 0.700 /
    #: 0.932 / 0.850, 0.700 / 0.928 / 0.845 (questions labelled with a provision since deleted)
    superseded_weight: float = 1.0
    #: at most this many results per instrument among the first k (when enough others match)
    per_doc: int = 2
    #: … per instrument the query names, when it names several (one named instrument: no cap)
    per_named_doc: int = 4
    #: a hit cites the paragraph/point (``Chunk.part`` row) of its provision that scores best
    #: within the provision; off: it cites the passage (an article, or the part a passage covers)
    pinpoint: bool = True
    #: weights of the dense and the lexical (BM25, lexicon) rankings of a provision's parts
    pinpoint_dense: float = 1.0
    pinpoint_lexical: float = 0.0
    #: … and of the parts that state a key fact of the kind the query asks for ("how long …":
    #: a period or a date; ``indexing.lexicon.answer_kinds``), in dense order. Tuning half,
    #: pinpoint@10 for 0 / 0.5 / 1 / 2: 0.773 / 0.787 / 0.792 / 0.792 (Norwegian facts read)
    pinpoint_answer: float = 1.0
    #: … then the best-scoring part inside it, when its dense score is within this of its own (the
    #: point of a list that answers rather than the paragraph holding the list); negative: off
    pinpoint_descend: float = 0.015
    #: a provision the obligation matrix cites for the comparison element nearest the query
    #: (``element_similarity``) cites the paragraph/point the matrix cites (the matrix read its
    #: parts for that element's cues) when its dense score is within this of the picker's
    #: choice; negative: off. Tuning half, pinpoint@10 off / 0.01 / 0.02 / 0.03 / 0.05 / any:
    #: 0.821 / 0.841 / 0.836 / 0.836 / 0.831 / 0.831 (nothing else changes)
    pinpoint_matrix: float = 0.01
    #: the first result's next parts in its pinpoint ranking, up to this many, each shown as a
    #: result of its own at the end of the list (``Hit.sibling_of``) in place of the last result
    #: in the list's lower half whose act a result above it already shows (none: not shown; the
    #: first half is never displaced, whatever ``k``). Tuning half, 0 / 1 / 2 / 3:
    #: pinpoint@10 0.705 / 0.754 / 0.773 / 0.778, S@10 0.908 / 0.903 / 0.894 / 0.865, S@5
    #: 0.874 / 0.874 / 0.874 / 0.860; S@1 and instrument recall unchanged
    siblings: int = 2
    #: re-order the first provisions with the learned reranker (``indexing.rerank``) when one
    #: is stored for this embedder
    rerank: bool = False
    #: search the paragraph/point rows too (off: passages only, hits cite what a passage covers)
    parts: bool = True
    #: fuse rankings of provisions (each ranker's best row per provision) rather than of rows
    fuse_provisions: bool = True
    #: words that ask for recitals: such a query does not down-weight them (any language)
    recital_words: tuple[str, ...] = (
        "recital",
        "recitals",
        "considérant",
        "considérants",
        "overweging",
        "overwegingen",
        "erwägungsgrund",
        "erwägungsgründe",
        "fortale",
        "fortalen",
    )


DEFAULT_RANKING = RankingSettings()
#: no provisions (an empty, read-only mapping for defaults)
_NOTHING: Mapping = MappingProxyType({})


@dataclass
class Filters:
    """Facets from the manifest; each a set of allowed values (empty = any). ``as_at`` an ISO date."""

    doc_id: set[str] = field(default_factory=set)
    jurisdiction: set[str] = field(default_factory=set)
    instrument_type: set[str] = field(default_factory=set)
    status: set[str] = field(default_factory=set)
    language: set[str] = field(default_factory=set)
    as_at: str | None = None

    @classmethod
    def of(cls, as_at: str | None = None, **values) -> Filters:
        """Filters from lists of allowed values (``None`` or empty = any), as the CLI, the API
        and the app hold them: ``Filters.of(doc_id=["de-lksg-2021"], as_at="2025-01-01")``."""
        unknown = sorted(set(values) - set(FILTER_FIELDS))
        if unknown:
            raise TypeError(f"unknown filter field(s) {unknown}")
        return cls(**{name: set(values.get(name) or ()) for name in FILTER_FIELDS}, as_at=as_at)

    def validate(self, records: dict[str, DocRecord]) -> None:
        for name in FILTER_FIELDS:
            allowed = {getattr(r, name) for r in records.values()}
            unknown = getattr(self, name) - allowed
            if unknown:
                raise QueryError(
                    f"unknown {name} {sorted(unknown)}; known: {', '.join(sorted(allowed))}"
                )

    def admits(self, record: DocRecord) -> bool:
        return all(
            not getattr(self, n) or getattr(record, n) in getattr(self, n) for n in FILTER_FIELDS
        )


#: how deep every result list is grouped and scored before it is cut to the k asked for
RELEVANCE_DEPTH = 10


@dataclass
class Hit:
    rank: int
    doc_id: str
    unit_id: str
    citation: str
    heading: str
    text: str
    snippet: str
    score: float
    language: str
    jurisdiction: str
    url: str
    short_title: str
    dense_rank: int | None = None
    bm25_rank: int | None = None
    dense_score: float | None = None  # cosine of the query and this chunk (a calibration input)
    relevance: float | None = None  # calibrated probability that it is relevant
    also_in: list[str] = field(default_factory=list)  # other versions with the same provision
    #: the rank of the result whose provision this is another part of (``siblings``)
    sibling_of: int | None = None
    #: the version of the act in force on the date, when it no longer holds this provision
    #: (deleted or moved; ``RankingSettings.superseded_weight``)
    superseded_by: str | None = None

    def to_dict(self) -> dict:
        return asdict(self)


class Searcher:
    """Loads an index once and answers queries. Not shared mutable state: ``search`` is pure."""

    def __init__(
        self,
        data: Path,
        model: str | None = None,
        *,
        embedder=None,
        settings: RankingSettings = DEFAULT_RANKING,
        retrievers: list[tuple[Retriever, float]] | None = None,
        companion=None,
    ):
        """``retrievers``: ``(retriever, weight)`` pairs to fuse; by default dense, BM25 and
        lexicon BM25 over this index with the weights of ``settings``, and the companion model's
        dense ranking when the index has one (``companion``: its embedder; default: the model the
        index names)."""
        from indexing.embedders import get_embedder

        self.settings = settings
        self.data = Path(data)
        self.index = load_index(data, model)
        self.embedder = embedder or get_embedder(self.index.meta["model"])
        if self.embedder.fingerprint != self.index.meta["fingerprint"]:
            raise QueryError(
                f"index was built with {self.index.meta['fingerprint']}, not {self.embedder.fingerprint}; "
                "run `python -m kb build`"
            )
        self.records = manifest_for(data)
        self.retrievers = retrievers or [
            (
                DenseRetriever(self.index.faiss_index, self.embedder, self.index.vectors),
                settings.dense_weight,
            ),
            (BM25Retriever(self.index.bm25), settings.bm25_weight),
            (LexiconRetriever(self.index.bm25), settings.expansion_weight),
        ]
        companion_embedder, companion = companion, self.index.meta.get("companion")
        if (
            retrievers is None
            and self.index.companion is not None
            and settings.companion_weight > 0
        ):
            second = companion_embedder or get_embedder(companion["model"])
            if second.fingerprint != companion["fingerprint"]:
                raise QueryError(
                    f"index was built with companion {companion['fingerprint']}, not "
                    f"{second.fingerprint}; run `python -m kb build`"
                )
            vectors, faiss_index = self.index.companion
            self.retrievers.append(
                (
                    DenseRetriever(faiss_index, second, vectors, kind="companion"),
                    settings.companion_weight,
                )
            )
        from indexing.calibration import load_calibration

        self.calibration = load_calibration(self.embedder.fingerprint)
        from indexing.rerank import load_reranker

        self.reranker = load_reranker(self.embedder.fingerprint)
        self._vocabulary: set[str] | None = None
        #: (element question, the provisions the matrix cites for it) pairs and the questions'
        #: embeddings, loaded at the first query (``_answering``)
        self._elements: tuple[list, np.ndarray | None] | None = None
        self._kinds: dict[int, frozenset[str]] = {}  # row → kinds of fact (``_fact_kinds``)
        #: amended act → its provisions' amending units (``_amendments``), read at first need
        self._amending: dict[str, list[tuple[str, str, str]]] | None = None
        self._doc_rows: dict[str, list[int]] = {}
        for i, chunk in enumerate(self.index.chunks):
            self._doc_rows.setdefault(chunk.doc_id, []).append(i)
        self._passage_of = _passages_of_parts(self.index.chunks)
        self._act = {doc_id: act_of(self.records, doc_id) for doc_id in self._doc_rows}
        self._top = [top_level(chunk.unit_id) for chunk in self.index.chunks]  # by row
        self._language = [  # by row: its document's language (``_collapse``)
            getattr(self.records.get(chunk.doc_id), "language", "") for chunk in self.index.chunks
        ]
        #: a document's weight when the query does not name it (``_prior``)
        self._doc_weight = self._doc_weights(settings)
        self._in_force: dict[str, set[str]] = {}
        #: (doc, unit) of every provision the index holds text of, at any depth
        self._holds: set[tuple[str, str]] = set()
        for chunk in self.index.chunks:
            self._holds.add((chunk.doc_id, chunk.unit_id))
            self._holds.update((chunk.doc_id, u) for u in chunk.unit_ids)
        #: date → (act → its documents in force, (act, top-level unit) those hold)
        self._current: dict[str, tuple[dict[str, list[str]], set[tuple[str, str]]]] = {}
        self._provision_rows: dict[tuple[str, str], list[int]] = {}  # (doc, top unit) → rows
        for i, chunk in enumerate(self.index.chunks):
            if not chunk.part:
                self._provision_rows.setdefault(
                    (chunk.doc_id, top_level(chunk.unit_id)), []
                ).append(i)
        # (doc, top-level unit) → the rows that can be cited inside it: its paragraph/point rows
        # and the passages that already cite a paragraph (a long article split at its paragraphs
        # gets no part row for a paragraph that is a passage of its own)
        self._parts_of: dict[tuple[str, str], list[int]] = {}
        for i, chunk in enumerate(self.index.chunks):
            if chunk.part or "." in chunk.unit_id:
                self._parts_of.setdefault((chunk.doc_id, top_level(chunk.unit_id)), []).append(i)

    # -- public -------------------------------------------------------------------------------

    def use_settings(self, settings: RankingSettings) -> None:
        """Rank with ``settings`` from now on, each retriever re-weighted by the setting it names
        (``weight_setting``; one without keeps its weight): a sweep tries many settings on one
        loaded index."""
        self.settings = settings
        self._doc_weight = self._doc_weights(settings)
        self.retrievers = [
            (r, getattr(settings, r.weight_setting) if hasattr(r, "weight_setting") else w)
            for r, w in self.retrievers
        ]

    def _doc_weights(self, settings: RankingSettings) -> dict[str, float]:
        """Each document's weight when the query does not name it: policy advice and a proposal
        the corpus has as adopted ``not_law_weight``, an amending act ``amending_weight``."""
        weights = {}
        for doc_id in self._doc_rows:
            record = self.records.get(doc_id)
            weights[doc_id] = (
                1.0
                if record is None
                else settings.not_law_weight
                if record.instrument_type == "policy-advice" or record.adopted_as
                else settings.amending_weight
                if record.amends
                else 1.0
            )
        return weights

    def search(
        self, query: str, k: int = 10, filters: Filters | None = None, mode: str = "hybrid"
    ) -> list[Hit]:
        """Hits best first, at most one per top-level provision of an act (the other versions
        and languages that matched are listed in ``also_in``)."""
        if not 1 <= k <= 100:
            raise QueryError("k must be between 1 and 100")
        query, fusion = self._fuse(query, filters, mode)
        # the list is grouped ``RELEVANCE_DEPTH`` deep whatever k, and cut after: the relevance
        # reads each result's lead over the next one, and neither a result nor its relevance
        # may depend on how many are shown (fewer results are the head of the same list)
        hits = self._group(query, fusion, max(k, RELEVANCE_DEPTH))
        if self.calibration is not None:
            for hit, relevance in zip(hits, self.calibration.relevances(hits), strict=True):
                hit.relevance = relevance
        return hits[:k]

    def provisions(self, query: str, filters: Filters | None = None) -> tuple[list, list[str]]:
        """The provisions a hybrid search ranks, best first, before any is cut or shown (for
        fitting the reranker), and the instruments the query names."""
        query, fusion = self._fuse(query, filters, "hybrid")
        return self._ranked(query, fusion), fusion.named

    def _fuse(self, query: str, filters: Filters | None, mode: str) -> tuple[str, _Fusion]:
        """Check the query, run the retrievers over the allowed rows and fuse their rankings."""
        query = _check_query(query)
        if mode not in MODES:
            raise QueryError(f"mode must be one of {MODES}")
        filters = filters or Filters()
        filters.validate(self.records)
        allowed = self._allowed_rows(filters)
        named = instruments_named(query)
        named_docs = self._named_docs(named)
        within = self._named_rows(named_docs, allowed)
        rankings: list[list[tuple[int, float]]] = []
        weights: list[float] = []
        cosine: list[bool] = []  # whether each ranking's scores are cosines (``_collapse``)
        first: dict[str, list[tuple[int, float]]] = {}  # each kind's first ranking (ranks shown)
        for retriever, weight in self.retrievers:
            if mode != "hybrid" and retriever.kind != mode:
                continue
            ranking = retriever.candidates(query, allowed, self.settings.candidates)
            first.setdefault(retriever.kind, ranking)
            if ranking:
                rankings.append(ranking)
                weights.append(weight)
                cosine.append(isinstance(retriever, DenseRetriever))
            if within is not None:
                # the same ranker within the named instruments: their provisions are ranked
                # against each other even where the whole corpus's first candidates miss them
                # (an English question about the German LkSG)
                ranking = retriever.candidates(query, within, self.settings.candidates)
                if ranking:
                    rankings.append(ranking)
                    weights.append(weight * self.settings.named_rankings)
                    cosine.append(isinstance(retriever, DenseRetriever))
        dense, bm25 = first.get("dense", []), first.get("bm25", [])
        answering = self._answering(query) if mode == "hybrid" else _NOTHING
        amending: Mapping[tuple[str, str], tuple[tuple[str, ...], ...]] = _NOTHING
        fused = reciprocal_rank_fusion(rankings, k=self.settings.rrf_k, weights=weights)
        date = filters.as_at or dt.date.today().isoformat()
        fused = self._prior(query, fused, named_docs, answering, date)
        rows: dict[tuple, int] = {}  # each provision's best row
        for row, _ in fused:
            rows.setdefault(self._key_of(row), row)
        order = None
        if self.settings.fuse_provisions:
            # each ranker votes once per provision (its best row), so the paragraph rows of one
            # article do not push other articles down the rankings before fusion
            spread = self.settings.language_spread
            collapsed = [
                self._collapse(ranking, spread if is_cosine else 0.0)
                for ranking, is_cosine in zip(rankings, cosine, strict=True)
            ]
            fused_keys = reciprocal_rank_fusion(collapsed, k=self.settings.rrf_k, weights=weights)
            order = self._prior(
                query,
                [(rows[key], score) for key, score in fused_keys],
                named_docs,
                answering,
                date,
            )
            if mode == "hybrid":
                order, amending = self._bridge(order, named_docs, allowed)
        return query, _Fusion(
            fused,
            order,
            named,
            named_docs,
            _ranks(dense),
            _ranks(bm25),
            date,
            dict(dense),
            answering,
            amending,
        )

    def assess(self, query: str, hits: list[Hit]) -> bool:
        """``no_good_match``: no content word once markup is stripped, or — for a query that
        names no instrument and no concept of the lexicon — nothing in the corpus near the query
        (``best_cosine``) and few of its words known to the corpus (thresholds learned on the
        tuning half of the dev set, ``indexing.calibration``)."""
        from indexing.calibration import has_content

        if not has_content(query) or not hits:
            return True
        if self.calibration is None or names_the_law(query):
            return False
        margin = self.calibration.margin(self.best_cosine(query), self.query_vector(query))
        return self.calibration.no_good_match(query, margin, self.vocabulary)

    @property
    def _dense(self) -> DenseRetriever | None:
        return next((r for r, _ in self.retrievers if r.kind == "dense"), None)

    def best_cosine(self, query: str) -> float:
        """The cosine of the query's nearest chunk in the whole corpus (no filter)."""
        if self._dense is None:
            return 0.0
        best = self._dense.candidates(_check_query(query), None, 1)
        return float(best[0][1]) if best else 0.0

    def query_vector(self, query: str) -> np.ndarray | None:
        """The dense model's embedding of the query (normalised), as the dense ranker uses it;
        None without a dense ranker."""
        return self._dense.query_vector(_check_query(query))[0] if self._dense else None

    @property
    def vocabulary(self) -> set[str]:
        if self._vocabulary is None:
            self._vocabulary = set(self.index.bm25.vocab_dict)
        return self._vocabulary

    # -- stages -------------------------------------------------------------------------------

    def _allowed_rows(self, filters: Filters) -> np.ndarray | None:
        docs = [d for d in self._doc_rows if d in self.records and filters.admits(self.records[d])]
        if filters.as_at:
            try:
                visible = visible_at(self.records, filters.as_at)
            except ValueError as exc:
                raise QueryError(str(exc)) from None
            docs = [d for d in docs if d in visible]
        parts = self.settings.parts
        if len(docs) == len(self._doc_rows) and parts:
            return None
        rows = [
            i for d in docs for i in self._doc_rows[d] if parts or not self.index.chunks[i].part
        ]
        if not rows:
            raise QueryError("no document matches these filters", code="no_documents")
        return np.array(sorted(rows), dtype=np.int64)

    def _named_rows(
        self, named_docs: frozenset[str], allowed: np.ndarray | None
    ) -> np.ndarray | None:
        """The allowed rows of the documents the query names (``None``: it names none, or
        ``settings.named_rankings`` is off)."""
        if not named_docs or self.settings.named_rankings <= 0:
            return None
        rows = np.array([i for d in named_docs for i in self._doc_rows[d]], dtype=np.int64)
        rows = np.sort(rows) if allowed is None else np.intersect1d(rows, allowed)
        return rows if rows.size else None

    def _named_docs(self, named: list[str]) -> frozenset[str]:
        """The indexed documents of the instruments the query names (``named``: doc_id patterns,
        ``indexing.lexicon.instruments_named``)."""
        return frozenset(
            doc_id
            for doc_id in self._doc_rows
            if any(fnmatch.fnmatchcase(doc_id, pattern) for pattern in named)
        )

    def _answering(self, query: str) -> Mapping[tuple[str, str], str]:
        """The provisions (document, top-level unit) that the obligation matrix cites for the
        comparison element whose question is nearest the query, if near enough
        (``settings.element_similarity``), each mapped to the unit it cites; empty without a
        cached matrix or a dense model."""
        if self.settings.element_boost == 1.0 and self.settings.pinpoint_matrix < 0:
            return _NOTHING
        if self._elements is None:
            from kb.compare.cache import cited_by_element

            cited = cited_by_element(self.data)
            vectors = self.embedder.encode_queries([q for q, _ in cited]) if cited else None
            self._elements = (cited, vectors)
        questions, vectors = self._elements
        dense = self._dense
        if not questions or dense is None:
            return _NOTHING
        similarity = vectors @ dense.query_vector(query)[0]
        best = int(np.argmax(similarity))
        if similarity[best] < self.settings.element_similarity:
            return _NOTHING
        return questions[best][1]

    def _prior(
        self,
        query: str,
        fused: list,
        named_docs: frozenset[str],
        answering: Mapping[tuple[str, str], str] = _NOTHING,
        date: str | None = None,
    ) -> list[tuple[int, float]]:
        """Re-weight fused scores: recitals (explanations, not rules) count
        ``settings.recital_weight`` unless the query asks for recitals; provisions of an
        instrument the query names ("LkSG", "Omnibus", …) ``settings.named_boost``; of one it does
        not name, policy advice and an adopted proposal ``settings.not_law_weight``, an amending
        act ``settings.amending_weight``; the provisions in ``answering`` (``_answering``)
        ``settings.element_boost``; a provision the version in force on ``date`` no longer holds
        ``settings.superseded_weight``."""
        out = []
        asks_recitals = bool(set(words(query)) & set(self.settings.recital_words))
        kinds = answer_kinds(query) if self.settings.answer_boost != 1.0 else frozenset()
        # each document's weight for this query: named, not law, amending, or 1
        weight = self._doc_weight | dict.fromkeys(named_docs, self.settings.named_boost)
        chunks, tops = self.index.chunks, self._top
        superseding = date and self.settings.superseded_weight != 1.0
        for row, score in fused:
            chunk = chunks[row]
            if kinds and kinds & self._fact_kinds(row):
                score *= self.settings.answer_boost
            if answering and (chunk.doc_id, tops[row]) in answering:
                score *= self.settings.element_boost
            if not asks_recitals and tops[row].startswith("rec-"):
                score *= self.settings.recital_weight
            if superseding and self._superseded_by(chunk.doc_id, tops[row], date):
                score *= self.settings.superseded_weight
            out.append((row, score * weight[chunk.doc_id]))
        return sorted(out, key=lambda item: -item[1])

    def _bridge(
        self,
        order: list[tuple[int, float]],
        named_docs: frozenset[str],
        allowed: np.ndarray | None = None,
    ) -> tuple[list[tuple[int, float]], Mapping[tuple[str, str], tuple[tuple[str, ...], ...]]]:
        """``order`` (provisions, best first) with the provisions of the amending acts the query
        names that amend a provision in it ranked at that provision's score × the bridge, under
        the amending act's weight instead of the amended act's; and, per such amending provision
        (its act and top-level unit), for each provision it amends, best first, its units that
        amend it, the one to cite first — whose target is nearest in depth to what matched
        ("Article 27(4) is replaced" for Art. 27(4)). Only versions of the amending act among
        the ``allowed`` rows (the filters) are ranked."""
        bridge = self.settings.amendment_bridge
        acts = {
            self._act[d]
            for d in named_docs
            if (record := self.records.get(d)) is not None and record.amends
        }
        if bridge <= 0 or not acts:
            return order, _NOTHING
        links = self._amendments()
        admitted = (
            set(self._doc_rows)
            if allowed is None
            else {self.index.chunks[r].doc_id for r in allowed}
        )
        weight = self._doc_weight | dict.fromkeys(named_docs, self.settings.named_boost)
        scores = {self._key_of(row): (score, row) for row, score in order}
        own = {key: score for key, (score, _) in scores.items()}  # before any is bridged
        cite: dict[tuple[str, str], list[tuple[float, tuple[str, ...]]]] = {}
        for row, score in order:
            chunk = self.index.chunks[row]
            matched = [
                (target, doc_id, unit)
                for target, doc_id, unit in links.get(self._act[chunk.doc_id], ())
                if self._act[doc_id] in acts and top_level(target) == self._top[row]
            ]
            if not matched:
                continue
            depth = chunk.unit_id.count(".")
            matched.sort(key=lambda m: abs(m[0].count(".") - depth))
            original, unit = matched[0][1:]
            key = (self._act[original], top_level(unit))
            # the amending act's text as adopted, else an allowed translation of it
            versions = [original, *(d for d in sorted(named_docs) if self._act[d] == key[0])]
            doc_id = next(
                (d for d in versions if d in admitted and (d, key[1]) in self._provision_rows), None
            )
            if doc_id is None:
                continue
            rows = self._provision_rows[(doc_id, key[1])]
            bridged = score / weight[chunk.doc_id] * weight[doc_id] * bridge
            if bridged > scores.get(key, (-1.0, 0))[0]:
                scores[key] = (bridged, scores.get(key, (0.0, rows[0]))[1])
            cite.setdefault(key, []).append((bridged, tuple(m[2] for m in matched)))
        # an amending provision that ranks above what it amends on its own words cites as usual
        cite = {
            key: found
            for key, found in cite.items()
            if max(bridged for bridged, _ in found) > own.get(key, -1.0)
        }
        if not cite:
            return order, _NOTHING
        ranked = sorted(scores.values(), key=lambda item: -item[0])
        return [(row, score) for score, row in ranked], {
            key: tuple(units for _, units in sorted(found, key=lambda item: -item[0]))
            for key, found in cite.items()
        }

    def _amendments(self) -> dict[str, list[tuple[str, str, str]]]:
        """Per amended act: ``(target unit, amending document, amending unit)`` for each
        provision that an amending act in the index replaces, deletes, inserts or amends
        (``kb.compare.diff.links_by_act``), read once, at the first query that names one."""
        if self._amending is None:
            from kb.compare.diff import links_by_act
            from kb.store import read_units

            amending = {
                doc_id
                for doc_id in self._doc_rows
                if (record := self.records.get(doc_id)) is not None and record.amends
            }
            units: dict[str, list] = {}
            try:
                for unit in read_units(self.data) if amending else ():
                    if unit.doc_id in amending:
                        units.setdefault(unit.doc_id, []).append(unit)
            except (OSError, KBError) as exc:
                log.warning("search runs without the links of amending acts: %s", exc)
                units = {}
            self._amending = {
                act_of(self.records, act): [
                    (link["target_unit"], link["amending_doc"], link["amending_unit"])
                    for link in links
                ]
                for act, links in links_by_act(self.records, units).items()
            }
        return self._amending

    def _collapse(
        self, ranking: list[tuple[int, float]], spread: float = 0.0
    ) -> list[tuple[tuple, float]]:
        """``ranking`` as a ranking of provisions (act, top-level unit), each scored by its best
        row; with ``spread`` (``settings.language_spread``) less that share of the gap between
        the best row and the mean of the best rows of each language the provision matched in."""
        best: dict[tuple, dict[str, float]] = {}
        for row, score in ranking:
            language = self._language[row] if spread else ""
            best.setdefault(self._key_of(row), {}).setdefault(language, score)
        out = []
        for key, scores in best.items():
            top = max(scores.values())
            out.append((key, top - spread * (top - sum(scores.values()) / len(scores))))
        if spread:
            out.sort(key=lambda item: -item[1])
        return out

    def _key_of(self, row: int) -> tuple[str, str]:
        """The provision a row belongs to: its act (any version, any language) and top-level
        unit."""
        return (self._act[self.index.chunks[row].doc_id], self._top[row])

    def _shown_doc(self, group: _Group, date: str | None) -> str:
        """The version a grouped hit shows: among the versions that matched, the one in force
        on ``date`` (today by default) in the language of the best match, else the best match's."""
        best = self.index.chunks[group.best]
        matched = [best.doc_id, *group.also]
        in_force = self._visible(date)
        language = self.records[best.doc_id].language
        for doc_id in matched:
            if doc_id in in_force and self.records[doc_id].language == language:
                return doc_id
        return best.doc_id

    def _superseded_by(self, doc_id: str, unit_id: str, date: str) -> str | None:
        """The version of ``doc_id``'s act in force on ``date`` (in its language if there is
        one) when ``doc_id`` is not in force then and no version in force holds ``unit_id`` (a
        top-level unit: matched as such; deeper: held at that depth)."""
        if date not in self._current:
            in_force = self._visible(date)
            docs: dict[str, list[str]] = {}
            for d in self._doc_rows:
                if d in in_force:
                    docs.setdefault(self._act[d], []).append(d)
            self._current[date] = (
                docs,
                {(self._act[d], u) for d, u in self._holds if d in in_force},
            )
        docs, held = self._current[date]
        act = self._act.get(doc_id, doc_id)
        current = docs.get(act)
        if not current or doc_id in current or (act, unit_id) in held:
            return None
        language = self.records[doc_id].language
        return next((d for d in current if self.records[d].language == language), current[0])

    def _visible(self, date: str) -> set[str]:
        if date not in self._in_force:
            self._in_force[date] = visible_at(self.records, date)
        return self._in_force[date]

    def _ranked(self, query: str, fusion: _Fusion) -> list[_Group]:
        """One entry per provision of an act, whatever its versions and languages, best first:
        by the provisions' fused scores (``fuse_provisions``), else each as its best row; the
        first ``indexing.rerank.DEPTH`` re-ordered by the learned reranker (``rerank``)."""
        groups: dict[tuple, _Group] = {}
        for row, score in fusion.fused:
            key = self._key_of(row)
            chunk = self.index.chunks[row]
            group = groups.get(key)
            if group is None:
                groups[key] = _Group(row, score)
                continue
            if (
                chunk.doc_id != self.index.chunks[group.best].doc_id
                and chunk.doc_id not in group.also
            ):
                group.also.append(chunk.doc_id)
        ranked = list(groups.values())
        if fusion.order is not None:
            for row, score in fusion.order:
                # an amending provision that only the bridge ranked (``_bridge``)
                groups.setdefault(self._key_of(row), _Group(row, score)).score = score
            ranked = [groups[self._key_of(row)] for row, _ in fusion.order]
        if self.settings.rerank and self.reranker is not None:
            from indexing.rerank import DEPTH

            head = ranked[:DEPTH]
            scores = self.reranker.scores(self.rerank_features(query, head, fusion.named))
            ranked = [head[i] for i in np.argsort(-scores, kind="stable")] + ranked[DEPTH:]
        return ranked

    def _group(self, query: str, fusion: _Fusion, k: int) -> list[Hit]:
        """The first ``k`` provisions (``_ranked``), each shown in the version in force on the
        date (``_shown_doc``; the other versions that matched → ``also_in``) and citing its best
        paragraph/point (``_cited_rows``); at most ``settings.per_doc`` per act among the first
        ``k`` unless too few acts match or the query names the instrument (when it names several,
        ``settings.per_named_doc`` each); then the first result's next parts
        (``settings.siblings``)."""
        ranked = self._ranked(query, fusion)
        named, named_docs, date = fusion.named, fusion.named_docs, fusion.date
        per_doc: dict[str, int] = {}
        first, rest = [], []
        for group in ranked:
            doc_id = self.index.chunks[group.best].doc_id
            act = self._act[doc_id]
            per_doc[act] = per_doc.get(act, 0) + 1
            # a query that names one instrument asks about it (no cap); one that names several
            # compares them, and each gets its turn
            cap = self.settings.per_doc
            if doc_id in named_docs:
                cap = len(ranked) if len(named) == 1 else self.settings.per_named_doc
            (first if per_doc[act] <= cap else rest).append(group)
        highlight = _highlighter(query)
        chosen = (first + rest)[:k]
        for group in chosen:
            group.cosine = fusion.cosines.get(group.best)  # the match's, before the switch
            self._show(group, date)
        cited = [
            self._cited_rows(
                query,
                g,
                self.settings.siblings if i == 0 else 0,
                fusion.answering,
                fusion.amending,
            )
            for i, g in enumerate(chosen)
        ]
        shown: list[tuple[int, _Group, int | None]] = [
            (rows[0], g, None) for rows, g in zip(cited, chosen, strict=True)
        ]
        for row in cited[0][1:] if cited else []:
            if len(shown) >= k:
                acts = [self._act[self.index.chunks[g.best].doc_id] for _, g, _ in shown]
                # the last result of the lower half whose act a result above it shows makes room
                spare = next(
                    (
                        j
                        for j in range(len(shown) - 1, (k + 1) // 2 - 1, -1)
                        if shown[j][2] is None and acts[j] in acts[:j]
                    ),
                    None,
                )
                if spare is None:
                    break
                del shown[spare]
            shown.append((row, chosen[0], 1))
        return [
            self._hit(query, rank, row, g, highlight, fusion, sibling_of=of)
            for rank, (row, g, of) in enumerate(shown, start=1)
        ]

    def rerank_features(self, query: str, groups: list[_Group], named: list[str]) -> np.ndarray:
        """The ``indexing.rerank.FEATURES`` of each of ``groups`` (provisions, best first)."""
        from indexing.rerank import FEATURES, heading_overlap
        from kb.lang import guess_language

        if not groups:
            return np.zeros((0, len(FEATURES)))
        rows = [g.best for g in groups]
        named_docs = self._named_docs(named)

        def scores(i: int) -> np.ndarray:
            scorer = (
                getattr(self.retrievers[i][0], "row_scores", None)
                if i < len(self.retrievers)
                else None
            )
            values = scorer(query, rows) if scorer else None
            return np.array(values if values is not None else [0.0] * len(rows), dtype=float)

        dense, bm25, lexicon = scores(0), scores(1), scores(2)
        top = max((g.score for g in groups), default=1.0) or 1.0
        language = guess_language(query)
        query_words = set(words(query))
        out = []
        for i, (group, row) in enumerate(zip(groups, rows, strict=True)):
            chunk = self.index.chunks[row]
            out.append(
                [
                    group.score / top,
                    1 / (i + 1),
                    dense[i],
                    bm25[i] / (bm25.max() or 1.0),
                    lexicon[i] / (lexicon.max() or 1.0),
                    float(chunk.doc_id in named_docs),
                    float(self.records[chunk.doc_id].language == language),
                    float(chunk.unit_id.startswith("rec-")),
                    heading_overlap(query_words, set(words(chunk.heading))),
                ]
            )
        return np.array(out, dtype=float).reshape(len(groups), -1)

    def _show(self, group: _Group, date: str) -> None:
        """Make the version ``_shown_doc`` picks the group's best row (its passage of the same
        provision); the best match's document joins ``also_in``."""
        best = self.index.chunks[group.best]
        shown = self._shown_doc(group, date)
        rows = self._provision_rows.get((shown, top_level(best.unit_id)))
        if shown == best.doc_id or not rows:
            return
        group.also = [best.doc_id, *(d for d in group.also if d != shown)]
        # the passage of the shown version that holds what matched, else its first
        passage = self.index.chunks[self._passage_of.get(group.best, group.best)]
        same = [r for r in rows if self.index.chunks[r].unit_id == passage.unit_id]
        group.best = (same or rows)[0]

    def _cited_rows(
        self,
        query: str,
        group: _Group,
        more: int = 0,
        answering: Mapping[tuple[str, str], str] = _NOTHING,
        amending: Mapping[tuple[str, str], tuple[tuple[str, ...], ...]] = _NOTHING,
    ) -> list[int]:
        """The row a grouped hit cites: with ``settings.pinpoint``, the paragraph/point of the
        provision (in the best row's document) that the rankers score best within it — each
        ranker ranks the provision's parts, the ranks are fused as the rows were — or a part
        inside that one that scores nearly as well (``_innermost``); else, or when the provision
        has no parts, the passage. The part the matrix cites for the element the query asks
        about (``answering``) instead, when the dense model scores it within
        ``settings.pinpoint_matrix`` of that choice; an amending provision ranked for what it
        amends (``amending``), the point that amends it unless the choice is one that does, and
        as its further parts the points that amend the next provisions matched. Then up to ``more``
        further parts, next in that ranking, none holding another of the list or lying inside
        it."""
        best = self.index.chunks[group.best]
        passage = self._passage_of.get(group.best, group.best) if best.part else group.best
        provision = (best.doc_id, self._top[group.best])
        rows = self._parts_of.get(provision, [])
        if not self.settings.pinpoint or not rows:
            return [passage]
        rankings, weights, dense = [], [], {}
        for retriever, _ in self.retrievers:
            if retriever.kind == "companion":
                continue  # tried: it lowered tuning-half pinpoint 0.643 → 0.638
            row_scores = getattr(retriever, "row_scores", None)
            scores = row_scores(query, rows) if row_scores else None
            if scores is None:
                continue
            if retriever.kind == "dense":
                dense = dict(zip(rows, scores, strict=True))
            weight = (
                self.settings.pinpoint_dense
                if retriever.kind == "dense"
                else self.settings.pinpoint_lexical
            )
            if weight <= 0:
                continue
            ranked = sorted(zip(rows, scores, strict=True), key=lambda item: -item[1])
            rankings.append([(r, x) for r, x in ranked if x > 0 or retriever.kind == "dense"])
            weights.append(weight)
        kinds = answer_kinds(query) if self.settings.pinpoint_answer > 0 else frozenset()
        stating = [r for r in rows if kinds & self._fact_kinds(r)] if dense and kinds else []
        if stating:
            rankings.append([(r, dense[r]) for r in sorted(stating, key=lambda r: -dense[r])])
            weights.append(self.settings.pinpoint_answer)
        fused = reciprocal_rank_fusion(rankings, k=self.settings.rrf_k, weights=weights)
        if not fused:
            return [passage]
        first = [self._innermost(fused[0][0], rows, dense)]
        pinned = answering.get(provision)
        if pinned and self.settings.pinpoint_matrix >= 0:
            # when the dense model scores it nearly as well, and unless the query asks for a
            # number that part does not state ("within what period …" near an element whose
            # cell cites the duty, not its deadline)
            first = [
                r
                for r in rows
                if self.index.chunks[r].unit_id == pinned
                and (not kinds or kinds & self._fact_kinds(r))
                and dense.get(r, -1.0) >= dense.get(first[0], 1.0) - self.settings.pinpoint_matrix
            ][:1] or first
        bridged = amending.get(self._key_of(group.best), ())
        if bridged:
            unit = self.index.chunks[first[0]].unit_id
            if not any(is_within(unit, u) for u in bridged[0]):
                first = [r for r in rows if self.index.chunks[r].unit_id == bridged[0][0]] or first
            # its next parts: the points that amend the next provisions the query matched
            wanted = [units[0] for units in bridged[1:]]
            fused = [
                (r, 0.0) for u in wanted for r in rows if self.index.chunks[r].unit_id == u
            ] + fused
        out = first[:1]
        for row, _ in fused:
            if len(out) > more:
                break
            unit = self.index.chunks[row].unit_id
            if not any(
                is_within(unit, other) or is_within(other, unit)
                for other in (self.index.chunks[r].unit_id for r in out)
            ):
                out.append(row)
        return out

    def _row_cosines(self, query: str, rows: list[int]) -> list[float]:
        return (self._dense.row_scores(query, rows) or []) if self._dense else []

    def _fact_kinds(self, row: int) -> frozenset[str]:
        """The kinds of key fact a row's text states (``kb.compare.facts.scan``), once per row."""
        from kb.compare.facts import scan

        if row not in self._kinds:
            chunk = self.index.chunks[row]
            self._kinds[row] = frozenset(raw[0] for raw in scan(chunk.text, chunk.language))
        return self._kinds[row]

    def _innermost(self, row: int, rows: list[int], dense: dict[int, float]) -> int:
        """``row``, or the part of ``rows`` inside it (at any depth) that the dense model scores
        best, when that score is within ``settings.pinpoint_descend`` of ``row``'s. Tuning half,
        pinpoint@10 for off / 0.003 / 0.006 / 0.01 / 0.015 / 0.02 / no limit: 0.652 / 0.662 /
        0.671 / 0.686 / 0.691 / 0.691 / 0.691."""
        margin = self.settings.pinpoint_descend
        if margin < 0 or row not in dense:
            return row
        unit = self.index.chunks[row].unit_id
        # strictly inside: a paragraph split into several passages shares its unit id
        inside = [
            r
            for r in rows
            if r in dense
            and self.index.chunks[r].unit_id != unit
            and is_within(self.index.chunks[r].unit_id, unit)
        ]
        if not inside:
            return row
        best = max(inside, key=lambda r: dense[r])
        return best if dense[best] >= dense[row] - margin else row

    def _hit(
        self,
        query: str,
        rank: int,
        row: int,
        group: _Group,
        highlight,
        fusion: _Fusion,
        sibling_of: int | None = None,
    ) -> Hit:
        chunk = self.index.chunks[row]
        record = self.records[chunk.doc_id]
        rows = {row, group.best}
        cosines = [fusion.cosines[r] for r in rows if r in fusion.cosines]
        if group.cosine is not None:
            cosines.append(group.cosine)
        if not cosines and fusion.cosines:
            # a row the dense ranker did not return (an amending provision the bridge lifted, a
            # BM25-only match) still has a cosine: the relevance reads it, and must not depend on
            # which other results are shown
            cosines = self._row_cosines(query, sorted(rows))
        return Hit(
            rank=rank,
            doc_id=chunk.doc_id,
            unit_id=chunk.unit_id,
            citation=chunk.citation,
            heading=chunk.heading,
            text=chunk.text,
            snippet=highlight(chunk.text),
            score=round(float(group.score), 6),
            language=chunk.language,
            jurisdiction=record.jurisdiction,
            url=record.official_url,
            short_title=record.short_title,
            dense_rank=min((fusion.dense[r] for r in rows if r in fusion.dense), default=None),
            dense_score=round(max(cosines), 4) if cosines else None,
            bm25_rank=min((fusion.bm25[r] for r in rows if r in fusion.bm25), default=None),
            # the other versions that hold what this hit cites (the article matched there; a
            # paragraph inserted by a later amendment is not in the earlier versions)
            also_in=[d for d in group.also if (d, chunk.unit_id) in self._holds],
            sibling_of=sibling_of,
            superseded_by=self._superseded_by(chunk.doc_id, chunk.unit_id, fusion.date),
        )


@dataclass(frozen=True)
class _Fusion:
    """What fusing a query's rankings gives: rows and (``fuse_provisions``) provisions with
    their fused scores, the instruments the query names, each row's dense and BM25 rank, and the
    date whose versions are shown."""

    fused: list[tuple[int, float]]
    order: list[tuple[int, float]] | None
    named: list[str]
    #: the indexed documents of those instruments (``Searcher._named_docs``)
    named_docs: frozenset[str]
    dense: dict[int, int]
    bm25: dict[int, int]
    date: str
    #: each row's dense cosine (rows among the dense candidates)
    cosines: dict[int, float] = field(default_factory=dict)
    #: the provisions the matrix cites for the element nearest the query → the unit cited
    #: (``Searcher._answering``)
    answering: Mapping[tuple[str, str], str] = field(default_factory=dict)
    #: the amending provisions ranked for what they amend → per provision amended, best first,
    #: the amending units to cite (``Searcher._bridge``)
    amending: Mapping[tuple[str, str], tuple[tuple[str, ...], ...]] = field(default_factory=dict)


@dataclass
class _Group:
    """The retrieved rows of one provision of an act (any version, any language): its best row,
    its score (the provision's fused score), the other versions that matched."""

    best: int
    score: float
    also: list[str] = field(default_factory=list)
    #: the best match's dense cosine, kept when the group switches to the version in force
    cosine: float | None = None


def _passages_of_parts(chunks) -> dict[int, int]:
    """Row of each paragraph/point chunk → row of the passage that holds it."""
    holder: dict[tuple[str, str], int] = {}
    for row, chunk in enumerate(chunks):
        if not chunk.part:
            for uid in chunk.unit_ids:
                holder[(chunk.doc_id, uid)] = row
            holder.setdefault((chunk.doc_id, chunk.unit_id), row)
            holder.setdefault((chunk.doc_id, top_level(chunk.unit_id)), row)
    out = {}
    for row, chunk in enumerate(chunks):
        if chunk.part:
            ancestors = chunk.unit_id.split(".")
            for depth in range(len(ancestors), 0, -1):
                found = holder.get((chunk.doc_id, ".".join(ancestors[:depth])))
                if found is not None:
                    out[row] = found
                    break
    return out


def _ranks(ranking) -> dict[int, int]:
    return {row: rank for rank, (row, _) in enumerate(ranking, start=1)}


def _check_query(query: str) -> str:
    query = check_text(query)
    if not query_tokens(query):
        raise QueryError(
            "the query has no searchable words (only stop words or punctuation)",
            code="query_no_words",
        )
    return query


def check_text(query: str) -> str:
    """The query's text, whitespace and control characters folded to single spaces; raises
    ``QueryError`` when it is empty, holds bytes that were not UTF-8 or is longer than
    ``MAX_QUERY_CHARS`` (also a query of junk: the limit is said, whatever the words)."""
    if not isinstance(query, str) or not query.strip():
        raise QueryError("the query is empty", code="query_empty")
    if any("\ud800" <= ch <= "\udfff" for ch in query):  # bytes that were not UTF-8 (argv, URL)
        raise QueryError(
            "the query holds bytes that are not UTF-8 text; is the terminal set to UTF-8?"
        )
    query = " ".join("".join(ch if ch.isprintable() else " " for ch in query).split())
    if len(query) > MAX_QUERY_CHARS:
        raise QueryError(
            f"the query is {len(query)} characters long; the limit is {MAX_QUERY_CHARS}",
            code="query_long",
            length=len(query),
            limit=MAX_QUERY_CHARS,
        )
    return query


def _highlighter(query: str, width: int = 240):
    """A function text → an HTML-escaped snippet around the first match, matches in <mark>."""
    stems = {w for w in words(query) if len(w) > 2}
    if not stems:
        return lambda text: html.escape(text[:width])
    pattern = re.compile(
        r"\b(" + "|".join(re.escape(s[: max(4, len(s) - 2)]) for s in stems) + r")\w*", re.I
    )

    def snippet(text: str) -> str:
        match = pattern.search(text)
        start = max(0, match.start() - width // 3) if match else 0
        end = min(len(text), start + width)
        # whole words only: move the cut to the next / previous space
        if start > 0 and not text[start - 1].isspace():
            space = text.find(" ", start, match.start() if match else end)
            start = space + 1 if space >= 0 else start
        if end < len(text) and not text[end].isspace():
            space = text.rfind(" ", start, end)
            end = space if space > start else end
        cut = text[start:end].strip()
        # mark the words in the text itself, then escape each piece: marking escaped text
        # would mark inside entities ("&quot;" for a query with "quota")
        pieces, at = [], 0
        for m in pattern.finditer(cut):
            pieces.append(html.escape(cut[at : m.start()]))
            pieces.append(f"<mark>{html.escape(m.group(0))}</mark>")
            at = m.end()
        pieces.append(html.escape(cut[at:]))
        marked = "".join(pieces)
        return ("… " if start else "") + marked + (" …" if end < len(text) else "")

    return snippet
