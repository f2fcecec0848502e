"""One small exception hierarchy (after httpx/_exceptions.py).

The library raises these; only the CLI and the app turn them into messages and exit codes.
"""

from __future__ import annotations


class KBError(Exception):
    """Base class of every error Levelfield raises on purpose.

    The message is English (the CLI's). An error a user of the explorer can cause may also carry
    a ``code`` and the ``values`` it names, so that the interface can say it in its own language
    (``kb.explore.ui_text.message_text``); without a code the message is shown as it is."""

    def __init__(self, message: str = "", *, code: str | None = None, **values):
        super().__init__(message)
        self.code = code
        self.values = values


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


class QueryError(KBError, ValueError):
    """The query or a filter cannot be searched; the message says why."""


class UploadError(KBError, ValueError):
    """An upload cannot be added; the message says why and what to do."""


class ProfileError(KBError, ValueError):
    """A company profile field is missing or malformed (the message names it)."""


class UnknownUnitError(KBError, KeyError):
    """A doc_id or unit_id that the unit table does not hold (the message names it)."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""
