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
   ``UnitBuilder``: ``oj`` (recitals, articles, paragraphs, points, annexes, footnotes),
   ``ungp`` (principles and their commentaries), ``legifrance`` (one French code article),
   ``sections`` (numbered sections, shared with the text loader).

The heading grammar is ``kb.headings``; the walkers add the sequence guards (the next article,
recital, paragraph or point must be the expected one) and ignore quoted provisions inside an
amending article, so cross-references and inserted articles ("‘Article 19a") stay text.
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from collections.abc import Callable
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import FileNotDecryptedError, PyPdfError

from kb.errors import LoadError
from kb.headings import (
    Label,
    Line,
    classify,
    ends_clause,
    first_of,
    is_caps_line,
    is_next_article,
    point_styles,
    proper_case,
    successor,
)
from kb.loaders.text import walk_sections
from kb.models import DocRecord, FileRecord, Unit
from kb.structure import UnitBuilder

#: a layout walker: feeds the cleaned lines of one file to a ``LayoutBuilder``
Walker = Callable[[list[Line], UnitBuilder], None]

_PYPDF_ERRORS = (PyPdfError, ValueError, KeyError, IndexError, TypeError, zlib.error, OSError)
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
    walker = _walker(path.name, file.layout)
    lines = read_lines(path)
    builder = LayoutBuilder(record, path.name)
    walker(lines, builder)
    units = builder.build()
    if not units:
        raise LoadError(f"{path.name}: no provisions found with layout {file.layout!r}")
    return units


def _walker(name: str, layout: str | None) -> Walker:
    if layout not in WALKERS:
        raise LoadError(
            f"{name}: unknown layout {layout!r} for a PDF; supported: {', '.join(sorted(WALKERS))}"
        )
    return WALKERS[layout]


class LayoutBuilder(UnitBuilder):
    """The ``UnitBuilder`` the walkers get: plus ``clear_context`` (an annex must not inherit the
    last chapter of the enacting terms as its context).

    Workaround until ``kb.structure.UnitBuilder`` offers a way to drop context.
    """

    def clear_context(self) -> None:
        self._context = {}


# =========================================================================== extraction


def extract_pages(path: Path) -> list[str]:
    """The raw pypdf text of each page, in order (a list of strings, one per page).

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
        pages = _pypdf_pages(path)
    except FileNotDecryptedError:
        raise LoadError(f"{name}: PDF is encrypted and needs a password") from None
    except _PYPDF_ERRORS as exc:
        raise LoadError(
            f"{name}: unreadable or damaged PDF ({type(exc).__name__}: {exc})"
        ) from None
    if not any(page.strip() for page in pages):
        raise LoadError(f"{name}: PDF has no extractable text (scanned images?)")
    return pages


def _pypdf_pages(path: Path) -> list[str]:
    """pypdf text per page; raises pypdf's errors (translated by ``extract_pages``)."""
    reader = PdfReader(path, strict=False)
    if reader.is_encrypted and not reader.decrypt(""):
        raise FileNotDecryptedError("password required")
    if len(reader.pages) == 0:
        raise ValueError("document has no pages")
    return [page.extract_text() or "" for page in reader.pages]


def read_lines(path: Path) -> list[Line]:
    """The cleaned lines of a PDF, each with its page and its offsets in ``cleaned_text``.

    Furniture is dropped, text normalised and line-end hyphenation repaired (see module doc).
    """
    pages = _drop_repeated_pages([_clean_page(text) for text in extract_pages(path)])
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


# =========================================================================== layout: oj

_WHEREAS = re.compile(r"^Whereas\b")
_ADOPTED = re.compile(r"^HAVE ADOPTED THIS\b|^HAS ADOPTED THIS\b")
_FINAL_FORMULA = re.compile(
    r"^(?:This \w+|Articles? [\d\w ,]+?) shall be binding in (?:its entirety|their entirety)"
)
_DONE_AT = re.compile(r"^Done at [A-Z]")
_FOOTNOTE = re.compile(r"^\((\d{1,3})\) (.*)$")
_INLINE_REF = re.compile(r"(?<=\S) \((\d{1,3})\)")
_QUOTE_CLOSE = re.compile(r"’[;.]?$")
_SEPARATOR = re.compile(r"^_{5,}$")
_STAR_NOTE = re.compile(r"^\(\*+\) ")
_QUOTE_CLOSED_INLINE = re.compile(r"’(?:[;.,:)]|\s+[a-z(])")


