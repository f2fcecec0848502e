"""The level-playing-field view of the obligation matrix: what the Compare page and the exports show.

Pure functions over the cached matrix (``kb.compare.cache.load_matrix``) and the manifest:

- **families**: one column per act, not per version — every version and language of an act
  (consolidations, translations) belongs to the family of the act as adopted;
- **default version** of a family: the latest version dated on or before today in the act's own
  language (the consolidated text in force rather than the act as adopted), the act as adopted one
  pick away;
- **rows**: per element, the cell of each picked version (✓ / ~ / ✗, the fact's words, the
  pinpoint citation), and — against a chosen baseline column — ``same`` / ``stricter`` /
  ``weaker`` / ``absent``; numbers are compared only when both cells state one of the same kind
  and unit (a threshold in NOK and one in EUR are "not comparable");
- families of instruments not in the local corpus stay visible as columns marked
  "not in local corpus" with their official link.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from kb.compare.versions import act_of
from kb.explore.ui_text import fact_text, title_label, tr
from kb.models import DocRecord

SYMBOLS = {"yes": "✓", "conditional": "~", "no": "✗"}
_RANK = {"no": 0, "conditional": 1, "yes": 2}
#: how heavily a provision binds, for cells of equal value: a duty or a prohibition against a
#: recommendation (other forces are not compared)
_WEIGHT = {"obligation": 2, "prohibition": 2, "recommendation": 1}


def families(records: dict[str, DocRecord], columns: list[str]) -> dict[str, list[str]]:
    """``{root doc_id: [column doc_ids of that act]}`` in manifest order."""
    out: dict[str, list[str]] = {}
    for doc_id in columns:
        out.setdefault(act_of(records, doc_id), []).append(doc_id)
    return out


def default_version(
    records: dict[str, DocRecord], members: list[str], today: str | None = None
) -> str:
    """The version shown by default: the latest dated on or before ``today`` in the act's own
    language, else the first member."""
    today = today or dt.date.today().isoformat()
    language = records[members[0]].language if members else None
    act = act_of(records, members[0]) if members else None
    if act in records:
        language = records[act].language
    dated = [
        d
        for d in members
        if records[d].language == language
        and (records[d].version_date or records[d].adopted or "") <= today
    ]
    if not dated:
        return members[0]
    return max(dated, key=lambda d: records[d].version_date or records[d].adopted or "")


def missing_families(records: dict[str, DocRecord], present_roots: set[str]) -> list[str]:
    """Acts listed in the manifest with no text in the local corpus and no present version."""
    out = []
    for doc_id, record in records.items():
        if record.files or record.instrument_type == "policy-advice" or record.amends:
            continue
        act = act_of(records, doc_id)
        if act not in present_roots and act not in out:
            out.append(act)
    return out


@dataclass
class Column:
    family: str
    doc_id: str | None  # None: not in the local corpus
    label: str
    url: str


@dataclass
class Row:
    element: str
    topic: str
    question: str
    cells: list[dict | None] = field(default_factory=list)  # per column; None = not in corpus
    marks: list[str] = field(default_factory=list)  # per column, against the baseline


def matrix_families(records: dict[str, DocRecord], matrix: dict) -> dict[str, list[str]]:
    """``families`` of the documents the matrix has cells for: every version of each act, the
    choices of a column's version switch."""
    return families(records, list(dict.fromkeys(c["doc_id"] for c in matrix["cells"])))


def columns_for(
    records: dict[str, DocRecord],
    matrix: dict,
    picks: dict[str, str] | None = None,
    with_missing: bool = True,
    lang: str = "en",
    documents: list[str] | None = None,
) -> list[Column]:
    """One column per act: its picked (or default) version; then acts not in the corpus
    (labels in the interface language ``lang``). ``documents``: only the acts of these documents
    (any version) — the instruments a user chose: those in the corpus in their order, then
    those not in it."""
    picks = picks or {}
    fams = matrix_families(records, matrix)
    acts = list(fams)
    if documents is not None:
        acts = list(dict.fromkeys(act_of(records, d) for d in documents if d in records))
    out = []
    for act in acts:
        members = fams.get(act)
        if members:
            chosen = (
                picks.get(act) if picks.get(act) in members else default_version(records, members)
            )
            out.append(
                Column(
                    act, chosen, short_label(records[chosen], lang), records[chosen].official_url
                )
            )
    if with_missing:
        missing = missing_families(records, set(fams))
        for act in acts if documents is not None else missing:
            if act in missing:
                out.append(
                    Column(act, None, short_label(records[act], lang), records[act].official_url)
                )
    return out


def short_label(record: DocRecord, lang: str = "en") -> str:
    """A column label short enough for 7+ columns: the short title, plus the version if any —
    the date of a consolidation, "as adopted …" for an act since amended (an export's column
    read "CSDDD" whichever version the view showed)."""
    label = title_label(lang, record.short_title)
    if record.status == "consolidated" and record.version_date and record.version_date not in label:
        label += f" ({record.version_date})"
    elif record.status == "amended" and record.adopted:
        label += f" ({tr(lang, 'version.as_adopted', date=record.adopted)})"
    return label


