"""One loader per source format, all behind one signature.

``load_file(path, record, file) -> list[Unit]`` picks the loader from ``LOADERS`` by
``file.format``. Every loader raises ``LoadError`` naming the file when it cannot produce units;
it never returns an empty list silently.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from kb.errors import LoadError, NoLoaderError
from kb.models import DocRecord, FileRecord, Unit

#: format → module exposing ``load(path: Path, record: DocRecord, file: FileRecord) -> list[Unit]``
LOADERS = {
    "eurlex-xhtml": "kb.loaders.eurlex",
    "eurlex-consolidated": "kb.loaders.eurlex",
    "gii-html": "kb.loaders.gii",
    "pdf": "kb.loaders.pdf",
    "txt": "kb.loaders.text",
    "json-provisions": "kb.loaders.records",
    "markdown-law": "kb.loaders.markdown",
    "fedlex-html": "kb.loaders.fedlex",
}


def load_file(path: Path, record: DocRecord, file: FileRecord) -> list[Unit]:
    """Parse one source file into units (reading order). Raises ``LoadError`` naming the file."""
    if file.format not in LOADERS:
        from corpus.manifest import FORMATS

        if file.format in FORMATS:
            raise NoLoaderError(f"{path.name}: present, no loader yet for format {file.format!r}")
        raise LoadError(
            f"{path.name}: unknown format {file.format!r}; supported: {', '.join(sorted(LOADERS))}"
        )
    if not path.is_file():
        raise LoadError(f"{path}: file not found")
    if path.stat().st_size == 0:
        raise LoadError(f"{path.name}: file is empty")
    module = importlib.import_module(LOADERS[file.format])
    units = module.load(path, record, file)
    if not units:
        raise LoadError(f"{path.name}: no provisions found (is this a {file.format} legal text?)")
    return units
