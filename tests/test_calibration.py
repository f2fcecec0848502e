"""Honest scores: calibrated relevance and "no good match" (indexing.calibration)."""

from __future__ import annotations

import json

import pytest

from indexing.calibration import _monotone, has_content, load_calibration
from kb.cli import main


@pytest.mark.parametrize(
    ("query", "content"),
    [
        ("klachtenprocedure voor vakbonden", True),
        ("<script></script>", False),
        ("!!!???...", False),
        ("1234567", False),
        ("§ 8", False),
        ("LkSG § 8", True),
    ],
)
def test_has_content(query, content):
    assert has_content(query) is content


def test_pool_adjacent_violators_makes_relevance_monotone():
    assert _monotone([0.1, 0.3, 0.2, 0.5], [1, 1, 1, 1]) == [0.1, 0.25, 0.25, 0.5]


def test_stored_calibration_is_monotone_and_within_0_1():
    from indexing.calibration import PATH

    raw = json.loads(PATH.read_text(encoding="utf-8"))
    calibration = load_calibration(raw["fingerprint"])
    assert calibration is not None and raw["fitted_on"]["split"] == "tune"
    values = list(calibration.values)
    assert values == sorted(values) and all(0.0 <= v <= 1.0 for v in values)
    assert calibration.relevance(0.99) >= calibration.relevance(0.5)
    assert load_calibration("another-model") is None


def test_search_json_has_relevance_and_no_good_match(indexed_data, capsys):
    argv = ["--data", str(indexed_data), "search", "--json", "--k", "3"]
    assert main([*argv, "complaints procedure for trade unions"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["no_good_match"] is False
    assert all(0.0 <= r["relevance"] <= 1.0 for r in out["results"])
    for noise in ("!!!???...", "asdkjh qwe zzxq"):
        assert main([*argv, noise]) == 0
        out = json.loads(capsys.readouterr().out)
        assert out["no_good_match"] is True, noise
