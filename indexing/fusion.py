"""Rank fusion as pure functions over ``(id, score)`` lists (after txtai's hybrid search)."""

from __future__ import annotations

from collections.abc import Hashable, Sequence


def reciprocal_rank_fusion(
    rankings: Sequence[Sequence[tuple[Hashable, float]]],
    k: int,
    weights: Sequence[float] | None = None,
) -> list[tuple[Hashable, float]]:
    """Fuse ranked lists (best first) by RRF: ``score(d) = Σ w_i / (k + rank_i(d))``, rank from 1.
    ``k`` has no default: the caller's settings (``indexing.search.RankingSettings``) give it.

    Returns ``[(id, fused_score), ...]`` best first; ties keep first-seen order.
    """
    if k <= 0:
        raise ValueError("k must be positive")
    weights = list(weights) if weights is not None else [1.0] * len(rankings)
    if len(weights) != len(rankings):
        raise ValueError("one weight per ranking")
    fused: dict[Hashable, float] = {}
    for ranking, weight in zip(rankings, weights, strict=True):
        for rank, (item, _score) in enumerate(ranking, start=1):
            fused[item] = fused.get(item, 0.0) + weight / (k + rank)
    order = {item: i for i, item in enumerate(fused)}
    return sorted(fused.items(), key=lambda kv: (-kv[1], order[kv[0]]))
