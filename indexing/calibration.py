"""Honest scores: a calibrated ``relevance`` per result and a "no good match" threshold.

Fitted by ``python -m kb eval --calibrate`` on the **tuning half** of the dev sets (a hash of
the query id splits them; the test half is what is reported) and stored in
``indexing/calibration.json`` for the embedder it was fitted with:

- ``relevance`` of a result = the probability that it is relevant (article level), from a
  logistic regression over what the search knows of it (``FEATURES``): its query–chunk cosine,
  its rank (1/rank), its fused score relative to the first result's, its lead over the next
  result, and — for the first result — that lead again: a first result far ahead of the rest is
  right more often than one the second result nearly ties. Fitted without class balancing, so it
  estimates the share of such results that were relevant. (Until 2026-12-06 it was binned by the
  cosine alone: every result got about 0.1. Until 2026-12-07 it read cosine, rank and score
  share only: every first result got 0.65–0.69 whatever the query — "xylophone" 0.65, an exact
  hit 0.68 —, a figure of the rank, not of the result.)
- ``no_good_match`` when a query has no content word once markup is stripped, or when it is
  hardly nearer to the corpus than to everyday life: its best cosine in the corpus less its best
  cosine among the team's everyday questions (``indexing/everyday_questions.txt``, synthetic, in
  the five query languages; a null model) is below ``margin_below`` (that of the weakest
  ``WEAK_SHARE`` of tuning-half queries) **and** few of its words occur in the corpus (its
  stems' coverage of the BM25 vocabulary below ``coverage_below``, set so that at most 2 % of
  tuning-half queries are told "no good match"). The corpus cosine alone could not tell
  "recipe for chocolate cake" (0.795) from a short Dutch question about the law (0.809): e5's
  cosines crowd into 0.78–0.87 whatever the subject.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from kb.split import split_of

PATH = Path(__file__).with_name("calibration.json")
#: the everyday questions (one per line, ``#`` comments) and their stored query embeddings
EVERYDAY_PATH = PATH.with_name("everyday_questions.txt")
EVERYDAY_VECTORS = PATH.with_name("everyday_questions.npy")
_CODE = re.compile(r"<(script|style)\b[^>]*>.*?(?:</\1\s*>|$)", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]{0,200}>")
_WORD = re.compile(r"[^\W\d_]{3,}")
#: share of real tuning queries allowed to be told "no good match"
FALSE_ALARM = 0.02
#: what the relevance model reads of a result (``Calibration.relevances``)
FEATURES = ("cosine", "inverse_rank", "score_share", "lead", "first_lead")
#: the share of tuning-half queries whose margin over the everyday questions may lie below
#: ``margin_below`` (see docs/MEASURED.md for how it was chosen)
WEAK_SHARE = 0.05


def has_content(query: str) -> bool:
    """At least one word of three letters once markup is removed: tags, and the whole of a
    ``<script>`` or ``<style>`` element (``<script>alert(1)</script>`` is markup, not a question)."""
    return bool(_WORD.search(_TAG.sub(" ", _CODE.sub(" ", query))))


def features(hits) -> np.ndarray:
    """``FEATURES`` of a result list (best first): cosine (every result of a search that ran
    the dense model has its own; in a BM25-only search none has, and each gets the list's lowest,
    0), 1/rank, score / the first's score, that share less the next result's (the last result's
    lead is its whole share), and the first result's lead (0 for the others)."""
    top = max((h.score for h in hits), default=1.0) or 1.0
    lowest = min((h.dense_score for h in hits if h.dense_score is not None), default=0.0)
    shares = [h.score / top for h in hits]
    leads = [share - next_ for share, next_ in zip(shares, [*shares[1:], 0.0], strict=True)]
    return np.array(
        [
            [
                lowest if h.dense_score is None else h.dense_score,
                1 / rank,
                shares[rank - 1],
                leads[rank - 1],
                leads[0] if rank == 1 else 0.0,
            ]
            for rank, h in enumerate(hits, 1)
        ],
        dtype=float,
    ).reshape(len(hits), len(FEATURES))


def everyday_questions(path: Path = EVERYDAY_PATH) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def _digest(questions: list[str]) -> str:
    return hashlib.sha256("\n".join(questions).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Calibration:
    weights: tuple[float, ...]
    bias: float
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    #: no good match: the margin below this and the query's coverage below ``coverage_below``
    margin_below: float
    fingerprint: str
    coverage_below: float = 0.0
    #: the everyday questions' query embeddings (rows, normalised)
    everyday: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)), compare=False)

    def margin(self, best_cosine: float, query_vector: np.ndarray | None) -> float:
        """How much nearer the query is to the corpus than to everyday life: ``best_cosine`` (of
        its nearest chunk in the whole corpus, whatever the filters — a narrow filter must not make
        a good question look like noise) less its best cosine among the everyday questions."""
        if query_vector is None or not len(self.everyday):
            return best_cosine
        return best_cosine - float((self.everyday @ np.asarray(query_vector).ravel()).max())

    def no_good_match(self, query: str, margin: float, vocabulary) -> bool:
        return margin < self.margin_below and coverage(query, vocabulary) < self.coverage_below

    def relevances(self, hits) -> list[float]:
        """The relevance of each result of a list (best first), in [0, 1]."""
        if not hits:
            return []
        x = (features(hits) - np.array(self.mean)) / np.array(self.scale)
        p = 1 / (1 + np.exp(-(x @ np.array(self.weights) + self.bias)))
        return [round(float(v), 3) for v in p]


