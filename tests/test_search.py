"""Search on the real corpus with the real multilingual model: CLI contract, errors, oracles."""

import datetime as dt
import json

import numpy as np
import pytest

from indexing.search import Filters, Searcher
from kb.cli import main
from kb.compare.versions import act_of, visible_at
from kb.numbering import is_within, top_level
from kb.store import read_units

RESULT_KEYS = {
    "rank",
    "doc_id",
    "unit_id",
    "citation",
    "heading",
    "text",
    "score",
    "language",
    "jurisdiction",
    "url",
}


@pytest.fixture(scope="module")
def searcher(indexed_data):
    return Searcher(indexed_data)


def test_search_json_contract(indexed_data, capsys):
    argv = [
        "--data",
        str(indexed_data),
        "search",
        "klachtenprocedure voor vakbonden",
        "--k",
        "5",
        "--json",
    ]
    assert main(argv) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["query"] == "klachtenprocedure voor vakbonden"
    assert 1 <= len(out["results"]) <= 5
    assert all(RESULT_KEYS <= set(r) for r in out["results"])
    assert [r["rank"] for r in out["results"]] == list(range(1, len(out["results"]) + 1))


def test_batch_contract(indexed_data, tmp_path, capsys):
    batch = tmp_path / "queries.jsonl"
    batch.write_text(
        '{"id": "q1", "query": "maximum fine based on worldwide turnover"}\n'
        '{"id": "q2", "query": "Grundsatzerklärung"}\n'
        '{"id": "q3", "query": "   "}\n',
        encoding="utf-8",
    )
    assert (
        main(["--data", str(indexed_data), "search", "--json", "--batch", str(batch), "--k", "3"])
        == 1
    )
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["id"] for line in lines] == ["q1", "q2", "q3"]
    assert all(RESULT_KEYS <= set(r) for r in lines[0]["results"])
    assert "empty" in lines[2]["error"]
    assert lines[2]["no_good_match"] is None and lines[2]["results"] == []  # the same shape
    assert lines[0]["no_good_match"] is False


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["search", ""], "the query is empty"),
        (["search", "x" * 10_000], "limit is 4000"),
        (["search", "a " * 3_000], "limit is 4000"),  # junk is told the limit too, not "no match"
        (["search", "complaints", "--as-at", "20270101"], "not an ISO date"),
        (["search", "the of and , ."], "no searchable words"),
        (["search", "complaints", "--jurisdiction", "XX"], "unknown jurisdiction"),
        (["search", "complaints", "--as-at", "yesterday"], "not an ISO date"),
        (["search", "complaints", "--model", "minilm"], "was built with model 'e5'"),
        (["search", "complaints", "--model", "nope"], "'nope' is no model here"),
    ],
)
def test_bad_input_is_a_clear_message_and_exit_1(indexed_data, capsys, argv, message):
    assert main(["--data", str(indexed_data), *argv]) == 1
    captured = capsys.readouterr()
    assert message in captured.err and "Traceback" not in captured.err


def test_missing_index_is_a_clear_message(data_dir, tmp_path, capsys):
    (tmp_path / "units.jsonl").write_bytes((data_dir / "units.jsonl").read_bytes())
    assert main(["--data", str(tmp_path), "search", "complaints"]) == 1
    assert "python -m kb build" in capsys.readouterr().err


def test_dense_top_k_equals_brute_force(searcher):
    index = searcher.index
    query = searcher.embedder.encode_queries(["civil liability of companies for damage"])
    scores, ids = index.faiss_index.search(query, 10)
    brute = index.vectors @ query[0]
    assert np.allclose(scores[0], np.sort(brute)[::-1][:10], atol=1e-4)


# Real queries of the product brief; each must find its provision in the top 5 (any version).
ORACLE = [
    ("klachtenprocedure voor vakbonden", "eu-csddd-2024-1760", "art-14"),
    ("maximum fine based on worldwide turnover", "eu-csddd-2024-1760", "art-27"),
    ("Grundsatzerklärung", "de-lksg-2021", "sec-6"),
]


