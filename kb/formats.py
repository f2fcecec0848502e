"""The source formats Levelfield reads, written once: what the manifest accepts and which loader
module reads each format (``kb.loaders`` dispatches on this table), plus the PDF layouts.

A format may be listed before its loader exists (``None``): the manifest then accepts it and
``kb ingest`` reports such a document as "present, no loader yet".
"""

from __future__ import annotations

#: format → module exposing ``load(path, record, file) -> list[Unit]`` (None: no loader yet)
LOADERS: dict[str, str | None] = {
    "eurlex-xhtml": "kb.loaders.eurlex",
    "eurlex-consolidated": "kb.loaders.eurlex",
    "gii-html": "kb.loaders.gii",
    "pdf": "kb.loaders.pdf",
    "txt": "kb.loaders.text",
    "json-provisions": "kb.loaders.records",
    "markdown-law": "kb.loaders.markdown",
    "fedlex-html": "kb.loaders.fedlex",
}
FORMATS = tuple(LOADERS)
#: line grammars of the PDF and text loaders (``FileRecord.layout``)
LAYOUTS = (None, "oj", "ungp", "legifrance", "sections", "proposal")
