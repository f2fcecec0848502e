"""Honest scores: calibrated relevance and "no good match" (indexing.calibration)."""

from __future__ import annotations

import json

import pytest

from indexing.calibration import has_content, load_calibration
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


def _hit(cosine, score):
    from types import SimpleNamespace

    return SimpleNamespace(dense_score=cosine, score=score)


def test_stored_calibration_gives_probabilities_that_fall_with_rank_and_cosine():
    from indexing.calibration import PATH

    raw = json.loads(PATH.read_text(encoding="utf-8"))
    calibration = load_calibration(raw["fingerprint"])
    assert calibration is not None and raw["fitted_on"]["split"] == "tune"
    # the same cosine and score further down the list is less likely relevant
    flat = calibration.relevances([_hit(0.88, 1.0)] * 10)
    assert flat == sorted(flat, reverse=True) and flat[0] > flat[-1]
    assert all(0.0 <= r <= 1.0 for r in flat)
    # a closer first result is not less likely relevant (the fit gives the cosine little weight
    # once the result's lead is read: e5's cosines crowd into 0.78–0.87 whatever the subject)
    rest = [_hit(0.85, 0.6)]
    near = calibration.relevances([_hit(0.93, 1.0), *rest])
    far = calibration.relevances([_hit(0.78, 1.0), *rest])
    assert near[0] >= far[0]
    # a result only BM25 found takes the list's lowest cosine, not zero
    assert calibration.relevances([_hit(0.9, 1.0), _hit(None, 0.9)])[1] == pytest.approx(
        calibration.relevances([_hit(0.9, 1.0), _hit(0.9, 0.9)])[1]
    )
    assert calibration.relevances([]) == []
    assert load_calibration("another-model") is None


def test_features_read_each_results_lead_over_the_next():
    from indexing.calibration import FEATURES, features

    rows = features([_hit(0.9, 2.0), _hit(0.85, 1.0), _hit(0.8, 0.5)])
    named = [dict(zip(FEATURES, row, strict=True)) for row in rows]
    assert [r["score_share"] for r in named] == pytest.approx([1.0, 0.5, 0.25])
    # each result's share less the next one's; the last one's lead is its whole share
    assert [r["lead"] for r in named] == pytest.approx([0.5, 0.25, 0.25])
    # the first result's lead again, 0 for the others
    assert [r["first_lead"] for r in named] == pytest.approx([0.5, 0.0, 0.0])


def test_a_first_result_far_ahead_is_more_likely_relevant_than_one_nearly_tied():
    """The relevance shown reads the result, not only its rank: every first result showed
    0.65–0.69 whatever the query while the model read cosine, rank and score share alone."""
    from indexing.calibration import PATH

    calibration = load_calibration(json.loads(PATH.read_text(encoding="utf-8"))["fingerprint"])
    ahead = calibration.relevances([_hit(0.86, 3.0), _hit(0.85, 1.0)])
    tied = calibration.relevances([_hit(0.86, 3.0), _hit(0.85, 2.9)])
    assert ahead[0] > tied[0] + 0.1


def test_a_calibration_file_of_another_layout_gives_no_relevance_not_a_crash(tmp_path):
    from indexing.calibration import FEATURES

    old = {"fingerprint": "m", "features": list(FEATURES), "edges": [0.8], "values": [0.1, 0.3]}
    path = tmp_path / "calibration.json"
    path.write_text(json.dumps(old), encoding="utf-8")
    assert load_calibration("m", path) is None


def test_search_json_has_relevance_and_no_good_match(indexed_data, capsys):
    argv = ["--data", str(indexed_data), "search", "--json", "--k", "3"]
    assert main([*argv, "complaints procedure for trade unions"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["no_good_match"] is False
    assert all(0.0 <= r["relevance"] <= 1.0 for r in out["results"])
    # noise, and everyday questions nearer to everyday life than to the corpus
    for noise in ("!!!???...", "asdkjh qwe zzxq", "recipe for chocolate cake", "wie spät ist es"):
        assert main([*argv, noise]) == 0
        out = json.loads(capsys.readouterr().out)
        assert out["no_good_match"] is True, noise
        # the nearest provisions shown anyway get no relevance ("recipe for chocolate cake"
        # read 0.65 on its first, more than many right first results)
        assert all(r["relevance"] is None for r in out["results"]), noise
    # a narrow filter does not make a good question look like noise (the corpus-wide nearest
    # chunk decides), and does not make noise look like a question
    for query, expected in (("klachtenprocedure", False), ("xkcd", True)):
        assert main([*argv, "--jurisdiction", "DE", query]) == 0
        assert json.loads(capsys.readouterr().out)["no_good_match"] is expected, query
    # a question whose words the corpus barely uses (Dutch) but that names an instrument and a
    # concept of the lexicon is about the law: never "no good match"
    assert main([*argv, "welke boete riskeert een Duits bedrijf"]) == 0
    assert json.loads(capsys.readouterr().out)["no_good_match"] is False


def test_the_calibration_is_refused_when_its_everyday_questions_changed(tmp_path):
    """The stored embeddings belong to the stored questions: edited questions without a refit
    give no calibration (so no stale rule), not a wrong one."""
    import shutil

    from indexing.calibration import EVERYDAY_PATH, EVERYDAY_VECTORS, PATH

    for source in (PATH, EVERYDAY_PATH, EVERYDAY_VECTORS):
        shutil.copy(source, tmp_path / source.name)
    fingerprint = json.loads(PATH.read_text(encoding="utf-8"))["fingerprint"]
    copy = tmp_path / PATH.name
    calibration = load_calibration(fingerprint, copy)
    assert calibration is not None and len(calibration.everyday) > 50
    # a query that is one of the everyday questions: its corpus cosine less 1
    assert calibration.margin(0.9, calibration.everyday[0]) == pytest.approx(0.9 - 1.0, abs=1e-3)
    edited = tmp_path / EVERYDAY_PATH.name
    edited.write_text(edited.read_text(encoding="utf-8") + "how tall is a giraffe\n", "utf-8")
    assert load_calibration(fingerprint, copy) is None