@pytest.mark.parametrize(("query", "doc_prefix", "unit"), ORACLE)
def test_brief_queries_find_their_provision(searcher, query, doc_prefix, unit):
    hits = searcher.search(query, k=5)
    found = [(d, h.unit_id) for h in hits for d in (h.doc_id, *h.also_in)]
    assert any(
        d.startswith(doc_prefix) and (u == unit or u.startswith(unit + ".")) for d, u in found
    ), found
    assert all(h.citation and h.url.startswith("https://") for h in hits)


# Pinpoint: a query about what one paragraph says is answered by that paragraph, not its article
# (the issue's own examples: limitation period, retention of documentation, full-time equivalents).
PINPOINT = [
    ("limitation period for bringing actions for damages", "eu-csddd-2024-1760", "art-29.par-3"),
    ("wie lange muss die Dokumentation aufbewahrt werden", "de-lksg-2021", "sec-10.par-1"),
    ("full-time equivalent employees part-time workers count", "eu-csddd-2024-1760", "art-2.par-4"),
    # the point of a definition's list that holds the date, not the definition holding the list
    ("EUDR cut-off date for deforestation", "eu-deforestation-2023-1115", "art-2.pt-13.pt-a"),
]


# A query that asks for a number ("how long …", "hoe hoog …", "combien de salariés") is answered
# by a provision that states one (``indexing.lexicon.answer_kinds``, ``kb.compare.facts``).
ANSWER_KINDS = [
    ("innen hvilken frist må virksomheten svare på et informasjonskrav", {"period", "date"}),
    ("wie lange muss die Dokumentation aufbewahrt werden", {"period", "date"}),
    ("hoe hoog kan de boete zijn onder de Duitse wet", {"fine-max", "fine-percent", "amount"}),
    # "which fine" asks for the fine (the definitions of § 2 had come first, for "riskeert")
    ("welke boete riskeert een Duits bedrijf", {"fine-max", "fine-percent", "amount"}),
    ("quelle amende pour une entreprise allemande", {"fine-max", "fine-percent", "amount"}),
    ("binnen welke termijn moet een Noors bedrijf antwoorden op een informatieverzoek", {"period"}),
    ("à partir de combien de salariés la loi allemande s'applique-t-elle", {"employees"}),
    ("Anwendungsbereich: Schwellenwert Arbeitnehmer", {"employees"}),
    ("which companies must publish a modern slavery statement", set()),
]
# "when" as a question of date, not as a conjunction or a condition. The date kind is only a
# preference: "When do companies … have to start complying with the due diligence directive"
# still gets Art. 7(1) first (with "… the CSDDD": Art. 37(1)), so these are not in the search
# test below.
WHEN_KINDS = [
    (
        "When do companies actually have to start complying with the due diligence directive",
        {"date"},
    ),
    ("ab wann gilt das Gesetz für Unternehmen mit 1000 Arbeitnehmern", {"date"}),
    ("wann tritt die Richtlinie in Kraft", {"date"}),
    ("what must we do when a supplier uses forced labour", set()),
    ("Wann haftet ein Unternehmen für Schäden bei Zulieferern", set()),
]


@pytest.mark.parametrize(("query", "kinds"), ANSWER_KINDS + WHEN_KINDS)
def test_answer_kinds(query, kinds):
    from indexing.lexicon import answer_kinds

    assert kinds <= answer_kinds(query)
    assert bool(kinds) == bool(answer_kinds(query))


# Instruments a query names: by name, country, authority, or what only that instrument
# regulates (EUDR commodities, the Swiss conflict minerals), in any language.
NAMED = [
    ("welke boete riskeert een bedrijf onder de Duitse wet", ["de-lksg-2021"]),
    ("hvor lenge kan ofre vente før de saksøker etter EU-direktivet", ["eu-csddd-2024-1760*"]),
    ("må vi sende inn en erklæring før vi selger kakao", ["eu-deforestation-2023-1115"]),
    ("Sorgfaltspflichten für Zinn und Tantal", ["ch-*"]),
    # the Åpenhetsloven's own right to information
    ("kan vi avslå et innsynskrav fra en journalist", ["no-transparency-act-2021*"]),
    ("which companies must publish a statement", []),
]


