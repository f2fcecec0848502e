"""The obligation matrix: what each instrument requires, element by element, with the words of the law.

An *element* (``kb.compare.elements``; ids and questions are PRODUCT.md's contract) is one
question a comparative table asks of every instrument. For every column document × element the
matrix holds a cell: ``yes`` / ``conditional`` / ``no``, the deciding provision (pinpoint
citation and an article-level official URL), the exact words that decide it (a verbatim slice of
the unit text with its offsets), the principal force of that provision and, for elements with a
number, the key fact of the same provision. Policy texts get no cells: what they say on each topic
is listed beside the matrix (``policy_advice``).

How a cell is decided (automatic, explainable):

1. **Hits**: a cue of the element (team-written multilingual vocabulary) found in the *own* words
   of a unit — the innermost provision that holds it, so the cell cites the paragraph or point.
   Recitals and deleted provisions are never hits; nor, for an element about what a company
   does (``Element.company``), a cue in a sentence whose subject is the Commission, an authority
   or a State (the UNGPs' first pillar).
2. **Score**: a hit counts more when the unit's article addresses the element's topic
   (``kb.compare.topics``), when the cue is the element's most specific one (or a phrase, or a
   long compound), when the sentence is operative (for an element about a duty) and when a cue
   is in the article's heading; less in definitions, final provisions and where it only points
   elsewhere ("in accordance with Article 12", "(§ 6 Absatz 2)"), in an article amending another
   act unless the document is mostly such articles (the CSRD), and more for each other hit in
   the same article (an article that matches in several provisions is about the element); a
   principle's commentary is cited only when its principle does not answer (``_COMMENTARY``). At
   equal score the element's first cue wins, then the earlier provision. An element with ``duty``
   needs an operative sentence; one that asks whether something *must* be done
   (``"duty": "required"``) a duty or a recommendation, not a "may".
3. **Value**: an exclusion cue ("begründet keine zivilrechtliche Haftung") gives a cited ``no``;
   a condition cue in the deciding unit or in another paragraph of its article that matches
   nearly as well ("Liegen … tatsächliche Anhaltspunkte vor") gives ``conditional``; a period
   outside the element's ``bound`` ("at least every 5 years" for "at least every 12 months?")
   a cited ``no``; the best hit gives ``yes``; no hit is a silent ``no`` (no citation).
4. **Editorial overlay** (``kb/compare/gold/matrix_editorial.json``): reviewed corrections, each with its
   quote (checked to occur in the text) and the reviewer's reason; such cells say
   ``source: editorial``.

5. **Language versions** of one text (manifest ``translation_of``) decide together: a cell that one
   version's cues miss is decided on another and quoted in this version's words (``_pooled``,
   ``_carried``), and versions that agree cite the provision their cues score best together
   (``_agreed``).

The principal force of the deciding provision is ``kb.compare.force``'s.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kb.compare.elements import Element, element_ids, elements, outside
from kb.compare.force import (
    DEFINITIONS_HEADING,
    DUTY,
    FORCE_ORDER,
    OPERATIVE,
    Provisions,
    clause_force,
)
from kb.compare.obligations import sentence_spans
from kb.errors import KBError
from kb.models import DocRecord, Statement, Unit
from kb.numbering import is_within, top_level

log = logging.getLogger(__name__)
EDITORIAL_PATH = Path(__file__).parent / "gold" / "matrix_editorial.json"
VALUES = ("yes", "conditional", "no")
_QUOTE_MAX = 300
#: the elements' ``fact`` kinds whose stated number makes a unit a hit when no cue matches.
#: Tuning half, value / citation, none / employees / + money / + percentage / + period: 0.939 /
#: 0.887 throughout, then 0.932 / 0.873 ("jährlich", "einmal im Jahr" are everywhere). Money
#: was dropped too: any amount then answered "is there a turnover threshold?" (LkSG § 22(2),
#: "zwei Millionen Euro", a fine that bars from public contracts), and the search's element
#: boost followed it (tuning query de-07 lost its first result); a percentage likewise
_FACT_HITS = ("employees",)
#: an element's ``fact`` → the kinds of key fact (``kb.compare.facts``) that give its number
FACT_KINDS = {
    "employees": ("employees",),
    "money": ("turnover", "amount"),
    "percentage": ("fine-percent",),
    "period": ("period",),
}
#: score added to a cue hit per other hit in its article (at most 1). Tuning half, citation:
#: 0 0.850, 0.1 0.850, 0.25 0.867, 0.5 0.867 (value 0.913 throughout)
_SIBLING_HIT = 0.25
#: a soft-law principle's commentary explains the principle, as a recital explains an article:
#: among the hits that decide a cell, its hits count this much less, so the principle is cited
#: when both match; a cell only the commentary answers keeps it. Tuning half, citation for 0 / 1
#: / 1.5 / 2 / 3: 0.872 / 0.879 / 0.887 / 0.887 / 0.887 (value 0.939 throughout). Subtracted
#: before the 2.0 floor instead, it also silenced cells (value 0.943, citation 0.893 on the
#: tuning half), among them the UNGPs' "direct business partners", which their commentary to
#: Principle 13 answers
_COMMENTARY = 1.5
#: final and transitional provisions mention everything in passing (review, transposition dates)
_FINAL_HEADING = re.compile(
    r"\breview\b|transposition|entry into force|repeal|réexamen|"
    r"transposition|entrée en vigueur|Überprüfung|Umsetzung|Inkrafttreten|Übergangs|"
    r"ikrafttredelse|evaluering|committee procedure|exercise of the delegation",
    re.I,
)
#: an article that amends another act: a final provision in an act that mostly rules on its own
#: (CSDDD Art. 32, "Amendment to Directive (EU) 2019/1937"), the substance of an act that is mostly
#: amendments (the CSRD's Art. 1 writes the reporting duties into Directive 2013/34/EU)
_AMENDING_HEADING = re.compile(r"amendments? (?:to|of)|modifications? (?:de|à|du)|Änderung", re.I)
_CROSS_REFERENCE = re.compile(
    r"^[^.;]{0,40}?\b(?:in accordance with|referred to in|pursuant to|conformément à|visée? à|"
    r"gemäß|nach|nach Maßgabe|i samsvar med|etter) (?:Article|Articles|l['’]article|§|Artikel)",
    re.I,
)


#: a summary that points to where the rule is: "die Abgabe einer Grundsatzerklärung (§ 6 Absatz 2)"
_POINTER = re.compile(r"^[^.;()]{0,25}\((?:§|Art(?:icle|ikel|\.)?|article|art\.)\s*\d", re.I)


# --------------------------------------------------------------------------- principal force


class Corpus(Provisions):
    """Units of the column documents, with statements, principal forces (``Provisions``),
    topics and cell decisions computed once per unit."""

    def __init__(self, units: list[Unit], parallel: dict[str, tuple[str, ...]] | None = None):
        super().__init__(units, parallel)
        self._topics: dict[tuple[str, str], set[str]] = {}
        self._decisions: dict[tuple[str, str], dict] = {}
        self._amending: dict[str, bool] = {}
        self._facts: dict[tuple[str, str], list] = {}

    def facts(self, unit: Unit) -> list:
        """The key facts ``unit``'s own words state (``kb.compare.facts.unit_facts``), once."""
        from kb.compare.facts import unit_facts

        key = (unit.doc_id, unit.unit_id)
        if key not in self._facts:
            self._facts[key] = unit_facts(unit, self.children.get(key, []))
        return self._facts[key]

    def decision(self, element: Element, doc_id: str) -> dict:
        """``decide`` for one document and element, once (language versions that decide
        together ask for each other's)."""
        key = (doc_id, element.element)
        if key not in self._decisions:
            self._decisions[key] = decide(self, element, self.by_doc.get(doc_id, []))
        return self._decisions[key]

    def mostly_amends(self, doc_id: str) -> bool:
        """Whether most of the document's article text stands in articles that amend other acts
        (their heading says so): then those articles are its substance, not final provisions."""
        if doc_id not in self._amending:
            total = amending = 0
            for unit in self.by_doc.get(doc_id, []):
                if unit.parent or unit.kind == "rec":
                    continue
                total += len(unit.text)
                amending += len(unit.text) if _AMENDING_HEADING.search(unit.heading) else 0
            self._amending[doc_id] = total > 0 and amending > total / 2
        return self._amending[doc_id]

    def lead_topic(self, unit: Unit) -> str | None:
        """The topic the article holding ``unit`` addresses most strongly."""
        from kb.compare.topics import score_unit

        article = self.by_id.get((unit.doc_id, top_level(unit.unit_id)), unit)
        key = ("lead", article.doc_id, article.unit_id)
        if key not in self._topics:
            scores = score_unit(article)
            self._topics[key] = {scores[0].topic} if scores else set()
        found = self._topics[key]
        return next(iter(found)) if found else None

    def topics(self, unit: Unit) -> set[str]:
        """Topics of the article that holds ``unit`` (and of the unit itself)."""
        from kb.compare.topics import score_unit

        article = self.by_id.get((unit.doc_id, top_level(unit.unit_id)), unit)
        found: set[str] = set()
        for u in {id(article): article, id(unit): unit}.values():
            key = (u.doc_id, u.unit_id)
            if key not in self._topics:
                self._topics[key] = {s.topic for s in score_unit(u) if s.score >= 1.0}
            found |= self._topics[key]
        return found


