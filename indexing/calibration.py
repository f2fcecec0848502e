"""Honest scores: a calibrated ``relevance`` per result and a "no good match" threshold.

Fitted by ``python -m kb eval --calibrate`` on the **tuning half** of the dev sets (a hash of
the query id splits them; the test half is what is reported) and stored in
``indexing/calibration.json`` for the embedder it was fitted with:

- ``relevance`` of a result = the share of tuning-half results with a similar query–chunk cosine
  that were relevant (article level), in quantile bins made monotone (pool-adjacent-violators);
- ``no_good_match`` when a query has no content word once markup is stripped, or when its best
  result is in the lowest relevance bin **and** few of its words occur in the corpus (its
  stems' coverage of the BM25 vocabulary below a threshold): both thresholds are set so that at
  most 2 % of tuning-half queries are told "no good match".
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from dataclasses import dataclass
from pathlib import Path

from kb.split import split_of

PATH = Path(__file__).with_name("calibration.json")
_CODE = re.compile(r"<(script|style)\b[^>]*>.*?(?:</\1\s*>|$)", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]{0,200}>")
_WORD = re.compile(r"[^\W\d_]{3,}")
#: share of real tuning queries allowed to be told "no good match"
FALSE_ALARM = 0.02
BINS = 8


def has_content(query: str) -> bool:
    """At least one word of three letters once markup is removed: tags, and the whole of a
    ``<script>`` or ``<style>`` element (``<script>alert(1)</script>`` is markup, not a question)."""
    return bool(_WORD.search(_TAG.sub(" ", _CODE.sub(" ", query))))


@dataclass(frozen=True)
class Calibration:
    edges: tuple[float, ...]  # upper edges of the bins (cosine)
    values: tuple[float, ...]  # relevance per bin
    no_match_below: float
    fingerprint: str
    coverage_below: float = 0.0

    def relevance(self, cosine: float | None) -> float:
        if cosine is None:
            return 0.0
        return self.values[min(bisect_right(self.edges, cosine), len(self.values) - 1)]


def load_calibration(fingerprint: str, path: Path = PATH) -> Calibration | None:
    """The stored calibration for this embedder, or None (then no relevance is given)."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, UnicodeDecodeError, json.JSONDecodeError):
        return None
    if raw.get("fingerprint") != fingerprint:
        return None
    return Calibration(
        tuple(raw["edges"]),
        tuple(raw["values"]),
        raw["no_match_below"],
        fingerprint,
        raw.get("coverage_below", 0.0),
    )


def coverage(query: str, vocabulary) -> float:
    """Share of the query's stems (three letters or more) that occur in the corpus."""
    from kb.lang import query_tokens

    stems = [t for t in query_tokens(_TAG.sub(" ", query)) if len(t) >= 3]
    return sum(t in vocabulary for t in stems) / len(stems) if stems else 0.0


def _monotone(values: list[float], weights: list[int]) -> list[float]:
    """Pool adjacent violators: the non-decreasing sequence closest to ``values``."""
    blocks = [[v, w, 1] for v, w in zip(values, weights, strict=True)]
    i = 0
    while i < len(blocks) - 1:
        if blocks[i][0] > blocks[i + 1][0]:
            v1, w1, n1 = blocks[i]
            v2, w2, n2 = blocks[i + 1]
            w = w1 + w2
            blocks[i] = [(v1 * w1 + v2 * w2) / w if w else 0.0, w, n1 + n2]
            del blocks[i + 1]
            i = max(i - 1, 0)
        else:
            i += 1
    out = []
    for v, _, n in blocks:
        out += [v] * n
    return out


def fit(searcher, devset: list[dict]) -> dict:
    """Fit on the tuning half; returns the calibration (to store) and what it was fitted on."""
    from indexing.evaluate import matched_labels

    tune = [d for d in devset if split_of(d["id"]) == "tune"]
    pairs: list[tuple[float, int]] = []
    for item in tune:
        searcher.calibration = None
        hits = searcher.search(item["query"], k=10)
        found = [((h.doc_id, *h.also_in), h.unit_id) for h in hits]
        for hit, label in zip(hits, matched_labels(found, item["relevant"]), strict=True):
            if hit.dense_score is not None:
                pairs.append((hit.dense_score, int(label is not None)))
    pairs.sort()
    size = max(1, len(pairs) // BINS)
    chunks = [pairs[i : i + size] for i in range(0, len(pairs), size)]
    edges = [c[-1][0] for c in chunks[:-1]]
    raw = [sum(r for _, r in c) / len(c) for c in chunks]
    values = _monotone(raw, [len(c) for c in chunks])
    calibration = Calibration(tuple(edges), tuple(round(v, 3) for v in values), 0.0, "")
    tops = []
    vocabulary = searcher.vocabulary
    for item in tune:
        hits = searcher.search(item["query"], k=10)
        top = max((calibration.relevance(h.dense_score) for h in hits), default=0.0)
        tops.append((top, coverage(item["query"], vocabulary)))
    lowest = min(calibration.values) if calibration.values else 0.0
    allowed = int(FALSE_ALARM * len(tops))
    weak = sorted(c for t, c in tops if t <= lowest)
    # flagged: lowest bin and coverage strictly below; at most `allowed` tuning queries are
    cover = weak[allowed] if len(weak) > allowed else 1.0
    return {
        "fingerprint": searcher.embedder.fingerprint,
        "edges": [round(e, 4) for e in edges],
        "values": list(calibration.values),
        "no_match_below": lowest,
        "coverage_below": cover,
        "fitted_on": {"queries": len(tune), "results": len(pairs), "split": "tune"},
    }