@pytest.mark.parametrize(("query", "named"), NAMED)
def test_instruments_named(query, named):
    from indexing.lexicon import instruments_named

    assert instruments_named(query) == named


# A concept of the team's lexicon in a query: every word of one of its terms, or — in German,
# Dutch and Norwegian — a one-word term inside a compound word of the query.
CONCEPTS = [
    ("Beschwerdeverfahren nach dem LkSG", "complaints"),
    ("Bußgeldobergrenze nach der Richtlinie", "sanctions"),
    ("bøtetak etter åpenhetsloven", "sanctions"),
    ("Kinderarbeitsverbot in der Lieferkette", "child-forced-labour"),
    ("klachtenregeling voor werknemers", "complaints"),
    # a term of three letters stands only as a word of its own ("bot", not "botanikk")
    ("botanikk og hagebruk", None),
    # compounds are read in the compounding languages only: not the English "finest"
    ("the finest hour", None),
]


@pytest.mark.parametrize(("query", "concept"), CONCEPTS)
def test_matching_concepts_reads_compound_words(query, concept):
    from indexing.lexicon import matching_concepts

    found = matching_concepts(query)
    assert (concept in found) if concept else found == [], found


@pytest.mark.parametrize(("query", "kinds"), [(q, k) for q, k in ANSWER_KINDS if k])
def test_a_query_asking_for_a_number_gets_a_provision_stating_one(searcher, query, kinds):
    from indexing.lexicon import answer_kinds
    from kb.compare.facts import scan

    first = searcher.search(query, k=1)[0]
    stated = {raw[0] for raw in scan(first.text, first.language)}
    assert stated & answer_kinds(query), (first.doc_id, first.unit_id, stated)


@pytest.mark.parametrize(("query", "doc_prefix", "unit"), PINPOINT)
def test_hits_cite_the_paragraph_that_answers(searcher, query, doc_prefix, unit):
    hits = searcher.search(query, k=3)
    cited = [(h.doc_id, h.unit_id) for h in hits]
    assert any(
        d.startswith(doc_prefix) and (u == unit or u.startswith(unit + ".")) for d, u in cited
    ), cited
    hit = next(h for h in hits if h.unit_id.startswith(unit))
    unit_text = {(u.doc_id, u.unit_id): u.text for u in read_units(searcher.data)}
    assert hit.text == unit_text[(hit.doc_id, hit.unit_id)]  # the paragraph's own words


@pytest.mark.parametrize("query", [q for q, _, _ in PINPOINT] + ["complaints procedure"])
def test_one_result_per_provision_of_an_act_whatever_its_versions(searcher, query):
    hits = searcher.search(query, k=10)
    provisions = [
        (act_of(searcher.records, h.doc_id), top_level(h.unit_id))
        for h in hits
        if h.sibling_of is None
    ]
    assert len(provisions) == len(set(provisions)), provisions
    for hit in hits:
        act = act_of(searcher.records, hit.doc_id)
        assert all(act_of(searcher.records, d) == act for d in hit.also_in), hit


