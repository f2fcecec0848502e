"""Build, save and load the search index (FAISS dense + BM25 over structure-aware chunks).

Layout: ``<data>/index`` is a symlink to ``<data>/indexes/<build-id>/`` holding

- ``index.json`` — model name and fingerprint, corpus hash, build time, counts, FAISS kind
- ``chunks.jsonl`` — the chunks, row i ↔ vector i
- ``vectors.npy`` + ``embed_keys.json`` — embeddings and the hash of the text each came from
- ``dense.faiss`` — the FAISS index; ``bm25/`` — the bm25s index
- ``companion_vectors.npy`` + ``companion_keys.json`` + ``companion.faiss`` — the same for the
  companion model (``indexing.embedders.COMPANIONS``), when there is one

A build writes a new folder and then swaps the symlink atomically, so a crash never leaves a
half-written index in use. Vectors whose input text did not change are reused from the previous
build (content hashes), so adding one document does not re-embed the others.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from kb.errors import StoreError
from kb.ingest.chunking import make_chunks
from kb.models import Chunk, Said
from kb.store import DataDir, corpus_hash, read_units

FORMAT_VERSION = 2  # 2: paragraph/point rows (``Chunk.part``)
#: characters of each chunk that are embedded (heading + opening words). The dense model's cost
#: grows with input length; BM25 sees the whole chunk. Measured trade-off: docs/MEASURED.md.
EMBED_CHARS = 600
#: exact inner-product search; "hnsw" becomes worth it past ~10^6 chunks (docs/MEASURED.md, "Search speed")
FAISS_KINDS = ("flat", "hnsw")


@dataclass
class Index:
    """A loaded index: chunks, their vectors, FAISS and BM25 structures, and its manifest."""

    path: Path
    meta: dict
    chunks: list[Chunk]
    vectors: np.ndarray
    faiss_index: object
    bm25: object
    #: the companion model's vectors and FAISS index (``meta["companion"]``), or None
    companion: tuple[np.ndarray, object] | None = None


def embed_input(chunk: Chunk) -> str:
    """The text that is embedded for a chunk: heading as context, then, for a paragraph/point
    row, the lead-in of its list (``Chunk.context``: without it, pinpoint success@10 on the
    tuning half fell from 0.614 to 0.565), then the provision."""
    head = f"{chunk.citation} {chunk.heading}".strip()
    lead = f" {chunk.context}" if chunk.context else ""
    return f"{head}.{lead} {chunk.text}"[:EMBED_CHARS]


def _key(model_fingerprint: str, text: str) -> str:
    return hashlib.sha256(f"{model_fingerprint}\x1f{text}".encode()).hexdigest()[:20]


def build_index(
    data: Path,
    embedder,
    *,
    faiss_kind: str = "flat",
    progress: Callable[[str], None] | None = None,
    force: bool = False,
    companion="auto",
) -> dict:
    """Build (or update) the index of the unit table in ``data``; returns the index manifest.

    Vectors of unchanged chunks are reused from the current index when it can be read; whatever
    state that index is in (damaged, another model, another format), the build starts from the
    unit table. ``force`` re-embeds everything and trusts nothing of the current index.
    ``companion``: a second embedder whose vectors are stored beside the main ones (its ranking
    is fused at search time); ``"auto"``: ``COMPANIONS`` of the main model's name; None: none."""
    if faiss_kind not in FAISS_KINDS:
        raise ValueError(f"faiss_kind must be one of {FAISS_KINDS}, not {faiss_kind!r}")
    started = time.perf_counter()
    say = progress or (lambda message: None)
    units = read_units(data)
    chunks = make_chunks(units)
    inputs = [embed_input(c) for c in chunks]
    keys = [_key(embedder.fingerprint, text) for text in inputs]
    vectors, reused = _embed(data, embedder, inputs, keys, say, reuse=not force)
    if companion == "auto":
        from indexing.embedders import COMPANIONS, get_embedder

        name = COMPANIONS.get(getattr(embedder, "name", ""))
        companion = get_embedder(name) if name else None
    extra = None
    if companion is not None:
        extra_keys = [_key(companion.fingerprint, text) for text in inputs]
        extra_vectors, _ = _embed(
            data, companion, inputs, extra_keys, say, reuse=not force, stem="companion"
        )
        extra = (extra_vectors, extra_keys)
    build_id = time.strftime("%Y%m%d-%H%M%S") + f"-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    target = DataDir(data).indexes / build_id
    tmp = target.with_name(build_id + ".tmp")
    tmp.mkdir(parents=True)
    try:
        _write(tmp, chunks, vectors, keys, faiss_kind)
        if extra is not None:
            _write_vectors(tmp, "companion", *extra, faiss_kind)
        meta = {
            "format": FORMAT_VERSION,
            "model": embedder.name,
            "fingerprint": embedder.fingerprint,
            "dim": int(vectors.shape[1]),
            "faiss": faiss_kind,
            "corpus_hash": corpus_hash(units),
            "chunks": len(chunks),
            "units": len(units),
            "reused_vectors": reused,
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "build_seconds": round(time.perf_counter() - started, 2),
        }
        if companion is not None:
            meta["companion"] = {
                "model": companion.name,
                "fingerprint": companion.fingerprint,
                "dim": int(extra[0].shape[1]),
            }
        (tmp / "index.json").write_text(json.dumps(meta, indent=1), encoding="utf-8")
        tmp.rename(target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    where = DataDir(data)
    previous = _current_target(where.index)
    _swap_link(where.index, target)
    _prune(where.indexes, keep={target, previous})
    say(
        Said(
            f"index built: {len(chunks)} chunks, {reused} vectors reused, {meta['build_seconds']} s",
            "index_built",
            chunks=len(chunks),
            reused=reused,
            seconds=meta["build_seconds"],
        )
    )
    return meta


def _embed(
    data: Path,
    embedder,
    inputs: list[str],
    keys: list[str],
    say,
    reuse: bool = True,
    stem: str = "",
) -> tuple[np.ndarray, int]:
    """Vectors for ``inputs`` (``keys``: model fingerprint × text), those of the current index's
    files ``<stem>_vectors.npy``/``<stem>_keys.json`` (main: ``vectors.npy``/``embed_keys.json``)
    reused."""
    dim = getattr(embedder, "dim", None)
    old = _previous_vectors(DataDir(data).index, dim, stem) if reuse else {}
    todo = sorted({k: i for i, k in enumerate(keys) if k not in old}.values())
    say(
        Said(
            f"embedding {len(todo)} of {len(inputs)} chunks with {embedder.name} "
            f"({len(inputs) - len(todo)} reused)",
            "embedding",
            n=len(todo),
            total=len(inputs),
            model=embedder.name,
        )
    )
    fresh: dict[str, np.ndarray] = {}
    if todo:
        last = [0.0]

        def bar(done: int, total: int) -> None:
            if time.perf_counter() - last[0] > 2 or done == total:
                last[0] = time.perf_counter()
                say(Said(f"  embedded {done}/{total}", "embedded", done=done, total=total))

        # similar lengths in one batch: less padding, the same vectors
        todo.sort(key=lambda i: len(inputs[i]))
        matrix = embedder.encode_passages([inputs[i] for i in todo], progress=bar)
        fresh = {keys[i]: matrix[j] for j, i in enumerate(todo)}
    vectors = np.vstack([fresh[k] if k in fresh else old[k] for k in keys]).astype(np.float32)
    return vectors, len(keys) - len(todo)


def _files(stem: str) -> tuple[str, str]:
    return (
        (f"{stem}_vectors.npy", f"{stem}_keys.json") if stem else ("vectors.npy", "embed_keys.json")
    )


def _previous_vectors(path: Path, dim: int | None, stem: str = "") -> dict[str, np.ndarray]:
    """The reusable vectors of the current index by input key; empty when the files are missing,
    damaged or disagree: a build never depends on the index it replaces. The keys hash the model
    fingerprint with the input text, so vectors of another model never match; ``index.json`` is
    not needed (a garbled one does not force a full re-embed)."""
    vectors_file, keys_file = _files(stem)
    try:
        keys = json.loads((path / keys_file).read_text(encoding="utf-8"))
        vectors = np.load(path / vectors_file, allow_pickle=False)
    except (OSError, ValueError, RecursionError, EOFError):
        return {}
    if (
        not isinstance(keys, list)
        or not all(isinstance(k, str) for k in keys)
        or vectors.ndim != 2
        or len(keys) != vectors.shape[0]
        or (dim is not None and vectors.shape[1] != dim)
        or not np.isfinite(vectors).all()
    ):
        return {}
    return dict(zip(keys, vectors, strict=True))


def _write(
    folder: Path, chunks: list[Chunk], vectors: np.ndarray, keys: list[str], faiss_kind: str
) -> None:
    import bm25s

    from kb.lang import tokens

    with (folder / "chunks.jsonl").open("w", encoding="utf-8") as fh:
        for chunk in chunks:
            fh.write(json.dumps(chunk.to_dict(), ensure_ascii=False) + "\n")
    _write_vectors(folder, "", vectors, keys, faiss_kind)
    retriever = bm25s.BM25()
    retriever.index(
        [tokens(bm25_input(c), c.language) or ["∅"] for c in chunks], show_progress=False
    )
    retriever.save(str(folder / "bm25"), show_progress=False)


def _write_vectors(
    folder: Path, stem: str, vectors: np.ndarray, keys: list[str], faiss_kind: str
) -> None:
    import faiss

    vectors_file, keys_file = _files(stem)
    np.save(folder / vectors_file, vectors)
    (folder / keys_file).write_text(json.dumps(keys), encoding="utf-8")
    faiss.write_index(_faiss(vectors, faiss_kind), str(folder / f"{stem or 'dense'}.faiss"))


def bm25_input(chunk: Chunk) -> str:
    """The text BM25 sees: heading (twice — headings name the topic) and the provision text."""
    return f"{chunk.heading} {chunk.heading} {chunk.context} {chunk.text}"


def _faiss(vectors: np.ndarray, kind: str):
    import faiss

    if kind == "hnsw":
        index = faiss.IndexHNSWFlat(vectors.shape[1], 32, faiss.METRIC_INNER_PRODUCT)
    else:
        index = faiss.IndexFlatIP(vectors.shape[1])
    index.add(vectors)
    return index


def build_in_use(data: Path) -> Path | None:
    """The build folder the data folder's index link points to (None: no link)."""
    return _current_target(DataDir(data).index)


def use_build(data: Path, build: Path | None) -> None:
    """Point the index link back at ``build`` (from ``build_in_use``) when it has moved since —
    undoing a build whose corpus change was rolled back. The build a swap replaced is kept by
    ``_prune`` for this."""
    link = DataDir(data).index
    if build is not None and build.is_dir() and _current_target(link) != build:
        _swap_link(link, build)


def _swap_link(link: Path, target: Path) -> None:
    tmp_link = link.with_name(link.name + ".swap")
    if tmp_link.is_symlink() or tmp_link.exists():
        tmp_link.unlink()
    # relative to the link's real folder: a data folder given as a relative path or reached
    # through a symlink must not make the target's path unrelatable
    tmp_link.symlink_to(os.path.relpath(target.resolve(), link.parent.resolve()))
    os.replace(tmp_link, link)


def _current_target(link: Path) -> Path | None:
    try:
        return (link.parent / os.readlink(link)).resolve() if link.is_symlink() else None
    except OSError:
        return None


def _prune(folder: Path, keep: set[Path | None]) -> None:
    """Remove old builds: never the build in use, nor the one it replaced (a reader that resolved
    the link just before the swap may still be opening it), nor another live build's temporary
    folder (``<id>-<pid>-….tmp`` of a running process); orphaned temporary folders go."""
    keep_resolved = {p.resolve() for p in keep if p is not None}
    for child in folder.iterdir():
        if not child.is_dir() or child.resolve() in keep_resolved:
            continue
        if child.name.endswith(".tmp") and _pid_alive(child.name):
            continue
        shutil.rmtree(child, ignore_errors=True)


def _pid_alive(build_id: str) -> bool:
    parts = build_id.split("-")
    pid = next((int(p) for p in parts[2:3] if p.isdigit()), None)
    if pid is None or pid == os.getpid():
        return pid == os.getpid()
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def load_index(data: Path, model: str | None = None, *, check_corpus: bool = True) -> Index:
    """Load the index of ``data``. Raises ``StoreError`` when it is missing, was built with another
    model than ``model``, or no longer matches the unit table (stale)."""
    import bm25s
    import faiss

    path = DataDir(data).index
    meta_path = path / "index.json"
    if not meta_path.is_file():
        raise StoreError(f"no search index in {data}; run `python -m kb build`")
    repair = "run `python -m kb build --force` to rebuild it from the unit table"
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError) as exc:
        raise StoreError(f"{meta_path} is unreadable ({type(exc).__name__}); {repair}") from None
    if not isinstance(meta, dict) or not isinstance(meta.get("corpus_hash"), str):
        raise StoreError(f"{meta_path} is not an index manifest; {repair}")
    if meta.get("format") != FORMAT_VERSION:
        raise StoreError(f"index at {path} has an old format; run `python -m kb build`")
    if model and meta.get("model") != model:
        known = model in ("e5", "use", "minilm") or Path(model).exists()
        repair = (
            f"run `python -m kb build --model {model}`"
            if known
            else f"{model!r} is no model here (e5, use, minilm or a sentence-transformers folder)"
        )
        raise StoreError(
            f"index at {path} was built with model {meta.get('model')!r}, not {model!r}; {repair}"
        )
    if check_corpus:
        current = corpus_hash(read_units(data))
        if current != meta["corpus_hash"]:
            raise StoreError(
                f"index at {path} is stale: built from corpus {meta['corpus_hash']}, the unit table is "
                f"now {current}; run `python -m kb build`"
            )
    part = "chunks.jsonl"
    try:
        with (path / part).open("rb") as fh:
            chunks = [Chunk.from_dict(json.loads(line.decode("utf-8"))) for line in fh]
        part = "vectors.npy"
        vectors = np.load(path / part, allow_pickle=False)
        part = "dense.faiss"
        dense = faiss.read_index(str(path / part))
        part = "bm25"
        bm25 = bm25s.BM25.load(str(path / part), show_progress=False)
        companion = None
        if meta.get("companion"):
            part = "companion_vectors.npy"
            extra = np.load(path / part, allow_pickle=False)
            part = "companion.faiss"
            companion = (extra, faiss.read_index(str(path / part)))
    except Exception as exc:  # any damage to any file of the index is one message
        raise StoreError(
            f"index at {path} is damaged ({part}: {type(exc).__name__}); {repair}"
        ) from None
    if vectors.ndim != 2 or not (len(chunks) == vectors.shape[0] == dense.ntotal):
        raise StoreError(
            f"index at {path} is inconsistent (chunks/vectors/faiss counts differ); {repair}"
        )
    if companion is not None and not (
        companion[0].ndim == 2 and len(chunks) == companion[0].shape[0] == companion[1].ntotal
    ):
        raise StoreError(
            f"index at {path} is inconsistent (companion vectors/faiss counts differ); {repair}"
        )
    return Index(path.resolve(), meta, chunks, vectors, dense, bm25, companion)


def unit_vectors(index: Index) -> dict[str, np.ndarray]:
    """Normalised embedding per unit key (``doc_id/unit_id``): a chunk's vector stands for every
    unit it covers; a provision split over several chunks gets their normalised mean. Only the
    passages count (the paragraph/point rows are for pinpointing search hits)."""
    sums: dict[str, np.ndarray] = {}
    for chunk, vector in zip(index.chunks, index.vectors, strict=True):
        if chunk.part:
            continue
        keys = {f"{chunk.doc_id}/{uid}" for uid in chunk.unit_ids}
        keys.add(f"{chunk.doc_id}/{chunk.unit_id.split('.', 1)[0]}")
        for key in keys:
            sums[key] = sums[key] + vector if key in sums else vector.copy()
    return {k: v / max(float(np.linalg.norm(v)), 1e-12) for k, v in sums.items()}
