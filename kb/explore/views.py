"""View helpers of the Streamlit explorer (``app.py``): pure functions, no Streamlit.

The app only lays out what these functions return, so everything that decides *what* is shown —
URL state, index health, grouping of hits, the coverage heatmap, the scope table and the "level
playing field" summary, each value with the provision it came from — is testable without a
browser. Texts from the corpus, uploads and queries go through ``plain`` (Markdown-inert) before
they are displayed; the only HTML the app renders is a search snippet that ``safe_snippet``
has verified to be escaped.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import math
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from indexing.search import MAX_QUERY_CHARS
from kb.compare.applies import format_employees_in, parse_employees_in
from kb.compare.obligations import strongest_force
from kb.dates import is_iso_date
from kb.errors import StoreError
from kb.explore.ui_text import title_label, value_label, version_text
from kb.models import DocRecord, Unit
from kb.store import DataDir

PAGES = ("search", "compare", "applies", "reader", "corpus")
UI_LANGUAGES = ("en", "nl")
#: URL parameter → session key, for lists (comma-separated in the URL)
LIST_PARAMS = {
    "topic": "topics",
    "in": "cmp_docs",
    "jur": "f_jur",
    "type": "f_type",
    "status": "f_status",
    "ln": "f_lang",
    "only": "f_doc",
}
DEFAULT_TOPICS = ("grievance-mechanism",)
DEFAULT_COMPARE = (
    "eu-csddd-2024-1760",
    "eu-csddd-2024-1760-consolidated-2026-03-18",
    "de-lksg-2021",
    "fr-loi-vigilance-2017",
    "un-ungps-2011",
    "nl-wet-zorgplicht-kinderarbeid-2019",
    "be-wetsvoorstel-55-1903",
)
DEFAULT_READER = ("eu-csddd-2024-1760", "art-14")
#: Fact kinds shown as key facts of a comparison cell
KEY_FACTS = ("employees", "turnover", "fine-max", "fine-percent", "date", "period")
#: Fact kinds shown in the scope table, per column
SCOPE_COLUMNS = {
    "thresholds": ("employees", "turnover"),
    "fines": ("fine-max", "fine-percent"),
    "dates": ("date",),
}
_DATE_HEADING = re.compile(
    r"transpos|entry into force|application|inkrafttreten|entrée en vigueur|umsetzung|"
    r"omzetting|inwerkingtreding",
    re.I,
)


def data_folder() -> Path:
    """$LEVELFIELD_DATA or the project's data folder."""
    from kb.store import data_dir

    return Path(os.environ.get("LEVELFIELD_DATA") or data_dir())


def edit_access(environ: Mapping[str, str]) -> str:
    """Who may add or remove documents in this explorer: ``"local"`` (anyone: the default, the
    server listens on 127.0.0.1 only), ``"token"`` (``LEVELFIELD_PUBLIC=1`` with
    ``LEVELFIELD_ADMIN_TOKEN`` set: whoever enters the token) or ``"off"`` (public, no token)."""
    if environ.get("LEVELFIELD_PUBLIC", "").strip().lower() not in ("1", "true", "yes"):
        return "local"
    return "token" if len(environ.get("LEVELFIELD_ADMIN_TOKEN", "")) >= MIN_TOKEN else "off"


#: the shortest admin token the explorer accepts (a shorter one is not used, and it says so)
MIN_TOKEN = 12


def token_too_short(environ: Mapping[str, str]) -> bool:
    """An admin token is set but too short to be used (the page said only "switched off")."""
    return 0 < len(environ.get("LEVELFIELD_ADMIN_TOKEN", "")) < MIN_TOKEN


def token_ok(given: str | None, environ: Mapping[str, str]) -> bool:
    """True when ``given`` is the admin token (compared in constant time)."""
    import hmac

    expected = environ.get("LEVELFIELD_ADMIN_TOKEN", "")
    return bool(given) and len(expected) >= MIN_TOKEN and hmac.compare_digest(given, expected)


