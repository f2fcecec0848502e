"""The per-language vocabulary and tokenising rules of the whole house (EN/NL/FR/DE/NB).

Used alike by ingestion, comparison (topics, procedure trail) and indexing (BM25): lower-case,
accent folding, stop words (function words only), Snowball stems. Documents are stemmed in their
own language. A query's language is guessed from its stop words and letters; when unsure, it is
stemmed in every language (the union of stems).
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

LANGUAGES = ("en", "nl", "fr", "de", "nb")
_STEMMER_NAMES = {
    "en": "english",
    "nl": "dutch",
    "fr": "french",
    "de": "german",
    "nb": "norwegian",
}

# Function words only (no legal vocabulary), used to drop noise and to guess a query's language.
STOPWORDS = {
    "en": set(
        "a an and are as at be by for from has have in is it its of on or that the this to was "
        "were which with shall may must not their they such other any all into under where what "
        "who how does do i my our we".split()
    ),
    "nl": set(
        "de het een en van in op te voor met door dat die dit is zijn aan als bij of om over tot "
        "uit naar ook er wordt worden wat welke hoe wie mijn onze we".split()
    ),
    "fr": set(
        "le la les un une des du de d l et en à au aux dans par pour sur que qui ce cette ces est "
        "sont son sa ses leur leurs ou ne pas avec comme il elle ils elles quel quelle quels".split()
    ),
    "de": set(
        "der die das ein eine einer eines einem einen und in im zu zum zur von vom mit auf für "
        "ist sind den dem des nach bei aus oder als wie wird werden sich nicht auch es was welche".split()
    ),
    "nb": set(
        "og i på til av for med som er det en et ei den de at om fra har skal kan ikke eller etter "
        "ved hva hvem hvordan hvilke min vår vi seg sin sine sitt denne dette disse".split()
    ),
}
_WORD = re.compile(r"[^\W_]+(?:-[^\W_]+)*", re.UNICODE)


def fold(text: str) -> str:
    """Lower-case and strip accents: ``Mécanisme`` → ``mecanisme``; ``ß`` → ``ss``."""
    text = unicodedata.normalize("NFKD", text.lower().replace("ß", "ss"))
    return "".join(ch for ch in text if not unicodedata.combining(ch))


@cache
def _stemmer(language: str):
    import Stemmer

    return Stemmer.Stemmer(_STEMMER_NAMES[language])


def words(text: str) -> list[str]:
    """Lower-cased words with accents kept (for stop-word checks); hyphenated words split too."""
    out = []
    for match in _WORD.finditer(text.lower()):
        token = match.group()
        out.append(token)
        if "-" in token:
            out.extend(token.split("-"))
    return out


def tokens(text: str, language: str) -> list[str]:
    """BM25 tokens of ``text`` in ``language``: stop words removed, stemmed, accent-folded."""
    if language not in _STEMMER_NAMES:
        language = "en"
    stop = STOPWORDS[language]
    kept = [w for w in words(text) if w not in stop and (len(w) > 1 or w.isdigit())]
    return [fold(s) for s in _stemmer(language).stemWords(kept)]


def guess_language(text: str) -> str | None:
    """The language whose stop words occur most in ``text`` (None when no stop word occurs)."""
    ws = words(text)
    counts = {lang: sum(w in STOPWORDS[lang] for w in ws) for lang in LANGUAGES}
    if "ß" in text or re.search(r"\b\w+(ung|keit|pflicht)\b", text.lower()):
        counts["de"] += 1
    if re.search(r"[éèêàç]", text.lower()):
        counts["fr"] += 1
    best = max(counts, key=counts.get)
    return best if counts[best] > 0 else None


def query_tokens(text: str, language: str | None = None) -> list[str]:
    """Tokens of a query: stemmed in ``language`` (guessed when None; all four when unsure)."""
    language = language or guess_language(text)
    languages = (language,) if language else LANGUAGES
    out: list[str] = []
    for lang in languages:
        for token in tokens(text, lang):
            if token not in out:
                out.append(token)
    return out
