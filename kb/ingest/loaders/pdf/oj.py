"""The "oj" layout of the PDF loader: an act as printed in the Official Journal of the EU.

``walk_oj`` feeds the cleaned lines of ``kb.ingest.loaders.pdf`` to a ``UnitBuilder``: recitals
(``rec-N``), articles (``art-N``) with paragraphs and points, annexes (``annex-I``) with parts and
points. CHAPTER / SECTION titles go to the context; the footnote block at the foot of each page is
split off and attached to the provision that references it. Sequence guards (the next article,
recital, paragraph or point must be the expected one) keep cross-references text, and text quoted
by an amending article (‘Article 19a …’) is never structure.
"""

from __future__ import annotations

import re

from kb.ingest.headings import (
    Label,
    Line,
    classify,
    ends_clause,
    first_of,
    is_next_article,
    point_styles,
    successor,
)
from kb.ingest.structure import UnitBuilder

_WHEREAS = re.compile(r"^Whereas\b")
_ADOPTED = re.compile(r"^HAVE ADOPTED THIS\b|^HAS ADOPTED THIS\b")
_FINAL_FORMULA = re.compile(
    r"^(?:This \w+|Articles? [\d\w ,]+?) shall be binding in (?:its entirety|their entirety)"
)
_DONE_AT = re.compile(r"^Done at [A-Z]")
_FOOTNOTE = re.compile(r"^\((\d{1,3})\) (.*)$")
_INLINE_REF = re.compile(r"(?<=\S) \((\d{1,3})\)")
_QUOTE_CLOSE = re.compile(r"’[;.]?$")
_SEPARATOR = re.compile(r"^_{5,}$")
_STAR_NOTE = re.compile(r"^\(\*+\) ")
_QUOTE_CLOSED_INLINE = re.compile(r"’(?:[;.,:)]|\s+[a-z(])")
_LAST_WORD = re.compile(r"\b[a-z]+$")
#: words that a number may complete at the start of the next line ("in paragraph" / "3.")
_NUMBERED_BY = frozenset(
    "paragraph paragraphs subparagraph subparagraphs point points article articles annex annexes "
    "chapter section part title table step level no number of to in and or the a an with under by "
    "from than at for on per".split()
)


def _split_footnotes(lines: list[Line]) -> tuple[list[Line], dict[int, str]]:
    """Separate OJ footnotes (the numbered block at the foot of each page) from the body.

    A page's trailing block counts as footnotes when it starts with the next footnote number,
    numbers run on by one and every number was referenced in the body before ("… Committee (1),").
    Returns the body lines and ``{number: footnote text}``.
    """
    pages: dict[int | None, list[Line]] = {}
    for line in lines:
        pages.setdefault(line.page, []).append(line)
    body: list[Line] = []
    notes: dict[int, str] = {}
    referenced: set[int] = set()
    for page_lines in pages.values():
        start = _footnote_block_start(page_lines, len(notes) + 1, referenced)
        for line in page_lines[:start]:
            referenced.update(int(n) for n in _INLINE_REF.findall(line.text))
        body += page_lines[:start]
        for line in page_lines[start:]:
            match = _FOOTNOTE.match(line.text)
            if match and int(match[1]) == len(notes) + 1:
                notes[int(match[1])] = match[2]
            elif notes:
                notes[len(notes)] += " " + line.text
    return body, notes


def _footnote_block_start(lines: list[Line], expected: int, referenced: set[int]) -> int:
    """Index of the first footnote line of a page, or ``len(lines)`` when it has none."""
    for i, line in enumerate(lines):
        match = _FOOTNOTE.match(line.text)
        if not match or int(match[1]) != expected:
            continue
        seen = referenced | {
            int(n) for earlier in lines[:i] for n in _INLINE_REF.findall(earlier.text)
        }
        numbers = [int(m[1]) for m in map(_FOOTNOTE.match, (x.text for x in lines[i:])) if m]
        if numbers == list(range(expected, expected + len(numbers))) and set(numbers) <= seen:
            return i
    return len(lines)


