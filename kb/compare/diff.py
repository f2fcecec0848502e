"""Compare two versions of an instrument provision by provision, and read amending acts.

- ``diff_versions`` / ``diff_documents``: article-by-article (or paragraph-by-paragraph) comparison
  of two unit lists, e.g. the CSDDD as adopted and a consolidated version, with a word-level diff.
- ``summary``: counts per change.
- ``amendment_links``: which provisions of a target act an amending act replaces, deletes, inserts
  or amends, read from the amending instructions ("in Article 29, paragraph 1 is deleted").

Only kinds of top-level provisions present on both sides are compared by default: consolidated
EUR-Lex texts carry no recitals, so recitals of the act as adopted are skipped, not "deleted"
(``skipped_kinds`` says what was left out).
"""

from __future__ import annotations

import difflib
import logging
import re
from collections.abc import Iterable, Mapping, Sequence

from kb.models import DocRecord, ProvisionDiff, Unit
from kb.numbering import is_within

log = logging.getLogger(__name__)

LEVELS = ("article", "paragraph")
CHANGES = ("added", "deleted", "changed", "unchanged")

# A number written with thin-space thousands ("5 000", "EUR 1 500 000 000") is one word, so a
# threshold change reads "-1 000 +5 000" rather than "-1 +5".
_LOOSE_SPACE = re.compile(r" (?=[,;:.)\]])|(?<=[(\[]) ")
_TOKEN = re.compile(r"(?<!\S)\d{1,3}(?: \d{3}(?!\d))+\S*|\S+")


# --------------------------------------------------------------------------- text


def normalise(text: str) -> str:
    """Collapse every run of whitespace (incl. no-break spaces) to one space, drop spaces before
    closing punctuation and after an opening bracket ("Council ;" → "Council;"); strip the ends."""
    return _LOOSE_SPACE.sub("", " ".join(text.split()))


def tokens(text: str) -> list[str]:
    """Word tokens of ``normalise(text)``; ``" ".join(tokens(t)) == normalise(t)``."""
    return _TOKEN.findall(normalise(text))


def word_ops(old: str, new: str) -> tuple[tuple[str, str], ...]:
    """Word-level diff: ``((op, words), ...)`` with op ``=``, ``-`` or ``+``, consecutive ops merged.

    The ``=`` and ``-`` words, joined by spaces, give ``normalise(old)``; ``=`` and ``+`` give
    ``normalise(new)``.
    """
    a, b = tokens(old), tokens(new)
    ops: list[tuple[str, list[str]]] = []

    def emit(op: str, words: list[str]) -> None:
        if not words:
            return
        if ops and ops[-1][0] == op:
            ops[-1][1].extend(words)
        else:
            ops.append((op, list(words)))

    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            emit("=", a[i1:i2])
            continue
        emit("-", a[i1:i2])
        emit("+", b[j1:j2])
    return tuple((op, " ".join(words)) for op, words in ops)


# --------------------------------------------------------------------------- versions


def compared_kinds(old: Iterable[Unit], new: Iterable[Unit]) -> set[str]:
    """Kinds of top-level provisions present in both versions (e.g. ``{"art", "annex"}``);
    all kinds of the other version when one is empty (everything was added or deleted)."""
    old_kinds, new_kinds = _top_kinds(old), _top_kinds(new)
    if not old_kinds or not new_kinds:
        return old_kinds | new_kinds
    return old_kinds & new_kinds


def skipped_kinds(
    old: Sequence[Unit], new: Sequence[Unit], kinds: Iterable[str] | None = None
) -> dict[str, str]:
    """Top-level kinds left out of the comparison, with why: ``{"rec": "only in the old version
    (99 provisions); not compared"}``. Empty when everything present was compared."""
    kinds = set(kinds) if kinds is not None else compared_kinds(old, new)
    notes = {}
    for side, units, other in (("old", old, new), ("new", new, old)):
        counts: dict[str, int] = {}
        for unit in units:
            if unit.parent is None and unit.kind not in kinds:
                counts[unit.kind] = counts.get(unit.kind, 0) + 1
        for kind, n in sorted(counts.items()):
            where = f"only in the {side} version" if kind not in _top_kinds(other) else "excluded"
            notes[kind] = f"{where} ({n} provisions); not compared"
    return notes


