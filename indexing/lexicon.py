"""Query expansion from the team's multilingual due-diligence lexicon (``lexicon.json``).

A concept matches a query when every token of one of its terms occurs among the query's tokens
(stemmed in the term's language); the query is then expanded with all terms of that concept in
all four languages — "klachtenprocedure" also searches "complaints procedure", "procédure
relative aux plaintes" and "Beschwerdeverfahren".
"""

from __future__ import annotations

import json
from functools import cache, lru_cache
from pathlib import Path

from kb.lang import LANGUAGES, tokens

LEXICON_PATH = Path(__file__).with_name("lexicon.json")


#: every concept has terms in these; Norwegian (nb) terms are welcome but optional
REQUIRED_LANGUAGES = ("en", "nl", "fr", "de")


@cache
def concepts() -> list[dict]:
    """The concepts of the lexicon, validated: ids unique, terms for every language."""
    data = json.loads(LEXICON_PATH.read_text(encoding="utf-8"))
    seen = set()
    for concept in data["concepts"]:
        if concept["id"] in seen:
            raise ValueError(f"lexicon: duplicate concept id {concept['id']!r}")
        seen.add(concept["id"])
        missing = [lang for lang in REQUIRED_LANGUAGES if not concept["terms"].get(lang)]
        if missing:
            raise ValueError(f"lexicon: concept {concept['id']!r} has no terms for {missing}")
    return data["concepts"]


@cache
def _term_tokens() -> list[tuple[str, frozenset[str], str, bool]]:
    """(concept, the term's stems, its language, whether the term may stand inside a compound
    word of the query: one word of four letters or more in a compounding language)."""
    out = []
    for concept in concepts():
        for language, terms in concept["terms"].items():
            for term in terms:
                toks = frozenset(tokens(term, language))
                if toks:
                    joinable = language in _COMPOUNDING and len(toks) == 1 and len(term) >= 4
                    out.append((concept["id"], toks, language, joinable))
    return out


#: languages that write a concept and what qualifies it as one word: "Bußgeldobergrenze" (cap of
#: the fine), "bøtetak", "klachtenregeling", "Risikoanalysepflicht"
_COMPOUNDING = ("de", "nl", "nb")


def _in_compound(stem: str, query_stems: set[str]) -> bool:
    """``stem`` begins or ends a longer word of the query (by three letters or more)."""
    return any(
        len(word) >= len(stem) + 3 and (word.startswith(stem) or word.endswith(stem))
        for word in query_stems
    )


def matching_concepts(query: str) -> list[str]:
    """Ids of the concepts whose terms occur in ``query`` (in lexicon order): every word of a
    term among the query's words, or — in German, Dutch and Norwegian — a one-word term inside a
    compound word of the query ("Bußgeld" in "Bußgeldobergrenze")."""
    return list(_matching_concepts(query))


@lru_cache(maxsize=256)  # one search asks several times
def _matching_concepts(query: str) -> tuple[str, ...]:
    by_language = {lang: set(tokens(query, lang)) for lang in LANGUAGES}
    by_language.setdefault("nb", set())
    found = []
    for concept_id, toks, language, joinable in _term_tokens():
        if concept_id in found:
            continue
        if toks <= by_language[language] or (
            joinable and _in_compound(next(iter(toks)), by_language[language])
        ):
            found.append(concept_id)
    return tuple(found)


def expand(query: str) -> list[tuple[str, str]]:
    """``[(term, language), ...]`` to add to ``query``: all terms of every matching concept."""
    wanted = set(matching_concepts(query))
    return [
        (term, language)
        for concept in concepts()
        if concept["id"] in wanted
        for language, terms in concept["terms"].items()
        for term in terms
    ]


def instruments_named(query: str) -> list[str]:
    """doc_id patterns of the instruments a query names ("LkSG", "stop-the-clock", "UNGP", …),
    from the lexicon's ``instruments`` table; matched on accent-folded whole words."""
    folded = _folded_query(query)
    return [doc_id for doc_id, aliases in _instruments() if _says(folded, aliases)]


@lru_cache(maxsize=256)  # one search asks once per provision it cites
def answer_kinds(query: str) -> frozenset[str]:
    """The kinds of key fact (``kb.compare.facts``) that would answer ``query``, from the
    lexicon's ``answers`` table: "how long …", "binnen welke termijn", "wie hoch …", "seuils" ask
    for a period or date, a sum of money, a size threshold; matched on accent-folded whole
    words in any language."""
    folded = _folded_query(query)
    return frozenset(k for kinds, terms in _answers() if _says(folded, terms) for k in kinds)


def _folded_query(query: str) -> str:
    return f" {' '.join(_folded_words(query))} "


def _says(folded_query: str, phrases: tuple[str, ...]) -> bool:
    return any(f" {phrase} " in folded_query for phrase in phrases)


def _phrases(terms) -> tuple[str, ...]:
    return tuple(" ".join(_folded_words(t)) for t in terms)


@cache
def _instruments() -> list[tuple[str, tuple[str, ...]]]:
    data = json.loads(LEXICON_PATH.read_text(encoding="utf-8"))
    return [(e["doc_id"], _phrases(e["aliases"])) for e in data.get("instruments", [])]


@cache
def _answers() -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    data = json.loads(LEXICON_PATH.read_text(encoding="utf-8"))
    return [
        (tuple(a["kinds"]), _phrases(t for terms in a["terms"].values() for t in terms))
        for a in data.get("answers", [])
    ]


def _folded_words(text: str) -> list[str]:
    from kb.lang import fold, words

    return [fold(w) for w in words(text)]


def names_the_law(query: str) -> bool:
    """A query that names an instrument or a concept of the team's lexicon ("boete", "Duits") is
    about the law, whatever share of its words the corpus itself uses: never "no good match"."""
    return bool(instruments_named(query) or matching_concepts(query))
