"""The procedure trail (proposal → adopted act) on the real French texts, against the team's gold."""

from __future__ import annotations

import json

import pytest

from kb.cli import main
from kb.compare.procedure import GOLD_PATH as GOLD
from kb.compare.procedure import evaluate, trail


@pytest.fixture(scope="module")
def trails(units):
    proposal = [u for u in units if u.doc_id == "eu-com-2022-71-fr"]
    adopted = [u for u in units if u.doc_id == "eu-csddd-2024-1760-fr"]
    return trail(proposal, adopted)


def test_articles_are_aligned_by_content_not_number(trails):
    by_id = {t.adopted: t for t in trails}
    assert by_id["art-14"].sources[0] == "art-9"  # the complaints procedure moved
    assert by_id["art-1"].sources[0] == "art-1"
    assert len(trails) == 39


def test_trail_against_the_gold(trails):
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    report = evaluate(trails, gold["pairs"])
    assert report["pairs"] >= 20
    assert report["hit_at_1"] >= 0.9, report["misses"]
    assert report["new_recognised"] >= report["new_articles"] - 1, report["misses"]


def test_trail_cli(data_dir, capsys):
    argv = ["--data", str(data_dir), "trail", "--from", "eu-com-2022-71-fr"]
    assert main([*argv, "--to", "eu-csddd-2024-1760-fr", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {"adopted", "heading", "from", "scores", "added_words", "deleted_words", "new"} <= set(
        rows[0]
    )
    assert main([*argv, "--to", "nowhere"]) == 1
    assert "unknown doc_id 'nowhere'" in capsys.readouterr().err
