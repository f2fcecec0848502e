"""Loader for EUR-Lex HTML: Official Journal acts (CONVEX XHTML) and consolidated texts.

``load(path, record, file) -> list[Unit]`` handles both formats with one walker:

- ``eurlex-xhtml``: the act as published in the OJ (classes ``oj-ti-art``, ``oj-sti-art``,
  ``oj-normal``; ELI divisions ``rct_N``, ``art_N``, paragraph divisions ``NNN.MMM``; points as
  two- or three-column tables). Amending acts quote replacement text: quoted articles, paragraphs
  and points stay text of the amending provision that quotes them.
- ``eurlex-consolidated``: the consolidated text (``title-article-norm``, ``no-parag``,
  ``grid-list``). Amendment markers (``modref`` ▼M1/▼M2/▼C1) mark every unit of the block they
  start, up to the next ▼. A ``DELETED`` marker becomes a unit with status ``deleted`` whose
  number is inferred from the numbering gap (at the end of a list: the next number).

Units: recitals ``rec-N``; articles ``art-N`` with their heading; numbered paragraphs ``par-N``;
points ``pt-a`` (nested ``pt-a.pt-i``); the annex ``annex`` / ``annex-I`` with ``part-``, ``sec-``
and ``pt-`` below. Unnumbered subparagraphs are text of their provision, in reading order (also
when they follow its points). Footnote references are removed from the text; the footnote goes to
the unit that cites it. ``start``/``end`` are offsets of source-line starts in the decoded file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from kb.errors import LoadError
from kb.ingest.loaders.guard import XML_DECLARATION, check_depth, declared_encoding
from kb.ingest.structure import UnitBuilder, clean_text
from kb.models import DocRecord, FileRecord, Unit
from kb.numbering import int_to_roman, roman_to_int

_BLOCK = frozenset(
    "p div table thead tbody tr td th ul ol li dl dt dd hr h1 h2 h3 h4 h5 h6 blockquote "
    "col colgroup img".split()
)
_SKIP = frozenset({"hr", "col", "colgroup", "img", "br", "script", "style"})
_NOTE = frozenset({"oj-note", "footnote"})
_ART_TITLE = frozenset({"oj-ti-art", "title-article-norm"})
_ART_HEADING = frozenset({"oj-sti-art", "stitle-article-norm", "eli-title"})
_GROUP_TITLE = frozenset(
    {"oj-ti-section-1", "oj-ti-section-2", "title-division-1", "title-division-2", "eli-title"}
)
_ANNEX_TITLE = frozenset({"oj-doc-ti", "title-annex-1", "title-annex-2"})
_ANNEX_GROUP = frozenset(
    {"oj-ti-grseq-1", "oj-ti-grseq-2", "title-gr-seq-level-1", "title-gr-seq-level-2"}
)

_LATIN = ("bis", "ter", "quater", "quinquies", "sexies", "septies", "octies", "nonies", "decies")
_LATIN_RE = "|".join(_LATIN)
_NUM = rf"\d{{1,3}}(?:\s?(?:{_LATIN_RE})\b|[a-z]{{0,2}})"
_LATIN_SUFFIX = re.compile(rf"^(\w+?)\s?({_LATIN_RE})$")
_RCT_ID = re.compile(r"^rct_(\d+)$")
_ART_ID = re.compile(r"^art_(\d+[a-z]*)$")
_GROUP_ID = re.compile(r"^(?:cpt|tis|prt)_[^.]+(?:\.(?:sct|sbs|cpt)_[^.]+)*$")
_PAR_ID = re.compile(r"^\d{3}[A-Z]*\.\d{3}$")
_ARTICLE = re.compile(
    rf"^(?:Article|Artikel|Articolo|Artículo|Artigo)\s+(premier|first|1er|{_NUM})$", re.I
)
_ANNEX = re.compile(r"^(?:ANNEX|ANNEXE|ANHANG|BIJLAGE|ALLEGATO|ANEXO)(?:\s+([IVXLC]+|\d+))?$")
_PART = re.compile(r"^(?:Part|Partie|Teil|Deel)\s+([IVXLC]+|\d+|[A-Z])$", re.I)
_SECTION = re.compile(r"^(?:(\d{1,2})\.|(?:Section|Abschnitt|Afdeling)\s+(\w+))\s+(\S.*)$")
_PAR_LABEL = re.compile(rf"^\s*({_NUM})\.(?:\s+|$)")
_LETTERS = rf"[a-z]{{1,4}}(?: (?:{_LATIN_RE}))?"
_POINT_LABEL = re.compile(
    rf"^(?:\((?P<a>{_LETTERS}|{_NUM})\)|(?P<b>{_LETTERS}|{_NUM})\)|(?P<c>{_NUM})\.)$"
)
_MARK = re.compile(r"^\s*[►▼]\s*([A-Z]\d*)\s*$")
_CELEX = re.compile(r"^\d{5}[A-Z]{1,2}\d{3,4}")
_REF = "\x00"
_REF_RE = re.compile(r" ?\( ?\x00 ?\)| ?\x00")
_WS = re.compile(r"\s+")
_ARROWS = re.compile(r"[►▼◄]")
_QUOTE_PAIRS = {"‘": "’", "«": "»", "“": "”", "„": "“"}
_OPENER = re.compile(r"[‘«“„]")
_XHTML_NS = b'xmlns="http://www.w3.org/1999/xhtml"'


def load(path: Path, record: DocRecord, file: FileRecord) -> list[Unit]:
    """Parse one EUR-Lex HTML file into units in reading order.

    Returns a list of ``Unit`` (recitals, articles with their paragraphs and points, annexes),
    parents before children. Raises ``LoadError`` (message starting with the file name) when the
    file cannot be decoded or parsed, or holds no articles.
    """
    root, text = _read(path)
    if not any(_ART_ID.match(div.get("id", "")) for div in root.iter("div")):
        raise LoadError(
            f"{path.name}: no articles found; not an EUR-Lex {file.format} legal act",
            code="no_provisions",
            file=path.name,
        )
    builder = UnitBuilder(record, file.name)
    walker = _Walker(builder, _Lines(text), _notes(root), quote_divs=file.format == "eurlex-xhtml")
    walker.run(root)
    return builder.build()


# --------------------------------------------------------------------------- reading


def _read(path: Path) -> tuple[etree._Element, str]:
    """Read, decode (declared encoding, else UTF-8) and parse. Returns ``(root, decoded text)``."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise LoadError(f"{path.name}: cannot read ({exc.strerror})") from None
    if not data.strip():
        raise LoadError(f"{path.name}: file is empty")
    encoding = declared_encoding(path.name, data)
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise LoadError(f"{path.name}: not valid {encoding} text ({exc})") from None
    if "\x00" in text or "<" not in text:
        raise LoadError(f"{path.name}: not an HTML document")
    if (
        XML_DECLARATION.match(data[:200]) or _XHTML_NS in data[:4096]
    ):  # claims XHTML: must be well-formed
        try:
            etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
        except etree.XMLSyntaxError as exc:
            raise LoadError(f"{path.name}: malformed XHTML ({exc})") from None
    parser = etree.HTMLParser(encoding=encoding.removesuffix("-sig"), remove_comments=True)
    try:
        root = etree.fromstring(data, parser)
    except (etree.LxmlError, LookupError) as exc:
        raise LoadError(f"{path.name}: malformed HTML ({exc})") from None
    if root is None:
        raise LoadError(f"{path.name}: malformed HTML (no document element)")
    check_depth(path.name, root)
    return root, text


