"""The "paragraphs" layout of the PDF loader: soft law in chapters of numbered paragraphs.

OECD, ILO and UN texts that are not principles with commentaries (the OECD Guidelines, the ILO
MNE Declaration, many guidance documents) are chapters ("I. Concepts and Principles",
"Chapter IV Human Rights") of paragraphs numbered through ("1. The Guidelines are
recommendations …"). ``walk_paragraphs`` builds ``para-N`` units (level 0, as such texts are
cited: "para. 14") with the chapter as their context:

- a **chapter** line is a short line without final punctuation, opened by "Chapter/Chapitre/
  Kapitel/Hoofdstuk" and a number, or by a Roman numeral and a full stop ("IV. Human Rights")
  that is the next chapter number (so a lettered heading "C. …" is not a chapter);
- a **paragraph** opens at "N." (or "N)") at the start of a line when N is the next number of the
  document — 1 first, then one more than the last — or 1 again after a new chapter heading (some
  texts number per chapter; the unit is then ``para-<chapter>-N``), so cross-references ("see
  paragraph 3.") and amounts stay text;
- every other line continues the paragraph that is open; lines before the first paragraph
  (title, foreword) give no unit.
"""

from __future__ import annotations

import re

from kb.ingest.headings import Line
from kb.ingest.structure import UnitBuilder

_CHAPTER = re.compile(
    r"^(?:(?:Chapter|Chapitre|Kapitel|Hoofdstuk|Part|Partie|Teil|Deel)\s+([IVXLC]+|\d{1,2})\b"
    r"[.:–—-]?\s*(.*)|([IVXLC]{1,5})\.\s+(\S.*))$"
)
_PARAGRAPH = re.compile(r"^(\d{1,3})[.)]\s+(\S.*)$")
_MAX_CHAPTER_WORDS = 14


def walk_paragraphs(lines: list[Line], builder: UnitBuilder) -> None:
    """Build ``para-N`` units from the cleaned lines of a soft-law text (see module doc)."""
    last = 0  # the number of the paragraph open, 0 before the first
    chapter: str | None = None
    chapters = 0  # the number of the last chapter heading
    restarted = False  # paragraphs numbered per chapter
    fresh_chapter = False
    for line in lines:
        text = line.text.strip()
        head = _CHAPTER.match(text)
        if (
            head
            and len(text.split()) <= _MAX_CHAPTER_WORDS
            and not text.endswith((".", ";", ",", " and", " of", " et", " und"))
            and (head.group(1) or _roman(head.group(3)) == chapters + 1)
        ):
            chapter = head.group(1) or head.group(3)
            chapters = _roman(chapter) or chapters + 1
            builder.set_context(0, text)
            fresh_chapter = True
            continue
        para = _PARAGRAPH.match(text)
        if para:
            number = int(para.group(1))
            if number == last + 1 or (fresh_chapter and number == 1 and last > 0):
                restarted = restarted or (number == 1 and last > 0)
                last = number
                label = f"{chapter}-{number}" if restarted and chapter else str(number)
                builder.open(0, "para", label, page=line.page, start=line.start)
                builder.add_text(para.group(2), end=line.end)
                fresh_chapter = False
                continue
        if last:
            builder.add_text(text, end=line.end)


def _roman(text: str | None) -> int | None:
    """A chapter number written in Roman numerals or digits as an int (None otherwise): a bare
    "C." or "L." counts as a chapter only where it is the next one in sequence."""
    from kb.numbering import roman_to_int

    if not text:
        return None
    if text.isdigit():
        return int(text)
    try:
        return roman_to_int(text)
    except ValueError:
        return None
