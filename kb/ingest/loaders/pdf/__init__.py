"""Loader for PDF texts ("pdf"): Official Journal acts, the UN Guiding Principles, Légifrance printouts.

Stages, in order:

1. ``extract_pages`` — pypdf text of each page; pypdf errors, encryption and empty text become a
   ``LoadError`` naming the file.
2. ``read_lines`` — each page cleaned: NFKC (ligatures such as U+FB00), spaces collapsed, page
   furniture dropped (OJ running headers, page numbers, Légifrance print banners and URLs, a back
   cover repeating an earlier page); then hyphenation at line ends repaired across the whole
   document (a soft hyphen always joins; a hard hyphen is kept when the document spells the word
   with a hyphen elsewhere, dropped when it spells it without). Every ``Line`` keeps its page
   and its offsets in the cleaned text: the cleaned lines of all pages joined with ``"\\n"``
   (``cleaned_text``); ``Unit.start``/``end`` point into that text.
3. A layout walker chosen by ``FileRecord.layout`` (``WALKERS``) feeds the lines to a
   ``UnitBuilder``; each lives in its own module: ``oj`` (``kb.ingest.loaders.pdf.oj``: recitals,
   articles, paragraphs, points, annexes, footnotes), ``ungp`` (``kb.ingest.loaders.pdf.ungp``:
   principles and their commentaries), ``legifrance`` (``kb.ingest.loaders.pdf.legifrance``: one French
   code article), ``sections`` (``kb.ingest.loaders.text``: numbered sections, shared with the text
   loader), ``proposal`` (``kb.ingest.loaders.pdf.proposal``: a Commission COM proposal — recitals and
   articles, the explanatory memorandum left out), ``paragraphs`` (``kb.ingest.loaders.pdf.paragraphs``:
   soft law in chapters of numbered paragraphs — OECD, ILO — as ``para-N``).

The heading grammar is ``kb.ingest.headings``; the walkers add the sequence guards (the next article,
recital, paragraph or point must be the expected one) and ignore quoted provisions inside an
amending article, so cross-references and inserted articles ("‘Article 19a") stay text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from pathlib import Path

from pypdf import PdfReader, apply_configuration
from pypdf.errors import FileNotDecryptedError, LimitReachedError

from kb.errors import LoadError, NoLoaderError
from kb.ingest.headings import Line
from kb.ingest.loaders.guard import MB, Limits, limits
from kb.ingest.loaders.pdf.legifrance import walk_legifrance
from kb.ingest.loaders.pdf.oj import walk_oj
from kb.ingest.loaders.pdf.paragraphs import walk_paragraphs
from kb.ingest.loaders.pdf.proposal import walk_proposal
from kb.ingest.loaders.pdf.ungp import walk_ungp
from kb.ingest.loaders.text import walk_sections
from kb.ingest.structure import UnitBuilder
from kb.models import DocRecord, FileRecord, Unit

#: a layout walker: feeds the cleaned lines of one file to a ``UnitBuilder``
Walker = Callable[[list[Line], UnitBuilder], None]

_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f]+")
_SOFT_HYPHEN_END = re.compile(r"\s*\u00ad\s*$")
_FOOTNOTE_REF = re.compile(r"\(\s+(\d{1,3})\s+\)")
_OJ_HEADER = re.compile(r"^[A-Z]{2} .{0,40}Official Journal of the European Union.{0,40}$")
_OJ_PAGE = re.compile(r"\bL\s?\d+/\d+\b|^ELI:|\d{1,2}\.\d{1,2}\.\d{4}")
_ELI_LINE = re.compile(r"^ELI: https?://data\.europa\.eu/eli/\S+$")
_LEGIFRANCE_BANNER = re.compile(r"^\d{2}/\d{2}/\d{4} \d{1,2}:\d{2} .* - Légifrance$")
_URL_LINE = re.compile(r"^https?://\S+(?: \d+/\d+)?$")
_PAGE_NUMBER = re.compile(r"^(?:\d{1,3}|[ivxlc]{1,6}|\d+/\d+)$")
_HYPHEN_END = re.compile(r"(?P<word>[^\W\d_]+)(?P<space> ?)(?P<mark>-|\u00ad)$")
_FIRST_WORD = re.compile(r"^(?P<word>[^\W\d_]+)(?P<tail>\S*)\s*")
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_SOFT = "\u00ad"  # in a vocabulary: the document breaks words with soft hyphens
_PREFIXES = frozenset(
    "non multi co self cross anti pre post semi sub inter intra extra ex quasi pan socio".split()
)


# =========================================================================== entry point


def load(path: Path, record: DocRecord, file: FileRecord) -> list[Unit]:
    """Parse one PDF into units with the walker of ``file.layout``.

    Returns the units in reading order. Raises ``LoadError`` (message starting with the file
    name) for an unknown layout, an unreadable, encrypted or textless PDF, or no provisions.
    """
    if file.layout == "two-column":
        # one language version of a bilingual print: its column, read by the numbering grammar
        # of laws (``Artikel 1`` / ``Article 1er`` / ``Art. 2.``, paragraphs, points)
        from kb.ingest.loaders.markdown import parse_text

        text = cleaned_text(read_lines(path, file.column or "left"))
        units = parse_text(text, record, file, path.name)
        if not units:
            raise LoadError(
                f"{path.name}: no provisions found in the {file.column or 'left'} column "
                "(layout 'two-column'); a PDF that writes both columns as one line of text "
                "cannot be split by position — add each language version as its own file"
            )
        return units
    walker = _walker(path.name, file.layout)
    lines = read_lines(path)
    builder = UnitBuilder(record, path.name)
    walker(lines, builder)
    units = builder.build()
    if not units:
        raise LoadError(
            f"{path.name}: no provisions found with layout {file.layout!r}",
            code="no_provisions",
            file=path.name,
        )
    return units


def _walker(name: str, layout: str | None) -> Walker:
    if layout not in WALKERS:
        from kb.formats import LAYOUTS

        if layout in LAYOUTS:
            raise NoLoaderError(f"{name}: present, no loader yet for the PDF layout {layout!r}")
        raise LoadError(
            f"{name}: unknown layout {layout!r} for a PDF; supported: {', '.join(sorted(WALKERS))}"
        )
    return WALKERS[layout]


# =========================================================================== extraction


def extract_pages(path: Path, column: str | None = None) -> list[str]:
    """The raw pypdf text of each page, in order (a list of strings, one per page); with
    ``column`` (``left``/``right``) only the text of that half of each page (``column_text``).

    Raises ``LoadError`` naming the file when pypdf cannot read it, it is encrypted with a
    password, or no page has any text (a scan).
    """
    name = path.name
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise LoadError(f"{name}: cannot read file ({exc.strerror})") from None
    if not data.strip():
        raise LoadError(f"{name}: file is empty")
    if not data.lstrip().startswith(b"%PDF-"):
        raise LoadError(f"{name}: not a PDF file (no %PDF header)")
    if b"%%EOF" not in data[-2048:]:
        raise LoadError(f"{name}: truncated PDF (no %%EOF marker at the end); download it again")
    try:
        pages = _pypdf_pages(path, limits(), column)
    except LoadError:
        raise
    except FileNotDecryptedError:
        raise LoadError(f"{name}: PDF is encrypted and needs a password") from None
    except LimitReachedError as exc:
        raise LoadError(
            f"{name}: PDF refused — a stream decompresses beyond the limit "
            f"({limits().pdf_stream_bytes // MB} MB; a decompression bomb?): {exc}"
        ) from None
    except MemoryError:
        raise LoadError(
            f"{name}: PDF refused — it needs more than {limits().memory_bytes // MB} MB of memory"
        ) from None
    except Exception as exc:  # pypdf on damaged input: also NotImplementedError, AssertionError …
        raise LoadError(
            f"{name}: unreadable or damaged PDF ({type(exc).__name__}: {str(exc)[:200]})"
        ) from None
    if not any(page.strip() for page in pages):
        raise LoadError(f"{name}: PDF has no extractable text (scanned images?)")
    return pages


def _pypdf_pages(path: Path, bounds: Limits, column: str | None = None) -> list[str]:
    """pypdf text per page within ``bounds``: pages, decompressed bytes per stream (pypdf's own
    limits) and decompressed page content in all, checked page by page before the text of a
    page is extracted. Raises pypdf's errors (translated by ``extract_pages``) or ``LoadError``."""
    with apply_configuration(
        zlib_maximum_output_length=bounds.pdf_stream_bytes,
        lzw_maximum_output_length=bounds.pdf_stream_bytes,
        run_length_maximum_output_length=bounds.pdf_stream_bytes,
        array_based_stream_maximum_output_length=bounds.pdf_stream_bytes,
        maximum_declared_stream_length=bounds.pdf_stream_bytes,
        stream_decoding_work_maximum_length=bounds.pdf_stream_bytes * 4,
    ):
        reader = PdfReader(path, strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise FileNotDecryptedError("password required")
        count = len(reader.pages)
        if count == 0:
            raise ValueError("document has no pages")
        if count > bounds.pdf_pages:
            raise LoadError(f"{path.name}: PDF of {count} pages; the limit is {bounds.pdf_pages}")
        texts, content = [], 0
        for number, page in enumerate(reader.pages, 1):
            stream = page.get_contents()
            size = len(stream.get_data()) if stream is not None else 0
            content += size
            if size > bounds.pdf_page_bytes:
                raise LoadError(
                    f"{path.name}: PDF refused — page {number} decompresses to {size / MB:.1f} MB of "
                    f"content, over the limit of {bounds.pdf_page_bytes // MB} MB (a decompression bomb?)"
                )
            if content > bounds.pdf_content_bytes:
                raise LoadError(
                    f"{path.name}: PDF refused — its page content decompresses to more than "
                    f"{bounds.pdf_content_bytes // MB} MB by page {number} (a decompression bomb?)"
                )
            texts.append(column_text(page, column) if column else page.extract_text() or "")
        return texts


def column_text(page, side: str) -> str:
    """The text of one half of a two-column page (``left`` or ``right`` of the middle of its
    media box): pypdf's text fragments with their positions, those whose start lies on that
    side, put in lines by height (top first) and, within a line, left to right. Bilingual
    parliamentary documents print the two language versions side by side this way."""
    box = page.mediabox
    middle = (float(box.left) + float(box.right)) / 2
    pieces: list[tuple[float, float, str]] = []

    def visit(text, cm, tm, _font, _size):
        if not text.strip():
            return
        x = cm[0] * tm[4] + cm[2] * tm[5] + cm[4]
        y = cm[1] * tm[4] + cm[3] * tm[5] + cm[5]
        if (x < middle) == (side == "left"):
            pieces.append((round(y), x, text.strip()))

    page.extract_text(visitor_text=visit)
    lines: dict[int, list[tuple[float, str]]] = {}
    for y, x, text in pieces:
        lines.setdefault(y, []).append((x, text))
    return "\n".join(
        " ".join(text for _, text in sorted(lines[y])) for y in sorted(lines, reverse=True)
    )


def read_lines(path: Path, column: str | None = None) -> list[Line]:
    """The cleaned lines of a PDF (of one column of it), each with its page and its offsets in
    ``cleaned_text``.

    Furniture is dropped, text normalised and line-end hyphenation repaired (see module doc).
    """
    pages = _drop_repeated_pages([_clean_page(text) for text in extract_pages(path, column)])
    tagged = [(number, line) for number, lines in enumerate(pages, 1) for line in lines]
    return _with_offsets(_repair_hyphens(tagged))


def cleaned_text(lines: list[Line]) -> str:
    """The text that ``Line`` and ``Unit`` offsets point into: the lines joined with newlines."""
    return "\n".join(line.text for line in lines)


def _clean_page(text: str) -> list[str]:
    """One page's text → its body lines (normalised, furniture dropped, blank lines dropped)."""
    lines = []
    for raw in unicodedata.normalize("NFKC", text).splitlines():
        soft = bool(_SOFT_HYPHEN_END.search(raw))
        line = _SPACES.sub(" ", raw.replace("\u00ad", "")).strip()
        line = _FOOTNOTE_REF.sub(r"(\1)", line)
        if line and not _is_furniture(line):
            lines.append(line + ("\u00ad" if soft else ""))
    while lines and _PAGE_NUMBER.match(lines[0]):
        lines.pop(0)
    while lines and _PAGE_NUMBER.match(lines[-1]):
        lines.pop()
    return lines


def _is_furniture(line: str) -> bool:
    """Running headers and print banners: never part of a provision."""
    if _OJ_HEADER.match(line) and _OJ_PAGE.search(line):
        return True
    return bool(_ELI_LINE.match(line) or _LEGIFRANCE_BANNER.match(line) or _URL_LINE.match(line))


def _drop_repeated_pages(pages: list[list[str]]) -> list[list[str]]:
    """Empty a page that repeats an earlier one word for word (a back cover); keeps page numbers."""
    seen: set[tuple[str, ...]] = set()
    out = []
    for lines in pages:
        key = tuple(lines)
        out.append([] if key and key in seen else lines)
        seen.add(key)
    return out


def _repair_hyphens(tagged: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Join words broken at line ends; the fragment moves up to the line where the word began.

    Whether the hyphen stays ("non-/EU" → "non-EU") or goes ("obliga-/tion" → "obligation") is
    decided by ``_join``. Returns the ``(page, line)`` pairs, emptied lines dropped.
    """
    vocabulary = _vocabulary([line for _, line in tagged])
    out: list[list] = [[page, line] for page, line in tagged]
    for i in range(len(out) - 1):
        end = _HYPHEN_END.search(out[i][1])
        first = _FIRST_WORD.match(out[i + 1][1])
        if not end or not first:
            continue
        joined = _join(end, first["word"], vocabulary)
        if joined is None:
            continue
        out[i][1] = out[i][1][: end.start()] + joined + first["tail"]
        out[i + 1][1] = out[i + 1][1][first.end() :]
    return [(page, line.rstrip("\u00ad")) for page, line in out if line.strip()]


def _vocabulary(lines: list[str]) -> set[str]:
    """Lower-cased words of the document, without the fragments around line-end hyphens."""
    words: set[str] = set()
    broken = False
    for line in lines:
        tokens = _WORD.findall(line)
        ends_broken = bool(_HYPHEN_END.search(line))
        words.update(t.lower() for t in tokens[int(broken) : len(tokens) - int(ends_broken)])
        broken = ends_broken
        if line.endswith("\u00ad"):
            words.add(_SOFT)
    return words


def _join(end: re.Match[str], tail: str, vocabulary: set[str]) -> str | None:
    """The word broken by ``end`` (a hyphen at a line end) and ``tail``; ``None`` leaves the lines.

    Soft hyphen: joined. Hard hyphen: the document's own spelling decides ("third-party" →
    kept, "obligation" → dropped); else it is kept after a prefix ("non-", "multi-") or a known
    word ("forest-dependent"), or when the document breaks words with soft hyphens (its hard
    hyphens are compounds); a fragment ("obliga-") is joined.
    """
    head = end["word"]
    hyphenated, solid = f"{head}-{tail}", head + tail
    if end["mark"] == "\u00ad":
        return solid
    if hyphenated.lower() in vocabulary:
        return hyphenated
    if end["space"]:
        return None  # "conflict -": a dash, unless the document knows the compound
    if solid.lower() in vocabulary:
        return solid
    if head.lower() in _PREFIXES or head.lower() in vocabulary or _SOFT in vocabulary:
        return hyphenated
    return solid if tail[:1].islower() else None


def _with_offsets(tagged: list[tuple[int, str]]) -> list[Line]:
    """``Line``s with offsets into the lines joined by newlines (see ``cleaned_text``)."""
    lines, offset = [], 0
    for page, text in tagged:
        lines.append(Line(text, page, offset, offset + len(text)))
        offset += len(text) + 1
    return lines


#: layout → walker over the cleaned lines of a PDF
WALKERS: dict[str, Walker] = {
    "oj": walk_oj,
    "ungp": walk_ungp,
    "legifrance": walk_legifrance,
    "sections": walk_sections,
    "proposal": walk_proposal,
    "paragraphs": walk_paragraphs,
}