class _Lines:
    """Maps an element's source line to character offsets in the decoded text."""

    def __init__(self, text: str):
        self.starts = [0, *(m.end() for m in re.finditer("\n", text))]
        self.size = len(text)

    def start(self, el: etree._Element) -> int | None:
        """Offset of the start of the line where ``el`` begins."""
        line = el.sourceline
        return self.starts[min(line, len(self.starts)) - 1] if line else None

    def end(self, el: etree._Element) -> int | None:
        """Offset just past the last source line where ``el`` or a descendant begins."""
        line = max((e.sourceline or 0) for e in el.iter())
        if not line:
            return None
        return self.starts[line] if line < len(self.starts) else self.size


def _notes(root: etree._Element) -> dict[str, str]:
    """Footnotes of the file: ``{anchor id: footnote text}`` (references point at the anchor)."""
    notes: dict[str, str] = {}
    for p in root.iter("p"):
        anchor = p.find(".//a[@id]") if _classes(p) & _NOTE else None
        if anchor is None:
            continue
        parts = [p.text or ""]
        for child in p:
            if child is anchor or anchor in child.iterdescendants():
                parts.append(_REF)
            elif not (child.tag == "span" and child.find("a[@title]") is not None):
                parts.append("".join(child.itertext()))
            parts.append(child.tail or "")
        notes[anchor.get("id")] = clean_text(_tidy("".join(parts))).replace("\n", " ")
    return notes


