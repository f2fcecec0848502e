"""Commands on the corpus: fetch, ingest, docs, show, add, remove."""

from __future__ import annotations

import json
import time

from kb.cli.io import data_arg, input_file_problem, say
from kb.errors import KBError


def cmd_fetch(args) -> int:
    from corpus.fetch import CHANGED, ERROR, fetch_all
    from corpus.manifest import manifest_for
    from kb.store import cache_dir, default_mirror

    mirror = args.mirror or default_mirror()
    if args.mirror and not args.mirror.is_dir():
        raise KBError(f"mirror folder not found: {args.mirror}")
    if mirror is None and not args.download:
        say("no mirror folder found; pass --from DIR or --download")
    from kb.store import writer_lock

    with writer_lock(data_arg(args), say=say):
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

    from kb.store import writer_lock

    with writer_lock(data_arg(args), say=say):
        return _ingest(args, records, progress, started)


def _ingest(args, records, progress, started) -> int:
    from kb.ingest.batch import ingest_all
    from kb.store import cache_dir, write_units

    documents = ingest_all(records, cache_dir(data_arg(args)), progress)
    if not args.drop_failed:
        from kb.ingest.batch import keep_previous
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


def cmd_docs(args) -> int:
    from corpus.fetch import cache_path
    from corpus.manifest import manifest_for
    from kb.store import cache_dir

    rows = []
    for record in manifest_for(data_arg(args)).values():
        files = record.text_files
        present = bool(files) and all(
            cache_path(cache_dir(data_arg(args)), record, f).is_file() for f in files
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
        if row["local"] == "missing" and row.get("download"):
            print(
                f"{'':12} one step: python -m kb fetch --download && python -m kb ingest && python -m kb build"
            )
    return 0


def cmd_show(args) -> int:
    from kb.service import Service

    service = Service(data_arg(args))
    if args.json:
        print(json.dumps(service.unit(args.doc_id, args.unit_id), ensure_ascii=False, indent=1))
        return 0
    unit = service.unit_object(args.doc_id, args.unit_id)
    title = f"{unit.citation} — {unit.heading}" if unit.heading else unit.citation
    print(title + (" [DELETED]" if unit.status == "deleted" else ""))
    print(unit.text)
    for i, note in enumerate(unit.footnotes, 1):
        print(f"  [{i}] {note}")
    print(f"source: {service.records()[unit.doc_id].official_url}")
    return 0


def cmd_add(args) -> int:
    from kb.userdocs import NewDocument, add_document, preview_document

    if not args.file.is_file():
        raise KBError(input_file_problem(args.file))
    if not args.url and not args.dry_run:
        raise KBError(
            "--url is required: the official page of the document, shown as its source (the "
            "explorer's form asks for it too); --dry-run previews without it"
        )
    content = args.file.read_bytes()
    short = (args.short_title or args.title)[:120]
    meta = NewDocument(
        title=args.title,
        short_title=short,
        jurisdiction=args.jurisdiction,
        instrument_type=args.instrument_type,
        language=args.language,
        # a preview needs no source; a stored document does, as on the explorer's form (an
        # invented one was shown as the document's official link)
        official_url=args.url or ("https://example.invalid/preview" if args.dry_run else ""),
        status=args.status,
        cite_as=(args.cite_as or short)[:60],
    )
    base = data_arg(args)
    if args.second_language or args.layout == "pdf:two-column":
        return _add_bilingual(args, base, content, meta)
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


def _add_bilingual(args, base, content: bytes, meta) -> int:
    """``kb add --layout pdf:two-column --language L --second-language L2``: both columns."""
    import dataclasses

    from kb.userdocs import add_bilingual, preview_document

    if args.layout != "pdf:two-column" or not args.second_language:
        raise KBError("a bilingual print needs --layout pdf:two-column and --second-language")
    columns = [("left", meta.language), ("right", args.second_language)]
    outs = []
    for column, language in columns:
        side = dataclasses.replace(meta, column=column, language=language)
        outs.append(preview_document(base, args.file.name, content, side, parser=args.layout))
    out = [
        p.to_dict() | {"column": c, "language": lang}
        for p, (c, lang) in zip(outs, columns, strict=True)
    ]
    if not args.dry_run:
        results = add_bilingual(
            base, args.file.name, content, meta, args.second_language, progress=say
        )
        for entry, result in zip(out, results, strict=True):
            entry.update(doc_id=result.doc_id, units=result.units)
    if args.json:
        print(json.dumps({"documents": out}, ensure_ascii=False))
    else:
        for preview, entry in zip(outs, out, strict=True):
            print(f"{entry['column']} column ({entry['language']}): {preview.summary()}")
            print(
                ("would add " if args.dry_run else "added ")
                + f"{entry['doc_id']} ({entry['units']} units)"
            )
    return 0


def cmd_remove(args) -> int:
    from kb.userdocs import remove_document

    remove_document(data_arg(args), args.doc_id)
    print(f"removed {args.doc_id}; the unit table and the index no longer hold it")
    return 0