def quote_shown(quote: str) -> str:
    """A cell's quote as read in a table or handout: its line breaks and runs of spaces as
    single spaces, and "…" where it begins or ends inside a sentence (a quote is at most 300
    characters of the sentence that decides the cell). The cell's ``quote`` stays verbatim."""
    text = " ".join(quote.split())
    if not text:
        return text
    if not (text[0].isupper() or text[0].isdigit() or text[0] in "(«“\"'§"):
        text = "…" + text
    if text[-1] not in '.;:!?»”")':
        text += "…"
    return text


def rows_for(
    matrix: dict,
    columns: list[Column],
    topics: list[str] | None = None,
    baseline: str | None = None,
    differences: bool = False,
) -> list[Row]:
    """The rows of the view; ``baseline`` is a column's family; ``differences`` keeps only the
    rows where the present columns disagree."""
    from kb.compare.elements import elements

    directions = {e.element: e.stricter for e in elements()}
    cells = {(c["doc_id"], c["element"]): c for c in matrix["cells"]}
    base_index = next((i for i, c in enumerate(columns) if c.family == baseline), None)
    rows = []
    for element in matrix["elements"]:
        if topics and element["topic"] not in topics:
            continue
        row = Row(element["element"], element["topic"], element["question"])
        direction = directions.get(element["element"])
        for column in columns:
            row.cells.append(
                cells.get((column.doc_id, element["element"])) if column.doc_id else None
            )
        values = {c["value"] for c in row.cells if c}
        if differences and len(values) < 2:
            continue
        base = row.cells[base_index] if base_index is not None else None
        row.marks = [
            "" if base is None or i == base_index else compare(base, cell, direction)
            for i, cell in enumerate(row.cells)
        ]
        rows.append(row)
    return rows


def compare(base: dict, cell: dict | None, stricter: str | None = None) -> str:
    """``same`` / ``stricter`` / ``weaker`` / ``absent`` / ``not comparable`` against ``base``;
    ``stricter``: the element's direction for its number ("lower" or "higher",
    ``kb.compare.matrix.Element.stricter``)."""
    if cell is None:
        return "not in local corpus"
    if cell["value"] == "no" and base["value"] != "no":
        return "absent"
    a, b = _RANK[base["value"]], _RANK[cell["value"]]
    if b == a and base["value"] != "no":
        # a duty against a recommendation ("should" in soft law) for the same element
        a, b = _WEIGHT.get(base.get("force"), 0), _WEIGHT.get(cell.get("force"), 0)
        if not (a and b):
            a = b
    if b > a:
        return "stricter"
    if b < a:
        return "weaker"
    fa, fb = base.get("fact"), cell.get("fact")
    if fa and fb:
        return _compare_facts(fa, fb, stricter)
    return "same"


def _compare_facts(base: dict, fact: dict, stricter: str | None) -> str:
    """Numbers of the same kind and unit, in the element's direction: a lower employee threshold
    reaches more companies, a higher fine cap or a longer limitation period weighs more. Periods
    ("P3Y", "P36M") are compared in months; without a direction numbers are only equal or not."""
    if (base.get("unit") or "") != (fact.get("unit") or ""):
        return "not comparable"
    x, y = str(base["value"]), str(fact["value"])
    if x == y:
        return "same"
    a, b = _number(x), _number(y)
    if a is None or b is None or stricter not in ("lower", "higher"):
        return "not comparable"
    if a == b:
        return "same"
    return "stricter" if (b < a) == (stricter == "lower") else "weaker"


def _number(value: str) -> float | None:
    """A fact's value as a number: "5%" → 5, "P3Y" → 36 (months), "1000" → 1000."""
    from kb.compare.elements import months

    period = months(value)
    if period is not None:
        return period
    try:
        return float(value.rstrip("%"))
    except ValueError:
        return None


def cell_text(cell: dict | None, lang: str = "en") -> str:
    """``✓ ≥ 5 % … — CSDDD Art. 27(4)`` for a table cell, its own words in ``lang``."""
    from kb.explore.ui_text import value_label

    if cell is None:
        return value_label(lang, "not in local corpus")
    parts = [SYMBOLS[cell["value"]]]
    if cell.get("fact"):
        parts.append(fact_text(lang, cell["fact"]))
    if cell["citations"]:
        parts.append(cell["citations"][0]["citation"])
    if cell.get("source") == "editorial":
        parts.append(f"({value_label(lang, 'editorial')})")
    return " ".join(parts)


def mark_text(cell: dict | None, mark: str, lang: str = "en") -> str:
    """`` [stricter]`` after a cell's text: its mark against the baseline in ``lang`` (none for a
    column not in the local corpus, which says so already)."""
    from kb.explore.ui_text import value_label

    return f" [{value_label(lang, mark)}]" if mark and cell is not None else ""


def editorial_reason(cell: dict, lang: str = "en") -> str:
    """The reviewer's reason for an editorial cell in ``lang`` (its Dutch wording when the
    overlay has one)."""
    return (cell.get("reason_nl") if lang == "nl" else None) or cell.get("reason", "")