def _split_footnotes(lines: list[Line]) -> tuple[list[Line], dict[int, str]]:
    """Separate OJ footnotes (the numbered block at the foot of each page) from the body.

    A page's trailing block counts as footnotes when it starts with the next footnote number,
    numbers run on by one and every number was referenced in the body before ("… Committee (1),").
    Returns the body lines and ``{number: footnote text}``.
    """
    pages: dict[int | None, list[Line]] = {}
    for line in lines:
        pages.setdefault(line.page, []).append(line)
    body: list[Line] = []
    notes: dict[int, str] = {}
    referenced: set[int] = set()
    for page_lines in pages.values():
        start = _footnote_block_start(page_lines, len(notes) + 1, referenced)
        for line in page_lines[:start]:
            referenced.update(int(n) for n in _INLINE_REF.findall(line.text))
        body += page_lines[:start]
        for line in page_lines[start:]:
            match = _FOOTNOTE.match(line.text)
            if match and int(match[1]) == len(notes) + 1:
                notes[int(match[1])] = match[2]
            elif notes:
                notes[len(notes)] += " " + line.text
    return body, notes


def _footnote_block_start(lines: list[Line], expected: int, referenced: set[int]) -> int:
    """Index of the first footnote line of a page, or ``len(lines)`` when it has none."""
    for i, line in enumerate(lines):
        match = _FOOTNOTE.match(line.text)
        if not match or int(match[1]) != expected:
            continue
        seen = referenced | {
            int(n) for earlier in lines[:i] for n in _INLINE_REF.findall(earlier.text)
        }
        numbers = [int(m[1]) for m in map(_FOOTNOTE.match, (x.text for x in lines[i:])) if m]
        if numbers == list(range(expected, expected + len(numbers))) and set(numbers) <= seen:
            return i
    return len(lines)


