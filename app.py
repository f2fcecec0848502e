"""Levelfield explorer — layout only.  Run: ``streamlit run app.py``

Pages: Search, Compare, Reader, Corpus (with "add a document"); exports wherever provisions are
shown. What to show is decided in ``kb.explore.views`` (pure, tested); this file arranges widgets.

- State lives in ``st.session_state`` (one per browser session, nothing shared) and in the URL
  (``?q=``, ``?topic=``, ``?doc=``, ``?unit=`` …), so a link reproduces the view.
- The index, model and parsed corpus are loaded once per process (``st.cache_resource``), keyed by
  the data folder and its version, and are only read afterwards.
- Corpus, query and uploaded text is shown through ``ex.plain`` (Markdown-inert). The only HTML
  rendered is a search snippet that ``ex.safe_snippet`` verified to be escaped.
"""

from __future__ import annotations

# First: the indexing package sets the passive OpenMP wait policy (its one home) before faiss or
# the e5 engine can be loaded; idle spinning threads made a 15 ms query embedding take ~1.6 s.
import indexing  # noqa: F401

# isort: split
import datetime as dt
import functools
import logging
import os
from pathlib import Path

import pandas as pd
import streamlit as st

from kb.errors import KBError, StoreError
from kb.explore import export as kx
from kb.explore import views as ex
from kb.explore.ui_text import topic_label, tr
from kb.store import data_version

log = logging.getLogger("levelfield.app")
ss = st.session_state
#: widget keys whose values survive a page switch (re-assigned at the start of every run)
PERSIST = (
    "q",
    "f_jur",
    "f_type",
    "f_status",
    "f_lang",
    "f_doc",
    "f_as_at",
    "topics",
    "cmp_docs",
    "r_doc",
    "r_unit",
)
BUILD_COMMANDS = "python -m kb fetch\npython -m kb ingest\npython -m kb build"


# --------------------------------------------------------------------------- resources


@st.cache_resource(max_entries=4, show_spinner=False)
def load_corpus(data: str, version: str) -> ex.Corpus:
    return ex.load_corpus(Path(data))


@st.cache_resource(max_entries=4, show_spinner=False)
def load_searcher(data: str, version: str):
    from indexing.search import Searcher

    return Searcher(Path(data))


@st.cache_resource(max_entries=4, show_spinner=False)
def load_obligation_matrix(data: str, version: str) -> dict:
    from kb.compare.matrix import load_matrix

    return load_matrix(Path(data))


@st.cache_data(max_entries=64, show_spinner=False)
def field_rows(data: str, version: str, topic: str, docs: tuple[str, ...]) -> list[dict]:
    return ex.playing_field(load_corpus(data, version), topic, list(docs))


@st.cache_data(max_entries=1024, show_spinner=False)
def cached_cells(data: str, version: str, topic: str, doc_id: str) -> list:
    """``kb.compare.cells.Analysis.cell``: the best provisions of an instrument for a topic."""
    return load_corpus(data, version).analysis.cell(topic, doc_id)


@st.cache_data(max_entries=16, show_spinner=False)
def heat_counts(data: str, version: str, docs: tuple[str, ...], topics: tuple[str, ...]) -> dict:
    return ex.heatmap(load_corpus(data, version).analysis, list(docs), list(topics))


@st.cache_data(max_entries=16, show_spinner=False)
def scope_rows(data: str, version: str, docs: tuple[str, ...]) -> list[dict]:
    return ex.scope_table(load_corpus(data, version), list(docs))


@st.cache_data(max_entries=16, show_spinner=False)
def version_diff(data: str, version: str, old: str, new: str, level: str) -> list:
    from kb.compare.diff import diff_documents

    return diff_documents(load_corpus(data, version).by_doc, old, new, level=level)


def T(key: str, **values) -> str:
    return tr(ss.get("lang", "en"), key, **values)


def labels(prefix: str, keep=frozenset()):
    """A format_func showing option ``v`` as the text ``prefix + v`` in the current language
    (options in ``keep`` are shown as they are). The language is bound now, so a widget's
    labels stay consistent within one run."""
    lang = ss.get("lang", "en")
    return lambda v: v if v in keep else tr(lang, prefix + v)


def force_label(force: str) -> str:
    """A deontic force in the interface language (``obligation`` → ``Verplichting``)."""
    from kb.compare.obligations import FORCES

    return T(f"field.{force}") if force in FORCES else force


# --------------------------------------------------------------------------- state and chrome


def init_state(corpus: ex.Corpus | None) -> None:
    """Defaults, overridden once per session by the URL; widget values kept across pages."""
    if "_ready" in ss:
        for key in PERSIST:
            if key in ss:
                ss[key] = ss[key]
        return
    from kb.compare.topics import topic_ids

    records = corpus.records if corpus else {}
    present = corpus.present if corpus else []
    doc, unit = ex.DEFAULT_READER if ex.DEFAULT_READER[0] in present else ((present or [""])[0], "")
    state = {"page": "search", "lang": "en", "q": "", "f_jur": [], "f_type": [], "f_status": []}
    state |= {"f_lang": [], "f_doc": [], "f_as_at": None, "topics": list(ex.DEFAULT_TOPICS)}
    state |= {
        "cmp_docs": [d for d in ex.DEFAULT_COMPARE if d in records],
        "r_doc": doc,
        "r_unit": unit,
    }
    state |= ex.state_from_params(st.query_params.to_dict(), records, topic_ids())
    if isinstance(state["f_as_at"], str):
        state["f_as_at"] = dt.date.fromisoformat(state["f_as_at"])
    ss.update(state)
    ss["_ready"] = True


