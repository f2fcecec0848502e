"""Comparison: taxonomy contract, cells on the real corpus, CLI contracts of compare/similar/diff/facts."""

import json

import pytest

from kb.cli import main
from kb.compare.cells import Analysis, similar
from kb.compare.topics import topic_ids, topics

CONTRACT_TOPICS = [
    "scope", "value-chain", "dd-policy", "risk-identification", "prioritisation", "prevention",
    "remediation", "stakeholder-engagement", "grievance-mechanism", "monitoring", "reporting",
    "climate-transition-plan", "civil-liability", "sanctions", "supervisory-authority",
    "sme-support", "state-duty", "access-to-remedy", "public-procurement",
]  # fmt: skip


def test_taxonomy_is_the_contract():
    assert topic_ids() == CONTRACT_TOPICS
    for topic in topics():
        assert topic["definition"] and topic["label"]["en"] and topic["label"]["nl"]
        assert all(topic["descriptors"][lang] for lang in ("en", "nl", "fr", "de", "nb"))


@pytest.fixture(scope="module")
def analysis(units):
    return Analysis(units)


CELLS = [
    # (topic, doc_id, a provision expected among the top 3)
    ("grievance-mechanism", "de-lksg-2021", "sec-8"),
    ("grievance-mechanism", "eu-csddd-2024-1760", "art-14"),
    ("grievance-mechanism", "fr-loi-vigilance-2017", "art-L225-102-1.pt-4"),
    ("risk-identification", "de-lksg-2021", "sec-5"),
    ("sanctions", "eu-csddd-2024-1760", "art-27"),
    ("civil-liability", "eu-csddd-2024-1760", "art-29"),
    ("scope", "eu-csddd-2024-1760-consolidated-2026-03-18", "art-2"),
    # the Norwegian text is read with Norwegian descriptors (before: no cell but two)
    ("sanctions", "no-transparency-act-2021", "sec-14"),
    ("supervisory-authority", "no-transparency-act-2021", "sec-9"),
    ("sme-support", "no-transparency-act-2021", "sec-8"),
    ("reporting", "no-transparency-act-2021", "sec-5"),
]


def test_a_text_is_read_with_its_own_languages_descriptors(analysis):
    """The French "amende" (a fine) stems like the English "amending": the CSDDD's articles
    amending other acts (Art. 32, 33) are no sanctions provisions."""
    ids = [c.unit.unit_id for c in analysis.matching("sanctions", "eu-csddd-2024-1760")]
    assert "art-27" in ids and not {"art-32", "art-33"} & set(ids), ids
    french = [c.unit.unit_id for c in analysis.matching("sanctions", "eu-csddd-2024-1760-fr")]
    assert "art-27" in french


@pytest.mark.parametrize(("topic", "doc_id", "expected"), CELLS)
def test_cells_cite_the_right_provision_with_evidence(analysis, topic, doc_id, expected):
    cell = analysis.cell(topic, doc_id)
    ids = [c.unit.unit_id for c in cell]
    assert any(i == expected or i.startswith(expected + ".") for i in ids), ids
    assert all(c.evidence and c.evidence.evidence for c in cell)
    assert all(
        c.force in ("obligation", "recommendation", "permission", "prohibition", "none")
        for c in cell
    )


def test_deleted_provisions_never_fill_a_cell(analysis):
    doc = "eu-csddd-2024-1760-consolidated-2026-03-18"
    cell = analysis.cell("climate-transition-plan", doc)
    assert "art-22" not in [c.unit.unit_id for c in cell]


def test_similar_finds_the_csddd_complaints_article_for_lksg_8(analysis):
    result = similar(analysis, "de-lksg-2021", "sec-8")
    match = next(m for m in result["matches"] if m["doc_id"] == "eu-csddd-2024-1760")
    assert any(u["unit_id"].startswith("art-14") for u in match["units"])
    assert all(m["doc_id"] != "de-lksg-2021" for m in result["matches"])
    # each counterpart with its deontic force, as the topic cells give it (it was always "")
    forces = [u["force"] for m in result["matches"] for u in m["units"]]
    assert set(forces) <= {"obligation", "recommendation", "permission", "prohibition", "none"}
    assert "obligation" in forces
    with pytest.raises(KeyError):
        similar(analysis, "de-lksg-2021", "sec-99")