@pytest.mark.parametrize("query", [q for q, _, _ in PINPOINT])
def test_the_first_result_also_shows_its_next_parts_in_place_of_a_repeated_act(searcher, query):
    """``siblings`` 2: the first result's next parts in its pinpoint ranking are results of
    their own, at the end: other parts of the same provision (none inside or around another),
    each in place of a result of the lower half whose act is already listed — the instruments
    shown stay the same. The limitation-period question gets Art. 29(5) beside Art. 29(3)(a)."""
    import dataclasses

    hits = searcher.search(query, k=10)
    siblings = [h for h in hits if h.sibling_of is not None]
    assert len(siblings) <= 2 and all(h.sibling_of == 1 for h in siblings)
    assert hits[len(hits) - len(siblings) :] == siblings  # at the end
    without = Searcher(
        searcher.data,
        embedder=searcher.embedder,
        settings=dataclasses.replace(searcher.settings, siblings=0),
    )
    plain = without.search(query, k=10)
    # the first half of a list is never displaced, however short the list
    short = [(h.doc_id, h.unit_id) for h in searcher.search(query, k=3)[:2]]
    assert short == [(h.doc_id, h.unit_id) for h in without.search(query, k=3)[:2]]
    assert [h.sibling_of for h in plain] == [None] * len(plain)
    assert {act_of(searcher.records, h.doc_id) for h in hits} == {
        act_of(searcher.records, h.doc_id) for h in plain
    }
    parts = [hits[0], *siblings]
    for sibling in siblings:
        assert (sibling.doc_id, top_level(sibling.unit_id)) == (
            hits[0].doc_id,
            top_level(hits[0].unit_id),
        )
    for i, one in enumerate(parts):
        for other in parts[i + 1 :]:
            assert not is_within(one.unit_id, other.unit_id)
            assert not is_within(other.unit_id, one.unit_id)
    if query.startswith("limitation period"):
        assert [h.unit_id for h in parts][:2] == ["art-29.par-3.pt-a", "art-29.par-5"]


@pytest.mark.parametrize("date", ["2025-01-01", "2026-06-01", None])
def test_a_result_shows_the_version_in_force(searcher, date):
    """The CSDDD's limitation period exists in every version; the result shows the English
    version in force on the as-at date (today without one), the others in ``also_in``."""
    filters = Filters(as_at=date) if date else None
    hits = searcher.search("limitation period for bringing actions for damages", 3, filters)
    hit = next(h for h in hits if h.unit_id.startswith("art-29"))
    in_force = visible_at(searcher.records, date or dt.date.today().isoformat())
    assert hit.doc_id in in_force and searcher.records[hit.doc_id].language == "en"
    assert not any(d in in_force and searcher.records[d].language == "en" for d in hit.also_in)


def test_a_question_naming_a_foreign_law_reaches_its_paragraph(searcher, indexed_data):
    """A question about an instrument in another language: the rankings within the instrument
    the query names (``RankingSettings.named_rankings``) rank its paragraphs against each
    other, which the whole corpus's first candidates do not (the issue's own example, and a
    Norwegian question whose answer, a point of CSDDD Art. 3(1), is first only with them)."""
    import dataclasses

    from indexing.search import DEFAULT_RANKING

    office = "which German federal office supervises compliance with supply chain due diligence"
    first = [(h.doc_id, h.unit_id) for h in searcher.search(office, k=3)]
    assert any(d == "de-lksg-2021" and is_within(u, "sec-19") for d, u in first), first

    severe = "hva regnes som en alvorlig negativ påvirkning i EUs aktsomhetsdirektiv?"
    top = searcher.search(severe, k=1)[0]
    assert top.unit_id == "art-3.par-1.pt-l" and act_of(searcher.records, top.doc_id) == (
        "eu-csddd-2024-1760"
    ), (top.doc_id, top.unit_id)
    off = Searcher(indexed_data, settings=dataclasses.replace(DEFAULT_RANKING, named_rankings=0))
    assert off.search(severe, k=1)[0].unit_id != "art-3.par-1.pt-l"


def test_rankings_within_named_instruments_keep_to_the_filters(searcher):
    rows = searcher._doc_rows
    lksg, other = rows["de-lksg-2021"][:5], rows["eu-csddd-2024-1760"][:5]
    allowed = np.array(sorted(lksg + other), dtype=np.int64)
    named = searcher._named_docs(["de-lksg-2021"])
    assert named == {"de-lksg-2021"}
    assert searcher._named_rows(named, allowed).tolist() == sorted(lksg)
    assert searcher._named_rows(named, None).tolist() == sorted(rows["de-lksg-2021"])
    assert searcher._named_rows(frozenset(), None) is None
    uk = searcher._named_docs(["uk-*"])
    assert uk and searcher._named_rows(uk, np.array(lksg, dtype=np.int64)) is None


