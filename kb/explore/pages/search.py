"""The Search page: the query form, filters, results grouped by instrument (each result's tools a
fragment), exports.
"""

from __future__ import annotations

import zlib
from pathlib import Path

import streamlit as st

from indexing.search import MAX_QUERY_CHARS
from kb.explore import export as kx
from kb.explore import views as ex
from kb.explore.pages.shared import (
    T,
    export_buttons,
    force_label,
    open_in_reader,
    searcher_or_message,
)
from kb.explore.ui_text import decimal, message_text, value_label

ss = st.session_state


def search_filters(corpus: ex.Corpus) -> None:
    present = [corpus.records[d] for d in corpus.present]
    options = lambda name: sorted({getattr(r, name) for r in present})  # noqa: E731
    active = any(ss.get(k) for k in ("f_jur", "f_type", "f_status", "f_lang", "f_doc", "f_as_at"))
    with st.expander(T("filters"), expanded=active):
        c1, c2, c3 = st.columns(3)
        value = lambda v, lang=ss.lang: value_label(lang, v)  # noqa: E731
        any_ = T("f.any")
        c1.multiselect(T("f.jur"), options("jurisdiction"), key="f_jur", placeholder=any_)
        c2.multiselect(
            T("f.type"),
            options("instrument_type"),
            key="f_type",
            format_func=value,
            placeholder=any_,
        )
        c3.multiselect(
            T("f.status"), options("status"), key="f_status", format_func=value, placeholder=any_
        )
        c1.multiselect(
            T("f.lang"), options("language"), key="f_lang", format_func=value, placeholder=any_
        )
        c2.multiselect(
            T("f.doc"),
            corpus.present,
            key="f_doc",
            placeholder=any_,
            format_func=lambda d, lang=ss.lang: ex.version_label(corpus.records[d], lang),
        )
        c3.date_input(T("f.as_at"), key="f_as_at", format="YYYY-MM-DD")


def current_filters():
    from indexing.search import Filters

    as_at = ss.get("f_as_at")
    return Filters.of(
        doc_id=ss.f_doc,
        jurisdiction=ss.f_jur,
        instrument_type=ss.f_type,
        status=ss.f_status,
        language=ss.f_lang,
        as_at=as_at.isoformat() if as_at else None,
    )


def render_as_at(corpus: ex.Corpus, date: str) -> None:
    """What the "as at" date changes: every instrument hidden or shown with a notice, named."""
    from kb.compare.versions import as_at

    views = as_at(corpus.records, date)
    lines = [
        f"- {ex.plain(ex.title(corpus.records[d], ss.lang))}: {ex.plain(v.notice)}"
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
        # no max_chars: a browser cuts a longer paste silently; the search says what the limit is
        c1.text_input(
            T("search.query"),
            key="q",
            placeholder=T("search.placeholder"),
            help=T("search.limit", n=f"{MAX_QUERY_CHARS:,}"),
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
        st.warning(T("search.bad_query") + " " + ex.plain(message_text(ss.lang, exc)))
        return
    if filters.as_at:
        render_as_at(corpus, filters.as_at)
    if not hits:
        st.info(T("search.none"))
        return
    from kb.service import no_good_match

    if no_good_match(searcher, query, hits):
        st.info(T("search.no_good_match"))
        # a real question told "no good match" by mistake (about 1 % of the dev set's) is one
        # click from its results; the switch holds for this query only
        if not st.toggle(T("search.show_anyway"), key=f"anyway-{zlib.crc32(query.encode())}"):
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
            lang=ss.lang,
            units_by_key=corpus.by_key,
        ),
        "search",
    )


def render_group(corpus: ex.Corpus, doc_id: str, hits: list) -> None:
    record = corpus.records[doc_id]
    head, link = st.columns([5, 1], vertical_alignment="bottom")
    head.markdown(f"#### {ex.plain(ex.title(record, ss.lang))}")
    head.caption(ex.plain(ex.record_line(record, ss.lang)))
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
        notes = []
        if hit.sibling_of is not None:
            notes.append(T("hit.sibling", n=hit.sibling_of))
        force = corpus.force(unit)
        if force:
            notes.append(T("force", force=force_label(force)))
        if hit.relevance is not None:
            notes.append(T("hit.relevance", r=decimal(ss.lang, hit.relevance)))
        if notes:
            st.caption(" · ".join(notes))
        if hit.superseded_by:
            current = corpus.records.get(hit.superseded_by)
            version = ex.title(current, ss.lang) if current else hit.superseded_by
            st.warning(T("hit.superseded", version=ex.plain(version)), icon="⚠️")
        changes = corpus.amends(hit.doc_id, hit.unit_id)
        if changes:
            # an amending point's few words ("Article 22 is deleted") name what it changes
            shown = "; ".join(
                f"[{ex.plain(c['citation'])}]({ex.reader_link(c['shown_doc'], c['target_unit'], ss.lang)})"
                f" {value_label(ss.lang, c['action'])}"
                for c in changes[:3]
            )
            st.caption(f"{T('hit.amends')} {shown}" + (" …" if len(changes) > 3 else ""))
        if hit.also_in:
            links = ", ".join(
                f"[{ex.plain(ex.title(corpus.records[d], ss.lang))}]({ex.reader_link(d, hit.unit_id, ss.lang)})"
                for d in hit.also_in
                if d in corpus.records
            )
            st.caption(T("hit.also_in") + " " + links)
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
        # each counterpart opens in the reader
        cites = "; ".join(
            f"[{ex.plain(u['citation'])}]({ex.reader_link(match['doc_id'], u['unit_id'], ss.lang)})"
            + (f" ({ex.plain(u['heading'])})" if u["heading"] else "")
            for u in match["units"]
        )
        lines.append(
            f"- **{ex.plain(ex.title(corpus.records[match['doc_id']], ss.lang))}**: {cites}"
        )
    st.markdown(f"*{T('counterparts.title')}*\n\n" + "\n".join(lines))