def diff_versions(
    old: Sequence[Unit],
    new: Sequence[Unit],
    level: str = "article",
    kinds: Iterable[str] | None = None,
) -> list[ProvisionDiff]:
    """Provision-by-provision comparison of two versions of one instrument, in reading order.

    Returns one ``ProvisionDiff`` per provision: ``added`` (only live in ``new``), ``deleted``
    (absent from ``new`` or marked ``status="deleted"`` there), ``changed`` (text differs after
    whitespace normalisation; ``ops`` holds the word diff) or ``unchanged`` (``ops`` empty).
    Added/deleted provisions get a single ``+``/``-`` op with their whole text; ``markers`` are
    the amendment markers (``M1``, ``M2``) found in the provision or below it in ``new``.

    ``level="article"`` compares top-level provisions (whole text with sub-units). With
    ``level="paragraph"``, an article subdivided in both versions is compared child by child
    (its first level: paragraphs, or points when it has no paragraphs), plus its chapeau under
    its own id when it has one; other articles are compared whole. ``kinds`` restricts the
    top-level kinds compared; by default the kinds present on both sides (see ``skipped_kinds``).
    """
    if level not in LEVELS:
        raise ValueError(f"unknown diff level {level!r}; expected one of {', '.join(LEVELS)}")
    kinds = set(kinds) if kinds is not None else compared_kinds(old, new)
    old_by_id, new_by_id = _by_id(old), _by_id(new)
    old_kids, new_kids = _children(old), _children(new)
    top_old = [u.unit_id for u in old if u.parent is None and u.kind in kinds]
    top_new = [u.unit_id for u in new if u.parent is None and u.kind in kinds]
    diffs = []
    for top in _merged_order(top_old, top_new):
        old_unit, new_unit = old_by_id.get(top), new_by_id.get(top)
        split = level == "paragraph" and old_kids.get(top) and new_kids.get(top)
        if not split or _dead(new_unit):
            diffs.append(_diff_pair(top, old_unit, new_unit, new))
            continue
        if normalise(old_unit.own_text) or normalise(new_unit.own_text):
            diffs.append(_diff_pair(top, old_unit, new_unit, new, chapeau=True))
        for child in _merged_order(old_kids[top], new_kids[top]):
            diffs.append(_diff_pair(child, old_by_id.get(child), new_by_id.get(child), new))
    return diffs


def group_by_doc(units: Iterable[Unit]) -> dict[str, list[Unit]]:
    """``{doc_id: [units in reading order]}``."""
    grouped: dict[str, list[Unit]] = {}
    for unit in units:
        grouped.setdefault(unit.doc_id, []).append(unit)
    return grouped


def diff_documents(
    units_by_doc: dict[str, list[Unit]],
    old_doc: str,
    new_doc: str,
    level: str = "article",
    kinds: Iterable[str] | None = None,
) -> list[ProvisionDiff]:
    """``diff_versions`` of two documents of the unit table (see ``group_by_doc``).

    Raises ``ValueError`` when either document has no units. Skipped kinds are logged (INFO).
    """
    for doc_id in (old_doc, new_doc):
        if not units_by_doc.get(doc_id):
            known = ", ".join(sorted(units_by_doc)) or "none"
            raise ValueError(
                f"no units for document {doc_id!r}; run `python -m kb ingest` "
                f"(documents with units: {known})"
            )
    old, new = units_by_doc[old_doc], units_by_doc[new_doc]
    for kind, note in skipped_kinds(old, new, kinds).items():
        log.info("diff %s -> %s: %s: %s", old_doc, new_doc, kind, note)
    return diff_versions(old, new, level=level, kinds=kinds)


def summary(diffs: Iterable[ProvisionDiff]) -> dict[str, int]:
    """Counts per change: ``{"added": n, "deleted": n, "changed": n, "unchanged": n, "total": n}``."""
    counts = dict.fromkeys(CHANGES, 0)
    for diff in diffs:
        counts[diff.change] += 1
    counts["total"] = sum(counts.values())
    return counts


def _top_kinds(units: Iterable[Unit]) -> set[str]:
    return {u.kind for u in units if u.parent is None}


def _by_id(units: Iterable[Unit]) -> dict[str, Unit]:
    return {u.unit_id: u for u in units}


def _children(units: Iterable[Unit]) -> dict[str, list[str]]:
    """``{parent id: [child ids in reading order]}``."""
    kids: dict[str, list[str]] = {}
    for unit in units:
        if unit.parent is not None:
            kids.setdefault(unit.parent, []).append(unit.unit_id)
    return kids


def _merged_order(old_ids: list[str], new_ids: list[str]) -> list[str]:
    """Ids of both sides once each, in reading order: new order, old-only ids where they stood."""
    merged: list[str] = []
    seen: set[str] = set()
    matcher = difflib.SequenceMatcher(None, old_ids, new_ids, autojunk=False)
    for _tag, i1, i2, j1, j2 in matcher.get_opcodes():
        for unit_id in [*old_ids[i1:i2], *new_ids[j1:j2]]:
            if unit_id not in seen:
                seen.add(unit_id)
                merged.append(unit_id)
    return merged


def _dead(unit: Unit | None) -> bool:
    return unit is None or unit.status == "deleted"


