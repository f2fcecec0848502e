"""Command line: ``python -m kb <command>``. JSON on stdout with ``--json``, errors on stderr.

Exit codes: 0 success, 1 a command-level failure (a KBError), 2 bad usage.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from kb.errors import KBError

EXAMPLES = {
    "fetch": "python -m kb fetch --from ../shared/corpus/sources",
    "ingest": "python -m kb ingest",
    "docs": "python -m kb docs --json",
    "show": "python -m kb show eu-csddd-2024-1760 art-14.par-2 --json",
    "build": "python -m kb build --model e5",
    "search": 'python -m kb search "klachtenprocedure voor vakbonden" --k 5 --json',
    "eval": "python -m kb eval --json",
    "compare": "python -m kb compare --topic grievance-mechanism --doc de-lksg-2021",
    "similar": "python -m kb similar --doc de-lksg-2021 --unit sec-8 --json",
    "diff": "python -m kb diff --from eu-csddd-2024-1760 --to eu-csddd-2024-1760-consolidated-2026-03-18",
    "facts": "python -m kb facts --doc de-lksg-2021",
    "obligations": "python -m kb obligations --doc eu-csddd-2024-1760 --unit art-27 --json",
    "matrix": "python -m kb matrix --topic grievance-mechanism --json",
    "add": "python -m kb add 55K1903001.pdf --title 'Wetsvoorstel …' --jurisdiction BE --type bill "
    "--language nl --dry-run",
    "remove": "python -m kb remove user-wetsvoorstel",
    "trail": "python -m kb trail --from eu-com-2022-71-fr --to eu-csddd-2024-1760-fr",
    "applies": "python -m kb applies --country DE --employees 1200 --turnover 500000000 "
    "--date 2027-01-01 --json",
}


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        return args.func(args)
    except KBError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted; the previous cache and unit table are unchanged", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader of our output went away (`| head`): not an error
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m kb", description="Levelfield knowledge base")
    parser.add_argument(
        "--data", type=Path, help="data folder (default: $LEVELFIELD_DATA or ./data)"
    )
    sub = parser.add_subparsers(metavar="COMMAND")

    def add(name: str, func, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(
            name, help=help_text, description=help_text, epilog=f"example: {EXAMPLES[name]}"
        )
        p.set_defaults(func=func)
        return p

    p = add("fetch", cmd_fetch, "copy the official texts into the local cache (or download them)")
    p.add_argument(
        "--from", dest="mirror", type=Path, help="mirror folder (default ../shared/corpus/sources)"
    )
    p.add_argument(
        "--download", action="store_true", help="download files with a URL that are not mirrored"
    )
    p.add_argument("--timeout", type=float, default=30.0, help="download timeout in seconds")
    p.add_argument("--json", action="store_true")

    p = add("ingest", cmd_ingest, "parse every cached document into provision units")
    p.add_argument(
        "--drop-failed",
        action="store_true",
        help="drop the previous units of a document that no longer parses (default: keep them)",
    )
    p.add_argument("--json", action="store_true")

    p = add("docs", cmd_docs, "list the manifest with what is present or missing")
    p.add_argument("--json", action="store_true")

    p = add("show", cmd_show, "print one unit with its citation and text")
    p.add_argument("doc_id")
    p.add_argument("unit_id")
    p.add_argument("--json", action="store_true")

    from indexing import commands as ic
    from kb import compare_commands as cc

    p = add(
        "build", ic.cmd_build, "build or update the search index (FAISS + BM25) from the unit table"
    )
    p.add_argument(
        "--model", default=None, help="e5 (default), use, minilm, or a sentence-transformers path"
    )
    p.add_argument("--faiss", default="flat", choices=["flat", "hnsw"], help="FAISS index kind")
    p.add_argument("--json", action="store_true")

    p = add("search", ic.cmd_search, "search provisions in any of EN/NL/FR/DE")
    p.add_argument("query", nargs="?", help="the query (omit with --batch)")
    p.add_argument("--k", type=int, default=10, help="number of results (1-100)")
    p.add_argument("--batch", type=Path, help='JSONL file of {"id", "query"} objects')
    p.add_argument("--mode", default="hybrid", choices=["hybrid", "dense", "bm25"])
    p.add_argument("--doc", action="append", default=[], help="restrict to a doc_id (repeatable)")
    p.add_argument(
        "--jurisdiction", action="append", default=[], help="e.g. EU, DE, FR (repeatable)"
    )
    p.add_argument(
        "--type", dest="instrument_type", action="append", default=[], help="instrument type"
    )
    p.add_argument("--status", action="append", default=[], help="e.g. in-force, consolidated")
    p.add_argument(
        "--language", action="append", default=[], help="document language: en, fr, de, nl"
    )
    p.add_argument("--as-at", dest="as_at", help="only the versions applicable at this ISO date")
    p.add_argument("--model", help="refuse an index built with another model (e5, use, minilm, …)")
    p.add_argument("--json", action="store_true")

    p = add(
        "eval", ic.cmd_eval, "retrieval quality on the dev set: BM25, dense and hybrid in one run"
    )
    p.add_argument("--devset", type=Path, help="JSONL dev set (default indexing/devset.jsonl)")
    p.add_argument("--k", type=int, default=10)
    p.add_argument(
        "--compare", action="store_true", help="evaluate comparison cells and alignment instead"
    )
    p.add_argument(
        "--matrix", action="store_true", help="evaluate the obligation matrix on its dev gold"
    )
    p.add_argument(
        "--trail", action="store_true", help="evaluate the proposal → adopted article alignment"
    )
    p.add_argument("--json", action="store_true")

    p = add(
        "compare",
        cc.cmd_compare,
        "topic × instrument matrix: the provisions that address each topic",
    )
    p.add_argument(
        "--topic", action="append", default=[], help="topic id (repeatable; default all 19)"
    )
    p.add_argument(
        "--doc", action="append", default=[], help="doc_id (repeatable; default all present)"
    )
    p.add_argument("--json", action="store_true")

    p = add("similar", cc.cmd_similar, "counterparts of a provision in every other instrument")
    p.add_argument("--doc", help="doc_id of the provision")
    p.add_argument("--unit", help="unit_id of the provision, e.g. sec-8")
    p.add_argument("--batch", type=Path, help='JSONL file of {"id", "doc_id", "unit_id"} objects')
    p.add_argument("--json", action="store_true")

    p = add("diff", cc.cmd_diff, "article-by-article changes between two versions of an instrument")
    p.add_argument("--from", dest="old", required=True, help="older doc_id")
    p.add_argument("--to", dest="new", required=True, help="newer doc_id")
    p.add_argument("--level", default="article", choices=["article", "paragraph"])
    p.add_argument("--json", action="store_true")

    p = add(
        "facts", cc.cmd_facts, "key facts (thresholds, fines, dates, periods) with their provision"
    )
    p.add_argument("--doc", action="append", default=[], help="doc_id (repeatable; default all)")
    p.add_argument("--json", action="store_true")

    p = add("add", cmd_add, "add a document you have (PDF, HTML, Markdown, JSON, TXT) and index it")
    p.add_argument("file", type=Path, help="the file (PDF, HTML, .md, .json or .txt)")
    p.add_argument("--title", required=True)
    p.add_argument("--short-title", help="short title (default: the title)")
    p.add_argument(
        "--cite-as", help="how citations start, e.g. 'DOC 55 1903' (default: short title)"
    )
    p.add_argument("--jurisdiction", required=True, help="e.g. BE, NL, BE-VLG")
    p.add_argument("--type", dest="instrument_type", required=True, help="e.g. bill, national-law")
    p.add_argument("--language", required=True, help="en, nl, fr, de or nb")
    p.add_argument("--status", default="draft")
    p.add_argument("--url", help="official URL where the document comes from")
    p.add_argument(
        "--layout",
        default="auto",
        help="auto (default: the parser finding most provisions) or one "
        "of pdf:oj, pdf:legifrance, pdf:ungp, pdf:proposal, txt:sections, markdown-law, …",
    )
    p.add_argument("--dry-run", action="store_true", help="parse and preview; store nothing")
    p.add_argument("--json", action="store_true")

    p = add("remove", cmd_remove, "remove a document added with `kb add` (or in the app)")
    p.add_argument("doc_id")

    p = add("applies", cmd_applies, "does it apply to us? every instrument for a company profile")
    p.add_argument("--country", required=True, help="country of incorporation/seat, e.g. DE")
    p.add_argument("--employees", type=int, required=True, help="employees in total (group)")
    p.add_argument("--employees-in-country", type=int, help="employees in --country")
    p.add_argument(
        "--employees-in", action="append", default=[], help="employees in another country: DE=1200"
    )
    p.add_argument("--turnover", type=float, required=True, help="net worldwide turnover, EUR")
    p.add_argument("--eu-turnover", type=float, help="net turnover in the EU, EUR (non-EU firms)")
    p.add_argument("--royalties", type=float, help="franchise/licensing royalties, EUR")
    p.add_argument("--date", required=True, help="YYYY-MM-DD")
    p.add_argument("--json", action="store_true")

    p = add(
        "trail",
        cmd_trail,
        "procedure trail: where each article of an adopted act came from in the proposal",
    )
    p.add_argument("--from", dest="proposal", required=True, help="doc_id of the proposal")
    p.add_argument("--to", dest="adopted", required=True, help="doc_id of the adopted act")
    p.add_argument("--json", action="store_true")

    from kb import matrix_commands as mc

    p = add(
        "obligations",
        mc.cmd_obligations,
        "principal deontic force of a provision, with its sentences as evidence",
    )
    p.add_argument("--doc", help="doc_id of the provision")
    p.add_argument("--unit", help="unit_id of the provision, e.g. art-27")
    p.add_argument("--batch", type=Path, help='JSONL file of {"id", "doc_id", "unit_id"} objects')
    p.add_argument("--json", action="store_true")

    p = add(
        "matrix",
        mc.cmd_matrix,
        "obligation matrix: every element × instrument with its value, quote and citation",
    )
    p.add_argument("--topic", action="append", default=[], help="topic id (repeatable)")
    p.add_argument("--doc", action="append", default=[], help="column doc_id (repeatable)")
    p.add_argument(
        "--no-editorial", action="store_true", help="automatic cells only (no reviewed overlay)"
    )
    p.add_argument("--json", action="store_true")
    return parser


def data_arg(args) -> Path:
    from kb.store import data_dir

    return args.data or data_dir()


def read_jsonl(path: Path, required: dict[str, type]) -> list[dict]:
    """Objects of a JSONL batch file; raises ``KBError`` naming the line of a bad entry.

    ``required`` maps field names to their types, e.g. ``{"query": str}``; ``id`` is optional."""
    if not path.is_file():
        raise KBError(f"batch file not found: {path}")
    items = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise KBError(f"{path}:{n}: not JSON ({exc.msg})") from None
        if not isinstance(item, dict) or not all(
            isinstance(item.get(k), t) for k, t in required.items()
        ):
            fields = ", ".join(f"{k!r} ({t.__name__})" for k, t in required.items())
            raise KBError(f"{path}:{n}: expected an object with {fields}")
        items.append({"id": item.get("id"), **{k: item[k] for k in required}})
    return items


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def cmd_fetch(args) -> int:
    from corpus.fetch import CHANGED, ERROR, fetch_all
    from corpus.manifest import manifest_for
    from kb.store import cache_dir, default_mirror

    mirror = args.mirror or default_mirror()
    if args.mirror and not args.mirror.is_dir():
        raise KBError(f"mirror folder not found: {args.mirror}")
    if mirror is None and not args.download:
        say("no mirror folder found; pass --from DIR or --download")
    reports = fetch_all(
        manifest_for(data_arg(args)).values(),
        cache_dir(data_arg(args)),
        mirror,
        download=args.download,
        timeout=args.timeout,
        progress=say,
    )
    counts: dict[str, int] = {}
    for report in reports:
        counts[report.status] = counts.get(report.status, 0) + 1
    if args.json:
        print(json.dumps({"documents": [r.to_dict() for r in reports], "counts": counts}, indent=1))
    else:
        for report in reports:
            for message in report.messages:
                print(f"{report.status:8} {report.doc_id}: {message}")
        print("summary: " + ", ".join(f"{n} {s}" for s, n in sorted(counts.items())))
    return 1 if counts.get(ERROR) or counts.get(CHANGED) else 0


def cmd_ingest(args) -> int:
    from corpus.manifest import manifest_for
    from kb.ingest import ingest_all
    from kb.store import cache_dir, write_units

    started = time.perf_counter()
    records = list(manifest_for(data_arg(args)).values())

    def progress(document, seconds: float) -> None:
        i = records.index(document.record) + 1
        head = f"[{i}/{len(records)}] {document.record.doc_id}"
        if not document.record.files:
            say(f"{head}: not in local corpus (official source: {document.record.official_url})")
            return
        say(f"{head}: {len(document.units)} units ({seconds:.1f}s)")
        for problem in document.problems:
            say(f"    {problem}")

    documents = ingest_all(records, cache_dir(data_arg(args)), progress)
    if not args.drop_failed:
        from kb.ingest import keep_previous
        from kb.store import read_units

        try:
            previous = read_units(data_arg(args))
        except KBError:
            previous = []
        for doc_id in keep_previous(documents, previous):
            say(f"    warning: {doc_id}: parse failed; its previous units are kept (--drop-failed)")
    units = [u for d in documents for u in d.units]
    problems = [p for d in documents for p in d.problems]
    summary = {
        "seconds": round(time.perf_counter() - started, 2),
        "documents": {d.record.doc_id: len(d.units) for d in documents if d.units},
        "missing": [d.record.doc_id for d in documents if not d.record.files],
        "problems": [p.to_dict() for p in problems],
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    if not units:
        raise KBError("no document could be parsed; run `python -m kb fetch` first")
    write_units(data_arg(args), units, summary)
    errors = [p for p in problems if p.severity == "error"]
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, indent=1))
    else:
        print(
            f"ingested {len(summary['documents'])} documents, {len(units)} units in "
            f"{summary['seconds']} s; {len(summary['missing'])} documents not in the local corpus; "
            f"{len(errors)} errors"
        )
    return 1 if errors else 0


def cmd_add(args) -> int:
    from kb.userdocs import NewDocument, add_document, preview_document, slug

    if not args.file.is_file():
        raise KBError(f"file not found: {args.file}")
    content = args.file.read_bytes()
    short = (args.short_title or args.title)[:120]
    meta = NewDocument(
        title=args.title,
        short_title=short,
        jurisdiction=args.jurisdiction,
        instrument_type=args.instrument_type,
        language=args.language,
        official_url=args.url or f"https://unknown.invalid/{slug(short)}",
        status=args.status,
        cite_as=(args.cite_as or short)[:60],
        notes="" if args.url else "No official URL was given.",
    )
    base = data_arg(args)
    preview = preview_document(base, args.file.name, content, meta, parser=args.layout)
    out = preview.to_dict()
    if not args.dry_run:
        result = add_document(
            base, args.file.name, content, meta, parser=preview.parser, progress=say
        )
        out.update(doc_id=result.doc_id, units=result.units)
    if args.json:
        print(json.dumps(out, ensure_ascii=False))
    else:
        print(preview.summary())
        print(
            ("would add " if args.dry_run else "added ") + f"{out['doc_id']} ({out['units']} units)"
        )
    return 0


def cmd_trail(args) -> int:
    from kb.procedure import trail
    from kb.store import read_units

    units = read_units(data_arg(args))
    by_doc: dict[str, list] = {}
    for unit in units:
        by_doc.setdefault(unit.doc_id, []).append(unit)
    for doc_id in (args.proposal, args.adopted):
        if doc_id not in by_doc:
            raise KBError(f"unknown doc_id {doc_id!r} (not in the unit table)")
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


def cmd_applies(args) -> int:
    from corpus.manifest import manifest_for
    from kb.applies import applies, parse_profile
    from kb.store import read_units

    profile = parse_profile(args)
    units = {(u.doc_id, u.unit_id): u for u in read_units(data_arg(args))}
    result = applies(profile, manifest_for(data_arg(args)), units)
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
        return 0
    for entry in result["instruments"]:
        start = f" from {entry['from']}" if entry.get("from") else ""
        print(f"{entry['short_title'][:34]:34} {entry['applies']}{start}")
        for reason in entry["reasons"]:
            print(f"    {reason['text']} ({reason['citation']})")
    return 0


def cmd_eval_trail(args) -> int:
    from kb.matrix_eval import split_of
    from kb.procedure import evaluate, trail
    from kb.store import read_units

    path = Path(__file__).parent / "gold" / "procedure_gold.json"
    try:
        gold = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise KBError(f"procedure gold not found: {path}") from None
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


def cmd_remove(args) -> int:
    from kb.userdocs import remove_document

    remove_document(data_arg(args), args.doc_id)
    print(f"removed {args.doc_id}; the unit table and the index no longer hold it")
    return 0


def cmd_docs(args) -> int:
    from corpus.fetch import cache_path
    from corpus.manifest import manifest_for

    rows = []
    for record in manifest_for(data_arg(args)).values():
        files = record.text_files
        present = bool(files) and all(
            cache_path(data_arg(args) / "cache", record, f).is_file() for f in files
        )
        state = "present" if present else ("missing" if not record.files else "not fetched")
        rows.append({**record.to_dict(), "local": state})
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=1))
        return 0
    for row in rows:
        print(
            f"{row['local']:12} {row['doc_id']:46} {row['jurisdiction']:7} {row['status']:12} {row['short_title']}"
        )
        if row["local"] != "present":
            print(f"{'':12} source: {row['official_url']}")
    return 0


def cmd_show(args) -> int:
    from corpus.manifest import manifest_for
    from kb.store import read_units

    manifest = manifest_for(data_arg(args))
    if args.doc_id not in manifest:
        raise KBError(f"unknown doc_id {args.doc_id!r}; see `python -m kb docs`")
    for unit in read_units(data_arg(args)):
        if unit.doc_id == args.doc_id and unit.unit_id == args.unit_id:
            record = manifest[unit.doc_id]
            if args.json:
                print(
                    json.dumps(
                        {**unit.to_dict(), "url": record.official_url}, ensure_ascii=False, indent=1
                    )
                )
            else:
                title = f"{unit.citation} — {unit.heading}" if unit.heading else unit.citation
                print(title + (" [DELETED]" if unit.status == "deleted" else ""))
                print(unit.text)
                for i, note in enumerate(unit.footnotes, 1):
                    print(f"  [{i}] {note}")
                print(f"source: {record.official_url}")
            return 0
    raise KBError(f"{args.doc_id} has no unit {args.unit_id!r} (ids look like art-14.par-2.pt-a)")


if __name__ == "__main__":
    sys.exit(main())