def test_a_query_near_an_elements_question_boosts_what_the_matrix_cites(searcher):
    """``_answering``: the provisions the matrix cites for the nearest comparison element
    (here "Is there a turnover-based fine cap? (…)") — those search counts ``element_boost``."""
    answering = searcher._answering("what is the maximum fine as a percentage of turnover?")
    assert ("eu-csddd-2024-1760", "art-27") in answering
    assert all(top_level(unit) == unit for _, unit in answering)
    # each mapped to the unit the matrix cites, inside that provision
    assert all(top_level(cited) == unit for (_, unit), cited in answering.items())


def test_a_provision_the_matrix_cites_is_cited_at_the_matrix_paragraph(searcher, indexed_data):
    """``pinpoint_matrix``: a hit on a provision the matrix cites for the element the query asks
    about cites the paragraph the matrix cites (it read the parts for the element's cues) when
    the dense model scores that paragraph nearly as well as its own choice: LkSG § 24(3), the
    cap as a share of turnover, rather than § 24(2) point 3."""
    import dataclasses

    from indexing.search import DEFAULT_RANKING

    query = "what is the maximum fine as a percentage of turnover?"
    assert searcher._answering(query)[("de-lksg-2021", "sec-24")] == "sec-24.par-3"
    lksg = [h.unit_id for h in searcher.search(query, k=10) if h.doc_id == "de-lksg-2021"]
    assert lksg[:1] == ["sec-24.par-3"], lksg
    off = Searcher(indexed_data, settings=dataclasses.replace(DEFAULT_RANKING, pinpoint_matrix=-1))
    lksg = [h.unit_id for h in off.search(query, k=10) if h.doc_id == "de-lksg-2021"]
    assert lksg[:1] != ["sec-24.par-3"], lksg


def test_without_a_matrix_cache_search_does_not_boost(indexed_data, tmp_path):
    """Search never computes the matrix: without the cache ``kb build`` writes, no boost."""
    from kb.compare.cache import cited_by_element

    assert cited_by_element(tmp_path) == []
    assert cited_by_element(indexed_data)


def test_a_broken_matrix_leaves_search_without_the_prior(
    indexed_data, tmp_path, monkeypatch, caplog
):
    """An editorial file that cannot be read (or a read-only data folder) costs search its
    matrix prior, with a warning — not the search."""
    from kb.compare import cache

    broken = tmp_path / "matrix_editorial.json"
    broken.write_text("{not json", encoding="utf-8")
    monkeypatch.setattr(cache, "EDITORIAL_PATH", broken)
    assert cache.cited_by_element(indexed_data) == []
    assert "without the matrix prior" in caplog.text


def test_snippets_cut_at_word_boundaries_with_an_ellipsis():
    from indexing.search import _highlighter

    # synthetic text (a "Draft Widget Due Diligence Bill"), long enough to be cut on both sides
    text = " ".join(
        ["The widget maker keeps its ledger of suppliers for review."] * 4
        + ["Every widget complaint reaches the ombudsperson within ten days."]
        + ["The ledger lists each supplier of springs and gears by name."] * 6
    )
    snippet = _highlighter("complaint ombudsperson")(text)
    assert snippet.startswith("… ") and snippet.endswith(" …")
    words = set(text.split())
    inner = snippet.removeprefix("… ").removesuffix(" …").replace("<mark>", "")
    assert all(w in words for w in inner.replace("</mark>", "").split())  # no cut word
    assert "<mark>complaint</mark>" in snippet and "<mark>ombudsperson</mark>" in snippet
    assert "<mark>springs</mark>" not in snippet  # only the query's words are marked


def test_snippet_marks_words_not_the_insides_of_escaped_characters():
    from indexing.search import _highlighter

    # synthetic: a quoted term and an ampersand, and a query word that is also in "&quot;"
    text = 'The "widget quota" of the Draft Widget Bill & its annex.'
    snippet = _highlighter("quota annex")(text)
    assert snippet == (
        "The &quot;widget <mark>quota</mark>&quot; of the Draft Widget Bill &amp; its "
        "<mark>annex</mark>."
    )