def _diff_pair(
    unit_id: str,
    old: Unit | None,
    new: Unit | None,
    new_units: Sequence[Unit],
    chapeau: bool = False,
) -> ProvisionDiff:
    """One ``ProvisionDiff``; with ``chapeau`` only the units' ``own_text`` is compared."""
    old_text = "" if _dead(old) else (old.own_text if chapeau else old.text)
    new_text = "" if _dead(new) else (new.own_text if chapeau else new.text)
    heading = (new.heading if new and new.heading else "") or (old.heading if old else "")
    markers = tuple(
        sorted({m for u in new_units if is_within(u.unit_id, unit_id) for m in u.markers})
    )
    if _dead(old) and _dead(new):
        change, ops = "unchanged", ()
    elif _dead(new):
        change, ops = "deleted", (("-", normalise(old_text)),)
    elif _dead(old):
        change, ops = "added", (("+", normalise(new_text)),)
    elif normalise(old_text) == normalise(new_text):
        change, ops = "unchanged", ()
    else:
        change, ops = "changed", word_ops(old_text, new_text)
    return ProvisionDiff(unit_id, change, old_text, new_text, heading, ops, markers)


# --------------------------------------------------------------------------- amending acts

_ACTIONS = {
    "replaced": "replaced",
    "deleted": "deleted",
    "amended": "amended",
    "added": "inserted",
    "inserted": "inserted",
}
_ACTION = re.compile(r"\b(?:is|are)\s+(replaced|deleted|amended|added|inserted)\b")
# "Article 3(1)" is Article 3, paragraph 1.
_ART_PAR = re.compile(r"\b(Articles?\s+\d+[a-z]*)\((\d+[a-z]*)\)")
_NUM = r"(?:\d+[a-z]*|\([a-z0-9]+\))"
_REF = re.compile(rf"\b(Article|paragraph|point)s?\s+({_NUM}(?:(?:\s*,\s*|\s+and\s+){_NUM})*)")
_NEW_KIND = re.compile(r"\bfollowing\s+(Article|paragraph|point|subparagraph)s?\b")
_NEW_LABEL = re.compile(r"^\s*(?:Article\s+(\d+[a-z]*)|(\d+[a-z]*)\.|\(([a-z0-9]+)\))")
_KIND = {"Article": "art", "paragraph": "par", "point": "pt"}
#: a subparagraph after the first: the units do not model it (its points are not the paragraph's
#: points of the same letter), so the instructions below it are not followed
_LATER_SUBPARAGRAPH = re.compile(r"\b(?:second|third|fourth|fifth|sixth|last)\s+subparagraph", re.I)
_QUOTES = "‘“"


def amendment_links(
    amending: Sequence[Unit], target_doc_id: str, act: str | None = None
) -> list[dict[str, str]]:
    """Links from the amending instructions of an act to the provisions of ``target_doc_id``.

    The articles that amend the target are those whose instruction names it (``act``, e.g.
    ``"2024/1760"``, read from ``target_doc_id`` by default). Only the opening words of each
    instruction are parsed, never the quoted new text — except the label that opens the quote
    of an insertion ("the following paragraph is added: ‘4. …" → ``par-4``).

    Returns, in reading order, ``{"amending_doc", "amending_unit", "target_doc", "target_unit",
    "action", "instruction"}`` with action ``replaced|deleted|inserted|amended`` ("Article 2 is
    amended as follows" links ``art-2`` with ``amended``; its points add the precise links).
    """
    act = act or _act_number(target_doc_id)
    kids = _children(amending)
    by_id = _by_id(amending)
    links: list[dict[str, str]] = []
    for top in (u for u in amending if u.parent is None and u.kind == "art"):
        instruction = _instruction(top)
        if act not in instruction:
            continue
        parsed = _parse(instruction.replace(_act_phrase(instruction, act), " "), [])
        if parsed is None:
            continue
        paths, action = parsed
        whole_act = action == "amended" and paths == [[]]  # "Directive … is amended as follows"
        if whole_act:
            links.extend(_walk(top.unit_id, [], kids, by_id, target_doc_id))
        else:
            links.extend(_links(top, paths, action, instruction, target_doc_id))
            if _descends(action, paths, instruction):  # "Article 5(2) … is amended as follows"
                links.extend(_walk(top.unit_id, paths[0], kids, by_id, target_doc_id))
    return links


def _descends(action: str, paths: list, instruction: str) -> bool:
    """Whether the points below an instruction amend inside its one target (not below a later
    subparagraph, which the units do not model)."""
    return action == "amended" and len(paths) == 1 and not _LATER_SUBPARAGRAPH.search(instruction)


