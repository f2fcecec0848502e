"""Guards on the files we parse: resource limits, and the text encodings we accept.

A file we parse may be hostile (an upload) or damaged (a mutated download). ``Limits`` bounds
what parsing one file may cost: PDF pages and decompressed page content (a few kilobytes of
Flate data can inflate to gigabytes), HTML size and nesting depth, and — for a parse in a child
process (``kb.ingest.loaders.isolated``) — wall time and memory. The defaults leave a wide margin over
the real corpus (largest decompressed PDF page content 0.2 MB, a whole PDF 2 MB; HTML nested at
most 26 deep; measured on the mirror; ``tests/test_guard.py`` checks the corpus parses under
limits 4× tighter) and stop a decompression bomb on its first
page. ``kb.ingest.loaders.load_file(..., limits=)`` applies a ``Limits`` for the duration of one parse
(a context variable, like pypdf's own configuration); loaders read it with ``limits()``.

Declared charsets (``<meta charset>``, the XML declaration) are restricted to real text
encodings: Python's codec registry also knows ``rot13``, ``base64``, ``hex``, ``unicode_escape``
and EBCDIC, which no legal web page is written in.
"""

from __future__ import annotations

import codecs
import contextlib
import re
import signal
import threading
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass

from kb.errors import LoadError

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """What parsing one file may cost; every limit refused is a ``LoadError`` naming the file."""

    file_bytes: int = 40 * MB
    pdf_pages: int = 2_000
    #: decompressed bytes of one stream (a page's content, a font, an image)
    pdf_stream_bytes: int = 8 * MB
    #: decompressed content of one page, and of all pages (text extraction costs ~0.15 s/MB)
    pdf_page_bytes: int = 2 * MB
    pdf_content_bytes: int = 16 * MB
    #: libxml2 itself flattens anything deeper than 256; the corpus nests at most 26 deep
    html_depth: int = 128
    #: wall time of one parse: a child process (``kb.ingest.loaders.isolated``) is killed after it; in
    #: ``kb ingest`` a watchdog (``time_limit``) stops the parse; plus the child's address space
    seconds: float = 120.0
    memory_bytes: int = 2048 * MB


DEFAULT_LIMITS = Limits()
_CURRENT: ContextVar[Limits] = ContextVar("levelfield_limits", default=DEFAULT_LIMITS)


def limits() -> Limits:
    """The limits of the parse in progress (``DEFAULT_LIMITS`` outside ``applied``)."""
    return _CURRENT.get()


@contextlib.contextmanager
def applied(value: Limits) -> Iterator[Limits]:
    """Parse with ``value`` as the limits inside the block."""
    token = _CURRENT.set(value)
    try:
        yield value
    finally:
        _CURRENT.reset(token)


#: codec names (as ``codecs.lookup(...).name`` spells them) of the text encodings accepted
TEXT_ENCODINGS = frozenset(
    {"utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "ascii"}
    | {f"iso8859-{n}" for n in (*range(1, 11), 13, 14, 15, 16)}
    | {f"cp{n}" for n in range(1250, 1259)}
    | {"mac-roman", "koi8-r", "koi8-u"}
)


def text_encoding(name: str, label: str) -> str:
    """The codec name of a declared charset ``label``; ``LoadError`` naming the file ``name``
    when it is unknown or not a text encoding (``rot13``, ``base64``, ``cp037`` …)."""
    try:
        codec = codecs.lookup(label).name
    except (LookupError, ValueError):
        raise LoadError(f"{name}: unknown declared charset {label!r}") from None
    if codec not in TEXT_ENCODINGS:
        raise LoadError(f"{name}: declared charset {label!r} is not a supported text encoding")
    return codec


XML_DECLARATION = re.compile(rb"^\s*<\?xml[^>]*encoding\s*=\s*[\"']([A-Za-z0-9._:-]+)")
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?([A-Za-z0-9._:-]+)", re.IGNORECASE)


def declared_encoding(name: str, data: bytes) -> str:
    """The encoding a web page declares — byte-order mark, then XML declaration, then
    ``<meta charset>`` in its first 4 kB, else UTF-8 — checked by ``text_encoding``."""
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    head = data[:4096]
    match = XML_DECLARATION.match(head) or _META_CHARSET.search(head)
    return text_encoding(name, match.group(1).decode("ascii")) if match else "utf-8"


def check_size(name: str, size: int, limit: int, what: str) -> None:
    """``LoadError`` when ``size`` bytes of ``what`` exceed ``limit``."""
    if size > limit:
        raise LoadError(
            f"{name}: {what} of {size / MB:.1f} MB is over the limit of {limit / MB:.0f} MB"
        )


def check_depth(name: str, root) -> None:
    """``LoadError`` when the element tree under ``root`` (lxml) nests deeper than the limit."""
    from lxml import etree

    limit = limits().html_depth
    level = 0
    for event, _ in etree.iterwalk(root, events=("start", "end")):
        level += 1 if event == "start" else -1
        if level > limit:
            raise LoadError(f"{name}: HTML nested deeper than {limit} levels; refused")


@contextlib.contextmanager
def time_limit(name: str, seconds: float | None = None) -> Iterator[None]:
    """A watchdog on the parse inside the block: ``LoadError`` naming ``name`` once it has run
    ``seconds`` (default: the current limits') of wall time. It uses the process's real-time
    timer, so it acts only in the main thread of a process (``kb ingest`` and its workers); a
    parse in another thread runs in a child process (``kb.ingest.loaders.isolated``) killed on time."""
    seconds = limits().seconds if seconds is None else seconds
    if threading.current_thread() is not threading.main_thread() or seconds <= 0:
        yield
        return

    def expired(signum, frame):
        raise LoadError(f"{name}: parsing took longer than {seconds:g} s; stopped")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
