"""What is derived per corpus version and kept in the data folder: the principal force of every
provision (``forces.json``) and the obligation matrix (``matrix.json``), each cached per document.

A document is computed again only when its units, its manifest record, its language versions'
texts or the code that decides the result changed (``per_document``), so adding a document
costs that document. ``kb build`` and adding or removing a document call ``precompute``; pages
and commands read with ``load_forces`` / ``load_matrix``; search reads the matrix's citations
per element (``cited_by_element``) and never computes it.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from pathlib import Path

from kb.compare.elements import elements
from kb.compare.matrix import (
    EDITORIAL_PATH,
    Corpus,
    advice_documents,
    apply_editorial,
    column_documents,
    document_cells,
    matrix_of,
    parallel_versions,
    policy_advice,
)
from kb.errors import KBError
from kb.models import Said, Unit
from kb.numbering import top_level
from kb.store import DataDir

log = logging.getLogger(__name__)

#: the files whose code decides a document's cached result (their bytes are part of its key)
_MATRIX_CODE = (
    "matrix.py",
    "elements.py",
    "force.py",
    "obligations.py",
    "facts.py",
    "topics.py",
    "topics.json",
)
_FORCES_CODE = ("force.py", "obligations.py")


def per_document(
    path: Path,
    code: tuple[str, ...],
    by_doc: dict[str, list[Unit]],
    work: Callable[[str, list[Unit]], object],
    key: Callable[[str], str] = lambda doc_id: "",
):
    """One result per document, cached in ``path``: a document is recomputed only when its units,
    its ``key`` (e.g. its manifest record) or the ``code`` files that decide the result changed,
    so adding one document costs that document. An unreadable cache is recomputed and an
    unwritable one skipped (with a warning), never fatal.
    Returns ``{doc_id: result}`` in the order of ``by_doc``."""
    from kb.store import atomic_write_text

    digest = hashlib.sha256()
    for name in code:
        digest.update((Path(__file__).parent / name).read_bytes())
    code_key = digest.hexdigest()[:16]
    try:
        cached = json.loads(path.read_text(encoding="utf-8"))
        docs = cached["docs"] if cached.get("code") == code_key else {}
        docs = docs if isinstance(docs, dict) else {}
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        docs = {}
    fresh, changed = {}, set(docs) != set(by_doc)
    for doc_id, doc_units in by_doc.items():
        text = "".join(u.content_hash for u in doc_units) + key(doc_id)
        doc_key = hashlib.sha256(text.encode()).hexdigest()[:16]
        entry = docs.get(doc_id)
        if not isinstance(entry, dict) or entry.get("hash") != doc_key or "result" not in entry:
            entry, changed = {"hash": doc_key, "result": work(doc_id, doc_units)}, True
        fresh[doc_id] = entry
    if changed:
        try:
            atomic_write_text(
                path, json.dumps({"code": code_key, "docs": fresh}, ensure_ascii=False)
            )
        except OSError as exc:  # a read-only data folder: the results, uncached
            log.warning("could not cache %s: %s", path, exc)
    return {doc_id: entry["result"] for doc_id, entry in fresh.items()}


def load_matrix(
    base: Path,
    *,
    editorial: bool = True,
    progress=None,
    units: list[Unit] | None = None,
    editorial_path: Path | None = None,
) -> dict:
    """The whole matrix, cached per column document in ``<data>/matrix.json`` (``per_document``):
    the first call for a corpus version computes what changed (all: ~15 s), later ones read it.
    Editorial corrections are applied on top at every call (they are few and checked against the
    text each time)."""
    from corpus.manifest import manifest_for
    from kb.store import read_units

    units = units if units is not None else read_units(base)
    manifest = manifest_for(base)
    columns = column_documents(manifest, {u.doc_id for u in units})
    parallel = parallel_versions(manifest, columns)
    corpus = Corpus([u for u in units if u.doc_id in columns], parallel)
    advising = advice_documents(manifest, {u.doc_id for u in units})
    by_doc = {d: corpus.by_doc.get(d, []) for d in columns}
    by_doc |= {d: [u for u in units if u.doc_id == d] for d in advising}
    path = DataDir(base).matrix
    if progress is not None and not _cache_holds(path, by_doc):
        progress(
            Said(
                "computing the obligation matrix for this corpus version (once per document) …",
                "matrix",
            )
        )

    def work(doc_id: str, doc_units: list[Unit]) -> list[dict]:
        if doc_id in parallel:
            return document_cells(corpus, manifest[doc_id], parallel[doc_id])
        return policy_advice(manifest[doc_id], doc_units)

    per_doc = per_document(
        path,
        _MATRIX_CODE + ("elements.json", "cells.py", "cache.py"),
        by_doc,
        work,
        # a document's cells depend on its language versions' texts too (``document_cells``)
        key=lambda doc_id: _versions_key(manifest, parallel, by_doc, doc_id),
    )
    cells = [c for d in columns for c in per_doc[d]]
    if editorial:
        forces = load_forces(base, units)  # cached: no sentence splitter in a fresh process

        def force_of(unit: Unit) -> str:
            return forces.get(f"{unit.doc_id}/{unit.unit_id}") or corpus.principal_force(unit)

        apply_editorial(cells, corpus, manifest, editorial_path or EDITORIAL_PATH, force_of)
    return matrix_of(cells, [entry for d in advising for entry in per_doc[d]])


def _versions_key(manifest, parallel: dict, by_doc: dict, doc_id: str) -> str:
    """A document's manifest record and its other language versions' texts: what its cached
    results depend on besides its own units."""
    others = "".join(
        u.content_hash for d in parallel.get(doc_id, ()) if d != doc_id for u in by_doc[d]
    )
    # the whole record (its URLs are in the cells), not its short repr
    record = json.dumps(manifest[doc_id].to_dict(), sort_keys=True, ensure_ascii=False)
    return record + hashlib.sha256(others.encode()).hexdigest()[:16]


def corpus_of(base: Path, units: list[Unit] | None = None, manifest=None) -> Corpus:
    """Every unit of the data folder, each document with its language versions (the principal
    force of a provision is the one its versions agree, ``kb.compare.force.agreed_force``)."""
    from corpus.manifest import manifest_for
    from kb.store import read_units

    units = units if units is not None else read_units(base)
    manifest = manifest if manifest is not None else manifest_for(base)
    return Corpus(units, parallel_versions(manifest, sorted({u.doc_id for u in units})))


def _cache_holds(path: Path, by_doc: dict) -> bool:
    try:
        return set(json.loads(path.read_text(encoding="utf-8"))["docs"]) == set(by_doc)
    except (OSError, ValueError, TypeError, KeyError):
        return False


def load_forces(base: Path, units: list[Unit] | None = None) -> dict[str, str]:
    """The principal force of every unit (``doc_id/unit_id`` → force), cached per document in
    ``<data>/forces.json`` (``per_document``; all: ~14 s once)."""
    from corpus.manifest import manifest_for
    from kb.store import read_units

    units = units if units is not None else read_units(base)
    manifest = manifest_for(base)
    corpus = corpus_of(base, units, manifest)  # lazy: only the documents computed below
    per_doc = per_document(
        DataDir(base).forces,
        _FORCES_CODE,
        corpus.by_doc,
        lambda _doc_id, doc_units: {u.unit_id: corpus.principal_force(u) for u in doc_units},
        key=lambda doc_id: _versions_key(manifest, corpus.parallel, corpus.by_doc, doc_id),
    )
    return {f"{d}/{uid}": force for d, table in per_doc.items() for uid, force in table.items()}


def precompute(base: Path, progress=None) -> None:
    """Everything derived per corpus version that pages read: principal forces and the matrix
    (called by ``kb build`` and after adding/removing a document)."""
    from kb.store import read_units

    units = read_units(base)
    if progress is not None:
        progress(
            Said(
                "principal force of every provision (kept per document in forces.json) …", "forces"
            )
        )
    load_forces(base, units)
    load_matrix(base, progress=progress, units=units)


def cited_by_element(base: Path) -> list[tuple[str, dict[tuple[str, str], str]]]:
    """Each element's question with the provisions (document, top-level unit) that its ``yes``
    and ``conditional`` cells cite first, each mapped to the unit cited (the paragraph or point
    that answers) — what search boosts, and cites, for a query near that question. Read from the
    matrix cache that ``kb build`` writes; empty when there is none (search does not compute the
    matrix)."""
    if not DataDir(base).matrix.is_file():
        return []
    try:
        matrix = load_matrix(base)
    except (OSError, KBError) as exc:  # a read-only data folder, a broken editorial file
        log.warning("search runs without the matrix prior: %s", exc)
        return []
    cited: dict[str, dict[tuple[str, str], str]] = {e.element: {} for e in elements()}
    for cell in matrix["cells"]:
        if cell["value"] != "no" and cell["citations"] and cell["element"] in cited:
            unit = cell["citations"][0]["unit_id"]
            cited[cell["element"]][(cell["doc_id"], top_level(unit))] = unit
    return [(e.question, cited[e.element]) for e in elements()]