def test_reranker_fit_learns_which_feature_separates():
    """The logistic regression (plain NumPy) on synthetic feature rows: the one feature that
    decides relevance gets the largest positive weight."""
    import numpy as np

    from indexing.rerank import FEATURES, fit

    rng = np.random.default_rng(0)
    rows = rng.normal(size=(400, len(FEATURES)))
    labels = (rows[:, 2] > 0.5).astype(int)  # "dense" decides
    model = fit(rows, labels)
    assert int(np.argmax(model.weights)) == 2
    scores = model.scores(rows)
    assert scores[labels == 1].mean() > scores[labels == 0].mean()


def test_reranked_search_keeps_the_contract(indexed_data):
    """With the stored reranker switched on, search still gives distinct provisions, cited."""
    import dataclasses

    from indexing.search import DEFAULT_RANKING

    searcher = Searcher(indexed_data, settings=dataclasses.replace(DEFAULT_RANKING, rerank=True))
    assert searcher.reranker is not None  # fitted for the default embedder
    hits = searcher.search("civil liability of companies for damage", k=10)
    provisions = [
        (act_of(searcher.records, h.doc_id), top_level(h.unit_id))
        for h in hits
        if h.sibling_of is None
    ]
    assert (
        len(hits) == 10 and len(set(provisions)) == len(provisions) >= 10 - DEFAULT_RANKING.siblings
    )
    assert all(h.citation for h in hits)


@pytest.mark.parametrize(
    "query",
    [
        "fine cap after the Omnibus",  # first result: an amending point only the bridge ranks
        "civil liability of companies for damage",
    ],
)
def test_a_results_relevance_does_not_depend_on_how_many_are_shown(searcher, query):
    """The relevance of the first result is the same at k 1, 3 and 10: every shown result has
    its own query cosine, also one the dense ranker did not return (it used to get the lowest
    cosine of the list shown, so "fine cap after the Omnibus" read 0.43 at k 1, 0.66 at k 3)."""
    firsts = [searcher.search(query, k=k)[0] for k in (1, 3, 10)]
    assert len({(h.doc_id, h.unit_id) for h in firsts}) == 1
    assert firsts[0].dense_score is not None
    assert len({h.relevance for h in firsts}) == 1


@pytest.mark.parametrize(
    "query",
    [
        # several instruments named: the per-instrument caps used to count among the k shown
        "moet de raad van bestuur de verklaring over mensenrechten goedkeuren en ondertekenen in "
        "het VK en in Zwitserland",
        "vanaf welke bedrijfsgrootte geldt een zorgplicht in Duitsland, Frankrijk en Noorwegen",
    ],
)
def test_fewer_results_are_the_head_of_the_same_list(searcher, query):
    """Asking for 1 or 3 results gives the first 1 or 3 of the 10, each with the same relevance
    (which reads each result's lead over the next)."""
    ten = [(h.doc_id, h.unit_id, h.relevance) for h in searcher.search(query, k=10)]
    for k in (1, 3):
        assert [(h.doc_id, h.unit_id, h.relevance) for h in searcher.search(query, k=k)] == ten[:k]


def test_a_cosine_vote_discounts_an_acts_extra_language_versions(searcher):
    """``language_spread``: an act in two languages gets two draws of the dense model at every
    query; its vote is its best row's cosine less a share of the gap to the mean of its
    languages' best rows, so one lucky language version does not outvote an act in one."""

    def row(doc_id, unit_id):
        chunks = searcher.index.chunks
        return next(r for r in searcher._doc_rows[doc_id] if chunks[r].unit_id == unit_id)

    en, fr = row("eu-csddd-2024-1760", "art-27"), row("eu-csddd-2024-1760-fr", "art-27")
    lksg = row("de-lksg-2021", "sec-24")
    ranking = [(en, 0.90), (lksg, 0.88), (fr, 0.80)]  # synthetic cosines
    csddd, german = searcher._key_of(en), searcher._key_of(lksg)
    assert searcher._key_of(fr) == csddd  # one provision of one act
    assert [key for key, _ in searcher._collapse(ranking)] == [csddd, german]
    spread = searcher._collapse(ranking, 0.5)
    assert [key for key, _ in spread] == [german, csddd]
    assert dict(spread)[csddd] == pytest.approx(0.90 - 0.5 * (0.90 - 0.85))
    # an act in one language keeps its best row's cosine
    assert dict(spread)[german] == pytest.approx(0.88)


