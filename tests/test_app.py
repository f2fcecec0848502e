"""The explorer, page by page, headless (streamlit.testing.v1.AppTest) on the real corpus and index;
plus the pure view helpers of kb.explore.views it is laid out from."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from kb.explore import views as ex
from tests.fakes import copy_data

APP = str(Path(__file__).resolve().parent.parent / "app.py")
XSS = "<script>alert(1)</script> <img src=x onerror=alert(1)>"
SNIPPET_HTML = re.compile(r'<div class="lf-snippet">(?:[^<>]|</?mark>)*</div>')
SYNTHETIC = f"""Widget Safety Act (a synthetic test document, not law)
1. Widgets
Lorem ipsum dolor sit amet, every widget maker shall keep a register of sprockets.
2. Gadgets
Consectetur adipiscing elit {XSS} gadget suppliers shall report quarterly on cogs.
3. Sprocket complaints
Sed do eiusmod tempor: a sprocket complaints desk shall answer within ten days.
"""


def make_app(monkeypatch, data: Path, **params) -> AppTest:
    monkeypatch.setenv("LEVELFIELD_DATA", str(data))
    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def texts(at: AppTest) -> list[str]:
    return [m.value for m in [*at.markdown, *at.caption]]


def assert_inert(at: AppTest) -> None:
    """No exception, and the only HTML the app asked to render is an escaped search snippet."""
    assert not at.exception, [e.value for e in at.exception]
    for element in [*at.markdown, *at.caption]:
        if element.proto.allow_html:
            assert SNIPPET_HTML.fullmatch(element.value), element.value
    everything = "\n".join(texts(at) + [e.value for e in [*at.warning, *at.error, *at.info]])
    assert "<script" not in everything and "<img" not in everything


def param(at: AppTest, name: str) -> str | None:
    value = at.query_params.get(name)
    return value[-1] if isinstance(value, list) else value


def frame_with(at: AppTest, column: str):
    """The first dataframe shown with a column called ``column``."""
    return next(df.value for df in at.dataframe if column in list(df.value.columns))


# --------------------------------------------------------------------------- pages


@pytest.mark.slow
def test_search_from_the_url_shows_cited_results(monkeypatch, indexed_data):
    at = make_app(monkeypatch, indexed_data, q="complaints procedure")
    assert_inert(at)
    assert at.text_input(key="q").value == "complaints procedure"
    # the hit cites the paragraph of Art. 14 that answers ("CSDDD Art. 14(1)"), not the article
    citations = [t for t in texts(at) if re.match(r"\*\*CSDDD Art\\\. 14[\\(*]", t)]
    assert citations, texts(at)[:20]
    assert any(SNIPPET_HTML.fullmatch(m.value) and "<mark>" in m.value for m in at.markdown)
    assert len(at.get("download_button")) == 3
    assert param(at, "q") == "complaints procedure" and param(at, "page") == "search"


@pytest.mark.slow
def test_an_everyday_question_gets_no_good_match_and_its_results_one_click_away(
    monkeypatch, indexed_data
):
    at = make_app(monkeypatch, indexed_data, q="recipe for chocolate cake")
    assert_inert(at)
    assert any(i.value.startswith("No good match") for i in at.info)
    assert not any(SNIPPET_HTML.fullmatch(m.value) for m in at.markdown)  # no result list
    at.toggle[0].set_value(True).run()
    assert any(SNIPPET_HTML.fullmatch(m.value) for m in at.markdown)
    # a question about the law gets its results and no such switch
    at = make_app(monkeypatch, indexed_data, q="complaints procedure")
    assert not any(i.value.startswith("No good match") for i in at.info)
    assert not any(t.label.startswith("Show the nearest") for t in at.toggle)


@pytest.mark.slow
def test_counterparts_of_one_result_open_in_place_and_keep_the_selection(monkeypatch, indexed_data):
    """The counterparts toggle lives in a fragment: the result list and the export stay."""
    at = make_app(monkeypatch, indexed_data, q="complaints procedure")
    toggle = next(
        t
        for t in at.toggle
        if t.key.startswith("cp-eu-csddd-") and re.search(r"/art-14(\.|$)", t.key)
    )
    at.checkbox(key="sel-" + toggle.key[3:]).uncheck().run()
    toggle = next(t for t in at.toggle if t.key == toggle.key)
    toggle.set_value(True).run()
    assert_inert(at)
    shown = "\n".join(texts(at))
    assert "*Counterparts in other instruments*" in shown
    assert "**LkSG**" in shown  # an LkSG counterpart of CSDDD Art. 14 (complaints)
    assert re.search(r"\*\*LkSG\*\*: \[[^\]]+\]\(\?[^)]*page=reader[^)]*doc=de-lksg-2021", shown)
    assert any(t.startswith("**CSDDD Art\\. 14") for t in texts(at))  # the list is still there
    assert at.checkbox(key="sel-" + toggle.key[3:]).value is False


@pytest.mark.slow
def test_does_it_apply_to_us_cites_the_deciding_provision_verbatim(monkeypatch, indexed_data):
    at = make_app(monkeypatch, indexed_data, page="applies")
    assert_inert(at)
    at.text_input(key="ap_country").input("DE")
    at.number_input(key="ap_employees").set_value(1500)
    at.number_input(key="ap_turnover").set_value(500_000_000.0)
    at.date_input(key="ap_date").set_value("2026-06-01")
    at.button(key="applies_go").click().run()
    assert_inert(at)
    table = frame_with(at, "Applies")
    lksg = list(table["Instrument"]).index("LkSG")
    assert "LkSG § 1 Abs. 1" in table["Why (provision)"][lksg]
    corpus = ex.load_corpus(indexed_data)
    words = ex.plain(corpus.unit("de-lksg-2021", "sec-1.par-1").text[:1500])
    assert words in [c.value for c in at.caption]  # the provision's words, verbatim
    # a missing input is named by its form field, not by the CLI's option ("--eu-turnover")
    at.text_input(key="ap_country").input("US")
    at.number_input(key="ap_employees").set_value(20000)
    at.number_input(key="ap_turnover").set_value(2_000_000_000.0)
    at.button(key="applies_go").click().run()
    table = frame_with(at, "Applies")
    why = table["Why (provision)"][list(table["Instrument"]).index("CSDDD")]
    assert "the field “Net turnover in the EU (EUR, non-EU companies)”" in why, why
    assert "--" not in "".join(table["Why (provision)"])
    at.text_input(key="ap_country").input("D1")
    at.button(key="applies_go").click().run()
    assert_inert(at)
    assert any("D1" in w.value and "country code" in w.value for w in at.warning)


@pytest.mark.slow
def test_a_shared_link_opens_the_verdicts_and_the_timeline(monkeypatch, indexed_data):
    """The profile travels in the URL: the page answers at once, with the timeline chart."""
    link = dict(
        page="applies",
        country="DE",
        employees="1500",
        in_country="1500",
        turnover="500000000",
        date="2026-06-01",
    )
    at = make_app(monkeypatch, indexed_data, **link)
    assert_inert(at)
    table = frame_with(at, "Applies")
    lksg = list(table["Instrument"]).index("LkSG")
    assert table["Applies"][lksg].endswith("yes")
    assert at.get("vega_lite_chart"), "no timeline chart"
    assert {k: param(at, k) for k in link} == link  # the URL still describes this profile
    # the Dutch interface gives the verdicts in Dutch, in the table and the expanders
    nl = make_app(monkeypatch, indexed_data, **link, lang="nl")
    table = frame_with(nl, "Van toepassing")
    assert table["Van toepassing"][list(table["Instrument"]).index("LkSG")] == "✓ ja"
    assert any(e.label == "LkSG — ja" for e in nl.expander)
    why = table["Waarom (bepaling)"][list(table["Instrument"]).index("LkSG")]
    assert why.startswith("voldaan: minstens 1\u00a0000 werknemers in Duitsland"), why
    # … and in the timeline's tooltips: Dutch field names, ISO dates, a new wording in Dutch
    spec = nl.get("vega_lite_chart")[0].proto.spec
    assert '"title": "Van toepassing"' in spec and '"title": "Begint"' in spec
    assert '"format": "%Y-%m-%d"' in spec
    assert '"axis": {"format": "%Y-%m"}' in spec  # not "April", "July" in a Dutch page
    assert "tekst van CSDDD" in spec and "wording of" not in spec
    bad = make_app(monkeypatch, indexed_data, page="applies", employees="-5", date="someday")
    assert_inert(bad)
    assert not bad.get("vega_lite_chart")  # nothing usable in the link: the empty form …
    said = " ".join(w.value for w in bad.warning)  # … saying which values it could not read
    assert "Employees in total (group)" in said and "As at" in said


@pytest.mark.slow
def test_search_form_filters_and_open_in_reader(monkeypatch, indexed_data):
    at = make_app(monkeypatch, indexed_data)
    at.text_input(key="q").input("klachtenprocedure")
    at.multiselect(key="f_jur").set_value(["DE"])
    at.button(key="search_go").click().run()
    assert_inert(at)
    headers = [t for t in texts(at) if t.startswith("#### ")]
    assert headers == ["#### LkSG"]
    assert param(at, "jur") == "DE"
    open_button = next(
        b for b in at.button if b.key and b.key.startswith("open-de-lksg-2021/sec-8")
    )
    open_button.click().run()
    assert_inert(at)
    assert at.sidebar.radio(key="page").value == "reader"
    assert any(t.startswith("### LkSG § 8") for t in texts(at))
    assert param(at, "doc") == "de-lksg-2021"
    at.button(key="back").click().run()  # back to the same results
    assert_inert(at)
    assert at.sidebar.radio(key="page").value == "search"
    assert at.text_input(key="q").value == "klachtenprocedure"
    assert [t for t in texts(at) if t.startswith("#### ")] == ["#### LkSG"]
    # a provision opened from the comparison goes back to the comparison, not to the search
    at.sidebar.radio(key="page").set_value("compare").run()
    at.multiselect(key="topics").set_value(["grievance-mechanism"]).run()
    opener = next(b for b in at.button if b.key and b.key.startswith("cmp-") and "sec-8" in b.key)
    opener.click().run()
    assert_inert(at)
    assert at.sidebar.radio(key="page").value == "reader"
    assert at.button(key="back").label == "← Back to “Compare”"
    at.button(key="back").click().run()
    assert at.sidebar.radio(key="page").value == "compare"


@pytest.mark.slow
def test_compare_shows_matrix_field_summary_scope_table_and_missing_columns(
    monkeypatch, indexed_data
):
    at = make_app(monkeypatch, indexed_data, topic="grievance-mechanism")
    assert_inert(at)
    assert at.sidebar.radio(key="page").value == "compare"
    assert [h.value for h in at.subheader[:2]] == ["Obligation matrix", "Grievance mechanism"]
    matrix = frame_with(at, "Element")
    # one column per act among the instruments chosen (the default choice); the CSDDD, chosen
    # as adopted and as consolidated, in the version in force, the other one pick away
    assert list(matrix.columns) == [
        "Element",
        "CSDDD (consolidated 2026-03-18)",
        "LkSG",
        "Loi de vigilance",
        "UNGPs",
        "Wet zorgplicht kinderarbeid",
        "Belgisch wetsvoorstel zorgplicht",
    ]
    row = list(matrix["Element"]).index("Is a complaints / alert mechanism required?")
    assert matrix["LkSG"][row].startswith("✓") and "LkSG § 8" in matrix["LkSG"][row]
    assert matrix["Loi de vigilance"][row].startswith("✓")  # the alert mechanism, 4°
    assert matrix["Wet zorgplicht kinderarbeid"][row] == "not in local corpus"
    switch = at.selectbox(key="mx-version-eu-csddd-2024-1760")
    assert len(switch.options) == 5 and "CSDDD · as adopted 2024-06-13" in switch.options
    assert switch.value == "eu-csddd-2024-1760-consolidated-2026-03-18"
    switch.set_value("eu-csddd-2024-1760").run()
    assert_inert(at)
    # the act as adopted, named so (an export's heading read "CSDDD" whichever version it was)
    assert "CSDDD (as adopted 2024-06-13)" in frame_with(at, "Element").columns
    table = frame_with(at, "Provisions")
    provisions = " ".join(table["Provisions"])
    assert "CSDDD Art. 14" in provisions and "LkSG § 8" in provisions
    assert "Not in local corpus" in provisions
    assert "Not in local corpus." in [i.value for i in at.info]
    thresholds = " ".join(frame_with(at, "Thresholds")["Thresholds"])
    assert "(CSDDD Art. 2(1)(a))" in thresholds  # every number with its provision
    assert "(LkSG § 1 Abs. 1)" in thresholds
    heat = next(df for df in at.dataframe if "heatmap" in df.proto.id)
    assert heat.proto.selection_mode  # cells can be clicked: a click opens the cell
    lksg = list(heat.value.index).index("LkSG")
    at.session_state["heatmap"] = {"selection": {"cells": [[lksg, "Grievance mechanism"]]}}
    at.run()
    assert_inert(at)
    assert "LkSG § 8 — Beschwerdeverfahren · Obligation" in [e.label for e in at.expander]
    # the click shows exactly the provisions the cell counts
    count = heat.value["Grievance mechanism"]["LkSG"]
    heat_keys = [b.key for b in at.button if b.key and b.key.startswith("heat-grievance")]
    assert len(heat_keys) == count > 1, count
    assert len(at.get("download_button")) == 6  # matrix (3) and comparison (3) exports
    # the instruments' cards stand at most four in a row, however many instruments are compared
    from kb.explore.pages.compare import CARDS_PER_ROW

    assert len(matrix.columns) - 1 > CARDS_PER_ROW
    assert min(c.weight for c in at.columns) >= 1 / CARDS_PER_ROW - 1e-9
    # choosing one version of the act above makes it the column's version (and the heatmap
    # cell clicked above, now past the table's rows, must not break the page)
    at.multiselect(key="cmp_docs").set_value(
        ["eu-csddd-2024-1760-consolidated-2025-04-17", "de-lksg-2021"]
    )
    at.run()
    assert_inert(at)
    assert at.selectbox(key="mx-version-eu-csddd-2024-1760").value.endswith("2025-04-17")
    assert list(frame_with(at, "Element").columns) == [
        "Element",
        "CSDDD (consolidated 2025-04-17)",
        "LkSG",
    ]


def test_the_matrix_lists_what_the_policy_advice_says_on_the_topic(monkeypatch, indexed_data):
    at = make_app(monkeypatch, indexed_data, topic="public-procurement")
    assert_inert(at)
    advice = [c.value for c in at.caption if "What the policy advice says" in c.value]
    assert len(advice) == 1 and "[SERV\\-advies 4\\.3](?page=reader" in advice[0]
    assert "&unit=sec-4-3)" in advice[0]
    assert "overheidsopdrachten" in advice[0]


@pytest.mark.slow
def test_matrix_cell_opens_its_quote_and_differences_mark_the_baseline(monkeypatch, indexed_data):
    at = make_app(monkeypatch, indexed_data, topic="civil-liability")
    at.selectbox(key="mx_open").set_value(
        next(o for o in at.selectbox(key="mx_open").options if "LkSG" in o and "civil liab" in o)
    )
    at.run()
    assert_inert(at)
    assert any("begründet keine zivilrechtliche Haftung" in c.value for c in at.caption)
    at.toggle(key="mx_diff").set_value(True)
    at.selectbox(key="mx_base").set_value("eu-csddd-2024-1760")
    at.run()
    assert_inert(at)
    matrix = frame_with(at, "Element")
    cells = " ".join(" ".join(matrix[c]) for c in matrix.columns if c != "Element")
    assert "[absent]" in cells or "[weaker]" in cells or "[stricter]" in cells
    # the marks are explained on the page, as in the exports
    assert any("Each cell is marked against" in c.value for c in at.caption)


@pytest.mark.slow
def test_the_matrix_settings_survive_a_page_switch_and_travel_in_the_link(
    monkeypatch, indexed_data
):
    """A version picked, the differences toggle and a baseline were lost after a visit to
    another page (the column fell back to the act as adopted), and a link did not hold them."""
    version = "mx-version-eu-csddd-2024-1760"
    at = make_app(monkeypatch, indexed_data, topic="grievance-mechanism")
    at.selectbox(key=version).set_value("eu-csddd-2024-1760-consolidated-2025-04-17").run()
    at.toggle(key="mx_diff").set_value(True).run()
    at.selectbox(key="mx_base").set_value("de-lksg-2021").run()
    assert_inert(at)
    at.sidebar.radio(key="page").set_value("search").run()
    at.sidebar.radio(key="page").set_value("compare").run()
    assert_inert(at)
    assert at.selectbox(key=version).value == "eu-csddd-2024-1760-consolidated-2025-04-17"
    assert at.toggle(key="mx_diff").value is True
    assert at.selectbox(key="mx_base").value == "de-lksg-2021"
    assert "CSDDD (consolidated 2025-04-17)" in frame_with(at, "Element").columns
    assert (param(at, "diff"), param(at, "base"), param(at, "v")) == (
        "1",
        "de-lksg-2021",
        "eu-csddd-2024-1760-consolidated-2025-04-17",
    )
    shared = make_app(
        monkeypatch,
        indexed_data,
        page="compare",
        topic="grievance-mechanism",
        diff="1",
        base="de-lksg-2021",
        v="eu-csddd-2024-1760-consolidated-2025-04-17",
    )
    assert_inert(shared)
    assert shared.selectbox(key=version).value == "eu-csddd-2024-1760-consolidated-2025-04-17"
    assert shared.toggle(key="mx_diff").value is True
    assert shared.selectbox(key="mx_base").value == "de-lksg-2021"


@pytest.mark.parametrize(
    ("doc", "unit", "says"),
    [
        ("nosuchdoc", "art-1", "The link asks for a document “nosuchdoc”"),
        ("de-lksg-2021", "sec-999", "This document has no provision “sec-999”"),
        ("de-lksg-2021", "sec-8.par-9", "shown instead: LkSG § 8"),  # the nearest provision
        ("de-lksg-2021", "sec-8.par-1", None),  # a link that holds: nothing to say
    ],
)
def test_a_reader_link_to_a_provision_the_corpus_lacks_says_so(
    monkeypatch, indexed_data, doc, unit, says
):
    at = make_app(monkeypatch, indexed_data, page="reader", doc=doc, unit=unit)
    assert_inert(at)
    warnings = [w.value.replace("\\", "") for w in at.warning]  # Markdown escapes
    if says is None:
        assert warnings == [] and at.selectbox(key="r_unit").value == unit
        return
    assert any(says in w for w in warnings), warnings
    at.run()  # said once, for the link; not again on the next click
    assert not any(says in w.value.replace("\\", "") for w in at.warning)


def test_an_act_since_amended_is_labelled_as_adopted_not_amended_on_its_date(indexed_data):
    from corpus.manifest import manifest_for
    from kb.explore.views import version_label

    records = manifest_for(indexed_data)
    assert version_label(records["eu-csddd-2024-1760"]) == "CSDDD · as adopted 2024-06-13"
    assert (
        version_label(records["eu-csddd-2024-1760-fr"], "nl")
        == "CSDDD (FR) · zoals aangenomen 2024-06-13 (tekst van 2025-11-10)"
    )


@pytest.mark.slow
def test_reader_opens_csddd_article_14_with_parallel_french_and_diff(monkeypatch, indexed_data):
    at = make_app(monkeypatch, indexed_data, doc="eu-csddd-2024-1760", unit="art-14")
    assert_inert(at)
    assert at.selectbox(key="r_unit").value == "art-14"
    headings = [t for t in texts(at) if t.startswith("### ")]
    assert headings[0] == "### CSDDD Art\\. 14 — Notification mechanism and complaints procedure"
    assert headings[1].startswith("### CSDDD art\\. 14 — Mécanisme de notification")
    assert any("Member States shall ensure that companies enable" in t for t in texts(at))
    assert any(re.search(r"\d+ changed, \d+ added, \d+ deleted", t) for t in texts(at))
    # each change is headed by the provision's citation (also one this version lacks), not its id
    changes = [
        t for t in texts(at) if re.match(r"\*\*[^*]+\*\* .* — \*(changed|added|deleted)\*", t)
    ]
    assert changes and all(t.startswith("**CSDDD Art\\. ") for t in changes), changes[:3]
    at.radio(key="r_version").set_value("eu-csddd-2024-1760-consolidated-2026-03-18").run()
    assert_inert(at)
    assert param(at, "doc") == "eu-csddd-2024-1760-consolidated-2026-03-18"
    assert param(at, "unit") == "art-14"


@pytest.mark.slow
def test_corpus_page_lists_present_and_missing_instruments(monkeypatch, indexed_data):
    at = make_app(monkeypatch, indexed_data, page="corpus")
    assert_inert(at)
    present = frame_with(at, "Provisions parsed")
    assert "LkSG" in set(present["Instrument"])
    missing = at.dataframe[1].value
    assert "https://www.dekamer.be/FLWB/PDF/55/1903/55K1903001.pdf" in set(
        missing["Official source"]
    )
    # the file types `kb add` reads (Markdown and JSON were refused by the page)
    accepted = set(at.file_uploader(key="add_file").proto.type)
    assert {".pdf", ".html", ".txt", ".md", ".json"} <= accepted, accepted
    lksg = present[present["Instrument"] == "LkSG"].iloc[0]
    assert (lksg["Type"], lksg["Status"], lksg["Language"]) == (
        "national law",
        "in force",
        "German",
    )
    # the Dutch interface shows the manifest's values in Dutch, in the table and the form
    at = make_app(monkeypatch, indexed_data, page="corpus", lang="nl")
    lksg = at.dataframe[0].value.iloc[[list(at.dataframe[0].value.iloc[:, 0]).index("LkSG")]]
    assert list(lksg.iloc[0, 2:5]) == ["nationale wet", "van kracht", "Duits"]
    assert at.selectbox(key="add_type").format_func("bill") == "wetsvoorstel"


@pytest.mark.slow
def test_a_public_explorer_adds_documents_only_with_the_admin_token(monkeypatch, indexed_data):
    monkeypatch.setenv("LEVELFIELD_PUBLIC", "1")
    monkeypatch.delenv("LEVELFIELD_ADMIN_TOKEN", raising=False)
    at = make_app(monkeypatch, indexed_data, page="corpus")
    assert_inert(at)
    assert "adding and removing documents is switched off" in at.info[0].value
    assert not at.get("file_uploader") and not at.warning
    # a token too short to be used says so (the page said only "switched off")
    monkeypatch.setenv("LEVELFIELD_ADMIN_TOKEN", "short")
    at = make_app(monkeypatch, indexed_data, page="corpus")
    assert "shorter than 12 characters" in at.warning[0].value and not at.get("file_uploader")
    monkeypatch.setenv("LEVELFIELD_ADMIN_TOKEN", "synthetic-token-123")
    at = make_app(monkeypatch, indexed_data, page="corpus")
    assert not at.get("file_uploader")
    at.text_input(key="admin_token").input("wrong-token-456").run()
    assert "not the admin token" in at.error[0].value and not at.get("file_uploader")
    at.text_input(key="admin_token").input("synthetic-token-123").run()
    assert at.file_uploader(key="add_file") is not None


def test_edit_access_modes():
    assert ex.edit_access({}) == "local"
    assert ex.edit_access({"LEVELFIELD_PUBLIC": "1"}) == "off"
    assert ex.edit_access({"LEVELFIELD_PUBLIC": "1", "LEVELFIELD_ADMIN_TOKEN": "short"}) == "off"
    env = {"LEVELFIELD_PUBLIC": "yes", "LEVELFIELD_ADMIN_TOKEN": "synthetic-token-123"}
    assert ex.edit_access(env) == "token"
    assert ex.token_ok("synthetic-token-123", env) and not ex.token_ok("synthetic-token-12", env)
    assert not ex.token_ok("", env) and not ex.token_ok("x" * 19, {})


@pytest.mark.slow
def test_dutch_interface_keeps_legal_texts_in_their_language(monkeypatch, indexed_data):
    at = make_app(monkeypatch, indexed_data, q="klachtenprocedure", lang="nl")
    assert_inert(at)
    assert at.header[0].value == "Zoek in de bepalingen"
    assert any("Notification mechanism and complaints procedure" in t for t in texts(at))
    # numbers with the Dutch decimal mark ("relevantie 0.53" had a point)
    shown = " ".join(c.value for c in at.caption)
    assert re.search(r"relevantie 0,\d\d", shown) and not re.search(r"relevantie 0\.", shown)
    at.sidebar.radio(key="lang").set_value("en").run()
    assert at.header[0].value == "Search the provisions"
    assert re.search(r"relevance 0\.\d\d", " ".join(c.value for c in at.caption))


def test_a_linked_query_over_the_limit_is_told_the_limit_not_cut(monkeypatch, indexed_data):
    """A 5,600-character ``q`` was cut to 4,000 characters and searched without a word."""
    at = make_app(monkeypatch, indexed_data, q="klachtenprocedure " * 330, lang="nl")
    assert_inert(at)
    said = " ".join(w.value for w in at.warning)
    assert "4" in said and "000" in said and "5" in said, said
    assert len(at.text_input(key="q").value) > 4000


@pytest.mark.slow
@pytest.mark.parametrize(
    ("params", "header"),
    [
        ({"page": "compare", "topic": "sanctions"}, "Instrumenten vergelijken"),
        ({"doc": "de-lksg-2021", "unit": "sec-8"}, "Een instrument lezen"),
        ({"page": "corpus"}, "Het corpus"),
    ],
)
def test_every_page_renders_in_dutch(monkeypatch, indexed_data, params, header):
    at = make_app(monkeypatch, indexed_data, lang="nl", **params)
    assert_inert(at)
    assert at.header[0].value == header
    if params.get("page") == "corpus":  # the source notes' labels too ("completeness:")
        notes = " ".join(texts(at))
        assert "volledigheid\\:" in notes and "completeness\\:" not in notes  # escaped ":"


def test_the_reader_speaks_dutch_and_lists_what_a_policy_text_says(monkeypatch, indexed_data):
    """The reader's requirements of an instrument ask the element questions in Dutch; a policy
    text (no column of the matrix) lists what it says per topic, quoted, with its citation."""
    from kb.compare.elements import elements

    at = make_app(monkeypatch, indexed_data, doc="de-lksg-2021", unit="sec-8", lang="nl")
    assert_inert(at)
    required = next(e for e in elements() if e.element == "grievance.required")
    lines = texts(at)
    assert any(ex.plain(required.questions["nl"]) in t for t in lines)
    assert not any(ex.plain(required.question) in t for t in lines)
    at = make_app(monkeypatch, indexed_data, doc="be-serv-advies-2021", unit="sec-4-3")
    assert_inert(at)
    assert "What this policy text says, topic by topic" in " ".join(e.label for e in at.expander)
    lines = texts(at)
    assert any("Public procurement" in t and "unit=sec-4-3" in t for t in lines), lines
    assert any("overheidsopdrachten" in t for t in lines)


@pytest.mark.slow
def test_xss_in_the_query_is_inert(monkeypatch, indexed_data):
    at = make_app(monkeypatch, indexed_data, q=f"{XSS} complaints")
    assert_inert(at)
    assert at.text_input(key="q").value == f"{XSS} complaints"


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "second"),
    [
        (SYNTHETIC, "**WSA 2**"),
        # "Article N" numbering: the first parser of a .txt (sections) finds nothing in it; the
        # form's "automatic" tries every parser of the type, as `kb add` does
        (re.sub(r"^(\d)\. ", r"Article \1 ", SYNTHETIC, flags=re.M), r"**WSA Art\. 2**"),
    ],
)
def test_uploaded_document_appears_in_search_and_renders_inertly(
    monkeypatch, indexed_data, tmp_path, text, second
):
    data = copy_data(indexed_data, tmp_path / "data")
    at = make_app(monkeypatch, data, page="corpus")
    at.file_uploader(key="add_file").set_value(("widgets.txt", text.encode(), "text/plain"))
    values = {"add_title": "Widget Safety Act (synthetic)", "add_short": "Widget Safety Act"}
    values |= {"add_cite": "WSA", "add_jur": "XX", "add_url": "https://example.org/wsa"}
    for key, value in values.items():
        at.text_input(key=key).input(value)
    at.button(key="add_submit").click().run()
    assert_inert(at)
    assert any("Added user\\-widget\\-safety\\-act: 3 provisions" in s.value for s in at.success)
    at.sidebar.radio(key="page").set_value("search").run()
    at.text_input(key="q").input("gadget suppliers report quarterly on cogs")
    at.button(key="search_go").click().run()
    assert_inert(at)
    assert "#### Widget Safety Act" in texts(at)
    assert any(t.startswith(second) for t in texts(at)), texts(at)
    snippets = [m.value for m in at.markdown if m.proto.allow_html]
    assert any("&lt;script&gt;alert(1)&lt;/script&gt;" in s for s in snippets)


@pytest.mark.slow
def test_failed_upload_shows_a_clear_error_and_changes_nothing(monkeypatch, indexed_data, tmp_path):
    data = copy_data(indexed_data, tmp_path / "data")
    before = (data / "units.jsonl").read_bytes()
    at = make_app(monkeypatch, data, page="corpus")
    at.file_uploader(key="add_file").set_value(
        ("bill.pdf", b"plain text, not a PDF", "application/pdf")
    )
    for key, value in {
        "add_title": "T",
        "add_short": "T",
        "add_jur": "BE",
        "add_url": "https://x.be",
    }.items():
        at.text_input(key=key).input(value)
    at.button(key="add_submit").click().run()
    assert_inert(at)
    assert any("looks like txt" in e.value for e in at.error)
    assert (data / "units.jsonl").read_bytes() == before


@pytest.mark.slow
def test_missing_or_stale_index_gives_a_friendly_message(
    monkeypatch, data_dir, indexed_data, tmp_path
):
    bare = copy_data(data_dir, tmp_path / "bare", with_index=False)
    at = make_app(monkeypatch, bare, q="complaints procedure")
    assert_inert(at)
    assert "not been built" in at.warning[0].value
    assert at.code[0].value == "python -m kb build"
    stale = copy_data(indexed_data, tmp_path / "stale")
    summary = (stale / "ingest.json").read_text().replace('"corpus_hash": "', '"corpus_hash": "x')
    (stale / "ingest.json").write_text(summary)
    at = make_app(monkeypatch, stale, q="complaints procedure")
    assert_inert(at)
    assert "older than the parsed corpus" in at.warning[0].value


# a damaged index file, and a link with an impossible date: a message, never a traceback
DAMAGED_INDEX = [
    ("index.json", b"[1]", "damaged"),
    ("dense.faiss", b"\x00" * 100, "cannot be used"),
    ("chunks.jsonl", b'{"chunk_id": ', "cannot be used"),
]


@pytest.mark.slow
@pytest.mark.parametrize("name, content, words", DAMAGED_INDEX, ids=[d[0] for d in DAMAGED_INDEX])
def test_a_damaged_index_names_the_repair_command(
    monkeypatch, indexed_data, tmp_path, name, content, words
):
    data = copy_data(indexed_data, tmp_path / "data")
    (data / "index" / name).write_bytes(content)
    at = make_app(monkeypatch, data, q="complaints procedure")
    assert_inert(at)
    assert words in at.warning[0].value
    assert at.code[0].value == "python -m kb build --force"


@pytest.mark.slow
def test_an_impossible_as_at_date_in_the_link_is_ignored(monkeypatch, indexed_data):
    at = make_app(monkeypatch, indexed_data, q="x liability", as_at="2024-13-45")
    assert_inert(at)
    assert at.date_input(key="f_as_at").value is None


def test_no_corpus_at_all(monkeypatch, tmp_path):
    at = make_app(monkeypatch, tmp_path)
    assert not at.exception
    assert "no parsed corpus" in at.error[0].value
    assert "python -m kb ingest" in at.code[0].value


# --------------------------------------------------------------------------- view helpers


def test_every_interface_text_exists_in_both_languages_with_the_same_placeholders():
    from string import Formatter

    from kb.explore.ui_text import TEXTS, tr

    fields = lambda text: {f for _, f, _, _ in Formatter().parse(text) if f}  # noqa: E731
    for key, (en, nl) in TEXTS.items():
        assert en.strip() and nl.strip(), key
        assert fields(en) == fields(nl), key
    assert tr("nl", "page.search") == "Zoeken" and tr("fr", "page.search") == "Search"


def test_plain_makes_markdown_and_html_inert():
    assert (
        ex.plain(XSS)
        == "\\<script\\>alert\\(1\\)\\</script\\> \\<img src\\=x onerror\\=alert\\(1\\)\\>"
    )
    assert ex.plain("$x$ :red[y] **b**") == "\\$x\\$ \\:red\\[y\\] \\*\\*b\\*\\*"
    assert ex.plain("a\n\nb") == "a  \nb"


SNIPPETS = [
    ("a <mark>complaint</mark> &amp; b &lt;script&gt;", True),  # what the searcher produces
    ("<script>alert(1)</script>", False),  # raw tag
    ("<mark onclick=x>a</mark>", False),  # attributes on the allowed tag
    ("&#60;script", False),  # numeric entity that could hide a tag
]


@pytest.mark.parametrize(("snippet", "safe"), SNIPPETS)
def test_safe_snippet(snippet, safe):
    assert (ex.safe_snippet(snippet) is not None) is safe


def test_url_state_round_trip(manifest):
    from kb.compare.topics import topic_ids

    params = {"q": "klachten", "jur": "DE,EU,XX", "as_at": "2026-01-01", "lang": "nl"}
    state = ex.state_from_params(params, manifest, topic_ids())
    assert state == {
        "page": "search",
        "lang": "nl",
        "q": "klachten",
        "f_jur": ["DE", "EU"],
        "f_as_at": "2026-01-01",
    }
    assert ex.params_for(state) == {
        "page": "search",
        "lang": "nl",
        "q": "klachten",
        "jur": "DE,EU",
        "as_at": "2026-01-01",
    }
    state = ex.state_from_params({"topic": "scope,nonsense"}, manifest, topic_ids())
    assert state == {"page": "compare", "topics": ["scope"]}
    state = ex.state_from_params({"doc": "de-lksg-2021", "unit": "sec-8"}, manifest, topic_ids())
    assert ex.params_for(state) == {"page": "reader", "doc": "de-lksg-2021", "unit": "sec-8"}
    assert ex.state_from_params({"doc": "../../etc"}, manifest, topic_ids()) == {"page": "search"}


def test_index_status(data_dir, indexed_data, tmp_path):
    assert ex.index_status(indexed_data)[0] == "ok"
    assert ex.index_status(copy_data(data_dir, tmp_path / "a", with_index=False))[0] == "missing"
    assert ex.index_status(tmp_path)[0] == "no-units"


def test_linked_recitals_and_neighbours(units):
    by_doc = [u for u in units if u.doc_id == "eu-csddd-2024-1760"]
    art = next(u for u in by_doc if u.unit_id == "art-29")
    assert all(r.kind == "rec" for r in ex.linked_recitals(by_doc, art))
    assert ex.neighbours(["a", "b", "c"], "b") == ("a", "c")
    assert ex.neighbours(["a"], "z") == (None, None)
    ids = ["art-1", "art-14", "art-14.par-2"]
    assert ex.closest_unit(ids, "art-14.par-2.pt-a") == "art-14.par-2"  # nearest ancestor
    assert ex.closest_unit(ids, "rec-60") == "art-1"  # not in this version: the first provision


@pytest.mark.slow
def test_a_reader_link_to_a_text_not_fetched_shows_its_other_language(monkeypatch, indexed_data):
    """A link to the English COM(2022) 71 (listed, not available offline) showed UNGP 1 and
    did not mention the French text the corpus has, nor the official source."""
    at = make_app(monkeypatch, indexed_data, page="reader", doc="eu-com-2022-71", unit="art-1")
    assert_inert(at)
    assert at.session_state["r_doc"] == "eu-com-2022-71-fr"
    warning = " ".join(w.value for w in at.warning)
    assert "not in the local corpus" in warning and "CELEX:52022PC0071" in warning, warning


def test_reader_links_an_amended_provision_to_the_amending_provision(monkeypatch, indexed_data):
    """CSDDD Art. 22 (the climate transition plan) as adopted was deleted by Omnibus I: the
    reader says so and links the amending point (read from the Omnibus text itself)."""
    at = make_app(monkeypatch, indexed_data, page="reader", doc="eu-csddd-2024-1760", unit="art-22")
    assert_inert(at)
    notes = [c.value for c in at.caption if c.value.startswith("Amendment:")]
    assert any("deleted" in n and "Directive 2026/470 Art\\. 4\\(16\\)" in n for n in notes), notes
    # the consolidated version shows it deleted, with no force label
    at = make_app(
        monkeypatch,
        indexed_data,
        page="reader",
        doc="eu-csddd-2024-1760-consolidated-2026-03-18",
        unit="art-22",
    )
    assert at.warning and not any(c.value.startswith("Deontic force:") for c in at.caption)
    notes = [c.value for c in at.caption if c.value.startswith("Amendment:")]
    # the amended provision by its citation, not its unit id ("art-22")
    assert any(n.startswith("Amendment: CSDDD Art\\. 22 deleted") for n in notes), notes
    assert any("?page=reader&doc=eu-omnibus-2026-470&unit=art-4.pt-16" in n for n in notes), notes
    # the version diff names the amending provision of each change, the most specific first
    corpus = ex.load_corpus(indexed_data)
    consolidated = "eu-csddd-2024-1760-consolidated-2026-03-18"
    first = corpus.amended_by(consolidated, "art-29.par-1")[0]
    assert (first["action"], first["citation"]) == ("deleted", "Directive 2026/470 Art. 4(20)(a)")
    assert first["target_citation"].startswith("CSDDD Art. 29(")
    words = corpus.unit("eu-omnibus-2026-470", first["amending_unit"]).text
    assert "deleted" in words  # the amending point itself says so


@pytest.mark.parametrize(
    "doc, unit, expected",
    [
        # the point itself
        (
            "eu-omnibus-2026-470",
            "art-4.pt-16",
            [("CSDDD Art. 22", "deleted", "eu-csddd-2024-1760")],
        ),
        # a point of "Article 6 is amended as follows": its own link, not its holder's
        (
            "eu-omnibus-2026-470",
            "art-4.pt-5.pt-a",
            [("CSDDD Art. 6(1)", "replaced", "eu-csddd-2024-1760")],
        ),
        # an inserted provision is cited in the latest consolidation in the result's language
        (
            "eu-omnibus-2026-470-fr",
            "art-4.pt-6.pt-b",
            [("CSDDD art. 8(2a)", "inserted", "eu-csddd-2024-1760-consolidated-2026-03-18-fr")],
        ),
        ("eu-omnibus-2026-470", "rec-47", []),  # a recital amends nothing
        ("eu-csddd-2024-1760", "art-22", []),  # nor does the amended act
    ],
)
def test_an_amending_provision_names_what_it_changes(indexed_data, doc, unit, expected):
    corpus = ex.load_corpus(indexed_data)
    found = [(c["citation"], c["action"], c["shown_doc"]) for c in corpus.amends(doc, unit)]
    assert found == expected


@pytest.mark.slow
@pytest.mark.parametrize(
    "lang, amends, deleted", [("en", "Amends:", "deleted"), ("nl", "Wijzigt:", "geschrapt")]
)
def test_a_result_in_an_amending_act_names_what_it_changes(
    monkeypatch, indexed_data, lang, amends, deleted
):
    """An amending point says only "Article 22 is deleted": the result names and links the
    provision it changes, in the interface's language."""
    query = "Omnibus deletion of the CSDDD climate transition plan obligation"
    at = make_app(monkeypatch, indexed_data, q=query, lang=lang)
    assert_inert(at)
    notes = [c.value for c in at.caption if c.value.startswith(amends)]
    assert any(
        "CSDDD Art\\. 22" in n and f") {deleted}" in n and "doc=eu-csddd-2024-1760&unit=art-22" in n
        for n in notes
    ), notes


