"""Version diffs and amendment links: synthetic tables for the plumbing, the real CSDDD family for
the behaviour (as adopted, consolidated 2025-04-17 and 2026-03-18, Directives 2025/794 and
2026/470)."""

from __future__ import annotations

import time

import pytest

from kb.compare.diff import (
    amendment_links,
    diff_documents,
    diff_versions,
    group_by_doc,
    normalise,
    skipped_kinds,
    summary,
    word_ops,
)
from kb.models import Unit
from kb.numbering import top_level

ADOPTED = "eu-csddd-2024-1760"
CONS_2025 = "eu-csddd-2024-1760-consolidated-2025-04-17"
CONS_2026 = "eu-csddd-2024-1760-consolidated-2026-03-18"
OMNIBUS = "eu-omnibus-2026-470"
STOP_THE_CLOCK = "eu-omnibus-2025-794"


def unit(unit_id: str, text: str = "", status: str = "current", own_text: str = "", **kw) -> Unit:
    """A clearly synthetic unit; kind and parent follow from the id."""
    parent, _, last = unit_id.rpartition(".")
    return Unit(
        doc_id=kw.pop("doc_id", "synthetic"),
        unit_id=unit_id,
        kind=last.split("-")[0],
        number=last.partition("-")[2],
        text=text,
        language="en",
        citation=f"Synthetic {unit_id}",
        own_text=own_text,
        parent=parent or None,
        status=status,
        **kw,
    )


# --------------------------------------------------------------------------- word ops

OPS_CASES = [
    # one word replaced
    (
        "lorem widget alpha",
        "lorem gadget alpha",
        (("=", "lorem"), ("-", "widget"), ("+", "gadget"), ("=", "alpha")),
    ),
    # thin-space thousands are one word
    (
        "more than 1 000 widgets",
        "more than 5 000 widgets",
        (("=", "more than"), ("-", "1 000"), ("+", "5 000"), ("=", "widgets")),
    ),
    # consecutive words merge into one op
    ("lorem ipsum", "lorem ipsum dolor sit", (("=", "lorem ipsum"), ("+", "dolor sit"))),
    # whitespace and a space before punctuation are not changes
    (
        "lorem  widget ;\n(a) gadget",
        "lorem widget; ( a) gadget",
        (("=", "lorem widget; (a) gadget"),),
    ),
    ("", "lorem", (("+", "lorem"),)),
]


@pytest.mark.parametrize(("old", "new", "expected"), OPS_CASES)
def test_word_ops(old, new, expected):
    assert word_ops(old, new) == expected


@pytest.mark.parametrize(("old", "new", "_"), OPS_CASES)
def test_word_ops_round_trip(old, new, _):
    ops = word_ops(old, new)
    assert " ".join(t for op, t in ops if op in "=-") == normalise(old)
    assert " ".join(t for op, t in ops if op in "=+") == normalise(new)


# --------------------------------------------------------------------------- synthetic versions

