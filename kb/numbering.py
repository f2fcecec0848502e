"""Unit identifiers and human citations — the grammar every loader shares.

A unit id is a dot-separated path of ``kind-number`` segments, outermost first
(``art-14.par-2.pt-a``); see PRODUCT.md. Citations follow each instrument's own convention
("CSDDD Art. 14(2)(a)", "LkSG § 8 Abs. 1", "UNGP 29", "C. com. art. L.225-102-1, 4°").
"""

from __future__ import annotations

import re

KINDS = ("rec", "art", "sec", "principle", "commentary", "para", "par", "pt", "annex", "part")

_NUMBER_DROP = re.compile(r"[.\s°º]+")
_NUMBER_OK = re.compile(r"^[A-Za-z0-9-]+$")
_ROMAN_VALUES = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}
_ROMAN_TABLE = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"))
_ROMAN_TABLE += ((50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))


def normalise_number(raw: str) -> str:
    """``"L. 225-102-1"`` → ``"L225-102-1"``, ``"4°"`` → ``"4"``, ``"(a)"`` → ``"a"``, ``"4.1"`` → ``"4-1"``.

    Dots between digits become hyphens (section 4.1 → ``4-1``); other dots, spaces, brackets and
    the degree sign are dropped. Raises ``ValueError`` when nothing usable is left.
    """
    text = raw.strip().strip("()[]").strip()
    text = re.sub(r"(?<=\d)\.(?=\d)", "-", text)
    text = _NUMBER_DROP.sub("", text).rstrip(")").lstrip("(")
    if not text or not _NUMBER_OK.match(text):
        raise ValueError(f"not a provision number: {raw!r}")
    return text


def segment(kind: str, number: str) -> str:
    """One id segment; ``number`` may be raw (it is normalised). Kinds without number are allowed."""
    if kind not in KINDS:
        raise ValueError(f"unknown unit kind {kind!r}; expected one of {', '.join(KINDS)}")
    return f"{kind}-{normalise_number(number)}" if number else kind


def parse_unit_id(unit_id: str) -> list[tuple[str, str]]:
    """``"art-14.par-2.pt-a"`` → ``[("art", "14"), ("par", "2"), ("pt", "a")]``."""
    parts = []
    for seg in unit_id.split("."):
        kind, _, number = seg.partition("-")
        if kind not in KINDS:
            raise ValueError(f"bad unit id {unit_id!r}: unknown kind {kind!r}")
        parts.append((kind, number))
    return parts


def is_within(unit_id: str, ancestor: str) -> bool:
    """True when ``unit_id`` is ``ancestor`` or lies inside it (``art-14.par-2`` is within ``art-14``)."""
    return unit_id == ancestor or unit_id.startswith(ancestor + ".")


def top_level(unit_id: str) -> str:
    """The outermost segment: ``art-14.par-2`` → ``art-14``."""
    return unit_id.split(".", 1)[0]


def roman_to_int(text: str) -> int:
    """``"xiv"`` → 14 (case-insensitive). Raises ``ValueError`` for anything else."""
    low = text.lower()
    if not low or any(c not in _ROMAN_VALUES for c in low):
        raise ValueError(f"not a roman numeral: {text!r}")
    total = 0
    for i, char in enumerate(low):
        value = _ROMAN_VALUES[char]
        following = _ROMAN_VALUES[low[i + 1]] if i + 1 < len(low) else 0
        total += -value if value < following else value
    if int_to_roman(total) != low:
        raise ValueError(f"not a canonical roman numeral: {text!r}")
    return total


def int_to_roman(value: int) -> str:
    """``14`` → ``"xiv"`` (lowercase)."""
    out = []
    for number, letters in _ROMAN_TABLE:
        while value >= number:
            out.append(letters)
            value -= number
    return "".join(out)


def is_roman(text: str) -> bool:
    """True for a canonical roman numeral in either case ("iv", "XII")."""
    try:
        roman_to_int(text)
    except ValueError:
        return False
    return True


# --------------------------------------------------------------------------- citations

_WORDS = {
    "recital": {"en": "recital", "fr": "considérant", "de": "Erwägungsgrund", "nl": "overweging"},
    "annex": {"en": "Annex", "fr": "annexe", "de": "Anhang", "nl": "bijlage"},
    "part": {"en": "Part", "fr": "partie", "de": "Teil", "nl": "deel"},
    "section": {"en": "Section", "fr": "section", "de": "Abschnitt", "nl": "afdeling"},
    "point": {"en": "point", "fr": "point", "de": "Nummer", "nl": "punt"},
    "commentary": {"en": "commentary", "fr": "commentaire", "de": "Kommentar", "nl": "commentaar"},
    "para": {"en": "para.", "fr": "par.", "de": "Ziff.", "nl": "par."},
    "article": {"en": "Art.", "fr": "art.", "de": "Art.", "nl": "art."},
}


def _word(name: str, language: str) -> str:
    table = _WORDS[name]
    return table.get(language, table["en"])