def sync_url() -> None:
    want = ex.params_for({k: ss.get(k) for k in ("page", "lang", *PERSIST)})
    if st.query_params.to_dict() != want:
        st.query_params.from_dict(want)


def sidebar(corpus: ex.Corpus | None) -> None:
    with st.sidebar:
        st.title("Levelfield")
        st.caption(T("app.tagline"))
        st.radio(T("page"), ex.PAGES, key="page", format_func=labels("page."))
        st.radio(
            T("lang"),
            ex.UI_LANGUAGES,
            key="lang",
            horizontal=True,
            format_func={"en": "English", "nl": "Nederlands"}.get,
        )
        if corpus is not None:
            total = len(corpus.records)
            st.caption(
                T(
                    "sidebar.corpus",
                    present=len(corpus.present),
                    total=total,
                    missing=len(corpus.missing),
                )
            )
        st.caption(T("sidebar.share"))


def index_problem(data: Path) -> bool:
    """Show a friendly message when the index is missing or stale; True when search cannot run."""
    state, _ = ex.index_status(data)
    if state == "updating":
        st.info(T("index.updating"))
        return True
    if state in ("missing", "stale", "damaged", "no-units"):
        st.warning(T(f"index.{state}" if state in ("stale", "damaged") else "index.missing"))
        commands = {"no-units": BUILD_COMMANDS, "damaged": "python -m kb build --force"}
        st.code(commands.get(state, "python -m kb build"), language="bash")
        return True
    return False


def searcher_or_message(data: Path, version: str):
    if index_problem(data):
        return None
    try:
        with st.spinner(T("loading.search")):
            return load_searcher(str(data), version)
    except (StoreError, ValueError) as exc:
        st.warning(T("index.error") + " " + ex.plain(str(exc)))
        st.code("python -m kb build --force", language="bash")
        return None


def open_in_reader(doc_id: str, unit_id: str) -> None:
    ss.page, ss.r_doc, ss.r_unit = "reader", doc_id, unit_id


def export_buttons(make_export, name: str) -> None:
    """Markdown / CSV / Word download buttons for the export built by ``make_export()``; the
    file is only written when a button is clicked (deferred download, no rerun)."""
    export = make_export()
    if export is None or not export.rows:
        st.caption(T("export.none"))
        return
    cols = st.columns(len(kx.FORMATS))
    for col, fmt in zip(cols, kx.FORMATS, strict=True):
        col.download_button(
            T(f"export.{fmt}"),
            functools.partial(kx.render, export, fmt),
            file_name=kx.filename(export, fmt),
            mime=kx.FORMATS[fmt][0],
            key=f"dl-{name}-{fmt}",
            icon=":material/download:",
            on_click="ignore",
        )


# --------------------------------------------------------------------------- search


def search_filters(corpus: ex.Corpus) -> None:
    present = [corpus.records[d] for d in corpus.present]
    options = lambda name: sorted({getattr(r, name) for r in present})  # noqa: E731
    active = any(ss.get(k) for k in ("f_jur", "f_type", "f_status", "f_lang", "f_doc", "f_as_at"))
    with st.expander(T("filters"), expanded=active):
        c1, c2, c3 = st.columns(3)
        c1.multiselect(T("f.jur"), options("jurisdiction"), key="f_jur")
        c2.multiselect(T("f.type"), options("instrument_type"), key="f_type")
        c3.multiselect(T("f.status"), options("status"), key="f_status")
        c1.multiselect(T("f.lang"), options("language"), key="f_lang")
        c2.multiselect(
            T("f.doc"),
            corpus.present,
            key="f_doc",
            format_func=lambda d: ex.version_label(corpus.records[d]),
        )
        c3.date_input(T("f.as_at"), key="f_as_at", format="YYYY-MM-DD")


def current_filters():
    from indexing.search import Filters

    as_at = ss.get("f_as_at")
    return Filters(
        doc_id=set(ss.f_doc),
        jurisdiction=set(ss.f_jur),
        instrument_type=set(ss.f_type),
        status=set(ss.f_status),
        language=set(ss.f_lang),
        as_at=as_at.isoformat() if as_at else None,
    )


def render_as_at(corpus: ex.Corpus, date: str) -> None:
    """What the "as at" date changes: every instrument hidden or shown with a notice, named."""
    from kb.compare.versions import as_at

    views = as_at(corpus.records, date)
    lines = [
        f"- {ex.plain(corpus.records[d].short_title)}: {ex.plain(v.notice)}"
        for d, v in views.items()
        if v.notice and d in corpus.by_doc
    ]
    if lines:
        with st.expander(T("search.as_at_notes", date=date, n=len(lines))):
            st.markdown("\n".join(lines))


