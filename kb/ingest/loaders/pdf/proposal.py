"""The "proposal" layout of the PDF loader: a European Commission legislative proposal (COM document).

A COM PDF holds an explanatory memorandum, then the proposed act: title, citations, recitals
after "considérant ce qui suit:" / "Whereas:" / "in Erwägung nachstehender Gründe:" /
"Overwegende hetgeen volgt:", the enacting terms after "ONT ADOPTÉ …" / "HAVE ADOPTED …", articles
("Article premier", "Article 2", …, each with its heading on the next line) and the closing
"Fait à Bruxelles" / "Done at Brussels".

- The **explanatory memorandum is not provisions**: nothing before the recitals becomes a unit.
- **Page furniture**: the running header "FR 53 FR" (language code, page number, language code)
  and the footnotes at the foot of each page are removed; a footnote block starts with the next
  footnote number (the document numbers them in one sequence) and runs to the end of its page;
  the footnote marks glued to words ("européen73,") are dropped from the text. Footnotes are
  attached to the provision being read.
- **Numbering**: the Commission's word processor numbers paragraphs and points in one sequence
  through the whole act (Art. 2 starts at "4.", its points at "(c)"). A numbered line is accepted
  when it is the first of its article (paragraphs) or paragraph (points), or when its printed
  number continues the sequence (or restarts it at "1." / "(a)" / "i)"), so cross-references
  stay text; units are numbered by position inside their article (the printed
  "4." of Art. 2 is ``art-2.par-1``), which is how the act is cited.
"""

from __future__ import annotations

import re

from kb.ingest.headings import Line
from kb.ingest.structure import UnitBuilder

_HEADER = re.compile(r"^[A-Z]{2}(?: \d{1,3})? [A-Z]{2}$")
_RECITALS_START = re.compile(
    r"^(?:considérant ce qui suit|Whereas|in Erwägung nachstehender Gründe|Overwegende hetgeen"
    r" volgt)\s*:?$",
    re.I,
)
_ENACTING = re.compile(
    r"^(?:ONT ADOPTÉ|HAVE ADOPTED|HABEN FOLGENDE|HEBBEN DE VOLGENDE|A ADOPTÉ|HAS ADOPTED)\b"
)
_END = re.compile(r"^(?:Fait à|Done at|Geschehen zu|Gedaan te) \w+")
_ARTICLE = re.compile(r"^(?:Article|Artikel)\s+(premier|1er|\d{1,3}[a-z]?)$")
_RECITAL = re.compile(r"^\((\d{1,3})\)\s+(\S.*)$")
_PARAGRAPH = re.compile(r"^(\d{1,3})\.\s+(\S.*)$")
_LETTER = re.compile(r"^\(([a-z]{1,2})\)\s+(\S.*)$")
_ROMAN = re.compile(r"^\(?([ivx]{1,5})\)\s+(\S.*)$")
_NOTE_START = re.compile(r"^(\d{1,3})\s+(\S.*)$")
_ROMANS = ("i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii")


def _letter_after(letter: str | None) -> str:
    if not letter:
        return "a"
    if letter == "z":
        return "aa"
    if len(letter) == 2:
        return letter[0] + chr(ord(letter[1]) + 1)
    return chr(ord(letter) + 1)


def _footnotes(lines: list[Line]) -> tuple[list[Line], list[tuple[int, str]]]:
    """Body lines without page headers and footnote blocks; the footnotes as (page, text)."""
    body: list[Line] = []
    notes: list[tuple[int, str]] = []
    last_note = 0
    in_notes_on_page: int | None = None
    for line in lines:
        text = line.text.strip()
        if _HEADER.match(text):
            in_notes_on_page = None
            continue
        if in_notes_on_page == line.page:
            match = _NOTE_START.match(text)
            if match and last_note < int(match.group(1)) <= last_note + 3:
                last_note = int(match.group(1))
                notes.append((line.page, text))
            elif notes:
                notes[-1] = (notes[-1][0], f"{notes[-1][1]} {text}")
            continue
        match = _NOTE_START.match(text)
        if match and last_note < int(match.group(1)) <= last_note + 3 and body:
            # a footnote block: the next footnote number, after the page's body text
            in_notes_on_page = line.page
            last_note = int(match.group(1))
            notes.append((line.page, text))
            continue
        body.append(line)
    return body, notes


