"""The principal deontic force of a provision: what it does as a whole, as a lawyer would
summarise it — ``obligation`` / ``prohibition`` / ``recommendation`` / ``permission`` / ``none``.

``kb.compare.obligations`` gives each sentence its force, cue and addressee; ``Provisions``
weighs them for a provision: the force of its operative sentences (exceptions and derogations
do not count unless the provision is nothing else; the first operative sentence weighs most, a
later "may" half); a list point whose first clause has no cue completes its lead-in, and a lead-in
commands its points with its last verb ("shall refrain from … and shall take the following
actions:"); the points of "shall ensure that:" (or "… order the company to:") are what the lead-in
commands, whatever their own verbs; an amending instruction commands nothing, the words it inserts
decide; a provision that opens with a scope rule, an exemption or a saving clause, an annex, a
subject-matter, purpose or definitions article, and the "shall"s of a scope article are ``none``;
a soft-law principle is its first paragraph, not its commentary, and its "may" describes. The
language versions of one text agree each provision's force (``agreed_force``).
``kb.compare.matrix`` reads the force of the provision that decides a cell.
"""

from __future__ import annotations

import re
from collections import Counter

from kb.models import Statement, Unit
from kb.numbering import top_level

OPERATIVE = ("obligation", "prohibition", "recommendation", "permission")
DUTY = ("obligation", "prohibition", "recommendation")
_MAY_CUE = re.compile(r"^may\b", re.I).match
FORCE_ORDER = ("obligation", "prohibition", "recommendation", "permission", "none")
_EXCEPTION = re.compile(
    r"^\W*(?:by way of derogation|notwithstanding|this (?:article|paragraph) "
    r"shall not|par dérogation|nonobstant|abweichend|in afwijking)",
    re.I,
)
#: an amending instruction ("Article 37 is amended as follows:", "point (c) is deleted;",
#: "wird wie folgt geändert:", "skal lyde:") commands nothing; the words it inserts do
_AMENDING = re.compile(
    r"\b(?:amended as follows|replaced by the following|the following (?:\w+ ){0,3}(?:is|are)"
    r" (?:added|inserted))\b"
    r"|\b(?:article|paragraph|subparagraph|point|annex|section)s?\b[^.:;]{0,40}\b(?:is|are)"
    r" (?:deleted|replaced|inserted|added|renumbered)\b"
    r"|\b(?:modifiée?s? comme suit|remplacée?s? par (?:le texte suivant|ce qui suit)"
    r"|il est (?:inséré|ajouté))"
    r"|\b(?:l['’]article|le point|le paragraphe|l['’]alinéa|l['’]annexe)[^.:;]{0,40}"
    r"\b(?:est|sont) (?:supprimée?s?|remplacée?s?|insérée?s?|ajoutée?s?)"
    r"|\bwird wie folgt geändert|\berhält folgende Fassung"
    r"|\b(?:Artikel|Absatz|Nummer|Satz|Buchstabe|§)[^.:;]{0,40}\b(?:wird|werden)"
    r" (?:\S+ ){0,3}(?:eingefügt|angefügt|gestrichen|aufgehoben|ersetzt)\b"
    r"|\bwordt als volgt gewijzigd|\b(?:artikel|lid|punt)[^.:;]{0,40}\bwordt"
    r" (?:vervangen|ingevoegd|toegevoegd|geschrapt)\b"
    r"|\bskal lyde\b|\b(?:§|ledd|bokstav)[^.:;]{0,40}\boppheves\b",
    re.I,
)
_DEFINITION = re.compile(
    r"\bmeans?\b|\bmenes\b|\bbedeute[nt]\b|\bon entend par\b|\bs['’]entend\b"
    r"|\bim Sinne dieses Gesetzes (?:ist|sind)\b|\bgelten als\b|\bwordt verstaan\b",
    re.I,
)
#: an article that only says what the act is about ("Subject matter", "Objet", "Lovens formål")
_ABOUT_HEADING = re.compile(
    r"^\W*(?:subject[- ]matter(?: and scope)?|objet|gegenstand|purpose|zweck|lovens formål"
    r"|onderwerp|doel)\W*$",
    re.I,
)
#: a lead-in whose points are what it commands to ensure or to do ("shall ensure that:", "veillent
#: à ce que :", "stellen sicher, dass:", "sørge for at:", "the power to … order the company to:")
_ENSURE_THAT = re.compile(r"\b(?:that|to|que|qu['’]|dass|at)\s*:\s*$", re.I)
_SCOPE_HEADING = re.compile(
    r"\bscope\b|anwendungsbereich|geltungsbereich|champ d.application|virkeområde"
    r"|toepassingsgebied|werkingssfeer",
    re.I,
)
DEFINITIONS_HEADING = re.compile(r"definition|begriff|définition|definisjon|begrippen", re.I)


