"""The CLI contract: subcommands, JSON output, exit codes, README coverage."""

import json
import re
from pathlib import Path

import pytest

from kb.cli import _parser, main

README = Path(__file__).resolve().parent.parent / "README.md"


def _subcommands():
    parser = _parser()
    action = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    return sorted(action.choices)


def test_readme_documents_every_subcommand():
    readme = README.read_text(encoding="utf-8")
    for name in _subcommands():
        assert re.search(rf"python -m kb {name}\b", readme), (
            f"README does not mention `python -m kb {name}`"
        )


def test_show_json(data_dir, capsys):
    assert (
        main(["--data", str(data_dir), "show", "eu-csddd-2024-1760", "art-14.par-2", "--json"]) == 0
    )
    unit = json.loads(capsys.readouterr().out)
    assert unit["citation"] == "CSDDD Art. 14(2)"
    assert unit["url"].startswith("https://eur-lex.europa.eu/")
    assert unit["text"].startswith("2.")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["show", "no-such-doc", "art-1"], "unknown doc_id"),
        (["show", "eu-csddd-2024-1760", "art-999"], "has no unit"),
        # the example is one of this document's own ids, not another law's numbering
        (["show", "de-lksg-2021", "sec-999"], "its ids look like sec-1.par-1"),
        (["search", "--batch", "tests"], "batch file tests is a folder; give a file"),
        # a document listed but not fetched is said so, not "has no unit" with another's ids
        (["show", "oecd-mne-guidelines-2023", "para-1"], "not in the local corpus"),
        (["obligations", "--batch", "tests/fakes.py", "--doc", "x"], "not both"),
        (
            [
                "add",
                "tests",
                "--title",
                "T",
                "--jurisdiction",
                "BE",
                "--type",
                "bill",
                "--language",
                "nl",
            ],
            "is a folder",
        ),
    ],
)
def test_errors_go_to_stderr_with_exit_code_1(data_dir, capsys, argv, message):
    assert main(["--data", str(data_dir), *argv]) == 1
    captured = capsys.readouterr()
    assert message in captured.err and captured.out == ""


def test_one_evaluation_per_run_and_none_of_nothing(data_dir, tmp_path, capsys):
    """``--compare --matrix`` ran only the comparison; an empty dev set reported 0 queries, exit 0."""
    with pytest.raises(SystemExit) as stop:
        main(["--data", str(data_dir), "eval", "--compare", "--matrix", "--json"])
    assert stop.value.code == 2 and "not allowed with" in capsys.readouterr().err
    empty = tmp_path / "empty.jsonl"
    empty.write_text("", encoding="utf-8")
    assert main(["--data", str(data_dir), "eval", "--devset", str(empty)]) == 1
    assert "no queries in the 'test' split" in capsys.readouterr().err


def test_show_without_unit_table(tmp_path, capsys):
    assert main(["--data", str(tmp_path), "show", "eu-csddd-2024-1760", "art-1"]) == 1
    assert "python -m kb ingest" in capsys.readouterr().err


def test_docs_lists_present_and_missing(data_dir, capsys):
    assert main(["--data", str(data_dir), "docs", "--json"]) == 0
    rows = {r["doc_id"]: r["local"] for r in json.loads(capsys.readouterr().out)}
    assert rows["de-lksg-2021"] == "present"
    assert rows["oecd-mne-guidelines-2023"] == "missing"


def test_no_command_is_a_usage_error(capsys):
    assert main([]) == 2
