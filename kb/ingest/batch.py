"""Parse every cached document into units; one bad document never stops the batch."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from corpus.fetch import cache_path, sha256_file
from kb.errors import LoadError, NoLoaderError
from kb.ingest.loaders import load_file
from kb.ingest.loaders.guard import time_limit
from kb.models import DocRecord, Document, Problem

log = logging.getLogger(__name__)


def ingest_document(record: DocRecord, cache_dir: Path) -> Document:
    """Parse all text files of one document from the cache.

    Returns a ``Document`` whose ``problems`` list what went wrong (missing file, checksum
    mismatch, unparseable file); the units of the files that did parse are kept.
    """
    document = Document(record)
    if not record.files:
        document.problems.append(
            Problem(
                record.doc_id,
                "-",
                f"not in local corpus; official source {record.official_url}",
                "missing",
            )
        )
        return document
    for file in record.text_files:
        path = cache_path(cache_dir, record, file)
        problem = _check_file(record, file, path)
        if problem:
            document.problems.append(problem)
            continue
        try:
            with time_limit(f"{record.doc_id}/{file.name}"):
                document.units.extend(load_file(path, record, file))
        except NoLoaderError as exc:
            document.problems.append(Problem(record.doc_id, file.name, str(exc), "warning"))
        except LoadError as exc:
            document.problems.append(Problem(record.doc_id, file.name, str(exc)))
        except Exception as exc:  # a loader bug must not take the batch down; it is reported
            log.exception("loader crashed on %s", path)
            document.problems.append(
                Problem(
                    record.doc_id, file.name, f"internal loader error {type(exc).__name__}: {exc}"
                )
            )
    return document


def _timed(record: DocRecord, cache_dir: Path) -> tuple[Document, float]:
    started = time.perf_counter()
    document = ingest_document(record, cache_dir)
    return document, time.perf_counter() - started


def ingest_all(
    records: Iterable[DocRecord],
    cache_dir: Path,
    progress: Callable[[Document, float], None] | None = None,
    workers: int | None = None,
) -> list[Document]:
    """Parse every document of ``records``; returns them in manifest order.

    Documents are independent, so with ``workers`` > 1 (default: the CPU count, at most 4) they
    are parsed in worker processes; ``progress`` is still called in manifest order.
    """
    records = list(records)
    workers = workers if workers is not None else min(4, os.cpu_count() or 1)
    with_files = sum(1 for r in records if r.files)
    if workers <= 1 or with_files < 4:
        results = (_timed(record, cache_dir) for record in records)
        return [_report(document, seconds, progress) for document, seconds in results]
    from concurrent.futures import ProcessPoolExecutor

    def size(record: DocRecord) -> int:
        paths = (cache_path(cache_dir, record, f) for f in record.text_files)
        return sum(p.stat().st_size for p in paths if p.is_file())

    with ProcessPoolExecutor(max_workers=workers) as pool:
        # the biggest files first, so that one large PDF does not start last
        futures = {
            r.doc_id: pool.submit(_timed, r, cache_dir)
            for r in sorted(records, key=size, reverse=True)
        }
        return [_report(*futures[r.doc_id].result(), progress) for r in records]


def _report(document: Document, seconds: float, progress) -> Document:
    if progress:
        progress(document, seconds)
    return document


def keep_previous(documents: list[Document], previous: list) -> list[str]:
    """Never replace good data with worse: a document that now fails to parse (an error, and
    fewer units than before) keeps its previous units. Returns the doc_ids kept that way."""
    by_doc: dict[str, list] = {}
    for unit in previous:
        by_doc.setdefault(unit.doc_id, []).append(unit)
    kept = []
    for document in documents:
        old = by_doc.get(document.record.doc_id, [])
        failed = any(p.severity == "error" for p in document.problems)
        if failed and old and len(document.units) < len(old):
            document.units[:] = old
            document.problems.append(
                Problem(
                    document.record.doc_id,
                    "-",
                    f"kept the {len(old)} units of the previous ingest (this run could not parse "
                    "it); fix the file and re-run, or pass --drop-failed to drop them",
                    "warning",
                )
            )
            kept.append(document.record.doc_id)
    return kept


def _check_file(record: DocRecord, file, path: Path) -> Problem | None:
    if not path.is_file():
        return Problem(
            record.doc_id, file.name, f"file missing from cache {path}; run `python -m kb fetch`"
        )
    if file.sha256 and sha256_file(path) != file.sha256:
        return Problem(
            record.doc_id,
            file.name,
            f"checksum mismatch for {path} (manifest sha256 {file.sha256[:12]}…); re-run fetch",
        )
    return None
