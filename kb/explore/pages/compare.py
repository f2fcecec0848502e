"""The Compare page: the obligation matrix (level-playing-field view), topic cells, the heatmap,
thresholds.
"""

from __future__ import annotations

import functools
from pathlib import Path

import pandas as pd
import streamlit as st

from kb.explore import export as kx
from kb.explore import views as ex
from kb.explore.pages.shared import (
    T,
    cached_cells,
    export_buttons,
    field_rows,
    force_label,
    heat_counts,
    load_obligation_matrix,
    open_in_reader,
    scope_rows,
    view_url,
)
from kb.explore.ui_text import element_question, fact_text, topic_label, value_label
from kb.store import data_version

ss = st.session_state


#: instrument cards per row under each topic (the topic cells, one card per instrument)
CARDS_PER_ROW = 4


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
        placeholder=T("f.any"),
        format_func=lambda t, lang=ss.lang: topic_label(lang, t),
    )
    c2.multiselect(
        T("compare.docs"),
        options,
        key="cmp_docs",
        placeholder=T("f.any"),
        format_func=lambda d, lang=ss.lang: (
            ex.version_label(corpus.records[d], lang) + ("" if d in corpus.by_doc else " ✕")
        ),
    )
    topics, docs = list(ss.topics), list(ss.cmp_docs)
    if not topics or not docs:
        st.info(T("compare.choose"))
        return
    with st.spinner(T("compare.working")):
        render_matrix(data, version, corpus, topics, docs)
        for topic in topics:
            render_topic(data, version, corpus, topic, docs)
        render_heatmap(data, version, corpus, docs)
        render_scope(data, version, corpus, docs)
    st.subheader(T("export.title"))
    export_buttons(lambda: comparison_export(data, version, corpus, topics, docs), "compare")