@pytest.mark.slow
def test_reader_shows_what_the_instrument_requires_with_its_words(monkeypatch, indexed_data):
    """The reader's matrix section for the LkSG: the complaints element answered from § 8 with
    the deciding words, which occur verbatim in that provision."""
    from kb.compare.cache import load_matrix

    at = make_app(monkeypatch, indexed_data, page="reader", doc="de-lksg-2021", unit="sec-8")
    assert_inert(at)
    cell = next(
        c
        for c in load_matrix(indexed_data)["cells"]
        if c["doc_id"] == "de-lksg-2021" and c["element"] == "grievance.required"
    )
    shown = texts(at)
    assert any(t.startswith("- ✓") and "LkSG § 8" in t for t in shown), shown
    assert ex.plain(f"“{cell['quote']}”") in shown
    unit = ex.load_corpus(indexed_data).unit("de-lksg-2021", cell["quote_unit"])
    assert cell["quote"] in unit.text


@pytest.mark.slow
def test_the_dutch_interface_translates_manifest_values_and_placeholders(monkeypatch, indexed_data):
    at = make_app(monkeypatch, indexed_data, q="klachtenprocedure", lang="nl")
    assert_inert(at)
    status = at.multiselect(key="f_status")
    assert "gewijzigd" in status.options and "amended" not in status.options
    assert "nationale wet" in at.multiselect(key="f_type").options
    assert all(m.placeholder == "Alle" for m in at.multiselect)
    captions = [c.value for c in at.caption]
    assert not any(w in c for c in captions for w in ("national\\-law", " amended ", "in\\-force"))
    assert any(
        "richtlijn" in c for c in captions
    )  # "EU · richtlijn · zoals aangenomen 2024-06-13 · en"