# --------------------------------------------------------------------------- element helpers


def _classes(el: etree._Element) -> set[str]:
    return set(el.get("class", "").split())


def _plain(el: etree._Element) -> str:
    """All text of ``el`` and its descendants, spaces collapsed, amendment arrows removed."""
    return _WS.sub(" ", _ARROWS.sub(" ", "".join(el.itertext()))).strip()


def _unquote(text: str) -> str:
    return text.strip().strip('‘’«»“”"').strip()


def _tidy(raw: str) -> str:
    """Collapse white space; drop footnote-reference sentinels (with brackets) and stray arrows."""
    text = _WS.sub(" ", raw)
    return _ARROWS.sub(" ", _REF_RE.sub("", text) if _REF in text else text)


def _in_article(el: etree._Element) -> bool:
    return any(
        a.tag == "td" or _ART_ID.match(a.get("id", "")) or _PAR_ID.match(a.get("id", ""))
        for a in el.iterancestors()
    )


def _item_parts(el: etree._Element) -> tuple[str, etree._Element] | None:
    """``(label, content element)`` of a one-row point table or a grid-list item, else None."""
    if el.tag == "table":
        rows = el.xpath("./tr | ./tbody/tr")
        cells = [c for c in rows[0] if c.tag == "td"] if len(rows) == 1 else []
        labels = [c for c in cells[:-1] if _plain(c)]
        if len(cells) < 2 or len(labels) != 1:
            return None
        return _plain(labels[0]), cells[-1]
    if el.tag == "div" and "grid-list" in _classes(el):
        cols = {c: child for child in el for c in _classes(child)}
        if "grid-list-column-1" in cols and "grid-list-column-2" in cols:
            return _plain(cols["grid-list-column-1"]), cols["grid-list-column-2"]
    return None


# --------------------------------------------------------------------------- numbers


def _number(raw: str) -> str:
    """Latin insertion suffixes as letters, the EN convention: ``2 bis`` → ``2a``, ``a ter`` → ``ab``."""
    match = _LATIN_SUFFIX.match(raw.strip())
    if match:
        return match.group(1) + chr(ord("a") + _LATIN.index(match.group(2)))
    return raw.replace(" ", "")


def _point_number(label: str) -> str | None:
    """``"(a)"`` / ``"a)"`` / ``"(1)"`` / ``"1."`` → the number; None for dashes and quoted labels."""
    match = _POINT_LABEL.match(label.strip())
    return _number(next(g for g in match.groups() if g)) if match else None


def _roman(text: str) -> int | None:
    try:
        return roman_to_int(text)
    except ValueError:
        return None


