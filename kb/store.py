"""The data folder: its layout (``DataDir``), the stored unit table, the writer lock, atomic writes.

The data folder (default ``<repo>/data``, git-ignored; override with LEVELFIELD_DATA) is laid out
by ``DataDir`` alone — everyone else asks it for a path:

- ``cache/<doc_id>/<file>`` — the official texts (see ``corpus.fetch``)
- ``uploads/<doc_id>/<file>`` + ``user_manifest.json`` — documents users added (``kb.userdocs``)
- ``units.jsonl`` — one unit per line, all documents, reading order
- ``ingest.json`` — summary of the last ingest: counts, problems, corpus hash, time
- ``index`` → ``indexes/<build>/`` — the search index in use (``indexing.index``)
- ``forces.json``, ``matrix.json`` — derived per document (``kb.compare.matrix``)
- ``.writer.lock`` — held by every writer (``writer_lock``)

Files are replaced atomically, so a crash or Ctrl-C during a write leaves the previous version.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import tempfile
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from kb.errors import StoreError
from kb.models import Unit

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class DataDir:
    """Every path under one data folder; ``DataDir(path).units`` rather than ``path / "units.jsonl"``."""

    root: Path

    def __post_init__(self):
        object.__setattr__(self, "root", Path(self.root))

    cache = property(lambda self: self.root / "cache")
    uploads = property(lambda self: self.root / "uploads")
    user_manifest = property(lambda self: self.root / "user_manifest.json")
    units = property(lambda self: self.root / "units.jsonl")
    summary = property(lambda self: self.root / "ingest.json")
    #: the link to the index in use, the folder of all builds, the metadata of the one in use
    index = property(lambda self: self.root / "index")
    indexes = property(lambda self: self.root / "indexes")
    index_meta = property(lambda self: self.root / "index" / "index.json")
    forces = property(lambda self: self.root / "forces.json")
    matrix = property(lambda self: self.root / "matrix.json")
    lock = property(lambda self: self.root / ".writer.lock")
    #: what an add or removal in progress put back if its process dies (``kb.userdocs.recover``)
    journal = property(lambda self: self.root / ".journal")
    #: the files a document upload or removal rewrites (restored together when it fails)
    table_files = property(lambda self: (self.units, self.summary, self.user_manifest))


def data_dir() -> Path:
    """The data folder: $LEVELFIELD_DATA or ``<repo>/data``."""
    return Path(os.environ.get("LEVELFIELD_DATA", ROOT / "data"))


def cache_dir(base: Path | None = None) -> Path:
    return DataDir(base or data_dir()).cache


def default_mirror() -> Path | None:
    """``../shared/corpus/sources`` beside the checkout, or $LEVELFIELD_MIRROR, when it exists."""
    path = Path(os.environ.get("LEVELFIELD_MIRROR", ROOT.parent / "shared" / "corpus" / "sources"))
    return path if path.is_dir() else None


_HELD = threading.local()  # per thread: the data folders this thread holds the lock of


@contextlib.contextmanager
def writer_lock(base: Path, say=None) -> Iterator[None]:
    """One writer at a time on a data folder (build, ingest, fetch, adding or removing a
    document), across processes and threads; re-entrant within a thread (adding a document
    rebuilds the index under the same lock). A second writer waits, and says so."""
    base = Path(base)
    base.mkdir(parents=True, exist_ok=True)
    key = str(base.resolve())
    held = getattr(_HELD, "folders", None)
    if held is None:
        held = _HELD.folders = {}
    if held.get(key):
        held[key] += 1
        try:
            yield
        finally:
            held[key] -= 1
        return
    with open(DataDir(base).lock, "a+") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if say:
                say(f"another command is writing to {base}; waiting for it to finish …")
            fcntl.flock(fh, fcntl.LOCK_EX)
        held[key] = 1
        try:
            yield
        finally:
            held.pop(key, None)
            fcntl.flock(fh, fcntl.LOCK_UN)


def writer_busy(base: Path) -> bool:
    """True while another process or thread holds the writer lock of ``base`` (read-only probe:
    the lock file is not created)."""
    key = str(Path(base).resolve())
    if getattr(_HELD, "folders", {}).get(key):
        return True
    try:
        with open(DataDir(base).lock, "rb") as fh:
            fcntl.flock(fh, fcntl.LOCK_SH | fcntl.LOCK_NB)
            fcntl.flock(fh, fcntl.LOCK_UN)
    except FileNotFoundError:
        return False
    except BlockingIOError:
        return True
    except OSError:
        return False
    return False


def umask() -> int:
    """The process umask, read without changing it (Linux ``/proc``; else set and restored)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def umask_mode(directory: bool = False) -> int:
    """The mode ``open``/``mkdir`` would give a new file or folder (``mkstemp`` and ``mkdtemp``
    use 0600/0700 whatever the umask; app and CLI running as different users need the usual)."""
    return (0o777 if directory else 0o666) & ~umask()


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temp file in the same folder, fsync and a rename: readers
    see the old file or the new one, never half of one. The file's mode follows the umask."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as fh:
            os.fchmod(fh.fileno(), umask_mode())
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def atomic_write_text(path: Path, text: str) -> None:
    """``atomic_write_bytes`` of UTF-8 text."""
    atomic_write_bytes(path, text.encode("utf-8"))


