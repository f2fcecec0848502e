"""Hybrid search: expand → retrieve → fuse → prior → group.

``Searcher.search`` asks each retriever (``indexing.retrievers``: dense FAISS, BM25, BM25 over the
lexicon expansion) for candidates among the rows the manifest filters allow, fuses the rankings by
weighted reciprocal rank fusion (``indexing.fusion``), re-weights them (recitals, instruments the
query names), and groups them so that one provision of an act's versions is one result and one
instrument does not fill the page. Every weight is in ``RankingSettings``.
"""

from __future__ import annotations

import fnmatch
import html
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from corpus.manifest import manifest_for
from indexing.fusion import reciprocal_rank_fusion
from indexing.index import load_index
from indexing.lexicon import instruments_named
from indexing.retrievers import BM25Retriever, DenseRetriever, LexiconRetriever, Retriever
from kb.compare.versions import family, visible_at
from kb.errors import QueryError
from kb.lang import query_tokens, tokens, words
from kb.models import DocRecord
from kb.numbering import top_level

MAX_QUERY_CHARS = 1000
MODES = ("hybrid", "dense", "bm25")
FILTER_FIELDS = ("doc_id", "jurisdiction", "instrument_type", "status", "language")


@dataclass(frozen=True)
class RankingSettings:
    """How hybrid search ranks: one object, injected into ``Searcher`` (``settings=``), so an
    evaluation can sweep any value without patching a module. The defaults were chosen on the
    dev set (``indexing/devset.jsonl``) with ``python -m kb eval``; README "Search quality" has
    the figures, and the held-out queries (``devset_new.jsonl``) were not used to choose them."""

    #: candidates taken from each ranker before fusion
    candidates: int = 200
    #: reciprocal rank fusion constant (``indexing.fusion``)
    rrf_k: int = 20
    dense_weight: float = 2.0
    bm25_weight: float = 0.7
    #: the BM25 ranking of the query expanded with the team lexicon
    expansion_weight: float = 1.2
    #: recitals explain, they do not rule: their fused score counts this much
    recital_weight: float = 0.5
    #: provisions of an instrument the query names ("LkSG", "Omnibus", …)
    named_boost: float = 2.0
    #: at most this many results per instrument among the first k (when enough others match)
    per_doc: int = 4
    #: cite the deepest part of a hit holding this share of the query words the hit holds
    #: (``indexing.pinpoint``); above 1 the hit always cites the whole passage
    pinpoint_share: float = 1.01