@pytest.mark.slow
def test_a_bilingual_print_is_added_from_the_corpus_page(monkeypatch, indexed_data, tmp_path):
    """The same code as `kb add --layout pdf:two-column`: two documents from one upload."""
    from corpus.manifest import manifest_for
    from tests.fakes import text_pdf
    from tests.test_loader_pdf import WIDGET_FR, WIDGET_NL

    data = copy_data(indexed_data, tmp_path / "data")
    at = make_app(monkeypatch, data, page="corpus")
    pdf = text_pdf([(WIDGET_NL, WIDGET_FR)])
    at.file_uploader(key="add_file").set_value(("wetsvoorstel.pdf", pdf, "application/pdf"))
    values = {"add_title": "Wetsvoorstel widgets (synthetisch)", "add_short": "Widgetwet"}
    values |= {"add_cite": "WW", "add_jur": "XX", "add_url": "https://example.org/ww"}
    for key, value in values.items():
        at.text_input(key=key).input(value)
    at.selectbox(key="add_lang").set_value("nl")
    at.selectbox(key="add_parser").set_value("pdf:two-column")
    at.button(key="add_submit").click().run()
    assert_inert(at)
    assert any("needs the language of its right column" in e.value for e in at.error)
    at.selectbox(key="add_lang2").set_value("fr")
    at.button(key="add_submit").click().run()
    assert_inert(at)
    assert any("user\\-widgetwet \\+ user\\-widgetwet\\-fr" in s.value for s in at.success), [
        s.value for s in at.success
    ]
    records = manifest_for(data)
    assert records["user-widgetwet-fr"].translation_of == "user-widgetwet"


