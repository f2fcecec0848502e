"""Add a user's own document (a national bill, a draft law) to the local knowledge base.

``add_document(data, filename, content, meta)`` checks the upload (size, extension *and* content
sniffing must agree on pdf/html/txt), stores it under ``<data>/uploads/<doc_id>/`` only (the file
name is sanitised; nothing is ever written outside the data folder), parses it with the loader of
its format (``kb.ingest.loaders.load_file``), appends its record to ``<data>/user_manifest.json``, merges
its units into ``units.jsonl`` and updates the search index (only the new chunks are embedded).

All or nothing: when any step fails (bad file, no provisions found, the embedder breaks, the
process is interrupted), the unit table, its summary, the user manifest and the index are left
exactly as they were, and the upload folder is removed. Adds are serialised by a lock file, so
two sessions (or two app processes) adding documents at once cannot lose each other's work.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import logging
import re
import shutil
import tempfile
import threading
import time
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from corpus.manifest import INSTRUMENT_TYPES, default_manifest, parse_manifest
from kb.errors import KBError, ManifestError, StoreError, UploadError
from kb.models import DocRecord, FileRecord, Said, Unit
from kb.store import DataDir, atomic_write_text, read_summary, read_units, umask_mode, write_units

log = logging.getLogger(__name__)
MAX_BYTES = 20 * 1024 * 1024
LANGUAGES = ("en", "nl", "fr", "de", "nb")
STATUSES = ("draft", "proposal", "bill", "adopted", "in-force", "not-in-force", "not-adopted")
EXTENSIONS = {
    ".pdf": "pdf",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".txt": "txt",
    ".md": "md",
    ".markdown": "md",
    ".json": "json",
}
#: file kinds whose content sniffs as plain text
_TEXT_KINDS = ("txt", "md", "json")
#: file kind → the parsers (format, layout) that can read it, the default first; ``auto`` tries
#: them all and keeps the one that finds the most top-level provisions
PARSERS: dict[str, tuple[tuple[str, str | None], ...]] = {
    "pdf": (
        ("pdf", "oj"),
        ("pdf", "legifrance"),
        ("pdf", "ungp"),
        ("pdf", "proposal"),
        ("pdf", "paragraphs"),
    ),
    "html": (
        ("eurlex-xhtml", None),
        ("eurlex-consolidated", None),
        ("gii-html", None),
        ("fedlex-html", None),
    ),
    "txt": (("txt", "sections"), ("markdown-law", None)),
    "md": (("markdown-law", None),),
    "json": (("json-provisions", None),),
}
AUTO = "auto"
#: a bilingual print (two language versions side by side): chosen explicitly, never by ``auto``
#: (a one-column PDF would read the same in its left half); added by ``add_bilingual``
TWO_COLUMN = ("pdf", "two-column")
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")
_JURISDICTION = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})?$")


@dataclass(frozen=True)
class NewDocument:
    """What the user tells us about the document (everything else is derived)."""

    title: str
    short_title: str
    jurisdiction: str
    instrument_type: str
    language: str
    official_url: str
    status: str = "draft"
    cite_as: str = ""
    adopted: str | None = None
    notes: str = ""
    #: the column of a two-column bilingual PDF holding this language version (``add_bilingual``)
    column: str | None = None
    #: the document this one is another language version of (``add_bilingual``)
    translation_of: str | None = None


@dataclass(frozen=True)
class AddResult:
    doc_id: str
    file: str
    units: int
    chunks: int
    reused_vectors: int
    seconds: float
    #: provisions that look like several read as one (``merged_headings``)
    merged: tuple[tuple[str, int, int], ...] = ()


def parser_label(fmt: str, layout: str | None) -> str:
    return f"{fmt}:{layout}" if layout else fmt


def parser_options(kind: str) -> list[str]:
    """Labels (``format`` or ``format:layout``) of the parsers for a file kind, default first."""
    return [parser_label(f, lay) for f, lay in PARSERS[kind]]


def sniff(content: bytes) -> str | None:
    """``pdf``, ``html`` or ``txt`` from the bytes themselves; ``None`` when it is none of them."""
    head = content[:4096]
    if head.lstrip()[:5] == b"%PDF-":
        return "pdf"
    if b"\x00" in content[:65536]:
        return None
    text = head.decode("utf-8", errors="ignore").lstrip("\ufeff \t\r\n").lower()
    if text.startswith("<") and re.search(r"<html[\s>]", text):
        return "html"
    try:
        content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    return "txt"


def check_upload(filename: str, content: bytes) -> str:
    """The kind of an upload (``pdf``/``html``/``txt``). Raises ``UploadError`` naming the file
    when the size or type is not accepted, or the extension and the content disagree."""
    name = Path(filename.replace("\\", "/")).name
    if not content:
        raise UploadError(f"{name}: the file is empty", code="file_empty", file=name)
    if len(content) > MAX_BYTES:
        raise UploadError(
            f"{name}: the file is {len(content) / 2**20:.1f} MB; the limit is "
            f"{MAX_BYTES // 2**20} MB",
            code="file_large",
            file=name,
            size=f"{len(content) / 2**20:.1f}",
            limit=MAX_BYTES // 2**20,
        )
    extension = Path(name).suffix.lower()
    if extension not in EXTENSIONS:
        raise UploadError(
            f"{name}: files of type {extension or '(none)'!r} are not accepted; "
            f"upload one of {', '.join(sorted(EXTENSIONS))}",
            code="file_type",
            file=name,
            extension=extension or "(—)",
            accepted=", ".join(sorted(EXTENSIONS)),
        )
    kind, found = EXTENSIONS[extension], sniff(content)
    if found is None:
        raise UploadError(
            f"{name}: the content is not a PDF, an HTML page or UTF-8 text (save a text as UTF-8)",
            code="file_unknown",
            file=name,
        )
    if found == "txt" and kind in _TEXT_KINDS:
        return kind
    if found != kind:
        raise UploadError(
            f"{name}: the file is named {extension} but its content looks like {found}; "
            "rename it or upload the right file",
            code="file_mismatch",
            file=name,
            extension=extension,
            found=found,
        )
    return kind


def safe_filename(filename: str, kind: str) -> str:
    """A file name that is safe to store: no folders, ASCII letters/digits/._- only, ≤ 80 chars."""
    base = filename.replace("\\", "/").rsplit("/", 1)[-1]
    base = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode()
    stem = _SAFE_NAME.sub("-", Path(base).stem).strip(".-_")[:70] or "document"
    extension = Path(base).suffix.lower()
    if EXTENSIONS.get(extension) != kind:
        extension = "." + kind
    return stem + extension


def slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")[:40].strip("-") or "document"


def user_records(data: Path) -> list[dict]:
    """The raw records of ``<data>/user_manifest.json`` (empty when there is none)."""
    path = DataDir(data).user_manifest
    if not path.is_file():
        return []
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ManifestError(f"{path}: not valid UTF-8 JSON ({exc})") from None
    return list(raw.get("documents", [])) if isinstance(raw, dict) else []


@dataclass(frozen=True)
class Preview:
    """What a document would add, before anything is stored."""

    record: DocRecord
    units: list[Unit]
    parser: str

    @property
    def top_level(self) -> list[Unit]:
        return [u for u in self.units if u.parent is None]

    @property
    def warnings(self) -> list[str]:
        return [merged_text(*m) for m in merged_headings(self.top_level)]

    def to_dict(self) -> dict:
        return {
            "doc_id": self.record.doc_id,
            "units": len(self.units),
            "parser": self.parser,
            "preview": [
                {"unit_id": u.unit_id, "citation": u.citation, "heading": u.heading}
                for u in self.top_level
            ],
            "warnings": self.warnings,
        }

    def summary(self) -> str:
        """``24 provisions found: Art. 1 Definitions; Art. 2 Scope; …``, then any warning."""
        heads = "; ".join(f"{u.citation} {u.heading}".strip() for u in self.top_level[:6])
        more = " …" if len(self.top_level) > 6 else ""
        lines = [f"{len(self.top_level)} provisions found ({self.parser}): {heads}{more}"]
        return "\n".join(lines + [f"warning: {w}" for w in self.warnings])


#: a provision's number at a line's start or after a sentence, before a capital: "Article 2"
#: run into the text of Article 1 ("… register of cogs. Article 2 Cog sellers shall …")
_RUN_IN_HEADING = re.compile(
    r"(?:(?<=\n)|(?<=[.;:!?]) )\s*(?:Article|Art\.|Artikel|Artikkel|Section|Sec\.|§)\s*(\d+)"
    r"\.?\s*(?:[—–:-]\s*)?(?=[A-ZÀ-ÖØ-Þ])"
)


def merged_headings(units: list[Unit]) -> list[tuple[str, int, int]]:
    """Provisions whose text holds the headings of the next two or more provisions ("Article
    2 …", "Article 3 …" inside Art. 1): the parser read several as one, and each would be cited
    as the first. Said, not refused (the numbers must follow the provision's own, so an
    amending act's inserted "Article 29b" or a "§ 5 Absatz 1" reference does not count)."""
    out = []
    for unit in units:
        own = re.search(r"-(\d+)$", unit.unit_id)
        if own is None:
            continue
        numbers = [int(m.group(1)) for m in _RUN_IN_HEADING.finditer(unit.text)]
        expected, found = int(own.group(1)) + 1, []
        for number in numbers:
            if number == expected:
                found.append(number)
                expected += 1
        if len(found) >= 2:
            out.append((unit.citation, found[0], found[-1]))
    return out


def merged_text(citation: str, first: int, last: int) -> str:
    """A ``merged_headings`` entry in the CLI's words."""
    return (
        f"{citation} holds what look like the headings of provisions {first}–{last}: the "
        "parser may have read several provisions as one — try another --layout, or the text "
        "saved as .txt or .md"
    )


def preview_document(
    data: Path, filename: str, content: bytes, meta: NewDocument, *, parser: str | None = None
) -> Preview:
    """Parse an upload without storing anything (``parser``: a label, ``auto`` or None for the
    default of its kind). Raises ``UploadError`` / ``LoadError`` like ``add_document``."""
    kind = check_upload(filename, content)
    options = PARSERS[kind] if parser == AUTO else (_parser(kind, parser),)
    first_error: Exception | None = None
    best: Preview | None = None
    for fmt, layout in options:
        record = _new_record(Path(data), meta, filename, kind, fmt, layout, content)
        with tempfile.TemporaryDirectory(prefix="levelfield-preview-") as tmp:
            try:
                units = _parse(Path(tmp), record, content)
            except KBError as exc:
                first_error = first_error or exc
                continue
        found = Preview(record, units, parser_label(fmt, layout))
        if best is None or len(found.top_level) > len(best.top_level):
            best = found
    if best is None:
        assert first_error is not None
        raise first_error
    return best


def add_document(
    data: Path,
    filename: str,
    content: bytes,
    meta: NewDocument,
    *,
    parser: str | None = None,
    embedder=None,
    progress: Callable[[str], None] | None = None,
) -> AddResult:
    """Validate, store, parse and index one uploaded document; returns what was added.

    ``parser`` is a label from ``parser_options`` (default: the first for the file's kind).
    Raises ``UploadError`` for a bad upload or metadata, ``LoadError`` when no provisions could
    be read, ``StoreError`` when there is no unit table or index yet. Nothing is changed then.
    """
    started = time.perf_counter()
    say = progress or (lambda message: None)
    data = Path(data)
    kind = check_upload(filename, content)
    if parser == AUTO:
        parser = preview_document(data, filename, content, meta, parser=AUTO).parser
    fmt, layout = _parser(kind, parser)
    with _locked(data):
        record = _new_record(data, meta, filename, kind, fmt, layout, content)
        embedder = embedder or _index_embedder(data)
        name, label = record.files[0].name, parser_label(fmt, layout)
        say(Said(f"parsing {name} as {label}", "parsing", file=name, parser=label))
        with _transaction(data, record.doc_id) as (staging, final):
            units = _parse(staging, record, content)
            staging.rename(final)
            _store(data, record, units)
            say(
                Said(
                    f"{len(units)} provisions read; updating the search index", "read", n=len(units)
                )
            )
            from indexing.index import build_index

            index = build_index(data, embedder, progress=say)
            _precompute(data, say)
    return AddResult(
        record.doc_id,
        record.files[0].name,
        len(units),
        index["chunks"],
        index["reused_vectors"],
        round(time.perf_counter() - started, 2),
        tuple(merged_headings([u for u in units if u.parent is None])),
    )


def add_bilingual(
    data: Path,
    filename: str,
    content: bytes,
    meta: NewDocument,
    second_language: str,
    *,
    embedder=None,
    progress: Callable[[str], None] | None = None,
) -> list[AddResult]:
    """A two-column bilingual print (e.g. a Belgian Chamber document, Dutch and French side by
    side) as two documents: the left column in ``meta.language``, the right column in
    ``second_language`` as its ``translation_of``. All or nothing: if the second fails, the
    first is removed again."""
    label = parser_label(*TWO_COLUMN)
    if second_language == meta.language:
        raise UploadError("the two columns need two different languages", code="two_languages")
    left = dataclasses.replace(meta, column="left")
    first = add_document(
        data, filename, content, left, parser=label, embedder=embedder, progress=progress
    )
    right = dataclasses.replace(
        meta,
        column="right",
        language=second_language,
        short_title=f"{meta.short_title} ({second_language.upper()})",
        translation_of=first.doc_id,
    )
    try:
        second = add_document(
            data, filename, content, right, parser=label, embedder=embedder, progress=progress
        )
    except BaseException:
        remove_document(data, first.doc_id, embedder=embedder)
        raise
    return [first, second]


def remove_document(data: Path, doc_id: str, *, embedder=None) -> None:
    """Remove a user-added document (its file, record and units) and update the index."""
    from corpus.manifest import SAFE_ID

    data = Path(data)
    folder = _uploads(data) / str(doc_id)
    if not SAFE_ID.fullmatch(str(doc_id)) or folder.resolve().parent != _uploads(data).resolve():
        raise UploadError(f"{doc_id!r} is not a valid document id")
    with _locked(data):
        entries = user_records(data)
        if doc_id not in {e.get("doc_id") for e in entries}:
            added = ", ".join(sorted(str(e.get("doc_id")) for e in entries)) or "none"
            if doc_id in default_manifest():
                raise UploadError(
                    f"{doc_id!r} is a document of the product's manifest, not one added with "
                    f"`kb add`: it cannot be removed (user-added now: {added})"
                )
            raise UploadError(
                f"{doc_id!r} is not a user-added document (removed already, or never added; "
                f"user-added now: {added})"
            )
        versions = [e["doc_id"] for e in entries if e.get("translation_of") == doc_id]
        if versions:
            raise UploadError(
                f"{doc_id!r} has another language version added with it: remove "
                f"{', '.join(versions)} first"
            )
        embedder = embedder or _index_embedder(data)
        backup = _Backup(data)
        try:
            kept = [e for e in entries if e.get("doc_id") != doc_id]
            _write_user_manifest(data, kept)
            units = [u for u in read_units(data) if u.doc_id != doc_id]
            summary = _summary(data)
            summary.get("documents", {}).pop(doc_id, None)
            write_units(data, units, summary)
            from indexing.index import build_index

            build_index(data, embedder)
            _precompute(data, None)
        except BaseException:
            backup.restore()
            raise
        backup.commit()
        shutil.rmtree(folder, ignore_errors=True)


# --------------------------------------------------------------------------- steps


def _precompute(data: Path, say) -> None:
    """Forces and matrix for the new corpus version (only the changed document is computed)."""
    from kb.compare.cache import precompute

    precompute(data, progress=say)


def _parser(kind: str, label: str | None) -> tuple[str, str | None]:
    options = PARSERS[kind] + ((TWO_COLUMN,) if kind == "pdf" else ())
    if label is None:
        return options[0]
    for fmt, layout in options:
        if parser_label(fmt, layout) == label:
            return fmt, layout
    raise UploadError(
        f"parser {label!r} cannot read a {kind} file; choose one of {', '.join(parser_options(kind))}"
    )


def _new_record(data, meta: NewDocument, filename, kind, fmt, layout, content) -> DocRecord:
    _check_meta(meta)
    entries = user_records(data)
    digest = hashlib.sha256(content).hexdigest()
    for entry in entries:
        if any(
            f.get("sha256") == digest and f.get("column") == meta.column
            for f in entry.get("files", [])
        ):
            raise UploadError(
                f"this file was already added as {entry['doc_id']!r}",
                code="file_added",
                doc_id=entry["doc_id"],
            )
    known = set(default_manifest()) | {e.get("doc_id") for e in entries}
    base = "user-" + slug(meta.short_title)
    doc_id = base
    n = 2
    while doc_id in known or (_uploads(data) / doc_id).exists():
        doc_id, n = f"{base}-{n}", n + 1
    file = FileRecord(safe_filename(filename, kind), fmt, digest, layout=layout, column=meta.column)
    entry = {
        "doc_id": doc_id,
        "title": meta.title.strip(),
        "short_title": meta.short_title.strip(),
        "cite_as": (meta.cite_as or meta.short_title).strip(),
        "jurisdiction": meta.jurisdiction.strip(),
        "instrument_type": meta.instrument_type,
        "status": meta.status,
        "language": meta.language,
        "official_url": meta.official_url.strip(),
        "adopted": meta.adopted or None,
        "files": [file.to_dict()],
        "notes": ("Added by a user. " + meta.notes.strip()).strip(),
    }
    if meta.translation_of:
        entry["translation_of"] = meta.translation_of
    try:
        records = parse_manifest(
            [r.to_dict() for r in default_manifest().values()] + entries + [entry]
        )
    except ManifestError as exc:
        raise UploadError(str(exc).split(": ", 2)[-1]) from None
    return records[doc_id]


def _check_meta(meta: NewDocument) -> None:
    for name in ("title", "short_title", "jurisdiction", "official_url"):
        if not getattr(meta, name).strip():
            raise UploadError(f"{name.replace('_', ' ')} is required", code="required", field=name)
    if len(meta.title) > 500 or len(meta.short_title) > 120 or len(meta.cite_as) > 60:
        raise UploadError(
            "title ≤ 500, short title ≤ 120 and 'cite as' ≤ 60 characters", code="lengths"
        )
    if not _JURISDICTION.match(meta.jurisdiction.strip()):
        raise UploadError(
            "jurisdiction must be a code such as BE, NL or BE-VLG", code="jurisdiction"
        )
    if meta.language not in LANGUAGES:
        raise UploadError(f"language must be one of {', '.join(LANGUAGES)}")
    if meta.instrument_type not in INSTRUMENT_TYPES:
        raise UploadError(f"instrument type must be one of {', '.join(INSTRUMENT_TYPES)}")
    if meta.status not in STATUSES:
        raise UploadError(f"status must be one of {', '.join(STATUSES)}")
    if not re.match(r"^https?://[^\s/$.?#][^\s]*$", meta.official_url.strip()):
        raise UploadError("the official URL must be an http(s) address", code="url")


def _index_embedder(data: Path):
    """The embedder of the current index (the new chunks must be embedded with the same model)."""
    path = DataDir(data).index_meta
    if not path.is_file():
        raise StoreError(f"no search index in {data}; run `python -m kb build` first")
    from indexing.embedders import get_embedder

    return get_embedder(json.loads(path.read_text(encoding="utf-8"))["model"])


def _parse(folder: Path, record: DocRecord, content: bytes) -> list[Unit]:
    """The units of an upload, parsed in a child process with time and memory limits."""
    from kb.ingest.loaders.isolated import load_file_isolated

    path = folder / record.files[0].name
    path.write_bytes(content)
    units = load_file_isolated(path, record)
    if any(u.doc_id != record.doc_id for u in units):  # pragma: no cover - a loader contract
        raise UploadError("the parser returned provisions of another document")
    return units


def _store(data: Path, record: DocRecord, units: list[Unit]) -> None:
    existing = read_units(data)
    summary = _summary(data)
    summary.setdefault("documents", {})[record.doc_id] = len(units)
    _write_user_manifest(data, [*user_records(data), record.to_dict()])
    write_units(data, existing + units, summary)


def _summary(data: Path) -> dict:
    try:
        summary = read_summary(data)
    except StoreError:
        summary = {}
    for key in ("corpus_hash", "units"):
        summary.pop(key, None)
    return summary


def _write_user_manifest(data: Path, entries: list[dict]) -> None:
    text = json.dumps({"documents": entries}, ensure_ascii=False, indent=1) + "\n"
    atomic_write_text(DataDir(data).user_manifest, text)


def _uploads(data: Path) -> Path:
    return DataDir(data).uploads


# --------------------------------------------------------------------------- safety


class _Backup:
    """The bytes of the files an add rewrites and the index build in use, to put back on
    failure: a failure after the new index was switched in (while the matrix is computed, or
    the page is closed) must not leave an index of a corpus the unit table no longer holds.

    Kept in memory for a failure the process sees (an error, Ctrl-C, SIGTERM) and written to the
    data folder's journal for one it does not (SIGKILL, a power cut): the next command that
    reads or writes the folder puts it back (``recover``). ``folders``: what the change creates
    (an upload folder), removed when it is undone. ``commit`` ends it."""

    def __init__(self, data: Path, folders: tuple[Path, ...] = ()):
        from indexing.index import build_in_use

        self.data = data
        self.saved = {path: _read_or_none(path) for path in DataDir(data).table_files}
        self.index = build_in_use(data)
        self.folders = folders
        _write_journal(data, self.saved, self.index, folders)
        _changing(data, True)  # this thread's own journal: not one for ``recover``

    def restore(self) -> None:
        try:
            _put_back(self.data, self.saved, self.index, self.folders)
        finally:
            _changing(self.data, False)

    def commit(self) -> None:
        shutil.rmtree(DataDir(self.data).journal, ignore_errors=True)
        _changing(self.data, False)


def _put_back(data: Path, saved: dict[Path, str | None], index: Path | None, folders) -> None:
    """The tables as ``saved``, the index link at ``index``, ``folders`` and staging folders
    removed, then the journal (last: a second failure in here is put back by ``recover``)."""
    from indexing.index import use_build

    for path, text in saved.items():
        if text is None:
            path.unlink(missing_ok=True)
        elif _read_or_none(path) != text:
            atomic_write_text(path, text)
    try:
        use_build(data, index)
    except OSError:  # the tables are back; `kb build` makes the index match them again
        log.exception("could not put back the index build %s", index)
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)
    for staging in _uploads(data).glob(".staging-*"):
        shutil.rmtree(staging, ignore_errors=True)
    shutil.rmtree(DataDir(data).journal, ignore_errors=True)


def _write_journal(data: Path, saved: dict[Path, str | None], index, folders) -> None:
    """``<data>/.journal/``: each table file's bytes (or that it was absent), the index build
    and the folders to remove; complete or absent (written beside it, then renamed)."""
    where = DataDir(data)
    tmp = Path(tempfile.mkdtemp(dir=where.root, prefix=".journal-"))
    try:
        files = {}
        for i, (path, text) in enumerate(saved.items()):
            if text is not None:
                (tmp / f"table-{i}").write_text(text, encoding="utf-8")
            files[path.name] = f"table-{i}" if text is not None else None
        plan = {
            "files": files,
            "index": str(index) if index is not None else None,
            "folders": [f.name for f in folders],
        }
        (tmp / "journal.json").write_text(json.dumps(plan), encoding="utf-8")
        shutil.rmtree(where.journal, ignore_errors=True)
        tmp.rename(where.journal)
    except BaseException:  # a full disk: nothing was changed yet, and no half journal stays
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def recover(data: Path) -> bool:
    """Put back an add or removal whose process died before it finished (SIGKILL, a power
    cut): its journal is still there and no writer holds the folder. True when it did; a no-op
    costing one ``stat`` otherwise. Called before any command reads the folder."""
    from kb.store import writer_busy, writer_lock

    data = Path(data)
    if not DataDir(data).journal.is_dir() or writer_busy(data):
        return False
    with writer_lock(data):
        return _recover_held(data)


def _recover_held(data: Path) -> bool:
    """``recover``, the writer lock held."""
    where = DataDir(data)
    for unfinished in where.root.glob(".journal-*"):  # died while writing one: nothing changed
        shutil.rmtree(unfinished, ignore_errors=True)
    journal = where.journal
    if not journal.is_dir():
        return False
    try:
        plan = json.loads((journal / "journal.json").read_text(encoding="utf-8"))
        saved = {
            path: (journal / name).read_text(encoding="utf-8") if name else None
            for path in where.table_files
            for name in [plan["files"].get(path.name)]
        }
    except (OSError, ValueError, KeyError, AttributeError) as exc:
        raise StoreError(
            f"{journal}: the record of an interrupted add or removal cannot be read ({exc}); "
            "move it aside and run `python -m kb build`"
        ) from None
    index = Path(plan["index"]) if plan.get("index") else None
    folders = tuple(_uploads(data) / str(name) for name in plan.get("folders", []))
    _changing(data, True)
    try:
        _put_back(data, saved, index, folders)
    finally:
        _changing(data, False)
    log.info("an add or removal in %s was interrupted; it was undone", data)
    return True


def _read_or_none(path: Path) -> str | None:
    return path.read_text(encoding="utf-8") if path.is_file() else None


@contextlib.contextmanager
def _transaction(data: Path, doc_id: str) -> Iterator[tuple[Path, Path]]:
    """``(staging folder, final folder uploads/<doc_id>)``; on any failure inside the block the
    unit table, its summary and the user manifest are restored and both folders removed."""
    uploads = _uploads(data)
    uploads.mkdir(parents=True, exist_ok=True)
    final = uploads / doc_id
    if final.resolve().parent != uploads.resolve() or final.exists():
        raise UploadError(f"invalid or existing document id {doc_id!r}")
    backup = _Backup(data, folders=(final,))
    try:
        staging = Path(tempfile.mkdtemp(dir=uploads, prefix=".staging-"))
        staging.chmod(umask_mode(directory=True))
        yield staging, final
    except BaseException:
        backup.restore()  # removes the staging folder too
        raise
    backup.commit()


@contextlib.contextmanager
def _locked(data: Path):
    """The data folder's writer lock (``kb.store.writer_lock``), shared with build and ingest;
    an earlier add or removal that died half-way is put back first (``recover``)."""
    from kb.store import writer_lock

    with writer_lock(data):
        if not _in_change(data):
            _recover_held(data)
        yield


_CHANGES = threading.local()  # per thread: the data folders it is changing (a journal is its own)


def _in_change(data: Path) -> bool:
    return str(Path(data).resolve()) in getattr(_CHANGES, "folders", set())


def _changing(data: Path, on: bool) -> None:
    folders = getattr(_CHANGES, "folders", None)
    if folders is None:
        folders = _CHANGES.folders = set()
    key = str(Path(data).resolve())
    if on:
        folders.add(key)
    else:
        folders.discard(key)
