"""The line grammar (``kb.ingest.headings``): what starts a provision, and what is only a reference.

Synthetic one-liners pin the grammar; real lines found in the corpus at test time check that the
cross-references of an actual Official Journal act are never taken for headings.
"""

from __future__ import annotations

import re
from functools import cache

import pytest
from conftest import source_path

from kb.ingest.headings import (
    classify,
    ends_clause,
    has_small_caps_garbling,
    is_caps_line,
    is_next_article,
    is_toc_entry,
    next_sections,
    point_styles,
    proper_case,
    successor,
)
from kb.ingest.loaders.pdf import read_lines
from kb.numbering import int_to_roman, roman_to_int

# --------------------------------------------------------------------------- classify

HEADINGS = [
    ("Article 8", "article", "8"),  # OJ article heading line
    ("Article 19a", "article", "19a"),  # inserted article
    ("Artikel 5", "article", "5"),  # German / Dutch
    ("Article L225-102-1", "article", "L225-102-1"),  # French code article
    ("§ 5", "sign", "5"),  # German § heading on its own line
    ("ANNEX II", "annex", "II"),
    ("ANNEX", "annex", ""),  # single annex
    ("CHAPTER 3", "chapter", "3"),
    ("Chapitre V : Des sociétés anonymes.", "chapter", "V"),
    ("SECTION 2", "section", "2"),
    ("PART A", "part", "A"),
    ("(12) The Commission should", "paren", "12"),  # recital or numbered point
    ("(a) minimising the Union’s contribution", "paren", "a"),
    ("(iv) to issuers", "paren", "iv"),
    ("3. Member States shall", "dot", "3"),  # paragraph, principle, annex point
    ("1° Une cartographie des risques", "degree", "1"),
    ("II.-Lorsqu'une société", "roman", "II"),
    ("4.1 Ondersteuning en sensibilisering", "decimal", "4.1"),
    ("1 Situering", "decimal", "1"),
    ("Commentary", "commentary", ""),
]


@pytest.mark.parametrize(("line", "kind", "number"), HEADINGS)
def test_classify_headings_and_labels(line, kind, number):
    label = classify(line)
    assert label is not None, line
    assert (label.kind, label.number) == (kind, number)


def test_classify_keeps_the_rest_of_the_line():
    assert classify("(a) minimising the contribution").rest == "minimising the contribution"
    assert (
        classify("4.1 Ondersteuning en sensibilisering").rest == "Ondersteuning en sensibilisering"
    )
    assert classify("II.-Lorsqu'une société").label == "II.-"


CROSS_REFERENCES = [
    "in accordance with Article 8",  # reference mid-line
    "referred to in Article 19a",
    "gemäß § 5",
    "Article 4 shall be binding in its entirety and directly applicable in all Member States.",
    "Article 21(3).",  # a wrapped reference at a line start
    "Article 2, point (a), of Regulation (EU) No 995/2010",
    "Articles 19a and 29a of Directive 2013/34/EU apply to large undertakings",
    "Annex I to Regulation (EEC) No 2658/87",
    "conformément à l'article L. 225-102-1",
    "‘Article 19a",  # an article quoted by an amending provision
    "CHAPTER 6a of Directive 2013/34/EU",
    "§ 5 Absatz 1 gilt entsprechend",
]


@pytest.mark.parametrize("line", CROSS_REFERENCES)
def test_cross_references_are_not_headings(line):
    label = classify(line)
    assert label is None or label.kind not in ("article", "sign", "annex", "chapter"), line


# --------------------------------------------------------------------------- position rules

CLAUSE_ENDS = [
    (None, True),  # nothing before (or a heading)
    ("the following definitions apply:", True),
    ("land use rights;", True),
    ("of the country of production; and", True),
    ("referred to in point", False),  # "(c) of …" on the next line ends the reference
    (
        "the requirements set out in points (b), (c) and (d) of the first subparagraph of paragraph",
        False,
    ),
    ("on 7 September 2021,", False),
]


@pytest.mark.parametrize(("line", "expected"), CLAUSE_ENDS)
def test_ends_clause(line, expected):
    assert ends_clause(line) is expected


def test_ends_clause_options():
    assert ends_clause("on 7 September 2021,", comma=True)  # the last recital
    assert ends_clause("GENERAL PROVISIONS", titles=True)
    assert not ends_clause("GENERAL PROVISIONS")


# --------------------------------------------------------------------------- sequences

ARTICLE_SEQUENCE = [
    (None, "1", True),  # the enacting terms start at Article 1
    (None, "19a", False),
    ("1", "2", True),
    ("1", "19a", False),  # a quoted "Article 19a" inside Article 1 is not Article 2
    ("1", "8", False),  # "Article 8" cross-reference while Article 2 is expected
    ("19", "19a", True),  # inserted article of a consolidated text
    ("19a", "19b", True),
    ("19a", "20", True),
    ("8", "8", False),
]


@pytest.mark.parametrize(("previous", "number", "expected"), ARTICLE_SEQUENCE)
def test_is_next_article(previous, number, expected):
    assert is_next_article(previous, number) is expected


