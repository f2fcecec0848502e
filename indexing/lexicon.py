"""Query expansion from the team's multilingual due-diligence lexicon (``lexicon.json``).

A concept matches a query when every token of one of its terms occurs among the query's tokens
(stemmed in the term's language); the query is then expanded with all terms of that concept in
all four languages — "klachtenprocedure" also searches "complaints procedure", "procédure
relative aux plaintes" and "Beschwerdeverfahren".
"""

from __future__ import annotations

import json
from functools import cache
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
def _term_tokens() -> list[tuple[str, frozenset[str]]]:
    out = []
    for concept in concepts():
        for language, terms in concept["terms"].items():
            for term in terms:
                toks = frozenset(tokens(term, language))
                if toks:
                    out.append((concept["id"], toks, language))
    return out


def matching_concepts(query: str) -> list[str]:
    """Ids of the concepts whose terms occur in ``query`` (in lexicon order)."""
    by_language = {lang: set(tokens(query, lang)) for lang in LANGUAGES}
    by_language.setdefault("nb", set())
    found = []
    for concept_id, toks, language in _term_tokens():
        if concept_id not in found and toks <= by_language[language]:
            found.append(concept_id)
    return found


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
    folded = f" {' '.join(_folded_words(query))} "
    patterns = []
    for entry in _instruments():
        if any(f" {alias} " in folded for alias in entry["aliases"]):
            patterns.append(entry["doc_id"])
    return patterns


@cache
def _instruments() -> list[dict]:
    data = json.loads(LEXICON_PATH.read_text(encoding="utf-8"))
    return [
        {"doc_id": e["doc_id"], "aliases": [" ".join(_folded_words(a)) for a in e["aliases"]]}
        for e in data.get("instruments", [])
    ]


def _folded_words(text: str) -> list[str]:
    from kb.lang import fold, words

    return [fold(w) for w in words(text)]