def test_a_query_naming_an_amending_act_gets_the_amending_provision(searcher, indexed_data):
    """``amendment_bridge``: a question that names an amending act asks what it changed. The
    Omnibus point that deletes CSDDD Art. 22 says only "Article 22 is deleted"; no ranker
    matches those words to the question, the link to the article it amends does."""
    import dataclasses

    from indexing.search import DEFAULT_RANKING

    links = searcher._amendments()[act_of(searcher.records, "eu-csddd-2024-1760")]
    assert ("art-22", "eu-omnibus-2026-470", "art-4.pt-16") in links
    query = "Omnibus deletion of the CSDDD climate transition plan obligation"
    first = searcher.search(query, k=5)[0]
    assert (act_of(searcher.records, first.doc_id), first.unit_id) == (
        act_of(searcher.records, "eu-omnibus-2026-470"),
        "art-4.pt-16",
    )
    off = Searcher(indexed_data, settings=dataclasses.replace(DEFAULT_RANKING, amendment_bridge=0))
    assert "art-4.pt-16" not in [h.unit_id for h in off.search(query, k=5)[:1]]
    # Omnibus Art. 4 amends many CSDDD articles and is one result: its further parts are the
    # points amending the next provisions the query matched (Art. 27(4), the fine cap, after the
    # supervisory authorities' powers of Art. 25 that matched first)
    fine = searcher.search("amende max CSDDD après l'Omnibus", k=10)
    assert "art-4.pt-19" in [h.unit_id for h in fine if h.sibling_of == 1]
    # filters hold: only an admitted version of the amending act is ranked
    french = searcher.search(query, k=5, filters=Filters.of(language=["fr"]))
    assert (french[0].doc_id, french[0].unit_id) == ("eu-omnibus-2026-470-fr", "art-4.pt-16")
    csddd = Filters.of(doc_id=["eu-csddd-2024-1760"])
    assert {h.doc_id for h in searcher.search(query, k=5, filters=csddd)} == {"eu-csddd-2024-1760"}
    # a query that names no amending act is not bridged
    plain = searcher.search("climate transition plan obligation of the CSDDD", k=10)
    assert not any(h.doc_id.startswith("eu-omnibus") for h in plain[:1])


@pytest.mark.slow
def test_a_provision_the_version_in_force_no_longer_holds_says_so(indexed_data):
    """CSDDD Art. 22 (climate transition plan) is deleted in the 2026 consolidation: a hit on
    it in the 2025 consolidation names the version in force (it was shown as current, without a
    word); a hit the version in force holds names none. ``also_in`` lists only the versions
    that hold the cited unit: Art. 8(2a), inserted in 2026, is not in the earlier versions."""
    from indexing.search import Filters, Searcher

    searcher = Searcher(indexed_data)
    old = "eu-csddd-2024-1760-consolidated-2025-04-17"
    now = "eu-csddd-2024-1760-consolidated-2026-03-18"
    hits = searcher.search(
        "climate transition plan compatible with limiting global warming to 1.5 °C",
        k=5,
        filters=Filters.of(doc_id=[old]),
    )
    deleted = [h for h in hits if h.unit_id.startswith("art-22")]
    assert deleted and {h.superseded_by for h in deleted} == {now}
    as_then = searcher.search(
        "climate transition plan compatible with limiting global warming to 1.5 °C",
        k=5,
        filters=Filters.of(doc_id=[old], as_at="2025-06-01"),
    )
    assert [h.superseded_by for h in as_then] == [None] * len(as_then)  # in force on that date
    [hit] = searcher.search(
        "companies may request information from business partners only where necessary, "
        "fewer than 5000 employees",
        k=1,
    )
    assert hit.unit_id.startswith("art-8.par-2a") and hit.superseded_by is None
    assert hit.doc_id == now and hit.also_in == [f"{now}-fr"]
