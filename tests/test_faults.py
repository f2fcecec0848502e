"""Every fault becomes a message: a damaged index, table or input file is reported in one line
naming the file and the command that repairs it — never a traceback (issue "Safe under load").

Each case damages a private copy of the indexed data folder, runs the CLI in-process and checks
the exit code and the message on stderr."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from kb.cli import main
from tests.fakes import copy_data


def _truncate(name: str, size: int = 1000):
    def damage(data: Path) -> None:
        path = data / "index" / name
        path.write_bytes(path.read_bytes()[:size])

    return damage


def _write(relative: str, content: bytes):
    def damage(data: Path) -> None:
        (data / relative).write_bytes(content)

    return damage


def _append_to_units(data: Path) -> None:
    with (data / "units.jsonl").open("ab") as fh:
        fh.write(b"\xff\n")


SEARCH = ["search", "civil liability for damage", "--k", "3"]

# name, damage, argv, exit code, what stderr must say
FAULTS = [
    ("truncated FAISS file", _truncate("dense.faiss"), SEARCH, 1, "damaged (dense.faiss"),
    ("truncated vectors", _truncate("vectors.npy"), SEARCH, 1, "damaged (vectors.npy"),
    ("truncated chunks", _truncate("chunks.jsonl", 5000), SEARCH, 1, "damaged (chunks.jsonl"),
    (
        "garbled index.json",
        _write("index/index.json", b'{"format": 1, gar'),
        SEARCH,
        1,
        "index.json is unreadable",
    ),
    ("index.json is [1]", _write("index/index.json", b"[1]"), SEARCH, 1, "not an index manifest"),
    ("0xff byte in units.jsonl", _append_to_units, SEARCH, 1, "units.jsonl:4521: unreadable unit"),
    (
        "0xff byte in units.jsonl (show)",
        _append_to_units,
        ["show", "eu-csddd-2024-1760", "art-29"],
        1,
        "run `python -m kb ingest`",
    ),
    ("garbled ingest.json (search still runs)", _write("ingest.json", b"garbage"), SEARCH, 0, ""),
]


@pytest.mark.slow
@pytest.mark.parametrize("name, damage, argv, code, message", FAULTS, ids=[f[0] for f in FAULTS])
def test_a_damaged_data_folder_gives_a_message_not_a_traceback(
    indexed_data, tmp_path, capsys, name, damage, argv, code, message
):
    data = copy_data(indexed_data, tmp_path / "data")
    damage(data)
    assert main(["--data", str(data), *argv]) == code
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert message in err, err
    if code:
        assert err.startswith("error: ") and err.count("\n") == 1, err
        assert "kb build --force" in err or "kb ingest" in err, "the message names the repair"


# what a batch file holds, what stderr must say
BAD_BATCHES = [
    ("not UTF-8", b'{"query": "abc\xff"}\n', ":1: not UTF-8 text (byte 0xFF at offset 14)"),
    ("not UTF-8 on line 2", b'{"query": "a"}\n{"query": "b\xff"}\n', ":2: not UTF-8 text"),
    ("an id that is an object", b'{"id": {"a": 1}, "query": "x"}\n', ":1: 'id' must be"),
    ("a 100 k-character line of [", b"[" * 100_000 + b"\n", "line of 100000 characters"),
    ("nested too deeply", b"[" * 5000 + b"\n", ":1: not JSON (nested too deeply)"),
    ("an array, not an object", b"[1, 2]\n", ":1: expected an object with 'query'"),
    # Python's json reads these; no JSON parser reads them back when the id is echoed
    ("an id of NaN", b'{"id": NaN, "query": "x"}\n', ":1: not JSON (NaN is not JSON)"),
    ("an id of -Infinity", b'{"id": -Infinity, "query": "x"}\n', ":1: not JSON (-Infinity"),
    ("an id that overflows", b'{"id": 1e400, "query": "x"}\n', ":1: 'id' must be"),
]


def test_a_batch_file_saved_with_a_byte_order_mark_is_read(data_dir, tmp_path, capsys):
    """Notepad's "UTF-8" starts the file with U+FEFF: read, not "not JSON (Unexpected UTF-8
    BOM …)"."""
    batch = tmp_path / "batch.jsonl"
    batch.write_bytes('\ufeff{"id": 1, "query": "Beschwerdeverfahren"}\n'.encode())
    assert main(["--data", str(data_dir), "search", "--batch", str(batch)]) == 0
    assert json.loads(capsys.readouterr().out.splitlines()[0])["id"] == 1


