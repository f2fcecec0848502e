"""Commands about time and procedure: applies (does it apply to us?), trail, eval --trail."""

from __future__ import annotations

import json

from kb.cli.io import data_arg
from kb.errors import KBError

#: a reason in ``kb applies --json`` (PRODUCT.md's contract)
REASON_FIELDS = ("text", "citation", "doc_id", "unit_id")


def cmd_applies(args) -> int:
    from kb.service import PROFILE_FIELDS, Service

    result = Service(data_arg(args)).applies(**{f: getattr(args, f) for f in PROFILE_FIELDS})
    if args.json:
        # the contract's reason fields (the explorer also reads a condition's parts)
        for entry in result["instruments"]:
            entry["reasons"] = [{f: r[f] for f in REASON_FIELDS} for r in entry["reasons"]]
        print(json.dumps(result, ensure_ascii=False))
        return 0
    for entry in result["instruments"]:
        start = f" from {entry['from']}" if entry.get("from") else ""
        print(f"{entry['short_title'][:34]:34} {entry['applies']}{start}")
        for reason in entry["reasons"]:
            print(f"    {reason['text']} ({reason['citation']})")
    return 0


def cmd_trail(args) -> int:
    from corpus.manifest import manifest_for
    from kb.compare.procedure import trail
    from kb.compare.versions import act_of
    from kb.service import check_present
    from kb.store import read_units

    data = data_arg(args)
    units = read_units(data)
    records = manifest_for(data)
    by_doc: dict[str, list] = {}
    for unit in units:
        by_doc.setdefault(unit.doc_id, []).append(unit)
    for doc_id in (args.proposal, args.adopted):
        check_present(doc_id, records, by_doc)
    proposal = records.get(args.proposal)
    adopted_as = proposal and (
        proposal.adopted_as
        or getattr(records.get(proposal.translation_of or ""), "adopted_as", None)
    )
    if args.adopted in records and (
        not adopted_as or act_of(records, args.adopted) != act_of(records, adopted_as)
    ):
        raise KBError(
            f"{args.proposal!r} is not a proposal of the act {args.adopted!r} is a version of "
            "(manifest adopted_as): `kb trail` follows a proposal into its act; versions of one "
            "act: `kb diff`"
        )
    trails = trail(by_doc[args.proposal], by_doc[args.adopted])
    if args.json:
        print(json.dumps([t.to_dict() for t in trails], ensure_ascii=False))
        return 0
    headings = {u.unit_id: u.heading for u in by_doc[args.proposal] if u.parent is None}
    for t in trails:
        source = (
            ", ".join(f"{s} {headings.get(s, '')}".strip() for s in t.sources)
            or "new (no counterpart)"
        )
        change = f"  (+{t.added_words} / -{t.deleted_words} words)" if t.sources else ""
        print(f"{t.adopted:8} {t.heading[:45]:45} ← {source}{change}")
    return 0


def cmd_eval_trail(args) -> int:
    from kb.compare.procedure import GOLD_PATH, evaluate, trail
    from kb.split import split_of
    from kb.store import read_json, read_units

    gold = read_json(GOLD_PATH, "procedure gold")
    units = read_units(data_arg(args))
    proposal = [u for u in units if u.doc_id == gold.get("proposal", "eu-com-2022-71-fr")]
    adopted = [u for u in units if u.doc_id == gold.get("adopted", "eu-csddd-2024-1760-fr")]
    trails = trail(proposal, adopted)
    report = {
        part: evaluate(trails, [p for p in gold["pairs"] if split_of(p["adopted"]) == part])
        for part in ("tune", "test")
    }
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=1))
        return 0
    for part, r in report.items():
        print(
            f"{part}: {r['pairs']} pairs, hit@1 {r['hit_at_1']}, any {r['hit_any']}; "
            f"new articles recognised {r['new_recognised']}/{r['new_articles']}"
        )
        for miss in r["misses"]:
            print(f"    {miss}")
    return 0


def cmd_eval_applies(args) -> int:
    from corpus.manifest import manifest_for
    from kb.compare.applies_eval import evaluate
    from kb.store import read_units

    units = {(u.doc_id, u.unit_id): u for u in read_units(data_arg(args))}
    report = evaluate(manifest_for(data_arg(args)), units)
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=1))
        return 0
    print(
        f"applies: {report['verdicts']} verdicts, accuracy {report['accuracy']}, "
        f"with a citation {report['with_citation']}"
    )
    for family, acc in report["per_family"].items():
        print(f"    {family:40} {acc}")
    for miss in report["misses"]:
        print(f"    miss: {miss}")
    return 0