def page_search(data: Path, version: str, corpus: ex.Corpus) -> None:
    st.header(T("search.title"))
    with st.form("search_form", border=False, enter_to_submit=True):
        c1, c2 = st.columns([6, 1], vertical_alignment="bottom")
        c1.text_input(
            T("search.query"), key="q", placeholder=T("search.placeholder"), max_chars=1000
        )
        c2.form_submit_button(T("search.go"), key="search_go", type="primary")
    search_filters(corpus)
    query = (ss.get("q") or "").strip()
    if not query:
        st.info(T("search.hint"))
        return
    searcher = searcher_or_message(data, version)
    if searcher is None:
        return
    from kb.errors import QueryError

    try:
        filters = current_filters()
        hits = searcher.search(query, k=20, filters=filters)
    except QueryError as exc:
        st.warning(T("search.bad_query") + " " + ex.plain(str(exc)))
        return
    if filters.as_at:
        render_as_at(corpus, filters.as_at)
    if not hits:
        st.info(T("search.none"))
        return
    st.caption(T("search.count", n=len(hits)))
    for doc_id, group in ex.group_hits(hits):
        render_group(corpus, doc_id, group)
    st.subheader(T("export.title"))
    chosen = [h for h in hits if ss.get(f"sel-{h.doc_id}/{h.unit_id}", True)]
    export_buttons(
        lambda: kx.provisions_export(
            ex.search_units(corpus, chosen),
            corpus.records,
            T("export.search_title", q=query),
            {u.key: corpus.force(u) for u in ex.search_units(corpus, chosen)},
        ),
        "search",
    )


def render_group(corpus: ex.Corpus, doc_id: str, hits: list) -> None:
    record = corpus.records[doc_id]
    head, link = st.columns([5, 1], vertical_alignment="bottom")
    head.markdown(f"#### {ex.plain(record.short_title)}")
    head.caption(ex.plain(ex.record_line(record)))
    link.link_button(T("hit.source"), record.official_url, key=f"src-{doc_id}")
    for hit in hits:
        render_hit(corpus, hit)


def render_hit(corpus: ex.Corpus, hit) -> None:
    key = f"{hit.doc_id}/{hit.unit_id}"
    unit = corpus.unit(hit.doc_id, hit.unit_id)
    with st.container(border=True):
        heading = f" · {ex.plain(hit.heading)}" if hit.heading else ""
        title, pick = st.columns([6, 1])
        title.markdown(f"**{ex.plain(hit.citation)}**{heading}")
        ss.setdefault(f"sel-{key}", True)
        pick.checkbox(T("hit.select"), key=f"sel-{key}")  # read by the export below the list
        snippet = ex.safe_snippet(hit.snippet)
        if snippet is not None:
            st.markdown(f'<div class="lf-snippet">{snippet}</div>', unsafe_allow_html=True)
        else:
            st.markdown(ex.plain(hit.text[:400]))
        force = corpus.force(unit)
        if force:
            st.caption(T("force", force=force_label(force)))
        hit_tools(corpus, hit.doc_id, hit.unit_id)


@st.fragment
def hit_tools(corpus: ex.Corpus, doc_id: str, unit_id: str) -> None:
    """Open in the reader and show counterparts: a fragment, so showing the counterparts of
    one result reruns this result only, not the search and the other nineteen."""
    key = f"{doc_id}/{unit_id}"
    c1, c2 = st.columns([1, 1])
    if c1.button(T("hit.open"), key=f"open-{key}", on_click=open_in_reader, args=(doc_id, unit_id)):
        st.rerun(scope="app")  # the page changed: the whole app, not only this fragment
    c2.toggle(T("hit.counterparts"), key=f"cp-{key}")
    if ss.get(f"cp-{key}"):
        render_counterparts(corpus, doc_id, unit_id)


def render_counterparts(corpus: ex.Corpus, doc_id: str, unit_id: str) -> None:
    from kb.compare.cells import similar
    from kb.errors import UnknownUnitError

    try:
        result = similar(corpus.analysis, doc_id, unit_id)
    except UnknownUnitError:
        result = {"matches": []}
    if not result["matches"]:
        st.caption(T("counterparts.none"))
        return
    lines = []
    for match in result["matches"]:
        cites = "; ".join(
            u["citation"] + (f" ({u['heading']})" if u["heading"] else "") for u in match["units"]
        )
        lines.append(
            f"- **{ex.plain(corpus.records[match['doc_id']].short_title)}**: {ex.plain(cites)}"
        )
    st.markdown(f"*{T('counterparts.title')}*\n\n" + "\n".join(lines))


# --------------------------------------------------------------------------- compare


