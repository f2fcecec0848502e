"""Loader for laws in Markdown ("markdown-law"): open-data conversions of statutes and codes.

Markdown conversions of laws come in many house styles. This loader reads them with one grammar
of provision numbers rather than with per-file rules:

- **Provision headings**, as a Markdown heading or a bold marker: ``## § 1 Anwendungsbereich``,
  ``**Art. 1** Objet``, ``### Artikel 3``, ``# Article 1er``, ``## Section 54``, or a bare number
  under a heading (``#### Transparency in supply chains etc`` then ``##### 54``, the
  legislation.gov.uk style). ``§``/``Section`` give ``sec-N``, the others ``art-N``.
- **Run-together conversions** (the Swiss Fedlex Markdown glues margin title, article number and
  paragraph number: ``A. GrundsatzArt. 964a1 Unternehmen …:1. Gesellschaften …``): an inline
  ``Art. N`` starting a line or glued to the preceding word opens an article; the sequence of
  article numbers decides how ``964a1``/``9621`` split into article and first paragraph (the
  reading whose article number follows the previous one wins; a glued paragraph is always 1).
  The words glued before the marker are its margin title (the heading).
- **Inside a provision**, numbered paragraphs ``(1)``, ``1`` and points ``(a)``, ``a.``, ``1.``,
  ``(i)`` are found by the same sequence grammar wherever they stand — at a line start or glued
  after ``:``/``;``/``,`` — only when they are the next number expected at some open level (or
  the first of a new list after a colon), so cross-references ("Absatz 1", "Art. 2 Buchst. c")
  and amounts stay text. ``(i)`` is a letter after ``(h)``, else a Roman numeral.
- Lines indented by two or more tabs are footnotes (the Fedlex conversion interleaves them where
  the footnote mark was); they go to the provision's footnotes, never into its text.
- ``FileRecord.extract`` (``{"from": "art-964a", "to": "art-964l"}``) keeps only a range of the
  document's top-level provisions, so that a document can contribute part of a code.

Headings of grouping levels (``## PART 6 — …``, ``#### Chapitre 1 …``, "Sechster Abschnitt: …")
become the context of the provisions below them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from kb.errors import LoadError
from kb.ingest.structure import UnitBuilder
from kb.models import DocRecord, FileRecord, Unit
from kb.numbering import normalise_number

_FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_NUM = r"(\d+[a-z]{0,6}|premier|1er)"
_PROVISION = re.compile(
    rf"^(?:\*\*)?\s*(?P<word>§|Art\.|Artikel|Article|Art|Section|Sec\.|s\.)\s*{_NUM}\s*(?:\*\*)?"
    r"(?P<rest>.*)$",
    re.I,
)
_BARE_NUMBER = re.compile(r"^(\d+[A-Z]{0,3})$")
_GROUP = re.compile(
    r"^(PART|Part|Chapter|CHAPTER|Chapitre|Titre|Kapitel|Abschnitt|Section|Kapittel|Teil|Title|"
    r"\d+\.\s*Abschnitt|[A-Z][a-zäöü]+ter Abschnitt|[A-Z][a-zäöü]+r Abschnitt)\b"
)
_INLINE_ART = re.compile(
    r"(?:(?<=^)|(?<=[^\d(]))Art\.\s?(\d+[a-z]{0,6})(?=[\s\dA-ZÄÖÜÉÈÀ«]|$)", re.M
)
_GLUED_MARKER = re.compile(r"[^\s\d(*]Art\.\s?\d|^\t?Art\.\s?\d")
_GLUED_TITLE = re.compile(
    r"(?:^|(?<=[a-zäöüéèàç»).])|(?<=[.;:] ))((?:[A-Z]|[IVX]{1,4}|\d{1,2})\.\s[^.:;]{1,120}?)$"
)
_SECTION_TITLE = re.compile(
    r"((?:[A-ZÄÖÜ][a-zäöü]+ter|[A-ZÄÖÜ][a-zäöü]+r|\d+\.)\s(?:Abschnitt|Titel|Kapitel)\s*:?|"
    r"(?:Section|Chapitre|Titre)\s\d+\w*\s*:?)"
)
_FOOTNOTE_LINE = re.compile(r"^\t{2,}|^ {8,}")
_BULLET = re.compile(r"^[-*+]\s+")
_SENTENCE_END = ".;:,)»”"
_ROMAN_SEQ = ("i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii")


def load(path: Path, record: DocRecord, file: FileRecord) -> list[Unit]:
    """Parse a Markdown law into units (``art-N``/``sec-N`` with ``par``/``pt`` below).

    Raises ``LoadError`` naming the file for undecodable input, no provisions, or an extract
    range whose first or last provision does not occur.
    """
    name = path.name
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise LoadError(f"{name}: not UTF-8 ({exc.reason} at byte {exc.start})") from None
    text = _FRONT_MATTER.sub("", text.replace("\r\n", "\n").replace("\r", "\n"), count=1)
    units = parse_text(text, record, file, name)
    if not units:
        raise LoadError(
            f"{name}: no provision headings (§ 1, Art. 1, Section 1, ##### 1) found",
            code="no_provisions",
            file=name,
        )
    return units


def parse_text(text: str, record: DocRecord, file: FileRecord, name: str) -> list[Unit]:
    """The units of a law's text by the numbering grammar above (no units: an empty list);
    offsets point into ``text``. Also reads the columns of a bilingual PDF."""
    blocks = _provisions(text)
    if not blocks:
        return []
    blocks = _extract(name, blocks, file.extract)
    builder = UnitBuilder(record, file.name or name)
    for block in blocks:
        for rank, title in block.context:
            builder.set_context(rank, title)
        try:
            builder.open(0, block.kind, block.number, heading=block.heading, start=block.start)
        except LoadError:
            continue  # the same number again (a repealed article restated): keep the first
        for note in block.footnotes:
            builder.add_footnote(note)
        _Body(builder).feed(block.body)
    return builder.build()


# --------------------------------------------------------------------------- provisions


@dataclass
class _Block:
    kind: str
    number: str
    heading: str
    start: int
    body: list[str]
    footnotes: list[str]
    context: list[tuple[int, str]]

    @property
    def unit_id(self) -> str:
        return f"{self.kind}-{self.number}"


def _provisions(text: str) -> list[_Block]:
    """Split the document into top-level provisions, with their body lines and footnotes."""
    blocks: list[_Block] = []
    pending_heading = ""
    context: list[tuple[int, str]] = []
    offset = 0
    pending: list[str] = []
    for line in text.split("\n"):
        start, offset = offset, offset + len(line) + 1
        if not line.strip():
            continue
        if _FOOTNOTE_LINE.match(line):
            if blocks:
                blocks[-1].footnotes.append(line.strip())
            continue
        plain = _PROVISION.match(line.strip()) if not line.startswith("\t") else None
        if plain and not line.lstrip().startswith(("**", "#")) and _is_plain_heading(plain, blocks):
            kind, number, rest = _kind_number(plain)
            blocks.append(
                _Block(kind, number, _clean_heading(rest, number), start, [], [], context)
            )
            context = []
            continue
        if _GLUED_MARKER.search(line) or line.startswith("\t"):
            _inline_articles(line, start, blocks, pending)
            continue
        heading = _MD_HEADING.match(line)
        if heading:
            title = heading.group(2).strip().strip("*").strip()
            level = len(heading.group(1))
            provision = _PROVISION.match(title)
            bare = _BARE_NUMBER.match(title)
            if provision:
                kind, number, rest = _kind_number(provision)
                blocks.append(
                    _Block(kind, number, _clean_heading(rest, number), start, [], [], context)
                )
                context, pending_heading = [], ""
            elif bare:
                kind = "sec"
                blocks.append(_Block(kind, bare.group(1), pending_heading, start, [], [], context))
                context, pending_heading = [], ""
            elif _GROUP.match(title) or level <= 2:
                context = [*context, (level, title)]
                pending_heading = ""
            else:
                pending_heading = title
            continue
        bold = _PROVISION.match(line.strip()) if line.lstrip().startswith("**") else None
        if bold:
            kind, number, rest = _kind_number(bold)
            blocks.append(
                _Block(kind, number, _clean_heading(rest, number), start, [], [], context)
            )
            context = []
            continue
        plain = _PROVISION.match(line.strip())
        if plain and _is_plain_heading(plain, blocks):
            kind, number, rest = _kind_number(plain)
            blocks.append(
                _Block(kind, number, _clean_heading(rest, number), start, [], [], context)
            )
            context = []
            continue
        if blocks:
            blocks[-1].body.append(line.strip())
    return blocks


def _is_plain_heading(match: re.Match, blocks: list[_Block]) -> bool:
    """A plain-text line such as "Article 1er Objet" or "§ 2 Scope" (pasted or TXT text): a short
    title that is not a sentence, numbered after the previous provision of its kind."""
    rest = match.group("rest").strip()
    if len(rest) > 120 or rest.endswith((".", ";", ",")) or (rest and rest[0].islower()):
        return False
    kind, number, _ = _kind_number(match)
    previous = next((b.number for b in reversed(blocks) if b.kind == kind), None)
    return previous is None or _follows(previous, number)


def _kind_number(match: re.Match) -> tuple[str, str, str]:
    word = match.group("word").lower()
    number = match.group(2)
    number = "1" if number.lower() in ("premier", "1er") else number
    kind = "sec" if word in ("§", "section", "sec.", "s.") else "art"
    return kind, number, match.group("rest")


def _clean_heading(rest: str, number: str) -> str:
    """``"Art. 1 Objet"`` after ``**Art. 1**`` → ``"Objet"`` (a doubled marker is dropped)."""
    rest = rest.strip().strip("*").strip()
    rest = re.sub(rf"^(?:§|Art\.|Artikel|Article)\s*{re.escape(number)}\b\s*", "", rest, flags=re.I)
    return rest.strip(" .—–-")


def _number_key(number: str) -> tuple[int, str]:
    digits = re.match(r"\d+", number)
    return (int(digits.group()) if digits else -1, number[digits.end() if digits else 0 :])


def _follows(previous: str | None, number: str) -> bool:
    """Whether article ``number`` can come after ``previous`` in a code (same or higher)."""
    if previous is None:
        return True
    return _number_key(number) > _number_key(previous)


def _inline_articles(line: str, start: int, blocks: list[_Block], pending: list[str]) -> bool:
    """A run-together line: split it at inline ``Art. N`` markers (sequence-checked).

    Text before the first marker continues the previous article, unless it is only grouping
    titles ("Sechster Abschnitt:"), which go to ``pending`` as context of the next article.
    Returns whether the line held an article marker.
    """
    cursor = 0
    found = False
    body = line.strip("\t ").lstrip("#").strip()
    for match in _INLINE_ART.finditer(body):
        previous = blocks[-1].number if blocks and blocks[-1].kind == "art" else None
        number, glued = _split_glued(match.group(1), previous)
        if number is None:
            continue
        if match.start() and body[match.start() - 1].isspace():
            # "E. Tenue et conservation Art. 964h": only after a margin title, never after a
            # sentence's words ("gemäss Art. 5" is a cross-reference)
            if not _GLUED_TITLE.search(body[cursor : match.start()].rstrip()):
                continue
        heading, titles, before = _split_titles(body[cursor : match.start()])
        if blocks and before.strip():
            blocks[-1].body.append(before.strip())
        context = [(3, t) for t in [*pending, *titles]]
        pending.clear()
        blocks.append(_Block("art", number, heading, start + match.start(), [], [], context))
        cursor = match.end(1) - len(glued)
        found = True
    tail = body[cursor:].strip()
    if not tail:
        return found
    if cursor == 0:
        heading, titles, rest = _split_titles(tail)
        if titles and not rest.strip() and not heading:
            pending.extend(titles)
            return found
    # a grouping title glued after the last sentence ("… sinngemäss.Siebter Abschnitt:")
    section = _SECTION_TITLE.search(tail)
    if section and section.start() > 0 and tail[section.start() - 1] in ".;:":
        pending.append(tail[section.start() :].strip())
        tail = tail[: section.start()]
    if blocks and tail.strip():
        blocks[-1].body.append(tail.strip())
    return found


def _split_glued(raw: str, previous: str | None) -> tuple[str | None, str]:
    """``"964a1"`` → ``("964a", "1")``; ``"9621"`` → ``("962", "1")`` when 962 follows the
    previous article and 9621 does not; ``None`` when no reading follows the previous article."""
    readings: list[tuple[str, str]] = []
    letters = re.match(r"^(\d+[a-z]+)(\d+)$", raw)
    if letters:
        readings.append((letters.group(1), letters.group(2)))
    else:
        readings.append((raw, ""))
        if len(raw) > 1 and raw.endswith("1") and raw[:-1].isdigit():
            readings.append((raw[:-1], "1"))
    readings = [(n, g) for n, g in readings if g in ("", "1")]
    if previous is not None:
        ordered = [r for r in readings if _follows(previous, r[0])]
        # the reading closest to the previous article wins (9621 after 961 is 962 + par 1)
        ordered.sort(key=lambda r: _number_key(r[0]))
        readings = ordered
    else:
        readings.sort(key=lambda r: (r[1] == "", _number_key(r[0])))
    if not readings:
        return None, ""
    number, glued = readings[0]
    return number, glued


def _split_titles(before: str) -> tuple[str, list[str], str]:
    """Text glued before an article marker: ``"…Vereinsmitglieder.Vierter Abschnitt: X A. Im
    Allgemeinen"`` → heading ``"A. Im Allgemeinen"``, section titles, and the text before them."""
    heading = ""
    titles: list[str] = []
    match = _GLUED_TITLE.search(before)
    if match:
        heading = match.group(1).strip()
        before = before[: match.start(1)]
    section = _SECTION_TITLE.search(before)
    if section:
        head_start = section.start()
        end_of_text = max(before.rfind(c, 0, head_start) for c in ".;:")
        if end_of_text >= 0 or head_start == 0:
            titles.append(before[head_start:].strip())
            before = before[:head_start]
    elif before and not re.search(r"[.;:!?»)]\s*$", before) and len(before) < 160:
        # a group title without "Abschnitt" (a continuation line of one): keep it as context
        end = max(before.rfind(c) for c in ".;:")
        if end < 0:
            titles.append(before.strip())
            before = ""
    return heading, titles, before