def index_status(data: Path) -> tuple[str, str]:
    """``("ok"|"missing"|"damaged"|"stale"|"updating"|"no-units", detail)`` without loading the
    index or the model. "updating": the index does not match the units because a writer (an
    upload, a removal, a build) is at work right now — not a reason to rebuild."""
    from kb.store import writer_busy

    summary = _json_object(DataDir(data).summary)
    if summary is None:
        return "no-units", str(data)
    meta_path = DataDir(data).index_meta
    if not meta_path.exists():
        state, detail = "missing", str(DataDir(data).index)
    else:
        meta = _json_object(meta_path)
        if meta is None:
            return "damaged", str(meta_path)
        if meta.get("corpus_hash") == summary.get("corpus_hash"):
            return "ok", str(meta.get("built_at", ""))
        state, detail = "stale", str(meta.get("built_at", ""))
    return ("updating", detail) if writer_busy(data) else (state, detail)


def _json_object(path: Path) -> dict | None:
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return None
    return value if isinstance(value, dict) else None


# --------------------------------------------------------------------------- corpus


@dataclass
class Corpus:
    """Everything the pages read, loaded once per data version and never mutated afterwards."""

    data: Path
    records: dict[str, DocRecord]
    units: list[Unit]
    by_doc: dict[str, list[Unit]]
    by_key: dict[str, Unit]
    summary: dict
    analysis: object = field(repr=False)

    @property
    def present(self) -> list[str]:
        return [d for d in self.records if d in self.by_doc]

    @functools.cached_property
    def forces(self) -> dict[str, str]:
        """Principal force per unit key — the matrix's (``kb.compare.cache.load_forces``: computed
        once per corpus version and cached in the data folder)."""
        from kb.compare.cache import load_forces

        return load_forces(self.data, self.units)

    def force(self, unit: Unit | None) -> str:
        return self.forces.get(unit.key, "") if unit is not None else ""

    @property
    def missing(self) -> list[str]:
        return [d for d, r in self.records.items() if not r.files]

    def unit(self, doc_id: str, unit_id: str) -> Unit | None:
        return self.by_key.get(f"{doc_id}/{unit_id}")

    @functools.cached_property
    def amendments(self) -> dict[str, list[dict]]:
        """Per act (its doc_id as adopted): the links from the amending acts in the corpus to
        its provisions (``kb.compare.diff.amendment_links``, read from the amending acts'
        original-language text), in the amending acts' order."""
        from kb.compare.diff import links_by_act

        return links_by_act(self.records, self.by_doc)

    def amends(self, doc_id: str, unit_id: str) -> list[dict]:
        """What provision ``unit_id`` of an amending act (any version, any language) changes:
        the links (``amendments``) from it or the provisions inside it, in the amending act's
        order; else from the provision holding it, the nearest ("Article 6(1) is replaced" for a
        point of "Article 6 is amended as follows"). Each with the amended provision's citation
        and the version that holds it (``shown_doc``: the act as adopted, else the latest
        version, for an inserted provision)."""
        from kb.compare.versions import act_of
        from kb.numbering import is_within

        act = act_of(self.records, doc_id)
        language = self.records[doc_id].language if doc_id in self.records else None
        mine = [
            link
            for links in self.amendments.values()
            for link in links
            if act_of(self.records, link["amending_doc"]) == act
        ]
        found = [link for link in mine if is_within(link["amending_unit"], unit_id)]
        if not found:
            holding = [link for link in mine if is_within(unit_id, link["amending_unit"])]
            deepest = max((link["amending_unit"].count(".") for link in holding), default=0)
            found = [link for link in holding if link["amending_unit"].count(".") == deepest]
        family: dict[str, list[str]] = {}  # amended act → its versions to look in, in order
        out = []
        for link in found:
            # an inserted provision is in the consolidated versions only: the latest, in this
            # result's language if there is one
            act_of_target = link["target_doc"]
            if act_of_target not in family:
                family[act_of_target] = [act_of_target] + sorted(
                    (d for d in self.records if act_of(self.records, d) == act_of_target),
                    key=lambda d: (self.records[d].language == language, d),
                    reverse=True,
                )
            versions = family[act_of_target]
            shown = next(
                (d for d in versions if self.unit(d, link["target_unit"])), link["target_doc"]
            )
            out.append(
                {**link, "citation": self.cite(shown, link["target_unit"]), "shown_doc": shown}
            )
        return out

    def cite(self, doc_id: str, unit_id: str) -> str:
        """The citation of provision ``unit_id`` of ``doc_id``: the unit's own, or — for one this
        version does not hold (deleted before it, inserted after it) — made from the unit id in
        the instrument's convention."""
        from kb.numbering import record_citation

        unit = self.unit(doc_id, unit_id)
        return unit.citation if unit is not None else record_citation(self.records[doc_id], unit_id)

    def amended_by(self, doc_id: str, unit_id: str) -> list[dict]:
        """The amending provisions that replaced, deleted, inserted or amended provision
        ``unit_id`` of ``doc_id``'s act (or the provision holding it, or one inside it), each with
        the amending provision's citation and the amended provision's citation in ``doc_id``
        (``target_citation``); the most specific first."""
        from kb.compare.versions import act_of
        from kb.numbering import is_within

        out = []
        for link in self.amendments.get(act_of(self.records, doc_id), []):
            target = link["target_unit"]
            if is_within(unit_id, target) or is_within(target, unit_id):
                out.append(
                    {
                        **link,
                        "citation": self.cite(link["amending_doc"], link["amending_unit"]),
                        "target_citation": self.cite(doc_id, target),
                    }
                )
        return sorted(out, key=lambda link: -link["target_unit"].count("."))