def page_compare(data: Path, version: str, corpus: ex.Corpus) -> None:
    from kb.compare.topics import topic_ids

    st.header(T("compare.title"))
    options = corpus.present + [d for d in corpus.missing if d not in corpus.present]
    ss.cmp_docs = [d for d in ss.cmp_docs if d in options]
    c1, c2 = st.columns([2, 3])
    c1.multiselect(
        T("compare.topics"),
        topic_ids(),
        key="topics",
        format_func=lambda t, lang=ss.lang: topic_label(lang, t),
    )
    c2.multiselect(
        T("compare.docs"),
        options,
        key="cmp_docs",
        format_func=lambda d: (
            ex.version_label(corpus.records[d]) + ("" if d in corpus.by_doc else " ✕")
        ),
    )
    topics, docs = list(ss.topics), list(ss.cmp_docs)
    if not topics or not docs:
        st.info(T("compare.choose"))
        return
    with st.spinner(T("compare.working")):
        render_matrix(data, version, corpus, topics)
        for topic in topics:
            render_topic(data, version, corpus, topic, docs)
        render_heatmap(data, version, corpus, docs)
        render_scope(data, version, corpus, docs)
    st.subheader(T("export.title"))
    export_buttons(lambda: comparison_export(data, version, corpus, topics, docs), "compare")


def render_matrix(data: Path, version: str, corpus: ex.Corpus, topics: list[str]) -> None:
    import kb.explore.matrix_view as mv

    st.subheader(T("matrix.title"))
    st.caption(T("matrix.caption"))
    matrix = load_obligation_matrix(str(data), version)
    columns = mv.columns_for(corpus.records, matrix)
    families = mv.families(corpus.records, [c.doc_id for c in columns if c.doc_id])
    with st.expander(T("matrix.versions")):
        picks = {}
        for act, members in families.items():
            if len(members) > 1:
                default = mv.default_version(corpus.records, members)
                picks[act] = st.selectbox(
                    corpus.records[act].short_title,
                    members,
                    index=members.index(default),
                    format_func=lambda d: ex.version_label(corpus.records[d]),
                    key=f"mx-version-{act}",
                )
    columns = mv.columns_for(corpus.records, matrix, picks)
    c1, c2 = st.columns([1, 2])
    differences = c1.toggle(T("matrix.differences"), key="mx_diff")
    present = [c for c in columns if c.doc_id]
    baseline = c2.selectbox(
        T("matrix.baseline"),
        [None] + [c.family for c in present],
        format_func=lambda f: (
            T("matrix.no_baseline") if f is None else corpus.records[f].short_title
        ),
        key="mx_base",
    )
    rows = mv.rows_for(matrix, columns, topics, baseline, differences)
    if not rows:
        st.info(T("matrix.none"))
        return
    table = {T("matrix.element"): [r.question for r in rows]}
    for i, column in enumerate(columns):
        marks = [r.marks[i] if r.marks and r.marks[i] else "" for r in rows]
        table[column.label] = [
            mv.cell_text(r.cells[i]) + (f" [{m}]" if m else "")
            for r, m in zip(rows, marks, strict=True)
        ]
    st.dataframe(
        pd.DataFrame(table),
        hide_index=True,
        key="mx-table",
        column_config={
            T("matrix.element"): st.column_config.TextColumn(pinned=True, width="medium")
        },
    )
    choices = [(r.element, i) for r in rows for i, c in enumerate(columns) if c.doc_id]
    picked = st.selectbox(
        T("matrix.open"),
        [None, *choices],
        format_func=lambda x: "—" if x is None else f"{x[0]} · {columns[x[1]].label}",
        key="mx_open",
    )
    if picked:
        row = next(r for r in rows if r.element == picked[0])
        cell = row.cells[picked[1]]
        if not cell["citations"]:
            st.caption(T("matrix.silent"))
        else:
            first = cell["citations"][0]
            st.markdown(
                f"**{ex.plain(mv.SYMBOLS[cell['value']])} {ex.plain(first['citation'])}** · "
                f"{ex.plain(cell['force'])} · [↗]({first['url']})"
            )
            st.text(cell["quote"])
            if cell.get("fact"):
                st.caption(ex.plain(f"{cell['fact']['text']} ({cell['fact']['citation']})"))
            if cell.get("source") == "editorial":
                st.caption(T("matrix.editorial", reason=ex.plain(cell.get("reason", ""))))
    labels = {t: topic_label(ss.lang, t) for t in topics}
    title = T("matrix.title")
    makers = {
        "md": lambda: kx.matrix_markdown(title, columns, rows, labels).encode("utf-8"),
        "csv": lambda: kx.matrix_csv(columns, rows).encode("utf-8"),
        "docx": functools.partial(kx.matrix_docx, title, columns, rows, labels),
    }
    for col, (fmt, make) in zip(st.columns(len(makers)), makers.items(), strict=True):
        mime, extension = kx.FORMATS[fmt]
        col.download_button(
            T(f"matrix.{fmt}"),
            make,
            file_name=f"levelfield-matrix{extension}",
            mime=mime,
            key=f"mx-{fmt}",
            on_click="ignore",
        )


def comparison_export(data: Path, version: str, corpus: ex.Corpus, topics, docs):
    def cell(topic: str, doc_id: str) -> list:
        return cached_cells(str(data), version, topic, doc_id)

    result = ex.comparison_result(corpus, topics, docs, cell)
    title = T("export.compare_title", topics=", ".join(topic_label(ss.lang, t) for t in topics))
    labels = {t: topic_label(ss.lang, t) for t in topics}
    return kx.comparison_export(result, corpus.records, corpus.by_key, title, labels)


