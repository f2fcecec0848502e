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
