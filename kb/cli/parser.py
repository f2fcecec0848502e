"""The command line: ``python -m kb <command>``. JSON on stdout with ``--json``, errors on stderr.

Exit codes: 0 success, 1 a command-level failure (a KBError), 2 bad usage. The parser lives
here; each command group has its handlers in a module of this package (corpus, search, compare,
matrix, procedure, serve); no other package imports from ``kb.cli``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kb.cli import compare as cc
from kb.cli import corpus as co
from kb.cli import matrix as mc
from kb.cli import procedure as pc
from kb.cli import search as ic
from kb.cli import serve as sv
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
    "serve": "python -m kb serve --port 8000 --workers 2  # then open http://127.0.0.1:8000/docs",
}


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        _on_termination_roll_back()
        _recover(args)
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
    except OSError as exc:
        import errno

        if exc.errno not in (errno.ENOSPC, errno.EDQUOT):
            return _internal_error(exc)
        # the disk, not a bug: an add or removal has been rolled back, a build kept the old index
        print(
            f"error: no space left on the device ({exc.filename or 'the data folder'}); free "
            "some space and run the command again — nothing it had changed was kept",
            file=sys.stderr,
        )
        return 1
    except Exception as exc:
        return _internal_error(exc)


def _internal_error(exc: Exception) -> int:
    """A bug: one line for the user, the traceback only on request."""
    import logging
    import os

    if os.environ.get("LEVELFIELD_DEBUG"):
        raise exc
    logging.getLogger("kb").debug("internal error", exc_info=exc)
    print(
        f"internal error ({type(exc).__name__}: {str(exc)[:200]}); please report it — "
        "LEVELFIELD_DEBUG=1 shows the traceback",
        file=sys.stderr,
    )
    return 70


def _on_termination_roll_back() -> None:
    """SIGTERM and SIGHUP (a closed terminal, ``timeout``, ``docker stop``) end a command as
    Ctrl-C does: an add or removal in progress is rolled back, not left half done."""
    import signal

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), interrupt)


def _recover(args) -> None:
    """Undo an add or removal whose process was killed half-way (``kb.userdocs.recover``)."""
    from kb.store import DataDir, data_dir

    base = getattr(args, "data", None) or data_dir()
    if DataDir(base).journal.is_dir():
        from kb.userdocs import recover

        if recover(base):
            print(
                f"note: an add or removal in {base} was interrupted earlier; it was undone",
                file=sys.stderr,
            )


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

    p = add(
        "fetch", co.cmd_fetch, "copy the official texts into the local cache (or download them)"
    )
    p.add_argument(
        "--from", dest="mirror", type=Path, help="mirror folder (default ../shared/corpus/sources)"
    )
    p.add_argument(
        "--download", action="store_true", help="download files with a URL that are not mirrored"
    )
    p.add_argument("--timeout", type=float, default=30.0, help="download timeout in seconds")
    p.add_argument("--json", action="store_true")

    p = add("ingest", co.cmd_ingest, "parse every cached document into provision units")
    p.add_argument(
        "--drop-failed",
        action="store_true",
        help="drop the previous units of a document that no longer parses (default: keep them)",
    )
    p.add_argument("--json", action="store_true")

    p = add("docs", co.cmd_docs, "list the manifest with what is present or missing")
    p.add_argument("--json", action="store_true")

    p = add("show", co.cmd_show, "print one unit with its citation and text")
    p.add_argument("doc_id")
    p.add_argument("unit_id")
    p.add_argument("--json", action="store_true")

    p = add(
        "build", ic.cmd_build, "build or update the search index (FAISS + BM25) from the unit table"
    )
    p.add_argument(
        "--model", default=None, help="e5 (default), use, minilm, or a sentence-transformers path"
    )
    p.add_argument("--faiss", default="flat", choices=["flat", "hnsw"], help="FAISS index kind")
    p.add_argument(
        "--force",
        action="store_true",
        help="re-embed everything, reusing nothing of the current index (repairs a damaged one)",
    )
    p.add_argument("--json", action="store_true")

    p = add("search", ic.cmd_search, "search provisions in any of EN/NL/FR/DE/NB")
    p.add_argument("query", nargs="?", help="the query (omit with --batch)")
    p.add_argument("--k", type=int, default=10, help="number of results (1-100)")
    p.add_argument(
        "--batch", type=Path, help='JSONL file of {"id", "query"} objects (- for standard input)'
    )
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
    p.add_argument(
        "--devset", type=Path, help="one JSONL dev set (default: all of indexing/devset*.jsonl)"
    )
    p.add_argument(
        "--split",
        choices=("tune", "test", "all"),
        default="test",
        help="which half of the dev sets to score (settings are chosen on 'tune'; default test)",
    )
    p.add_argument("--k", type=int, default=10)
    p.add_argument(
        "--setting",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="evaluate with a RankingSettings value changed, e.g. --setting per_doc=3 (repeatable)",
    )
    # one evaluation per run: two asked together silently ran only the first
    which = p.add_mutually_exclusive_group()
    which.add_argument(
        "--fit-reranker",
        action="store_true",
        help="fit the learned reranker on the tuning half; report both halves with and without it",
    )
    which.add_argument(
        "--compare", action="store_true", help="evaluate comparison cells and alignment instead"
    )
    which.add_argument(
        "--matrix", action="store_true", help="evaluate the obligation matrix on its dev gold"
    )
    which.add_argument(
        "--trail", action="store_true", help="evaluate the proposal → adopted article alignment"
    )
    which.add_argument(
        "--applies", action="store_true", help="evaluate 'does it apply to us?' on its dev gold"
    )
    which.add_argument(
        "--calibrate",
        action="store_true",
        help="fit result relevance and the no-good-match threshold on the tuning half",
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
    p.add_argument(
        "--batch",
        type=Path,
        help='JSONL file of {"id", "doc_id", "unit_id"} objects (- for standard input)',
    )
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

    p = add(
        "add", co.cmd_add, "add a document you have (PDF, HTML, Markdown, JSON, TXT) and index it"
    )
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
    p.add_argument(
        "--url", help="official URL where the document comes from (required unless --dry-run)"
    )
    p.add_argument(
        "--layout",
        default="auto",
        help="auto (default: the parser finding most provisions) or one "
        "of pdf:oj, pdf:legifrance, pdf:ungp, pdf:proposal, pdf:two-column, txt:sections, "
        "markdown-law, …",
    )
    p.add_argument(
        "--second-language",
        help="with --layout pdf:two-column: the language of the right column (the left one is "
        "--language); two documents are added, the second a translation_of the first",
    )
    p.add_argument("--dry-run", action="store_true", help="parse and preview; store nothing")
    p.add_argument("--json", action="store_true")

    p = add("remove", co.cmd_remove, "remove a document added with `kb add` (or in the app)")
    p.add_argument("doc_id")

    p = add(
        "applies", pc.cmd_applies, "does it apply to us? every instrument for a company profile"
    )
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
        pc.cmd_trail,
        "procedure trail: where each article of an adopted act came from in the proposal",
    )
    p.add_argument("--from", dest="proposal", required=True, help="doc_id of the proposal")
    p.add_argument("--to", dest="adopted", required=True, help="doc_id of the adopted act")
    p.add_argument("--json", action="store_true")

    p = add(
        "obligations",
        mc.cmd_obligations,
        "principal deontic force of a provision, with its sentences as evidence",
    )
    p.add_argument("--doc", help="doc_id of the provision")
    p.add_argument("--unit", help="unit_id of the provision, e.g. art-27")
    p.add_argument(
        "--batch",
        type=Path,
        help='JSONL file of {"id", "doc_id", "unit_id"} objects (- for standard input)',
    )
    p.add_argument("--json", action="store_true")

    p = add(
        "matrix",
        mc.cmd_matrix,
        "obligation matrix: every element × instrument with its value, quote and citation",
    )
    p.add_argument("--topic", action="append", default=[], help="topic id (repeatable)")
    p.add_argument("--doc", action="append", default=[], help="column doc_id (repeatable)")
    p.add_argument(
        "--element",
        action="append",
        default=[],
        help="element id (repeatable), e.g. sanctions.fines",
    )
    p.add_argument(
        "--no-editorial", action="store_true", help="automatic cells only (no reviewed overlay)"
    )
    p.add_argument(
        "--editorial",
        metavar="PATH",
        help="a reviewed overlay file to apply instead of kb/compare/gold/matrix_editorial.json",
    )
    p.add_argument("--json", action="store_true")

    p = add(
        "serve",
        sv.cmd_serve,
        "read-only HTTP JSON API (search, units, matrix, facts, applies) with OpenAPI docs",
    )
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default loopback)")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--workers", type=int, default=2, help="worker processes (each loads the index)")
    p.add_argument("--model", default=None, help="refuse an index built with another model")
    return parser