def render_topic(data: Path, version: str, corpus: ex.Corpus, topic: str, docs: list[str]) -> None:
    st.subheader(topic_label(ss.lang, topic))
    rows = field_rows(str(data), version, topic, tuple(docs))
    summary = ex.playing_field_summary(rows)
    lines = [
        f"- **{T('field.' + force)}**: "
        + ex.plain(", ".join(corpus.records[d].short_title for d in ids))
        for force, ids in summary.items()
    ]
    st.markdown(f"*{T('compare.field')}*\n\n" + "\n".join(lines))
    table = pd.DataFrame(
        {
            T("col.instrument"): [ex.version_label(corpus.records[r["doc_id"]]) for r in rows],
            T("col.provisions"): [
                "; ".join(r["provisions"]) or ("—" if r["present"] else T("field.missing"))
                for r in rows
            ],
            T("col.force"): [force_label(r["force"]) or "—" for r in rows],
            T("col.facts"): ["; ".join(r["facts"]) or "—" for r in rows],
            T("col.source"): [r["url"] for r in rows],
        }
    )
    st.dataframe(
        table,
        hide_index=True,
        height="content",
        key=f"field-{topic}",
        column_config={
            T("col.source"): st.column_config.LinkColumn(display_text="↗", width="small"),
            T("col.provisions"): st.column_config.TextColumn(width="medium"),
            T("col.facts"): st.column_config.TextColumn(width="large"),
        },
    )
    for col, doc_id in zip(st.columns(len(docs)), docs, strict=True):
        with col:
            render_cell(corpus, topic, doc_id)


def render_cell(corpus: ex.Corpus, topic: str, doc_id: str, prefix: str = "cmp") -> None:
    record = corpus.records[doc_id]
    st.markdown(f"**{ex.plain(record.short_title)}**")
    st.caption(ex.plain(ex.record_line(record)))
    if doc_id not in corpus.by_doc:
        st.info(T("compare.not_in_corpus"))
        st.link_button(T("hit.source"), record.official_url, key=f"{prefix}-miss-{topic}-{doc_id}")
        return
    cells = cached_cells(str(corpus.data), data_version(corpus.data), topic, doc_id)
    if not cells:
        st.caption(T("compare.empty_cell"))
    for cell in cells:
        unit = cell.unit
        force = f" · {force_label(cell.force)}" if cell.force else ""
        with st.expander(ex.plain(ex.provision_title(unit.citation, unit.heading)) + force):
            st.markdown(ex.plain(unit.text))
            st.button(
                T("hit.open"),
                key=f"{prefix}-{topic}-{unit.key}",
                on_click=open_in_reader,
                args=(doc_id, unit.unit_id),
            )


def render_heatmap(data: Path, version: str, corpus: ex.Corpus, docs: list[str]) -> None:
    from kb.compare.topics import topic_ids

    present = [d for d in docs if d in corpus.by_doc]
    if not present:
        return
    st.subheader(T("heatmap.title"))
    st.caption(T("heatmap.help"))
    topics = topic_ids()
    counts = heat_counts(str(data), version, tuple(present), tuple(topics))
    frame = pd.DataFrame(
        [counts[d] for d in present], index=[corpus.records[d].short_title for d in present]
    )
    frame = frame.rename(columns=lambda t: topic_label(ss.lang, t))
    event = st.dataframe(
        frame.style.background_gradient(cmap="Greens", axis=None),
        key="heatmap",
        on_select="rerun",
        selection_mode="single-cell",
    )
    cells = event.selection.get("cells", []) if event else []
    if cells:
        row, column = cells[0]
        topic = topics[list(frame.columns).index(column)]
        with st.container(border=True):
            st.markdown(f"**{ex.plain(topic_label(ss.lang, topic))}**")
            render_cell(corpus, topic, present[row], prefix="heat")


def render_scope(data: Path, version: str, corpus: ex.Corpus, docs: list[str]) -> None:
    st.subheader(T("scope.title"))
    st.caption(T("scope.help"))
    rows = scope_rows(str(data), version, tuple(docs))
    if rows:
        record_dates = lambda r: " / ".join(x for x in (r.adopted, r.version_date) if x) or "—"  # noqa: E731
        columns = ("thresholds", "fines", "dates", "authority", "liability")
        table = {T("col.instrument"): [ex.version_label(corpus.records[r["doc_id"]]) for r in rows]}
        table |= {T(f"col.{c}"): ["; ".join(r[c]) or "—" for r in rows] for c in columns}
        table[T("col.record_dates")] = [record_dates(corpus.records[r["doc_id"]]) for r in rows]
        st.dataframe(pd.DataFrame(table), hide_index=True, key="scope-table", height="content")
    missing = [corpus.records[d] for d in docs if d not in corpus.by_doc]
    for record in missing:
        st.caption(
            f"{ex.plain(record.short_title)}: {T('compare.not_in_corpus')} {kx.md_url(record.official_url)}"
        )