def _missing(prev: str | None, nxt: str) -> list[str]:
    """Numbers skipped between ``prev`` and ``nxt`` (``"21"``, ``"23"`` → ``["22"]``); [] if unsure."""
    if nxt.isdigit():
        first = int(prev) + 1 if prev and prev.isdigit() else 1
        gap = [str(n) for n in range(first, int(nxt))]
    elif len(nxt) == 1 and nxt.isalpha() and (prev is None or len(prev) == 1) and nxt != "i":
        first = ord(prev) + 1 if prev else ord("a")
        gap = [chr(c) for c in range(first, ord(nxt))]
    elif _roman(nxt) and (prev is None or _roman(prev)):
        gap = [int_to_roman(n) for n in range((_roman(prev) if prev else 0) + 1, _roman(nxt))]
    else:
        gap = []
    return gap if len(gap) <= 5 else []


def _successor(prev: str) -> str | None:
    """The number after ``prev`` (``"6"`` → ``"7"``, ``"d"`` → ``"e"``, ``"ii"`` → ``"iii"``)."""
    if prev.isdigit():
        return str(int(prev) + 1)
    if len(prev) == 1 and "a" <= prev < "z" and prev not in "iv":
        return chr(ord(prev) + 1)
    value = _roman(prev)
    return int_to_roman(value + 1) if value else None


# --------------------------------------------------------------------------- walker


@dataclass
class _Seq:
    """One container of provisions: the level its units open at and its numbering so far."""

    level: int
    owner: str | None = None  # the unit whose content this is
    article: bool = False  # an article body: numbered paragraphs may appear
    last: tuple[str, str] | None = None  # (kind, number) of the last unit opened here
    tail: _Seq | None = None  # article body: the last paragraph, owner of what follows it
    deleted: list[str] | None = None  # markers of a pending ▼M2 DELETED
    deleted_at: etree._Element | None = None
    quoted: str | None = None  # the closing quote awaited while inside a quotation
    strip: re.Pattern[str] | None = None  # label to cut from the first text run


@dataclass
class _AnnexState:
    parts: _Seq
    secs: _Seq
    pts: _Seq
    sub: _Seq | None = None  # consolidated: items that follow a numbered point belong to it
    headless: bool = True  # the group just opened has no heading yet


