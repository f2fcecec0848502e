"""The house's layer order, written down once: no import circle, no import of a layer above.

Bottom to top. A module may import modules of its own layer or of layers below it; the test
reads every import (module level and inside functions) of the project's own code with ``ast``.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: bottom to top; each entry is a module or a package prefix
LAYERS = [
    [
        "kb.models",
        "kb.errors",
        "kb.formats",
        "=kb",
    ],  # "=": that module only (the kb face re-exports these)
    ["kb.lang", "kb.numbering", "kb.split", "kb.dates"],
    ["kb.store"],
    ["corpus"],
    ["kb.ingest"],
    ["kb.compare"],
    ["indexing"],
    ["kb.userdocs"],
    ["kb.service"],
    ["kb.explore"],
    ["kb.cli", "kb.api", "kb.__main__"],
    ["app", "benchmarks"],
]


def _module_name(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _sources() -> dict[str, Path]:
    files = [ROOT / "app.py", *ROOT.glob("kb/**/*.py"), *ROOT.glob("indexing/**/*.py")]
    files += [*ROOT.glob("corpus/**/*.py"), *ROOT.glob("benchmarks/*.py")]
    return {_module_name(p): p for p in files}


def _imports(path: Path) -> set[str]:
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.add(node.module)
            out |= {f"{node.module}.{a.name}" for a in node.names}
    return out


def _layer(module: str) -> int | None:
    best = None
    for i, layer in enumerate(LAYERS):
        for prefix in layer:
            if prefix.startswith("="):
                if module == prefix[1:]:
                    return i
                continue
            if module == prefix or module.startswith(prefix + "."):
                if best is None or len(prefix) > best[1]:
                    best = (i, len(prefix))
    return best[0] if best else None


def _graph() -> dict[str, set[str]]:
    sources = _sources()
    graph = {}
    for module, path in sources.items():
        graph[module] = {m for m in _imports(path) if m in sources and m != module}
    return graph


def test_every_module_has_a_layer():
    missing = sorted(m for m in _sources() if _layer(m) is None)
    assert not missing, f"add these modules to LAYERS: {missing}"


def test_no_module_imports_a_layer_above_its_own():
    upward = []
    for module, targets in _graph().items():
        for target in targets:
            if _layer(module) is None or _layer(target) is None:
                continue  # reported by test_every_module_has_a_layer
            if _layer(target) > _layer(module):
                upward.append(
                    f"{module} (layer {_layer(module)}) -> {target} (layer {_layer(target)})"
                )
    assert not upward, "imports that run up the layers:\n" + "\n".join(sorted(upward))


def test_no_import_circle():
    graph = _graph()
    state: dict[str, int] = {}
    stack: list[str] = []
    circles = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if target.endswith("__main__"):
                continue
            if state.get(target) == 1:
                circles.append(" -> ".join([*stack[stack.index(target) :], target]))
            elif target not in state:
                visit(target)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)
    # a package and its own modules (kb.cli -> kb.cli.parser -> kb.cli) are one room
    real = [
        c
        for c in circles
        if len(
            {m.split(".")[0] + "." + m.split(".")[1] if "." in m else m for m in c.split(" -> ")}
        )
        > 1
    ]
    assert not real, "import circles:\n" + "\n".join(real)


#: names of the data folder's layout that only ``kb.store.DataDir`` may spell
LAYOUT_NAMES = (
    '"units.jsonl"',
    '"ingest.json"',
    '"user_manifest.json"',
    '"uploads"',
    '"indexes"',
    '"forces.json"',
    '"matrix.json"',
    '".writer.lock"',
    '/ "index"',
    '/ "cache"',
)


def test_only_the_data_dir_knows_the_layout_of_the_data_folder():
    spelled = [
        f"{module}: {name}"
        for module, path in _sources().items()
        if module != "kb.store"
        for name in LAYOUT_NAMES
        if name in path.read_text(encoding="utf-8")
    ]
    assert not spelled, "ask kb.store.DataDir instead:\n" + "\n".join(spelled)