# --------------------------------------------------------------------------- reader


def switch_version() -> None:
    ss.r_doc = ss.r_version


def page_reader(data: Path, version: str, corpus: ex.Corpus) -> None:
    st.header(T("reader.title"))
    family = reader_pickers(corpus)
    unit = reader_toc(corpus)
    render_reading(corpus, unit)
    render_diff(data, version, corpus, family, unit)


def reader_pickers(corpus: ex.Corpus) -> list[str]:
    """Instrument and version pickers; returns the versions of the open instrument."""
    from kb.compare.versions import versions_of

    present = corpus.present
    if ss.get("r_doc") not in present:
        ss.r_doc = present[0]
    c1, c2 = st.columns([3, 2])
    c1.selectbox(
        T("reader.doc"),
        present,
        key="r_doc",
        format_func=lambda d: ex.version_label(corpus.records[d]),
    )
    family = [r.doc_id for r in versions_of(corpus.records, ss.r_doc) if r.doc_id in corpus.by_doc]
    if len(family) > 1:
        ss.r_version = ss.r_doc
        c2.radio(
            T("reader.version"),
            family,
            key="r_version",
            on_change=switch_version,
            horizontal=True,
            format_func=lambda d: (
                f"{corpus.records[d].status} {corpus.records[d].version_date or ''}".strip()
            ),
        )
    return family


def reader_toc(corpus: ex.Corpus):
    """The table of contents and previous/next buttons; returns the open provision."""
    units = corpus.by_doc[ss.r_doc]
    ids = [u.unit_id for u in units]
    ss.r_unit = ex.closest_unit(ids, ss.get("r_unit") or "")
    labels = {u.unit_id: "\u2003" * u.depth + f"{u.citation} {u.heading}".strip() for u in units}
    st.selectbox(T("reader.toc"), ids, key="r_unit", format_func=labels.get)
    previous, following = ex.neighbours(ids, ss.r_unit)
    b1, b2, _ = st.columns([1, 1, 6])
    for col, key, target in ((b1, "r_prev", previous), (b2, "r_next", following)):
        col.button(
            T(f"reader.{key[2:]}"),
            key=key,
            disabled=target is None,
            on_click=open_in_reader,
            args=(ss.r_doc, target),
        )
    return corpus.unit(ss.r_doc, ss.r_unit)


def render_reading(corpus: ex.Corpus, unit) -> None:
    others = [d for d in ex.translations(corpus.records, unit.doc_id) if d in corpus.by_doc]
    columns = st.columns(2) if others else [st.container()]
    with columns[0]:
        render_provision(corpus, unit)
    if others:
        with columns[1]:
            other = corpus.unit(others[0], unit.unit_id)
            if other is None:
                st.caption(T("reader.parallel_missing", lang=corpus.records[others[0]].language))
            else:
                render_provision(corpus, other, suffix="parallel")
    recitals = ex.linked_recitals(corpus.by_doc[unit.doc_id], unit)
    if recitals:
        with st.expander(T("reader.recitals")):
            for recital in recitals:
                st.markdown(f"**{ex.plain(recital.citation)}**  \n{ex.plain(recital.text)}")
    with st.expander(T("counterparts.title")):
        render_counterparts(corpus, unit.doc_id, unit.unit_id)
    st.subheader(T("export.title"))
    title = T("export.provision_title", citation=unit.citation)
    export_buttons(
        lambda: kx.provisions_export([unit], corpus.records, title, {unit.key: corpus.force(unit)}),
        "provision",
    )


def render_provision(corpus: ex.Corpus, unit, suffix: str = "main") -> None:
    record = corpus.records[unit.doc_id]
    st.markdown(
        f"### {ex.plain(unit.citation)}" + (f" — {ex.plain(unit.heading)}" if unit.heading else "")
    )
    st.caption(ex.plain(f"{ex.version_label(record)} · {record.language}"))
    if record.consolidates:
        st.caption(T("reader.consolidated"))
    if unit.status == "deleted":
        st.warning(T("reader.deleted"))
    if unit.markers:
        st.caption(T("reader.markers", markers=ex.plain(", ".join(unit.markers))))
    if unit.page:
        st.caption(T("reader.page", page=unit.page))
    st.markdown(ex.plain(unit.text))
    force = corpus.force(unit)
    if force:
        st.caption(T("force", force=force_label(force)))
    if unit.footnotes:
        with st.expander(T("reader.footnotes")):
            st.markdown(ex.plain("\n".join(unit.footnotes)))
    st.link_button(T("hit.source"), record.official_url, key=f"r-src-{suffix}")


