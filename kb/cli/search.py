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
        from kb.compare.cache import precompute

        precompute(data_arg(args), progress=say)
        meta = build_index(
            data_arg(args),
            get_embedder(model),
            faiss_kind=args.faiss,
            progress=say,
            force=args.force,
        )
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

    return Filters.of(
        doc_id=args.doc,
        jurisdiction=args.jurisdiction,
        instrument_type=args.instrument_type,
        status=args.status,
        language=args.language,
        as_at=args.as_at,
    )


def cmd_search(args) -> int:
    from indexing.search import Searcher
    from kb.errors import QueryError
    from kb.service import search_answer

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
            answer = search_answer(
                searcher, item["query"], k=args.k, filters=filters, mode=args.mode
            )
        except QueryError as exc:
            if args.batch is None:
                raise KBError(str(exc)) from None
            failed += 1
            print(
                json.dumps(
                    {"id": item["id"], "error": str(exc), "no_good_match": None, "results": []},
                    ensure_ascii=False,
                )
            )
            continue
        if args.batch is not None:
            answer = {"id": item["id"], **answer}
            answer.pop("query")
            print(json.dumps(answer, ensure_ascii=False))
        elif args.json:
            print(json.dumps(answer, ensure_ascii=False, indent=1))
        elif answer["no_good_match"]:
            print("no good match: rephrase the question, or name the instrument or topic")
        else:
            _print_table(answer["results"])
    return 1 if failed else 0


def _print_table(results: list[dict]) -> None:
    if not results:
        print("no results")
    for hit in results:
        title = f"{hit['citation']} — {hit['heading']}" if hit["heading"] else hit["citation"]
        relevance = "" if hit["relevance"] is None else f"  relevance {hit['relevance']:.2f}"
        print(f"{hit['rank']:>2}. {title}  [{hit['short_title']}, {hit['language']}]{relevance}")
        if hit.get("sibling_of"):
            print(f"    another part of result {hit['sibling_of']}")
        if hit.get("superseded_by"):
            print(f"    not in the version in force ({hit['superseded_by']}): deleted or moved")
        if hit["also_in"]:
            print(f"    also in: {', '.join(hit['also_in'])}")
        print("    " + " ".join(hit["text"].split())[:160])


def cmd_eval(args) -> int:
    from indexing.evaluate import DEVSET_PATHS, evaluate, format_report, load_devsets
    from indexing.search import Searcher

    if args.compare:
        from kb.cli.compare import cmd_eval_compare

        return cmd_eval_compare(args)
    if getattr(args, "calibrate", False):
        return cmd_calibrate(args)
    if getattr(args, "fit_reranker", False):
        return cmd_fit_reranker(args)
    if getattr(args, "applies", False):
        from kb.cli.procedure import cmd_eval_applies

        return cmd_eval_applies(args)
    if getattr(args, "trail", False):
        from kb.cli.procedure import cmd_eval_trail

        return cmd_eval_trail(args)
    if getattr(args, "matrix", False):
        from kb.cli.matrix import cmd_eval_matrix

        return cmd_eval_matrix(args)

    from indexing.search import DEFAULT_RANKING

    devset = load_devsets((args.devset,) if args.devset else DEVSET_PATHS, args.split)
    if not devset:
        where = args.devset or "the dev sets"
        raise KBError(f"{where}: no queries in the {args.split!r} split to evaluate")
    settings = ranking_settings(DEFAULT_RANKING, args.setting)
    report = evaluate(Searcher(data_arg(args), settings=settings), devset, k=args.k)
    report["split"] = args.split
    print(json.dumps(report, indent=1) if args.json else format_report(report))
    return 0


def ranking_settings(base, assignments: list[str]):
    """``base`` with ``NAME=VALUE`` assignments applied (values parsed as the field's type);
    a ``KBError`` names an unknown field or a value that does not parse."""
    import dataclasses

    fields = {f.name: f for f in dataclasses.fields(base)}
    changes = {}
    for item in assignments:
        name, sep, value = item.partition("=")
        if not sep or name not in fields:
            raise KBError(
                f"--setting {item!r}: expected NAME=VALUE with NAME one of {', '.join(fields)}"
            )
        kind = type(getattr(base, name))
        try:
            if kind is bool:
                if value.lower() not in ("true", "false", "1", "0"):
                    raise ValueError(value)
                changes[name] = value.lower() in ("true", "1")
            elif kind is tuple:
                changes[name] = tuple(v.strip() for v in value.split(","))
            else:
                changes[name] = kind(value)
        except ValueError:
            raise KBError(f"--setting {item!r}: {value!r} is not a {kind.__name__}") from None
    return dataclasses.replace(base, **changes)


