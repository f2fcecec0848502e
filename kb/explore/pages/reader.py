"""The Reader page: one instrument, its table of contents, provisions with their counterparts,
version differences.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from kb.compare.versions import translations
from kb.explore import export as kx
from kb.explore import views as ex
from kb.explore.pages.search import render_counterparts
from kb.explore.pages.shared import (
    T,
    export_buttons,
    force_label,
    labels,
    load_obligation_matrix,
    open_in_reader,
    version_diff,
)
from kb.explore.ui_text import fact_text, value_label, version_text

ss = st.session_state


def switch_version() -> None:
    ss.r_doc = ss.r_version


def page_reader(data: Path, version: str, corpus: ex.Corpus) -> None:
    st.header(T("reader.title"))
    came_from = ss.get("r_from")
    if came_from in ("compare", "applies"):  # back to that page as it was left
        st.button(T("reader.back_to", page=T(f"page.{came_from}")), key="back", on_click=go_back)
    elif ss.get("q"):  # came from a search: back to the same results (the query is kept)
        st.button(T("reader.back", q=ex.plain(ss.q[:60])), key="back", on_click=go_back)
    asked = ss.pop("r_asked", None)
    if asked and asked[0] not in corpus.by_doc:
        record = corpus.records.get(asked[0])
        # a listed text not fetched: its source, and its language version here if there is one
        here = [
            d
            for d in (translations(corpus.records, asked[0]) if record is not None else [])
            if d in corpus.by_doc
        ]
        if here:
            ss.r_doc = here[0]
            asked = (here[0], asked[1])
            st.warning(
                T(
                    "reader.other_language",
                    doc=ex.plain(ex.title(record, ss.lang)),
                    shown=ex.plain(ex.version_label(corpus.records[here[0]], ss.lang)),
                    url=record.official_url,
                )
            )
        else:
            st.warning(T("reader.no_doc", doc=ex.plain(asked[0])))
            if record is not None:
                st.markdown(f"[{T('hit.source')} ↗]({record.official_url})")
    family = reader_pickers(corpus)
    unit = reader_toc(corpus)
    if asked and asked[0] == unit.doc_id and asked[1] and asked[1] != unit.unit_id:
        st.warning(T("reader.no_unit", unit=ex.plain(asked[1]), shown=ex.plain(unit.citation)))
    render_reading(corpus, unit)
    render_requirements(data, version, corpus, ss.r_doc)
    render_diff(data, version, corpus, family, unit)


def render_requirements(data: Path, version: str, corpus: ex.Corpus, doc_id: str) -> None:
    """This instrument's column of the obligation matrix, topic by topic: each element's
    answer with its fact, pinpoint citation (opens in the reader), force and the deciding
    words verbatim."""
    import kb.explore.matrix_view as mv
    from kb.explore.ui_text import element_question, topic_label

    matrix = load_obligation_matrix(str(data), version)
    cells = {c["element"]: c for c in matrix["cells"] if c["doc_id"] == doc_id}
    advice = [a for a in matrix["advice"] if a["doc_id"] == doc_id]
    if advice:  # a policy text: what it says on each topic (``kb.compare.matrix.policy_advice``)
        with st.expander(T("reader.advice")):
            for a in advice:
                link = ex.reader_link(doc_id, a["unit_id"], ss.lang)
                st.markdown(
                    f"- **{ex.plain(topic_label(ss.lang, a['topic']))}**: "
                    f"[{ex.plain(a['citation'])}]({link}) {ex.plain(a['heading'])}"
                )
                st.caption(ex.plain(f"“{a['quote']}”"))
    if not cells:
        return  # a policy text or an amending act: not a column of the matrix
    with st.expander(T("reader.requirements")):
        topic = None
        for element in matrix["elements"]:
            cell = cells.get(element["element"])
            if cell is None:
                continue
            if element["topic"] != topic:
                topic = element["topic"]
                st.markdown(f"**{ex.plain(topic_label(ss.lang, topic))}**")
            question = element_question(ss.lang, element["element"], element["question"])
            line = f"{mv.SYMBOLS[cell['value']]} {ex.plain(question)}"
            if cell.get("fact"):
                line += f" — {ex.plain(fact_text(ss.lang, cell['fact']))}"
            if cell["citations"]:
                first = cell["citations"][0]
                link = ex.reader_link(doc_id, first["unit_id"], ss.lang)
                line += f" — [{ex.plain(first['citation'])}]({link}) · {ex.plain(force_label(cell['force']))}"
            if cell.get("source") == "editorial":
                line += " · " + T(
                    "matrix.editorial", reason=ex.plain(mv.editorial_reason(cell, ss.lang))
                )
            st.markdown("- " + line)
            if cell.get("quote"):
                st.caption(ex.plain(f"“{mv.quote_shown(cell['quote'])}”"))
            if (cell.get("fact") or {}).get("quote"):  # a phased-in number: the words stating it
                st.caption(ex.plain(f"“{mv.quote_shown(cell['fact']['quote'])}”"))


def go_back() -> None:
    ss.page = ss.pop("r_from", None) or "search"


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
        format_func=lambda d, lang=ss.lang: ex.version_label(corpus.records[d], lang),
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
            format_func=lambda d, lang=ss.lang: version_text(lang, corpus.records[d]),
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
    others = [d for d in translations(corpus.records, unit.doc_id) if d in corpus.by_doc]
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
        lambda: kx.provisions_export(
            [unit],
            corpus.records,
            title,
            {unit.key: corpus.force(unit)},
            lang=ss.lang,
            units_by_key=corpus.by_key,
        ),
        "provision",
    )


def render_provision(corpus: ex.Corpus, unit, suffix: str = "main") -> None:
    record = corpus.records[unit.doc_id]
    st.markdown(
        f"### {ex.plain(unit.citation)}" + (f" — {ex.plain(unit.heading)}" if unit.heading else "")
    )
    st.caption(ex.plain(f"{ex.version_label(record, ss.lang)} · {record.language}"))
    if record.consolidates:
        st.caption(T("reader.consolidated"))
    if unit.status == "deleted":
        st.warning(T("reader.deleted"))
    if unit.markers:
        st.caption(T("reader.markers", markers=ex.plain(", ".join(unit.markers))))
    for link in corpus.amended_by(unit.doc_id, unit.unit_id):
        st.caption(amendment_note(link))  # "CSDDD Art. 22 deleted by Directive 2026/470 Art. 4(16)"
    if unit.page:
        st.caption(T("reader.page", page=unit.page))
    st.markdown(ex.plain(unit.text))
    force = corpus.force(unit) if unit.status != "deleted" else None  # a deleted rule binds no one
    if force:
        st.caption(T("force", force=force_label(force)))
    if unit.footnotes:
        with st.expander(T("reader.footnotes")):
            st.markdown(ex.plain("\n".join(unit.footnotes)))
    from kb.compare.matrix import article_url

    st.link_button(T("hit.source"), article_url(record, unit.unit_id)[0], key=f"r-src-{suffix}")


def render_diff(data: Path, version: str, corpus: ex.Corpus, family: list[str], unit) -> None:
    with st.expander(T("diff.title")):
        if len(family) < 2:
            st.caption(T("diff.none"))
            return
        for key, default in (("d_old", family[0]), ("d_new", family[-1])):
            if ss.get(key) not in family:
                ss[key] = default
        c1, c2, c3 = st.columns(3)
        fmt = lambda d, lang=ss.lang: version_text(lang, corpus.records[d])  # noqa: E731
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
        render_diff_list(diffs, corpus, ss.d_new)
        old, new = corpus.records[ss.d_old], corpus.records[ss.d_new]
        title = T(
            "export.diff_title",
            old=ex.version_label(old, ss.lang),
            new=ex.version_label(new, ss.lang),
        )
        lang = ss.lang
        export_buttons(lambda: kx.diff_export(diffs, old, new, title, lang=lang), "diff")


def amendment_note(link: dict) -> str:
    """``Amendment: CSDDD Art. 22 deleted by [Directive 2026/470 Art. 4(16)](reader link)``."""
    what = ex.plain(f"{link['target_citation']} {value_label(ss.lang, link['action'])}")
    target = ex.reader_link(link["amending_doc"], link["amending_unit"], ss.lang)
    return T("reader.amended_by", what=what, by=f"[{ex.plain(link['citation'])}]({target})")


def render_diff_list(diffs: list, corpus: ex.Corpus, doc_id: str, limit: int = 30) -> None:
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
            f"**{ex.plain(corpus.cite(doc_id, d.unit_id))}** {ex.plain(d.heading)} — "
            f"*{value_label(ss.lang, d.change)}*  \n" + " ".join(words)
        )
        for link in corpus.amended_by(doc_id, d.unit_id)[:2]:  # the amending provision
            st.caption(amendment_note(link))
        if folded:
            with st.expander(T("diff.full")):
                st.text(d.new_text or d.old_text)
    if len(shown) < len(changed):
        st.caption(T("diff.more", n=len(changed) - len(shown)))
