"""Retrieval evaluation on the labelled dev sets: success@k, MRR@10, nDCG@10, pinpoint success@10,
instrument recall@10, per query language and mode, and a query-language × document-language table.

The dev sets are ``indexing/devset*.jsonl`` (``DEVSET_PATHS``): ``devset.jsonl`` (the first
team queries, used to choose the first settings), ``devset_new.jsonl`` (the new instruments),
``devset_v2.jsonl`` (paragraph-level labels, every language, each label with the quote that
answers). One hash split (``kb.split``) makes a tuning and a test half; settings are chosen on
the tuning half, the test half is reported.

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
from kb.numbering import is_within, top_level

DEVSET_PATH = Path(__file__).with_name("devset.jsonl")
DEVSET_PATHS = tuple(
    DEVSET_PATH.with_name(n) for n in ("devset.jsonl", "devset_new.jsonl", "devset_v2.jsonl")
)
SPLITS = ("tune", "test", "all")
MODES = ("bm25", "dense", "hybrid")
#: a label names a unit; ``quote`` (words of that unit that answer the query, checked against the
#: text by ``tests/test_devset.py``) and ``quote_doc`` (the version quoted, for a ``*`` pattern)
LABEL_FIELDS = {"doc_id", "unit_id", "quote", "quote_doc"}


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
                assert {"doc_id", "unit_id"} <= set(label) <= LABEL_FIELDS, f"bad label {label}"
        except (json.JSONDecodeError, KeyError, AssertionError, TypeError) as exc:
            raise KBError(f"{path}:{n}: malformed dev-set entry ({exc})") from None
        items.append(item)
    return items


def load_devsets(paths=DEVSET_PATHS, split: str = "all") -> list[dict]:
    """Every dev-set query of ``paths`` (``source`` = the file's name), in one split."""
    from kb.split import split_of

    if split not in SPLITS:
        raise KBError(f"split must be one of {SPLITS}")
    items = []
    for path in paths:
        for item in load_devset(path):
            item.setdefault("source", Path(path).stem)
            if split == "all" or split_of(item["id"]) == split:
                items.append(item)
    return items


def hit_keys(hits) -> list[tuple]:
    """What ``matched_labels`` reads of search hits: (doc_ids — the shown one and ``also_in`` —,
    unit_id) per hit."""
    return [((h.doc_id, *h.also_in), h.unit_id) for h in hits]


def matched_labels(
    hits: list[tuple], labels: list[dict], *, pinpoint: bool = False
) -> list[int | None]:
    """For each hit ``(doc_id or tuple of doc_ids, unit_id)``, the index of the label it satisfies
    (or None). A hit may stand for several versions of one provision (``Hit.also_in``): it
    matches a label when any of its doc_ids does. ``pinpoint``: only a hit that lies inside the
    labelled provision counts (Art. 29 does not answer a query labelled Art. 29(3)); otherwise
    any hit in the labelled provision's article counts."""
    used: set[int] = set()
    out: list[int | None] = []
    for doc_ids, unit_id in hits:
        doc_ids = (doc_ids,) if isinstance(doc_ids, str) else doc_ids
        found = None
        for i, label in enumerate(labels):
            if i in used:
                continue
            doc_ok = any(fnmatch.fnmatchcase(d, label["doc_id"]) for d in doc_ids)
            # article level: the hit lies in the same article (§, principle, recital) as the
            # labelled provision (a hit on Art. 29 or Art. 29(2) answers, at article level, a
            # query labelled Art. 29(3)(a)); pinpoint: it lies inside the labelled provision
            if doc_ok and (
                is_within(unit_id, label["unit_id"])
                or (not pinpoint and top_level(unit_id) == top_level(label["unit_id"]))
            ):
                found = i
                break
        if found is not None:
            used.add(found)
        out.append(found)
    return out


def instruments_found(hits: list[tuple], labels: list[dict]) -> list[bool]:
    """Per label: is any of the hits in that label's instrument (its doc_id or pattern)?"""
    docs = [d for doc_ids, _ in hits for d in ((doc_ids,) if isinstance(doc_ids, str) else doc_ids)]
    return [any(fnmatch.fnmatchcase(d, label["doc_id"]) for d in docs) for label in labels]


def score_query(hits: list[tuple], labels: list[dict], k: int = 10) -> dict[str, float]:
    """success@1/5/10, reciprocal rank@k, nDCG@k, pinpoint success@10 and instrument recall@10
    for one ranked list (binary relevance)."""
    matches = matched_labels(hits[:k], labels)
    relevant = [m is not None for m in matches]
    first = next((i for i, r in enumerate(relevant) if r), None)
    dcg = sum(1 / math.log2(i + 2) for i, r in enumerate(relevant) if r)
    ideal = sum(1 / math.log2(i + 2) for i in range(min(len(labels), k)))
    pinpointed = [m is not None for m in matched_labels(hits[:k], labels, pinpoint=True)]
    instruments = {label["doc_id"]: False for label in labels}
    for label, found in zip(labels, instruments_found(hits[:10], labels), strict=True):
        instruments[label["doc_id"]] |= found
    return {
        "pinpoint@10": float(any(pinpointed[:10])),
        "instrument_recall@10": sum(instruments.values()) / len(instruments),
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


def label_language(label: dict, records) -> str:
    """The language of the document a label points to (``quote_doc`` for a pattern; ``*`` when
    the pattern covers several languages)."""
    doc = label.get("quote_doc") or label["doc_id"]
    langs = {r.language for d, r in records.items() if fnmatch.fnmatchcase(d, doc)}
    return langs.pop() if len(langs) == 1 else "*"


def evaluate(searcher, devset: list[dict], k: int = 10, modes=MODES) -> dict:
    """Scores per mode, overall and per language, plus per-query ranks of the first relevant hit
    and, for hybrid, pinpoint recall@10 of the labels per query language × document language."""
    report: dict = {"queries": len(devset), "model": searcher.index.meta["model"], "modes": {}}
    per_query: dict[str, dict[str, int | None]] = {item["id"]: {} for item in devset}
    pairs: dict[str, list[int]] = {}
    flagged: list[str] = []  # real queries the hybrid search answers "no good match"
    for mode in modes:
        started = time.perf_counter()
        rows: dict[str, list[dict]] = {"all": []}
        for item in devset:
            hits = searcher.search(item["query"], k=k, mode=mode)
            found = hit_keys(hits)
            scores = score_query(found, item["relevant"], k)
            rows["all"].append(scores)
            rows.setdefault(item.get("language", "?"), []).append(scores)
            mrr = scores["mrr@10"]
            per_query[item["id"]][mode] = round(1 / mrr) if mrr else None
            if mode == "hybrid":
                if searcher.assess(item["query"], hits):
                    flagged.append(item["id"])
                matched = set(matched_labels(found[:10], item["relevant"], pinpoint=True))
                for i, label in enumerate(item["relevant"]):
                    key = f"{item.get('language', '?')}→{label_language(label, searcher.records)}"
                    pairs.setdefault(key, []).append(int(i in matched))
        report["modes"][mode] = {group: _mean(r) | {"n": len(r)} for group, r in rows.items()}
        report["modes"][mode]["seconds"] = round(time.perf_counter() - started, 2)
    report["language_pairs"] = {
        key: {"labels": len(v), "pinpoint_recall@10": round(sum(v) / len(v), 3)}
        for key, v in sorted(pairs.items())
    }
    if "hybrid" in modes:
        report["wrongly_no_good_match"] = {"count": len(flagged), "ids": flagged}
    report["first_relevant_rank"] = per_query
    return report


def format_report(report: dict) -> str:
    """A readable table: one row per mode × language."""
    lines = [
        f"dev set: {report['queries']} queries ({report.get('split', 'all')}), "
        f"model {report['model']}"
    ]
    header = (
        f"{'mode':7} {'lang':4} {'n':>3}  {'S@1':>5} {'S@5':>5} {'S@10':>5} {'MRR':>5} {'nDCG':>5}"
        f" {'P@10':>5} {'IR@10':>5}"
    )
    lines += [header, "-" * len(header)]
    for mode, groups in report["modes"].items():
        for group, m in groups.items():
            if group == "seconds":
                continue
            lines.append(
                f"{mode:7} {group:4} {m['n']:>3}  {m['success@1']:5.3f} {m['success@5']:5.3f} "
                f"{m['success@10']:5.3f} {m['mrr@10']:5.3f} {m['ndcg@10']:5.3f}"
                f" {m['pinpoint@10']:5.3f} {m['instrument_recall@10']:5.3f}"
            )
    misses = [
        q for q, ranks in report["first_relevant_rank"].items() if ranks.get("hybrid") is None
    ]
    lines.append(f"hybrid misses (no relevant hit in top 10): {', '.join(misses) or 'none'}")
    if "wrongly_no_good_match" in report:
        wrong = report["wrongly_no_good_match"]
        lines.append(
            f"real queries answered 'no good match': {wrong['count']} of {report['queries']}"
            + (f" ({', '.join(wrong['ids'])})" if wrong["ids"] else "")
        )
    if report.get("language_pairs"):
        lines.append("hybrid pinpoint recall@10 of the labels, query language → document language:")
        lines += [
            f"  {key:6} {v['pinpoint_recall@10']:5.3f}  ({v['labels']} labels)"
            for key, v in report["language_pairs"].items()
        ]
    lines.append(
        "P@10: a hit inside the labelled provision (an article does not pinpoint a paragraph); "
        "IR@10: share of the labelled instruments with a hit"
    )
    return "\n".join(lines)