def load_corpus(data: Path) -> Corpus:
    """Read the manifest and unit table of ``data``. Raises ``StoreError`` without a unit table."""
    from corpus.manifest import manifest_for
    from kb.compare.cells import Analysis
    from kb.compare.diff import group_by_doc
    from kb.store import read_summary, read_units

    units = read_units(data)
    try:
        summary = read_summary(data)
    except StoreError:
        summary = {}
    records = manifest_for(data)
    by_doc = {d: us for d, us in group_by_doc(units).items() if d in records}
    by_key = {u.key: u for u in units}
    corpus = Corpus(data, records, units, by_doc, by_key, summary, None)
    corpus.analysis = Analysis(units, force=corpus.force)
    return corpus


def source_notes(data: Path, doc_id: str) -> dict[str, str]:
    """Provenance notes of a cached document (``source.json``): completeness, notes, verified."""
    path = DataDir(data).cache / doc_id / "source.json"
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {k: str(raw[k]) for k in ("completeness", "notes", "verified") if raw.get(k)}


def version_label(record: DocRecord, lang: str = "en") -> str:
    """``CSDDD · as adopted 2024-06-13``, ``CSDDD (consolidated 2026-03-18) · consolidated,
    2026-03-18``: an act's name and which of its texts a document is (``ui_text.version_text``)."""
    return f"{title(record, lang)} · {version_text(lang, record)}"


def title(record: DocRecord, lang: str = "en") -> str:
    """The record's short title in the interface language (``ui_text.title_label``)."""
    return title_label(lang, record.short_title)


def record_line(record: DocRecord, lang: str = "en") -> str:
    """``EU · directive · as adopted 2024-06-13 · en``: what kind of text a document is (status
    and type in the interface language)."""
    kind = value_label(lang, record.instrument_type)
    return f"{record.jurisdiction} · {kind} · {version_text(lang, record)} · {record.language}"


def provision_title(citation: str, heading: str) -> str:
    return f"{citation} — {heading}" if heading else citation


# --------------------------------------------------------------------------- text safety


_MD_ANY = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&=])")