def test_compare_json_contract(data_dir, capsys):
    argv = [
        "--data",
        str(data_dir),
        "compare",
        "--json",
        "--topic",
        "grievance-mechanism",
        "--doc",
        "de-lksg-2021",
    ]
    assert main(argv) == 0
    out = json.loads(capsys.readouterr().out)
    [topic] = out["topics"]
    assert topic["topic"] == "grievance-mechanism"
    [column] = topic["instruments"]
    assert column["doc_id"] == "de-lksg-2021"
    unit = column["units"][0]
    assert {"unit_id", "citation", "score", "force", "text"} <= set(unit)
    assert unit["citation"].startswith("LkSG § 8")


def test_compare_unknown_topic(data_dir, capsys):
    assert main(["--data", str(data_dir), "compare", "--topic", "weather"]) == 1
    assert "unknown topic" in capsys.readouterr().err


def test_similar_batch(data_dir, tmp_path, capsys):
    batch = tmp_path / "pairs.jsonl"
    batch.write_text(
        '{"id": "a", "doc_id": "de-lksg-2021", "unit_id": "sec-8"}\n'
        '{"id": "b", "doc_id": "de-lksg-2021", "unit_id": "sec-99"}\n',
        encoding="utf-8",
    )
    assert main(["--data", str(data_dir), "similar", "--batch", str(batch), "--json"]) == 1
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["id"] for line in lines] == ["a", "b"]
    assert lines[0]["matches"] and {"doc_id", "units"} <= set(lines[0]["matches"][0])
    assert {"unit_id", "citation", "score"} <= set(lines[0]["matches"][0]["units"][0])
    assert "sec-99" in lines[1]["error"]


def test_diff_cli(data_dir, capsys):
    argv = [
        "--data",
        str(data_dir),
        "diff",
        "--from",
        "eu-csddd-2024-1760",
        "--to",
        "eu-csddd-2024-1760-consolidated-2026-03-18",
        "--json",
    ]
    assert main(argv) == 0
    out = json.loads(capsys.readouterr().out)
    changes = {p["unit_id"]: p["change"] for p in out["provisions"]}
    assert changes["art-22"] == "deleted" and changes["art-2"] == "changed"
    assert out["summary"]["deleted"] >= 1


def test_facts_cli(data_dir, capsys):
    assert main(["--data", str(data_dir), "facts", "--doc", "de-lksg-2021", "--json"]) == 0
    facts = json.loads(capsys.readouterr().out)["facts"]
    employees = [f for f in facts if f["kind"] == "employees" and f["value"] == "3000"]
    assert employees and employees[0]["citation"].startswith("LkSG § 1")
    assert all(f["quote"] for f in facts)


def test_comparison_settings_are_injected_not_patched(units):
    """``CompareSettings`` is the one home of the comparison's weights: a sweep passes another
    object; the module's defaults stay as they are."""
    from kb.compare.cells import DEFAULT_COMPARE, Analysis, CompareSettings, similar

    two = [u for u in units if u.doc_id in ("de-lksg-2021", "eu-csddd-2024-1760")]
    default = Analysis(two)
    assert len(default.cell("grievance-mechanism", "de-lksg-2021")) == DEFAULT_COMPARE.cell_size
    one = Analysis(two, settings=CompareSettings(cell_size=1))
    assert len(one.cell("grievance-mechanism", "de-lksg-2021")) == 1
    strict = Analysis(two, settings=CompareSettings(min_score=1e9))
    assert strict.cell("grievance-mechanism", "de-lksg-2021") == []
    topics_only = Analysis(two, settings=CompareSettings(topic_weight=0.0))
    assert similar(topics_only, "eu-csddd-2024-1760", "art-14")["matches"] == []
    assert similar(default, "eu-csddd-2024-1760", "art-14")["matches"]