class Provisions:
    """Units of some documents, with their statements and principal forces computed once."""

    def __init__(self, units: list[Unit], parallel: dict[str, tuple[str, ...]] | None = None):
        """``parallel``: each document's language versions of the same text (itself included,
        ``kb.compare.matrix.parallel_versions``); their provisions of one unit id state one rule
        (``agreed_force``)."""
        self.units = [u for u in units]
        self.parallel = parallel or {}
        self.by_id = {(u.doc_id, u.unit_id): u for u in self.units}
        self.by_doc: dict[str, list[Unit]] = {}
        self.children: dict[tuple[str, str], list[Unit]] = {}
        for u in self.units:
            self.by_doc.setdefault(u.doc_id, []).append(u)
            if u.parent:
                self.children.setdefault((u.doc_id, u.parent), []).append(u)
        self._statements: dict[tuple[str, str], list[Statement]] = {}
        self._force: dict[tuple[str, str], str] = {}
        self._own_force: dict[tuple[str, str], str] = {}

    def statements(self, unit: Unit) -> list[Statement]:
        key = (unit.doc_id, unit.unit_id)
        if key not in self._statements:
            from kb.compare.obligations import statements

            self._statements[key] = statements(unit)
        return self._statements[key]

    def own_statements(self, unit: Unit) -> list[Statement]:
        """The statements of ``unit``'s own words (its lead-in, before its first sub-unit)."""
        end = self.own_end(unit)
        return [s for s in self.statements(unit) if s.end <= end + 1]

    def own_end(self, unit: Unit) -> int:
        """End offset in ``unit.text`` of the unit's own words (before its first sub-unit)."""
        kids = self.children.get((unit.doc_id, unit.unit_id))
        if not kids:
            return len(unit.text)
        first = min(kids, key=lambda k: k.order).text[:40]
        at = unit.text.find(first) if first else -1
        return at if at >= 0 else 0

    def principal_force(self, unit: Unit) -> str:
        """The force of ``unit`` as its language versions agree it (``agreed_force``)."""
        key = (unit.doc_id, unit.unit_id)
        if key not in self._force:
            own = self.own_force(unit)
            others = [
                self.own_force(other)
                for doc_id in self.parallel.get(unit.doc_id, ())
                if doc_id != unit.doc_id
                and (other := self.by_id.get((doc_id, unit.unit_id))) is not None
            ]
            self._force[key] = agreed_force(own, others)
        return self._force[key]

    def own_force(self, unit: Unit) -> str:
        """The force of ``unit`` read from its own words (a point's lead-in: as agreed), not
        from its other language versions'."""
        key = (unit.doc_id, unit.unit_id)
        if key not in self._own_force:
            self._own_force[key] = self._principal(unit)
        return self._own_force[key]

    def _principal(self, unit: Unit) -> str:
        if unit.status == "deleted" or not unit.text.strip():
            return "none"  # a deleted provision rules nothing, whatever its lead-in commands
        article = self.by_id.get((unit.doc_id, top_level(unit.unit_id)), unit)
        if _ABOUT_HEADING.search(article.heading):
            return "none"  # subject matter, purpose: says what the act is about
        if unit.unit_id.startswith("annex"):
            return "none"  # an annex lists — rights, instruments, contents, thresholds —
        if self._exempting(unit):
            # the points of "Von dieser Pflicht befreit sind Unternehmen, …:", "Sont libérées de
            # cette obligation les entreprises …:" are the conditions of the exemption, whatever
            # their verbs ("2. das einen gleichwertigen Bericht … erstellen muss")
            return "none"
        statements = self.statements(unit)
        lead_in = self._lead_in(unit)
        ensured = self._ensured(unit)
        if ensured in OPERATIVE:
            # "Member States shall ensure that: (a) … limitation periods shall not begin to run
            # before …": what the points say is what the lead-in commands to ensure
            return ensured
        if DEFINITIONS_HEADING.search(article.heading) and (
            unit is article
            or (unit.kind == "pt" and (lead_in not in OPERATIVE or self._defines(unit)))
            or any(_DEFINITION.search(s.text) for s in statements)
        ):
            # a definitions article defines; its "shall"s are inside definitions (a paragraph
            # of its own that defines nothing, "The Ministry may issue regulations", counts, and
            # so do the points of "The Commission is empowered to adopt delegated acts … by:")
            return "none"
        if unit.kind == "principle":
            # a principle of soft law is its first paragraph; what follows is its commentary
            first_line = unit.text.find("\n")
            if first_line > 0:
                statements = [s for s in statements if s.start < first_line]
        inserted = [s for s in statements if not _amending(s)]
        if len(inserted) < len(statements):
            # an amending provision: what it inserts decides, whatever text comes first
            statements = inserted
        elif (
            statements
            and statements[0].force == "none"
            and lead_in not in OPERATIVE
            and statements[0].cue
        ):
            # a provision that opens with a rule of scope, an exemption or a saving clause is
            # that ("Loven gjelder for …", "Von dieser Pflicht befreit sind …: … erstellen muss")
            return "none"
        votes: Counter[str] = Counter()
        first = True
        if (
            lead_in in OPERATIVE
            and statements
            and clause_force(statements[0], 0, unit.language) == "none"
        ):
            # a list point whose own first words carry no cue completes its lead-in
            # ("Il comprend les mesures suivantes : … 5° Un dispositif de suivi …"; "a) …
            # élaborer … un plan d'action préventif …; les sociétés peuvent …")
            votes[lead_in] += 3.0
            first = False
        operative = [
            s for s in statements if s.force != "none" and not _DEFINITION.search(s.text[:120])
        ]
        # exceptions and derogations do not count — unless the provision is nothing else
        # ("Notwithstanding paragraph 1, this Directive shall not preclude Member States …")
        rules = [s for s in operative if not _EXCEPTION.match(s.text)] or operative
        if unit.kind in ("principle", "commentary"):
            # soft law permits nothing: its "may" says what can happen ("individuals who may be
            # adversely impacted", "enterprises may have less capacity")
            # ("it may not always be possible" describes, it does not forbid)
            rules = [
                s
                for s in rules
                if s.force != "permission" and not (s.force == "prohibition" and _MAY_CUE(s.cue))
            ]
        for statement in rules:
            # the first operative sentence says what the provision does; a "may" further on is
            # often an option inside a duty, so it counts half
            weight = 3.0 if first else (0.5 if statement.force == "permission" else 1.0)
            votes[statement.force] += weight
            first = False
        force = (
            max(FORCE_ORDER[:-1], key=lambda f: (votes[f], -FORCE_ORDER.index(f)))
            if votes
            else lead_in or "none"
        )
        if force in ("obligation", "prohibition") and _SCOPE_HEADING.search(article.heading):
            # a scope article's "shall"s say whom the act covers ("the number of part-time
            # employees shall be calculated on a full-time equivalent basis"); its "may"s
            # (the Federal Council's power to extend the scope) stay
            return "none"
        return force

    def _ensured(self, unit: Unit) -> str:
        """The force of the lead-in ending in "ensure that:" that ``unit`` is a point of (at
        any depth) — its words are the content of that verb —, else ``""``."""
        while unit.kind == "pt" and unit.parent:
            parent = self.by_id.get((unit.doc_id, unit.parent))
            if parent is None:
                return ""
            if _ENSURE_THAT.search(parent.text[: self.own_end(parent)].rstrip()):
                return self.lead_in_force(parent)
            unit = parent
        return ""

    def _exempting(self, point: Unit) -> bool:
        """``point`` is a point of a lead-in whose last sentence rules without commanding (a
        ``none`` sentence with a cue — an exemption, a scope rule, a saving clause — ending with
        the colon that opens the list): the points are its conditions."""
        parent = self.by_id.get((point.doc_id, point.parent or "")) if point.kind == "pt" else None
        own = self.own_statements(parent) if parent is not None else []
        return bool(
            own and own[-1].text.rstrip().endswith(":") and own[-1].force == "none" and own[-1].cue
        )

    def _defines(self, point: Unit) -> bool:
        """The lead-in of ``point`` defines ("Ein menschenrechtliches Risiko im Sinne dieses
        Gesetzes ist ein Zustand, bei dem … droht:")."""
        parent = self.by_id.get((point.doc_id, point.parent or ""))
        return parent is not None and bool(_DEFINITION.search(parent.text[: self.own_end(parent)]))

    def _lead_in(self, unit: Unit) -> str:
        """The force a list point inherits from its lead-in ("" for anything else)."""
        if unit.kind == "pt" and unit.parent and not unit.unit_id.startswith("annex"):
            # (an annex lists — rights, instruments, contents —; its points do not command)
            parent = self.by_id.get((unit.doc_id, unit.parent))
            if parent is not None:
                return self.lead_in_force(parent)
        return ""

    def lead_in_evidence(self, unit: Unit) -> tuple[Unit, Statement] | None:
        """The sentence a list point takes its force from — the last operative sentence of its
        lead-in (CSDDD Art. 10(2): "Companies shall be required to take the following
        appropriate measures, where relevant:") — with the unit that holds it; ``None`` for anything else."""
        if not self._lead_in(unit):
            return None
        parent = self.by_id[(unit.doc_id, unit.parent)]
        own = self.own_statements(parent)
        operative = _ruling(own)
        if operative:
            return parent, operative[-1]
        if parent.kind == "pt":
            return self.lead_in_evidence(parent)
        # the lead-in is a paragraph of its own before the list (C. com. L.225-102-1: "Il
        # comprend les mesures suivantes :" closes I): the last operative sentence before it
        at = parent.text.find(unit.text) if unit.text else -1
        before = [s for s in _ruling(self.statements(parent)) if 0 <= at and s.end <= at]
        return (parent, before[-1]) if before else None

    def lead_in_force(self, parent: Unit) -> str:
        """The force a list point inherits: the last operative sentence of its parent's own
        words (the lead-in, "Companies shall … take the following measures:"), else the
        parent's principal force."""
        own = self.own_statements(parent)
        if any(_amending(s) for s in own):
            return "none"  # "Article 23 is amended as follows: (a) …" — the points amend
        operative = _ruling(own)
        if operative:
            if operative[-1] is not own[-1] and operative[-1].force == "permission":
                # a list opened by a sentence of its own takes a duty from before it, not a
                # "may" ("Die Zahlungen … können in Geld- oder Sachleistungen bestehen. Sie
                # umfassen insbesondere folgende Arten von Leistungen: 1. …")
                return "none"
            if operative[-1] is own[-1] and own[-1].text.rstrip().endswith(":"):
                from kb.compare.obligations import closing_force

                return closing_force(own[-1].text, parent.language)
            return operative[-1].force
        inherited = self._lead_in(parent)  # a point of a point: "d'ordonner : i) …"
        return inherited or self.principal_force(parent)


