"""Loader for the official Swiss Fedlex HTML ("fedlex-html"), e.g. SR 221.433 (DDTrO).

The Fedlex filestore page of an act (any language) is regular:

- ``main#maintext`` holds ``section`` elements whose ``h1``…``h3`` headings are the Abschnitte /
  sections (→ ``UnitBuilder.set_context``) and ``article`` elements (``id="art_4"``) whose ``h6``
  reads ``<b>Art. 4</b> heading``;
- inside an article, ``p.absatz`` paragraphs start with a superscript number (``<sup>1</sup>``)
  → ``par-N``; ``dl`` lists hold ``dt`` labels ("a.", "1.") and ``dd`` texts, nested lists inside
  a ``dd`` → ``pt`` at the next level; ``p.man-template-referenz`` ("(Art. 964j Abs. 1 OR)", the
  provision of the Code this article implements) and ``div.footnotes`` are kept as footnotes;
  footnote marks (``<sup><a href="#fn-…">``) are dropped from the text;
- ``div#annex`` holds ``section#annex_N`` (→ ``annex-N``) with parts ("Teil A.", "Part A",
  "Partie A" → ``part-A``); tables are kept row by row (cells joined with " | ").

Charset: the ``<meta charset>`` declaration, restricted to real text encodings.
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree, html

from kb.errors import LoadError
from kb.ingest.loaders.guard import check_depth, declared_encoding
from kb.ingest.structure import UnitBuilder
from kb.models import DocRecord, FileRecord, Unit

_ARTICLE = re.compile(r"^(?:Art\.|Artikel|Article|art\.)\s*(\d+[a-z]*)\s*(.*)$", re.S)
_ANNEX = re.compile(r"^(?:Anhang|Annex|Annexe|Allegato)\s*(\d+|[IVX]+)?", re.I)
_PART = re.compile(r"^(?:Teil|Part|Partie|Parte)\s+([A-Z0-9]+)\.?\s*(.*)$", re.S)
_LABEL = re.compile(r"^\s*([a-z]{1,3}|\d{1,2}|[ivx]{1,5})\s*[.)]?\s*$")
_WS = re.compile(r"\s+")


def load(path: Path, record: DocRecord, file: FileRecord) -> list[Unit]:
    """Parse a Fedlex HTML page into ``art-N`` (``par``/``pt`` below) and ``annex-N`` units.

    Raises ``LoadError`` naming the file for undecodable input, a foreign charset or a page
    without ``article`` elements.
    """
    name = path.name
    data = path.read_bytes()
    charset = declared_encoding(name, data)
    try:
        text = data.decode(charset)
    except UnicodeDecodeError as exc:
        raise LoadError(f"{name}: cannot decode as {charset} ({exc})") from None
    try:
        root = html.document_fromstring(text)
    except (etree.LxmlError, ValueError) as exc:
        raise LoadError(f"{name}: not parseable HTML ({exc})") from None
    check_depth(name, root)
    articles = root.xpath("//article[starts-with(@id, 'art_')]")
    if not articles:
        raise LoadError(
            f"{name}: no <article id='art_…'> elements; not a Fedlex act page",
            code="no_provisions",
            file=name,
        )
    builder = UnitBuilder(record, file.name or name)
    main = root.xpath("//main[@id='maintext']")
    _walk_main(builder, main[0] if main else root)
    for annex in root.xpath("//div[@id='annex']/section[starts-with(@id, 'annex_')]"):
        _annex(builder, annex)
    return builder.build()


# --------------------------------------------------------------------------- text helpers


def _is_footnote_mark(el) -> bool:
    return el.tag == "sup" and bool(el.xpath(".//a[starts-with(@href, '#fn')]"))


def _text(el, skip=("dl",)) -> str:
    """The words of ``el`` without footnote marks, nested lists or footnote blocks."""
    parts: list[str] = []

    def walk(node) -> None:
        if node.text:
            parts.append(node.text)
        for child in node:
            if not isinstance(child.tag, str):  # comments, processing instructions
                pass
            elif (
                child.tag in skip
                or _is_footnote_mark(child)
                or "footnotes" in (child.get("class") or "")
            ):
                pass
            elif child.tag in ("br", "p", "div", "tr"):
                parts.append(" ")
                walk(child)
            else:
                walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(el)
    return _WS.sub(" ", "".join(parts)).strip()


def _footnotes(builder: UnitBuilder, el) -> None:
    for block in el.xpath("./div[contains(@class, 'footnotes')]"):
        for note in block.xpath("./p"):
            text = _WS.sub(" ", note.text_content()).strip()
            if text:
                builder.add_footnote(text)


# --------------------------------------------------------------------------- main text


def _walk_main(builder: UnitBuilder, main) -> None:
    for el in main.iter("section", "article"):
        if el.tag == "section":
            heading = next((h for h in el if h.tag in ("h1", "h2", "h3")), None)
            if heading is not None:
                level = int(heading.tag[1])
                builder.set_context(level - 1, _text(heading))
        else:
            _article(builder, el)


def _article(builder: UnitBuilder, article) -> None:
    h6 = next((h for h in article.iter("h6")), None)
    title = _text(h6) if h6 is not None else ""
    match = _ARTICLE.match(title)
    number = match.group(1) if match else article.get("id", "art_?")[4:]
    builder.open(0, "art", number, heading=match.group(2).strip() if match else "")
    body = article.find("./div")
    if body is None:
        return
    _footnotes(builder, body)
    for note in body.xpath("./p[contains(@class, 'man-template-referenz')]"):
        builder.add_footnote(_text(note))
    for child in body:
        cls = child.get("class") or ""
        if child.tag == "p" and "absatz" in cls:
            sup = child.find("./sup")
            if sup is not None and not _is_footnote_mark(sup) and (sup.text or "").strip():
                number = sup.text.strip()
                builder.open(1, "par", number, label=number)
                builder.add_text(_text(child, skip=("dl", "sup")))
            else:
                builder.add_text(_text(child))
            for dl in child.iter("dl"):
                _list(builder, dl, 2)
        elif child.tag == "dl":
            _list(builder, child, 2)
        elif child.tag == "p" and "man-template-referenz" not in cls:
            builder.add_text(_text(child))


def _list(builder: UnitBuilder, dl, level: int) -> None:
    label = ""
    for item in dl:
        if item.tag == "dt":
            label = _text(item)
        elif item.tag == "dd":
            match = _LABEL.match(label)
            if match:
                builder.open(level, "pt", match.group(1), label=label.strip())
                builder.add_text(_text(item))
            else:
                builder.add_text(f"{label} {_text(item)}".strip())
            for nested in item.xpath("./dl"):
                _list(builder, nested, level + 1)
            builder.close(level + 1)


# --------------------------------------------------------------------------- annexes


def _annex(builder: UnitBuilder, section) -> None:
    h1 = section.find("./h1")
    title = _text(h1) if h1 is not None else ""
    match = _ANNEX.match(title)
    number = (match.group(1) if match else None) or section.get("id", "annex_")[6:]
    builder.clear_context()
    builder.open(0, "annex", number)
    _footnotes(builder, section)
    body = section.find("./div[@class='collapseable']")
    _annex_body(builder, body if body is not None else section, heading_set=False)


def _annex_body(builder: UnitBuilder, el, heading_set: bool) -> None:
    for child in el:
        if not isinstance(child.tag, str):
            continue
        cls = child.get("class") or ""
        if child.tag == "section":
            head = next((h for h in child if h.tag in ("h2", "h3", "h4")), None)
            title = _text(head) if head is not None else ""
            part = _PART.match(title)
            if part:
                builder.open(1, "part", part.group(1), heading=part.group(2).strip(" ."))
            elif title and not heading_set:
                builder.set_heading(title)
                heading_set = True
            elif title:
                builder.add_text(title)
            inner = child.find("./div[@class='collapseable']")
            _annex_body(builder, inner if inner is not None else child, heading_set)
        elif child.tag == "div" and "table" in cls:
            for row in child.iter("tr"):
                cells = [_text(c) for c in row if c.tag in ("td", "th")]
                line = " | ".join(c for c in cells if c)
                if line:
                    builder.add_text(line)
        elif child.tag == "dl":
            _list(builder, child, 2)
        elif child.tag in ("p", "div") and "footnotes" not in cls:
            text = _text(child)
            if text:
                builder.add_text(text)
