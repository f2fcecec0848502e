"""Pinpoint a retrieved passage: cite the innermost provision that answers the query.

A short article is one chunk, so a hit would cite "Art. 29" when the query asks for the limitation
period of Art. 29(3). ``pinpoint`` looks at the provisions inside the hit (paragraphs, points:
the chunk's ``unit_ids``) and picks the deepest one that still holds nearly all of the query's
words that the whole passage holds (``share``, a ``RankingSettings`` value chosen on the tuning
half of the dev set). When no single part holds them — the answer spans paragraphs, or the words
are spread — the hit keeps citing the whole provision. Pure: texts in, a unit id out.
"""

from __future__ import annotations

from collections.abc import Sequence

from kb.lang import tokens
from kb.numbering import is_within


def pinpoint(
    query_terms: set[str],
    unit_id: str,
    parts: Sequence[tuple[str, str]],
    language: str,
    share: float,
) -> str:
    """The unit id to cite for a hit on ``unit_id`` whose parts are ``(unit_id, text)`` (its
    sub-provisions, any depth, texts including their own sub-provisions)."""
    if not query_terms or share > 1.0:
        return unit_id
    covered = {uid: query_terms & set(tokens(text, language)) for uid, text in parts}
    whole = set().union(*covered.values()) if covered else set()
    if not whole:
        return unit_id
    need = share * len(whole)
    best, best_depth = unit_id, unit_id.count(".")
    for uid, terms in covered.items():
        depth = uid.count(".")
        if uid != unit_id and is_within(uid, unit_id) and len(terms) >= need and depth > best_depth:
            best, best_depth = uid, depth
    return best
