"""Handlers of the obligation commands (obligations, matrix, eval --matrix).

The parser lives in ``kb.cli.parser``; these functions load the unit table, call ``kb.compare.matrix`` and print
JSON or a readable table. The matrix is computed once per corpus version and cached in the data
folder by ``kb.compare.cache.load_matrix``.
"""

from __future__ import annotations

import json

from kb.cli.io import check_known, data_arg, read_jsonl, say
from kb.compare.cache import load_matrix
from kb.errors import KBError
from kb.explore.matrix_view import quote_shown
from kb.explore.ui_text import fact_text
from kb.service import check_matrix_columns


def cmd_matrix(args) -> int:
    from pathlib import Path

    from corpus.manifest import manifest_for
    from kb.compare.elements import element_ids, elements
    from kb.compare.matrix import select
    from kb.compare.topics import topic_ids

    base = data_arg(args)
    check_known(args.topic, topic_ids(), "topic")
    check_known(args.element, element_ids(), "element")
    if args.topic and args.element:
        topic_of = {e.element: e.topic for e in elements()}
        outside = [e for e in args.element if topic_of[e] not in args.topic]
        if outside:
            raise KBError(
                f"element(s) {outside} not in topic(s) {args.topic} "
                f"({', '.join(f'{e}: {topic_of[e]}' for e in outside)}); give the element alone"
            )
    editorial = Path(args.editorial) if args.editorial else None
    if editorial is not None and not editorial.is_file():
        raise KBError(f"editorial overlay {editorial} not found")
    matrix = load_matrix(
        base, editorial=not args.no_editorial, progress=say, editorial_path=editorial
    )
    columns = sorted({c["doc_id"] for c in matrix["cells"]})
    manifest = manifest_for(base)
    check_matrix_columns(args.doc, columns, manifest)
    result = select(matrix, args.topic or None, args.doc or None, args.element or None)
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
        return 0
    symbols = {"yes": "✓", "conditional": "~", "no": "✗"}
    by_element: dict[str, list[dict]] = {}
    for cell in result["cells"]:
        by_element.setdefault(cell["element"], []).append(cell)
    width = max((len(manifest[c["doc_id"]].short_title) for c in result["cells"]), default=0)
    for element in result["elements"]:
        print(f"== {element['element']} — {element['question']}")
        for cell in by_element.get(element["element"], []):
            cite = cell["citations"][0]["citation"] if cell["citations"] else "(silent)"
            fact = f"  [{quote_shown(fact_text('en', cell['fact']))}]" if cell.get("fact") else ""
            mark = " (editorial)" if cell["source"] == "editorial" else ""
            print(
                f"  {symbols[cell['value']]} {manifest[cell['doc_id']].short_title:{width}} "
                f"{cite}{fact}{mark}"
            )
            if cell["quote"]:  # the words that decide it
                print(f"      “{quote_shown(cell['quote'])}”")
    if result["advice"]:
        print("== what the policy advice says on these topics (not law; found by topic)")
    for entry in result["advice"]:
        print(f"  [{entry['topic']}] {entry['citation']}: “{entry['quote']}”")
    return 0


def _obligation(corpus, doc_id: str, unit_id: str) -> dict:
    unit = corpus.by_id.get((doc_id, unit_id))
    if unit is None:
        if doc_id not in corpus.by_doc:
            raise KBError(f"unknown doc_id {doc_id!r} (not in the unit table)")
        raise KBError(f"unknown unit_id {unit_id!r} in {doc_id}; see `python -m kb show`")
    force = corpus.principal_force(unit)
    statements = corpus.statements(unit)
    operative = [s for s in statements if s.force == force] or statements
    out = {
        "doc_id": doc_id,
        "unit_id": unit_id,
        "citation": unit.citation,
        "force": force,
        "addressee": operative[0].addressee if operative else "other",
        "statements": [_statement(s) for s in statements],
        # "deleted": a consolidated text keeps the number of a provision an amendment deleted;
        # its force "none" is that of no text, not of a provision that obliges no one
        "status": unit.status,
    }
    evidence = corpus.lead_in_evidence(unit)
    if evidence is not None and not any(s.force == force for s in statements):
        # a list point's own words carry no cue: the lead-in's sentence, when it states that
        # force, is the evidence
        lead, statement = evidence
        if statement.force == force:
            out["lead_in"] = {"unit_id": lead.unit_id, "citation": lead.citation}
            out["lead_in"] |= _statement(statement)
    return out


def _statement(s) -> dict:
    return {
        "text": s.text,
        "force": s.force,
        "cue": s.cue,
        "addressee": s.addressee,
        "start": s.start,
        "end": s.end,
    }


def cmd_obligations(args) -> int:
    from kb.compare.cache import corpus_of

    if args.batch and (args.doc or args.unit):
        raise KBError("give --doc and --unit, or --batch FILE, not both")
    corpus = corpus_of(data_arg(args))
    if args.batch:
        items = read_jsonl(args.batch, {"doc_id": str, "unit_id": str})
        failed = 0
        for item in items:
            try:
                out = {"id": item["id"], **_obligation(corpus, item["doc_id"], item["unit_id"])}
            except KBError as exc:
                failed += 1
                out = {"id": item["id"], "error": str(exc)}
            print(json.dumps(out, ensure_ascii=False))
        return 1 if failed else 0  # as every --batch: each line answered, exit 1 if one failed
    if not args.doc or not args.unit:
        raise KBError("give --doc and --unit, or --batch FILE")
    result = _obligation(corpus, args.doc, args.unit)
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
        return 0
    print(f"{result['citation']}: {result['force']} (addressee: {result['addressee']})")
    for s in result["statements"]:
        print(f"  [{s['force']:14}] {s['cue'] or '-':20} {s['text'][:110]}")
    return 0


def cmd_eval_matrix(args) -> int:
    from kb.compare.matrix_eval import evaluate, format_report

    base = data_arg(args)
    report = evaluate(base, lambda b, editorial: load_matrix(b, editorial=editorial, progress=say))
    print(json.dumps(report, indent=1, ensure_ascii=False) if args.json else format_report(report))
    return 0