def fold_ops(ops, keep: int = 160) -> list[tuple[str, str, bool]]:
    """Word-diff runs for display: an unchanged run longer than ``2 * keep`` characters is folded
    to its first and last ``keep`` characters around " … " (the data keeps it whole); deleted and
    inserted runs are never cut. Returns ``(op, text, folded)``."""
    out = []
    for op, text in ops:
        text = " ".join(text.split())
        if op == "=" and len(text) > 2 * keep:
            head = text[:keep].rsplit(" ", 1)[0]
            tail = text[-keep:].split(" ", 1)[-1]
            out.append((op, f"{head} … {tail}", True))
        else:
            out.append((op, text, False))
    return out


def plain(text: str) -> str:
    """``text`` for ``st.markdown``: every character Markdown, HTML or Streamlit's own directives
    (``:red[…]``, ``:material/x:``, ``$…$``) could act on is backslash-escaped; breaks kept."""
    lines = [_MD_ANY.sub(r"\\\1", line.strip()) for line in str(text).splitlines()]
    return "  \n".join(line for line in lines if line)


_ALLOWED_TAGS = re.compile(r"</?mark>")


def safe_snippet(snippet: str) -> str | None:
    """``snippet`` when it is HTML-escaped text with only ``<mark>`` tags, else ``None``."""
    rest = _ALLOWED_TAGS.sub("", snippet)
    if "<" in rest or ">" in rest:
        return None
    if re.search(r"&(?!(?:amp|lt|gt|quot|#x27|#39);)", rest):
        return None
    return " ".join(snippet.split())


# --------------------------------------------------------------------------- URL state


def state_from_params(
    params: Mapping[str, str], records: dict[str, DocRecord], topics: list[str]
) -> dict:
    """Session values from URL parameters; unknown values are dropped, never trusted."""
    state: dict = {}
    page = params.get("page")
    if page not in PAGES:
        page = (
            "compare"
            if params.get("topic")
            else "reader"
            if params.get("doc") in records
            else "search"
        )
    state["page"] = page
    if params.get("lang") in UI_LANGUAGES:
        state["lang"] = params["lang"]
    if params.get("q"):
        # whole (within reason): a query over the limit is searched and told the limit, not cut
        state["q"] = str(params["q"])[: 10 * MAX_QUERY_CHARS]
    allowed = {
        "topic": set(topics),
        "in": set(records),
        "only": set(records),
        "jur": {r.jurisdiction for r in records.values()},
        "type": {r.instrument_type for r in records.values()},
        "status": {r.status for r in records.values()},
        "ln": {r.language for r in records.values()},
    }
    for param, key in LIST_PARAMS.items():
        values = [v for v in str(params.get(param, "")).split(",") if v in allowed[param]]
        if values:
            state[key] = values
    if is_iso_date(params.get("as_at")):
        state["f_as_at"] = params["as_at"]
    if page == "compare":
        from kb.compare.versions import act_of

        if params.get("diff") == "1":
            state["mx_diff"] = True
        if params.get("base") in records:
            state["mx_base"] = params["base"]
        for doc_id in str(params.get("v", "")).split(","):
            if doc_id in records:
                state[f"{VERSION_KEY}{act_of(records, doc_id)}"] = doc_id
    if page == "applies":
        state |= applies_from_params(params)
    if params.get("doc") in records:
        state["r_doc"] = params["doc"]
        if params.get("unit"):
            state["r_unit"] = str(params["unit"])[:200]
    if page == "reader" and params.get("doc"):  # the reader says when it cannot show it
        state["r_asked"] = (str(params["doc"])[:200], str(params.get("unit") or "")[:200])
    return state


#: the Compare matrix's version switch of an act: this prefix and the act's doc_id
VERSION_KEY = "mx-version-"


def reader_link(doc_id: str, unit_id: str | None = None, lang: str = "en") -> str:
    """A relative link that opens the reader at a provision (the app's own URL parameters), in
    the interface language ``lang``."""
    from urllib.parse import urlencode

    state = {"page": "reader", "r_doc": doc_id, "r_unit": unit_id, "lang": lang}
    return "?" + urlencode(params_for(state))