def read_json(path: Path, what: str):
    """A JSON file's content; ``KBError`` (``StoreError``) naming the file when it is missing or
    not valid UTF-8 JSON. ``what`` says what the file is ("matrix gold", "applicability rules")."""
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise StoreError(f"{what} not found: {path}") from None
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise StoreError(f"{path}: not valid UTF-8 JSON ({type(exc).__name__}: {exc})") from None


def data_version(data: Path) -> str:
    """Changes whenever the unit table, the user manifest or the index changes (a cache key of
    the app and the API)."""
    parts = []
    where = DataDir(data)
    for path in (where.units, where.user_manifest, where.index_meta):
        try:
            stat = path.stat()
            parts.append(f"{os.path.realpath(path)}:{stat.st_mtime_ns}:{stat.st_size}")
        except OSError:
            parts.append("-")
    return "|".join(parts)


def corpus_hash(units: Iterable[Unit]) -> str:
    """A fingerprint of the unit table (ids + content hashes)."""
    digest = hashlib.sha256()
    for unit in units:
        digest.update(f"{unit.key}:{unit.content_hash}\n".encode())
    return digest.hexdigest()[:16]


def write_units(base: Path, units: list[Unit], summary: dict) -> None:
    """Store the unit table and its summary (atomically, units first)."""
    lines = "".join(json.dumps(u.to_dict(), ensure_ascii=False) + "\n" for u in units)
    atomic_write_text(DataDir(base).units, lines)
    summary = {**summary, "corpus_hash": corpus_hash(units), "units": len(units)}
    atomic_write_text(DataDir(base).summary, json.dumps(summary, ensure_ascii=False, indent=1))


def read_units(base: Path | None = None) -> list[Unit]:
    """All stored units in reading order. Raises ``StoreError`` when there is no unit table."""
    path = DataDir(base or data_dir()).units
    if not path.is_file():
        raise StoreError(
            f"no unit table at {path}; run `python -m kb fetch` then `python -m kb ingest`"
        )
    units = []
    with path.open("rb") as fh:
        for n, raw in enumerate(fh, 1):
            try:
                item = json.loads(raw.decode("utf-8"))
                if not isinstance(item, dict):
                    raise TypeError(f"a JSON {type(item).__name__}, not an object")
                units.append(Unit.from_dict(item))
            except (UnicodeDecodeError, ValueError, TypeError, KeyError, RecursionError) as exc:
                raise StoreError(
                    f"{path}:{n}: unreadable unit ({type(exc).__name__}: {exc}); "
                    "run `python -m kb ingest` to write the table again"
                ) from None
    return units


def read_summary(base: Path | None = None) -> dict:
    path = DataDir(base or data_dir()).summary
    if not path.is_file():
        raise StoreError(f"no ingest summary at {path}; run `python -m kb ingest`")
    summary = read_json(path, "ingest summary")
    if not isinstance(summary, dict):
        raise StoreError(
            f"{path}: not an ingest summary (a JSON object); run `python -m kb ingest`"
        )
    return summary
