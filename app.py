"""Levelfield explorer.  Run: ``streamlit run app.py``

Pages: Search, Compare, "Does it apply to us?", Reader, Corpus (with "add a document"); exports wherever provisions are
shown. This file picks the page; the page layouts are in ``kb.explore.pages`` and what to show is
decided in ``kb.explore.views`` (pure, tested).

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
import streamlit as st

from kb.errors import StoreError
from kb.explore import views as ex
from kb.explore.pages.applies import page_applies
from kb.explore.pages.compare import page_compare
from kb.explore.pages.corpus import page_corpus
from kb.explore.pages.reader import page_reader
from kb.explore.pages.search import page_search
from kb.explore.pages.shared import (
    BUILD_COMMANDS,
    T,
    init_state,
    load_corpus,
    sidebar,
    ss,
    sync_url,
)
from kb.store import data_version
from kb.userdocs import recover

# --------------------------------------------------------------------------- main

PAGES = {
    "search": page_search,
    "compare": page_compare,
    "applies": page_applies,
    "reader": page_reader,
    "corpus": page_corpus,
}


def main() -> None:
    st.set_page_config(page_title="Levelfield", page_icon="⚖️", layout="wide")
    data = ex.data_folder()
    recover(data)  # an add or removal killed half-way: undone before anything is read
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
