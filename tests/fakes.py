"""A deterministic fake embedder for plumbing tests (never a substitute for the real model)."""

import hashlib

import numpy as np


class HashEmbedder:
    """Bag of hashed words → 64-dim vector. Same text, same vector; shared words, higher cosine."""

    name = "hash-test"
    fingerprint = "hash-test-64"
    dim = 64

    def __init__(self):
        self.passages_encoded = 0

    def _vec(self, text):
        v = np.zeros(self.dim, dtype=np.float32)
        for word in text.lower().split():
            v[int(hashlib.md5(word.encode()).hexdigest(), 16) % self.dim] += 1.0
        n = np.linalg.norm(v)
        return v / n if n else v

    def encode_queries(self, texts):
        return np.vstack([self._vec(t) for t in texts])

    def encode_passages(self, texts, progress=None):
        self.passages_encoded += len(texts)
        if progress:
            progress(len(texts), len(texts))
        return np.vstack([self._vec(t) for t in texts])


def synthetic_record(doc_id: str = "syn-doc", *files, **changes):
    """A clearly synthetic manifest record (not law) for plumbing tests; ``files`` are FileRecords."""
    from kb.models import DocRecord

    fields = {
        "doc_id": doc_id,
        "title": "Synthetic test instrument",
        "short_title": "SYN",
        "cite_as": "SYN",
        "jurisdiction": "XX",
        "instrument_type": "bill",
        "status": "proposal",
        "language": "en",
        "official_url": "https://example.invalid/",
        "files": tuple(files),
    }
    return DocRecord(**{**fields, **changes})


def copy_data(source, target, with_index: bool = True):
    """A private copy of an indexed data folder (unit table, summary and, unless
    ``with_index`` is false, the index; no cache) to damage or change in a test."""
    import os
    import shutil

    target.mkdir(parents=True)
    for name in ("units.jsonl", "ingest.json"):
        shutil.copy2(source / name, target / name)
    if with_index:
        shutil.copytree(source / "index", target / "indexes" / "copy")
        os.symlink("indexes/copy", target / "index")
    return target


def flate_bomb_pdf(pages: int = 20, per_page: int = 70_000_000) -> bytes:
    """A small PDF whose Flate-compressed page streams inflate to ``per_page`` bytes each (a
    decompression bomb: 20 × 70 MB from 1.4 MB). The text drawn is the word "bomb" — no law."""
    import zlib

    content = zlib.compress(b"BT /F1 12 Tf 72 712 Td (bomb) Tj ET\n" + b" " * per_page, 9)
    return _pdf([content] * pages, flate=True)


def text_pdf(pages: list) -> bytes:
    """A PDF with these lines of text on each page (Helvetica 10 pt, top to bottom), for tests
    that must not ship a real document: the text is clearly synthetic ("Draft Widget …"). A page
    given as a pair of line lists is printed in two columns (left at x 56, right at x 310), as a
    bilingual parliamentary document prints its two language versions side by side."""

    def escape(line: str) -> str:
        return line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    def column(lines: list[str], x: int) -> list[str]:
        return [f"BT /F1 10 Tf 13 TL {x} 790 Td", *(f"({escape(t)}) Tj T*" for t in lines), "ET"]

    streams = []
    for page in pages:
        body = (
            column(page[0], 56) + column(page[1], 310)
            if isinstance(page, tuple)
            else column(page, 56)
        )
        streams.append("\n".join(body).encode("cp1252"))
    return _pdf(streams)


def _pdf(streams: list[bytes], flate: bool = False) -> bytes:
    """A minimal PDF: one page per content stream, one Type 1 font (Helvetica, WinAnsi)."""
    pages = len(streams)
    font = 3 + 2 * pages
    kids = " ".join(f"{3 + 2 * i} 0 R" for i in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode(),
    ]
    for i, content in enumerate(streams):
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents {4 + 2 * i} 0 R "
            f"/Resources << /Font << /F1 {font} 0 R >> >> >>".encode()
        )
        objects.append(
            f"<< /Length {len(content)}{' /Filter /FlateDecode' if flate else ''} >>\nstream\n".encode()
            + content
            + b"\nendstream"
        )
    objects.append(
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
    )
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return bytes(out)


class OtherHashEmbedder(HashEmbedder):
    """A second fake model (another fingerprint and size): a companion for index tests."""

    name = "hash-other"
    fingerprint = "hash-other-32"
    dim = 32