def _ruling(statements: list[Statement]) -> list[Statement]:
    """The operative sentences that rule, not those that open an exception."""
    return [s for s in statements if s.force in OPERATIVE and not _EXCEPTION.match(s.text)]


def _amending(statement: Statement) -> bool:
    """An amending instruction: a sentence that names what is amended, inserted, replaced or
    deleted ("point (b) is replaced by the following:", "Absatz 3 wird gestrichen."), either
    ending with a colon (the new words follow) or shorter than 160 characters."""
    text = statement.text.strip()
    return (text.endswith(":") or len(text) < 160) and bool(_AMENDING.search(text))


def agreed_force(own: str, others: list[str]) -> str:
    """One rule in every language version: where the versions of a provision disagree and only
    one force is found besides ``none``, every version takes it — the version that misses states
    the rule in words the cues do not read (DDTrO Art. 16(1): "Die Prüfung … erfolgt jährlich"
    beside "An audit … shall be carried out annually"). Where they find different forces (a
    permission beside an obligation or a prohibition, a recital's "should" beside a French
    present), each keeps its own. Force gold, tuning half: own forces 0.955, this rule 0.959,
    with "an obligation beats a permission" too 0.957."""
    found = {own, *others} - {"none"}
    if len(found) == 1:
        return found.pop()
    return own


def principal_force(unit: Unit, units: list[Unit] | None = None) -> str:
    """The principal deontic force of ``unit`` (``units``: its document, for list lead-ins)."""
    return Provisions(units or [unit]).principal_force(unit)


def clause_force(statement: Statement, at: int, language: str) -> str:
    """The force of the clause (between semicolons) of ``statement`` that holds offset ``at``
    (in the statement's text): "(a) … élaborer … un plan d'action préventif …; les sociétés
    peuvent élaborer leurs plans d'action en coopération …" — the "may" of the next clause is
    not what the first one says."""
    if statement.force == "none" or ";" not in statement.text:
        return statement.force
    from kb.compare.obligations import classify

    start = statement.text.rfind(";", 0, at) + 1
    end = statement.text.find(";", at)
    return classify(statement.text[start : end if end >= 0 else None], language)[0]