def _extract(name: str, blocks: list[_Block], extract: dict | None) -> list[_Block]:
    if not extract:
        return blocks
    ids = [b.unit_id for b in blocks]
    first, last = extract["from"], extract["to"]
    for wanted in (first, last):
        if wanted not in ids:
            raise LoadError(f"{name}: extract range: provision {wanted!r} not found")
    i, j = ids.index(first), ids.index(last)
    if j < i:
        raise LoadError(f"{name}: extract range: {last!r} comes before {first!r}")
    # grouping headings seen before the range still apply to its provisions
    context: list[tuple[int, str]] = []
    for block in blocks[: i + 1]:
        context = block.context or context
    kept = blocks[i : j + 1]
    kept[0].context = kept[0].context or context
    return kept


# --------------------------------------------------------------------------- body grammar


class _Body:
    """Paragraphs and points of one provision, found by the sequence grammar.

    Levels: 1 = paragraph (``(1)`` or ``1``), 2.. = points. Each open list remembers its style
    (``(a)``, ``a.``, ``1.``, ``(i)``) and the next label it expects.
    """

    def __init__(self, builder: UnitBuilder):
        self.builder = builder
        self.paragraph: str | None = None  # style of paragraph numbers: "(1)" or "1"
        self.next_par = 1
        self.lists: list[tuple[str, str]] = []  # (style, next label) per open point level

    def feed(self, lines: list[str]) -> None:
        for line in lines:
            line = _BULLET.sub("", line.strip())
            self._line(line)

    def _line(self, line: str) -> None:
        pos = 0
        first = True
        while pos < len(line):
            found = self._next_marker(line, pos, at_line_start=first)
            if found is None:
                self.builder.add_text(line[pos:])
                return
            start, end, kind, label = found
            if start > pos:
                self.builder.add_text(line[pos:start])
            self._open(kind, label)
            pos = end
            first = False

    # -- markers

    def _candidates(self) -> list[tuple[str, str, str]]:
        """(kind, style, label) the grammar accepts next, innermost level first."""
        out: list[tuple[str, str, str]] = []
        for depth in range(len(self.lists) - 1, -1, -1):
            style, label = self.lists[depth]
            out.append((f"pt{depth}", style, label))
        for style in ("(a)", "a.", "a)", "1.", "(i)"):
            if not self.lists or style not in (s for s, _ in self.lists):
                first = {"(a)": "a", "a.": "a", "a)": "a", "1.": "1", "(i)": "i"}[style]
                out.append(("new", style, first))
        par_styles = [self.paragraph] if self.paragraph else ["(1)", "1"]
        for style in par_styles:
            out.append(("par", style, str(self.next_par)))
        return out

    def _next_marker(self, line: str, pos: int, at_line_start: bool):
        best = None
        for kind, style, label in self._candidates():
            pattern = _marker_pattern(style, label)
            for match in pattern.finditer(line, pos):
                s = match.start()
                line_start = s == pos and at_line_start
                before = line[:s].rstrip()
                glued_ok = bool(before) and before[-1] in _SENTENCE_END
                if kind == "new" and not (line_start or before.endswith(":")):
                    continue
                if (
                    kind == "par"
                    and style == "1"
                    and not (line_start or before.endswith((".", ":")))
                ):
                    continue
                if kind == "par" and style == "(1)" and not line_start:
                    continue
                if kind == "par" and self.paragraph and style != self.paragraph:
                    continue
                if not (line_start or glued_ok or _glued_word(before, style)):
                    continue
                if best is None or s < best[0]:
                    tag = {"new": f"new:{style}", "par": f"par:{style}"}.get(kind, kind)
                    best = (s, match.end(), tag, label)
                break
        return best

    def _open(self, kind: str, label: str) -> None:
        if kind.startswith("par:"):
            self.paragraph = self.paragraph or kind[4:]
            self.builder.open(1, "par", label, label=_par_label(self.paragraph, label))
            self.next_par = int(label) + 1
            self.lists = []
            return
        if kind.startswith("new:"):
            style = kind[4:]
            self.lists.append((style, label))
            depth = len(self.lists) - 1
        else:
            depth = int(kind[2:])
            style = self.lists[depth][0]
            self.lists = self.lists[: depth + 1]
        level = 2 + depth
        number = normalise_number(label)
        self.builder.open(level, "pt", number, label=_pt_label(style, label))
        self.lists[depth] = (style, _successor(style, label))