#: URL parameter → (session key, parser) of the "Does it apply to us?" profile (shareable by URL)
APPLIES_PARAMS = {
    "country": ("ap_country", lambda v: v.upper() if re.fullmatch(r"[A-Za-z]{2}", v) else None),
    "employees": ("ap_employees", int),
    "turnover": ("ap_turnover", float),
    "in_country": ("ap_in_country", int),
    "eu_turnover": ("ap_eu_turnover", float),
    "royalties": ("ap_royalties", float),
    "employees_in": ("ap_employees_in", lambda v: format_employees_in(parse_employees_in(v))),
    "date": ("ap_date", lambda v: v if is_iso_date(v) else None),
}


def applies_from_params(params: Mapping[str, str]) -> dict:
    """The profile fields a shared link carries; with any of them the verdicts are shown at once
    (``ap_done``). A value that does not parse is left out and its field named in
    ``ap_dropped`` by its profile field (the page says so: the verdicts are not those of the
    link's profile)."""
    state: dict = {}
    dropped = []
    for param, (key, parse) in APPLIES_PARAMS.items():
        if params.get(param) in (None, ""):
            continue
        try:
            value = parse(str(params[param]))
        except ValueError:
            value = None
        if value is not None and (not isinstance(value, int | float) or 0 <= value < math.inf):
            state[key] = value
        else:
            dropped.append("employees_in_country" if param == "in_country" else param)
    if state:
        state["ap_done"] = True
    if dropped:
        state["ap_dropped"] = dropped
    return state


def params_for(state: Mapping) -> dict[str, str]:
    """The URL parameters of the current view (only those of the open page; empty ones dropped)."""
    page = state.get("page", "search")
    out = {"page": page}
    if state.get("lang", "en") != "en":
        out["lang"] = state["lang"]
    if page == "search":
        if state.get("q"):
            out["q"] = state["q"]
        for param in ("jur", "type", "status", "ln", "only"):
            if state.get(LIST_PARAMS[param]):
                out[param] = ",".join(state[LIST_PARAMS[param]])
        if state.get("f_as_at"):
            out["as_at"] = str(state["f_as_at"])
    elif page == "compare":
        for param in ("topic", "in"):
            if state.get(LIST_PARAMS[param]):
                out[param] = ",".join(state[LIST_PARAMS[param]])
        if state.get("mx_diff"):
            out["diff"] = "1"
        if state.get("mx_base"):
            out["base"] = state["mx_base"]
        # the versions picked other than the default (the version in force, or the one chosen)
        picked = sorted(
            value
            for key, value in state.items()
            if key.startswith(VERSION_KEY)
            and not key.endswith("-default")
            and value
            and value != state.get(f"{key}-default")
        )
        if picked:
            out["v"] = ",".join(picked)
    elif page == "applies" and state.get("ap_done"):
        for param, (key, _) in APPLIES_PARAMS.items():
            value = state.get(key)
            if value not in (None, ""):
                if isinstance(value, dt.date):
                    value = value.isoformat()
                elif isinstance(value, float) and value.is_integer():
                    value = int(value)  # 500000000, not 500000000.0
                out[param] = str(value)
    elif page == "reader" and state.get("r_doc"):
        out["doc"] = state["r_doc"]
        if state.get("r_unit"):
            out["unit"] = state["r_unit"]
    return out


# --------------------------------------------------------------------------- search


def group_hits(hits: list) -> list[tuple[str, list]]:
    """``[(doc_id, [hits])]``: hits grouped by instrument, groups ordered by their best hit; a
    second part of a provision (``Hit.sibling_of``) right after its first."""
    groups: dict[str, list] = {}
    for hit in hits:
        if hit.sibling_of is None:
            groups.setdefault(hit.doc_id, []).append(hit)
    for hit in hits:
        if hit.sibling_of is not None:
            group = groups.setdefault(hit.doc_id, [])
            at = next((i for i, h in enumerate(group) if h.rank == hit.sibling_of), len(group) - 1)
            group.insert(at + 1, hit)
    return list(groups.items())


