"""Topic assignment: which of the 19 comparison topics a provision addresses, with evidence.

Explainable by construction: a topic's score is a weighted count of its descriptors (``topics.json``,
EN/NL/FR/DE/NB, stemmed and accent-folded; those of the provision's language) found in the
provision's heading, in its chapter/section context and in its text. Every score comes with the evidence that produced it. Curated corrections
(``gold/corrections.json``, reviewed, marked editorial) can be layered on top, never silently.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from kb.models import Unit

TOPICS_PATH = Path(__file__).with_name("topics.json")
WEIGHTS = {"heading": 3.0, "context": 1.0, "text": 1.0}


@dataclass(frozen=True)
class TopicScore:
    """How strongly a unit addresses a topic, and why."""

    topic: str
    score: float
    evidence: tuple[tuple[str, str], ...] = field(default=())  # (where, descriptor)
    editorial: bool = False

    def to_dict(self) -> dict:
        return {
            "topic": self.topic,
            "score": round(self.score, 3),
            "evidence": [{"where": w, "term": t} for w, t in self.evidence],
            "editorial": self.editorial,
        }


@cache
def topics() -> list[dict]:
    """The topic taxonomy (ids are a contract); validated on first use."""
    data = json.loads(TOPICS_PATH.read_text(encoding="utf-8"))
    ids = [t["id"] for t in data["topics"]]
    if len(ids) != len(set(ids)):
        raise ValueError("topics.json: duplicate topic id")
    for topic in data["topics"]:
        missing = [
            lang for lang in ("en", "nl", "fr", "de", "nb") if not topic["descriptors"].get(lang)
        ]
        if missing:
            raise ValueError(f"topics.json: topic {topic['id']!r} has no descriptors for {missing}")
    return data["topics"]


def topic_ids() -> list[str]:
    return [t["id"] for t in topics()]


@cache
def _descriptors(language: str) -> list[tuple[str, str, tuple[str, ...]]]:
    """(topic, descriptor, stemmed tokens) of the descriptors that a text in ``language`` is
    searched for, each stemmed in its own language: that language's descriptors — the others'
    stems meet its words by accident (the French "amende", a fine, stems like the English
    "amending") — or, for a language with none, every language's."""
    from kb.lang import tokens

    described = {lang for topic in topics() for lang in topic["descriptors"]}
    out = []
    for topic in topics():
        for lang, terms in topic["descriptors"].items():
            if language in described and lang != language:
                continue
            for term in terms:
                toks = tuple(tokens(term, lang))
                if toks:
                    out.append((topic["id"], term, toks))
    return out


def _contains(haystack: list[str], vocabulary: set[str], needle: tuple[str, ...]) -> bool:
    """True when ``needle`` occurs in ``haystack`` as a contiguous run of tokens
    (``vocabulary`` = set(haystack), a fast rejection test)."""
    if not vocabulary.issuperset(needle):
        return False
    n = len(needle)
    first = needle[0]
    return any(
        haystack[i] == first and tuple(haystack[i : i + n]) == needle
        for i in range(len(haystack) - n + 1)
    )


def score_unit(unit: Unit, heading: str | None = None) -> list[TopicScore]:
    """Topic scores of one unit, best first (topics with no evidence are omitted).

    ``heading``: the heading of the article a paragraph or point belongs to; it counts as context
    (weight of context), so an article outranks its own paragraphs on the strength of its heading."""
    from kb.lang import tokens

    fields = {
        "heading": tokens(unit.heading, unit.language),
        "context": tokens(" ".join([*unit.context[-1:], heading or ""]), unit.language),
        "text": tokens(unit.text, unit.language),
    }
    length_norm = 1 + math.log1p(len(fields["text"]) / 150)
    raw: dict[str, float] = {}
    evidence: dict[str, list[tuple[str, str]]] = {}
    vocabularies = {where: set(haystack) for where, haystack in fields.items()}
    for topic, term, toks in _descriptors(unit.language):
        for where, haystack in fields.items():
            if haystack and _contains(haystack, vocabularies[where], toks):
                weight = WEIGHTS[where] / (length_norm if where == "text" else 1)
                raw[topic] = raw.get(topic, 0.0) + weight * math.sqrt(len(toks))
                evidence.setdefault(topic, []).append((where, term))
    scores = [TopicScore(t, s, tuple(evidence[t])) for t, s in raw.items()]
    return sorted(scores, key=lambda s: -s.score)
