"""Which version of an instrument applies at a date ("as at" view).

Documents related by ``consolidates`` form a version family per language (the act as adopted and
its consolidations). At a date, a family shows only its latest version dated on or before that
date; documents adopted after the date are not shown at all.
"""

from __future__ import annotations

import datetime as dt

from kb.models import DocRecord


def version_date(record: DocRecord) -> str | None:
    return record.version_date or record.adopted


def family(record: DocRecord) -> tuple[str, str]:
    """(root act, language): the version family a document belongs to. A consolidation belongs to
    the act it consolidates; a language version as adopted to the act it translates."""
    return (record.consolidates or record.translation_of or record.doc_id, record.language)


def visible_at(records: dict[str, DocRecord], date: str) -> set[str]:
    """doc_ids to show "as at" ``date`` (ISO). Raises ``ValueError`` for a bad date."""
    try:
        dt.date.fromisoformat(date)
    except (TypeError, ValueError):
        raise ValueError(f"as-at date {date!r} is not an ISO date (YYYY-MM-DD)") from None
    best: dict[tuple[str, str], DocRecord] = {}
    undated: set[str] = set()
    for record in records.values():
        when = version_date(record)
        if when is None:
            undated.add(record.doc_id)
            continue
        if when > date:
            continue
        key = family(record)
        if key not in best or when > version_date(best[key]):
            best[key] = record
    return {r.doc_id for r in best.values()} | undated


def versions_of(records: dict[str, DocRecord], doc_id: str) -> list[DocRecord]:
    """All versions in the family of ``doc_id`` (same language), oldest first."""
    key = family(records[doc_id])
    members = [r for r in records.values() if family(r) == key]
    return sorted(members, key=lambda r: version_date(r) or "")