#: clearly not questions about the law: markup, noise, other subjects (synthetic, for the report)
OFF_TOPIC = (
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "!!!???...",
    "1234567",
    "asdkjh qwe zzxq",
    "xkcd",
    "recipe for chocolate cake",
    "football results champions league",
    "the weather in Paris tomorrow",
    "best pizza near me",
    # added 2026-12-06 (fifth session) to probe the rule with everyday questions in every
    # language; a rule tried on them was dropped (docs/MEASURED.md, "Honest scores"), so they are not held out
    "best football team in Europe",
    "lorem ipsum dolor sit amet",
    "wie spät ist es",
    "recette de crêpes",
    "liefdesbrief aan mijn kat",
    "how do I bake sourdough bread",
    "mijn fiets is gestolen",
    "quel temps fera-t-il demain",
    "Wer hat die Fußball-WM gewonnen",
    "hvor er nærmeste bensinstasjon",
    "the history of the Roman empire",
    "python list comprehension syntax",
)
#: written on 2026-12-07 once the everyday questions (``indexing/everyday_questions.txt``) were
#: fixed and before the margin rule was tried; no setting was chosen on them, so they are held out
OFF_TOPIC_HELD_OUT = (
    "how do I change a flat tyre on my bike",
    "which planets can be seen without a telescope",
    "what should I wear to a summer wedding",
    "solve the equation 3x plus 7 equals 22",
    "best video games released this year",
    "how much does it cost to paint a living room",
    "hoe maak ik een goede cappuccino thuis",
    "welke sterrenbeelden zie je in de winter",
    "hoeveel kost een nieuwe elektrische auto",
    "comment choisir un matelas pour le dos",
    "quelle est la meilleure saison pour visiter la Grèce",
    "comment calculer l'aire d'un cercle",
    "wie backe ich glutenfreies Brot",
    "welche Zimmerpflanzen brauchen wenig Licht",
    "wie wechsle ich den Reifen am Fahrrad",
    "hvordan lager man vafler",
    "hva er den høyeste fjelltoppen i Norge",
    "når begynner skisesongen i Trysil",
    "tips for taking better photos at night",
    "what is the plot of the latest superhero movie",
)


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def cmd_calibrate(args) -> int:
    """Fit relevance and the no-good-match threshold on the tuning half; report the test half."""
    from indexing.calibration import auc, brier, fit, labelled_results, load_calibration, save
    from indexing.evaluate import DEVSET_PATHS, load_devsets
    from indexing.search import Searcher
    from kb.service import search_hits
    from kb.split import split_of

    devset = load_devsets((args.devset,) if args.devset else DEVSET_PATHS)
    searcher = Searcher(data_arg(args))
    calibration, vectors = fit(searcher, devset)
    save(calibration, vectors)
    searcher.calibration = load_calibration(searcher.embedder.fingerprint)
    test = [d for d in devset if split_of(d["id"]) == "test"]
    flagged = [
        d["id"] for d in test if searcher.assess(d["query"], search_hits(searcher, d["query"]))
    ]
    caught = [q for q in OFF_TOPIC if searcher.assess(q, search_hits(searcher, q))]
    held = [q for q in OFF_TOPIC_HELD_OUT if searcher.assess(q, search_hits(searcher, q))]
    lists, per_query = labelled_results(searcher, test)
    relevances = [h.relevance or 0.0 for hits in lists for h in hits]
    labels = [y for ys in per_query for y in ys]
    firsts = [
        (hits[0].relevance or 0.0, ys[0]) for hits, ys in zip(lists, per_query, strict=True) if hits
    ]
    report = {
        "calibration": calibration,
        "test_brier": round(brier(relevances, labels), 4),
        "test_first_results": {
            "mean_relevance": round(sum(r for r, _ in firsts) / len(firsts), 3),
            "share_relevant": round(sum(y for _, y in firsts) / len(firsts), 3),
            "brier": round(brier(*zip(*firsts, strict=True)), 4),
            # does the relevance tell a right first result from a wrong one? (0.5: no)
            "auc": _round(auc(*zip(*firsts, strict=True))),
            "lowest": min(r for r, _ in firsts),
            "highest": max(r for r, _ in firsts),
        },
        "test_auc": _round(auc(relevances, labels)),
        "test_queries": len(test),
        "test_wrongly_no_good_match": len(flagged),
        "test_wrongly_no_good_match_ids": flagged,
        "off_topic_caught": f"{len(caught)}/{len(OFF_TOPIC)}",
        "off_topic_missed": [q for q in OFF_TOPIC if q not in caught],
        "held_out_off_topic_caught": f"{len(held)}/{len(OFF_TOPIC_HELD_OUT)}",
        "held_out_off_topic_missed": [q for q in OFF_TOPIC_HELD_OUT if q not in held],
    }
    print(json.dumps(report, indent=1, ensure_ascii=False))
    return 0


def cmd_fit_reranker(args) -> int:
    """Fit the learned reranker on the tuning half; report both halves with and without it."""
    import dataclasses

    import numpy as np

    from indexing.evaluate import DEVSET_PATHS, evaluate, load_devsets, matched_labels
    from indexing.rerank import DEPTH, PATH, fit
    from indexing.search import DEFAULT_RANKING, Searcher

    data = data_arg(args)
    searcher = Searcher(data)
    rows, labels = [], []
    for item in load_devsets((args.devset,) if args.devset else DEVSET_PATHS, "tune"):
        groups, named = searcher.provisions(item["query"])
        head = groups[:DEPTH]
        if not head:
            continue
        rows.append(searcher.rerank_features(item["query"], head, named))
        for group in head:
            chunk = searcher.index.chunks[group.best]
            found = matched_labels([((chunk.doc_id, *group.also), chunk.unit_id)], item["relevant"])
            labels.append(int(found[0] is not None))
    reranker = fit(np.vstack(rows), np.array(labels))
    stored = {"fingerprint": searcher.embedder.fingerprint} | reranker.to_dict()
    stored["fitted_on"] = {"split": "tune", "provisions": len(labels), "relevant": sum(labels)}
    PATH.write_text(json.dumps(stored, indent=1) + "\n", encoding="utf-8")
    report = {"reranker": stored}
    for split in ("tune", "test"):
        devset = load_devsets((args.devset,) if args.devset else DEVSET_PATHS, split)
        for name, on in (("hand", False), ("reranked", True)):
            settings = dataclasses.replace(DEFAULT_RANKING, rerank=on)
            result = evaluate(Searcher(data, settings=settings), devset, modes=("hybrid",))
            report[f"{split}_{name}"] = result["modes"]["hybrid"]["all"]
    print(json.dumps(report, indent=1))
    return 0
