"""Evaluation of the obligation matrix against the team's dev gold (``kb/compare/gold/matrix_gold.json``).

The gold was written from the texts before the cue vocabulary was tuned. It is split by a hash of
``doc_id|element`` (force entries: ``doc_id|unit_id``) into a tuning half and a test half, so the
split is fixed and independent of the order of the file; cues are tuned on the tuning half only
and the test half is what the README reports.

Figures, each for the automatic cells and with the editorial overlay:

- value accuracy (yes / conditional / no), beside the all-``no`` baseline;
- citation accuracy: of the gold cells that cite a provision and that the matrix answers with a
  citation, the share where a cited unit lies inside a gold provision (or is one);
- force accuracy: the principal force of each gold provision;
- per instrument (value accuracy on all gold cells of that instrument). The cues are one shared
  vocabulary, not fitted per instrument, so this is the figure that says how the matrix does on an
  instrument whose wording the cues were not written for.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from kb.numbering import is_within
from kb.split import split_of

GOLD_PATH = Path(__file__).parent / "gold" / "matrix_gold.json"


def load_gold(path: Path = GOLD_PATH) -> dict:
    from kb.store import read_json

    return read_json(path, "matrix gold")


def _scores(cells: dict, gold_cells: list[dict]) -> dict:
    n = correct = baseline = cite_n = cite_ok = 0
    per_doc: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    misses = []
    for g in gold_cells:
        cell = cells.get((g["doc_id"], g["element"]))
        if cell is None:
            continue
        n += 1
        ok = cell["value"] == g["value"]
        correct += ok
        baseline += g["value"] == "no"
        per_doc[g["doc_id"]][0] += ok
        per_doc[g["doc_id"]][1] += 1
        if not ok:
            misses.append(f"{g['doc_id']} {g['element']}: gold {g['value']}, got {cell['value']}")
        if g.get("units") and cell["citations"]:
            cite_n += 1
            hit = any(is_within(cell["citations"][0]["unit_id"], u) for u in g["units"])
            cite_ok += hit
            if not hit:
                misses.append(
                    f"{g['doc_id']} {g['element']}: cites {cell['citations'][0]['unit_id']}, "
                    f"gold {', '.join(g['units'])}"
                )
    return {
        "cells": n,
        "value_accuracy": round(correct / n, 3) if n else None,
        "all_no_baseline": round(baseline / n, 3) if n else None,
        "citation_accuracy": round(cite_ok / cite_n, 3) if cite_n else None,
        "citations_judged": cite_n,
        "per_instrument": {d: round(a / t, 3) for d, (a, t) in sorted(per_doc.items())},
        "misses": misses,
    }


def evaluate(base: Path, load_matrix: Callable[..., dict], gold_path: Path = GOLD_PATH) -> dict:
    from kb.compare.cache import corpus_of

    gold = load_gold(gold_path)
    report: dict = {"gold": str(gold_path.name)}
    for name, editorial in (("automatic", False), ("editorial", True)):
        matrix = load_matrix(base, editorial=editorial)
        cells = {(c["doc_id"], c["element"]): c for c in matrix["cells"]}
        report[name] = {}
        for part in ("tune", "test"):
            chosen = [g for g in gold["cells"] if split_of(f"{g['doc_id']}|{g['element']}") == part]
            report[name][part] = _scores(cells, chosen)
    corpus = corpus_of(base)
    for part in ("tune", "test"):
        entries = [
            g for g in gold.get("force", []) if split_of(f"{g['doc_id']}|{g['unit_id']}") == part
        ]
        n = ok = 0
        misses = []
        for g in entries:
            unit = corpus.by_id.get((g["doc_id"], g["unit_id"]))
            if unit is None:
                misses.append(f"{g['doc_id']} {g['unit_id']}: not in the unit table")
                continue
            n += 1
            got = corpus.principal_force(unit)
            ok += got == g["force"]
            if got != g["force"]:
                misses.append(f"{g['doc_id']} {g['unit_id']}: gold {g['force']}, got {got}")
        report.setdefault("force", {})[part] = {
            "units": n,
            "force_accuracy": round(ok / n, 3) if n else None,
            "misses": misses,
        }
    report["leave_one_out"] = leave_one_instrument_out(base, gold)
    return report


def leave_one_instrument_out(base: Path, gold: dict) -> dict:
    """Value accuracy per instrument X with the cues written for X alone taken away: a cue
    pattern (cues, exclusions, conditions, any language) that matches the texts of no other act
    than X's could only have come from reading X, so it is dropped before X's cells are decided
    again. All gold cells of X count (both halves). This is how the matrix would do on X had X
    not been in the corpus when the vocabulary was written — e.g. on a bill a user adds."""
    import dataclasses

    from corpus.manifest import manifest_for
    from kb.compare.elements import elements
    from kb.compare.matrix import Corpus, column_documents, decide, parallel_versions
    from kb.compare.versions import act_of
    from kb.store import read_units

    manifest = manifest_for(base)
    units = read_units(base)
    columns = column_documents(manifest, {u.doc_id for u in units})
    corpus = Corpus([u for u in units if u.doc_id in columns], parallel_versions(manifest, columns))
    texts: dict[str, list[str]] = defaultdict(list)
    for unit in corpus.units:
        if unit.parent is None:  # an article's text holds its paragraphs' and points'
            texts[act_of(manifest, unit.doc_id)].append(unit.text)
    seen: dict[re.Pattern, set[str]] = {}

    def acts(pattern: re.Pattern) -> set[str]:
        if pattern not in seen:
            seen[pattern] = {a for a, ts in texts.items() if any(pattern.search(t) for t in ts)}
        return seen[pattern]

    def without(table: dict, act: str) -> tuple[dict, int]:
        """``table`` without the patterns that match the texts of ``act`` alone."""
        kept, dropped = {}, 0
        for language, patterns in table.items():
            mine = [p for p in patterns if acts(p) and acts(p) <= {act}]
            dropped += len(mine)
            kept[language] = tuple(p for p in patterns if p not in mine)
        return kept, dropped

    out = {}
    for doc_id in sorted({g["doc_id"] for g in gold["cells"]}):
        act = act_of(manifest, doc_id)
        dropped = 0
        reduced = []
        for e in elements():
            tables = {}
            for name in ("cues", "exclude", "condition"):
                tables[name], n = without(getattr(e, name), act)
                dropped += n
            reduced.append(dataclasses.replace(e, **tables))
        doc_units = corpus.by_doc.get(doc_id, [])
        values = {e.element: decide(corpus, e, doc_units)["value"] for e in reduced}
        gold_cells = [g for g in gold["cells"] if g["doc_id"] == doc_id]
        full = {e.element: decide(corpus, e, doc_units)["value"] for e in elements()}
        right = sum(values.get(g["element"]) == g["value"] for g in gold_cells)
        right_full = sum(full.get(g["element"]) == g["value"] for g in gold_cells)
        out[doc_id] = {
            "cells": len(gold_cells),
            "value_accuracy": round(right / len(gold_cells), 3),
            "with_all_cues": round(right_full / len(gold_cells), 3),
            "cues_dropped": dropped,
        }
    return out


def format_report(report: dict) -> str:
    lines = [f"obligation matrix on {report['gold']} (tuning half / test half)"]
    for name in ("automatic", "editorial"):
        for part in ("tune", "test"):
            r = report[name][part]
            lines.append(
                f"  {name:9} {part:4}: value {r['value_accuracy']} (all-no {r['all_no_baseline']}), "
                f"citation {r['citation_accuracy']} over {r['citations_judged']}, {r['cells']} cells"
            )
    for part in ("tune", "test"):
        f = report["force"][part]
        lines.append(f"  force     {part:4}: {f['force_accuracy']} over {f['units']} provisions")
    lines.append("  per instrument (automatic, test half):")
    for doc, acc in report["automatic"]["test"]["per_instrument"].items():
        lines.append(f"    {doc:45} {acc}")
    if report.get("leave_one_out"):
        lines.append(
            "  leave one instrument out (all its gold cells; cues only its own texts match dropped):"
        )
        for doc, r in report["leave_one_out"].items():
            lines.append(
                f"    {doc:45} {r['value_accuracy']} (with them {r['with_all_cues']}, "
                f"{r['cues_dropped']} cues dropped, {r['cells']} cells)"
            )
    # the tuning half's misses: what rules and cues are tuned on (the test half's are in --json)
    lines.append("  misses (automatic, tuning half):")
    lines += [f"    {m}" for m in report["automatic"]["tune"]["misses"]]
    lines += [f"    force: {m}" for m in report["force"]["tune"]["misses"]]
    return "\n".join(lines)
