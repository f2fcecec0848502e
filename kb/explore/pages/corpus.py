"""The Corpus page: what is present and missing, adding and removing a document."""

from __future__ import annotations

import dataclasses
import logging
import os
from pathlib import Path

import pandas as pd
import streamlit as st

from kb.dates import is_iso_date
from kb.errors import KBError
from kb.explore import views as ex
from kb.explore.pages.shared import T, index_problem, labels
from kb.explore.ui_text import message_text, value_label

log = logging.getLogger("levelfield.app")
ss = st.session_state


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
                T("col.instrument"): [ex.title(r, ss.lang) for r in present],
                T("col.jur"): [r.jurisdiction for r in present],
                T("col.type"): [value_label(ss.lang, r.instrument_type) for r in present],
                T("col.status"): [value_label(ss.lang, r.status) for r in present],
                T("col.lang"): [value_label(ss.lang, r.language) for r in present],
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
            # the labels in the interface language; the notes as the source file words them
            text = "\n".join(f"{T('corpus.note.' + k)}: {v}" for k, v in notes.items())
            text = text or record.notes
            st.markdown(
                f"**{ex.plain(ex.title(record, ss.lang))}** ({ex.plain(record.doc_id)})  \n{ex.plain(text)}"
            )
    render_missing(corpus)
    access = ex.edit_access(os.environ)
    if access == "off":
        st.info(T("add.off"))
        if ex.token_too_short(os.environ):
            st.warning(T("add.token_short", n=ex.MIN_TOKEN))
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
                T("col.status"): [value_label(ss.lang, r.status) for r in missing],
                T("col.source"): [r.official_url for r in missing],
                T("col.download"): [r.download.url if r.download else None for r in missing],
            }
        ),
        hide_index=True,
        key="corpus-missing",
        column_config={
            T("col.source"): st.column_config.LinkColumn(),
            T("col.download"): st.column_config.LinkColumn(),
        },
    )
    if any(r.download for r in missing):
        st.caption(T("corpus.download_hint"))
        st.code(
            "python -m kb fetch --download && python -m kb ingest && python -m kb build",
            language="bash",
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
    parsers.append(userdocs.parser_label(*userdocs.TWO_COLUMN))  # bilingual print: two documents
    with st.form("add_doc", clear_on_submit=False):
        st.file_uploader(
            T("add.file"),
            type=[e.lstrip(".") for e in userdocs.EXTENSIONS],  # what `kb add` reads, too
            key="add_file",
            max_upload_size=userdocs.MAX_BYTES // 2**20,
        )
        st.text_area(T("add.paste"), key="add_text", height=120)
        c1, c2 = st.columns(2)
        c1.text_input(T("add.doc_title"), key="add_title", max_chars=500)
        c2.text_input(T("add.short"), key="add_short", max_chars=120)
        c1.text_input(T("add.cite_as"), key="add_cite", max_chars=60)
        c2.text_input(T("add.jur"), key="add_jur", max_chars=12)
        lang = ss.lang
        value = lambda v: value_label(lang, v)  # noqa: E731
        c1.selectbox(
            T("add.type"),
            INSTRUMENT_TYPES,
            key="add_type",
            index=INSTRUMENT_TYPES.index("bill"),
            format_func=value,
        )
        c2.selectbox(T("add.status"), userdocs.STATUSES, key="add_status", format_func=value)
        c1.selectbox(
            T("add.lang"),
            userdocs.LANGUAGES,
            key="add_lang",
            # a Dutch-speaking user most likely adds a Dutch text (a Belgian or Dutch bill)
            index=userdocs.LANGUAGES.index(lang if lang in userdocs.LANGUAGES else "en"),
            format_func=value,
        )
        c2.text_input(T("add.url"), key="add_url", max_chars=500)
        c1.text_input(T("add.adopted"), key="add_adopted", max_chars=10)
        none = T("add.no_second")
        c1.selectbox(
            T("add.second_lang"),
            [None, *userdocs.LANGUAGES],
            key="add_lang2",
            format_func=lambda v: none if v is None else value(v),
        )
        c2.selectbox(
            T("add.parser"),
            parsers,
            key="add_parser",
            format_func=labels("add.parser.", keep=set(parsers) - {"auto", "pdf:two-column"}),
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
    if adopted and not is_iso_date(adopted):
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
    # "automatic" is `kb add`'s default too: every parser of the file's type, the one finding the
    # most provisions (it was the first parser of the type, which refused an "Article 1" text)
    parser = ss.add_parser
    bilingual = parser == userdocs.parser_label(*userdocs.TWO_COLUMN)
    if bilingual and not ss.get("add_lang2"):
        st.error(T("add.needs_second"))
        return
    if ss.get("add_lang2") and not bilingual:
        st.error(T("add.second_needs_layout"))
        return
    with st.status(T("add.working"), expanded=True) as status:
        try:
            say = lambda m: status.write(ex.plain(message_text(ss.lang, m)))  # noqa: E731
            if bilingual:  # the left column in the language above, the right one in the second
                results = userdocs.add_bilingual(
                    data, name, content, meta, ss.add_lang2, progress=say
                )
                result = dataclasses.replace(
                    results[0],
                    doc_id=" + ".join(r.doc_id for r in results),
                    units=sum(r.units for r in results),
                )
            else:
                result = userdocs.add_document(
                    data, name, content, meta, parser=parser, progress=say
                )
        except (KBError, ValueError, OSError) as exc:
            status.update(state="error")
            st.error(T("add.failed") + " " + ex.plain(message_text(ss.lang, exc)))
            return
        except Exception as exc:  # a parser bug must not show a traceback; it is logged
            log.exception("adding %s failed", name)
            status.update(state="error")
            st.error(T("add.failed") + " " + ex.plain(f"{type(exc).__name__}: {exc}"))
            return
        status.update(state="complete")
    message = T("add.done", doc=ex.plain(result.doc_id), units=result.units)
    for citation, first, last in result.merged:  # several provisions read as one?
        message += "  \n" + T("add.merged", citation=ex.plain(citation), first=first, last=last)
    ss.add_message = ("ok", message)
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
            ss.rm_confirm = doc_id  # one click asks; it does not delete
        if editing and ss.get("rm_confirm") == doc_id:
            st.warning(T("corpus.remove_confirm", doc=ex.plain(entry["short_title"]), id=doc_id))
            yes, no = st.columns([1, 1])
            if no.button(T("corpus.remove_cancel"), key=f"rm-no-{doc_id}"):
                ss.rm_confirm = None
                st.rerun()
            if yes.button(T("corpus.remove_yes"), key=f"rm-yes-{doc_id}", type="primary"):
                ss.rm_confirm = None
                try:
                    userdocs.remove_document(data, doc_id)
                except (KBError, ValueError, OSError) as exc:
                    st.error(ex.plain(message_text(ss.lang, exc)))
                    return
                ss.add_message = ("ok", T("corpus.removed", doc=ex.plain(doc_id)))
                st.rerun()
