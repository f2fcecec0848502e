"""Build the unit tree of a document from a stream of "open a provision" / "add text" events.

Every loader, whatever its source format, walks its input in reading order and tells a
``UnitBuilder`` what it sees; the builder keeps the stack of open provisions, assigns ids,
citations, parents, order and offsets, and assembles each provision's full text. The logic that
all loaders share (ids, numbering, citations, text assembly) therefore lives here once.

Levels are ranks, not depths: a loader may open an article at level 0, paragraphs at 1 and points
at 2; a point directly under an article (no numbered paragraph) is simply attached to the article.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from kb.errors import LoadError
from kb.models import DocRecord, Unit
from kb.numbering import citation, segment

_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f]+")


def clean_text(text: str) -> str:
    """NFKC (ligatures, non-breaking spaces), collapse runs of spaces, strip each line."""
    text = unicodedata.normalize("NFKC", text)
    lines = [_SPACES.sub(" ", line).strip() for line in text.splitlines()]
    return "\n".join(line for line in lines if line)


@dataclass
class _Node:
    level: int
    unit_id: str
    kind: str
    number: str
    label: str
    heading: str
    page: int | None
    start: int | None
    end: int | None
    status: str
    context: tuple[str, ...]
    parent: _Node | None
    own: list[str] = field(default_factory=list)
    tail: list[str] = field(default_factory=list)
    footnotes: list[str] = field(default_factory=list)
    markers: list[str] = field(default_factory=list)
    children: list[_Node] = field(default_factory=list)

    def full_text(self) -> str:
        head = " ".join(self.own).strip() if self.kind != "pt" else "\n".join(self.own).strip()
        parts = [f"{self.label} {head}".strip() if self.label else head]
        parts += [child.full_text() for child in self.children]
        parts.append(" ".join(self.tail).strip())
        return "\n".join(p for p in parts if p)

    def last_end(self) -> int | None:
        ends = [e for e in [self.end, *(c.last_end() for c in self.children)] if e is not None]
        return max(ends) if ends else None


class UnitBuilder:
    """Collects provisions of one source file and turns them into ``Unit`` records.

    >>> b = UnitBuilder(record, "x.html")           # doctest: +SKIP
    >>> b.open(0, "art", "14", heading="Complaints")  # doctest: +SKIP
    >>> b.open(1, "par", "1", label="1.")             # doctest: +SKIP
    >>> b.add_text("Member States shall ensure …")     # doctest: +SKIP
    >>> units = b.build()                             # doctest: +SKIP
    """

    def __init__(self, record: DocRecord, source_file: str, *, language: str | None = None):
        self.record = record
        self.source_file = source_file
        self.language = language or record.language
        self._stack: list[_Node] = []
        self._roots: list[_Node] = []
        self._ids: set[str] = set()
        self._context: dict[int, str] = {}

    # -- events -------------------------------------------------------------------------------

    def set_context(self, rank: int, title: str) -> None:
        """Record a grouping heading (Chapter, Section, Abschnitt, Pillar) for the next provisions.

        A heading at ``rank`` replaces any context at that rank or below.
        """
        self._context = {r: t for r, t in self._context.items() if r < rank}
        self._context[rank] = clean_text(title).replace("\n", " ")

    def open(
        self,
        level: int,
        kind: str,
        number: str = "",
        *,
        heading: str = "",
        label: str = "",
        page: int | None = None,
        start: int | None = None,
        status: str = "current",
    ) -> str:
        """Open a provision at ``level`` (closing deeper ones). Returns its unit id."""
        while self._stack and self._stack[-1].level >= level:
            self._stack.pop()
        parent = self._stack[-1] if self._stack else None
        try:
            seg = segment(kind, number)
        except ValueError as exc:
            raise LoadError(f"{self.source_file}: {exc}") from None
        unit_id = f"{parent.unit_id}.{seg}" if parent else seg
        if unit_id in self._ids:
            raise LoadError(f"{self.source_file}: provision {unit_id} appears twice")
        self._ids.add(unit_id)
        node = _Node(
            level=level,
            unit_id=unit_id,
            kind=kind,
            number=seg.partition("-")[2],
            label=label,
            heading=clean_text(heading).replace("\n", " "),
            page=page,
            start=start,
            end=start,
            status=status,
            context=tuple(self._context[r] for r in sorted(self._context)),
            parent=parent,
        )
        (parent.children if parent else self._roots).append(node)
        self._stack.append(node)
        return unit_id

    def close(self, level: int) -> None:
        """Close the provisions at ``level`` and deeper; text added next goes after their parent's
        sub-units (e.g. the closing words of a paragraph after its list of points)."""
        while self._stack and self._stack[-1].level >= level:
            self._stack.pop()

    def clear_context(self) -> None:
        """Forget all grouping headings (e.g. before an annex that belongs to no chapter)."""
        self._context = {}

    def close_all(self) -> None:
        """Close every open provision (e.g. at the end of the enacting terms)."""
        self._stack.clear()

    @property
    def current(self) -> str | None:
        return self._stack[-1].unit_id if self._stack else None

    def add_text(self, text: str, *, end: int | None = None) -> None:
        """Append text to the innermost open provision; text outside any provision is dropped.

        Text added after the provision already has sub-units is kept after them (its tail)."""
        if not self._stack:
            return
        text = clean_text(text).replace("\n", " ")
        node = self._stack[-1]
        if text:
            (node.tail if node.children else node.own).append(text)
        if end is not None:
            node.end = end

    def set_heading(self, heading: str) -> None:
        """Set the heading of the innermost open provision (headings often follow the number)."""
        if self._stack:
            self._stack[-1].heading = clean_text(heading).replace("\n", " ")

    def add_footnote(self, text: str) -> None:
        if self._stack:
            self._stack[-1].footnotes.append(clean_text(text).replace("\n", " "))

    def add_marker(self, marker: str) -> None:
        if self._stack and marker not in self._stack[-1].markers:
            self._stack[-1].markers.append(marker)

    def mark_deleted(self) -> None:
        if self._stack:
            self._stack[-1].status = "deleted"

    # -- result -------------------------------------------------------------------------------

    def build(self) -> list[Unit]:
        """All provisions in reading order (parents before children)."""
        units: list[Unit] = []

        def walk(node: _Node) -> None:
            units.append(
                Unit(
                    doc_id=self.record.doc_id,
                    unit_id=node.unit_id,
                    kind=node.kind,
                    number=node.number,
                    text=node.full_text(),
                    own_text=" ".join(node.own).strip(),
                    heading=node.heading,
                    language=self.language,
                    citation=citation(
                        self.record.cite_as,
                        node.unit_id,
                        self.language,
                        self.record.citation_style,
                    ),
                    parent=node.parent.unit_id if node.parent else None,
                    order=len(units),
                    source_file=self.source_file,
                    start=node.start,
                    end=node.last_end(),
                    page=node.page,
                    status=node.status,
                    markers=tuple(node.markers),
                    footnotes=tuple(node.footnotes),
                    context=node.context,
                )
            )
            for child in node.children:
                walk(child)

        for root in self._roots:
            walk(root)
        return units
