"""Handlers of the search commands (build, search, eval); the parser lives in ``kb.cli.parser``."""

from __future__ import annotations

import json

from kb.cli.io import data_arg, read_jsonl, say
from kb.errors import KBError


def cmd_build(args) -> int:
    from indexing.embedders import DEFAULT_MODEL, get_embedder
    from indexing.index import build_index

    model = args.model or DEFAULT_MODEL
    say(f"loading model {model}")
    from kb.store import writer_lock

    with writer_lock(data_arg(args), say=say):
        meta = build_index(data_arg(args), get_embedder(model), faiss_kind=args.faiss, progress=say)
    if args.json:
        print(json.dumps(meta, indent=1))
    else:
        print(
            f"index: {meta['chunks']} chunks from {meta['units']} units, model {meta['model']}, "
            f"{meta['reused_vectors']} vectors reused, {meta['build_seconds']} s"
        )
    return 0


def _filters(args):
    from indexing.search import Filters

    return Filters(
        doc_id=set(args.doc),
        jurisdiction=set(args.jurisdiction),
        instrument_type=set(args.instrument_type),
        status=set(args.status),
        language=set(args.language),
        as_at=args.as_at,
    )


def cmd_search(args) -> int:
    from indexing.search import Searcher
    from kb.errors import QueryError

    if (args.query is None) == (args.batch is None):
        raise KBError("give either a QUERY or --batch FILE")
    queries = (
        [{"id": None, "query": args.query}]
        if args.batch is None
        else read_jsonl(args.batch, {"query": str})
    )
    filters = _filters(args)
    searcher = Searcher(data_arg(args), args.model)
    failed = 0
    for item in queries:
        try:
            hits = searcher.search(item["query"], k=args.k, filters=filters, mode=args.mode)
        except QueryError as exc:
            if args.batch is None:
                raise KBError(str(exc)) from None
            failed += 1
            print(
                json.dumps({"id": item["id"], "error": str(exc), "results": []}, ensure_ascii=False)
            )
            continue
        results = [_result(h) for h in hits]
        if args.batch is not None:
            print(json.dumps({"id": item["id"], "results": results}, ensure_ascii=False))
        elif args.json:
            print(
                json.dumps(
                    {"query": item["query"], "results": results}, ensure_ascii=False, indent=1
                )
            )
        else:
            _print_table(hits)
    return 1 if failed else 0


_RESULT_FIELDS = (
    "rank",
    "doc_id",
    "unit_id",
    "citation",
    "heading",
    "text",
    "score",
    "language",
    "jurisdiction",
    "url",
    "also_in",
)


def _result(hit) -> dict:
    return {name: getattr(hit, name) for name in _RESULT_FIELDS}


def _print_table(hits) -> None:
    if not hits:
        print("no results")
    for hit in hits:
        title = f"{hit.citation} — {hit.heading}" if hit.heading else hit.citation
        print(f"{hit.rank:>2}. {title}  [{hit.short_title}, {hit.language}]  {hit.score:.4f}")
        if hit.also_in:
            print(f"    also in: {', '.join(hit.also_in)}")
        print("    " + " ".join(hit.text.split())[:160])


def cmd_eval(args) -> int:
    from indexing.evaluate import DEVSET_PATH, evaluate, format_report, load_devset
    from indexing.search import Searcher

    if args.compare:
        from kb.cli.compare import cmd_eval_compare

        return cmd_eval_compare(args)
    if getattr(args, "applies", False):
        from kb.cli.procedure import cmd_eval_applies

        return cmd_eval_applies(args)
    if getattr(args, "trail", False):
        from kb.cli.procedure import cmd_eval_trail

        return cmd_eval_trail(args)
    if getattr(args, "matrix", False):
        from kb.cli.matrix import cmd_eval_matrix

        return cmd_eval_matrix(args)

    devset = load_devset(args.devset or DEVSET_PATH)
    report = evaluate(Searcher(data_arg(args)), devset, k=args.k)
    print(json.dumps(report, indent=1) if args.json else format_report(report))
    return 0
