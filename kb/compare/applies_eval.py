"""Evaluation of ``kb applies`` against the team's dev gold (``kb/compare/gold/applies_gold.json``).

A verdict is right when ``applies`` equals the gold's and, for ``not-yet``, ``from`` too. The
report also checks that every verdict carries at least one citation.
"""

from __future__ import annotations

import json
from pathlib import Path

from kb.compare.applies import Profile, applies

GOLD_PATH = Path(__file__).parent / "gold" / "applies_gold.json"


def evaluate(records, units, gold_path: Path = GOLD_PATH) -> dict:
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    n = ok = cited = 0
    per_family: dict[str, list[int]] = {}
    misses = []
    for case in gold["profiles"]:
        raw = case["profile"]
        profile = Profile(
            country=raw["country"],
            employees=raw["employees"],
            turnover=raw["turnover"],
            date=case["date"],
            employees_in_country=raw.get("employees_in_country"),
            employees_in=dict(raw.get("employees_in") or {}),
            eu_turnover=raw.get("eu_turnover"),
            royalties=raw.get("royalties"),
        )
        got = {e["family"]: e for e in applies(profile, records, units)["instruments"]}
        for family, want in case["expected"].items():
            entry = got.get(family)
            if entry is None:
                continue
            n += 1
            right = entry["applies"] == want["applies"] and (
                want["applies"] != "not-yet" or entry.get("from") == want.get("from")
            )
            ok += right
            cited += bool(entry["reasons"]) and all(r["citation"] for r in entry["reasons"])
            per_family.setdefault(family, [0, 0])
            per_family[family][0] += right
            per_family[family][1] += 1
            if not right:
                misses.append(
                    f"{case['id']} {case['date']} {family}: gold {want['applies']} "
                    f"{want.get('from') or ''}, got {entry['applies']} {entry.get('from') or ''}"
                )
    return {
        "verdicts": n,
        "accuracy": round(ok / n, 3) if n else None,
        "with_citation": round(cited / n, 3) if n else None,
        "per_family": {f: round(a / t, 3) for f, (a, t) in per_family.items()},
        "misses": misses,
    }
