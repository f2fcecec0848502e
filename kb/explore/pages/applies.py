"""The "Does it apply to us?" page: a company profile → every instrument's verdict, each reason
with its pinpoint citation and the words of that provision, verbatim."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from kb.explore import views as ex
from kb.explore.pages.shared import T, open_in_reader

ss = st.session_state
VERDICT_ICONS = {"yes": "✓", "no": "✗", "unknown": "?"}


def page_applies(data, version: str, corpus: ex.Corpus) -> None:
    st.header(T("applies.title"))
    st.caption(T("applies.hint"))
    with st.form("applies_form", border=False):
        c1, c2, c3 = st.columns(3)
        c1.text_input(T("applies.country"), key="ap_country", max_chars=2, placeholder="DE")
        c2.number_input(T("applies.employees"), key="ap_employees", min_value=0, step=100)
        c3.number_input(T("applies.turnover"), key="ap_turnover", min_value=0.0, step=1e6)
        c4, c5, c6 = st.columns(3)
        c4.number_input(T("applies.in_country"), key="ap_in_country", min_value=0, value=None)
        c5.number_input(T("applies.eu_turnover"), key="ap_eu_turnover", min_value=0.0, value=None)
        c6.number_input(T("applies.royalties"), key="ap_royalties", min_value=0.0, value=None)
        c7, c8 = st.columns(2)
        c7.text_input(T("applies.employees_in"), key="ap_employees_in", placeholder="DE=1200")
        c8.date_input(T("applies.date"), key="ap_date", value=dt.date.today())
        submitted = st.form_submit_button(T("applies.go"), key="applies_go", type="primary")
    if not (submitted or ss.get("ap_done")):
        return
    ss.ap_done = True
    result = _verdicts(corpus)
    if result is None:
        return
    rows = [
        {
            T("applies.instrument"): entry["short_title"],
            T("applies.verdict"): f"{VERDICT_ICONS.get(entry['applies'], '')} {entry['applies']}",
            T("applies.from"): entry.get("from") or "",
            T("applies.why"): "; ".join(
                f"{r['text']} ({r['citation']})" for r in entry["reasons"][:2]
            ),
        }
        for entry in result["instruments"]
    ]
    st.dataframe(rows, hide_index=True)
    for entry in result["instruments"]:
        label = f"{entry['short_title']} — {entry['applies']}"
        with st.expander(ex.plain(label)):
            for n, reason in enumerate(entry["reasons"]):
                st.markdown(f"- {ex.plain(reason['text'])} — **{ex.plain(reason['citation'])}**")
                unit = corpus.unit(reason["doc_id"], reason["unit_id"])
                if unit is not None:
                    st.caption(ex.plain(unit.text[:1500]))  # the words that decide it
                    st.button(
                        T("hit.open"),
                        key=f"ap-open-{entry['family']}-{n}",
                        on_click=open_in_reader,
                        args=(reason["doc_id"], reason["unit_id"]),
                    )


def _verdicts(corpus: ex.Corpus) -> dict | None:
    """``kb.compare.applies.applies`` for the profile in the form; a bad field is a message."""
    from types import SimpleNamespace

    from kb.compare.applies import applies, parse_profile
    from kb.errors import KBError
    from kb.service import PROFILE_FIELDS

    others = [p.strip() for p in (ss.get("ap_employees_in") or "").split(",") if p.strip()]
    values = {
        "country": (ss.get("ap_country") or "").strip(),
        "employees": ss.get("ap_employees"),
        "turnover": ss.get("ap_turnover"),
        "date": (ss.get("ap_date") or dt.date.today()).isoformat(),
        "employees_in_country": ss.get("ap_in_country"),
        "employees_in": others,
        "eu_turnover": ss.get("ap_eu_turnover"),
        "royalties": ss.get("ap_royalties"),
    }
    try:
        profile = parse_profile(SimpleNamespace(**{**PROFILE_FIELDS, **values}))
        units = {(u.doc_id, u.unit_id): u for u in corpus.units}
        return applies(profile, corpus.records, units)
    except KBError as exc:
        st.warning(ex.plain(str(exc).replace("--", "")))
        return None
