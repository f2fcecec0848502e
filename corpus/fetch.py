"""Fill the local, git-ignored cache with the official texts of the manifest.

Texts come from a mirror folder (``<mirror>/<doc_id>/<file>``, e.g. ``../shared/corpus/sources``)
or, with ``download=True``, from each file's official URL. Every file is checked against the
manifest's sha256 and written atomically (temp file + rename), so an interrupted fetch leaves the
previous cache intact.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from kb.errors import FetchError
from kb.models import DocRecord, FileRecord
from kb.store import DataDir, atomic_write_bytes, umask_mode

PRESENT, FETCHED, CHANGED, MISSING, ERROR = "present", "fetched", "changed", "missing", "error"


@dataclass
class FetchReport:
    """Outcome for one document: its status and a message per file."""

    doc_id: str
    status: str
    messages: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"doc_id": self.doc_id, "status": self.status, "messages": self.messages}


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def cache_path(cache_dir: Path, record: DocRecord, file: FileRecord) -> Path:
    """Where the text of ``file`` lives locally: ``<cache>/<doc_id>/<name>``, or for a document a
    user added, ``<data>/uploads/<doc_id>/<name>`` (the cache's sibling) when that exists."""
    uploaded = DataDir(cache_dir.parent).uploads / record.doc_id / file.name
    return uploaded if uploaded.is_file() else cache_dir / record.doc_id / file.name


def fetch_all(
    records: Iterable[DocRecord],
    cache_dir: Path,
    mirror: Path | None = None,
    *,
    download: bool = False,
    timeout: float = 30.0,
    retries: int = 2,
    progress: Callable[[str], None] | None = None,
) -> list[FetchReport]:
    """Fetch every document; returns one report per document, in manifest order.

    A problem with one document is reported in its ``FetchReport`` and never stops the others.
    """
    reports = []
    for record in records:
        report = _fetch_document(record, cache_dir, mirror, download, timeout, retries)
        if progress:
            progress(f"{report.status:8} {record.doc_id}")
        reports.append(report)
    return reports


def _fetch_document(record, cache_dir, mirror, download, timeout, retries) -> FetchReport:
    if not record.files and record.download:
        return _fetch_download(record, cache_dir, download, timeout, retries)
    if not record.files:
        return FetchReport(
            record.doc_id,
            MISSING,
            [f"not available offline; official source: {record.official_url}"],
        )
    statuses, messages = [], []
    for file in record.files:
        try:
            status, message = _fetch_file(
                record, file, cache_dir, mirror, download, timeout, retries
            )
        except FetchError as exc:
            status, message = ERROR, str(exc)
        statuses.append(status)
        messages.append(f"{file.name}: {message}")
    for status in (ERROR, CHANGED, MISSING, FETCHED):
        if status in statuses:
            return FetchReport(record.doc_id, status, messages)
    return FetchReport(record.doc_id, PRESENT, messages)


def _fetch_download(record, cache_dir, download, timeout, retries) -> FetchReport:
    """An instrument we cannot ship, with a download spec: fetched from its official URL when
    asked (``--download``), else listed as missing with the command that fetches it."""
    spec = record.download
    target = cache_dir / record.doc_id / spec.name
    if target.is_file():
        return FetchReport(
            record.doc_id, PRESENT, [f"{spec.name}: downloaded earlier from {spec.url}"]
        )
    if not download:
        return FetchReport(
            record.doc_id,
            MISSING,
            [f"not available offline; `python -m kb fetch --download` fetches it from {spec.url}"],
        )
    try:
        data = _download(spec.url, timeout, retries)
    except FetchError as exc:
        return FetchReport(record.doc_id, ERROR, [f"{spec.name}: {exc}"])
    if not _looks_like(spec.format, data):
        return FetchReport(
            record.doc_id,
            ERROR,
            [
                f"{spec.name}: {spec.url} did not return a {spec.format} file (an error page?); "
                "nothing stored"
            ],
        )
    atomic_write_bytes(target, data)
    digest = hashlib.sha256(data).hexdigest()
    return FetchReport(
        record.doc_id,
        FETCHED,
        [
            f"{spec.name}: downloaded from {spec.url} (sha256 {digest[:12]}…; the manifest has no "
            "checksum for it: compare with the official page)"
        ],
    )


def _looks_like(fmt: str, data: bytes) -> bool:
    """Whether downloaded bytes can be a file of ``fmt``: a PDF starts with ``%PDF-``, HTML has
    a tag in its first kilobyte, text formats are not a PDF or HTML page."""
    head = data[:1024].lstrip().lower()
    if fmt == "pdf":
        return head.startswith(b"%pdf-")
    is_markup = head.startswith((b"<!doctype", b"<html", b"<?xml")) or b"<html" in head
    if fmt.endswith(("html", "xhtml")):
        return is_markup
    return not head.startswith(b"%pdf-") and not is_markup


def _fetch_file(record, file, cache_dir, mirror, download, timeout, retries) -> tuple[str, str]:
    target = cache_path(cache_dir, record, file)
    source = mirror / record.doc_id / file.name if mirror else None
    cached_ok = target.is_file() and (file.sha256 is None or sha256_file(target) == file.sha256)
    if source is not None and source.is_file():
        digest = sha256_file(source)
        if file.sha256 and digest != file.sha256:
            return CHANGED, (
                f"checksum mismatch in mirror {source} (sha256 {digest[:12]}…, manifest "
                f"{file.sha256[:12]}…); cache left unchanged"
            )
        if cached_ok and sha256_file(target) == digest:
            return PRESENT, "in cache, checksum ok"
        _atomic_copy(source, target)
        _copy_provenance(source.parent, target.parent)
        return FETCHED, f"copied from {source}"
    if cached_ok:
        return PRESENT, "in cache, checksum ok"
    if download and file.url:
        data = _download(file.url, timeout, retries)
        digest = hashlib.sha256(data).hexdigest()
        if file.sha256 and digest != file.sha256:
            return CHANGED, f"downloaded {file.url} but checksum differs from manifest; not stored"
        atomic_write_bytes(target, data)
        return FETCHED, f"downloaded from {file.url}"
    where = f"mirror {mirror}" if mirror else "no mirror given"
    hint = f"download from {file.url}" if file.url else f"get it from {record.official_url}"
    return MISSING, f"not in cache ({where}); {hint}"


#: the largest file ``fetch --download`` accepts (the biggest official text is ~1.2 MB)
MAX_DOWNLOAD_BYTES = 50 * 1024 * 1024


class _HttpsOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects only to https: never a downgrade to http, never file:/ftp:/data:."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if not newurl.lower().startswith("https://"):
            raise FetchError(f"{req.full_url} redirects to {newurl!r}, which is not https; refused")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _download(url: str, timeout: float, retries: int, limit: int = MAX_DOWNLOAD_BYTES) -> bytes:
    """The bytes at an https ``url`` (at most ``limit``), with retries; ``FetchError`` otherwise."""
    if not url.lower().startswith("https://"):
        raise FetchError(f"refusing to download {url!r}: only https:// addresses are fetched")
    opener = urllib.request.build_opener(_HttpsOnlyRedirects)
    last: Exception | None = None
    for attempt in range(retries + 1):
        try:
            request = urllib.request.Request(url, headers={"User-Agent": "levelfield/0.1"})
            with opener.open(request, timeout=timeout) as response:
                declared = response.headers.get("Content-Length")
                if declared and declared.isdigit() and int(declared) > limit:
                    raise FetchError(f"{url} is {int(declared)} bytes; the limit is {limit}")
                data = response.read(limit + 1)
                if len(data) > limit:
                    raise FetchError(f"{url} is larger than the limit of {limit} bytes; refused")
                return data
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            last = exc
            time.sleep(min(2**attempt, 5))
    raise FetchError(f"could not download {url} after {retries + 1} attempts (offline?): {last}")


def _atomic_copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    os.fchmod(fd, umask_mode())
    os.close(fd)
    try:
        shutil.copyfile(source, tmp)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _copy_provenance(source_dir: Path, target_dir: Path) -> None:
    provenance = source_dir / "source.json"
    if provenance.is_file():
        _atomic_copy(provenance, target_dir / "source.json")
