"""Retrieval passages that respect the structure of the law.

A chunk never crosses a top-level provision (article, §, recital, principle, section, annex).
A long provision is split at the boundaries of its direct children (paragraphs, points), each
piece carrying the provision's citation and heading as context.
"""

from __future__ import annotations

from collections import defaultdict

from kb.models import Chunk, Unit

MAX_CHARS = 1500


def make_chunks(units: list[Unit], max_chars: int = MAX_CHARS) -> list[Chunk]:
    """Chunks for all units, in reading order. Deleted provisions produce no chunk."""
    children: dict[str, list[Unit]] = defaultdict(list)
    for unit in units:
        if unit.parent is not None:
            children[f"{unit.doc_id}/{unit.parent}"].append(unit)
    chunks: list[Chunk] = []
    for unit in units:
        if unit.parent is None and unit.status != "deleted" and unit.text.strip():
            chunks.extend(_split(unit, children, max_chars))
    return chunks


def _split(top: Unit, children: dict[str, list[Unit]], max_chars: int) -> list[Chunk]:
    kids = [k for k in children.get(top.key, []) if k.status != "deleted"]
    if len(top.text) <= max_chars or not kids:
        return [_chunk(top, [top], top.text, 0)]
    groups: list[list[Unit]] = []
    for kid in kids:
        if groups and sum(len(k.text) for k in groups[-1]) + len(kid.text) <= max_chars:
            groups[-1].append(kid)
        else:
            groups.append([kid])
    chunks = []
    lead = top.own_text
    for i, group in enumerate(groups):
        body = "\n".join(k.text for k in group)
        text = f"{lead}\n{body}" if lead and i == 0 else body
        chunks.append(_chunk(top, group, text, i))
    return chunks


def _chunk(top: Unit, covered: list[Unit], text: str, index: int) -> Chunk:
    first = covered[0]
    return Chunk(
        chunk_id=f"{top.doc_id}/{top.unit_id}#{index}",
        doc_id=top.doc_id,
        unit_id=first.unit_id,
        unit_ids=tuple(u.unit_id for u in covered),
        citation=first.citation,
        heading=top.heading,
        text=text,
        language=top.language,
    )
