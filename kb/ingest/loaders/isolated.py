"""Parse an untrusted file in a child process, with a wall-time and a memory limit.

The loaders bound what a file may cost (``kb.ingest.loaders.guard``), but a parser can still be slow or
hungry on input nobody foresaw; an upload must never hold the writer lock for minutes or take the
server's memory. ``load_file_isolated`` runs ``load_file`` in a fresh interpreter
(``python -m kb.ingest.loaders.isolated``: never a fork of a threaded server, and no re-import of the
caller's main module) whose address space is capped (``RLIMIT_AS``), and kills it when the time is
up. The request and the answer are JSON on stdin/stdout; errors come back as the same
``LoadError`` / ``NoLoaderError`` the in-process call raises.
"""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from pathlib import Path

from kb.errors import LoadError, NoLoaderError
from kb.ingest.loaders.guard import DEFAULT_LIMITS, MB, Limits
from kb.models import DocRecord, Unit

_ROOT = Path(__file__).resolve().parents[3]


def load_file_isolated(
    path: Path,
    record: DocRecord,
    file_index: int = 0,
    *,
    limits: Limits = DEFAULT_LIMITS,
    stats: dict | None = None,
) -> list[Unit]:
    """``kb.ingest.loaders.load_file(path, record, record.files[file_index])`` in a child process
    within ``limits`` (also ``limits.seconds`` of wall time and ``limits.memory_bytes``).
    ``stats``, when given, receives the child's ``peak_rss_mb`` and ``cpu_seconds``."""
    request = {
        "path": str(path),
        "record": record.to_dict(),
        "file_index": file_index,
        "limits": dataclasses.asdict(limits),
    }
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(_ROOT), os.environ.get("PYTHONPATH")])),
    }
    try:
        done = subprocess.run(
            [sys.executable, "-m", "kb.ingest.loaders.isolated"],
            input=json.dumps(request).encode("utf-8"),
            capture_output=True,
            timeout=limits.seconds,
            env=env,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise LoadError(
            f"{path.name}: parsing took longer than {limits.seconds:.0f} s and was stopped; "
            "is this a legal text of the chosen format?",
            code="parse_slow",
            file=path.name,
            seconds=f"{limits.seconds:.0f}",
        ) from None
    try:
        kind, payload, measured = json.loads(done.stdout.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):  # no answer: killed (memory) or crashed
        raise LoadError(
            f"{path.name}: the parser stopped (exit code {done.returncode}); the file needs more "
            f"than {limits.memory_bytes // MB} MB of memory or is damaged",
            code="parse_stopped",
            file=path.name,
            mb=limits.memory_bytes // MB,
        ) from None
    if stats is not None:
        stats.update(measured)
    if kind == "units":
        return [Unit.from_dict(item) for item in payload]
    error = NoLoaderError if kind == "no-loader" else LoadError
    if isinstance(payload, dict):  # an error with a code the interface can translate
        raise error(payload["message"], code=payload["code"], **payload["values"])
    raise error(payload)


def _answer(request: dict) -> tuple[str, object]:
    """What the child sends back for one request: ``("units", [...])`` or an error kind."""
    import resource

    from kb.ingest.loaders import load_file

    limits = Limits(**request["limits"])
    try:
        resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
    except (ValueError, OSError):  # a lower hard limit is already in place: keep it
        pass
    path = Path(request["path"])
    try:
        record = DocRecord.from_dict(request["record"])
        units = load_file(path, record, record.files[request["file_index"]], limits=limits)
        return "units", [unit.to_dict() for unit in units]
    except NoLoaderError as exc:
        return "no-loader", str(exc)
    except LoadError as exc:
        # JSON-safe values (a path becomes its text): the parent rebuilds the error from them
        values = {k: v if isinstance(v, int | float) else str(v) for k, v in exc.values.items()}
        return "error", {"message": str(exc), "code": exc.code, "values": values}
    except MemoryError:
        return "error", f"{path.name}: needs more than {limits.memory_bytes // MB} MB of memory"
    except Exception as exc:  # a loader bug on odd input: reported, never a traceback
        return "error", f"{path.name}: internal loader error {type(exc).__name__}: {exc}"


def _measured() -> dict:
    """Peak resident memory of this process (``VmHWM``: since its exec — ``ru_maxrss`` would
    also count the parent's memory at fork time) and its CPU time."""
    import resource

    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                peak_kb = int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {"peak_rss_mb": round(peak_kb / 1024, 1), "cpu_seconds": usage.ru_utime}


if __name__ == "__main__":
    kind, payload = _answer(json.loads(sys.stdin.buffer.read().decode("utf-8")))
    answer = json.dumps([kind, payload, _measured()], ensure_ascii=False)
    sys.stdout.buffer.write(answer.encode("utf-8", "replace"))