DIFF_CASES = [
    # unchanged
    ([unit("art-1", "lorem widget")], [unit("art-1", "lorem widget")], [("art-1", "unchanged")]),
    # whitespace-only change
    ([unit("art-1", "lorem  widget\n")], [unit("art-1", "lorem widget")], [("art-1", "unchanged")]),
    # changed text
    ([unit("art-1", "lorem widget")], [unit("art-1", "lorem gadget")], [("art-1", "changed")]),
    # added
    ([], [unit("art-1", "lorem widget")], [("art-1", "added")]),
    # deleted by absence
    ([unit("art-1", "lorem widget")], [], [("art-1", "deleted")]),
    # deleted by status (consolidated texts keep an empty, deleted unit)
    ([unit("art-1", "lorem widget")], [unit("art-1", status="deleted")], [("art-1", "deleted")]),
    # deleted on both sides
    (
        [unit("art-1", status="deleted")],
        [unit("art-1", status="deleted")],
        [("art-1", "unchanged")],
    ),
    # reinstated
    ([unit("art-1", status="deleted")], [unit("art-1", "lorem widget")], [("art-1", "added")]),
    # reading order: an old-only article stays where it stood
    (
        [unit("art-1", "a"), unit("art-2", "b"), unit("art-3", "c")],
        [unit("art-1", "a"), unit("art-3", "c"), unit("art-3a", "d")],
        [("art-1", "unchanged"), ("art-2", "deleted"), ("art-3", "unchanged"), ("art-3a", "added")],
    ),
    # recitals exist only in the act as adopted: skipped, not deleted
    (
        [unit("rec-1", "lorem recital"), unit("art-1", "lorem widget")],
        [unit("art-1", "lorem widget")],
        [("art-1", "unchanged")],
    ),
    # sub-units are compared through the article's full text
    (
        [unit("art-1", "1. lorem 2. widget"), unit("art-1.par-1", "1. lorem")],
        [unit("art-1", "1. lorem 2. gadget"), unit("art-1.par-1", "1. lorem")],
        [("art-1", "changed")],
    ),
]


@pytest.mark.parametrize(("old", "new", "expected"), DIFF_CASES)
def test_diff_versions_synthetic(old, new, expected):
    assert [(d.unit_id, d.change) for d in diff_versions(old, new)] == expected


def _paragraph_versions() -> tuple[list[Unit], list[Unit]]:
    old = [
        unit("art-1", "1. lorem 2. widget 3. gadget"),
        unit("art-1.par-1", "1. lorem"),
        unit("art-1.par-2", "2. widget"),
        unit("art-1.par-3", "3. gadget"),
        unit("art-2", "lorem sprocket"),
        unit("art-2.par-1", "1. lorem sprocket"),
    ]
    new = [
        unit("art-1", "1. lorem 2. gizmo 2a. doohickey"),
        unit("art-1.par-1", "1. lorem"),
        unit("art-1.par-2", "2. gizmo", markers=("M9",)),
        unit("art-1.par-2a", "2a. doohickey"),
        unit("art-1.par-3", status="deleted"),
        unit("art-2", status="deleted"),
    ]
    return old, new


def test_diff_versions_paragraph_level():
    old, new = _paragraph_versions()
    diffs = diff_versions(old, new, level="paragraph")
    assert [(d.unit_id, d.change) for d in diffs] == [
        ("art-1.par-1", "unchanged"),
        ("art-1.par-2", "changed"),
        ("art-1.par-2a", "added"),
        ("art-1.par-3", "deleted"),
        ("art-2", "deleted"),  # a deleted article is reported whole
    ]
    assert diffs[1].markers == ("M9",)
    assert diffs[1].ops == (("=", "2."), ("-", "widget"), ("+", "gizmo"))


def test_diff_versions_article_markers_come_from_sub_units():
    old, new = _paragraph_versions()
    art_1 = diff_versions(old, new)[0]
    assert (art_1.unit_id, art_1.change, art_1.markers) == ("art-1", "changed", ("M9",))


def test_bad_level():
    with pytest.raises(ValueError, match="unknown diff level"):
        diff_versions([], [], level="sentence")


def test_skipped_kinds_and_explicit_kinds():
    old = [unit("rec-1", "lorem recital"), unit("art-1", "lorem widget")]
    new = [unit("art-1", "lorem widget")]
    assert set(skipped_kinds(old, new)) == {"rec"}
    assert "only in the old version" in skipped_kinds(old, new)["rec"]
    forced = diff_versions(old, new, kinds={"rec", "art"})
    assert [(d.unit_id, d.change) for d in forced] == [("rec-1", "deleted"), ("art-1", "unchanged")]


def test_summary_counts_every_change():
    old, new = _paragraph_versions()
    counts = summary(diff_versions(old, new, level="paragraph"))
    assert counts == {"added": 1, "deleted": 2, "changed": 1, "unchanged": 1, "total": 5}
    assert summary([]) == {"added": 0, "deleted": 0, "changed": 0, "unchanged": 0, "total": 0}