@pytest.mark.slow
def test_a_cell_decided_on_the_parallel_language_version_says_so(
    monkeypatch, request, indexed_data
):
    """A cell decided on another language version of the text (``decided_in``; the vocabulary
    now reaches every element in the corpus's own versions, so the matrix is given one such
    cell here): the opened cell says which version decided, by its title."""
    from kb.compare import cache as matrix_cache

    real = matrix_cache.load_matrix

    def with_a_carried_cell(*args, **kwargs):
        matrix = real(*args, **kwargs)
        for cell in matrix["cells"]:
            if (cell["doc_id"], cell["element"]) == (
                "eu-csddd-2024-1760-consolidated-2026-03-18",
                "public-procurement.criterion",
            ):
                cell["decided_in"] = "eu-csddd-2024-1760-consolidated-2026-03-18-fr"
        return matrix

    from kb.explore.pages.shared import load_obligation_matrix

    monkeypatch.setattr(matrix_cache, "load_matrix", with_a_carried_cell)
    load_obligation_matrix.clear()  # the app keeps the matrix per process
    request.addfinalizer(load_obligation_matrix.clear)
    at = make_app(monkeypatch, indexed_data, topic="public-procurement")
    option = next(
        o
        for o in at.selectbox(key="mx_open").options
        if "public procurement or public support" in o and "CSDDD" in o
    )
    at.selectbox(key="mx_open").set_value(option)
    at.run()
    assert_inert(at)
    captions = " ".join(c.value for c in at.caption)
    assert "Decided on the parallel language version CSDDD \\(FR" in captions, captions


