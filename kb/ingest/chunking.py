"""Retrieval passages that respect the structure of the law.

A chunk never crosses a top-level provision (article, §, recital, principle, section, annex).
A long provision is split at the boundaries of its sub-units (paragraphs, then points of a long
paragraph), neighbouring pieces packed up to ``MAX_CHARS``; each chunk carries the heading of its
provision and cites the innermost provision that holds all it covers.

With ``parts`` (the default), every paragraph and point of a provision is also a chunk of its own
(``Chunk.part``), so that a hit can cite "Art. 29(3)" rather than "Art. 29": the rankers see the
part's exact text with the provision's heading and, for a point, the lead-in of its list
(``Chunk.context``: "Member States shall ensure that …"). A part whose text is already a passage
of its own is not repeated.
"""

from __future__ import annotations

from collections import defaultdict

from kb.models import Chunk, Unit

MAX_CHARS = 1500


#: characters of a list's lead-in kept as a part's context
CONTEXT_CHARS = 300


def make_chunks(
    units: list[Unit], max_chars: int = MAX_CHARS, *, parts: bool = True
) -> list[Chunk]:
    """Chunks for all units, in reading order: the passages of each provision, then (``parts``)
    its paragraphs and points. Deleted provisions produce no chunk."""
    children: dict[str, list[Unit]] = defaultdict(list)
    by_key = {unit.key: unit for unit in units}
    for unit in units:
        if unit.parent is not None:
            children[f"{unit.doc_id}/{unit.parent}"].append(unit)
    chunks: list[Chunk] = []
    for unit in units:
        if unit.parent is None and unit.status != "deleted" and unit.text.strip():
            pieces = _pack(_pieces(unit, children, max_chars), max_chars)
            passages = [
                _chunk(unit, covered, text, i, by_key) for i, (covered, text) in enumerate(pieces)
            ]
            chunks += passages
            if parts:
                chunks += _parts(unit, children, by_key, {c.unit_id for c in passages})
    return chunks


def _parts(top: Unit, children, by_key: dict[str, Unit], cited: set[str]) -> list[Chunk]:
    """One chunk per live paragraph/point below ``top`` (any depth), in reading order."""
    out: list[Chunk] = []
    stack = list(reversed(children.get(top.key, [])))
    while stack:
        unit = stack.pop()
        stack += reversed(children.get(unit.key, []))
        if unit.status == "deleted" or not unit.text.strip() or unit.unit_id in cited:
            continue
        lead = _lead_in(unit, by_key.get(f"{unit.doc_id}/{unit.parent}"), children)
        out.append(
            Chunk(
                chunk_id=f"{top.doc_id}/{unit.unit_id}",
                doc_id=top.doc_id,
                unit_id=unit.unit_id,
                unit_ids=(unit.unit_id,),
                citation=unit.citation,
                heading=top.heading,
                text=unit.text,
                language=top.language,
                part=True,
                context=lead,
            )
        )
    return out


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


def _lead_in(unit: Unit, parent: Unit | None, children) -> str:
    """The words of ``parent`` right before the run of sub-units ``unit`` belongs to (its
    siblings of the same kind): the lead-in of the list ("Il comprend les mesures suivantes :",
    "Companies shall be required to take the following appropriate measures")."""
    if parent is None:
        return ""
    kids = children.get(parent.key, [])
    run = kids.index(unit) if unit in kids else 0
    while run > 0 and kids[run - 1].kind == unit.kind:
        run -= 1
    at = parent.text.find(kids[run].text[:80]) if kids else -1
    return _tail(parent.text[:at]) if at > 0 else ""


def _tail(text: str, limit: int = CONTEXT_CHARS) -> str:
    """The last words of a lead-in (those right before its list), at most ``limit`` characters."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[-limit:]
    return cut[cut.find(" ") + 1 :]


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
