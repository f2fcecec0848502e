"""Which version of an instrument applies at a date ("as at" view).

Documents related by ``consolidates`` or ``translation_of`` form a version family per language
(the act as adopted and its consolidations). Each version holds the wording from its
``valid_from`` date: a consolidation from its consolidation date, the act as adopted (or a
language version of it, even one printed or corrected later) from its adoption. At a date, a
family shows its latest version valid on or before that date. Nothing is hidden silently:
``as_at`` says for every document whether it is shown and why (or why not) —

- shown, with a notice when the wording we hold is later than the date (the French vigilance law
  in 2020: we hold the wording in force since 2025-01-01), or when the act is adopted but not yet
  in force or not yet applicable;
- hidden because a later version of the same family is valid on the date (superseded),
  because the act did not exist yet, or because a proposal had been adopted (manifest
  ``adopted_as``) by that date.
"""

from __future__ import annotations

from dataclasses import dataclass

from kb.dates import is_iso_date
from kb.models import DocRecord


def version_date(record: DocRecord) -> str | None:
    return record.version_date or record.adopted


def family(record: DocRecord) -> tuple[str, str]:
    """(root act, language): the version family a document belongs to. A consolidation belongs to
    the act it consolidates; a language version as adopted to the act it translates."""
    return (record.consolidates or record.translation_of or record.doc_id, record.language)


def act_of(records: dict[str, DocRecord], doc_id: str) -> str:
    """The act a document is a version of, whatever its language: consolidations and
    translations are followed back to the act as adopted in its original language
    (``eu-csddd-2024-1760-consolidated-2026-03-18-fr`` → ``eu-csddd-2024-1760``)."""
    seen = set()
    while doc_id not in seen:
        seen.add(doc_id)
        record = records.get(doc_id)
        parent = record and (record.consolidates or record.translation_of)
        if not parent or parent not in records:
            return doc_id
        doc_id = parent
    return doc_id


def valid_from(record: DocRecord) -> str | None:
    """From when the wording of this version is the law (its consolidation date, or adoption)."""
    if record.status == "consolidated":
        return record.version_date or record.adopted
    return record.adopted or record.version_date


@dataclass(frozen=True)
class AsAt:
    """Whether a document is shown at a date, and what the user must be told about it."""

    doc_id: str
    shown: bool
    notice: str = ""


def as_at(records: dict[str, DocRecord], date: str) -> dict[str, AsAt]:
    """The as-at view of every document at ``date`` (ISO). Raises ``ValueError`` for a bad date."""
    if not is_iso_date(date):
        raise ValueError(f"as-at date {date!r} is not an ISO date (YYYY-MM-DD)")
    best: dict[tuple[str, str], DocRecord] = {}
    for record in records.values():
        start = valid_from(record)
        if start is None or start > date:
            continue
        key = family(record)
        current = best.get(key)
        if current is None or (start, version_date(record) or "") > (
            valid_from(current) or "",
            version_date(current) or "",
        ):
            best[key] = record
    out = {}
    for record in records.values():
        start = valid_from(record)
        chosen = best.get(family(record))
        adopted = records.get(record.adopted_as or "")
        if adopted is not None and (valid_from(adopted) or "9999") <= date:
            # a proposal is the pending text until it is adopted; after that, the act is
            out[record.doc_id] = AsAt(
                record.doc_id,
                False,
                f"on {date} the proposal had been adopted as {adopted.short_title} "
                f"({valid_from(adopted)})",
            )
        elif start is None:
            out[record.doc_id] = AsAt(record.doc_id, True)
        elif chosen is not None and chosen.doc_id == record.doc_id:
            out[record.doc_id] = AsAt(record.doc_id, True, _notice(record, date))
        elif chosen is not None:
            out[record.doc_id] = AsAt(
                record.doc_id, False, f"on {date} the version in force is {chosen.short_title}"
            )
        else:
            out[record.doc_id] = AsAt(record.doc_id, False, f"not yet adopted on {date} ({start})")
    return out


def _notice(record: DocRecord, date: str) -> str:
    notes = []
    if record.version_date and record.version_date > date:
        notes.append(
            f"the wording shown is that of {record.version_date}, later than {date}; "
            "the wording in force on that date is not in the local corpus"
        )
    if record.entry_into_force and record.entry_into_force > date:
        notes.append(f"adopted, enters into force on {record.entry_into_force}")
    elif record.application and record.application > date:
        notes.append(f"in force, applies from {record.application}")
    return "; ".join(notes)


def visible_at(records: dict[str, DocRecord], date: str) -> set[str]:
    """doc_ids to show "as at" ``date`` (ISO); see ``as_at`` for why the others are not shown."""
    return {doc_id for doc_id, view in as_at(records, date).items() if view.shown}


def versions_of(records: dict[str, DocRecord], doc_id: str) -> list[DocRecord]:
    """All versions in the family of ``doc_id`` (same language), oldest first."""
    key = family(records[doc_id])
    members = [r for r in records.values() if family(r) == key]
    return sorted(members, key=lambda r: version_date(r) or "")


def translations(records: dict[str, DocRecord], doc_id: str) -> list[str]:
    """Other-language versions of ``doc_id`` (either direction of ``translation_of``)."""
    record = records[doc_id]
    out = [record.translation_of] if record.translation_of else []
    out += [r.doc_id for r in records.values() if r.translation_of == doc_id]
    return [d for d in out if d in records]
