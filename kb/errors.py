"""One small exception hierarchy (after httpx/_exceptions.py).

The library raises these; only the CLI and the app turn them into messages and exit codes.
"""

from __future__ import annotations


class KBError(Exception):
    """Base class of every error Levelfield raises on purpose."""


class ManifestError(KBError, ValueError):
    """The corpus manifest is invalid (unknown field, bad date, duplicate id, dangling relation)."""


class LoadError(KBError, ValueError):
    """A source file could not be parsed into units. The message names the file."""


class NoLoaderError(LoadError):
    """The manifest accepts the file's format or layout, but no loader reads it yet."""


class FetchError(KBError):
    """A document could not be copied or downloaded into the cache."""


class StoreError(KBError):
    """The unit table or an index is missing, stale or unreadable."""