@dataclass
class _Hit:
    unit: Unit
    start: int
    end: int
    table: str
    rank: int  # index of the cue in its list (0 = the most specific)
    score: float = 0.0
    force: str = "none"


def advice_documents(manifest: dict[str, DocRecord], present: set[str]) -> list[str]:
    """Every present policy text (``policy-advice``): not law, so no column; what it says on a
    topic is shown beside the matrix (``policy_advice``)."""
    return [
        doc_id
        for doc_id, record in manifest.items()
        if doc_id in present and record.instrument_type == "policy-advice"
    ]


def column_documents(manifest: dict[str, DocRecord], present: set[str]) -> list[str]:
    """Every present document that is neither a policy text nor an amending act."""
    return [
        doc_id
        for doc_id, record in manifest.items()
        if doc_id in present and record.instrument_type != "policy-advice" and not record.amends
    ]


def _hits(corpus: Corpus, element: Element, doc_units: list[Unit], table: str) -> list[_Hit]:
    """The units whose own words match one of the element's ``table`` patterns (the first that
    matches; rank = its index); for ``cues``, a unit that matches none but states a key fact of
    the element's kind ("au moins cinq mille salariés": a number in words no cue spells) is a
    hit after the last cue."""
    hits = []
    kinds = FACT_KINDS[element.fact] if table == "cues" and element.fact in _FACT_HITS else ()
    for unit in doc_units:
        if unit.kind == "rec" or unit.status == "deleted" or not unit.text:
            continue
        region = unit.text[: corpus.own_end(unit)]
        if not region.strip():
            continue
        patterns = element.patterns(table, unit.language)
        for rank, pattern in enumerate(patterns):
            match = pattern.search(region)
            if match:
                hits.append(_Hit(unit, match.start(), match.end(), table, rank))
                break
        else:
            fact = next((f for f in corpus.facts(unit) if f.kind in kinds), None)
            if fact is not None and fact.end <= len(region):
                hits.append(_Hit(unit, fact.start, fact.end, table, len(patterns)))
    return hits