class _OjWalker:
    """Official Journal act: preamble, recitals, articles (paragraphs, points), final part, annexes.

    Units: ``rec-N`` (level 0), ``art-N`` (0) with ``par-N`` (1) and points (2, 3, …),
    ``annex-I`` (0) with ``part-X`` (1) and points. CHAPTER / SECTION titles go to the context.
    Inside an amending article, text between ‘ and ’ (inserted provisions) is never structure.
    """

    def __init__(self, lines: list[Line], builder: LayoutBuilder):
        self.b = builder
        self.body, self.notes = _split_footnotes(lines)
        self.phase = "preamble"
        self.recital = 0
        self.article: str | None = None
        self.annex: str | None = None
        self.par = 0
        self.points: list[tuple[str, str]] = []  # open points as (style, number), outermost first
        self.point_base = 2
        self.absorbing = False  # a restarted list (second "(a)") stays text until the next par
        self.in_quote = False
        self.quote_notes: list[str] | None = None  # footnotes of quoted text, after its "_____"
        self.pending: str | None = None  # "heading" | "chapter:<title>" | "section:<title>"
        self.prev: str | None = None
        self.title = False  # the current line is a heading or title
        self.next_note = 1

    def run(self) -> None:
        for line in self.body:
            self.title = False
            self._line(line)
            self.prev = None if self.title else line.text  # a label may follow a title

    def _line(self, line: Line) -> None:
        if self.pending and self._pending(line):
            self.title = True
            return
        if self.phase in ("articles", "annexes") and self._quoted(line):
            return
        getattr(self, f"_{self.phase}")(line)  # _preamble, _recitals, _articles, _closing, _annexes

    # -- phases -------------------------------------------------------------------------------

    def _preamble(self, line: Line) -> None:
        """Title and citations: no units; "Whereas:" starts the recitals."""
        if _WHEREAS.match(line.text):
            self.phase = "recitals"
        elif _ADOPTED.match(line.text):
            self.phase = "articles"

    def _recitals(self, line: Line) -> None:
        """ "(N) …" opens recital N when N is the next number; "HAVE ADOPTED" ends them."""
        if _ADOPTED.match(line.text):
            self.b.close_all()
            self.phase = "articles"
            return
        label = classify(line.text)
        number = str(self.recital + 1)
        if (
            label
            and label.kind == "paren"
            and label.number == number
            and ends_clause(self.prev, comma=True)
        ):
            self.recital += 1
            self.b.open(0, "rec", number, label=label.label, page=line.page, start=line.start)
            self._text(label.rest, line)
        else:
            self._text(line.text, line)

    def _articles(self, line: Line) -> None:
        """Enacting terms, until the final formula or "Done at" (signatures are dropped)."""
        text = line.text
        if _FINAL_FORMULA.match(text) or _DONE_AT.match(text):
            self.b.close_all()
            self.phase = "closing"
            return
        label = classify(text)
        if label and self._heading(label, line):
            return
        if label and self._structure(label, line):
            return
        self._text(text, line)

    def _closing(self, line: Line) -> None:
        """Signatures: dropped until an annex starts."""
        label = classify(line.text)
        if label and label.kind == "annex":
            self._heading(label, line)

    def _annexes(self, line: Line) -> None:
        """Annexes: parts ("PART A"), numbered points ("1."), lettered points."""
        label = classify(line.text)
        if label and self._heading(label, line):
            return
        if label and label.kind == "part":
            self.b.open(1, "part", label.number, page=line.page, start=line.start)
            self.pending, self.par, self.points, self.point_base = "heading", 0, [], 2
            self.title = True
            return
        if label and self._structure(label, line):
            return
        self._text(line.text, line)

    # -- headings -----------------------------------------------------------------------------

    def _heading(self, label: Label, line: Line) -> bool:
        """Article, annex, chapter and section headings (whole lines, in sequence)."""
        if label.kind == "article" and is_next_article(self.article, label.number):
            if self.phase != "articles" or not ends_clause(self.prev, titles=True):
                return False
            self.article = label.number
            self.b.open(0, "art", label.number, page=line.page, start=line.start)
        elif label.kind == "annex" and self._is_next_annex(label.number):
            self.annex, self.phase = label.number, "annexes"
            self.b.clear_context()
            self.b.open(0, "annex", label.number, page=line.page, start=line.start)
        elif label.kind in ("chapter", "section") and self.phase == "articles":
            rank = 0 if label.kind == "chapter" else 1
            if label.rest:  # "Chapitre V : Des sociétés anonymes"
                self.b.set_context(rank, label.label)
            else:  # "CHAPTER 1", its title on the next line
                self.pending = f"{label.kind}:{label.label}"
            self.title = True
            return True
        else:
            return False
        self.pending, self.par, self.points, self.absorbing = "heading", 0, [], False
        self.point_base = 1 if label.kind == "annex" else 2
        self.title = True
        return True

    def _is_next_annex(self, number: str) -> bool:
        """Sequence guard for annexes: "ANNEX" or "ANNEX I" first, then II, III … (or 2, 3 …)."""
        if self.annex is None:
            return number in ("", "I", "1", "A")
        if not number or not self.annex:
            return False
        if number.isdigit() and self.annex.isdigit():
            return int(number) == int(self.annex) + 1
        try:
            return number == successor(self.annex, "upper-roman")
        except ValueError:
            return False

    def _pending(self, line: Line) -> bool:
        """The line after a heading: the article/annex title or the chapter/section title."""
        pending, self.pending = self.pending, None
        if pending == "heading":
            if classify(line.text) or line.text.startswith("‘") or len(line.text) > 200:
                return False
            self.b.set_heading(line.text)
            return True
        kind, _, title = pending.partition(":")
        self.b.set_context(0 if kind == "chapter" else 1, f"{title} – {line.text}")
        return True

    # -- paragraphs and points ----------------------------------------------------------------

    def _structure(self, label: Label, line: Line) -> bool:
        """Open a paragraph ("1."), annex point ("1.") or point ("(a)", "(1)", "(iv)") in sequence."""
        if not ends_clause(self.prev) or (self.article is None and self.annex is None):
            return False
        if label.kind == "dot":
            return self._numbered(label, line)
        if label.kind == "paren" and not self.absorbing:
            return self._point(label, line)
        return False

    def _numbered(self, label: Label, line: Line) -> bool:
        """ "3.": a paragraph of an article or a point of an annex, if it is the next number."""
        if int(label.number) != self.par + 1:
            return False
        self.par, self.points, self.absorbing = self.par + 1, [], False
        kind, level = ("par", 1) if self.phase == "articles" else ("pt", self.point_base)
        self.b.open(level, kind, label.number, label=label.label, page=line.page, start=line.start)
        return self._rest(label, line)

    def _point(self, label: Label, line: Line) -> bool:
        """ "(a)", "(1)", "(iv)": a point, placed by the lists open above it."""
        choice = self._point_position(label.number)
        if choice is None:
            return False
        depth, style = choice
        self.points = [*self.points[:depth], (style, label.number)]
        base = 2 if self.phase == "articles" else self.point_base + (1 if self.par else 0)
        self.b.open(
            base + depth, "pt", label.number, label=label.label, page=line.page, start=line.start
        )
        return self._rest(label, line)

    def _point_position(self, number: str) -> tuple[int, str] | None:
        """Where a point label fits in the open list: ``(depth, style)``, or ``None`` (text)."""
        options = []
        styles_open = [style for style, _ in self.points]
        for style in point_styles(number):
            if style in styles_open:
                depth = styles_open.index(style)
                if successor(self.points[depth][1], style) == number:
                    options.append((depth, style))
                elif number == first_of(style):
                    self.absorbing = True  # a second list in the same paragraph
            elif number == first_of(style):
                options.append((len(self.points), style))
        if not options:
            return None
        if len(options) > 1 and (self.prev or "").rstrip().endswith(":"):
            return max(options)  # "(i)" after "…:" opens a sub-list
        return min(options)

    def _rest(self, label: Label, line: Line) -> bool:
        self._text(label.rest, line)
        return True

    # -- text, quotes, footnotes --------------------------------------------------------------

    def _quoted(self, line: Line) -> bool:
        """Track text quoted by an amending provision (‘…’); quoted lines are always text.

        The footnotes of an inserted provision ("_____", then "(*) OJ L …") become footnotes.
        """
        text = line.text
        if self.in_quote:
            self.in_quote = not _QUOTE_CLOSE.search(text)
            if _SEPARATOR.match(text) or self.quote_notes is not None:
                self._quote_note(text, line)
            else:
                self._text(text, line)
            return True
        if (
            text.startswith("‘")
            and not _QUOTE_CLOSED_INLINE.search(text)
            and not _QUOTE_CLOSE.search(text)
        ):
            self.in_quote = True
            self._text(text, line)
            return True
        return False

    def _quote_note(self, text: str, line: Line) -> None:
        """Collect the footnotes of quoted text; each starts with "(*)", "(**)" …"""
        notes = self.quote_notes = [] if _SEPARATOR.match(text) else self.quote_notes or []
        if _STAR_NOTE.match(text) or (notes == [] and not _SEPARATOR.match(text)):
            notes.append(text)
        elif notes:
            notes[-1] += " " + text
        self.b.add_text("", end=line.end)
        if not self.in_quote:
            for note in notes:
                self.b.add_footnote(_QUOTE_CLOSE.sub("", note))
            self.quote_notes = None

    def _text(self, text: str, line: Line) -> None:
        """Add a line to the open provision; attach the footnotes it references."""
        self.b.add_text(text if text.strip("_ ") else "", end=line.end)
        for number in (int(n) for n in _INLINE_REF.findall(text)):
            if number in self.notes and self.next_note <= number <= self.next_note + 3:
                self.b.add_footnote(f"({number}) {self.notes[number]}")
                self.next_note = number + 1