DEFAULT_RANKING = RankingSettings()


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
    dense_score: float | None = None  # cosine of the query and this chunk (the calibration input)
    relevance: float | None = None  # calibrated share of such results that are relevant
    also_in: list[str] = field(default_factory=list)  # other versions with the same provision

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
    ):
        """``retrievers``: ``(retriever, weight)`` pairs to fuse; by default dense, BM25 and
        lexicon BM25 over this index with the weights of ``settings``."""
        from indexing.embedders import get_embedder

        self.settings = settings
        self.data = Path(data)
        self._unit_table: dict | None = None
        self.index = load_index(data, model)
        self.embedder = embedder or get_embedder(self.index.meta["model"])
        if self.embedder.fingerprint != self.index.meta["fingerprint"]:
            raise QueryError(
                f"index was built with {self.index.meta['fingerprint']}, not {self.embedder.fingerprint}; "
                "run `python -m kb build`"
            )
        self.records = manifest_for(data)
        self.retrievers = retrievers or [
            (DenseRetriever(self.index.faiss_index, self.embedder), settings.dense_weight),
            (BM25Retriever(self.index.bm25), settings.bm25_weight),
            (LexiconRetriever(self.index.bm25), settings.expansion_weight),
        ]
        from indexing.calibration import load_calibration

        self.calibration = load_calibration(self.embedder.fingerprint)
        self._dense_scores: dict[int, float] = {}
        self._vocabulary: set[str] | None = None
        self._doc_rows: dict[str, list[int]] = {}
        for i, chunk in enumerate(self.index.chunks):
            self._doc_rows.setdefault(chunk.doc_id, []).append(i)

    # -- public -------------------------------------------------------------------------------

    def search(
        self, query: str, k: int = 10, filters: Filters | None = None, mode: str = "hybrid"
    ) -> list[Hit]:
        """Hits best first, at most one per top-level provision of an instrument's version family
        (the other versions that matched are listed in ``also_in``)."""
        query = _check_query(query)
        if mode not in MODES:
            raise QueryError(f"mode must be one of {MODES}")
        if not 1 <= k <= 100:
            raise QueryError("k must be between 1 and 100")
        filters = filters or Filters()
        filters.validate(self.records)
        allowed = self._allowed_rows(filters)
        rankings: list[list[tuple[int, float]]] = []
        weights: list[float] = []
        first: dict[str, list[tuple[int, float]]] = {}  # each kind's first ranking (ranks shown)
        for retriever, weight in self.retrievers:
            if mode != "hybrid" and retriever.kind != mode:
                continue
            ranking = retriever.candidates(query, allowed, self.settings.candidates)
            first.setdefault(retriever.kind, ranking)
            if ranking:
                rankings.append(ranking)
                weights.append(weight)
        dense, bm25 = first.get("dense", []), first.get("bm25", [])
        fused = reciprocal_rank_fusion(rankings, k=self.settings.rrf_k, weights=weights)
        named = instruments_named(query)
        fused = self._prior(fused, named)
        self._dense_scores = dict(dense)
        hits = self._group(query, fused, k, named, _ranks(dense), _ranks(bm25))
        if self.calibration is not None:
            for hit in hits:
                hit.relevance = self.calibration.relevance(hit.dense_score)
        return hits

    def assess(self, query: str, hits: list[Hit]) -> bool:
        """``no_good_match``: no content word once markup is stripped, or a best result in the
        lowest relevance bin for a query whose words the corpus barely knows (thresholds learned
        on the tuning half of the dev set, ``indexing.calibration``)."""
        from indexing.calibration import has_content

        if not has_content(query) or not hits:
            return True
        if self.calibration is None:
            return False
        from indexing.calibration import coverage

        top = max(h.relevance or 0.0 for h in hits)
        return top <= self.calibration.no_match_below and (
            coverage(query, self.vocabulary) < self.calibration.coverage_below
        )

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
        if len(docs) == len(self._doc_rows):
            return None
        rows = [i for d in docs for i in self._doc_rows[d]]
        if not rows:
            raise QueryError("no document matches these filters")
        return np.array(sorted(rows), dtype=np.int64)

    def _prior(self, fused: list, named: list[str]) -> list[tuple[int, float]]:
        """Re-weight fused scores: recitals (explanations, not rules) count
        ``settings.recital_weight``; provisions of an instrument the query names ("LkSG",
        "Omnibus", …) ``settings.named_boost``."""
        out = []
        for row, score in fused:
            chunk = self.index.chunks[row]
            if chunk.unit_id.startswith("rec-"):
                score *= self.settings.recital_weight
            if any(fnmatch.fnmatchcase(chunk.doc_id, pattern) for pattern in named):
                score *= self.settings.named_boost
            out.append((row, score))
        return sorted(out, key=lambda item: -item[1])

    def _group(self, query, fused, k: int, named: list[str], dense_ranks, bm25_ranks) -> list[Hit]:
        """One entry per provision of a version family (other versions → ``also_in``), at most
        ``settings.per_doc`` per instrument among the first ``k`` unless too few instruments match or the
        query names the instrument."""
        groups: dict[tuple, tuple[int, float, list[str]]] = {}
        for row, score in fused:
            chunk = self.index.chunks[row]
            key = (*family(self.records[chunk.doc_id]), top_level(chunk.unit_id))
            if key in groups:
                first_doc, also = self.index.chunks[groups[key][0]].doc_id, groups[key][2]
                if chunk.doc_id != first_doc and chunk.doc_id not in also:
                    also.append(chunk.doc_id)
            else:
                groups[key] = (row, score, [])
        ordered = list(groups.values())
        per_doc: dict[str, int] = {}
        first, rest = [], []
        for entry in ordered:
            doc_id = self.index.chunks[entry[0]].doc_id
            per_doc[doc_id] = per_doc.get(doc_id, 0) + 1
            exempt = any(fnmatch.fnmatchcase(doc_id, pattern) for pattern in named)
            (first if exempt or per_doc[doc_id] <= self.settings.per_doc else rest).append(entry)
        highlight = _highlighter(query)
        chosen = (first + rest)[:k]
        return [
            self._hit(query, rank, row, score, also, highlight, dense_ranks, bm25_ranks)
            for rank, (row, score, also) in enumerate(chosen, start=1)
        ]

    def _pinpointed(self, query: str, chunk) -> tuple[str, str, str]:
        """``(unit_id, citation, text)`` to cite for ``chunk``: its innermost part that answers
        the query (``indexing.pinpoint``), or the whole chunk."""
        whole = (chunk.unit_id, chunk.citation, chunk.text)
        if self.settings.pinpoint_share > 1 or len(chunk.unit_ids) < 2:
            return whole
        from indexing.pinpoint import pinpoint

        units = self._units()
        parts = [(chunk.unit_id, chunk.text)]
        parts += [
            (uid, units[(chunk.doc_id, uid)].text)
            for uid in chunk.unit_ids
            if uid != chunk.unit_id and (chunk.doc_id, uid) in units
        ]
        terms = set(tokens(query, chunk.language))
        target = pinpoint(terms, chunk.unit_id, parts, chunk.language, self.settings.pinpoint_share)
        if target == chunk.unit_id:
            return whole
        unit = units[(chunk.doc_id, target)]
        return unit.unit_id, unit.citation, unit.text

    def _units(self) -> dict:
        if self._unit_table is None:
            from kb.store import read_units

            self._unit_table = {(u.doc_id, u.unit_id): u for u in read_units(self.data)}
        return self._unit_table

    def _hit(self, query, rank, row, score, also_in, highlight, dense_ranks, bm25_ranks) -> Hit:
        chunk = self.index.chunks[row]
        record = self.records[chunk.doc_id]
        unit_id, citation, text = self._pinpointed(query, chunk)
        return Hit(
            rank=rank,
            doc_id=chunk.doc_id,
            unit_id=unit_id,
            citation=citation,
            heading=chunk.heading,
            text=text,
            snippet=highlight(text),
            score=round(float(score), 6),
            language=chunk.language,
            jurisdiction=record.jurisdiction,
            url=record.official_url,
            short_title=record.short_title,
            dense_rank=dense_ranks.get(row),
            dense_score=(round(self._dense_scores[row], 4) if row in self._dense_scores else None),
            bm25_rank=bm25_ranks.get(row),
            also_in=also_in,
        )


def _ranks(ranking) -> dict[int, int]:
    return {row: rank for rank, (row, _) in enumerate(ranking, start=1)}


def _check_query(query: str) -> str:
    if not isinstance(query, str) or not query.strip():
        raise QueryError("the query is empty")
    if any("\ud800" <= ch <= "\udfff" for ch in query):  # bytes that were not UTF-8 (argv, URL)
        raise QueryError(
            "the query holds bytes that are not UTF-8 text; is the terminal set to UTF-8?"
        )
    query = " ".join("".join(ch if ch.isprintable() else " " for ch in query).split())
    if len(query) > MAX_QUERY_CHARS:
        raise QueryError(
            f"the query is {len(query)} characters long; the limit is {MAX_QUERY_CHARS}"
        )
    if not query_tokens(query):
        raise QueryError("the query has no searchable words (only stop words or punctuation)")
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
        piece = text[start : start + width]
        escaped = html.escape(piece)
        marked = pattern.sub(lambda m: f"<mark>{m.group(0)}</mark>", escaped)
        return ("…" if start else "") + marked + ("…" if start + width < len(text) else "")

    return snippet
