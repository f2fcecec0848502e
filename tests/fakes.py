"""A deterministic fake embedder for plumbing tests (never a substitute for the real model)."""

import hashlib

import numpy as np


class HashEmbedder:
    """Bag of hashed words → 64-dim vector. Same text, same vector; shared words, higher cosine."""

    name = "hash-test"
    fingerprint = "hash-test-64"
    dim = 64

    def __init__(self):
        self.passages_encoded = 0

    def _vec(self, text):
        v = np.zeros(self.dim, dtype=np.float32)
        for word in text.lower().split():
            v[int(hashlib.md5(word.encode()).hexdigest(), 16) % self.dim] += 1.0
        n = np.linalg.norm(v)
        return v / n if n else v

    def encode_queries(self, texts):
        return np.vstack([self._vec(t) for t in texts])

    def encode_passages(self, texts, progress=None):
        self.passages_encoded += len(texts)
        if progress:
            progress(len(texts), len(texts))
        return np.vstack([self._vec(t) for t in texts])


def synthetic_record(doc_id: str = "syn-doc", *files, **changes):
    """A clearly synthetic manifest record (not law) for plumbing tests; ``files`` are FileRecords."""
    from kb.models import DocRecord

    fields = {
        "doc_id": doc_id,
        "title": "Synthetic test instrument",
        "short_title": "SYN",
        "cite_as": "SYN",
        "jurisdiction": "XX",
        "instrument_type": "bill",
        "status": "proposal",
        "language": "en",
        "official_url": "https://example.invalid/",
        "files": tuple(files),
    }
    return DocRecord(**{**fields, **changes})


def copy_data(source, target, with_index: bool = True):
    """A private copy of an indexed data folder (unit table, summary and, unless
    ``with_index`` is false, the index; no cache) to damage or change in a test."""
    import os
    import shutil

    target.mkdir(parents=True)
    for name in ("units.jsonl", "ingest.json"):
        shutil.copy2(source / name, target / name)
    if with_index:
        shutil.copytree(source / "index", target / "indexes" / "copy")
        os.symlink("indexes/copy", target / "index")
    return target
