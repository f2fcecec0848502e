"""The read-only HTTP JSON API (``kb.api``) on the real corpus and index: the same answers as
the CLI's ``--json``, errors as JSON with the right status, OpenAPI docs; and ``kb serve``."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def client(indexed_data):
    from fastapi.testclient import TestClient

    from kb.api import create_app

    return TestClient(create_app(indexed_data))


def test_search_gives_cited_results_like_the_cli(client, indexed_data, capsys):
    from kb.cli import main

    answer = client.get("/search", params={"q": "complaints procedure", "k": 5}).json()
    assert answer["no_good_match"] is False
    top = answer["results"][0]
    assert top["citation"].startswith("CSDDD Art. 14") and top["url"].startswith("https://")
    assert (
        main(["--data", str(indexed_data), "search", "complaints procedure", "--k", "5", "--json"])
        == 0
    )
    assert json.loads(capsys.readouterr().out) == answer


def test_search_filters_and_markup(client):
    answer = client.get(
        "/search", params={"q": "Beschwerdeverfahren", "jurisdiction": ["DE"], "k": 3}
    ).json()
    assert answer["results"] and {r["jurisdiction"] for r in answer["results"]} == {"DE"}
    markup = client.get("/search", params={"q": "<script>alert(1)</script>"}).json()
    assert markup == {"query": "<script>alert(1)</script>", "no_good_match": True, "results": []}


# path, parameters, status, what the error says
ERRORS = [
    ("/search", {"q": ""}, 400, "the query is empty"),
    ("/search", {"q": "x liability", "jurisdiction": ["XX"]}, 400, "XX"),
    ("/search", {"q": "liability", "k": 0}, 400, "k: "),  # FastAPI's own check, our shape
    ("/applies", {"country": "DE", "employees": "many"}, 400, "employees: "),
    ("/units/eu-csddd-2024-1760/art-999", {}, 404, "has no unit 'art-999'"),
    ("/units/no-such-doc/art-1", {}, 404, "unknown doc_id"),
    ("/matrix", {"topic": ["nonsense"]}, 400, "unknown topic"),
    # as the CLI says it (it was 200 with no cells)
    ("/matrix", {"doc": ["nope"]}, 400, "unknown doc_id (matrix column) ['nope']"),
    ("/matrix", {"doc": ["be-serv-advies-2021"]}, 400, "a policy text (not law)"),
    (
        "/applies",
        {"country": "Germany", "employees": 10, "turnover": 1, "date": "2027-01-01"},
        400,
        "two-letter country code",
    ),
]


@pytest.mark.parametrize(
    "path, params, status, message", ERRORS, ids=[e[0] + str(e[1]) for e in ERRORS]
)
def test_errors_are_json_with_a_status_and_a_reason(client, path, params, status, message):
    response = client.get(path, params=params)
    assert response.status_code == status, response.text
    if message:
        assert message in response.json()["error"]


def test_unit_matrix_facts_applies_documents(client):
    unit = client.get("/units/eu-csddd-2024-1760/art-29").json()
    assert unit["citation"] == "CSDDD Art. 29" and unit["url"].startswith("https://")
    matrix = client.get("/matrix", params={"topic": ["civil-liability"]}).json()
    cells = [c for c in matrix["cells"] if c["value"] == "yes"]
    assert cells and all(c["quote"] and c["citations"] for c in cells)
    facts = client.get("/facts", params={"doc": ["de-lksg-2021"]}).json()["facts"]
    assert facts and all(f["citation"].startswith("LkSG") and f["quote"] for f in facts)
    profile = {"country": "DE", "employees": 1200, "turnover": 5e8, "date": "2027-01-01"}
    profile["employees_in_country"] = 1200
    applies = client.get("/applies", params=profile).json()
    lksg = next(e for e in applies["instruments"] if e["doc_id"] == "de-lksg-2021")
    assert lksg["applies"] == "yes" and all(r["citation"] for r in lksg["reasons"])
    documents = client.get("/documents").json()["documents"]
    missing = [d for d in documents if not d["present"]]
    assert missing and all(d["official_url"].startswith("http") for d in missing)


def test_openapi_describes_every_endpoint(client):
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/search", "/units/{doc_id}/{unit_id}", "/matrix", "/facts", "/applies"} <= set(paths)
    assert client.get("/docs").status_code == 200


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_kb_serve_answers_on_loopback_with_two_workers(indexed_data):
    port = _free_port()
    root = Path(__file__).resolve().parent.parent
    argv = [sys.executable, "-m", "kb", "--data", str(indexed_data), "serve", "--port", str(port)]
    server = subprocess.Popen(argv, cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=5) as r:
                    assert json.load(r) == {"status": "ok"}
                    break
            except OSError:
                assert server.poll() is None, server.stderr.read().decode()
                assert time.monotonic() < deadline, "the API did not come up"
                time.sleep(0.5)
        url = f"http://127.0.0.1:{port}/search?q=civil%20liability&k=3"
        with urllib.request.urlopen(url, timeout=30) as r:
            assert len(json.load(r)["results"]) == 3
    finally:
        server.terminate()
        server.wait(30)