def test_a_second_part_of_a_provision_is_shown_right_after_its_first():
    """``group_hits``: results grouped by instrument, a ``sibling_of`` hit under its first part."""
    from indexing.search import Hit
    from kb.explore.views import group_hits

    def hit(rank, doc_id, unit_id, sibling_of=None):
        return Hit(
            rank,
            doc_id,
            unit_id,
            unit_id,
            "",
            "",
            "",
            0.1,
            "en",
            "EU",
            "",
            "",
            sibling_of=sibling_of,
        )

    hits = [
        hit(1, "widget-act", "art-3.par-1"),
        hit(2, "gadget-bill", "sec-2"),
        hit(3, "widget-act", "art-9"),
        hit(4, "widget-act", "art-3.par-4", sibling_of=1),
    ]
    grouped = group_hits(hits)
    assert [(d, [h.unit_id for h in hs]) for d, hs in grouped] == [
        ("widget-act", ["art-3.par-1", "art-3.par-4", "art-9"]),
        ("gadget-bill", ["sec-2"]),
    ]


def test_every_value_a_user_can_pick_or_see_has_its_dutch_label():
    """The add-a-document form's statuses, types and languages and the manifest's values."""
    from corpus.manifest import INSTRUMENT_TYPES, default_manifest
    from kb import userdocs
    from kb.explore.ui_text import VALUE_TEXTS

    records = default_manifest().values()
    values = {*userdocs.STATUSES, *INSTRUMENT_TYPES, *userdocs.LANGUAGES}
    values |= {r.status for r in records} | {r.language for r in records}
    assert sorted(v for v in values if v not in VALUE_TEXTS) == []