def links_by_act(
    records: Mapping[str, DocRecord], units_of: Mapping[str, Sequence[Unit]]
) -> dict[str, list[dict[str, str]]]:
    """Per amended act (its doc_id as adopted): the links from the amending acts whose units
    ``units_of`` holds to its provisions (``amendment_links``, read from each amending act's
    original-language text; its translations repeat them), in the amending acts' order. A
    target whose doc_id names no act number (a user's document) has none."""
    out: dict[str, list[dict[str, str]]] = {}
    for record in records.values():
        if not record.amends or record.translation_of or record.doc_id not in units_of:
            continue
        for act in record.amends:
            if act not in records:
                continue
            try:
                links = amendment_links(units_of[record.doc_id], act)
            except ValueError as exc:
                log.info("no amendment links from %s: %s", record.doc_id, exc)
                continue
            out.setdefault(act, []).extend(links)
    return out


def _act_number(doc_id: str) -> str:
    match = re.search(r"(\d{4})-(\d+)", doc_id)
    if not match:
        raise ValueError(f"cannot read an act number from {doc_id!r}; pass act='2024/1760'")
    return f"{match.group(1)}/{match.group(2)}"


def _act_phrase(instruction: str, act: str) -> str:
    """The words naming the act ("of Directive (EU) 2024/1760"), removed before parsing refs."""
    match = re.search(rf"(?:of\s+)?(?:the\s+)?\w+\s+(?:\(\w+\)\s+)?{re.escape(act)}", instruction)
    return match.group(0) if match else act


def _instruction(unit: Unit) -> str:
    """The opening words of an amending point: its own text up to the quote or colon/semicolon."""
    text = normalise(unit.own_text or unit.text)
    cut = min([i for i in (text.find(c) for c in _QUOTES + ":;") if i >= 0], default=len(text))
    return text[:cut].strip()


def _walk(
    unit_id: str, context: list[tuple[str, str]], kids, by_id, target_doc: str
) -> list[dict[str, str]]:
    """Links of the points below an "… is amended as follows" unit, depth first."""
    links = []
    for child_id in kids.get(unit_id, []):
        child = by_id[child_id]
        instruction = _instruction(child)
        parsed = _parse(instruction, context)
        if parsed is None:
            log.debug("no amending instruction in %s: %r", child.key, instruction)
            continue
        paths, action = parsed
        if action == "inserted":
            paths = [_inserted(path, instruction, child) for path in paths]
        links.extend(_links(child, paths, action, instruction, target_doc))
        if _descends(action, paths, instruction):
            links.extend(_walk(child_id, paths[0], kids, by_id, target_doc))
    return links


def _parse(
    instruction: str, context: list[tuple[str, str]]
) -> tuple[list[list[tuple[str, str]]], str] | None:
    """``(target paths, action)`` of one instruction, or None when it is not one.

    A path is a list of ``(kind, number)``; "Article" starts afresh, "paragraph" goes below the
    article of the context, "point" below the context or the paragraph just named.
    """
    match = _ACTION.search(instruction)
    if not match:
        return None
    subject = _ART_PAR.sub(r"\1, paragraph \2", instruction[: match.start()])
    paths = [list(context)]
    for ref in _REF.finditer(subject):
        kind = _KIND[ref.group(1)]
        numbers = [n.strip("()") for n in re.findall(_NUM, ref.group(2))]
        paths = [_step(path, kind, n) for path in paths for n in numbers]
    return paths, _ACTIONS[match.group(1)]


def _step(path: list[tuple[str, str]], kind: str, number: str) -> list[tuple[str, str]]:
    if kind == "art":
        return [("art", number)]
    if kind == "par":
        return [seg for seg in path if seg[0] == "art"][:1] + [("par", number)]
    return [*path, ("pt", number)]


def _inserted(path: list[tuple[str, str]], instruction: str, unit: Unit) -> list[tuple[str, str]]:
    """Path of an inserted provision: the context plus the label opening the quoted text."""
    new_kind = _NEW_KIND.search(instruction)
    kind = _KIND.get(new_kind.group(1)) if new_kind else None
    text = normalise(unit.own_text or unit.text)
    quote = min([i for i in (text.find(c) for c in _QUOTES) if i >= 0], default=-1)
    label = _NEW_LABEL.match(text[quote + 1 :]) if kind and quote >= 0 else None
    if not label:
        return path
    number = next(g for g in label.groups() if g)
    return _step(path, kind, number)


def _links(
    unit: Unit, paths: list[list[tuple[str, str]]], action: str, instruction: str, target: str
) -> list[dict[str, str]]:
    return [
        {
            "amending_doc": unit.doc_id,
            "amending_unit": unit.unit_id,
            "target_doc": target,
            "target_unit": ".".join(f"{k}-{n}" for k, n in path),
            "action": action,
            "instruction": instruction,
        }
        for path in paths
        if path
    ]