def search_units(corpus: Corpus, hits: list) -> list[Unit]:
    """The stored provision behind each hit (hits whose unit is unknown are skipped)."""
    return [u for h in hits if (u := corpus.unit(h.doc_id, h.unit_id)) is not None]


# --------------------------------------------------------------------------- compare


def facts_of(units: list[Unit]) -> list:
    """Key facts (thresholds, fines, dates) read from ``units``."""
    from kb.compare.facts import extract_facts

    return extract_facts(units) if units else []


def heatmap(analysis, docs: list[str], topics: list[str]) -> dict[str, dict[str, int]]:
    """``{doc_id: {topic: number of provisions addressing it}}``: the provisions
    ``Analysis.matching`` lists, which are the ones a click on the cell shows."""
    return {
        doc_id: {topic: len(analysis.matching(topic, doc_id)) for topic in topics}
        for doc_id in docs
    }


def fact_text(fact) -> str:
    """A fact as the exact words of the text and the provision they come from:
    ``not less than 5 % of the net worldwide turnover (CSDDD Art. 27(4))``."""
    return f"{' '.join(fact.quote.split())} ({fact.citation})"


def cited_facts(
    corpus: Corpus, units: list[Unit], kinds: tuple[str, ...] | None = None
) -> list[str]:
    """Facts of ``units`` and their sub-units (so each is cited to the most specific provision),
    recitals left out (they are not binding), each once, in reading order."""
    chosen = [u for u in units if u.kind != "rec"]
    inside = {
        u.key: u
        for c in chosen
        for u in corpus.by_doc.get(c.doc_id, [])
        if u.unit_id == c.unit_id or u.unit_id.startswith(c.unit_id + ".")
    }
    seen: dict[str, None] = {}
    for fact in facts_of(list(inside.values())):
        if kinds is None or fact.kind in kinds:
            seen.setdefault(fact_text(fact))
    return list(seen)


def playing_field(corpus: Corpus, topic: str, docs: list[str]) -> list[dict]:
    """One row per instrument for ``topic``: provisions, strongest force, key facts (cited).

    Rows: ``{"doc_id", "present", "provisions": [citation], "force", "facts": [text], "url"}``.
    """
    rows = []
    for doc_id in docs:
        record = corpus.records[doc_id]
        if doc_id not in corpus.by_doc:
            rows.append(_row(record, False))
            continue
        cells = corpus.analysis.cell(topic, doc_id)
        facts = cited_facts(corpus, [c.unit for c in cells], KEY_FACTS)
        force = strongest_force(c.force for c in cells) if cells else ""
        row = _row(record, True, [c.unit.citation for c in cells], force, facts)
        if cells:  # the first provision's article, where the publisher has a page for it
            from kb.compare.matrix import article_url

            row["url"] = article_url(record, cells[0].unit.unit_id)[0]
        rows.append(row)
    return rows


def _row(record: DocRecord, present: bool, provisions=(), force="", facts=()) -> dict:
    return {
        "doc_id": record.doc_id,
        "present": present,
        "provisions": list(provisions),
        "force": force,
        "facts": list(facts),
        "url": record.official_url,
    }


def comparison_result(corpus: Corpus, topics: list[str], docs: list[str], cell) -> dict:
    """``kb.compare.cells.coverage``-shaped ``{"topics": [{"topic", "instruments": [{"doc_id",
    "units"}]}]}`` for ``docs`` in the given order, instruments not in the local corpus included
    with no units; ``cell(topic, doc_id)`` returns the cell's ``CellUnit``s."""
    out = []
    for topic in topics:
        columns = []
        for doc_id in docs:
            units = cell(topic, doc_id) if doc_id in corpus.by_doc else []
            columns.append({"doc_id": doc_id, "units": [c.to_dict(with_text=False) for c in units]})
        out.append({"topic": topic, "instruments": columns})
    return {"topics": out}