def test_two_versions_of_one_act_chosen_say_they_share_one_column(monkeypatch, indexed_data):
    """Choosing CSDDD as adopted and its 2026 consolidation gave one "CSDDD" column without a
    word, while the topic summary named both."""
    docs = "eu-csddd-2024-1760,eu-csddd-2024-1760-consolidated-2026-03-18,de-lksg-2021"
    at = make_app(monkeypatch, indexed_data, topic="grievance-mechanism", **{"in": docs})
    assert_inert(at)
    said = " ".join(i.value for i in at.info)
    assert "Several versions of CSDDD are chosen" in said, said
    at = make_app(monkeypatch, indexed_data, topic="grievance-mechanism", **{"in": "de-lksg-2021"})
    assert not any("Several versions" in i.value for i in at.info)


@pytest.mark.slow
def test_removing_a_document_asks_first(monkeypatch, indexed_data, tmp_path):
    """One click on "Remove" deleted a document and its uploaded file for good; it now asks."""
    from kb import userdocs

    data = copy_data(indexed_data, tmp_path / "data")
    text = "Draft Widget Bill (synthetic, not law)\n1. Widgets\nWidget makers shall keep a log.\n"
    meta = userdocs.NewDocument(
        title="Draft Widget Bill (synthetic)",
        short_title="Draft Widget Bill",
        jurisdiction="XX",
        instrument_type="bill",
        language="en",
        official_url="https://example.org/draft-widget-bill",
    )
    doc_id = userdocs.add_document(data, "widget.txt", text.encode(), meta).doc_id
    at = make_app(monkeypatch, data, page="corpus")
    at.button(key=f"rm-{doc_id}").click().run()
    assert_inert(at)
    assert doc_id in {e["doc_id"] for e in userdocs.user_records(data)}  # not yet
    assert any("cannot be undone" in w.value for w in at.warning)
    at.button(key=f"rm-no-{doc_id}").click().run()
    assert doc_id in {e["doc_id"] for e in userdocs.user_records(data)}
    at.button(key=f"rm-{doc_id}").click().run()
    at.button(key=f"rm-yes-{doc_id}").click().run()
    assert_inert(at)
    assert doc_id not in {e["doc_id"] for e in userdocs.user_records(data)}
    assert any(f"Removed {doc_id}" in s.value.replace("\\", "") for s in at.success)
