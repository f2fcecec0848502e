"""The line grammar shared by the PDF and text loaders: what a heading or a label looks like.

A line-based loader (``kb.ingest.loaders.pdf``, ``kb.ingest.loaders.text``) turns its source into ``Line``s and
asks ``classify`` what each line starts with: an ``Article 8`` heading, an ``ANNEX II``, a
``CHAPTER 3``, a recital or point label ``(12)``/``(a)``/``(iv)``, a paragraph ``3.``, a French
``1°`` or ``II.-``, a section number ``4.1``. ``classify`` only looks at the start of a line, so a
cross-reference in running text ("in accordance with Article 8", "gemäß § 5") never matches.

Headings that stand alone on a line (``Article N``, ``ANNEX``, ``CHAPTER``) match only when the
line holds nothing else, so a wrapped reference such as "Article 4 of this Directive shall apply"
is not a heading either. What position and sequence rules remain (the next article must be the
expected number, a label must follow the end of a clause) are the small pure helpers below; the
loaders' layout walkers apply them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kb.numbering import int_to_roman, is_roman, roman_to_int

# --------------------------------------------------------------------------- data


@dataclass(frozen=True)
class Line:
    """One line of a source after cleaning.

    ``start``/``end`` are character offsets of the line in the loader's cleaned text (lines joined
    with ``"\\n"``); ``page`` is the 1-based PDF page, ``None`` for plain text.
    """

    text: str
    page: int | None
    start: int
    end: int


@dataclass(frozen=True)
class Label:
    """What a line starts with, as printed.

    ``kind`` is one of ``KINDS``; ``number`` the raw number ("8", "19a", "IV", "a", "4.1",
    "L225-102-1"); ``label`` the label as printed ("(a)", "3.", "1°", "II.-"); ``rest`` the text
    after the label on the same line (the heading title for ``chapter``/``section``/``decimal``).
    """

    kind: str
    number: str
    label: str
    rest: str = ""


#: label kinds ``classify`` can return
KINDS = (
    "article",  # a line holding only "Article 8" / "Artikel 8" / "Article L225-102-1"
    "sign",  # a line holding only "§ 5" (German law)
    "annex",  # "ANNEX", "ANNEX II", "Anlage"
    "chapter",  # "CHAPTER 3", "Chapitre V : …"
    "section",  # "SECTION 2", "Section 3 : …"
    "part",  # "PART A", "Part 1"
    "paren",  # "(12) …", "(a) …", "(iv) …": recital or point
    "dot",  # "3. …": paragraph, principle, annex point
    "degree",  # "1° …": French point
    "roman",  # "II.- …": French numbered part of an article
    "decimal",  # "4.1 Title", "1 Situering": numbered section of a policy text
    "commentary",  # "Commentary" (UN Guiding Principles)
)

# --------------------------------------------------------------------------- patterns

_ARTICLE = re.compile(
    r"^(?:Article|ARTICLE|Artikel|ARTIKEL|Art\.)\s+"
    r"(?P<n>(?:[LRD]\.?\s?)?\d+[a-z]{0,3}(?:-\d+)*)$"
)
_SECTION_SIGN = re.compile(r"^§\s*(?P<n>\d+[a-z]?)$")
_ANNEX = re.compile(
    r"^(?:ANNEX|Annex|ANNEXE|Annexe|ANHANG|Anhang|Anlage|BIJLAGE|Bijlage)"
    r"(?:\s+(?P<n>[IVXLC]+|\d+|[A-Z]))?$"
)
_CHAPTER = re.compile(
    r"^(?:CHAPTER|Chapter|CHAPITRE|Chapitre|KAPITEL|Kapitel|HOOFDSTUK|Hoofdstuk)\s+"
    r"(?P<n>[IVXLC]+|\d+[a-z]?)(?:\s*[:.\-–]\s*(?P<rest>.*))?$"
)
_SECTION = re.compile(
    r"^(?:SECTION|Section|ABSCHNITT|Abschnitt|AFDELING|Afdeling)\s+"
    r"(?P<n>[IVXLC]+|\d+[a-z]?)(?:\s*[:.\-–]\s*(?P<rest>.*))?$"
)
_PART = re.compile(r"^(?:PART|Part|PARTIE|TEIL|DEEL)\s+(?P<n>[A-Z]|[IVXLC]+|\d+)$")
_PAREN = re.compile(r"^\((?P<n>\d{1,3}|[a-z]{1,2}|[ivxlc]{1,6})\)(?:\s+(?P<rest>\S.*))?$")
_DOT = re.compile(r"^(?P<n>\d{1,3})\.\s+(?P<rest>\S.*)$")
_DEGREE = re.compile(r"^(?P<n>\d{1,2})\s?°\s*(?P<rest>.*)$")
_ROMAN_DASH = re.compile(r"^(?P<n>[IVX]{1,5})\.\s?[-–]\s?(?P<rest>.*)$")
_DECIMAL = re.compile(r"^(?P<n>\d{1,2}(?:\.\d{1,2})*)\.?\s+(?P<rest>[A-ZÀ-Ý].*)$")
_COMMENTARY = re.compile(r"^Commentary$")

#: a table-of-contents entry: a title followed by a tab, dot leaders or spaces and a page number
_TOC_ENTRY = re.compile(r"(?:\t|\s\.{2,}\s*|\s{2,})\d{1,4}$")


def classify(text: str) -> Label | None:
    """The label a line starts with, or ``None`` for running text.

    >>> classify("Article 8")
    Label(kind='article', number='8', label='Article 8', rest='')
    >>> classify("in accordance with Article 8") is None
    True
    """
    text = text.strip()
    whole_line = (
        ("article", _ARTICLE),
        ("sign", _SECTION_SIGN),
        ("annex", _ANNEX),
        ("part", _PART),
        ("commentary", _COMMENTARY),
    )
    for kind, pattern in whole_line:
        match = pattern.match(text)
        if match:
            return Label(kind, match.groupdict().get("n") or "", text)
    for kind, pattern in (("chapter", _CHAPTER), ("section", _SECTION)):
        match = pattern.match(text)
        if match:
            return Label(kind, match["n"], text, (match["rest"] or "").strip())
    return _classify_label(text)


def _classify_label(text: str) -> Label | None:
    """Labels followed by text: ``(a) …``, ``3. …``, ``1° …``, ``II.- …``, ``4.1 Title``."""
    match = _PAREN.match(text)
    if match:
        return Label("paren", match["n"], f"({match['n']})", match["rest"] or "")
    match = _ROMAN_DASH.match(text)
    if match:
        return Label("roman", match["n"], f"{match['n']}.-", match["rest"].strip())
    match = _DOT.match(text)
    if match:
        return Label("dot", match["n"], f"{match['n']}.", match["rest"])
    match = _DEGREE.match(text)
    if match:
        return Label("degree", match["n"], f"{match['n']}°", match["rest"].strip())
    match = _DECIMAL.match(text)
    if match:
        return Label("decimal", match["n"], match["n"], match["rest"].strip())
    return None


def is_toc_entry(text: str) -> bool:
    """True for a table-of-contents line: a title followed by a page number ("4.1 Titel\\t11")."""
    return bool(_TOC_ENTRY.search(text.rstrip("\n"))) and not text.strip().isdigit()


# --------------------------------------------------------------------------- position rules

_CLAUSE_END = re.compile(r"(?:[.;:!?’”)\]]|[;,]\s*(?:and|or|und|oder|et|ou|en|of))$")


def ends_clause(text: str | None, *, comma: bool = False, titles: bool = False) -> bool:
    """True when a line ends a clause, so that the next line may start a new label.

    ``None`` (nothing before, or a heading) counts as an end. A line ending in a word ("referred
    to in point") does not: a label at the start of the next line is the end of that reference.
    ``comma`` also accepts a final comma (the last recital of an act ends with one); ``titles``
    also accepts a title in capitals ("GENERAL PROVISIONS").
    """
    if text is None:
        return True
    text = text.rstrip()
    if comma and text.endswith(","):
        return True
    if titles and is_caps_line(text):
        return True
    return bool(_CLAUSE_END.search(text))


def continues_phrase(text: str | None) -> bool:
    """True when a line stops mid-phrase (ends with a lowercase word, a comma or a hyphen)."""
    if not text:
        return False
    return bool(re.search(r"(?:\b[a-zà-ÿ]+|[,\-])$", text.rstrip()))


# --------------------------------------------------------------------------- sequences


def point_styles(number: str) -> tuple[str, ...]:
    """The numbering styles a point label may belong to, most likely first.

    ``"3"`` → ``("num",)``; ``"b"`` → ``("alpha",)``; ``"iv"`` → ``("roman",)``;
    ``"i"``, ``"v"``, ``"x"`` → ``("alpha", "roman")`` (the letter after "h" or the numeral).
    """
    if number.isdigit():
        return ("num",)
    if len(number) == 1 and is_roman(number):
        return ("alpha", "roman")
    if is_roman(number):
        return ("roman",)
    return ("alpha",)


def first_of(style: str) -> str:
    """The first label of a numbering style: ``"1"``, ``"a"`` or ``"i"``."""
    return {"num": "1", "alpha": "a", "roman": "i", "upper-roman": "I"}[style]


def successor(number: str, style: str) -> str:
    """The label after ``number`` in ``style``: ``("h", "alpha")`` → ``"i"``, ``("iv", "roman")`` → ``"v"``.

    Letters run a…z, aa, bb … (EU drafting); ``upper-roman`` is ``I``, ``II``, …
    """
    if style == "num":
        return str(int(number) + 1)
    if style == "roman":
        return int_to_roman(roman_to_int(number) + 1)
    if style == "upper-roman":
        return int_to_roman(roman_to_int(number) + 1).upper()
    if number == "z":
        return "aa"
    if len(number) == 2 and number[0] == number[1]:
        return chr(ord(number[0]) + 1) * 2
    return chr(ord(number[-1]) + 1)


def is_next_article(previous: str | None, number: str) -> bool:
    """Sequence guard for article numbers: is ``number`` the article that may follow ``previous``?

    ``None`` → only "1"; after "8" comes "9" or an inserted "8a"; after "8a" comes "8b" or "9".
    """
    match = re.fullmatch(r"(\d+)([a-z]*)", number)
    if not match:
        return False
    if previous is None:
        return number == "1"
    prev = re.fullmatch(r"(\d+)([a-z]*)", previous)
    if not prev:
        return False
    base, suffix = int(match[1]), match[2]
    prev_base, prev_suffix = int(prev[1]), prev[2]
    if not suffix:
        return base == prev_base + 1
    expected = successor(prev_suffix, "alpha") if prev_suffix else "a"
    return base == prev_base and suffix == expected


def next_sections(current: str | None) -> set[str]:
    """Section numbers that may follow ``current`` ("4.1" → {"4.1.1", "4.2", "5"}; None → {"1"})."""
    if current is None:
        return {"1"}
    parts = [int(p) for p in current.split(".")]
    options = {".".join(map(str, [*parts, 1]))}
    for depth in range(len(parts)):
        options.add(".".join(map(str, [*parts[:depth], parts[depth] + 1])))
    return options


# --------------------------------------------------------------------------- small caps

_SMALL_CAPS_WORD = re.compile(r"[a-z][A-Z]|^[A-Z]{2,}[a-z]+$|^[A-Z]+[a-z][A-Z]+")


def is_caps_line(text: str, minimum: int = 4) -> bool:
    """True for a heading set in capitals or small caps (≥ 80 % of at least ``minimum`` letters upper).

    Small caps extract as mixed case ("FOUNDATIONAl PRINCIPlES"), hence the ratio.
    """
    letters = [c for c in text if c.isalpha()]
    if len(letters) < minimum:
        return False
    return sum(c.isupper() for c in letters) / len(letters) >= 0.8


def has_small_caps_garbling(text: str) -> bool:
    """True when a word mixes cases the way small caps extract ("GuidinG", "PRINCIPlES", "NExUS")."""
    return any(_SMALL_CAPS_WORD.search(word) for word in re.findall(r"[A-Za-z]+", text))


def proper_case(text: str, keep: tuple[str, ...] = ()) -> str:
    """A heading set in (small) capitals, in sentence case: ``"THE STATE-BUSINESS NExUS"`` → ``"The State-business nexus"``.

    The first letter is upper case, the rest lower case, except the words in ``keep`` (e.g.
    ``("State", "States")``), which keep their given spelling wherever they occur, also inside
    hyphenated words. A roman numeral or letter label ("II.", "A.") at the start is kept.
    """
    spellings = {word.lower(): word for word in keep}
    label = re.match(r"^((?:[IVXLC]+|[A-Z])\.\s+)", text)
    head, body = (label[1], text[label.end() :]) if label else ("", text)

    def fix(match: re.Match[str]) -> str:
        word = match[0].lower()
        return spellings.get(word, word)

    body = re.sub(r"[A-Za-z]+", fix, body)
    first = re.search(r"[a-z]", body)
    if first and (first.start() == 0 or not body[: first.start()].strip(" ‘“(")):
        body = body[: first.start()] + body[first.start()].upper() + body[first.start() + 1 :]
    return head + body