def _walk_oj(lines: list[Line], builder: LayoutBuilder) -> None:
    _OjWalker(lines, builder).run()


# =========================================================================== layout: ungp

_PILLAR = re.compile(r"^([IVX]{1,4})\.\s+(.*)$")
_GROUP = re.compile(r"^([A-F])\.\s+(.*)$")
_TRAILING_PAGE = re.compile(r"\s\d{1,3}$")
_UNGP_KEEP = ("State", "States")  # capitalised in the UNGPs wherever they occur


class _UngpWalker:
    """UN Guiding Principles: ``principle-N`` (level 0) each with ``principle-N.commentary`` (1).

    Pillar ("I. THE STATE DUTY …") and group ("A. FOUNDATIONAL PRINCIPLES") titles go to the
    context, ranks 0 and 1; an operational sub-heading in capitals ("POLICY COMMITMENT") becomes
    the heading of the principles that follow it, until the next title. Titles are set in small
    caps in the PDF and are put back into sentence case. Table-of-contents lines (a title ending
    with a page number) are skipped.
    """

    def __init__(self, lines: list[Line], builder: LayoutBuilder):
        self.lines = lines
        self.b = builder
        self.principle = 0
        self.heading = ""
        self.commentary = False
        self.prev: str | None = None

    def run(self) -> None:
        i = 0
        while i < len(self.lines):
            line = self.lines[i]
            block = self._caps_block(i)
            if block:
                self._title(block, i + len(block))
                i += len(block)
                self.prev = block[-1].text
                continue
            self._line(line)
            self.prev = line.text
            i += 1

    def _caps_block(self, i: int) -> list[Line]:
        """Consecutive capital lines starting at ``i`` (a title, possibly wrapped)."""
        block: list[Line] = []
        for line in self.lines[i:]:
            label = classify(line.text)
            if not is_caps_line(line.text) or (label and label.kind == "dot"):
                break
            if block and (_PILLAR.match(line.text) or _GROUP.match(line.text)):
                break
            block.append(line)
            if _GROUP.match(line.text):
                break  # "A. FOUNDATIONAL PRINCIPLES" is one line; what follows is a sub-heading
        return block

    def _title(self, block: list[Line], after: int) -> None:
        """A block of capital lines: pillar/group title (context) or sub-heading (heading)."""
        text = " ".join(line.text for line in block)
        text = re.sub(r"(?<=[A-Za-z]) ?- (?=[A-Za-z])", "-", text)
        if _TRAILING_PAGE.search(text):
            return  # table of contents
        for rank, pattern in ((0, _PILLAR), (1, _GROUP)):
            if pattern.match(text):
                self.b.set_context(rank, proper_case(text, _UNGP_KEEP))
                self.heading = ""
                return
        if after < len(self.lines) and self._principle_label(self.lines[after].text, text):
            self.heading = proper_case(text, _UNGP_KEEP)
        else:
            for line in block:
                self.b.add_text(line.text, end=line.end)

    def _principle_label(self, text: str, prev: str | None) -> Label | None:
        """The label of the next principle ("12. …" after the end of a clause or a title)."""
        label = classify(text)
        expected = str(self.principle + 1)
        if (
            label
            and label.kind == "dot"
            and label.number == expected
            and ends_clause(prev, titles=True)
        ):
            return label
        return None

    def _line(self, line: Line) -> None:
        label = self._principle_label(line.text, self.prev)
        if label:
            self.principle += 1
            self.commentary = False
            self.b.open(
                0,
                "principle",
                label.number,
                heading=self.heading,
                label=label.label,
                page=line.page,
                start=line.start,
            )
            self.b.add_text(label.rest, end=line.end)
        elif line.text == "Commentary" and self.principle and not self.commentary:
            self.commentary = True
            self.b.open(1, "commentary", "", page=line.page, start=line.start)
        else:
            self.b.add_text(line.text, end=line.end)


