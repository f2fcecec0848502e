"""The source formats Levelfield reads, written once: what the manifest accepts and which loader
module reads each format (``kb.ingest.loaders`` dispatches on this table), plus the PDF layouts.

A format may be listed before its loader exists (``None``): the manifest then accepts it and
``kb ingest`` reports such a document as "present, no loader yet".
"""

from __future__ import annotations

#: format → module exposing ``load(path, record, file) -> list[Unit]`` (None: no loader yet)
LOADERS: dict[str, str | None] = {
    "eurlex-xhtml": "kb.ingest.loaders.eurlex",
    "eurlex-consolidated": "kb.ingest.loaders.eurlex",
    "gii-html": "kb.ingest.loaders.gii",
    "pdf": "kb.ingest.loaders.pdf",
    "txt": "kb.ingest.loaders.text",
    "json-provisions": "kb.ingest.loaders.records",
    "markdown-law": "kb.ingest.loaders.markdown",
    "fedlex-html": "kb.ingest.loaders.fedlex",
}
FORMATS = tuple(LOADERS)
#: line grammars of the PDF and text loaders (``FileRecord.layout``)
LAYOUTS = (None, "oj", "ungp", "legifrance", "sections", "proposal", "paragraphs", "two-column")
