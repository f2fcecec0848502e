"""The "ungp" layout of the PDF loader: the UN Guiding Principles on Business and Human Rights.

``walk_ungp`` builds ``principle-N`` units, each with its ``principle-N.commentary``; pillar and
group titles go to the context and operational sub-headings become headings, put back into
sentence case from the small caps of the PDF.
"""

from __future__ import annotations

import re

from kb.ingest.headings import Label, Line, classify, ends_clause, is_caps_line, proper_case
from kb.ingest.structure import UnitBuilder

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

    def __init__(self, lines: list[Line], builder: UnitBuilder):
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


def walk_ungp(lines: list[Line], builder: UnitBuilder) -> None:
    """Build the principles and commentaries of the UNGPs (see module doc)."""
    _UngpWalker(lines, builder).run()
