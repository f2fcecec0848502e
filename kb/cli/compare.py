"""Handlers of the comparison commands (compare, similar, diff, facts, eval --compare).

The parser lives in ``kb.cli.parser``; these functions only load data, call ``kb.compare.cells``/``kb.compare.diff``/
``kb.compare.facts`` and print JSON or a table.
"""

from __future__ import annotations

import json

from kb.cli.io import check_known, data_arg, read_jsonl, say
from kb.errors import KBError, UnknownUnitError


def _analysis(args):
    """Topic cells over the data folder, with the principal forces its ``forces.json`` caches
    (the language versions' agreed forces, as the pages show them)."""
    from kb.compare.cache import load_forces
    from kb.compare.cells import Analysis
    from kb.store import read_units

    base = data_arg(args)
    units = read_units(base)
    forces = load_forces(base, units)
    return Analysis(units, force=lambda u: forces[f"{u.doc_id}/{u.unit_id}"])


def _vectors(args):
    """Unit embeddings from the search index, or None (topics only) when there is no index."""
    from indexing.index import load_index, unit_vectors
    from kb.errors import StoreError

    try:
        return unit_vectors(load_index(data_arg(args)))
    except StoreError as exc:
        say(f"note: {exc}; counterparts ranked by shared topics only")
        return None


def cmd_compare(args) -> int:
    from corpus.manifest import manifest_for
    from kb.compare.cells import coverage
    from kb.compare.topics import topic_ids

    analysis = _analysis(args)
    check_known(args.topic, topic_ids(), "topic")
    check_known(args.doc, list(analysis.by_doc), "doc_id (present in the local corpus)")
    result = coverage(analysis, args.topic or None, args.doc or None)
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
        return 0
    manifest = manifest_for(data_arg(args))
    for topic in result["topics"]:
        print(f"== {topic['topic']}")
        for column in topic["instruments"]:
            cells = (
                "; ".join(f"{u['citation']} [{u['force'] or '-'}]" for u in column["units"]) or "—"
            )
            print(f"  {manifest[column['doc_id']].short_title:40} {cells}")
        if not args.doc:
            for record in manifest.values():
                if not record.files:
                    print(f"  {record.short_title:40} not in local corpus ({record.official_url})")
    return 0


def cmd_similar(args) -> int:
    from kb.compare.cells import similar

    if args.batch is None and not (args.doc and args.unit):
        raise KBError("give --doc and --unit, or --batch FILE")
    analysis = _analysis(args)
    vectors = _vectors(args)
    items = (
        read_jsonl(args.batch, {"doc_id": str, "unit_id": str})
        if args.batch
        else [{"id": None, "doc_id": args.doc, "unit_id": args.unit}]
    )
    failed = 0
    for item in items:
        try:
            result = similar(analysis, item["doc_id"], item["unit_id"], vectors=vectors)
        except UnknownUnitError as exc:
            if args.batch is None:
                raise
            failed += 1
            print(json.dumps({"id": item["id"], "error": str(exc), "matches": []}))
            continue
        if args.batch:
            print(json.dumps({"id": item["id"], **result}, ensure_ascii=False))
        elif args.json:
            print(json.dumps(result, ensure_ascii=False, indent=1))
        else:
            for match in result["matches"]:
                cites = "; ".join(f"{u['citation']} ({u['score']:.2f})" for u in match["units"])
                print(f"{match['doc_id']:46} {cites}")
    return 1 if failed else 0


def cmd_diff(args) -> int:
    from corpus.manifest import manifest_for
    from kb.compare.diff import diff_documents, group_by_doc, summary
    from kb.compare.versions import family
    from kb.service import check_present
    from kb.store import read_units

    data = data_arg(args)
    by_doc = group_by_doc(read_units(data))
    records = manifest_for(data)
    for doc_id in (args.old, args.new):
        check_present(doc_id, records, by_doc)
    old, new = records.get(args.old), records.get(args.new)
    if old and new and family(old) != family(new):
        raise KBError(
            f"{args.old!r} and {args.new!r} are not versions of one act in one language: "
            "`kb diff` compares versions (see `kb docs`); a proposal and its act: `kb trail`; "
            "two instruments: `kb compare` or `kb similar`"
        )
    try:
        diffs = diff_documents(by_doc, args.old, args.new, level=args.level)
    except ValueError as exc:
        raise KBError(str(exc)) from None
    if args.json:
        print(
            json.dumps(
                {
                    "from": args.old,
                    "to": args.new,
                    "summary": summary(diffs),
                    "provisions": [d.to_dict() for d in diffs],
                },
                ensure_ascii=False,
            )
        )
        return 0
    for d in diffs:
        if d.change == "unchanged":
            continue
        print(f"{d.change:9} {d.unit_id:14} {d.heading}")
        for op, words in d.ops[:12] if d.change == "changed" else ():
            if op != "=":
                print(f"          {op} {words[:150]}")
    print("summary: " + ", ".join(f"{k} {v}" for k, v in summary(diffs).items()))
    return 0


def cmd_facts(args) -> int:
    from kb.service import Service

    service = Service(data_arg(args))
    if args.json:
        print(json.dumps(service.facts(args.doc), ensure_ascii=False))
        return 0
    for f in service.fact_objects(args.doc):
        print(f"{f.citation:40} {f.kind:13} {f.qualifier:9} {f.value:>16}  «{f.quote}»")
    return 0


def cmd_eval_compare(args) -> int:
    from kb.compare.cells_eval import GOLD_PATH, evaluate_compare, format_compare_report, load_gold

    say("evaluating comparison cells and alignment against the dev gold")
    report = evaluate_compare(_analysis(args), load_gold(GOLD_PATH), vectors=_vectors(args))
    print(json.dumps(report, indent=1) if args.json else format_compare_report(report))
    return 0
