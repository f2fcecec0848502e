"""Levelfield knowledge base: instruments parsed into citable provision units.

Importing ``kb`` is cheap: no torch, faiss or spaCy is loaded here.
"""

from kb.errors import FetchError, KBError, LoadError, ManifestError, StoreError
from kb.models import Chunk, DocRecord, Document, FileRecord, Problem, Unit

__all__ = [
    "Chunk",
    "DocRecord",
    "Document",
    "FetchError",
    "FileRecord",
    "KBError",
    "LoadError",
    "ManifestError",
    "Problem",
    "StoreError",
    "Unit",
]
