"""Read-only service functions over one data folder: what the CLI's ``--json`` and the HTTP API
(``kb.api``) return, computed in one place.

A ``Service`` loads the search index, model, unit table and manifest once and reuses them; it
reloads them when the data folder changes (a build, an ingest, an added document), noticed by
``kb.store.data_version``. Every answer is a JSON-ready ``dict`` whose numbers and yes/no
values carry the provision they come from (citations and quotes come from the library functions
unchanged). Searches are serialised per process by a lock: the embedding engine is not documented
as thread-safe, and one search takes ~20 ms, so throughput comes from several worker processes.
"""

from __future__ import annotations

import threading
from pathlib import Path
from types import SimpleNamespace

from kb.errors import KBError, QueryError, UnknownUnitError

#: the fields of a search result, in the order the CLI and the API give them
RESULT_FIELDS = (
    "rank",
    "doc_id",
    "unit_id",
    "citation",
    "short_title",
    "heading",
    "text",
    "score",
    "language",
    "jurisdiction",
    "url",
    "also_in",
    "relevance",
    "sibling_of",
    "superseded_by",
)


def search_hits(searcher, query: str, **kwargs) -> list:
    """Hits, or none for a query without content words (markup, punctuation: it gets "no good
    match", not an error)."""
    from indexing.calibration import has_content
    from indexing.search import check_text

    if query.strip() and not has_content(check_text(query)):
        return []
    return searcher.search(query, **kwargs)


def no_good_match(searcher, query: str, hits: list) -> bool:
    """Whether nothing answers ``query`` well (``Searcher.assess``); if so, the nearest
    provisions shown anyway get no relevance (``None``): the estimate was fitted on questions
    about the law, and "recipe for chocolate cake" read 0.65 on its first result."""
    verdict = searcher.assess(query, hits)
    if verdict:
        for hit in hits:
            hit.relevance = None
    return verdict


def search_answer(searcher, query: str, *, k: int = 10, filters=None, mode: str = "hybrid") -> dict:
    """``{"query", "no_good_match", "results": [...]}`` for one query (``QueryError`` when it
    cannot be searched: empty, too long, bad filters)."""
    hits = search_hits(searcher, query, k=k, filters=filters, mode=mode)
    return {
        "query": query,
        "no_good_match": no_good_match(searcher, query, hits),
        "results": [{name: getattr(hit, name) for name in RESULT_FIELDS} for hit in hits],
    }


#: the company profile of "does it apply to us?", with the value of a field not given
PROFILE_FIELDS = {
    "country": None,
    "employees": None,
    "turnover": None,
    "date": None,
    "employees_in_country": None,
    "employees_in": [],
    "eu_turnover": None,
    "royalties": None,
}


def check_present(doc_id: str, records: dict, present) -> None:
    """Raise ``UnknownUnitError`` unless ``doc_id`` has units: unknown to the manifest, or listed there
    but not in the local corpus (with its official source)."""
    if doc_id in present:
        return
    record = records.get(doc_id)
    if record is None:
        raise UnknownUnitError(f"unknown doc_id {doc_id!r}; see `python -m kb docs`")
    from kb.compare.versions import translations

    # its other language versions that are here ("eu-com-2022-71" → "eu-com-2022-71-fr")
    others = [d for d in translations(records, doc_id) if d in present]
    here = f"; in the local corpus in another language: {', '.join(others)}" if others else ""
    raise UnknownUnitError(
        f"{doc_id!r} is listed in the manifest but not in the local corpus (official source: "
        f"{record.official_url}){here}; to fetch it: `python -m kb fetch --download && "
        "python -m kb ingest && python -m kb build`"
    )


def check_matrix_columns(docs, columns, records: dict) -> None:
    """Raise, naming it, for each of ``docs`` that has no column among ``columns``: a policy
    text or an amending act says why (``QueryError``), one listed but not fetched says where it
    is (``UnknownUnitError``), an unknown one lists the columns (``QueryError``)."""
    for doc_id in docs:
        record = records.get(doc_id)
        if doc_id in columns or record is None:
            continue
        if record.instrument_type == "policy-advice":
            raise QueryError(
                f"{doc_id!r} has no matrix column: a policy text (not law): what it asks for is "
                "listed beside the matrix (`advice`)"
            )
        if record.amends:
            raise QueryError(
                f"{doc_id!r} has no matrix column: an amending act: its changes are in the "
                f"consolidations of {', '.join(record.amends)}"
            )
        # any other document of the manifest that is present is a column: this one is not fetched
        check_present(doc_id, records, columns)
    unknown = sorted(set(docs) - set(columns))
    if unknown:
        raise QueryError(f"unknown doc_id (matrix column) {unknown}; known: {', '.join(columns)}")


