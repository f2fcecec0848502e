"""The shared unit builder, on clearly synthetic text (not law)."""

import pytest

from kb.errors import LoadError
from kb.ingest.structure import UnitBuilder, clean_text
from tests.fakes import synthetic_record

RECORD = synthetic_record("synthetic-doc")


def build():
    b = UnitBuilder(RECORD, "syn.txt")
    b.set_context(0, "Chapter of widgets")
    b.open(0, "art", "1", heading="Widgets", start=0)
    b.add_text("Lorem widget chapeau:", end=10)
    b.open(2, "pt", "a", label="(a)")  # no paragraph: the point hangs under the article
    b.add_text("ipsum gadget;", end=20)
    b.open(0, "art", "2", heading="Gadgets", start=30)
    b.open(1, "par", "1", label="1.")
    b.add_text("dolor sprocket.", end=40)
    b.add_footnote("Synthetic footnote.")
    b.open(1, "par", "2", label="2.")
    b.mark_deleted()
    return b.build()


def test_ids_parents_order_and_text():
    units = build()
    assert [u.unit_id for u in units] == [
        "art-1",
        "art-1.pt-a",
        "art-2",
        "art-2.par-1",
        "art-2.par-2",
    ]
    assert [u.parent for u in units] == [None, "art-1", None, "art-2", "art-2"]
    assert [u.order for u in units] == [0, 1, 2, 3, 4]
    art1 = units[0]
    assert art1.text == "Lorem widget chapeau:\n(a) ipsum gadget;"
    assert art1.own_text == "Lorem widget chapeau:"
    assert art1.end == 20  # the end of its last child
    assert art1.context == ("Chapter of widgets",)
    assert units[1].citation == "SYN Art. 1(a)"
    assert units[3].footnotes == ("Synthetic footnote.",)
    assert units[4].status == "deleted"


def test_duplicate_id_is_an_error_naming_the_file():
    b = UnitBuilder(RECORD, "syn.txt")
    b.open(0, "art", "1")
    with pytest.raises(LoadError, match="syn.txt.*art-1 appears twice"):
        b.open(0, "art", "1")


def test_bad_number_is_an_error_naming_the_file():
    b = UnitBuilder(RECORD, "syn.txt")
    with pytest.raises(LoadError, match="syn.txt"):
        b.open(0, "art", "§/")


def test_content_hash_changes_with_text_only():
    a, b = build(), build()
    assert [u.content_hash for u in a] == [u.content_hash for u in b]
    assert a[0].content_hash != a[2].content_hash


def test_clean_text_normalises_ligatures_and_spaces():
    assert clean_text("e\ufb00ective\u00a0 text \n\n  next ") == "effective text\nnext"