def playing_field_summary(
    matrix: dict, topic: str, docs: list[str], present: set[str]
) -> dict[str, list[str]]:
    """``{"yes" | "conditional" | "no" | "missing": [doc_id]}`` — per instrument among ``docs``,
    the best value the obligation matrix gives an element of ``topic`` (✓ over ~ over ✗): the
    answer of the matrix above it, not the strongest force of the topic's provisions (which read
    the full-harmonisation clause of CSDDD Art. 4(1) as "prohibition: climate transition plan").
    A document that is no matrix column (a policy text, an amending act) is left out; a topic
    without elements gives ``{}``."""
    from kb.compare.elements import elements

    asked = {e.element for e in elements() if e.topic == topic}
    if not asked:
        return {}
    values: dict[str, set[str]] = {}
    for cell in matrix["cells"]:
        if cell["element"] in asked:
            values.setdefault(cell["doc_id"], set()).add(cell["value"])
    out: dict[str, list[str]] = {}
    for doc_id in docs:
        if doc_id not in present:
            key = "missing"
        elif doc_id not in values:
            continue
        else:
            key = next(v for v in ("yes", "conditional", "no") if v in values[doc_id])
        out.setdefault(key, []).append(doc_id)
    return out


def scope_table(corpus: Corpus, docs: list[str]) -> list[dict]:
    """Per present instrument: thresholds, fines, dates (facts with citations), the supervisory
    authority and civil liability (the provision that rules on them)."""
    rows = []
    for doc_id in docs:
        if doc_id not in corpus.by_doc:
            continue
        cell = {
            t: corpus.analysis.cell(t, doc_id, size=2)
            for t in ("scope", "sanctions", "supervisory-authority", "civil-liability")
        }
        dated = [
            u for u in corpus.by_doc[doc_id] if u.depth == 0 and _DATE_HEADING.search(u.heading)
        ]
        sources = {"thresholds": cell["scope"], "fines": cell["sanctions"]}
        row = {"doc_id": doc_id}
        for column, kinds in SCOPE_COLUMNS.items():
            units = dated[:3] if column == "dates" else [c.unit for c in sources[column]]
            row[column] = cited_facts(corpus, units, kinds)[:6]
        for column, topic in (
            ("authority", "supervisory-authority"),
            ("liability", "civil-liability"),
        ):
            row[column] = [f"{c.unit.citation} {c.unit.heading}".strip() for c in cell[topic]]
        rows.append(row)
    return rows


# --------------------------------------------------------------------------- reader


def toc(units: list[Unit], depth: int = 1) -> list[Unit]:
    """Provisions of a document for its table of contents (top level and one level below)."""
    return [u for u in units if u.depth <= depth]


def closest_unit(ids: list[str], unit_id: str) -> str:
    """``unit_id`` when the document has it, else its nearest ancestor, else the first unit
    (switching versions keeps the reader on the same provision where it exists)."""
    parts = unit_id.split(".")
    for n in range(len(parts), 0, -1):
        if ".".join(parts[:n]) in ids:
            return ".".join(parts[:n])
    return ids[0]


def neighbours(ids: list[str], unit_id: str) -> tuple[str | None, str | None]:
    """The previous and next id around ``unit_id`` in ``ids``."""
    if unit_id not in ids:
        return None, None
    i = ids.index(unit_id)
    return (ids[i - 1] if i > 0 else None), (ids[i + 1] if i + 1 < len(ids) else None)


def linked_recitals(units: list[Unit], unit: Unit, limit: int = 5) -> list[Unit]:
    """Recitals of the same document that name the article of ``unit`` ("Article 14")."""
    match = re.fullmatch(r"art-(\d+[a-z]*)", unit.unit_id.split(".")[0])
    if not match:
        return []
    number = re.escape(match.group(1))
    other_act = r"(?:\(\w+\))*\s+of\s+(?:Directive|Regulation|the Charter|the Treaty)"
    pattern = re.compile(rf"\b(?:Article|article|Artikel)s?\s+{number}\b(?!{other_act})")
    return [u for u in units if u.kind == "rec" and u.depth == 0 and pattern.search(u.text)][:limit]
