"""Evaluation of the comparison against the team's dev gold (``kb/compare/gold/compare_gold.json``).

- cell accuracy: share of gold cells (topic × instrument) whose top 3 contain a correct provision;
- alignment hit@1 / hit@3: share of gold pairs whose target instrument's top 1 / top 3
  counterparts contain an acceptable unit; ``hit@1_same_article`` (lenient, reported beside it)
  also accepts a top 1 in the same top-level provision as an acceptable unit.

A predicted unit matches a gold unit when it is that unit or lies inside it (PRODUCT.md).
"""

from __future__ import annotations

import json
from pathlib import Path

from kb.compare.cells import Analysis, similar
from kb.errors import KBError
from kb.numbering import is_within, top_level

GOLD_PATH = Path(__file__).parent / "gold" / "compare_gold.json"


def load_gold(path: Path) -> dict:
    if not path.is_file():
        raise KBError(f"comparison gold not found: {path}")
    try:
        gold = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise KBError(f"{path}: not JSON ({exc.msg})") from None
    if not isinstance(gold.get("cells"), list) or not isinstance(gold.get("pairs"), list):
        raise KBError(f"{path}: expected 'cells' and 'pairs' lists")
    return gold


def _hit(predicted: list[str], gold: list[str]) -> bool:
    return any(is_within(p, g) for p in predicted for g in gold)


def evaluate_compare(analysis: Analysis, gold: dict, k: int = 3, vectors=None) -> dict:
    """``{"cells": {...}, "alignment": {...}, "misses": {...}}`` with accuracies and failures."""
    cell_hits, cell_misses = 0, []
    per_doc: dict[str, list[int]] = {}
    for cell in gold["cells"]:
        predicted = [c.unit.unit_id for c in analysis.cell(cell["topic"], cell["doc_id"], size=k)]
        ok = _hit(predicted, cell["units"])
        cell_hits += ok
        per_doc.setdefault(cell["doc_id"], []).append(int(ok))
        if not ok:
            cell_misses.append(
                {
                    "topic": cell["topic"],
                    "doc_id": cell["doc_id"],
                    "gold": cell["units"],
                    "top3": predicted,
                }
            )
    hit1 = hit3 = hit1_article = 0
    pair_misses = []
    for pair in gold["pairs"]:
        source = pair["from"]
        result = similar(analysis, source["doc_id"], source["unit_id"], size=k, vectors=vectors)
        for target in _targets(pair):
            match = next((m for m in result["matches"] if m["doc_id"] == target["doc_id"]), None)
            predicted = [u["unit_id"] for u in match["units"]] if match else []
            acceptable = target["units"]
            hit1 += _hit(predicted[:1], acceptable)
            hit1_article += _hit(
                [top_level(p) for p in predicted[:1]], [top_level(g) for g in acceptable]
            )
            ok = _hit(predicted[:k], acceptable)
            hit3 += ok
            if not ok:
                pair_misses.append(
                    {"from": source, "to": target["doc_id"], "gold": acceptable, "top3": predicted}
                )
    n_pairs = sum(len(_targets(p)) for p in gold["pairs"])
    return {
        "cells": {
            "n": len(gold["cells"]),
            "accuracy@3": round(cell_hits / max(1, len(gold["cells"])), 3),
            "per_doc": {d: round(sum(v) / len(v), 3) for d, v in per_doc.items()},
        },
        "alignment": {
            "n": n_pairs,
            "hit@1": round(hit1 / max(1, n_pairs), 3),
            "hit@3": round(hit3 / max(1, n_pairs), 3),
            "hit@1_same_article": round(hit1_article / max(1, n_pairs), 3),
        },
        "misses": {"cells": cell_misses, "pairs": pair_misses},
    }


def _targets(pair: dict) -> list[dict]:
    """Group a pair's acceptable counterparts by target instrument."""
    grouped: dict[str, list[str]] = {}
    for item in pair["to"]:
        grouped.setdefault(item["doc_id"], []).append(item["unit_id"])
    return [{"doc_id": d, "units": u} for d, u in grouped.items()]


def format_compare_report(report: dict) -> str:
    cells, align = report["cells"], report["alignment"]
    lines = [
        f"cells: {cells['n']} gold cells, accuracy (correct provision in top 3) {cells['accuracy@3']:.3f}",
    ]
    lines += [f"  {doc:46} {acc:.3f}" for doc, acc in cells["per_doc"].items()]
    lines.append(
        f"alignment: {align['n']} gold pairs, hit@1 {align['hit@1']:.3f}, hit@3 {align['hit@3']:.3f}"
        f" (top 1 in the right article, any paragraph: {align['hit@1_same_article']:.3f})"
    )
    for miss in report["misses"]["cells"][:20]:
        lines.append(
            f"  cell miss {miss['topic']} × {miss['doc_id']}: gold {miss['gold']}, top3 {miss['top3']}"
        )
    for miss in report["misses"]["pairs"][:20]:
        lines.append(
            f"  pair miss {miss['from']['doc_id']}/{miss['from']['unit_id']} → {miss['to']}: gold {miss['gold']}, top3 {miss['top3']}"
        )
    return "\n".join(lines)