def walk_proposal(lines: list[Line], builder: UnitBuilder) -> None:
    """Build recitals and articles of a Commission proposal (see module doc)."""
    body, notes = _footnotes(lines)
    numbers = {int(_NOTE_START.match(t).group(1)) for _, t in notes}
    marks = re.compile(r"(?<=[^\W\d_])(\d{1,3})(?=[\s,.;:)»]|$)")

    def unmark(text: str) -> str:
        return marks.sub(lambda m: "" if int(m.group(1)) in numbers else m.group(0), text)

    notes_by_page: dict[int, list[str]] = {}
    for page, text in notes:
        notes_by_page.setdefault(page, []).append(text)
    state = "memorandum"
    next_recital = 1
    printed_par = 0
    printed_letter: str | None = None
    article_pars = 0
    par_letters = 0
    roman_index = 0
    want_heading = False
    noted_pages: set[int] = set()
    for line in body:
        text = unmark(line.text.strip())
        if not text:
            continue
        if state == "memorandum":
            if _RECITALS_START.match(text):
                state = "recitals"
            continue
        if _END.match(text):
            break
        if line.page not in noted_pages and builder.current:
            noted_pages.add(line.page)
            for note in notes_by_page.get(line.page, []):
                builder.add_footnote(note)
        if state == "recitals":
            if _ENACTING.match(text):
                state = "articles"
                builder.close_all()
                continue
            recital = _RECITAL.match(text)
            if recital and int(recital.group(1)) == next_recital:
                builder.open(
                    0,
                    "rec",
                    recital.group(1),
                    label=f"({recital.group(1)})",
                    page=line.page,
                    start=line.start,
                )
                builder.add_text(recital.group(2), end=line.end)
                next_recital += 1
            else:
                builder.add_text(text, end=line.end)
            continue
        article = _ARTICLE.match(text)
        if article:
            number = "1" if article.group(1) in ("premier", "1er") else article.group(1)
            builder.open(0, "art", number, page=line.page, start=line.start)
            article_pars = par_letters = roman_index = 0
            want_heading = True
            continue
        if want_heading:
            want_heading = False
            if not _PARAGRAPH.match(text) and not _LETTER.match(text):
                builder.set_heading(text)
                continue
        paragraph = _PARAGRAPH.match(text)
        if paragraph and (article_pars == 0 or int(paragraph.group(1)) in (printed_par + 1, 1)):
            printed_par = int(paragraph.group(1))
            article_pars += 1
            par_letters = roman_index = 0
            builder.open(
                1,
                "par",
                str(article_pars),
                label=f"{article_pars}.",
                page=line.page,
                start=line.start,
            )
            builder.add_text(paragraph.group(2), end=line.end)
            continue
        letter = _LETTER.match(text)
        if letter and (par_letters == 0 or letter.group(1) in (_letter_after(printed_letter), "a")):
            printed_letter = letter.group(1)
            par_letters += 1
            roman_index = 0
            label = _letter_after(None) if par_letters == 1 else _nth_letter(par_letters)
            builder.open(2, "pt", label, label=f"({label})", page=line.page, start=line.start)
            builder.add_text(letter.group(2), end=line.end)
            continue
        roman = _ROMAN.match(text)
        if (
            roman
            and par_letters
            and roman_index < len(_ROMANS)
            and roman.group(1)
            in (
                _ROMANS[roman_index],
                "i",
            )
        ):
            roman_index = roman_index + 1 if roman.group(1) != "i" else 1
            label = _ROMANS[roman_index - 1]
            builder.open(3, "pt", label, label=f"({label})", page=line.page, start=line.start)
            builder.add_text(roman.group(2), end=line.end)
            continue
        builder.add_text(text, end=line.end)


def _nth_letter(n: int) -> str:
    letter = None
    for _ in range(n):
        letter = _letter_after(letter)
    return letter or "a"