def render_diff(data: Path, version: str, corpus: ex.Corpus, family: list[str], unit) -> None:
    with st.expander(T("diff.title")):
        if len(family) < 2:
            st.caption(T("diff.none"))
            return
        for key, default in (("d_old", family[0]), ("d_new", family[-1])):
            if ss.get(key) not in family:
                ss[key] = default
        c1, c2, c3 = st.columns(3)
        fmt = lambda d: f"{corpus.records[d].status} {corpus.records[d].version_date or ''}".strip()  # noqa: E731
        c1.selectbox(T("diff.old"), family, key="d_old", format_func=fmt)
        c2.selectbox(T("diff.new"), family, key="d_new", format_func=fmt)
        c3.radio(
            T("diff.level"),
            ("article", "paragraph"),
            key="d_level",
            horizontal=True,
            format_func=labels("diff.level."),
        )
        st.toggle(T("diff.only_this"), key="d_only")
        diffs = version_diff(str(data), version, ss.d_old, ss.d_new, ss.d_level)
        if ss.d_only:
            top = unit.unit_id.split(".")[0]
            diffs = [d for d in diffs if d.unit_id == top or d.unit_id.startswith(top + ".")]
        render_diff_list(diffs)
        old, new = corpus.records[ss.d_old], corpus.records[ss.d_new]
        title = T("export.diff_title", old=ex.version_label(old), new=ex.version_label(new))
        export_buttons(lambda: kx.diff_export(diffs, old, new, title), "diff")


def render_diff_list(diffs: list, limit: int = 30) -> None:
    from kb.compare.diff import summary

    st.caption(T("diff.summary", **summary(diffs)))
    changed = [d for d in diffs if d.change != "unchanged"]
    if not changed:
        st.caption(T("diff.nothing"))
    shown = changed if st.toggle(T("diff.all"), key="diff_all") else changed[:limit]
    for d in shown:
        words = []
        folded = False
        for op, text, cut in ex.fold_ops(d.ops):
            piece = ex.plain(text)
            folded = folded or cut
            words.append(f"~~{piece}~~" if op == "-" else f"**{piece}**" if op == "+" else piece)
        st.markdown(
            f"**{ex.plain(d.unit_id)}** {ex.plain(d.heading)} — *{d.change}*  \n" + " ".join(words)
        )
        if folded:
            with st.expander(T("diff.full")):
                st.text(d.new_text or d.old_text)
    if len(shown) < len(changed):
        st.caption(T("diff.more", n=len(changed) - len(shown)))


# --------------------------------------------------------------------------- corpus


def page_corpus(data: Path, version: str, corpus: ex.Corpus) -> None:
    st.header(T("corpus.title"))
    state, when = ex.index_status(data)
    if state == "ok":
        st.caption(T("corpus.index", when=ex.plain(when)))
    else:
        index_problem(data)
    st.subheader(T("corpus.present"))
    present = [corpus.records[d] for d in corpus.present]
    st.dataframe(
        pd.DataFrame(
            {
                T("col.instrument"): [r.short_title for r in present],
                T("col.jur"): [r.jurisdiction for r in present],
                T("col.type"): [r.instrument_type for r in present],
                T("col.status"): [r.status for r in present],
                T("col.lang"): [r.language for r in present],
                T("col.version"): [r.version_date or r.adopted or "—" for r in present],
                T("col.units"): [len(corpus.by_doc[r.doc_id]) for r in present],
                T("col.source"): [r.official_url for r in present],
            }
        ),
        hide_index=True,
        height="content",
        key="corpus-present",
        column_config={T("col.source"): st.column_config.LinkColumn(display_text="↗")},
    )
    with st.expander(T("corpus.notes")):
        for record in present:
            notes = ex.source_notes(data, record.doc_id)
            text = "\n".join(f"{k}: {v}" for k, v in notes.items()) or record.notes
            st.markdown(
                f"**{ex.plain(record.short_title)}** ({ex.plain(record.doc_id)})  \n{ex.plain(text)}"
            )
    render_missing(corpus)
    access = ex.edit_access(os.environ)
    if access == "off":
        st.info(T("add.off"))
        editing = False
    elif access == "token":
        given = st.text_input(T("add.token"), type="password", key="admin_token", max_chars=200)
        editing = ex.token_ok(given, os.environ)
        if given and not editing:
            st.error(T("add.token_wrong"))
    else:
        editing = True
    if editing:
        render_add(data)
    render_user_docs(data, corpus, editing)


def render_missing(corpus: ex.Corpus) -> None:
    st.subheader(T("corpus.missing"))
    missing = [corpus.records[d] for d in corpus.missing]
    st.dataframe(
        pd.DataFrame(
            {
                T("col.instrument"): [r.title for r in missing],
                T("col.jur"): [r.jurisdiction for r in missing],
                T("col.status"): [r.status for r in missing],
                T("col.source"): [r.official_url for r in missing],
            }
        ),
        hide_index=True,
        key="corpus-missing",
        column_config={T("col.source"): st.column_config.LinkColumn()},
    )
    problems = [p for p in corpus.summary.get("problems", []) if p.get("severity") == "error"]
    if problems:
        with st.expander(T("corpus.problems")):
            st.markdown(
                "\n".join(f"- {ex.plain(p['doc_id'])}: {ex.plain(p['message'])}" for p in problems)
            )


