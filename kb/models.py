"""All data types of Levelfield in one place.

Value objects are frozen dataclasses; records have ``to_dict``/``from_dict`` so they round-trip
through JSON without surprises.
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass, field
from typing import Any


def _from_dict(cls, data: dict[str, Any]):
    """Build a dataclass from a dict, turning lists back into tuples for tuple fields."""
    names = {f.name: f for f in dataclasses.fields(cls)}
    unknown = set(data) - set(names)
    if unknown:
        raise TypeError(f"{cls.__name__}: unknown field(s) {sorted(unknown)}")
    kwargs = {}
    for key, value in data.items():
        if isinstance(value, list) and str(names[key].type).startswith("tuple"):
            value = tuple(value)
        kwargs[key] = value
    return cls(**kwargs)


# --------------------------------------------------------------------------- manifest


@dataclass(frozen=True)
class FileRecord:
    """One file of a document: where it comes from and how to parse it.

    ``format`` picks the loader (see ``kb.ingest.loaders.LOADERS``); ``layout`` tells a line-based loader
    which heading grammar the text follows (``oj``, ``ungp``, ``legifrance``, ``sections``).
    ``role`` is ``text`` for files parsed into units, ``companion`` for files kept beside them
    (e.g. a corrigendum) and listed but not parsed.
    """

    name: str
    format: str
    sha256: str | None = None
    url: str | None = None
    layout: str | None = None
    role: str = "text"
    #: only the provisions ``{"from": unit_id, "to": unit_id}`` (inclusive) belong to the product
    extract: dict[str, str] | None = None
    #: field names of a structured-records file (``json-provisions``): records, number, title, text
    fields: dict[str, str] | None = None
    #: ``left`` or ``right``: the column of a two-column bilingual PDF (layout ``two-column``)
    #: that holds this document's language version
    column: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FileRecord:
        return _from_dict(cls, data)


@dataclass(frozen=True)
class DocRecord:
    """One instrument of the manifest, present in the local corpus or not."""

    doc_id: str
    title: str
    short_title: str
    cite_as: str
    jurisdiction: str
    instrument_type: str
    status: str
    language: str
    official_url: str
    adopted: str | None = None
    entry_into_force: str | None = None
    application: str | None = None
    version_date: str | None = None
    consolidates: str | None = None
    amends: tuple[str, ...] = ()
    translation_of: str | None = None
    proposal_of: str | None = None
    adopted_as: str | None = None
    implements: str | None = None
    implements_units: tuple[str, ...] = ()
    files: tuple[FileRecord, ...] = ()
    #: for an instrument we cannot ship: where its official text can be downloaded and how to
    #: read it (``python -m kb fetch --download``); used instead of ``files`` once it is fetched
    download: FileRecord | None = None
    #: what of the instrument is in the local corpus, shown to users ("section 54 only")
    completeness: str = ""
    #: citation convention beyond the language's default: ``section-sign``, ``uk``, ``swiss``
    citation_style: str | None = None
    #: the publisher's own page of each article where it has one and no anchor rule finds it
    #: (top-level unit id → URL, from the source's provenance), e.g. Légifrance's per-article pages
    article_urls: tuple[tuple[str, str], ...] = ()
    notes: str = ""

    def to_dict(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data["files"] = [f.to_dict() for f in self.files]
        data["download"] = self.download.to_dict() if self.download else None
        data["amends"] = list(self.amends)
        data["implements_units"] = list(self.implements_units)
        data["article_urls"] = dict(self.article_urls)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DocRecord:
        data = dict(data)
        data["files"] = tuple(FileRecord.from_dict(f) for f in data.get("files", ()))
        if data.get("download"):
            data["download"] = FileRecord.from_dict(data["download"])
        if isinstance(data.get("article_urls"), dict):
            data["article_urls"] = tuple(data["article_urls"].items())
        return _from_dict(cls, data)

    @property
    def text_files(self) -> tuple[FileRecord, ...]:
        return tuple(f for f in self.files if f.role == "text")

    def __repr__(self) -> str:
        return f"DocRecord({self.doc_id!r}, {self.status}, {self.language})"


# --------------------------------------------------------------------------- units


@dataclass(frozen=True)
class Unit:
    """One provision: an article, paragraph, point, recital, principle, § …

    ``text`` is the full text of the provision including its sub-units, with their labels;
    ``own_text`` is only what stands before the first sub-unit (the chapeau).
    ``start``/``end`` are character offsets into the text extracted from ``source_file``
    (see ``kb.ingest.loaders``), ``page`` the 1-based PDF page where the unit starts.
    ``status`` is ``current`` or ``deleted`` (a consolidated text marks it deleted);
    ``markers`` are amendment markers of consolidated texts (``M1``, ``M2``, ``C1``).
    """

    doc_id: str
    unit_id: str
    kind: str
    number: str
    text: str
    language: str
    citation: str
    heading: str = ""
    own_text: str = ""
    parent: str | None = None
    order: int = 0
    source_file: str = ""
    start: int | None = None
    end: int | None = None
    page: int | None = None
    status: str = "current"
    markers: tuple[str, ...] = ()
    footnotes: tuple[str, ...] = ()
    context: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        return f"{self.doc_id}/{self.unit_id}"

    @property
    def depth(self) -> int:
        return self.unit_id.count(".")

    @property
    def content_hash(self) -> str:
        payload = "\x1f".join((self.doc_id, self.unit_id, self.heading, self.text, self.status))
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]

    def to_dict(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        for name in ("markers", "footnotes", "context"):
            data[name] = list(data[name])
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Unit:
        return _from_dict(cls, data)

    def __repr__(self) -> str:
        return f"Unit({self.key!r}, {self.heading[:30]!r})"


@dataclass(frozen=True)
class Chunk:
    """A retrieval passage: never crosses a top-level provision; carries its heading as context.

    ``part`` chunks are the pinpoint rows: one per paragraph or point of a provision (its exact
    text), with ``context`` (the lead-in of the list it belongs to) read by the rankers but not
    shown; a hit on one cites that paragraph or point instead of the article."""

    chunk_id: str
    doc_id: str
    unit_id: str
    unit_ids: tuple[str, ...]
    citation: str
    heading: str
    text: str
    language: str
    part: bool = False
    context: str = ""

    @property
    def content_hash(self) -> str:
        payload = "\x1f".join((self.chunk_id, self.heading, self.text))
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]

    def to_dict(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data["unit_ids"] = list(self.unit_ids)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Chunk:
        return _from_dict(cls, data)


@dataclass(frozen=True)
class Problem:
    """Something wrong with one document or file; logged, reported, and skipped."""

    doc_id: str
    file: str
    message: str
    severity: str = "error"

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    def __str__(self) -> str:
        return f"{self.severity}: {self.doc_id} ({self.file}): {self.message}"


@dataclass
class Document:
    """A parsed document: its manifest record and its units in reading order."""

    record: DocRecord
    units: list[Unit] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def unit(self, unit_id: str) -> Unit:
        for unit in self.units:
            if unit.unit_id == unit_id:
                return unit
        raise KeyError(f"{self.record.doc_id} has no unit {unit_id!r}")

    def top_level(self) -> list[Unit]:
        return [u for u in self.units if u.parent is None]

    def __repr__(self) -> str:
        return f"Document({self.record.doc_id!r}, {len(self.units)} units)"


# --------------------------------------------------------------------------- analysis


@dataclass(frozen=True)
class Statement:
    """One sentence of a unit with its deontic force and addressee.

    ``force``: obligation | recommendation | permission | prohibition | none.
    ``addressee``: company | member-state | authority | commission | state | other.
    ``start``/``end``: character offsets of the sentence in the unit's ``text``.
    """

    doc_id: str
    unit_id: str
    text: str
    force: str
    addressee: str
    start: int
    end: int
    cue: str = ""

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass(frozen=True)
class Fact:
    """A key fact read from a provision: a threshold, a fine maximum, a date or a period.

    ``kind``: employees | turnover | fine-max | fine-percent | date | period | amount.
    ``value`` is normalised (``1000``, ``450000000``, ``"5%"``, ``"2027-07-26"``, ``"P3W"``);
    ``quote`` is the exact words of the text it came from; ``citation`` the provision.
    ``qualifier`` is how the value bounds what it measures, read from the quote: ``more-than``,
    ``at-least``, ``up-to``, ``less-than`` or ``""`` (exact or not stated).
    """

    doc_id: str
    unit_id: str
    citation: str
    kind: str
    value: str
    quote: str
    start: int
    end: int
    unit: str = ""
    qualifier: str = ""

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass(frozen=True)
class ProvisionDiff:
    """How one provision changed between two versions of an instrument.

    ``change``: added | deleted | changed | unchanged. ``ops`` is a word-level diff:
    a list of ``(op, text)`` with op in ``=``, ``-``, ``+``.
    """

    unit_id: str
    change: str
    old_text: str = ""
    new_text: str = ""
    heading: str = ""
    ops: tuple[tuple[str, str], ...] = ()
    markers: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data["ops"] = [list(op) for op in self.ops]
        data["markers"] = list(self.markers)
        return data


class Said(str):
    """A progress message of a long job (adding a document, a build): its English text, as the
    CLI prints it, with a ``code`` and the ``values`` it names so that the explorer can say it in
    its own language (``kb.explore.ui_text.message_text``)."""

    code: str
    values: dict

    def __new__(cls, text: str, code: str, **values) -> Said:
        said = super().__new__(cls, text)
        said.code = code
        said.values = values
        return said
