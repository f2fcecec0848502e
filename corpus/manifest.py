"""The manifest: every instrument Levelfield knows about, present in the local corpus or not.

``corpus/manifest.json`` holds one record per document (ids = the mirror's folder names), with
metadata, official URLs, file checksums and version relations. It is validated on load; an
invalid manifest raises ``ManifestError`` naming the record and field.

Relations: ``consolidates`` (a consolidated text → the act), ``amends`` (an amending act → the acts
it amends), ``translation_of`` (another language version), ``proposal_of`` / ``adopted_as``
(a proposal → the act it became).
"""

from __future__ import annotations

import dataclasses
import json
import re
from functools import cache
from pathlib import Path

from kb.dates import is_iso_date
from kb.errors import ManifestError
from kb.formats import FORMATS, LAYOUTS
from kb.models import DocRecord, FileRecord

MANIFEST_PATH = Path(__file__).with_name("manifest.json")

CITATION_STYLES = (None, "section-sign", "uk", "swiss")
ROLES = ("text", "companion")
INSTRUMENT_TYPES = (
    "soft-law",
    "guidance",
    "resolution",
    "directive",
    "regulation",
    "national-law",
    "bill",
    "proposal",
    "policy-advice",
)
_DATE_FIELDS = ("adopted", "entry_into_force", "application", "version_date")
_RELATIONS = ("consolidates", "translation_of", "proposal_of", "adopted_as", "implements")


def load_manifest(path: Path | str | None = None) -> dict[str, DocRecord]:
    """Read and validate a manifest file. Returns ``{doc_id: DocRecord}`` in file order."""
    path = Path(path) if path else MANIFEST_PATH
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ManifestError(f"manifest not found: {path}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ManifestError(f"{path}: not valid UTF-8 JSON ({exc})") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("documents"), list):
        raise ManifestError(f"{path}: expected an object with a 'documents' list")
    return parse_manifest(raw["documents"], source=str(path))


def parse_manifest(entries: list[dict], source: str = "manifest") -> dict[str, DocRecord]:
    """Validate a list of raw records; see ``load_manifest``."""
    records: dict[str, DocRecord] = {}
    for i, entry in enumerate(entries):
        where = f"{source}: document #{i + 1} ({entry.get('doc_id', '?') if isinstance(entry, dict) else '?'})"
        record = _record(entry, where)
        if record.doc_id in records:
            raise ManifestError(f"{where}: duplicate doc_id {record.doc_id!r}")
        records[record.doc_id] = record
    for record in records.values():
        targets = [(name, getattr(record, name)) for name in _RELATIONS]
        targets += [("amends", target) for target in record.amends]
        for name, target in targets:
            if target is not None and target not in records:
                raise ManifestError(
                    f"{source}: {record.doc_id}.{name} refers to unknown doc_id {target!r}"
                )
    return records


@cache
def default_manifest() -> dict[str, DocRecord]:
    """The project's manifest, loaded once per process."""
    return load_manifest(MANIFEST_PATH)


def manifest_for(data: Path) -> dict[str, DocRecord]:
    """The project's manifest plus documents users added in ``data`` (``user_manifest.json``).

    User documents may not reuse a project doc_id; relations may point to project documents.
    """
    from kb.store import DataDir

    where = DataDir(data)
    path = where.user_manifest
    if not path.is_file():
        # documents a user added, without the file that lists them: every reader would trip on
        # their units ("internal error (KeyError: 'user-…')") and an ingest would drop them
        added = sorted(
            p.name for p in where.uploads.glob("*") if p.is_dir() and not p.name.startswith(".")
        )
        if added:
            raise ManifestError(
                f"{path} is missing, but {where.uploads} holds documents added earlier "
                f"({', '.join(added[:5])}{', …' if len(added) > 5 else ''}): restore the file "
                "from a backup, or move those folders out of uploads/ to drop the documents and "
                "run `python -m kb ingest && python -m kb build`"
            )
        records = default_manifest()
    else:
        stat = path.stat()
        records = _with_user(str(path), stat.st_mtime_ns, stat.st_size)
    return _with_downloads(records, DataDir(data).cache)


def _with_downloads(records: dict[str, DocRecord], cache: Path) -> dict[str, DocRecord]:
    """Instruments we cannot ship whose official text ``kb fetch --download`` has put in the
    cache become present documents: their download spec is their file, and their completeness
    says where the text came from (no checksum could be checked)."""
    import dataclasses

    fetched = {
        doc_id: r
        for doc_id, r in records.items()
        if r.download and not r.files and (cache / doc_id / r.download.name).is_file()
    }
    if not fetched:
        return records
    out = dict(records)
    for doc_id, r in fetched.items():
        note = f"downloaded from {r.download.url} by `kb fetch --download` (no checksum to check)"
        out[doc_id] = dataclasses.replace(
            r, files=(r.download,), completeness="; ".join(x for x in (r.completeness, note) if x)
        )
    return out


@cache
def _with_user(path: str, _mtime: int, _size: int) -> dict[str, DocRecord]:
    try:
        raw = json.loads(Path(path).read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ManifestError(f"{path}: not valid UTF-8 JSON ({exc})") from None
    base = [r.to_dict() for r in default_manifest().values()]
    entries = raw.get("documents", []) if isinstance(raw, dict) else None
    if not isinstance(entries, list):
        raise ManifestError(f"{path}: expected an object with a 'documents' list")
    return parse_manifest(base + entries, source=path)


#: a doc_id names a folder (cache/<doc_id>, uploads/<doc_id>): no separators, dots or capitals
SAFE_ID = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,118}[a-z0-9])?")
#: a file name stays inside its document's folder
SAFE_FILE_NAME = re.compile(r"[A-Za-z0-9_(][A-Za-z0-9 _.,()+-]{0,199}")