def test_diff_documents_unknown_doc():
    with pytest.raises(ValueError, match="no units for document 'nowhere'"):
        diff_documents({"synthetic": [unit("art-1", "lorem")]}, "synthetic", "nowhere")


# --------------------------------------------------------------------------- real CSDDD versions


@pytest.fixture(scope="module")
def by_doc(units):
    grouped = group_by_doc(units)
    for doc_id in (ADOPTED, CONS_2025, CONS_2026, OMNIBUS, STOP_THE_CLOCK):
        assert grouped.get(doc_id), f"{doc_id} has no units in the ingested corpus"
    return grouped


@pytest.fixture(scope="module")
def adopted_to_2026(by_doc):
    start = time.perf_counter()
    diffs = diff_documents(by_doc, ADOPTED, CONS_2026)
    elapsed = time.perf_counter() - start
    print(f"\ndiff {ADOPTED} -> {CONS_2026}: {summary(diffs)} in {elapsed * 1000:.0f} ms")
    return {d.unit_id: d for d in diffs}


REAL_CASES = [
    # (unit_id, change, marker) adopted -> consolidated 2026-03-18
    ("art-22", "deleted", "M2"),  # transition plan
    ("art-2", "changed", "M2"),  # scope thresholds
    ("art-29", "changed", "M2"),  # civil liability, paragraph 1 deleted
    ("art-37", "changed", "M2"),  # transposition
    ("art-5", "unchanged", None),
    ("art-14", "unchanged", None),
]


@pytest.mark.parametrize(("unit_id", "change", "marker"), REAL_CASES)
def test_adopted_to_consolidated_2026(adopted_to_2026, unit_id, change, marker):
    diff = adopted_to_2026[unit_id]
    assert diff.change == change
    assert (marker in diff.markers) if marker else not diff.markers


def test_adopted_to_2026_scope_threshold_words(adopted_to_2026):
    ops = adopted_to_2026["art-2"].ops
    assert any("5 000" in text for op, text in ops if op == "+")
    assert any("1 000" in text for op, text in ops if op == "-")


def test_adopted_to_2026_shape(adopted_to_2026, by_doc):
    ids = list(adopted_to_2026)
    assert not any(i.startswith("rec-") for i in ids)  # recitals are not "deleted"
    articles = [u.unit_id for u in by_doc[ADOPTED] if u.parent is None and u.kind == "art"]
    assert [i for i in ids if i.startswith("art-")] == articles  # every article, in order
    counts = summary(adopted_to_2026.values())
    assert counts["added"] == 0 and counts["deleted"] == 1
    assert counts["changed"] + counts["unchanged"] == counts["total"] - 1
    assert counts["changed"] >= 10 and counts["unchanged"] >= 10


def test_consolidated_2025_to_2026(by_doc):
    diffs = {d.unit_id: d for d in diff_documents(by_doc, CONS_2025, CONS_2026)}
    assert diffs["art-37"].change == "changed"
    assert diffs["art-22"].change == "deleted"
    assert diffs["art-14"].change == "unchanged"


def test_paragraph_level_real(by_doc):
    diffs = {d.unit_id: d.change for d in diff_documents(by_doc, ADOPTED, CONS_2026, "paragraph")}
    assert diffs["art-29.par-1"] == "deleted"
    assert diffs["art-29.par-2"] == "changed"
    assert diffs["art-8.par-2a"] == "added"
    assert diffs["art-22"] == "deleted"


# --------------------------------------------------------------------------- amendment links

