"""The comparison elements (``elements.json``): the questions the obligation matrix asks of every
instrument, each with its topic, its multilingual cue patterns (what provides it, what excludes
it, what makes it conditional), and for an element with a number which number is stricter and
the element's own bound. Ids and questions are PRODUCT.md's contract; the patterns are the team's
vocabulary, validated on load (a bad pattern or an unknown topic names the element)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from kb.errors import KBError

ELEMENTS_PATH = Path(__file__).with_name("elements.json")


@dataclass(frozen=True)
class Element:
    element: str
    topic: str
    question: str
    #: the question in the interface's other languages ({"nl": …})
    questions: dict[str, str]
    duty: bool
    #: the element asks what a company does (its topic is one of ``company_topics``): a sentence
    #: whose subject is the Commission, an authority or a State does not answer it
    company: bool
    required: bool  # "must there be …?": a "may" does not decide it
    fact: str | None
    #: for an element with a number: "lower" or "higher" — which number is the stricter rule
    #: (a lower employee threshold covers more companies; a longer limitation period weighs more)
    stricter: str | None
    #: the element's own number: ``{"max": "P12M"}`` (at most), ``{"min": "P5Y"}`` (at least)
    bound: dict[str, str]
    cues: dict[str, tuple[re.Pattern, ...]]
    exclude: dict[str, tuple[re.Pattern, ...]]
    condition: dict[str, tuple[re.Pattern, ...]]

    def patterns(self, table: str, language: str) -> tuple[re.Pattern, ...]:
        by_language = getattr(self, table)
        return by_language.get(language) or by_language.get("en", ())

    def to_dict(self) -> dict:
        return {"element": self.element, "topic": self.topic, "question": self.question}


def _compile(where: str, table: dict | None) -> dict[str, tuple[re.Pattern, ...]]:
    out = {}
    for language, patterns in (table or {}).items():
        try:
            # a cue starts a word: "terminat\w*" is not in "indeterminate"
            out[language] = tuple(re.compile(rf"(?<!\w)(?:{p})", re.I) for p in patterns)
        except re.error as exc:
            raise KBError(
                f"{ELEMENTS_PATH.name}: {where}.{language}: bad pattern ({exc})"
            ) from None
    return out


_DURATION = re.compile(r"^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$")


def months(duration: str) -> float | None:
    """An ISO 8601 period ("P5Y", "P12M", "P3W", "P30D") in months (``None`` if it is not one)."""
    match = _DURATION.match(duration or "")
    if not match or not any(match.groups()):
        return None
    y, m, w, d = (int(g) if g else 0 for g in match.groups())
    return 12 * y + m + (7 * w + d) / 30.4375


def _bound(name: str, raw: dict | None) -> dict[str, str]:
    bound = dict(raw or {})
    for key, value in bound.items():
        if key not in ("min", "max") or months(value) is None:
            raise KBError(
                f"{ELEMENTS_PATH.name}: {name}.bound.{key}: expected min/max as an ISO period"
            )
    return bound


def outside(bound: dict[str, str], period: str) -> bool:
    """Whether ``period`` falls outside the element's ``bound`` (False when either is unknown)."""
    have = months(period)
    if have is None:
        return False
    low, high = months(bound.get("min", "")), months(bound.get("max", ""))
    return (low is not None and have < low) or (high is not None and have > high)


@cache
def elements() -> tuple[Element, ...]:
    """The element taxonomy, validated (each element belongs to one of the 19 topics)."""
    from kb.compare.topics import topic_ids

    data = json.loads(ELEMENTS_PATH.read_text(encoding="utf-8"))
    company = set(data.get("company_topics") or ())
    unknown = sorted(company - set(topic_ids()))
    if unknown:
        raise KBError(f"{ELEMENTS_PATH.name}: company_topics: unknown topic(s) {unknown}")
    out = []
    for raw in data["elements"]:
        name = raw["element"]
        if raw["topic"] not in topic_ids():
            raise KBError(f"{ELEMENTS_PATH.name}: {name}: unknown topic {raw['topic']!r}")
        if raw.get("fact") and raw.get("stricter") not in ("lower", "higher"):
            raise KBError(f"{ELEMENTS_PATH.name}: {name}.stricter: expected 'lower' or 'higher'")
        out.append(
            Element(
                element=name,
                topic=raw["topic"],
                question=raw["question"],
                questions=dict(raw.get("questions") or {}),
                duty=bool(raw.get("duty")),
                company=raw["topic"] in company,
                required=raw.get("duty") == "required",
                fact=raw.get("fact"),
                stricter=raw.get("stricter"),
                bound=_bound(name, raw.get("bound")),
                cues=_compile(f"{name}.cues", raw.get("cues")),
                exclude=_compile(f"{name}.exclude", raw.get("exclude")),
                condition=_compile(f"{name}.condition", raw.get("condition")),
            )
        )
    return tuple(out)


def element_ids() -> list[str]:
    return [e.element for e in elements()]
