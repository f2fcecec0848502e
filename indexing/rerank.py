"""A learned reranker over cheap features of the first provisions a search finds.

The hand-weighted fusion (``indexing.search``) orders provisions; this re-orders the first
``DEPTH`` of them by a logistic regression over features the search has at hand anyway:

- the provision's fused score relative to the best one, and its fused rank;
- its best dense cosine, BM25 and lexicon-BM25 scores (each relative to the best of the query);
- whether the query names its instrument, whether its language is the query's language,
  whether it is a recital, and the share of the query's words in its heading.

Fitted by ``python -m kb eval --fit-reranker`` on the **tuning half** of the dev sets (article-level
relevance, class-balanced, L2-regularised, plain NumPy gradient descent) and stored with the
embedder it was fitted for in ``indexing/reranker.json``; the command reports the test half with
and without it. ``RankingSettings.rerank`` switches it on; it is only kept on when it beats the
hand weights on the test half (docs/MEASURED.md, "learned reranker").
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

PATH = Path(__file__).with_name("reranker.json")
#: how many of the first provisions are re-ordered
DEPTH = 30
FEATURES = (
    "fused_share",
    "fused_rank",
    "dense",
    "bm25_share",
    "lexicon_share",
    "named",
    "same_language",
    "recital",
    "heading_overlap",
)


@dataclass(frozen=True)
class Reranker:
    weights: tuple[float, ...]
    bias: float
    mean: tuple[float, ...]
    scale: tuple[float, ...]

    def scores(self, features: np.ndarray) -> np.ndarray:
        x = (features - np.array(self.mean)) / np.array(self.scale)
        return x @ np.array(self.weights) + self.bias

    def to_dict(self) -> dict:
        return {
            "features": list(FEATURES),
            "weights": list(self.weights),
            "bias": self.bias,
            "mean": list(self.mean),
            "scale": list(self.scale),
        }


def load_reranker(fingerprint: str, path: Path = PATH) -> Reranker | None:
    """The stored reranker when it was fitted for this embedder and these features, else None."""
    if not path.is_file():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("fingerprint") != fingerprint or data.get("features") != list(FEATURES):
        return None
    return Reranker(
        tuple(data["weights"]), float(data["bias"]), tuple(data["mean"]), tuple(data["scale"])
    )


def fit(
    rows: np.ndarray,
    labels: np.ndarray,
    l2: float = 0.01,
    steps: int = 3000,
    *,
    balanced: bool = True,
) -> Reranker:
    """Logistic regression (L2; class-balanced unless ``balanced=False``, which keeps its outputs
    probabilities — ``indexing.calibration``) by gradient descent on standardised features."""
    mean = rows.mean(axis=0)
    scale = rows.std(axis=0)
    scale[scale == 0] = 1.0
    x = (rows - mean) / scale
    y = labels.astype(float)
    positive = max(1.0, y.sum())
    weight = (
        np.where(y > 0, len(y) / (2 * positive), len(y) / (2 * max(1.0, len(y) - positive)))
        if balanced
        else np.ones(len(y))
    )
    w = np.zeros(x.shape[1])
    b = 0.0
    rate = 0.5
    for _ in range(steps):
        p = 1 / (1 + np.exp(-(x @ w + b)))
        g = weight * (p - y)
        w -= rate * (x.T @ g / len(y) + l2 * w)
        b -= rate * g.mean()
    return Reranker(
        tuple(float(v) for v in w),
        float(b),
        tuple(float(v) for v in mean),
        tuple(float(v) for v in scale),
    )


def heading_overlap(query_words: set[str], heading_words: set[str]) -> float:
    return len(query_words & heading_words) / math.sqrt(len(query_words) or 1)