def load_calibration(fingerprint: str, path: Path = PATH) -> Calibration | None:
    """The stored calibration for this embedder and these features, or None (then no relevance
    is given)."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, UnicodeDecodeError, json.JSONDecodeError):
        return None
    if raw.get("fingerprint") != fingerprint or raw.get("features") != list(FEATURES):
        return None
    try:
        everyday = raw["everyday"]
        questions = everyday_questions(path.with_name(everyday["questions"]))
        if everyday["sha256"] != _digest(questions):
            return None  # the questions changed since the fit: refit (`kb eval --calibrate`)
        vectors = np.load(path.with_name(everyday["vectors"]), allow_pickle=False)
        if vectors.ndim != 2 or vectors.shape[0] != len(questions):
            return None
        return Calibration(
            tuple(float(w) for w in raw["weights"]),
            float(raw["bias"]),
            tuple(float(m) for m in raw["mean"]),
            tuple(float(v) for v in raw["scale"]),
            float(raw["margin_below"]),
            fingerprint,
            float(raw.get("coverage_below", 0.0)),
            vectors,
        )
    except (KeyError, TypeError, ValueError, OSError):
        return None  # a file of another layout: no relevance rather than a crash


def coverage(query: str, vocabulary) -> float:
    """Share of the query's stems (three letters or more) that occur in the corpus."""
    from kb.lang import query_tokens

    stems = [t for t in query_tokens(_TAG.sub(" ", query)) if len(t) >= 3]
    return sum(t in vocabulary for t in stems) / len(stems) if stems else 0.0


def brier(relevances: list[float], labels: list[int]) -> float:
    """Mean squared error of the relevances against what was relevant (lower is better)."""
    return float(np.mean((np.array(relevances) - np.array(labels)) ** 2)) if labels else 0.0


def auc(scores: list[float], labels: list[int]) -> float | None:
    """The share of (relevant, not relevant) pairs in which the relevant one scores higher (ties
    count half): 0.5 says the score tells them apart no better than a coin; None without both."""
    pos = np.array([s for s, y in zip(scores, labels, strict=True) if y])
    neg = np.array([s for s, y in zip(scores, labels, strict=True) if not y])
    if not len(pos) or not len(neg):
        return None
    greater = (pos[:, None] > neg[None, :]).mean()
    ties = (pos[:, None] == neg[None, :]).mean()
    return float(greater + ties / 2)


def labelled_results(searcher, devset: list[dict]) -> tuple[list, list[list[int]]]:
    """Every query's result list and, per result, whether it was relevant (article level)."""
    from indexing.evaluate import hit_keys, matched_labels

    lists, labels = [], []
    for item in devset:
        hits = searcher.search(item["query"], k=10)
        lists.append(hits)
        labels.append(
            [int(m is not None) for m in matched_labels(hit_keys(hits), item["relevant"])]
        )
    return lists, labels


def fit(searcher, devset: list[dict]) -> tuple[dict, np.ndarray]:
    """Fit on the tuning half; returns the calibration (to ``save``: what it was fitted on too)
    and the everyday questions' embeddings."""
    from indexing.lexicon import names_the_law
    from indexing.rerank import fit as fit_logistic

    tune = [d for d in devset if split_of(d["id"]) == "tune"]
    searcher.calibration = None
    lists, labels = labelled_results(searcher, tune)
    labels = [y for per_query in labels for y in per_query]
    rows = np.vstack([features(hits) for hits in lists if hits])
    model = fit_logistic(rows, np.array(labels), balanced=False)
    questions = everyday_questions()
    vectors = np.asarray(searcher.embedder.encode_queries(questions), dtype=np.float32)
    calibration = Calibration(
        model.weights, model.bias, model.mean, model.scale, 0.0, "", everyday=vectors
    )
    vocabulary = searcher.vocabulary
    tops = sorted(
        (
            calibration.margin(searcher.best_cosine(q), searcher.query_vector(q)),
            coverage(q, vocabulary),
            names_the_law(q),
        )
        for q in (item["query"] for item in tune)
    )
    below = tops[int(WEAK_SHARE * len(tops))][0] if tops else 0.0
    allowed = int(FALSE_ALARM * len(tops))
    # a query that names the law is never flagged (``indexing.search.Searcher.assess``)
    weak = sorted(c for t, c, named in tops if t < below and not named)
    # flagged: margin and coverage strictly below; at most `allowed` tuning queries are
    cover = weak[allowed] if len(weak) > allowed else 1.0
    relevances = [r for hits in lists for r in calibration.relevances(hits)]
    return {
        "fingerprint": searcher.embedder.fingerprint,
        "features": list(FEATURES),
        "weights": [round(w, 6) for w in model.weights],
        "bias": round(model.bias, 6),
        "mean": [round(m, 6) for m in model.mean],
        "scale": [round(v, 6) for v in model.scale],
        "margin_below": below,
        "coverage_below": cover,
        "everyday": {
            "questions": EVERYDAY_PATH.name,
            "sha256": _digest(questions),
            "vectors": EVERYDAY_VECTORS.name,
        },
        "fitted_on": {
            "queries": len(tune),
            "results": len(labels),
            "split": "tune",
            "brier": round(brier(relevances, labels), 4),
        },
    }, vectors


def save(calibration: dict, vectors: np.ndarray, path: Path = PATH) -> None:
    np.save(path.with_name(calibration["everyday"]["vectors"]), vectors, allow_pickle=False)
    path.write_text(json.dumps(calibration, indent=1) + "\n", encoding="utf-8")
