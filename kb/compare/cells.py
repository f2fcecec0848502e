"""Side-by-side comparison: topic × instrument cells and provision counterparts.

- ``coverage(units)``: for every topic and every instrument, the provisions that address it best
  (with score, evidence and deontic force).
- ``similar(units, doc_id, unit_id)``: the best counterparts of a provision in every other
  instrument, with the reason (shared topics, shared terms).

Candidates are top-level provisions and their direct sub-units (paragraphs, points), so a cell can
point to "C. com. art. L.225-102-1, 4°" rather than to a whole article. A provision and its own
sub-unit never both appear in one cell.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from kb.compare.topics import TopicScore, score_unit, topic_ids
from kb.errors import UnknownUnitError
from kb.models import Unit
from kb.numbering import is_within, top_level


@dataclass(frozen=True)
class CompareSettings:
    """How cells and counterparts are chosen: one object, injected into ``Analysis(settings=)``,
    so an evaluation can sweep a value without patching the module. Chosen on the comparison dev
    gold (``python -m kb eval --compare``): counterparts by topics alone hit@1 0.69, embeddings
    alone 0.40, both (0.3 / 0.7) 0.77."""

    #: provisions shown per topic × instrument cell
    cell_size: int = 3
    #: the topic score a provision needs to fill a cell (also the heatmap's count)
    min_score: float = 0.6
    #: counterparts: weight of the cosine of topic vectors, and of the embeddings' cosine
    topic_weight: float = 0.3
    dense_weight: float = 0.7


DEFAULT_COMPARE = CompareSettings()


@dataclass
class CellUnit:
    unit: Unit
    score: float
    evidence: TopicScore | None = None
    force: str = ""
    reason: list[str] = field(default_factory=list)

    def to_dict(self, with_text: bool = True) -> dict:
        data = {
            "unit_id": self.unit.unit_id,
            "citation": self.unit.citation,
            "heading": self.unit.heading,
            "score": round(self.score, 3),
            "force": self.force,
        }
        if with_text:
            data["text"] = self.unit.text
        if self.evidence is not None:
            data["evidence"] = self.evidence.to_dict()["evidence"]
        if self.reason:
            data["reason"] = self.reason
        return data


def candidates(units: list[Unit]) -> list[Unit]:
    """Provisions that can fill a cell: current top-level units and their direct children;
    recitals explain, they do not oblige, so they are left out."""
    return [
        u
        for u in units
        if u.status != "deleted" and u.depth <= 1 and u.kind != "rec" and u.text.strip()
    ]


class Analysis:
    """Topic scores for every candidate of a unit table, computed once and reused.

    ``force`` gives the principal force of a unit; pass a lookup into a precomputed table (the
    data folder's ``forces.json``, ``kb.compare.cache.load_forces``, which also agrees the
    language versions' forces) — without one it is worked out per shown provision from its own
    document, which costs ~2 s per topic over the whole corpus.
    """

    def __init__(
        self,
        units: list[Unit],
        force: Callable[[Unit], str] | None = None,
        settings: CompareSettings = DEFAULT_COMPARE,
    ):
        self.units = units
        self.settings = settings
        self._force = force
        self.by_doc: dict[str, list[Unit]] = defaultdict(list)
        for unit in candidates(units):
            self.by_doc[unit.doc_id].append(unit)
        self._scores: dict[str, list[TopicScore]] = {}
        self._top_heading = {(u.doc_id, u.unit_id): u.heading for u in units if u.parent is None}

    def scores(self, unit: Unit) -> list[TopicScore]:
        """Topic scores; a paragraph or point is read under its article's heading (as context)."""
        if unit.key not in self._scores:
            article = None
            if unit.parent is not None:
                article = self._top_heading.get((unit.doc_id, top_level(unit.unit_id)), "")
            self._scores[unit.key] = score_unit(unit, heading=article)
        return self._scores[unit.key]

    def topic_vector(self, unit: Unit) -> dict[str, float]:
        scores = {s.topic: s.score for s in self.scores(unit)}
        norm = math.sqrt(sum(v * v for v in scores.values())) or 1.0
        return {t: v / norm for t, v in scores.items()}

    def matching(self, topic: str, doc_id: str) -> list[CellUnit]:
        """Every provision of ``doc_id`` addressing ``topic`` (score at least the minimum), best
        first, one per article before the other parts of an article, never a provision with its
        own part — what the coverage heatmap counts and shows."""
        ranked = []
        for unit in self.by_doc.get(doc_id, []):
            match = next((s for s in self.scores(unit) if s.topic == topic), None)
            if match and match.score >= self.settings.min_score:
                ranked.append(CellUnit(unit, match.score, match))
        ranked.sort(key=lambda c: (-c.score, c.unit.order))
        return _distinct(ranked, len(ranked))

    def cell(self, topic: str, doc_id: str, size: int | None = None) -> list[CellUnit]:
        """The best provisions of ``doc_id`` for ``topic`` (``size``, default the cell size, of
        ``matching``); the deontic force is worked out only for the provisions shown."""
        chosen = self.matching(topic, doc_id)[: size or self.settings.cell_size]
        self.give_force(chosen)
        return chosen

    def give_force(self, shown: list[CellUnit]) -> None:
        """Work out the deontic force of each provision about to be shown."""
        for cand in shown:
            if self._force is not None:
                cand.force = self._force(cand.unit)
            else:
                cand.force = _force(cand.unit, self.by_doc.get(cand.unit.doc_id, []))


def coverage(
    analysis: Analysis, topics: list[str] | None = None, docs: list[str] | None = None
) -> dict:
    """``{"topics": [{"topic", "instruments": [{"doc_id", "units": [...]}]}]}`` for all present docs."""
    topics = topics or topic_ids()
    docs = docs or list(analysis.by_doc)
    out = []
    for topic in topics:
        instruments = [
            {"doc_id": doc_id, "units": [c.to_dict() for c in analysis.cell(topic, doc_id)]}
            for doc_id in docs
        ]
        out.append({"topic": topic, "instruments": instruments})
    return {"topics": out}


def similar(
    analysis: Analysis, doc_id: str, unit_id: str, size: int | None = None, vectors=None
) -> dict:
    """Counterparts of one provision in every other instrument, best first, with reasons.

    Score = ``topic_weight`` × cosine of topic vectors + ``dense_weight`` × cosine of embeddings when
    ``vectors`` maps unit keys to normalised vectors (topics only without them). Measured on the
    dev gold: topics alone hit@1 0.69, embeddings alone 0.40, both 0.77; adding lexicon-concept
    overlap lowered it. Raises ``UnknownUnitError`` (a ``KBError``) for an unknown unit.
    """
    source = next((u for u in analysis.units if u.doc_id == doc_id and u.unit_id == unit_id), None)
    if source is None:
        raise UnknownUnitError(f"{doc_id} has no unit {unit_id!r}")
    matches = []
    for other, units in analysis.by_doc.items():
        if other == doc_id:
            continue
        ranked = [c for c in (_pair(analysis, source, u, vectors) for u in units) if c.score > 0]
        ranked.sort(key=lambda c: (-c.score, c.unit.order))
        chosen = _distinct(ranked, size or analysis.settings.cell_size)
        analysis.give_force(chosen)
        if chosen:
            matches.append({"doc_id": other, "units": [c.to_dict(with_text=False) for c in chosen]})
    return {"doc_id": doc_id, "unit_id": unit_id, "matches": matches}


def _pair(analysis: Analysis, source: Unit, unit: Unit, vectors) -> CellUnit:
    base, vec = analysis.topic_vector(source), analysis.topic_vector(unit)
    shared = sorted(set(base) & set(vec), key=lambda t: -(base[t] * vec[t]))
    settings = analysis.settings
    score = settings.topic_weight * sum(base[t] * vec[t] for t in shared)
    if vectors is not None and source.key in vectors and unit.key in vectors:
        score += settings.dense_weight * float(vectors[source.key] @ vectors[unit.key])
    reason = [f"shared topic: {t}" for t in shared[:3]]
    if vectors is not None:
        reason.append("similar wording (multilingual embedding)")
    return CellUnit(unit, score, None, "", reason)


def _distinct(ranked: list[CellUnit], size: int) -> list[CellUnit]:
    """The first ``size`` entries, one per top-level provision first (three paragraphs of one
    article would hide the other articles), then — for instruments with few articles — other
    parts of the same articles; never a provision together with its own part."""
    chosen: list[CellUnit] = []
    for one_per_article in (True, False):
        for cand in ranked:
            if len(chosen) == size:
                return chosen
            uid = cand.unit.unit_id
            if any(c is cand for c in chosen):
                continue
            if one_per_article and any(top_level(uid) == top_level(c.unit.unit_id) for c in chosen):
                continue
            if any(
                is_within(uid, c.unit.unit_id) or is_within(c.unit.unit_id, uid) for c in chosen
            ):
                continue
            chosen.append(cand)
    return chosen


def _force(unit: Unit, document: list[Unit]) -> str:
    """The principal force of a provision — the obligation matrix's (``kb.compare.matrix``), which
    reads list points with their lead-in and an article by its operative paragraphs."""
    from kb.compare.force import principal_force

    return principal_force(unit, document)