@pytest.mark.parametrize("name, content, message", BAD_BATCHES, ids=[b[0] for b in BAD_BATCHES])
def test_a_bad_batch_file_is_named_with_its_line(
    data_dir, tmp_path, capsys, name, content, message
):
    batch = tmp_path / "batch.jsonl"
    batch.write_bytes(content)
    assert main(["--data", str(data_dir), "search", "--batch", str(batch)]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and str(batch) in err and message in err, err


def test_a_batch_line_may_hold_any_unicode_line_separator_and_come_from_stdin(
    tmp_path, monkeypatch
):
    """JSON strings may hold U+2028, U+2029, U+0085 raw: a line ends at a newline only (the
    file was refused, naming a line that was not the bad one); ``-`` reads standard input."""
    import io

    from kb.cli.io import read_jsonl

    content = '{"id": 1, "query": "a\u2028b"}\r\n\n{"id": "x", "query": "c\u0085d\u2029"}\n'
    batch = tmp_path / "batch.jsonl"
    batch.write_text(content, encoding="utf-8")
    expected = [{"id": 1, "query": "a\u2028b"}, {"id": "x", "query": "c\u0085d\u2029"}]
    assert read_jsonl(batch, {"query": str}) == expected
    stdin = io.TextIOWrapper(io.BytesIO(content.encode("utf-8")))
    monkeypatch.setattr("sys.stdin", stdin)
    assert read_jsonl(Path("-"), {"query": str}) == expected


def test_a_query_of_bytes_that_are_not_utf8_is_refused_with_a_reason(data_dir, capsys):
    # how Python hands over a command-line argument holding byte 0xff (surrogateescape)
    query = b"civil \xff liability".decode("utf-8", "surrogateescape")
    assert main(["--data", str(data_dir), "search", query]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and "not UTF-8" in err, err


@pytest.mark.slow
def test_similar_falls_back_to_topics_when_the_index_is_damaged(indexed_data, tmp_path, capsys):
    data = copy_data(indexed_data, tmp_path / "data")
    _truncate("dense.faiss")(data)
    argv = ["--data", str(data), "similar", "--doc", "eu-csddd-2024-1760", "--unit", "art-29"]
    assert main([*argv, "--json"]) == 0
    out, err = capsys.readouterr()
    assert "damaged (dense.faiss" in err and "shared topics only" in err, err
    assert json.loads(out), "counterparts are still listed"


@pytest.mark.slow
def test_build_repairs_an_index_whose_manifest_is_garbage(indexed_data, tmp_path, capsys):
    """``kb build`` works from any state of the index it replaces: here index.json is ``[1]``;
    the vectors are intact, so they are reused (seconds, not a re-embed of the corpus)."""
    data = copy_data(indexed_data, tmp_path / "data")
    _write("index/index.json", b"[1]")(data)
    assert main(["--data", str(data), "build", "--json"]) == 0
    meta = json.loads(capsys.readouterr().out)
    assert meta["reused_vectors"] == meta["chunks"]
    assert main(["--data", str(data), *SEARCH, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["results"]


def test_build_force_trusts_nothing_of_the_current_index(indexed_data, tmp_path):
    from indexing.index import build_index
    from tests.fakes import HashEmbedder

    data = copy_data(indexed_data, tmp_path / "data")
    _truncate("dense.faiss")(data)
    embedder = HashEmbedder()
    build_index(data, embedder)  # another model than the damaged index's: everything is embedded
    distinct = embedder.passages_encoded  # (identical texts of two versions are embedded once)
    assert distinct > 1000
    again = build_index(data, embedder)
    assert embedder.passages_encoded == distinct and again["reused_vectors"] == again["chunks"]
    build_index(data, embedder, force=True)
    assert embedder.passages_encoded == 2 * distinct


def test_an_unexpected_error_is_one_line_not_a_traceback(monkeypatch, data_dir, capsys):
    import kb.cli.corpus as corpus_commands

    def broken(args):
        raise RuntimeError("a bug in a command")

    monkeypatch.delenv("LEVELFIELD_DEBUG", raising=False)
    monkeypatch.setattr(corpus_commands, "cmd_docs", broken)
    assert main(["--data", str(data_dir), "docs"]) == 70
    err = capsys.readouterr().err
    assert "Traceback" not in err and "internal error (RuntimeError: a bug in a command)" in err


@pytest.mark.parametrize(
    ("error", "code", "message"),
    [
        (OSError(28, "No space left on device", "units.jsonl"), 1, "no space left on the device"),
        (PermissionError(13, "Permission denied", "units.jsonl"), 70, "internal error"),
    ],
)
def test_a_full_disk_is_said_as_such_not_as_a_bug(
    monkeypatch, data_dir, capsys, error, code, message
):
    """A full disk during `kb add` printed "internal error (OSError: [Errno 28] …); please
    report it" with exit 70."""
    import kb.cli.corpus as corpus_commands

    def full(args):
        raise error

    monkeypatch.delenv("LEVELFIELD_DEBUG", raising=False)
    monkeypatch.setattr(corpus_commands, "cmd_docs", full)
    assert main(["--data", str(data_dir), "docs"]) == code
    assert message in capsys.readouterr().err


# --------------------------------------------------------------------------- the app's view


def test_an_impossible_date_in_a_link_is_dropped(manifest):
    from kb.compare.topics import topic_ids
    from kb.explore import views as ex

    for bad in ("2024-13-45", "2024-02-30", "0000-00-00", "2024-1-1"):
        assert "f_as_at" not in ex.state_from_params({"as_at": bad}, manifest, topic_ids())
    good = ex.state_from_params({"as_at": "2024-02-29"}, manifest, topic_ids())
    assert good["f_as_at"] == "2024-02-29"


def test_index_status_tells_damaged_and_updating_from_stale(indexed_data, tmp_path):
    from kb.explore import views as ex
    from kb.store import writer_lock

    data = copy_data(indexed_data, tmp_path / "data")
    assert ex.index_status(data)[0] == "ok"
    summary = json.loads((data / "ingest.json").read_text(encoding="utf-8"))
    (data / "ingest.json").write_text(json.dumps({**summary, "corpus_hash": "changed"}))
    assert ex.index_status(data)[0] == "stale"
    held, release = threading.Event(), threading.Event()

    def writer():  # another writer (an upload) between writing the units and the index
        with writer_lock(data):
            held.set()
            release.wait(10)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        assert held.wait(10)
        assert ex.index_status(data)[0] == "updating"
    finally:
        release.set()
        thread.join()
    assert ex.index_status(data)[0] == "stale"
    _write("index/index.json", b"[1]")(data)
    assert ex.index_status(data)[0] == "damaged"
