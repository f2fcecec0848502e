"""'Does it apply to us?': rules checked against the texts, the CLI contract, the dev gold."""

from __future__ import annotations

import json

import pytest

from kb.cli import main
from kb.compare.applies import load_rules


def _numeric_conditions():
    for family in load_rules():
        for version in family["versions"]:
            for wave in version["waves"]:
                stack = list(wave["conditions"])
                while stack:
                    condition = stack.pop()
                    stack.extend(condition.get("any", []))
                    if isinstance(condition.get("value"), int | float):
                        yield family["family"], condition


def test_every_number_of_a_rule_is_a_fact_of_the_provision_it_cites(units):
    """An amendment of the text cannot leave a stale rule unnoticed."""
    from kb.compare.facts import unit_facts

    by_key = {(u.doc_id, u.unit_id): u for u in units}
    children: dict = {}
    for u in units:
        if u.parent:
            children.setdefault((u.doc_id, u.parent), []).append(u)
    checked = 0
    for family, condition in _numeric_conditions():
        cite = condition["citation"]
        unit = by_key[(cite["doc_id"], cite["unit_id"])]
        facts = unit_facts(unit, children.get((unit.doc_id, unit.unit_id), []))
        values = set()
        for fact in facts:
            try:
                values.add(float(str(fact.value).rstrip("%")))
            except ValueError:
                continue
        assert float(condition["value"]) in values, (
            f"{family}: {condition['text']} — {condition['value']} is not a fact of "
            f"{unit.citation}: {sorted(values)}"
        )
        checked += 1
    assert checked >= 20


def test_every_cited_provision_exists(units):
    keys = {(u.doc_id, u.unit_id) for u in units}
    for family in load_rules():
        for version in family["versions"]:
            for wave in version["waves"]:
                assert (wave["citation"]["doc_id"], wave["citation"]["unit_id"]) in keys
                for c in wave["conditions"]:
                    assert (c["citation"]["doc_id"], c["citation"]["unit_id"]) in keys


def test_dev_gold_every_verdict_right_and_cited(data_dir):
    from corpus.manifest import manifest_for
    from kb.compare.applies_eval import evaluate
    from kb.store import read_units

    units = {(u.doc_id, u.unit_id): u for u in read_units(data_dir)}
    report = evaluate(manifest_for(data_dir), units)
    assert report["verdicts"] >= 30 * 7
    assert report["with_citation"] == 1.0
    assert report["accuracy"] == 1.0, report["misses"]


def test_applies_cli_contract(data_dir, capsys):
    argv = ["--data", str(data_dir), "applies", "--country", "DE", "--employees", "6000"]
    argv += ["--employees-in-country", "4000", "--turnover", "2000000000"]
    assert main([*argv, "--date", "2026-12-01", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"date", "profile", "instruments"}
    assert out["date"] == "2026-12-01"
    csddd = next(e for e in out["instruments"] if e["short_title"] == "CSDDD")
    assert set(csddd) >= {"doc_id", "short_title", "applies", "from", "reasons"}
    # the version in force on the date, and the wave of that version
    assert csddd["doc_id"] == "eu-csddd-2024-1760-consolidated-2026-03-18"
    assert (csddd["applies"], csddd["from"]) == ("not-yet", "2029-07-26")
    reason = csddd["reasons"][0]
    assert set(reason) == {"text", "citation", "doc_id", "unit_id"} and reason["citation"]
    lksg = next(e for e in out["instruments"] if e["short_title"] == "LkSG")
    assert lksg["applies"] == "yes"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--date", "2024-13-45"], "--date '2024-13-45' is not an ISO date"),
        (["--date", "2026-01-01", "--employees-in", "Germany"], "--employees-in 'Germany'"),
    ],
)
def test_applies_bad_input_names_the_field(data_dir, capsys, extra, message):
    argv = ["--data", str(data_dir), "applies", "--country", "DE", "--employees", "10"]
    assert main([*argv, "--turnover", "1", *extra]) == 1
    assert message in capsys.readouterr().err
