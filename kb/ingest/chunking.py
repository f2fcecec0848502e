"""Retrieval passages that respect the structure of the law.

A chunk never crosses a top-level provision (article, §, recital, principle, section, annex).
A long provision is split at the boundaries of its sub-units (paragraphs, then points of a long
paragraph), neighbouring pieces packed up to ``MAX_CHARS``; each chunk carries the heading of its
provision and cites the innermost provision that holds all it covers.
"""

from __future__ import annotations

from collections import defaultdict

from kb.models import Chunk, Unit

MAX_CHARS = 1500


def make_chunks(units: list[Unit], max_chars: int = MAX_CHARS) -> list[Chunk]:
    """Chunks for all units, in reading order. Deleted provisions produce no chunk."""
    children: dict[str, list[Unit]] = defaultdict(list)
    by_key = {unit.key: unit for unit in units}
    for unit in units:
        if unit.parent is not None:
            children[f"{unit.doc_id}/{unit.parent}"].append(unit)
    chunks: list[Chunk] = []
    for unit in units:
        if unit.parent is None and unit.status != "deleted" and unit.text.strip():
            pieces = _pack(_pieces(unit, children, max_chars), max_chars)
            chunks += [
                _chunk(unit, covered, text, i, by_key) for i, (covered, text) in enumerate(pieces)
            ]
    return chunks


def _pieces(unit: Unit, children, max_chars: int) -> list[tuple[list[Unit], str]]:
    """``(covered units, text)`` pieces of a provision: itself when short enough, else its
    sub-units — recursively for a sub-unit that is itself too long (a paragraph with many points).
    The provision's own opening words go with its first piece, its closing words with its last."""
    kids = [k for k in children.get(unit.key, []) if k.status != "deleted" and k.text.strip()]
    if len(unit.text) <= max_chars or not kids:
        return [([unit], unit.text)]
    pieces: list[tuple[list[Unit], str]] = []
    for kid in kids:
        pieces += _pieces(kid, children, max_chars)
    tail = unit.text[unit.text.rfind(kids[-1].text) + len(kids[-1].text) :].strip()
    if unit.own_text:
        covered, text = pieces[0]
        pieces[0] = (covered, f"{unit.own_text}\n{text}")
    if tail:
        covered, text = pieces[-1]
        pieces[-1] = (covered, f"{text}\n{tail}")
    return pieces


def _pack(pieces: list[tuple[list[Unit], str]], max_chars: int) -> list[tuple[list[Unit], str]]:
    """Join consecutive pieces while the result stays within ``max_chars``."""
    packed: list[tuple[list[Unit], str]] = []
    for covered, text in pieces:
        if packed and len(packed[-1][1]) + 1 + len(text) <= max_chars:
            packed[-1] = (packed[-1][0] + covered, f"{packed[-1][1]}\n{text}")
        else:
            packed.append((list(covered), text))
    return packed


def _common(unit_ids: list[str]) -> str:
    """The innermost provision containing all ``unit_ids`` (``art-3.par-1`` for its points)."""
    paths = [uid.split(".") for uid in unit_ids]
    common = []
    for segments in zip(*paths, strict=False):
        if len(set(segments)) != 1:
            break
        common.append(segments[0])
    return ".".join(common)


def _chunk(top: Unit, covered: list[Unit], text: str, index: int, by_key: dict[str, Unit]) -> Chunk:
    """A chunk cites the innermost provision that holds everything it covers."""
    primary = by_key[f"{top.doc_id}/{_common([u.unit_id for u in covered])}"]
    return Chunk(
        chunk_id=f"{top.doc_id}/{top.unit_id}#{index}",
        doc_id=top.doc_id,
        unit_id=primary.unit_id,
        unit_ids=tuple(u.unit_id for u in covered),
        citation=primary.citation,
        heading=top.heading,
        text=text,
        language=top.language,
    )