_NB_ORDINALS = ("første", "annet", "tredje", "fjerde", "femte", "sjette", "sjuende", "åttende")
_SWISS = {
    "de": ("Art.", "Abs.", "Ziff.", "Bst."),
    "fr": ("art.", "al.", "ch.", "let."),
    "en": ("Art.", "para.", "no.", "let."),
}


def citation(cite_as: str, unit_id: str, language: str = "en", style: str | None = None) -> str:
    """The human citation of a unit in its instrument's convention.

    ``style`` (the manifest's ``citation_style``) selects a national convention beyond the
    language's default: ``section-sign`` (Norwegian "§ 6 annet ledd"), ``uk`` ("s. 54(4)(a)"),
    ``swiss`` ("OR Art. 964k Abs. 1", "CO art. 964k al. 1").

    >>> citation("CSDDD", "art-14.par-2.pt-a")
    'CSDDD Art. 14(2)(a)'
    >>> citation("LkSG", "sec-8.par-1", "de")
    'LkSG § 8 Abs. 1'
    >>> citation("MSA 2015", "sec-54.par-4.pt-a.pt-i", "en", "uk")
    'MSA 2015 s. 54(4)(a)(i)'
    >>> citation("OR", "art-964k.par-1.pt-2", "de", "swiss")
    'OR Art. 964k Abs. 1 Ziff. 2'
    >>> citation("Åpenhetsloven", "sec-6.par-2.pt-a", "nb", "section-sign")
    'Åpenhetsloven § 6 annet ledd bokstav a'
    """
    parts = parse_unit_id(unit_id)
    kind, number = parts[0]
    rest = parts[1:]
    if style == "uk" and kind == "sec":
        return f"{cite_as} s. {number}" + _brackets(rest, language)
    if style == "swiss" and kind == "art":
        art, par, num, letter = _SWISS.get(language, _SWISS["en"])
        words = [f"{cite_as} {art} {number}"]
        for k, n in rest:
            words.append(f"{par} {n}" if k == "par" else f"{num if n.isdigit() else letter} {n}")
        return " ".join(words)
    if style == "section-sign" and kind == "sec":
        words = [f"{cite_as} § {number}"]
        for k, n in rest:
            if k == "par":
                i = int(n) - 1 if n.isdigit() else -1
                words.append(
                    f"{_NB_ORDINALS[i]} ledd" if 0 <= i < len(_NB_ORDINALS) else f"ledd {n}"
                )
            else:
                words.append(f"nr. {n}" if n.isdigit() else f"bokstav {n}")
        return " ".join(words)
    if kind == "art" and number[:1].isalpha():  # French code article: L225-102-1
        return f"{cite_as} {_word('article', language)} {_code_number(number)}" + "".join(
            f", {n}°" if k == "pt" and n.isdigit() else f", {n}" for k, n in rest
        )
    if kind == "art":
        return f"{cite_as} {_word('article', language)} {number}" + _brackets(rest, language)
    if kind == "sec" and language == "de":
        out = f"{cite_as} § {number}"
        for i, (k, n) in enumerate(rest):
            nested_letter = k == "pt" and i > 0 and rest[i - 1][0] == "pt" and n.isalpha()
            word = "Buchst." if nested_letter else {"par": "Abs.", "pt": "Nr."}.get(k, k)
            out += f" {word} {n}"
        return out
    if kind == "sec":
        label = number.replace("-", ".")
        return f"{cite_as} {label}" + _brackets(rest, language)
    if kind == "principle":
        tail = (
            f" ({_word('commentary', language)})" if any(k == "commentary" for k, _ in rest) else ""
        )
        return f"{cite_as} {number}{tail}"
    if kind == "rec":
        return f"{cite_as} {_word('recital', language)} {number}"
    if kind == "para":
        return f"{cite_as} {_word('para', language)} {number}" + _brackets(rest, language)
    if kind == "annex":
        if language == "de" and number in ("", None):
            head = f"{cite_as} Anlage"
        else:
            head = f"{cite_as} {_word('annex', language)} {number}".rstrip()
        bits = []
        for k, n in rest:
            name = {"part": "part", "sec": "section", "pt": "point"}.get(k, k)
            bits.append(f"{_word(name, language)} {n}" if name in _WORDS else f"{k} {n}")
        return ", ".join([head, *bits])
    return f"{cite_as} {unit_id}"


def record_citation(record, unit_id: str) -> str:
    """The citation of ``unit_id`` in the convention of ``record`` (a ``kb.models.DocRecord``:
    its ``cite_as``, language and citation style); its ``cite_as`` and the id as they are when
    the id is not one this module reads (a user document's)."""
    try:
        return citation(record.cite_as, unit_id, record.language, record.citation_style)
    except ValueError:
        return f"{record.cite_as} {unit_id}"


def _brackets(rest: list[tuple[str, str]], language: str) -> str:
    return "".join(f"({n})" if k in ("par", "pt") else f" {k} {n}" for k, n in rest)


def _code_number(number: str) -> str:
    """``L225-102-1`` → ``L.225-102-1`` (the French code's own spelling)."""
    match = re.match(r"^([A-Z]+)(\d.*)$", number)
    return f"{match.group(1)}.{match.group(2)}" if match else number