def _sentence(corpus: Corpus, unit: Unit, at: int) -> Statement | None:
    for statement in corpus.statements(unit):
        if statement.start <= at < statement.end:
            return statement
    return None


def _phrase(hit: _Hit) -> bool:
    """A cue matched as a phrase of three or more words, or as one long compound word, is as
    specific as the element's first cue ("at least once a year" is no less specific than "at
    least every 12 months"; "Risikomanagementplan" no less than "prevention action plan")."""
    words = hit.unit.text[hit.start : hit.end].split()
    return len(words) >= 3 or (len(words) == 1 and len(words[0]) >= 13)


def _score(corpus: Corpus, element: Element, hit: _Hit) -> None:
    sentence = _sentence(corpus, hit.unit, hit.start)
    force = (
        clause_force(sentence, hit.start - sentence.start, hit.unit.language)
        if sentence
        else "none"
    )
    if force == "none":
        force = corpus.principal_force(hit.unit)
    hit.force = force
    on_topic = element.topic in corpus.topics(hit.unit)
    lead = corpus.lead_topic(hit.unit) == element.topic
    # an operative sentence counts only for an element that asks about a duty: "is there a
    # supervisory authority?" is answered as well by "Die behördliche Kontrolle … erfolgt durch
    # das Bundesamt" as by a "shall"
    operative = element.duty and force in (DUTY if element.required else OPERATIVE)
    hit.score = (
        (2.0 if on_topic else 0.0)
        + (1.5 if lead else 0.0)
        + (1.0 if hit.rank == 0 or _phrase(hit) else 0.5 / (1 + hit.rank))
        + (1.0 if operative else 0.0)
    )
    article = corpus.by_id.get((hit.unit.doc_id, top_level(hit.unit.unit_id)), hit.unit)
    if DEFINITIONS_HEADING.search(article.heading):
        hit.score -= 1.5
    if _FINAL_HEADING.search(article.heading) or (
        _AMENDING_HEADING.search(article.heading) and not corpus.mostly_amends(article.doc_id)
    ):
        hit.score -= 2.0
    # the article is about the element: one of its cues is in the article's (or unit's) heading
    headings = f"{article.heading} {hit.unit.heading}"
    if headings.strip() and any(
        p.search(headings) for p in element.patterns("cues", hit.unit.language)
    ):
        hit.score += 2.0
    # a passing reference ("provide remediation in accordance with Article 12") is not the rule
    if _CROSS_REFERENCE.match(hit.unit.text[hit.end : hit.end + 80]) or _POINTER.match(
        hit.unit.text[hit.end : hit.end + 40]
    ):
        hit.score -= 1.0