def _record(entry: object, where: str) -> DocRecord:
    if not isinstance(entry, dict):
        raise ManifestError(f"{where}: expected an object, got {type(entry).__name__}")
    known = {f.name for f in dataclasses.fields(DocRecord)}
    unknown = sorted(set(entry) - known)
    if unknown:
        raise ManifestError(f"{where}: unknown field(s) {unknown}; known: {sorted(known)}")
    required = ["doc_id", "title", "short_title", "cite_as", "jurisdiction"]
    required += ["instrument_type", "status", "language", "official_url"]
    for name in required:
        if not isinstance(entry.get(name), str) or not entry[name].strip():
            raise ManifestError(
                f"{where}: field {name!r} is required and must be a non-empty string"
            )
    if not SAFE_ID.fullmatch(entry["doc_id"]):
        raise ManifestError(
            f"{where}: doc_id {entry['doc_id']!r} must be lower-case letters, digits and hyphens "
            "(it names folders under the data folder)"
        )
    if entry["instrument_type"] not in INSTRUMENT_TYPES:
        raise ManifestError(
            f"{where}: instrument_type {entry['instrument_type']!r} is not one of {INSTRUMENT_TYPES}"
        )
    if not entry["official_url"].startswith(("https://", "http://")):
        raise ManifestError(f"{where}: official_url must be an http(s) URL")
    for name in _DATE_FIELDS:
        value = entry.get(name)
        if value is not None:
            if not is_iso_date(value):
                raise ManifestError(f"{where}: {name} {value!r} is not an ISO date (YYYY-MM-DD)")
    if entry.get("citation_style") not in CITATION_STYLES:
        raise ManifestError(
            f"{where}: citation_style {entry['citation_style']!r} is not one of {CITATION_STYLES[1:]}"
        )
    files = entry.get("files", [])
    if not isinstance(files, list):
        raise ManifestError(f"{where}: files must be a list")
    download = entry.get("download")
    if download is not None:
        if files:
            raise ManifestError(f"{where}: download is for an instrument without files")
        if not isinstance(download, dict) or not str(download.get("url", "")).startswith(
            "https://"
        ):
            raise ManifestError(f"{where}: download needs an https:// url, a name and a format")
        download = _file_entry(where, download)
    parsed_files = [_file_entry(where, f) for f in files]
    try:
        return DocRecord.from_dict(
            {
                **entry,
                "files": parsed_files,
                "download": download,
                "amends": entry.get("amends", []),
                "implements_units": entry.get("implements_units", []),
            }
        )
    except TypeError as exc:
        raise ManifestError(f"{where}: {exc}") from None


def _file_entry(where: str, f) -> dict:
    """One checked file entry (a ``files`` item or a ``download`` spec) as a dict."""
    try:
        record = FileRecord.from_dict(f)
    except TypeError as exc:
        raise ManifestError(f"{where}: bad file entry: {exc}") from None
    if not isinstance(record.name, str) or not SAFE_FILE_NAME.fullmatch(record.name):
        raise ManifestError(
            f"{where}: file name {record.name!r} must be a plain file name (no folders, not "
            "hidden, no control characters)"
        )
    if record.format not in FORMATS:
        raise ManifestError(
            f"{where}: file {record.name}: format {record.format!r} is not one of {FORMATS}"
        )
    if record.layout not in LAYOUTS:
        raise ManifestError(f"{where}: file {record.name}: unknown layout {record.layout!r}")
    if record.role not in ROLES:
        raise ManifestError(f"{where}: file {record.name}: role must be one of {ROLES}")
    if record.extract is not None and (
        not isinstance(record.extract, dict) or set(record.extract) != {"from", "to"}
    ):
        raise ManifestError(
            f"{where}: file {record.name}: extract must be {{'from': unit_id, 'to': unit_id}}"
        )
    if record.fields is not None and not isinstance(record.fields, dict):
        raise ManifestError(f"{where}: file {record.name}: fields must be an object")
    if (record.layout == "two-column") != (record.column in ("left", "right")):
        raise ManifestError(
            f"{where}: file {record.name}: layout 'two-column' needs column 'left' or 'right' "
            "(and a column needs that layout)"
        )
    return record.to_dict()