def _glued_word(before: str, style: str) -> bool:
    """``"oder2."`` / ``"und b."``: a point label glued to or following a conjunction."""
    return bool(re.search(r"(?:oder|und|ou|et|or|and|sowie)\s?$", before)) and style in ("1.", "a.")


_PATTERNS: dict[tuple[str, str], re.Pattern] = {}


def _marker_pattern(style: str, label: str) -> re.Pattern:
    key = (style, label)
    if key not in _PATTERNS:
        esc = re.escape(label)
        if style in ("(a)", "(i)", "(1)"):
            regex = rf"\({esc}\)\s+"
        elif style == "1":
            regex = rf"(?<![\d,/–-]){esc}\s+(?=[A-ZÄÖÜÉÈÀÇ«„\"“(])"
        elif style == "1.":
            regex = rf"(?<![\d./–-]){esc}\.\s+"
        elif style == "a)":
            regex = rf"(?<![\w./–(-]){esc}\)\s+"
        else:  # "a."
            regex = rf"(?:(?<![\w./–-])|(?<=und)|(?<=oder)|(?<=\set)|(?<=\sou)){esc}\.\s+"
        _PATTERNS[key] = re.compile(regex)
    return _PATTERNS[key]


def _successor(style: str, label: str) -> str:
    if style == "(i)":
        i = _ROMAN_SEQ.index(label) if label in _ROMAN_SEQ else -1
        return _ROMAN_SEQ[i + 1] if 0 <= i < len(_ROMAN_SEQ) - 1 else "?"
    if label.isdigit():
        return str(int(label) + 1)
    if len(label) == 1 and label.isalpha():
        return chr(ord(label) + 1)
    return "?"


def _par_label(style: str, label: str) -> str:
    return f"({label})" if style == "(1)" else label


def _pt_label(style: str, label: str) -> str:
    if style.startswith("("):
        return f"({label})"
    return f"{label}{style[-1]}"
