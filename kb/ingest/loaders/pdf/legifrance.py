"""The "legifrance" layout of the PDF loader: one French code article printed from Légifrance.

``walk_legifrance`` builds ``art-L225-102-1`` with its parts (``par-I``) and items (``pt-1``);
the code name, breadcrumb and version notes go to the context, the NOTA to the footnotes.
"""

from __future__ import annotations

import re

from kb.errors import LoadError
from kb.ingest.headings import Line, classify, ends_clause, successor
from kb.ingest.structure import UnitBuilder

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
    Alinéas after a list of items stay in the last item: they belong to ``par-I``, which the
    builder cannot reopen, and the article's tail would put them after ``par-II``.
    """

    def __init__(self, lines: list[Line], builder: UnitBuilder):
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


def walk_legifrance(lines: list[Line], builder: UnitBuilder) -> None:
    """Build the units of a Légifrance article printout (see module doc)."""
    _LegifranceWalker(lines, builder).run()
