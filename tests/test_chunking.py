"""Structure-aware chunks on the real corpus: boundaries, coverage, citations."""

import pytest

from kb.ingest.chunking import MAX_CHARS, make_chunks
from kb.numbering import is_within, top_level


@pytest.fixture(scope="module")
def chunks(units):
    return make_chunks(units)


def test_no_chunk_crosses_a_top_level_provision(chunks):
    for chunk in chunks:
        tops = {top_level(uid) for uid in chunk.unit_ids}
        assert tops == {top_level(chunk.unit_id)}, chunk.chunk_id
        assert all(is_within(uid, chunk.unit_id) for uid in chunk.unit_ids)


def test_every_live_leaf_provision_is_in_a_chunk(units, chunks):
    has_children = {(u.doc_id, u.parent) for u in units if u.parent}
    covered = {(c.doc_id, uid) for c in chunks for uid in c.unit_ids}
    for unit in units:
        if (
            unit.status == "deleted"
            or not unit.text.strip()
            or (unit.doc_id, unit.unit_id) in has_children
        ):
            continue
        assert any((unit.doc_id, anc) in covered for anc in _ancestors(unit.unit_id)), unit.key


def _ancestors(unit_id):
    parts = unit_id.split(".")
    return [".".join(parts[: i + 1]) for i in range(len(parts))]


def test_long_definition_lists_are_split_at_their_points(chunks):
    art3 = [
        c for c in chunks if c.doc_id == "eu-csddd-2024-1760" and top_level(c.unit_id) == "art-3"
    ]
    assert len(art3) > 3
    assert any(c.citation == "CSDDD Art. 3(1)" for c in art3)
    assert any(uid.startswith("art-3.par-1.pt-g") for c in art3 for uid in c.unit_ids)


def test_chunks_stay_small_unless_a_single_provision_is_long(chunks):
    for chunk in chunks:
        if len(chunk.text) > MAX_CHARS + 400:
            assert len(chunk.unit_ids) == 1, chunk.chunk_id


def test_deleted_provisions_make_no_chunk(chunks):
    doc = "eu-csddd-2024-1760-consolidated-2026-03-18"
    assert not [c for c in chunks if c.doc_id == doc and top_level(c.unit_id) == "art-22"]


def _part(chunks, doc_id, unit_id):
    found = [c for c in chunks if c.part and c.doc_id == doc_id and c.unit_id == unit_id]
    assert len(found) == 1, (doc_id, unit_id, len(found))
    return found[0]


# (doc, unit, words of the text that must open the part, words that must end its lead-in)
PART_CASES = [
    (
        "eu-csddd-2024-1760",
        "art-29.par-3.pt-a",
        "(a) national rules on the beginning",
        "Member States shall ensure that:",
    ),
    (
        "eu-csddd-2024-1760",
        "art-10.par-2.pt-b",
        "(b) seek contractual assurances",
        "measures, where relevant:",
    ),
    (
        "fr-loi-vigilance-2017",
        "art-L225-102-1.pt-4",
        "4° Un mécanisme d'alerte",
        "Il comprend les mesures suivantes :",
    ),
    ("de-lksg-2021", "sec-3.par-3", "(3)", ""),
]


@pytest.mark.parametrize("doc_id, unit_id, opens, lead_ends", PART_CASES)
def test_every_paragraph_and_point_is_a_part_with_its_exact_text_and_lead_in(
    units, chunks, doc_id, unit_id, opens, lead_ends
):
    part = _part(chunks, doc_id, unit_id)
    unit = next(u for u in units if u.doc_id == doc_id and u.unit_id == unit_id)
    assert part.text == unit.text and part.citation == unit.citation
    assert part.text.startswith(opens)
    assert part.context.endswith(lead_ends) if lead_ends else part.context == ""
    assert part.unit_ids == (unit_id,)


def test_parts_cover_every_live_sub_unit_once_and_never_repeat_a_passage(units, chunks):
    passages = {(c.doc_id, c.unit_id) for c in chunks if not c.part}
    parts = [(c.doc_id, c.unit_id) for c in chunks if c.part]
    assert len(parts) == len(set(parts))
    assert not set(parts) & passages
    live = {
        (u.doc_id, u.unit_id)
        for u in units
        if u.parent and u.status != "deleted" and u.text.strip()
    }
    deleted_above = {
        (u.doc_id, u.unit_id) for u in units if u.parent is None and u.status == "deleted"
    }
    missing = live - set(parts) - passages
    assert not {m for m in missing if (m[0], top_level(m[1])) not in deleted_above}


def test_without_parts_only_passages(units):
    assert not any(c.part for c in make_chunks(units, parts=False))
