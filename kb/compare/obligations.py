"""Deontic statements: each sentence of a unit with its force, addressee and cue.

``statements(unit)`` splits a unit's text into sentences (a blank spaCy pipeline per language with
a sentencizer and a boundary guard for "Art. 5", "para. 2", "e.g.", "Nr.", "Abs." …; every line —
paragraph or point of a list — is split on its own, its label dropped) and reads the force of each
sentence from rule-based cues:

- prohibition: shall not, must not / darf … nicht / ne peut, ne doit / mag niet …
- obligation: shall, must, is required to / muss, hat … zu, ist verpflichtet / doit, est tenu,
  veillent à, a normative present with an actor as subject ("La société établit") / moet, dient
- recommendation: should / sollte / devrait / zou moeten
- permission: may / kann, darf / peut / mag, kan
- none: no cue, or a cue that states scope rather than a duty ("This Directive shall apply",
  "Dieses Gesetz ist anzuwenden") — the cue is still recorded.

When a sentence has several cues the strongest wins (prohibition > obligation > recommendation >
permission), so a negated duty is a prohibition. The addressee (company, member-state, authority,
commission, state, other) is the actor named as subject of the cue: the first one named in the
clause before the cue, else before it in the sentence; German inversion ("Ab 2024 hat das
Unternehmen … zu") and scope rules ("This Directive shall apply to companies") look after the cue.
A pronoun subject ("They shall", "Ils communiquent") gives ``other``.

Importing this module is cheap: spaCy is loaded on the first call and cached per language.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache, lru_cache
from typing import TYPE_CHECKING

from kb.models import Statement, Unit

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

Mention = tuple[str, int, int]  # (addressee, start, end) in a sentence
FORCES = ("prohibition", "obligation", "recommendation", "permission", "none")
_RANK = {force: len(FORCES) - i for i, force in enumerate(FORCES)}

# --------------------------------------------------------------------------- sentences

_ABBREVIATIONS = frozenset(
    "art arts para paras p pp no nos nr abs s e.g i.e eg ie cf etc ibid op vol ch sec subpara"
    " al alin cod c vgl bzw ggf ziff buchst lit z.b u.a d.h sog gem ca dr mr mrs ms m mme n°"
    " bijv blz o.a m.b.t.".split()
)
_MONTHS = frozenset(
    "januar jänner februar märz april mai juni juli august september oktober november dezember"
    " janvier février mars avril juin juillet août septembre octobre novembre décembre"
    " january february march may june july october december"
    " januari februari maart mei augustus".split()
)
_LABEL = re.compile(
    r"^\s*[‘“«„]?(?:\(\w{1,5}\)|\d{1,3}[a-z]?\.|[a-z]{1,3}\)|\d{1,3}\s?°|[IVX]{1,5}\.\s?[-–]|[–—•-])\s+"
)
_INLINE_BREAK = re.compile(
    r"(?<=[:;])\s+(?=(?:\(\w{1,4}\)|[a-z]{1,3}\)|\d{1,2}°)\s)"  # "…: (a) …; (b) …"
    r"|(?<=:)\s+(?=[‘“«„])"  # "replaced by the following: ‘1. …"
)


_SENTENCE_END = re.compile(r"[.!?…][\"'’”»)\]]*$")
_BLOCK_END = re.compile(r"[.;:!?…][\"'’”»)\]]*\s*$")
_MAYBE_BOUNDARY = re.compile(r"[.!?…][\"'’”»)\]]*\s+\S")


@cache
def _nlp(language: str) -> Language:
    """A blank pipeline for ``language`` with the boundary guard and a sentencizer (cached)."""
    import spacy
    from spacy.language import Language

    if not Language.has_factory("levelfield_boundaries"):
        Language.component("levelfield_boundaries", func=_guard_boundaries)
    try:
        nlp = spacy.blank(language)
    except ImportError:  # a language spaCy does not know
        nlp = spacy.blank("xx")
    nlp.add_pipe("levelfield_boundaries")
    nlp.add_pipe("sentencizer")
    return nlp


def _guard_boundaries(doc: Doc) -> Doc:
    """Forbid a sentence start after an abbreviation, a list number or before a lowercase word.

    The sentencizer that follows only fills in the tokens left undecided here.
    """
    for i in range(1, len(doc)):
        prev = doc[i - 1]
        if not prev.text.endswith(".") or prev.is_space:
            continue
        k = i
        while k < len(doc) - 1 and doc[k].is_space:  # PDF line wraps: look past "\n"
            k += 1
        word = (prev.text[:-1] or (doc[i - 2].text if i > 1 else "")).lower()
        first = doc[k].text[:1]
        if (
            first.islower()
            or first.isdigit()
            or word in _ABBREVIATIONS
            or (word.isdigit() and len(word) <= 2 and doc[k].lower_ in _MONTHS)  # "1. Januar"
        ):
            for token in doc[i : k + 1]:
                token.is_sent_start = False
    return doc


@lru_cache(maxsize=65536)
def _sentence_spans(block: str, language: str) -> tuple[tuple[int, int], ...]:
    """``(start, end)`` of each sentence of one block of text, offsets into ``block``."""
    pieces, cursor = [], 0
    for match in _INLINE_BREAK.finditer(block):
        pieces.append((cursor, match.start()))
        cursor = match.end()
    pieces.append((cursor, len(block)))
    nlp = _nlp(language)
    spans = []
    for start, end in pieces:
        piece = block[start:end]
        label = _LABEL.match(piece)
        start += label.end() if label else len(piece) - len(piece.lstrip())
        if not block[start:end].strip():
            continue
        if not _MAYBE_BOUNDARY.search(block, start, end):  # one sentence: spare the pipeline
            spans.append((start, start + len(block[start:end].rstrip())))
            continue
        for sent in nlp(block[start:end]).sents:
            text = sent.text
            if text.strip():
                lead = len(text) - len(text.lstrip())
                spans.append(
                    (start + sent.start_char + lead, start + sent.start_char + len(text.rstrip()))
                )
    return tuple(spans)


def _blocks(text: str) -> list[tuple[int, int]]:
    """Paragraph-like blocks of ``text`` as ``(start, end)``: a line break ends a block after
    ``.;:!?`` or before a list label; other breaks (PDF line wraps) stay inside the block."""
    blocks, start, offset = [], 0, 0
    lines = text.split("\n")
    for n, line in enumerate(lines):
        offset += len(line)
        last = n == len(lines) - 1
        if last or _BLOCK_END.search(line) or _LABEL.match(lines[n + 1]) or not line.strip():
            blocks.append((start, offset))
            start = offset + 1
        offset += 1
    return blocks


def sentence_spans(text: str, language: str) -> list[tuple[int, int]]:
    """Sentences of ``text`` as ``[(start, end), …]`` character offsets, in reading order.

    Points of a list are separate sentences, and a leading label such as ``1.``, ``(a)``, ``a)``
    or ``1°`` is left out of the sentence.
    """
    return [
        (start + s, start + e)
        for start, end in _blocks(text)
        for s, e in _sentence_spans(text[start:end], language)
    ]


# --------------------------------------------------------------------------- cues

_GAP = r"[^.;:,]{0,120}?"  # within one clause
_HAT_GAP = r"(?:(?!,\s*(?:um|ohne|statt|anstatt)\b)[^.;:]){0,350}?"  # "hat …, …, zu"
#: "sind Gegenstand, Wert, … anzugeben", "ist spätestens …, auf das er sich bezieht, einzureichen"
#: (not through a relative clause: "Wirksam sind solche Maßnahmen, die es ermöglichen, … zu
#: erkennen" defines)
_IST_GAP = (
    r"(?:(?!,\s*(?:um|ohne|statt|anstatt|die|der|das|dem|den|deren|dessen|welche[rsmn]?)\b)"
    r"[^.;:]){0,200}?"
)
_DE_INF = (  # "zu sorgen", "abzuwägen", "darzulegen", "durchzuführen", "fortzusetzen"
    r"(?:zu\s+[a-zäöüß]+(?:en|ern|eln)|(?:ab|an|auf|aus|bei|ein|fest|her|hin|mit|nach|vor|weg"
    r"|zurück|zusammen|dar|bereit|offen|sicher|statt|teil|um|zu|durch|fort|wieder|weiter"
    r"|entgegen|hervor|heraus|hinzu|frei|los)zu[a-zäöüß]+(?:en|ern|eln))\b"
)
_FR_PRESENT = (
    # not an adjective or a noun after its article ("la présente directive", "la demande"); an
    # object pronoun before the verb is no article ("l'autorité destinataire le transmet")
    r"(?:(?<!\b[Ll]a )(?<!\b[Ll]e )(?<!\bdu )(?<!\bau )(?<!\b[Uu]ne )(?:présente(?:nt)?"
    r"|demande(?:nt)?)"
    r"|établi(?:t|ssent)|adoptent|adopte|publie(?:nt)?|communique(?:nt)?|applique(?:nt)?"
    r"|prend|prennent|prévoi(?:t|ent)|fixe(?:nt)?|désigne(?:nt)?|met(?:tent)? en (?:place|œuvre)"
    r"|garanti(?:t|ssent)|assure(?:nt)?|s['’]assure(?:nt)?|intègre(?:nt)?|transmet(?:tent)?"
    r"|informe(?:nt)?|élabore(?:nt)?|fourni(?:t|ssent)|évalue(?:nt)?|réexamine(?:nt)?"
    r"|notifie(?:nt)?|détermine(?:nt)?|procède(?:nt)?|rend(?:ent)? public"
    r"|accorde(?:nt)?|consulte(?:nt)?|coopère(?:nt)?|tien(?:t|nent) (?:dûment )?compte"
    r"|soumet(?:tent)?|exige(?:nt)?|supporte(?:nt)?|respecte(?:nt)?"
    r"|facilite(?:nt)?|collabore(?:nt)?|conserve(?:nt)?|habilite(?:nt)?|suit|suivent"
    r"|met(?:tent)? à (?:jour|(?:la )?disposition)|documente(?:nt)?|rédige(?:nt)?|vérifie(?:nt)?"
    r"|identifie(?:nt)?|recense(?:nt)?|cite(?:nt)?|mentionne(?:nt)?"
    r"|décri(?:t|vent)|indique(?:nt)?|édicte(?:nt)?|rapporte(?:nt)?|sollicite(?:nt)?)\b"
)

# Per language, cue patterns in precedence order (see ``_compiled``). Kinds: a force; "scope" (a
# duty only when an actor is its subject: "Member States shall apply", not "This Directive shall
# apply"); "never" (not a duty: "shall be deemed"); "present" (normative present tense, needs an
# actor as its subject: "La société établit"); "mask" (hides look-alikes: "should have been").
_CUES: dict[str, list[tuple[str, str]]] = {
    "en": [
        (
            "mask",  # not a deontic "may": "as the case may be", "the means may vary"
            r"\bas the case may be\b|\bshould (?:not )?have been\b"
            # … nor the "should" of an indirect question ("elaborates on how enterprises should")
            r"|\b(?:explains?|elaborates?|describes?|sets? out|clarif(?:y|ies))\b[^.;:]{0,40}?"
            r"\bhow\b[^.;:]{0,60}?\b(?:should|shall|must)\b"
            # … or of a question to be assessed ("(e) whether the rules … need to be amended")
            r"|\bwhether\b[^.;:]{0,400}?\b(?:should|needs? to|ought to)\b"
            r"|\bmay (?:also |well |even |therefore )?(?:vary|differ|change|arise|occur|affect"
            r"|be affected|increase|decrease|constrain|be subject to|lead to|result in|need"
            r"|become|exist|seem|appear|face|be at|be (?:more|less|particularly|especially"
            r"|necessary|appropriate|relevant|difficult|useful|helpful|complicit))\b",
        ),
        (
            "permission",  # "shall not preclude Member States from introducing" leaves them free
            r"\bshall not (?:preclude|prevent) (?:\w+ ){1,4}?from\b",
        ),
        (
            "never",  # an exemption relieves of a duty, it neither imposes nor permits
            r"\b(?:shall|must|need|is|are)(?: also)? not (?:be )?(?:required|obliged) to\b"
            r"|\bneed not\b|\b(?:(?:shall|must)(?: also)? be )?exempt(?:ed)?\b",
        ),
        (
            "never",
            r"\b(?:shall|must)(?:\s+(?:not|also|only|nevertheless|be))*\s+(?:be construed"
            r"|be interpreted|be understood|be deemed|be considered|be regarded|be held liable"
            r"|be liable|prejudice|be without prejudice|affect|enter into|be addressed to"
            r"|remain (?:jointly )?liable|constitute|limit|preclude|restrict|be a prerequisite"
            r"|lead to|result in|reduce|expose|give rise to|entail)\b",
        ),
        (  # a provision declared applicable to something else is a cross-reference, not a duty
            "never",
            r"\bshall(?: also)? apply\s+(?:\w+\s+){0,6}?mutatis\s+mutandis\b",
        ),
        ("scope", r"\bshall(?:\s+(?:not|also|only|no longer|continue to))*\s+apply\b"),
        (
            "prohibition",
            r"\b(?:shall|must|may) not\b|\bshall in no (?:case|way)\b|\brefrain(?:s|ing)? from\b"
            r"|\b(?:is|are|shall be) (?:prohibited|not permitted|not allowed)\b",
        ),
        (
            "permission",  # … and so is a power conferred: "The power to adopt delegated acts …
            # shall be conferred on the Commission"
            r"\bshall (?:be (?:entitled|allowed|permitted|empowered) to"
            r"|have (?:at least )?the (?:right|power)s? to)\b"
            r"|\bpowers? to\b[^.;:]{0,200}?\b(?:shall be|is|are) conferred on\b",
        ),
        ("recommendation", r"\bshould\b|\bought to\b|(?<!\bno )(?<!\bthe )(?<!\ba )\bneeds? to\b"),
        (
            "obligation",
            r"\bshall\b|\bmust\b|\b(?:is|are) (?:required|obliged|bound) to\b"
            r"|\b(?:has|have) to\b|\bare to\b",
        ),
        (  # not the month: "of 13 May 2024"
            "permission",
            r"\bmay\b(?!\s+\d{4}\b)|\b(?:is|are) (?:entitled|permitted|allowed|empowered) to\b",
        ),
    ],
    "de": [
        (  # a "kann" at the end of a relative clause says what a thing is able to do, not what
            # anyone may: "ein System, mit dem die Lieferkette zurückverfolgt werden kann"
            "mask",
            r",\s*(?:(?:mit|in|an|auf|durch|für|bei|von|aus|nach|über|unter|gegen)\s+)?"
            r"(?:der|die|das|dem|den|denen|deren|dessen|welche[mnrs]?)\s[^,.;:]{0,150}?"
            r"\b(?:kann|können)(?=\s*(?:[,.;:]|$))",
        ),
        (
            "never",  # "bleibt unberührt"; exemptions: "befreit sind", "müssen … keinen … erstellen",
            # "müssen nicht prüfen" (need not)
            r"\bbleib(?:t|en) unberührt\b|\bbefreit\b|\bfindet keine Anwendung\b|\bgilt nicht\b"
            r"|\b(?:muss|müssen)\b[^.;:]{0,80}?\bkein(?:e|en|er|em)?\b|\b(?:muss|müssen) nicht\b(?!\s+nur\b)",
        ),
        (  # a power conferred: "Die Befugnis zum Erlass delegierter Rechtsakte … wird der
            # Kommission … übertragen"
            "permission",
            r"\bBefugnis\b[^.;:]{0,200}?\b(?:wird|werden)\b[^.;:]{0,120}?\bübertragen\b",
        ),
        ("scope", rf"\b(?:ist|sind)\b{_GAP}\banzuwenden\b"),
        (
            "prohibition",
            rf"\b(?:darf|dürfen)\b{_GAP}\b(?:nicht|kein(?:e|en|er|em)?)\b"
            r"|\b(?:nicht|kein(?:e|en|er|em)?)\b[^.;:]{0,150}?\b(?:darf|dürfen)\b"
            r"|\b(?:ist|sind) (?:verboten|untersagt)\b",
        ),
        ("recommendation", r"\bsollte(?:n)?\b"),
        (
            "obligation",  # "soll" of a German statute is a duty save in atypical cases
            r"\b(?:muss|müssen|soll|sollen)\b"
            r"|\b(?:ist|sind)\b[^.;:]{0,60}?\b(?:verpflichtet|geboten)\b"
            rf"|\b(?:hat|haben)\b{_HAT_GAP}\b{_DE_INF}|\b(?:ist|sind)\b{_IST_GAP}\b{_DE_INF}",
        ),
        (
            "present",  # normative present with an actor (Swiss statutes: "Die Unternehmen führen")
            r"\b(?:stell(?:t|en) sicher|sorg(?:t|en) dafür|leg(?:t|en)\b[^.;:]{0,80}?\bfest"
            r"|stell(?:t|en)\b[^.;:]{0,150}?\bbereit"
            r"|erstatte(?:t|n)|erstell(?:t|en)|führ(?:t|en)|ermittel(?:t|n)|bewerte(?:t|n)"
            r"|triff?t|treffen|veröffentlich(?:t|en)|dokumentier(?:t|en)|berichte(?:t|n)"
            r"|überwach(?:t|en)|lass(?:t|en)\b[^.;:]{0,80}?\bprüfen|prüft"
            r"|(?<!nicht )(?<!zu )prüfen|(?:wird|werden) tätig|erlässt)\b",
        ),
        (  # the statute's present of a document's contents: "Der Bericht umfasst insbesondere:"
            # (not of anything: "Sie [die Zahlungen] umfassen insbesondere folgende Arten")
            "obligation",
            r"\b(?:Bericht|Erklärung|Plan|Auskünfte|Unterlagen|Dokumentation|Angaben|Strategie"
            r"|Konzept)\w*\b[^.;:]{0,80}?\b(?:umfass(?:t|en)|enthält|enthalten)"
            r" (?:insbesondere|mindestens)\b",
        ),
        (
            "permission",
            r"\b(?:kann|können|darf|dürfen)\b"
            r"|\b(?:ist|sind|wird|werden)\b[^.;:,]{0,80}?\b(?:berechtigt|befugt|ermächtigt)\b",
        ),
    ],
    "fr": [
        (  # … nor an indirect question: "la manière dont les entreprises doivent s'acquitter"
            "mask",
            r"\bcomme il se doit\b|\bon ne peut\b"
            r"|\b(?:concerne|précise|explique|décrit|sur)\s+(?:la manière|la façon) dont\b"
            r"[^.;:]{0,80}?\b(?:doi(?:ven)?t|devrai(?:en)?t)\b",
        ),
        (
            "never",  # not liable; exemptions: "exonérées", "dispensées", "ne s'applique pas",
            # "ne sont pas tenues d'établir" (need not, as "müssen nicht", "not required")
            r"\b(?:est|sont|être|soit|soient) tenue?s? (?:pour )?responsables?\b"
            r"|\bexonérée?s?\b|\bexemptée?s?\b|\bdispensée?s?\b|\blibérée?s? de\b"
            r"|\bne s['’]appliquen?t? pas\b"
            r"|\bn(?:e\s+|['’])(?:est|sont) pas tenue?s?\b"
            # a provision declared applicable to something else: a cross-reference
            r"|\bs['’]appliquen?t?\s+(?:\w+\s+){0,6}?(?:mutatis\s+mutandis|par analogie)\b",
        ),
        (  # a power conferred: "Le pouvoir d'adopter des actes délégués … est conféré à la
            # Commission"
            "permission",
            r"\bpouvoirs? d['’]adopter\b[^.;:]{0,200}?\b(?:est|sont) conférée?s? à\b",
        ),
        ("permission", r"\bn(?:e\s+|['’])(?:peut|peuvent)\b(?=[^.;:]{0,80}?\bqu(?:e\b|['’]))"),
        (
            "prohibition",
            r"\bn(?:e\s+|['’])(?:peut|peuvent|doit|doivent|sauraient|saurait)\b"
            r"|\b(?:est|sont) interdite?s?\b|\bil est interdit\b"
            r"|\bs['’]abst(?:enir|ient|iennent)\b",
        ),
        ("recommendation", r"\bdevrai(?:t|ent)\b"),
        (
            "obligation",
            r"\b(?:doit|doivent)\b|\b(?:est|sont)(?: \w+ment)? tenue?s?\b|\bveill(?:e|ent) à\b"
            r"|\b(?:est|sont) dans l['’]obligation\b|\bl['’]oblige(?:nt)? à\b",
        ),
        ("present", _FR_PRESENT),
        (  # the French statute's present states the rule even of a thing: "Le plan comporte",
            # "Les lignes directrices … comprennent :" (a document's contents; not "Ils [les
            # paiements] comprennent notamment les types de prestations suivants")
            "obligation",
            r"\b(?:(?:comporte(?:nt)?|contien(?:nen)?t)\b|se fonde(?:nt)? sur"
            r"|\b(?:plan|rapport|lignes directrices|déclaration|politique|stratégie|code)\b"
            r"[^.;:]{0,80}?\bcompren(?:d|nent)\b(?=[^.;:]{0,60}?(?:suivante?s\b|:))"
            # … or of that document named by a pronoun: "Il comprend les mesures suivantes :"
            r"|^\W*(?:Il|Elle)\s+comprend\b(?=[^.;:]{0,60}?suivante?s\b)"
            r"|(?:fait|font) l['’]objet d['’]une?|(?:est|sont) assortie?s? d(?:e|es|['’]))",
        ),
        (  # … and of what is done to it, said of the sentence's subject: "Le rapport est rédigé
            # dans une langue nationale", "La consultation … a lieu aux étapes suivantes" (not
            # "Lorsque le plan est approuvé, …")
            "obligation",
            r"^\W*(?:\d+\.?\s+)?(?:Le|La|Les|L['’])\s*[^,;:.]{1,60}?\b(?:(?:est|sont)"
            r" (?:rédigée?s?|conservée?s?|approuvée?s?|signée?s?|transmise?s?|documentée?s?)"
            r"|(?<!\by )(?:a|ont) lieu)\b",
        ),
        (
            "permission",
            r"\b(?:peut|peuvent)\b|\b(?:est|sont) (?:autorisée?s?|habilitée?s?)\b"
            r"|\b(?:dispose(?:nt)?|a|ont) (?:au moins )?(?:du|le|des) pouvoirs?\b"
            r"|\b(?:a|ont) (?:le )?droit (?:de|d['’]|à)",
        ),
    ],
    "nl": [
        (
            "prohibition",
            r"\b(?:mag|mogen)\b[^.;:]{0,80}?\b(?:niet|geen)\b|\b(?:is|zijn) verboden\b"
            r"|\bhet is verboden\b",
        ),
        ("recommendation", r"\b(?:zou|zouden)\b[^.;:]{0,80}?\bmoeten\b|\bzou(?:den)? best\b"),
        (
            "obligation",
            r"\b(?:moet|moeten)\b|\b(?:dient|dienen)\b[^.;:]{0,80}?\bte\s+\w+"
            r"|\b(?:is|zijn)\b[^.;:]{0,40}?\b(?:verplicht|gehouden)\b",
        ),
        ("permission", r"\b(?:mag|mogen|kan|kunnen)\b"),
    ],
    "nb": [
        ("prohibition", r"\b(?:skal|må|kan)\s+ikke\b|\ber forbudt\b"),
        ("recommendation", r"\bbør\b"),
        ("never", r"\b(?:gjelder ikke|er unntatt)\b"),
        (
            "scope",  # "Loven gjelder for …" (not "informasjonen gjelder opplysninger om")
            r"\b(?:loven|forskriften|bestemmelsene?)(?: også| ikke)? (?:skal )?gjelder?\b",
        ),
        ("obligation", r"\bskal\b|\bmå\b|\bplikter\b|\ber (?:pliktig|forpliktet)\b"),
        ("present", r"\b(?:fører tilsyn|fastsetter|offentliggjør|utarbeider|behandler)\b"),
        ("permission", r"\bkan\b|\bhar\b[^.;:]{0,40}?\brett\b|\bhar (?:lov|adgang) til\b"),
    ],
}

_ADDRESSEES: dict[str, list[tuple[str, str]]] = {
    "en": [
        ("member-state", r"\bMember States?\b"),
        ("commission", r"\b(?:the )?Commission\b"),
        (
            "authority",
            r"\b(?:[Ss]upervisory|[Cc]ompetent|[Pp]ublic|[Nn]ational|such|that|those|these)"
            r" [Aa]uthorit(?:y|ies)\b|\bAuthorit(?:y|ies)\b",
        ),
        (
            "company",
            r"\b[Cc]ompan(?:y|ies)\b|\b(?:[Bb]usiness )?[Ee]nterprises?\b|\b[Uu]ndertakings?\b"
            r"|\b(?:[Oo]perator|[Tt]rader)s?\b",
        ),
        ("state", r"\bStates?\b"),
    ],
    "de": [
        ("member-state", r"\bMitgliedstaat(?:en|es)?\b"),
        ("commission", r"\bKommission\b"),
        ("authority", r"\b(?:Behörden?|BAFA|Bundesamt(?:es)?)\b"),
        (
            "company",
            r"\bUnternehmen[s]?\b|\b(?:oberste )?Leitungs- oder Verwaltungsorgan\b"
            r"|\b(?:Verwaltungsrat|Vorstand|Geschäftsleitung)\b",
        ),
        ("state", r"\b(?:Staat(?:en)?|Bundesregierung|Bundesrat)\b"),
    ],
    "fr": [
        ("member-state", r"\bÉtats? membres?\b"),
        ("commission", r"\b(?:la )?Commission\b"),
        ("authority", r"\b[Aa]utorités?\b"),
        (
            "company",
            r"\b(?:[Ss]ociétés?|[Ee]ntreprises?)\b"
            r"|\b[Oo]rganes? (?:suprême )?de direction(?: ou d['’]administration)?\b"
            r"|\b[Oo]rganes? d['’]administration\b|\b[Cc]onseil d['’]administration\b",
        ),
        ("state", r"\b(?:l['’])?États?\b|\bConseil fédéral\b"),
    ],
    "nl": [
        ("member-state", r"\b[Ll]idstat(?:en|aat)\b|\b[Ll]idstaat\b"),
        ("commission", r"\b(?:de )?Commissie\b"),
        ("authority", r"\b(?:[Tt]oezichthouders?|[Aa]utoriteit(?:en)?)\b"),
        ("company", r"\b(?:[Oo]ndernemingen|[Oo]nderneming|[Bb]edrijven|[Bb]edrijf)\b"),
        ("state", r"\b(?:[Oo]verheid|[Oo]verheden|[Ss]taten|[Ss]taat)\b"),
    ],
    "nb": [
        (
            "authority",
            r"\b(?:Forbrukertilsynet|Markedsrådet|[Dd]epartementet|[Mm]yndighet(?:en|ene)?)\b",
        ),
        ("company", r"\b(?:[Vv]irksomhet(?:en|ene|er)?|[Ff]oretak(?:et)?)\b"),
        ("state", r"\b(?:[Ss]taten|Kongen)\b"),
    ],
}

_PRONOUN_SUBJECT = re.compile(  # after the paragraph's number or point's letter too: "4 Er legt
    # fest", "c. Es sorgt dafür"
    r"(?:^(?:\d+[a-z]?\s+|\(?(?:[a-z]|\d{1,2})[.)]\s+)?|[,;]\s*)"
    r"(?:They|It|Ils|Elles|Il|Elle|Sie|Er|Es|Zij|Hij|(?:il|elle)s?)\s+$"
)
#: words that open a clause which is the content of the cue before it ("shall ensure that …",
#: "kan gi forskrift om at …", "un overtredelsesgebyr som … skal betale")
_CONTENT_CLAUSE = {
    language: re.compile(rf"\b(?:{words})(?!\w)", re.IGNORECASE)
    for language, words in {
        "en": r"that|which|who|whom",
        "fr": r"que|qu['’]|qui|dont",
        "de": r"dass|daß",
        "nl": r"dat",
        "nb": r"at|som",
    }.items()
}
#: what may stand between a subject and its present-tense verb: up to five words ("L'autorité de
#: supervision saisie d'une demande informe"), not a relative pronoun, a conjunction or a
#: subordinating word ("Les sociétés devraient en tenir compte lorsqu'elles intègrent")
_SUBJECT_GAP = re.compile(
    r"\s*(?:(?!(?:qui|que|dont|that|which|who|et|and|und|ou|or|lorsque?|lorsqu|quand|si|where"
    r"|when|if|wenn|dass|sofern|soweit)\b)[\w’'-]+\s+){0,5}"
)
_RELATIVE_SUBJECT = re.compile(r"\s+(?:qui|die|der|that|which|who)\b[^.;]*,\s*")
_SUBORDINATE = re.compile(
    r"\b(?:where|if|when|whether|that|which|que|qui|dont|lesquel(?:le)?s?|auxquel(?:le)?s?"
    r"|lorsque?|lorsqu['’]|si|quand|où|dass|wenn|soweit|sofern|falls|als|indien|wanneer)\b",
    re.IGNORECASE,
)


@cache
def _compiled(table: str, language: str) -> tuple[re.Pattern[str], tuple[str, ...]]:
    """One regex of all cue (or addressee) patterns of ``language``, in precedence order, and the
    kind of each of its named groups (English patterns for an unknown language).

    A single pass with alternatives tried in order: where two cues start at the same word the
    earlier one wins, so "shall not" is not also "shall" and "zou moeten" not also "moeten".
    """
    source = _CUES if table == "cues" else _ADDRESSEES
    table_ = source.get(language, source["en"])
    flags = re.IGNORECASE if table == "cues" else 0
    regex = "|".join(f"(?P<g{i}>{pattern})" for i, (_, pattern) in enumerate(table_))
    return re.compile(regex, flags), tuple(kind for kind, _ in table_)


def _matches(table: str, sentence: str, language: str) -> list[tuple[str, re.Match[str]]]:
    """Non-overlapping matches of a pattern table as ``[(kind, match), …]``, in reading order."""
    regex, kinds = _compiled(table, language)
    return [(kinds[int(m.lastgroup[1:])], m) for m in regex.finditer(sentence)]


def _mentions(sentence: str, language: str) -> list[Mention]:
    """Addressee mentions as ``[(addressee, start, end), …]`` in reading order."""
    return [(kind, *m.span()) for kind, m in _matches("addressees", sentence, language)]


def _clause_start(sentence: str, at: int) -> int:
    """Start of the clause that ends at offset ``at`` (after the last comma or semicolon)."""
    return max(sentence.rfind(",", 0, at), sentence.rfind(";", 0, at)) + 1


def _addressee(sentence: str, mentions: list[Mention], at: int, end: int, look_after: bool) -> str:
    """The actor of the cue at ``at``…``end``: the first mention of its clause, else the first
    mention before it; with ``look_after`` (German inversion, scope rules) also one after it."""
    clause = _clause_start(sentence, at)
    before = [m for m in mentions if m[2] <= at]
    in_clause = [m for m in before if m[1] >= clause]
    if in_clause:
        return in_clause[0][0]
    if _PRONOUN_SUBJECT.search(sentence[:at]):
        return "other"
    if before:
        return before[0][0]
    after = [m for m in mentions if m[1] >= at and (m[1] < max(end, at + 40))]
    return after[0][0] if look_after and after else "other"


def _has_actor(sentence: str, mentions: list[Mention], at: int, adjacent: bool) -> bool:
    """True when an actor or a pronoun is the subject of the verb at ``at``.

    ``adjacent``: the actor must stand right before the verb ("La société établit", "Toute
    société qui …, établit"), in a main clause (not after "Lorsque", "Where", "Wenn" …);
    otherwise anywhere in the clause before it.
    """
    clause = _clause_start(sentence, at)
    if _PRONOUN_SUBJECT.search(sentence[:at]):
        return True
    for _, start, end in mentions:
        if end > at or (start < clause and not adjacent):
            continue
        if not adjacent:
            return True
        gap_ok = _SUBJECT_GAP.fullmatch(sentence[end:at]) or (
            start < 20 and _RELATIVE_SUBJECT.fullmatch(sentence[end:at])
        )
        if gap_ok and not _SUBORDINATE.search(sentence[_clause_start(sentence, start) : start]):
            return True
    return False


def _cue_text(match: re.Match[str]) -> str:
    """The cue as written; a discontinuous cue keeps its ends ("hat … zu sorgen")."""
    words = match.group(0).split()
    if len(words) <= 4:
        return " ".join(words)
    tail = words[-2:] if words[-2].lower() == "zu" else words[-1:]
    return f"{words[0]} … {' '.join(tail)}"


def _force(kind: str, match: re.Match[str], sentence: str, mentions: list[Mention]) -> str:
    """The force a cue match stands for in this sentence (``""`` when it stands for nothing)."""
    if kind == "never":
        return "none"
    if kind in ("scope", "present"):
        if not _has_actor(sentence, mentions, match.start(), adjacent=kind == "present"):
            return "none" if kind == "scope" else ""
        return "prohibition" if re.search(r"\bnot\b", match.group(0)) else "obligation"
    return "" if kind == "mask" else kind


def _cue_forces(sentence: str, language: str, mentions: list[Mention], coordinated: bool = False):
    """``(kind, match, force)`` of each cue that stands for a force in ``sentence``, in reading
    order, leaving out the cues of what a main-clause cue is about ("… shall ensure that
    complaints may be submitted": the "may" is what is ensured) — with ``coordinated``, except
    a cue right after "and" ("… with which the impact has arisen and shall … take"). A
    ``present`` cue without an adjacent actor is yielded with force ``""``."""
    content = _CONTENT_CLAUSE.get(language, _CONTENT_CLAUSE["en"])
    main_end = -1  # end of the main clause's cue: what follows "that …" is what it is about
    for kind, match in _matches("cues", sentence, language):
        if main_end >= 0 and content.search(sentence, main_end, match.start()):
            if not (coordinated and _AND.search(sentence, 0, match.start())):
                continue  # "Kongen kan gi forskrift om at loven … skal gjelde": the "kan" decides
        force = _force(kind, match, sentence, mentions)
        if force and main_end < 0:
            main_end = match.end()
        yield kind, match, force


_AND = re.compile(r"\b(?:and|et|und|og|en)\s*,?\s*$", re.IGNORECASE)


@lru_cache(maxsize=65536)
def classify(sentence: str, language: str) -> tuple[str, str, str]:
    """``(force, addressee, cue)`` of one sentence; force ``none`` and cue ``""`` without a cue."""
    mentions = _mentions(sentence, language)
    best: tuple[int, str, str, re.Match[str], str] | None = None
    for kind, match, force in _cue_forces(sentence, language, mentions):
        if force and (best is None or _RANK[force] > best[0]):
            best = (_RANK[force], force, _cue_text(match), match, kind)
    if best is None:
        return "none", mentions[0][0] if mentions else "other", ""
    _, force, cue, match, kind = best
    look_after = language == "de" or kind == "scope"
    return force, _addressee(sentence, mentions, match.start(), match.end(), look_after), cue


def closing_force(sentence: str, language: str) -> str:
    """The force of the last cue in ``sentence`` (``classify`` takes the strongest): what a
    list's lead-in commands of its points is its final verb ("est tenue de s'abstenir de … et
    prend … les mesures suivantes :" — the points are measures to take, not to refrain from;
    a present tense coordinated after a cue shares its subject)."""
    last: tuple[int, str] | None = None
    mentions = _mentions(sentence, language)
    for kind, match, force in _cue_forces(sentence, language, mentions, coordinated=True):
        if not force and kind == "present" and last is not None:
            force = "obligation"  # "… et … prend": the subject of the first verb
        if force not in ("", "none") and (last is None or match.start() > last[0]):
            last = (match.start(), force)
    return last[1] if last else "none"


def statements(unit: Unit) -> list[Statement]:
    """The sentences of ``unit.text`` with their force, addressee and cue, in reading order.

    Returns a list of ``Statement`` whose ``start``/``end`` are offsets into ``unit.text``
    (``unit.text[s.start:s.end] == s.text``); list labels such as ``(a)`` are not included.
    """
    out = []
    lead = ""  # an open lead-in without a cue ("…, so hat es unverzüglich" before its points)
    for start, end in sentence_spans(unit.text, unit.language):
        text = unit.text[start:end]
        force, addressee, cue = classify(text, unit.language)
        if force == "none" and lead:
            # a point that completes its lead-in's verb ("hat es … 1. … durchzuführen")
            joined = classify(f"{lead} {text}", unit.language)
            if joined[0] != "none":
                force, addressee, cue = joined
        if _SENTENCE_END.search(text):
            lead = ""
        elif force == "none" and not lead:
            lead = text
        out.append(Statement(unit.doc_id, unit.unit_id, text, force, addressee, start, end, cue))
    return out


def strongest_force(forces: Iterable[str]) -> str:
    """The strongest of several forces (of the provisions of one instrument on one topic):
    prohibition > obligation > recommendation > permission > none; ``"none"`` when there are
    none. The force of one provision is its *principal* force (``kb.compare.matrix``), not this."""
    return max((f for f in forces if f), key=_RANK.__getitem__, default="none")
