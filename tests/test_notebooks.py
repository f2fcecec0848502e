"""The notebooks run top to bottom on the real corpus and index, and draw their plots."""

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_executes(path, indexed_data, monkeypatch):
    assert len(NOTEBOOKS) >= 2
    monkeypatch.setenv("LEVELFIELD_DATA", str(indexed_data))
    notebook = nbformat.read(path, as_version=4)
    NotebookClient(
        notebook,
        timeout=900,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
    ).execute()
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert any("image/png" in o.get("data", {}) for o in outputs), "the notebook drew no plot"
    text = "".join(o.get("text", "") for o in outputs)
    assert "hybrid" in text or "accuracy" in text