def render_matrix(
    data: Path, version: str, corpus: ex.Corpus, topics: list[str], docs: list[str]
) -> None:
    """The level-playing-field matrix of the chosen topics: one column per act among the chosen
    instruments, each with a version switch (default: the version chosen above when it is one
    version of the act, else the version in force today)."""
    import kb.explore.matrix_view as mv
    from kb.compare.versions import act_of

    st.subheader(T("matrix.title"))
    st.caption(T("matrix.caption"))
    matrix = load_obligation_matrix(str(data), version)
    families = mv.matrix_families(corpus.records, matrix)
    chosen_acts = {act_of(corpus.records, d) for d in docs}
    with st.expander(T("matrix.versions")):
        picks = {}
        for act, members in families.items():
            if act not in chosen_acts:
                continue
            asked = [d for d in docs if d in members]
            default = asked[0] if len(asked) == 1 else mv.default_version(corpus.records, members)
            if len(members) > 1:
                key = f"{ex.VERSION_KEY}{act}"
                # a keyed widget keeps its value across runs: when the instruments chosen above
                # change this act's default, the switch follows (a pick of its own stays
                # otherwise, as does one a shared link made)
                before = ss.get(f"{key}-default")
                if before != default:
                    ss[f"{key}-default"] = default
                    if before is not None or ss.get(key) not in members:
                        ss[key] = default
                picks[act] = st.selectbox(
                    ex.title(corpus.records[act], ss.lang),
                    members,
                    format_func=lambda d, lang=ss.lang: ex.version_label(corpus.records[d], lang),
                    key=key,
                )
            else:
                picks[act] = default
    columns = mv.columns_for(corpus.records, matrix, picks, lang=ss.lang, documents=docs)
    for act, members in families.items():
        # several versions of one act chosen above: one column, and the page says which
        if act in picks and sum(d in members for d in docs) > 1:
            st.info(
                T(
                    "matrix.merged",
                    act=ex.plain(ex.title(corpus.records[act], ss.lang)),
                    shown=ex.plain(ex.version_label(corpus.records[picks[act]], ss.lang)),
                )
            )
    c1, c2 = st.columns([1, 2])
    differences = c1.toggle(T("matrix.differences"), key="mx_diff")
    present = [c for c in columns if c.doc_id]
    bases = [None] + [c.family for c in present]
    if ss.get("mx_base") not in bases:
        ss["mx_base"] = None  # a shared link's baseline that is not among the columns now
    baseline = c2.selectbox(
        T("matrix.baseline"),
        bases,
        format_func=lambda f, lang=ss.lang: (
            T("matrix.no_baseline") if f is None else ex.title(corpus.records[f], lang)
        ),
        key="mx_base",
    )
    if baseline is not None:  # what the marks in the cells mean, as the exports say it
        st.caption(T("export.baseline", base=ex.plain(ex.title(corpus.records[baseline], ss.lang))))
    rows = mv.rows_for(matrix, columns, topics, baseline, differences)
    if not rows:
        st.info(T("matrix.none"))
        return
    lang = ss.lang
    for topic in dict.fromkeys(r.topic for r in rows):  # one table per topic, in topic order
        of_topic = [r for r in rows if r.topic == topic]
        st.markdown(f"**{ex.plain(topic_label(lang, topic))}**")
        table = {
            T("matrix.element"): [element_question(lang, r.element, r.question) for r in of_topic]
        }
        for i, column in enumerate(columns):
            marks = [r.marks[i] if r.marks and r.marks[i] else "" for r in of_topic]
            table[column.label] = [
                mv.cell_text(r.cells[i], lang) + mv.mark_text(r.cells[i], m, lang)
                for r, m in zip(of_topic, marks, strict=True)
            ]
        st.dataframe(
            pd.DataFrame(table),
            hide_index=True,
            key=f"mx-table-{topic}",
            # the question pinned while the instruments scroll; each instrument's column wide
            # enough for a mark and its citation ("✗ [afwezig]" was cut to "✗ [afwe")
            column_config={
                T("matrix.element"): st.column_config.TextColumn(pinned=True, width="large"),
                **{c.label: st.column_config.TextColumn(width="medium") for c in columns},
            },
        )
        advice = kx.topic_advice(matrix["advice"], topic)
        if advice:
            st.caption(
                T("matrix.advice")
                + "\n"
                + "\n".join(
                    f"- [{ex.plain(a['citation'])}]({ex.reader_link(a['doc_id'], a['unit_id'], lang)})"
                    f" {ex.plain(a['heading'])}: “{ex.plain(a['quote'])}”"
                    for a in advice
                )
            )
    choices = [(r.element, i) for r in rows for i, c in enumerate(columns) if c.doc_id]
    questions = {r.element: element_question(lang, r.element, r.question) for r in rows}
    picked = st.selectbox(
        T("matrix.open"),
        [None, *choices],
        format_func=lambda x: "—" if x is None else f"{questions[x[0]]} · {columns[x[1]].label}",
        key="mx_open",
    )
    missing = [c for c in columns if not c.doc_id]
    if missing:
        st.caption(
            value_label(lang, "not in local corpus")
            + ": "
            + " · ".join(f"[{ex.plain(c.label)}]({c.url})" for c in missing)
        )
    if picked:
        row = next(r for r in rows if r.element == picked[0])
        cell = row.cells[picked[1]]
        if not cell["citations"]:
            st.caption(T("matrix.silent"))
        else:
            first = cell["citations"][0]
            reader = ex.reader_link(cell["doc_id"], first["unit_id"], lang)
            official = T("hit.source") + (
                "" if first.get("url_is_article", True) else f" ({T('matrix.doc_link')})"
            )
            st.markdown(
                f"**{ex.plain(mv.SYMBOLS[cell['value']])} "
                f"[{ex.plain(first['citation'])}]({reader})** · "
                f"{ex.plain(force_label(cell['force']))} · [{official} ↗]({first['url']})"
            )
            if cell["quote"]:
                st.caption(ex.plain(f"“{mv.quote_shown(cell['quote'])}”"))
            if cell.get("fact"):
                fact = cell["fact"]
                st.caption(ex.plain(f"{fact_text(ss.lang, fact)} ({fact['citation']})"))
                if fact.get("quote"):  # a phased-in number: the words that state it
                    st.caption(ex.plain(f"“{mv.quote_shown(fact['quote'])}”"))
            if cell.get("source") == "editorial":
                st.caption(T("matrix.editorial", reason=ex.plain(mv.editorial_reason(cell, lang))))
            elif cell.get("decided_in", cell["doc_id"]) != cell["doc_id"]:
                other = corpus.records.get(cell["decided_in"])
                label = ex.title(other, lang) if other else cell["decided_in"]
                st.caption(T("matrix.decided_in", doc=ex.plain(label)))
    labels = {t: topic_label(lang, t) for t in topics}
    title = T("matrix.title")
    link = view_url()
    base = ex.title(corpus.records[baseline], lang) if baseline else ""
    makers = {
        "md": lambda: kx.matrix_markdown(
            title, columns, rows, labels, link, lang, matrix["advice"], base
        ).encode("utf-8"),
        "csv": lambda: kx.matrix_csv(columns, rows, lang).encode("utf-8"),
        "docx": functools.partial(
            kx.matrix_docx, title, columns, rows, labels, link, lang, matrix["advice"], base
        ),
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
    return kx.comparison_export(result, corpus.records, corpus.by_key, title, labels, lang=ss.lang)


def render_topic(data: Path, version: str, corpus: ex.Corpus, topic: str, docs: list[str]) -> None:
    st.subheader(topic_label(ss.lang, topic))
    rows = field_rows(str(data), version, topic, tuple(docs))
    matrix = load_obligation_matrix(str(data), version)
    summary = ex.playing_field_summary(matrix, topic, docs, set(corpus.by_doc))
    lines = [
        f"- **{T('field.' + value)}**: "
        + ex.plain(", ".join(ex.version_label(corpus.records[d], ss.lang) for d in ids))
        for value, ids in summary.items()
    ]
    if lines:
        st.markdown(f"*{T('compare.field')}*\n\n" + "\n".join(lines))
    table = pd.DataFrame(
        {
            T("col.instrument"): [
                ex.version_label(corpus.records[r["doc_id"]], ss.lang) for r in rows
            ],
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
    # at most four cards side by side: with seven instruments in one row, headings and
    # citations broke one word (or half a word) per line
    for start in range(0, len(docs), CARDS_PER_ROW):
        row = docs[start : start + CARDS_PER_ROW]
        for col, doc_id in zip(st.columns(CARDS_PER_ROW), row, strict=False):
            with col:
                render_cell(corpus, topic, doc_id)


def render_cell(
    corpus: ex.Corpus, topic: str, doc_id: str, prefix: str = "cmp", size: int | None = None
) -> None:
    record = corpus.records[doc_id]
    st.markdown(f"**{ex.plain(ex.title(record, ss.lang))}**")
    st.caption(ex.plain(ex.record_line(record, ss.lang)))
    if doc_id not in corpus.by_doc:
        st.info(T("compare.not_in_corpus"))
        st.link_button(T("hit.source"), record.official_url, key=f"{prefix}-miss-{topic}-{doc_id}")
        return
    cells = cached_cells(str(corpus.data), data_version(corpus.data), topic, doc_id, size)
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
        [counts[d] for d in present], index=[ex.title(corpus.records[d], ss.lang) for d in present]
    )
    frame = frame.rename(columns=lambda t: topic_label(ss.lang, t))
    event = st.dataframe(
        frame.style.background_gradient(cmap="Greens", axis=None),
        key="heatmap",
        on_select="rerun",
        selection_mode="single-cell",
    )
    cells = event.selection.get("cells", []) if event else []
    # a selection made before the instruments or the language changed may point past the table
    if cells and cells[0][0] < len(present) and cells[0][1] in list(frame.columns):
        row, column = cells[0]
        topic = topics[list(frame.columns).index(column)]
        with st.container(border=True):
            st.markdown(f"**{ex.plain(topic_label(ss.lang, topic))}**")
            # the provisions the cell counts, all of them
            render_cell(
                corpus, topic, present[row], prefix="heat", size=counts[present[row]][topic]
            )


def render_scope(data: Path, version: str, corpus: ex.Corpus, docs: list[str]) -> None:
    st.subheader(T("scope.title"))
    st.caption(T("scope.help"))
    rows = scope_rows(str(data), version, tuple(docs))
    if rows:
        record_dates = lambda r: " / ".join(x for x in (r.adopted, r.version_date) if x) or "—"  # noqa: E731
        columns = ("thresholds", "fines", "dates", "authority", "liability")
        table = {
            T("col.instrument"): [
                ex.version_label(corpus.records[r["doc_id"]], ss.lang) for r in rows
            ]
        }
        table |= {T(f"col.{c}"): ["; ".join(r[c]) or "—" for r in rows] for c in columns}
        table[T("col.record_dates")] = [record_dates(corpus.records[r["doc_id"]]) for r in rows]
        st.dataframe(pd.DataFrame(table), hide_index=True, key="scope-table", height="content")
    missing = [corpus.records[d] for d in docs if d not in corpus.by_doc]
    for record in missing:
        st.caption(
            f"{ex.plain(ex.title(record, ss.lang))}: {T('compare.not_in_corpus')} {kx.md_url(record.official_url)}"
        )
