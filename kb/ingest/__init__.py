"""Ingestion: source files → provision units.

``loaders/`` (one per source format, PDF layouts in ``loaders/pdf/``, limits in
``loaders/guard.py``) feed ``structure.UnitBuilder`` (ids, citations, parents, offsets);
``headings`` is the line grammar of the PDF and text loaders; ``batch`` parses every cached
document of the manifest; ``chunking`` cuts units into search passages.
"""
