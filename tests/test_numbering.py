"""Unit-id grammar and citations (table-driven)."""

import pytest

from kb.numbering import citation, is_within, normalise_number, parse_unit_id

NUMBERS = [
    ("L. 225-102-1", "L225-102-1"),  # French code article: dots and spaces dropped
    ("4°", "4"),  # degree sign dropped
    ("(a)", "a"),  # brackets dropped
    ("4.1", "4-1"),  # section 4.1 → 4-1
    ("19a", "19a"),  # letters kept
    ("IV", "IV"),  # Roman numerals kept as written
    (" 14 ", "14"),
]


@pytest.mark.parametrize(("raw", "expected"), NUMBERS)
def test_normalise_number(raw, expected):
    assert normalise_number(raw) == expected


@pytest.mark.parametrize("raw", ["", "()", "a/b", "§"])
def test_normalise_number_rejects(raw):
    with pytest.raises(ValueError):
        normalise_number(raw)


CITATIONS = [
    ("CSDDD", "art-14.par-2.pt-a", "en", "CSDDD Art. 14(2)(a)"),
    ("CSDDD", "art-14", "fr", "CSDDD art. 14"),
    ("CSDDD", "rec-31", "en", "CSDDD recital 31"),
    ("CSDDD", "annex.part-I.sec-1.pt-3", "en", "CSDDD Annex, Part I, Section 1, point 3"),
    ("LkSG", "sec-8.par-1", "de", "LkSG § 8 Abs. 1"),
    ("LkSG", "sec-2.par-2.pt-1", "de", "LkSG § 2 Abs. 2 Nr. 1"),
    ("LkSG", "annex.pt-3", "de", "LkSG Anlage, Nummer 3"),
    ("UNGP", "principle-29", "en", "UNGP 29"),
    ("UNGP", "principle-29.commentary", "en", "UNGP 29 (commentary)"),
    ("C. com.", "art-L225-102-1.pt-4", "fr", "C. com. art. L.225-102-1, 4°"),
    ("C. com.", "art-L225-102-1.par-II", "fr", "C. com. art. L.225-102-1, II"),
    ("SERV-advies", "sec-4-1", "nl", "SERV-advies 4.1"),
]


@pytest.mark.parametrize(("cite_as", "unit_id", "language", "expected"), CITATIONS)
def test_citation(cite_as, unit_id, language, expected):
    assert citation(cite_as, unit_id, language) == expected


def test_parse_and_within():
    assert parse_unit_id("art-14.par-2.pt-a") == [("art", "14"), ("par", "2"), ("pt", "a")]
    assert is_within("art-14.par-2", "art-14")
    assert not is_within("art-140", "art-14")
    with pytest.raises(ValueError):
        parse_unit_id("article-14")


@pytest.mark.parametrize(
    ("unit_id", "expected"),
    [
        ("art-3.par-2", "DWB Art. 3(2)"),
        # an id the numbering cannot read (a user document's): cite_as and the id, no error
        ("chapter-x", "DWB chapter-x"),
    ],
)
def test_record_citation(unit_id, expected):
    from types import SimpleNamespace

    from kb.numbering import record_citation

    # synthetic: the "Draft Widget Bill"
    record = SimpleNamespace(cite_as="DWB", language="en", citation_style=None)
    assert record_citation(record, unit_id) == expected
