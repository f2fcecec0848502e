"""One loader per source format, all behind one signature.

``load_file(path, record, file) -> list[Unit]`` picks the loader from ``LOADERS`` by
``file.format``. Every loader raises ``LoadError`` naming the file when it cannot produce units;
it never returns an empty list silently.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from kb.errors import LoadError, NoLoaderError
from kb.formats import LOADERS
from kb.ingest.loaders.guard import DEFAULT_LIMITS, Limits, applied, check_size
from kb.models import DocRecord, FileRecord, Unit


def load_file(
    path: Path, record: DocRecord, file: FileRecord, *, limits: Limits = DEFAULT_LIMITS
) -> list[Unit]:
    """Parse one source file into units (reading order) within ``limits`` (``kb.ingest.loaders.guard``).
    Raises ``LoadError`` naming the file."""
    if LOADERS.get(file.format, "") is None:
        raise NoLoaderError(f"{path.name}: present, no loader yet for format {file.format!r}")
    if file.format not in LOADERS:
        raise LoadError(
            f"{path.name}: unknown format {file.format!r}; supported: {', '.join(sorted(LOADERS))}"
        )
    if not path.is_file():
        raise LoadError(f"{path}: file not found")
    size = path.stat().st_size
    if size == 0:
        raise LoadError(f"{path.name}: file is empty")
    check_size(path.name, size, limits.file_bytes, "a file")
    module = importlib.import_module(LOADERS[file.format])
    with applied(limits):
        units = module.load(path, record, file)
    if not units:
        raise LoadError(
            f"{path.name}: no provisions found (is this a {file.format} legal text?)",
            code="no_provisions",
            file=path.name,
        )
    return units
