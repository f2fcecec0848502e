"""Loader for gesetze-im-internet.de one-page laws ("gii-html", e.g. ``BJNR295910021.html``).

The page is a sequence of ``div.jnnorm`` blocks, each with a ``title``:

- ``Rahmen``: the law's title, Vollzitat, navigation and a footnote on entry into force (no units);
- ``Gliederung``: an Abschnitt/Unterabschnitt heading → ``UnitBuilder.set_context``;
- ``Einzelnorm``: one § (``span.jnenbez`` "§ 8", ``span.jnentitel`` its heading) or an Anlage.

Inside a norm, ``div.jurAbsatz`` blocks starting with "(1)" are Absätze (``par``), ``dl`` lists
are Nummern "1." and letters "a)" (``pt``); ``div.jnfussnote`` and ``notindexed`` blocks are
editorial notes and go to ``add_footnote``. Only those header spans ever make a heading or a new
unit, so cross-references in the text ("gemäß § 5") cannot become provisions.

Text after a list in the same block (a closing sentence such as § 7(3) "Die bloße Tatsache …")
belongs to the Absatz (or Nummer) that holds the list, not to its last item: the items are closed
and the text becomes that unit's tail, after its points. A block with two or more lists (§ 1(1):
"Satz 1 Nummer 1" and "Satz 2 Nummer 1") is kept whole, its list items labelled in its text, as
points would get the same ids and the text between the lists would lose its place.

``start``/``end`` are offsets into the decoded page: ``start`` is the start of the line where the
element begins (lxml ``sourceline``), ``end`` the end of the last line the element spans. The gii
page puts a whole norm on one or two lines, so these are coarse.
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree, html

from kb.errors import LoadError
from kb.ingest.loaders.guard import check_depth, declared_encoding
from kb.ingest.structure import UnitBuilder
from kb.models import DocRecord, FileRecord, Unit

_SECTION = re.compile(r"^§\s*(\d+[a-z]*)$")
_ANNEX = re.compile(r"^Anlage(?:\s+(\S+))?$")
_ABSATZ = re.compile(r"^\s*\((\d+[a-z]?)\)\s*")
_ITEM_LABEL = re.compile(r"^(\d+[a-z]?\.|[a-z]{1,3}\))$")
_GROUP_RANKS = {"Abschnitt": 0, "Unterabschnitt": 1}
_BLOCK_TAGS = frozenset({"div", "p", "dd", "dt", "pre", "table", "tr"})
_SKIP_TAGS = frozenset({"script", "style"})
_NUMMER_LEVEL = 2

#: a piece of a block in reading order: text, or a ``<dl>`` list element
_Piece = str | html.HtmlElement


def load(path: Path, record: DocRecord, file: FileRecord) -> list[Unit]:
    """Parse a gesetze-im-internet.de one-page law into units.

    Returns the units in reading order: ``sec-N`` (level 0) with ``par-N`` / ``pt-N`` /
    ``pt-x`` below, then ``annex`` with its points. Raises ``LoadError`` (message starting with
    the file name) for empty, undecodable, non-gii or truncated input.
    """
    name = path.name
    data = _read(path)
    charset = declared_encoding(name, data)
    text = _decode(name, data, charset)
    root = _parse(name, data, charset)
    norms = root.xpath("//div[contains(concat(' ', @class, ' '), ' jnnorm ')]")
    if not any(n.get("title") == "Einzelnorm" for n in norms):
        raise LoadError(
            f"{name}: no 'Einzelnorm' blocks; not a gesetze-im-internet.de law page",
            code="no_provisions",
            file=name,
        )
    _check_complete(name, data, norms)
    walker = _Walker(UnitBuilder(record, file.name or name), _LineIndex(text), name)
    for norm in norms:
        walker.norm(norm)
    return walker.builder.build()


# --------------------------------------------------------------------------- input


def _read(path: Path) -> bytes:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise LoadError(f"{path.name}: cannot read ({exc.strerror or exc})") from None
    if not data.strip():
        raise LoadError(f"{path.name}: file is empty")
    return data


def _decode(name: str, data: bytes, charset: str) -> str:
    try:
        return data.decode(charset)
    except UnicodeDecodeError as exc:
        raise LoadError(f"{name}: not valid {charset} at byte {exc.start}") from None


def _parse(name: str, data: bytes, charset: str) -> html.HtmlElement:
    """The lxml tree of the page, parsed from bytes in the declared charset."""
    parser = html.HTMLParser(encoding=charset.removesuffix("-sig"), remove_comments=True)
    try:
        root = html.document_fromstring(data, parser=parser)
    except (etree.LxmlError, LookupError) as exc:
        raise LoadError(f"{name}: not parseable as HTML ({exc})") from None
    check_depth(name, root)
    return root


def _check_complete(name: str, data: bytes, norms: list[html.HtmlElement]) -> None:
    """Refuse a page cut short (a partial download would silently lose provisions)."""
    if data.rstrip()[-7:].lower() == b"</html>":
        return
    labels = [_text(s) for n in norms for s in _header_spans(n, "jnenbez")]
    last = f"; last norm found: {labels[-1]}" if labels else ""
    raise LoadError(f"{name}: page ends before </html> (truncated copy?){last}")


class _LineIndex:
    """Character offsets of line starts in the decoded page (lines end at ``\\n`` like libxml2's)."""

    def __init__(self, text: str):
        self._starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self._length = len(text)

    def start(self, line: int | None) -> int | None:
        """Offset of the first character of 1-based ``line``."""
        if line is None:
            return None
        return self._starts[min(max(line, 1), len(self._starts)) - 1]

    def end(self, line: int | None) -> int | None:
        """Offset just past the end of 1-based ``line`` (its newline included)."""
        if line is None:
            return None
        index = min(max(line, 1), len(self._starts))  # the next line's start, if any
        return self._starts[index] if index < len(self._starts) else self._length


# --------------------------------------------------------------------------- walking the page


class _Walker:
    """Feeds the norms of one page to a ``UnitBuilder`` in reading order."""

    def __init__(self, builder: UnitBuilder, lines: _LineIndex, name: str):
        self.builder = builder
        self.lines = lines
        self.name = name

    def norm(self, norm: html.HtmlElement) -> None:
        """Dispatch one ``div.jnnorm`` by its title; ``Rahmen`` and unknown titles give no units."""
        title = norm.get("title")
        if title == "Gliederung":
            self._grouping(norm)
        elif title == "Einzelnorm":
            self._einzelnorm(norm)

    def _grouping(self, norm: html.HtmlElement) -> None:
        spans = [_text(s) for s in norm.xpath(".//div[@class='jnheader']//h2//span")]
        title = " ".join(s for s in spans if s)
        if title:
            self.builder.set_context(_GROUP_RANKS.get(title.split()[0], 0), title)

    def _einzelnorm(self, norm: html.HtmlElement) -> None:
        label = " ".join(_text(s) for s in _header_spans(norm, "jnenbez"))
        title = " ".join(_text(s) for s in _header_spans(norm, "jnentitel"))
        start, end = self._span(norm)
        if section := _SECTION.match(label):
            self.builder.open(0, "sec", section.group(1), heading=title, start=start)
        elif annex := _ANNEX.match(label):
            heading = f"{label} {title}".strip()
            self.builder.clear_context()  # an Anlage stands outside the Abschnitte
            self.builder.open(0, "annex", annex.group(1) or "", heading=heading, start=start)
        else:
            raise LoadError(
                f"{self.name}: unsupported norm label {label!r} (line {norm.sourceline})"
            )
        self.builder.add_text("", end=end)
        for note in norm.xpath(".//div[contains(@class, 'jnfussnote')]//div[@class='jnhtml']"):
            self.builder.add_footnote(_text(note))
        body = norm.xpath(
            ".//div[@class='jnhtml'][not(ancestor::div[contains(@class, 'jnfussnote')])]"
        )
        if body:
            for block in _blocks(body[0]):
                self._block(block)

    def _block(self, block: html.HtmlElement) -> None:
        """One Absatz (or unnumbered text block) with its list, if any."""
        for note in _take_notes(block):
            self.builder.add_footnote(note)
        lead, items, tail = _split(_pieces(block))
        start, end = self._span(block)
        if absatz := _ABSATZ.match(lead):
            self.builder.open(1, "par", absatz.group(1), label=f"({absatz.group(1)})", start=start)
            lead = lead[absatz.end() :]
        self._add_lines(lead, end)
        if items is not None:
            self._items(items, _NUMMER_LEVEL)
            self._add_tail(tail, _NUMMER_LEVEL, end)

    def _items(self, dl: html.HtmlElement, level: int) -> None:
        """Open a ``pt`` per ``dt``/``dd`` pair; a clean nested list goes one level deeper."""
        for dt, dd in _pairs(dl):
            label = _text(dt)
            self.builder.open(level, "pt", label, label=label, start=self._span(dt)[0])
            lead, nested, tail = _split(_pieces(dd)) if dd is not None else ("", None, "")
            end = self._span(dd if dd is not None else dt)[1]
            self._add_lines(lead, end)
            if nested is not None:
                self._items(nested, level + 1)
                self._add_tail(tail, level + 1, end)

    def _add_tail(self, text: str, level: int, end: int | None) -> None:
        """Text after a list: close its items (``level`` and deeper) so the text goes to the unit
        holding the list, after its points."""
        if text:
            self.builder.close(level)
            self._add_lines(text, end)

    def _add_lines(self, text: str, end: int | None) -> None:
        for line in text.split("\n"):
            self.builder.add_text(line)
        self.builder.add_text("", end=end)

    def _span(self, el: html.HtmlElement) -> tuple[int | None, int | None]:
        """(start of the element's first line, end of its last line) in the decoded page."""
        last = max((e.sourceline or 0) for e in el.iter())
        return self.lines.start(el.sourceline), self.lines.end(last or el.sourceline)


# --------------------------------------------------------------------------- tree helpers


def _text(el: html.HtmlElement) -> str:
    """Text content of ``el`` with whitespace runs (NBSP included) collapsed to one space."""
    return " ".join(el.text_content().split())


def _header_spans(norm: html.HtmlElement, cls: str) -> list[html.HtmlElement]:
    return norm.xpath(f".//div[@class='jnheader']//span[@class='{cls}']")


def _blocks(body: html.HtmlElement) -> list[html.HtmlElement]:
    """The block elements of a norm's body: ``jurAbsatz`` divs and other leaf blocks, in order.

    Wrapper divs (no class) that contain Absätze are descended into.
    """
    out: list[html.HtmlElement] = []
    for child in body:
        if not isinstance(child.tag, str):
            continue
        if (
            child.tag == "div"
            and not child.get("class")
            and child.xpath(".//div[@class='jurAbsatz']")
        ):
            out.extend(_blocks(child))
        else:
            out.append(child)
    return out


def _take_notes(block: html.HtmlElement) -> list[str]:
    """Remove editorial ``notindexed`` parts (e.g. "(Fundstelle: …)") from ``block``; return their texts."""
    notes = []
    for note in block.xpath(".//notindexed"):
        if text := _text(note):
            notes.append(text)
        note.drop_tree()
    return notes


def _pieces(el: html.HtmlElement) -> list[_Piece]:
    """Text and ``<dl>`` elements of ``el`` in reading order; block boundaries become ``"\\n"``."""
    out: list[_Piece] = [el.text or ""]
    for child in el:
        tag = child.tag if isinstance(child.tag, str) else ""  # comments, PIs: tail only
        if tag == "dl":
            out.append(child)
        elif tag == "br":
            out.append("\n")
        elif tag and tag not in _SKIP_TAGS:
            edge = ["\n"] if tag in _BLOCK_TAGS else []
            out += edge + _pieces(child) + edge
        out.append(child.tail or "")
    return out


def _split(pieces: list[_Piece]) -> tuple[str, html.HtmlElement | None, str]:
    """``(lead text, list, text after the list)`` when the pieces hold exactly one clean list.

    Otherwise ``(whole text with any lists flattened into it, None, "")``: the block is kept whole.
    """
    lists = [i for i, p in enumerate(pieces) if not isinstance(p, str)]
    if len(lists) == 1 and _clean_list(dl := pieces[lists[0]]):
        return _join(pieces[: lists[0]]), dl, _join(pieces[lists[0] + 1 :])
    return _join(pieces), None, ""


def _clean_list(dl: html.HtmlElement) -> bool:
    """True when every item of ``dl`` has a Nummer/letter label ("1.", "a)") and labels are unique."""
    labels = [_text(dt) for dt, _ in _pairs(dl)]
    return bool(labels) and len(set(labels)) == len(labels) and all(map(_ITEM_LABEL.match, labels))


def _join(pieces: list[_Piece]) -> str:
    """Plain text of pieces; a list is rendered inline as "1. text 2. text"."""
    out = []
    for piece in pieces:
        if isinstance(piece, str):
            out.append(piece)
            continue
        for dt, dd in _pairs(piece):
            body = _join(_pieces(dd)).replace("\n", " ") if dd is not None else ""
            out.append(f" {_text(dt)} {body} ")
    lines = (line.strip() for line in "".join(out).split("\n"))
    return "\n".join(line for line in lines if line)


def _pairs(dl: html.HtmlElement) -> list[tuple[html.HtmlElement, html.HtmlElement | None]]:
    """``(dt, dd)`` pairs of a definition list; a ``dt`` without ``dd`` pairs with ``None``."""
    pairs: list[tuple[html.HtmlElement, html.HtmlElement | None]] = []
    for child in dl:
        if child.tag == "dt":
            pairs.append((child, None))
        elif child.tag == "dd" and pairs and pairs[-1][1] is None:
            pairs[-1] = (pairs[-1][0], child)
    return pairs
