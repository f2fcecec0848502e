"""The "Does it apply to us?" page: a company profile → every instrument's verdict, each reason
with its pinpoint citation and the words of that provision, verbatim."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from kb.explore import views as ex
from kb.explore.pages.shared import T, open_in_reader
from kb.explore.ui_text import FORM_FIELDS, message_text, title_label, value_label

ss = st.session_state
VERDICT_ICONS = {"yes": "✓", "no": "✗", "unknown": "?", "not-yet": "⏳"}


def page_applies(data, version: str, corpus: ex.Corpus) -> None:
    st.header(T("applies.title"))
    st.caption(T("applies.hint"))
    # defaults in the session (a shared link may have set them): widgets get no second default
    for key, value in (("ap_employees", 0), ("ap_turnover", 0.0), ("ap_date", dt.date.today())):
        ss.setdefault(key, value)
    for key in ("ap_in_country", "ap_eu_turnover", "ap_royalties"):
        ss.setdefault(key, None)
    ss["ap_turnover"] = float(ss["ap_turnover"])
    with st.form("applies_form", border=False):
        c1, c2, c3 = st.columns(3)
        c1.text_input(T("applies.country"), key="ap_country", max_chars=2, placeholder="DE")
        c2.number_input(T("applies.employees"), key="ap_employees", min_value=0, step=100)
        c3.number_input(T("applies.turnover"), key="ap_turnover", min_value=0.0, step=1e6)
        c4, c5, c6 = st.columns(3)
        c4.number_input(T("applies.in_country"), key="ap_in_country", min_value=0)
        c5.number_input(T("applies.eu_turnover"), key="ap_eu_turnover", min_value=0.0)
        c6.number_input(T("applies.royalties"), key="ap_royalties", min_value=0.0)
        c7, c8 = st.columns(2)
        c7.text_input(T("applies.employees_in"), key="ap_employees_in", placeholder="DE=1200")
        c8.date_input(T("applies.date"), key="ap_date")
        submitted = st.form_submit_button(T("applies.go"), key="applies_go", type="primary")
    if ss.get("ap_dropped"):  # a shared link's values that did not read (even if none did)
        dropped = [T(FORM_FIELDS[field]) for field in ss.ap_dropped]
        if submitted:
            del ss["ap_dropped"]
        else:
            st.warning(T("applies.dropped", fields=", ".join(f"“{f}”" for f in dropped)))
    if not (submitted or ss.get("ap_done")):
        return
    ss.ap_done = True
    result = _verdicts(corpus)
    if result is None:
        return
    rows = [
        {
            T("applies.instrument"): entry["short_title"],
            T("applies.verdict"): f"{VERDICT_ICONS.get(entry['applies'], '')} "
            + value_label(ss.lang, entry["applies"]),
            T("applies.from"): entry.get("from") or "",
            T("applies.why"): "; ".join(
                f"{reason_text(r)} ({r['citation']})" for r in entry["reasons"][:2]
            ),
        }
        for entry in result["instruments"]
    ]
    st.dataframe(rows, hide_index=True)
    render_timeline(corpus, result)
    for entry in result["instruments"]:
        label = f"{entry['short_title']} — {value_label(ss.lang, entry['applies'])}"
        with st.expander(ex.plain(label)):
            for n, reason in enumerate(entry["reasons"]):
                st.markdown(
                    f"- {ex.plain(reason_text(reason))} — **{ex.plain(reason['citation'])}**"
                )
                unit = corpus.unit(reason["doc_id"], reason["unit_id"])
                if unit is not None:
                    st.caption(ex.plain(unit.text[:1500]))  # the words that decide it
                    st.button(
                        T("hit.open"),
                        key=f"ap-open-{entry['family']}-{n}",
                        on_click=open_in_reader,
                        args=(reason["doc_id"], reason["unit_id"]),
                    )


def reason_text(reason: dict) -> str:
    """A reason in the interface language, naming the form field a missing input goes in (the
    CLI's words name its options: "needs --eu-turnover"), after the duty it is about when the
    act has several (``duty``); a reason without its parts (a phase-in wave, a note) as the
    rules word it."""
    from kb.compare.applies import rule_text

    text = _condition_text(reason)
    return f"{rule_text(reason['duty'], ss.lang)}: {text}" if reason.get("duty") else text


def _condition_text(reason: dict) -> str:
    from kb.compare.applies import is_input, rule_text

    kind = reason.get("kind")
    if kind == "wording":  # the timeline: a new wording of an act starts
        version = title_label(ss.lang, reason["version"])
        return T("applies.reason.wording", version=version, date=reason["begins"])
    if kind == "not-adopted":  # a date before the text existed
        return T("applies.reason.not_adopted", date=reason["date"], adopted=reason["adopted"])
    if kind in ("met", "not-met"):
        return T(f"applies.reason.{kind}", condition=rule_text(reason["condition"], ss.lang))
    if kind != "unknown":
        return rule_text(reason["text"], ss.lang)
    missing = reason["missing"]
    if not is_input(missing):
        # the rule's words: "public-interest status, balance-sheet total …"
        what = rule_text(missing, ss.lang)
    elif missing.startswith("employees_in:"):
        country = missing.split(":", 1)[1]
        own = country == (ss.get("ap_country") or "").strip().upper()
        field = T("applies.in_country") if own else T("applies.employees_in")
        what = T("applies.reason.field_for", field=field, country=country)
    else:
        what = T("applies.reason.field", field=T(FORM_FIELDS[missing]))
    return T("applies.reason.unknown", what=what, condition=rule_text(reason["condition"], ss.lang))


def _verdicts(corpus: ex.Corpus) -> dict | None:
    """``kb.compare.applies.applies`` for the profile in the form; a bad field is a message."""
    from types import SimpleNamespace

    from kb.compare.applies import applies, parse_profile
    from kb.errors import KBError
    from kb.service import PROFILE_FIELDS

    values = {
        "country": (ss.get("ap_country") or "").strip(),
        "employees": ss.get("ap_employees"),
        "turnover": ss.get("ap_turnover"),
        "date": (ss.get("ap_date") or dt.date.today()).isoformat(),
        "employees_in_country": ss.get("ap_in_country"),
        "employees_in": [ss.get("ap_employees_in") or ""],
        "eu_turnover": ss.get("ap_eu_turnover"),
        "royalties": ss.get("ap_royalties"),
    }
    try:
        profile = parse_profile(SimpleNamespace(**{**PROFILE_FIELDS, **values}))
        units = {(u.doc_id, u.unit_id): u for u in corpus.units}
        return applies(profile, corpus.records, units)
    except KBError as exc:
        st.warning(ex.plain(message_text(ss.lang, exc)))
        return None


#: dates in the timeline's tooltips as everywhere else (ISO), not the browser's "Apr 17, 2025"
DATE = "%Y-%m-%d"
#: the years the timeline spans (the corpus's acts run from 2011 to phase-ins in 2029)
TIMELINE = ("2015-01-01", "2032-01-01")
VERDICT_COLOURS = {
    "yes": "#2e7d32",
    "not-yet": "#f9a825",
    "no": "#9e9e9e",
    "unknown": "#90caf9",
    "not-adopted": "#eeeeee",
}


def render_timeline(corpus: ex.Corpus, result: dict) -> None:
    """Instruments × years for this profile: a bar per period with the same verdict (from the
    same rules, checked at every date where a wave or a wording starts), a tick where a
    threshold, a phase-in wave or a new wording starts — hover for the provision."""
    import altair as alt

    from kb.compare.applies import Profile, timeline

    p = result["profile"]
    profile = Profile(**{**p, "date": result["date"]})
    units = {(u.doc_id, u.unit_id): u for u in corpus.units}
    lines = timeline(profile, corpus.records, units, *TIMELINE)
    bars, ticks = [], []
    for line in lines:
        for seg in line["segments"]:
            why = seg["reason"] or {}
            bars.append(
                {
                    "instrument": line["short_title"],
                    "from": seg["from"],
                    "to": seg["to"],
                    "verdict": value_label(ss.lang, seg["applies"]),
                    "why": f"{reason_text(why)} ({why['citation']})" if why else "",
                }
            )
        for mark in line["marks"]:
            ticks.append(
                {
                    "instrument": line["short_title"],
                    "date": mark["date"],
                    "what": f"{reason_text(mark)} ({mark['citation']})",
                }
            )
    order = [line["short_title"] for line in lines]
    # instrument names whole ("Modern Slavery Act 2015, s. 54" was cut to "Modern Slavery A…")
    y = alt.Y("instrument:N", sort=order, title=None, axis=alt.Axis(labelLimit=320))
    colour = alt.Color(
        "verdict:N",
        scale=alt.Scale(
            domain=[value_label(ss.lang, v) for v in VERDICT_COLOURS],
            range=list(VERDICT_COLOURS.values()),
        ),
        title=T("applies.verdict"),
    )
    chart = (
        alt.Chart(alt.Data(values=bars))
        .mark_bar(height=14)
        .encode(
            # year-month, in no language (the axis's own labels were English month names)
            x=alt.X("from:T", title=None, axis=alt.Axis(format="%Y-%m")),
            x2="to:T",
            y=y,
            color=colour,
            tooltip=[
                alt.Tooltip("instrument:N", title=T("applies.instrument")),
                alt.Tooltip("verdict:N", title=T("applies.verdict")),
                alt.Tooltip("from:T", title=T("applies.from"), format=DATE),
                alt.Tooltip("to:T", title=T("applies.to"), format=DATE),
                alt.Tooltip("why:N", title=T("applies.why")),
            ],
        )
    )
    marks = (
        alt.Chart(alt.Data(values=ticks))
        .mark_tick(color="black", thickness=2)
        .encode(
            x="date:T",
            y=y,
            tooltip=[
                alt.Tooltip("instrument:N", title=T("applies.instrument")),
                alt.Tooltip("date:T", title=T("applies.starts"), format=DATE),
                alt.Tooltip("what:N", title=T("applies.what")),
            ],
        )
    )
    today = (
        alt.Chart(alt.Data(values=[{"date": result["date"]}]))
        .mark_rule(strokeDash=[4, 4])
        .encode(x="date:T")
    )
    st.subheader(T("applies.timeline"))
    st.caption(T("applies.timeline_hint"))
    st.altair_chart(chart + marks + today, width="stretch")
