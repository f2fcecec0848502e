"""Shared input/output helpers of the command line: the data folder, batch files, progress."""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

from kb.errors import KBError


def data_arg(args) -> Path:
    from kb.store import data_dir

    return args.data or data_dir()


#: characters of one batch line: a query is at most 1,000, so 10,000 leaves room for ids
MAX_BATCH_LINE = 10_000


def input_file_problem(path: Path, what: str = "file") -> str:
    """Why ``path`` cannot be read as an input file: a folder given for a file is said so."""
    if path.is_dir():
        return f"{what} {path} is a folder; give a file"
    return f"{what} not found: {path}"


def read_jsonl(path: Path, required: dict[str, type]) -> list[dict]:
    """Objects of a JSONL batch file (``-``: standard input); raises ``KBError`` naming the
    line of a bad entry. Lines end at a newline only: a JSON string may hold U+2028 or U+0085.

    ``required`` maps field names to their types, e.g. ``{"query": str}``; ``id`` is optional
    (a string or a number)."""
    if str(path) == "-":
        data = sys.stdin.buffer.read()
    elif not path.is_file():
        raise KBError(input_file_problem(path, "batch file"))
    else:
        data = path.read_bytes()
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")  # the mark Notepad writes first
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise KBError(
            f"{path}:{line}: not UTF-8 text (byte 0x{data[exc.start]:02X} at offset "
            f"{exc.start}); save the file as UTF-8"
        ) from None
    items = []
    for n, line in enumerate(text.split("\n"), 1):
        line = line.removesuffix("\r")
        if not line.strip():
            continue
        if len(line) > MAX_BATCH_LINE:
            raise KBError(f"{path}:{n}: line of {len(line)} characters (limit {MAX_BATCH_LINE})")
        try:
            item = json.loads(line, parse_constant=_not_json)
        except json.JSONDecodeError as exc:
            raise KBError(f"{path}:{n}: not JSON ({exc.msg})") from None
        except RecursionError:
            raise KBError(f"{path}:{n}: not JSON (nested too deeply)") from None
        if not isinstance(item, dict) or not all(
            isinstance(item.get(k), t) for k, t in required.items()
        ):
            fields = ", ".join(f"{k!r} ({t.__name__})" for k, t in required.items())
            raise KBError(f"{path}:{n}: expected an object with {fields}")
        ident = item.get("id")
        if ident is not None and (
            isinstance(ident, bool)
            or not isinstance(ident, str | int | float)
            or (isinstance(ident, float) and not math.isfinite(ident))  # 1e400
        ):
            raise KBError(f"{path}:{n}: 'id' must be a string or a number, not {ident!r}")
        items.append({"id": ident, **{k: item[k] for k in required}})
    return items


def _not_json(name: str):
    """``NaN``, ``Infinity``, ``-Infinity``: Python's json reads them, JSON has none (an ``id``
    of NaN was echoed into output no JSON parser reads)."""
    raise json.JSONDecodeError(f"{name} is not JSON", name, 0)


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def check_known(values: list[str], known: list[str], what: str) -> None:
    """Raise ``KBError`` naming the values of an option that are not ``known``."""
    unknown = sorted(set(values) - set(known))
    if unknown:
        raise KBError(f"unknown {what} {unknown}; known: {', '.join(known)}")