class _Walker:
    """Walks the parsed file in reading order and tells the ``UnitBuilder`` what it sees."""

    def __init__(
        self, builder: UnitBuilder, lines: _Lines, notes: dict[str, str], *, quote_divs: bool
    ):
        self.b = builder
        self.lines = lines
        self.notes = notes
        self.quote_divs = quote_divs  # OJ: a plain <div> inside an article is quoted text
        self._region: list[str] = []  # the ▼M2 block we are in: marks every unit and text in it
        self._refs: list[str] = []  # footnote ids met in the current text run
        self._inline: list[str] = []  # inline markers (►M2 … ◄) met in the current text run
        self._attached: set[tuple[str | None, str]] = set()

    def run(self, root: etree._Element) -> None:
        """Recitals, then the enacting terms, then the annexes."""
        seq = _Seq(0)
        for div in root.iter("div"):
            if _RCT_ID.match(div.get("id", "")):
                self._recital(div, seq)
        enacting = root.find(".//div[@id='enc_1']")
        seq = _Seq(0)
        self._enacting(enacting if enacting is not None else root, seq)
        self._finish(seq)
        for p in root.iter("p"):
            match = _ANNEX.match(_unquote(_plain(p))) if _classes(p) & _ANNEX_TITLE else None
            if match and not _in_article(p):
                self._annex(p, match.group(1) or "")

    # -- text ---------------------------------------------------------------------------------

    def _raw(self, el: etree._Element) -> str:
        """Text of ``el`` (not its tail) with block breaks as newlines; notes become sentinels."""
        if not isinstance(el.tag, str) or el.tag in ("script", "style"):
            return ""
        classes = _classes(el)
        if classes & _NOTE or "modref" in classes:
            return ""
        if el.tag == "br":
            return "\n"
        if el.tag == "a":
            href = el.get("href", "")
            if href.startswith("#") and href[1:] in self.notes:
                self._refs.append(href[1:])
                return _REF
            mark = _MARK.match("".join(el.itertext()))
            if mark and _CELEX.match(el.get("title", "")):
                if mark.group(1) != "B":
                    self._inline.append(mark.group(1))
                return ""
        parts = [el.text or ""]
        for child in el:
            parts += [self._raw(child), child.tail or ""]
        edge = "\n" if el.tag in _BLOCK else ""
        return edge + "".join(parts) + edge

    def _flush(self, raw: str, el: etree._Element, seq: _Seq) -> None:
        """Add a run of text to its unit, with its footnotes and markers.

        Text that follows a sub-unit opened in the same container belongs to the container's
        owner, after its sub-units: those are closed first, so the builder keeps the text as the
        owner's tail. Other text goes to the innermost open unit.
        """
        if seq.article and seq.tail is not None:
            self._flush(raw, el, seq.tail)
            return
        text = _tidy(raw)
        if seq.last is not None and (text.strip() or self._refs or self._inline):
            self.b.close(seq.level)
        if text.strip():
            if seq.strip is not None:
                text, seq.strip = seq.strip.sub("", text.lstrip(), count=1), None
            self._mark_region()
            self.b.add_text(text, end=self.lines.end(el))
            self._track_quote(clean_text(text), seq)
        self._attach()

    def _attach(self) -> None:
        """Give the footnotes and inline markers of the last run to the innermost open unit."""
        unit = self.b.current
        for ref in self._refs:
            if (unit, ref) in self._attached:
                continue
            self._attached.add((unit, ref))
            self.b.add_footnote(self.notes[ref])
        for marker in self._inline:
            self.b.add_marker(marker)
        self._refs.clear()
        self._inline.clear()

    def _mark_region(self) -> None:
        for marker in self._region:
            self.b.add_marker(marker)

    @staticmethod
    def _track_quote(text: str, seq: _Seq) -> None:
        """Follow quotations that span several items (‘(b) … (c) …’) in amending acts.

        A run that opens a quotation and holds no closing quote of that style starts one (a
        definition such as ‘company’ means … does not); a run ending on the closing quote ends it.
        """
        if seq.quoted:
            if re.search(re.escape(seq.quoted) + r"[\s.;:,)]*$", text):
                seq.quoted = None
            return
        match = _OPENER.search(text)
        closer = _QUOTE_PAIRS[match.group()] if match else None
        if closer and not re.search(re.escape(closer) + r"(?!\w)", text):
            seq.quoted = closer

    # -- units and amendment markers ----------------------------------------------------------

    def _open(
        self, seq: _Seq, kind: str, number: str, el: etree._Element, *, label="", heading=""
    ) -> str:
        """Open a unit in ``seq`` (first filling a numbering gap left by a deletion). Returns its id."""
        if seq.deleted is not None:
            same = seq.last is None or seq.last[0] == kind
            gap = _missing(seq.last[1] if seq.last else None, number) if same else []
            for missing in gap:
                self._open_deleted(seq, kind, missing)
            if not gap:
                self._region = [*seq.deleted, *self._region]
            seq.deleted = None
        start = self.lines.start(el)
        unit_id = self.b.open(seq.level, kind, number, heading=heading, label=label, start=start)
        self._mark_region()
        self._attach()
        seq.last = (kind, number)
        return unit_id

    def _open_deleted(self, seq: _Seq, kind: str, number: str) -> None:
        """A provision the consolidation marks as deleted: no text, no heading."""
        self.b.open(seq.level, kind, number, start=self.lines.start(seq.deleted_at))
        self.b.mark_deleted()
        self.b.add_text("", end=self.lines.end(seq.deleted_at))
        for marker in seq.deleted or ():
            self.b.add_marker(marker)
        seq.last = (kind, number)

    def _finish(self, seq: _Seq) -> None:
        """End of a container: a pending deletion is the number after the last unit."""
        if seq.deleted is None:
            return
        nxt = _successor(seq.last[1]) if seq.last else None
        if seq.last and nxt:
            self._open_deleted(seq, seq.last[0], nxt)
        else:
            for marker in seq.deleted:
                self.b.add_marker(marker)
        seq.deleted = None

    def _modref(self, p: etree._Element, seq: _Seq) -> None:
        """A consolidated ``▼M2`` marker: starts a block of amended text, or marks a deletion.

        EUR-Lex marks the source of every block with ▼ up to the next ▼; ``▼B`` is the base act.
        """
        anchor = p.find(".//a")
        mark = _MARK.match("".join(anchor.itertext())) if anchor is not None else None
        if mark is None:
            return
        name = mark.group(1)
        deleted = anchor.get("title", "").endswith("DELETED") or "———" in "".join(p.itertext())
        self._region = [] if name == "B" or deleted else [name]
        if deleted:
            seq.deleted = [*(seq.deleted or []), name]
            seq.deleted_at = p

    # -- recitals and enacting terms ------------------------------------------------------------

    def _recital(self, div: etree._Element, seq: _Seq) -> None:
        item = next((it for child in div if (it := _item_parts(child))), None)
        label, content = item if item else ("", div)
        number = _point_number(label) or _RCT_ID.match(div.get("id")).group(1)
        unit_id = self._open(seq, "rec", number, div, label=label or f"({number})")
        self._content(content, _Seq(1, owner=unit_id))

    def _enacting(self, el: etree._Element, seq: _Seq) -> None:
        """Articles (and chapter/section titles as context) anywhere below ``el``."""
        for child in el:
            ident = child.get("id", "")
            if child.tag == "div" and _ART_ID.match(ident):
                self._article(child, seq)
            elif child.tag == "p" and "modref" in _classes(child):
                self._modref(child, seq)
            elif child.tag == "div":
                if _GROUP_ID.match(ident):
                    self._group(child, ident.count("."))
                self._enacting(child, seq)

    def _group(self, div: etree._Element, rank: int) -> None:
        """A chapter or section: its number and title become the context of what follows."""
        titles = [_plain(c) for c in div if isinstance(c.tag, str) and _classes(c) & _GROUP_TITLE]
        if any(titles):
            self.b.set_context(rank, " — ".join(t for t in titles if t))

    def _article(self, div: etree._Element, seq: _Seq) -> None:
        title = next((c for c in div if c.tag == "p" and _classes(c) & _ART_TITLE), None)
        match = _ARTICLE.match(_plain(title)) if title is not None else None
        number = match.group(1) if match else _ART_ID.match(div.get("id")).group(1)
        number = "1" if number.lower() in ("premier", "first", "1er") else _number(number)
        head = next((c for c in div if isinstance(c.tag, str) and _classes(c) & _ART_HEADING), None)
        heading = _tidy(self._raw(head)).strip() if head is not None else ""
        unit_id = self._open(seq, "art", number, div, heading=heading)
        body = _Seq(1, owner=unit_id, article=True)
        self._content(div, body, skip=(title, head))
        self._finish(body)

    def _paragraph(self, div: etree._Element, seq: _Seq) -> bool:
        """A numbered paragraph (OJ ``NNN.MMM`` division or consolidated ``no-parag``)."""
        if _PAR_ID.match(div.get("id", "")):
            match = _PAR_LABEL.match(_plain(div))
            if match is None:
                self._content(div, seq)
                return True
            skip, strip = (), _PAR_LABEL
        else:
            span = div.find("span[@class='no-parag']") if _classes(div) == {"norm"} else None
            match = _PAR_LABEL.match(_plain(span)) if span is not None else None
            if match is None:
                return False
            skip, strip = (span,), None
        number = _number(match.group(1))
        unit_id = self._open(seq, "par", number, div, label=f"{match.group(1)}.")
        inner = _Seq(seq.level + 1, owner=unit_id, strip=strip)
        self._content(div, inner, skip=skip)
        self._finish(inner)
        seq.tail = inner
        return True

    def _content(self, el: etree._Element, seq: _Seq, skip: tuple = ()) -> None:
        """Mixed content: inline runs become text, block children are dispatched."""
        raw, last = [el.text or ""], el
        for child in el:
            if any(child is s for s in skip):
                continue
            if isinstance(child.tag, str) and child.tag in _BLOCK:
                self._flush("".join(raw), last, seq)
                raw = []
                self._block(child, seq)
            else:
                raw.append(self._raw(child))
            raw.append(child.tail or "")
            last = child
        self._flush("".join(raw), last, seq)

    def _block(self, el: etree._Element, seq: _Seq) -> None:
        """A block child: marker, paragraph, point, structural wrapper, or text."""
        classes = _classes(el)
        if el.tag in _SKIP or classes & _NOTE:
            return
        if "modref" in classes:
            self._modref(el, seq)
        elif seq.article and el.tag == "div" and self._paragraph(el, seq):
            return
        elif (item := _item_parts(el)) is not None:
            self._item(el, item, seq.tail or seq)
        elif el.tag == "div" and not (self.quote_divs and not classes and not el.get("style")):
            self._content(el, seq)
        else:
            self._flush(self._raw(el), el, seq)

    def _item(self, el: etree._Element, item: tuple[str, etree._Element], seq: _Seq) -> None:
        """A point: a unit when numbered and not quoted, else text of the current unit."""
        label, content = item
        number = None if seq.quoted else _point_number(label)
        if number is None:
            self._flush(self._raw(el), el, seq)
            return
        unit_id = self._open(seq, "pt", number, el, label=label)
        inner = _Seq(seq.level + 1, owner=unit_id)
        self._content(content, inner)
        self._finish(inner)

    # -- annex --------------------------------------------------------------------------------

    def _annex(self, title: etree._Element, number: str) -> None:
        """An annex: the title's following siblings up to the next annex title."""
        unit_id = self._open(_Seq(0), "annex", number, title)
        st = _AnnexState(_Seq(1, owner=unit_id), _Seq(2, owner=unit_id), _Seq(3, owner=unit_id))
        for sib in title.itersiblings():
            if _classes(sib) & _ANNEX_TITLE and _ANNEX.match(_unquote(_plain(sib))):
                break
            self._annex_block(sib, st)
        self._finish(st.pts)

    def _annex_block(self, el: etree._Element, st: _AnnexState) -> None:
        classes = _classes(el)
        if classes & _ANNEX_TITLE:
            if st.headless:
                self.b.set_heading(_plain(el))
                st.headless = False
        elif classes & _ANNEX_GROUP:
            self._annex_group(el, st)
        elif not self._annex_point(el, st):
            self._block(el, st.sub or st.pts)

    def _annex_group(self, el: etree._Element, st: _AnnexState) -> None:
        """``Part I`` opens a part; ``1. TITLE`` a section; other titles head the open group."""
        text = _unquote(_plain(el))
        if match := _PART.match(text):
            unit_id = self._open(st.parts, "part", match.group(1), el)
            st.secs, st.headless = _Seq(2, owner=unit_id), True
        elif match := _SECTION.match(text):
            number = match.group(1) or match.group(2)
            unit_id = self._open(st.secs, "sec", number, el, heading=match.group(3))
            st.headless = False
        elif st.headless:
            self.b.set_heading(text)
            st.headless = False
            return
        else:
            self._flush(self._raw(el), el, st.pts)
            return
        st.pts, st.sub = _Seq(3, owner=unit_id), None

    def _annex_point(self, el: etree._Element, st: _AnnexState) -> bool:
        """Consolidated annex point ``<div style><p>1.<span/>Text</p></div>``; its sub-items follow."""
        first = el.find("p") if el.tag == "div" and el.get("style") else None
        match = _PAR_LABEL.match(_plain(first)) if first is not None else None
        if match is None:
            return False
        number = _number(match.group(1))
        unit_id = self._open(st.pts, "pt", number, el, label=f"{match.group(1)}.")
        st.sub = _Seq(st.pts.level + 1, owner=unit_id, strip=_PAR_LABEL)
        self._content(el, st.sub)
        st.sub.strip = None
        return True
