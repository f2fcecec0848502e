"""The procedure trail: where each article of an adopted act came from in the proposal.

Articles are renumbered and merged during negotiation (the proposal's complaints article is not
the adopted act's Art. 14), so articles are aligned by content, not by number: each article is a
TF-IDF vector of its stemmed words (``kb.lang``), its heading counted three times; an
adopted article is matched to the proposal articles most similar to it. Below a similarity
threshold it is new. For each pair, a word-level diff (``kb.compare.diff.word_ops``) says how much changed.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from kb.models import Unit

#: the team's proposal → adopted pairs (``kb eval --trail``)
GOLD_PATH = Path(__file__).parent / "gold" / "procedure_gold.json"

#: below this cosine similarity an adopted article has no counterpart in the proposal
NEW_BELOW = 0.12
#: a second proposal article is listed as merged in when it scores this close to the best
MERGED_WITHIN = 0.75
#: an adopted article whose best proposal article is the better match of another adopted article
#: (no mutual best match) is new unless it is at least this similar
SECOND_CLAIM_KEEPS = 0.5
HEADING_WEIGHT = 3


@dataclass(frozen=True)
class Trail:
    adopted: str
    heading: str
    sources: tuple[str, ...]  # proposal unit ids, best first; () for a new article
    scores: tuple[float, ...]
    added_words: int
    deleted_words: int

    def to_dict(self) -> dict:
        return {
            "adopted": self.adopted,
            "heading": self.heading,
            "from": list(self.sources),
            "scores": [round(s, 3) for s in self.scores],
            "added_words": self.added_words,
            "deleted_words": self.deleted_words,
            "new": not self.sources,
        }


def _articles(units: list[Unit]) -> list[Unit]:
    return [u for u in units if u.parent is None and u.kind == "art" and u.status != "deleted"]


def _vectors(articles: list[Unit]) -> list[Counter]:
    from kb.lang import tokens

    out = []
    for unit in articles:
        counts = Counter(tokens(unit.text, unit.language))
        for token in tokens(unit.heading, unit.language):
            counts[token] += HEADING_WEIGHT
        out.append(counts)
    return out


def _tfidf(vectors: list[Counter]) -> list[dict[str, float]]:
    df: Counter = Counter()
    for v in vectors:
        df.update(set(v))
    n = len(vectors)
    out = []
    for v in vectors:
        weights = {t: (1 + math.log(c)) * math.log(1 + n / df[t]) for t, c in v.items()}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        out.append({t: w / norm for t, w in weights.items()})
    return out


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b.get(t, 0.0) for t, w in a.items())


def trail(proposal: list[Unit], adopted: list[Unit]) -> list[Trail]:
    """One ``Trail`` per article of ``adopted``, in its order."""
    from kb.compare.diff import word_ops

    props, acts = _articles(proposal), _articles(adopted)
    vectors = _tfidf(_vectors(props + acts))
    pv, av = vectors[: len(props)], vectors[len(props) :]
    scores = [[_cosine(a, p) for p in pv] for a in av]
    # for each proposal article, the adopted article most similar to it
    claimant = {i: max(range(len(av)), key=lambda j: scores[j][i]) for i in range(len(pv))}
    out = []
    for j, unit in enumerate(acts):
        ranked = sorted(((scores[j][i], i) for i in range(len(pv))), reverse=True)
        best = ranked[0][0] if ranked else 0.0
        second_claim = bool(ranked) and claimant[ranked[0][1]] != j
        if best < NEW_BELOW or (second_claim and best < SECOND_CLAIM_KEEPS):
            out.append(Trail(unit.unit_id, unit.heading, (), (), 0, 0))
            continue
        chosen = [(s, i) for s, i in ranked[:3] if s >= best * MERGED_WITHIN and s >= NEW_BELOW]
        source = props[chosen[0][1]]
        ops = word_ops(source.text, unit.text)
        out.append(
            Trail(
                unit.unit_id,
                unit.heading,
                tuple(props[i].unit_id for _, i in chosen),
                tuple(s for s, _ in chosen),
                sum(len(t.split()) for op, t in ops if op == "+"),
                sum(len(t.split()) for op, t in ops if op == "-"),
            )
        )
    return out


def evaluate(trails: list[Trail], gold_pairs: list[dict]) -> dict:
    """hit@1 (the best source is one of the gold's), any-hit (some listed source is), and new
    articles recognised, over the gold pairs."""
    by_id = {t.adopted: t for t in trails}
    n = hit1 = hit_any = new_ok = new_n = 0
    misses = []
    for pair in gold_pairs:
        t = by_id.get(pair["adopted"])
        if t is None:
            misses.append(f"{pair['adopted']}: not in the adopted text")
            continue
        gold = set(pair["proposal"])
        if not gold:
            new_n += 1
            new_ok += not t.sources
            if t.sources:
                misses.append(f"{pair['adopted']}: new in the gold, matched to {t.sources[0]}")
            continue
        n += 1
        ok1 = bool(t.sources) and t.sources[0] in gold
        hit1 += ok1
        hit_any += bool(gold & set(t.sources))
        if not ok1:
            got = t.sources[0] if t.sources else "nothing"
            misses.append(f"{pair['adopted']}: gold {sorted(gold)}, got {got}")
    return {
        "pairs": n,
        "hit_at_1": round(hit1 / n, 3) if n else None,
        "hit_any": round(hit_any / n, 3) if n else None,
        "new_articles": new_n,
        "new_recognised": new_ok,
        "misses": misses,
    }
