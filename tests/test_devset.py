"""The dev sets are honest gold: every label names a unit that exists in the real corpus, and
every quote given with a label is the words of that unit (whitespace collapsed)."""

from __future__ import annotations

import fnmatch

import pytest

from indexing.evaluate import DEVSET_PATHS, load_devset

SETS = [p for p in DEVSET_PATHS if p.is_file()]


def _collapse(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def unit_texts(units):
    return {(u.doc_id, u.unit_id): _collapse(u.text) for u in units}


@pytest.mark.parametrize("path", SETS, ids=[p.name for p in SETS])
def test_every_label_exists_and_every_quote_is_in_its_unit(path, unit_texts):
    docs = {d for d, _ in unit_texts}
    problems = []
    for item in load_devset(path):
        for label in item["relevant"]:
            matching = [d for d in docs if fnmatch.fnmatchcase(d, label["doc_id"])]
            if not any((d, label["unit_id"]) in unit_texts for d in matching):
                problems.append(f"{item['id']}: no unit {label['doc_id']} {label['unit_id']}")
                continue
            if "quote" in label:
                doc = label.get("quote_doc", label["doc_id"])
                text = unit_texts.get((doc, label["unit_id"]), "")
                if _collapse(label["quote"]) not in text:
                    problems.append(f"{item['id']}: quote not in {doc} {label['unit_id']}")
    assert not problems, "\n".join(problems)


def test_ids_are_unique_across_the_dev_sets():
    ids = [item["id"] for path in SETS for item in load_devset(path)]
    assert len(ids) == len(set(ids))