def render_add(data: Path) -> None:
    from corpus.manifest import INSTRUMENT_TYPES
    from kb import userdocs

    st.subheader(T("add.title_section"))
    st.caption(T("add.help", mb=userdocs.MAX_BYTES // 2**20))
    if ss.get("add_message"):
        kind, message = ss.pop("add_message")
        (st.success if kind == "ok" else st.error)(message)
    parsers = ["auto"] + [p for kind in userdocs.PARSERS for p in userdocs.parser_options(kind)]
    with st.form("add_doc", clear_on_submit=False):
        st.file_uploader(
            T("add.file"),
            type=["pdf", "html", "htm", "xhtml", "txt"],
            key="add_file",
            max_upload_size=userdocs.MAX_BYTES // 2**20,
        )
        st.text_area(T("add.paste"), key="add_text", height=120)
        c1, c2 = st.columns(2)
        c1.text_input(T("add.doc_title"), key="add_title", max_chars=500)
        c2.text_input(T("add.short"), key="add_short", max_chars=120)
        c1.text_input(T("add.cite_as"), key="add_cite", max_chars=60)
        c2.text_input(T("add.jur"), key="add_jur", max_chars=12)
        c1.selectbox(
            T("add.type"), INSTRUMENT_TYPES, key="add_type", index=INSTRUMENT_TYPES.index("bill")
        )
        c2.selectbox(T("add.status"), userdocs.STATUSES, key="add_status")
        c1.selectbox(T("add.lang"), userdocs.LANGUAGES, key="add_lang")
        c2.text_input(T("add.url"), key="add_url", max_chars=500)
        c1.text_input(T("add.adopted"), key="add_adopted", max_chars=10)
        c2.selectbox(
            T("add.parser"),
            parsers,
            key="add_parser",
            format_func=labels("add.parser.", keep=set(parsers) - {"auto"}),
        )
        submitted = st.form_submit_button(T("add.submit"), key="add_submit", type="primary")
    if submitted:
        handle_add(data)


def handle_add(data: Path) -> None:
    from kb import userdocs

    upload = ss.get("add_file")
    if upload is not None:
        name, content = upload.name, upload.getvalue()
    elif (ss.get("add_text") or "").strip():
        name, content = "pasted.txt", ss.add_text.encode("utf-8")
    else:
        st.error(T("add.no_file"))
        return
    adopted = (ss.get("add_adopted") or "").strip() or None
    if adopted and not ex.iso_date(adopted):
        st.error(T("add.bad_date"))
        return
    meta = userdocs.NewDocument(
        title=ss.add_title,
        short_title=ss.add_short,
        jurisdiction=ss.add_jur,
        instrument_type=ss.add_type,
        language=ss.add_lang,
        official_url=ss.add_url,
        status=ss.add_status,
        cite_as=ss.add_cite,
        adopted=adopted,
    )
    parser = None if ss.add_parser == "auto" else ss.add_parser
    with st.status(T("add.working"), expanded=True) as status:
        try:
            result = userdocs.add_document(
                data,
                name,
                content,
                meta,
                parser=parser,
                progress=lambda m: status.write(ex.plain(m)),
            )
        except (KBError, ValueError, OSError) as exc:
            status.update(state="error")
            st.error(T("add.failed") + " " + ex.plain(str(exc)))
            return
        except Exception as exc:  # a parser bug must not show a traceback; it is logged
            log.exception("adding %s failed", name)
            status.update(state="error")
            st.error(T("add.failed") + " " + ex.plain(f"{type(exc).__name__}: {exc}"))
            return
        status.update(state="complete")
    ss.add_message = ("ok", T("add.done", doc=ex.plain(result.doc_id), units=result.units))
    st.rerun()


def render_user_docs(data: Path, corpus: ex.Corpus, editing: bool) -> None:
    from kb import userdocs

    entries = userdocs.user_records(data)
    if not entries:
        return
    st.subheader(T("corpus.user"))
    for entry in entries:
        doc_id = entry["doc_id"]
        c1, c2 = st.columns([5, 1])
        units = len(corpus.by_doc.get(doc_id, []))
        c1.markdown(
            f"**{ex.plain(entry['short_title'])}** ({ex.plain(doc_id)}) · {units} · {ex.plain(entry['official_url'])}"
        )
        if editing and c2.button(T("corpus.remove"), key=f"rm-{doc_id}"):
            try:
                userdocs.remove_document(data, doc_id)
            except (KBError, ValueError, OSError) as exc:
                st.error(ex.plain(str(exc)))
                return
            ss.add_message = ("ok", T("corpus.removed", doc=ex.plain(doc_id)))
            st.rerun()


# --------------------------------------------------------------------------- main

PAGES = {
    "search": page_search,
    "compare": page_compare,
    "reader": page_reader,
    "corpus": page_corpus,
}


def main() -> None:
    st.set_page_config(page_title="Levelfield", page_icon="⚖️", layout="wide")
    data = ex.data_folder()
    version = data_version(data)
    try:
        corpus = load_corpus(str(data), version)
    except StoreError:
        corpus = None
    init_state(corpus)
    sidebar(corpus)
    if corpus is None or not corpus.present:
        st.error(T("no_corpus"))
        st.code(BUILD_COMMANDS, language="bash")
    else:
        PAGES[ss.page](data, version, corpus)
    sync_url()


main()