LINK_CASES = [
    # (amending doc, amending unit, target unit, action) — read from the instructions
    (OMNIBUS, "art-4.pt-16", "art-22", "deleted"),  # "Article 22 is deleted"
    (
        OMNIBUS,
        "art-4.pt-20.pt-a",
        "art-29.par-1",
        "deleted",
    ),  # in Art. 29: "paragraph 1 is deleted"
    (OMNIBUS, "art-4.pt-2", "art-2", "amended"),  # "Article 2 is amended as follows"
    (OMNIBUS, "art-4.pt-2.pt-a.pt-i", "art-2.par-1.pt-a", "replaced"),
    (OMNIBUS, "art-4.pt-3.pt-a", "art-3.par-1.pt-n", "replaced"),  # "Article 3(1)" context
    (OMNIBUS, "art-4.pt-4", "art-4", "replaced"),
    (OMNIBUS, "art-4.pt-6.pt-b", "art-8.par-2a", "inserted"),  # label of the quoted paragraph
    (OMNIBUS, "art-4.pt-7", "art-9.par-4", "inserted"),
    (OMNIBUS, "art-4.pt-10.pt-b", "art-13.par-3.pt-c", "deleted"),  # "points (c) and (e)"
    (OMNIBUS, "art-4.pt-10.pt-b", "art-13.par-3.pt-e", "deleted"),
    (OMNIBUS, "art-4.pt-22", "art-37.par-1", "replaced"),
    (STOP_THE_CLOCK, "art-2", "art-37.par-1", "replaced"),  # "In Article 37(1) of Directive …"
]


@pytest.fixture(scope="module")
def links(by_doc):
    return {doc: amendment_links(by_doc[doc], ADOPTED) for doc in (OMNIBUS, STOP_THE_CLOCK)}


@pytest.mark.parametrize(("doc", "amending_unit", "target_unit", "action"), LINK_CASES)
def test_amendment_links(links, doc, amending_unit, target_unit, action):
    found = {(lk["amending_unit"], lk["target_unit"], lk["action"]) for lk in links[doc]}
    assert (amending_unit, target_unit, action) in found


def test_every_omnibus_point_is_linked(links):
    linked = {lk["amending_unit"].split(".")[1] for lk in links[OMNIBUS]}
    assert linked == {f"pt-{n}" for n in range(1, 23)}


def test_link_targets_exist(links, by_doc):
    adopted = {u.unit_id for u in by_doc[ADOPTED]}
    consolidated = {u.unit_id: u for u in by_doc[CONS_2026]}
    for link in links[OMNIBUS] + links[STOP_THE_CLOCK]:
        assert link["target_doc"] == ADOPTED
        if link["action"] == "inserted":
            assert link["target_unit"] not in adopted and link["target_unit"] in consolidated
        else:
            assert link["target_unit"] in adopted, link
        if link["action"] == "deleted":  # the consolidation keeps an empty, deleted unit
            assert consolidated[link["target_unit"]].status == "deleted", link


def test_links_agree_with_the_diff(links, adopted_to_2026):
    """Oracle: the articles the two amending acts touch are those the diff finds modified."""
    touched = {top_level(lk["target_unit"]) for lk in links[OMNIBUS] + links[STOP_THE_CLOCK]}
    modified = {i for i, d in adopted_to_2026.items() if d.change in ("changed", "deleted")}
    assert touched == modified


def test_links_into_the_csrd_follow_its_first_subparagraph_only(by_doc):
    """ "Article 5(2) … is amended as follows: (a) the first subparagraph …: (i) in point (b) …"
    links the point; the points below "the third subparagraph is amended" are not followed, since
    the units do not model that subparagraph (its point (b) is not Art. 5(2)(b))."""
    csrd = "eu-csrd-2022-2464"
    stop = {
        (lk["amending_unit"], lk["target_unit"], lk["action"])
        for lk in amendment_links(by_doc[STOP_THE_CLOCK], csrd)
    }
    assert ("art-1.pt-a.pt-i", "art-5.par-2.pt-b", "replaced") in stop
    assert ("art-1.pt-a.pt-ii", "art-5.par-2.pt-c", "replaced") in stop
    assert ("art-1.pt-b", "art-5.par-2", "amended") in stop
    omnibus = amendment_links(by_doc[OMNIBUS], csrd)
    later = [
        lk
        for lk in stop | {(lk["amending_unit"],) for lk in omnibus}
        if lk[0].startswith(("art-1.pt-b.", "art-3.pt-1.pt-b."))
    ]
    assert later == []


