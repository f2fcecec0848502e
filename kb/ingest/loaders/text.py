"""Loader for plain-text documents ("txt"), e.g. a policy advice extracted from its PDF.

The file is decoded as UTF-8 (a byte-order mark is allowed; anything else is a ``LoadError``
naming the file). Each non-blank line is a ``Line`` whose offsets point into the decoded text, and
the layout walker chosen by ``FileRecord.layout`` (``WALKERS``) builds the units:

``sections`` — a text with numbered section headings ("1 Situering", "4.1 Ondersteuning …") and
perhaps an unnumbered summary ("Krachtlijnen"): units ``sec-1``, ``sec-4-1``, ``sec-krachtlijnen``,
all at level 0 (a policy text cites "4.1", not "4(1)"). A heading is a short line without final
punctuation whose number may follow the previous one (``kb.ingest.headings.next_sections``); table-of-
contents lines (a title, a tab and a page number) are skipped. Footnotes interleaved with the text
at page breaks ("1 Verenigde Naties (2011) …") are recognised by their number — the next footnote
number, already referenced by a superscript in the text — and go to the footnotes of the section
that references them; a footnote broken by a page ("… intel-" … "ligentie) …") is joined again.
Superscript markers become "(n)" in the unit text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kb.errors import LoadError
from kb.ingest.headings import Line, classify, is_toc_entry, next_sections
from kb.ingest.structure import UnitBuilder
from kb.models import DocRecord, FileRecord, Unit

_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
_MARKER = re.compile(r"[⁰¹²³⁴⁵⁶⁷⁸⁹]+")
_FOOTNOTE = re.compile(r"^(\d{1,3})\s+(\S.*)$")
_HEADING_END = re.compile(r"[.,;:]$")
_MAX_HEADING_WORDS = 15
#: unnumbered section titles recognised before the first numbered section
UNNUMBERED_SECTIONS = frozenset(
    {"krachtlijnen", "samenvatting", "inleiding", "summary", "executive summary", "introduction"}
)


def load(path: Path, record: DocRecord, file: FileRecord) -> list[Unit]:
    """Parse a plain-text file into units with the walker of ``file.layout``.

    Returns the units in reading order; ``start``/``end`` are offsets into the decoded text.
    Raises ``LoadError`` (message starting with the file name) for an unknown layout, a file
    that is empty or not UTF-8, or a text without provisions.
    """
    if file.layout not in WALKERS:
        raise LoadError(
            f"{path.name}: unknown layout {file.layout!r} for a text file; "
            f"supported: {', '.join(sorted(WALKERS))}"
        )
    lines = split_lines(read_text(path))
    builder = UnitBuilder(record, path.name)
    WALKERS[file.layout](lines, builder)
    units = builder.build()
    if not units:
        raise LoadError(
            f"{path.name}: no sections found with layout {file.layout!r}",
            code="no_provisions",
            file=path.name,
        )
    return units


def read_text(path: Path) -> str:
    """The decoded text of a UTF-8 file. Raises ``LoadError`` naming the file otherwise."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise LoadError(f"{path.name}: cannot read file ({exc.strerror})") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise LoadError(
            f"{path.name}: not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "convert the file to UTF-8"
        ) from None
    if not text.strip():
        raise LoadError(f"{path.name}: file is empty")
    return text


def split_lines(text: str) -> list[Line]:
    """The non-blank lines of ``text`` (stripped), with their offsets in ``text`` and no page."""
    lines, offset = [], 0
    for raw in text.splitlines(keepends=True):
        body = raw.rstrip("\r\n")
        stripped = body.strip()
        if stripped:
            start = offset + body.index(stripped)
            lines.append(Line(stripped, None, start, start + len(stripped)))
        offset += len(raw)
    return lines


# --------------------------------------------------------------------------- layout: sections


@dataclass
class _Item:
    """A classified line: ``kind`` is "heading", "text" or "footnote"."""

    kind: str
    line: Line
    number: str = ""
    text: str = ""


def walk_sections(lines: list[Line], builder: UnitBuilder) -> None:
    """Build ``sec-…`` units (level 0) from the lines of a sectioned text (see module doc)."""
    items, notes = _classify_sections(lines)
    attached: set[int] = set()
    for item in items:
        if item.kind == "heading":
            builder.open(
                0,
                "sec",
                item.number,
                heading=item.text,
                page=item.line.page,
                start=item.line.start,
            )
        elif item.kind == "text":
            builder.add_text(
                _MARKER.sub(lambda m: f" ({m[0].translate(_SUPERSCRIPTS)})", item.text),
                end=item.line.end,
            )
            for number in _markers(item.text):
                if number in notes and number not in attached:
                    attached.add(number)
                    builder.add_footnote(f"({number}) {notes[number]}")


def _classify_sections(lines: list[Line]) -> tuple[list[_Item], dict[int, str]]:
    """Headings and text in reading order, and the footnotes ``{number: text}`` found between them."""
    items: list[_Item] = []
    notes: dict[int, str] = {}
    referenced: set[int] = set()
    section: str | None = None
    broken: int | None = None  # a footnote that ended with a hyphen, continued later
    for line in lines:
        text = line.text
        note = _FOOTNOTE.match(text)
        if is_toc_entry(text):
            continue
        if note and int(note[1]) == len(notes) + 1 and int(note[1]) in referenced:
            notes[int(note[1])] = note[2]
            broken = int(note[1]) if note[2].endswith("-") else None
        elif broken and text[:1].islower():
            notes[broken] = notes[broken][:-1] + text
            broken = None
        elif heading := _heading(text, section):
            section = heading[0] if heading[0][0].isdigit() else section
            items.append(_Item("heading", line, heading[0], heading[1]))
        else:
            referenced.update(_markers(text))
            items.append(_Item("text", line, text=text))
    return items, notes


def _heading(text: str, section: str | None) -> tuple[str, str] | None:
    """``(number, title)`` when ``text`` is the next section heading, else ``None``."""
    if text.lower() in UNNUMBERED_SECTIONS and section is None:
        return text.lower(), text
    label = classify(text)
    if (
        not label
        or label.kind not in ("decimal", "dot")
        or label.number not in next_sections(section)
    ):
        return None
    title = label.rest
    if _HEADING_END.search(title) or len(title.split()) > _MAX_HEADING_WORDS:
        return None
    return label.number, title


def _markers(text: str) -> list[int]:
    """Footnote numbers referenced by superscripts in ``text`` ("Naties¹" → [1])."""
    return [int(m.translate(_SUPERSCRIPTS)) for m in _MARKER.findall(text)]


#: layout → walker over the lines of a text file
WALKERS: dict[str, Callable[[list[Line], UnitBuilder], None]] = {"sections": walk_sections}