SUCCESSORS = [
    ("a", "alpha", "b"),
    ("h", "alpha", "i"),
    ("z", "alpha", "aa"),
    ("aa", "alpha", "bb"),
    ("iii", "roman", "iv"),
    ("ix", "roman", "x"),
    ("9", "num", "10"),
    ("I", "upper-roman", "II"),
]


@pytest.mark.parametrize(("number", "style", "expected"), SUCCESSORS)
def test_successor(number, style, expected):
    assert successor(number, style) == expected


@pytest.mark.parametrize(
    ("number", "styles"),
    [("3", ("num",)), ("b", ("alpha",)), ("iv", ("roman",)), ("i", ("alpha", "roman"))],
)
def test_point_styles(number, styles):
    assert point_styles(number) == styles


def test_roman_round_trip():
    for value in range(1, 60):
        assert roman_to_int(int_to_roman(value)) == value
    with pytest.raises(ValueError):
        roman_to_int("iiii")


@pytest.mark.parametrize(
    ("current", "expected"),
    [(None, {"1"}), ("1", {"1.1", "2"}), ("4.1", {"4.1.1", "4.2", "5"})],
)
def test_next_sections(current, expected):
    assert next_sections(current) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("4.1 Ondersteuning en sensibilisering\t11", True),  # table of contents
        ("Krachtlijnen\t4", True),
        ("Introduction ........ 3", True),
        ("4.1 Ondersteuning en sensibilisering", False),
        ("2024", False),
    ],
)
def test_is_toc_entry(line, expected):
    assert is_toc_entry(line) is expected


# --------------------------------------------------------------------------- small caps

SMALL_CAPS = [
    ("FOUNDATIONAl PRINCIPlES", "Foundational principles"),
    ("THE STATE-BUSINESS NExUS", "The State-business nexus"),
    ("I. THE STATE DUTY TO PROTECT HUMAN RIGHTS", "I. The State duty to protect human rights"),
    ("B. OPERATIONAl PRINCIPlES", "B. Operational principles"),
    ("NON-STATE-BASED GRIEvANCE MECHANISMS", "Non-State-based grievance mechanisms"),
]


@pytest.mark.parametrize(("raw", "expected"), SMALL_CAPS)
def test_proper_case_repairs_small_caps(raw, expected):
    assert has_small_caps_garbling(raw) or raw.isupper()
    fixed = proper_case(raw, keep=("State", "States"))
    assert fixed == expected
    assert not has_small_caps_garbling(fixed)


@pytest.mark.parametrize(
    ("line", "expected"),
    [("GuidinG PrinciPles", True), ("Guiding Principles", False), ("NExUS", True)],
)
def test_has_small_caps_garbling(line, expected):
    assert has_small_caps_garbling(line) is expected


def test_is_caps_line():
    assert is_caps_line("GENERAl STATE REGUlATORY AND POlICY FUNCTIONS")
    assert not is_caps_line("States should set out clearly the expectation")
    assert not is_caps_line("EU")  # too short to be a title


# --------------------------------------------------------------------------- real lines


@cache
def _csrd_lines() -> tuple[str, ...]:
    return tuple(line.text for line in read_lines(source_path("eu-csrd-2022-2464")))


@cache
def _eudr_lines() -> tuple[str, ...]:
    return tuple(line.text for line in read_lines(source_path("eu-deforestation-2023-1115")))


@pytest.mark.parametrize("lines", [_csrd_lines, _eudr_lines], ids=["csrd", "eudr"])
def test_real_cross_reference_lines_are_not_headings(mirror, lines):
    """Lines of the acts that start with "Article N" and go on are references, never headings."""
    references = [x for x in lines() if re.match(r"^Articles? \d+\w*\b\S*\s*\S", x)]
    assert len(references) >= 3, "expected real lines starting with a cross-reference"
    for line in references:
        label = classify(line)
        assert label is None or label.kind != "article", line


def test_real_quoted_articles_are_not_headings(mirror):
    """CSRD Article 1 inserts "‘Article 19a" …: a quoted line is never a heading."""
    quoted = [x for x in _csrd_lines() if re.match(r"^‘Article \d+[a-z]*$", x)]
    assert "‘Article 19a" in quoted
    assert all(classify(line) is None for line in quoted)


def test_real_inserted_articles_fail_the_sequence_guard(mirror):
    """Inside a quoted chapter ("‘CHAPTER 6a" … "Article 29b") the article line is bare: only the
    sequence guard keeps it text, since no article of the CSRD (1 … 8) is followed by it."""
    bare = [classify(x).number for x in _csrd_lines() if re.fullmatch(r"Article \d+[a-z]*", x)]
    inserted = [n for n in bare if not n.isdigit() or int(n) > 8]
    assert "29b" in inserted
    for number in inserted:
        assert not any(is_next_article(str(n), number) for n in range(1, 9)), number


def test_real_article_heading_lines_are_headings(mirror):
    bare = [x for x in _eudr_lines() if re.fullmatch(r"Article \d+", x)]
    assert [classify(x).number for x in bare] == [str(n) for n in range(1, 39)]
