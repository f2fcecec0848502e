"""RRF on literals: hand-computed expectations."""

import pytest

from indexing.fusion import reciprocal_rank_fusion


def test_rrf_by_hand():
    dense = [("a", 0.9), ("b", 0.8), ("c", 0.1)]
    bm25 = [("c", 12.0), ("a", 3.0)]
    fused = dict(reciprocal_rank_fusion([dense, bm25], k=1))
    # a: 1/(1+1) + 1/(1+2) = 0.8333; c: 1/(1+3) + 1/(1+1) = 0.75; b: 1/(1+2) = 0.3333
    assert fused == pytest.approx({"a": 1 / 2 + 1 / 3, "c": 1 / 4 + 1 / 2, "b": 1 / 3})
    assert [i for i, _ in reciprocal_rank_fusion([dense, bm25], k=1)] == ["a", "c", "b"]


def test_rrf_weights_and_ties():
    assert reciprocal_rank_fusion([[("x", 1)], [("y", 1)]], k=60) == [("x", 1 / 61), ("y", 1 / 61)]
    fused = reciprocal_rank_fusion([[("x", 1)], [("y", 1)]], k=60, weights=[1, 2])
    assert [i for i, _ in fused] == ["y", "x"]


@pytest.mark.parametrize("kwargs", [{"k": 0}, {"k": 60, "weights": [1.0]}])
def test_rrf_rejects_bad_options(kwargs):
    with pytest.raises(ValueError):
        reciprocal_rank_fusion([[("x", 1)], [("y", 1)]], **kwargs)


def test_rrf_empty():
    assert reciprocal_rank_fusion([[], []], k=60) == []


@pytest.mark.slow
def test_ranking_settings_are_injected_not_module_globals(indexed_data):
    """Two searchers with different settings rank differently, side by side in one process."""
    from indexing.search import DEFAULT_RANKING, RankingSettings, Searcher

    query = "victims can bring an action for damages against the company"
    default = Searcher(indexed_data)
    favour_recitals = Searcher(indexed_data, settings=RankingSettings(recital_weight=5.0))

    def recitals(searcher) -> int:
        return sum(".rec-" in f".{h.unit_id}" for h in searcher.search(query, k=10))

    assert default.settings is DEFAULT_RANKING
    assert recitals(favour_recitals) > recitals(default)
    with pytest.raises(AttributeError):
        favour_recitals.settings.rrf_k = 1  # frozen: settings cannot change under a searcher


@pytest.mark.slow
def test_texts_that_are_not_law_rank_below_the_law_unless_named(indexed_data):
    """A legal question in Dutch, the language of the SERV advice only, gets the law first; the
    advice still leads when the query names it (``RankingSettings.not_law_weight``)."""
    from indexing.search import RankingSettings, Searcher

    question = "hoe hoog kan de boete zijn als een bedrijf zijn zorgplicht niet nakomt?"
    default = Searcher(indexed_data)
    flat = Searcher(indexed_data, settings=RankingSettings(not_law_weight=1.0))
    assert flat.search(question, k=1)[0].doc_id == "be-serv-advies-2021"
    first = default.search(question, k=1)[0]
    assert default.records[first.doc_id].instrument_type != "policy-advice"
    named = default.search("wat vraagt het SERV-advies over overheidsopdrachten?", k=1)[0]
    assert named.doc_id == "be-serv-advies-2021"


@pytest.mark.slow
def test_settings_switched_on_a_loaded_searcher_rank_as_if_built_with_them(indexed_data):
    """``Searcher.use_settings`` (what ``benchmarks/sweep_ranking.py`` uses to try settings on
    one loaded index) re-weighs every retriever and the documents' weights: the SERV advice
    leads a Dutch fine question only with ``not_law_weight`` 1, and back again."""
    from indexing.search import DEFAULT_RANKING, RankingSettings, Searcher

    question = "hoe hoog kan de boete zijn als een bedrijf zijn zorgplicht niet nakomt?"
    flat = RankingSettings(not_law_weight=1.0, bm25_weight=0.3)
    searcher = Searcher(indexed_data)
    built = Searcher(indexed_data, settings=flat)
    searcher.use_settings(flat)
    assert [w for _, w in searcher.retrievers] == [w for _, w in built.retrievers]
    assert 0.3 in [w for _, w in searcher.retrievers]
    assert [(h.doc_id, h.unit_id) for h in searcher.search(question)] == [
        (h.doc_id, h.unit_id) for h in built.search(question)
    ]
    assert searcher.search(question, k=1)[0].doc_id == "be-serv-advies-2021"
    searcher.use_settings(DEFAULT_RANKING)
    assert searcher.search(question, k=1)[0].doc_id != "be-serv-advies-2021"


@pytest.mark.slow
def test_an_amending_act_ranks_below_the_consolidated_text_unless_named(indexed_data):
    """The Omnibus replaced CSDDD Art. 29; a question on the directive's remediation gets the
    consolidated text first, a question naming the Omnibus the Omnibus
    (``RankingSettings.amending_weight``; the matrix prior, which also favours the consolidated
    text here, is off so that the weight alone is tested)."""
    from indexing.search import RankingSettings, Searcher

    question = (
        "what does remediation mean under the directive – do we have to compensate affected "
        "people with money"
    )
    default = Searcher(indexed_data)
    weighted = Searcher(indexed_data, settings=RankingSettings(element_boost=1.0))
    flat = Searcher(indexed_data, settings=RankingSettings(amending_weight=1.0, element_boost=1.0))
    assert flat.records[flat.search(question, k=1)[0].doc_id].amends
    assert not weighted.records[weighted.search(question, k=1)[0].doc_id].amends
    assert not default.records[default.search(question, k=1)[0].doc_id].amends
    named = default.search("Omnibus: which paragraphs of the civil liability article were deleted?")
    assert named[0].doc_id.startswith("eu-omnibus-2026-470")


@pytest.mark.slow
def test_a_query_naming_several_instruments_gets_each_of_them(indexed_data):
    """Naming three instruments asks to compare them: each gets its turn in the first ten
    (``RankingSettings.per_named_doc``); uncapped, the CSDDD's versions took all ten."""
    import fnmatch

    from indexing.lexicon import instruments_named
    from indexing.search import RankingSettings, Searcher

    query = "complaints procedure in the CSDDD, the LkSG and the Åpenhetsloven"
    named = instruments_named(query)
    assert len(named) == 3

    def found(searcher) -> set[str]:
        hits = searcher.search(query, k=10)
        docs = [d for h in hits for d in (h.doc_id, *h.also_in)]
        return {p for p in named if any(fnmatch.fnmatchcase(d, p) for d in docs)}

    assert found(Searcher(indexed_data)) == set(named)
    assert found(Searcher(indexed_data, settings=RankingSettings(per_named_doc=100))) != set(named)