class Service:
    """The read-only answers of one data folder, loaded once and shared by all requests."""

    def __init__(self, data: Path, model: str | None = None):
        self.data = Path(data)
        self.model = model
        self._lock = threading.Lock()
        self._search_lock = threading.Lock()
        self._version: str | None = None
        self._searcher = None
        self._units: dict | None = None

    # ------------------------------------------------------------------ loading

    def _fresh(self) -> None:
        """Drop what was loaded when the data folder changed since."""
        from kb.store import data_version
        from kb.userdocs import recover

        recover(self.data)  # an add or removal killed half-way: undone before anything is read
        version = data_version(self.data)
        if version != self._version:
            with self._lock:
                if version != self._version:
                    self._searcher, self._units, self._version = None, None, version

    def searcher(self):
        self._fresh()
        if self._searcher is None:
            from indexing.search import Searcher

            with self._lock:
                if self._searcher is None:
                    self._searcher = Searcher(self.data, self.model)
        return self._searcher

    def units(self) -> dict:
        self._fresh()
        if self._units is None:
            from kb.store import read_units

            with self._lock:
                if self._units is None:
                    self._units = {(u.doc_id, u.unit_id): u for u in read_units(self.data)}
        return self._units

    def records(self) -> dict:
        from corpus.manifest import manifest_for

        return manifest_for(self.data)

    # ------------------------------------------------------------------ answers

    def search(
        self,
        query: str,
        *,
        k: int = 10,
        mode: str = "hybrid",
        doc_id: list[str] | None = None,
        jurisdiction: list[str] | None = None,
        instrument_type: list[str] | None = None,
        status: list[str] | None = None,
        language: list[str] | None = None,
        as_at: str | None = None,
    ) -> dict:
        from indexing.search import Filters

        filters = Filters.of(
            doc_id=doc_id,
            jurisdiction=jurisdiction,
            instrument_type=instrument_type,
            status=status,
            language=language,
            as_at=as_at,
        )
        searcher = self.searcher()
        with self._search_lock:
            return search_answer(searcher, query, k=k, filters=filters, mode=mode)

    def unit(self, doc_id: str, unit_id: str) -> dict:
        """One provision with its citation, text and official URL."""
        return {
            **self.unit_object(doc_id, unit_id).to_dict(),
            "url": self.records()[doc_id].official_url,
        }

    def unit_object(self, doc_id: str, unit_id: str):
        """The ``Unit`` itself; ``UnknownUnitError`` naming the document or the unit id."""
        if doc_id not in self.records():
            raise UnknownUnitError(f"unknown doc_id {doc_id!r}; see `python -m kb docs`")
        unit = self.units().get((doc_id, unit_id))
        if unit is None:
            check_present(doc_id, self.records(), {d for d, _ in self.units()})
            # this document's own ids as examples (a German law's are sec-…, a UNGP principle-…)
            own = [u for d, u in self.units() if d == doc_id]
            example = next((u for u in own if "." in u), own[0] if own else "art-14.par-2.pt-a")
            raise UnknownUnitError(
                f"{doc_id} has no unit {unit_id!r} (its ids look like {example})"
            )
        return unit

    def docs(self) -> dict:
        """Every instrument of the manifest: present (with its unit count) or missing (with its
        official source)."""
        counts: dict[str, int] = {}
        for doc_id, _ in self.units():
            counts[doc_id] = counts.get(doc_id, 0) + 1
        return {
            "documents": [
                {
                    "doc_id": r.doc_id,
                    "short_title": r.short_title,
                    "jurisdiction": r.jurisdiction,
                    "status": r.status,
                    "language": r.language,
                    "units": counts.get(r.doc_id, 0),
                    "present": r.doc_id in counts,
                    "official_url": r.official_url,
                }
                for r in self.records().values()
            ]
        }

    def matrix(self, topics: list[str] | None = None, docs: list[str] | None = None) -> dict:
        """The obligation matrix (every cell with its value, quote and citation)."""
        from kb.compare.cache import load_matrix
        from kb.compare.matrix import select
        from kb.compare.topics import topic_ids

        matrix = load_matrix(self.data)
        unknown = sorted(set(topics or ()) - set(topic_ids()))
        if unknown:
            raise QueryError(f"unknown topic {unknown}; known: {', '.join(topic_ids())}")
        columns = sorted({c["doc_id"] for c in matrix["cells"]})
        check_matrix_columns(docs or (), columns, self.records())
        return select(matrix, topics or None, docs or None)

    def facts(self, docs: list[str] | None = None) -> dict:
        """Thresholds, fines, dates and periods, each with its provision and quote."""
        return {"facts": [f.to_dict() for f in self.fact_objects(docs)]}

    def fact_objects(self, docs: list[str] | None = None) -> list:
        """The ``Fact`` objects of ``docs`` (all present documents by default); ``QueryError``
        naming a document that is not present."""
        from kb.compare.facts import extract_facts

        units = list(self.units().values())
        present = sorted({u.doc_id for u in units})
        unknown = sorted(set(docs or ()) - set(present))
        if unknown:
            raise QueryError(
                f"unknown doc_id (present in the local corpus) {unknown}; known: {', '.join(present)}"
            )
        if docs:
            units = [u for u in units if u.doc_id in set(docs)]
        return extract_facts(units)

    def applies(self, **profile) -> dict:
        """ "Does it apply to us?" for a company profile (the fields of ``kb applies``,
        ``PROFILE_FIELDS``)."""
        from kb.compare.applies import applies, parse_profile

        fields = dict(PROFILE_FIELDS)
        unknown = sorted(set(profile) - set(fields))
        if unknown:
            raise KBError(f"unknown profile field(s) {unknown}")
        parsed = parse_profile(SimpleNamespace(**{**fields, **profile}))
        return applies(parsed, self.records(), self.units())