def _quote(unit: Unit, start: int, end: int, span: tuple[int, int] | None) -> tuple[str, int, int]:
    """The words that decide the cell: ``span`` (the cue's sentence; default the cue
    ``start``–``end``) cut to ≤ 300 characters at words around the cue."""
    s, e = span or (start, end)
    if e - s > _QUOTE_MAX:
        s = max(s, start - (_QUOTE_MAX - (end - start)) // 2)
        e = min(e, s + _QUOTE_MAX)
        while s > 0 and s < start and not unit.text[s - 1].isspace():
            s += 1
        while e < len(unit.text) and e > end and not unit.text[e].isspace():
            e -= 1
    text = unit.text[s:e]
    lead = len(text) - len(text.lstrip())
    text = text.strip()
    return text, s + lead, s + lead + len(text)


def _public_actor(corpus: Corpus, hit: _Hit) -> bool:
    """The cue stands in a sentence whose subject is the Commission, an authority or a State."""
    sentence = _sentence(corpus, hit.unit, hit.start)
    return sentence is not None and sentence.addressee in ("commission", "authority", "state")


def decide(corpus: Corpus, element: Element, doc_units: list[Unit]) -> dict:
    """The cell of one document for one element (without document-level fields)."""
    excluded = _hits(corpus, element, doc_units, "exclude")
    if excluded:
        hit = excluded[0]
        return _cell(corpus, element, hit, "no", force=corpus.principal_force(hit.unit))
    hits = _hits(corpus, element, doc_units, "cues")
    if element.company:
        # what the Commission, a supervisory authority or a State does is not what the company does
        hits = [h for h in hits if not _public_actor(corpus, h)]
    for hit in hits:
        _score(corpus, element, hit)
    if element.duty:
        # "must there be …?": a duty (or, in soft law, a recommendation) decides; a "may"
        # ("the statement may include … its policies") does not make it required
        hits = [h for h in hits if h.force in (DUTY if element.required else OPERATIVE)]
    hits = [h for h in hits if h.score >= 2.0 or h.rank == 0 or _phrase(h)]
    # a commentary's "may" says what can happen ("Remedy may include … fines"), it provides nothing
    hits = [h for h in hits if not (h.unit.kind == "commentary" and h.force == "permission")]
    for h in hits:
        if h.unit.kind == "commentary":
            h.score -= _COMMENTARY  # after the floor: it orders, it does not silence
    if not hits:
        return {
            "value": "no",
            "force": "none",
            "citations": [],
            "quote": None,
            "quote_unit": None,
            "quote_start": None,
            "quote_end": None,
            "fact": None,
        }
    # an article whose several provisions match is about the element, more than one passing
    # mention ("subsidiaries" in Art. 8(1), 8(2)(a), 8(2)(b) over one in Art. 7(2)(b))
    per_article = Counter(top_level(h.unit.unit_id) for h in hits)
    for h in hits:
        h.score += min(_SIBLING_HIT * (per_article[top_level(h.unit.unit_id)] - 1), 1.0)
    # at equal score the element's first cue, then the text's order
    hits.sort(key=lambda h: (-h.score, h.rank > 0, h.unit.order))
    best = hits[0]
    # the condition may be stated in another paragraph of the same article that addresses the
    # element nearly as strongly ("Liegen … tatsächliche Anhaltspunkte vor" in § 9(3) beside § 9(1))
    article = top_level(best.unit.unit_id)
    deciding = [
        h for h in hits if top_level(h.unit.unit_id) == article and h.score >= best.score - 1.0
    ]
    conditions = _hits(corpus, element, [h.unit for h in deciding], "condition")
    if conditions:
        cited = next(h for h in deciding if h.unit is conditions[0].unit)
        return _cell(
            corpus, element, cited, "conditional", force=cited.force, more=[best, *hits[1:4]]
        )
    return {**_cell(corpus, element, best, "yes", force=best.force, more=hits[1:4]), "hits": hits}


def _cell(corpus, element, hit: _Hit, value: str, force: str, more=()) -> dict:
    fact = _fact(corpus, element, hit.unit, hit.start)
    if value != "no" and fact and element.bound and outside(element.bound, fact["value"]):
        # "at least every 5 years" does not answer "at least every 12 months?": a cited no,
        # quoting the period
        unit = corpus.by_id.get((hit.unit.doc_id, fact["unit_id"]), hit.unit)
        at = unit.text.find(fact["text"])
        if at >= 0:
            hit = _Hit(unit, at, at + len(fact["text"]), hit.table, hit.rank, hit.score, hit.force)
            value, force = "no", corpus.principal_force(unit)
    unit = hit.unit
    sentence = _sentence(corpus, unit, hit.start)
    span = (sentence.start, sentence.end) if sentence else None
    quote, start, end = _quote(unit, hit.start, hit.end, span)
    cited = [unit] + [h.unit for h in more if h.unit.unit_id != unit.unit_id]
    seen: set[str] = set()
    citations = []
    for u in cited:
        if u.unit_id not in seen:
            seen.add(u.unit_id)
            citations.append(u)
    return {
        "value": value,
        "force": force if force in FORCE_ORDER else "none",
        "citations": citations,
        "quote": quote,
        "quote_unit": unit.unit_id,
        "quote_start": start,
        "quote_end": end,
        "fact": fact,
        "score": hit.score,
    }


def _fact(corpus: Corpus, element: Element, unit: Unit, at: int | None = None) -> dict | None:
    """The key fact of ``element``'s kind that ``unit`` (or a part inside it) states: the one
    in the sentence at offset ``at`` (the cell's quote) when that sentence states one — CSRD
    Art. 1(14) showed "more than EUR 40 million" beside a quote stating "more than EUR 150
    million" — else the unit's first; a later number a date phases in replaces it."""
    if not element.fact:
        return None

    kinds = FACT_KINDS[element.fact]
    sentence = _sentence(corpus, unit, at) if at is not None else None
    for u in (unit, *corpus.children.get((unit.doc_id, unit.unit_id), [])):
        facts = corpus.facts(u)
        of_kind = [f for f in facts if f.kind in kinds]
        if not of_kind:
            continue
        quoted = [
            f
            for f in of_kind
            if u is unit and sentence and sentence.start <= f.start < sentence.end
        ]
        first = (quoted or of_kind)[0]
        out = _fact_dict(first)
        phased = _phased_in(u, facts, kinds)
        if phased is not None:
            later, start = phased
            # the words that state the later number, as the cell's quote states the cue ("1 000"
            # was shown beside a quote that said only "mindestens 3 000 Arbeitnehmer")
            stated = _sentence(corpus, u, later.start)
            span = (stated.start, stated.end) if stated else None
            quote = _quote(u, later.start, later.end, span)[0]
            earlier = of_kind[0] if first is later else first
            out = {
                **_fact_dict(later),
                "from": start,
                "earlier": _fact_dict(earlier),
                "quote": quote,
            }
        return out
    return None


def _fact_dict(fact) -> dict:
    return {
        "text": fact.quote,
        "value": fact.value,
        "unit": fact.unit,
        "qualifier": fact.qualifier,
        "citation": fact.citation,
        "unit_id": fact.unit_id,
    }


def _phased_in(unit: Unit, facts, kinds: tuple[str, ...]):
    """The last fact of ``kinds`` that a date introduces in its own sentence, after a first
    one of those kinds — a phase-in ("mindestens 3 000 Arbeitnehmer … Ab dem 1. Januar 2024
    betragen die … Schwellenwerte jeweils 1 000 Arbeitnehmer", LkSG § 1(1)) — with that date;
    None when the unit states no such later value."""
    found = None
    of_kind = [f for f in facts if f.kind in kinds]
    for fact in of_kind[1:]:
        date = next(
            (
                d
                for d in reversed(facts)
                if d.kind == "date"
                and d.end <= fact.start
                and not re.search(r"[.;]\s", unit.text[d.end : fact.start])
            ),
            None,
        )
        if date is not None and fact.value != of_kind[0].value:
            found = (fact, date.value)
    return found


# --------------------------------------------------------------------------- the matrix


def article_url(record: DocRecord, unit_id: str) -> tuple[str, bool]:
    """An article-level official URL for a unit, and whether it is article-level (else the
    document's URL)."""
    head = top_level(unit_id)
    kind, _, number = head.partition("-")
    url = record.official_url
    own = dict(record.article_urls).get(head)
    if own:
        return own, True
    if "gesetze-im-internet.de" in url and kind == "sec":
        base = url.rsplit("/", 1)[0]
        return f"{base}/__{number}.html", True
    if "eur-lex.europa.eu/" in url and kind == "art":
        # the ELI page and the legal-content page (a translation, a consolidation, a proposal)
        # both carry an id="art_N" anchor per article
        return f"{url}#art_{number}", True
    if "fedlex.admin.ch/eli/" in url and kind == "art":
        return f"{url}#art_{number}", True
    if "fedlex.admin.ch/eli/" in url and kind == "annex":
        return f"{url}#annex_{number}", True
    if "legislation.gov.uk" in url and kind == "sec":
        return url, True
    lovdata = re.match(r"https://lovdata\.no/dokument/NL/lov/(\d{4}-\d{2}-\d{2}-\d+)$", url)
    if lovdata and kind == "sec":
        # Lovdata's own short link to one section of a statute (Norwegian text)
        return f"https://lovdata.no/lov/{lovdata.group(1)}/%C2%A7{number}", True
    return url, False


def compute(
    units: list[Unit],
    manifest: dict[str, DocRecord],
    *,
    editorial: bool = True,
    editorial_path: Path | None = None,
) -> dict:
    """The whole matrix, uncached: ``{"elements", "cells", "advice"}`` (``matrix_of``)."""
    present = {u.doc_id for u in units}
    columns = column_documents(manifest, present)
    parallel = parallel_versions(manifest, columns)
    corpus = Corpus([u for u in units if u.doc_id in columns], parallel)
    cells = [c for d in columns for c in document_cells(corpus, manifest[d], parallel[d])]
    if editorial:
        apply_editorial(cells, corpus, manifest, editorial_path or EDITORIAL_PATH)
    advice = [
        entry
        for d in advice_documents(manifest, present)
        for entry in policy_advice(manifest[d], [u for u in units if u.doc_id == d])
    ]
    return matrix_of(cells, advice)


def matrix_of(cells: list[dict], advice: list[dict]) -> dict:
    """The CLI contract's shape: the elements, the cells, and what policy texts say per topic."""
    return {"elements": [e.to_dict() for e in elements()], "cells": cells, "advice": advice}


def parallel_versions(manifest: dict[str, DocRecord], columns: list[str]) -> dict[str, tuple]:
    """Each column document's language versions of the same text among ``columns`` (itself
    included): the documents linked by ``translation_of``."""
    root = {d: manifest[d].translation_of or d for d in columns}
    return {d: tuple(c for c in columns if root[c] == root[d]) for d in columns}


def document_cells(corpus: Corpus, record: DocRecord, parallel: tuple[str, ...] = ()) -> list[dict]:
    """The automatic cells of one column document, one per element (element order).

    ``parallel``: the other language versions of the same text (manifest ``translation_of``).
    They decide together (``_pooled``): the cue vocabulary is not equally rich in every
    language, and one law must not say yes in English and no in French. A cell decided on
    another version cites and quotes the same provision of this one (``_carried``) and names
    that version in ``decided_in``."""
    versions = [d for d in parallel if d == record.doc_id or corpus.by_doc.get(d)]
    cells = []
    for element in elements():
        cell = corpus.decision(element, record.doc_id)
        decided_in = record.doc_id
        if len(versions) > 1:
            decisions = {
                d: cell if d == record.doc_id else corpus.decision(element, d) for d in versions
            }
            decided_in = _pooled(record.doc_id, decisions)
            if decisions[decided_in]["value"] == cell["value"]:
                decided_in = record.doc_id  # the same answer: this version's own words
            if decided_in != record.doc_id:
                carried = _carried(corpus, element, decisions[decided_in], record.doc_id)
                if carried is None:
                    decided_in = record.doc_id  # the provision is not in this version
                else:
                    cell = carried
        if cell["value"] == "yes" and decided_in == record.doc_id and len(versions) > 1:
            cell = _agreed(corpus, element, cell, [corpus.decision(element, d) for d in versions])
            decided_in = cell.get("decided_in", decided_in)
        cells.append(
            {
                "doc_id": record.doc_id,
                "element": element.element,
                "value": cell["value"],
                "force": cell["force"],
                "citations": [_citation(record, u) for u in cell["citations"]],
                "quote": cell["quote"],
                "quote_unit": cell["quote_unit"],
                "quote_start": cell["quote_start"],
                "quote_end": cell["quote_end"],
                "fact": cell["fact"],
                "source": "automatic",
                "decided_in": decided_in,
            }
        )
    return cells


def _agreed(corpus: Corpus, element: Element, cell: dict, decisions: list[dict]) -> dict:
    """``cell`` citing the provision that the language versions of the text score best
    together (the sum of each version's score for it): each language's cues see part of the
    wording, and one law cites one provision ("le droit de déposer des plaintes" in Art. 14(1)
    over the English best hit on Art. 14(6)). A provision only another version's cues reach is
    quoted in this version's words (``_carried``)."""
    if any(d["value"] != "yes" for d in decisions):
        return cell
    own = cell["hits"]
    total: Counter[str] = Counter()
    found = {h.unit.unit_id: h for h in own}  # a hit on each provision, this version's first
    for decision in decisions:
        best: dict[str, float] = {}
        for h in decision["hits"]:
            best[h.unit.unit_id] = max(best.get(h.unit.unit_id, h.score), h.score)
            found.setdefault(h.unit.unit_id, h)
        total.update(best)
    first = decisions[0]["hits"][0].unit.unit_id  # at a tie, the group's first version's choice
    chosen = max(found, key=lambda uid: (total[uid], uid == first))
    if chosen == own[0].unit.unit_id:
        return cell
    doc_id = own[0].unit.doc_id
    ranked = sorted(own, key=lambda h: -total[h.unit.unit_id])
    hit = found[chosen]
    if hit.unit.doc_id == doc_id:
        return {
            **_cell(corpus, element, hit, "yes", force=hit.force, more=ranked),
            "hits": [hit, *ranked],
        }
    theirs = _cell(corpus, element, hit, "yes", force=hit.force)
    carried = _carried(corpus, element, theirs, doc_id)
    # the cue that decides it is in the other version's words: that version decided the cell
    return cell if carried is None else {**carried, "hits": own, "decided_in": hit.unit.doc_id}


def _pooled(own_doc: str, decisions: dict[str, dict]) -> str:
    """Which version decides a cell (``decisions``: each version's own, in the group's order,
    the same for every version so that they agree): this one when its text excludes the element
    or bounds it out (a cited ``no``), else another that does; else the one whose deciding
    provision scores best (ties: the first in the group); a silent ``no`` everywhere: this one."""
    if decisions[own_doc]["value"] == "no" and decisions[own_doc]["citations"]:
        return own_doc
    cited_no = [d for d, c in decisions.items() if c["value"] == "no" and c["citations"]]
    if cited_no:
        return cited_no[0]
    positive = [
        (c["score"], -i, d) for i, (d, c) in enumerate(decisions.items()) if c["value"] != "no"
    ]
    return max(positive)[2] if positive else own_doc


def _carried(corpus: Corpus, element: Element, cell: dict, doc_id: str) -> dict | None:
    """``cell``, decided on a parallel version, expressed in ``doc_id``: the same provisions
    (those this version has), and as quote the sentence at the same place in this version's
    provision (the same sentence number when both have as many; else the provision's opening
    words). None when this version lacks the deciding provision."""
    cited = [corpus.by_id.get((doc_id, u.unit_id)) for u in cell["citations"]]
    cited = [u for u in cited if u is not None and u.text]
    source = next((u for u in cell["citations"] if u.unit_id == cell["quote_unit"]), None)
    unit = corpus.by_id.get((doc_id, cell["quote_unit"])) if cell["quote_unit"] else None
    if not cited or source is None or unit is None or not unit.text:
        return None
    theirs, ours = corpus.statements(source), corpus.statements(unit)
    at = next((i for i, st in enumerate(theirs) if st.start <= cell["quote_start"] < st.end), None)
    if at is not None and len(theirs) == len(ours):
        span = (ours[at].start, ours[at].end)
    else:
        span = (0, len(unit.text))
    quote, start, end = _quote(unit, span[0], span[0], span)  # from the sentence's start
    return {
        **cell,
        "citations": [unit] + [u for u in cited if u.unit_id != unit.unit_id],
        "quote": quote,
        "quote_unit": unit.unit_id,
        "quote_start": start,
        "quote_end": end,
        "fact": _fact(corpus, element, unit, start) if cell["fact"] else None,
    }


def _citation(record: DocRecord, unit: Unit) -> dict:
    url, precise = article_url(record, unit.unit_id)
    return {
        "unit_id": unit.unit_id,
        "citation": unit.citation,
        "url": url,
        "url_is_article": precise,
    }


def read_editorial(path: Path, corpus: Corpus, manifest=None) -> list[dict]:
    """Reviewed corrections, each checked and, when wrong, rejected with the entry named: an
    unknown document or element; a ``yes``/``conditional`` without the unit and quote that decide
    it; a quote that does not occur in its unit's text (or that names no unit to check it in).
    An entry for a document of the manifest that is not in this corpus is kept (it applies to no
    cell)."""
    if not path.is_file():
        return []
    from kb.store import read_json

    data = read_json(path, "editorial overlay")
    entries = data.get("entries", []) if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise KBError(f"{path}: expected an object with an 'entries' list")
    known = set(element_ids())
    for i, entry in enumerate(entries, 1):
        where = f"{path.name}: entry #{i} ({entry.get('doc_id')} {entry.get('element')})"
        for name in ("doc_id", "element", "value", "reason"):
            if not isinstance(entry.get(name), str) or not entry[name]:
                raise KBError(f"{where}: field {name!r} is required")
        if entry["element"] not in known:
            raise KBError(f"{where}: unknown element {entry['element']!r}")
        if entry["value"] not in VALUES:
            raise KBError(f"{where}: value must be one of {VALUES}")
        present = entry["doc_id"] in corpus.by_doc
        if not present and (manifest is None or entry["doc_id"] not in manifest):
            raise KBError(f"{where}: unknown document {entry['doc_id']!r}")
        if entry["value"] != "no" and not entry.get("unit_id"):
            raise KBError(
                f"{where}: a {entry['value']!r} needs the unit_id and quote that decide it"
            )
        if entry.get("quote") and not entry.get("unit_id"):
            raise KBError(f"{where}: a quote needs the unit_id whose text holds it")
        if entry.get("unit_id") and present:
            unit = corpus.by_id.get((entry["doc_id"], entry["unit_id"]))
            if unit is None:
                raise KBError(f"{where}: unit {entry['unit_id']!r} not in the unit table")
            if not entry.get("quote") or entry["quote"] not in unit.text:
                raise KBError(f"{where}: quote does not occur in {unit.citation}")
    return entries


def apply_editorial(
    cells: list[dict],
    corpus: Corpus,
    manifest,
    path: Path,
    force_of: Callable[[Unit], str] | None = None,
) -> None:
    """Put the reviewed entries of ``path`` over ``cells``; ``force_of`` gives a cited unit's
    principal force (default: worked out now, which loads the sentence splitter)."""
    force_of = force_of or corpus.principal_force
    by_key = {(c["doc_id"], c["element"]): c for c in cells}
    entries = read_editorial(path, corpus, manifest)
    reviewed = {(e["doc_id"], e["element"]) for e in entries}
    for entry in entries:
        _apply_entry(
            by_key.get((entry["doc_id"], entry["element"])), entry, corpus, manifest, force_of
        )
        # the other language versions of the same text answer alike, unless reviewed themselves
        source = corpus.by_id.get((entry["doc_id"], entry.get("unit_id") or ""))
        for doc_id in corpus.parallel.get(entry["doc_id"], ()):
            if doc_id == entry["doc_id"] or (doc_id, entry["element"]) in reviewed:
                continue
            unit = corpus.by_id.get((doc_id, entry.get("unit_id") or ""))
            if source is not None and (unit is None or not unit.text):
                continue  # the provision is not in this version: its own cell stands
            carried = {**entry, "doc_id": doc_id, "decided_in": entry["doc_id"]}
            if source is not None:
                # its opening sentence (no sentence splitter: the matrix loads from its cache
                # in a fresh process without one)
                carried["quote"] = _opening(unit)
            _apply_entry(
                by_key.get((doc_id, entry["element"])), carried, corpus, manifest, force_of
            )


#: a paragraph's or point's label: "1.", "(a)", "a)", "2°"
_LABEL = re.compile(r"\s*(?:\(?[0-9a-zA-Z]{1,5}[.)°]|\(\w{1,5}\))\s+")


def _opening(unit: Unit) -> str:
    """A provision's opening sentence without its label, at most 300 characters (read without
    the sentence splitter)."""
    label = _LABEL.match(unit.text)
    start = label.end() if label else 0
    end = re.compile(r"[.;](?=\s|$)").search(unit.text, start)
    return _quote(unit, start, start, (start, end.end() if end else len(unit.text)))[0]


def _apply_entry(cell, entry: dict, corpus: Corpus, manifest, force_of) -> None:
    """Put one reviewed entry over its cell (none: a document not in this corpus)."""
    if cell is None:
        return
    unit = corpus.by_id.get((entry["doc_id"], entry.get("unit_id") or ""))
    cell.update(value=entry["value"], source="editorial", reason=entry["reason"])
    if entry.get("decided_in"):  # carried from the language version the reviewer read
        cell["decided_in"] = entry["decided_in"]
    if entry.get("reason_nl"):  # the reviewer's reason in Dutch, for the Dutch interface
        cell["reason_nl"] = entry["reason_nl"]
    if unit is None:
        cell.update(
            force="none",
            citations=[],
            quote=None,
            quote_unit=None,
            quote_start=None,
            quote_end=None,
        )
        return
    start = unit.text.index(entry["quote"])
    cell.update(
        force=entry.get("force") or force_of(unit),
        citations=[_citation(manifest[unit.doc_id], unit)],
        quote=entry["quote"],
        quote_unit=unit.unit_id,
        quote_start=start,
        quote_end=start + len(entry["quote"]),
    )


def policy_advice(record: DocRecord, units: list[Unit], size: int = 2) -> list[dict]:
    """What a policy text (``policy-advice``) says on each topic, shown beside the matrix: per
    topic, its ``size`` provisions that the topic cells (``kb.compare.cells.Analysis.matching``)
    match best, each with the sentence that holds the first matched word (≤ 300 characters, a
    verbatim slice with its offsets) and the words matched. A topic match, not a decision:
    nothing here says what the advice requires."""
    from kb.compare.cells import Analysis
    from kb.compare.topics import topic_ids

    analysis = Analysis(units)
    out = []
    for topic in topic_ids():
        for cand in analysis.matching(topic, record.doc_id)[:size]:
            unit = cand.unit
            terms = [term for where, term in cand.evidence.evidence if where == "text"]
            at, length = _first_word(unit.text, terms)
            sentence = next(
                ((s, e) for s, e in sentence_spans(unit.text, unit.language) if s <= at < e),
                None,
            )
            quote, start, end = _quote(unit, at, at + length, sentence)
            url, is_article = article_url(record, unit.unit_id)
            out.append(
                {
                    "doc_id": record.doc_id,
                    "topic": topic,
                    "unit_id": unit.unit_id,
                    "citation": unit.citation,
                    "heading": unit.heading,
                    "url": url,
                    "url_is_article": is_article,
                    "quote": quote,
                    "quote_start": start,
                    "quote_end": end,
                    "matched": [term for _, term in cand.evidence.evidence],
                    "score": round(cand.score, 3),
                }
            )
    return out


def _first_word(text: str, terms: list[str]) -> tuple[int, int]:
    """Where the first of ``terms`` (or, for a term matched word by word, its first word) starts
    in ``text``, and its length; the opening of the text when none is found."""
    lowered = text.lower()
    for term in terms:
        for needle in (term.lower(), term.lower().split()[0] if term.split() else ""):
            at = lowered.find(needle) if needle else -1
            if at >= 0:
                return at, len(needle)
    return 0, 0


def select(
    matrix: dict,
    topics: list[str] | None,
    docs: list[str] | None,
    only: list[str] | None = None,
) -> dict:
    """The elements (of ``topics``; only those named in ``only``) and their cells (of ``docs``)."""
    wanted = {
        e["element"]
        for e in matrix["elements"]
        if (not topics or e["topic"] in topics) and (not only or e["element"] in only)
    }
    return {
        "elements": [e for e in matrix["elements"] if e["element"] in wanted],
        "cells": [
            c
            for c in matrix["cells"]
            if c["element"] in wanted and (not docs or c["doc_id"] in docs)
        ],
        # policy texts are no column: shown for the topics asked, unless columns are picked
        "advice": [
            a
            for a in matrix.get("advice", [])
            if (not topics or a["topic"] in topics) and not docs and not only
        ],
    }


def within_any(unit_id: str, gold: list[str]) -> bool:
    return any(is_within(unit_id, g) for g in gold)