class _OjWalker:
    """Official Journal act: preamble, recitals, articles (paragraphs, points), final part, annexes.

    Units: ``rec-N`` (level 0), ``art-N`` (0) with ``par-N`` (1) and points (2, 3, …),
    ``annex-I`` (0) with ``part-X`` (1) and points. CHAPTER / SECTION titles go to the context.
    Inside an amending article, text between ‘ and ’ (inserted provisions) is never structure.
    Sentences after a paragraph's list of points go to the paragraph, after its points.
    """

    def __init__(self, lines: list[Line], builder: UnitBuilder):
        self.b = builder
        self.body, self.notes = _split_footnotes(lines)
        self.phase = "preamble"
        self.recital = 0
        self.article: str | None = None
        self.annex: str | None = None
        self.par = 0
        self.points: list[tuple[str, str]] = []  # open points as (style, number), outermost first
        self.point_base = 2
        self.absorbing = False  # a restarted list (second "(a)") stays text until the next par
        self.in_quote = False
        self.quote_notes: list[str] | None = None  # footnotes of quoted text, after its "_____"
        self.pending: str | None = None  # "heading" | "chapter:<title>" | "section:<title>"
        self.prev: str | None = None
        self.title = False  # the current line is a heading or title
        self.next_note = 1
        self.index = 0  # of the current line in ``body``

    def run(self) -> None:
        for index, line in enumerate(self.body):
            self.index = index
            self.title = False
            self._line(line)
            self.prev = None if self.title else line.text  # a label may follow a title

    def _line(self, line: Line) -> None:
        if self.pending and self._pending(line):
            self.title = True
            return
        if self.phase in ("articles", "annexes") and self._quoted(line):
            return
        getattr(self, f"_{self.phase}")(line)  # _preamble, _recitals, _articles, _closing, _annexes

    # -- phases -------------------------------------------------------------------------------

    def _preamble(self, line: Line) -> None:
        """Title and citations: no units; "Whereas:" starts the recitals."""
        if _WHEREAS.match(line.text):
            self.phase = "recitals"
        elif _ADOPTED.match(line.text):
            self.phase = "articles"

    def _recitals(self, line: Line) -> None:
        """ "(N) …" opens recital N when N is the next number; "HAVE ADOPTED" ends them."""
        if _ADOPTED.match(line.text):
            self.b.close_all()
            self.phase = "articles"
            return
        label = classify(line.text)
        number = str(self.recital + 1)
        if (
            label
            and label.kind == "paren"
            and label.number == number
            and ends_clause(self.prev, comma=True)
        ):
            self.recital += 1
            self.b.open(0, "rec", number, label=label.label, page=line.page, start=line.start)
            self._text(label.rest, line)
        else:
            self._text(line.text, line)

    def _articles(self, line: Line) -> None:
        """Enacting terms, until the final formula or "Done at" (signatures are dropped)."""
        text = line.text
        if _FINAL_FORMULA.match(text) or _DONE_AT.match(text):
            self.b.close_all()
            self.phase = "closing"
            return
        label = classify(text)
        if label and self._heading(label, line):
            return
        if label and self._structure(label, line):
            return
        if self._list_ended(text):
            self.b.close(2)  # the paragraph goes on after its points: its tail
            self.points, self.absorbing = [], True
        self._text(text, line)

    def _closing(self, line: Line) -> None:
        """Signatures: dropped until an annex starts."""
        label = classify(line.text)
        if label and label.kind == "annex":
            self._heading(label, line)

    def _annexes(self, line: Line) -> None:
        """Annexes: parts ("PART A"), numbered points ("1."), lettered points."""
        label = classify(line.text)
        if label and self._heading(label, line):
            return
        if label and label.kind == "part":
            self.b.open(1, "part", label.number, page=line.page, start=line.start)
            self.pending, self.par, self.points, self.point_base = "heading", 0, [], 2
            self.title = True
            return
        if label and self._structure(label, line):
            return
        self._text(line.text, line)

    # -- headings -----------------------------------------------------------------------------

    def _heading(self, label: Label, line: Line) -> bool:
        """Article, annex, chapter and section headings (whole lines, in sequence)."""
        if label.kind == "article" and is_next_article(self.article, label.number):
            if self.phase != "articles" or not ends_clause(self.prev, titles=True):
                return False
            self.article = label.number
            self.b.open(0, "art", label.number, page=line.page, start=line.start)
        elif label.kind == "annex" and self._is_next_annex(label.number):
            self.annex, self.phase = label.number, "annexes"
            self.b.clear_context()
            self.b.open(0, "annex", label.number, page=line.page, start=line.start)
        elif label.kind in ("chapter", "section") and self.phase == "articles":
            rank = 0 if label.kind == "chapter" else 1
            if label.rest:  # "Chapitre V : Des sociétés anonymes"
                self.b.set_context(rank, label.label)
            else:  # "CHAPTER 1", its title on the next line
                self.pending = f"{label.kind}:{label.label}"
            self.title = True
            return True
        else:
            return False
        self.pending, self.par, self.points, self.absorbing = "heading", 0, [], False
        self.point_base = 1 if label.kind == "annex" else 2
        self.title = True
        return True

    def _is_next_annex(self, number: str) -> bool:
        """Sequence guard for annexes: "ANNEX" or "ANNEX I" first, then II, III … (or 2, 3 …)."""
        if self.annex is None:
            return number in ("", "I", "1", "A")
        if not number or not self.annex:
            return False
        if number.isdigit() and self.annex.isdigit():
            return int(number) == int(self.annex) + 1
        try:
            return number == successor(self.annex, "upper-roman")
        except ValueError:
            return False

    def _pending(self, line: Line) -> bool:
        """The line after a heading: the article/annex title or the chapter/section title."""
        pending, self.pending = self.pending, None
        if pending == "heading":
            if classify(line.text) or line.text.startswith("‘") or len(line.text) > 200:
                return False
            self.b.set_heading(line.text)
            return True
        kind, _, title = pending.partition(":")
        self.b.set_context(0 if kind == "chapter" else 1, f"{title} – {line.text}")
        return True

    # -- paragraphs and points ----------------------------------------------------------------

    def _structure(self, label: Label, line: Line) -> bool:
        """Open a paragraph ("1."), annex point ("1.") or point ("(a)", "(1)", "(iv)") in sequence."""
        if self.article is None and self.annex is None:
            return False
        if not ends_clause(self.prev) and not (label.kind == "dot" and self._missing_stop(label)):
            return False
        if label.kind == "dot":
            return self._numbered(label, line)
        if label.kind == "paren" and not self.absorbing:
            return self._point(label, line)
        return False

    def _list_ended(self, text: str) -> bool:
        """True when ``text`` is a new sentence of the paragraph after its list of points.

        The last point ended with a full stop (the others end with ";" or ":"), this line starts
        with a capital, and no later line before the next paragraph continues the open lists.
        A list restarting at "(a)" afterwards stays text: its ids would repeat the first list's.
        """
        if not (self.par and self.points and (self.prev or "").endswith(".")):
            return False
        if not text[:1].isupper():
            return False
        expected = {successor(number, style) for style, number in self.points}
        for later in self.body[self.index + 1 :]:
            label = classify(later.text)
            if label is None:
                continue
            if label.kind == "article" or (
                label.kind == "dot" and label.number == str(self.par + 1)
            ):
                break
            if label.kind == "paren" and label.number in expected:
                return False
        return True

    def _missing_stop(self, label: Label) -> bool:
        """True when "N." is the next paragraph although the line before lacks its full stop.

        The printed text sometimes drops the stop at the end of a paragraph ("… for five" /
        "years" / "3. Operators …", EUDR Art. 12). Accepted only inside a running sequence, when
        the paragraph starts with a capital and the line before ends with a plain word, not one
        that a number completes ("paragraph", "Article", "of").
        """
        last = _LAST_WORD.search(self.prev or "")
        return bool(
            self.par and label.rest[:1].isupper() and last and last[0].lower() not in _NUMBERED_BY
        )

    def _numbered(self, label: Label, line: Line) -> bool:
        """ "3.": a paragraph of an article or a point of an annex, if it is the next number."""
        if int(label.number) != self.par + 1:
            return False
        self.par, self.points, self.absorbing = self.par + 1, [], False
        kind, level = ("par", 1) if self.phase == "articles" else ("pt", self.point_base)
        self.b.open(level, kind, label.number, label=label.label, page=line.page, start=line.start)
        return self._rest(label, line)

    def _point(self, label: Label, line: Line) -> bool:
        """ "(a)", "(1)", "(iv)": a point, placed by the lists open above it."""
        choice = self._point_position(label.number)
        if choice is None:
            return False
        depth, style = choice
        self.points = [*self.points[:depth], (style, label.number)]
        base = 2 if self.phase == "articles" else self.point_base + (1 if self.par else 0)
        self.b.open(
            base + depth, "pt", label.number, label=label.label, page=line.page, start=line.start
        )
        return self._rest(label, line)

    def _point_position(self, number: str) -> tuple[int, str] | None:
        """Where a point label fits in the open list: ``(depth, style)``, or ``None`` (text)."""
        options = []
        styles_open = [style for style, _ in self.points]
        for style in point_styles(number):
            if style in styles_open:
                depth = styles_open.index(style)
                if successor(self.points[depth][1], style) == number:
                    options.append((depth, style))
                elif number == first_of(style):
                    self.absorbing = True  # a second list in the same paragraph
            elif number == first_of(style):
                options.append((len(self.points), style))
        if not options:
            return None
        if len(options) > 1 and (self.prev or "").rstrip().endswith(":"):
            return max(options)  # "(i)" after "…:" opens a sub-list
        return min(options)

    def _rest(self, label: Label, line: Line) -> bool:
        self._text(label.rest, line)
        return True

    # -- text, quotes, footnotes --------------------------------------------------------------

    def _quoted(self, line: Line) -> bool:
        """Track text quoted by an amending provision (‘…’); quoted lines are always text.

        The footnotes of an inserted provision ("_____", then "(*) OJ L …") become footnotes.
        """
        text = line.text
        if self.in_quote:
            self.in_quote = not _QUOTE_CLOSE.search(text)
            if _SEPARATOR.match(text) or self.quote_notes is not None:
                self._quote_note(text, line)
            else:
                self._text(text, line)
            return True
        if (
            text.startswith("‘")
            and not _QUOTE_CLOSED_INLINE.search(text)
            and not _QUOTE_CLOSE.search(text)
        ):
            self.in_quote = True
            self._text(text, line)
            return True
        return False

    def _quote_note(self, text: str, line: Line) -> None:
        """Collect the footnotes of quoted text; each starts with "(*)", "(**)" …"""
        notes = self.quote_notes = [] if _SEPARATOR.match(text) else self.quote_notes or []
        if _STAR_NOTE.match(text) or (notes == [] and not _SEPARATOR.match(text)):
            notes.append(text)
        elif notes:
            notes[-1] += " " + text
        self.b.add_text("", end=line.end)
        if not self.in_quote:
            for note in notes:
                self.b.add_footnote(_QUOTE_CLOSE.sub("", note))
            self.quote_notes = None

    def _text(self, text: str, line: Line) -> None:
        """Add a line to the open provision; attach the footnotes it references."""
        self.b.add_text(text if text.strip("_ ") else "", end=line.end)
        for number in (int(n) for n in _INLINE_REF.findall(text)):
            if number in self.notes and self.next_note <= number <= self.next_note + 3:
                self.b.add_footnote(f"({number}) {self.notes[number]}")
                self.next_note = number + 1


def walk_oj(lines: list[Line], builder: UnitBuilder) -> None:
    """Build the units of an Official Journal act (see module doc)."""
    _OjWalker(lines, builder).run()
