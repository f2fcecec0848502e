"""Retrieval evaluation on the labelled dev set: success@k, MRR@10, nDCG@10 per language and mode.

Dev set lines (``indexing/devset.jsonl``)::

    {"id": "q01", "query": "...", "language": "en", "style": "lay"|"legal",
     "scope": "single"|"cross", "relevant": [{"doc_id": "eu-csddd-2024-1760*", "unit_id": "art-14"}]}

``doc_id`` may end in ``*`` (all versions/translations sharing that prefix). A hit matches a label
when its doc_id matches and its unit_id is the label's unit or lies inside it (PRODUCT.md: a
result "is" article 14 when its unit_id is ``art-14`` or starts with ``art-14.``). Each label
counts once.
"""

from __future__ import annotations

import fnmatch
import json
import math
import time
from pathlib import Path

from kb.errors import KBError
from kb.numbering import is_within

DEVSET_PATH = Path(__file__).with_name("devset.jsonl")
MODES = ("bm25", "dense", "hybrid")


def load_devset(path: Path) -> list[dict]:
    """Labelled queries; raises ``KBError`` naming the line of a malformed entry."""
    if not Path(path).is_file():
        raise KBError(f"dev set not found: {path}")
    items = []
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            assert isinstance(item["query"], str) and item["relevant"], (
                "query and relevant required"
            )
            for label in item["relevant"]:
                assert set(label) == {"doc_id", "unit_id"}, f"bad label {label}"
        except (json.JSONDecodeError, KeyError, AssertionError, TypeError) as exc:
            raise KBError(f"{path}:{n}: malformed dev-set entry ({exc})") from None
        items.append(item)
    return items


def matched_labels(
    hits: list[tuple], labels: list[dict], *, pinpoint: bool = False
) -> list[int | None]:
    """For each hit ``(doc_id or tuple of doc_ids, unit_id)``, the index of the label it satisfies
    (or None). A hit may stand for several versions of one provision (``Hit.also_in``): it
    matches a label when any of its doc_ids does. ``pinpoint``: only a hit that lies inside the
    labelled provision counts (Art. 29 does not answer a query labelled Art. 29(3))."""
    used: set[int] = set()
    out: list[int | None] = []
    for doc_ids, unit_id in hits:
        doc_ids = (doc_ids,) if isinstance(doc_ids, str) else doc_ids
        found = None
        for i, label in enumerate(labels):
            if i in used:
                continue
            doc_ok = any(fnmatch.fnmatchcase(d, label["doc_id"]) for d in doc_ids)
            # article level: the hit lies in the labelled provision, or holds it (a hit on
            # Art. 29 answers a query labelled Art. 29(3)(a))
            if doc_ok and (
                is_within(unit_id, label["unit_id"])
                or (not pinpoint and is_within(label["unit_id"], unit_id))
            ):
                found = i
                break
        if found is not None:
            used.add(found)
        out.append(found)
    return out


def score_query(hits: list[tuple], labels: list[dict], k: int = 10) -> dict[str, float]:
    """success@1/5/10, reciprocal rank@k and nDCG@k for one ranked list (binary relevance)."""
    matches = matched_labels(hits[:k], labels)
    relevant = [m is not None for m in matches]
    first = next((i for i, r in enumerate(relevant) if r), None)
    dcg = sum(1 / math.log2(i + 2) for i, r in enumerate(relevant) if r)
    ideal = sum(1 / math.log2(i + 2) for i in range(min(len(labels), k)))
    pinpointed = [m is not None for m in matched_labels(hits[:k], labels, pinpoint=True)]
    return {
        "pinpoint@10": float(any(pinpointed[:10])),
        "success@1": float(any(relevant[:1])),
        "success@5": float(any(relevant[:5])),
        "success@10": float(any(relevant[:10])),
        "mrr@10": 0.0 if first is None else 1 / (first + 1),
        "ndcg@10": dcg / ideal if ideal else 0.0,
    }


def _mean(rows: list[dict[str, float]]) -> dict[str, float]:
    if not rows:
        return {}
    return {key: round(sum(r[key] for r in rows) / len(rows), 3) for key in rows[0]}


def evaluate(searcher, devset: list[dict], k: int = 10) -> dict:
    """Scores per mode, overall and per language, plus per-query ranks of the first relevant hit."""
    report: dict = {"queries": len(devset), "model": searcher.index.meta["model"], "modes": {}}
    per_query: dict[str, dict[str, int | None]] = {item["id"]: {} for item in devset}
    for mode in MODES:
        started = time.perf_counter()
        rows: dict[str, list[dict]] = {"all": []}
        for item in devset:
            hits = searcher.search(item["query"], k=k, mode=mode)
            found = [((h.doc_id, *h.also_in), h.unit_id) for h in hits]
            scores = score_query(found, item["relevant"], k)
            rows["all"].append(scores)
            rows.setdefault(item.get("language", "?"), []).append(scores)
            mrr = scores["mrr@10"]
            per_query[item["id"]][mode] = round(1 / mrr) if mrr else None
        report["modes"][mode] = {group: _mean(r) | {"n": len(r)} for group, r in rows.items()}
        report["modes"][mode]["seconds"] = round(time.perf_counter() - started, 2)
    report["first_relevant_rank"] = per_query
    return report


def format_report(report: dict) -> str:
    """A readable table: one row per mode × language."""
    lines = [f"dev set: {report['queries']} queries, model {report['model']}"]
    header = (
        f"{'mode':7} {'lang':4} {'n':>3}  {'S@1':>5} {'S@5':>5} {'S@10':>5} {'MRR':>5} {'nDCG':>5}"
        f" {'P@10':>5}"
    )
    lines += [header, "-" * len(header)]
    for mode, groups in report["modes"].items():
        for group, m in groups.items():
            if group == "seconds":
                continue
            lines.append(
                f"{mode:7} {group:4} {m['n']:>3}  {m['success@1']:5.3f} {m['success@5']:5.3f} "
                f"{m['success@10']:5.3f} {m['mrr@10']:5.3f} {m['ndcg@10']:5.3f}"
                f" {m['pinpoint@10']:5.3f}"
            )
    misses = [
        q for q, ranks in report["first_relevant_rank"].items() if ranks.get("hybrid") is None
    ]
    lines.append(f"hybrid misses (no relevant hit in top 10): {', '.join(misses) or 'none'}")
    lines.append(
        "P@10: a hit inside the labelled provision (an article does not pinpoint a paragraph)"
    )
    return "\n".join(lines)