def test_links_ignore_other_directives(by_doc):
    assert amendment_links(by_doc[OMNIBUS], "eu-csrd-2022-2464")  # its Article 3
    targets = {
        lk["amending_unit"].split(".")[0] for lk in amendment_links(by_doc[OMNIBUS], ADOPTED)
    }
    assert targets == {"art-4"}


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("eu-csddd-2024-1760", "eu-csddd-2024-1760-consolidated-2026-03-18"),
        ("eu-csddd-2024-1760-fr", "eu-csddd-2024-1760-consolidated-2026-03-18-fr"),
    ],
)
@pytest.mark.parametrize("level", ["article", "paragraph"])
def test_no_text_is_lost_in_the_diff(units, old, new, level):
    """For every changed provision, the "before" runs are the old text and the "after" runs the
    new text, word for word (nothing truncated anywhere in the data)."""
    from kb.compare.diff import diff_documents, group_by_doc, normalise

    diffs = diff_documents(group_by_doc(units), old, new, level=level)
    changed = [d for d in diffs if d.change == "changed"]
    assert len(changed) > 20
    for d in changed:
        before = " ".join(text for op, text in d.ops if op in "=-")
        after = " ".join(text for op, text in d.ops if op in "=+")
        assert before == normalise(d.old_text), d.unit_id
        assert after == normalise(d.new_text), d.unit_id


def test_the_explorer_folds_long_unchanged_runs_but_keeps_every_change():
    from kb.explore.views import fold_ops

    ops = (("=", "word " * 300), ("-", "deleted " * 200), ("+", "inserted " * 200), ("=", "tail"))
    folded = fold_ops(ops, keep=100)
    assert folded[0][0] == "=" and folded[0][2] is True and "…" in folded[0][1]
    assert len(folded[0][1]) < 300
    assert folded[1] == ("-", ops[1][1].strip(), False)  # changes are never cut
    assert folded[2] == ("+", ops[2][1].strip(), False)
    assert folded[3] == ("=", "tail", False)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["diff", "--from", "eu-csddd-2024-1760", "--to", "de-lksg-2021"],
            "not versions of one act in one language",
        ),
        (
            ["diff", "--from", "eu-csddd-2024-1760", "--to", "eu-csddd-2024-1760-fr"],
            "not versions of one act in one language",
        ),
        (["diff", "--from", "nope", "--to", "de-lksg-2021"], "unknown doc_id 'nope'"),
        (
            ["trail", "--from", "de-lksg-2021", "--to", "eu-csddd-2024-1760-fr"],
            "is not a proposal of the act",
        ),
        (["trail", "--from", "nope", "--to", "eu-csddd-2024-1760-fr"], "unknown doc_id 'nope'"),
    ],
)
def test_diff_and_trail_refuse_documents_that_are_not_versions_or_a_proposal(
    data_dir, capsys, argv, message
):
    """Unrelated documents gave a "diff" of everything changed (a translation: 139 changed)
    and a trail of every article "new", with exit 0."""
    from kb.cli import main

    assert main(["--data", str(data_dir), *argv]) == 1
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err, err


def test_a_document_listed_but_not_fetched_is_named_as_such(data_dir, capsys, manifest):
    from kb.cli import main
    from kb.store import read_units

    present = {u.doc_id for u in read_units(data_dir)}
    missing = next(d for d in manifest if d not in present)
    assert main(["--data", str(data_dir), "diff", "--from", missing, "--to", missing]) == 1
    err = capsys.readouterr().err
    assert "not in the local corpus" in err and manifest[missing].official_url in err, err