def _walk_ungp(lines: list[Line], builder: LayoutBuilder) -> None:
    _UngpWalker(lines, builder).run()


# =========================================================================== layout: legifrance

_VERSION = re.compile(r"^(?:Version en vigueur|Modifié par|Création|Abrogé)\b")
_BREADCRUMB = re.compile(
    r"^(?P<kind>Partie|LIVRE|Livre|TITRE|Titre|CHAPITRE|Chapitre|Section|Sous-section|Paragraphe)"
    r"\b"
)
_BREADCRUMB_RANKS = {"partie": 1, "livre": 2, "titre": 3, "chapitre": 4, "section": 5}
_BREADCRUMB_RANKS |= {"sous-section": 6, "paragraphe": 7}
_RANGE = re.compile(r"\s*\(Articles? [^)]*\)\s*$")
_NOTA = re.compile(r"^NOTA\s*:?\s*(.*)$")


class _LegifranceWalker:
    """A Légifrance article printout: code name, article title, version notes, breadcrumb, body.

    Units: ``art-L225-102-1`` (level 0) with ``par-I``/``par-II`` ("I.-", level 1) and the
    numbered items ``pt-1`` … ("1°", level 1, so ``art-L225-102-1.pt-4`` as the French code cites
    it). The code name, breadcrumb (ranges "(Articles … à …)" dropped) and version notes go to the
    context; the NOTA becomes a footnote of the article. Editorial notes in the body, such as the
    Conseil constitutionnel censure "[Dispositions déclarées non conformes …]", stay text.
    Alinéas after a list of items stay in the last item (the builder cannot reopen ``par-I``).
    """

    def __init__(self, lines: list[Line], builder: LayoutBuilder):
        self.b = builder
        self.lines, self.nota = _split_nota(lines)
        self.article: str | None = None
        self.title_line: Line | None = None  # the last "Article L…" line before the text
        self.opened = False
        self.crumb: list[str] = []
        self.versions: list[str] = []
        self.roman: str | None = None
        self.item = 0
        self.prev: str | None = None

    def run(self) -> None:
        for i, line in enumerate(self.lines):
            if not self.opened and self._header(i, line):
                continue
            if not self.opened:
                self._open(line)
            self._body(line)
            self.prev = line.text

    def _header(self, i: int, line: Line) -> bool:
        """Lines before the body: code name, article title, versions, breadcrumb."""
        text = line.text
        label = classify(text)
        if label and label.kind == "article":
            self.article, self.title_line = label.number, line
        elif i == 0:
            self.b.set_context(0, text)
        elif _VERSION.match(text):
            if text not in self.versions:
                self.versions.append(text)
        elif _BREADCRUMB.match(text) or (
            self.crumb and self.crumb[-1].count("(") > self.crumb[-1].count(")")
        ):
            self._crumb(text)
        else:
            return False
        return True

    def _crumb(self, text: str) -> None:
        if self.crumb and self.crumb[-1].count("(") > self.crumb[-1].count(")"):
            self.crumb[-1] += " " + text
        else:
            self.crumb.append(text)

    def _open(self, line: Line) -> None:
        """Open the article at its first body line, with the header lines as context."""
        if self.article is None:
            raise LoadError(f"{self.b.source_file}: no 'Article …' title before the text")
        for crumb in self.crumb:
            kind = _BREADCRUMB.match(crumb)["kind"].lower()
            self.b.set_context(_BREADCRUMB_RANKS[kind], _RANGE.sub("", crumb))
        if self.versions:
            self.b.set_context(9, " – ".join(self.versions))
        title = self.title_line or line
        self.b.open(0, "art", self.article, page=title.page, start=title.start)
        if self.nota:
            self.b.add_footnote(f"NOTA : {self.nota}")
        self.opened = True

    def _body(self, line: Line) -> None:
        """ "I.-"/"II.-" parts and "1°" items (each the next in sequence); anything else is text."""
        label = classify(line.text)
        if (
            label
            and label.kind == "roman"
            and self._next_roman(label.number)
            and ends_clause(self.prev)
        ):
            self.roman, self.item = label.number, 0
            self.b.open(1, "par", label.number, label=label.label, page=line.page, start=line.start)
            self.b.add_text(label.rest, end=line.end)
        elif (
            label
            and label.kind == "degree"
            and int(label.number) == self.item + 1
            and ends_clause(self.prev)
        ):
            self.item += 1
            self.b.open(1, "pt", label.number, label=label.label, page=line.page, start=line.start)
            self.b.add_text(label.rest, end=line.end)
        else:
            self.b.add_text(line.text, end=line.end)

    def _next_roman(self, number: str) -> bool:
        return number == ("I" if self.roman is None else successor(self.roman, "upper-roman"))


def _split_nota(lines: list[Line]) -> tuple[list[Line], str]:
    """The lines before "NOTA :" and the NOTA text (empty when there is none)."""
    for i, line in enumerate(lines):
        match = _NOTA.match(line.text)
        if match:
            return lines[:i], " ".join([match[1], *(x.text for x in lines[i + 1 :])]).strip()
    return lines, ""


def _walk_legifrance(lines: list[Line], builder: LayoutBuilder) -> None:
    _LegifranceWalker(lines, builder).run()


#: layout → walker over the cleaned lines of a PDF
WALKERS: dict[str, Walker] = {
    "oj": _walk_oj,
    "ungp": _walk_ungp,
    "legifrance": _walk_legifrance,
    "sections": walk_sections,
}
