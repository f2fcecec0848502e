"""What every page uses: cached resources (one per process and data version), interface texts,
session state and URL, the sidebar, export buttons.
"""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path

import streamlit as st

from kb.errors import StoreError
from kb.explore import export as kx
from kb.explore import views as ex
from kb.explore.ui_text import force_label as ui_force_label
from kb.explore.ui_text import tr

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
    "mx_diff",
    "mx_base",
    "r_doc",
    "r_unit",
    *(key for key, _ in ex.APPLIES_PARAMS.values()),
    "ap_done",
)
BUILD_COMMANDS = "python -m kb fetch\npython -m kb ingest\npython -m kb build"


@st.cache_resource(max_entries=4, show_spinner=False)
def load_corpus(data: str, version: str) -> ex.Corpus:
    return ex.load_corpus(Path(data))


@st.cache_resource(max_entries=4, show_spinner=False)
def load_searcher(data: str, version: str):
    from indexing.search import Searcher

    return Searcher(Path(data))


@st.cache_resource(max_entries=4, show_spinner=False)
def load_obligation_matrix(data: str, version: str) -> dict:
    from kb.compare.cache import load_matrix

    return load_matrix(Path(data))


@st.cache_data(max_entries=64, show_spinner=False)
def field_rows(data: str, version: str, topic: str, docs: tuple[str, ...]) -> list[dict]:
    return ex.playing_field(load_corpus(data, version), topic, list(docs))


@st.cache_data(max_entries=1024, show_spinner=False)
def cached_cells(data: str, version: str, topic: str, doc_id: str, size: int | None = None) -> list:
    """``kb.compare.cells.Analysis.cell``: the best provisions of an instrument for a topic
    (``size`` of them; the heatmap asks for all it counts)."""
    return load_corpus(data, version).analysis.cell(topic, doc_id, size)


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
    """A deontic force in the interface language (``ui_text.force_label``)."""
    return ui_force_label(ss.get("lang", "en"), force)


# --------------------------------------------------------------------------- state and chrome


def init_state(corpus: ex.Corpus | None) -> None:
    """Defaults, overridden once per session by the URL; widget values kept across pages."""
    if "_ready" in ss:
        for key in (*PERSIST, *version_keys()):
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
    for key in ("f_as_at", "ap_date"):
        if isinstance(state.get(key), str):
            state[key] = dt.date.fromisoformat(state[key])
    ss.update(state)
    ss["_ready"] = True


def view_url() -> str:
    """The address of the page as it is shown now (the app's own URL parameters), for exports to
    link back to; relative when the browser's address is not known."""
    from urllib.parse import urlencode

    base = (st.context.url or "").split("?")[0]
    return f"{base}?{urlencode(_url_params())}"


def version_keys() -> list[str]:
    """The Compare matrix's version switches (one widget key per act, ``mx-version-<act>``)
    and the defaults they were set to."""
    return [k for k in ss if isinstance(k, str) and k.startswith(ex.VERSION_KEY)]


def _url_params() -> dict:
    """The URL parameters of the page as it is shown now."""
    return ex.params_for({k: ss.get(k) for k in ("page", "lang", *PERSIST, *version_keys())})


def sync_url() -> None:
    want = _url_params()
    if st.query_params.to_dict() != want:
        st.query_params.from_dict(want)


def sidebar(corpus: ex.Corpus | None) -> None:
    with st.sidebar:
        st.title("Levelfield")
        st.caption(T("app.tagline"))
        st.radio(
            T("page"),
            ex.PAGES,
            key="page",
            format_func=labels("page."),
            # a page chosen here is no "back" for the reader (that is the page a provision
            # was opened from)
            on_change=lambda: ss.pop("r_from", None),
        )
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
    """Open a provision in the reader, remembering the page it was opened from (its "back")."""
    if ss.get("page") != "reader":
        ss.r_from = ss.get("page")
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
