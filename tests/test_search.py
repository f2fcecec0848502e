"""Search on the real corpus with the real multilingual model: CLI contract, errors, oracles."""

import json

import numpy as np
import pytest

from indexing.search import Searcher
from kb.cli import main

RESULT_KEYS = {
    "rank",
    "doc_id",
    "unit_id",
    "citation",
    "heading",
    "text",
    "score",
    "language",
    "jurisdiction",
    "url",
}


@pytest.fixture(scope="module")
def searcher(indexed_data):
    return Searcher(indexed_data)


def test_search_json_contract(indexed_data, capsys):
    argv = [
        "--data",
        str(indexed_data),
        "search",
        "klachtenprocedure voor vakbonden",
        "--k",
        "5",
        "--json",
    ]
    assert main(argv) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["query"] == "klachtenprocedure voor vakbonden"
    assert 1 <= len(out["results"]) <= 5
    assert all(RESULT_KEYS <= set(r) for r in out["results"])
    assert [r["rank"] for r in out["results"]] == list(range(1, len(out["results"]) + 1))


def test_batch_contract(indexed_data, tmp_path, capsys):
    batch = tmp_path / "queries.jsonl"
    batch.write_text(
        '{"id": "q1", "query": "maximum fine based on worldwide turnover"}\n'
        '{"id": "q2", "query": "Grundsatzerklärung"}\n'
        '{"id": "q3", "query": "   "}\n',
        encoding="utf-8",
    )
    assert (
        main(["--data", str(indexed_data), "search", "--json", "--batch", str(batch), "--k", "3"])
        == 1
    )
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["id"] for line in lines] == ["q1", "q2", "q3"]
    assert all(RESULT_KEYS <= set(r) for r in lines[0]["results"])
    assert "empty" in lines[2]["error"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["search", ""], "the query is empty"),
        (["search", "x" * 10_000], "limit is 1000"),
        (["search", "the of and , ."], "no searchable words"),
        (["search", "complaints", "--jurisdiction", "XX"], "unknown jurisdiction"),
        (["search", "complaints", "--as-at", "yesterday"], "not an ISO date"),
        (["search", "complaints", "--model", "minilm"], "was built with model 'e5'"),
    ],
)
def test_bad_input_is_a_clear_message_and_exit_1(indexed_data, capsys, argv, message):
    assert main(["--data", str(indexed_data), *argv]) == 1
    captured = capsys.readouterr()
    assert message in captured.err and "Traceback" not in captured.err


def test_missing_index_is_a_clear_message(data_dir, tmp_path, capsys):
    (tmp_path / "units.jsonl").write_bytes((data_dir / "units.jsonl").read_bytes())
    assert main(["--data", str(tmp_path), "search", "complaints"]) == 1
    assert "python -m kb build" in capsys.readouterr().err


def test_dense_top_k_equals_brute_force(searcher):
    index = searcher.index
    query = searcher.embedder.encode_queries(["civil liability of companies for damage"])
    scores, ids = index.faiss_index.search(query, 10)
    brute = index.vectors @ query[0]
    assert np.allclose(scores[0], np.sort(brute)[::-1][:10], atol=1e-4)


# Real queries of the product brief; each must find its provision in the top 5 (any version).
ORACLE = [
    ("klachtenprocedure voor vakbonden", "eu-csddd-2024-1760", "art-14"),
    ("maximum fine based on worldwide turnover", "eu-csddd-2024-1760", "art-27"),
    ("Grundsatzerklärung", "de-lksg-2021", "sec-6"),
]


@pytest.mark.parametrize(("query", "doc_prefix", "unit"), ORACLE)
def test_brief_queries_find_their_provision(searcher, query, doc_prefix, unit):
    hits = searcher.search(query, k=5)
    found = [(d, h.unit_id) for h in hits for d in (h.doc_id, *h.also_in)]
    assert any(
        d.startswith(doc_prefix) and (u == unit or u.startswith(unit + ".")) for d, u in found
    ), found
    assert all(h.citation and h.url.startswith("https://") for h in hits)
